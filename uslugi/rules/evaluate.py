"""The per-record path: a checked expression compiled once into nested Python closures.

No `eval`, no `compile`: each node becomes a small function of (record, context). Evaluating a
five-clause eligibility rule over one record takes a few microseconds.

Missing data. A field that is absent, None, or of the wrong type for the schema (a string where a
number is expected, NaN or infinity) is missing. Anything computed from a missing value is UNKNOWN
and carries the set of missing field paths (`family_members.income`; a parameter as
`$subsistence_minimum`). `and`, `or`, `not`, `any()` and `all()` follow Kleene's three-valued logic:
false and unknown is false, true or unknown is true. A result is therefore TRUE, FALSE or
UNKNOWN(missing=...): never an exception, and never a "not eligible" that more data could change.
Strict operations (arithmetic, comparisons, `in`, functions) over several unknown operands report
the union of their missing fields, so the citizen is asked for everything at once.

No value. An arithmetic result that is not a finite number (division or `%` by zero, overflow) and a
function without a value (the minimum of an empty group) are UNKNOWN too, with the operation's
canonical text in `undefined` (e.g. `income / members`). They never raise.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from uslugi.rules.ast import (
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
from uslugi.rules.functions import REGISTRY, UNDEFINED, Context
from uslugi.rules.types import DATE, NUMBER, STRING, GroupType, ListType, Type

MISSING: Any = object()

isfinite = math.isfinite


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome of one evaluation: `value`, or None with the reasons it is unknown.

    Truth-testing a result raises: `if result:` would silently treat UNKNOWN as false.
    """

    value: Any = None
    missing: frozenset[str] = frozenset()
    undefined: frozenset[str] = frozenset()

    @property
    def is_true(self) -> bool:
        return self.value is True

    @property
    def is_false(self) -> bool:
        return self.value is False

    @property
    def is_unknown(self) -> bool:
        return self.value is None

    def __bool__(self) -> bool:
        raise TypeError("a Result may be unknown: test result.is_true or result.is_false")

    def explain(self) -> str:
        """Why the result is unknown, for the citizen or the official: "we need X"."""
        parts = []
        if self.missing:
            fields = ", ".join(sorted(self.missing))
            parts.append(gettext("Cannot tell yet: we need %(fields)s.") % {"fields": fields})
        if self.undefined:
            operations = ", ".join(sorted(self.undefined))
            parts.append(
                gettext("Cannot tell: %(operations)s has no value for these data.")
                % {"operations": operations}
            )
        return " ".join(parts)


TRUE = Result(True)
FALSE = Result(False)


class Unknown:
    """The value of a subexpression that cannot be computed (internal; see `Result`)."""

    __slots__ = ("missing", "undefined")

    def __init__(self, missing: frozenset[str], undefined: frozenset[str] = frozenset()) -> None:
        self.missing = missing
        self.undefined = undefined

    def merge(self, other: Unknown) -> Unknown:
        return Unknown(self.missing | other.missing, self.undefined | other.undefined)


Evaluator = Callable[[Any, Context], Any]


def coerce_number(value: Any) -> Any:
    kind = type(value)
    if kind is float:
        return value if isfinite(value) else MISSING
    if kind is int or kind is Decimal:
        try:
            number = float(value)
        except (OverflowError, ValueError):
            return MISSING
        return number if isfinite(number) else MISSING
    return MISSING


def coerce_date(value: Any) -> Any:
    if type(value) is date:
        return value
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else MISSING


def coerce_string(value: Any) -> Any:
    return value if isinstance(value, str) else MISSING


def coerce_boolean(value: Any) -> Any:
    return value if type(value) is bool else MISSING


def coerce_group(value: Any) -> Any:
    return value if isinstance(value, list | tuple) else MISSING


