"""Plain-data helpers over a definition (docs/constructor-definition.md): no ORM, no forms."""

from collections.abc import Iterator
from typing import Any

Block = dict[str, Any]
Definition = dict[str, Any]

SCHEMA_VERSION = 1
FIELD_KINDS = frozenset(
    {
        "text",
        "long_text",
        "number",
        "money",
        "date",
        "single_choice",
        "multiple_choice",
        "yes_no",
        "email",
        "phone",
        "snils",
        "inn_person",
        "inn_organisation",
        "passport",
        "address",
        "file",
        "group",
        "profile_question",
    }
)


def blocks_of(definition: Definition) -> list[Block]:
    blocks = definition.get("blocks", [])
    return blocks if isinstance(blocks, list) else []


def iter_blocks(definition: Definition) -> Iterator[Block]:
    """Every block, children of groups right after their group."""
    for block in blocks_of(definition):
        yield block
        if block.get("kind") == "group":
            yield from block.get("config", {}).get("blocks", [])


def index_blocks(definition: Definition) -> dict[str, Block]:
    """Top-level blocks by key (group children stay inside their group)."""
    return {block["key"]: block for block in blocks_of(definition) if "key" in block}


def section_of(definition: Definition) -> dict[str, str | None]:
    """The key of the section each top-level block belongs to (None before the first section)."""
    current: str | None = None
    owner: dict[str, str | None] = {}
    for block in blocks_of(definition):
        if block.get("kind") == "section":
            current = block["key"]
        owner[block["key"]] = current
    return owner


def sections(definition: Definition) -> list[tuple[Block | None, list[Block]]]:
    """The definition split into steps: each section block with the blocks that follow it."""
    steps: list[tuple[Block | None, list[Block]]] = []
    for block in blocks_of(definition):
        if block.get("kind") == "section":
            steps.append((block, []))
        else:
            if not steps:
                steps.append((None, []))
            steps[-1][1].append(block)
    return steps


def blocks_of_kind(definition: Definition, kind: str) -> list[Block]:
    return [block for block in blocks_of(definition) if block.get("kind") == kind]
