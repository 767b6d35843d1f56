"""Generated history of cases for the demo, the tests and the benchmarks (see generate_history).

Cases of every service with a form version in force, in every region, received on working days
with a yearly season (more in spring, fewer in midsummer); the portal's share of applications rises
from 45 % to 80 % over the history; processing takes 60–130 % of the term before the improvement
date and 30–90 % after it. One decided case in eight was suspended and one in twelve waited for
the applicant (stops of 1–15 days, the decision moved by as much). Some are refused to accept or
withdrawn (with the closing event), most approved, some refused; cases whose decision would fall
after today are open, in review. Due dates come from the region's calendar (the bulk path of
`uslugi.workdays`, stops included).
"""

import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from uslugi.applications.generation import citizens, columns_of, copy_line, copy_lines, reserve_ids
from uslugi.applications.models import Application, Case, CaseEvent, Suspension
from uslugi.applications.workflow import Status
from uslugi.catalogue.models import Channel, Region, Service
from uslugi.constructor import selectors as constructor_selectors
from uslugi.feedback.generation import GeneratedCase
from uslugi.workdays import selectors as workdays
from uslugi.workdays.bulk import BulkCalendars, calculate_due_dates

OTHER_CHANNELS = [Channel.MFC] * 6 + [Channel.IN_PERSON] * 3 + [Channel.MAIL]
STOP_KINDS = ["suspension", "awaiting_applicant"]


