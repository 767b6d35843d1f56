"""Due dates for millions of rows at once: the vectorised twin of `deadlines.calculate_due_date`.

Pure NumPy over the same `ProductionCalendar` values; it must give exactly the pure path's due
dates (the tests and `bench/deadlines.py` check it). Inputs are registration days (already moved
past office hours and non-working days), terms (extensions included) and term kinds.

The idea: per region, `cumulative[d]` is the number of working days up to and including day `d`,
and `working_days[k]` is the (k+1)-th working day. Then

- N working days after registration day r:            working_days[cumulative[r] + N - 1]
- N calendar days after r, moved to a working day:    working_days[cumulative[r + N - 1]]

which is one formula, `working_days[cumulative[r + m] + (N - 1 - m)]` with m = 0 for a working-day
term and m = N - 1 for a calendar-day term: two gathers from small tables, whatever the mix of
regions and kinds. Rows run in cache-sized chunks through reused buffers.

Suspensions (rows with a clock stopped for some intervals) take a slower, still vectorised path.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from uslugi.workdays.calendar import ProductionCalendar
from uslugi.workdays.errors import (
    DateOutsideCalendar,
    SuspensionEndsBeforeStart,
    TermNotPositive,
    UnknownRegion,
)

CHUNK = 32_768  # rows per pass: the chunk's int32 buffers stay in the CPU cache
# Marks the padding after each region's working days; a gather that lands there ran off the data.
PAST_THE_END = np.iinfo(np.int64).min
EPOCH = date(1970, 1, 1)

DayArray = npt.NDArray[np.datetime64]
IntArray = npt.NDArray[np.integer]


def _epoch_day(day: date) -> int:
    return (day - EPOCH).days


@dataclass(frozen=True, eq=False)
class BulkCalendars:
    """Several regions' calendars as flat lookup tables (one block per region)."""

    codes: tuple[str, ...]
    first_day: date
    last_day: date
    span: int  # days in the covered range
    block: int  # length of each region's block in `working_days`
    cumulative: npt.NDArray[np.int32]  # block offset + working days up to day d, per region
    working_days: npt.NDArray[np.int64]  # epoch day numbers of working days, padded per region
    # For the suspension path, (regions, span + 1) each: working days before day d, and the first
    # working day on or after day d (`span` where there is none).
    worked_before: npt.NDArray[np.int64]
    next_working: npt.NDArray[np.int64]

    @classmethod
    def from_calendars(cls, calendars: Sequence[ProductionCalendar]) -> "BulkCalendars":
        if not calendars:
            raise ValueError("at least one calendar is needed")
        first, last = calendars[0].first_day, calendars[0].last_day
        if any((c.first_day, c.last_day) != (first, last) for c in calendars):
            raise ValueError("the calendars must cover the same range")
        span = (last - first).days + 1
        working = np.stack(
            [np.frombuffer(c.working_flags, dtype=np.uint8).astype(bool) for c in calendars]
        )
        counts = working.sum(axis=1)
        # Room after each region's working days for any term up to `span`: a gather past the
        # data lands on PAST_THE_END instead of on the next region's days.
        block = int(counts.max()) + span + 1
        cumulative = np.empty(len(calendars) * span, dtype=np.int32)
        working_days = np.full(len(calendars) * block, PAST_THE_END, dtype=np.int64)
        offsets = np.arange(span, dtype=np.int64) + _epoch_day(first)
        for index in range(len(calendars)):
            base = index * block
            cumulative[index * span : (index + 1) * span] = base + np.cumsum(working[index])
            days = offsets[working[index]]
            working_days[base : base + len(days)] = days
        worked_before = np.zeros((len(calendars), span + 1), dtype=np.int64)
        worked_before[:, 1:] = np.cumsum(working, axis=1)
        next_working = np.full((len(calendars), span + 1), span, dtype=np.int64)
        for index in range(len(calendars)):
            positions = np.flatnonzero(working[index])
            next_working[index, :span] = np.append(positions, span)[
                np.searchsorted(positions, np.arange(span))
            ]
        return cls(
            codes=tuple(c.code for c in calendars),
            first_day=first,
            last_day=last,
            span=span,
            block=block,
            cumulative=cumulative,
            working_days=working_days,
            worked_before=worked_before,
            next_working=next_working,
        )

    def region_indices(self, codes: Sequence[str] | npt.NDArray[np.str_]) -> npt.NDArray[np.uint8]:
        """Region codes to the small integers `calculate_due_dates` takes."""
        known = {code: index for index, code in enumerate(self.codes)}
        unique, inverse = np.unique(np.asarray(codes), return_inverse=True)
        for code in unique:
            if str(code) not in known:
                raise UnknownRegion(str(code))
        return np.array([known[str(code)] for code in unique], dtype=np.uint8)[inverse]

    def _outside(self, epoch_day: int) -> DateOutsideCalendar:
        return DateOutsideCalendar(
            date.fromordinal(EPOCH.toordinal() + int(epoch_day)), self.first_day, self.last_day
        )


