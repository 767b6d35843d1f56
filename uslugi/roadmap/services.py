"""The roadmap app owns the region's client-centricity plan: measures, KPIs, the working group.

Every change checks that the actor runs the region's roadmap, writes an audit event
(`roadmap.*` verbs) and, for what carries a `revision`, refuses an edit made on a stale copy
(a conditional update, as the applications app does for cases) instead of overwriting someone
else's change. A KPI's baseline value is computed from the quality metrics when it is set.
Overdue measures and decisions are flagged by `flag_overdue_items` (an idempotent periodic job,
see tasks.py) and their owners told once, through the platform's notifications.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Model, ProtectedError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from uslugi.applications.notifications import notify
from uslugi.catalogue.models import Agency, Region, Service
from uslugi.core.services import record_event
from uslugi.roadmap import selectors
from uslugi.roadmap.errors import (
    ChangedMeanwhile,
    MemberHasDecisions,
    NotRoadmapAdministrator,
    OutOfRegion,
    StatusNotSettable,
)
from uslugi.roadmap.models import (
    MEASURE_FIELDS,
    OPEN_STATUSES,
    SETTABLE_STATUSES,
    Decision,
    Evidence,
    ItemStatus,
    Kpi,
    Measure,
    Meeting,
    Roadmap,
    WorkingGroupMember,
)

ROADMAP_FIELDS = ("title", "act_number", "act_date", "act_title", "group_created_on")


def ensure_can_run(actor: Any, region: Region) -> None:
    if not selectors.can_run_roadmap(actor, region):
        raise NotRoadmapAdministrator()


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """Audit data: model instances by their primary key."""
    return {k: (v.pk if isinstance(v, Model) else v) for k, v in values.items()}


def _check_region(
    region: Region, *, agency: Agency | None = None, service: Service | None = None
) -> None:
    if agency is not None and agency.region_id != region.pk:
        raise OutOfRegion()
    if service is not None and service.region_id != region.pk:
        raise OutOfRegion()


def _save_revised(obj: Any, revision: int, changes: dict[str, Any]) -> None:
    """Write `changes` unless the row moved past `revision` since the actor read it."""
    model = type(obj)
    fields = dict(changes)
    if hasattr(obj, "updated_at"):
        fields["updated_at"] = timezone.now()
    updated = model.objects.filter(pk=obj.pk, revision=revision).update(
        **fields, revision=F("revision") + 1
    )
    if updated != 1:
        raise ChangedMeanwhile()
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.revision = revision + 1


# The roadmap -----------------------------------------------------------------------------------


@transaction.atomic
def create_roadmap(*, region: Region, actor: Any, title: str, **fields: Any) -> Roadmap:
    ensure_can_run(actor, region)
    roadmap = Roadmap.objects.create(region=region, title=title, **fields)
    record_event(
        actor=actor, verb="roadmap.created", target=roadmap, data={"title": title, **fields}
    )
    return roadmap


@transaction.atomic
def update_roadmap(*, roadmap: Roadmap, actor: Any, revision: int, **fields: Any) -> Roadmap:
    ensure_can_run(actor, roadmap.region)
    changes = {name: fields[name] for name in ROADMAP_FIELDS if name in fields}
    _save_revised(roadmap, revision, changes)
    record_event(actor=actor, verb="roadmap.updated", target=roadmap, data=changes)
    return roadmap


# Measures --------------------------------------------------------------------------------------


def _completion(status: str, today: date, previous: date | None) -> date | None:
    return (previous or today) if status == ItemStatus.DONE else None


@transaction.atomic
def create_measure(*, roadmap: Roadmap, actor: Any, **fields: Any) -> Measure:
    ensure_can_run(actor, roadmap.region)
    _check_region(roadmap.region, agency=fields.get("responsible_agency"))
    status = fields.setdefault("status", ItemStatus.PLANNED)
    if status not in SETTABLE_STATUSES:
        raise StatusNotSettable()
    today = selectors.today_in(roadmap.region)
    measure = Measure(roadmap=roadmap, completed_on=_completion(status, today, None), **fields)
    measure.full_clean()
    measure.save()
    record_event(actor=actor, verb="roadmap.measure_created", target=measure, data=_plain(fields))
    return measure


@transaction.atomic
def update_measure(*, measure: Measure, actor: Any, revision: int, **fields: Any) -> Measure:
    """Change a measure's fields. An overdue measure given a later due date is in progress again."""
    region = measure.roadmap.region
    ensure_can_run(actor, region)
    _check_region(region, agency=fields.get("responsible_agency"))
    changes = {
        name: fields[name]
        for name in MEASURE_FIELDS
        if name in fields and getattr(measure, name) != fields[name]
    }
    status = changes.get("status", measure.status)
    if "status" in changes and status not in SETTABLE_STATUSES:
        raise StatusNotSettable()
    today = selectors.today_in(region)
    due_on = changes.get("due_on", measure.due_on)
    if status == ItemStatus.OVERDUE and due_on >= today:
        status = changes["status"] = ItemStatus.IN_PROGRESS
    completed_on = _completion(status, today, measure.completed_on)
    if completed_on != measure.completed_on:
        changes["completed_on"] = completed_on
    candidate = Measure(**{**_current(measure), **changes})
    candidate._state.adding = False  # the row itself is no duplicate of its number
    candidate.full_clean()
    _save_revised(measure, revision, changes)
    record_event(actor=actor, verb="roadmap.measure_updated", target=measure, data=_plain(changes))
    return measure


