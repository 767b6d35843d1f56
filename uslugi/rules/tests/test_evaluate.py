"""The per-record path: every operator and function, Kleene logic, missing data, no value."""

from __future__ import annotations

import datetime as dt
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from uslugi.rules import Result, check, compile_expression
from uslugi.rules.tests.strategies import SCHEMA

TODAY = date(2025, 6, 1)
FAMILY = {
    "income": 90.0,
    "members": 3,
    "name": "Ivanova",
    "born": date(1990, 6, 2),
    "disabled": False,
    "codes": ["a", "b"],
    "amounts": [1.5, 2.5, -1.0],
    "applicant": {"birth_date": date(1990, 6, 1), "income": 1000.0},
    "family_members": [
        {"birth_date": date(2024, 2, 29), "income": 0.0, "relation": "child", "student": False},
        {
            "birth_date": date(2003, 1, 1),
            "income": 500.0,
            "relation": "son",
            "student": True,
            "incomes": [{"amount": 200.0}, {"amount": 300.0}],
        },
    ],
}


def evaluate(
    text: str, record: dict[str, Any] | None = None, parameters: dict[str, Any] | None = None
) -> Result:
    rule = compile_expression(check(text, SCHEMA, expected=None))
    return rule(FAMILY if record is None else record, parameters or {}, today=TODAY)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("income + 10", 100.0),
        ("income - 100", -10.0),
        ("income * members", 270.0),
        ("income / members", 30.0),
        ("7 % 3", 1.0),
        ("-7 % 3", 2.0),
        ("7 % -3", -2.0),
        ("-income", -90.0),
        ("2 + 3 * 4", 14.0),
        ("(2 + 3) * 4", 20.0),
        ("income == 90", True),
        ("income != 90", False),
        ("income < 90", False),
        ("income <= 90", True),
        ("income > 89.5", True),
        ("income >= 91", False),
        ('name == "Ivanova"', True),
        ('name < "J"', True),
        ('born > date("1990-06-01")', True),
        ("disabled == false", True),
        ('"a" in codes', True),
        ('"c" not in codes', True),
        ("members in [1, 2, 3]", True),
        ("members not in [1, 2, 3]", False),
        ('"child" in family_members.relation', True),
        ("true and false", False),
        ("true or false", True),
        ("not disabled", True),
        ("family_members.income", (0.0, 500.0)),
        ("[1, -2]", (1.0, -2.0)),
        ("$minimum", 17_000.0),
    ],
)
def test_every_operator(text: str, value: object) -> None:
    # when
    result = evaluate(text, parameters={"minimum": 17_000})

    # then
    assert result == Result(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("today()", TODAY),
        ("age(applicant.birth_date)", 35.0),
        ("age(born)", 34.0),
        ("age(max(family_members.birth_date))", 1.0),
        ('age(date("2024-02-29"))', 1.0),
        ('years_between(date("2024-02-29"), date("2025-02-28"))', 0.0),
        ('years_between(date("2024-02-29"), date("2025-03-01"))', 1.0),
        ('years_between(date("2025-01-01"), date("2024-06-01"))', -1.0),
        ('days_between(date("2025-01-01"), date("2025-03-01"))', 59.0),
        ("count(family_members)", 2.0),
        ("len(codes)", 2.0),
        ("sum(amounts)", 3.0),
        ("sum([])", 0.0),
        ("min(amounts)", -1.0),
        ("max(amounts)", 2.5),
        ("min(family_members.birth_date)", date(2003, 1, 1)),
        ("any(family_members, age(birth_date) < 3)", True),
        ("all(family_members, income > 0)", False),
        ("any(family_members, sum(incomes.amount) == 500)", True),
        ("any(family_members, count(incomes) == 2)", True),
    ],
)
def test_every_function(text: str, value: object) -> None:
    # when
    result = evaluate(text)

    # then
    assert result == Result(value)


