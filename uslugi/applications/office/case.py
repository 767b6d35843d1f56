"""The official's case page: the application, files, documents, history, messages and actions."""

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from uslugi.applications import services
from uslugi.applications.forms import (
    CorrectionForm,
    DecisionForm,
    ExtendForm,
    InteragencyAnswerForm,
    InteragencyRequestForm,
    MessageForm,
    ReasonForm,
    RevisionForm,
    SuspendForm,
    officials_of,
)
from uslugi.applications.models import Case
from uslugi.applications.office.access import case_in_scope, case_official_required
from uslugi.applications.workflow import FINAL, Actor, Status, targets
from uslugi.constructor import engine
from uslugi.constructor.definitions import blocks_of
from uslugi.core.errors import UserFacingError
from uslugi.core.services import record_event

Run = Callable[[Case, Any, dict[str, Any]], Any]


@dataclass(frozen=True)
class CaseAction:
    """One thing an official can do to a case: its form, the service it calls, where it leads."""

    name: str
    label: Any
    form: type[forms.Form]
    run: Run
    done: Any
    target: Status | None = None
    sources: frozenset[Status] | None = None
    danger: bool = False


ACTIONS: tuple[CaseAction, ...] = (
    CaseAction(
        "register",
        gettext_lazy("Register"),
        RevisionForm,
        lambda case, user, data: services.register_case(
            case=case, user=user, revision=data["revision"]
        ),
        gettext_lazy("The application is registered."),
        target=Status.REGISTERED,
    ),
    CaseAction(
        "start_review",
        gettext_lazy("Start the review"),
        RevisionForm,
        lambda case, user, data: services.start_review(
            case=case, user=user, revision=data["revision"]
        ),
        gettext_lazy("The review has started."),
        target=Status.IN_REVIEW,
        sources=frozenset({Status.REGISTERED}),
    ),
    CaseAction(
        "resume",
        gettext_lazy("Resume the review"),
        RevisionForm,
        lambda case, user, data: services.resume_case(
            case=case, user=user, revision=data["revision"]
        ),
        gettext_lazy("The review is resumed; the term runs again."),
        target=Status.IN_REVIEW,
        sources=frozenset({Status.SUSPENDED, Status.AWAITING_APPLICANT}),
    ),
    CaseAction(
        "request_correction",
        gettext_lazy("Ask the applicant for corrections"),
        CorrectionForm,
        lambda case, user, data: services.request_correction(
            case=case, user=user, revision=data["revision"], text=data["text"]
        ),
        gettext_lazy("The applicant is asked for corrections; the term waits for the answer."),
        target=Status.AWAITING_APPLICANT,
    ),
    CaseAction(
        "suspend",
        gettext_lazy("Suspend"),
        SuspendForm,
        lambda case, user, data: services.suspend_case(
            case=case,
            user=user,
            revision=data["revision"],
            until=data["until"],
            reason=data["reason"],
        ),
        gettext_lazy("The case is suspended."),
        target=Status.SUSPENDED,
    ),
    CaseAction(
        "extend",
        gettext_lazy("Extend the term"),
        ExtendForm,
        lambda case, user, data: services.extend_term(
            case=case,
            user=user,
            revision=data["revision"],
            days=data["days"],
            reason=data["reason"],
        ),
        gettext_lazy("The term is extended."),
    ),
    CaseAction(
        "approve",
        gettext_lazy("Approve"),
        DecisionForm,
        lambda case, user, data: services.decide_case(
            case=case, user=user, revision=data["revision"], approved=True, text=data["text"]
        ),
        gettext_lazy("The application is approved; the result is in the applicant's cabinet."),
        target=Status.APPROVED,
    ),
    CaseAction(
        "refuse",
        gettext_lazy("Refuse"),
        DecisionForm,
        lambda case, user, data: services.decide_case(
            case=case, user=user, revision=data["revision"], approved=False, text=data["text"]
        ),
        gettext_lazy("The application is refused; the decision is in the applicant's cabinet."),
        target=Status.REFUSED,
        danger=True,
    ),
    CaseAction(
        "refuse_to_accept",
        gettext_lazy("Refuse to accept the documents"),
        ReasonForm,
        lambda case, user, data: services.refuse_to_accept(
            case=case, user=user, revision=data["revision"], reason=data["reason"]
        ),
        gettext_lazy("The documents are not accepted."),
        target=Status.REFUSED_TO_ACCEPT,
        danger=True,
    ),
)
ACTIONS_BY_NAME = {action.name: action for action in ACTIONS}


def available_actions(case: Case) -> list[CaseAction]:
    """The actions the workflow table allows an official now, in the table's spirit and order."""
    allowed = set(targets(case.status, Actor.OFFICIAL))
    found = []
    for action in ACTIONS:
        if action.target is None:
            if case.status not in FINAL:
                found.append(action)
        elif action.target in allowed and (
            action.sources is None or Status(case.status) in action.sources
        ):
            found.append(action)
    return found


def _action_forms(case: Case, bound: dict[str, forms.Form]) -> list[tuple[CaseAction, Any]]:
    return [
        (
            action,
            bound.get(action.name)
            or action.form(prefix=action.name, initial={"revision": case.revision}),
        )
        for action in available_actions(case)
    ]


