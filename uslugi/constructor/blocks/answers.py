"""From a valid block to the question a citizen answers, and from the answer to stored JSON.

The form engine builds one Django form per section of the variant's definition:

- a field kind: `form_field(block)` under the name `block["key"]`; its `clean()` returns the
  normalised answer (`date`, `Decimal`, `int`, `bool`, `str`, `list[str]`, `dict[str, str]`);
- a group: `formset_for(block)` (see group.py), its answer is `formset.answers()`;
- to keep an answer in a draft or an application: `to_json(block, value)`; to show it again
  (as `initial`) or to evaluate rules over it: `from_json(block, stored)`.

The table of answers and their JSON is in field_kinds.py. `value_type` and `child_types` tell
the rules language's type checker what each key holds.
"""

from collections.abc import Mapping
from typing import Any

from django import forms

from uslugi.constructor.blocks.group import GroupFormSet, GroupKind
from uslugi.constructor.blocks.group import formset_for as _formset_for
from uslugi.constructor.blocks.registry import ValueType, get_block_kind


def form_field(block: Mapping[str, Any]) -> forms.Field:
    """The Django form field asking a field block's question (label, help text, required)."""
    return get_block_kind(block.get("kind")).form_field(block)


def formset_for(block: Mapping[str, Any]) -> type[GroupFormSet]:
    """The formset class of a group block's items, with its min/max items."""
    if not isinstance(get_block_kind(block.get("kind")), GroupKind):
        raise TypeError("Only a group block has a formset; use form_field(block).")
    return _formset_for(block)


def to_json(block: Mapping[str, Any], value: Any) -> Any:
    """The answer `value` (as `clean()` returned it) as a JSON value."""
    return get_block_kind(block.get("kind")).to_json(block, value)


def from_json(block: Mapping[str, Any], value: Any) -> Any:
    """A stored JSON answer back as `clean()` returns it."""
    return get_block_kind(block.get("kind")).from_json(block, value)


def value_type(block: Mapping[str, Any]) -> ValueType:
    """The type of a field block's answer; a `TypeError` for blocks that take no answer."""
    return get_block_kind(block.get("kind")).value_type(block)


def child_types(block: Mapping[str, Any]) -> dict[str, ValueType]:
    """The parts of a record (passport, address) or a group's item, with their types."""
    return get_block_kind(block.get("kind")).child_types(block)
