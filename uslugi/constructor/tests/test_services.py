"""The constructor's services: publishing with validity windows, the catalogue's standard following
a published variant, optimistic locking, drafts and rebasing onto a new template version."""

import copy
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from uslugi.catalogue import selectors as catalogue_selectors
from uslugi.catalogue.factories import (
    CuratorAssignmentFactory,
    CuratorFactory,
    QualityStandardFactory,
    ServiceFactory,
)
from uslugi.catalogue.models import QualityStandard
from uslugi.constructor import services
from uslugi.constructor.demo import field
from uslugi.constructor.factories import (
    TemplateVersionFactory,
    VariantVersionFactory,
    template_definition,
)
from uslugi.constructor.models import (
    FederalTemplate,
    RegionalVariant,
    TemplateVersion,
    VariantVersion,
    VersionStatus,
)
from uslugi.core.models import AuditEvent

pytestmark = pytest.mark.django_db

MOSCOW = ZoneInfo("Europe/Moscow")
TODAY = date(2025, 3, 3)
STANDARD = {
    "max_term": 15,
    "term_kind": "working",
    "max_applicant_documents": 2,
    "max_visits": 1,
    "required_channels": ["portal", "mfc"],
}


@pytest.fixture(autouse=True)
def _frozen_and_english() -> Iterator[None]:
    with (
        time_machine.travel(datetime(2025, 3, 3, 10, 0, tzinfo=MOSCOW), tick=False),
        translation.override("en"),
    ):
        yield


def verbs() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))


def rows() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (FederalTemplate, TemplateVersion, RegionalVariant, VariantVersion)
    }


def with_local_block(definition: dict[str, Any]) -> dict[str, Any]:
    """The definition with a local yes/no field right after the "regional" extension point."""
    result = copy.deepcopy(definition)
    blocks = result["blocks"]
    index = next(i for i, block in enumerate(blocks) if block["key"] == "regional")
    blocks.insert(
        index + 1, field("club", "yes_no", "Club member?", binding="local", overridable=())
    )
    return result


# Templates ------------------------------------------------------------------------------------


def test_creating_a_template_gives_its_first_draft() -> None:
    # when
    version = services.create_template(
        actor=None, code="pension", name="Pension", definition=template_definition(), **STANDARD
    )
    # then
    assert (version.template.code, version.number, version.status) == (
        "pension",
        1,
        VersionStatus.DRAFT,
    )
    assert version.definition == template_definition()
    assert (version.max_term, version.required_channels) == (15, ["portal", "mfc"])
    assert verbs() == ["template.created"]


def test_publishing_a_template_sets_its_validity_window() -> None:
    # given
    draft = services.create_template(
        actor=None, code="pension", name="Pension", definition=template_definition(), **STANDARD
    )
    # when
    published = services.publish_template(version=draft, actor=None)
    # then
    published.refresh_from_db()
    assert (published.status, published.valid_from, published.valid_to) == (
        VersionStatus.PUBLISHED,
        TODAY,
        None,
    )
    assert published.published_at == datetime(2025, 3, 3, 10, 0, tzinfo=MOSCOW)
    assert verbs() == ["template.created", "template.published"]


def test_publishing_the_second_template_version_closes_the_first_the_day_before() -> None:
    # given
    first = services.create_template(
        actor=None, code="pension", name="Pension", definition=template_definition(), **STANDARD
    )
    services.publish_template(version=first, actor=None, valid_from=date(2025, 1, 1))
    second = services.start_template_draft(template=first.template, actor=None)
    # when
    services.publish_template(version=second, actor=None, valid_from=date(2025, 6, 1))
    # then
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.number == 2
    assert (first.valid_from, first.valid_to) == (date(2025, 1, 1), date(2025, 5, 31))
    assert (second.valid_from, second.valid_to) == (date(2025, 6, 1), None)


