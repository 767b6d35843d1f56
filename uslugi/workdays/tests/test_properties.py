"""Properties that hold for every input: checked with hypothesis over the shipped calendars."""

from datetime import date, datetime, time, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from uslugi.workdays.bulk import BulkCalendars, calculate_due_dates
from uslugi.workdays.calendar import ProductionCalendar
from uslugi.workdays.deadlines import (
    DeadlineInputs,
    Suspension,
    TermKind,
    calculate_due_date,
    calculate_registration_day,
)
from uslugi.workdays.tests.conftest import shipped

REGIONS = ["56", "16", "02"]
# Far enough from the ends of the data (2024–2030) that every generated date falls inside it:
# a suspension may start up to 10 days before the receipt, every due date comes before 2031.
FIRST, LAST = date(2024, 1, 11), date(2029, 6, 30)

regions = st.sampled_from(REGIONS)
kinds = st.sampled_from(list(TermKind))
terms = st.integers(min_value=1, max_value=120)
received_times = st.builds(
    datetime.combine,
    st.dates(min_value=FIRST, max_value=LAST),
    st.times(min_value=time(0, 0), max_value=time(23, 59)),
)


@st.composite
def suspensions_near(draw: st.DrawFn, received: datetime) -> tuple[Suspension, ...]:
    count = draw(st.integers(min_value=0, max_value=3))
    result = []
    for _ in range(count):
        start = received.date() + timedelta(days=draw(st.integers(min_value=-10, max_value=150)))
        end = start + timedelta(days=draw(st.integers(min_value=0, max_value=40)))
        result.append(Suspension(start, end))
    return tuple(result)


@st.composite
def deadline_inputs(draw: st.DrawFn) -> tuple[str, DeadlineInputs]:
    received = draw(received_times)
    return draw(regions), DeadlineInputs(
        received, draw(terms), draw(kinds), draw(suspensions_near(received))
    )


def nth_working_day_after(calendar: ProductionCalendar, day: date, n: int) -> date:
    for _ in range(n):
        day = calendar.next_working_day(day)
    return day


@settings(max_examples=300, deadline=None)
@given(deadline_inputs())
def test_a_due_date_is_never_a_non_working_day_of_its_region(case):
    # given any request in any region
    region, inputs = case
    calendar = shipped()[region]
    # when
    deadline = calculate_due_date(calendar, inputs)
    # then
    assert calendar.is_working(deadline.due_date)
    assert calendar.is_working(deadline.registered_on)
    assert deadline.due_date > deadline.registered_on


@settings(max_examples=300, deadline=None)
@given(
    regions,
    received_times,
    terms,
    st.integers(min_value=1, max_value=150),
    st.integers(min_value=0, max_value=60),
)
def test_a_suspension_of_k_working_days_moves_a_working_deadline_by_k_working_days(
    region, received, term, start_offset, length
):
    # given a working-day deadline and a suspension that starts within its term
    calendar = shipped()[region]
    plain = calculate_due_date(calendar, DeadlineInputs(received, term, TermKind.WORKING))
    start = plain.registered_on + timedelta(
        days=1 + start_offset % (plain.due_date - plain.registered_on).days
    )
    end = start + timedelta(days=length)
    k = sum(
        1
        for offset in range((end - start).days + 1)
        if calendar.is_working(start + timedelta(days=offset))
    )
    # when the clock stops for it
    suspended = calculate_due_date(
        calendar, DeadlineInputs(received, term, TermKind.WORKING, (Suspension(start, end),))
    )
    # then the deadline moves by exactly k working days
    assert suspended.due_date == nth_working_day_after(calendar, plain.due_date, k)
    assert suspended.explanation.suspended_days == k


BULK = BulkCalendars.from_calendars([shipped()[code] for code in REGIONS])


def _bulk_due_dates(cases: list[tuple[str, DeadlineInputs]], with_suspensions: bool) -> list[date]:
    registered = [calculate_registration_day(shipped()[r], i.received) for r, i in cases]
    slots = max([len(i.suspensions) for _, i in cases] + [1])
    starts = np.full((len(cases), slots), np.datetime64("NaT"), dtype="datetime64[D]")
    ends = starts.copy()
    for row, (_, inputs) in enumerate(cases):
        for slot, suspension in enumerate(inputs.suspensions):
            starts[row, slot] = np.datetime64(suspension.start)
            ends[row, slot] = np.datetime64(suspension.end)
    due = calculate_due_dates(
        BULK,
        BULK.region_indices([r for r, _ in cases]),
        np.array(registered, dtype="datetime64[D]"),
        np.array([i.term for _, i in cases], dtype=np.int32),
        np.array([i.kind == TermKind.CALENDAR for _, i in cases]),
        suspension_starts=starts if with_suspensions else None,
        suspension_ends=ends if with_suspensions else None,
    )
    return [day.item() for day in due]


@settings(max_examples=100, deadline=None)
@given(st.lists(deadline_inputs(), min_size=1, max_size=40))
def test_the_bulk_path_equals_the_pure_path(cases):
    # given requests without suspensions
    cases = [(region, DeadlineInputs(i.received, i.term, i.kind)) for region, i in cases]
    # when both paths compute them
    pure = [calculate_due_date(shipped()[region], inputs).due_date for region, inputs in cases]
    # then
    assert _bulk_due_dates(cases, with_suspensions=False) == pure


@settings(max_examples=100, deadline=None)
@given(st.lists(deadline_inputs(), min_size=1, max_size=40))
def test_the_bulk_path_with_suspensions_equals_the_pure_path(cases):
    pure = [calculate_due_date(shipped()[region], inputs).due_date for region, inputs in cases]
    assert _bulk_due_dates(cases, with_suspensions=True) == pure
