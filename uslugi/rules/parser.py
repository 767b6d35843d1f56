"""The parser: a precedence-climbing (Pratt) parser from tokens to the syntax tree.

The grammar, loosest binding first (see docs in `uslugi/rules/__init__.py`)::

    expression  = or
    or          = and { "or" and }
    and         = not { "and" not }
    not         = "not" not | comparison
    comparison  = sum [ ("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not" "in") sum ]
    sum         = product { ("+" | "-") product }
    product     = unary { ("*" | "/" | "%") unary }
    unary       = "-" unary | primary
    primary     = NUMBER | STRING | "true" | "false" | date | list | PARAMETER | path | call
                | "(" expression ")"
    date        = "date" "(" STRING ")"                       (an ISO date, checked here)
    list        = "[" [ literal { "," literal } ] "]"
    literal     = [ "-" ] NUMBER | STRING | "true" | "false" | date
    path        = NAME { "." NAME }
    call        = NAME "(" [ expression { "," expression } ] ")"  (NAME from the function registry)

Anything else is a `ParseError` at its position: attribute access on a value, indexing, calls of
anything but a registered function, lambdas, comprehensions, assignment and Python keywords.
Trees deeper than `MAX_DEPTH` are refused, which bounds the recursion of every later stage.
"""

from __future__ import annotations

import re
from datetime import date

from django.utils.translation import gettext

from uslugi.rules import errors
from uslugi.rules.ast import (
    COMPARISON,
    NEGATION,
    NOT,
    PRECEDENCE,
    Binary,
    Boolean,
    Call,
    DateLiteral,
    Field,
    ListLiteral,
    Negate,
    Node,
    Not,
    Number,
    Parameter,
    String,
)
from uslugi.rules.errors import gettext_noop
from uslugi.rules.functions import REGISTRY, closest
from uslugi.rules.tokens import Kind, Token, tokenize

MAX_DEPTH = 100

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# Words from Python and other languages an author may try, each refused with its own reason.
PYTHON_WORDS = {
    "None": gettext_noop('"None" (missing data is handled without it)'),
    "null": gettext_noop('"null" (missing data is handled without it)'),
    "True": gettext_noop('"True" (write true)'),
    "False": gettext_noop('"False" (write false)'),
    "is": gettext_noop('The keyword "is" (use ==)'),
    "lambda": gettext_noop('The keyword "lambda"'),
    "for": gettext_noop('The keyword "for"'),
    "if": gettext_noop('The keyword "if"'),
    "else": gettext_noop('The keyword "else"'),
    "import": gettext_noop('The keyword "import"'),
    "from": gettext_noop('The keyword "from"'),
    "def": gettext_noop('The keyword "def"'),
    "class": gettext_noop('The keyword "class"'),
    "while": gettext_noop('The keyword "while"'),
    "return": gettext_noop('The keyword "return"'),
    "yield": gettext_noop('The keyword "yield"'),
    "with": gettext_noop('The keyword "with"'),
    "del": gettext_noop('The keyword "del"'),
    "global": gettext_noop('The keyword "global"'),
    "async": gettext_noop('The keyword "async"'),
    "await": gettext_noop('The keyword "await"'),
}


def parse(text: str) -> Node:
    """The syntax tree of `text`, or a `ParseError` naming the first position that is wrong."""
    return _Parser(text).parse()


def _found(token: Token) -> str:
    if token.kind is Kind.END:
        return gettext("the end")
    return f'"{token.text}"'


