"""The block kinds of the constructor and everything they know (docs/constructor-definition.md).

The package owns the registry of kinds and, per kind: its palette entry, the checks of its
`config` and `bounds`, its Django form field and the JSON of its answer. It owns no models and
parses no conditions (that is the `rules` app, plugged in through `check_condition`).

Public surface:

- registry: `BlockKind`, `register`, `get_block_kind`, `list_block_kinds`, `UnknownBlockKind`,
  `Category`, `ValueType`;
- checking: `validate_definition`, `validate_block`, `BlockError`;
- answers: `form_field`, `formset_for`, `to_json`, `from_json`, `value_type`, `child_types`;
- compliance: `check_bounds`, `allowed_overrides`.
"""

# Importing the kinds registers them, in palette order within each category.
from uslugi.constructor.blocks import definition_kinds, field_kinds, group  # noqa: F401
from uslugi.constructor.blocks.answers import (
    child_types,
    form_field,
    formset_for,
    from_json,
    to_json,
    value_type,
)
from uslugi.constructor.blocks.bounds import allowed_overrides, check_bounds
from uslugi.constructor.blocks.errors import BlockError, UnknownBlockKind
from uslugi.constructor.blocks.group import GroupFormSet
from uslugi.constructor.blocks.registry import (
    BlockKind,
    Category,
    ValueType,
    get_block_kind,
    list_block_kinds,
    register,
)
from uslugi.constructor.blocks.validation import validate_block, validate_definition

__all__ = [
    "BlockError",
    "BlockKind",
    "Category",
    "GroupFormSet",
    "UnknownBlockKind",
    "ValueType",
    "allowed_overrides",
    "check_bounds",
    "child_types",
    "form_field",
    "formset_for",
    "from_json",
    "get_block_kind",
    "list_block_kinds",
    "register",
    "to_json",
    "validate_block",
    "validate_definition",
    "value_type",
]
