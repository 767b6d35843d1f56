"""The production calendar data shipped with the code (`data/`), read into plain values.

Pure: no ORM. `selectors.py` adds the administrator's rows from the database on top; the benchmark
and the pure tests use these files alone. See `data/README.md` for where each file comes from.
"""

import csv
from datetime import date
from functools import cache
from pathlib import Path

from uslugi.workdays.calendar import (
    DayKind,
    DayRow,
    LayerYear,
    ProductionCalendar,
    RegionRules,
    StatutoryHoliday,
    build_calendar,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
# Years after the last decree in the data are provisional (statutory holidays only) up to this one;
# later dates are outside the calendar.
LAST_PROVISIONAL_YEAR = 2030


def _read(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@cache
def load_day_rows() -> tuple[DayRow, ...]:
    return tuple(
        DayRow(
            day=date.fromisoformat(row["date"]),
            layer=row["region"],
            kind=DayKind(row["kind"]),
            note=row["note"],
            act=row["source"],
        )
        for row in _read("production-calendar.csv")
    )


@cache
def load_statutory_holidays() -> tuple[StatutoryHoliday, ...]:
    return tuple(
        StatutoryHoliday(
            layer=row["region"],
            month=int(row["month"]),
            day=int(row["day"]),
            name=row["name"],
            act=row["source"],
        )
        for row in _read("statutory-holidays.csv")
    )


@cache
def load_layer_years() -> tuple[LayerYear, ...]:
    return tuple(
        LayerYear(layer=row["region"], year=int(row["year"]), complete=True, act=row["act"])
        for row in _read("years.csv")
    )


@cache
def load_regions() -> tuple[RegionRules, ...]:
    return tuple(
        RegionRules(
            code=row["code"],
            name=row["name"],
            name_en=row["name_en"],
            time_zone=row["time_zone"],
            moves_weekend_holidays=row["moves_weekend_holidays"] == "yes",
        )
        for row in _read("regions.csv")
    )


def first_year() -> int:
    return min(year.year for year in load_layer_years())


def build_shipped_calendar(region: RegionRules) -> ProductionCalendar:
    """A region's calendar from the shipped files alone, without the administrator's rows."""
    return build_calendar(
        region=region,
        rows=load_day_rows(),
        statutory=load_statutory_holidays(),
        layer_years=load_layer_years(),
        first_year=first_year(),
        last_year=LAST_PROVISIONAL_YEAR,
    )


def shipped_calendars() -> dict[str, ProductionCalendar]:
    return {region.code: build_shipped_calendar(region) for region in load_regions()}
