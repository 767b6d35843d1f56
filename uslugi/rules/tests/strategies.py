"""A test schema and hypothesis strategies: well-typed expressions over it, and records for it."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

from uslugi.rules import Schema

SCHEMA = Schema.from_dict(
    {
        "income": "number",
        "members": "number",
        "name": "string",
        "born": "date",
        "disabled": "boolean",
        "codes": "list[string]",
        "amounts": "list[number]",
        "applicant": {"birth_date": "date", "income": "number"},
        "family_members": [
            {
                "birth_date": "date",
                "income": "number",
                "relation": "string",
                "student": "boolean",
                "incomes": [{"amount": "number"}],
            }
        ],
    },
    parameters={
        "minimum": "number",
        "threshold": "number",
        "regions": "list[string]",
        "cutoff": "date",
    },
)

# Fields by scope and type: the top level, one family member, one income of a member.
FIELDS: dict[str, dict[str, list[str]]] = {
    "root": {
        "number": ["income", "members", "applicant.income"],
        "date": ["born", "applicant.birth_date"],
        "string": ["name"],
        "boolean": ["disabled"],
        "list[number]": ["amounts", "family_members.income"],
        "list[string]": ["codes", "family_members.relation"],
        "list[date]": ["family_members.birth_date"],
    },
    "member": {
        "number": ["income"],
        "date": ["birth_date"],
        "string": ["relation"],
        "boolean": ["student"],
        "list[number]": ["incomes.amount"],
        "list[string]": [],
        "list[date]": [],
    },
    "income": {
        "number": ["amount"],
        "date": [],
        "string": [],
        "boolean": [],
        "list[number]": [],
        "list[string]": [],
        "list[date]": [],
    },
}
GROUPS = {"root": ("family_members", "member"), "member": ("incomes", "income")}
PARAMETERS = {
    "number": ["$minimum", "$threshold"],
    "date": ["$cutoff"],
    "list[string]": ["$regions"],
}

NUMBER_LITERALS = ["0", "1", "2", "3", "0.5", "2.25", "12", "89760", "1" + "0" * 300]
STRING_LITERALS = ['"a"', '"mother"', "''", '"b\\n"']
DATE_LITERALS = ['date("2024-02-29")', 'date("2000-01-01")', 'date("2025-06-01")']


def _leaves(kind: str, scope: str) -> st.SearchStrategy[str]:
    options = FIELDS[scope][kind] + PARAMETERS.get(kind, [])
    literals = {
        "number": NUMBER_LITERALS,
        "string": STRING_LITERALS,
        "date": [*DATE_LITERALS, "today()"],
        "boolean": ["true", "false"],
        "list[number]": ["[]", "[1, -2.5, 0]", "[3]"],
        "list[string]": ['["a", "mother"]', "[]"],
        "list[date]": ['[date("2000-01-01")]'],
    }[kind]
    return st.sampled_from(options + literals)


def expressions(kind: str, scope: str = "root", depth: int = 3) -> st.SearchStrategy[str]:
    """Source text of a well-typed expression of `kind` in `scope` (maybe dividing by zero)."""
    leaves = _leaves(kind, scope)
    if depth <= 0:
        return leaves

    def sub(sub_kind: str, sub_scope: str = scope) -> st.SearchStrategy[str]:
        return expressions(sub_kind, sub_scope, depth - 1)

    def wrap(template: str, *parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.tuples(*parts).map(lambda values: "(" + template.format(*values) + ")")

    options: list[st.SearchStrategy[str]] = [leaves]
    group = GROUPS.get(scope)
    if kind == "number":
        operator = st.sampled_from(["+", "-", "*", "/", "%"])
        options += [
            wrap("{} {} {}", sub("number"), operator, sub("number")),
            wrap("-{}", sub("number")),
            wrap("age({})", sub("date")),
            wrap("days_between({}, {})", sub("date"), sub("date")),
            wrap("years_between({}, {})", sub("date"), sub("date")),
            wrap("len({})", sub("list[string]")),
            wrap("sum({})", sub("list[number]")),
            wrap("{}({})", st.sampled_from(["min", "max"]), sub("list[number]")),
        ]
        if group:
            options.append(st.just(f"count({group[0]})"))
    elif kind == "date":
        options.append(wrap("{}({})", st.sampled_from(["min", "max"]), sub("list[date]")))
    elif kind == "boolean":
        comparison = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])
        options += [
            wrap("{} {} {}", sub("number"), comparison, sub("number")),
            wrap("{} {} {}", sub("date"), comparison, sub("date")),
            wrap("{} {} {}", sub("string"), comparison, sub("string")),
            wrap("{} {} {}", sub("boolean"), st.sampled_from(["==", "!="]), sub("boolean")),
            wrap("{} {} {}", sub("boolean"), st.sampled_from(["and", "or"]), sub("boolean")),
            wrap("not {}", sub("boolean")),
            wrap("{} {} {}", sub("number"), st.sampled_from(["in", "not in"]), sub("list[number]")),
            wrap("{} {} {}", sub("string"), st.sampled_from(["in", "not in"]), sub("list[string]")),
        ]
        if group:
            name, inner = group
            quantifier = st.sampled_from(["any", "all"])
            options.append(wrap("{}(" + name + ", {})", quantifier, sub("boolean", inner)))
    return st.one_of(options)


NUMBERS = st.one_of(
    st.sampled_from([0.0, -0.0, 1.0, 2.5, -3.0, 0.1, 17000.0, 1e308, -1e308]),
    st.sampled_from([float("nan"), float("inf")]),
    st.integers(-1000, 1000),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
)
DATES = st.one_of(
    st.sampled_from([date(2024, 2, 29), date(2000, 1, 1), date(2025, 6, 1), date(2022, 6, 2)]),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
)
STRINGS = st.one_of(
    st.sampled_from(["a", "b", "mother", "", "b\n"]),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=3),
)
BOOLEANS = st.booleans()


def _maybe(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), values, values, values)


def _lists(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return _maybe(st.lists(_maybe(values), max_size=3))


def _record(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """A record whose fields may be absent, None or a value."""
    return st.fixed_dictionaries({}, optional=fields)


INCOMES = _record({"amount": _maybe(NUMBERS)})
MEMBERS = _record(
    {
        "birth_date": _maybe(DATES),
        "income": _maybe(NUMBERS),
        "relation": _maybe(STRINGS),
        "student": _maybe(BOOLEANS),
        "incomes": _maybe(st.lists(st.one_of(st.none(), INCOMES), max_size=3)),
    }
)
RECORDS = _record(
    {
        "income": _maybe(NUMBERS),
        "members": _maybe(NUMBERS),
        "name": _maybe(STRINGS),
        "born": _maybe(DATES),
        "disabled": _maybe(BOOLEANS),
        "codes": _lists(STRINGS),
        "amounts": _lists(NUMBERS),
        "applicant": _maybe(
            _record({"birth_date": _maybe(DATES), "income": _maybe(NUMBERS)}),
        ),
        "family_members": _maybe(st.lists(st.one_of(st.none(), MEMBERS), max_size=3)),
    }
)
PARAMETER_VALUES = _record(
    {
        "minimum": _maybe(NUMBERS),
        "threshold": _maybe(NUMBERS),
        "regions": _lists(STRINGS),
        "cutoff": _maybe(DATES),
    }
)
