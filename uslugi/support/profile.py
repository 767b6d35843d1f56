"""The citizen profile that eligibility rules read, and the parameters they may name (pure).

A profile is a plain dict shaped by `PROFILE_SCHEMA`; any value may be absent, and an absent value
is missing data ("cannot tell, we need X"), never a zero. Groups (`other_adults`, `children`) are
None when the family is not known yet and an empty list when there is nobody of that kind.

Rules never hard-code a number that changes with the year or the region: they name a parameter
(`$subsistence_minimum`), whose value for a region and a day comes from `RegionalParameter` rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from uslugi.rules import Schema

ADULT = {
    "birth_date": "date",
    "annual_income": "number",
    "employed": "boolean",
    "valid_reason_no_income": "boolean",
}
CHILD = {"birth_date": "date", "disabled": "boolean"}

FIELDS: dict[str, Any] = {
    "region": "string",
    "birth_date": "date",
    "sex": "string",
    "employed": "boolean",
    "annual_income": "number",
    "valid_reason_no_income": "boolean",
    "disability_group": "number",
    "insurance_years": "number",
    "pension_points": "number",
    "work_years": "number",
    "labour_award": "boolean",
    "regional_award": "boolean",
    "veteran_of_labour": "boolean",
    "receives_pension": "boolean",
    "flats": "number",
    "living_area": "number",
    "utility_costs": "number",
    "benefits": "list[string]",
    "other_adults": [ADULT],
    "children": [CHILD],
}

PARAMETERS: dict[str, str] = {
    "subsistence_minimum": "number",
    "subsistence_minimum_child": "number",
    "subsistence_minimum_working": "number",
    "subsistence_minimum_pensioner": "number",
    "zero_income_threshold": "number",
    "birth_allowance": "number",
    "maternity_capital_first": "number",
    "pension_age_women": "number",
    "pension_age_men": "number",
    "pension_points_minimum": "number",
    "insurance_years_minimum": "number",
    "utility_share_limit": "number",
    "veteran_monthly_payment": "number",
    "disabled_child_care_payment": "number",
}

PROFILE_SCHEMA = Schema.from_dict(FIELDS, PARAMETERS)

# Plain words for what a rule may need: shown as "we need: your income for the last 12 months".
FIELD_LABELS: dict[str, str | Promise] = {
    "region": _("your region"),
    "birth_date": _("your date of birth"),
    "sex": _("your sex"),
    "employed": _("whether you work"),
    "annual_income": _("your income for the last 12 months"),
    "valid_reason_no_income": _("whether you have a valid reason for having no income"),
    "disability_group": _("your disability group"),
    "insurance_years": _("your insurance record in years"),
    "pension_points": _("your individual pension coefficient (points)"),
    "work_years": _("your total work record in years"),
    "labour_award": _("whether you hold a labour award"),
    "regional_award": _("whether you hold a regional award"),
    "veteran_of_labour": _("whether you hold the title “Veteran of Labour”"),
    "receives_pension": _("whether you receive a pension"),
    "flats": _("how many flats or houses the family owns"),
    "living_area": _("the family's total living area"),
    "utility_costs": _("your monthly housing and utility costs"),
    "benefits": _("which benefits you already receive"),
    "other_adults": _("details of the other adults of your family"),
    "other_adults.birth_date": _("the date of birth of each adult in the family"),
    "other_adults.annual_income": _("the income of each adult in the family"),
    "other_adults.employed": _("whether each adult in the family works"),
    "other_adults.valid_reason_no_income": _(
        "whether each adult without income has a valid reason"
    ),
    "children": _("details of your children"),
    "children.birth_date": _("the date of birth of each child"),
    "children.disabled": _("whether a child is disabled"),
}

PARAMETER_LABELS: dict[str, str | Promise] = {
    "subsistence_minimum": _("subsistence minimum per person (₽ a month)"),
    "subsistence_minimum_child": _("subsistence minimum for a child (₽ a month)"),
    "subsistence_minimum_working": _("subsistence minimum for working-age people (₽ a month)"),
    "subsistence_minimum_pensioner": _("subsistence minimum for pensioners (₽ a month)"),
    "zero_income_threshold": _("zero-income threshold (₽ a year)"),
    "birth_allowance": _("one-off birth allowance (₽)"),
    "maternity_capital_first": _("maternity capital for the first child (₽)"),
    "pension_age_women": _("pension age of women (years)"),
    "pension_age_men": _("pension age of men (years)"),
    "pension_points_minimum": _("minimum pension points"),
    "insurance_years_minimum": _("minimum insurance record (years)"),
    "utility_share_limit": _("maximum share of income spent on housing and utilities"),
    "veteran_monthly_payment": _("monthly payment to veterans of labour (₽)"),
    "disabled_child_care_payment": _("monthly payment for caring for a disabled child (₽)"),
}


def describe_missing(names: frozenset[str] | set[str]) -> list[str]:
    """The missing field paths (and `$parameters`) of a result in plain words, sorted, unique."""
    words = set()
    for name in names:
        if name.startswith("$"):
            label = PARAMETER_LABELS.get(name[1:])
            words.add(str(label) if label else name)
        else:
            words.add(str(FIELD_LABELS.get(name, name)))
    return sorted(words)


def fields_of(names: frozenset[str] | set[str]) -> list[str]:
    """The profile fields (not parameters) among `names`, in plain words."""
    return describe_missing({name for name in names if not name.startswith("$")})


def clean_profile(data: Mapping[str, Any]) -> dict[str, Any]:
    """A profile with only the schema's fields; unknown keys are dropped, None stays missing."""
    return {name: data.get(name) for name in FIELDS if data.get(name) is not None}


def from_json(data: Mapping[str, Any]) -> dict[str, Any]:
    """A profile from JSON (test cases, the API): ISO dates become dates, a bad date is missing."""
    profile = clean_profile(data)
    if "birth_date" in profile:
        profile["birth_date"] = _date(profile["birth_date"])
    for group in ("other_adults", "children"):
        items = profile.get(group)
        if isinstance(items, list):
            profile[group] = [
                {**item, "birth_date": _date(item.get("birth_date"))}
                if isinstance(item, Mapping)
                else item
                for item in items
            ]
    return profile


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
