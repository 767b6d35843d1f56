"""Edits of a draft definition: each returns a new definition and leaves the given one as it was."""

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from uslugi.constructor.blocks import UnknownBlockKind, validate_definition
from uslugi.constructor.demo import field, section
from uslugi.constructor.editing import (
    BlockNotFound,
    LockedBlock,
    add_block,
    move_block,
    new_key,
    remove_block,
    update_block,
)

DEFINITION: dict[str, Any] = {
    "schema_version": 1,
    "blocks": [
        section("applicant", "Applicant"),
        field("full_name", "text", "Full name"),
        field("phone", "phone", "Phone"),
        section("regional", "Regional", binding="extension_point"),
    ],
}


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def definition() -> dict[str, Any]:
    return copy.deepcopy(DEFINITION)


def keys(definition: dict[str, Any]) -> list[str]:
    return [block["key"] for block in definition["blocks"]]


def test_a_new_field_is_added_at_the_end_with_its_kinds_defaults(
    definition: dict[str, Any],
) -> None:
    # when
    result, key = add_block(definition, kind="text")
    # then
    assert key == "text_1"
    assert keys(result) == ["applicant", "full_name", "phone", "regional", "text_1"]
    assert result["blocks"][-1] == {
        "key": "text_1",
        "kind": "text",
        "label": "Text",
        "help": "",
        "required": True,
        "condition": "",
        "binding": "local",
        "config": {"max_length": 200},
    }
    assert validate_definition(result) == []
    assert definition == DEFINITION


def test_a_block_that_takes_no_answer_is_added_without_required(
    definition: dict[str, Any],
) -> None:
    # when
    result, key = add_block(definition, kind="section", after="full_name", binding="locked")
    # then
    assert key == "section_1"
    assert keys(result) == ["applicant", "full_name", "section_1", "phone", "regional"]
    assert result["blocks"][2] == {
        "key": "section_1",
        "kind": "section",
        "label": "Section",
        "help": "",
        "condition": "",
        "binding": "locked",
        "config": {"title": "New section"},
    }


def test_a_block_is_added_after_the_block_named() -> None:
    # given
    definition: dict[str, Any] = {"blocks": []}
    # when
    definition, first = add_block(definition, kind="yes_no")
    definition, second = add_block(definition, kind="yes_no")
    definition, third = add_block(definition, kind="yes_no", after=first)
    # then
    assert (first, second, third) == ("yes_no_1", "yes_no_2", "yes_no_3")
    assert keys(definition) == ["yes_no_1", "yes_no_3", "yes_no_2"]
    assert definition["schema_version"] == 1


def test_adding_after_an_unknown_block_or_of_an_unknown_kind_fails(
    definition: dict[str, Any],
) -> None:
    # when / then
    with pytest.raises(BlockNotFound):
        add_block(definition, kind="text", after="nowhere")
    with pytest.raises(UnknownBlockKind):
        add_block(definition, kind="hologram")
    assert definition == DEFINITION


@pytest.mark.parametrize(
    ("blocks", "kind", "expected"),
    [
        ([], "text", "text_1"),
        ([field("text_1", "text", "A")], "text", "text_2"),
        ([field("text_1", "text", "A"), field("text_3", "text", "C")], "text", "text_2"),
        ([field("text_1", "text", "A")], "number", "number_1"),
        (
            [
                {
                    "key": "children",
                    "kind": "group",
                    "label": "Children",
                    "config": {"blocks": [field("text_1", "text", "Name")]},
                }
            ],
            "text",
            "text_2",
        ),
    ],
)
def test_a_new_key_is_free_in_the_whole_definition_groups_included(
    blocks: list[dict[str, Any]], kind: str, expected: str
) -> None:
    # when
    key = new_key({"schema_version": 1, "blocks": blocks}, kind)
    # then
    assert key == expected


def test_a_block_is_removed(definition: dict[str, Any]) -> None:
    # when
    result = remove_block(definition, key="phone", protected=frozenset({"full_name"}))
    # then
    assert keys(result) == ["applicant", "full_name", "regional"]
    assert definition == DEFINITION


def test_a_protected_template_block_cannot_be_removed(definition: dict[str, Any]) -> None:
    # when
    with pytest.raises(LockedBlock) as refusal:
        remove_block(definition, key="full_name", protected=frozenset({"applicant", "full_name"}))
    # then
    assert refusal.value.message == "This block comes from the federal template and is locked."
    assert definition == DEFINITION


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: remove_block(d, key="nowhere"),
        lambda d: move_block(d, key="nowhere", offset=1),
        lambda d: update_block(d, key="nowhere", changes={"label": "X"}),
    ],
)
def test_an_unknown_key_is_not_found(definition: dict[str, Any], edit: Any) -> None:
    # when
    with pytest.raises(BlockNotFound) as refusal:
        edit(definition)
    # then
    assert refusal.value.message == "There is no such block in the definition."
    assert refusal.value.status == 404
    assert definition == DEFINITION


@pytest.mark.parametrize(
    ("key", "offset", "expected"),
    [
        ("phone", -1, ["applicant", "phone", "full_name", "regional"]),
        ("full_name", 1, ["applicant", "phone", "full_name", "regional"]),
        ("applicant", -1, ["applicant", "full_name", "phone", "regional"]),
        ("regional", 1, ["applicant", "full_name", "phone", "regional"]),
        ("applicant", 10, ["full_name", "phone", "regional", "applicant"]),
    ],
)
def test_a_block_moves_up_or_down_and_stays_at_either_end(
    definition: dict[str, Any], key: str, offset: int, expected: list[str]
) -> None:
    # when
    result = move_block(definition, key=key, offset=offset)
    # then
    assert keys(result) == expected
    assert definition == DEFINITION


def test_updating_a_block_replaces_its_attributes_but_never_its_key_or_kind(
    definition: dict[str, Any],
) -> None:
    # when
    result = update_block(
        definition,
        key="full_name",
        changes={
            "label": "Surname and name",
            "config": {"max_length": 100},
            "key": "renamed",
            "kind": "number",
        },
    )
    # then
    assert result["blocks"][1] == {
        **DEFINITION["blocks"][1],
        "label": "Surname and name",
        "config": {"max_length": 100},
    }
    assert definition == DEFINITION
