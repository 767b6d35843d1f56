"""Edits of a draft definition as pure functions: each returns a new definition, or raises."""

import copy
import re
from typing import Any

from django.utils.translation import gettext_lazy as _

from uslugi.constructor import blocks as block_kinds
from uslugi.constructor.definitions import Block, Definition, blocks_of
from uslugi.core.errors import UserFacingError

KEY = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


class BlockNotFound(UserFacingError):
    status = 404
    default_message = _("There is no such block in the definition.")


class LockedBlock(UserFacingError):
    default_message = _("This block comes from the federal template and is locked.")


def _copy(definition: Definition) -> tuple[Definition, list[Block]]:
    result = copy.deepcopy(definition)
    result.setdefault("schema_version", 1)
    blocks = result.setdefault("blocks", [])
    return result, blocks


def _position(blocks: list[Block], key: str) -> int:
    for index, block in enumerate(blocks):
        if block.get("key") == key:
            return index
    raise BlockNotFound()


def new_key(definition: Definition, kind: str) -> str:
    taken = {block.get("key") for block in blocks_of(definition)}
    for child_holder in blocks_of(definition):
        taken |= {child.get("key") for child in child_holder.get("config", {}).get("blocks", [])}
    number = 1
    while f"{kind}_{number}" in taken:
        number += 1
    return f"{kind}_{number}"


def add_block(
    definition: Definition, *, kind: str, after: str | None = None, binding: str = "local"
) -> tuple[Definition, str]:
    """Add a new block of `kind` with its default settings after `after` (or at the end)."""
    block_kind = block_kinds.get_block_kind(kind)
    result, blocks = _copy(definition)
    key = new_key(result, kind)
    block: Block = {
        "key": key,
        "kind": kind,
        "label": str(block_kind.title),
        "help": "",
        "required": bool(block_kind.is_field),
        "condition": "",
        "binding": binding,
        "config": block_kind.default_config(),
    }
    if not block_kind.is_field:
        block.pop("required")
    position = _position(blocks, after) + 1 if after else len(blocks)
    blocks.insert(position, block)
    return result, key


def remove_block(
    definition: Definition, *, key: str, protected: frozenset[str] = frozenset()
) -> Definition:
    if key in protected:
        raise LockedBlock()
    result, blocks = _copy(definition)
    del blocks[_position(blocks, key)]
    return result


def move_block(definition: Definition, *, key: str, offset: int) -> Definition:
    """Move a block up (offset -1) or down (+1); at either end it stays where it is."""
    result, blocks = _copy(definition)
    index = _position(blocks, key)
    target = max(0, min(len(blocks) - 1, index + offset))
    blocks.insert(target, blocks.pop(index))
    return result


def update_block(definition: Definition, *, key: str, changes: dict[str, Any]) -> Definition:
    """Replace attributes of a block; `config` and `bounds` are replaced whole."""
    result, blocks = _copy(definition)
    block = blocks[_position(blocks, key)]
    for name, value in changes.items():
        if name in {"key", "kind"}:
            continue
        block[name] = value
    return result
