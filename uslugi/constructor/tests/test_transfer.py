"""Export and import: the round trip keeps a definition equal, and a bad file leaves nothing."""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from uslugi.catalogue.factories import RegionFactory, ServiceFactory
from uslugi.constructor import transfer
from uslugi.constructor.factories import TemplateVersionFactory, VariantVersionFactory
from uslugi.constructor.models import (
    FederalTemplate,
    RegionalVariant,
    TemplateVersion,
    VariantVersion,
    VersionStatus,
)
from uslugi.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


VISITS = "“parameters.visits” must be a whole number from 0 to 32767."


def rows() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (FederalTemplate, TemplateVersion, RegionalVariant, VariantVersion, AuditEvent)
    }


def through_a_file(document: dict[str, Any]) -> Any:
    """What an administrator's download gives back when uploaded again."""
    return transfer.parse_json(json.dumps(document, ensure_ascii=False, indent=2).encode())


def without(document: dict[str, Any], name: str) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key != name}


# Round trips ----------------------------------------------------------------------------------


def test_a_template_version_survives_export_and_import() -> None:
    # given
    published = TemplateVersionFactory(published=True, proactive=True, max_visits=0)
    exported = transfer.export_template_version(published)
    # when
    imported = transfer.import_template(document=through_a_file(exported), actor=None)
    # then a new draft of the same template with an equal definition and standard
    assert (imported.template, imported.number, imported.status) == (
        published.template,
        2,
        VersionStatus.DRAFT,
    )
    assert imported.definition == published.definition
    assert without(transfer.export_template_version(imported), "version") == without(
        exported, "version"
    )
    assert exported["standard"] == {
        "max_term": 15,
        "term_kind": "working",
        "max_applicant_documents": 2,
        "max_visits": 0,
        "required_channels": ["portal", "mfc"],
        "proactive": True,
    }
    event = AuditEvent.objects.get()
    assert (event.verb, event.target_id) == ("template.imported", str(imported.pk))


def test_a_template_imported_under_a_new_code_is_created_with_it() -> None:
    # given
    exported = transfer.export_template_version(TemplateVersionFactory(published=True))
    exported["template"] = {"code": "new_code", "name": "New", "description": "Imported"}
    # when
    imported = transfer.import_template(document=through_a_file(exported), actor=None)
    # then
    template = imported.template
    assert (template.code, template.name, template.description) == ("new_code", "New", "Imported")
    assert imported.number == 1
    assert transfer.export_template_version(imported) == {**exported, "version": 1}


def test_a_variant_version_survives_export_and_import() -> None:
    # given
    published = VariantVersionFactory(
        published=True, term=12, visits=0, channels=["portal", "mfc", "mail"]
    )
    exported = transfer.export_variant_version(published)
    # when
    imported = transfer.import_variant(document=through_a_file(exported), actor=None)
    # then a new draft of the same variant with an equal definition and parameters
    assert (imported.variant, imported.number, imported.status, imported.based_on) == (
        published.variant,
        2,
        VersionStatus.DRAFT,
        published.based_on,
    )
    assert imported.definition == published.definition
    assert (imported.agency, imported.curator) == (published.agency, published.curator)
    assert transfer.export_variant_version(imported) == exported
    assert exported["parameters"] == {
        "agency": published.agency.code,
        "curator": published.curator.pk,
        "term": 12,
        "term_kind": "working",
        "visits": 0,
        "channels": ["portal", "mfc", "mail"],
    }


