from datetime import date

import pytest

from uslugi.catalogue import selectors
from uslugi.catalogue.factories import (
    AgencyFactory,
    CuratorAssignmentFactory,
    QualityStandardFactory,
    RegionFactory,
    ServiceFactory,
)
from uslugi.catalogue.models import Channel, Level, ServiceKind
from uslugi.catalogue.search import normalize
from uslugi.catalogue.selectors import ServiceFilter

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ветеран Труда", "ветеран труда"),
        ("  «Ёлка»,   ЗАГС!", "елка загс"),
        ("", ""),
    ],
)
def test_normalize_folds_case_yo_and_punctuation(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_search_finds_cyrillic_words_regardless_of_case() -> None:
    # given
    veteran = ServiceFactory(name="Присвоение звания «Ветеран труда»")
    ServiceFactory(name="Выдача паспорта")
    # when
    found = list(selectors.list_services(ServiceFilter(query="ветеран")))
    # then
    assert found == [veteran]


def test_search_requires_every_word() -> None:
    ServiceFactory(name="Ветеран труда")
    both = ServiceFactory(name="Ветеран труда области")
    assert list(selectors.list_services(ServiceFilter(query="ОБЛАСТИ ветеран"))) == [both]


def test_filters_by_region_kind_level_and_agency() -> None:
    # given
    tatarstan = RegionFactory(code="16", name="Республика Татарстан", time_zone="Europe/Moscow")
    agency = AgencyFactory()
    wanted = ServiceFactory(
        agency=agency, region=agency.region, kind=ServiceKind.SUPPORT_MEASURE, level=Level.FEDERAL
    )
    ServiceFactory(
        agency=agency, region=agency.region, kind=ServiceKind.SERVICE, level=Level.FEDERAL
    )
    ServiceFactory(region=tatarstan, kind=ServiceKind.SUPPORT_MEASURE, level=Level.FEDERAL)
    # when
    found = list(
        selectors.list_services(
            ServiceFilter(
                region=agency.region,
                kind=ServiceKind.SUPPORT_MEASURE,
                level=Level.FEDERAL,
                agency=agency,
            )
        )
    )
    # then
    assert found == [wanted]


def test_channel_and_online_filters_read_the_standard_in_force() -> None:
    # given a service online only since a second version, and one never online
    later_online = ServiceFactory()
    QualityStandardFactory(
        service=later_online,
        version=1,
        valid_from=date(2025, 1, 1),
        valid_to=date(2025, 6, 30),
        channel_portal=False,
    )
    QualityStandardFactory(
        service=later_online, version=2, valid_from=date(2025, 7, 1), channel_portal=True
    )
    offline = ServiceFactory()
    QualityStandardFactory(service=offline, channel_portal=False, channel_mail=True)
    # when
    online_in_may = list(selectors.list_services(ServiceFilter(online=True), on=date(2025, 5, 1)))
    online_in_july = list(selectors.list_services(ServiceFilter(online=True), on=date(2025, 7, 1)))
    by_mail = list(
        selectors.list_services(ServiceFilter(channel=Channel.MAIL), on=date(2025, 7, 1))
    )
    # then
    assert online_in_may == []
    assert online_in_july == [later_online]
    assert by_mail == [offline]


def test_standard_and_curator_in_force_follow_their_windows() -> None:
    # given
    service = ServiceFactory()
    old = QualityStandardFactory(
        service=service,
        version=1,
        valid_from=date(2024, 1, 1),
        valid_to=date(2024, 12, 31),
        term=37,
    )
    new = QualityStandardFactory(service=service, version=2, valid_from=date(2025, 1, 1), term=15)
    former = CuratorAssignmentFactory(service=service, starts_on=date(2024, 1, 1))
    former.ends_on = date(2024, 12, 31)
    former.save()
    current = CuratorAssignmentFactory(
        service=service, starts_on=date(2025, 1, 1), curator__last_name="Ковалёв"
    )
    # when
    in_2024 = selectors.get_service(
        region_code=service.region.code, code=service.code, on=date(2024, 6, 1)
    )
    in_2025 = selectors.get_service(
        region_code=service.region.code, code=service.code, on=date(2025, 6, 1)
    )
    # then
    assert selectors.standard_in_force(in_2024) == old
    assert selectors.standard_in_force(in_2025) == new
    assert selectors.curators_in_force(in_2024) == [former]
    assert selectors.curators_in_force(in_2025) == [current]


def test_service_list_query_count_does_not_grow_with_rows(django_assert_num_queries) -> None:
    # given
    for _ in range(5):
        CuratorAssignmentFactory(service=QualityStandardFactory().service)
    # when / then: services, standards, curators — three queries whatever the number of rows
    with django_assert_num_queries(3):
        services = list(selectors.list_services())
        for service in services:
            selectors.standard_in_force(service)
            for assignment in selectors.curators_in_force(service):
                assert assignment.curator.agency.name


def test_unknown_codes_raise_not_found() -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.get_region("99")
    with pytest.raises(Http404):
        selectors.get_agency("nope")
    with pytest.raises(Http404):
        selectors.get_service(region_code="56", code="nope")
