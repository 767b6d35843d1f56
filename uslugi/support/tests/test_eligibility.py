"""Eligibility of one citizen: reasons in plain words, "almost", and missing data as
"cannot tell, we need X" — never a crash and never a wrong "not eligible"."""

from datetime import date
from typing import Any

import pytest
from django.utils import translation

from uslugi.support.eligibility import RuleRefused, Status, assess, check_rule, compile_measure
from uslugi.support.factories import UNIFIED_CRITERIA

TODAY = date(2026, 3, 2)
PARAMETERS = {"subsistence_minimum": 16477.0, "subsistence_minimum_child": 15983.0}


def unified() -> Any:
    return compile_measure(
        rule_id=1,
        service_id=1,
        service_code="ediny_posobie",
        region_code="56",
        name="Единое пособие",
        criteria=UNIFIED_CRITERIA,
        amount_expression="0.5 * $subsistence_minimum_child * count(children)",
    )


FAMILY = {
    "annual_income": 0.0,
    "other_adults": [{"annual_income": 290000.0}],
    "children": [{"birth_date": date(2026, 1, 20)}],
}


def test_an_eligible_family_gets_the_reasons_and_the_estimated_amount() -> None:
    # given a family of three living on 290 000 ₽ a year (8 055 ₽ a month per person)
    # when the unified allowance is assessed
    result = assess(unified(), FAMILY, PARAMETERS, TODAY)

    # then it is due, every criterion is a reason, and half the child minimum is the estimate
    assert result.status == Status.ELIGIBLE
    assert result.value is True
    assert result.held == [
        "в семье есть ребёнок младше 17 лет",
        "среднедушевой доход ниже прожиточного минимума",
    ]
    assert result.amount == 7991.5


def test_one_failing_criterion_makes_it_almost_with_the_answer_that_would_change_it() -> None:
    # given the same family with a high income
    profile = {**FAMILY, "other_adults": [{"annual_income": 900000.0}]}

    # when assessed
    with translation.override("en"):
        result = assess(unified(), profile, PARAMETERS, TODAY)

    # then it is almost due: what is missing and which answers would change it
    assert result.status == Status.ALMOST
    assert result.value is False
    assert result.failed == ["среднедушевой доход ниже прожиточного минимума"]
    assert result.change == [
        "details of the other adults of your family",
        "details of your children",
        "the income of each adult in the family",
        "your income for the last 12 months",
    ]
    assert result.amount is None


def test_a_failing_final_criterion_is_not_almost() -> None:
    # given a family without children
    profile = {**FAMILY, "children": []}

    # when assessed
    result = assess(unified(), profile, PARAMETERS, TODAY)

    # then it is simply not due
    assert result.status == Status.NOT_ELIGIBLE
    assert result.failed == ["в семье есть ребёнок младше 17 лет"]


@pytest.mark.parametrize(
    ("profile", "needed"),
    [
        (
            {**FAMILY, "other_adults": [{}]},
            ["the income of each adult in the family"],
        ),
        (
            {"children": [{"birth_date": date(2026, 1, 20)}]},
            ["details of the other adults of your family", "your income for the last 12 months"],
        ),
        (
            {**FAMILY, "annual_income": "не скажу", "other_adults": None},
            ["details of the other adults of your family", "your income for the last 12 months"],
        ),
    ],
)
def test_missing_data_says_cannot_tell_and_what_we_need(
    profile: dict[str, Any], needed: list[str]
) -> None:
    # given a profile with missing (or unusable) data
    # when assessed
    with translation.override("en"):
        result = assess(unified(), profile, PARAMETERS, TODAY)
        explanation = result.explanation()

    # then we cannot tell, we name what we need, and we never say "not eligible"
    assert result.status == Status.UNKNOWN
    assert result.value is None
    assert result.missing == needed
    assert explanation.startswith("Cannot tell, we need ")
    assert result.failed == []


def test_a_missing_parameter_is_named_too() -> None:
    # given no subsistence minimum for the day (the region has not published it)
    # when assessed
    with translation.override("en"):
        result = assess(unified(), FAMILY, {}, TODAY)

    # then the rule cannot tell and names the parameter in plain words
    assert result.status == Status.UNKNOWN
    assert result.missing == ["subsistence minimum per person (₽ a month)"]


def test_an_empty_profile_never_crashes() -> None:
    # given nothing known at all
    # when assessed
    result = assess(unified(), {}, PARAMETERS, TODAY)

    # then the measure is undecided, and everything it needs is asked at once
    assert result.status == Status.UNKNOWN
    assert result.missing_fields == ["annual_income", "children", "other_adults"]


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        (
            "annual_incom < 10",
            'Criterion 1: Unknown field "annual_incom" at line 1, column 1. '
            'Did you mean "annual_income"?',
        ),
        (
            "annual_income / 0 < 10",
            "Criterion 1: Division by zero at line 1, column 17.",
        ),
        (
            "annual_income / (2 - 2) < 10",
            "Criterion 1: Division by zero at line 1, column 18.",
        ),
        (
            "birth_date < 1990",
            "Criterion 1: Cannot compare a date with a number at line 1, column 12.",
        ),
        (
            "age(birth_date) >= $pension_age",
            'Criterion 1: Unknown parameter "$pension_age" at line 1, column 20. '
            'Did you mean "$pension_age_men"?',
        ),
    ],
)
def test_a_broken_rule_is_refused_with_its_position(expression: str, message: str) -> None:
    # given a criterion with a mistake
    # when it is checked
    with translation.override("en"), pytest.raises(RuleRefused) as refused:
        check_rule([{"text": "условие", "expression": expression}])

    # then the refusal names the criterion and the position
    assert refused.value.problems == [message]