# Rejections -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            '{"format": "uslugi.federal_template",\n  "definition": {,}}',
            "Malformed JSON at line 2, column 18: Expecting property name enclosed in double "
            "quotes.",
        ),
        (
            '{\n  "format": "uslugi.regional_variant"\n  "region": "56"\n}',
            "Malformed JSON at line 3, column 3: Expecting ',' delimiter.",
        ),
        ("", "Malformed JSON at line 1, column 1: Expecting value."),
        (b'{"name": "\xff"}', "The file is not UTF-8 text."),
    ],
)
def test_malformed_json_is_rejected_with_its_line_and_column(
    text: str | bytes, reason: str
) -> None:
    # given
    before = rows()
    # when
    with pytest.raises(transfer.ImportRejected) as rejection:
        transfer.import_template(document=transfer.parse_json(text), actor=None)
    # then
    assert rejection.value.reasons == [reason]
    assert rejection.value.message == f"The file cannot be imported: {reason}"
    assert rows() == before


def test_a_template_whose_condition_names_a_missing_field_is_rejected_whole() -> None:
    # given a new template whose first field depends on a field that is not in it
    exported = transfer.export_template_version(TemplateVersionFactory(published=True))
    exported["template"]["code"] = "new_code"
    exported["definition"]["blocks"][1]["condition"] = 'delivery == "bank"'
    before = rows()
    # when
    with pytest.raises(transfer.ImportRejected) as rejection:
        transfer.import_template(document=through_a_file(exported), actor=None)
    # then
    assert rejection.value.reasons == ['«Full name»: Unknown field "delivery" at line 1, column 1.']
    assert rows() == before
    assert not FederalTemplate.objects.filter(code="new_code").exists()


def test_a_variant_whose_definition_is_malformed_is_rejected_whole() -> None:
    # given a variant file with a duplicated key
    exported = transfer.export_variant_version(VariantVersionFactory(published=True))
    exported["definition"]["blocks"].append(exported["definition"]["blocks"][1])
    before = rows()
    # when
    with pytest.raises(transfer.ImportRejected) as rejection:
        transfer.import_variant(document=through_a_file(exported), actor=None)
    # then
    assert rejection.value.reasons == [
        "blocks[5].key: The key full_name is used by more than one block; each key must be "
        "unique in the whole form, groups included."
    ]
    assert rows() == before


def test_a_variant_whose_condition_names_a_missing_field_is_rejected() -> None:
    # given
    exported = transfer.export_variant_version(VariantVersionFactory(published=True))
    exported["definition"]["blocks"][1]["condition"] = "club and full_name == 1"
    before = rows()
    # when
    with pytest.raises(transfer.ImportRejected) as rejection:
        transfer.import_variant(document=through_a_file(exported), actor=None)
    # then
    assert rejection.value.reasons == [
        '«Full name»: Unknown field "club" at line 1, column 1.',
        "«Full name»: Cannot compare a string with a number at line 1, column 20.",
    ]
    assert rows() == before


@pytest.mark.parametrize(
    ("changes", "reasons"),
    [
        (
            {"format": "uslugi.regional_variant"},
            ["“format” must be “uslugi.federal_template”."],
        ),
        (
            {"format_version": 2},
            ["“format_version” 2 is not supported; this system reads 1."],
        ),
        (
            {"format": None, "format_version": "1"},
            [
                "“format” must be “uslugi.federal_template”.",
                "“format_version” '1' is not supported; this system reads 1.",
            ],
        ),
        (
            {"template": {"name": "No code"}},
            ["“template.code” is required."],
        ),
        (
            {"standard": {"max_term": -1, "term_kind": "lunar", "required_channels": ["fax"]}},
            [
                "“standard.max_term” must be a whole number.",
                "“standard.max_applicant_documents” must be a whole number.",
                "“standard.max_visits” must be a whole number.",
                "“standard.term_kind” must be “working” or “calendar”.",
                "“standard.required_channels” may hold only portal, mfc, in_person, mail.",
            ],
        ),
        ({"definition": []}, ["“definition” must be an object."]),
        (
            {"definition": {"schema_version": 2, "blocks": []}},
            ["schema_version: schema_version must be 1."],
        ),
    ],
)
def test_a_template_file_that_breaks_the_format_is_rejected(
    changes: dict[str, Any], reasons: list[str]
) -> None:
    # given
    exported = transfer.export_template_version(TemplateVersionFactory(published=True))
    before = rows()
    # when
    with pytest.raises(transfer.ImportRejected) as rejection:
        transfer.import_template(document={**exported, **changes}, actor=None)
    # then
    assert rejection.value.reasons == reasons
    assert rows() == before


