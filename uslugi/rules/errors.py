"""Errors of the expression language: each names the rule it protects and says where it broke.

Every error carries `position` (offset from 0, line and column from 1) and a user-facing message
that includes the position, so a methodologist publishing a definition sees "Unknown field
"aplicant.income" at line 1, column 1. Did you mean "applicant.income"?" rather than a traceback.
Parse errors (`ParseError`) come from text that is not in the grammar; type errors
(`TypeCheckError`) from well-formed text that does not fit the schema it is checked against.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from uslugi.core.errors import UserFacingError


def gettext_noop(message: str) -> str:
    """Marks `message` for translation without needing settings at import time (as Django's own
    global_settings does); `makemessages` finds it by this name."""
    return message


@dataclass(frozen=True, slots=True)
class Position:
    """Where a token or node starts: `offset` counts characters from 0, `line`/`column` from 1."""

    offset: int
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.line}:{self.column}"


class RuleError(UserFacingError):
    """An expression the language refuses; `template` is filled with `details` and the position."""

    template: str | Promise = ""

    def __init__(self, position: Position, **details: object) -> None:
        self.position = position
        self.details = details
        values = {"line": position.line, "column": position.column, **details}
        super().__init__(str(self.template) % values)


def did_you_mean(suggestion: str | None) -> str:
    """The trailing hint of unknown-name errors ('' when nothing is close enough)."""
    if not suggestion:
        return ""
    return " " + gettext('Did you mean "%(suggestion)s"?') % {"suggestion": suggestion}


class ParseError(RuleError):
    """Text that is not an expression of the language; nothing after it is read."""


class UnexpectedCharacter(ParseError):
    template = _('Unexpected character "%(character)s" at line %(line)s, column %(column)s.')


class UnterminatedString(ParseError):
    template = _("The text that starts at line %(line)s, column %(column)s has no closing quote.")


class InvalidEscape(ParseError):
    template = _(
        'Unknown escape "\\%(character)s" at line %(line)s, column %(column)s; '
        "use \\\" \\' \\\\ \\n \\t or \\r."
    )


class InvalidNumber(ParseError):
    template = _(
        'The number "%(text)s" at line %(line)s, column %(column)s is not valid: write digits '
        "with an optional decimal point, such as 89760 or 0.5."
    )


class InvalidDate(ParseError):
    template = _(
        "The date at line %(line)s, column %(column)s is not valid: "
        'write a real calendar date as date("2025-01-31").'
    )


class UnexpectedToken(ParseError):
    template = _("Expected %(expected)s but found %(found)s at line %(line)s, column %(column)s.")


class UnknownFunction(ParseError):
    template = _(
        'Unknown function "%(name)s" at line %(line)s, column %(column)s; the functions are '
        "%(known)s.%(hint)s"
    )


class UnsupportedSyntax(ParseError):
    template = _("%(what)s at line %(line)s, column %(column)s is not part of the language.")


class ChainedComparison(ParseError):
    template = _(
        "Comparisons cannot be chained (line %(line)s, column %(column)s): write a < b and b < c."
    )


class MisplacedNot(ParseError):
    template = _('Put "not ..." in parentheses at line %(line)s, column %(column)s.')


class TooDeep(ParseError):
    template = _(
        "The expression is nested more than %(limit)s levels deep at line %(line)s, "
        "column %(column)s; split it into simpler rules."
    )


class TypeCheckError(RuleError):
    """A well-formed expression that does not fit the schema it is checked against."""


class UnknownField(TypeCheckError):
    template = _('Unknown field "%(field)s" at line %(line)s, column %(column)s.%(hint)s')


class UnknownParameter(TypeCheckError):
    template = _('Unknown parameter "$%(name)s" at line %(line)s, column %(column)s.%(hint)s')


class NotARecord(TypeCheckError):
    template = _(
        '"%(field)s" at line %(line)s, column %(column)s is %(type)s and has no field "%(name)s".'
    )


class RecordNotAllowed(TypeCheckError):
    template = _(
        '"%(field)s" at line %(line)s, column %(column)s is a record; refer to one of its '
        "fields, such as %(example)s."
    )


class GroupNotAllowed(TypeCheckError):
    template = _(
        '"%(field)s" at line %(line)s, column %(column)s is a group of records; use count(), '
        "any() or all() on it, or one of its fields such as %(example)s."
    )


class NestedGroupPath(TypeCheckError):
    template = _(
        'The path "%(field)s" at line %(line)s, column %(column)s goes through more than one '
        "group or list; use any() or all() over the outer group."
    )


class IncomparableTypes(TypeCheckError):
    template = _("Cannot compare %(left)s with %(right)s at line %(line)s, column %(column)s.")


class UnorderedType(TypeCheckError):
    template = _(
        '"%(operator)s" cannot order %(type)s at line %(line)s, column %(column)s; use == or !=.'
    )


class ArithmeticTypeMismatch(TypeCheckError):
    template = _(
        '"%(operator)s" needs numbers, but got %(left)s and %(right)s at line %(line)s, '
        "column %(column)s."
    )


class NegationTypeMismatch(TypeCheckError):
    template = _('"-" needs a number, but got %(type)s at line %(line)s, column %(column)s.')


class MembershipTypeMismatch(TypeCheckError):
    template = _(
        'Cannot look for %(item)s in %(container)s with "%(operator)s" at line %(line)s, '
        "column %(column)s."
    )


class MixedList(TypeCheckError):
    template = _(
        "A list holds values of one type, but this item is %(found)s while the first is "
        "%(expected)s (line %(line)s, column %(column)s)."
    )


class ConditionNotBoolean(TypeCheckError):
    template = _(
        "A condition must be true or false, but this is %(found)s (line %(line)s, "
        "column %(column)s)."
    )


class WrongResultType(TypeCheckError):
    template = _(
        "The expression must give %(expected)s, but gives %(found)s (line %(line)s, "
        "column %(column)s)."
    )


class DivisionByZero(TypeCheckError):
    template = _("Division by zero at line %(line)s, column %(column)s.")


class WrongArgumentCount(TypeCheckError):
    template = _(
        "%(function)s() takes %(expected)s argument(s) but got %(found)s at line %(line)s, "
        "column %(column)s."
    )


class WrongArgumentType(TypeCheckError):
    template = _(
        "Argument %(index)s of %(function)s() must be %(expected)s, but is %(found)s "
        "(line %(line)s, column %(column)s)."
    )
