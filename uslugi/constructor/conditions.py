"""Conditions of blocks in the `rules` language: checked at publish time, evaluated on answers."""

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from uslugi import rules
from uslugi.constructor import blocks as block_kinds
from uslugi.constructor.definitions import Block, Definition, blocks_of

# Composite answers are records with these parts (docs/constructor-definition.md).
RECORD_PARTS = {
    "passport": {"series": "string", "number": "string"},
    "address": {
        "region": "string",
        "settlement": "string",
        "street": "string",
        "house": "string",
        "flat": "string",
    },
}


def _field_type(block: Block) -> Any:
    kind = block.get("kind", "")
    if kind == "group":
        children = block.get("config", {}).get("blocks", [])
        return [{child["key"]: _field_type(child) for child in children if _is_field(child)}]
    if kind in RECORD_PARTS:
        return RECORD_PARTS[kind]
    return block_kinds.value_type(block)


def _is_field(block: Block) -> bool:
    try:
        return block_kinds.get_block_kind(str(block.get("kind"))).is_field
    except block_kinds.UnknownBlockKind:
        return False


def schema_of(definition: Definition) -> rules.Schema:
    """The fields a condition may name: every field block of the definition, by key."""
    return rules.Schema.from_dict(
        {block["key"]: _field_type(block) for block in blocks_of(definition) if _is_field(block)}
    )


def check_conditions(definition: Definition) -> list[tuple[str, str]]:
    """(block key, message with position) for every condition that does not parse or type-check."""
    schema = schema_of(definition)
    problems = []
    for block in blocks_of(definition):
        source = str(block.get("condition") or "").strip()
        if source:
            for error in rules.collect_errors(source, schema):
                problems.append(
                    (block["key"], f"«{block.get('label') or block['key']}»: {error.message}")
                )
    return problems


@lru_cache(maxsize=4096)
def _compiled(source: str, schema: rules.Schema) -> rules.CompiledExpression:
    return rules.compile_expression(rules.check(source, schema))


def _typed(block: Block, value: Any) -> Any:
    """One stored answer as the rules language reads it, by the block's own type."""
    if value is None:
        return None
    kind = str(block.get("kind"))
    if kind == "group":
        children = {child["key"]: child for child in block.get("config", {}).get("blocks", [])}
        return [
            {key: _typed(child, item.get(key)) for key, child in children.items()}
            for item in value
            if isinstance(item, Mapping)
        ]
    if kind in RECORD_PARTS:
        return dict(value) if isinstance(value, Mapping) else None
    value_type = str(block_kinds.value_type(block))
    try:
        if value_type == "date":
            return value if isinstance(value, date) else date.fromisoformat(str(value))
        if value_type == "number":
            return float(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None
    return value


def fields_of(definition: Definition) -> dict[str, Block]:
    """The definition's field blocks by key."""
    return {block["key"]: block for block in blocks_of(definition) if _is_field(block)}


def record_of(
    definition: Definition,
    answers: Mapping[str, Any],
    fields: Mapping[str, Block] | None = None,
) -> dict[str, Any]:
    """The answers typed for the rules language: dates as dates, numbers and money as floats.

    Conversion follows each field's declared type, so a text answer that looks like a date stays
    text. `fields` (from `fields_of`) saves looking the field blocks up again.
    """
    if fields is None:
        fields = fields_of(definition)
    return {key: _typed(fields[key], value) for key, value in answers.items() if key in fields}


def applies(block: Block, record: Mapping[str, Any], schema: rules.Schema) -> bool:
    """Whether a block applies to these (typed, see `record_of`) answers: no condition, or a
    condition that is true. An unknown result (an answer it needs is not given yet) hides the
    block until it is known."""
    source = str(block.get("condition") or "").strip()
    if not source:
        return True
    result = _compiled(source, schema)(record, {})
    return result.is_true


def condition_sources(definition: Definition, schema: rules.Schema | None = None) -> frozenset[str]:
    """Keys of the fields some condition reads: changing one of them may show or hide blocks."""
    if schema is None:
        schema = schema_of(definition)
    sources: set[str] = set()
    for block in blocks_of(definition):
        source = str(block.get("condition") or "").strip()
        if not source:
            continue
        try:
            checked = rules.check(source, schema)
        except rules.RuleError:
            continue
        sources |= {path.split(".")[0] for path in checked.fields}
    return frozenset(sources)
