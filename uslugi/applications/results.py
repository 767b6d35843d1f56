"""The result document: the variant's result template rendered to PDF (WeasyPrint)."""

from django.core.files.base import ContentFile
from django.template import engines
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from uslugi.applications.models import Case
from uslugi.applications.workflow import Status
from uslugi.constructor.definitions import blocks_of_kind

DEFAULT_TEMPLATE = "<h1>{{ result_title }}</h1><p>{{ applicant_name }}</p><p>{{ decision }}</p>"


def result_context(case: Case) -> dict[str, object]:
    application = case.application
    results = blocks_of_kind(application.version.definition, "result")
    title = str(results[0].get("label")) if results else _("Decision")
    return {
        "result_title": title if case.status == Status.APPROVED else _("Refusal"),
        "applicant_name": application.applicant_name,
        "decision": case.decision_text,
        "number": application.number,
        "service": case.service.name,
        "agency": case.agency.name,
        "decided_on": timezone.localdate(case.decided_at)
        if case.decided_at
        else timezone.localdate(),
        "approved": case.status == Status.APPROVED,
    }


def render_result_html(case: Case) -> str:
    results = blocks_of_kind(case.application.version.definition, "result")
    source = (
        str(results[0].get("config", {}).get("template") or DEFAULT_TEMPLATE)
        if results
        else DEFAULT_TEMPLATE
    )
    context = result_context(case)
    body = engines["django"].from_string(source).render(context)
    return render_to_string("applications/result_document.html", {**context, "body": body})


def render_result(case: Case) -> None:
    """Render the decision to PDF and attach it to the case (the citizen downloads it)."""
    from weasyprint import HTML

    pdf = HTML(string=render_result_html(case)).write_pdf()
    case.result_file.save(f"{case.application.number}.pdf", ContentFile(pdf), save=False)