def coercion(type_: Type) -> Callable[[Any], Any]:
    """How a stored value of `type_` is read: the value, or MISSING when it cannot be used."""
    if isinstance(type_, GroupType):
        return coerce_group
    if isinstance(type_, ListType):
        item = coercion(type_.item)

        def coerce_list(value: Any) -> Any:
            if not isinstance(value, list | tuple):
                return MISSING
            items = tuple(item(element) for element in value)
            return MISSING if any(element is MISSING for element in items) else items

        return coerce_list
    scalars: dict[Type, Callable[[Any], Any]] = {
        NUMBER: coerce_number,
        DATE: coerce_date,
        STRING: coerce_string,
    }
    return scalars.get(type_, coerce_boolean)


class CompiledExpression:
    """A checked expression as a Python callable: `rule(record, parameters, today=...)`."""

    def __init__(self, checked: CheckedExpression) -> None:
        self.checked = checked
        self._evaluate = _compile(checked.node)

    def __call__(
        self,
        record: Mapping[str, Any],
        parameters: Mapping[str, Any] | None = None,
        *,
        today: date | None = None,
    ) -> Result:
        """Evaluate over one record; `today` defaults to the local date when the rule needs it."""
        if today is None:
            today = timezone.localdate() if self.checked.needs_today else date.min
        value = self._evaluate(record, Context(today, parameters or {}))
        if value is True:
            return TRUE
        if value is False:
            return FALSE
        if type(value) is Unknown:
            return Result(None, value.missing, value.undefined)
        return Result(value)


def compile_expression(checked: CheckedExpression) -> CompiledExpression:
    """Compile once, call many times."""
    return CompiledExpression(checked)


def constant_value(node: Node) -> Any:
    """The value of a literal (list items are literals)."""
    if isinstance(node, Negate):
        return -constant_value(node.operand)
    if isinstance(node, ListLiteral):
        return tuple(constant_value(item) for item in node.items)
    assert isinstance(node, Number | String | Boolean | DateLiteral)
    return node.value


def _compile(node: Node) -> Evaluator:
    if isinstance(node, Number | String | Boolean | DateLiteral | ListLiteral):
        value = constant_value(node)
        return lambda record, context: value
    if isinstance(node, Field):
        assert node.access is not None, "compile a checked expression"
        return _field(node.access)
    if isinstance(node, Parameter):
        return _parameter(node)
    if isinstance(node, Negate | Not):
        return _unary(node)
    if isinstance(node, Binary):
        if node.operator in ("and", "or"):
            return _logical(node)
        return _strict_binary(node)
    if isinstance(node, Call):
        return _call(node)
    raise TypeError(f"not a node: {node!r}")


def _read_path(names: tuple[str, ...], record: Any) -> Any:
    value = record
    for name in names:
        try:
            value = value.get(name)
        except AttributeError:  # None or not a mapping
            return None
    return value


def _field(access: FieldAccess) -> Evaluator:
    names = access.path
    coerce = coercion(access.leaf)
    unknown = Unknown(frozenset({access.name}))
    if access.projection:
        return _projection(access)
    if len(names) == 1:
        name = names[0]

        def read_one(record: Any, context: Context) -> Any:
            try:
                value = coerce(record.get(name))
            except AttributeError:
                return unknown
            return unknown if value is MISSING else value

        return read_one

    def read(record: Any, context: Context) -> Any:
        value = coerce(_read_path(names, record))
        return unknown if value is MISSING else value

    return read


def _projection(access: FieldAccess) -> Evaluator:
    """`group.field`: the tuple of every item's value; unknown if the group or any value is."""
    names, item_names = access.path, access.item_path
    coerce = coercion(access.leaf)
    group_unknown = Unknown(frozenset({access.group_name}))
    item_unknown = Unknown(frozenset({access.name}))

    def read(record: Any, context: Context) -> Any:
        items = coerce_group(_read_path(names, record))
        if items is MISSING:
            return group_unknown
        values = tuple(coerce(_read_path(item_names, item)) for item in items)
        for value in values:
            if value is MISSING:
                return item_unknown
        return values

    return read


