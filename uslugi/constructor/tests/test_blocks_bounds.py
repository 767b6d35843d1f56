"""What a region may change in a template block: `check_bounds` for parameter blocks (bounds and
everything else), `allowed_overrides` for locked ones."""

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from uslugi.constructor.blocks import BlockError, allowed_overrides, check_bounds, validate_block

A, B, C = ({"value": v, "label": v.upper()} for v in "abc")


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def parameter(kind: str, bounds: dict[str, Any], **config: Any) -> dict[str, Any]:
    return {
        "key": "setting",
        "kind": kind,
        "label": "Setting",
        "binding": "parameter",
        "bounds": bounds,
        "config": config,
    }


def filled(template: dict[str, Any], **config: Any) -> dict[str, Any]:
    return template | {"config": template["config"] | config}


def found(template: dict[str, Any], variant: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e.path, e.message) for e in check_bounds(template, variant)]


STEP = {"name": "Review", "role": "official"}
CHILD = {"key": "child_name", "kind": "text", "label": "Name"}

WITHIN = [
    (parameter("text", {"max_length": {"max": 500}}), {"max_length": 500}),
    (parameter("long_text", {"max_length": {"min": 100}}), {"max_length": 100}),
    (parameter("number", {"min": 0, "max": 100}), {"min": 0, "max": 100}),
    (parameter("number", {"max": 100}), {"max": 99.5}),
    (parameter("money", {"max": "5000.00"}), {"max": 5000}),
    (
        parameter("date", {"min": "2024-01-01", "max": "2030-12-31"}),
        {"min": "2024-01-01", "max": "2030-12-31"},
    ),
    (parameter("date", {"min": "2024-01-01"}), {"min": "today"}),
    (parameter("single_choice", {"options": [A, B, C]}), {"options": [A, C]}),
    (
        parameter("single_choice", {"options": [A, B]}),
        {"options": [{"value": "a", "label": "Reworded"}]},
    ),
    (
        parameter("multiple_choice", {"max_selected": {"max": 2}}, options=[A, B]),
        {"max_selected": 2},
    ),
    (parameter("file", {"allowed_types": [".pdf", ".jpg"]}), {"allowed_types": [".jpg"]}),
    (parameter("file", {"max_size_mb": {"min": 5, "max": 20}}), {"max_size_mb": 5}),
    (parameter("group", {"max_items": {"max": 5}}, blocks=[CHILD]), {"max_items": 5}),
    (parameter("profile_question", {"options": [A, B]}), {"options": [B]}),
    (parameter("variant", {"term": {"max": 30}}), {"term": 30}),
    (parameter("step", {"share": {"min": 10, "max": 40}}, **STEP), {"share": 10}),
]