@pytest.mark.parametrize(
    ("changes", "reasons"),
    [
        (
            {"format_version": 0},
            ["“format_version” 0 is not supported; this system reads 1."],
        ),
        (
            {"based_on": 7},
            ["There is no published version 7 of the template {template}."],
        ),
        (
            {"template": "unknown"},
            ["There is no published version 1 of the template unknown."],
        ),
        ({"region": "99"}, ["There is no region 99."]),
        ({"service": "unknown"}, ["Region 56 has no service unknown."]),
        ({"parameters": {"agency": "unknown"}}, ["There is no agency unknown."]),
        ({"parameters": {"curator": 0}}, ["There is no curator 0."]),
        (
            {"parameters": {"term": 0, "term_kind": "lunar", "channels": ["fax"]}},
            [
                "“parameters.term” must be a whole number of days.",
                "“parameters.term_kind” must be “working” or “calendar”.",
                "“parameters.channels” may hold only portal, mfc, in_person, mail.",
            ],
        ),
    ],
)
def test_a_variant_file_naming_what_does_not_exist_is_rejected(
    changes: dict[str, Any], reasons: list[str]
) -> None:
    # given
    exported = transfer.export_variant_version(VariantVersionFactory(published=True))
    before = rows()
    # when
    with pytest.raises(transfer.ImportRejected) as rejection:
        transfer.import_variant(document={**exported, **changes}, actor=None)
    # then
    assert rejection.value.reasons == [
        reason.format(template=exported["template"]) for reason in reasons
    ]
    assert rows() == before


def test_a_variant_cannot_be_built_on_a_template_draft() -> None:
    # given
    exported = transfer.export_variant_version(VariantVersionFactory(published=True))
    draft = TemplateVersionFactory(template=FederalTemplate.objects.get(), number=2)
    before = rows()
    # when
    with pytest.raises(transfer.ImportRejected) as rejection:
        transfer.import_variant(document={**exported, "based_on": draft.number}, actor=None)
    # then
    assert rejection.value.reasons == [
        f"There is no published version 2 of the template {exported['template']}."
    ]
    assert rows() == before


def test_a_variant_of_a_new_region_creates_the_variant() -> None:
    # given a variant file moved to another region's service and agency
    exported = transfer.export_variant_version(VariantVersionFactory(published=True))
    service = ServiceFactory(region=RegionFactory(code="16", name="Республика Татарстан"))
    document = {
        **exported,
        "region": "16",
        "service": service.code,
        "parameters": {**exported["parameters"], "agency": service.agency.code, "curator": None},
    }
    # when
    imported = transfer.import_variant(document=document, actor=None)
    # then
    assert (imported.variant.region.code, imported.variant.service, imported.number) == (
        "16",
        service,
        1,
    )
    assert (imported.agency, imported.curator, imported.based_on.number) == (
        service.agency,
        None,
        1,
    )
    assert imported.definition == exported["definition"]
    assert RegionalVariant.objects.count() == 2


def test_an_import_while_a_draft_exists_is_refused() -> None:
    # given a published template and a variant on it, each with a draft
    published = TemplateVersionFactory(published=True)
    template_draft = TemplateVersionFactory(template=published.template, number=2)
    variant_draft = VariantVersionFactory(variant__template=published.template, based_on=published)
    template_file = transfer.export_template_version(published)
    variant_file = transfer.export_variant_version(variant_draft)
    before = rows()
    # when
    with pytest.raises(transfer.ImportRejected) as template_rejection:
        transfer.import_template(document=template_file, actor=None)
    with pytest.raises(transfer.ImportRejected) as variant_rejection:
        transfer.import_variant(document=variant_file, actor=None)
    # then
    assert template_rejection.value.reasons == [
        f"The template {template_draft.template.code} already has a draft; publish or discard "
        "it first."
    ]
    assert variant_rejection.value.reasons == [
        "This variant already has a draft; publish or discard it first."
    ]
    assert rows() == before


