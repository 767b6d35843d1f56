"""The syntax tree: frozen dataclasses, each carrying the position it was parsed from.

Two trees are equal when they have the same shape and values; positions, types and field access
paths are left out of equality, so that a tree printed by `unparse` and parsed again compares equal
to the original. The parser leaves `type` and `access` empty; the checker returns a new tree with
them filled in (the typed tree the evaluators compile).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from uslugi.rules.errors import Position
from uslugi.rules.types import Type

NOWHERE = Position(0, 1, 1)

# Binding strength, loosest first; comparisons do not chain.
OR, AND, NOT, COMPARISON, SUM, PRODUCT, NEGATION, ATOM = range(1, 9)
PRECEDENCE = {
    "or": OR,
    "and": AND,
    **dict.fromkeys(("==", "!=", "<", "<=", ">", ">=", "in", "not in"), COMPARISON),
    **dict.fromkeys(("+", "-"), SUM),
    **dict.fromkeys(("*", "/", "%"), PRODUCT),
}
COMPARISONS = frozenset(op for op, level in PRECEDENCE.items() if level == COMPARISON)
ARITHMETIC = frozenset(("+", "-", "*", "/", "%"))
LOGICAL = frozenset(("and", "or"))


@dataclass(frozen=True, slots=True)
class FieldAccess:
    """How to read a field from a record of the scope it is named in (filled in by the checker).

    `path` leads through records to the value, or to the group for a group or a projection
    (`family_members.income`, read as the list of every member's income); `item_path` then leads
    through each item. `name` is the full dotted path reported when the value is missing and
    `group_name` the group's path, reported when the group itself is missing.
    """

    path: tuple[str, ...]
    item_path: tuple[str, ...]
    leaf: Type
    name: str
    group_name: str = ""

    @property
    def projection(self) -> bool:
        return bool(self.item_path)


@dataclass(frozen=True, kw_only=True, slots=True)
class Node:
    position: Position = field(default=NOWHERE, compare=False, repr=False)
    type: Type | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Number(Node):
    """A non-negative number literal; `-5` is `Negate(Number(5))`."""

    value: float


@dataclass(frozen=True, slots=True)
class String(Node):
    value: str


@dataclass(frozen=True, slots=True)
class Boolean(Node):
    value: bool


@dataclass(frozen=True, slots=True)
class DateLiteral(Node):
    """`date("2025-01-31")`: checked to be a calendar date when parsed."""

    value: date


@dataclass(frozen=True, slots=True)
class ListLiteral(Node):
    """`[1, 2, 3]`: items are literals (a number may have a minus), so the list is a constant."""

    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Field(Node):
    path: tuple[str, ...]
    access: FieldAccess | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Parameter(Node):
    """`$subsistence_minimum`: a named constant supplied at evaluation time."""

    name: str


@dataclass(frozen=True, slots=True)
class Negate(Node):
    operand: Node


@dataclass(frozen=True, slots=True)
class Not(Node):
    operand: Node


@dataclass(frozen=True, slots=True)
class Binary(Node):
    operator: str
    left: Node
    right: Node
    operator_position: Position = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Call(Node):
    function: str
    arguments: tuple[Node, ...]


def precedence(node: Node) -> int:
    if isinstance(node, Binary):
        return PRECEDENCE[node.operator]
    if isinstance(node, Not):
        return NOT
    if isinstance(node, Negate):
        return NEGATION
    return ATOM


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Negate | Not):
        return (node.operand,)
    if isinstance(node, Call):
        return node.arguments
    if isinstance(node, ListLiteral):
        return node.items
    return ()


def format_number(value: float) -> str:
    """Digits with an optional decimal point (the grammar has no exponents) that parse back to
    exactly `value`."""
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def quote(value: str) -> str:
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
    )
    return f'"{escaped}"'


def unparse(node: Node) -> str:
    """The canonical text of `node`: parsing it gives back an equal tree."""
    if isinstance(node, Number):
        return format_number(node.value)
    if isinstance(node, String):
        return quote(node.value)
    if isinstance(node, Boolean):
        return "true" if node.value else "false"
    if isinstance(node, DateLiteral):
        return f'date("{node.value.isoformat()}")'
    if isinstance(node, ListLiteral):
        return "[" + ", ".join(unparse(item) for item in node.items) + "]"
    if isinstance(node, Field):
        return ".".join(node.path)
    if isinstance(node, Parameter):
        return f"${node.name}"
    if isinstance(node, Negate):
        operand = _wrap(node.operand, precedence(node.operand) < NEGATION)
        return f"- {operand}" if operand.startswith("-") else f"-{operand}"
    if isinstance(node, Not):
        return "not " + _wrap(node.operand, precedence(node.operand) < NOT)
    if isinstance(node, Binary):
        level = PRECEDENCE[node.operator]
        chains = level != COMPARISON
        left = _wrap(node.left, precedence(node.left) < level + (0 if chains else 1))
        right = _wrap(node.right, precedence(node.right) <= level)
        return f"{left} {node.operator} {right}"
    if isinstance(node, Call):
        return f"{node.function}(" + ", ".join(unparse(a) for a in node.arguments) + ")"
    raise TypeError(f"not a node: {node!r}")


def _wrap(node: Node, needed: bool) -> str:
    text = unparse(node)
    return f"({text})" if needed else text
