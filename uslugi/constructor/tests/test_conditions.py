"""Conditions of blocks: the schema they are checked against, their errors, and evaluation."""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from uslugi import rules
from uslugi.constructor.conditions import (
    applies,
    check_conditions,
    condition_sources,
    record_of,
    schema_of,
)
from uslugi.constructor.demo import document, field, info, section

CHILDREN = {
    "key": "children",
    "kind": "group",
    "label": "Children",
    "binding": "locked",
    "config": {
        "blocks": [
            {"key": "child_name", "kind": "text", "label": "Name"},
            {"key": "child_birth_date", "kind": "date", "label": "Birth date"},
        ]
    },
}


def definition(*blocks: dict[str, Any]) -> dict[str, Any]:
    return {"schema_version": 1, "blocks": list(blocks)}


FORM = definition(
    section("applicant", "Applicant"),
    field("full_name", "text", "Full name"),
    field("birth_date", "date", "Birth date"),
    field("income", "money", "Income"),
    field("work_years", "number", "Years of work", config={"integer": True}),
    field("disabled", "yes_no", "Disability?"),
    field(
        "benefits",
        "multiple_choice",
        "Benefits",
        config={"options": [{"value": "rent", "label": "Rent"}]},
    ),
    field("passport", "passport", "Passport"),
    field("address", "address", "Address"),
    field("scan", "file", "Scan", config={"allowed_types": [".pdf"], "max_size_mb": 5}),
    CHILDREN,
    info("hint", "Read this"),
    document("income_statement", "Income statement", "agency"),
)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def test_the_schema_names_every_field_with_its_type_and_nothing_else() -> None:
    # when
    schema = schema_of(FORM)
    # then
    assert schema == rules.Schema.from_dict(
        {
            "full_name": "string",
            "birth_date": "date",
            "income": "number",
            "work_years": "number",
            "disabled": "boolean",
            "benefits": "list[string]",
            "passport": {"series": "string", "number": "string"},
            "address": {
                "region": "string",
                "settlement": "string",
                "street": "string",
                "house": "string",
                "flat": "string",
            },
            "scan": "string",
            "children": [{"child_name": "string", "child_birth_date": "date"}],
        }
    )


def test_well_typed_conditions_have_no_problems() -> None:
    # given conditions over scalars, records and a group
    form = definition(
        *FORM["blocks"],
        field("a", "yes_no", "A", condition='income < 20000 and passport.series == "5600"'),
        field("b", "yes_no", "B", condition="count(children) >= 3 and age(birth_date) >= 18"),
        field(
            "c",
            "yes_no",
            "C",
            condition='any(children, child_birth_date > date("2020-01-01")) or "rent" in benefits',
        ),
    )
    # when / then
    assert check_conditions(form) == []


@pytest.mark.parametrize(
    ("condition", "messages"),
    [
        (
            "incme > 1",
            ['«Check»: Unknown field "incme" at line 1, column 1. Did you mean "income"?'],
        ),
        (
            'full_name == "x',
            ["«Check»: The text that starts at line 1, column 14 has no closing quote."],
        ),
        (
            "income",
            [
                "«Check»: A condition must be true or false, but this is a number "
                "(line 1, column 1)."
            ],
        ),
        (
            "disabled and\n  full_name > 3",
            ["«Check»: Cannot compare a string with a number at line 2, column 13."],
        ),
    ],
)
def test_a_broken_condition_is_reported_with_its_block_and_position(
    condition: str, messages: list[str]
) -> None:
    # given
    form = definition(*FORM["blocks"], field("check", "yes_no", "Check", condition=condition))
    # when
    problems = check_conditions(form)
    # then
    assert problems == [("check", message) for message in messages]


def test_a_block_without_a_label_is_named_by_its_key() -> None:
    # given
    form = definition(*FORM["blocks"], {**info("note", "Text"), "condition": "missing"})
    # when / then
    assert check_conditions(form) == [
        ("note", '«note»: Unknown field "missing" at line 1, column 1.')
    ]


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        ("", {}, True),
        ("   ", {}, True),
        ("income < 20000", {"income": Decimal("15000.00")}, True),
        ("income < 20000", {"income": Decimal("25000.00")}, False),
        ("income < 20000", {}, False),
        ("work_years >= 15", {"work_years": 15}, True),
        ('birth_date < date("2000-01-01")', {"birth_date": "1990-05-01"}, True),
        ('birth_date < date("2000-01-01")', {"birth_date": date(2001, 1, 1)}, False),
        ("disabled", {"disabled": True}, True),
        ("disabled", {"disabled": False}, False),
        ("disabled", {"disabled": None}, False),
        ("count(children) >= 2", {"children": [{"child_name": "A"}, {"child_name": "B"}]}, True),
        ('passport.series == "5600"', {"passport": {"series": "5600", "number": "1"}}, True),
        ("disabled or income < 20000", {"disabled": True}, True),
        ("disabled and income < 20000", {"disabled": True}, False),
    ],
)
def test_a_block_applies_only_when_its_condition_is_true(
    condition: str, answers: dict[str, Any], expected: bool
) -> None:
    # given
    block = field("check", "yes_no", "Check", condition=condition)
    # when
    result = applies(block, record_of(FORM, answers), schema_of(FORM))
    # then
    assert result is expected


def test_the_sources_are_the_fields_some_condition_reads() -> None:
    # given
    form = definition(
        *FORM["blocks"],
        field("a", "yes_no", "A", condition='disabled and passport.series == "5600"'),
        field("b", "yes_no", "B", condition="any(children, child_name == income_text)"),
        field("c", "yes_no", "C", condition="count(children) > 2"),
        field("d", "yes_no", "D", condition="broken ==="),
    )
    # when
    sources = condition_sources(form)
    # then
    assert sources == frozenset({"disabled", "passport", "children"})


def test_a_form_without_conditions_has_no_sources() -> None:
    assert condition_sources(FORM) == frozenset()


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"full_name": None}, {"full_name": None}),
        ({"disabled": True}, {"disabled": True}),
        ({"income": "1.50"}, {"income": 1.5}),
        ({"work_years": 3}, {"work_years": 3.0}),
        ({"birth_date": "2025-01-31"}, {"birth_date": date(2025, 1, 31)}),
        ({"birth_date": "2025-13-01"}, {"birth_date": None}),
        # A text answer that looks like a date stays text: types follow the field, not the value.
        ({"full_name": "2025-01-31"}, {"full_name": "2025-01-31"}),
        ({"benefits": ["rent"]}, {"benefits": ["rent"]}),
        ({"unknown_key": 1}, {}),
    ],
)
def test_answers_are_typed_by_their_fields_for_the_rules_language(
    answers: dict[str, Any], expected: dict[str, Any]
) -> None:
    # when
    record = record_of(FORM, answers)
    # then
    assert record == expected
    assert [type(value) for value in record.values()] == [
        type(value) for value in expected.values()
    ]


def test_a_condition_compares_a_date_like_text_answer_as_text() -> None:
    # given
    form = definition(
        field("code", "text", "Code"), field("x", "yes_no", "X", condition='code == "2025-01-31"')
    )
    block = form["blocks"][1]
    # when / then
    assert applies(block, record_of(form, {"code": "2025-01-31"}), schema_of(form)) is True
