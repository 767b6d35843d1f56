"""Deadline arithmetic over the shipped calendars: registration, terms, suspensions, extensions."""

from datetime import UTC, date, datetime

import pytest

from uslugi.workdays.deadlines import (
    DeadlineInputs,
    Extension,
    RegistrationReason,
    Suspension,
    TermKind,
    calculate_due_date,
    calculate_registration,
)
from uslugi.workdays.errors import (
    DateOutsideCalendar,
    ExtensionNotPositive,
    SuspensionEndsBeforeStart,
    TermNotPositive,
)

WORKING, CALENDAR = TermKind.WORKING, TermKind.CALENDAR


@pytest.mark.parametrize(
    ("received", "registered_on", "reason"),
    [
        # an ordinary Thursday
        (datetime(2025, 12, 25, 15, 0), date(2025, 12, 25), RegistrationReason.IN_OFFICE_HOURS),
        (datetime(2025, 12, 25, 8, 0), date(2025, 12, 25), RegistrationReason.IN_OFFICE_HOURS),
        (datetime(2025, 12, 25, 17, 59), date(2025, 12, 25), RegistrationReason.IN_OFFICE_HOURS),
        (datetime(2025, 12, 25, 18, 0), date(2025, 12, 26), RegistrationReason.AFTER_OFFICE_HOURS),
        # Friday after hours: the weekend is skipped
        (datetime(2025, 12, 26, 18, 0), date(2025, 12, 29), RegistrationReason.AFTER_OFFICE_HOURS),
        # 30 Apr 2025 is shortened (the office closes at 17:00); then 1–4 May are off
        (datetime(2025, 4, 30, 16, 59), date(2025, 4, 30), RegistrationReason.IN_OFFICE_HOURS),
        (datetime(2025, 4, 30, 17, 0), date(2025, 5, 5), RegistrationReason.AFTER_OFFICE_HOURS),
        # on a holiday and on a Sunday
        (datetime(2026, 1, 3, 11, 0), date(2026, 1, 12), RegistrationReason.ON_NON_WORKING_DAY),
        (datetime(2025, 6, 15, 11, 0), date(2025, 6, 16), RegistrationReason.ON_NON_WORKING_DAY),
        # a working Saturday is a working day
        (datetime(2025, 11, 1, 12, 0), date(2025, 11, 1), RegistrationReason.IN_OFFICE_HOURS),
    ],
    ids=str,
)
def test_registration_day(calendars, received, registered_on, reason):
    # when
    registration = calculate_registration(calendars["56"], received)
    # then
    assert registration.day == registered_on
    assert registration.reason == reason


def test_an_aware_receipt_time_is_read_in_the_region_time_zone(calendars):
    # given 13:30 UTC, which is 18:30 in Orenburg (UTC+5) and 16:30 in Kazan (UTC+3)
    received = datetime(2025, 12, 25, 13, 30, tzinfo=UTC)
    # then Orenburg's office has closed and Kazan's has not
    assert calculate_registration(calendars["56"], received).day == date(2025, 12, 26)
    assert calculate_registration(calendars["16"], received).day == date(2025, 12, 25)


def test_a_shortened_regional_day_closes_early_only_in_its_region(calendars):
    received = datetime(2025, 6, 5, 17, 30)  # Tatarstan's eve of Kurban Bayram
    assert calculate_registration(calendars["16"], received).day == date(2025, 6, 9)
    assert calculate_registration(calendars["56"], received).day == date(2025, 6, 5)


def test_the_issue_example_working_term_with_a_suspension(calendars):
    # given the request of the issue: 15 working days, suspended 12–16 January 2026
    inputs = DeadlineInputs(
        received=datetime(2025, 12, 25, 15, 0),
        term=15,
        kind=WORKING,
        suspensions=(Suspension(date(2026, 1, 12), date(2026, 1, 16), "documents requested"),),
    )
    # when
    deadline = calculate_due_date(calendars["56"], inputs)
    # then 26, 29, 30 Dec count; 31 Dec–11 Jan are off; 12–16 Jan are suspended; 19 Jan on
    assert deadline.registered_on == date(2025, 12, 25)
    assert deadline.due_date == date(2026, 2, 3)
    assert deadline.provisional is False
    explanation = deadline.as_dict()["explanation"]
    assert explanation["suspended_days"] == 5
    assert explanation["suspensions"][0]["stopped_days"] == 5
    skipped = [day["date"] for day in explanation["skipped_non_working_days"]]
    assert skipped[:4] == ["2025-12-27", "2025-12-28", "2025-12-31", "2026-01-01"]
    assert "2026-01-09" in skipped
    assert "2026-01-12" not in skipped  # suspended, not skipped
    assert explanation["registered_on_reason"] == "received_in_office_hours"
    assert explanation["lines"][-1] == "Due date: 2026-02-03."


def test_working_term_without_suspension(calendars):
    inputs = DeadlineInputs(datetime(2025, 12, 25, 15, 0), 15, WORKING)
    assert calculate_due_date(calendars["56"], inputs).due_date == date(2026, 1, 27)


