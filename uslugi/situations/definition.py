"""Plain-data helpers over a life situation's definition (docs/life-situations.md): no ORM.

A definition holds `questions` (the questionnaire's blocks), `shared` (facts asked once, each a
field block plus `maps`: which field of which item's service it feeds) and `items` (the services,
each with an inclusion condition over the questions, a reason, dependencies and a proactive flag).
"""

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _

from uslugi import rules
from uslugi.constructor.conditions import condition_sources, schema_of
from uslugi.constructor.definitions import Block, Definition, blocks_of
from uslugi.constructor.engine import SERVICE_KINDS, is_field
from uslugi.rules import ast

QUESTION_KINDS = frozenset({"profile_question", "yes_no", "number", "date"})
# Kinds whose stored answers read the same, so a shared fact of one may feed a field of the other.
COMPATIBLE_KINDS = [
    frozenset({"text", "long_text"}),
    frozenset({"single_choice", "profile_question"}),
]
SEPARATOR = "__"


@dataclass(frozen=True)
class Item:
    key: str
    service: str
    condition: str = ""
    reason: str = ""
    depends_on: tuple[str, ...] = ()
    proactive: bool = False


@lru_cache(maxsize=1024)
def _compiled(source: str, schema: rules.Schema) -> rules.CompiledExpression:
    return rules.compile_expression(rules.check(source, schema))


def evaluate(source: str, schema: rules.Schema, record: Mapping[str, Any]) -> rules.Result:
    """A published condition's result on typed answers (true, false or unknown)."""
    return _compiled(source, schema)(record, {})


class DependencyCycle(ValueError):
    """Items that wait for each other: none of them could ever start."""


def items_of(definition: Mapping[str, Any]) -> list[Item]:
    return [
        Item(
            key=str(raw.get("key", "")),
            service=str(raw.get("service", "")),
            condition=str(raw.get("condition") or "").strip(),
            reason=str(raw.get("reason") or ""),
            depends_on=tuple(str(key) for key in raw.get("depends_on") or ()),
            proactive=bool(raw.get("proactive")),
        )
        for raw in definition.get("items", [])
        if isinstance(raw, Mapping)
    ]


def questionnaire(definition: Mapping[str, Any]) -> Definition:
    """The questions as a constructor definition of one step, for the form engine."""
    section = {"key": "questions", "kind": "section", "label": _("Questions"), "config": {}}
    return {"schema_version": 1, "blocks": [section, *definition.get("questions", [])]}


def shared_facts(definition: Mapping[str, Any]) -> list[Block]:
    return [block for block in definition.get("shared", []) if isinstance(block, dict)]


def feeding_blocks(definition: Mapping[str, Any]) -> list[Block]:
    """Shared facts and questions: either may carry `maps` and feed services' fields."""
    questions = [block for block in definition.get("questions", []) if isinstance(block, dict)]
    return [*shared_facts(definition), *questions]


def dependency_order(items: Iterable[Item]) -> list[Item]:
    """Items so that each comes after what it depends on (stable: definition order otherwise).

    Dependencies on items outside `items` (not included in this package) are ignored.
    """
    pending = {item.key: item for item in items}
    order: list[Item] = []
    placed: set[str] = set()
    while pending:
        ready = [
            item
            for item in pending.values()
            if all(key in placed or key not in pending for key in item.depends_on)
        ]
        if not ready:
            raise DependencyCycle(", ".join(sorted(pending)))
        for item in ready:
            order.append(item)
            placed.add(item.key)
            del pending[item.key]
    return order


def included_dependencies(item: Item, included: Iterable[str]) -> list[str]:
    keys = set(included)
    return [key for key in item.depends_on if key in keys]


# Renaming field references ------------------------------------------------------------------


def _rename(node: ast.Node, rename: Callable[[str], str]) -> ast.Node:
    if isinstance(node, ast.Field):
        return replace(node, path=(rename(node.path[0]), *node.path[1:]))
    if isinstance(node, ast.Binary):
        return replace(node, left=_rename(node.left, rename), right=_rename(node.right, rename))
    if isinstance(node, ast.Negate | ast.Not):
        return replace(node, operand=_rename(node.operand, rename))
    if isinstance(node, ast.Call):
        if node.function in {"any", "all"} and node.arguments:
            # The condition inside any/all names fields of one item of the group: left as is.
            first, *rest = node.arguments
            return replace(node, arguments=(_rename(first, rename), *rest))
        return replace(node, arguments=tuple(_rename(arg, rename) for arg in node.arguments))
    return node


