"""Demo quality history: cases, ratings and complaints so that dashboards and public pages have
content, and Orenburg's reported results come out of the public metrics exactly.

Orenburg region reported («Орская газета»; catalogue/data/services.csv): teacher attestation
(`attest_ped`) down from 90 to 45 calendar days with the portal's share up from 21 % to 75 %, and
the regional «Ветеран труда» title (`veteran_truda_orb`) down from 37 to 15 working days. The
roadmap's KPIs are tied to these figures, so they are a contract (`REPORTED_RESULTS`): read
through `uslugi.quality.selectors.metrics` for region 56 and the service,

- the median processing time is exactly `median_before` in `BASELINE` and exactly
  `median_after` in any period of whole days from `REFORMED_FROM` on (e.g. 2025-01-01 to today,
  or the last 365 days), whatever day the demo is loaded on;
- the portal's share of applications received, rounded to whole percent, is `portal_before` in
  `BASELINE` and `portal_after` from `REFORMED_FROM` on.

How it holds without luck: the two services' cases are built decision day by decision day, in
blocks of five — one faster than the target, three exactly at it, one slower — so any union of
days has its median exactly at the target; between `BASELINE` and `REFORMED_FROM` the target
moves linearly (the reform). Channels are dealt by exact counts in order of receipt (a running
remainder, never a coin flip), so every run of days holds the share to within one application.
Some cases were suspended or waited for the applicant: those days are added to the span and not
to the processing time. Every other service gets the generic history of `generate_history`.

The same seed gives the same rows; `load_demo()` is idempotent (nothing is added when the demo
history exists). History starts on 2024-01-01, the first day of the shipped production calendar.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from uslugi.applications.generation import citizens
from uslugi.applications.models import Application, Case
from uslugi.applications.services import sla_state_of
from uslugi.applications.workflow import Status
from uslugi.catalogue.models import Channel, Service, TermKind
from uslugi.constructor import selectors as constructor_selectors
from uslugi.constructor import services as constructor_services
from uslugi.feedback.generation import generate_feedback
from uslugi.quality.generation import History, bulk_create_rows, generated_cases
from uslugi.quality.selectors import Period
from uslugi.quality.services import rebuild_rollups
from uslugi.workdays import selectors as workdays
from uslugi.workdays.calendar import ProductionCalendar
from uslugi.workdays.deadlines import DeadlineInputs, calculate_due_date
from uslugi.workdays.deadlines import Suspension as Stop

REPORTED_REGION = "56"
BASELINE = Period(date(2024, 1, 1), date(2024, 6, 30))
REFORMED_FROM = date(2025, 1, 1)


@dataclass(frozen=True)
class ReportedResult:
    term_kind: str
    term_before: int
    term_after: int
    median_before: int  # days, in the term's unit
    median_after: int
    portal_before: int  # percent of applications received, rounded
    portal_after: int


REPORTED_RESULTS = {
    "attest_ped": ReportedResult(TermKind.CALENDAR, 90, 45, 90, 45, 21, 75),
    "veteran_truda_orb": ReportedResult(TermKind.WORKING, 37, 15, 37, 15, 30, 62),
}

SEED = 56
TOKEN = "DEMO"  # in every generated number: "56-HDEMO-…" (background), "56-QDEMO-…" (reported)
BACKGROUND_CASES = 6000
HISTORY_STARTS = date(2024, 1, 1)
STOP_SHARE = 0.15
REFUSED_SHARE = 0.12
CITIZENS = 300
OTHER_CHANNELS = [Channel.MFC, Channel.MFC, Channel.IN_PERSON, Channel.MFC, Channel.MAIL]
ONE_DAY = timedelta(days=1)


def target_on(result: ReportedResult, day: date, field: str) -> float:
    """The reported figure on `day`: before until the baseline ends, after from the reform,
    moving linearly in between."""
    before, after = getattr(result, f"{field}_before"), getattr(result, f"{field}_after")
    if day <= BASELINE.last:
        return before
    if day >= REFORMED_FROM:
        return after
    progress = (day - BASELINE.last).days / (REFORMED_FROM - BASELINE.last).days
    return before + (after - before) * progress


@dataclass
class Planned:
    registered_on: date
    decided_on: date
    stops: list[tuple[str, date, date]]
    term: int


def _registration(
    calendar: ProductionCalendar, decided_on: date, days: int, working: bool, stop: Any
) -> tuple[date, list[tuple[str, date, date]]] | None:
    """The working day of registration that makes the case take exactly `days` (in its unit,
    the stop not counted) to `decided_on`; None before the calendar starts."""
    stops = [("suspension", *stop)] if stop else []
    day, counted = decided_on, 0
    while True:
        if day <= calendar.first_day:
            return None
        stopped = stop is not None and stop[0] <= day <= stop[1]
        if not stopped and (not working or calendar.is_working(day)):
            counted += 1
            if counted == days:
                break
        day -= ONE_DAY
    registered = day - ONE_DAY
    while not calendar.is_working(registered):
        registered -= ONE_DAY
        if registered <= calendar.first_day:
            return None
    if not working and registered + ONE_DAY < day:
        # Calendar days between a registration and the first counted day would count: the
        # applicant was asked for a document then, and the clock waited.
        stops.append(("awaiting_applicant", registered + ONE_DAY, day - ONE_DAY))
    return registered, stops


def plan_cases(
    result: ReportedResult, calendar: ProductionCalendar, today: date, rng: np.random.Generator
) -> list[Planned]:
    """Blocks of five decided cases per working day: one faster, three at the target, one
    slower; decisions after today stay open (in review)."""
    working = result.term_kind == TermKind.WORKING
    planned: list[Planned] = []
    last = min(today + timedelta(days=200), calendar.last_day)
    day = HISTORY_STARTS
    while day <= last:
        if calendar.is_working(day):
            target = round(target_on(result, day, "median"))
            term = result.term_before if day < REFORMED_FROM else result.term_after
            spread = max(2, target // 5)
            block = [
                target - int(rng.integers(1, spread + 1)),
                target,
                target,
                target,
                target + int(rng.integers(1, spread + 1)),
            ]
            cases: list[Planned] = []
            for days in block:
                stop = None
                if rng.random() < STOP_SHARE:
                    start = day - timedelta(days=int(rng.integers(1, max(2, days // 2))))
                    stop = (start - timedelta(days=int(rng.integers(0, 10))), start)
                found = _registration(calendar, day, days, working, stop)
                if found is None:
                    cases = []
                    break
                registered, stops = found
                cases.append(Planned(registered, day, stops, term))
            planned.extend(case for case in cases if case.registered_on <= today)
        day += ONE_DAY
    return planned


def deal_channels(received: list[date], result: ReportedResult) -> list[str]:
    """The portal for exactly the reported share of applications in order of receipt: a running
    remainder, so any run of consecutive days is within one application of the share."""
    channels, remainder, other = [], 0.0, 0
    for day in received:
        remainder += target_on(result, day, "portal") / 100
        if remainder >= 1:
            remainder -= 1
            channels.append(str(Channel.PORTAL))
        else:
            channels.append(str(OTHER_CHANNELS[other % len(OTHER_CHANNELS)]))
            other += 1
    return channels


def ensure_form_version(code: str) -> Any:
    """The version citizens apply under in region 56. The regional «Ветеран труда» title has no
    federal template in the constructor's demo (the title is the region's own), so the region's
    own form is published here through the constructor, once, with its reformed term."""
    service = Service.objects.select_related("region", "agency").get(
        region__code=REPORTED_REGION, code=code
    )
    version = constructor_selectors.version_in_force(service, on=REFORMED_FROM)
    if version is not None:
        return service, version
    from uslugi.constructor.demo import applicant_blocks, common_tail, local_section

    result = REPORTED_RESULTS[code]
    definition = {
        "schema_version": 1,
        "blocks": [
            *applicant_blocks(),
            local_section(),
            *common_tail(electronic=False, result_name="Удостоверение «Ветеран труда»"),
        ],
    }
    template_version = constructor_services.create_template(
        actor=None,
        code=code,
        name=service.name,
        description="Региональное звание; форма региона (демо).",
        definition=definition,
        max_term=result.term_before,
        term_kind=result.term_kind,
        max_applicant_documents=4,
        max_visits=1,
        required_channels=["portal"],
        proactive=False,
    )
    template_version = constructor_services.publish_template(
        version=template_version, actor=None, valid_from=HISTORY_STARTS
    )
    version = constructor_services.create_variant(
        template_version=template_version, region=service.region, service=service, actor=None
    )
    constructor_services.save_variant_draft(
        version=version,
        actor=None,
        revision=version.revision,
        term=result.term_after,
        channels=["in_person", "mail", "mfc", "portal"],
        visits=1,
        definition=definition,
    )
    constructor_services.publish_variant(version=version, actor=None, valid_from=HISTORY_STARTS)
    return service, constructor_selectors.version_in_force(service, on=REFORMED_FROM)


def _rows(
    service: Service,
    version: Any,
    result: ReportedResult,
    planned: list[Planned],
    people: list[tuple[int, str, str]],
    today: date,
    rng: np.random.Generator,
) -> list[Any]:
    calendar = workdays.get_calendar(service.region.code)
    planned.sort(key=lambda case: (case.registered_on, case.decided_on))
    channels = deal_channels([case.registered_on for case in planned], result)
    now = timezone.now()
    rows: list[Any] = []
    for index, (case, channel) in enumerate(zip(planned, channels, strict=True)):
        person, name, email = people[int(rng.integers(0, len(people)))]
        number = f"{REPORTED_REGION}-QDEMO-{service.code[:6]}-{index:06d}"
        received = datetime.combine(case.registered_on, time(7), tzinfo=UTC)
        is_open = case.decided_on > today
        stops = [] if is_open else case.stops
        status = Status.IN_REVIEW if is_open else Status.APPROVED
        if not is_open and rng.random() < REFUSED_SHARE:
            status = Status.REFUSED
        due = calculate_due_date(
            calendar,
            DeadlineInputs(
                received=received,
                term=case.term,
                kind=TermKind(result.term_kind),
                suspensions=tuple(Stop(start, end) for _kind, start, end in stops),
            ),
        ).due_date
        application = {
            "number": number,
            "version_id": version.pk,
            "service_id": service.pk,
            "region_id": service.region_id,
            "applicant_id": person,
            "applicant_name": name,
            "applicant_email": email,
            "submitted_by_id": person,
            "channel": channel,
            "answers": {},
            "received_at": received,
            "idempotency_key": f"quality-demo:{number}",
            "created_at": now,
        }
        decided_at = datetime.combine(case.decided_on, time(9), tzinfo=UTC)
        row = {
            "agency_id": version.agency_id,
            "region_id": service.region_id,
            "service_id": service.pk,
            "status": status,
            "term": case.term,
            "term_kind": result.term_kind,
            "registered_on": case.registered_on,
            "due_date": due,
            "decided_at": None if is_open else decided_at,
            "decision_text": "" if is_open else "Решение принято",
            "created_at": now,
            "updated_at": now,
        }
        suspensions = [
            {"kind": kind, "starts_on": start, "ends_on": end, "reason": ""}
            for kind, start, end in stops
        ]
        rows.append((application, row, suspensions, []))
    return rows


def _mark_deadlines(today: date) -> None:
    """Open demo cases carry the deadline state the hourly sweep would give them."""
    for case in Case.objects.filter(
        application__number__contains="DEMO-", status=Status.IN_REVIEW
    ).select_related("region"):
        state = sla_state_of(case, today)
        if state != case.sla_state:
            Case.objects.filter(pk=case.pk).update(sla_state=state)


@transaction.atomic
def load_demo() -> dict[str, int]:
    if Application.objects.filter(idempotency_key__startswith="quality-demo:").exists():
        return {"cases": 0, "ratings": 0, "complaints": 0}
    if not Service.objects.filter(region__code=REPORTED_REGION).exists():
        return {"cases": 0, "ratings": 0, "complaints": 0}
    today = timezone.localdate()
    rng = np.random.default_rng(SEED)
    people = citizens(CITIZENS, SEED)
    reported_ids = []
    total = 0
    for code, result in REPORTED_RESULTS.items():
        service, version = ensure_form_version(code)
        reported_ids.append(service.pk)
        calendar = workdays.get_calendar(REPORTED_REGION)
        planned = plan_cases(result, calendar, today, rng)
        rows = _rows(service, version, result, planned, people, today, rng)
        bulk_create_rows(rows)
        total += len(rows)
    history = History(
        days=(today - HISTORY_STARTS).days,
        improved_on=REFORMED_FROM,
        seed=SEED,
        exclude=tuple(reported_ids),
        token=TOKEN,
    )
    for start in range(0, BACKGROUND_CASES, 2000):
        bulk_create_rows(list(history.rows(start, min(2000, BACKGROUND_CASES - start), None)))
    total += BACKGROUND_CASES
    feedback = generate_feedback(
        generated_cases(Case.objects.filter(application__number__contains="DEMO-")),
        today=today,
        seed=SEED,
    )
    _mark_deadlines(today)
    rebuild_rollups()
    return {"cases": total, "ratings": feedback["ratings"], "complaints": feedback["complaints"]}
