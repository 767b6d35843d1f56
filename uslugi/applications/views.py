"""The citizen's side: sending a completed form, «Мои заявления», one application's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uslugi.accounts.models import Role
from uslugi.applications import selectors, services
from uslugi.applications.workflow import Actor, Status, targets
from uslugi.catalogue.models import Channel
from uslugi.constructor import drafts
from uslugi.constructor import selectors as constructor_selectors
from uslugi.core import hooks
from uslugi.core.errors import UserFacingError


@login_required
@require_POST
def submit(request: HttpRequest, draft_id: str) -> HttpResponse:
    draft = constructor_selectors.get_form_draft(draft_id)
    drafts.ensure_access(request, draft)
    channel = Channel.PORTAL
    if getattr(request.user, "role", None) == Role.MFC_OPERATOR:
        chosen = request.POST.get("channel", Channel.MFC)
        channel = (
            Channel(chosen)
            if chosen in {Channel.MFC, Channel.IN_PERSON, Channel.MAIL}
            else Channel.MFC
        )
    application = services.submit_application(
        draft=draft,
        submitter=request.user,
        channel=channel,
        idempotency_key=request.headers.get("Idempotency-Key", ""),
    )
    messages.success(
        request,
        _("The application %(number)s is sent. The answer is due by %(due)s.")
        % {"number": application.number, "due": application.case.due_date.strftime("%d.%m.%Y")},
    )
    if channel != Channel.PORTAL:
        # The operator is not the applicant: "My applications" would not show it to them.
        return redirect("applications:intake_receipt", number=application.number)
    return redirect("applications:application_detail", number=application.number)


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "applications/my_applications.html",
        {
            "applications": selectors.list_my_applications(request.user),
            "notifications": selectors.list_my_notifications(request.user)[:10],
        },
    )


@login_required
def application_detail(request: HttpRequest, number: str) -> HttpResponse:
    application = selectors.get_my_application(request.user, number)
    case = application.case
    if request.method == "POST":
        action = request.POST.get("action")
        revision = _int(request.POST.get("revision"))
        try:
            if action == "withdraw":
                services.withdraw_application(case=case, user=request.user, revision=revision)
                messages.success(request, _("The application is withdrawn."))
            elif action == "answer":
                services.answer_correction(
                    case=case,
                    user=request.user,
                    revision=revision,
                    text=request.POST.get("text", ""),
                )
                messages.success(request, _("Your answer is sent; the case is back in review."))
            elif action == "message":
                services.send_message(
                    case=case, user=request.user, text=request.POST.get("text", "")
                )
                messages.success(request, _("Your message is sent."))
        except UserFacingError as error:
            messages.error(request, error.message)
        return redirect("applications:application_detail", number=number)
    return render(
        request,
        "applications/application_detail.html",
        {
            "application": application,
            "case": case,
            "can_withdraw": Status.WITHDRAWN in targets(case.status, Actor.APPLICANT),
            "awaiting": case.status == Status.AWAITING_APPLICANT,
            "explanation_lines": case.explanation.get("explanation", {}).get("lines", []),
            "application_actions": hooks.call("application_actions", request, application),
        },
    )


@login_required
def download_result(request: HttpRequest, number: str) -> FileResponse:
    application = selectors.get_my_application(request.user, number)
    if not application.case.result_file:
        raise Http404(_("There is no result yet."))
    return FileResponse(
        application.case.result_file.open("rb"), as_attachment=True, filename=f"{number}.pdf"
    )


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0
