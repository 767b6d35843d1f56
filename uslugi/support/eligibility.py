"""Eligibility of a citizen for support measures: pure functions over plain values.

A measure's rule is a list of criteria, each a condition of the rules language with its plain
words. The per-citizen path evaluates every criterion in Python to say why (eligible, almost
eligible with what is missing, cannot tell with what we need); the bulk path compiles the
conjunction of the criteria to one polars expression and evaluates it over a population. Both
follow Kleene's logic, so they agree on every citizen (tests/test_bulk.py holds them to it).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from uslugi.core.errors import UserFacingError
from uslugi.rules import (
    NUMBER,
    CheckedExpression,
    CompiledExpression,
    RuleError,
    compile_expression,
)
from uslugi.rules import check as check_expression
from uslugi.support.profile import PROFILE_SCHEMA, describe_missing, fields_of

if TYPE_CHECKING:
    import polars as pl


class RuleRefused(UserFacingError):
    """A rule that does not check against the profile schema; `problems` name the criterion and
    the position of each error."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))


@dataclass(frozen=True)
class Criterion:
    text: str
    checked: CheckedExpression
    compiled: CompiledExpression
    final: bool = False  # when it fails the measure is simply not due ("already received")


@dataclass(frozen=True)
class CompiledMeasure:
    """A rule version ready to evaluate; built once per version (see selectors.compiled_rules)."""

    rule_id: int
    service_id: int
    service_code: str
    region_code: str
    name: str
    criteria: tuple[Criterion, ...]
    combined: CheckedExpression
    amount: CompiledExpression | None = None
    amount_text: str = ""
    legal_basis: str = ""
    name_en: str = ""

    @property
    def display_name(self) -> str:
        """The catalogue's bilingual rule: English when the visitor chose it and it exists."""
        from django.utils.translation import get_language

        if self.name_en and (get_language() or "ru").startswith("en"):
            return self.name_en
        return self.name


class Status(enum.StrEnum):
    ELIGIBLE = "eligible"
    ALMOST = "almost"
    NOT_ELIGIBLE = "not_eligible"
    UNKNOWN = "unknown"


@dataclass
class Assessment:
    """One measure for one citizen: the status, and the words that explain it."""

    measure: CompiledMeasure
    status: Status
    value: bool | None  # the conjunction, as the bulk path computes it
    held: list[str] = field(default_factory=list)  # criteria that hold, in plain words
    failed: list[str] = field(default_factory=list)  # criteria that do not hold
    missing: list[str] = field(default_factory=list)  # what we need, in plain words
    missing_fields: list[str] = field(default_factory=list)  # the same as field paths
    undefined: list[str] = field(default_factory=list)  # operations without a value
    change: list[str] = field(default_factory=list)  # answers that would change a failure
    amount: float | None = None

    def explanation(self) -> str:
        """The whole reason in one line (test cases and the API compare against it)."""
        parts = []
        if self.status == Status.ELIGIBLE:
            parts.append(_("Eligible: %(reasons)s.") % {"reasons": "; ".join(self.held)})
        elif self.failed:
            parts.append(_("Not met: %(reasons)s.") % {"reasons": "; ".join(self.failed)})
        if self.missing:
            parts.append(
                _("Cannot tell, we need %(fields)s.") % {"fields": ", ".join(self.missing)}
            )
        if self.undefined:
            parts.append(
                _("Cannot tell: %(operations)s has no value for these data.")
                % {"operations": ", ".join(self.undefined)}
            )
        return " ".join(parts)


def check_rule(
    criteria: Sequence[Mapping[str, Any]], amount_expression: str = ""
) -> tuple[list[tuple[str, CheckedExpression]], CheckedExpression | None]:
    """The checked criteria and amount, or `RuleRefused` naming every problem with its position.

    Refused: a criterion without text or expression, an unknown profile field or parameter, a
    division by a literal zero, comparing a date with a number, anything that is not true/false.
    """
    problems: list[str] = []
    checked: list[tuple[str, CheckedExpression]] = []
    if not isinstance(criteria, list) or not criteria:
        raise RuleRefused([_("A rule needs at least one criterion.")])
    for index, criterion in enumerate(criteria, start=1):
        if not isinstance(criterion, Mapping):
            problems.append(_("Criterion %(index)s is not an object.") % {"index": index})
            continue
        text = str(criterion.get("text") or "").strip()
        expression = str(criterion.get("expression") or "").strip()
        if not text or not expression:
            problems.append(
                _("Criterion %(index)s needs both a text and an expression.") % {"index": index}
            )
            continue
        try:
            checked.append((text, check_expression(expression, PROFILE_SCHEMA)))
        except RuleError as error:
            problems.append(
                _("Criterion %(index)s: %(error)s") % {"index": index, "error": error.message}
            )
    amount = None
    if amount_expression.strip():
        try:
            amount = check_expression(amount_expression, PROFILE_SCHEMA, expected=NUMBER)
        except RuleError as error:
            problems.append(_("Amount: %(error)s") % {"error": error.message})
    if problems:
        raise RuleRefused(problems)
    return checked, amount


