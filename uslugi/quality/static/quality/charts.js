/* Draws every chart whose configuration the page carries as JSON (no inline script, CSP-safe);
   again after an HTMX swap. The table beside each chart holds the same numbers. */
(function () {
  "use strict";
  function draw(root) {
    if (typeof Chart === "undefined") { return; }
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (Chart.getChart(canvas)) { return; }
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) { return; }
      new Chart(canvas, JSON.parse(source.textContent));
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
}());
