"""The officials' queue: the cases of their agency and region, soonest legal deadline first."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.db import models
from django.db.models import F, Q, QuerySet, Value
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from uslugi.accounts.models import User
from uslugi.applications import selectors, services
from uslugi.applications.forms import (
    ALL,
    MINE,
    NOBODY,
    OPEN,
    AssignForm,
    QueueFilterForm,
    officials_of,
)
from uslugi.applications.models import Case, SlaState
from uslugi.applications.office.access import official_required
from uslugi.applications.workflow import CLOCK_STOPPED, FINAL, Status
from uslugi.applications.workflow import OPEN as OPEN_STATUSES
from uslugi.catalogue.models import Service
from uslugi.core.errors import UserFacingError
from uslugi.core.http import is_htmx_for
from uslugi.core.paginator import CappedPaginator
from uslugi.core.services import record_event
from uslugi.workdays import selectors as workdays

PAGE_SIZE = 25
CLOSED = "closed"
# What a row shows: the page reads these columns and no others (an application's answers, a
# service's texts and an assignee's password stay in the database).
ROW_COLUMNS = (
    "id",
    "due_date",
    "status",
    "application__number",
    "application__applicant_name",
    "service__name",
    "service__name_en",
    "assignee__username",
    "assignee__last_name",
    "assignee__first_name",
    "assignee__middle_name",
)


def with_sla_state(cases: QuerySet[Case], *, region_code: str, today: date) -> QuerySet[Case]:
    """Annotate `sla` with what `services.sla_state_of` says, in SQL, so the filter pages right.

    `sla_state_of` counts working days left per case; with one region's calendar the same rule is
    two dates: overdue before today, at risk before the third working day after today. Cases in a
    final status are `closed`; while the clock is stopped the stored state stands.
    """
    calendar = workdays.get_calendar(region_code)
    safe_from = calendar.add_working_days(today, services.AT_RISK_WORKING_DAYS + 1)
    return cases.annotate(
        sla=models.Case(
            models.When(status__in=FINAL, then=Value(CLOSED)),
            models.When(status__in=CLOCK_STOPPED, then=F("sla_state")),
            models.When(due_date__lt=today, then=Value(SlaState.OVERDUE.value)),
            models.When(due_date__lt=safe_from, then=Value(SlaState.AT_RISK.value)),
            default=Value(SlaState.ON_TIME.value),
            output_field=models.CharField(),
        )
    )


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One line of the queue with its words and link already worked out.

    The page is drawn for every official's every visit: a label translated, a URL reversed and a
    date formatted once per row here costs a fraction of the same done per cell by template tags
    (a `{% url %}`, a `{% blocktranslate %}`, an `{% include %}` for the deadline state).
    """

    case: Case
    pk: int
    sla: str  # the annotation of with_sla_state, as the row's class
    sla_shown: str  # the state the label names: an unknown one reads "closed", as on a case page
    sla_label: str
    url: str
    number: str
    select_label: str
    due_iso: str
    due_shown: str
    applicant_name: str
    service_name: str
    status: str
    status_label: str
    assignee: str  # empty when nobody has the case: the row offers "Take"


def queue_rows(cases: list[Case]) -> list[QueueRow]:
    """The rows of `cases` (annotated by `with_sla_state`) in the active language."""
    sla_labels = {state.value: str(state.label) for state in SlaState}
    sla_labels[CLOSED] = gettext("closed")
    status_labels = {status.value: str(status.label) for status in Status}
    select = gettext("Select case %(number)s")
    link = _case_link()
    service_names: dict[int, str] = {}
    rows = []
    for case in cases:
        application, due = case.application, case.due_date
        service_name = service_names.get(case.service_id)
        if service_name is None:
            service_name = service_names[case.service_id] = case.service.display_name
        sla: str = case.sla  # type: ignore[attr-defined]  # the annotation of with_sla_state
        sla_shown = sla if sla in sla_labels else CLOSED
        rows.append(
            QueueRow(
                case=case,
                pk=case.pk,
                sla=sla,
                sla_shown=sla_shown,
                sla_label=sla_labels[sla_shown],
                url=link(case.pk),
                number=application.number,
                select_label=select % {"number": application.number},
                due_iso=due.isoformat(),
                due_shown=f"{due.day:02d}.{due.month:02d}.{due.year:04d}",
                applicant_name=application.applicant_name,
                service_name=service_name,
                status=case.status,
                status_label=status_labels.get(case.status, case.status),
                assignee=str(case.assignee) if case.assignee_id else "",
            )
        )
    return rows