def _files(case: Case) -> list[dict[str, str]]:
    """The application's uploaded files: one per answered top-level file block."""
    application = case.application
    found = []
    for block in blocks_of(application.version.definition):
        value = application.answers.get(block.get("key", ""))
        if block.get("kind") == "file" and isinstance(value, str) and value:
            found.append(
                {
                    "label": str(block.get("label") or block["key"]),
                    "name": posixpath.basename(value),
                    "url": reverse("applications:office_case_file", args=[case.pk, block["key"]]),
                }
            )
    return found


def _page(
    request: HttpRequest,
    case: Case,
    *,
    bound: dict[str, forms.Form] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    application = case.application
    definition = application.version.definition
    user: Any = request.user
    record_event(
        actor=user,
        verb="case.viewed",
        target=case,
        data={"application": application.number},
    )
    bound = bound or {}
    context = {
        "case": case,
        "application": application,
        "summary": engine.summary(definition, application.answers),
        "files": _files(case),
        "documents": engine.outcome_of(definition, application.answers).documents,
        "requests": [
            (sent, None if sent.answered_on else InteragencyAnswerForm(prefix=f"answer-{sent.pk}"))
            for sent in case.interagency_requests.all()
        ],
        "request_form": bound.get("interagency") or InteragencyRequestForm(prefix="interagency"),
        "events": list(case.events.select_related("actor")),
        "messages_thread": list(case.messages.select_related("author")),
        "message_form": bound.get("message") or MessageForm(prefix="message"),
        "actions": _action_forms(case, bound),
        "officials": officials_of(user),
        "explanation_lines": case.explanation.get("explanation", {}).get("lines", []),
        "sla": services.sla_state_of(case, timezone.localdate())
        if case.status not in FINAL
        else None,
        "error": error,
        "here": request.get_full_path(),
    }
    return render(request, "applications/office/case.html", context, status=status)


def _case(request: HttpRequest, pk: int) -> Case:
    case = case_in_scope(request.user, pk)
    return case


@case_official_required
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _case(request, pk))


@case_official_required
@require_POST
def case_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    case = _case(request, pk)
    action = ACTIONS_BY_NAME.get(name)
    if action is None:
        raise Http404(_("There is no such action."))
    form = action.form(request.POST, prefix=action.name)
    if not form.is_valid():
        return _page(request, case, bound={name: form}, status=400)
    try:
        action.run(case, request.user, form.cleaned_data)
    except UserFacingError as error:
        # Nothing was applied: show the case as it is now, keeping what the official typed.
        fresh = _case(request, pk)
        kept = request.POST.copy()
        kept[f"{name}-revision"] = str(fresh.revision)
        return _page(
            request,
            fresh,
            bound={name: action.form(kept, prefix=name)},
            error=error.message,
            status=error.status,
        )
    messages.success(request, str(action.done))
    return redirect("applications:office_case", pk=case.pk)


@case_official_required
@require_POST
def case_message(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = MessageForm(request.POST, prefix="message")
    if not form.is_valid():
        return _page(request, case, bound={"message": form}, status=400)
    services.send_message(case=case, user=request.user, text=form.cleaned_data["text"])
    messages.success(request, _("The message is sent to the applicant."))
    return redirect(reverse("applications:office_case", args=[case.pk]) + "#messages")


@case_official_required
@require_POST
def interagency_request(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = InteragencyRequestForm(request.POST, prefix="interagency")
    if not form.is_valid():
        return _page(request, case, bound={"interagency": form}, status=400)
    sent = services.send_interagency_request(case=case, user=request.user, **form.cleaned_data)
    messages.success(
        request,
        _("The request is sent; the answer is due by %(due)s.")
        % {"due": sent.answer_due.strftime("%d.%m.%Y")},
    )
    return redirect(reverse("applications:office_case", args=[case.pk]) + "#documents")


@case_official_required
@require_POST
def interagency_answer(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    case = _case(request, pk)
    sent = case.interagency_requests.filter(pk=request_pk).first()
    if sent is None:
        raise Http404(_("There is no such request."))
    form = InteragencyAnswerForm(request.POST, prefix=f"answer-{sent.pk}")
    if not form.is_valid():
        messages.error(request, _("Write down the answer that was received."))
    else:
        services.record_interagency_answer(
            request=sent, user=request.user, answer=form.cleaned_data["answer"]
        )
        messages.success(request, _("The answer is recorded."))
    return redirect(reverse("applications:office_case", args=[case.pk]) + "#documents")


@case_official_required
def case_file(request: HttpRequest, pk: int, key: str) -> FileResponse:
    """An uploaded file of the application, to an official in scope only; the download is logged."""
    case = _case(request, pk)
    blocks = {block.get("key"): block for block in blocks_of(case.application.version.definition)}
    block = blocks.get(key)
    name = case.application.answers.get(key)
    if (
        block is None
        or block.get("kind") != "file"
        or not isinstance(name, str)
        or not name.startswith("drafts/")
        or not default_storage.exists(name)
    ):
        raise Http404(_("There is no such file."))
    record_event(actor=request.user, verb="case.file_downloaded", target=case, data={"block": key})
    return FileResponse(
        default_storage.open(name, "rb"), as_attachment=True, filename=posixpath.basename(name)
    )
