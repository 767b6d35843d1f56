"""A region's production calendar as a plain value: which days are working, shortened, and why.

Pure: `build_calendar` takes plain rows (the shipped data files, see `shipped.py`, plus the rows an
administrator added, see `selectors.py`) and returns an immutable `ProductionCalendar`. No ORM here.

The layers of a region's calendar are the federal one (`"RU"`) and the region's own. The rules:

- Saturday and Sunday are days off unless a row makes them working (`working_weekend`, a transfer
  set by the Government's annual decree).
- `holiday` and `transfer_dayoff` rows are days off.
- Statutory holidays (Labour Code art. 112 and the republics' laws) are days off in every year, also
  in a year whose decree is not in the data yet.
- A federal holiday on a weekend moves the day off to the next working day (art. 112 part 2), except
  the January holidays. The rule is applied only in *provisional* federal years: in a *complete*
  year the decree's rows say where each day off went (in 2025 the Government moved 23 February to
  8 May rather than to 24 February).
- A regional holiday on a weekend moves to the next working day when the region's law says so
  (Bashkortostan yes; Tatarstan no since 2017), in every year.
- A working day right before a statutory federal holiday is one hour shorter (Labour Code art. 95):
  derived in provisional years; the decree's rows are used in complete years.
- A year is complete for a region when the federal decree is in and, for a region with holidays of
  its own, the region's dates for that year are in too. Every other year is provisional.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from uslugi.workdays.errors import DateOutsideCalendar

FEDERAL = "RU"
# Legal acts named in derived rows are data (Russian names of acts), not interface text.
WEEKEND_MOVE_ACT = "ТК РФ ст. 112 ч. 2"
PRE_HOLIDAY_ACT = "ТК РФ ст. 95"
ONE_DAY = timedelta(days=1)
# Labour Code art. 95: the working day before a non-working holiday is one hour shorter.
SHORTENED_BY = timedelta(hours=1)


class DayKind(StrEnum):
    """What a row of the production calendar says about a day."""

    HOLIDAY = "holiday"
    TRANSFER_DAYOFF = "transfer_dayoff"
    WORKING_WEEKEND = "working_weekend"
    SHORTENED = "shortened"


NON_WORKING_KINDS = frozenset({DayKind.HOLIDAY, DayKind.TRANSFER_DAYOFF})


class DayStatus(StrEnum):
    """How a day comes out once every rule is applied; what the month grid marks."""

    WORKING = "working"
    SHORTENED = "shortened"
    WORKING_WEEKEND = "working_weekend"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    TRANSFER_DAYOFF = "transfer_dayoff"


@dataclass(frozen=True)
class DayRow:
    """One fact about one day, from the data (`derived=False`) or from a rule (`derived=True`).

    `layer` is `"RU"` for the federal calendar or a region code. For a day off moved by a rule,
    `moved_from` is the holiday that fell on a weekend and `note` names it.
    """

    day: date
    layer: str
    kind: DayKind
    note: str = ""
    act: str = ""
    derived: bool = False
    moved_from: date | None = None

    def describe(self, *, with_act: bool = False) -> str:
        """One line for an official or a visitor: what this row says about its day and why."""
        if self.moved_from is not None:
            text = _("Day off moved from %(date)s (%(name)s)") % {
                "date": self.moved_from.isoformat(),
                "name": self.note,
            }
        elif self.derived and self.kind == DayKind.SHORTENED:
            text = _("Pre-holiday day, one hour shorter (before %(name)s)") % {"name": self.note}
        else:
            text = f"{DAY_KIND_LABELS[self.kind]}: {self.note}" if self.note else ""
            text = text or str(DAY_KIND_LABELS[self.kind])
        return f"{text} [{self.act}]" if with_act and self.act else text


DAY_KIND_LABELS = {
    DayKind.HOLIDAY: gettext_lazy("Non-working holiday"),
    DayKind.TRANSFER_DAYOFF: gettext_lazy("Day off transferred"),
    DayKind.WORKING_WEEKEND: gettext_lazy("Working weekend day"),
    DayKind.SHORTENED: gettext_lazy("Shortened day"),
}


@dataclass(frozen=True)
class StatutoryHoliday:
    """A holiday the law fixes on the same date every year."""

    layer: str
    month: int
    day: int
    name: str
    act: str

    def on(self, year: int) -> date:
        return date(year, self.month, self.day)

    @property
    def moves_off_weekend_federally(self) -> bool:
        # Labour Code art. 112 part 2: the January holidays are not moved automatically; the
        # Government moves two of them by its annual decree.
        return self.layer == FEDERAL and self.month != 1


@dataclass(frozen=True)
class LayerYear:
    """Whether the decree (federal) or the regional act setting a year's dates is in the data."""

    layer: str
    year: int
    complete: bool
    act: str = ""