def compile_measure(
    *,
    rule_id: int,
    service_id: int,
    service_code: str,
    region_code: str,
    name: str,
    criteria: Sequence[Mapping[str, Any]],
    amount_expression: str = "",
    amount_text: str = "",
    legal_basis: str = "",
    name_en: str = "",
) -> CompiledMeasure:
    checked, amount = check_rule(criteria, amount_expression)
    combined_source = " and ".join(f"({item.source})" for _text, item in checked)
    return CompiledMeasure(
        rule_id=rule_id,
        service_id=service_id,
        service_code=service_code,
        region_code=region_code,
        name=name,
        criteria=tuple(
            Criterion(text, item, compile_expression(item), bool(raw.get("final")))
            for (text, item), raw in zip(checked, criteria, strict=True)
        ),
        combined=check_expression(combined_source, PROFILE_SCHEMA),
        amount=compile_expression(amount) if amount is not None else None,
        amount_text=amount_text,
        legal_basis=legal_basis,
        name_en=name_en,
    )


def assess(
    measure: CompiledMeasure,
    profile: Mapping[str, Any],
    parameters: Mapping[str, Any],
    today: date,
) -> Assessment:
    """Whether `profile` is eligible for `measure` on `today`, and why, in plain words."""
    held: list[str] = []
    failed: list[str] = []
    final_failed = False
    missing: set[str] = set()
    undefined: set[str] = set()
    change: set[str] = set()
    for criterion in measure.criteria:
        result = criterion.compiled(profile, parameters, today=today)
        if result.is_true:
            held.append(criterion.text)
        elif result.is_false:
            failed.append(criterion.text)
            final_failed = final_failed or criterion.final
            change.update(criterion.checked.fields)
        else:
            missing.update(result.missing)
            undefined.update(result.undefined)
    if failed:
        value: bool | None = False
        # "Almost": one criterion keeps the citizen out while another already holds; a rule of
        # one criterion that fails, or a final criterion ("not received yet"), is simply not met.
        almost = len(failed) == 1 and bool(held) and not final_failed
        status = Status.ALMOST if almost else Status.NOT_ELIGIBLE
    elif missing or undefined:
        value, status = None, Status.UNKNOWN
    else:
        value, status = True, Status.ELIGIBLE
    amount = None
    if measure.amount is not None and status == Status.ELIGIBLE:
        computed = measure.amount(profile, parameters, today=today)
        if isinstance(computed.value, float):
            amount = round(computed.value, 2)
    return Assessment(
        measure=measure,
        status=status,
        value=value,
        held=held,
        failed=failed,
        missing=describe_missing(missing),
        missing_fields=sorted(missing),
        undefined=sorted(undefined),
        change=fields_of(change),
        amount=amount,
    )


def assess_all(
    measures: Iterable[CompiledMeasure],
    profile: Mapping[str, Any],
    parameters: Mapping[str, Any],
    today: date,
) -> list[Assessment]:
    return [assess(measure, profile, parameters, today) for measure in measures]


def bulk_values(
    measures: Sequence[CompiledMeasure],
    frame: pl.DataFrame,
    parameters: Mapping[str, Mapping[str, Any]],
    today: date,
) -> dict[int, pl.DataFrame]:
    """Each measure's conjunction over the citizens of its region: rule id → a frame of `row`
    (the index in `frame`) and `value` (True, False, or null when we cannot tell).

    `frame` holds one row per citizen shaped by `PROFILE_SCHEMA.polars_schema()`; `parameters`
    maps a region code to its parameter values. The frame is split by region once (zero-copy
    slices when its rows come region by region, as the registry streams them; a filter
    otherwise), and the measures of one region are evaluated in one `select`, which polars runs
    on every core.
    """
    import polars as pl

    from uslugi.rules import to_polars

    by_region: dict[str, list[CompiledMeasure]] = {}
    for measure in measures:
        by_region.setdefault(measure.region_code, []).append(measure)
    indexed = frame.with_row_index("row")
    slices = _region_slices(frame)
    results: dict[int, pl.DataFrame] = {}
    for code, region_measures in by_region.items():
        if slices is not None:
            start, length = slices.get(code, (0, 0))
            rows = indexed.slice(start, length)
        else:
            rows = indexed.filter(pl.col("region") == code)
        region_parameters = parameters.get(code, {})
        rules, layers = _share_subexpressions([measure.combined for measure in region_measures])
        for layer in layers:
            rows = rows.with_columns(
                to_polars(
                    expression, parameters=region_parameters, today=today, explain=False
                ).alias(name)
                for name, expression in layer.items()
            )
        values = rows.select(
            pl.col("row"),
            *(
                to_polars(rule, parameters=region_parameters, today=today, explain=False).alias(
                    str(measure.rule_id)
                )
                for measure, rule in zip(region_measures, rules, strict=True)
            ),
        )
        for measure in region_measures:
            results[measure.rule_id] = values.select(
                "row", pl.col(str(measure.rule_id)).alias("value")
            )
    return results


