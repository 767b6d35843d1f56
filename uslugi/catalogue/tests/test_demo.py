import pytest
from django.apps import apps
from django.core.management import call_command

from uslugi.catalogue import selectors
from uslugi.catalogue.demo import load_demo
from uslugi.catalogue.models import Region, Service, ServiceKind

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_demo_loads_three_regions_with_services_standards_and_curators() -> None:
    # when
    call_command("load_demo", verbosity=0)
    # then
    assert set(Region.objects.values_list("code", flat=True)) == {"56", "16", "02"}
    assert Service.objects.filter(region__code="56").count() >= 30
    assert Service.objects.filter(kind=ServiceKind.CONTROL_FUNCTION).count() == 6
    assert Service.objects.filter(kind=ServiceKind.SUPPORT_MEASURE).exists()
    for service in selectors.list_services():
        assert selectors.standard_in_force(service) is not None, service
        assert selectors.curators_in_force(service), service
    for service in selectors.list_services():
        for assignment in selectors.curators_in_force(service):
            assert assignment.curator.is_demo


def test_demo_keeps_sourced_terms_and_orenburg_history() -> None:
    load_demo()
    veteran = selectors.get_service(region_code="56", code="veteran_truda_orb")
    standard = selectors.standard_in_force(veteran)
    assert standard is not None
    assert (standard.term, standard.term_kind, standard.version) == (15, "working", 2)
    first = veteran.standards.get(version=1)
    assert (first.term, first.term_kind) == (37, "working")
    pension = selectors.standard_in_force(
        selectors.get_service(region_code="16", code="pensiya_star")
    )
    assert pension is not None
    assert (pension.term, pension.term_kind) == (10, "working")
    assert "Орская газета" in veteran.source


def test_running_the_demo_loader_twice_changes_nothing() -> None:
    # given
    load_demo()
    before = _counts()
    # when
    created = load_demo()
    # then
    assert set(created.values()) == {0}
    assert _counts() == before