@dataclass(frozen=True)
class RegionRules:
    """What the calendar needs to know about a region besides its days."""

    code: str
    name: str
    time_zone: str
    moves_weekend_holidays: bool
    office_opens: time = time(9, 0)
    office_closes: time = time(18, 0)
    name_en: str = ""


@dataclass(frozen=True)
class YearStatus:
    year: int
    complete: bool
    acts: tuple[str, ...] = ()


@dataclass(frozen=True)
class YearSummary:
    """A region's year as the `workcalendar` command and `GET /api/calendar/...` answer it."""

    region: str
    year: int
    complete: bool
    non_working: tuple[date, ...]
    working_weekends: tuple[date, ...]
    shortened: tuple[date, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "year": self.year,
            "complete": self.complete,
            "non_working": [day.isoformat() for day in self.non_working],
            "working_weekends": [day.isoformat() for day in self.working_weekends],
            "shortened": [day.isoformat() for day in self.shortened],
        }


@dataclass(frozen=True, eq=False)
class ProductionCalendar:
    """One region's calendar over a closed range of years; every lookup outside it is an error."""

    region: RegionRules
    first_day: date
    last_day: date
    working_flags: bytes = field(repr=False)
    shortened_days: frozenset[date] = field(repr=False)
    rows: dict[date, tuple[DayRow, ...]] = field(repr=False)
    year_statuses: dict[int, YearStatus] = field(repr=False)

    @property
    def code(self) -> str:
        return self.region.code

    @property
    def years(self) -> range:
        return range(self.first_day.year, self.last_day.year + 1)

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def check(self, day: date) -> None:
        if not self.covers(day):
            raise DateOutsideCalendar(day, self.first_day, self.last_day)

    def check_year(self, year: int) -> None:
        if year not in self.years:
            raise DateOutsideCalendar(str(year), self.first_day, self.last_day)

    def is_working(self, day: date) -> bool:
        self.check(day)
        return self.working_flags[(day - self.first_day).days] == 1

    def is_shortened(self, day: date) -> bool:
        self.check(day)
        return day in self.shortened_days

    def office_closes_on(self, day: date) -> time:
        """The hour the office closes on a working day: one hour earlier on a shortened day."""
        closes = self.region.office_closes
        if self.is_shortened(day):
            return (datetime.combine(day, closes) - SHORTENED_BY).time()
        return closes

    def next_working_day(self, day: date) -> date:
        """The first working day after `day`."""
        candidate = day + ONE_DAY
        while not self.is_working(candidate):
            candidate += ONE_DAY
        return candidate

    def add_working_days(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (e.g. 210-FZ art. 7.2's five days)."""
        candidate = day
        for _step in range(count):
            candidate = self.next_working_day(candidate)
        return candidate

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`; 0 when `end` is not later."""
        count = 0
        day = start + ONE_DAY
        while day <= end:
            count += self.is_working(day)
            day += ONE_DAY
        return count

    def rows_of(self, day: date) -> tuple[DayRow, ...]:
        return self.rows.get(day, ())

    def status(self, day: date) -> DayStatus:
        if self.is_working(day):
            if day.weekday() >= 5:
                return DayStatus.WORKING_WEEKEND
            return DayStatus.SHORTENED if day in self.shortened_days else DayStatus.WORKING
        kinds = {row.kind for row in self.rows_of(day)}
        if DayKind.HOLIDAY in kinds:
            return DayStatus.HOLIDAY
        if DayKind.TRANSFER_DAYOFF in kinds:
            return DayStatus.TRANSFER_DAYOFF
        return DayStatus.WEEKEND

    def year_status(self, year: int) -> YearStatus:
        self.check_year(year)
        return self.year_statuses[year]

    def is_complete(self, year: int) -> bool:
        return self.year_status(year).complete

    def provisional_years(self, start: date, end: date) -> tuple[int, ...]:
        return tuple(year for year in range(start.year, end.year + 1) if not self.is_complete(year))

    def days_of(self, year: int) -> list[date]:
        self.check_year(year)
        return list(_days(date(year, 1, 1), date(year, 12, 31)))

    def summarize_year(self, year: int) -> YearSummary:
        days = self.days_of(year)
        return YearSummary(
            region=self.code,
            year=year,
            complete=self.is_complete(year),
            non_working=tuple(day for day in days if not self.is_working(day)),
            working_weekends=tuple(
                day for day in days if day.weekday() >= 5 and self.is_working(day)
            ),
            shortened=tuple(day for day in days if day in self.shortened_days),
        )

    def working_day_count(self, year: int) -> int:
        return sum(1 for day in self.days_of(year) if self.is_working(day))


def _days(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


def build_calendar(
    *,
    region: RegionRules,
    rows: Iterable[DayRow],
    statutory: Iterable[StatutoryHoliday],
    layer_years: Iterable[LayerYear],
    first_year: int,
    last_year: int,
) -> ProductionCalendar:
    """Apply the rules in the module docstring to the federal and the region's rows."""
    layers = {FEDERAL, region.code}
    first_day, last_day = date(first_year, 1, 1), date(last_year, 12, 31)
    own_rows = [row for row in rows if row.layer in layers and first_day <= row.day <= last_day]
    own_statutory = [holiday for holiday in statutory if holiday.layer in layers]
    complete = {(y.layer, y.year): y for y in layer_years if y.complete and y.layer in layers}
    has_own_days = any(h.layer == region.code for h in own_statutory) or any(
        row.layer == region.code for row in own_rows
    )

    def federal_complete(year: int) -> bool:
        return (FEDERAL, year) in complete

    marks: dict[date, list[DayRow]] = defaultdict(list)
    for row in own_rows:
        marks[row.day].append(row)
    for year in range(first_year, last_year + 1):
        for holiday in own_statutory:
            day = holiday.on(year)
            if not any(m.kind == DayKind.HOLIDAY and m.layer == holiday.layer for m in marks[day]):
                marks[day].append(
                    DayRow(day, holiday.layer, DayKind.HOLIDAY, holiday.name, holiday.act, True)
                )

    def is_regional_transfer(row: DayRow) -> bool:
        return row.layer == region.code and row.kind == DayKind.TRANSFER_DAYOFF and not row.derived

    span = (last_day - first_day).days + 1
    working = bytearray(
        1 if (first_day + timedelta(days=i)).weekday() < 5 else 0 for i in range(span)
    )
    working_weekends = set()
    for day, day_marks in marks.items():
        index = (day - first_day).days
        if any(m.kind == DayKind.WORKING_WEEKEND for m in day_marks):
            working[index] = 1
            working_weekends.add(day)
        if any(m.kind in NON_WORKING_KINDS and not is_regional_transfer(m) for m in day_marks):
            working[index] = 0

    # Holidays on a weekend whose day off a rule moves to the next working day, in date order so
    # that two such holidays in a row take two different days.
    moves: list[DayRow] = [
        DayRow(holiday.on(year), FEDERAL, DayKind.HOLIDAY, holiday.name, WEEKEND_MOVE_ACT)
        for year in range(first_year, last_year + 1)
        if not federal_complete(year)
        for holiday in own_statutory
        if holiday.moves_off_weekend_federally
    ]
    if region.moves_weekend_holidays:
        moves += [
            mark
            for day_marks in marks.values()
            for mark in day_marks
            if mark.layer == region.code and mark.kind == DayKind.HOLIDAY
        ]
    for moved in sorted(moves, key=lambda move: move.day):
        if moved.day.weekday() < 5 or moved.day in working_weekends:
            continue
        target = moved.day + ONE_DAY
        while target <= last_day and not working[(target - first_day).days]:
            target += ONE_DAY
        if target > last_day:
            continue
        working[(target - first_day).days] = 0
        if not any(is_regional_transfer(m) for m in marks[target]):
            marks[target].append(
                DayRow(
                    target,
                    moved.layer,
                    DayKind.TRANSFER_DAYOFF,
                    moved.note,
                    moved.act,
                    derived=True,
                    moved_from=moved.day,
                )
            )
    for day, day_marks in marks.items():
        if any(is_regional_transfer(m) for m in day_marks):
            working[(day - first_day).days] = 0

    def is_working(day: date) -> bool:
        return first_day <= day <= last_day and working[(day - first_day).days] == 1

    shortened = {
        day
        for day, day_marks in marks.items()
        if is_working(day) and any(m.kind == DayKind.SHORTENED for m in day_marks)
    }
    for year in range(first_year, last_year + 1):
        for holiday in own_statutory:
            eve = holiday.on(year) - ONE_DAY
            if holiday.layer == FEDERAL and not federal_complete(eve.year) and is_working(eve):
                if eve not in shortened:
                    marks[eve].append(
                        DayRow(eve, FEDERAL, DayKind.SHORTENED, holiday.name, PRE_HOLIDAY_ACT, True)
                    )
                shortened.add(eve)

    statuses = {}
    for year in range(first_year, last_year + 1):
        federal = complete.get((FEDERAL, year))
        regional = complete.get((region.code, year))
        year_complete = federal is not None and (not has_own_days or regional is not None)
        acts = tuple(y.act for y in (federal, regional) if y is not None and y.act)
        statuses[year] = YearStatus(year, year_complete, acts if year_complete else ())

    return ProductionCalendar(
        region=region,
        first_day=first_day,
        last_day=last_day,
        working_flags=bytes(working),
        shortened_days=frozenset(shortened),
        rows={day: tuple(day_marks) for day, day_marks in sorted(marks.items()) if day_marks},
        year_statuses=statuses,
    )
