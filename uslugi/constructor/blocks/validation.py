"""Checking a definition before it is saved: the common attributes of every block, each kind's
`config` and `bounds`, and the definition as a whole (schema version, unique keys).

Conditions are expressions of the `rules` language, which this package does not parse: callers
pass `check_condition`, a function from the expression to its problems (translated messages),
and each problem is reported at the block's `condition`.
"""

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from django.utils.translation import gettext as _

from uslugi.constructor.blocks.config import ConfigReader, Report, join_path
from uslugi.constructor.blocks.errors import BlockError, UnknownBlockKind
from uslugi.constructor.blocks.registry import Category, get_block_kind

SCHEMA_VERSION = 1
KEY = re.compile(r"[a-z][a-z0-9_]{0,62}")
ATTRIBUTES = frozenset(
    {
        "key",
        "kind",
        "label",
        "help",
        "required",
        "condition",
        "binding",
        "overridable",
        "config",
        "bounds",
    }
)
BINDINGS = ("locked", "parameter", "extension_point", "local")
OVERRIDABLE = ("label", "help", "options")
GROUP = "group"

ConditionCheck = Callable[[str], Iterable[str]]


def validate_definition(
    definition: object, *, check_condition: ConditionCheck | None = None
) -> list[BlockError]:
    """Every problem in `definition`, in document order; an empty list means it can be saved."""
    if not isinstance(definition, Mapping):
        return [
            BlockError("", "", _("A definition must be an object with schema_version and blocks."))
        ]
    report = Report("", "")
    version = definition.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version != SCHEMA_VERSION:
        report.add(
            "schema_version",
            _("schema_version must be %(version)s.") % {"version": SCHEMA_VERSION},
        )
    for name in definition:
        if name not in ("schema_version", "blocks"):
            report.add(name, _("A definition has no attribute %(name)s.") % {"name": name})
    blocks = definition.get("blocks")
    if not isinstance(blocks, list):
        report.add("blocks", _("blocks must be a list of blocks."))
        return report.errors
    for index, block in enumerate(blocks):
        report.extend(
            validate_block(block, path=f"blocks[{index}]", check_condition=check_condition)
        )
    report.extend(_duplicate_keys(blocks))
    return report.errors


def validate_block(
    block: object,
    *,
    path: str = "",
    check_condition: ConditionCheck | None = None,
    in_group: bool = False,
) -> list[BlockError]:
    """Every problem in one block (and, for a group, in its children), with paths under `path`.

    Keys are not compared with other blocks here; `validate_definition` does that. Inside a
    group (`in_group`) a block may leave `binding` out: it shares the group's.
    """
    if not isinstance(block, Mapping):
        return [
            BlockError(
                path, "", _("A block must be an object with a key, a kind and its settings.")
            )
        ]
    key = block.get("key")
    report = Report(path, key if isinstance(key, str) else "")
    if not isinstance(key, str) or not KEY.fullmatch(key):
        report.add(
            "key",
            _(
                "key must start with a small Latin letter and contain only small Latin letters, "
                "digits and underscores, 63 characters at most."
            ),
        )
    for name in block:
        if name not in ATTRIBUTES:
            report.add(name, _("A block has no attribute %(name)s.") % {"name": name})
    try:
        kind = get_block_kind(block.get("kind"))
    except UnknownBlockKind:
        report.add("kind", _("There is no block kind %(kind)s.") % {"kind": block.get("kind")})
        return report.errors
    title = str(kind.title)
    if in_group and (not kind.is_field or kind.category != Category.FIELD):
        if kind.kind == GROUP:
            report.add("kind", _("A group cannot contain another group."))
        else:
            report.add(
                "kind",
                _(
                    "A group can contain only fields that take an answer, such as text, a date "
                    "or a choice; a block of kind “%(kind)s” cannot be inside a group."
                )
                % {"kind": title},
            )
        return report.errors

    _check_texts(block, report, is_field=kind.is_field)
    if kind.is_field:
        if not isinstance(block.get("required", False), bool):
            report.add("required", _("required must be true or false."))
    elif block.get("required"):
        report.add(
            "required",
            _("Only a field can be required; a block of kind “%(kind)s” takes no answer.")
            % {"kind": title},
        )
    condition = block.get("condition", "")
    if not isinstance(condition, str):
        report.add("condition", _("condition must be text: an expression, or empty for always."))
    elif condition.strip() and check_condition is not None:
        for message in check_condition(condition):
            report.add("condition", message)

    binding = _check_binding(block, report, kind.kind, optional=in_group)
    _check_overridable(block, report, has_options=kind.has_options)
    unfilled = _check_bounds(block, report, kind, binding)

    config = block.get("config", {})
    if not isinstance(config, Mapping):
        report.add("config", _("config must be an object of named settings."))
        return report.errors
    reader = ConfigReader(config, report, unfilled=unfilled)
    kind.read_config(reader)
    reader.finish(title)
    if kind.kind == GROUP and isinstance(config.get("blocks"), list):
        for index, child in enumerate(config["blocks"]):
            report.extend(
                validate_block(
                    child,
                    path=join_path(path, f"config.blocks[{index}]"),
                    check_condition=check_condition,
                    in_group=True,
                )
            )
    return report.errors


