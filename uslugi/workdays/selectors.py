"""Reads of the production calendar: a region's `ProductionCalendar` from the shipped data plus the
administrators' rows, cached per process.

The cache is keyed by the region row's `version`, which every write in `services.py` replaces in
the same transaction, so every process (web workers, task workers) rebuilds its copy on the next
read after a change. Reading a calendar costs one small query when nothing changed.
"""

import calendar as month_calendar
import threading
import uuid
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import QuerySet
from django.http import Http404

from uslugi.core import sql
from uslugi.workdays import shipped
from uslugi.workdays.calendar import (
    FEDERAL,
    DayKind,
    DayRow,
    DayStatus,
    LayerYear,
    ProductionCalendar,
    RegionRules,
    YearStatus,
    YearSummary,
    build_calendar,
)
from uslugi.workdays.deadlines import Deadline, DeadlineInputs, calculate_due_date
from uslugi.workdays.errors import DateOutsideCalendar, UnknownRegion
from uslugi.workdays.models import CalendarDay, CalendarYear, RegionCalendar

_cache: dict[str, tuple[tuple[int, uuid.UUID], ProductionCalendar]] = {}
_cache_lock = threading.Lock()


def list_region_calendars() -> QuerySet[RegionCalendar]:
    return RegionCalendar.objects.order_by("code")


def get_region_calendar(code: str) -> RegionCalendar:
    """The region's calendar row. A region shipped with the code (regions.csv) always has one: if
    its row is missing (a flushed database, a restore without reference data) it is recreated
    from the shipped file rather than the region becoming unknown."""
    try:
        return RegionCalendar.objects.get(code=code)
    except RegionCalendar.DoesNotExist:
        shipped_region = next((r for r in shipped.load_regions() if r.code == code), None)
        if shipped_region is None:
            raise UnknownRegion(code) from None
        region, _created = RegionCalendar.objects.get_or_create(
            code=code,
            defaults={
                "name": shipped_region.name,
                "name_en": shipped_region.name_en,
                "time_zone": shipped_region.time_zone,
                "moves_weekend_holidays": shipped_region.moves_weekend_holidays,
            },
        )
        return region


def _rules(region: RegionCalendar) -> RegionRules:
    return RegionRules(
        code=region.code,
        name=region.name,
        name_en=region.name_en,
        time_zone=region.time_zone,
        moves_weekend_holidays=region.moves_weekend_holidays,
        office_opens=region.office_opens,
        office_closes=region.office_closes,
    )


def _build(region: RegionCalendar) -> ProductionCalendar:
    layers = [FEDERAL, region.code]
    added_days = [
        DayRow(day=row.date, layer=row.region, kind=DayKind(row.kind), note=row.note, act=row.act)
        for row in CalendarDay.objects.filter(region__in=layers)
    ]
    added_years = {
        (row.region, row.year): LayerYear(row.region, row.year, row.complete, row.act)
        for row in CalendarYear.objects.filter(region__in=layers)
    }
    # A year an administrator recorded replaces the shipped record of the same year.
    years = {(y.layer, y.year): y for y in shipped.load_layer_years()} | added_years
    last_year = max(
        [shipped.LAST_PROVISIONAL_YEAR]
        + [year for _, year in added_years]
        + [row.day.year for row in added_days]
    )
    return build_calendar(
        region=_rules(region),
        rows=[*shipped.load_day_rows(), *added_days],
        statutory=shipped.load_statutory_holidays(),
        layer_years=years.values(),
        first_year=shipped.first_year(),
        last_year=last_year,
    )


def get_calendar(code: str) -> ProductionCalendar:
    """A region's calendar; raises `UnknownRegion` for a code the calendar does not know.

    Every deadline asks for it, so the kept calendar is checked against the row's (pk, version)
    alone; the row is loaded whole only when the calendar must be built again.
    """
    key = _calendar_key(code)
    cached = _cache.get(code)
    if key is not None and cached is not None and cached[0] == key:
        return cached[1]
    return _calendar_of(get_region_calendar(code))


