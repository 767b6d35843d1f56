"""What a regional variant may change in a template block: the compliance check's questions.

For every block of the template and the variant's block with the same key:

- a `locked` block (or an `extension_point` section): `allowed_overrides(template_block,
  variant_block)`: nothing differs except the attributes the template lists in `overridable`.
  An `options` override may drop options and reword labels, never add or change values.
- a `parameter` block: `check_bounds(template_block, variant_block)`: the region filled each
  config key named in `bounds` and stayed within it (see bound_rules.py), and everything else
  is as `allowed_overrides` allows. It is the whole check for such a block.

Both expect blocks that passed `validate_block`, and report paths under `path` (the variant
block's own path, e.g. `blocks[3]`).
"""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from uslugi.constructor.blocks.config import Report
from uslugi.constructor.blocks.errors import BlockError, UnknownBlockKind
from uslugi.constructor.blocks.registry import get_block_kind

DEFAULTS: dict[str, Any] = {
    "label": "",
    "help": "",
    "required": False,
    "condition": "",
    "overridable": [],
    "config": {},
    "bounds": {},
}
ATTRIBUTE_ORDER = (
    "key",
    "kind",
    "label",
    "help",
    "required",
    "condition",
    "binding",
    "overridable",
    "bounds",
)


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _bounded_names(template_block: Mapping[str, Any]) -> set[str]:
    if template_block.get("binding") != "parameter":
        return set()
    return set(_mapping(template_block.get("bounds")))


def allowed_overrides(
    template_block: Mapping[str, Any], variant_block: Mapping[str, Any], *, path: str = ""
) -> list[BlockError]:
    """Where the variant's block differs from the template's in a way the template forbids."""
    report = Report(path, str(variant_block.get("key", "")))
    overridable = set(template_block.get("overridable") or [])
    for name in ATTRIBUTE_ORDER:
        if name in overridable:
            continue
        if template_block.get(name, DEFAULTS.get(name)) != variant_block.get(
            name, DEFAULTS.get(name)
        ):
            report.add(name, _fixed(name))
    template_config = _mapping(template_block.get("config"))
    variant_config = _mapping(variant_block.get("config"))
    free = _bounded_names(template_block)
    for name in [*template_config, *(n for n in variant_config if n not in template_config)]:
        if name in free:
            continue
        where = f"config.{name}"
        if name == "options" and "options" in overridable:
            _check_option_override(template_config.get(name), variant_config.get(name), report)
        elif template_config.get(name) != variant_config.get(name):
            report.add(where, _fixed(name))
    return report.errors


def _fixed(name: str) -> str:
    return _("The template fixes %(name)s; a region cannot change it.") % {"name": name}


def _check_option_override(template_options: Any, variant_options: Any, report: Report) -> None:
    allowed = {
        option.get("value") for option in template_options or [] if isinstance(option, Mapping)
    }
    if not isinstance(variant_options, list):
        report.add("config.options", _fixed("options"))
        return
    for index, option in enumerate(variant_options):
        value = option.get("value") if isinstance(option, Mapping) else None
        if value not in allowed:
            report.add(
                f"config.options[{index}].value",
                _(
                    "The option %(value)s is not among the template's options; a region may "
                    "remove options and reword them, but not add new ones."
                )
                % {"value": value},
            )


def check_bounds(
    template_block: Mapping[str, Any], variant_block: Mapping[str, Any], *, path: str = ""
) -> list[BlockError]:
    """Where the variant's `parameter` block leaves the template's `bounds` or changes what the
    template fixes; [] for a block that is not a parameter."""
    bounds = _mapping(template_block.get("bounds"))
    if template_block.get("binding") != "parameter":
        return []
    report = Report(path, str(variant_block.get("key", "")))
    report.extend(allowed_overrides(template_block, variant_block, path=path))
    try:
        kind = get_block_kind(template_block.get("kind"))
    except UnknownBlockKind:
        return report.errors  # validate_block reports the unknown kind
    if template_block.get("kind") == variant_block.get("kind"):
        kind.check_bounds(bounds, _mapping(variant_block.get("config")), report)
    return report.errors
