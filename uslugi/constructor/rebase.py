"""Rebasing a regional variant onto a new template version: a three-way merge of definitions.

`base` is the template version the variant was built on, `theirs` the new template version, `mine`
the variant's definition. The region's own changes (overrides of template blocks and its local
blocks) carry over onto `theirs`; where the template changed the same thing, a conflict is listed
for the administrator to settle with "mine" or "theirs".
"""

import copy
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from uslugi.constructor.definitions import Block, Definition, blocks_of, section_of

# Attributes a region's change to a template block may touch (the rest are structural).
CARRIED = ("label", "help", "required", "condition")


@dataclass(frozen=True)
class Conflict:
    id: str
    block_key: str
    message: str
    mine: Any = None
    theirs: Any = None


@dataclass
class RebaseResult:
    definition: Definition
    conflicts: list[Conflict] = field(default_factory=list)
    carried: list[str] = field(default_factory=list)  # what carried over, for the screen

    @property
    def clean(self) -> bool:
        return not self.conflicts


def _changes(base_block: Block, my_block: Block) -> dict[str, Any]:
    """What the region changed on a template block: plain attributes and config keys."""
    changed: dict[str, Any] = {
        name: my_block.get(name) for name in CARRIED if my_block.get(name) != base_block.get(name)
    }
    base_config, my_config = base_block.get("config") or {}, my_block.get("config") or {}
    for key in set(base_config) | set(my_config):
        if base_config.get(key) != my_config.get(key):
            changed[f"config.{key}"] = my_config.get(key)
    return changed


def _get(block: Block, attribute: str) -> Any:
    if attribute.startswith("config."):
        return (block.get("config") or {}).get(attribute.removeprefix("config."))
    return block.get(attribute)


def _set(block: Block, attribute: str, value: Any) -> None:
    if attribute.startswith("config."):
        block.setdefault("config", {})[attribute.removeprefix("config.")] = value
    else:
        block[attribute] = value


def rebase(
    base: Definition,
    theirs: Definition,
    mine: Definition,
    resolutions: dict[str, str] | None = None,
) -> RebaseResult:
    """Carry the region's changes from `base` to `theirs`; `resolutions` maps conflict ids to
    "mine" or "theirs" and settles them."""
    resolutions = resolutions or {}
    base_blocks = {block["key"]: block for block in blocks_of(base)}
    their_blocks = {block["key"]: block for block in blocks_of(theirs)}
    my_blocks = blocks_of(mine)
    result_blocks = copy.deepcopy(blocks_of(theirs))
    by_key = {block["key"]: block for block in result_blocks}
    outcome = RebaseResult(definition={**copy.deepcopy(theirs), "blocks": result_blocks})

    def settle(conflict: Conflict) -> str | None:
        choice = resolutions.get(conflict.id)
        if choice not in {"mine", "theirs"}:
            outcome.conflicts.append(conflict)
            return None
        return choice

    for my_block in my_blocks:
        key = my_block["key"]
        if key not in base_blocks:
            continue
        changes = _changes(base_blocks[key], my_block)
        if not changes:
            continue
        label = my_block.get("label") or key
        if key not in their_blocks:
            conflict = Conflict(
                f"removed:{key}",
                key,
                _("The new template version removed «%(label)s», which the region had changed.")
                % {"label": label},
            )
            if settle(conflict) == "mine":
                outcome.carried.append(key)  # acknowledged: the block goes with the template
            continue
        target = by_key[key]
        for attribute, value in changes.items():
            template_before = _get(base_blocks[key], attribute)
            template_after = _get(their_blocks[key], attribute)
            if template_before != template_after and template_after != value:
                conflict = Conflict(
                    f"changed:{key}:{attribute}",
                    key,
                    _("«%(label)s»: the region and the new template both changed %(attribute)s.")
                    % {"label": label, "attribute": attribute},
                    mine=value,
                    theirs=template_after,
                )
                if settle(conflict) == "mine":
                    _set(target, attribute, value)
            else:
                _set(target, attribute, value)
                outcome.carried.append(f"{key}.{attribute}")

    _carry_local_blocks(base_blocks, their_blocks, mine, outcome, settle)
    return outcome


def _carry_local_blocks(
    base_blocks: dict[str, Block],
    their_blocks: dict[str, Block],
    mine: Definition,
    outcome: RebaseResult,
    settle: Any,
) -> None:
    """Put each local block back after the block it followed, inside the same extension point."""
    owner = section_of(mine)
    result_blocks: list[Block] = outcome.definition["blocks"]
    extension_points = {
        block["key"]
        for block in result_blocks
        if block.get("kind") == "section" and block.get("binding") == "extension_point"
    }
    previous: str | None = None
    for my_block in blocks_of(mine):
        key = my_block["key"]
        if key in base_blocks:
            previous = key
            continue
        block = copy.deepcopy(my_block)
        label = block.get("label") or key
        if key in their_blocks:
            conflict = Conflict(
                f"clash:{key}",
                key,
                _("The new template adds a block with the key of the local block «%(label)s».")
                % {"label": label},
            )
            if settle(conflict) != "mine":
                continue
            block["key"] = f"{key}_local"
        section = owner.get(key)
        if section not in extension_points:
            conflict = Conflict(
                f"orphan:{key}",
                key,
                _(
                    "The local block «%(label)s» stood in a section that is no longer an "
                    "extension point."
                )
                % {"label": label},
            )
            if settle(conflict) != "mine" or not extension_points:
                continue
            section = sorted(extension_points)[0]
        keys = [item["key"] for item in result_blocks]
        if (
            previous is not None
            and previous in keys
            and section_of(outcome.definition).get(previous) == section
        ):
            position = keys.index(previous) + 1
        else:
            position = _end_of_section(result_blocks, section)
        result_blocks.insert(position, block)
        outcome.carried.append(block["key"])
        previous = block["key"]


def _end_of_section(blocks: list[Block], section: str | None) -> int:
    position = len(blocks)
    inside = False
    for index, block in enumerate(blocks):
        if block.get("kind") == "section":
            if inside:
                return index
            inside = block["key"] == section
    return position
