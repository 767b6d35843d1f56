// Before/now/target bars for each KPI of the roadmap page. The table beside each chart holds the
// same figures, so the page says everything without JavaScript; this only draws them.
(function () {
  "use strict";
  function draw() {
    if (typeof window.Chart === "undefined") return;
    document.querySelectorAll("canvas[data-kpi-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-kpi-chart"));
      if (!source) return;
      var data = JSON.parse(source.textContent);
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: data.labels,
          datasets: [{
            label: data.label,
            data: data.values,
            backgroundColor: ["#8a96a3", "#1f6fb2", "#2e7d32"]
          }]
        },
        options: {
          animation: false,
          responsive: true,
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                label: function (context) { return context.formattedValue + (data.unit ? " " + data.unit : ""); }
              }
            }
          },
          scales: { y: { beginAtZero: true } }
        }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