def test_a_template_with_a_broken_condition_is_not_published() -> None:
    # given
    definition = template_definition()
    definition["blocks"][1]["condition"] = "nobody"
    draft = services.create_template(
        actor=None, code="pension", name="Pension", definition=definition, **STANDARD
    )
    # when
    with pytest.raises(services.NotCompliant) as refusal:
        services.publish_template(version=draft, actor=None)
    # then nothing changed
    assert [(p.code, p.block_key) for p in refusal.value.problems] == [
        ("invalid_condition", "full_name")
    ]
    draft.refresh_from_db()
    assert (draft.status, draft.valid_from) == (VersionStatus.DRAFT, None)
    assert verbs() == ["template.created"]


def test_a_template_draft_cannot_be_started_twice() -> None:
    # given
    version = TemplateVersionFactory(published=True)
    services.start_template_draft(template=version.template, actor=None)
    before = rows()
    # when
    with pytest.raises(services.DraftExists):
        services.start_template_draft(template=version.template, actor=None)
    # then
    assert rows() == before


# Publishing a variant -------------------------------------------------------------------------


def test_publishing_a_compliant_variant_revises_the_catalogue_standard() -> None:
    # given a service whose standard in force promises 15 working days and three channels
    standard = QualityStandardFactory(valid_from=date(2025, 1, 1), term=15)
    draft = VariantVersionFactory(
        variant__service=standard.service,
        variant__region=standard.service.region,
        term=10,
        visits=0,
        channels=["mfc", "portal"],
    )
    # when
    published = services.publish_variant(version=draft, actor=None)
    # then
    published.refresh_from_db()
    assert (published.status, published.valid_from, published.valid_to) == (
        VersionStatus.PUBLISHED,
        TODAY,
        None,
    )
    revised = catalogue_selectors.standard_in_force(standard.service)
    assert revised is not None
    assert (revised.version, revised.valid_from, revised.term, revised.term_kind) == (
        2,
        TODAY,
        10,
        "working",
    )
    assert (revised.applicant_documents, revised.interagency_documents) == (
        ["Passport"],
        ["Income statement"],
    )
    assert revised.max_visits == 0
    assert (
        revised.channel_portal,
        revised.channel_mfc,
        revised.channel_in_person,
        revised.channel_mail,
    ) == (True, True, False, False)
    standard.refresh_from_db()
    assert standard.valid_to == date(2025, 3, 2)
    assert verbs() == ["standard.published", "variant.published"]
    event = AuditEvent.objects.get(verb="variant.published")
    assert (event.target_id, event.data) == (str(draft.pk), {"valid_from": "2025-03-03"})


def test_publishing_a_variant_that_matches_the_catalogue_leaves_the_standard_alone() -> None:
    # given a first publication, then a second version with the same promise
    first = VariantVersionFactory()
    services.publish_variant(version=first, actor=None, valid_from=date(2025, 1, 1))
    second = services.start_variant_draft(variant=first.variant, actor=None)
    # when
    services.publish_variant(version=second, actor=None)
    # then
    first.refresh_from_db()
    assert first.valid_to == date(2025, 3, 2)
    assert QualityStandard.objects.filter(service=first.variant.service).count() == 1


def test_a_non_compliant_variant_is_refused_and_stays_a_draft() -> None:
    # given
    standard = QualityStandardFactory(valid_from=date(2025, 1, 1), term=15)
    draft = VariantVersionFactory(
        variant__service=standard.service, variant__region=standard.service.region, term=20
    )
    # when
    with pytest.raises(services.NotCompliant) as refusal:
        services.publish_variant(version=draft, actor=None)
    # then
    assert [(p.code, p.message) for p in refusal.value.problems] == [
        (
            "term_exceeds_federal_maximum",
            "A term of 20 working days exceeds the federal maximum of 15 working days.",
        )
    ]
    draft.refresh_from_db()
    assert (draft.status, draft.valid_from, draft.published_at) == (VersionStatus.DRAFT, None, None)
    assert list(QualityStandard.objects.values_list("version", "term", "valid_to")) == [
        (1, 15, None)
    ]
    event = AuditEvent.objects.get()
    assert (event.verb, event.target_id, event.data) == (
        "variant.publish_refused",
        str(draft.pk),
        {"problems": ["term_exceeds_federal_maximum"]},
    )


