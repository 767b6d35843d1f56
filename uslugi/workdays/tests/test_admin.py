"""Rows an administrator adds change the calendar at once, in every region they concern."""

from datetime import date

import pytest

from uslugi.core.models import AuditEvent
from uslugi.workdays import selectors, services
from uslugi.workdays.models import CalendarDay, CalendarYear, RegionCalendar
from uslugi.workdays.shipped import load_regions

pytestmark = pytest.mark.django_db

# Tuesday 1 July 2025: an ordinary working day everywhere.
DAY = date(2025, 7, 1)


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    return client


def test_seeded_regions_match_the_shipped_region_file():
    rows = {
        (r.code, r.name, r.name_en, r.time_zone, r.moves_weekend_holidays)
        for r in RegionCalendar.objects.all()
    }
    shipped_regions = {
        (r.code, r.name, r.name_en, r.time_zone, r.moves_weekend_holidays) for r in load_regions()
    }
    assert rows == shipped_regions


def test_a_regional_holiday_added_in_the_admin_changes_that_region_only(admin_client):
    # given calendars already read (and cached) in this process
    assert selectors.get_calendar("16").is_working(DAY)
    assert selectors.get_calendar("56").is_working(DAY)
    # when an administrator adds a Tatarstan holiday with its act
    response = admin_client.post(
        "/admin/workdays/calendarday/add/",
        {
            "region": "16",
            "date": DAY.isoformat(),
            "kind": "holiday",
            "act": "Указ Раиса РТ № 1 (test)",
            "note": "test holiday",
        },
    )
    # then
    assert response.status_code == 302
    calendar = selectors.get_calendar("16")
    assert not calendar.is_working(DAY)
    assert calendar.rows_of(DAY)[0].act == "Указ Раиса РТ № 1 (test)"
    assert selectors.get_calendar("56").is_working(DAY)
    event = AuditEvent.objects.get(verb="calendarday.created")
    assert event.actor.username == "admin"
    assert event.data["region"] == "16"
    assert event.data["date"] == DAY.isoformat()


def test_an_unknown_region_code_is_refused_in_the_admin(admin_client):
    response = admin_client.post(
        "/admin/workdays/calendarday/add/",
        {"region": "99", "date": DAY.isoformat(), "kind": "holiday", "act": "x"},
    )
    assert response.status_code == 200  # the form again, with the error
    assert CalendarDay.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_a_federal_row_changes_every_region_and_its_deletion_restores_them(admin_client):
    # given
    for code in ("56", "16", "02"):
        assert selectors.get_calendar(code).is_working(DAY)
    row = services.save_calendar_row(
        row=CalendarDay(region="RU", date=DAY, kind="transfer_dayoff", act="ПП (test)"), actor=None
    )
    assert all(not selectors.get_calendar(code).is_working(DAY) for code in ("56", "16", "02"))
    # when
    response = admin_client.post(f"/admin/workdays/calendarday/{row.pk}/delete/", {"post": "yes"})
    # then
    assert response.status_code == 302
    assert all(selectors.get_calendar(code).is_working(DAY) for code in ("56", "16", "02"))
    assert AuditEvent.objects.filter(verb="calendarday.deleted").count() == 1


def test_the_cache_is_reused_until_a_change():
    # given
    first = selectors.get_calendar("02")
    # then an unchanged calendar is not rebuilt
    assert selectors.get_calendar("02") is first
    # when a row of another region changes, this one is still not rebuilt
    services.save_calendar_row(
        row=CalendarDay(region="16", date=DAY, kind="holiday", act="x"), actor=None
    )
    assert selectors.get_calendar("02") is first
    # but a change to its own rules rebuilds it
    region = RegionCalendar.objects.get(code="02")
    region.office_closes = region.office_closes.replace(hour=17)
    services.save_region_calendar(region=region, actor=None, changed_fields=["office_closes"])
    rebuilt = selectors.get_calendar("02")
    assert rebuilt is not first
    assert rebuilt.office_closes_on(DAY).hour == 17


def test_a_year_marked_complete_in_the_admin_is_no_longer_provisional(admin_client):
    # given 2027, provisional in the shipped data
    assert not selectors.get_calendar("56").is_complete(2027)
    # when the decree for 2027 is recorded
    response = admin_client.post(
        "/admin/workdays/calendaryear/add/",
        {"region": "RU", "year": "2027", "complete": "on", "act": "ПП (test) 2027"},
    )
    # then Orenburg (federal days only) is complete; the republics still wait for their dates
    assert response.status_code == 302
    assert selectors.get_calendar("56").year_status(2027).acts == ("ПП (test) 2027",)
    assert not selectors.get_calendar("16").is_complete(2027)
    assert CalendarYear.objects.count() == 1
    assert AuditEvent.objects.filter(verb="calendaryear.created").count() == 1


def test_a_complete_year_stops_the_federal_weekend_rule(admin_client):
    # given 1 May 2027 is a Saturday: provisionally the day off moves to Monday 3 May
    assert not selectors.get_calendar("56").is_working(date(2027, 5, 3))
    # when the 2027 decree is recorded as complete (and it moved that day elsewhere)
    services.save_calendar_row(
        row=CalendarYear(region="RU", year=2027, complete=True, act="ПП (test)"), actor=None
    )
    # then the decree's rows, not the rule, decide
    assert selectors.get_calendar("56").is_working(date(2027, 5, 3))