T, F = "true", "false"
U = "income > 1"  # unknown over a record without income


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (f"{F} and {U}", False),
        (f"{U} and {F}", False),
        (f"{T} and {U}", None),
        (f"{U} and {T}", None),
        (f"{T} or {U}", True),
        (f"{U} or {T}", True),
        (f"{F} or {U}", None),
        (f"{U} or {F}", None),
        (f"not ({U})", None),
        (f"({U}) == true", None),
    ],
)
def test_and_or_not_follow_kleene_logic(text: str, value: bool | None) -> None:
    # when
    result = evaluate(text, record={})

    # then
    assert result.value is value
    assert result.missing == (frozenset({"income"}) if value is None else frozenset())


@pytest.mark.parametrize(
    ("record", "missing"),
    [
        ({}, {"family_members"}),
        ({"family_members": None}, {"family_members"}),
        ({"family_members": [{"income": 1.0}]}, {"family_members.birth_date"}),
        ({"family_members": [None]}, {"family_members.birth_date"}),
    ],
)
def test_a_quantifier_over_missing_data_is_unknown(
    record: dict[str, Any], missing: set[str]
) -> None:
    # when
    result = evaluate("any(family_members, age(birth_date) < 3)", record=record)

    # then
    assert result == Result(None, frozenset(missing))


def test_a_quantifier_decided_by_one_item_ignores_the_unknown_ones() -> None:
    # given one member with no birth date and one baby
    record = {"family_members": [{}, {"birth_date": date(2024, 1, 1)}]}

    # when
    result = evaluate("any(family_members, age(birth_date) < 3)", record=record)

    # then
    assert result == Result(True)


def test_a_rule_over_missing_data_names_every_missing_field() -> None:
    # given a profile with no income data and no parameter value
    record = {"members": 2, "family_members": [{"income": None}]}

    # when
    result = evaluate("(income + sum(family_members.income)) / members < $minimum", record)

    # then
    assert result == Result(None, frozenset({"income", "family_members.income", "$minimum"}))
    assert result.explain() == ("Cannot tell yet: we need $minimum, family_members.income, income.")


@pytest.mark.parametrize(
    ("text", "undefined"),
    [
        ("income / members", "income / members"),
        ("income % members", "income % members"),
        ("max(family_members.income)", "max(family_members.income)"),
        ("sum(family_members.income) / count(family_members)", None),
    ],
)
def test_no_value_is_unknown_with_the_operation_never_an_exception(
    text: str, undefined: str | None
) -> None:
    # given a record with a zero divisor and an empty family
    record = {"income": 100.0, "members": 0, "family_members": []}

    # when
    result = evaluate(text, record=record)

    # then
    assert result == Result(None, frozenset(), frozenset({undefined or text}))


def test_overflow_is_no_value() -> None:
    # given a number near the largest double
    record = {"income": 1e308}

    # when
    result = evaluate("income * 10 > 1", record=record)

    # then
    assert result == Result(None, frozenset(), frozenset({"income * 10"}))


@pytest.mark.parametrize(
    "value",
    ["90", True, float("nan"), float("inf"), [90], {"value": 90}, 10**400],
)
def test_a_value_of_the_wrong_type_counts_as_missing(value: object) -> None:
    # when
    result = evaluate("income > 1", record={"income": value})

    # then
    assert result == Result(None, frozenset({"income"}))


@pytest.mark.parametrize(
    "value", [90, 90.0, Decimal("90"), dt.datetime(2025, 1, 1, 12, 0), date(2025, 1, 1)]
)
def test_ints_decimals_and_datetimes_are_read_as_numbers_and_dates(value: object) -> None:
    # given
    field = "born" if isinstance(value, date) else "income"

    # when
    result = evaluate(f"{field} == {field}", record={field: value})

    # then
    assert result == Result(True)


def test_a_result_cannot_be_used_as_a_truth_value() -> None:
    # given
    result = evaluate("income > 1", record={})

    # when / then
    with pytest.raises(TypeError):
        bool(result)
    assert result.is_unknown
    assert not result.is_true
    assert not result.is_false


@time_machine.travel(dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC), tick=False)
def test_today_defaults_to_the_local_date() -> None:
    # given
    rule = compile_expression(check("age(born)", SCHEMA, expected=None))

    # when
    result = rule({"born": date(2020, 6, 1)})

    # then
    assert result == Result(5.0)