class _Parser:
    def __init__(self, text: str) -> None:
        self.stream = tokenize(text)
        self.tokens: list[Token] = [next(self.stream)]
        self.index = 0

    def parse(self) -> Node:
        node, _depth = self.expression(0, 0)
        token = self.peek()
        if token.kind is not Kind.END:
            self.refuse_infix(token)
            raise errors.UnexpectedToken(
                token.position, expected=gettext("an operator or the end"), found=_found(token)
            )
        return node

    def peek(self, ahead: int = 0) -> Token:
        wanted = self.index + ahead
        while len(self.tokens) <= wanted and self.tokens[-1].kind is not Kind.END:
            self.tokens.append(next(self.stream))
        return self.tokens[min(wanted, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.peek()
        if token.kind is not Kind.END:
            self.index += 1
        return token

    def expect(self, text: str, expected: str) -> Token:
        token = self.peek()
        if token.kind not in (Kind.OPERATOR, Kind.KEYWORD) or token.text != text:
            self.refuse_infix(token)
            raise errors.UnexpectedToken(token.position, expected=expected, found=_found(token))
        return self.advance()

    def expression(self, minimum: int, nesting: int) -> tuple[Node, int]:
        """The longest expression whose operators bind at least as tightly as `minimum`."""
        if nesting > MAX_DEPTH:
            raise errors.TooDeep(self.peek().position, limit=MAX_DEPTH)
        left, depth = self.prefix(minimum, nesting)
        start = left.position
        chained = False
        while True:
            operator = self.infix_operator()
            if operator is None:
                return left, depth
            text, width = operator
            level = PRECEDENCE[text]
            if level < minimum:
                return left, depth
            token = self.peek()
            if level == COMPARISON and chained:
                raise errors.ChainedComparison(token.position)
            for _ in range(width):
                self.advance()
            right, right_depth = self.expression(level + 1, nesting + 1)
            depth = max(depth, right_depth) + 1
            if depth > MAX_DEPTH:
                raise errors.TooDeep(token.position, limit=MAX_DEPTH)
            left = Binary(text, left, right, operator_position=token.position, position=start)
            chained = level == COMPARISON

    def infix_operator(self) -> tuple[str, int] | None:
        token = self.peek()
        if token.kind is Kind.KEYWORD and token.text == "not":
            following = self.peek(1)
            if following.kind is Kind.KEYWORD and following.text == "in":
                return "not in", 2
            return None
        if token.kind in (Kind.OPERATOR, Kind.KEYWORD) and token.text in PRECEDENCE:
            return token.text, 1
        return None

    def refuse_infix(self, token: Token) -> None:
        """Refuse what stands where an operator may be, when it is a known foreign construct."""
        if token.kind is Kind.NAME and token.text in PYTHON_WORDS:
            raise errors.UnsupportedSyntax(token.position, what=gettext(PYTHON_WORDS[token.text]))
        if token.kind is Kind.OPERATOR and token.text == ".":
            raise errors.UnsupportedSyntax(
                token.position, what=gettext("Attribute access on a value")
            )
        if token.kind is Kind.OPERATOR and token.text == "[":
            raise errors.UnsupportedSyntax(token.position, what=gettext("Indexing"))
        if token.kind is Kind.OPERATOR and token.text == "(":
            raise errors.UnsupportedSyntax(token.position, what=gettext("A call of a value"))

    def prefix(self, minimum: int, nesting: int) -> tuple[Node, int]:
        token = self.advance()
        kind, text = token.kind, token.text
        if kind is Kind.KEYWORD and text == "not":
            if minimum > NOT:
                raise errors.MisplacedNot(token.position)
            operand, depth = self.expression(NOT, nesting + 1)
            return Not(operand, position=token.position), depth + 1
        if kind is Kind.OPERATOR and text == "-":
            operand, depth = self.expression(NEGATION, nesting + 1)
            return Negate(operand, position=token.position), depth + 1
        if kind is Kind.OPERATOR and text == "(":
            node, depth = self.expression(0, nesting + 1)
            self.expect(")", gettext('a closing ")"'))
            return node, depth
        if kind is Kind.OPERATOR and text == "[":
            return self.list_literal(token)
        if kind is Kind.NAME:
            return self.name(token, nesting)
        literal = self.literal(token)
        if literal is None:
            self.refuse_infix(token)
            raise errors.UnexpectedToken(
                token.position, expected=gettext("an expression"), found=_found(token)
            )
        return literal, 1

    def literal(self, token: Token) -> Node | None:
        if token.kind is Kind.NUMBER:
            assert isinstance(token.value, float)
            return Number(token.value, position=token.position)
        if token.kind is Kind.STRING:
            assert isinstance(token.value, str)
            return String(token.value, position=token.position)
        if token.kind is Kind.KEYWORD and token.text in ("true", "false"):
            return Boolean(token.text == "true", position=token.position)
        if token.kind is Kind.PARAMETER:
            assert isinstance(token.value, str)
            if self.peek().text == ".":
                raise errors.UnsupportedSyntax(
                    self.peek().position, what=gettext("Attribute access on a value")
                )
            return Parameter(token.value, position=token.position)
        return None

    def list_literal(self, opening: Token) -> tuple[Node, int]:
        items: list[Node] = []
        expected = gettext("a literal value (a number, a string, a date, true or false)")
        if self.peek().text != "]" or self.peek().kind is not Kind.OPERATOR:
            while True:
                token = self.advance()
                item: Node | None
                if token.kind is Kind.OPERATOR and token.text == "-":
                    number = self.advance()
                    item = self.literal(number) if number.kind is Kind.NUMBER else None
                    if item is None:
                        raise errors.UnexpectedToken(
                            number.position, expected=gettext("a number"), found=_found(number)
                        )
                    item = Negate(item, position=token.position)
                elif token.kind is Kind.NAME and token.text == "date":
                    item = self.date_literal(token)
                else:
                    item = self.literal(token)
                    if item is None or isinstance(item, Parameter):
                        raise errors.UnexpectedToken(
                            token.position, expected=expected, found=_found(token)
                        )
                items.append(item)
                if self.peek().text != ",":
                    break
                self.advance()
        self.expect("]", gettext('a comma or a closing "]"'))
        self.refuse_infix(self.peek())
        return ListLiteral(tuple(items), position=opening.position), 3

    def date_literal(self, name: Token) -> Node:
        self.expect("(", gettext('an opening "("'))
        token = self.advance()
        value = token.value if token.kind is Kind.STRING else None
        if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
            raise errors.InvalidDate(token.position)
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            raise errors.InvalidDate(token.position) from None
        self.expect(")", gettext('a closing ")"'))
        return DateLiteral(parsed, position=name.position)

    def name(self, token: Token, nesting: int) -> tuple[Node, int]:
        if token.text in PYTHON_WORDS:
            raise errors.UnsupportedSyntax(token.position, what=gettext(PYTHON_WORDS[token.text]))
        self.refuse_dunder(token)
        following = self.peek()
        if following.kind is Kind.OPERATOR and following.text == "(":
            return self.call(token, nesting)
        path = [token.text]
        while self.peek().kind is Kind.OPERATOR and self.peek().text == ".":
            self.advance()
            part = self.advance()
            if part.kind is not Kind.NAME:
                raise errors.UnexpectedToken(
                    part.position, expected=gettext("a field name"), found=_found(part)
                )
            self.refuse_dunder(part)
            path.append(part.text)
        if self.peek().kind is Kind.OPERATOR and self.peek().text == "(":
            raise errors.UnsupportedSyntax(self.peek().position, what=gettext("A method call"))
        self.refuse_infix(self.peek())
        return Field(tuple(path), position=token.position), 1

    def refuse_dunder(self, token: Token) -> None:
        if token.text.startswith("__"):
            raise errors.UnsupportedSyntax(
                token.position, what=gettext('A name that starts with "__"')
            )

    def call(self, name: Token, nesting: int) -> tuple[Node, int]:
        if name.text == "date":
            node = self.date_literal(name)
            self.refuse_infix(self.peek())
            return node, 1
        if name.text not in REGISTRY:
            raise errors.UnknownFunction(
                name.position,
                name=name.text,
                known=", ".join(sorted(REGISTRY)),
                hint=errors.did_you_mean(closest(name.text, REGISTRY)),
            )
        self.advance()
        arguments: list[Node] = []
        depth = 0
        if not (self.peek().kind is Kind.OPERATOR and self.peek().text == ")"):
            while True:
                argument, argument_depth = self.expression(0, nesting + 1)
                arguments.append(argument)
                depth = max(depth, argument_depth)
                if not (self.peek().kind is Kind.OPERATOR and self.peek().text == ","):
                    break
                self.advance()
        self.expect(")", gettext('a comma or a closing ")"'))
        self.refuse_infix(self.peek())
        if depth + 1 > MAX_DEPTH:
            raise errors.TooDeep(name.position, limit=MAX_DEPTH)
        return Call(name.text, tuple(arguments), position=name.position), depth + 1