def test_calendar_term_ending_on_a_holiday_moves_to_the_next_working_day(calendars):
    # given 10 calendar days from Monday 22 Dec 2025: the 10th day is 1 Jan 2026
    inputs = DeadlineInputs(datetime(2025, 12, 22, 10, 0), 10, CALENDAR)
    # when
    deadline = calculate_due_date(calendars["56"], inputs)
    # then it moves past the holidays, the 9 Jan transfer and the weekend (Civil Code art. 193)
    assert deadline.due_date == date(2026, 1, 12)
    data = deadline.as_dict()["explanation"]
    assert data["term_last_day"] == "2026-01-01"
    assert data["skipped_non_working_days"][0]["date"] == "2026-01-01"
    assert len(data["skipped_non_working_days"]) == 11


def test_calendar_term_on_a_working_day_stays(calendars):
    inputs = DeadlineInputs(datetime(2025, 3, 3, 10, 0), 30, CALENDAR)
    assert calculate_due_date(calendars["56"], inputs).due_date == date(2025, 4, 2)


def test_calendar_term_with_a_suspension(calendars):
    # 30 calendar days from 3 Mar 2025 end 2 Apr; 10 suspended days push it to 12 Apr, a Saturday
    inputs = DeadlineInputs(
        datetime(2025, 3, 3, 10, 0),
        30,
        CALENDAR,
        (Suspension(date(2025, 3, 10), date(2025, 3, 19)),),
    )
    deadline = calculate_due_date(calendars["56"], inputs)
    assert deadline.due_date == date(2025, 4, 14)
    assert deadline.explanation.suspended_days == 10


def test_extension_adds_days_of_the_term_kind(calendars):
    base = DeadlineInputs(datetime(2025, 3, 3, 10, 0), 10, WORKING)
    extended = DeadlineInputs(
        datetime(2025, 3, 3, 10, 0), 10, WORKING, extensions=(Extension(5, "interagency request"),)
    )
    assert calculate_due_date(calendars["56"], base).due_date == date(2025, 3, 17)
    deadline = calculate_due_date(calendars["56"], extended)
    assert deadline.due_date == date(2025, 3, 24)
    assert deadline.as_dict()["explanation"]["effective_term"] == 15
    assert "Extended by 5 working days: interagency request." in deadline.explanation.lines(
        deadline.due_date
    )


def test_regional_holiday_counts_only_in_its_region(calendars):
    # Republic Day of Tatarstan, Fri 30 Aug 2024, inside a 1-working-day term from Thursday
    inputs = DeadlineInputs(datetime(2024, 8, 29, 10, 0), 1, WORKING)
    assert calculate_due_date(calendars["16"], inputs).due_date == date(2024, 9, 2)
    assert calculate_due_date(calendars["56"], inputs).due_date == date(2024, 8, 30)


def test_a_term_crossing_a_provisional_year_says_so(calendars):
    inputs = DeadlineInputs(datetime(2026, 12, 1, 10, 0), 30, WORKING)
    deadline = calculate_due_date(calendars["56"], inputs)
    assert deadline.provisional is True
    assert deadline.explanation.provisional_years == (2027,)
    assert deadline.as_dict()["explanation"]["provisional_years"] == [2027]
    assert deadline.explanation.lines(deadline.due_date)[-1].startswith("Provisional:")


def test_explanation_says_why_registration_moved(calendars):
    inputs = DeadlineInputs(datetime(2025, 12, 25, 18, 30), 1, WORKING)
    deadline = calculate_due_date(calendars["56"], inputs)
    assert deadline.as_dict()["explanation"]["registered_on_reason"] == (
        "received_after_office_hours"
    )
    assert deadline.explanation.lines(deadline.due_date)[0] == (
        "Received 2025-12-25 18:30, at or after the office closed at 18:00; "
        "registered on the next working day, 2025-12-26."
    )


@pytest.mark.parametrize("term", [0, -1, -15])
def test_a_term_must_be_positive(calendars, term):
    with pytest.raises(TermNotPositive, match=f"not {term}"):
        calculate_due_date(calendars["56"], DeadlineInputs(datetime(2025, 3, 3, 10), term, WORKING))


def test_an_extension_must_be_positive(calendars):
    inputs = DeadlineInputs(datetime(2025, 3, 3, 10), 5, WORKING, extensions=(Extension(0, "x"),))
    with pytest.raises(ExtensionNotPositive):
        calculate_due_date(calendars["56"], inputs)


def test_a_suspension_cannot_end_before_it_starts(calendars):
    inputs = DeadlineInputs(
        datetime(2025, 3, 3, 10), 5, WORKING, (Suspension(date(2025, 3, 10), date(2025, 3, 9)),)
    )
    with pytest.raises(SuspensionEndsBeforeStart, match="2025-03-10 to 2025-03-09"):
        calculate_due_date(calendars["56"], inputs)


@pytest.mark.parametrize(
    "inputs",
    [
        DeadlineInputs(datetime(2023, 12, 29, 10), 5, WORKING),  # received before the data
        DeadlineInputs(datetime(2030, 12, 20, 10), 30, WORKING),  # due after the data
        DeadlineInputs(
            datetime(2025, 3, 3, 10), 5, WORKING, (Suspension(date(2025, 3, 4), date(2031, 1, 9)),)
        ),
    ],
    ids=["received", "due", "suspension"],
)
def test_a_date_outside_the_data_is_an_error(calendars, inputs):
    with pytest.raises(DateOutsideCalendar, match="outside the production calendar"):
        calculate_due_date(calendars["56"], inputs)
