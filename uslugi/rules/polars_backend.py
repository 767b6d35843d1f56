"""The bulk path: a checked expression compiled into one polars expression.

The frame holds one row per record, shaped by `Schema.polars_schema()`: scalars as columns,
records as structs, groups as lists of structs, lists as lists. `to_polars` gives a struct column
`{value, missing, undefined}` equal, row by row, to what the Python path's `Result` holds:
`value` is null where the result is UNKNOWN, `missing` and `undefined` are sorted lists of the
same names. With `explain=False` it gives only the `value` column, which is cheaper.

How the reasons travel: each field, parameter and operation that can lack a value owns one bit of
a UInt64 mask computed next to each value; strict operations OR their operands' masks, Kleene
`and`/`or`/`any`/`all` keep them only where the result is null, exactly as the Python path
merges its `Unknown` sets. An expression may therefore name at most 64 such sources.

The semantics that make the two paths agree exactly are spelled out where they could drift:
numbers are Float64; non-finite results are nulls; `%` is `a - b * floor(a / b)`; list values
with a missing element are missing as a whole.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
from django.utils import timezone

from uslugi.rules.ast import (
    ARITHMETIC,
    Binary,
    Boolean,
    Call,
    DateLiteral,
    Field,
    FieldAccess,
    ListLiteral,
    Negate,
    Node,
    Not,
    Number,
    Parameter,
    String,
    unparse,
)
from uslugi.rules.checker import CheckedExpression
from uslugi.rules.evaluate import MISSING, coercion, constant_value
from uslugi.rules.functions import REGISTRY, Context
from uslugi.rules.types import NUMBER, UNKNOWN, ListType, Type, polars_type

MASK = pl.UInt64
ZERO = pl.lit(0, dtype=MASK)
MAX_SOURCES = 64


class TooManySources(ValueError):
    """More than 64 fields, parameters and operations that can lack a value in one expression."""


def to_polars(
    checked: CheckedExpression,
    *,
    parameters: Mapping[str, Any] | None = None,
    today: date | None = None,
    explain: bool = True,
) -> pl.Expr:
    """One polars expression evaluating `checked` on every row of a frame of records.

    `parameters` and `today` are constants of the whole frame, as in the Python path; `today`
    defaults to the local date when the expression needs it. An expression that reads no field is
    a single value: use it in `with_columns` (which broadcasts it), not alone in `select`.
    Explaining costs about six times the bare value on 1M rows; for large frames take the value
    first and explain only the rows where it is null.
    """
    if today is None:
        today = timezone.localdate() if checked.needs_today else date.min
    compiler = _Compiler(Context(today, parameters or {}), explain)
    out = compiler.compile(checked.node, pl.col)
    if not explain:
        return out.value
    mask = out.mask if out.mask is not None else ZERO
    # The mask is computed once, as a struct field, and decoded from that field: referring to the
    # mask expression once per name would evaluate it once per name.
    return pl.struct(value=out.value, mask=mask).struct.with_fields(
        missing=_decode(pl.field("mask"), compiler.missing),
        undefined=_decode(pl.field("mask"), compiler.undefined),
    )


def _decode(mask: pl.Expr, bits: dict[str, int]) -> pl.Expr:
    if not bits:
        return pl.lit([], dtype=pl.List(pl.String))
    names = [
        pl.when((mask & pl.lit(bits[name], dtype=MASK)) != 0).then(pl.lit(name))
        for name in sorted(bits)
    ]
    return pl.concat_list(names).list.drop_nulls()


@dataclass(frozen=True)
class _Out:
    value: pl.Expr
    mask: pl.Expr | None  # None: never unknown (or not explaining)
    constant: Sequence[Any] | None = None  # a list literal's values, for `in`


def _union(*masks: pl.Expr | None) -> pl.Expr | None:
    present = [mask for mask in masks if mask is not None]
    if not present:
        return None
    result = present[0]
    for mask in present[1:]:
        result = result | mask
    return result


def _is_null_bit(value: pl.Expr, bit: pl.Expr) -> pl.Expr:
    return pl.when(value.is_null()).then(bit).otherwise(ZERO)


class _Compiler:
    def __init__(self, context: Context, explain: bool) -> None:
        self.context = context
        self.explain = explain
        self.missing: dict[str, int] = {}
        self.undefined: dict[str, int] = {}

    def bit(self, names: dict[str, int], name: str) -> pl.Expr:
        if name not in names:
            if len(self.missing) + len(self.undefined) >= MAX_SOURCES:
                raise TooManySources(
                    f"at most {MAX_SOURCES} fields, parameters and operations that can lack a "
                    "value fit in one bulk expression; split the rule"
                )
            names[name] = 1 << (len(self.missing) + len(self.undefined))
        return pl.lit(names[name], dtype=MASK)

    def compile(self, node: Node, base: Any) -> _Out:
        """`base(name)` reads a top-level field: `pl.col` for rows, a struct field for items."""
        if isinstance(node, Number | String | Boolean | DateLiteral):
            return _Out(pl.lit(node.value, dtype=polars_type(_type(node))), None)
        if isinstance(node, ListLiteral):
            values = constant_value(node)
            return _Out(pl.lit(list(values), dtype=polars_type(_type(node))), None, values)
        if isinstance(node, Field):
            assert node.access is not None, "compile a checked expression"
            return self.field(node.access, base)
        if isinstance(node, Parameter):
            return self.parameter(node)
        if isinstance(node, Negate | Not):
            operand = self.compile(node.operand, base)
            value = -operand.value if isinstance(node, Negate) else ~operand.value
            return _Out(value, operand.mask)
        if isinstance(node, Binary):
            if not self.explain:
                fast = self.age_comparison(node, base)
                if fast is not None:
                    return fast
            left = self.compile(node.left, base)
            right = self.compile(node.right, base)
            return self.binary(node, left, right)
        if isinstance(node, Call):
            return self.call(node, base)
        raise TypeError(f"not a node: {node!r}")

    def field(self, access: FieldAccess, base: Any) -> _Out:
        value = _path(base(access.path[0]), access.path[1:])
        if access.projection:
            return self.projection(access, value)
        if isinstance(access.leaf, ListType):
            value = _complete_list(_coerce_items(value, access.leaf.item))
        elif access.leaf == NUMBER:
            value = _finite(value.cast(pl.Float64))
        mask = _is_null_bit(value, self.bit(self.missing, access.name)) if self.explain else None
        return _Out(value, mask)

    def projection(self, access: FieldAccess, group: pl.Expr) -> _Out:
        item = _path(pl.element(), access.item_path)
        if access.leaf == NUMBER:
            item = _finite(item.cast(pl.Float64))
        items = group.list.eval(item)
        complete = ~items.list.eval(pl.element().is_null()).list.any()
        value = pl.when(complete).then(items)
        if not self.explain:
            return _Out(value, None)
        mask = (
            pl.when(group.is_null())
            .then(self.bit(self.missing, access.group_name))
            .when(~complete)
            .then(self.bit(self.missing, access.name))
            .otherwise(ZERO)
        )
        return _Out(value, mask)

    def parameter(self, node: Parameter) -> _Out:
        type_ = _type(node)
        value = coercion(type_)(self.context.parameters.get(node.name))
        dtype = polars_type(type_)
        if value is MISSING:
            mask = self.bit(self.missing, f"${node.name}") if self.explain else None
            return _Out(pl.lit(None, dtype=dtype), mask)
        if isinstance(value, tuple):
            return _Out(pl.lit(list(value), dtype=dtype), None, value)
        return _Out(pl.lit(value, dtype=dtype), None)

    def binary(self, node: Binary, left: _Out, right: _Out) -> _Out:
        operator = node.operator
        if operator in ("and", "or"):
            value = left.value & right.value if operator == "and" else left.value | right.value
            both = _union(left.mask, right.mask)
            mask = None if both is None else pl.when(value.is_null()).then(both).otherwise(ZERO)
            return _Out(value, mask)
        if operator in ("in", "not in"):
            value = _membership(left.value, right)
            if operator == "not in":
                value = ~value
            return _Out(value, _union(left.mask, right.mask))
        if operator not in ARITHMETIC:
            return _Out(_compare(operator, left.value, right.value), _union(left.mask, right.mask))
        a, b = left.value, right.value
        raw = {
            "+": lambda: a + b,
            "-": lambda: a - b,
            "*": lambda: a * b,
            "/": lambda: a / b,
            # polars computes a - b * floor(a / b), as evaluate.py does (test_bulk.py holds it).
            "%": lambda: a % b,
        }[operator]()
        return self.undefined_where_null(node, _finite(raw), [left, right])

    def age_comparison(self, node: Binary, base: Any) -> _Out | None:
        """`age(d) >= 18` as `d <= <today 18 years ago>`: a date comparison instead of three
        date-part extractions per row (an order of magnitude cheaper on a million rows).

        Full years reach n on the day `d` falls n years before today (a 29 February birthday
        counts from 1 March in other years, as in `functions._full_years`, so a cutoff that
        does not exist becomes 28 February). Used for integral constants and parameters when
        only the value is wanted; the explained path keeps the general form.
        """
        mirrored = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
        operator, left, right = node.operator, node.left, node.right
        if operator not in mirrored:
            return None
        if _is_age(right) and not _is_age(left):
            operator, left, right = mirrored[operator], right, left
        if not isinstance(left, Call) or not _is_age(left):
            return None
        years = self.constant_number(right)
        if years is None or not years.is_integer():
            return None
        # age >= n ⇔ d <= cutoff(n); age > n ⇔ age >= n + 1; age < n and age <= n: the negations.
        threshold = int(years) + (1 if operator in (">", "<=") else 0)
        cutoff = _years_before(self.context.today, threshold)
        if cutoff is None:
            return None
        born = self.compile(left.arguments[0], base).value
        limit = pl.lit(cutoff, dtype=pl.Date)
        return _Out(born > limit if operator in ("<", "<=") else born <= limit, None)

    def constant_number(self, node: Node) -> float | None:
        """A number known before evaluation: a literal or a parameter's value."""
        if isinstance(node, Number):
            return node.value
        if isinstance(node, Negate):
            value = self.constant_number(node.operand)
            return None if value is None else -value
        if isinstance(node, Parameter) and _type(node) == NUMBER:
            value = coercion(NUMBER)(self.context.parameters.get(node.name))
            return None if value is MISSING else float(value)
        return None

    def undefined_where_null(self, node: Node, value: pl.Expr, operands: Sequence[_Out]) -> _Out:
        """A value that is null while its operands are known is undefined (division by zero).

        Each operand's mask and value is referred to once here: a mask that referred to its
        operands' masks twice would double in size at every level of the tree.
        """
        if not self.explain:
            return _Out(value, None)
        bit = self.bit(self.undefined, unparse(node))
        no_value = value.is_null()
        for operand in operands:
            no_value = no_value & operand.value.is_not_null()
        undefined = pl.when(no_value).then(bit).otherwise(ZERO)
        return _Out(value, _union(*(operand.mask for operand in operands), undefined))

    def call(self, node: Call, base: Any) -> _Out:
        function = REGISTRY[node.function]
        if function.quantifier:
            return self.quantifier(node, base)
        arguments = [self.compile(argument, base) for argument in node.arguments]
        value = function.polars(self.context, *(argument.value for argument in arguments))
        if _type(node) == NUMBER:
            value = _finite(value)
        return self.undefined_where_null(node, value, arguments)

    def quantifier(self, node: Call, base: Any) -> _Out:
        function = REGISTRY[node.function]
        group = self.compile(node.arguments[0], base)
        condition = self.compile(node.arguments[1], _item_field)
        decided = group.value.list.eval(function.polars(self.context, condition.value)).list.first()
        # A condition that reads no field of the item is one value, not one per item: the empty
        # group must still give false for any() and true for all().
        empty = pl.lit(not function.decisive)
        value = pl.when(group.value.list.len() == 0).then(empty).otherwise(decided)
        if condition.mask is None:
            return _Out(value, group.mask)
        items = group.value.list.eval(condition.mask.bitwise_or()).list.first().fill_null(0)
        unknown = _union(group.mask, items)
        assert unknown is not None
        return _Out(value, pl.when(value.is_null()).then(unknown).otherwise(ZERO))


