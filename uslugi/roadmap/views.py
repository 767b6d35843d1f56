"""Roadmap pages: the public page of a region's plan, and the staff page its administrators run.

Every staff form is an ordinary POST that redirects back (no JavaScript needed); with HTMX a
status change swaps only its row. Views validate, call one service, render.
"""

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from uslugi.catalogue import selectors as catalogue
from uslugi.core.errors import UserFacingError
from uslugi.core.http import is_htmx_for
from uslugi.core.services import record_event
from uslugi.roadmap import selectors, services, transfer
from uslugi.roadmap.errors import ImportRejected, RoadmapNotFound
from uslugi.roadmap.forms import (
    STATUS_CHOICES,
    DecisionForm,
    DecisionStatusForm,
    EvidenceForm,
    ImportForm,
    KpiForm,
    MeasureForm,
    MeetingForm,
    MemberForm,
    RoadmapForm,
    StatusForm,
)
from uslugi.roadmap.models import Roadmap

# The public page -------------------------------------------------------------------------------


def _chart(result: selectors.KpiResult) -> dict[str, Any]:
    """The chart's data for kpi-charts.js; the table beside it shows the same numbers."""
    return {
        "labels": [_("Before"), _("Now"), _("Target")],
        "values": [
            float(v) if v is not None else None
            for v in (result.baseline, result.current, result.kpi.target)
        ],
        "label": str(result.metric.label),
        "unit": "%" if result.metric.unit == "percent" else "",
    }


@require_GET
def roadmap_list(request: HttpRequest) -> HttpResponse:
    return render(request, "roadmap/list.html", {"roadmaps": selectors.list_roadmaps()})


@require_GET
def public_roadmap(request: HttpRequest, region_code: str) -> HttpResponse:
    roadmap = selectors.get_roadmap(region_code)
    states = selectors.measure_states(roadmap)
    results = [result for state in states for result in state.kpis]
    return render(
        request,
        "roadmap/public.html",
        {
            "roadmap": roadmap,
            "region": roadmap.region,
            "states": states,
            "results": [
                (result, _chart(result), f"kpi-data-{result.kpi.pk}") for result in results
            ],
            "can_run": selectors.can_run_roadmap(request.user, roadmap.region),
        },
    )


@require_GET
def evidence_document(request: HttpRequest, region_code: str, pk: int) -> FileResponse:
    """A measure's evidence document: public like the plan it proves."""
    name = selectors.get_public_document(region_code, pk).document.name
    if not name or not default_storage.exists(name):
        raise Http404(_("There is no such document."))
    return FileResponse(
        default_storage.open(name, "rb"), as_attachment=True, filename=name.rsplit("/", 1)[-1]
    )


# The staff page --------------------------------------------------------------------------------


def _staff_roadmap(request: HttpRequest, region_code: str) -> Roadmap:
    """The roadmap of a region the user runs; 403 for anyone else."""
    region = catalogue.get_region(region_code)
    if not selectors.can_run_roadmap(request.user, region):
        raise PermissionDenied
    roadmap = selectors.find_roadmap(region_code)
    if roadmap is None:
        raise RoadmapNotFound()
    return roadmap


def _manage(region_code: str) -> HttpResponse:
    return redirect("roadmap:manage", region_code=region_code)


def _errors(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _validation(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_GET
def my_roadmap(request: HttpRequest) -> HttpResponse:
    """The navigation's «Roadmap»: the administrator's own region, so that every page need not
    look the region up to draw the link."""
    region = getattr(request.user, "region", None)
    if region is None:
        raise Http404(_("You have no region whose roadmap you run."))
    return redirect("roadmap:manage", region_code=region.code)


@login_required
def manage(request: HttpRequest, region_code: str) -> HttpResponse:
    region = catalogue.get_region(region_code)
    if not selectors.can_run_roadmap(request.user, region):
        raise PermissionDenied
    roadmap = selectors.find_roadmap(region_code)
    if roadmap is None:
        form = RoadmapForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "revision"}
            services.create_roadmap(region=region, actor=request.user, **data)
            messages.success(request, _("The roadmap is created."))
            return _manage(region_code)
        return render(
            request,
            "roadmap/create.html",
            {"region": region, "form": form},
            status=400 if form.is_bound else 200,
        )
    roadmap = selectors.get_roadmap(region_code)
    # The page shows the members' and owners' e-mails: a staff view of personal data is logged.
    record_event(actor=request.user, verb="roadmap.viewed", target=roadmap)
    return render(
        request,
        "roadmap/manage.html",
        {
            "roadmap": roadmap,
            "region": region,
            "states": selectors.measure_states(roadmap),
            "roadmap_form": RoadmapForm(
                instance=copy.copy(roadmap), initial={"revision": roadmap.revision}
            ),
            "measure_form": MeasureForm(roadmap=roadmap, prefix="new"),
            "member_form": MemberForm(roadmap=roadmap, prefix="member"),
            "meeting_form": MeetingForm(prefix="meeting"),
            "import_form": ImportForm(),
            "status_choices": STATUS_CHOICES,
        },
    )


@login_required
@require_POST
def roadmap_update(request: HttpRequest, region_code: str) -> HttpResponse:
    roadmap = _staff_roadmap(request, region_code)
    form = RoadmapForm(request.POST, instance=copy.copy(roadmap))
    if not form.is_valid() or not form.cleaned_data.get("revision"):
        _errors(request, form)
        return _manage(region_code)
    data = dict(form.cleaned_data)
    revision = data.pop("revision")
    try:
        services.update_roadmap(roadmap=roadmap, actor=request.user, revision=revision, **data)
    except UserFacingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The roadmap is saved."))
    return _manage(region_code)


@login_required
def measure_new(request: HttpRequest, region_code: str) -> HttpResponse:
    roadmap = _staff_roadmap(request, region_code)
    form = MeasureForm(request.POST or None, roadmap=roadmap, prefix="new")
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "revision"}
        try:
            measure = services.create_measure(roadmap=roadmap, actor=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        except UserFacingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Measure %(number)s is added.") % {"number": measure.number}
            )
            return redirect("roadmap:measure", region_code=region_code, pk=measure.pk)
    return render(
        request,
        "roadmap/measure_new.html",
        {"roadmap": roadmap, "region": roadmap.region, "form": form},
        status=400 if form.is_bound else 200,
    )


