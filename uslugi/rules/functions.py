"""The whitelist of functions, as a registry: one `@register` per function, both evaluation paths.

Each function declares its arguments (for arity and type errors at publish time), its result type,
a Python implementation over known values and a polars implementation over expressions. Missing
data never reaches an implementation: the evaluators return UNKNOWN as soon as an argument is
unknown. An implementation returns `UNDEFINED` (Python) or null (polars) where it has no value,
such as the maximum of an empty group; the caller then reports the call as undefined.

The two implementations must agree exactly; `tests/test_bulk.py` compares them on random data.
A quantifier (`any`, `all`) takes a group and a condition over the group's items; it is true (any)
or false (all) as soon as one item decides it, and unknown only when no item decides it and some
item is unknown (Kleene logic), so a missing value never turns into a wrong "not eligible".
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from uslugi.rules.errors import gettext_noop
from uslugi.rules.types import (
    BOOLEAN,
    DATE,
    NUMBER,
    UNKNOWN,
    GroupType,
    ListType,
    ScalarType,
    Type,
)

if TYPE_CHECKING:
    import polars as pl

# polars is imported inside the bulk implementations only: the per-record path and every Django
# process that merely loads this app do not pay for importing it.


class _Undefined:
    """The value of an operation that has none: division by zero, the minimum of nothing."""

    def __repr__(self) -> str:
        return "UNDEFINED"


UNDEFINED: Any = _Undefined()


@dataclass(frozen=True, slots=True)
class Context:
    """What an evaluation reads besides the record: today's date and the parameters' values."""

    today: date
    parameters: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Argument:
    description: str  # marked with gettext_noop, translated where the error is raised
    accepts: Callable[[Type], bool]


@dataclass(frozen=True, slots=True)
class Function:
    name: str
    arguments: tuple[Argument, ...]
    result: Callable[[Sequence[Type]], Type]
    python: Callable[..., Any]
    polars: Callable[..., pl.Expr]
    needs_today: bool = False
    decisive: bool | None = None  # quantifiers only: the item value that decides the result

    @property
    def quantifier(self) -> bool:
        return self.decisive is not None


REGISTRY: dict[str, Function] = {}


def register(
    name: str,
    *,
    arguments: Sequence[Argument],
    result: ScalarType | ListType | Callable[[Sequence[Type]], Type],
    polars: Callable[..., pl.Expr],
    needs_today: bool = False,
    decisive: bool | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Add a function to the language; the decorated callable is its Python implementation."""

    result_of: Callable[[Sequence[Type]], Type]
    if isinstance(result, ScalarType | ListType):
        fixed = result

        def fixed_result(_: Sequence[Type]) -> Type:
            return fixed

        result_of = fixed_result

    else:
        result_of = result

    def decorate(python: Callable[..., Any]) -> Callable[..., Any]:
        REGISTRY[name] = Function(
            name=name,
            arguments=tuple(arguments),
            result=result_of,
            python=python,
            polars=polars,
            needs_today=needs_today,
            decisive=decisive,
        )
        return python

    return decorate


def closest(name: str, candidates: Collection[str]) -> str | None:
    matches = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def _is_list_of(*items: Type) -> Callable[[Type], bool]:
    return lambda type_: isinstance(type_, ListType) and type_.item in (*items, UNKNOWN)


A_DATE = Argument(gettext_noop("a date"), lambda type_: type_ == DATE)
A_GROUP = Argument(gettext_noop("a group of records"), lambda type_: isinstance(type_, GroupType))
A_LIST = Argument(gettext_noop("a list"), lambda type_: isinstance(type_, ListType))
A_CONDITION = Argument(gettext_noop("a condition (true or false)"), lambda type_: type_ == BOOLEAN)
NUMBERS = Argument(gettext_noop("a list of numbers"), _is_list_of(NUMBER))
NUMBERS_OR_DATES = Argument(gettext_noop("a list of numbers or dates"), _is_list_of(NUMBER, DATE))


def _item_type(types: Sequence[Type]) -> Type:
    list_type = types[0]
    return list_type.item if isinstance(list_type, ListType) else UNKNOWN


def _full_years(start: date, end: date) -> float:
    # A birthday on 29 February is reached on 1 March in other years.
    return float(end.year - start.year - ((end.month, end.day) < (start.month, start.day)))


