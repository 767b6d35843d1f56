"""The registry of block kinds: one `BlockKind` per kind of block, added with `@register`.

A kind knows its palette entry (`kind`, `title`, `category`, `default_config()`), how to check
its `config` and `bounds`, and, for field kinds, how to build the Django form field that asks
for the answer and how the answer is stored as JSON. Kinds hold no state: one instance each.
"""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, ClassVar, TypeVar

from django import forms
from django.utils.functional import Promise

from uslugi.constructor.blocks.bound_rules import BoundRule
from uslugi.constructor.blocks.config import ConfigReader, Report
from uslugi.constructor.blocks.errors import UnknownBlockKind


class Category(StrEnum):
    """Where a kind sits in the palette, in palette order."""

    FIELD = "field"
    STRUCTURE = "structure"
    SERVICE = "service"


class ValueType(StrEnum):
    """The type of an answer, as the rules language's type checker sees it."""

    STRING = "string"
    NUMBER = "number"
    DATE = "date"
    BOOLEAN = "boolean"
    LIST_OF_STRINGS = "list[string]"
    RECORD = "record"
    GROUP = "group"


class BlockKind:
    """One kind of block. Subclasses set the class attributes and override what they need."""

    kind: ClassVar[str]
    title: ClassVar[Promise]
    category: ClassVar[Category]
    is_field: ClassVar[bool] = False
    has_options: ClassVar[bool] = False
    # Config keys a `parameter` block of this kind may leave for the region to fill, each with
    # the rule for its entry in `bounds` (see bound_rules.py).
    bound_rules: ClassVar[Mapping[str, BoundRule]] = {}

    def default_config(self) -> dict[str, Any]:
        """The config of a block newly dragged from the palette; it passes validation."""
        return {}

    def read_config(self, reader: ConfigReader) -> None:
        """Check every setting through `reader`, which records the problems."""

    def read_bounds(self, reader: ConfigReader) -> None:
        """Check the shape of each entry of a parameter block's `bounds`."""
        for name in list(reader.values):
            if name in self.bound_rules:
                self.bound_rules[name].read(reader, name)

    def check_bounds(
        self, bounds: Mapping[str, Any], config: Mapping[str, Any], report: Report
    ) -> None:
        """Record where the region's `config` leaves the template's (valid) `bounds`."""
        for name in bounds:
            if name in self.bound_rules:
                self.bound_rules[name].check(bounds, config, name, report)

    def form_field(self, block: Mapping[str, Any]) -> forms.Field:
        raise TypeError(f"A {self.kind} block asks no question and has no form field.")

    def value_type(self, block: Mapping[str, Any]) -> ValueType:
        raise TypeError(f"A {self.kind} block yields no answer.")

    def child_types(self, block: Mapping[str, Any]) -> dict[str, ValueType]:
        raise TypeError(f"The answer of a {self.kind} block has no parts.")

    def to_json(self, block: Mapping[str, Any], value: Any) -> Any:
        """The cleaned answer as a JSON value for drafts and applications."""
        return value

    def from_json(self, block: Mapping[str, Any], value: Any) -> Any:
        """The stored JSON value back as `form_field(...).clean()` returns it."""
        return value


class FieldKind(BlockKind):
    """A kind whose block yields one answer."""

    category = Category.FIELD
    is_field = True


_KINDS: dict[str, BlockKind] = {}

KindClass = TypeVar("KindClass", bound=type[BlockKind])


def register(cls: KindClass) -> KindClass:
    """Class decorator: add one instance of the kind to the registry under `cls.kind`."""
    if cls.kind in _KINDS:
        raise ValueError(f"Block kind {cls.kind!r} is registered twice.")
    _KINDS[cls.kind] = cls()
    return cls


def get_block_kind(kind: object) -> BlockKind:
    """The registered kind named `kind`; raises `UnknownBlockKind` for anything else."""
    if not isinstance(kind, str) or kind not in _KINDS:
        raise UnknownBlockKind(kind)
    return _KINDS[kind]


def list_block_kinds() -> list[BlockKind]:
    """Every kind in palette order: fields, then structure, then service definition; within a
    category in the order of the definition format's documentation."""
    order = list(Category)
    return sorted(_KINDS.values(), key=lambda kind: order.index(kind.category))