@pytest.mark.parametrize(("template", "config"), WITHIN)
@time_machine.travel(datetime(2025, 3, 1, 9, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=False)
def test_a_region_s_choice_within_the_bounds_passes(template: dict[str, Any], config: dict):
    # given a valid template block (the template itself passes its own checks)
    assert [e for e in validate_block(template) if "must be filled in" not in e.message] == []
    # when / then
    assert found(template, filled(template, **config)) == []


@pytest.mark.parametrize(
    ("template", "config", "expected"),
    [
        (
            parameter("text", {"max_length": {"max": 500}}),
            {"max_length": 501},
            [("config.max_length", "max_length must be at most 500, as the template allows.")],
        ),
        (
            parameter("text", {"max_length": {"max": 500}}),
            {},
            [("config.max_length", "The region must fill in max_length.")],
        ),
        (
            parameter("long_text", {"max_length": {"min": 100}}),
            {"max_length": 99},
            [("config.max_length", "max_length must be at least 100, as the template allows.")],
        ),
        (
            parameter("step", {"share": {"min": 10, "max": 40}}, **STEP),
            {"share": 41},
            [("config.share", "share must be from 10 to 40, as the template allows.")],
        ),
        (
            parameter("number", {"min": 0, "max": 100}),
            {"min": -5, "max": 150},
            [
                ("config.min", "min must be from 0 to 100, as the template allows."),
                ("config.max", "max must be from 0 to 100, as the template allows."),
            ],
        ),
        (
            parameter("number", {"min": 0, "max": 100}),
            {"min": 10},
            [("config.max", "The region must fill in max.")],
        ),
        (
            parameter("money", {"max": "5000.00"}),
            {"max": "5000.01"},
            [("config.max", "max must be at most 5000.00, as the template allows.")],
        ),
        (
            parameter("date", {"min": "2024-01-01", "max": "2030-12-31"}),
            {"min": "2023-12-31", "max": "2031-01-01"},
            [
                (
                    "config.min",
                    "min must be from 2024-01-01 to 2030-12-31, as the template allows.",
                ),
                (
                    "config.max",
                    "max must be from 2024-01-01 to 2030-12-31, as the template allows.",
                ),
            ],
        ),
        (
            parameter("date", {"max": "2024-12-31"}),
            {"max": "today"},
            [("config.max", "max must be at most 2024-12-31, as the template allows.")],
        ),
        (
            parameter("single_choice", {"options": [A, B]}),
            {"options": [A, C]},
            [
                (
                    "config.options[1].value",
                    "The option c is not among the options the template allows.",
                )
            ],
        ),
        (
            parameter("single_choice", {"options": [A, B]}),
            {"options": []},
            [("config.options", "The region must fill in options.")],
        ),
        (
            parameter("file", {"allowed_types": [".pdf", ".jpg"]}),
            {"allowed_types": [".pdf", ".docx"]},
            [
                (
                    "config.allowed_types[1]",
                    "The file type .docx is not among the types the template allows.",
                )
            ],
        ),
        (
            parameter("group", {"max_items": {"max": 5}}, blocks=[CHILD]),
            {"max_items": 6},
            [("config.max_items", "max_items must be at most 5, as the template allows.")],
        ),
        (
            parameter("variant", {"term": {"max": 30}}),
            {"term": 31},
            [("config.term", "term must be at most 30, as the template allows.")],
        ),
    ],
)
@time_machine.travel(datetime(2025, 3, 1, 9, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=False)
def test_a_region_s_choice_outside_the_bounds_is_named(template, config, expected) -> None:
    assert found(template, filled(template, **config)) == expected


def test_bounds_errors_carry_the_variant_block_s_path_and_key() -> None:
    # given
    template = parameter("text", {"max_length": {"max": 500}})
    # when
    errors = check_bounds(template, filled(template, max_length=600), path="blocks[2]")
    # then
    assert errors == [
        BlockError(
            "blocks[2].config.max_length",
            "setting",
            "max_length must be at most 500, as the template allows.",
        )
    ]


def test_a_block_that_is_not_a_parameter_has_no_bounds_to_check() -> None:
    # given a locked block whose config differs (allowed_overrides reports that, not this)
    template = {"key": "name", "kind": "text", "label": "Name", "binding": "locked"}
    variant = template | {"config": {"max_length": 5}}
    # when / then
    assert check_bounds(template, variant) == []


def locked(**attributes: Any) -> dict[str, Any]:
    return {
        "key": "benefit",
        "kind": "single_choice",
        "label": "Benefit",
        "help": "Choose one",
        "required": True,
        "condition": "",
        "binding": "locked",
        "overridable": [],
        "config": {"options": [A, B], "widget": "radio"},
    } | attributes


def overrides(template: dict[str, Any], **changes: Any) -> list[tuple[str, str]]:
    return [(e.path, e.message) for e in allowed_overrides(template, template | changes)]


def fixed(name: str) -> str:
    return f"The template fixes {name}; a region cannot change it."


def test_an_unchanged_block_passes() -> None:
    assert overrides(locked()) == []


def test_missing_attributes_compare_as_their_defaults() -> None:
    # given a template that leaves out help and a variant that writes it empty
    template = locked()
    del template["help"], template["overridable"]
    # when / then
    assert [(e.path, e.message) for e in allowed_overrides(template, locked(help=""))] == []


@pytest.mark.parametrize(
    ("overridable", "changes", "expected"),
    [
        (["label"], {"label": "Social benefit"}, []),
        (["label", "help"], {"label": "Social benefit", "help": "One"}, []),
        ([], {"label": "Social benefit"}, [("label", fixed("label"))]),
        (["label"], {"help": "Pick"}, [("help", fixed("help"))]),
        (["label", "help"], {"required": False}, [("required", fixed("required"))]),
        (["label"], {"condition": "age > 18"}, [("condition", fixed("condition"))]),
        (["label"], {"kind": "multiple_choice"}, [("kind", fixed("kind"))]),
        (["label"], {"binding": "local"}, [("binding", fixed("binding"))]),
        (["label"], {"overridable": ["label", "help"]}, [("overridable", fixed("overridable"))]),
        (
            ["label"],
            {"config": {"options": [A, B], "widget": "select"}},
            [("config.widget", fixed("widget"))],
        ),
        (
            ["label"],
            {"config": {"options": [A, B], "widget": "radio", "extra": 1}},
            [("config.extra", fixed("extra"))],
        ),
        (
            ["label"],
            {"config": {"options": [A], "widget": "radio"}},
            [("config.options", fixed("options"))],
        ),
        (
            ["options"],
            {"config": {"options": [{"value": "b", "label": "Reworded"}], "widget": "radio"}},
            [],
        ),
        (
            ["options"],
            {"config": {"options": [A, B, C], "widget": "radio"}},
            [
                (
                    "config.options[2].value",
                    "The option c is not among the template's options; a region may remove "
                    "options and reword them, but not add new ones.",
                )
            ],
        ),
    ],
)
def test_only_overridable_attributes_may_differ(overridable, changes, expected) -> None:
    assert overrides(locked(overridable=overridable), **changes) == expected


def test_check_bounds_also_reports_what_a_parameter_block_fixes() -> None:
    # given a parameter block whose region filled max_length and also changed label and pattern
    template = parameter("text", {"max_length": {"max": 500}}, pattern="[0-9]+")
    variant = filled(template, max_length=600, pattern=".*") | {"label": "Changed"}
    # when
    errors = check_bounds(template, variant, path="blocks[0]")
    # then the fixed attributes first, then the bounds
    assert [(e.path, e.message) for e in errors] == [
        ("blocks[0].label", fixed("label")),
        ("blocks[0].config.pattern", fixed("pattern")),
        ("blocks[0].config.max_length", "max_length must be at most 500, as the template allows."),
    ]


def test_a_parameter_block_s_bounded_settings_are_left_to_check_bounds() -> None:
    # given a parameter block whose region filled max_length and also changed the pattern
    template = parameter("text", {"max_length": {"max": 500}}, pattern="[0-9]+")
    variant = filled(template, max_length=400, pattern=".*")
    # when
    errors = allowed_overrides(template, variant, path="blocks[0]")
    # then only the unbounded setting is reported
    assert errors == [BlockError("blocks[0].config.pattern", "setting", fixed("pattern"))]
