"""Differences between two definitions, block by block, in words an administrator reads."""

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from uslugi.constructor.definitions import Block, Definition, blocks_of

# Attributes compared one by one; `config` and `bounds` are compared key by key.
ATTRIBUTES = ("kind", "label", "help", "required", "condition", "binding", "overridable")


@dataclass(frozen=True)
class AttributeChange:
    attribute: str
    before: Any
    after: Any


@dataclass(frozen=True)
class BlockChange:
    """One block added, removed, changed or moved between two definitions."""

    key: str
    action: str  # "added" | "removed" | "changed" | "moved"
    label: str
    changes: tuple[AttributeChange, ...] = field(default=())


def _attribute_changes(before: Block, after: Block) -> list[AttributeChange]:
    changes = [
        AttributeChange(name, before.get(name), after.get(name))
        for name in ATTRIBUTES
        if before.get(name) != after.get(name)
    ]
    for part in ("config", "bounds"):
        old, new = before.get(part) or {}, after.get(part) or {}
        for key in sorted(set(old) | set(new)):
            if old.get(key) != new.get(key):
                changes.append(AttributeChange(f"{part}.{key}", old.get(key), new.get(key)))
    return changes


def diff_definitions(before: Definition, after: Definition) -> list[BlockChange]:
    """Blocks removed from `before`, then every block of `after` that is new, changed or moved."""
    old_blocks = {block["key"]: block for block in blocks_of(before)}
    new_blocks = {block["key"]: block for block in blocks_of(after)}
    result = [
        BlockChange(key, "removed", str(block.get("label", "")))
        for key, block in old_blocks.items()
        if key not in new_blocks
    ]
    common_old = [key for key in old_blocks if key in new_blocks]
    common_new = [key for key in new_blocks if key in old_blocks]
    # Blocks outside the longest common order moved; the rest only shifted around them.
    matcher = SequenceMatcher(None, common_old, common_new, autojunk=False)
    in_place = {
        key
        for match in matcher.get_matching_blocks()
        for key in common_new[match.b : match.b + match.size]
    }
    for key, block in new_blocks.items():
        label = str(block.get("label", ""))
        if key not in old_blocks:
            result.append(BlockChange(key, "added", label))
            continue
        changes = _attribute_changes(old_blocks[key], block)
        if changes:
            result.append(BlockChange(key, "changed", label, tuple(changes)))
        elif key not in in_place:
            result.append(BlockChange(key, "moved", label))
    return result