def test_the_check_names_every_problem_of_a_stored_variant() -> None:
    # given a variant without agency and curator that removed a template block
    definition = template_definition()
    del definition["blocks"][1]
    draft = VariantVersionFactory(agency=None, curator=None, definition=definition)
    # when
    problems = services.check_variant_version(draft)
    # then
    assert [(p.code, p.block_key) for p in problems] == [
        ("agency_missing", None),
        ("curator_missing", None),
        ("template_block_removed", "full_name"),
    ]


# Drafts ---------------------------------------------------------------------------------------


def test_saving_a_draft_grows_its_revision() -> None:
    # given
    draft = VariantVersionFactory()
    curator = CuratorFactory(agency=draft.agency)
    # when
    services.save_variant_draft(
        version=draft, actor=None, revision=1, term=12, curator=curator, number=99
    )
    # then
    draft.refresh_from_db()
    assert (draft.revision, draft.term, draft.curator, draft.number) == (2, 12, curator, 1)
    event = AuditEvent.objects.get()
    assert (event.verb, event.data) == ("variant.draft_saved", {"fields": ["curator", "term"]})


def test_saving_with_a_stale_revision_changes_nothing() -> None:
    # given two administrators read revision 1; the first one saves
    draft = VariantVersionFactory()
    stale = VariantVersion.objects.get(pk=draft.pk)
    services.save_variant_draft(version=draft, actor=None, revision=1, term=12)
    # when the second one saves what they read
    with pytest.raises(services.EditConflict):
        services.save_variant_draft(version=stale, actor=None, revision=1, term=5, visits=0)
    # then the first one's edit stands
    assert (stale.term, stale.visits, stale.revision) == (10, 1, 1)
    draft.refresh_from_db()
    assert (draft.term, draft.visits, draft.revision) == (12, 1, 2)
    assert verbs() == ["variant.draft_saved"]


def test_saving_a_template_draft_with_a_stale_revision_changes_nothing() -> None:
    # given
    draft = TemplateVersionFactory(revision=3)
    # when
    with pytest.raises(services.EditConflict):
        services.save_template_draft(version=draft, actor=None, revision=2, max_term=30)
    # then
    draft.refresh_from_db()
    assert (draft.max_term, draft.revision) == (15, 3)
    assert verbs() == []


def test_a_published_version_never_changes() -> None:
    # given
    published = VariantVersionFactory(published=True)
    # when
    with pytest.raises(services.VersionNotDraft):
        services.save_variant_draft(version=published, actor=None, revision=1, term=5)
    with pytest.raises(services.VersionNotDraft):
        services.publish_variant(version=published, actor=None)
    with pytest.raises(services.VersionNotDraft):
        services.save_template_draft(
            version=published.based_on, actor=None, revision=1, max_term=30
        )
    # then
    published.refresh_from_db()
    assert (published.term, published.revision, published.valid_from) == (10, 1, date(2025, 1, 1))
    assert published.based_on.max_term == 15
    assert verbs() == []


def test_a_new_variant_draft_copies_the_newest_version_once() -> None:
    # given
    published = VariantVersionFactory(published=True, term=11, channels=["portal", "mfc", "mail"])
    # when
    draft = services.start_variant_draft(variant=published.variant, actor=None)
    # then
    assert (draft.number, draft.status, draft.based_on, draft.term, draft.channels) == (
        2,
        VersionStatus.DRAFT,
        published.based_on,
        11,
        ["portal", "mfc", "mail"],
    )
    assert (draft.agency, draft.curator) == (published.agency, published.curator)
    assert draft.definition == published.definition
    assert verbs() == ["variant.draft_started"]
    before = rows()
    with pytest.raises(services.DraftExists):
        services.start_variant_draft(variant=published.variant, actor=None)
    assert rows() == before


def test_creating_a_variant_takes_the_catalogue_agency_and_curator() -> None:
    # given
    template_version = TemplateVersionFactory(published=True, max_visits=0)
    service = ServiceFactory()
    assignment = CuratorAssignmentFactory(service=service, starts_on=date(2025, 1, 1))
    # when
    draft = services.create_variant(
        template_version=template_version, region=service.region, service=service, actor=None
    )
    # then
    assert (draft.number, draft.agency, draft.curator) == (1, service.agency, assignment.curator)
    assert (draft.term, draft.visits, draft.channels) == (15, 0, ["mfc", "portal"])
    assert draft.definition == template_version.definition
    assert services.check_variant_version(draft) == []