def _current(measure: Measure) -> dict[str, Any]:
    values = {name: getattr(measure, name) for name in MEASURE_FIELDS}
    values.update(pk=measure.pk, roadmap=measure.roadmap, completed_on=measure.completed_on)
    return values


def set_measure_status(*, measure: Measure, actor: Any, revision: int, status: str) -> Measure:
    return update_measure(measure=measure, actor=actor, revision=revision, status=status)


@transaction.atomic
def add_evidence(
    *, measure: Measure, actor: Any, title: str, url: str = "", document: Any = None
) -> Evidence:
    ensure_can_run(actor, measure.roadmap.region)
    evidence = Evidence(measure=measure, title=title, url=url)
    if document is not None:
        evidence.document = document
    evidence.save()
    record_event(
        actor=actor,
        verb="roadmap.evidence_added",
        target=measure,
        data={
            "evidence": evidence.pk,
            "title": title,
            "url": url,
            "document": evidence.document.name,
        },
    )
    return evidence


@transaction.atomic
def remove_evidence(*, evidence: Evidence, actor: Any) -> None:
    measure = evidence.measure
    ensure_can_run(actor, measure.roadmap.region)
    data = {"evidence": evidence.pk, "title": evidence.title}
    evidence.delete()
    record_event(actor=actor, verb="roadmap.evidence_removed", target=measure, data=data)


# KPIs ------------------------------------------------------------------------------------------


@transaction.atomic
def add_kpi(
    *,
    measure: Measure,
    actor: Any,
    metric: str,
    baseline_from: date,
    baseline_to: date,
    current_from: date,
    comparison: str,
    target: Any,
    service: Service | None = None,
    agency: Agency | None = None,
) -> Kpi:
    """Tie a measure to a quality metric; the baseline value is computed now and recorded."""
    region = measure.roadmap.region
    ensure_can_run(actor, region)
    _check_region(region, agency=agency, service=service)
    kpi = Kpi(
        measure=measure,
        service=service,
        agency=agency,
        metric=metric,
        baseline_from=baseline_from,
        baseline_to=baseline_to,
        current_from=current_from,
        comparison=comparison,
        target=target,
    )
    kpi.full_clean(exclude=["measure", "baseline_value"])
    kpi.baseline_value = selectors.measure_baseline(kpi, region.pk)
    kpi.save()
    record_event(
        actor=actor,
        verb="roadmap.kpi_added",
        target=measure,
        data={
            "kpi": kpi.pk,
            "metric": metric,
            "service": service.pk if service else None,
            "agency": agency.pk if agency else None,
            "baseline_from": baseline_from,
            "baseline_to": baseline_to,
            "baseline_value": kpi.baseline_value,
            "current_from": current_from,
            "comparison": comparison,
            "target": kpi.target,
        },
    )
    return kpi