def calculate_due_dates(
    calendars: BulkCalendars,
    regions: IntArray,
    registered_on: DayArray,
    terms: IntArray,
    calendar_kind: npt.NDArray[np.bool_],
    *,
    suspension_starts: DayArray | None = None,
    suspension_ends: DayArray | None = None,
    out: DayArray | None = None,
) -> DayArray:
    """Due dates (datetime64[D]) for rows of (region index, registration day, term, kind).

    `calendar_kind` is True for a calendar-day term, False for a working-day term. Suspensions,
    if given, are (rows, slots) arrays of start and end days, NaT for an unused slot.
    """
    rows = len(registered_on)
    if not (len(regions) == len(terms) == len(calendar_kind) == rows):
        raise ValueError("every input array must have one entry per row")
    if out is None:
        out = np.empty(rows, dtype="datetime64[D]")
    if suspension_starts is not None and suspension_ends is not None:
        out[:] = _with_suspensions(
            calendars,
            regions,
            registered_on,
            terms,
            calendar_kind,
            suspension_starts,
            suspension_ends,
        )
        return out
    _without_suspensions(calendars, regions, registered_on, terms, calendar_kind, out)
    return out


def _without_suspensions(
    calendars: BulkCalendars,
    regions: IntArray,
    registered_on: DayArray,
    terms: IntArray,
    calendar_kind: npt.NDArray[np.bool_],
    out: DayArray,
) -> None:
    """The fast path: two gathers per row, chunk by chunk through reused int32 buffers."""
    rows = len(registered_on)
    size = min(CHUNK, max(rows, 1))
    day = np.empty(size, dtype=np.int32)
    term_less_one = np.empty(size, dtype=np.int32)
    shift = np.empty(size, dtype=np.int32)
    region_base = np.empty(size, dtype=np.int32)
    index = np.empty(size, dtype=np.int32)
    span = np.int32(calendars.span)
    first = _epoch_day(calendars.first_day)
    registered = registered_on.astype("datetime64[D]", copy=False).view(np.int64)
    result = out.view(np.int64)
    for start in range(0, rows, size):
        stop = min(start + size, rows)
        n = stop - start
        d, t, m, b, i = day[:n], term_less_one[:n], shift[:n], region_base[:n], index[:n]
        np.subtract(registered[start:stop], first, out=d, casting="unsafe")
        np.subtract(terms[start:stop], 1, out=t, casting="unsafe")
        if t.min() < 0:
            raise TermNotPositive(int(terms[start:stop].min()))
        if t.max() >= span:
            # Longer than the whole calendar: the due date cannot be inside it.
            raise calendars._outside(_epoch_day(calendars.last_day) + 1)
        if d.min() < 0 or d.max() >= span:
            bad = d.min() if d.min() < 0 else d.max()
            raise calendars._outside(first + int(bad))
        np.multiply(t, calendar_kind[start:stop], out=m)
        np.add(d, m, out=d)
        if d.max() >= span:
            raise calendars._outside(first + int(d.max()))
        np.multiply(regions[start:stop], span, out=b, casting="unsafe")
        np.add(d, b, out=d)
        np.take(calendars.cumulative, d, out=i)
        np.add(i, t, out=i)
        np.subtract(i, m, out=i)
        chunk = result[start:stop]
        np.take(calendars.working_days, i, out=chunk)
        if chunk.min() == PAST_THE_END:
            raise calendars._outside(_epoch_day(calendars.last_day) + 1)


