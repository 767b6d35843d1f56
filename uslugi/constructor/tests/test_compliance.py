"""Every rule of the compliance check, each on a variant that breaks only that rule."""

import copy
import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import translation

from uslugi.constructor.compliance import (
    FederalStandard,
    Problem,
    VariantParameters,
    check_parameters,
    check_variant,
)
from uslugi.constructor.demo import document, field, section

Definition = dict[str, Any]

OPTIONS = [{"value": "bank", "label": "Bank"}, {"value": "post", "label": "Post"}]
TEMPLATE: Definition = {
    "schema_version": 1,
    "blocks": [
        section("applicant", "Applicant"),
        field("full_name", "text", "Full name", config={"max_length": 200}),
        field(
            "delivery",
            "single_choice",
            "Delivery",
            config={"options": OPTIONS, "widget": "radio"},
            overridable=("label", "help", "options"),
        ),
        field(
            "comment",
            "text",
            "Comment",
            binding="parameter",
            bounds={"max_length": {"min": 100, "max": 500}},
        ),
        section("regional", "Regional", binding="extension_point"),
        document("passport", "Passport", "applicant"),
        document("income", "Income statement", "agency"),
    ],
}
STANDARD = FederalStandard(
    max_term=15,
    term_kind="working",
    max_applicant_documents=2,
    max_visits=1,
    required_channels=("portal", "mfc"),
)
PARAMETERS = VariantParameters(
    has_agency=True,
    has_curator=True,
    term=15,
    term_kind="working",
    visits=1,
    channels=("portal", "mfc"),
)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def local(block: dict[str, Any]) -> dict[str, Any]:
    return {**block, "binding": "local", "overridable": []}


def local_document(key: str, title: str, document_type: str, provider: str) -> dict[str, Any]:
    return {
        "key": key,
        "kind": "document",
        "label": title,
        "binding": "local",
        "config": {"title": title, "document_type": document_type, "provider": provider},
    }


def variant(*changes: Callable[[list[dict[str, Any]]], None]) -> Definition:
    """The compliant variant (comment filled within its bounds, one local block in the extension
    point), then `changes` applied to its list of blocks."""
    definition = copy.deepcopy(TEMPLATE)
    blocks = definition["blocks"]
    blocks[3]["config"] = {"max_length": 300}
    blocks.insert(5, local(field("club", "yes_no", "Club member?")))
    for change in changes:
        change(blocks)
    return definition


def at(key: str, blocks: list[dict[str, Any]]) -> dict[str, Any]:
    return next(block for block in blocks if block["key"] == key)


def problems_of(definition: Definition, parameters: VariantParameters = PARAMETERS) -> list[Any]:
    return [
        (problem.code, problem.message, problem.block_key)
        for problem in check_variant(STANDARD, TEMPLATE, parameters, definition)
    ]


def test_a_compliant_variant_has_no_problems() -> None:
    # given a variant that overrides what it may, fills its parameter and adds a local block
    def reword(blocks: list[dict[str, Any]]) -> None:
        at("full_name", blocks).update(label="Surname, name, patronymic", help="As in the passport")
        at("delivery", blocks)["config"]["options"] = [{"value": "post", "label": "By post"}]

    definition = variant(reword)
    # when
    problems = check_variant(STANDARD, TEMPLATE, PARAMETERS, definition)
    # then
    assert problems == []


# Parameters -----------------------------------------------------------------------------------

PARAMETER_RULES = [
    (
        {"has_agency": False},
        "agency_missing",
        "Choose the agency that provides the service.",
    ),
    (
        {"has_curator": False},
        "curator_missing",
        "Name the curator who answers for the service.",
    ),
    ({"term": None}, "term_missing", "Set the term of the service."),
    ({"term": 0}, "term_missing", "Set the term of the service."),
    (
        {"term": 10, "term_kind": "calendar"},
        "term_kind",
        "The federal standard counts the term in working days; set the term in them too.",
    ),
    (
        {"term": 20},
        "term_exceeds_federal_maximum",
        "A term of 20 working days exceeds the federal maximum of 15 working days.",
    ),
    (
        {"term": 16},
        "term_exceeds_federal_maximum",
        "A term of 16 working days exceeds the federal maximum of 15 working days.",
    ),
    (
        {"visits": 2},
        "visits_exceed_standard",
        "The federal standard allows at most 1 in-person visit; the variant requires 2.",
    ),
    (
        {"channels": ("portal", "in_person")},
        "required_channel_missing",
        "The federal standard requires applications via an MFC; offer it.",
    ),
]