def _case_link() -> Callable[[int], str]:
    """The case page's URL for a pk: reversed once with a stand-in pk, then filled per row."""
    stand_in = 987654321987
    reversed_once = reverse("applications:office_case", args=[stand_in])
    if reversed_once.count(str(stand_in)) != 1:  # a script prefix that holds it: reverse each row
        return lambda pk: reverse("applications:office_case", args=[pk])
    head, _, tail = reversed_once.partition(str(stand_in))
    return lambda pk: f"{head}{pk}{tail}"


def _filtered(cases: QuerySet[Case], filters: dict[str, str], user: Any) -> QuerySet[Case]:
    status = filters["status"] or OPEN
    if status == OPEN:
        cases = cases.filter(status__in=OPEN_STATUSES)  # matches the partial index case_queue_open
    elif status != ALL:
        cases = cases.filter(status=status)
    if filters["service"]:
        cases = cases.filter(service_id=int(filters["service"]))
    assignee = filters["assignee"]
    if assignee == MINE:
        cases = cases.filter(assignee=user)
    elif assignee == NOBODY:
        cases = cases.filter(assignee__isnull=True)
    elif assignee:
        cases = cases.filter(assignee_id=int(assignee))
    if filters["state"]:
        cases = cases.filter(Q(sla=filters["state"]))  # the annotation of with_sla_state
    return cases


def _services_in_queue(user: Any) -> QuerySet[Service]:
    """The services the official's agency provides in the region: by the catalogue or by a variant
    that names the agency. Read from those small tables, never by scanning the agency's cases."""
    provided = Q(agency_id=user.agency_id) | Q(variants__versions__agency_id=user.agency_id)
    return Service.objects.filter(provided, region_id=user.region_id).distinct().order_by("name")


@official_required
def queue(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    officials = list(officials_of(user))
    form = QueueFilterForm(
        request.GET or None, services=_services_in_queue(user), officials=officials
    )
    filters = (
        form.filters()
        if form.is_bound
        else dict.fromkeys(("status", "service", "assignee", "state"), "")
    )
    cases = with_sla_state(
        selectors.list_queue(user), region_code=user.region.code, today=timezone.localdate()
    )
    page = CappedPaginator(_filtered(cases, filters, user).only(*ROW_COLUMNS), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = queue_rows(list(page))
    # Names and numbers of applicants are personal data: a staff listing of them is logged.
    record_event(
        actor=user,
        verb="cases.listed",
        target=user.agency,
        data={"cases": [row.case.pk for row in rows], "filters": filters},
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "officials": officials,
        "query": query.urlencode(),
        "here": request.get_full_path(),
    }
    template = "applications/office/queue.html"
    if is_htmx_for(request, "queue-results"):
        template += "#queue-results"
    return render(request, template, context, status=400 if form.errors else 200)


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("applications:office_queue")


@official_required
@require_POST
def assign(request: HttpRequest) -> HttpResponse:
    """Assign one case ("take" it, or from its page) or many (checkboxes in the queue)."""
    user: Any = request.user
    officials = list(officials_of(user))
    posted = [value for value in request.POST.getlist("cases") if value.isdigit()]
    take = request.POST.get("take", "")
    ids = [int(value) for value in [*posted, take] if value.isdigit()]
    scoped = {case.pk: case for case in selectors.list_queue(user).filter(pk__in=ids)}
    form = AssignForm(request.POST, case_ids=list(scoped), officials=officials)
    if not form.is_valid():
        errors = [error for errors in form.errors.values() for error in errors]
        messages.error(request, " ".join(str(error) for error in errors))
        return redirect(_back(request))
    data = form.cleaned_data
    if data.get("take"):
        chosen, assignee = [scoped[data["take"]]], user
    else:
        chosen = [scoped[pk] for pk in data["cases"]]
        assignee = (
            None
            if data["assignee"] == NOBODY
            else next(o for o in officials if str(o.pk) == data["assignee"])
        )
    try:
        count = services.assign_cases(cases=chosen, assignee=assignee, user=user)
    except UserFacingError as error:
        messages.error(request, error.message)
        return redirect(_back(request))
    messages.success(request, _assigned_message(count, assignee))
    return redirect(_back(request))


def _assigned_message(count: int, assignee: User | None) -> str:
    if assignee is None:
        return ngettext(
            "%(count)s case no longer has an assignee.",
            "%(count)s cases no longer have an assignee.",
            count,
        ) % {"count": count}
    return ngettext(
        "%(count)s case is assigned to %(name)s.",
        "%(count)s cases are assigned to %(name)s.",
        count,
    ) % {"count": count, "name": str(assignee)}
