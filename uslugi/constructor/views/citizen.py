"""The citizen's form: start from a service page, fill step by step, resume later."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uslugi.catalogue import selectors as catalogue_selectors
from uslugi.constructor import drafts, engine, selectors
from uslugi.constructor.conditions import condition_sources
from uslugi.constructor.models import FormDraft
from uslugi.core import hooks
from uslugi.core.http import is_htmx_for


@require_POST
def start(request: HttpRequest, region_code: str, code: str) -> HttpResponse:
    service = catalogue_selectors.get_service(region_code=region_code, code=code)
    version = selectors.version_in_force(service)
    if version is None:
        raise Http404(_("This service cannot be applied for online yet."))
    draft = drafts.start_draft(version=version, request=request)
    return redirect("constructor:form_step", draft_id=draft.pk)


def _context(
    draft: FormDraft, steps: list[engine.Step], step: engine.Step, form: engine.StepForm
) -> dict[str, Any]:
    return {
        "draft": draft,
        "service": draft.version.variant.service,
        "steps": steps,
        "step": step,
        "form": form,
        "items": form.items(),
        "is_last": step.index == len(steps) - 1,
        "action": reverse("constructor:form_step", args=[draft.pk]),
        "show_back": step.index > 0,
    }


def form_step(request: HttpRequest, draft_id: str) -> HttpResponse:
    draft = selectors.get_form_draft(draft_id)
    drafts.ensure_access(request, draft)
    definition = draft.version.definition
    steps = engine.steps_of(definition)
    if not steps:
        raise Http404(_("This form has nothing to fill in."))
    if draft.step >= len(steps):
        return redirect("constructor:form_review", draft_id=draft.pk)
    step = steps[draft.step]
    template = "constructor/form_step.html"
    if request.method == "POST":
        action = request.POST.get("action", "continue")
        if action == "refresh":
            # HTMX asks again after a change: show what the conditions now allow, no errors yet.
            form = engine.build_step_form(
                definition, step, draft.answers, request.POST, request.FILES
            )
            unbound = engine.StepForm(
                blocks=form.blocks,
                answers=draft.answers,
                sources=condition_sources(definition),
                initial=request.POST.dict(),
            )
            drafts.remember_typed(draft, step.index, request.POST, valid=False)
            draft.save(update_fields=["raw", "updated_at"])
            response = render(
                request, template + "#step-form", _context(draft, steps, step, unbound)
            )
            return response
        form = engine.build_step_form(definition, step, draft.answers, request.POST, request.FILES)
        move_to = step.index - 1 if action == "back" else step.index + 1
        drafts.save_step(draft, step=step, form=form, data=request.POST, move_to=max(0, move_to))
        if draft.step != step.index or action == "back":
            return redirect("constructor:form_step", draft_id=draft.pk)
        status = 200
    else:
        typed = drafts.typed_values(draft, step.index)
        if typed and not typed[1]:
            form = engine.build_step_form(definition, step, draft.answers, typed[0])
            form.is_valid()
        else:
            form = engine.build_step_form(definition, step, draft.answers)
        status = 200
    if is_htmx_for(request, "step-form"):
        template += "#step-form"
    return render(request, template, _context(draft, steps, step, form), status=status)


def form_review(request: HttpRequest, draft_id: str) -> HttpResponse:
    draft = selectors.get_form_draft(draft_id)
    drafts.ensure_access(request, draft)
    definition = draft.version.definition
    steps = engine.steps_of(definition)
    outcome = engine.outcome_of(definition, draft.answers)
    if request.method == "POST" and request.POST.get("action") == "back":
        draft.step = max(0, len(steps) - 1)
        draft.save(update_fields=["step", "updated_at"])
        return redirect("constructor:form_step", draft_id=draft.pk)
    return render(
        request,
        "constructor/form_review.html",
        {
            "draft": draft,
            "service": draft.version.variant.service,
            "steps": steps,
            "summary": engine.summary(definition, draft.answers),
            "outcome": outcome,
            "actions": [] if draft.preview else hooks.call("draft_actions", request, draft),
        },
    )
