"""The citizen's path through a life situation: questions, personal package, one form, one send,
one package page. Works without JavaScript; HTMX refreshes a step when a condition source changes.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uslugi.catalogue import selectors as catalogue_selectors
from uslugi.catalogue.models import Service
from uslugi.constructor import engine
from uslugi.constructor.conditions import condition_sources
from uslugi.constructor.definitions import Definition
from uslugi.core.errors import UserFacingError
from uslugi.core.http import is_htmx_for
from uslugi.situations import definition as situation_definition
from uslugi.situations import progress, selectors, services
from uslugi.situations.errors import PackageIncomplete, SituationNotInForce
from uslugi.situations.models import PackageDraft
from uslugi.situations.planning import Plan, plan_package

FORM_TEMPLATE = "situations/form_step.html"


def situation_list(request: HttpRequest) -> HttpResponse:
    region_code = request.GET.get("region", "")
    return render(
        request,
        "situations/situation_list.html",
        {
            "situations": selectors.list_situations(region_code=region_code),
            "regions": catalogue_selectors.list_regions(),
            "region_code": region_code,
        },
    )


def situation_detail(request: HttpRequest, region_code: str, code: str) -> HttpResponse:
    situation = selectors.get_situation(region_code=region_code, code=code)
    version = selectors.version_in_force(situation)
    if version is None:
        raise Http404(SituationNotInForce.default_message)
    items = situation_definition.items_of(version.definition)
    names = {
        service.code: service.display_name
        for service in Service.objects.filter(
            region=situation.region, code__in={item.service for item in items}
        )
    }
    return render(
        request,
        "situations/situation_detail.html",
        {
            "situation": situation,
            "version": version,
            "items": [(names.get(item.service, item.service), item) for item in items],
        },
    )


@require_POST
def start(request: HttpRequest, region_code: str, code: str) -> HttpResponse:
    situation = selectors.get_situation(region_code=region_code, code=code)
    version = selectors.version_in_force(situation)
    if version is None:
        raise Http404(SituationNotInForce.default_message)
    draft = services.start_draft(version=version, request=request)
    return redirect("situations:questions", draft_id=draft.pk)


def _draft(request: HttpRequest, draft_id: str) -> PackageDraft:
    draft = selectors.get_draft(draft_id)
    services.ensure_access(request, draft)
    return draft


def _form_page(
    request: HttpRequest,
    draft: PackageDraft,
    *,
    definition: Definition,
    steps: list[engine.Step],
    step: engine.Step,
    form: engine.StepForm,
    action: str,
    heading: str,
    is_last: bool,
    show_back: bool,
) -> HttpResponse:
    template = FORM_TEMPLATE
    if is_htmx_for(request, "step-form"):
        template += "#step-form"
    return render(
        request,
        template,
        {
            "draft": draft,
            "situation": draft.version.situation,
            "steps": steps,
            "step": step,
            "form": form,
            "items": form.items(),
            "action": action,
            "heading": heading,
            "is_last": is_last,
            "show_back": show_back,
        },
    )


def _refresh(
    request: HttpRequest, draft: PackageDraft, definition: Definition, step: engine.Step, key: str
) -> engine.StepForm:
    """What the conditions allow now, unbound (no errors before the citizen continues)."""
    known = draft.questions if key == "questions" else draft.answers
    form = engine.build_step_form(definition, step, known, request.POST, request.FILES)
    services.remember_typed(draft, key, request.POST)
    return engine.StepForm(
        blocks=form.blocks,
        answers=known,
        sources=condition_sources(definition),
        initial=request.POST.dict(),
    )


def questions(request: HttpRequest, draft_id: str) -> HttpResponse:
    draft = _draft(request, draft_id)
    if hasattr(draft, "package"):
        return redirect("situations:package", package_id=draft.package.pk)
    definition = situation_definition.questionnaire(draft.version.definition)
    steps = engine.steps_of(definition)
    if not steps:
        return redirect("situations:preview", draft_id=draft.pk)
    step = steps[0]
    action = reverse("situations:questions", args=[draft.pk])
    if request.method == "POST":
        if request.POST.get("action") == "refresh":
            form = _refresh(request, draft, definition, step, "questions")
        else:
            form = engine.build_step_form(definition, step, draft.questions, request.POST)
            if services.save_questions(draft, form=form, data=request.POST):
                return redirect("situations:preview", draft_id=draft.pk)
    else:
        typed = services.typed_values(draft, "questions")
        if typed and not typed[1]:
            form = engine.build_step_form(definition, step, draft.questions, typed[0])
            form.is_valid()
        else:
            form = engine.build_step_form(definition, step, draft.questions)
    return _form_page(
        request,
        draft,
        definition=definition,
        steps=steps,
        step=step,
        form=form,
        action=action,
        heading=_("A few questions"),
        is_last=False,
        show_back=False,
    )


def _answered(draft: PackageDraft) -> bool:
    """The questionnaire is answered (or has nothing to ask)."""
    questions = situation_definition.questionnaire(draft.version.definition)
    return not engine.steps_of(questions) or bool(draft.raw.get("questions", {}).get("valid"))


def _plan(draft: PackageDraft) -> Plan:
    return plan_package(draft.version, draft.questions)


def preview(request: HttpRequest, draft_id: str) -> HttpResponse:
    """The personal package: services and why, what comes by itself, documents, the due date."""
    draft = _draft(request, draft_id)
    if not _answered(draft):
        return redirect("situations:questions", draft_id=draft.pk)
    plan = _plan(draft)
    bring, obtained = plan.documents(draft.answers)
    return render(
        request,
        "situations/preview.html",
        {
            "draft": draft,
            "situation": draft.version.situation,
            "plan": plan,
            "bring": bring,
            "obtained": obtained,
        },
    )


def form_step(request: HttpRequest, draft_id: str) -> HttpResponse:
    """One step of the combined form: shared facts first, then each service's own fields."""
    draft = _draft(request, draft_id)
    if hasattr(draft, "package"):
        return redirect("situations:package", package_id=draft.package.pk)
    if not _answered(draft):
        return redirect("situations:questions", draft_id=draft.pk)
    combined = _plan(draft).combined
    steps = engine.steps_of(combined)
    if draft.step >= len(steps):
        return redirect("situations:review", draft_id=draft.pk)
    step = steps[draft.step]
    if request.method == "POST":
        action = request.POST.get("action", "continue")
        if action == "refresh":
            form = _refresh(request, draft, combined, step, str(step.index))
        else:
            form = engine.build_step_form(
                combined, step, draft.answers, request.POST, request.FILES
            )
            if action == "back" and step.index == 0:
                services.save_step(
                    draft, combined=combined, step=step, form=form, data=request.POST, move_to=0
                )
                return redirect("situations:preview", draft_id=draft.pk)
            move_to = step.index - 1 if action == "back" else step.index + 1
            services.save_step(
                draft, combined=combined, step=step, form=form, data=request.POST, move_to=move_to
            )
            if draft.step != step.index or action == "back":
                return redirect("situations:form", draft_id=draft.pk)
    else:
        typed = services.typed_values(draft, str(step.index))
        if typed and not typed[1]:
            form = engine.build_step_form(combined, step, draft.answers, typed[0])
            form.is_valid()
        else:
            form = engine.build_step_form(combined, step, draft.answers)
    return _form_page(
        request,
        draft,
        definition=combined,
        steps=steps,
        step=step,
        form=form,
        action=reverse("situations:form", args=[draft.pk]),
        heading=_("One form for the whole package"),
        is_last=step.index == len(steps) - 1,
        show_back=True,
    )


