"""The one safe expression language of the platform (issue 4; used by issues 6 and 8).

Form conditions, life-situation inclusion conditions and support-measure eligibility are written in
it, parsed and type-checked when a definition is published, and evaluated per record in Python or
over a million records at once in polars, with identical results.

    schema = Schema.from_dict({"applicant": {"income": "number"}}, {"minimum": "number"})
    checked = check("applicant.income < $minimum", schema)       # raises RuleError at publish
    rule = compile_expression(checked)
    rule({"applicant": {"income": 10_000.0}}, {"minimum": 17_733.0})   # Result(value=True)
    frame.select(to_polars(checked, parameters={"minimum": 17_733.0}))

Grammar (loosest first; see `parser.py` for the full EBNF)::

    or < and < not < comparisons (== != < <= > >= in, not in; no chaining) < + - < * / % < unary -
    literals: 12, 0.5, "text", 'text', true, false, date("2025-01-31"), [1, 2, 3]
    fields: applicant.birth_date (dotted paths; family_members.income reads every member's income)
    parameters: $subsistence_minimum (values supplied at evaluation time)
    functions: today() age(d) years_between(d1, d2) days_between(d1, d2) count(group) len(list)
               sum(list) min(list) max(list) any(group, condition) all(group, condition)

Inside `any`/`all` the condition names the fields of one record of the group. Missing data gives
UNKNOWN with the missing field paths, never an exception and never a wrong false (see
`evaluate.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from uslugi.rules.ast import Node, unparse
from uslugi.rules.checker import CheckedExpression, check, collect_errors
from uslugi.rules.errors import ParseError, Position, RuleError, TypeCheckError
from uslugi.rules.evaluate import CompiledExpression, Result, compile_expression
from uslugi.rules.functions import register
from uslugi.rules.parser import parse
from uslugi.rules.types import BOOLEAN, DATE, NUMBER, STRING, Schema

if TYPE_CHECKING:
    import polars as pl


def to_polars(
    checked: CheckedExpression,
    *,
    parameters: Mapping[str, Any] | None = None,
    today: date | None = None,
    explain: bool = True,
) -> pl.Expr:
    """See `polars_backend.to_polars`; imported on first use so that loading the app is cheap."""
    from uslugi.rules import polars_backend

    return polars_backend.to_polars(checked, parameters=parameters, today=today, explain=explain)


__all__ = [
    "BOOLEAN",
    "DATE",
    "NUMBER",
    "STRING",
    "CheckedExpression",
    "CompiledExpression",
    "Node",
    "ParseError",
    "Position",
    "Result",
    "RuleError",
    "Schema",
    "TypeCheckError",
    "check",
    "collect_errors",
    "compile_expression",
    "parse",
    "register",
    "to_polars",
    "unparse",
]