@pytest.mark.parametrize(("changes", "code", "message"), PARAMETER_RULES)
def test_each_parameter_rule(changes: dict[str, Any], code: str, message: str) -> None:
    # given
    parameters = dataclasses.replace(PARAMETERS, **changes)
    # when
    problems = check_parameters(STANDARD, parameters)
    # then
    assert problems == [Problem(code, message)]


def test_check_variant_reports_the_parameters_too() -> None:
    # given
    parameters = dataclasses.replace(PARAMETERS, term=20, has_curator=False)
    # when
    problems = problems_of(variant(), parameters)
    # then
    assert problems == [
        ("curator_missing", "Name the curator who answers for the service.", None),
        (
            "term_exceeds_federal_maximum",
            "A term of 20 working days exceeds the federal maximum of 15 working days.",
            None,
        ),
    ]


def test_a_calendar_term_is_compared_in_calendar_days() -> None:
    # given
    standard = dataclasses.replace(STANDARD, max_term=90, term_kind="calendar")
    within = dataclasses.replace(PARAMETERS, term=90, term_kind="calendar")
    beyond = dataclasses.replace(PARAMETERS, term=91, term_kind="calendar")
    # when / then
    assert check_parameters(standard, within) == []
    assert check_parameters(standard, beyond) == [
        Problem(
            "term_exceeds_federal_maximum",
            "A term of 91 calendar days exceeds the federal maximum of 90 calendar days.",
        )
    ]


@pytest.mark.parametrize(
    ("max_visits", "visits", "expected"),
    [
        (0, 0, []),
        (
            0,
            1,
            [
                Problem(
                    "visits_exceed_standard",
                    "The federal standard allows no in-person visit; the variant requires 1.",
                )
            ],
        ),
        (2, 2, []),
        (
            2,
            3,
            [
                Problem(
                    "visits_exceed_standard",
                    "The federal standard allows at most 2 in-person visits; the variant "
                    "requires 3.",
                )
            ],
        ),
    ],
)
def test_in_person_visits(max_visits: int, visits: int, expected: list[Problem]) -> None:
    # given
    standard = dataclasses.replace(STANDARD, max_visits=max_visits)
    parameters = dataclasses.replace(PARAMETERS, visits=visits)
    # when
    problems = check_parameters(standard, parameters)
    # then
    assert problems == expected


def test_every_missing_required_channel_is_named() -> None:
    # given
    standard = dataclasses.replace(STANDARD, required_channels=("portal", "mfc", "mail"))
    parameters = dataclasses.replace(PARAMETERS, channels=("in_person",))
    # when
    problems = check_parameters(standard, parameters)
    # then
    assert [problem.message for problem in problems] == [
        "The federal standard requires applications via the portal; offer it.",
        "The federal standard requires applications via an MFC; offer it.",
        "The federal standard requires applications via mail; offer it.",
    ]


# Template blocks ------------------------------------------------------------------------------


def test_a_template_block_removed() -> None:
    # given
    definition = variant(lambda blocks: blocks.remove(at("delivery", blocks)))
    # when / then
    assert problems_of(definition) == [
        (
            "template_block_removed",
            "The template's block «Delivery» was removed; it must stay.",
            "delivery",
        )
    ]


def test_a_template_block_whose_kind_changed() -> None:
    # given
    def to_long_text(blocks: list[dict[str, Any]]) -> None:
        at("full_name", blocks).update(kind="long_text", config={"max_length": 200})

    # when / then
    assert problems_of(variant(to_long_text)) == [
        (
            "template_block_kind_changed",
            "The kind of the template's block «Full name» cannot change.",
            "full_name",
        )
    ]