def rename_fields(source: str, rename: Callable[[str], str]) -> str:
    """The condition with every top-level field reference renamed; empty stays empty."""
    if not source.strip():
        return source
    return ast.unparse(_rename(rules.parse(source), rename))


# The combined form --------------------------------------------------------------------------


def prefixed(item_key: str, key: str) -> str:
    return f"{item_key}{SEPARATOR}{key}"


def feeds(definition: Mapping[str, Any], items: Iterable[Item]) -> dict[str, dict[str, str]]:
    """For each item: {field key in its service: shared fact or question key}. A map names an
    item by key, or by its service's code (then every item of that service is fed)."""
    result: dict[str, dict[str, str]] = {item.key: {} for item in items}
    by_service: dict[str, list[str]] = {}
    for item in items_of(definition):
        if item.key in result:
            by_service.setdefault(item.service, []).append(item.key)
    for fact in feeding_blocks(definition):
        for target, field_key in (fact.get("maps") or {}).items():
            for item_key in [target] if target in result else by_service.get(target, []):
                result[item_key][str(field_key)] = fact["key"]
    return result


def combined_definition(
    definition: Mapping[str, Any],
    items: list[Item],
    variants: Mapping[str, Definition],
    titles: Mapping[str, str],
) -> Definition:
    """One constructor definition for the whole package, built at run time.

    First a section of the shared facts that feed some item here, then for each item (in the given
    order) its variant's sections and fields, keys prefixed `{item}__{key}`, minus the fields a
    shared fact feeds; conditions are rewritten to the new keys. `variants` maps item keys to
    their variant's definition, `titles` item keys to the service's name (shown in step titles).
    """
    fed = feeds(definition, items)
    used = {fact_key for mapping in fed.values() for fact_key in mapping.values()}
    blocks: list[Block] = []
    facts = [copy.deepcopy(fact) for fact in shared_facts(definition) if fact["key"] in used]
    if facts:
        blocks.append(
            {
                "key": "shared",
                "kind": "section",
                "label": _("Asked once"),
                "config": {"title": _("Details for every service")},
            }
        )
        for fact in facts:
            fact.pop("maps", None)
            blocks.append(fact)
    for item in items:
        own = variants[item.key]
        mapping = fed[item.key]
        field_keys = {block["key"] for block in blocks_of(own) if "key" in block}

        def rename(
            key: str,
            item: Item = item,
            mapping: dict[str, str] = mapping,
            field_keys: set[str] = field_keys,
        ) -> str:
            if key in mapping:
                return mapping[key]
            return prefixed(item.key, key) if key in field_keys else key

        title = titles.get(item.key, item.key)
        started = False
        for block in blocks_of(own):
            kind = block.get("kind")
            if kind in SERVICE_KINDS or block.get("key") in mapping:
                continue
            new = copy.deepcopy(block)
            new["key"] = prefixed(item.key, block["key"])
            if kind == "section":
                section_title = (block.get("config") or {}).get("title") or block.get("label")
                config = {**(block.get("config") or {}), "title": f"{title}: {section_title}"}
                new["config"] = config
                started = True
            elif not started:
                blocks.append(
                    {
                        "key": prefixed(item.key, "start"),
                        "kind": "section",
                        "label": title,
                        "config": {"title": title},
                    }
                )
                started = True
            if new.get("condition"):
                new["condition"] = rename_fields(str(new["condition"]), rename)
            blocks.append(new)
    return {"schema_version": 1, "blocks": blocks}


def item_answers(
    item_key: str, combined: Mapping[str, Any], fed: Mapping[str, str]
) -> dict[str, Any]:
    """An item's own answers without the prefix, plus the shared facts that feed its fields."""
    start = prefixed(item_key, "")
    answers = {key[len(start) :]: value for key, value in combined.items() if key.startswith(start)}
    for field_key, fact_key in fed.items():
        if fact_key in combined:
            answers[field_key] = combined[fact_key]
    return answers