def _measure_page(
    request: HttpRequest, roadmap: Roadmap, measure: Any, form: MeasureForm | None = None
) -> dict[str, Any]:
    return {
        "roadmap": roadmap,
        "region": roadmap.region,
        "state": selectors.measure_state(measure, roadmap.region),
        "form": form
        or MeasureForm(
            instance=copy.copy(measure), roadmap=roadmap, initial={"revision": measure.revision}
        ),
        "kpi_form": KpiForm(roadmap=roadmap, prefix="kpi"),
        "evidence_form": EvidenceForm(prefix="evidence"),
    }


@login_required
def measure_detail(request: HttpRequest, region_code: str, pk: int) -> HttpResponse:
    roadmap = _staff_roadmap(request, region_code)
    measure = selectors.get_measure(roadmap, pk)
    if request.method != "POST":
        return render(request, "roadmap/measure.html", _measure_page(request, roadmap, measure))
    form = MeasureForm(request.POST, instance=copy.copy(measure), roadmap=roadmap)
    if form.is_valid() and form.cleaned_data.get("revision"):
        data = dict(form.cleaned_data)
        revision = data.pop("revision")
        try:
            services.update_measure(measure=measure, actor=request.user, revision=revision, **data)
        except ValidationError as error:
            form.add_error(None, error)
        except UserFacingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The measure is saved."))
            return redirect("roadmap:measure", region_code=region_code, pk=measure.pk)
    elif not form.errors:
        form.add_error(None, _("The form is out of date; reload the page."))
    return render(
        request, "roadmap/measure.html", _measure_page(request, roadmap, measure, form), status=400
    )


@login_required
@require_POST
def measure_status(request: HttpRequest, region_code: str, pk: int) -> HttpResponse:
    """A status change from the list; with HTMX only the measure's row comes back."""
    roadmap = _staff_roadmap(request, region_code)
    measure = selectors.get_measure(roadmap, pk)
    form = StatusForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Choose a status.")
    else:
        try:
            services.set_measure_status(
                measure=measure,
                actor=request.user,
                revision=form.cleaned_data["revision"],
                status=form.cleaned_data["status"],
            )
        except UserFacingError as failure:
            error = failure.message
    if is_htmx_for(request, f"measure-{measure.pk}"):
        measure = selectors.get_measure(roadmap, pk)
        return render(
            request,
            "roadmap/_measure_row.html",
            {
                "state": selectors.measure_state(measure, roadmap.region),
                "region": roadmap.region,
                "row_error": error,
                "editable": True,
                "status_choices": STATUS_CHOICES,
            },
            status=409 if error else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request, _("The status of measure %(number)s is saved.") % {"number": measure.number}
        )
    return _manage(region_code)


@login_required
@require_POST
def kpi_add(request: HttpRequest, region_code: str, pk: int) -> HttpResponse:
    roadmap = _staff_roadmap(request, region_code)
    measure = selectors.get_measure(roadmap, pk)
    form = KpiForm(request.POST, roadmap=roadmap, prefix="kpi")
    if form.is_valid():
        try:
            services.add_kpi(measure=measure, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _validation(request, error)
        except UserFacingError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("The KPI is added; its baseline was computed from the metrics.")
            )
    else:
        _errors(request, form)
    return redirect("roadmap:measure", region_code=region_code, pk=measure.pk)


@login_required
@require_POST
def kpi_remove(request: HttpRequest, region_code: str, pk: int) -> HttpResponse:
    roadmap = _staff_roadmap(request, region_code)
    kpi = selectors.get_kpi(roadmap, pk)
    measure_pk = kpi.measure_id
    services.remove_kpi(kpi=kpi, actor=request.user)
    messages.success(request, _("The KPI is removed."))
    return redirect("roadmap:measure", region_code=region_code, pk=measure_pk)