@pytest.mark.parametrize(
    ("attribute", "value", "message"),
    [
        (
            "required",
            False,
            "Block «Full name»: The template fixes required; a region cannot change it.",
        ),
        (
            "condition",
            "club",
            "Block «Full name»: The template fixes condition; a region cannot change it.",
        ),
        (
            "config",
            {"max_length": 100},
            "Block «Full name»: The template fixes max_length; a region cannot change it.",
        ),
    ],
)
def test_a_locked_block_changed_outside_its_overridable_attributes(
    attribute: str, value: Any, message: str
) -> None:
    # given
    definition = variant(lambda blocks: at("full_name", blocks).update({attribute: value}))
    # when / then
    assert problems_of(definition) == [("locked_block_changed", message, "full_name")]


def test_options_may_be_dropped_and_reworded_but_not_added() -> None:
    # given
    def add_option(blocks: list[dict[str, Any]]) -> None:
        at("delivery", blocks)["config"]["options"] = [*OPTIONS, {"value": "card", "label": "Card"}]

    # when / then
    assert problems_of(variant(add_option)) == [
        (
            "locked_block_changed",
            "Block «Delivery»: The option card is not among the template's options; a region "
            "may remove options and reword them, but not add new ones.",
            "delivery",
        )
    ]


@pytest.mark.parametrize(
    ("max_length", "expected"),
    [
        (100, []),
        (500, []),
        (
            99,
            [
                (
                    "parameter_out_of_bounds",
                    "Block «Comment»: max_length must be from 100 to 500, as the template allows.",
                    "comment",
                )
            ],
        ),
        (
            501,
            [
                (
                    "parameter_out_of_bounds",
                    "Block «Comment»: max_length must be from 100 to 500, as the template allows.",
                    "comment",
                )
            ],
        ),
    ],
)
def test_a_parameter_block_stays_within_its_bounds(max_length: int, expected: list[Any]) -> None:
    # given
    definition = variant(
        lambda blocks: at("comment", blocks).update(config={"max_length": max_length})
    )
    # when / then
    assert problems_of(definition) == expected


def test_a_parameter_block_must_be_filled() -> None:
    # given
    definition = variant(lambda blocks: at("comment", blocks).update(config={}))
    # when / then
    assert problems_of(definition) == [
        (
            "parameter_out_of_bounds",
            "Block «Comment»: The region must fill in max_length.",
            "comment",
        )
    ]


def test_the_template_blocks_keep_their_order() -> None:
    # given
    def swap(blocks: list[dict[str, Any]]) -> None:
        blocks[1], blocks[2] = blocks[2], blocks[1]

    # when / then
    assert problems_of(variant(swap)) == [
        (
            "template_order_changed",
            "The template's blocks must keep their order; «Delivery» was moved.",
            "delivery",
        )
    ]


# Local blocks ---------------------------------------------------------------------------------


def test_a_local_block_must_be_marked_local() -> None:
    # given
    definition = variant(lambda blocks: at("club", blocks).update(binding="locked"))
    # when / then
    assert problems_of(definition) == [
        (
            "local_block_not_marked",
            "The block «Club member?» is not in the template; mark it as a local block.",
            "club",
        )
    ]


def test_a_local_block_must_stand_in_an_extension_point() -> None:
    # given: the local block moved into the template's locked "Applicant" section
    def move_up(blocks: list[dict[str, Any]]) -> None:
        blocks.insert(1, blocks.pop(blocks.index(at("club", blocks))))

    # when / then
    assert problems_of(variant(move_up)) == [
        (
            "local_block_outside_extension_point",
            "The block «Club member?» stands outside an extension point; add local blocks only "
            "in the sections «Regional».",
            "club",
        )
    ]


def test_a_local_section_is_no_extension_point() -> None:
    # given: the region opened its own section and put its block there
    def own_section(blocks: list[dict[str, Any]]) -> None:
        blocks.append(local(section("mine", "Mine")))
        blocks.append(blocks.pop(blocks.index(at("club", blocks))))

    # when
    problems = problems_of(variant(own_section))
    # then
    assert [(code, key) for code, _message, key in problems] == [
        ("local_block_outside_extension_point", "mine"),
        ("local_block_outside_extension_point", "club"),
    ]


