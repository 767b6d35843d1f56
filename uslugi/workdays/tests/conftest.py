from functools import cache
from typing import Any

import pytest

from uslugi.workdays import selectors
from uslugi.workdays.calendar import ProductionCalendar
from uslugi.workdays.shipped import shipped_calendars


@cache
def shipped() -> dict[str, ProductionCalendar]:
    """The three regions' calendars from the shipped data alone (no database)."""
    return shipped_calendars()


@pytest.fixture
def calendars() -> dict[str, ProductionCalendar]:
    return shipped()


@pytest.fixture(autouse=True)
def _english_and_fresh_cache(settings: Any) -> None:
    # Source strings are English; Russian comes from locale/, which these tests do not test.
    settings.LANGUAGE_CODE = "en"
    selectors.clear_cache()