def review(request: HttpRequest, draft_id: str) -> HttpResponse:
    draft = _draft(request, draft_id)
    if hasattr(draft, "package"):
        return redirect("situations:package", package_id=draft.package.pk)
    plan = _plan(draft)
    steps = engine.steps_of(plan.combined)
    errors: list[str] = []
    if request.method == "POST":
        if request.POST.get("action") == "back":
            draft.step = max(0, len(steps) - 1)
            draft.save(update_fields=["step", "updated_at"])
            return redirect("situations:form", draft_id=draft.pk)
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        try:
            package = services.submit_package(
                version=draft.version,
                questions=draft.questions,
                answers=draft.answers,
                submitter=request.user,
                draft=draft,
            )
        except PackageIncomplete as error:
            errors = [error.message, *error.reasons]
        except UserFacingError as error:
            errors = [error.message]
        else:
            return redirect("situations:package", package_id=package.pk)
    bring, obtained = plan.documents(draft.answers)
    return render(
        request,
        "situations/review.html",
        {
            "draft": draft,
            "situation": draft.version.situation,
            "plan": plan,
            "summary": engine.summary(plan.combined, draft.answers),
            "bring": bring,
            "obtained": obtained,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
def my_packages(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "situations/my_packages.html",
        {"packages": selectors.list_my_packages(request.user)},
    )


def _result_url(application: Any) -> str:
    return reverse("applications:download_result", args=[application.number])


def package_detail(request: HttpRequest, package_id: str) -> HttpResponse:
    """The package page: one composite status, each service with its status, deadline and why,
    and every result in one place. Only the applicant sees it; anyone else gets a 404."""
    package = selectors.get_my_package(request.user, package_id)
    items = list(package.items.all())
    status = progress.composite_status(items)
    views = progress.item_views(items, _result_url)
    dates = [view.due_date for view in views if view.due_date]
    return render(
        request,
        "situations/package.html",
        {
            "package": package,
            "situation": package.version.situation,
            "status": status,
            "status_text": progress.status_text(status),
            "items": views,
            "deadline": max(dates) if dates else None,
        },
    )
