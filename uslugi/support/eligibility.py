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
    maps a region code to its parameter values. The frame is split by region once, and the
    measures of one region are evaluated in one `select`, which polars runs on every core.
    """
    import polars as pl

    from uslugi.rules import to_polars

    by_region: dict[str, list[CompiledMeasure]] = {}
    for measure in measures:
        by_region.setdefault(measure.region_code, []).append(measure)
    indexed = frame.with_row_index("row")
    results: dict[int, pl.DataFrame] = {}
    for code, region_measures in by_region.items():
        rows = indexed.filter(pl.col("region") == code)
        values = rows.select(
            pl.col("row"),
            *(
                to_polars(
                    measure.combined,
                    parameters=parameters.get(code, {}),
                    today=today,
                    explain=False,
                ).alias(str(measure.rule_id))
                for measure in region_measures
            ),
        )
        for measure in region_measures:
            results[measure.rule_id] = values.select(
                "row", pl.col(str(measure.rule_id)).alias("value")
            )
    return results
