"""Processing time and percentiles over plain values (pure; the ORM layer feeds them).

Processing time of a decided case is counted in its term's own unit on its region's calendar
(BRIEF §6): the working days (or calendar days) after the registration day up to and including the
day of the decision, less the days of that span that fall inside a suspension or a wait for the
applicant (the clock was stopped, and that time is not the agency's; BRIEF §8). Stops of one case
never overlap (the workflow has one open stop at a time); a stop still open at the decision ends on
the decision day.

Percentiles are nearest-rank: the p-th percentile of n cases is the smallest number of days d such
that at least ⌈p·n⌉ cases took d days or fewer (for the median of an even count, the lower middle).
An integer number of days, exact, and the same as DuckDB's `quantile_disc`.
"""

import math
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from uslugi.workdays.calendar import ProductionCalendar

ONE_DAY = timedelta(days=1)


def calculate_processing_days(
    calendar: ProductionCalendar,
    *,
    working: bool,
    registered_on: date,
    decided_on: date,
    stops: Iterable[tuple[date, date | None]],
) -> int:
    """Days from registration to decision in the term's unit, stopped time excluded."""

    def span(first: date, last: date) -> int:  # days in [first, last], in the term's unit
        if last < first:
            return 0
        if working:
            return calendar.working_days_between(first - ONE_DAY, last)
        return (last - first).days + 1

    total = span(registered_on + ONE_DAY, decided_on)
    for starts_on, ends_on in stops:
        first = max(starts_on, registered_on + ONE_DAY)
        last = min(ends_on or decided_on, decided_on)
        total -= span(first, last)
    return max(total, 0)


def calculate_percentile(histogram: Mapping[int, int], share: float) -> int | None:
    """The nearest-rank percentile of a {days: cases} histogram; None when it is empty."""
    total = sum(histogram.values())
    if total == 0:
        return None
    rank = max(1, math.ceil(share * total - 1e-9))
    seen = 0
    for days in sorted(histogram):
        seen += histogram[days]
        if seen >= rank:
            return days
    raise AssertionError("unreachable: the ranks add up to the total")


def calculate_share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


class CumulativeCalendars:
    """Days counted up to and including each day, per region: any span is two lookups.

    The vectorised twin of `calculate_processing_days` for the rebuild, over epoch-day integers.
    Row r < len(calendars) counts region r's working days; the last row counts every day, for
    terms in calendar days. Values fit in 32 bits, which halves the memory every pass over ten
    million cases moves.
    """

    def __init__(self, calendars: Mapping[int, ProductionCalendar]) -> None:
        first = {c.first_day for c in calendars.values()}
        last = {c.last_day for c in calendars.values()}
        if len(first) != 1 or len(last) != 1:
            raise ValueError("the calendars must cover the same range")
        self.first_day = first.pop()
        self.first = (self.first_day - date(1970, 1, 1)).days
        self.span = (last.pop() - self.first_day).days + 1
        self.rows = {region_id: index for index, region_id in enumerate(calendars)}
        self.calendar_days_row = len(calendars)
        table = np.zeros((len(calendars) + 1, self.span + 1), dtype=np.int32)
        for region_id, calendar in calendars.items():
            flags = np.frombuffer(calendar.working_flags, dtype=np.uint8).astype(np.int32)
            table[self.rows[region_id], 1:] = np.cumsum(flags)
        table[self.calendar_days_row, 1:] = np.arange(1, self.span + 1)
        # table[r, i + 1] = days counted from the first day through day i; table[r, 0] = 0.
        self.table = table.ravel()

    def region_rows(
        self, region_ids: npt.NDArray[np.int64], working: npt.NDArray[np.bool_] | None = None
    ) -> npt.NDArray[np.int32]:
        """The rows of the regions' calendars: their working days, or where `working` is False,
        every day."""
        lookup = np.full(max(self.rows) + 1, -1, dtype=np.int32)
        for region_id, index in self.rows.items():
            lookup[region_id] = index
        rows = lookup[region_ids]
        if (rows < 0).any():
            raise ValueError("a case's region has no calendar")
        if working is not None:
            rows = np.where(working, rows, np.int32(self.calendar_days_row))
        return rows

    def span_days(
        self,
        rows: npt.NDArray[np.int32],
        first: npt.NDArray[np.int32],
        last: npt.NDArray[np.int32],
    ) -> npt.NDArray[np.int32]:
        """Days in [first, last] (epoch days) counted on each one's row; 0 when empty."""
        lo = first - np.int32(self.first)
        hi = last - np.int32(self.first - 1)
        if len(lo) and (lo.min() < 0 or hi.max() > self.span):
            empty = hi <= lo
            if ((lo < 0) | (hi > self.span))[~empty].any():
                raise ValueError("a processing span falls outside the production calendar")
            lo, hi = np.clip(lo, 0, self.span), np.clip(hi, 0, self.span)
        # Flat indexes into the table, computed in place in 32 bits (the table is small).
        base = rows * np.int32(self.span + 1)
        lo += base
        hi += base
        counted = np.take(self.table, hi)
        counted -= np.take(self.table, lo)
        return np.maximum(counted, 0, out=counted)
