"""The type checker: publish-time errors with positions, result types and scoping."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from uslugi.rules import BOOLEAN, DATE, NUMBER, RuleError, check, collect_errors, parse
from uslugi.rules import errors as e
from uslugi.rules.tests.strategies import SCHEMA
from uslugi.rules.types import STRING, UNKNOWN, InvalidSchema, ListType, Schema, Type


@pytest.mark.parametrize(
    ("text", "error", "column"),
    [
        ("applicant.birth_date > 5", e.IncomparableTypes, 22),
        ("name == 1", e.IncomparableTypes, 6),
        ("codes == codes", e.IncomparableTypes, 7),
        ("disabled < true", e.UnorderedType, 10),
        ("aplicant.income > 1", e.UnknownField, 1),
        ("income > $minimun", e.UnknownParameter, 10),
        ("applicant > 1", e.RecordNotAllowed, 1),
        ("family_members > 1", e.GroupNotAllowed, 1),
        ("income.amount > 1", e.NotARecord, 1),
        ("family_members.incomes.amount == [1]", e.NestedGroupPath, 1),
        ("income / 0 > 1", e.DivisionByZero, 10),
        ("income % (2 - 2) > 1", e.DivisionByZero, 11),
        ("born + 1 > 1", e.ArithmeticTypeMismatch, 6),
        ("-name == 1", e.NegationTypeMismatch, 2),
        ('"a" in amounts', e.MembershipTypeMismatch, 5),
        ("income in name", e.MembershipTypeMismatch, 8),
        ("[1, 'a'] == []", e.MixedList, 5),
        ("income and disabled", e.ConditionNotBoolean, 1),
        ("not income", e.ConditionNotBoolean, 5),
        ("income + 1", e.ConditionNotBoolean, 1),
        ("age(income) > 1", e.WrongArgumentType, 5),
        ("count(amounts) > 1", e.WrongArgumentType, 7),
        ("sum(codes) > 1", e.WrongArgumentType, 5),
        ("any(amounts, true)", e.WrongArgumentType, 5),
        ("age() > 1", e.WrongArgumentCount, 1),
        ("count(family_members, 1) > 1", e.WrongArgumentCount, 1),
        ("any(family_members, income)", e.ConditionNotBoolean, 21),
        ("any(family_members, born > today())", e.UnknownField, 21),
    ],
)
def test_type_errors_carry_their_position(text: str, error: type, column: int) -> None:
    # when
    with pytest.raises(error) as raised:
        check(text, SCHEMA)

    # then
    assert raised.value.position.column == column
    assert f"column {column}" in raised.value.message


def test_comparing_a_date_with_a_number_says_so() -> None:
    # when
    with pytest.raises(e.IncomparableTypes) as raised:
        check("applicant.birth_date > 5", SCHEMA)

    # then
    assert raised.value.message == "Cannot compare a date with a number at line 1, column 22."


def test_unknown_field_suggests_the_closest_path() -> None:
    # when
    with pytest.raises(e.UnknownField) as raised:
        check("aplicant.income > 1", SCHEMA)

    # then
    assert raised.value.message == (
        'Unknown field "aplicant.income" at line 1, column 1. Did you mean "applicant.income"?'
    )


def test_outer_fields_are_not_visible_inside_any() -> None:
    # when
    with pytest.raises(e.UnknownField) as raised:
        check("any(family_members, disabled)", SCHEMA)

    # then
    assert raised.value.message.endswith(
        'Inside any() only the fields of "family_members" can be used.'
    )


def test_collect_errors_reports_every_error_in_order() -> None:
    # given three independent mistakes
    text = "aplicant.income > 1 and born > 5 or income / 0 > $nope"

    # when
    found = collect_errors(text, SCHEMA)

    # then
    assert [(type(error), error.position.column) for error in found] == [
        (e.UnknownField, 1),
        (e.IncomparableTypes, 30),
        (e.DivisionByZero, 46),
        (e.UnknownParameter, 50),
    ]


def test_collect_errors_returns_the_parse_error_alone() -> None:
    # when
    found = collect_errors("income > ", SCHEMA)

    # then
    assert [type(error) for error in found] == [e.UnexpectedToken]


def test_a_valid_expression_has_no_errors() -> None:
    # when
    found = collect_errors("sum(family_members.income) < $minimum", SCHEMA)

    # then
    assert found == []


@pytest.mark.parametrize(
    ("text", "expected", "type_"),
    [
        ("income * 2", NUMBER, NUMBER),
        ("max(family_members.birth_date)", DATE, DATE),
        ("family_members.relation", None, ListType(STRING)),
        ("[]", None, ListType(UNKNOWN)),
        ("any(family_members, any(incomes, amount > 0))", BOOLEAN, BOOLEAN),
    ],
)
def test_expressions_have_the_type_of_their_value(
    text: str, expected: Type | None, type_: Type
) -> None:
    # when
    checked = check(text, SCHEMA, expected=expected)

    # then
    assert checked.type == type_


def test_a_number_where_a_date_is_expected_is_refused() -> None:
    # when
    with pytest.raises(e.WrongResultType) as raised:
        check("income", SCHEMA, expected=DATE)

    # then
    assert raised.value.message == (
        "The expression must give a date, but gives a number (line 1, column 1)."
    )


def test_checked_expression_lists_what_it_reads() -> None:
    # when
    checked = check(
        "any(family_members, age(birth_date) < 3) and applicant.income < $minimum", SCHEMA
    )

    # then
    assert checked.fields == frozenset(
        {"family_members", "family_members.birth_date", "applicant.income"}
    )
    assert checked.parameters == frozenset({"minimum"})
    assert checked.needs_today is True
    assert checked.node == parse(checked.source)


def test_schema_refuses_unknown_type_names() -> None:
    # when
    with pytest.raises(InvalidSchema) as raised:
        Schema.from_dict({"income": "money"})

    # then
    assert "income: 'money' is not a type" in str(raised.value)


@settings(max_examples=300)
@given(st.text(alphabet="abincomefamily_members.()$<>=!+-*/% 0123'\"[],", max_size=30))
def test_random_text_raises_nothing_but_rule_errors(text: str) -> None:
    # when / then: a RuleError or a checked expression, never another exception
    try:
        checked = check(text, SCHEMA)
    except RuleError:
        return
    assert checked.type == BOOLEAN