@transaction.atomic
def remove_kpi(*, kpi: Kpi, actor: Any) -> None:
    measure = kpi.measure
    ensure_can_run(actor, measure.roadmap.region)
    data = {"kpi": kpi.pk, "metric": kpi.metric, "target": kpi.target}
    kpi.delete()
    record_event(actor=actor, verb="roadmap.kpi_removed", target=measure, data=data)


def record_baseline(kpi: Kpi) -> Kpi:
    """Compute the baseline value again (e.g. once history was loaded) and record it."""
    value = selectors.measure_baseline(kpi, kpi.measure.roadmap.region_id)
    if value != kpi.baseline_value:
        Kpi.objects.filter(pk=kpi.pk).update(baseline_value=value)
        kpi.baseline_value = value
        record_event(
            actor=None, verb="roadmap.kpi_baseline_recorded", target=kpi, data={"value": value}
        )
    return kpi


# The working group -----------------------------------------------------------------------------


@transaction.atomic
def add_member(*, roadmap: Roadmap, actor: Any, **fields: Any) -> WorkingGroupMember:
    ensure_can_run(actor, roadmap.region)
    _check_region(roadmap.region, agency=fields.get("agency"))
    member = WorkingGroupMember(roadmap=roadmap, **fields)
    member.full_clean()
    member.save()
    record_event(actor=actor, verb="roadmap.member_added", target=member, data=_plain(fields))
    return member


@transaction.atomic
def remove_member(*, member: WorkingGroupMember, actor: Any) -> None:
    ensure_can_run(actor, member.roadmap.region)
    data = {"full_name": member.full_name, "roadmap": member.roadmap_id}
    try:
        with transaction.atomic():
            member.delete()
    except ProtectedError as error:
        raise MemberHasDecisions() from error
    record_event(actor=actor, verb="roadmap.member_removed", target=member, data=data)


@transaction.atomic
def add_meeting(
    *, roadmap: Roadmap, actor: Any, held_on: date, title: str, minutes: str = ""
) -> Meeting:
    ensure_can_run(actor, roadmap.region)
    meeting = Meeting.objects.create(roadmap=roadmap, held_on=held_on, title=title, minutes=minutes)
    record_event(
        actor=actor,
        verb="roadmap.meeting_added",
        target=meeting,
        data={"held_on": held_on, "title": title},
    )
    return meeting


@transaction.atomic
def add_decision(
    *, meeting: Meeting, actor: Any, text: str, assignee: WorkingGroupMember, due_on: date
) -> Decision:
    roadmap = meeting.roadmap
    ensure_can_run(actor, roadmap.region)
    if assignee.roadmap_id != roadmap.pk:
        raise OutOfRegion(_("The assignee is not a member of this working group."))
    decision = Decision.objects.create(meeting=meeting, text=text, assignee=assignee, due_on=due_on)
    record_event(
        actor=actor,
        verb="roadmap.decision_added",
        target=decision,
        data={"meeting": meeting.pk, "assignee": assignee.pk, "due_on": due_on},
    )
    return decision


@transaction.atomic
def set_decision_status(
    *, decision: Decision, actor: Any, revision: int, status: str, due_on: date | None = None
) -> Decision:
    region = decision.meeting.roadmap.region
    ensure_can_run(actor, region)
    changes: dict[str, Any] = {}
    if status != decision.status:
        if status not in SETTABLE_STATUSES:
            raise StatusNotSettable()
        changes["status"] = status
    if due_on is not None and due_on != decision.due_on:
        changes["due_on"] = due_on
    today = selectors.today_in(region)
    status = changes.get("status", decision.status)
    if status == ItemStatus.OVERDUE and changes.get("due_on", decision.due_on) >= today:
        status = changes["status"] = ItemStatus.IN_PROGRESS
    completed_on = _completion(status, today, decision.completed_on)
    if completed_on != decision.completed_on:
        changes["completed_on"] = completed_on
    _save_revised(decision, revision, changes)
    record_event(actor=actor, verb="roadmap.decision_updated", target=decision, data=changes)
    return decision


# Overdue ---------------------------------------------------------------------------------------


