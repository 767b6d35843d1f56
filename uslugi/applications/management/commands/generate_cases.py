"""Generate realistic applications and cases for one agency of a region, fast (for benchmarks).

    manage.py generate_cases --count 10000000 --region 56 --agency sfr-56

Each application is filed under a variant version in force of one of the agency's services, by one
of a pool of generated citizens, received on a working day of the last four months; its case has
that version's term and the due date from the region's production calendar (the bulk path of
`uslugi.workdays`). Statuses are mixed as in a working office: older cases are mostly decided,
recent ones open; the deadline state follows the due date. No history rows are written.

On PostgreSQL rows go in by COPY (ids reserved from the sequences up front, so run it alone); on
other databases through `bulk_create` in batches (small counts, tests).
"""

import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from uslugi.applications.generation import (
    Answers,
    citizens,
    columns_of,
    copy_line,
    copy_lines,
    reserve_ids,
)
from uslugi.applications.models import Application, Case, SlaState
from uslugi.applications.workflow import CLOCK_STOPPED, FINAL, Status
from uslugi.catalogue import selectors as catalogue_selectors
from uslugi.catalogue.models import Channel, Service
from uslugi.constructor import selectors as constructor_selectors
from uslugi.constructor.models import VariantVersion
from uslugi.workdays import selectors as workdays
from uslugi.workdays.bulk import BulkCalendars, calculate_due_dates

DAYS_BACK = 120
# (status, weight among recent cases, weight among old cases): old cases are mostly decided.
STATUS_MIX = [
    (Status.SUBMITTED, 20, 1),
    (Status.REGISTERED, 15, 1),
    (Status.IN_REVIEW, 35, 3),
    (Status.SUSPENDED, 5, 2),
    (Status.AWAITING_APPLICANT, 5, 2),
    (Status.APPROVED, 10, 65),
    (Status.REFUSED, 5, 15),
    (Status.REFUSED_TO_ACCEPT, 2, 5),
    (Status.WITHDRAWN, 3, 6),
]
CHANNELS = [Channel.PORTAL] * 7 + [Channel.MFC] * 2 + [Channel.IN_PERSON]


class Command(BaseCommand):
    help = "Generate realistic applications and cases for one agency of a region."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--region", required=True, help="region code, e.g. 56")
        parser.add_argument("--agency", required=True, help="agency code, e.g. sfr-56")
        parser.add_argument("--batch", type=int, default=200_000)
        parser.add_argument("--citizens", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        count = int(options["count"])
        if count < 1:
            raise CommandError("--count must be at least 1.")
        agency = catalogue_selectors.get_agency(options["agency"])
        if agency.region.code != options["region"]:
            raise CommandError(f"Agency {agency.code} is not of region {options['region']}.")
        versions = _versions_of(agency)
        if not versions:
            raise CommandError(f"No service of {agency.code} has a form version in force.")
        started = time.perf_counter()
        generator = _Generator(
            agency=agency,
            versions=versions,
            citizens=citizens(options["citizens"], options["seed"]),
            seed=options["seed"],
        )
        write = _copy if connection.vendor == "postgresql" else _bulk_create
        write(generator, count, max(1, int(options["batch"])), self.stdout)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {Application._meta.db_table}")
                cursor.execute(f"ANALYZE {Case._meta.db_table}")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Generated {count} applications and cases for {agency.code} in {elapsed:.1f} s "
            f"({count / elapsed:,.0f} rows/s each)."
        )


def _versions_of(agency: Any) -> list[VariantVersion]:
    versions = []
    for service in Service.objects.filter(agency=agency, region=agency.region):
        version = constructor_selectors.version_in_force(service)
        if version is not None and version.term and version.agency_id == agency.pk:
            versions.append(version)
    return versions


