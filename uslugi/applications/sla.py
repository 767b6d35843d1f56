"""The deadline sweep: which open cases are at risk or overdue, and who is told (once).

Run hourly by the scheduler (tasks.sweep_sla). For every case whose clock runs, the state comes
from `services.sla_state_of` on today's date in the case's region, whose time zone may differ from
the server's. A change is written with a conditional update, so a concurrent sweep or an official's
action in between wins and this sweep leaves the case alone; each change writes an audit event.
Reaching at risk or overdue for the first time tells the assignee (every official of the agency in
the region while nobody is assigned), the supervisors (`Supervision`) and the service's curator in
force; an `SlaAlert` row per case and state plus the notifications' deduplication keys make that
once, ever. A case back on time (after an extension) is marked so without telling anyone.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from uslugi.accounts.models import Role
from uslugi.applications import notifications, services
from uslugi.applications.models import Case, SlaAlert, SlaState, Supervision
from uslugi.applications.workflow import CLOCK_STOPPED, FINAL
from uslugi.catalogue import selectors as catalogue
from uslugi.core.services import record_event
from uslugi.workdays import selectors as workdays
from uslugi.workdays.calendar import ProductionCalendar

# A case due further ahead than this cannot have two working days or fewer left (the longest
# run of days off in the Russian calendar, the New Year holidays, is 12 days), so it is on time
# without asking the calendar; cases not on time are always looked at.
HORIZON = timedelta(days=31)


@dataclass
class SweepResult:
    checked: int = 0
    at_risk: int = 0
    overdue: int = 0
    on_time: int = 0
    notified: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class _Change:
    case: Case
    state: SlaState
    today: date


def sweep_sla(now: datetime | None = None) -> SweepResult:
    """Bring every open case's deadline state up to date at `now`; idempotent."""
    now = now or timezone.now()
    result = SweepResult()
    changes = []
    calendars: dict[str, ProductionCalendar] = {}  # one lookup per region, not one per case
    for case in _open_cases(now):
        result.checked += 1
        today = now.astimezone(_zone(case.region.time_zone)).date()
        code = case.region.code
        if code not in calendars:
            calendars[code] = workdays.get_calendar(code)
        state = services.sla_state_of(case, today, calendars[code])
        if state != case.sla_state:
            changes.append(_Change(case, state, today))
    # Written after reading: no write interleaves with the open cursor of a large table.
    people = _People()
    with translation.override(settings.LANGUAGE_CODE):
        for change in changes:
            with transaction.atomic():  # state, audit row, alert and notifications together
                if not _apply(change):
                    continue
                if change.state == SlaState.AT_RISK:
                    result.at_risk += 1
                    result.notified += _alert(change, people)
                elif change.state == SlaState.OVERDUE:
                    result.overdue += 1
                    result.notified += _alert(change, people)
                else:
                    result.on_time += 1
    return result


def _open_cases(now: datetime) -> Iterable[Case]:
    horizon = (now + timedelta(days=1)).date() + HORIZON  # tomorrow covers every time zone
    return (
        Case.objects.exclude(status__in=[*FINAL, *CLOCK_STOPPED])
        .filter(Q(due_date__lte=horizon) | ~Q(sla_state=SlaState.ON_TIME))
        .select_related("region", "service", "application", "assignee")
        .order_by("pk")
        .iterator(chunk_size=500)
    )


_zones: dict[str, ZoneInfo] = {}


def _zone(name: str) -> ZoneInfo:
    if name not in _zones:
        _zones[name] = ZoneInfo(name or settings.TIME_ZONE)
    return _zones[name]


def _apply(change: _Change) -> bool:
    """Write the new state unless the case changed since it was read; audit the change."""
    case = change.case
    previous = case.sla_state
    updated = Case.objects.filter(
        pk=case.pk, sla_state=previous, status=case.status, due_date=case.due_date
    ).update(sla_state=change.state)
    if updated != 1:
        return False
    case.sla_state = change.state
    record_event(
        actor=None,
        verb=f"case.{change.state}",
        target=case,
        data={"from": previous, "due_date": case.due_date, "on": change.today},
    )
    return True


def _alert(change: _Change, people: "_People") -> int:
    """Tell the case's people that it reached the state, unless they were told already."""
    case = change.case
    try:
        with transaction.atomic():
            SlaAlert.objects.create(case=case, state=change.state, reached_on=change.today)
    except IntegrityError:
        return 0
    subject, text = _message(case, change.state)
    told = 0
    for user in people.of(case):
        notification = notifications.notify(
            case=case,
            kind=f"sla.{change.state}",
            subject=subject,
            text=text,
            recipient=user,
            email=user.email,
            dedupe_key=f"sla:{case.pk}:{change.state}:{user.pk}",
        )
        told += notification is not None
    return told


def _message(case: Case, state: SlaState) -> tuple[str, str]:
    values = {
        "number": case.application.number,
        "service": case.service.name,
        "due": case.due_date.strftime("%d.%m.%Y"),
    }
    if state == SlaState.OVERDUE:
        return (
            _("Application %(number)s is overdue") % values,
            _("Application %(number)s (%(service)s) was due by %(due)s and is not decided yet.")
            % values,
        )
    return (
        _("Application %(number)s is at risk of missing its deadline") % values,
        _("Application %(number)s (%(service)s) is due by %(due)s: two working days or fewer left.")
        % values,
    )


class _People:
    """Who is told about a case, read once per agency and region and once per service a sweep."""

    def __init__(self) -> None:
        self._officials: dict[tuple[int, int], list[Any]] = {}
        self._supervisors: dict[tuple[int, int], list[Any]] = {}
        self._curators: dict[int, list[Any]] = {}

    def of(self, case: Case) -> list[Any]:
        scope = (case.agency_id, case.region_id)
        assignee = case.assignee
        if assignee is not None and assignee.is_active:
            workers = [assignee]
        else:
            if scope not in self._officials:
                self._officials[scope] = list(
                    get_user_model()
                    .objects.filter(
                        role=Role.OFFICIAL,
                        agency_id=case.agency_id,
                        region_id=case.region_id,
                        is_active=True,
                    )
                    .order_by("pk")
                )
            workers = self._officials[scope]
        if scope not in self._supervisors:
            self._supervisors[scope] = [
                supervision.supervisor
                for supervision in Supervision.objects.filter(
                    agency_id=case.agency_id,
                    region_id=case.region_id,
                    supervisor__is_active=True,
                )
                .select_related("supervisor")
                .order_by("pk")
            ]
        if case.service_id not in self._curators:
            self._curators[case.service_id] = [
                assignment.curator.user
                for assignment in catalogue.curators_in_force(case.service)
                if assignment.curator.user is not None and assignment.curator.user.is_active
            ]
        unique: dict[int, Any] = {}
        for user in [*workers, *self._supervisors[scope], *self._curators[case.service_id]]:
            unique.setdefault(user.pk, user)
        return list(unique.values())
