"""Each kind's `config`: valid settings pass, and each wrong one is named with what is wrong."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from uslugi.constructor.blocks import list_block_kinds, validate_block


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def problems(kind: str, config: dict[str, Any]) -> list[tuple[str, str]]:
    block = {"key": "question", "kind": kind, "label": "Question", "binding": "local"}
    return [(e.path, e.message) for e in validate_block({**block, "config": config})]


TWO = [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]
TEXT_CHILD = {"key": "child_name", "kind": "text", "label": "Name"}


def test_every_kind_s_default_config_is_valid_except_an_empty_group() -> None:
    # when every kind's palette default is checked
    found = {kind.kind: problems(kind.kind, kind.default_config()) for kind in list_block_kinds()}
    # then only the group waits for its first field
    assert {kind: errors for kind, errors in found.items() if errors} == {
        "group": [("config.blocks", "blocks must list at least one field for each item.")]
    }


@pytest.mark.parametrize(
    ("kind", "config"),
    [
        ("text", {}),
        ("text", {"max_length": 1}),
        ("text", {"max_length": 1000, "pattern": r"[0-9]{6}"}),
        ("long_text", {"max_length": 20000}),
        ("number", {}),
        ("number", {"min": 0, "max": 10, "integer": True}),
        ("number", {"min": -1.5, "max": 2.25}),
        ("money", {"min": 0, "max": "1000.50"}),
        ("money", {"min": 10.5}),
        ("date", {"min": "2024-01-01", "max": "today"}),
        ("date", {"min": "today"}),
        ("single_choice", {"options": TWO, "widget": "select"}),
        ("multiple_choice", {"options": TWO, "min_selected": 0, "max_selected": 2}),
        ("yes_no", {}),
        ("email", {}),
        ("phone", {}),
        ("snils", {}),
        ("inn_person", {}),
        ("inn_organisation", {}),
        ("passport", {}),
        ("address", {}),
        ("file", {"allowed_types": [".pdf", ".docx"], "max_size_mb": 50}),
        ("group", {"blocks": [TEXT_CHILD], "min_items": 1, "max_items": 5, "item_label": "Child"}),
        ("profile_question", {"options": TWO}),
        ("section", {"title": "About you"}),
        ("info", {"text": "Bring the originals."}),
        ("variant", {"title": "By post", "term": 30, "term_kind": "calendar", "result": "A"}),
        ("document", {"title": "Birth certificate", "document_type": "birth_certificate"}),
        ("step", {"name": "Review", "role": "official", "share": 40}),
        ("result", {"document_type": "decision", "template": "Dear {{ name }}"}),
        ("notification", {"status": "registered", "text": "Registered."}),
    ],
)
def test_valid_config(kind: str, config: dict[str, Any]) -> None:
    assert problems(kind, config) == []


@pytest.mark.parametrize(
    ("kind", "config", "expected"),
    [
        (
            "text",
            {"max_length": 0},
            [("config.max_length", "max_length must be a whole number from 1 to 1000.")],
        ),
        (
            "text",
            {"max_length": 1001},
            [("config.max_length", "max_length must be a whole number from 1 to 1000.")],
        ),
        (
            "text",
            {"max_length": 12.5},
            [("config.max_length", "max_length must be a whole number from 1 to 1000.")],
        ),
        (
            "text",
            {"max_length": True},
            [("config.max_length", "max_length must be a whole number from 1 to 1000.")],
        ),
        (
            "text",
            {"pattern": "[0-9"},
            [
                (
                    "config.pattern",
                    "pattern is not a valid regular expression: unterminated character set.",
                )
            ],
        ),
        (
            "text",
            {"maxlength": 10},
            [("config.maxlength", "A block of kind “Text” has no setting maxlength.")],
        ),
        (
            "long_text",
            {"max_length": 20001},
            [("config.max_length", "max_length must be a whole number from 1 to 20000.")],
        ),
        (
            "number",
            {"min": 1.5, "integer": True},
            [("config.min", "min must be a whole number, because integer is true.")],
        ),
        ("number", {"min": 10, "max": 1}, [("config.min", "min must not be greater than max.")]),
        ("number", {"min": "a lot"}, [("config.min", "min must be a number.")]),
        ("number", {"integer": "yes"}, [("config.integer", "integer must be true or false.")]),
        (
            "money",
            {"min": -1},
            [
                (
                    "config.min",
                    "min must be an amount in rubles, not negative, with at most 2 decimal places.",
                )
            ],
        ),
        (
            "money",
            {"max": 10.125},
            [
                (
                    "config.max",
                    "max must be an amount in rubles, not negative, with at most 2 decimal places.",
                )
            ],
        ),
        ("money", {"min": 100, "max": 10}, [("config.min", "min must not be greater than max.")]),
        (
            "date",
            {"min": "01.01.2024"},
            [("config.min", "min must be a date written as YYYY-MM-DD, or the word today.")],
        ),
        (
            "date",
            {"min": "2025-01-01", "max": "2024-01-01"},
            [("config.min", "min must not be greater than max.")],
        ),
        ("single_choice", {}, [("config.options", "options must be filled in.")]),
        (
            "single_choice",
            {"options": []},
            [("config.options", "options must list at least one option.")],
        ),
        (
            "single_choice",
            {"options": [{"value": "a", "label": "A"}, {"value": "a", "label": "Also A"}]},
            [
                (
                    "config.options[1].value",
                    "The value a appears more than once in options; option values must be unique.",
                )
            ],
        ),
        (
            "single_choice",
            {"options": [{"value": "", "label": " "}]},
            [
                (
                    "config.options[0].value",
                    "Each option in options needs a value: non-empty text.",
                ),
                (
                    "config.options[0].label",
                    "Each option in options needs a label: the text the citizen reads.",
                ),
            ],
        ),
        (
            "single_choice",
            {"options": ["a"]},
            [("config.options[0]", "Each option in options must have a value and a label.")],
        ),
        (
            "single_choice",
            {"options": [{"value": "a", "label": "A", "hint": "x"}]},
            [("config.options[0].hint", "An option has only a value and a label, not hint.")],
        ),
        (
            "single_choice",
            {"options": TWO, "widget": "dropdown"},
            [("config.widget", "widget must be one of: radio, select.")],
        ),
        (
            "multiple_choice",
            {"options": TWO, "max_selected": 3},
            [("config.max_selected", "max_selected must be a whole number from 1 to 2.")],
        ),
        (
            "multiple_choice",
            {"options": TWO, "min_selected": 2, "max_selected": 1},
            [("config.min_selected", "min_selected must not be greater than max_selected.")],
        ),
        ("yes_no", {"x": 1}, [("config.x", "A block of kind “Yes or no” has no setting x.")]),
        (
            "file",
            {"allowed_types": ["pdf"]},
            [
                (
                    "config.allowed_types[0]",
                    "allowed_types must list file extensions written like .pdf (a dot, then "
                    "small Latin letters or digits); pdf is not one.",
                )
            ],
        ),
        (
            "file",
            {"allowed_types": []},
            [
                (
                    "config.allowed_types",
                    "allowed_types must list at least one file extension, such as .pdf.",
                )
            ],
        ),
        (
            "file",
            {"max_size_mb": 51},
            [("config.max_size_mb", "max_size_mb must be a whole number from 1 to 50.")],
        ),
        ("group", {}, [("config.blocks", "blocks must be filled in.")]),
        (
            "group",
            {"blocks": [TEXT_CHILD], "min_items": 3, "max_items": 2},
            [("config.min_items", "min_items must not be greater than max_items.")],
        ),
        (
            "group",
            {"blocks": [TEXT_CHILD], "max_items": 101},
            [("config.max_items", "max_items must be a whole number from 1 to 100.")],
        ),
        ("profile_question", {}, [("config.options", "options must be filled in.")]),
        ("section", {}, [("config.title", "title must be filled in.")]),
        ("section", {"title": "  "}, [("config.title", "title must be filled in.")]),
        ("section", {"title": 5}, [("config.title", "title must be text.")]),
        ("info", {}, [("config.text", "text must be filled in.")]),
        (
            "variant",
            {"title": "By post", "term": 0, "term_kind": "weeks"},
            [
                ("config.term", "term must be a whole number from 1 to 365."),
                ("config.term_kind", "term_kind must be one of: working, calendar."),
            ],
        ),
        (
            "variant",
            {"title": "By post"},
            [
                ("config.term", "term must be filled in."),
                ("config.term_kind", "term_kind must be filled in."),
            ],
        ),
        (
            "document",
            {"title": "Passport copy", "document_type": "Passport", "provider": "post"},
            [
                (
                    "config.document_type",
                    "document_type must be a code of small Latin letters, digits and underscores "
                    "that starts with a letter, such as birth_certificate.",
                ),
                ("config.provider", "provider must be one of: applicant, agency, either."),
            ],
        ),
        (
            "step",
            {"name": "Review", "role": "official", "share": 0},
            [("config.share", "share must be a whole number from 1 to 100.")],
        ),
        (
            "step",
            {"name": "Review", "role": "official"},
            [("config.share", "share must be filled in.")],
        ),
        (
            "result",
            {"document_type": "decision", "electronic": "yes", "template": "{% if %}"},
            [
                ("config.electronic", "electronic must be true or false."),
                (
                    "config.template",
                    "template is not a valid document template: Unexpected end of expression in "
                    "if tag.",
                ),
            ],
        ),
        (
            "notification",
            {"status": "", "text": "Registered."},
            [("config.status", "status must be filled in.")],
        ),
    ],
)
def test_invalid_config_names_the_setting_and_what_is_wrong(
    kind: str, config: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    # when the block is checked
    found = problems(kind, config)
    # then exactly these problems are reported
    assert found == expected