@pytest.mark.parametrize(
    ("document", "reasons"),
    [
        ([], ["The file must hold one JSON object."]),
        ("uslugi.federal_template", ["The file must hold one JSON object."]),
        ({"template": "code"}, ["“template” must be an object.", "“template.code” is required."]),
        (
            {"standard": [15]},
            [
                "“standard” must be an object.",
                "“standard.max_term” must be a whole number.",
                "“standard.max_applicant_documents” must be a whole number.",
                "“standard.max_visits” must be a whole number.",
                "“standard.term_kind” must be “working” or “calendar”.",
            ],
        ),
        ({"standard": {"max_term": True}}, ["“standard.max_term” must be a whole number."]),
        (
            {"standard": {"required_channels": [["portal"]]}},
            ["“standard.required_channels” may hold only portal, mfc, in_person, mail."],
        ),
    ],
)
def test_a_template_file_of_the_wrong_shape_is_rejected_not_crashed(
    document: Any, reasons: list[str]
) -> None:
    # given a valid file with one part of the wrong shape
    exported = transfer.export_template_version(TemplateVersionFactory(published=True))
    exported["template"]["code"] = "new_code"
    if isinstance(document, dict):
        for name, value in document.items():
            exported[name] = {**exported[name], **value} if isinstance(value, dict) else value
        document = exported
    before = rows()
    # when
    with pytest.raises(transfer.ImportRejected) as rejection:
        transfer.import_template(document=document, actor=None)
    # then
    assert rejection.value.reasons == reasons
    assert rows() == before


@pytest.mark.parametrize(
    ("changes", "reasons"),
    [
        ({"parameters": ["agency"]}, ["“parameters” must be an object."]),
        ({"parameters": {"visits": "one"}}, [VISITS]),
        ({"parameters": {"visits": -1}}, [VISITS]),
        ({"parameters": {"visits": 32768}}, [VISITS]),
        (
            {"parameters": {"channels": [["portal"]]}},
            ["“parameters.channels” may hold only portal, mfc, in_person, mail."],
        ),
        ({"parameters": {"term": True}}, ["“parameters.term” must be a whole number of days."]),
        ({"based_on": "1"}, ["There is no published version 1 of the template {template}."]),
    ],
)
def test_a_variant_file_of_the_wrong_shape_is_rejected_not_crashed(
    changes: dict[str, Any], reasons: list[str]
) -> None:
    # given
    exported = transfer.export_variant_version(VariantVersionFactory(published=True))
    before = rows()
    # when
    with pytest.raises(transfer.ImportRejected) as rejection:
        transfer.import_variant(document={**exported, **changes}, actor=None)
    # then
    assert rejection.value.reasons == [
        reason.format(template=exported["template"]) for reason in reasons
    ]
    assert rows() == before


def test_a_failure_while_writing_leaves_nothing_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a valid file for a new region, and an audit log that fails after the rows are written
    exported = transfer.export_variant_version(VariantVersionFactory(published=True))
    service = ServiceFactory(region=RegionFactory(code="16", name="Республика Татарстан"))
    document = {**exported, "region": "16", "service": service.code}
    before = rows()

    def failing(**_details: Any) -> None:
        assert RegionalVariant.objects.count() == before["RegionalVariant"] + 1
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(transfer, "record_event", failing)
    # when
    with pytest.raises(RuntimeError):
        transfer.import_variant(document=document, actor=None)
    # then the variant and its version were rolled back together
    assert rows() == before
