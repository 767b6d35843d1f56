"""The population generator (bulk insert), the proactive scan command and the daily 60th
birthdays."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from uslugi.applications.models import Notification
from uslugi.catalogue.factories import RegionFactory
from uslugi.support import services
from uslugi.support.factories import CitizenProfileFactory, ParameterFactory, published_measure
from uslugi.support.models import CitizenProfile, EventKind, Offer, PopulationEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions() -> None:
    for code, name in (("56", "Оренбургская область"), ("16", "Татарстан"), ("02", "Башкортостан")):
        RegionFactory(code=code, name=name)


def test_generate_population_inserts_realistic_people_in_bulk(regions: None) -> None:
    # when 500 people are generated
    call_command("generate_population", count=500, seed=9, stdout=None)

    # then 500 registry rows exist across the three regions, with families
    people = CitizenProfile.objects.filter(person_number__startswith="GEN-9-")
    assert people.count() == 500
    assert set(people.values_list("region__code", flat=True)) == {"56", "16", "02"}
    assert people.exclude(children=[]).exclude(children=None).exists()
    assert people.filter(birth_date__lte=date(1966, 1, 1)).exists()

    # and the same seed again is refused, adding nothing
    with pytest.raises(CommandError):
        call_command("generate_population", count=500, seed=9)
    assert CitizenProfile.objects.count() == 500


def test_scan_offers_command_for_an_event(regions: None) -> None:
    # given a measure and a person without children
    region = RegionFactory(code="56")
    ParameterFactory(region=region)
    published_measure(region=region)
    person = CitizenProfileFactory(region=region, person_number="P-1")

    # when the birth of a child is registered through the command
    call_command(
        "scan_offers",
        event="birth_registered",
        person="P-1",
        date="2026-03-02",
        birth_date="2026-02-28",
    )

    # then the offer exists and was notified once
    assert Offer.objects.get().profile == person
    assert Notification.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("scan_offers", event="birth_registered", person="nobody")


def test_sixtieth_birthdays_are_registered_once() -> None:
    # given one person turning 60 today and one not
    today = date(2026, 3, 2)
    turning = CitizenProfileFactory(birth_date=date(1966, 3, 2))
    CitizenProfileFactory(birth_date=date(1966, 3, 3))

    # when the daily job runs twice
    first = services.register_sixtieth_birthdays(day=today)
    second = services.register_sixtieth_birthdays(day=today)

    # then one event is registered, for the right person
    assert (first, second) == (1, 0)
    event = PopulationEvent.objects.get()
    assert (event.profile, event.kind) == (turning, EventKind.SIXTIETH_BIRTHDAY)
    assert event.scanned_at is not None
    assert Decimal(turning.annual_income) == Decimal("0")