def _with_suspensions(
    calendars: BulkCalendars,
    regions: IntArray,
    registered_on: DayArray,
    terms: IntArray,
    calendar_kind: npt.NDArray[np.bool_],
    suspension_starts: DayArray,
    suspension_ends: DayArray,
) -> DayArray:
    """Rows whose clock stops: each suspension, in order of start, adds the days it stopped.

    Working-day terms are counted as a position in the region's list of working days, calendar-day
    terms as a day; a suspension that starts on or before the current end of the term pushes it by
    the days of the term's kind it covers (days already covered by an earlier suspension, or on or
    before registration, are not counted twice). A due date inside a suspension moves past it.
    """
    first = _epoch_day(calendars.first_day)
    span = calendars.span
    terms = np.asarray(terms, dtype=np.int64)
    if len(terms) and terms.min() < 1:
        raise TermNotPositive(int(terms.min()))
    order = np.argsort(suspension_starts, axis=1)  # NaT sorts last
    starts = np.take_along_axis(suspension_starts.astype("datetime64[D]"), order, axis=1)
    ends = np.take_along_axis(suspension_ends.astype("datetime64[D]"), order, axis=1)
    used = ~np.isnat(starts)
    if (used & (ends < starts)).any():
        row, slot = np.argwhere(used & (ends < starts))[0]
        raise SuspensionEndsBeforeStart(starts[row, slot].item(), ends[row, slot].item())
    start_days = np.where(used, starts.view(np.int64) - first, 0)
    end_days = np.where(used, ends.view(np.int64) - first, -1)
    registered = registered_on.astype("datetime64[D]").view(np.int64) - first
    for values in (registered, start_days[used], end_days[used]):
        if len(values) and (values.min() < 0 or values.max() >= span):
            bad = values.min() if values.min() < 0 else values.max()
            raise calendars._outside(first + int(bad))

    region = np.asarray(regions, dtype=np.int64)

    def worked(until: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Working days from the start of the range through day `until` (may be -1)."""
        return calendars.worked_before[region, np.clip(until, -1, span - 1) + 1]

    is_calendar = np.asarray(calendar_kind, dtype=bool)
    # Position of the term's end: a day (calendar kind) or a count of working days (working kind).
    position = np.where(is_calendar, registered + terms, worked(registered) + terms)
    covered = registered.copy()

    def end_day(position: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """The last counted day of the term at `position` (span or more: past the data)."""
        flat = region * calendars.block + np.clip(position - 1, 0, calendars.block - 1)
        nth_working = calendars.working_days[flat]
        by_count = np.where(nth_working == PAST_THE_END, first + span, nth_working) - first
        return np.where(is_calendar, position, by_count)

    for slot in range(starts.shape[1]):
        active = used[:, slot]
        begin = np.maximum(start_days[:, slot], covered + 1)
        finish = end_days[:, slot]
        applies = active & (finish >= begin) & (end_day(position) >= begin)
        stopped = np.where(is_calendar, finish - begin + 1, worked(finish) - worked(begin - 1))
        position = np.where(applies, position + stopped, position)
        covered = np.where(applies, np.maximum(covered, finish), covered)

    due = end_day(position)
    if len(due) and due.max() >= span:
        raise calendars._outside(first + int(due.max()))
    due = _next_working_not_suspended(calendars, region, due, start_days, end_days, used)
    return (due + first).astype("datetime64[D]")


def _next_working_not_suspended(
    calendars: BulkCalendars,
    region: npt.NDArray[np.int64],
    due: npt.NDArray[np.int64],
    start_days: npt.NDArray[np.int64],
    end_days: npt.NDArray[np.int64],
    used: npt.NDArray[np.bool_],
) -> npt.NDArray[np.int64]:
    """Move each day to the first working day on or after it that no suspension covers."""
    span = calendars.span

    def move(days: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        moved = calendars.next_working[region, np.clip(days, 0, span)]
        if len(moved) and moved.max() >= span:
            raise calendars._outside(_epoch_day(calendars.last_day) + 1)
        return moved

    due = move(due)
    for slot in range(start_days.shape[1]):
        inside = used[:, slot] & (start_days[:, slot] <= due) & (due <= end_days[:, slot])
        due = np.where(inside, move(end_days[:, slot] + 1), due)
    return due
