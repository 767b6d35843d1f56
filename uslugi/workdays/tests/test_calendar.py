"""Table tests of the production calendar: every transfer and working Saturday of 2024–2026, the
regional days of Tatarstan and Bashkortostan and the two republics' different weekend rules."""

from datetime import date, time

import pytest

from uslugi.workdays.calendar import DayStatus
from uslugi.workdays.errors import DateOutsideCalendar

REGIONS = ["56", "16", "02"]

# Government decrees № 1314 (2024), № 1335 (2025) and of 24.09.2025 (2026): days off moved here.
FEDERAL_TRANSFERS = [
    date(2024, 4, 29),
    date(2024, 4, 30),
    date(2024, 5, 10),
    date(2024, 12, 30),
    date(2024, 12, 31),
    date(2025, 5, 2),
    date(2025, 5, 8),
    date(2025, 6, 13),
    date(2025, 11, 3),
    date(2025, 12, 31),
    date(2026, 1, 9),
    date(2026, 3, 9),
    date(2026, 5, 11),
    date(2026, 12, 31),
]
WORKING_SATURDAYS = [date(2024, 4, 27), date(2024, 11, 2), date(2024, 12, 28), date(2025, 11, 1)]


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("day", FEDERAL_TRANSFERS, ids=str)
def test_federal_transfer_is_a_day_off_in_every_region(calendars, region, day):
    # given a weekday the decree made a day off
    calendar = calendars[region]
    # when / then
    assert day.weekday() < 5
    assert not calendar.is_working(day)
    assert calendar.status(day) == DayStatus.TRANSFER_DAYOFF


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("day", WORKING_SATURDAYS, ids=str)
def test_working_saturday_is_working_in_every_region(calendars, region, day):
    calendar = calendars[region]
    assert day.weekday() == 5
    assert calendar.is_working(day)
    assert calendar.status(day) in {DayStatus.WORKING_WEEKEND}


def test_2026_has_no_working_weekend_day(calendars):
    # given the 2026 decree, which creates no working Saturday
    summary = calendars["56"].summarize_year(2026)
    # then
    assert summary.working_weekends == ()


@pytest.mark.parametrize(
    ("day", "shortened"),
    [
        (date(2024, 11, 2), True),
        (date(2024, 4, 27), False),
        (date(2024, 12, 28), False),
        (date(2025, 11, 1), True),
    ],
    ids=str,
)
def test_working_saturday_shortened_as_the_data_says(calendars, day, shortened):
    calendar = calendars["56"]
    assert calendar.is_shortened(day) is shortened
    assert calendar.office_closes_on(day) == (time(17) if shortened else time(18))


@pytest.mark.parametrize(
    "day",
    # 23 Feb and 8 Mar 2025 fell on a weekend; the decree moved those days off to 8 May and
    # 13 June instead of the Mondays after them.
    [date(2025, 2, 24), date(2025, 3, 10)],
    ids=str,
)
def test_in_a_complete_year_the_decree_not_the_weekend_rule_places_federal_days_off(calendars, day):
    assert calendars["56"].is_working(day)


@pytest.mark.parametrize(("year", "working_days"), [(2024, 248), (2025, 247), (2026, 247)])
def test_federal_working_day_count_matches_the_decrees(calendars, year, working_days):
    # BRIEF §7: 248 (2024), 247 (2025), 247 (2026); Orenburg has federal days only.
    assert calendars["56"].working_day_count(year) == working_days


TATARSTAN_HOLIDAYS = [
    date(2024, 4, 10),  # Uraza Bayram
    date(2024, 6, 16),  # Kurban Bayram, Sunday
    date(2024, 8, 30),  # Republic Day
    date(2024, 11, 6),  # Constitution Day
    date(2025, 3, 30),  # Uraza Bayram, Sunday
    date(2025, 6, 6),  # Kurban Bayram
    date(2025, 8, 30),  # Republic Day, Saturday
    date(2025, 11, 6),
    date(2026, 3, 20),
    date(2026, 5, 27),
    date(2026, 8, 30),  # Sunday
    date(2026, 11, 6),
]
BASHKORTOSTAN_HOLIDAYS = [
    date(2024, 4, 10),
    date(2024, 6, 16),  # Sunday
    date(2024, 10, 11),
    date(2025, 3, 30),  # Sunday
    date(2025, 6, 6),
    date(2025, 10, 11),  # Saturday
    date(2026, 3, 20),
    date(2026, 5, 27),
    date(2026, 10, 11),  # Sunday
]


