"""The types of the language and the `Schema` an expression is checked against.

Types: number, string, date, boolean, list[T], group (a list of records with their own schema),
record (a nested set of fields: only its fields are values) and unknown (the type of a part that
already failed to check, so that one mistake is reported once).

Numbers are IEEE 754 doubles (Python `float`, polars `Float64`) on both evaluation paths: the two
paths then round identically, which a decimal type could not promise across Python and polars.
Integers are exact up to 2**53 and amounts in roubles with kopecks compare correctly with `<`, `<=`;
sums of fractional amounts may differ from decimal arithmetic in the last binary digit, so compare
computed amounts with thresholds rather than with `==`.

A schema is built from plain data so that the constructor and support apps can pass their
definitions without importing these classes::

    Schema.from_dict(
        {
            "applicant": {"birth_date": "date", "income": "number"},   # a record
            "family_members": [{"birth_date": "date", "income": "number"}],  # a group
            "benefit_codes": "list[string]",
        },
        parameters={"subsistence_minimum": "number"},
    )
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext

if TYPE_CHECKING:
    import polars as pl


class InvalidSchema(ValueError):
    """A schema definition that is not made of the known type names (a programming error)."""


@dataclass(frozen=True, slots=True)
class ScalarType:
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class ListType:
    item: Type

    def __str__(self) -> str:
        return f"list[{self.item}]"


@dataclass(frozen=True, slots=True)
class GroupType:
    schema: Schema

    def __str__(self) -> str:
        return "group"


@dataclass(frozen=True, slots=True)
class RecordType:
    schema: Schema

    def __str__(self) -> str:
        return "record"


Type = ScalarType | ListType | GroupType | RecordType

NUMBER = ScalarType("number")
STRING = ScalarType("string")
DATE = ScalarType("date")
BOOLEAN = ScalarType("boolean")
UNKNOWN = ScalarType("unknown")

SCALARS = {"number": NUMBER, "string": STRING, "date": DATE, "boolean": BOOLEAN}


@dataclass(frozen=True)
class Schema:
    """Named fields with their types, and named parameters supplied at evaluation time.

    Parameters are constants that change by date or region (the regional subsistence minimum, the
    zero-income threshold): rules name them as `$subsistence_minimum` instead of hard-coding them.
    """

    fields: Mapping[str, Type] = field(default_factory=dict, hash=False)
    parameters: Mapping[str, Type] = field(default_factory=dict, hash=False)

    def __hash__(self) -> int:
        return hash((tuple(self.fields), tuple(self.parameters)))

    @classmethod
    def from_dict(
        cls, fields: Mapping[str, Any], parameters: Mapping[str, Any] | None = None
    ) -> Schema:
        return cls(
            fields={name: parse_type(spec, name) for name, spec in fields.items()},
            parameters={
                name: _scalar_or_list(spec, f"${name}") for name, spec in (parameters or {}).items()
            },
        )

    def with_parameters(self, parameters: Mapping[str, Any]) -> Schema:
        """This schema with `parameters` (plain type names) added, e.g. from the support app."""
        added = {name: _scalar_or_list(spec, f"${name}") for name, spec in parameters.items()}
        return Schema(fields=self.fields, parameters={**self.parameters, **added})

    def paths(self, prefix: str = "") -> Iterator[str]:
        """Every dotted path a rule may name, for "did you mean" hints."""
        for name, type_ in self.fields.items():
            path = f"{prefix}{name}"
            if isinstance(type_, RecordType | GroupType):
                if isinstance(type_, GroupType):
                    yield path
                yield from type_.schema.paths(f"{path}.")
            else:
                yield path

    def polars_schema(self) -> pl.Schema:
        """The polars schema of a frame of records of this schema (records as structs, groups as
        lists of structs), e.g. `pl.DataFrame(records, schema=schema.polars_schema())`."""
        import polars as pl

        return pl.Schema({name: polars_type(type_) for name, type_ in self.fields.items()})


def polars_type(type_: Type) -> pl.DataType:
    """The polars dtype holding values of `type_` (imported here: only the bulk path needs it)."""
    import polars as pl

    if isinstance(type_, ScalarType):
        scalars = {
            NUMBER: pl.Float64(),
            STRING: pl.String(),
            DATE: pl.Date(),
            BOOLEAN: pl.Boolean(),
        }
        return scalars.get(type_, pl.Float64())
    if isinstance(type_, ListType):
        return pl.List(polars_type(type_.item))
    struct = pl.Struct({name: polars_type(t) for name, t in type_.schema.fields.items()})
    return pl.List(struct) if isinstance(type_, GroupType) else struct


def parse_type(spec: Any, name: str) -> Type:
    """A type from plain data: a type name, a dict (record) or a one-dict list (group)."""
    if isinstance(spec, Mapping):
        return RecordType(Schema.from_dict(spec))
    if isinstance(spec, list) and len(spec) == 1 and isinstance(spec[0], Mapping):
        return GroupType(Schema.from_dict(spec[0]))
    return _scalar_or_list(spec, name)


def _scalar_or_list(spec: Any, name: str) -> Type:
    if isinstance(spec, ScalarType | ListType):
        return spec
    if isinstance(spec, str):
        if spec in SCALARS:
            return SCALARS[spec]
        if spec.startswith("list[") and spec.endswith("]") and spec[5:-1] in SCALARS:
            return ListType(SCALARS[spec[5:-1]])
    raise InvalidSchema(
        f"{name}: {spec!r} is not a type; use number, string, date, boolean, list[<one of them>],"
        " a dict of fields (a record) or a list holding one dict (a group)"
    )


def describe(type_: Type | None) -> str:
    """The type as a user reads it in an error message: "a number", "a list of dates"."""
    if isinstance(type_, ListType):
        lists: dict[Type, str] = {
            NUMBER: gettext("a list of numbers"),
            STRING: gettext("a list of strings"),
            DATE: gettext("a list of dates"),
            BOOLEAN: gettext("a list of true/false values"),
        }
        return lists.get(type_.item, gettext("a list"))
    if isinstance(type_, GroupType):
        return gettext("a group of records")
    if isinstance(type_, RecordType):
        return gettext("a record")
    scalars: dict[Type | None, str] = {
        NUMBER: gettext("a number"),
        STRING: gettext("a string"),
        DATE: gettext("a date"),
        BOOLEAN: gettext("true/false"),
    }
    return scalars.get(type_, gettext("a value of unknown type"))