# Publishing checks ---------------------------------------------------------------------------


def _kinds_compatible(left: str, right: str) -> bool:
    return left == right or any({left, right} <= group for group in COMPATIBLE_KINDS)


def check_definition(
    definition: Mapping[str, Any], variants: Mapping[str, Definition | None]
) -> list[str]:
    """Every reason the definition cannot be published; empty when it can.

    `variants` maps each named service code to the definition of its variant in force in the
    situation's region, or None when it has none.
    """
    problems: list[str] = []
    questions = questionnaire(definition)
    for block in definition.get("questions", []):
        if block.get("kind") not in QUESTION_KINDS:
            problems.append(
                _("Question «%(key)s»: a question is a profile question, yes/no, number or date.")
                % {"key": block.get("key")}
            )
    items = items_of(definition)
    if not items:
        problems.append(_("The situation has no services."))
    keys = [item.key for item in items]
    for key in sorted({key for key in keys if keys.count(key) > 1}):
        problems.append(_("Item «%(key)s» is defined twice.") % {"key": key})
    schema = schema_of(questions)
    for item in items:
        if variants.get(item.service) is None:
            problems.append(
                _(
                    "Item «%(key)s»: the service %(service)s has no published variant in force in "
                    "this region."
                )
                % {"key": item.key, "service": item.service}
            )
        for error in rules.collect_errors(item.condition, schema) if item.condition else []:
            problems.append(
                _("Item «%(key)s», condition: %(message)s")
                % {"key": item.key, "message": error.message}
            )
        for dependency in item.depends_on:
            if dependency not in keys:
                problems.append(
                    _("Item «%(key)s» depends on «%(dependency)s», which is not in the situation.")
                    % {"key": item.key, "dependency": dependency}
                )
    try:
        dependency_order(items)
    except DependencyCycle as cycle:
        problems.append(_("Items wait for each other in a cycle: %(items)s.") % {"items": cycle})
    by_key = {item.key: item for item in items}
    question_keys = {block.get("key") for block in definition.get("questions", [])}
    for fact in shared_facts(definition):
        if fact.get("key") in question_keys:
            problems.append(
                _("Shared fact «%(key)s» has the key of a question.") % {"key": fact.get("key")}
            )
    for fact in feeding_blocks(definition):
        key = str(fact.get("key", ""))
        if SEPARATOR in key:
            problems.append(_("Shared fact «%(key)s»: a key may not contain «__».") % {"key": key})
        for target, field_key in (fact.get("maps") or {}).items():
            targets = (
                [by_key[target]]
                if target in by_key
                else [item for item in items if item.service == target]
            )
            if not targets:
                problems.append(
                    _("Shared fact «%(key)s» feeds «%(target)s», which is not in the situation.")
                    % {"key": key, "target": target}
                )
            for item in targets:
                own = variants.get(item.service)
                if own is None:
                    continue
                fields = {b["key"]: b for b in blocks_of(own) if is_field(b)}
                if field_key not in fields:
                    message = _(
                        "Shared fact «%(key)s»: the service %(service)s has no field «%(field)s»."
                    )
                    problems.append(
                        message % {"key": key, "service": item.service, "field": field_key}
                    )
                elif not _kinds_compatible(str(fact.get("kind")), str(fields[field_key]["kind"])):
                    problems.append(
                        _(
                            "Shared fact «%(key)s» is a %(kind)s; the field «%(field)s» of "
                            "%(service)s is a %(other)s."
                        )
                        % {
                            "key": key,
                            "kind": fact.get("kind"),
                            "field": field_key,
                            "service": item.service,
                            "other": fields[field_key]["kind"],
                        }
                    )
                elif key in question_keys and field_key in condition_sources(own):
                    # The combined form has no field for a question: a condition reading the
                    # field it feeds would have nothing to read.
                    problems.append(
                        _(
                            "Question «%(key)s» feeds «%(field)s» of %(service)s, which a "
                            "condition of that service reads; feed it from a shared fact instead."
                        )
                        % {"key": key, "field": field_key, "service": item.service}
                    )
    return problems