@pytest.mark.parametrize("day", TATARSTAN_HOLIDAYS, ids=str)
def test_tatarstan_regional_holiday(calendars, day):
    assert calendars["16"].status(day) == DayStatus.HOLIDAY
    assert not calendars["16"].is_working(day)
    # a regional day is not a federal one
    assert calendars["56"].is_working(day) is (day.weekday() < 5)


@pytest.mark.parametrize("day", BASHKORTOSTAN_HOLIDAYS, ids=str)
def test_bashkortostan_regional_holiday(calendars, day):
    assert calendars["02"].status(day) == DayStatus.HOLIDAY
    assert not calendars["02"].is_working(day)
    assert calendars["56"].is_working(day) is (day.weekday() < 5)


@pytest.mark.parametrize(
    ("holiday", "next_monday"),
    [
        (date(2024, 6, 16), date(2024, 6, 17)),  # Kurban Bayram on a Sunday
        (date(2025, 3, 30), date(2025, 3, 31)),  # Uraza Bayram on a Sunday
        (date(2026, 10, 11), date(2026, 10, 12)),  # Republic Day on a Sunday
        (date(2025, 10, 11), date(2025, 10, 13)),  # Republic Day on a Saturday
    ],
    ids=str,
)
def test_weekend_holiday_moves_in_bashkortostan_but_not_in_tatarstan(
    calendars, holiday, next_monday
):
    # given a republican holiday on a weekend
    assert holiday.weekday() >= 5
    # then Bashkortostan rests on the next working day
    assert calendars["02"].status(next_monday) == DayStatus.TRANSFER_DAYOFF
    # and neither Orenburg (no such holiday) nor Tatarstan (no move since 2017) does
    assert calendars["56"].is_working(next_monday)
    assert calendars["16"].is_working(next_monday)


@pytest.mark.parametrize(
    "day_after", [date(2025, 9, 1), date(2026, 8, 31)], ids=str
)  # Republic Day 30 Aug on a Saturday / Sunday
def test_tatarstan_does_not_move_a_weekend_republic_day(calendars, day_after):
    assert calendars["16"].is_working(day_after)


@pytest.mark.parametrize(
    ("region", "day"),
    [("16", date(2025, 6, 5)), ("16", date(2026, 3, 19)), ("02", date(2025, 10, 10))],
    ids=str,
)
def test_regional_pre_holiday_day_is_shortened_only_in_its_region(calendars, region, day):
    assert calendars[region].office_closes_on(day) == time(17)
    assert calendars["56"].office_closes_on(day) == time(18)


@pytest.mark.parametrize("region", REGIONS)
def test_years_with_decrees_are_complete_and_later_ones_provisional(calendars, region):
    calendar = calendars[region]
    assert [calendar.is_complete(year) for year in range(2024, 2031)] == [True] * 3 + [False] * 4


def test_provisional_year_has_statutory_holidays_and_the_weekend_rule(calendars):
    # given 2027, whose decree is not in: 1 May is a Saturday, 9 May a Sunday, 2–3 Jan a weekend
    calendar = calendars["56"]
    # then the statutory days are off, May days move to Monday, January days do not move
    assert not calendar.is_working(date(2027, 1, 8))
    assert not calendar.is_working(date(2027, 2, 23))
    assert calendar.status(date(2027, 5, 3)) == DayStatus.TRANSFER_DAYOFF
    assert calendar.status(date(2027, 5, 10)) == DayStatus.TRANSFER_DAYOFF
    assert calendar.is_working(date(2027, 1, 11))
    # and the working day before a holiday is one hour shorter (Labour Code art. 95)
    assert calendar.office_closes_on(date(2027, 11, 3)) == time(17)


def test_provisional_regional_fixed_date_holidays(calendars):
    assert not calendars["16"].is_working(date(2027, 8, 30))
    assert not calendars["02"].is_working(date(2027, 10, 11))
    assert calendars["56"].is_working(date(2027, 8, 30))


@pytest.mark.parametrize("day", [date(2023, 12, 31), date(2031, 1, 1)], ids=str)
def test_a_day_outside_the_data_is_an_error(calendars, day):
    with pytest.raises(DateOutsideCalendar, match=day.isoformat()):
        calendars["56"].is_working(day)


def test_year_summary_shape(calendars):
    summary = calendars["16"].summarize_year(2025).as_dict()
    assert summary["region"] == "16"
    assert summary["year"] == 2025
    assert summary["complete"] is True
    assert "2025-08-30" in summary["non_working"]
    assert summary["working_weekends"] == ["2025-11-01"]
    assert summary["shortened"] == [
        "2025-03-07",
        "2025-04-30",
        "2025-06-05",
        "2025-06-11",
        "2025-11-01",
    ]
    assert len(summary["non_working"]) == 365 - 245