def _polars_full_years(start: pl.Expr, end: pl.Expr) -> pl.Expr:
    import polars as pl

    def month_day(value: pl.Expr) -> pl.Expr:
        return value.dt.month().cast(pl.Int32) * 100 + value.dt.day().cast(pl.Int32)

    before = (month_day(end) < month_day(start)).cast(pl.Int32)
    years = end.dt.year().cast(pl.Int32) - start.dt.year().cast(pl.Int32) - before
    return _as_number(years)


def _as_number(value: pl.Expr) -> pl.Expr:
    import polars as pl

    return value.cast(pl.Float64)


def _today(context: Context) -> pl.Expr:
    import polars as pl

    return pl.lit(context.today, dtype=pl.Date)


@register("today", arguments=(), result=DATE, polars=_today, needs_today=True)
def today(context: Context) -> date:
    return context.today


@register(
    "age",
    arguments=(A_DATE,),
    result=NUMBER,
    polars=lambda context, born: _polars_full_years(born, _today(context)),
    needs_today=True,
)
def age(context: Context, born: date) -> float:
    """Full years at today."""
    return _full_years(born, context.today)


@register(
    "years_between",
    arguments=(A_DATE, A_DATE),
    result=NUMBER,
    polars=lambda context, start, end: _polars_full_years(start, end),
)
def years_between(context: Context, start: date, end: date) -> float:
    """Full years from `start` to `end` (negative when `end` is earlier)."""
    return _full_years(start, end)


@register(
    "days_between",
    arguments=(A_DATE, A_DATE),
    result=NUMBER,
    polars=lambda context, start, end: _as_number((end - start).dt.total_days()),
)
def days_between(context: Context, start: date, end: date) -> float:
    """Days from `start` to `end` (negative when `end` is earlier)."""
    return float((end - start).days)


@register(
    "count",
    arguments=(A_GROUP,),
    result=NUMBER,
    polars=lambda context, group: _as_number(group.list.len()),
)
def count(context: Context, group: Sequence[object]) -> float:
    """The number of records in a group, whatever their fields hold."""
    return float(len(group))


@register(
    "len",
    arguments=(A_LIST,),
    result=NUMBER,
    polars=lambda context, values: _as_number(values.list.len()),
)
def length(context: Context, values: Sequence[object]) -> float:
    return float(len(values))


def _polars_sum(context: Context, values: pl.Expr) -> pl.Expr:
    # polars adds a list's floats left to right, as the Python loop below does (tests/test_bulk.py
    # holds it to that); an empty list sums to -0.0 there, the same number as 0.0 in every
    # operation of the language.
    return values.list.sum()


@register("sum", arguments=(NUMBERS,), result=NUMBER, polars=_polars_sum)
def total(context: Context, values: Sequence[float]) -> float:
    """The sum of a list of numbers, 0 for an empty list, added left to right (not `sum()`, which
    compensates rounding on newer Pythons, and not `math.fsum`: polars adds left to right)."""
    if not values:
        return 0.0
    result = values[0]
    for value in values[1:]:
        result += value
    return result


@register(
    "min",
    arguments=(NUMBERS_OR_DATES,),
    result=_item_type,
    polars=lambda context, values: values.list.min(),
)
def minimum(context: Context, values: Sequence[Any]) -> Any:
    """The smallest value; undefined for an empty list."""
    return min(values) if values else UNDEFINED


@register(
    "max",
    arguments=(NUMBERS_OR_DATES,),
    result=_item_type,
    polars=lambda context, values: values.list.max(),
)
def maximum(context: Context, values: Sequence[Any]) -> Any:
    """The largest value; undefined for an empty list."""
    return max(values) if values else UNDEFINED


@register(
    "any",
    arguments=(A_GROUP, A_CONDITION),
    result=BOOLEAN,
    polars=lambda context, condition: condition.any(ignore_nulls=False),
    decisive=True,
)
def any_item(context: Context) -> None:
    """True when the condition holds for at least one record of the group (false if empty)."""


@register(
    "all",
    arguments=(A_GROUP, A_CONDITION),
    result=BOOLEAN,
    polars=lambda context, condition: condition.all(ignore_nulls=False),
    decisive=False,
)
def all_items(context: Context) -> None:
    """True when the condition holds for every record of the group (true if empty)."""