class _Generator:
    """Batches of column arrays; the same seed gives the same rows."""

    def __init__(
        self,
        *,
        agency: Any,
        versions: list[VariantVersion],
        citizens: list[tuple[int, str, str]],
        seed: int,
    ) -> None:
        self.agency = agency
        self.region = agency.region
        self.versions = versions
        self.citizens = citizens
        self.rng = np.random.default_rng(seed)
        self.token = uuid.uuid4().hex[:5].upper()
        self.today = timezone.localdate()
        calendar = workdays.get_calendar(self.region.code)
        self.calendars = BulkCalendars.from_calendars([calendar])
        first = max(self.today - timedelta(days=DAYS_BACK), calendar.first_day)
        self.days = np.array(
            [
                np.datetime64(day)
                for offset in range((self.today - first).days + 1)
                if calendar.is_working(day := first + timedelta(days=offset))
            ],
            dtype="datetime64[D]",
        )
        self.terms = np.array([version.term for version in versions], dtype=np.int64)
        self.calendar_kind = np.array([v.term_kind == "calendar" for v in versions], dtype=bool)
        self.answers = [
            Answers(
                last_name=name.split()[0],
                first_name=name.split()[1],
                email=email,
                snils="112-233-445 95",
            )
            for _, name, email in citizens
        ]
        recent = np.array([weight for _, weight, _ in STATUS_MIX], dtype=float)
        old = np.array([weight for _, _, weight in STATUS_MIX], dtype=float)
        self.recent_mix, self.old_mix = recent / recent.sum(), old / old.sum()
        self.statuses = [str(status) for status, _, _ in STATUS_MIX]

    def batch(self, start: int, size: int) -> dict[str, Any]:
        rng = self.rng
        day_index = rng.integers(0, len(self.days), size)
        registered = self.days[day_index]
        version_index = rng.integers(0, len(self.versions), size)
        due = calculate_due_dates(
            self.calendars,
            np.zeros(size, dtype=np.uint8),
            registered,
            self.terms[version_index],
            self.calendar_kind[version_index],
        )
        age = (np.datetime64(self.today) - registered).astype(np.int64)
        old = age > self.terms[version_index]
        status_index = np.where(
            old,
            rng.choice(len(self.statuses), size, p=self.old_mix),
            rng.choice(len(self.statuses), size, p=self.recent_mix),
        )
        seconds = rng.integers(6 * 3600, 15 * 3600, size)  # 9:00–18:00 in Moscow time, in UTC
        return {
            "numbers": [
                f"{self.region.code}-G{self.token}-{index:011d}"
                for index in range(start, start + size)
            ],
            "registered": registered.tolist(),
            "due": due.tolist(),
            "seconds": seconds.tolist(),
            "version": version_index.tolist(),
            "citizen": rng.integers(0, len(self.citizens), size).tolist(),
            "status": [self.statuses[index] for index in status_index.tolist()],
            "channel": [CHANNELS[index] for index in rng.integers(0, len(CHANNELS), size)],
        }

    def rows(
        self, start: int, size: int, first_id: int | None
    ) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
        """(application fields, case fields) of one batch; ids given when `first_id` is."""
        data = self.batch(start, size)
        now = timezone.now()
        for offset in range(size):
            version = self.versions[data["version"][offset]]
            citizen_id, name, email = self.citizens[data["citizen"][offset]]
            registered: date = data["registered"][offset]
            due: date = data["due"][offset]
            received = datetime(
                registered.year, registered.month, registered.day, tzinfo=UTC
            ) + timedelta(seconds=data["seconds"][offset])
            status = data["status"][offset]
            decided = status in {Status.APPROVED, Status.REFUSED}
            row_id = first_id + offset if first_id is not None else None
            application = {
                "id": row_id,
                "number": data["numbers"][offset],
                "version_id": version.pk,
                "service_id": version.variant.service_id,
                "region_id": self.region.pk,
                "applicant_id": citizen_id,
                "applicant_name": name,
                "applicant_email": email,
                "submitted_by_id": citizen_id,
                "channel": data["channel"][offset],
                "answers": self.answers[data["citizen"][offset]],
                "received_at": received,
                "idempotency_key": f"generated:{data['numbers'][offset]}",
                "created_at": now,
            }
            case = {
                "id": row_id,
                "application_id": row_id,
                "agency_id": self.agency.pk,
                "region_id": self.region.pk,
                "service_id": version.variant.service_id,
                "status": status,
                "term": version.term,
                "term_kind": version.term_kind,
                "registered_on": registered,
                "due_date": due,
                "sla_state": _sla_state(status, due, self.today),
                "decided_at": received + timedelta(days=(due - registered).days)
                if decided
                else None,
                "decision_text": "Решение принято" if decided else "",
                "created_at": now,
                "updated_at": now,
            }
            yield application, case


def _sla_state(status: str, due: date, today: date) -> str:
    if status in FINAL or status in CLOCK_STOPPED:
        return SlaState.ON_TIME
    if due < today:
        return SlaState.OVERDUE
    if (due - today).days <= 3:
        return SlaState.AT_RISK
    return SlaState.ON_TIME


def _bulk_create(generator: _Generator, count: int, batch: int, stdout: Any) -> None:
    for start in range(0, count, batch):
        size = min(batch, count - start)
        pairs = list(generator.rows(start, size, None))
        with transaction.atomic():
            applications = Application.objects.bulk_create(
                [Application(**{k: v for k, v in a.items() if k != "id"}) for a, _ in pairs]
            )
            Case.objects.bulk_create(
                [
                    Case(
                        **{
                            **{k: v for k, v in c.items() if k not in {"id", "application_id"}},
                            "application_id": application.pk,
                        }
                    )
                    for application, (_, c) in zip(applications, pairs, strict=True)
                ]
            )
        stdout.write(f"  {start + size} / {count}")


# COPY on PostgreSQL ------------------------------------------------------------------------------


def _copy(generator: _Generator, count: int, batch: int, stdout: Any) -> None:
    first_id = reserve_ids(count)
    application_columns = columns_of(Application)
    case_columns = columns_of(Case)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        for start in range(0, count, batch):
            size = min(batch, count - start)
            applications: list[str] = []
            cases: list[str] = []
            for application, case in generator.rows(start, size, first_id + start):
                applications.append(copy_line(application_columns, application))
                cases.append(copy_line(case_columns, case))
            copy_lines(raw, Application, application_columns, applications)
            copy_lines(raw, Case, case_columns, cases)
            done = start + size
            rate = done / (time.perf_counter() - started)
            stdout.write(f"  {done:,} / {count:,} ({rate:,.0f} rows/s)")
