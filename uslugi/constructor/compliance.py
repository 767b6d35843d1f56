"""The compliance check: may this regional variant be published under its federal template?

Pure over plain values: the template's standard and definition, the variant's parameters and
definition. Every problem is phrased for a regional administrator and names the block it concerns.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from uslugi.constructor import blocks as block_kinds
from uslugi.constructor.conditions import check_conditions
from uslugi.constructor.definitions import Definition, blocks_of, blocks_of_kind, section_of


@dataclass(frozen=True)
class FederalStandard:
    """What the template imposes (Decree № 1228 variants aside): the bounds every region keeps."""

    max_term: int
    term_kind: str
    max_applicant_documents: int
    max_visits: int
    required_channels: tuple[str, ...]


@dataclass(frozen=True)
class VariantParameters:
    has_agency: bool
    has_curator: bool
    term: int | None
    term_kind: str
    visits: int
    channels: tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    """One reason the variant cannot be published."""

    code: str
    message: str
    block_key: str | None = None


def _term_words(term: int, kind: str) -> str:
    if kind == "working":
        return ngettext("%(count)d working day", "%(count)d working days", term) % {"count": term}
    return ngettext("%(count)d calendar day", "%(count)d calendar days", term) % {"count": term}


def _label(block: dict[str, Any]) -> str:
    return str(block.get("label") or block.get("config", {}).get("title") or block.get("key"))


def check_parameters(standard: FederalStandard, parameters: VariantParameters) -> list[Problem]:
    problems = []
    if not parameters.has_agency:
        problems.append(
            Problem("agency_missing", _("Choose the agency that provides the service."))
        )
    if not parameters.has_curator:
        problems.append(
            Problem("curator_missing", _("Name the curator who answers for the service."))
        )
    if parameters.term is None or parameters.term < 1:
        problems.append(Problem("term_missing", _("Set the term of the service.")))
    elif parameters.term_kind != standard.term_kind:
        problems.append(
            Problem(
                "term_kind",
                _("The federal standard counts the term in %(kind)s; set the term in them too.")
                % {
                    "kind": _("working days")
                    if standard.term_kind == "working"
                    else _("calendar days")
                },
            )
        )
    elif parameters.term > standard.max_term:
        problems.append(
            Problem(
                "term_exceeds_federal_maximum",
                _("A term of %(term)s exceeds the federal maximum of %(maximum)s.")
                % {
                    "term": _term_words(parameters.term, parameters.term_kind),
                    "maximum": _term_words(standard.max_term, standard.term_kind),
                },
            )
        )
    if parameters.visits > standard.max_visits:
        if standard.max_visits == 0:
            message = _(
                "The federal standard allows no in-person visit; the variant requires %(n)s."
            )
        else:
            message = ngettext(
                "The federal standard allows at most %(max)s in-person visit; the variant "
                "requires %(n)s.",
                "The federal standard allows at most %(max)s in-person visits; the variant "
                "requires %(n)s.",
                standard.max_visits,
            )
        problems.append(
            Problem(
                "visits_exceed_standard",
                message % {"n": parameters.visits, "max": standard.max_visits},
            )
        )
    channel_names = {
        "portal": _("the portal"),
        "mfc": _("an MFC"),
        "in_person": _("in person"),
        "mail": _("mail"),
    }
    for channel in standard.required_channels:
        if channel not in parameters.channels:
            problems.append(
                Problem(
                    "required_channel_missing",
                    _("The federal standard requires applications via %(channel)s; offer it.")
                    % {"channel": channel_names.get(channel, channel)},
                )
            )
    return problems


def check_template_blocks(template: Definition, variant: Definition) -> list[Problem]:
    """Template blocks stay, in order; locked ones unchanged; parameters within their bounds."""
    problems: list[Problem] = []
    template_blocks = {block["key"]: block for block in blocks_of(template)}
    variant_blocks = {block["key"]: block for block in blocks_of(variant)}
    for key, block in template_blocks.items():
        mine = variant_blocks.get(key)
        if mine is None:
            problems.append(
                Problem(
                    "template_block_removed",
                    _("The template's block «%(label)s» was removed; it must stay.")
                    % {"label": _label(block)},
                    key,
                )
            )
            continue
        if mine.get("kind") != block.get("kind"):
            problems.append(
                Problem(
                    "template_block_kind_changed",
                    _("The kind of the template's block «%(label)s» cannot change.")
                    % {"label": _label(block)},
                    key,
                )
            )
            continue
        binding = block.get("binding", "locked")
        if binding == "parameter":
            errors = block_kinds.check_bounds(block, mine)
        else:
            errors = block_kinds.allowed_overrides(block, mine)
        for error in errors:
            problems.append(
                Problem(
                    "locked_block_changed" if binding != "parameter" else "parameter_out_of_bounds",
                    _("Block «%(label)s»: %(message)s")
                    % {"label": _label(block), "message": error.message},
                    key,
                )
            )
    kept_order = [key for key in variant_blocks if key in template_blocks]
    expected_order = [key for key in template_blocks if key in variant_blocks]
    if kept_order != expected_order:
        moved = next(a for a, b in zip(kept_order, expected_order, strict=True) if a != b)
        problems.append(
            Problem(
                "template_order_changed",
                _("The template's blocks must keep their order; «%(label)s» was moved.")
                % {"label": _label(template_blocks[moved])},
                moved,
            )
        )
    return problems


def check_local_blocks(template: Definition, variant: Definition) -> list[Problem]:
    """Blocks a region adds are marked local and stand only in the template's extension points."""
    problems: list[Problem] = []
    template_keys = {block["key"] for block in blocks_of(template)}
    extension_points = {
        block["key"]: block
        for block in blocks_of(template)
        if block.get("kind") == "section" and block.get("binding") == "extension_point"
    }
    owner = section_of(variant)
    for block in blocks_of(variant):
        key = block["key"]
        if key in template_keys:
            continue
        if block.get("binding") != "local":
            problems.append(
                Problem(
                    "local_block_not_marked",
                    _("The block «%(label)s» is not in the template; mark it as a local block.")
                    % {"label": _label(block)},
                    key,
                )
            )
        if owner.get(key) not in extension_points:
            allowed = ", ".join(f"«{_label(section)}»" for section in extension_points.values())
            problems.append(
                Problem(
                    "local_block_outside_extension_point",
                    (
                        _(
                            "The block «%(label)s» stands outside an extension point; add local "
                            "blocks only in the sections %(sections)s."
                        )
                        if allowed
                        else _(
                            "The block «%(label)s» cannot be added: the template has no extension "
                            "point."
                        )
                    )
                    % {"label": _label(block), "sections": allowed},
                    key,
                )
            )
    return problems