# Rebasing -------------------------------------------------------------------------------------


def new_template_version(base: TemplateVersion, **block_changes: Any) -> TemplateVersion:
    """The template's next published version: a new field, and `block_changes` on full_name."""
    definition = copy.deepcopy(base.definition)
    definition["blocks"].insert(2, field("birth_date", "date", "Birth date"))
    definition["blocks"][1].update(block_changes)
    version = TemplateVersionFactory.create(
        template=base.template, number=base.number + 1, definition=definition, published=True
    )
    return version


def regional_version() -> VariantVersion:
    """A published variant that relabelled full_name and added a local block."""
    version = VariantVersionFactory.create(published=True)
    definition = with_local_block(version.definition)
    definition["blocks"][1]["label"] = "Surname and name"
    VariantVersion.objects.filter(pk=version.pk).update(definition=definition)
    version.refresh_from_db()
    return version


def test_rebasing_without_conflicts_carries_the_regions_changes() -> None:
    # given
    published = regional_version()
    onto = new_template_version(published.based_on, help="As in the passport")
    # when
    draft = services.rebase_variant(variant=published.variant, onto=onto, actor=None)
    # then
    assert (draft.number, draft.status, draft.based_on) == (2, VersionStatus.DRAFT, onto)
    assert [block["key"] for block in draft.definition["blocks"]] == [
        "applicant",
        "full_name",
        "birth_date",
        "regional",
        "club",
        "passport",
        "income",
    ]
    assert (draft.definition["blocks"][1]["label"], draft.definition["blocks"][1]["help"]) == (
        "Surname and name",
        "As in the passport",
    )
    assert (draft.term, draft.agency, draft.curator) == (
        published.term,
        published.agency,
        published.curator,
    )
    assert services.check_variant_version(draft) == []
    published.refresh_from_db()
    assert (published.status, published.based_on.number) == (VersionStatus.PUBLISHED, 1)
    event = AuditEvent.objects.get()
    assert (event.verb, event.data["carried"]) == ("variant.rebased", ["full_name.label", "club"])


def test_rebasing_a_draft_rewrites_that_draft() -> None:
    # given
    published = regional_version()
    draft = services.start_variant_draft(variant=published.variant, actor=None)
    onto = new_template_version(published.based_on)
    # when
    rebased = services.rebase_variant(variant=published.variant, onto=onto, actor=None)
    # then
    draft.refresh_from_db()
    assert rebased.pk == draft.pk
    assert (draft.number, draft.based_on, draft.revision) == (2, onto, 2)
    assert "birth_date" in [block["key"] for block in draft.definition["blocks"]]
    assert VariantVersion.objects.filter(variant=published.variant).count() == 2


def test_rebasing_with_conflicts_is_refused_until_they_are_settled() -> None:
    # given the new template version relabels the block the region relabelled
    published = regional_version()
    onto = new_template_version(published.based_on, label="Full name as in the passport")
    before = rows()
    # when
    with pytest.raises(services.RebaseHasConflicts):
        services.rebase_variant(variant=published.variant, onto=onto, actor=None)
    # then nothing changed
    assert rows() == before
    assert verbs() == []
    conflicts = services.preview_rebase(version=published, onto=onto).conflicts
    assert [conflict.id for conflict in conflicts] == ["changed:full_name:label"]
    # when the region keeps its label
    draft = services.rebase_variant(
        variant=published.variant,
        onto=onto,
        actor=None,
        resolutions={"changed:full_name:label": "mine"},
    )
    # then
    assert (draft.number, draft.based_on) == (2, onto)
    assert draft.definition["blocks"][1]["label"] == "Surname and name"
    assert "club" in [block["key"] for block in draft.definition["blocks"]]
    event = AuditEvent.objects.get()
    assert (event.verb, event.data["resolutions"]) == (
        "variant.rebased",
        {"changed:full_name:label": "mine"},
    )