class History:
    """Batches of generated cases; the same seed gives the same rows."""

    def __init__(
        self,
        *,
        days: int,
        improved_on: date | None,
        seed: int,
        exclude: tuple[int, ...] = (),
        token: str = "",
    ) -> None:
        self.rng = np.random.default_rng(seed)
        self.seed = seed
        self.today = timezone.localdate()
        self.improved_on = improved_on or self.today - timedelta(days=days // 2)
        self.versions = []
        services = Service.objects.exclude(pk__in=exclude).select_related("region").order_by("pk")
        for service in services:
            version = constructor_selectors.version_in_force(service)
            if version is not None and version.term and version.agency_id:
                self.versions.append((service, version))
        if not self.versions:
            raise CommandError("No service has a form version in force with a term.")
        regions = list(Region.objects.order_by("pk"))
        calendars = [workdays.get_calendar(region.code) for region in regions]
        self.region_index = {region.pk: index for index, region in enumerate(regions)}
        self.bulk = BulkCalendars.from_calendars(calendars)
        first = max(self.today - timedelta(days=days), calendars[0].first_day)
        span = (self.today - first).days + 1
        all_days = np.datetime64(first) + np.arange(span).astype("timedelta64[D]")
        # Working days of each version's region, weighted by the season.
        self.days: list[np.ndarray] = []
        self.weights: list[np.ndarray] = []
        for service, _version in self.versions:
            calendar = calendars[self.region_index[service.region_id]]
            offset = (first - calendar.first_day).days
            flags = np.frombuffer(calendar.working_flags, dtype=np.uint8)[offset : offset + span]
            chosen = all_days[flags.astype(bool)]
            day_of_year = (chosen - chosen.astype("datetime64[Y]")).astype(np.int64)
            weight = 1 + 0.35 * np.cos(2 * np.pi * (day_of_year - 90) / 365)
            self.days.append(chosen)
            self.weights.append(weight / weight.sum())
        self.first = np.datetime64(first)
        self.span = span
        self.citizens = citizens(200, seed)
        # Numbers differ between runs unless a token is given (the demo's numbers are fixed).
        self.token = token or f"{seed:04d}{int(time.time()) % 100000:05d}"

    def batch(self, start: int, size: int) -> dict[str, Any]:
        rng = self.rng
        version = rng.integers(0, len(self.versions), size)
        registered = np.empty(size, dtype="datetime64[D]")
        for index in range(len(self.versions)):
            mask = version == index
            registered[mask] = rng.choice(self.days[index], int(mask.sum()), p=self.weights[index])
        progress = (registered - self.first).astype(np.int64) / max(self.span - 1, 1)
        portal = rng.random(size) < 0.45 + 0.35 * progress
        channel = np.where(
            portal,
            str(Channel.PORTAL),
            np.array([str(c) for c in OTHER_CHANNELS])[rng.integers(0, len(OTHER_CHANNELS), size)],
        )
        terms = np.array([v.term for _, v in self.versions], dtype=np.int64)[version]
        calendar_kind = np.array([v.term_kind == "calendar" for _, v in self.versions])[version]
        improved = registered >= np.datetime64(self.improved_on)
        factor = np.where(improved, rng.uniform(0.3, 0.9, size), rng.uniform(0.6, 1.3, size))
        elapsed = np.maximum(1, np.round(terms * factor * np.where(calendar_kind, 1, 1.4)))
        elapsed = elapsed.astype(np.int64)
        draw = rng.random(size)
        has_stop = draw < 0.2
        stop_kind = (draw >= 0.125).astype(np.int64)  # below: suspension; above: awaiting
        stop_start = registered + rng.integers(1, np.maximum(elapsed, 1) + 1).astype(
            "timedelta64[D]"
        )
        stop_length = rng.integers(1, 16, size)
        elapsed = elapsed + np.where(has_stop, stop_length, 0)
        decided = registered + elapsed.astype("timedelta64[D]")
        today = np.datetime64(self.today)
        is_open = decided > today
        has_stop &= ~is_open
        outcome = rng.random(size)
        status = np.where(
            outcome < 0.06,
            str(Status.REFUSED_TO_ACCEPT),
            np.where(
                outcome < 0.10,
                str(Status.WITHDRAWN),
                np.where(outcome < 0.24, str(Status.REFUSED), str(Status.APPROVED)),
            ),
        ).astype(object)
        not_decided = np.isin(status, [Status.REFUSED_TO_ACCEPT, Status.WITHDRAWN])
        has_stop &= ~not_decided
        close_after = np.where(
            status == Status.REFUSED_TO_ACCEPT,
            rng.integers(0, 5, size),
            rng.integers(0, np.maximum(elapsed, 1)),
        )
        closed = np.minimum(registered + close_after.astype("timedelta64[D]"), today)
        status[is_open] = str(Status.IN_REVIEW)
        stop_end = stop_start + (stop_length - 1).astype("timedelta64[D]")
        starts = np.where(has_stop, stop_start, np.datetime64("NaT")).reshape(size, 1)
        ends = np.where(has_stop, stop_end, np.datetime64("NaT")).reshape(size, 1)
        regions = np.array(
            [self.region_index[s.region_id] for s, _ in self.versions], dtype=np.uint8
        )[version]
        due = calculate_due_dates(
            self.bulk,
            regions,
            registered,
            terms,
            calendar_kind,
            suspension_starts=starts.astype("datetime64[D]"),
            suspension_ends=ends.astype("datetime64[D]"),
        )
        return {
            "version": version.tolist(),
            "registered": registered.tolist(),
            "seconds": rng.integers(6 * 3600, 15 * 3600, size).tolist(),
            "channel": channel.tolist(),
            "status": status.tolist(),
            "decided": decided.tolist(),
            "closed": closed.tolist(),
            "due": due.tolist(),
            "has_stop": has_stop.tolist(),
            "stop_kind": stop_kind.tolist(),
            "stop_start": stop_start.tolist(),
            "stop_end": stop_end.tolist(),
            "citizen": rng.integers(0, len(self.citizens), size).tolist(),
        }

    def rows(self, start: int, size: int, first_id: int | None) -> Any:
        """(application, case, stops, events) field dicts of one batch."""
        data = self.batch(start, size)
        now = timezone.now()
        for offset in range(size):
            service, version = self.versions[data["version"][offset]]
            citizen_id, name, email = self.citizens[data["citizen"][offset]]
            registered: date = data["registered"][offset]
            received = datetime(
                registered.year, registered.month, registered.day, tzinfo=UTC
            ) + timedelta(seconds=data["seconds"][offset])
            status = data["status"][offset]
            is_decided = status in (Status.APPROVED, Status.REFUSED)
            decided: date = data["decided"][offset]
            row_id = first_id + offset if first_id is not None else None
            number = f"{service.region.code}-H{self.token}-{start + offset:011d}"
            application = {
                "id": row_id,
                "number": number,
                "version_id": version.pk,
                "service_id": service.pk,
                "region_id": service.region_id,
                "applicant_id": citizen_id,
                "applicant_name": name,
                "applicant_email": email,
                "submitted_by_id": citizen_id,
                "channel": data["channel"][offset],
                "answers": {},
                "received_at": received,
                "idempotency_key": f"history:{number}",
                "created_at": now,
            }
            case = {
                "id": row_id,
                "application_id": row_id,
                "agency_id": version.agency_id,
                "region_id": service.region_id,
                "service_id": service.pk,
                "status": status,
                "term": version.term,
                "term_kind": version.term_kind,
                "registered_on": registered,
                "due_date": data["due"][offset],
                "decided_at": datetime(decided.year, decided.month, decided.day, 9, tzinfo=UTC)
                if is_decided
                else None,
                "decision_text": "Решение принято" if is_decided else "",
                "created_at": now,
                "updated_at": now,
            }
            stops = []
            if data["has_stop"][offset]:
                stops.append(
                    {
                        "case_id": row_id,
                        "kind": STOP_KINDS[data["stop_kind"][offset]],
                        "starts_on": data["stop_start"][offset],
                        "ends_on": data["stop_end"][offset],
                        "reason": "",
                    }
                )
            events = []
            if status in (Status.REFUSED_TO_ACCEPT, Status.WITHDRAWN):
                closed: date = data["closed"][offset]
                events.append(
                    {
                        "case_id": row_id,
                        "kind": "transition",
                        "source": str(Status.SUBMITTED),
                        "target": status,
                        "occurred_at": datetime(
                            closed.year, closed.month, closed.day, 9, tzinfo=UTC
                        ),
                        "data": {},
                        "reason": "",
                    }
                )
            yield application, case, stops, events


def generated_cases(cases: Any) -> list[GeneratedCase]:
    """What the feedback generator needs of the cases, their closing days included."""
    closings = dict(
        CaseEvent.objects.filter(
            case__in=cases,
            kind="transition",
            target__in=[Status.REFUSED_TO_ACCEPT, Status.WITHDRAWN],
        ).values_list("case_id", "occurred_at")
    )
    rows = []
    for case in cases.select_related("application", "region").order_by("pk"):
        moment = case.decided_at or closings.get(case.pk)
        closed_on = timezone.localdate(moment) if moment else None
        decided = case.status in (Status.APPROVED, Status.REFUSED)
        rows.append(
            GeneratedCase(
                id=case.pk,
                applicant_id=case.application.applicant_id,
                service_id=case.service_id,
                region_code=case.region.code,
                closed_on=closed_on,
                decided=decided,
                refused=case.status in (Status.REFUSED, Status.REFUSED_TO_ACCEPT),
                late=decided and closed_on is not None and closed_on > case.due_date,
            )
        )
    return rows


def bulk_create_history(history: History, count: int, batch: int) -> None:
    for start in range(0, count, batch):
        size = min(batch, count - start)
        bulk_create_rows(list(history.rows(start, size, None)))


def bulk_create_rows(rows: list[Any]) -> None:
    """(application, case, stops, events) field dicts through the ORM, in one transaction."""
    with transaction.atomic():
        applications = Application.objects.bulk_create(
            [Application(**{k: v for k, v in a.items() if k != "id"}) for a, *_ in rows]
        )
        cases = Case.objects.bulk_create(
            [
                Case(
                    **{k: v for k, v in c.items() if k not in {"id", "application_id"}},
                    application_id=application.pk,
                )
                for application, (_, c, _s, _e) in zip(applications, rows, strict=True)
            ]
        )
        Suspension.objects.bulk_create(
            [
                Suspension(**{**stop, "case_id": case.pk})
                for case, (_, _c, stops, _e) in zip(cases, rows, strict=True)
                for stop in stops
            ]
        )
        events, moments = [], []
        for case, (_, _c, _s, case_events) in zip(cases, rows, strict=True):
            for event in case_events:
                events.append(CaseEvent(**{**event, "case_id": case.pk}))
                moments.append(event["occurred_at"])
        created = CaseEvent.objects.bulk_create(events)
        # occurred_at is auto_now_add (bulk_create overwrites it): put the generated moment back.
        for event, moment in zip(created, moments, strict=True):
            event.occurred_at = moment
        CaseEvent.objects.bulk_update(created, ["occurred_at"], batch_size=2000)


def copy_history(history: History, count: int, batch: int) -> None:
    first_id = reserve_ids(count)
    columns = {
        model: [c for c in columns_of(model) if model in (Application, Case) or c[0] != "id"]
        for model in (Application, Case, Suspension, CaseEvent)
    }
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        for start in range(0, count, batch):
            size = min(batch, count - start)
            lines: dict[Any, list[str]] = {model: [] for model in columns}
            for application, case, stops, events in history.rows(start, size, first_id + start):
                lines[Application].append(copy_line(columns[Application], application))
                lines[Case].append(copy_line(columns[Case], case))
                for stop in stops:
                    lines[Suspension].append(copy_line(columns[Suspension], stop))
                for event in events:
                    lines[CaseEvent].append(copy_line(columns[CaseEvent], event))
            for model, model_lines in lines.items():
                if model_lines:
                    copy_lines(raw, model, columns[model], model_lines)
