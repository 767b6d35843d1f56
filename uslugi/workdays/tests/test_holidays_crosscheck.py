"""The federal part of the calendar against the `holidays` package for every year both cover."""

from datetime import date, timedelta

import holidays
import pytest

from uslugi.workdays.calendar import FEDERAL

# The package has the decrees' transfers for these years; for a year without a decree it quietly
# returns only the statutory days (BRIEF §7), so later years are not compared.
YEARS = [2024, 2025, 2026]


@pytest.mark.parametrize("year", YEARS)
def test_federal_non_working_days_equal_the_holidays_package(calendars, year):
    # given the package's holidays, weekends and working weekend days for Russia
    package = holidays.country_holidays(FEDERAL, years=year)
    days = [date(year, 1, 1) + timedelta(days=i) for i in range(366 if year % 4 == 0 else 365)]
    expected = {
        day
        for day in days
        if (day in package or day.weekday() >= 5) and day not in package.weekend_workdays
    }
    # when Orenburg's calendar (federal days only) is asked
    ours = set(calendars["56"].summarize_year(year).non_working)
    # then they agree day for day
    assert ours - expected == set()
    assert expected - ours == set()
