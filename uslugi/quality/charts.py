"""Charts as data: one object gives Chart.js its configuration and the table beside the chart
the same numbers, so what a screen reader reads is exactly what is drawn (pure)."""

from dataclasses import dataclass, field
from typing import Any

# Colours with at least 3:1 contrast on white (WCAG 1.4.11), told apart by line style too.
COLOURS = ["#1f4e79", "#b3541e", "#2e7d32", "#6a1b9a", "#00695c"]
DASHES: list[list[int]] = [[], [6, 4], [2, 3], [10, 3, 2, 3], [1, 2]]


@dataclass(frozen=True)
class Series:
    label: str
    values: list[float | int | None]
    percent: bool = False  # values are shares 0..1, drawn and shown as percent


@dataclass(frozen=True)
class Chart:
    """A chart and its data table: `labels` along the x axis, one row of the table each."""

    id: str
    title: str
    labels: list[str]
    series: list[Series]
    kind: str = "line"  # or "bar"
    axis: str = ""  # the y axis' title
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def data_id(self) -> str:
        return f"{self.id}-data"

    def config(self) -> dict[str, Any]:
        """Chart.js's configuration (JSON-serialisable)."""
        datasets = []
        for index, series in enumerate(self.series):
            colour = COLOURS[index % len(COLOURS)]
            datasets.append(
                {
                    "label": series.label,
                    "data": [_drawn(value, series.percent) for value in series.values],
                    "borderColor": colour,
                    "backgroundColor": colour,
                    "borderDash": DASHES[index % len(DASHES)],
                    "spanGaps": True,
                }
            )
        return {
            "type": self.kind,
            "data": {"labels": self.labels, "datasets": datasets},
            "options": {
                "animation": False,
                "responsive": True,
                "maintainAspectRatio": False,
                "scales": {
                    "y": {"beginAtZero": True, "title": {"display": True, "text": self.axis}}
                },
                **self.options,
            },
        }

    def rows(self) -> list[tuple[str, list[str]]]:
        """The table: per label, each series' value as people read it."""
        return [
            (label, [_shown(series.values[index], series.percent) for series in self.series])
            for index, label in enumerate(self.labels)
        ]


def _drawn(value: float | int | None, percent: bool) -> float | int | None:
    if value is None:
        return None
    return round(value * 100, 1) if percent else round(value, 2)


def _shown(value: float | int | None, percent: bool) -> str:
    if value is None:
        return "—"
    if percent:
        return f"{value * 100:.1f} %".replace(".", ",")
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return str(value)
