"""The demo: eleven published templates (ten services, one control function), three variants
each."""

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps

from uslugi.catalogue import selectors as catalogue_selectors
from uslugi.catalogue.demo import load_demo as load_catalogue
from uslugi.constructor import services
from uslugi.constructor.demo import load_demo
from uslugi.constructor.models import FederalTemplate, VariantVersion, VersionStatus

pytestmark = pytest.mark.django_db

TERMS = {
    "veteran_truda_fed": {"56": 15, "16": 10, "02": 12},
    "attest_ped": {"56": 45, "16": 60, "02": 90},
    "pensiya_star": {"56": 10, "16": 10, "02": 8},
    "mnogodet_udost": {"56": 10, "16": 7, "02": 10},
    "ediny_posobie": {"56": 10, "16": 10, "02": 10},
    "prof_visit_housing": {"56": 10, "16": 7, "02": 10},
    "reg_rozhd": {"56": 1, "16": 1, "02": 1},
    "posobie_rozhd": {"56": 10, "16": 10, "02": 10},
    "matcap_cert": {"56": 5, "16": 5, "02": 5},
    "dou": {"56": 7, "16": 5, "02": 7},
    "reg_ip": {"56": 3, "16": 3, "02": 3},
}


@pytest.fixture(autouse=True)
def demo() -> Iterator[dict[str, int]]:
    with time_machine.travel(datetime(2025, 6, 2, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))):
        load_catalogue()
        yield load_demo()


def counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def published_variants() -> list[VariantVersion]:
    return list(
        VariantVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related(
            "variant__template", "variant__region", "variant__service", "based_on"
        )
    )


def test_eleven_templates_and_thirty_three_variants_are_published(demo: dict[str, int]) -> None:
    # then
    assert demo == {"templates": 11, "variants": 33}
    templates = FederalTemplate.objects.prefetch_related("versions")
    assert {template.code for template in templates} == set(TERMS)
    for template in templates:
        [version] = template.versions.all()
        assert (version.status, version.valid_from, version.valid_to) == (
            VersionStatus.PUBLISHED,
            date(2025, 1, 1),
            None,
        )
    assert not VariantVersion.objects.filter(status=VersionStatus.DRAFT).exists()
    assert {
        (version.variant.template.code, version.variant.region.code): version.term
        for version in published_variants()
    } == {(code, region): term for code, terms in TERMS.items() for region, term in terms.items()}


def test_every_published_variant_passes_the_compliance_check() -> None:
    # when
    problems = {
        str(version): services.check_variant_version(version) for version in published_variants()
    }
    # then
    assert problems == {name: [] for name in problems}
    assert len(problems) == 33


def test_variants_of_one_template_differ_and_each_adds_a_local_block() -> None:
    # given
    by_template: dict[str, list[VariantVersion]] = {}
    for version in published_variants():
        by_template.setdefault(version.variant.template.code, []).append(version)
    # then
    for code, versions in by_template.items():
        assert len({version.agency_id for version in versions}) == 3, code
        assert len({version.curator_id for version in versions}) == 3, code
        local_keys = [
            [block["key"] for block in version.definition["blocks"] if block["binding"] == "local"]
            for version in versions
        ]
        assert all(len(keys) == 1 for keys in local_keys), code
        assert len({keys[0] for keys in local_keys}) == 3, code


def test_the_catalogue_promises_what_each_variant_publishes() -> None:
    # given
    service = catalogue_selectors.get_service(region_code="16", code="veteran_truda_fed")
    # when
    standard = catalogue_selectors.standard_in_force(service)
    # then
    assert standard is not None
    assert (standard.term, standard.term_kind, standard.max_visits) == (10, "working", 1)
    assert standard.applicant_documents == ["Паспорт", "Документы о награждении"]
    assert standard.interagency_documents == ["Сведения о трудовом стаже"]
    assert (standard.channel_portal, standard.channel_mfc, standard.channel_in_person) == (
        True,
        True,
        True,
    )


def test_running_the_loader_twice_changes_nothing() -> None:
    # given
    before = counts()
    # when
    created = load_demo()
    # then
    assert created == {"templates": 0, "variants": 0}
    assert counts() == before


def test_the_life_situations_services_share_the_keys_of_the_facts_they_ask() -> None:
    # given
    applicant = {"last_name", "first_name", "middle_name", "birth_date", "snils", "phone"}
    child = {"child_last_name", "child_first_name", "child_birth_date"}
    # when
    keys = {
        version.variant.template.code: {block["key"] for block in version.definition["blocks"]}
        for version in published_variants()
        if version.variant.region.code == "56"
    }
    # then
    for code in ("reg_rozhd", "posobie_rozhd", "matcap_cert", "dou"):
        assert applicant | child <= keys[code], code
    assert {"child_middle_name", "child_sex", "parent_snils"} <= keys["reg_rozhd"]
    assert "parent_snils" in keys["posobie_rozhd"]
    assert "child_snils" in keys["matcap_cert"]
    assert {"child_middle_name", "desired_date"} <= keys["dou"]
    assert applicant | {"inn_person", "tax_regime"} <= keys["reg_ip"]


def test_the_catalogue_follows_the_new_variants_terms_and_proactivity() -> None:
    # given
    kindergarten = catalogue_selectors.get_service(region_code="02", code="dou")
    certificate = catalogue_selectors.get_service(region_code="16", code="matcap_cert")
    birth = catalogue_selectors.get_service(region_code="56", code="reg_rozhd")
    # when
    standards = [
        catalogue_selectors.standard_in_force(service)
        for service in (kindergarten, certificate, birth)
    ]
    # then
    assert [(standard.term, standard.term_kind) for standard in standards if standard] == [
        (7, "working"),
        (5, "working"),
        (1, "working"),
    ]
    assert standards[1] is not None
    assert standards[1].proactive
    assert standards[1].applicant_documents == []