def test_without_an_extension_point_no_local_block_can_be_added() -> None:
    # given a template whose only section is locked
    template = copy.deepcopy(TEMPLATE)
    template["blocks"][4]["binding"] = "locked"
    definition = variant(lambda blocks: at("regional", blocks).update(binding="locked"))
    # when
    problems = check_variant(STANDARD, template, PARAMETERS, definition)
    # then
    assert problems == [
        Problem(
            "local_block_outside_extension_point",
            "The block «Club member?» cannot be added: the template has no extension point.",
            "club",
        )
    ]


# Documents ------------------------------------------------------------------------------------

AGENCY_DOCUMENT_DEMANDED = (
    "«%s» is obtained by the agency itself by interagency request; it cannot be demanded from "
    "the applicant."
)


def test_the_template_document_the_agency_obtains_cannot_be_moved_to_the_applicant() -> None:
    # given
    definition = variant(lambda blocks: at("income", blocks)["config"].update(provider="applicant"))
    # when / then
    assert problems_of(definition) == [
        (
            "locked_block_changed",
            "Block «Income statement»: The template fixes provider; a region cannot change it.",
            "income",
        ),
        ("agency_document_demanded", AGENCY_DOCUMENT_DEMANDED % "Income statement", "income"),
    ]


def test_a_local_document_cannot_demand_what_the_agency_obtains() -> None:
    # given: a document of the same type as the template's "income", from the applicant
    definition = variant(
        lambda blocks: blocks.insert(
            6, local_document("income_copy", "Income certificate", "income", "applicant")
        )
    )
    # when / then
    assert problems_of(definition) == [
        ("agency_document_demanded", AGENCY_DOCUMENT_DEMANDED % "Income certificate", "income_copy")
    ]


def test_a_local_document_the_agency_obtains_itself_is_allowed() -> None:
    # given
    definition = variant(
        lambda blocks: blocks.insert(
            6, local_document("income_copy", "Income certificate", "income", "agency")
        )
    )
    # when / then
    assert problems_of(definition) == []


def test_too_many_documents_from_the_applicant() -> None:
    # given: the template asks for one, the standard allows two, the region adds two more
    def add_two(blocks: list[dict[str, Any]]) -> None:
        blocks.insert(6, local_document("diploma", "Diploma", "diploma", "applicant"))
        blocks.insert(6, local_document("photo", "Photo", "photo", "applicant"))

    # when / then
    assert problems_of(variant(add_two)) == [
        (
            "too_many_applicant_documents",
            "The variant asks the applicant for 3 documents; the federal standard allows at "
            "most 2.",
            None,
        )
    ]


# Conditions and well-formedness ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "messages"),
    [
        (
            'full_nme == "x"',
            [
                '«Club member?»: Unknown field "full_nme" at line 1, column 1. Did you mean '
                '"full_name"?'
            ],
        ),
        (
            "full_name > 3",
            ["«Club member?»: Cannot compare a string with a number at line 1, column 11."],
        ),
    ],
)
def test_a_condition_with_an_unknown_field_or_a_type_error(
    condition: str, messages: list[str]
) -> None:
    # given
    definition = variant(lambda blocks: at("club", blocks).update(condition=condition))
    # when
    problems = problems_of(definition)
    # then
    assert [(code, key) for code, _message, key in problems] == [
        ("invalid_condition", "club")
    ] * len(messages)
    assert [message for _code, message, _key in problems] == messages


def test_a_malformed_block_stops_the_check_before_the_template_rules() -> None:
    # given: a block of no known kind, and the template's "delivery" removed
    def break_it(blocks: list[dict[str, Any]]) -> None:
        blocks.remove(at("delivery", blocks))
        at("club", blocks)["kind"] = "hologram"

    # when
    problems = problems_of(variant(break_it), dataclasses.replace(PARAMETERS, has_agency=False))
    # then
    assert problems == [
        ("agency_missing", "Choose the agency that provides the service.", None),
        ("invalid_block", "blocks[4].kind: There is no block kind hologram.", "club"),
    ]
