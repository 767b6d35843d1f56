"""The type checker: an expression against a schema, before anything is evaluated.

Run when a definition is published, so that an unknown field, a type mismatch or a division by a
literal zero is a publish-time error with its position and never a surprise over a citizen's data.
`check` returns the typed tree wrapped in a `CheckedExpression` or raises the first error;
`collect_errors` returns every error (a part that fails gets the `unknown` type, which fits
everywhere, so one mistake is reported once).

Scoping: inside `any(group, condition)` and `all(group, condition)` the condition sees the fields of
one record of the group (and parameters), not the outer fields. That keeps the bulk path a pure
per-item `list.eval` and avoids a name meaning two things.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from django.utils.translation import gettext

from uslugi.rules import errors
from uslugi.rules.ast import (
    ARITHMETIC,
    LOGICAL,
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
from uslugi.rules.errors import RuleError
from uslugi.rules.functions import REGISTRY, closest
from uslugi.rules.parser import parse
from uslugi.rules.types import (
    BOOLEAN,
    DATE,
    NUMBER,
    STRING,
    UNKNOWN,
    GroupType,
    ListType,
    RecordType,
    Schema,
    Type,
    describe,
)

SCALAR_VALUES = (NUMBER, STRING, DATE, BOOLEAN)


@dataclass(frozen=True)
class CheckedExpression:
    """A parsed and type-checked expression, ready to compile to Python or polars."""

    source: str
    node: Node
    type: Type
    schema: Schema
    fields: frozenset[str]  # dotted paths it reads, as reported when missing
    parameters: frozenset[str]
    needs_today: bool


def check(
    expression: str | Node, schema: Schema, *, expected: Type | None = BOOLEAN
) -> CheckedExpression:
    """The typed expression, or the first `RuleError` by position.

    `expected` is the type the whole expression must have: BOOLEAN for conditions and
    eligibility rules, NUMBER for an amount, None for any value.
    """
    checked, found = _check(expression, schema, expected)
    if found:
        raise found[0]
    return checked


def collect_errors(
    expression: str | Node, schema: Schema, *, expected: Type | None = BOOLEAN
) -> list[RuleError]:
    """Every error of the expression, by position; empty when it is valid."""
    try:
        return _check(expression, schema, expected)[1]
    except errors.ParseError as error:
        return [error]


def _check(
    expression: str | Node, schema: Schema, expected: Type | None
) -> tuple[CheckedExpression, list[RuleError]]:
    if isinstance(expression, str):
        source, node = expression, parse(expression)
    else:
        source, node = unparse(expression), expression
    checker = _Checker(schema)
    typed = checker.value(node, _Scope(schema))
    type_ = typed.type or UNKNOWN
    if expected is not None and type_ not in (expected, UNKNOWN):
        if expected == BOOLEAN:
            checker.fail(errors.ConditionNotBoolean(node.position, found=describe(type_)))
        else:
            checker.fail(
                errors.WrongResultType(
                    node.position, expected=describe(expected), found=describe(type_)
                )
            )
    checked = CheckedExpression(
        source=source,
        node=typed,
        type=type_,
        schema=schema,
        fields=frozenset(checker.fields),
        parameters=frozenset(checker.parameters),
        needs_today=checker.needs_today,
    )
    return checked, sorted(checker.errors, key=lambda error: error.position.offset)


@dataclass(frozen=True)
class _Scope:
    schema: Schema
    prefix: str = ""  # "family_members." inside any(family_members, ...)
    quantifier: str = ""


def constant(node: Node) -> float | None:
    """The value of a number-only subexpression made of literals, else None."""
    if isinstance(node, Number):
        return node.value
    if isinstance(node, Negate):
        value = constant(node.operand)
        return None if value is None else -value
    if isinstance(node, Binary) and node.operator in ARITHMETIC:
        left, right = constant(node.left), constant(node.right)
        if left is None or right is None:
            return None
        try:
            if node.operator == "+":
                return left + right
            if node.operator == "-":
                return left - right
            if node.operator == "*":
                return left * right
            return left / right if node.operator == "/" else left % right
        except (ZeroDivisionError, OverflowError):
            return None
    return None


class _Checker:
    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.errors: list[RuleError] = []
        self.fields: set[str] = set()
        self.parameters: set[str] = set()
        self.needs_today = False

    def fail(self, error: RuleError) -> None:
        self.errors.append(error)

    def value(self, node: Node, scope: _Scope) -> Node:
        """`node` typed, refusing groups: a group is only an argument of count/any/all."""
        typed = self.visit(node, scope)
        if isinstance(typed.type, GroupType) and isinstance(typed, Field):
            example = next(iter(typed.type.schema.paths(f"{'.'.join(typed.path)}.")), "")
            self.fail(
                errors.GroupNotAllowed(node.position, field=".".join(typed.path), example=example)
            )
            return replace(typed, type=UNKNOWN)
        return typed

    def visit(self, node: Node, scope: _Scope) -> Node:
        if isinstance(node, Number):
            return replace(node, type=NUMBER)
        if isinstance(node, String):
            return replace(node, type=STRING)
        if isinstance(node, Boolean):
            return replace(node, type=BOOLEAN)
        if isinstance(node, DateLiteral):
            return replace(node, type=DATE)
        if isinstance(node, ListLiteral):
            return self.list_literal(node, scope)
        if isinstance(node, Field):
            return self.field(node, scope)
        if isinstance(node, Parameter):
            return self.parameter(node)
        if isinstance(node, Negate):
            operand = self.value(node.operand, scope)
            if operand.type not in (NUMBER, UNKNOWN):
                self.fail(
                    errors.NegationTypeMismatch(operand.position, type=describe(operand.type))
                )
            return replace(node, operand=operand, type=NUMBER)
        if isinstance(node, Not):
            operand = self.condition(node.operand, scope)
            return replace(node, operand=operand, type=BOOLEAN)
        if isinstance(node, Binary):
            return self.binary(node, scope)
        if isinstance(node, Call):
            return self.call(node, scope)
        raise TypeError(f"not a node: {node!r}")

    def condition(self, node: Node, scope: _Scope) -> Node:
        typed = self.value(node, scope)
        if typed.type not in (BOOLEAN, UNKNOWN):
            self.fail(errors.ConditionNotBoolean(typed.position, found=describe(typed.type)))
        return typed

    def list_literal(self, node: ListLiteral, scope: _Scope) -> Node:
        items = tuple(self.value(item, scope) for item in node.items)
        item_type: Type = (items[0].type or UNKNOWN) if items else UNKNOWN
        for item in items[1:]:
            if item.type != item_type:
                self.fail(
                    errors.MixedList(
                        item.position, found=describe(item.type), expected=describe(item_type)
                    )
                )
        return replace(node, items=items, type=ListType(item_type))

    def parameter(self, node: Parameter) -> Node:
        type_ = self.schema.parameters.get(node.name)
        if type_ is None:
            suggestion = closest(node.name, self.schema.parameters)
            hint = errors.did_you_mean(f"${suggestion}" if suggestion else None)
            self.fail(errors.UnknownParameter(node.position, name=node.name, hint=hint))
            return replace(node, type=UNKNOWN)
        self.parameters.add(node.name)
        return replace(node, type=type_)

    def field(self, node: Field, scope: _Scope) -> Node:
        access = self.resolve(node, scope)
        if access is None:
            return replace(node, type=UNKNOWN)
        self.fields.add(access.name)
        type_ = ListType(access.leaf) if access.projection else access.leaf
        return replace(node, type=type_, access=access)

    def resolve(self, node: Field, scope: _Scope) -> FieldAccess | None:
        """Where the path leads in the scope's schema, or None after reporting why it cannot."""
        path, prefix, schema = node.path, scope.prefix, scope.schema
        group_at: int | None = None
        for index, name in enumerate(path):
            type_ = schema.fields.get(name)
            written = ".".join(path[: index + 1])
            last = index == len(path) - 1
            if type_ is None:
                self.unknown_field(node, scope)
                return None
            if isinstance(type_, RecordType):
                if last:
                    example = next(iter(type_.schema.paths(f"{written}.")), "")
                    self.fail(
                        errors.RecordNotAllowed(node.position, field=written, example=example)
                    )
                    return None
                schema = type_.schema
                continue
            if group_at is not None and isinstance(type_, GroupType | ListType):
                self.fail(errors.NestedGroupPath(node.position, field=".".join(path)))
                return None
            if isinstance(type_, GroupType):
                if last:
                    return FieldAccess(path, (), type_, prefix + written)
                group_at, schema = index, type_.schema
                continue
            if not last:
                self.fail(
                    errors.NotARecord(
                        node.position, field=written, type=describe(type_), name=path[index + 1]
                    )
                )
                return None
            if group_at is None:
                return FieldAccess(path, (), type_, prefix + written)
            group_path = path[: group_at + 1]
            return FieldAccess(
                group_path,
                path[group_at + 1 :],
                type_,
                prefix + written,
                prefix + ".".join(group_path),
            )
        raise AssertionError("a path has at least one name")

    def unknown_field(self, node: Field, scope: _Scope) -> None:
        written = ".".join(node.path)
        hint = errors.did_you_mean(closest(written, list(scope.schema.paths())))
        if scope.quantifier and not hint:
            hint = " " + gettext(
                'Inside %(function)s() only the fields of "%(group)s" can be used.'
            ) % {"function": scope.quantifier, "group": scope.prefix.rstrip(".")}
        self.fail(errors.UnknownField(node.position, field=written, hint=hint))

    def binary(self, node: Binary, scope: _Scope) -> Node:
        operator = node.operator
        if operator in LOGICAL:
            left, right = self.condition(node.left, scope), self.condition(node.right, scope)
            return replace(node, left=left, right=right, type=BOOLEAN)
        left, right = self.value(node.left, scope), self.value(node.right, scope)
        types = (left.type or UNKNOWN, right.type or UNKNOWN)
        where = node.operator_position
        result = NUMBER if operator in ARITHMETIC else BOOLEAN
        if UNKNOWN in types:
            return replace(node, left=left, right=right, type=result)
        left_type, right_type = types
        described = {"left": describe(left_type), "right": describe(right_type)}
        if operator in ARITHMETIC:
            if types != (NUMBER, NUMBER):
                self.fail(errors.ArithmeticTypeMismatch(where, operator=operator, **described))
            elif operator in ("/", "%") and constant(right) == 0:
                self.fail(errors.DivisionByZero(right.position))
        elif operator in ("in", "not in"):
            list_item = right_type.item if isinstance(right_type, ListType) else None
            if left_type not in SCALAR_VALUES or list_item not in (left_type, UNKNOWN):
                self.fail(
                    errors.MembershipTypeMismatch(
                        where,
                        operator=operator,
                        item=described["left"],
                        container=described["right"],
                    )
                )
        elif left_type != right_type or left_type not in SCALAR_VALUES:
            self.fail(errors.IncomparableTypes(where, **described))
        elif operator not in ("==", "!=") and left_type == BOOLEAN:
            self.fail(errors.UnorderedType(where, operator=operator, type=described["left"]))
        return replace(node, left=left, right=right, type=result)

    def call(self, node: Call, scope: _Scope) -> Node:
        function = REGISTRY.get(node.function)
        if function is None:
            raise errors.UnknownFunction(
                node.position, name=node.function, known=", ".join(sorted(REGISTRY)), hint=""
            )
        self.needs_today = self.needs_today or function.needs_today
        arguments = node.arguments
        if len(arguments) != len(function.arguments):
            self.fail(
                errors.WrongArgumentCount(
                    node.position,
                    function=function.name,
                    expected=len(function.arguments),
                    found=len(arguments),
                )
            )
            unknowns = [UNKNOWN] * len(function.arguments)
            if function.quantifier:
                return replace(node, type=function.result(unknowns))
            typed = tuple(self.visit(argument, scope) for argument in arguments)
            return replace(node, arguments=typed, type=function.result(unknowns))
        if function.quantifier:
            return self.quantifier(node, scope)
        typed = tuple(self.visit(argument, scope) for argument in arguments)
        for index, (argument, expected) in enumerate(zip(typed, function.arguments, strict=True)):
            self.argument(function.name, index, argument, expected.description, expected.accepts)
        types = [argument.type or UNKNOWN for argument in typed]
        return replace(node, arguments=typed, type=function.result(types))

    def argument(
        self,
        function: str,
        index: int,
        argument: Node,
        expected: str,
        accepts: Callable[[Type], bool],
    ) -> None:
        type_ = argument.type or UNKNOWN
        if type_ != UNKNOWN and not accepts(type_):
            self.fail(
                errors.WrongArgumentType(
                    argument.position,
                    function=function,
                    index=index + 1,
                    expected=gettext(expected),
                    found=describe(type_),
                )
            )

    def quantifier(self, node: Call, scope: _Scope) -> Node:
        group, condition = node.arguments
        typed_group = self.visit(group, scope)
        group_type = typed_group.type
        if not isinstance(group_type, GroupType) or not isinstance(typed_group, Field):
            expected = REGISTRY[node.function].arguments[0]
            self.argument(node.function, 0, typed_group, expected.description, expected.accepts)
            # Without a group there is no scope to check the condition in.
            unchecked = replace(condition, type=UNKNOWN)
            return replace(node, arguments=(typed_group, unchecked), type=BOOLEAN)
        assert typed_group.access is not None
        inner = _Scope(group_type.schema, f"{typed_group.access.name}.", node.function)
        typed_condition = self.condition(condition, inner)
        return replace(node, arguments=(typed_group, typed_condition), type=BOOLEAN)
