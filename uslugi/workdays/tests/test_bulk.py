"""The vectorised path: agreement with the pure path on a large random sample, and its errors."""

from datetime import date, datetime, time

import numpy as np
import pytest

from uslugi.workdays.bulk import CHUNK, BulkCalendars, calculate_due_dates
from uslugi.workdays.deadlines import DeadlineInputs, TermKind, calculate_due_date
from uslugi.workdays.errors import DateOutsideCalendar, TermNotPositive, UnknownRegion
from uslugi.workdays.tests.conftest import shipped

REGIONS = ["56", "16", "02"]


@pytest.fixture
def bulk():
    return BulkCalendars.from_calendars([shipped()[code] for code in REGIONS])


def test_bulk_equals_pure_on_a_sample_larger_than_a_chunk(bulk):
    # given rows of every region and kind, more than one chunk of them
    rng = np.random.default_rng(2026)
    rows = CHUNK + 5_000
    regions = rng.integers(0, 3, rows).astype(np.uint8)
    offsets = rng.integers(0, (date(2029, 6, 30) - date(2024, 1, 1)).days, rows)
    registered = np.datetime64("2024-01-01") + offsets.astype("timedelta64[D]")
    terms = rng.integers(1, 90, rows).astype(np.int32)
    calendar_kind = rng.random(rows) < 0.3
    # when
    due = calculate_due_dates(bulk, regions, registered, terms, calendar_kind)
    # then every 7th row (a few thousand) agrees with the pure path
    for row in range(0, rows, 7):
        calendar = shipped()[REGIONS[regions[row]]]
        day = registered[row].item()
        if not calendar.is_working(day):
            continue  # a registration day is always a working day
        inputs = DeadlineInputs(
            datetime.combine(day, time(10)),
            int(terms[row]),
            TermKind.CALENDAR if calendar_kind[row] else TermKind.WORKING,
        )
        assert due[row].item() == calculate_due_date(calendar, inputs).due_date, row


def test_region_indices_reject_an_unknown_region(bulk):
    assert list(bulk.region_indices(["02", "56", "16", "56"])) == [2, 0, 1, 0]
    with pytest.raises(UnknownRegion, match="99"):
        bulk.region_indices(["56", "99"])


def _one(bulk, registered, term, calendar_kind=False):
    return calculate_due_dates(
        bulk,
        np.array([0], dtype=np.uint8),
        np.array([registered], dtype="datetime64[D]"),
        np.array([term], dtype=np.int32),
        np.array([calendar_kind]),
    )


@pytest.mark.parametrize("term", [0, -3])
def test_bulk_rejects_a_term_that_is_not_positive(bulk, term):
    with pytest.raises(TermNotPositive):
        _one(bulk, "2025-03-03", term)


@pytest.mark.parametrize(
    ("registered", "term", "calendar_kind"),
    [("2023-12-29", 5, False), ("2030-12-20", 30, False), ("2030-12-20", 30, True)],
)
def test_bulk_rejects_dates_outside_the_data(bulk, registered, term, calendar_kind):
    with pytest.raises(DateOutsideCalendar):
        _one(bulk, registered, term, calendar_kind)


def test_bulk_writes_into_a_given_buffer(bulk):
    out = np.empty(1, dtype="datetime64[D]")
    calculate_due_dates(
        bulk,
        np.array([0], dtype=np.uint8),
        np.array(["2025-12-25"], dtype="datetime64[D]"),
        np.array([15], dtype=np.int32),
        np.array([False]),
        out=out,
    )
    assert out[0] == np.datetime64("2026-01-27")
