"""The version in force and its form analysis, kept per process because intake asks every time."""

from datetime import date, timedelta
from typing import Any

import pytest

from uslugi.constructor import engine, selectors
from uslugi.constructor.factories import VariantVersionFactory
from uslugi.constructor.models import VariantVersion, VersionStatus

pytestmark = pytest.mark.django_db


def published(**fields: Any) -> Any:
    return VariantVersionFactory(**{"published": True, "valid_from": date(2020, 1, 1), **fields})


def test_the_version_in_force_is_loaded_once_then_found_by_one_small_query(
    django_assert_num_queries: Any,
) -> None:
    # given
    version = published()
    service = version.variant.service
    first = selectors.version_in_force(service)
    # when it is asked for again
    with django_assert_num_queries(1):
        again = selectors.version_in_force(service)
    # then it is the same version with what intake reads, in a copy of its own
    assert again is not None
    assert first is not None
    assert again.pk == version.pk
    assert again is not first
    assert (again.term, again.agency, again.variant.service) == (10, service.agency, service)
    assert again.definition == version.definition
    assert again.definition is first.definition  # not decoded again


def test_a_newer_version_and_a_saved_one_are_seen_at_once() -> None:
    # given a version in force, asked for once
    old = published()
    service = old.variant.service
    assert selectors.version_in_force(service).pk == old.pk
    # when a second version is published and the first closed, behind the cache's back
    newer = published(variant=old.variant, number=2, based_on=old.based_on, term=7)
    VariantVersion.objects.filter(pk=old.pk).update(valid_to=date.today() - timedelta(days=1))
    # then the newer one is in force
    found = selectors.version_in_force(service)
    assert found is not None
    assert (found.pk, found.term) == (newer.pk, 7)


def test_a_published_versions_analysis_is_worked_out_once_a_drafts_every_time() -> None:
    # given
    version = published()
    draft = VariantVersionFactory(
        variant=version.variant, number=2, based_on=version.based_on, status=VersionStatus.DRAFT
    )
    # then
    analysis = selectors.analysis_of(version)
    assert selectors.analysis_of(selectors.version_in_force(version.variant.service)) is analysis
    assert selectors.analysis_of(draft) is not selectors.analysis_of(draft)
    assert analysis == engine.analyse(version.definition)
    assert [step.title for step in analysis.steps] == [
        step.title for step in engine.steps_of(version.definition)
    ]


DAY = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("first", "second", "in_force"),
    [
        ({"valid_from": DAY}, None, 1),
        ({"valid_from": DAY + timedelta(days=1)}, None, None),
        ({"valid_to": DAY}, None, 1),
        ({"valid_to": DAY - timedelta(days=1)}, None, None),
        ({"status": VersionStatus.DRAFT}, None, None),
        ({}, {}, 2),
        ({}, {"valid_from": DAY + timedelta(days=1)}, 1),
        ({}, {"status": VersionStatus.DRAFT}, 1),
    ],
)
def test_the_version_in_force_is_the_highest_published_one_valid_on_the_day(
    first: dict[str, Any], second: dict[str, Any] | None, in_force: int | None
) -> None:
    # given a variant's versions (valid from 1 January 2020 unless said otherwise), and another
    # service's version in force
    version = published(**first)
    if second is not None:
        published(variant=version.variant, number=2, based_on=version.based_on, **second)
    published(number=3)
    # when the version in force on the day is asked for
    found = selectors.version_in_force(version.variant.service, on=DAY)
    # then it is the expected number of this service's, or none
    assert (found.number if found else None) == in_force