def check_documents(
    standard: FederalStandard, template: Definition, variant: Definition
) -> list[Problem]:
    """Documents the agency obtains itself are never demanded; the applicant's list stays short."""
    problems: list[Problem] = []
    agency_documents = {
        block["key"]: block
        for block in blocks_of_kind(template, "document")
        if block.get("config", {}).get("provider") == "agency"
    }
    agency_types = {
        str(block.get("config", {}).get("document_type", "")).casefold()
        for block in agency_documents.values()
    } - {""}
    applicant_documents = 0
    for block in blocks_of_kind(variant, "document"):
        config = block.get("config", {})
        if config.get("provider") != "applicant":
            continue
        applicant_documents += 1
        demanded_type = str(config.get("document_type", "")).casefold()
        if block["key"] in agency_documents or (demanded_type and demanded_type in agency_types):
            problems.append(
                Problem(
                    "agency_document_demanded",
                    _(
                        "«%(label)s» is obtained by the agency itself by interagency request; it "
                        "cannot be demanded from the applicant."
                    )
                    % {"label": _label(block)},
                    block["key"],
                )
            )
    if applicant_documents > standard.max_applicant_documents:
        problems.append(
            Problem(
                "too_many_applicant_documents",
                _(
                    "The variant asks the applicant for %(n)s documents; the federal standard "
                    "allows at most %(max)s."
                )
                % {"n": applicant_documents, "max": standard.max_applicant_documents},
            )
        )
    return problems


def check_definition(definition: Definition) -> list[Problem]:
    """The definition is well formed and its conditions type-check against its own fields."""
    problems = [
        Problem("invalid_block", f"{error.path}: {error.message}", error.block_key)
        for error in block_kinds.validate_definition(definition)
    ]
    if problems:
        return problems
    return [
        Problem("invalid_condition", message, key) for key, message in check_conditions(definition)
    ]


def check_template(definition: Definition) -> list[Problem]:
    return check_definition(definition)


def check_variant(
    standard: FederalStandard,
    template: Definition,
    parameters: VariantParameters,
    variant: Definition,
) -> list[Problem]:
    """Every reason the variant breaks the federal standard or the template's rules."""
    problems = check_parameters(standard, parameters)
    definition_problems = check_definition(variant)
    problems += definition_problems
    if any(problem.code == "invalid_block" for problem in definition_problems):
        return problems
    problems += check_template_blocks(template, variant)
    problems += check_local_blocks(template, variant)
    problems += check_documents(standard, template, variant)
    return problems
