"""The kinds that yield no answer: the form's structure (section, info) and the service's own
definition (variant, document, step, result, notification), see docs/constructor-definition.md."""

import re
from typing import Any

from django.template import TemplateSyntaxError, engines
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from uslugi.constructor.blocks.bound_rules import WholeRange
from uslugi.constructor.blocks.config import ConfigReader
from uslugi.constructor.blocks.field_kinds import SingleChoiceKind, default_options
from uslugi.constructor.blocks.registry import BlockKind, Category, register

CODE = re.compile(r"[a-z][a-z0-9_]{0,62}")
MAX_TERM_DAYS = 365


def read_code(reader: ConfigReader, name: str) -> str | None:
    """A machine name (a document type, a role, a case status): `snake_case` Latin letters."""
    value = reader.text(name, required=True)
    if value is not None and not CODE.fullmatch(value):
        reader.add(
            name,
            _(
                "%(name)s must be a code of small Latin letters, digits and underscores "
                "that starts with a letter, such as %(example)s."
            )
            % {"name": name, "example": "birth_certificate"},
        )
        return None
    return value


@register
class SectionKind(BlockKind):
    """Starts a step of the citizen's form; a template may let regions add blocks after it."""

    kind = "section"
    title = gettext_lazy("Section")
    category = Category.STRUCTURE

    def default_config(self) -> dict[str, Any]:
        return {"title": str(_("New section"))}

    def read_config(self, reader: ConfigReader) -> None:
        reader.text("title", required=True)


@register
class InfoKind(BlockKind):
    kind = "info"
    title = gettext_lazy("Information")
    category = Category.STRUCTURE

    def default_config(self) -> dict[str, Any]:
        return {"text": str(_("Text for the citizen"))}

    def read_config(self, reader: ConfigReader) -> None:
        reader.text("text", required=True)


class ServiceKind(BlockKind):
    category = Category.SERVICE


@register
class ProfileQuestionKind(SingleChoiceKind):
    """A question whose answer selects the applicant's variant of the service (Decree № 1228)."""

    kind = "profile_question"
    title = gettext_lazy("Profile question")
    category = Category.SERVICE

    def default_config(self) -> dict[str, Any]:
        return {"options": default_options()}

    def read_config(self, reader: ConfigReader) -> None:
        reader.options()


@register
class VariantKind(ServiceKind):
    """A variant of the service for one applicant profile (Decree № 1228): its `condition` over
    the profile answers selects it."""

    kind = "variant"
    title = gettext_lazy("Variant of the service")
    bound_rules = {"term": WholeRange(1, MAX_TERM_DAYS)}

    def default_config(self) -> dict[str, Any]:
        return {"title": str(_("New variant")), "term": 10, "term_kind": "working", "result": ""}

    def read_config(self, reader: ConfigReader) -> None:
        reader.text("title", required=True)
        if not reader.has("term"):
            reader.missing("term")
        else:
            reader.whole_number("term", 1, MAX_TERM_DAYS, default=None)
        reader.choice("term_kind", ("working", "calendar"), default=None)
        reader.text("result", required=False)


@register
class DocumentKind(ServiceKind):
    """A document the applicant brings or the agency requests itself (interagency request)."""

    kind = "document"
    title = gettext_lazy("Document")

    def default_config(self) -> dict[str, Any]:
        return {"title": str(_("New document")), "document_type": "other", "provider": "applicant"}

    def read_config(self, reader: ConfigReader) -> None:
        reader.text("title", required=True)
        read_code(reader, "document_type")
        reader.choice("provider", ("applicant", "agency", "either"), default="applicant")


@register
class StepKind(ServiceKind):
    """A step of the administrative procedure with its share of the term."""

    kind = "step"
    title = gettext_lazy("Step of the procedure")
    bound_rules = {"share": WholeRange(1, 100)}

    def default_config(self) -> dict[str, Any]:
        return {"name": str(_("New step")), "role": "official", "share": 100}

    def read_config(self, reader: ConfigReader) -> None:
        reader.text("name", required=True)
        read_code(reader, "role")
        if not reader.has("share"):
            reader.missing("share")
        else:
            reader.whole_number("share", 1, 100, default=None)


@register
class ResultKind(ServiceKind):
    """The document the service ends with; `template` is Django template text for its PDF."""

    kind = "result"
    title = gettext_lazy("Result")

    def default_config(self) -> dict[str, Any]:
        return {"document_type": "decision", "electronic": True, "template": ""}

    def read_config(self, reader: ConfigReader) -> None:
        read_code(reader, "document_type")
        reader.boolean("electronic", default=False)
        template = reader.text("template", required=False)
        if template:
            try:
                engines["django"].from_string(template)
            except TemplateSyntaxError as error:
                reader.add(
                    "template",
                    _("template is not a valid document template: %(reason)s") % {"reason": error},
                )


@register
class NotificationKind(ServiceKind):
    """What the applicant is told when the case reaches `status`."""

    kind = "notification"
    title = gettext_lazy("Notification")

    def default_config(self) -> dict[str, Any]:
        return {"status": "registered", "text": str(_("Your application has been registered."))}

    def read_config(self, reader: ConfigReader) -> None:
        read_code(reader, "status")
        reader.text("text", required=True)