@login_required
@require_POST
def evidence_add(request: HttpRequest, region_code: str, pk: int) -> HttpResponse:
    roadmap = _staff_roadmap(request, region_code)
    measure = selectors.get_measure(roadmap, pk)
    form = EvidenceForm(request.POST, request.FILES, prefix="evidence")
    if form.is_valid():
        services.add_evidence(
            measure=measure,
            actor=request.user,
            title=form.cleaned_data["title"],
            url=form.cleaned_data["url"],
            document=form.cleaned_data["document"] or None,
        )
        messages.success(request, _("The evidence is added."))
    else:
        _errors(request, form)
    return redirect("roadmap:measure", region_code=region_code, pk=measure.pk)


@login_required
@require_POST
def evidence_remove(request: HttpRequest, region_code: str, pk: int) -> HttpResponse:
    roadmap = _staff_roadmap(request, region_code)
    evidence = selectors.get_evidence(roadmap, pk)
    measure_pk = evidence.measure_id
    services.remove_evidence(evidence=evidence, actor=request.user)
    messages.success(request, _("The evidence is removed."))
    return redirect("roadmap:measure", region_code=region_code, pk=measure_pk)


@login_required
@require_POST
def member_add(request: HttpRequest, region_code: str) -> HttpResponse:
    roadmap = _staff_roadmap(request, region_code)
    form = MemberForm(request.POST, roadmap=roadmap, prefix="member")
    if form.is_valid():
        try:
            services.add_member(roadmap=roadmap, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _validation(request, error)
        else:
            messages.success(request, _("The member is added to the working group."))
    else:
        _errors(request, form)
    return _manage(region_code)


@login_required
@require_POST
def member_remove(request: HttpRequest, region_code: str, pk: int) -> HttpResponse:
    roadmap = _staff_roadmap(request, region_code)
    member = selectors.get_member(roadmap, pk)
    try:
        services.remove_member(member=member, actor=request.user)
    except UserFacingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The member is removed from the working group."))
    return _manage(region_code)


@login_required
@require_POST
def meeting_add(request: HttpRequest, region_code: str) -> HttpResponse:
    roadmap = _staff_roadmap(request, region_code)
    form = MeetingForm(request.POST, prefix="meeting")
    if not form.is_valid():
        _errors(request, form)
        return _manage(region_code)
    meeting = services.add_meeting(roadmap=roadmap, actor=request.user, **form.cleaned_data)
    messages.success(request, _("The meeting is recorded; add its decisions."))
    return redirect("roadmap:meeting", region_code=region_code, pk=meeting.pk)


@login_required
def meeting_detail(request: HttpRequest, region_code: str, pk: int) -> HttpResponse:
    roadmap = _staff_roadmap(request, region_code)
    meeting = selectors.get_meeting(roadmap, pk)
    form = DecisionForm(request.POST or None, roadmap=roadmap, prefix="decision")
    if request.method == "POST" and form.is_valid():
        try:
            services.add_decision(meeting=meeting, actor=request.user, **form.cleaned_data)
        except UserFacingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("roadmap:meeting", region_code=region_code, pk=meeting.pk)
    return render(
        request,
        "roadmap/meeting.html",
        {
            "roadmap": roadmap,
            "region": roadmap.region,
            "meeting": meeting,
            "form": form,
            "status_choices": STATUS_CHOICES,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def decision_status(request: HttpRequest, region_code: str, pk: int) -> HttpResponse:
    roadmap = _staff_roadmap(request, region_code)
    decision = selectors.get_decision(roadmap, pk)
    form = DecisionStatusForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
    else:
        try:
            services.set_decision_status(
                decision=decision,
                actor=request.user,
                revision=form.cleaned_data["revision"],
                status=form.cleaned_data["status"],
                due_on=form.cleaned_data["due_on"],
            )
        except UserFacingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The decision is saved."))
    return redirect("roadmap:meeting", region_code=region_code, pk=decision.meeting_id)


# CSV -------------------------------------------------------------------------------------------


@login_required
@require_GET
def export_measures(request: HttpRequest, region_code: str) -> HttpResponse:
    roadmap = _staff_roadmap(request, region_code)
    response = HttpResponse(
        "\ufeff" + transfer.export_measures(roadmap), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="roadmap-{region_code}-measures.csv"'
    return response


@login_required
@require_POST
def import_measures(request: HttpRequest, region_code: str) -> HttpResponse:
    roadmap = _staff_roadmap(request, region_code)
    form = ImportForm(request.POST, request.FILES)
    errors: list[str] = []
    if not form.is_valid():
        errors = [str(e) for e in form.errors.get("file", [])] or [_("Choose a CSV file.")]
    else:
        upload = form.cleaned_data["file"]
        try:
            result = transfer.import_measures(
                roadmap=roadmap, actor=request.user, data=upload.read(), filename=upload.name
            )
        except ImportRejected as rejected:
            errors = rejected.errors
        else:
            messages.success(
                request,
                _("Imported: %(created)s measures added, %(updated)s updated.")
                % {"created": result.created, "updated": result.updated},
            )
            return _manage(region_code)
    return render(
        request,
        "roadmap/import.html",
        {"roadmap": roadmap, "region": roadmap.region, "form": form, "errors": errors},
        status=400,
    )
