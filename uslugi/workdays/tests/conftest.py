from functools import cache

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
def _english_and_fresh_cache(settings: object) -> None:
    settings.LANGUAGE_CODE = "en"  # type: ignore[attr-defined]
    selectors.clear_cache()
