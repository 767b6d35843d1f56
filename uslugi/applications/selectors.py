"""Reads of applications and cases, always scoped to who is asking."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from uslugi.accounts.models import Role
from uslugi.applications.models import Application, Case, CaseEvent, Notification, SlaState
from uslugi.applications.workflow import OPEN
from uslugi.catalogue.models import Region, Service
from uslugi.core import sql


def get_service_to_apply(*, region_code: str, code: str) -> Service:
    """The service an application names: intake needs no more than its identity (the version in
    force brings the rest), read by a statement written once (every submission asks)."""
    with connection.cursor() as cursor:
        cursor.execute(sql.statement("service to apply", _statement_service), [region_code, code])
        row = cursor.fetchone()
    if row is None:
        raise Http404(
            _("No service %(code)s in region %(region)s.") % {"code": code, "region": region_code}
        )
    return Service.from_db(connection.alias, ["id", "region_id", "code"], row)


def _statement_service() -> str:
    service, region = sql.table(Service), sql.table(Region)
    return (
        f"SELECT s.{sql.column(Service, 'id')}, s.{sql.column(Service, 'region')}, "
        f"s.{sql.column(Service, 'code')} FROM {service} s JOIN {region} r "
        f"ON s.{sql.column(Service, 'region')} = r.{sql.column(Region, 'id')} "
        f"WHERE r.{sql.column(Region, 'code')} = %s AND s.{sql.column(Service, 'code')} = %s"
    )


def list_my_applications(user: Any) -> QuerySet[Application]:
    """The citizen's own applications, newest first, with their cases."""
    return (
        Application.objects.filter(applicant=user)
        .select_related("case", "service__region", "case__agency")
        .order_by("-received_at")
    )


def get_my_application(user: Any, number: str) -> Application:
    """One of the citizen's applications; anyone else's is a 404 with no trace of it."""
    try:
        return (
            Application.objects.select_related("case__agency", "service__region", "version")
            .prefetch_related(
                Prefetch("case__events", queryset=CaseEvent.objects.order_by("occurred_at", "id")),
                "case__messages",
                "case__suspensions",
                "case__extensions",
            )
            .get(number=number, applicant=user)
        )
    except Application.DoesNotExist:
        raise Http404(_("There is no such application.")) from None


def list_queue(user: Any) -> QuerySet[Case]:
    """The cases of the official's agency and region, by legal deadline (soonest first)."""
    if user.role != Role.OFFICIAL or user.agency_id is None or user.region_id is None:
        return Case.objects.none()
    return (
        Case.objects.filter(agency_id=user.agency_id, region_id=user.region_id)
        .select_related("application", "service", "assignee")
        .order_by("due_date", "id")
    )


def get_case_for_official(user: Any, pk: int) -> Case:
    try:
        return (
            list_queue(user)
            .select_related("application__version", "application__applicant")
            .get(pk=pk)
        )
    except Case.DoesNotExist:
        raise Http404(_("There is no such case.")) from None


def list_colleagues(user: Any) -> QuerySet[Any]:
    """Officials of the same agency and region as `user`: whom their cases may be given to."""
    return get_user_model().objects.filter(
        role=Role.OFFICIAL, agency_id=user.agency_id, region_id=user.region_id, is_active=True
    )


def list_my_notifications(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("case__application")


def list_cases_at_risk(service_ids: list[int]) -> QuerySet[Case]:
    """Open cases of the services that the deadline sweep marked overdue or at risk: overdue
    first, then by due date (what a curator watches before anyone complains)."""
    return (
        Case.objects.filter(
            service_id__in=service_ids,
            status__in=OPEN,
            sla_state__in=[SlaState.OVERDUE, SlaState.AT_RISK],
        )
        .select_related("application", "service__region")
        .order_by("-sla_state", "due_date", "id")
    )