def _calendar_key(code: str) -> tuple[int, uuid.UUID] | None:
    """The region row's (pk, version), in SQL written once: every deadline asks, and the ORM took
    many times longer to build this statement than the database took to answer it."""
    statement = sql.statement(
        "region calendar key",
        lambda: (
            f"SELECT {sql.column(RegionCalendar, 'id')}, {sql.column(RegionCalendar, 'version')} "
            f"FROM {sql.table(RegionCalendar)} WHERE {sql.column(RegionCalendar, 'code')} = %s"
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [code])
        row = cursor.fetchone()
    # A UUID comes back as text from SQLite, as a UUID from PostgreSQL.
    version = RegionCalendar._meta.get_field("version")
    return (row[0], version.to_python(row[1])) if row else None


def _calendar_of(region: RegionCalendar) -> ProductionCalendar:
    key = (region.pk, region.version)
    cached = _cache.get(region.code)
    if cached is not None and cached[0] == key:
        return cached[1]
    calendar = _build(region)
    with _cache_lock:
        _cache[region.code] = (key, calendar)
    return calendar


def get_calendar_for_command(code: str) -> ProductionCalendar:
    """The command line's calendar: the database's once it is migrated, before that the shipped
    files alone, so that `deadline` and `workcalendar` answer on a fresh clone too."""
    if RegionCalendar._meta.db_table in connection.introspection.table_names():
        return get_calendar(code)
    rules = next((region for region in shipped.load_regions() if region.code == code), None)
    if rules is None:
        raise UnknownRegion(code)
    return shipped.build_shipped_calendar(rules)


def get_year_summary(code: str, year: int) -> YearSummary:
    """What `workcalendar --json` prints and `GET /api/calendar/{region}/{year}` answers."""
    return get_calendar(code).summarize_year(year)


def get_deadline(*, region: str, inputs: DeadlineInputs) -> Deadline:
    """One deadline in a region: what `deadline --json` prints and `POST /api/deadline` answers."""
    return calculate_due_date(get_calendar(region), inputs)


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


@dataclass(frozen=True)
class DayCell:
    day: date
    in_month: bool
    status: DayStatus
    explanation: str


@dataclass(frozen=True)
class MonthGrid:
    year: int
    month: int
    weeks: list[list[DayCell]]

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)


@dataclass(frozen=True)
class MarkedDay:
    day: date
    status: DayStatus
    explanation: str


@dataclass(frozen=True)
class YearOverview:
    """What the public calendar page shows for one region and year."""

    region: RegionCalendar
    year: int
    status: YearStatus
    months: list[MonthGrid]
    marked_days: list[MarkedDay]
    working_days: int
    previous_year: int | None
    next_year: int | None


def _explain(calendar: ProductionCalendar, day: date) -> str:
    return "; ".join(row.describe() for row in calendar.rows_of(day))


def get_year_overview(code: str, year: int) -> YearOverview:
    """A region's year as month grids; 404 for an unknown region or a year outside the data."""
    try:
        region = get_region_calendar(code)
        calendar = _calendar_of(region)
        status = calendar.year_status(year)
    except (UnknownRegion, DateOutsideCalendar) as error:
        raise Http404(error.message) from None
    weeks_of = month_calendar.Calendar(firstweekday=0).monthdatescalendar
    months = []
    for month in range(1, 13):
        weeks = [
            [
                DayCell(
                    day,
                    day.month == month,
                    calendar.status(day) if calendar.covers(day) else DayStatus.WORKING,
                    _explain(calendar, day) if calendar.covers(day) else "",
                )
                for day in week
            ]
            for week in weeks_of(year, month)
        ]
        months.append(MonthGrid(year, month, weeks))
    marked = [
        MarkedDay(day, calendar.status(day), _explain(calendar, day))
        for day in calendar.days_of(year)
        if calendar.status(day) not in (DayStatus.WORKING, DayStatus.WEEKEND)
    ]
    return YearOverview(
        region=region,
        year=year,
        status=status,
        months=months,
        marked_days=marked,
        working_days=calendar.working_day_count(year),
        previous_year=year - 1 if year - 1 in calendar.years else None,
        next_year=year + 1 if year + 1 in calendar.years else None,
    )
