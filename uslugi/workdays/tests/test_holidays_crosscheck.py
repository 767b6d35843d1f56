"""The federal part of the calendar against the `holidays` package for every year both cover."""

from datetime import date, timedelta

import holidays
import pytest

from uslugi.workdays.calendar import FEDERAL

# The years whose decree both the package and our data have. For a year without a decree in the
# package it returns only the statutory days, without the Labour Code's weekend rule (BRIEF §7).
YEARS = [2024, 2025, 2026]
PROVISIONAL_YEARS = [2027, 2028, 2029, 2030]


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


@pytest.mark.parametrize("year", PROVISIONAL_YEARS)
def test_provisional_years_keep_every_statutory_holiday_the_package_names(calendars, year):
    # given the package's statutory holidays (its decree transfers, named "substituted", aside:
    # holidays 0.109 already has a 2027 decree that our data does not, hence "provisional")
    package = holidays.country_holidays(FEDERAL, years=year)
    statutory = {day for day, name in package.items() if "substituted" not in name}
    # then each of them is a day off in our provisional year
    assert statutory <= set(calendars["56"].summarize_year(year).non_working)