def _is_age(node: Node) -> bool:
    return isinstance(node, Call) and node.function == "age"


def _years_before(today: date, years: int) -> date | None:
    year = today.year - years
    if not 1 <= year <= 9999:
        return None
    try:
        return today.replace(year=year)
    except ValueError:  # 29 February in a common year
        return date(year, 2, 28)


def _type(node: Node) -> Type:
    return node.type if node.type is not None else UNKNOWN


def _item_field(name: str) -> pl.Expr:
    return pl.element().struct.field(name)


def _path(value: pl.Expr, names: Sequence[str]) -> pl.Expr:
    for name in names:
        value = value.struct.field(name)
    return value


def _finite(value: pl.Expr) -> pl.Expr:
    """Null where not a finite number. It refers to `value` once: `when(...).then(value)` or
    `fill_nan` would repeat it, doubling the expression at every level of nesting."""
    return value.replace([math.inf, -math.inf, math.nan], None)


def _coerce_items(values: pl.Expr, item: Type) -> pl.Expr:
    if item == NUMBER:
        return values.list.eval(_finite(pl.element().cast(pl.Float64)))
    return values


def _complete_list(values: pl.Expr) -> pl.Expr:
    """A list with a missing element is missing as a whole, as in the Python path."""
    return pl.when(~values.list.eval(pl.element().is_null()).list.any()).then(values)


def _membership(item: pl.Expr, container: _Out) -> pl.Expr:
    if container.constant is not None:
        values = list(container.constant)
        if not values:
            return pl.when(item.is_not_null()).then(pl.lit(False))
        return item.is_in(pl.lit(pl.Series(values)).implode())
    return item.is_in(container.value)


def _compare(operator: str, left: pl.Expr, right: pl.Expr) -> pl.Expr:
    if operator == "==":
        return left == right
    if operator == "!=":
        return left != right
    if operator == "<":
        return left < right
    if operator == "<=":
        return left <= right
    if operator == ">":
        return left > right
    return left >= right