def _check_texts(block: Mapping[str, Any], report: Report, *, is_field: bool) -> None:
    label = block.get("label", "")
    if not isinstance(label, str):
        report.add("label", _("label must be text."))
    elif is_field and not label.strip():
        report.add("label", _("A field needs a label: the question the citizen reads."))
    if not isinstance(block.get("help", ""), str):
        report.add("help", _("help must be text."))


def _check_binding(
    block: Mapping[str, Any], report: Report, kind: str, *, optional: bool
) -> str | None:
    if "binding" not in block and optional:
        return None
    binding = block.get("binding")
    if binding not in BINDINGS:
        report.add(
            "binding",
            _("binding must be one of: %(choices)s.") % {"choices": ", ".join(BINDINGS)},
        )
        return None
    if binding == "extension_point" and kind != "section":
        report.add("binding", _("Only a section can be an extension point."))
    return str(binding)


def _check_overridable(block: Mapping[str, Any], report: Report, *, has_options: bool) -> None:
    overridable = block.get("overridable", [])
    if not isinstance(overridable, list) or any(name not in OVERRIDABLE for name in overridable):
        report.add(
            "overridable",
            _("overridable may list only: %(choices)s.") % {"choices": ", ".join(OVERRIDABLE)},
        )
    elif "options" in overridable and not has_options:
        report.add(
            "overridable",
            _("options can be overridable only on a block that has options."),
        )


def _check_bounds(
    block: Mapping[str, Any], report: Report, kind: Any, binding: str | None
) -> frozenset[str]:
    """Check `bounds`; return the config keys the region fills (only for parameter blocks)."""
    bounds = block.get("bounds", {})
    if not isinstance(bounds, Mapping):
        report.add("bounds", _("bounds must be an object of named settings."))
        return frozenset()
    if binding != "parameter":
        if bounds:
            report.add("bounds", _("Only a parameter block can have bounds."))
        return frozenset()
    if not kind.bound_rules:
        report.add(
            "binding",
            _(
                "A block of kind “%(kind)s” has no settings a region could fill, so it cannot be "
                "a parameter."
            )
            % {"kind": str(kind.title)},
        )
        return frozenset()
    if not bounds:
        report.add(
            "bounds",
            _(
                "A parameter block must name in bounds at least one setting the region fills: "
                "%(names)s."
            )
            % {"names": ", ".join(kind.bound_rules)},
        )
        return frozenset()
    reader = ConfigReader(bounds, report, section="bounds")
    for name in bounds:
        if name not in kind.bound_rules:
            reader.add(
                name,
                _("A region cannot fill %(name)s of this block; bounds may name: %(names)s.")
                % {"name": name, "names": ", ".join(kind.bound_rules)},
            )
    kind.read_bounds(reader)
    return frozenset(name for name in bounds if name in kind.bound_rules)


def walk_blocks(blocks: object, path: str = "blocks") -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every block with its path, the children of groups right after their group."""
    if not isinstance(blocks, list):
        return
    for index, block in enumerate(blocks):
        if not isinstance(block, Mapping):
            continue
        where = f"{path}[{index}]"
        yield where, block
        config = block.get("config")
        if block.get("kind") == GROUP and isinstance(config, Mapping):
            yield from walk_blocks(config.get("blocks"), join_path(where, "config.blocks"))


def _duplicate_keys(blocks: list[Any]) -> list[BlockError]:
    seen: set[str] = set()
    errors = []
    for where, block in walk_blocks(blocks):
        key = block.get("key")
        if not isinstance(key, str):
            continue
        if key in seen:
            errors.append(
                BlockError(
                    join_path(where, "key"),
                    key,
                    _(
                        "The key %(key)s is used by more than one block; each key must be unique "
                        "in the whole form, groups included."
                    )
                    % {"key": key},
                )
            )
        seen.add(key)
    return errors
