"""The attributes every block shares and the definition as a whole."""

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from uslugi.constructor.blocks import BlockError, validate_block, validate_definition


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def block(**attributes: Any) -> dict[str, Any]:
    return {"key": "question", "kind": "text", "label": "Question", "binding": "local"} | attributes


def problems(value: Any, **kwargs: Any) -> list[tuple[str, str]]:
    return [(e.path, e.message) for e in validate_block(value, **kwargs)]


KEY_MESSAGE = (
    "key must start with a small Latin letter and contain only small Latin letters, digits and "
    "underscores, 63 characters at most."
)

APPLICATION = {
    "schema_version": 1,
    "blocks": [
        {
            "key": "about_you",
            "kind": "section",
            "binding": "extension_point",
            "config": {"title": "About you"},
        },
        {
            "key": "applicant_snils",
            "kind": "snils",
            "label": "SNILS",
            "help": "",
            "required": True,
            "condition": "",
            "binding": "locked",
            "overridable": ["label", "help"],
            "config": {},
            "bounds": {},
        },
        {
            "key": "benefit",
            "kind": "single_choice",
            "label": "Benefit",
            "binding": "parameter",
            "bounds": {"options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]},
        },
        {
            "key": "children",
            "kind": "group",
            "label": "Children",
            "binding": "locked",
            "config": {
                "blocks": [
                    {"key": "child_name", "kind": "text", "label": "Name", "required": True},
                    {"key": "child_birth_date", "kind": "date", "label": "Date of birth"},
                ],
                "max_items": 5,
            },
        },
    ],
}


def test_a_complete_definition_is_valid() -> None:
    assert validate_definition(APPLICATION) == []


@pytest.mark.parametrize("key", ["Applicant", "1st", "snils-number", "a" * 64, "", 5, None])
def test_a_key_outside_the_pattern_is_named(key: Any) -> None:
    assert problems(block(key=key)) == [("key", KEY_MESSAGE)]


@pytest.mark.parametrize("key", ["a", "applicant_snils", "x2", "a" * 63])
def test_a_key_in_the_pattern_passes(key: str) -> None:
    assert problems(block(key=key)) == []


def test_a_block_without_a_key_is_reported_without_a_block_key() -> None:
    # given
    keyless = block()
    del keyless["key"]
    # when
    errors = validate_block(keyless, path="blocks[0]")
    # then
    assert errors == [BlockError("blocks[0].key", "", KEY_MESSAGE)]


def test_an_unknown_kind_stops_the_block_s_other_checks() -> None:
    assert problems(block(kind="signature", config={"anything": 1})) == [
        ("kind", "There is no block kind signature.")
    ]


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        ({"label": ""}, [("label", "A field needs a label: the question the citizen reads.")]),
        ({"label": "   "}, [("label", "A field needs a label: the question the citizen reads.")]),
        ({"label": 5}, [("label", "label must be text.")]),
        ({"help": None}, [("help", "help must be text.")]),
        ({"required": "yes"}, [("required", "required must be true or false.")]),
        (
            {"condition": 1},
            [("condition", "condition must be text: an expression, or empty for always.")],
        ),
        (
            {"binding": "fixed"},
            [("binding", "binding must be one of: locked, parameter, extension_point, local.")],
        ),
        (
            {"binding": "extension_point"},
            [("binding", "Only a section can be an extension point.")],
        ),
        (
            {"overridable": ["label", "config"]},
            [("overridable", "overridable may list only: label, help, options.")],
        ),
        (
            {"overridable": ["options"]},
            [("overridable", "options can be overridable only on a block that has options.")],
        ),
        (
            {"binding": "locked", "bounds": {"max_length": {"max": 10}}},
            [("bounds", "Only a parameter block can have bounds.")],
        ),
        ({"bounds": []}, [("bounds", "bounds must be an object of named settings.")]),
        (
            {"binding": "parameter"},
            [
                (
                    "bounds",
                    "A parameter block must name in bounds at least one setting the region "
                    "fills: max_length.",
                )
            ],
        ),
        (
            {"binding": "parameter", "bounds": {"pattern": ".*"}},
            [
                (
                    "bounds.pattern",
                    "A region cannot fill pattern of this block; bounds may name: max_length.",
                )
            ],
        ),
        (
            {"binding": "parameter", "bounds": {"max_length": 500}},
            [
                (
                    "bounds.max_length",
                    "bounds for max_length must give min, max or both, each a whole number "
                    "from 1 to 1000.",
                )
            ],
        ),
        (
            {"binding": "parameter", "bounds": {"max_length": {"min": 600, "max": 500}}},
            [("bounds.max_length.min", "max_length.min must not be greater than max_length.max.")],
        ),
        ({"config": []}, [("config", "config must be an object of named settings.")]),
        ({"lable": "Typo"}, [("lable", "A block has no attribute lable.")]),
    ],
)
def test_common_attributes(attributes: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    assert problems(block(**attributes)) == expected


def test_a_block_must_have_a_binding_outside_a_group() -> None:
    # given
    unbound = block()
    del unbound["binding"]
    # when / then
    assert problems(unbound) == [
        ("binding", "binding must be one of: locked, parameter, extension_point, local.")
    ]


def test_required_is_only_for_fields() -> None:
    # given a section marked required
    section = block(kind="section", label="", required=True, config={"title": "About you"})
    # when / then
    assert problems(section) == [
        ("required", "Only a field can be required; a block of kind “Section” takes no answer.")
    ]
    assert problems(section | {"required": False}) == []


def test_a_kind_without_region_settings_cannot_be_a_parameter() -> None:
    assert problems(block(kind="yes_no", binding="parameter", bounds={"x": 1})) == [
        (
            "binding",
            "A block of kind “Yes or no” has no settings a region could fill, so it cannot be a "
            "parameter.",
        )
    ]


@pytest.mark.parametrize(
    ("kind", "bounds", "config"),
    [
        ("text", {"max_length": {"max": 500}}, {}),
        ("number", {"min": 0, "max": 100}, {"integer": True}),
        ("money", {"max": "5000.00"}, {}),
        ("date", {"min": "2024-01-01", "max": "2030-12-31"}, {}),
        ("single_choice", {"options": [{"value": "a", "label": "A"}]}, {}),
        ("multiple_choice", {"options": [{"value": "a", "label": "A"}]}, {"max_selected": 1}),
        ("file", {"allowed_types": [".pdf"], "max_size_mb": {"max": 20}}, {}),
        (
            "group",
            {"max_items": {"max": 10}},
            {"blocks": [{"key": "n", "kind": "text", "label": "N"}]},
        ),
        ("profile_question", {"options": [{"value": "a", "label": "A"}]}, {}),
        ("variant", {"term": {"max": 30}}, {"title": "By post", "term_kind": "working"}),
        ("step", {"share": {"min": 10, "max": 40}}, {"name": "Review", "role": "official"}),
    ],
)
def test_a_parameter_block_may_leave_its_bounded_settings_to_the_region(
    kind: str, bounds: dict[str, Any], config: dict[str, Any]
) -> None:
    # given a template block whose bounded settings are not filled yet
    template_block = block(kind=kind, binding="parameter", bounds=bounds, config=config)
    # when / then
    assert problems(template_block) == []


@pytest.mark.parametrize(
    ("kind", "bounds", "expected"),
    [
        ("number", {"min": "zero"}, [("bounds.min", "min must be a number.")]),
        ("number", {"min": 10, "max": 0}, [("bounds.min", "min must not be greater than max.")]),
        (
            "date",
            {"max": "31.12.2030"},
            [("bounds.max", "max must be a date written as YYYY-MM-DD, or the word today.")],
        ),
        (
            "single_choice",
            {"options": []},
            [("bounds.options", "options must list at least one option.")],
        ),
        (
            "file",
            {"allowed_types": ["PDF"]},
            [
                (
                    "bounds.allowed_types[0]",
                    "allowed_types must list file extensions written like .pdf (a dot, then "
                    "small Latin letters or digits); PDF is not one.",
                )
            ],
        ),
    ],
)
def test_malformed_bounds(kind: str, bounds: dict[str, Any], expected: list[tuple[str, str]]):
    assert (
        problems(
            block(
                kind=kind,
                binding="parameter",
                bounds=bounds,
                config={"options": [{"value": "a", "label": "A"}]} if "choice" in kind else {},
            )
        )
        == expected
    )


def test_the_condition_goes_to_the_hook_and_its_problems_come_back_at_the_condition() -> None:
    # given a hook standing in for the rules language
    seen: list[str] = []

    def check_condition(condition: str) -> list[str]:
        seen.append(condition)
        return ["Unknown name agee."] if "agee" in condition else []

    definition = {
        "schema_version": 1,
        "blocks": [
            block(key="age", kind="number", condition=""),
            block(key="pension", condition="agee >= 60"),
            block(
                key="items",
                kind="group",
                config={"blocks": [block(key="item", condition="agee > 1")]},
            ),
        ],
    }
    # when
    errors = validate_definition(definition, check_condition=check_condition)
    # then empty conditions are not checked, children are
    assert seen == ["agee >= 60", "agee > 1"]
    assert errors == [
        BlockError("blocks[1].condition", "pension", "Unknown name agee."),
        BlockError("blocks[2].config.blocks[0].condition", "item", "Unknown name agee."),
    ]


def test_without_a_hook_conditions_are_not_parsed() -> None:
    assert problems(block(condition="this is not ( an expression")) == []


@pytest.mark.parametrize(
    ("definition", "expected"),
    [
        ("blocks", [("", "A definition must be an object with schema_version and blocks.")]),
        ({"schema_version": 2, "blocks": []}, [("schema_version", "schema_version must be 1.")]),
        ({"schema_version": "1", "blocks": []}, [("schema_version", "schema_version must be 1.")]),
        ({"schema_version": True, "blocks": []}, [("schema_version", "schema_version must be 1.")]),
        ({"blocks": []}, [("schema_version", "schema_version must be 1.")]),
        ({"schema_version": 1}, [("blocks", "blocks must be a list of blocks.")]),
        ({"schema_version": 1, "blocks": {}}, [("blocks", "blocks must be a list of blocks.")]),
        (
            {"schema_version": 1, "blocks": [], "title": "x"},
            [("title", "A definition has no attribute title.")],
        ),
        (
            {"schema_version": 1, "blocks": ["text"]},
            [("blocks[0]", "A block must be an object with a key, a kind and its settings.")],
        ),
        ({"schema_version": 1, "blocks": []}, []),
    ],
)
def test_the_definition_itself(definition: Any, expected: list[tuple[str, str]]) -> None:
    assert [(e.path, e.message) for e in validate_definition(definition)] == expected


DUPLICATE = (
    "The key %s is used by more than one block; each key must be unique in the whole form, "
    "groups included."
)


def test_keys_are_unique_across_the_definition_including_groups() -> None:
    # given the same key at the top, inside a group, and twice inside another group
    definition = {
        "schema_version": 1,
        "blocks": [
            block(key="name"),
            block(key="children", kind="group", config={"blocks": [block(key="name")]}),
            block(key="name"),
            block(
                key="pets",
                kind="group",
                config={"blocks": [block(key="pet"), block(key="pet")]},
            ),
            block(key="children"),
        ],
    }
    # when
    errors = validate_definition(definition)
    # then every later use is reported where it is
    assert errors == [
        BlockError("blocks[1].config.blocks[0].key", "name", DUPLICATE % "name"),
        BlockError("blocks[2].key", "name", DUPLICATE % "name"),
        BlockError("blocks[3].config.blocks[1].key", "pet", DUPLICATE % "pet"),
        BlockError("blocks[4].key", "children", DUPLICATE % "children"),
    ]


def test_a_group_holds_only_answer_fields_and_no_group() -> None:
    # given a group holding a group, a section, a profile question, a bad child and a good one
    definition = {
        "schema_version": 1,
        "blocks": [
            block(
                key="family",
                kind="group",
                config={
                    "blocks": [
                        block(key="inner", kind="group", config={"blocks": [block(key="deep")]}),
                        block(key="heading", kind="section", label="", config={"title": "T"}),
                        block(
                            key="profile",
                            kind="profile_question",
                            config={"options": [{"value": "a", "label": "A"}]},
                        ),
                        {"key": "relation", "kind": "text", "label": ""},
                        {"key": "member_name", "kind": "text", "label": "Name"},
                    ]
                },
            )
        ],
    }
    # when
    errors = validate_definition(definition)
    # then the nested group is refused without looking inside it, and children need no binding
    assert [(e.path, e.block_key, e.message) for e in errors] == [
        ("blocks[0].config.blocks[0].kind", "inner", "A group cannot contain another group."),
        (
            "blocks[0].config.blocks[1].kind",
            "heading",
            "A group can contain only fields that take an answer, such as text, a date or a "
            "choice; a block of kind “Section” cannot be inside a group.",
        ),
        (
            "blocks[0].config.blocks[2].kind",
            "profile",
            "A group can contain only fields that take an answer, such as text, a date or a "
            "choice; a block of kind “Profile question” cannot be inside a group.",
        ),
        (
            "blocks[0].config.blocks[3].label",
            "relation",
            "A field needs a label: the question the citizen reads.",
        ),
    ]


def test_a_block_error_is_a_frozen_value() -> None:
    # given
    error = BlockError("blocks[0].key", "name", "message")
    # when / then
    with pytest.raises(dataclasses.FrozenInstanceError):
        error.message = "changed"
    assert error == BlockError("blocks[0].key", "name", "message")