@dataclass
class OverdueResult:
    measures: int = 0
    decisions: int = 0
    notified: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def flag_overdue_items() -> OverdueResult:
    """Mark measures and decisions past their due date overdue and tell their owners once.

    Idempotent: an item already overdue is not looked at again, the status change is a
    conditional update (a concurrent edit wins), and each notification's deduplication key
    (item, due date, address) makes a second telling impossible; a new due date that passes
    again is a new reason to tell.
    """
    result = OverdueResult()
    with translation.override(settings.LANGUAGE_CODE):
        for roadmap in Roadmap.objects.select_related("region").order_by("pk"):
            today = selectors.today_in(roadmap.region)
            measures = (
                Measure.objects.filter(roadmap=roadmap, status__in=OPEN_STATUSES, due_on__lt=today)
                .select_related("overseer__user", "roadmap")
                .order_by("pk")
            )
            for measure in measures:
                with transaction.atomic():
                    if not _mark_overdue(measure):
                        continue
                    result.measures += 1
                    result.notified += _tell_owners(
                        measure,
                        kind="measure",
                        owners=_owners_of_measure(measure),
                        subject=_("Roadmap measure %(number)s is overdue")
                        % {"number": measure.number},
                        text=_(
                            "Measure %(number)s «%(title)s» of the roadmap «%(roadmap)s» was due "
                            "by %(due)s and is not done."
                        )
                        % {
                            "number": measure.number,
                            "title": measure.title,
                            "roadmap": roadmap.title,
                            "due": measure.due_on.strftime("%d.%m.%Y"),
                        },
                    )
            decisions = (
                Decision.objects.filter(
                    meeting__roadmap=roadmap, status__in=OPEN_STATUSES, due_on__lt=today
                )
                .select_related("assignee__user", "meeting")
                .order_by("pk")
            )
            for decision in decisions:
                with transaction.atomic():
                    if not _mark_overdue(decision):
                        continue
                    result.decisions += 1
                    assignee = decision.assignee
                    result.notified += _tell_owners(
                        decision,
                        kind="decision",
                        owners=[(assignee.user, assignee.email or _email(assignee.user))],
                        subject=_("A working-group decision is overdue"),
                        text=_(
                            "The decision of the meeting of %(held_on)s «%(text)s» was due by "
                            "%(due)s and is not done."
                        )
                        % {
                            "held_on": decision.meeting.held_on.strftime("%d.%m.%Y"),
                            "text": decision.text,
                            "due": decision.due_on.strftime("%d.%m.%Y"),
                        },
                    )
    return result


def _mark_overdue(item: Measure | Decision) -> bool:
    updated = (
        type(item)
        .objects.filter(pk=item.pk, status=item.status, revision=item.revision)
        .update(status=ItemStatus.OVERDUE, revision=F("revision") + 1, updated_at=timezone.now())
    )
    if updated != 1:
        return False
    previous = item.status
    item.status = ItemStatus.OVERDUE
    item.revision += 1
    record_event(
        actor=None,
        verb=f"roadmap.{item._meta.model_name}_overdue",
        target=item,
        data={"from": previous, "due_on": item.due_on},
    )
    return True


def _email(user: Any) -> str:
    return user.email if user is not None else ""


def _owners_of_measure(measure: Measure) -> list[tuple[Any, str]]:
    owners: list[tuple[Any, str]] = [(None, measure.responsible_email)]
    overseer = measure.overseer
    if overseer is not None:
        owners.append((overseer.user, overseer.email or _email(overseer.user)))
    return owners


def _tell_owners(
    item: Measure | Decision,
    *,
    kind: str,
    owners: list[tuple[Any, str]],
    subject: str,
    text: str,
) -> int:
    told = 0
    seen: set[str] = set()
    for user, email in owners:
        address = (email or "").strip().lower()
        if not address or address in seen:
            continue
        seen.add(address)
        notification = notify(
            case=None,
            kind=f"roadmap.{kind}_overdue",
            subject=subject,
            text=text,
            recipient=user,
            email=address,
            dedupe_key=f"roadmap:{kind}:{item.pk}:overdue:{item.due_on:%Y-%m-%d}:{address}"[:200],
        )
        told += notification is not None
    return told
