"""The tokenizer: expression text to a list of tokens, each with its position.

Hand-written over the characters of the text (no regular-expression backtracking, no Python
tokenizer), so that every character it does not know is refused with its line and column.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum

from django.utils.translation import gettext

from uslugi.rules import errors
from uslugi.rules.errors import Position, gettext_noop


class Kind(Enum):
    NUMBER = "number"
    STRING = "string"
    NAME = "name"
    PARAMETER = "parameter"
    KEYWORD = "keyword"
    OPERATOR = "operator"
    END = "end"


KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false"})

# Longest first: "<=" must win over "<".
OPERATORS = (
    *("==", "!=", "<=", ">=", "<", ">"),
    *("+", "-", "*", "/", "%"),
    *("(", ")", "[", "]", ",", "."),
)

ESCAPES = {'"': '"', "'": "'", "\\": "\\", "n": "\n", "t": "\t", "r": "\r"}

# Characters an author might try from Python or spreadsheets, each refused with a precise reason.
FORBIDDEN = {
    "=": gettext_noop('Assignment with "=" (use == to compare)'),
    "{": gettext_noop("A dictionary or set"),
    ":": gettext_noop("A slice, dictionary or lambda body"),
    ";": gettext_noop("A statement separator"),
    "&": gettext_noop('The operator "&" (use and)'),
    "|": gettext_noop('The operator "|" (use or)'),
    "~": gettext_noop('The operator "~" (use not)'),
    "@": gettext_noop("A decorator or matrix product"),
    "!": gettext_noop('The operator "!" (use not)'),
}


@dataclass(frozen=True, slots=True)
class Token:
    kind: Kind
    text: str
    position: Position
    value: object = None


def _is_name_start(character: str) -> bool:
    return character == "_" or ("a" <= character <= "z") or ("A" <= character <= "Z")


def _is_name_part(character: str) -> bool:
    return _is_name_start(character) or ("0" <= character <= "9")


def _is_digit(character: str) -> bool:
    return "0" <= character <= "9"


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        self.line = 1
        self.line_start = 0

    def position(self, offset: int | None = None) -> Position:
        offset = self.offset if offset is None else offset
        return Position(offset, self.line, offset - self.line_start + 1)

    def tokens(self) -> Iterator[Token]:
        text = self.text
        while True:
            self._skip_space()
            if self.offset >= len(text):
                yield Token(Kind.END, "", self.position())
                return
            character = text[self.offset]
            if _is_digit(character):
                yield self._number()
            elif character in "\"'":
                yield self._string(character)
            elif _is_name_start(character):
                yield self._name()
            elif character == "$":
                yield self._parameter()
            else:
                yield self._operator()

    def _skip_space(self) -> None:
        text = self.text
        while self.offset < len(text) and text[self.offset] in " \t\r\n":
            if text[self.offset] == "\n":
                self.line += 1
                self.line_start = self.offset + 1
            self.offset += 1

    def _take_while(self, predicate: Callable[[str], bool]) -> str:
        start = self.offset
        text = self.text
        while self.offset < len(text) and predicate(text[self.offset]):
            self.offset += 1
        return text[start : self.offset]

    def _number(self) -> Token:
        position = self.position()
        digits = self._take_while(_is_digit)
        if self.offset < len(self.text) and self.text[self.offset] == ".":
            self.offset += 1
            fraction = self._take_while(_is_digit)
            digits = f"{digits}.{fraction}"
            if not fraction:
                raise errors.InvalidNumber(position, text=digits)
        if self.offset < len(self.text) and (
            _is_name_part(self.text[self.offset]) or self.text[self.offset] == "."
        ):
            tail = self._take_while(lambda c: _is_name_part(c) or c == ".")
            raise errors.InvalidNumber(position, text=digits + tail)
        value = float(digits)
        if not math.isfinite(value):
            raise errors.InvalidNumber(position, text=digits)
        return Token(Kind.NUMBER, digits, position, value)

    def _string(self, quote: str) -> Token:
        position = self.position()
        text = self.text
        self.offset += 1
        parts: list[str] = []
        while True:
            if self.offset >= len(text) or text[self.offset] == "\n":
                raise errors.UnterminatedString(position)
            character = text[self.offset]
            if character == quote:
                self.offset += 1
                break
            if character == "\\":
                if self.offset + 1 >= len(text):
                    raise errors.UnterminatedString(position)
                escaped = text[self.offset + 1]
                if escaped not in ESCAPES:
                    raise errors.InvalidEscape(self.position(), character=escaped)
                parts.append(ESCAPES[escaped])
                self.offset += 2
                continue
            parts.append(character)
            self.offset += 1
        return Token(Kind.STRING, text[position.offset : self.offset], position, "".join(parts))

    def _name(self) -> Token:
        position = self.position()
        name = self._take_while(_is_name_part)
        kind = Kind.KEYWORD if name in KEYWORDS else Kind.NAME
        return Token(kind, name, position, name)

    def _parameter(self) -> Token:
        position = self.position()
        self.offset += 1
        if self.offset >= len(self.text) or not _is_name_start(self.text[self.offset]):
            raise errors.UnexpectedCharacter(position, character="$")
        name = self._take_while(_is_name_part)
        return Token(Kind.PARAMETER, "$" + name, position, name)

    def _operator(self) -> Token:
        position = self.position()
        text = self.text
        for operator in OPERATORS:
            if text.startswith(operator, self.offset):
                self.offset += len(operator)
                return Token(Kind.OPERATOR, operator, position, operator)
        character = text[self.offset]
        if character in FORBIDDEN:
            raise errors.UnsupportedSyntax(position, what=gettext(FORBIDDEN[character]))
        raise errors.UnexpectedCharacter(position, character=character)


def tokenize(text: str) -> Iterator[Token]:
    """The tokens of `text`, ending with one END token, made as they are read: a bad character
    raises its `ParseError` only when the parser reaches it, so the leftmost error wins."""
    return _Scanner(text).tokens()
