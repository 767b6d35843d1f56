"""The repeating group as a formset: items of child fields, with min/max items."""

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.utils import translation

from uslugi.constructor.blocks import formset_for, from_json, to_json


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def children(required: bool = False, **config: Any) -> dict[str, Any]:
    return {
        "key": "children",
        "kind": "group",
        "label": "Children",
        "required": required,
        "binding": "local",
        "config": {
            "blocks": [
                {"key": "child_name", "kind": "text", "label": "Name", "required": True},
                {"key": "child_birth_date", "kind": "date", "label": "Date of birth"},
                {"key": "child_snils", "kind": "snils", "label": "SNILS"},
            ],
            **config,
        },
    }


def post(*items: dict[str, str], initial: int = 0) -> dict[str, str]:
    """The data a browser sends for the group's items, under the prefix `children`."""
    data = {"children-TOTAL_FORMS": str(len(items)), "children-INITIAL_FORMS": str(initial)}
    for index, item in enumerate(items):
        data.update({f"children-{index}-{name}": value for name, value in item.items()})
    return data


ANNA = {"child_name": "Anna", "child_birth_date": "2020-05-01", "child_snils": "11223344595"}
PETR = {"child_name": "Petr", "child_birth_date": "", "child_snils": ""}
BLANK = {"child_name": "", "child_birth_date": "", "child_snils": ""}


def test_items_are_cleaned_into_a_list_of_records() -> None:
    # given
    formset_class = formset_for(children(min_items=1, max_items=3))
    # when
    formset = formset_class(post(ANNA, PETR), prefix="children")
    # then
    assert formset.is_valid(), formset.errors
    assert formset.answers() == [
        {
            "child_name": "Anna",
            "child_birth_date": date(2020, 5, 1),
            "child_snils": "112-233-445 95",
        },
        {"child_name": "Petr", "child_birth_date": None, "child_snils": ""},
    ]


def test_a_blank_extra_item_and_a_removed_item_are_not_answers() -> None:
    # given Petr ticked for removal and a blank item at the end
    formset_class = formset_for(children(max_items=3))
    data = post(ANNA, PETR, BLANK) | {"children-1-DELETE": "on"}
    # when
    formset = formset_class(data, prefix="children")
    # then
    assert formset.is_valid(), formset.errors
    assert formset.answers() == [
        {
            "child_name": "Anna",
            "child_birth_date": date(2020, 5, 1),
            "child_snils": "112-233-445 95",
        }
    ]


@pytest.mark.parametrize(
    ("group", "items", "expected"),
    [
        (children(min_items=1), [], ["Add at least 1 item."]),
        (children(min_items=2), [ANNA], ["Add at least 2 items."]),
        (children(required=True), [BLANK], ["Add at least 1 item."]),
        (children(max_items=1), [ANNA, PETR], ["Add no more than 1 item."]),
        (children(max_items=2), [ANNA, PETR, ANNA], ["Add no more than 2 items."]),
    ],
)
def test_the_number_of_items_stays_within_min_and_max(group, items, expected) -> None:
    # when
    formset = formset_for(group)(post(*items), prefix="children")
    # then
    assert formset.is_valid() is False
    assert formset.non_form_errors() == expected


def test_an_optional_group_may_stay_empty() -> None:
    # when
    formset = formset_for(children())(post(BLANK), prefix="children")
    # then
    assert formset.is_valid(), formset.errors
    assert formset.answers() == []


def test_a_child_s_error_is_reported_on_its_item() -> None:
    # given
    wrong = ANNA | {"child_snils": "112-233-445 94"}
    # when
    formset = formset_for(children())(post(ANNA, wrong), prefix="children")
    # then
    assert formset.is_valid() is False
    assert formset.errors == [
        {},
        {
            "child_snils": [
                "This SNILS does not exist: its last two digits do not match the others. "
                "Please check the number."
            ]
        },
    ]


@pytest.mark.parametrize(("min_items", "shown"), [(0, 1), (1, 1), (2, 2)])
def test_an_empty_group_shows_its_minimum_or_one_blank_item(min_items: int, shown: int) -> None:
    # when
    formset = formset_for(children(min_items=min_items))(prefix="children")
    # then
    assert len(formset.forms) == shown


def test_each_item_has_a_legend_from_item_label() -> None:
    # given
    labelled = formset_for(children(item_label="Child"))(prefix="children")
    plain = formset_for(children())(prefix="children")
    # when / then
    assert [labelled.item_legend(0), labelled.item_legend(1)] == ["Child 1", "Child 2"]
    assert plain.item_legend(1) == "Item 2"


def test_group_answers_round_trip_through_json_and_back_into_the_formset() -> None:
    # given the answers of a valid formset
    group = children()
    formset = formset_for(group)(post(ANNA), prefix="children")
    assert formset.is_valid(), formset.errors
    # when stored and read back
    stored = to_json(group, formset.answers())
    restored = from_json(group, stored)
    # then dates are ISO strings in JSON and dates again when read
    assert stored == [
        {"child_name": "Anna", "child_birth_date": "2020-05-01", "child_snils": "112-233-445 95"}
    ]
    assert restored == formset.answers()
    again = formset_for(group)(initial=restored, prefix="children")
    assert 'value="Anna"' in str(again.forms[0]["child_name"])
    assert len(again.forms) == 2  # the stored item and one blank to add another
    assert to_json(group, None) is None