def _region_slices(frame: pl.DataFrame) -> dict[str, tuple[int, int]] | None:
    """region → (first row, row count) when each region's rows are contiguous, else None."""
    import polars as pl

    if frame.height == 0:
        return {}
    runs = frame.select(pl.col("region").rle()).unnest("region")
    if runs["value"].n_unique() != runs.height:
        return None
    starts = [0, *runs["len"].cum_sum().to_list()[:-1]]
    return {
        value: (start, length)
        for value, start, length in zip(runs["value"], starts, runs["len"], strict=True)
    }


SHARED_PREFIX = "__shared_"


def _share_subexpressions(
    expressions: Sequence[CheckedExpression], *, share_age: bool = False
) -> tuple[list[CheckedExpression], list[dict[str, CheckedExpression]]]:
    """The rules with every computed part that two or more of them contain (a family's income per
    person, "has a child under 18") replaced by a column computed once, and those columns in
    layers: a column of a later layer may read the columns of the earlier ones (the income per
    person is computed once, and "below 1.5 minimums" reads it).

    Only parts outside any()/all() conditions are shared (inside them names are a member's
    fields). A column holds the same values, nulls included, as the part it replaces, so the
    rules' results do not change: tests/test_bulk.py holds the two paths equal.
    """
    from dataclasses import replace

    from uslugi.rules import ast
    from uslugi.rules.types import BOOLEAN, DATE, NUMBER, STRING

    scalars = (NUMBER, BOOLEAN, DATE, STRING)
    counts: dict[str, int] = {}

    def candidate(node: ast.Node) -> bool:
        # A bare age() is left in place: compared with a number it compiles to a date cutoff,
        # cheaper than reading a shared column of ages (polars_backend.age_comparison).
        if isinstance(node, ast.Call) and node.function == "age" and not share_age:
            return False
        return isinstance(node, ast.Call | ast.Binary) and node.type in scalars and _computes(node)

    def count(node: ast.Node) -> None:
        if candidate(node):
            text = ast.unparse(node)
            counts[text] = counts.get(text, 0) + 1
        for child in _outer_children(node):
            count(child)

    for expression in expressions:
        count(expression.node)
    layers: list[dict[str, CheckedExpression]] = []
    names: dict[str, tuple[str, int]] = {}  # text → (column, layer)

    def rewrite(node: ast.Node, expression: CheckedExpression) -> tuple[ast.Node, int]:
        """The node with its shared parts replaced (innermost first), and the layer after which
        its columns exist (-1: it reads none)."""
        inner: ast.Node = node
        depth = -1
        if isinstance(node, ast.Binary):
            (left, left_depth), (right, right_depth) = (
                rewrite(node.left, expression),
                rewrite(node.right, expression),
            )
            inner, depth = replace(node, left=left, right=right), max(left_depth, right_depth)
        elif isinstance(node, ast.Not | ast.Negate):
            operand, depth = rewrite(node.operand, expression)
            inner = replace(node, operand=operand)
        elif isinstance(node, ast.Call) and not _quantifier(node):
            rewritten = [rewrite(argument, expression) for argument in node.arguments]
            inner = replace(node, arguments=tuple(argument for argument, _ in rewritten))
            depth = max((argument_depth for _, argument_depth in rewritten), default=-1)
        if not candidate(node) or node.type is None:
            return inner, depth
        text = ast.unparse(node)
        if counts[text] < 2:
            return inner, depth
        if text not in names:
            layer = depth + 1
            name = f"{SHARED_PREFIX}{len(names)}"
            names[text] = (name, layer)
            while len(layers) <= layer:
                layers.append({})
            layers[layer][name] = replace(expression, source=text, node=inner, type=node.type)
        name, layer = names[text]
        access = ast.FieldAccess((name,), (), node.type, name)
        return ast.Field((name,), access, position=node.position, type=node.type), layer

    rules = [
        replace(expression, node=rewrite(expression.node, expression)[0])
        for expression in expressions
    ]
    return rules, layers


def _quantifier(node: Any) -> bool:
    return node.function in ("any", "all")


def _outer_children(node: Any) -> tuple[Any, ...]:
    """Children whose names are the record's own: not the condition of any()/all()."""
    from uslugi.rules import ast

    if isinstance(node, ast.Call) and _quantifier(node):
        return (node.arguments[0],)
    return ast.children(node)


def _computes(node: Any) -> bool:
    """Worth a column: the part calls a function (reads a group, computes an age)."""
    from uslugi.rules import ast

    if isinstance(node, ast.Call):
        return True
    return any(_computes(child) for child in _outer_children(node))
