"""The tokenizer and parser: the grammar, operator precedence, and refusal with positions."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from uslugi.rules import ParseError, parse, unparse
from uslugi.rules import errors as e
from uslugi.rules.ast import (
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
from uslugi.rules.parser import MAX_DEPTH

a, b, c = Field(("a",)), Field(("b",)), Field(("c",))


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("12", Number(12.0)),
        ("0.25", Number(0.25)),
        ('"text"', String("text")),
        ("'a\\'b\\n'", String("a'b\n")),
        ("true", Boolean(True)),
        ("false", Boolean(False)),
        ('date("2024-02-29")', DateLiteral(date(2024, 2, 29))),
        (
            '[1, -2, "x", date("2025-01-31"), true]',
            ListLiteral(
                (
                    Number(1.0),
                    Negate(Number(2.0)),
                    String("x"),
                    DateLiteral(date(2025, 1, 31)),
                    Boolean(True),
                )
            ),
        ),
        ("[]", ListLiteral(())),
        ("applicant.birth_date", Field(("applicant", "birth_date"))),
        ("$subsistence_minimum", Parameter("subsistence_minimum")),
        ("count(family_members)", Call("count", (Field(("family_members",)),))),
        ("today()", Call("today", ())),
        ("-a", Negate(a)),
        ("not a", Not(a)),
    ],
)
def test_literals_paths_and_calls_parse(text: str, tree: Node) -> None:
    # when
    parsed = parse(text)

    # then
    assert parsed == tree
    assert parse(unparse(parsed)) == tree


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("a or b and c", Binary("or", a, Binary("and", b, c))),
        ("a and b or c", Binary("or", Binary("and", a, b), c)),
        ("not a and b", Binary("and", Not(a), b)),
        ("not a == b", Not(Binary("==", a, b))),
        ("a and not b", Binary("and", a, Not(b))),
        ("a + b * c", Binary("+", a, Binary("*", b, c))),
        ("a - b - c", Binary("-", Binary("-", a, b), c)),
        ("a / b % c", Binary("%", Binary("/", a, b), c)),
        ("-a * b", Binary("*", Negate(a), b)),
        ("(a + b) * c", Binary("*", Binary("+", a, b), c)),
        ("a + b < c", Binary("<", Binary("+", a, b), c)),
        ("a in [1]", Binary("in", a, ListLiteral((Number(1.0),)))),
        ("a not in b", Binary("not in", a, b)),
        ("a == b", Binary("==", a, b)),
        ("a != b", Binary("!=", a, b)),
        ("a <= b", Binary("<=", a, b)),
        ("a >= b", Binary(">=", a, b)),
        ("a > b", Binary(">", a, b)),
        ("- -a", Negate(Negate(a))),
        ("not not a", Not(Not(a))),
    ],
)
def test_operators_bind_by_precedence(text: str, tree: Node) -> None:
    # when
    parsed = parse(text)

    # then
    assert parsed == tree
    assert parse(unparse(parsed)) == tree


def test_positions_count_lines_and_columns_from_one() -> None:
    # given an expression over two lines
    text = "a and\n  b.c > 1"

    # when
    tree = parse(text)

    # then
    assert isinstance(tree, Binary)
    assert tree.right.position == e.Position(8, 2, 3)
    assert isinstance(tree.right, Binary)
    assert tree.right.operator_position == e.Position(12, 2, 7)


@pytest.mark.parametrize(
    ("text", "error", "column"),
    [
        ("a +", e.UnexpectedToken, 4),
        ("(a", e.UnexpectedToken, 3),
        ("a b", e.UnexpectedToken, 3),
        (")", e.UnexpectedToken, 1),
        ("", e.UnexpectedToken, 1),
        ("a # comment", e.UnexpectedCharacter, 3),
        ("$", e.UnexpectedCharacter, 1),
        ('"open', e.UnterminatedString, 1),
        ('"a\\q"', e.InvalidEscape, 3),
        ("1.", e.InvalidNumber, 1),
        ("1.2.3", e.InvalidNumber, 1),
        ("12abc", e.InvalidNumber, 1),
        ("1" * 400, e.InvalidNumber, 1),
        ('date("2025-02-30")', e.InvalidDate, 6),
        ("date(2025)", e.InvalidDate, 6),
        ('date("31.01.2025")', e.InvalidDate, 6),
        ("a < b < c", e.ChainedComparison, 7),
        ("a == not b", e.MisplacedNot, 6),
        ("-not a", e.MisplacedNot, 2),
        ("frobnicate(a)", e.UnknownFunction, 1),
        ("[a]", e.UnexpectedToken, 2),
        ("[1, $p]", e.UnexpectedToken, 5),
        ("[1,]", e.UnexpectedToken, 4),
        ("a.", e.UnexpectedToken, 3),
        ("a.and", e.UnexpectedToken, 3),
    ],
)
def test_parse_errors_carry_their_position(text: str, error: type, column: int) -> None:
    # when
    with pytest.raises(error) as raised:
        parse(text)

    # then
    assert raised.value.position.column == column
    assert raised.value.position.line == 1
    assert f"column {column}" in raised.value.message


@pytest.mark.parametrize(
    ("text", "column", "said"),
    [
        ('__import__("os")', 1, '"__"'),
        ("a.__class__", 3, '"__"'),
        ("lambda: 1", 1, '"lambda"'),
        ("[x for x in y]", 2, "literal value"),
        ("a if b else c", 3, '"if"'),
        ("a is None", 3, '"is"'),
        ("None", 1, '"None"'),
        ("True", 1, "write true"),
        ("x = 1", 3, "=="),
        ("a[0]", 2, "Indexing"),
        ("count(a)[0]", 9, "Indexing"),
        ("count(a).real", 9, "Attribute access"),
        ('"abc".upper()', 6, "Attribute access"),
        ("(a).b", 4, "Attribute access"),
        ("$p.x", 3, "Attribute access"),
        ("a.b()", 4, "method call"),
        ("(a)(b)", 4, "A call of a value"),
        ("{1: 2}", 1, "dictionary"),
        ("a; b", 2, "statement"),
        ("a & b", 3, "use and"),
        ("a | b", 3, "use or"),
        ("~a", 1, "use not"),
        ("!a", 1, "use not"),
        ("import os", 1, '"import"'),
    ],
)
def test_anything_outside_the_grammar_is_refused_with_its_position(
    text: str, column: int, said: str
) -> None:
    # when
    with pytest.raises(ParseError) as raised:
        parse(text)

    # then
    assert raised.value.position.column == column
    assert said in raised.value.message


def test_unknown_function_suggests_the_closest() -> None:
    # when
    with pytest.raises(e.UnknownFunction) as raised:
        parse("cont(family_members) > 1")

    # then
    assert raised.value.message.endswith('Did you mean "count"?')


@pytest.mark.parametrize("text", ["(" * 200 + "a" + ")" * 200, " + ".join(["a"] * 200), "-" * 500])
def test_expressions_nested_too_deep_are_refused(text: str) -> None:
    # when
    with pytest.raises(e.TooDeep) as raised:
        parse(text)

    # then
    assert str(MAX_DEPTH) in raised.value.message


@settings(max_examples=500)
@given(st.text(max_size=40))
def test_random_text_raises_nothing_but_parse_errors(text: str) -> None:
    # when
    try:
        parse(text)
    except ParseError as error:
        position = error.position
    else:
        return

    # then the error points inside the text (or just after its end)
    assert 0 <= position.offset <= len(text)


GRAMMAR_PIECES = st.sampled_from(
    [
        *("a", "b.c", "$p", "1", "0.5", '"s"', "true", "not", "and", "or", "in", "not in"),
        *("==", "<", ">=", "+", "-", "*", "/", "%", "(", ")", "[", "]", ",", "count("),
        *("any(", "date(", '"2025-01-31"', ".", "=", "lambda", "__x", "x[0]"),
    ]
)


@settings(max_examples=500)
@given(st.lists(GRAMMAR_PIECES, max_size=12).map(" ".join))
def test_random_token_soup_raises_nothing_but_parse_errors(text: str) -> None:
    try:
        tree = parse(text)
    except ParseError:
        return
    assert parse(unparse(tree)) == tree


NAMES = st.sampled_from(["a", "b", "income", "family_members", "x1"])
LITERALS = st.one_of(
    st.floats(min_value=0, allow_nan=False, allow_infinity=False).map(Number),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=5).map(String),
    st.booleans().map(Boolean),
    st.dates().map(DateLiteral),
)
LIST_ITEMS = st.one_of(LITERALS, st.floats(min_value=0.5, max_value=1e9).map(Number).map(Negate))
LEAVES = st.one_of(
    LITERALS,
    st.lists(NAMES, min_size=1, max_size=3).map(lambda names: Field(tuple(names))),
    NAMES.map(Parameter),
    st.lists(LIST_ITEMS, max_size=3).map(lambda items: ListLiteral(tuple(items))),
)
OPERATORS = st.sampled_from(
    ["or", "and", "==", "!=", "<", "<=", ">", ">=", "in", "not in", "+", "-", "*", "/", "%"]
)
FUNCTIONS = st.sampled_from(["count", "sum", "age", "any", "today", "days_between"])


def _trees(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    return st.one_of(
        st.builds(Binary, OPERATORS, children, children),
        st.builds(Negate, children),
        st.builds(Not, children),
        st.builds(Call, FUNCTIONS, st.lists(children, max_size=3).map(lambda args: tuple(args))),
    )


TREES = st.recursive(LEAVES, _trees, max_leaves=25)


@settings(max_examples=500)
@given(TREES)
def test_printed_trees_parse_back_equal(tree: Node) -> None:
    # when
    text = unparse(tree)

    # then
    assert parse(text) == tree
