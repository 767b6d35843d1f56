"""Pure functions over a situation's definition: inclusion, dependencies, renaming, checks."""

from typing import Any

import pytest
from django.utils import translation

from uslugi.situations.definition import (
    DependencyCycle,
    Item,
    check_definition,
    combined_definition,
    dependency_order,
    feeds,
    item_answers,
    items_of,
    rename_fields,
)
from uslugi.situations.planning import included_items

QUESTIONS = [
    {"key": "child_count", "kind": "number", "label": "Детей", "required": True},
    {"key": "not_working", "kind": "yes_no", "label": "Не работает?", "required": True},
]


def definition(**extra: Any) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "questions": QUESTIONS,
        "shared": [],
        "items": [
            {"key": "birth", "service": "reg_rozhd"},
            {
                "key": "large",
                "service": "mnogodet_udost",
                "condition": "child_count >= 3",
                "depends_on": ["birth"],
            },
            {"key": "allowance", "service": "posobie_rozhd", "condition": "not_working"},
        ],
        **extra,
    }


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"child_count": 1, "not_working": False}, ["birth"]),
        ({"child_count": 3, "not_working": False}, ["birth", "large"]),
        ({"child_count": 4, "not_working": True}, ["birth", "allowance", "large"]),
        ({}, ["birth"]),  # unknown answers include nothing conditional
    ],
)
def test_items_are_included_by_their_conditions(
    answers: dict[str, Any], expected: list[str]
) -> None:
    # when
    included, left_out = included_items(definition(), answers)
    # then
    assert [item.key for item in included] == expected
    assert {item.key for item in left_out} == {"birth", "large", "allowance"} - set(expected)


def test_dependency_order_puts_each_item_after_what_it_waits_for() -> None:
    # given items listed before their dependencies
    items = [
        Item("matcap", "matcap_cert", depends_on=("birth",)),
        Item("allowance", "posobie_rozhd", depends_on=("birth", "snils")),
        Item("snils", "snils"),
        Item("birth", "reg_rozhd"),
    ]
    # when
    order = [item.key for item in dependency_order(items)]
    # then
    assert order == ["snils", "birth", "matcap", "allowance"]


def test_a_cycle_has_no_order_and_is_refused_at_publish() -> None:
    # given
    cyclic = definition(
        items=[
            {"key": "a", "service": "reg_rozhd", "depends_on": ["b"]},
            {"key": "b", "service": "dou", "depends_on": ["a"]},
        ]
    )
    # then
    with pytest.raises(DependencyCycle):
        dependency_order(items_of(cyclic))
    with translation.override("en"):
        problems = check_definition(cyclic, {"reg_rozhd": {"blocks": []}, "dou": {"blocks": []}})
    assert problems == ["Items wait for each other in a cycle: a, b."]


def test_rename_fields_renames_field_references_only() -> None:
    rename = {"married": "birth__married", "count": "n"}.get
    assert (
        rename_fields('married and count > 2 or name == "married"', lambda k: rename(k) or k)
        == 'birth__married and n > 2 or name == "married"'
    )
    # inside any/all the condition names fields of one group item: left alone
    assert (
        rename_fields("any(children, married)", lambda k: f"x__{k}") == "any(x__children, married)"
    )


VARIANT = {
    "blocks": [
        {"key": "applicant", "kind": "section", "label": "Заявитель", "config": {"title": "З"}},
        {"key": "last_name", "kind": "text", "label": "Фамилия", "required": True},
        {"key": "married", "kind": "yes_no", "label": "В браке?", "required": True},
        {
            "key": "spouse",
            "kind": "text",
            "label": "Супруг",
            "required": True,
            "condition": 'married and last_name != ""',
        },
        {"key": "passport", "kind": "document", "label": "Паспорт", "config": {}},
    ]
}


def test_combined_definition_asks_shared_facts_once_and_prefixes_the_rest() -> None:
    # given a shared last name feeding two items of different services
    situation = definition(
        shared=[
            {
                "key": "surname",
                "kind": "text",
                "label": "Фамилия",
                "required": True,
                "maps": {"birth": "last_name", "allowance": "last_name"},
            }
        ]
    )
    items = [Item("birth", "reg_rozhd"), Item("allowance", "posobie_rozhd")]
    # when
    combined = combined_definition(
        situation, items, {"birth": VARIANT, "allowance": VARIANT}, {"birth": "Р", "allowance": "П"}
    )
    # then the surname is asked once, each item's own fields are prefixed, no documents
    keys = [block["key"] for block in combined["blocks"]]
    assert keys == [
        "shared",
        "surname",
        "birth__applicant",
        "birth__married",
        "birth__spouse",
        "allowance__applicant",
        "allowance__married",
        "allowance__spouse",
    ]
    assert keys.count("surname") == 1
    # and conditions read the new keys
    spouse = combined["blocks"][4]
    assert spouse["condition"] == 'birth__married and surname != ""'
    # and each service gets the shared fact under its own field key
    fed = feeds(situation, items)
    answers = {"surname": "Иванова", "birth__married": True, "allowance__married": False}
    assert item_answers("birth", answers, fed["birth"]) == {
        "married": True,
        "last_name": "Иванова",
    }
    assert item_answers("allowance", answers, fed["allowance"]) == {
        "married": False,
        "last_name": "Иванова",
    }


def test_publishing_checks_name_every_problem() -> None:
    # given a definition with a type error, a missing service, a dangling dependency and bad maps
    broken = definition(
        items=[
            {"key": "birth", "service": "reg_rozhd", "condition": 'child_count == "three"'},
            {"key": "large", "service": "mnogodet_udost", "depends_on": ["nowhere"]},
        ],
        shared=[
            {"key": "surname", "kind": "text", "maps": {"birth": "no_such_field"}},
            {"key": "married", "kind": "text", "maps": {"birth": "married"}},
        ],
    )
    # when
    with translation.override("en"):
        problems = check_definition(broken, {"reg_rozhd": VARIANT, "mnogodet_udost": None})
    # then the condition's problem says where it is
    assert problems[0] == (
        "Item «birth», condition: Cannot compare a number with a string at line 1, column 13."
    )
    assert problems[1:] == [
        "Item «large»: the service mnogodet_udost has no published variant in force in this "
        "region.",
        "Item «large» depends on «nowhere», which is not in the situation.",
        "Shared fact «surname»: the service reg_rozhd has no field «no_such_field».",
        "Shared fact «married» is a text; the field «married» of reg_rozhd is a yes_no.",
    ]


def test_a_question_may_not_feed_a_field_that_a_condition_reads() -> None:
    # given a question feeding «married», which the spouse's condition reads
    situation = definition(
        items=[{"key": "birth", "service": "reg_rozhd"}],
        questions=[{"key": "is_married", "kind": "yes_no", "maps": {"birth": "married"}}],
    )
    # when
    with translation.override("en"):
        problems = check_definition(situation, {"reg_rozhd": VARIANT})
    # then
    assert problems == [
        "Question «is_married» feeds «married» of reg_rozhd, which a condition of that service "
        "reads; feed it from a shared fact instead."
    ]