def _parameter(node: Parameter) -> Evaluator:
    name = node.name
    assert node.type is not None
    coerce = coercion(node.type)
    unknown = Unknown(frozenset({f"${name}"}))

    def read(record: Any, context: Context) -> Any:
        value = coerce(context.parameters.get(name))
        return unknown if value is MISSING else value

    return read


def _unary(node: Negate | Not) -> Evaluator:
    operand = _compile(node.operand)
    if isinstance(node, Negate):

        def negate(record: Any, context: Context) -> Any:
            value = operand(record, context)
            return value if type(value) is Unknown else -value

        return negate

    def invert(record: Any, context: Context) -> Any:
        value = operand(record, context)
        return value if type(value) is Unknown else not value

    return invert


def _logical(node: Binary) -> Evaluator:
    """Kleene `and`/`or`: the deciding value wins over unknown; the right side is skipped when the
    left side decides."""
    left, right = _compile(node.left), _compile(node.right)
    decisive = node.operator == "or"

    def combine(record: Any, context: Context) -> Any:
        first = left(record, context)
        if first is decisive:
            return decisive
        second = right(record, context)
        if second is decisive:
            return decisive
        if type(first) is not Unknown:
            return second
        if type(second) is not Unknown:
            return first
        return first.merge(second)

    return combine


def _modulo(left: float, right: float) -> float:
    # Floored modulo computed as polars does (not Python's `%`, which rounds differently), so
    # both paths give the same bits.
    quotient = left / right
    if not isfinite(quotient):
        return math.nan
    return left - right * math.floor(quotient)


def _divide(left: float, right: float) -> float:
    return math.nan if right == 0 else left / right


OPERATIONS: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": _divide,
    "%": lambda left, right: math.nan if right == 0 else _modulo(left, right),
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "in": lambda item, values: item in values,
    "not in": lambda item, values: item not in values,
}


def _strict_binary(node: Binary) -> Evaluator:
    left, right = _compile(node.left), _compile(node.right)
    operation = OPERATIONS[node.operator]
    numeric = node.type == NUMBER
    undefined = Unknown(frozenset(), frozenset({unparse(node)}))

    def apply(record: Any, context: Context) -> Any:
        first = left(record, context)
        second = right(record, context)
        if type(first) is Unknown:
            return first.merge(second) if type(second) is Unknown else first
        if type(second) is Unknown:
            return second
        result = operation(first, second)
        if numeric and not isfinite(result):
            return undefined
        return result

    return apply


def _call(node: Call) -> Evaluator:
    function = REGISTRY[node.function]
    arguments = [_compile(argument) for argument in node.arguments]
    if function.quantifier:
        return _quantifier(arguments[0], arguments[1], bool(function.decisive))
    implementation = function.python
    numeric = node.type == NUMBER
    undefined = Unknown(frozenset(), frozenset({unparse(node)}))

    def call(record: Any, context: Context) -> Any:
        values = [argument(record, context) for argument in arguments]
        unknown = None
        for value in values:
            if type(value) is Unknown:
                unknown = value if unknown is None else unknown.merge(value)
        if unknown is not None:
            return unknown
        result = implementation(context, *values)
        if result is UNDEFINED or (numeric and not isfinite(result)):
            return undefined
        return result

    return call


def _quantifier(group: Evaluator, condition: Evaluator, decisive: bool) -> Evaluator:
    """`any` (decisive True) or `all` (decisive False) over a group, in Kleene logic."""

    def quantify(record: Any, context: Context) -> Any:
        items = group(record, context)
        if type(items) is Unknown:
            return items
        unknown = None
        for item in items:
            value = condition(item, context)
            if value is decisive:
                return decisive
            if type(value) is Unknown:
                unknown = value if unknown is None else unknown.merge(value)
        return (not decisive) if unknown is None else unknown

    return quantify
