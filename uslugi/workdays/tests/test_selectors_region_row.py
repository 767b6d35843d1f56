from datetime import date

import pytest

from uslugi.workdays import selectors
from uslugi.workdays.errors import UnknownRegion
from uslugi.workdays.models import RegionCalendar

pytestmark = pytest.mark.django_db


def test_a_shipped_region_whose_row_is_missing_is_recreated_from_the_shipped_file() -> None:
    # given the reference rows are gone (a flushed database)
    RegionCalendar.objects.all().delete()
    # when
    region = selectors.get_region_calendar("02")
    # then
    assert (region.code, region.time_zone, region.moves_weekend_holidays) == (
        "02",
        "Asia/Yekaterinburg",
        True,
    )
    assert selectors.get_calendar("02").is_working(date(2024, 10, 11)) is False  # Republic Day


def test_a_code_the_shipped_file_does_not_know_stays_unknown() -> None:
    with pytest.raises(UnknownRegion):
        selectors.get_region_calendar("99")
    assert not RegionCalendar.objects.filter(code="99").exists()
