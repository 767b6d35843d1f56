"""The bulk (polars) path gives, row by row, exactly the per-record (Python) path's results."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from uslugi.rules import Result, check, collect_errors, compile_expression, to_polars
from uslugi.rules.errors import DivisionByZero
from uslugi.rules.tests.strategies import (
    DATES,
    PARAMETER_VALUES,
    RECORDS,
    SCHEMA,
    expressions,
)

TODAY = date(2025, 6, 1)


def bulk_results(
    source: str, records: list[dict[str, Any]], parameters: dict[str, Any], today: date
) -> list[Result]:
    checked = check(source, SCHEMA, expected=None)
    frame = pl.DataFrame(records, schema=SCHEMA.polars_schema(), strict=False)
    # with_columns, not select: an expression of literals alone is one value, broadcast here.
    rows = frame.with_columns(to_polars(checked, parameters=parameters, today=today).alias("r"))
    return [
        Result(
            tuple(row["value"]) if isinstance(row["value"], list) else row["value"],
            frozenset(row["missing"]),
            frozenset(row["undefined"]),
        )
        for row in rows["r"].to_list()
    ]


def record_results(
    source: str, records: list[dict[str, Any]], parameters: dict[str, Any], today: date
) -> list[Result]:
    rule = compile_expression(check(source, SCHEMA, expected=None))
    return [rule(record, parameters, today=today) for record in records]


def same(left: Result, right: Result) -> bool:
    """Equal results; 0.0 and -0.0 count as equal, as they do in every comparison."""
    values_equal = left.value == right.value and type(left.value) is type(right.value)
    return values_equal and left.missing == right.missing and left.undefined == right.undefined


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("sum(family_members.income) / count(family_members) < $minimum", [True, None, None]),
        ("any(family_members, age(birth_date) < 3)", [True, False, None]),
        ("income / members", [50.0, None, None]),
        ("max(family_members.birth_date)", [date(2024, 2, 29), None, None]),
    ],
)
def test_fixed_rules_agree_on_complete_empty_and_missing_records(
    source: str, expected: list[object]
) -> None:
    # given a complete record, a record with an empty family and no divisor, and a record
    # with missing data
    records = [
        {
            "income": 100.0,
            "members": 2,
            "family_members": [
                {"birth_date": date(2024, 2, 29), "income": 0.0},
                {"birth_date": date(1990, 3, 1), "income": 1000.0},
            ],
        },
        {"income": 100.0, "members": 0, "family_members": []},
        {"family_members": [{"birth_date": None, "income": None}]},
    ]
    parameters = {"minimum": 17_000.0}

    # when both paths evaluate them
    bulk = bulk_results(source, records, parameters, TODAY)
    per_record = record_results(source, records, parameters, TODAY)

    # then they agree, with the expected values
    assert [result.value for result in per_record] == expected
    assert bulk == per_record


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    kind=st.sampled_from(["boolean", "boolean", "number", "date"]),
    data=st.data(),
    records=st.lists(RECORDS, min_size=1, max_size=6),
    parameters=PARAMETER_VALUES,
    today=DATES,
)
def test_bulk_path_equals_per_record_path(
    kind: str,
    data: st.DataObject,
    records: list[dict[str, Any]],
    parameters: dict[str, Any],
    today: date,
) -> None:
    # given a random well-typed expression and random records with gaps, zeros and NaN
    source = data.draw(expressions(kind))
    found = collect_errors(source, SCHEMA, expected=None)
    assume(all(isinstance(error, DivisionByZero) for error in found))
    assume(not found)

    # when both paths evaluate it
    per_record = record_results(source, records, parameters, today)
    bulk = bulk_results(source, records, parameters, today)

    # then every row has the same value, missing fields and undefined operations
    for row, (left, right) in enumerate(zip(per_record, bulk, strict=True)):
        assert same(left, right), (source, row, records[row], left, right)


@pytest.mark.parametrize("today", [date(2026, 3, 1), date(2026, 2, 28), date(2028, 2, 29)])
@pytest.mark.parametrize(
    "source",
    [
        "age(born) >= 18",
        "age(born) > 17",
        "age(born) < 18",
        "age(born) <= 17",
        "18 <= age(born)",
        "age(born) >= $threshold",
        "any(family_members, age(birth_date) < 18)",
    ],
)
def test_age_comparisons_as_date_cutoffs_agree_with_full_years(today: date, source: str) -> None:
    # given births around 29 February in leap and common years, and a missing one
    births = [
        date(year, month, day)
        for year in (2007, 2008, 2009, 2010, 2011)
        for month, day in ((2, 27), (2, 28), (3, 1), (3, 2), (12, 31), (1, 1))
    ] + [date(2008, 2, 29), date(2012, 2, 29), date(2010, 2, 28), None]
    records = [{"born": born, "family_members": [{"birth_date": born}]} for born in births]
    checked = check(source, SCHEMA)
    parameters = {"threshold": 18.0}

    # when the value-only bulk path (which compares dates with a cutoff) evaluates them
    frame = pl.DataFrame(records, schema=SCHEMA.polars_schema(), strict=False)
    bulk = frame.with_columns(
        to_polars(checked, parameters=parameters, today=today, explain=False).alias("r")
    )["r"].to_list()

    # then each value is the per-record path's
    rule = compile_expression(checked)
    assert bulk == [rule(record, parameters, today=today).value for record in records]
