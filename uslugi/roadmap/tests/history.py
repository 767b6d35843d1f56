"""A small fixed history of decided cases whose metrics are Orenburg's reported results.

Region 56: teacher attestation (`attest_ped`, calendar days) takes a median of 90 days with 21 %
of applications via the portal in 2024-01-01 … 2024-06-30 and 45 days with 75 % in 2025;
«Ветеран труда Оренбургской области» (`veteran_truda_orb`, working days) 37 and then 15.
400 cases, written in bulk, then the rollups rebuilt (the quality app's bulk path).

Where the quality app's demo history is already loaded (it promises the same figures),
`build_reported_history` adds nothing, so the same tests hold before and after that merge.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from uslugi.applications.generation import citizens
from uslugi.applications.models import Application, Case
from uslugi.applications.workflow import Status
from uslugi.catalogue.models import Channel, Service, TermKind
from uslugi.constructor import selectors as constructor
from uslugi.constructor.factories import RegionalVariantFactory, VariantVersionFactory
from uslugi.constructor.models import VariantVersion
from uslugi.quality import selectors as quality
from uslugi.quality import services as rollups
from uslugi.workdays import selectors as workdays

BASELINE = quality.Period(date(2024, 1, 1), date(2024, 6, 30))
CURRENT_FROM = date(2025, 1, 1)


@dataclass(frozen=True)
class Cohort:
    """100 cases registered on working days from `first`: (cases, days) and portal count."""

    service: str
    first: date
    durations: tuple[tuple[int, int], ...]
    portal: int


COHORTS = (
    # Nearest-rank median of 100 cases is the 50th: 30 + 30 puts it in the middle group.
    Cohort("attest_ped", date(2024, 1, 15), ((30, 80), (30, 90), (40, 100)), portal=21),
    Cohort("attest_ped", date(2025, 2, 3), ((30, 40), (30, 45), (40, 50)), portal=75),
    Cohort("veteran_truda_orb", date(2024, 1, 15), ((30, 30), (30, 37), (40, 45)), portal=30),
    Cohort("veteran_truda_orb", date(2025, 2, 3), ((30, 10), (30, 15), (40, 20)), portal=60),
)


def _version(service: Service) -> VariantVersion:
    version = constructor.version_in_force(service, on=date(2024, 1, 1))
    if version is not None:
        return version
    standard = {"attest_ped": (90, TermKind.CALENDAR)}.get(service.code, (15, TermKind.WORKING))
    created: VariantVersion = VariantVersionFactory.create(
        published=True,
        valid_from=date(2023, 1, 1),
        variant=RegionalVariantFactory(region=service.region, service=service),
        agency=service.agency,
        term=standard[0],
        term_kind=standard[1],
    )
    return created


def already_loaded() -> bool:
    """The quality demo's history (or an earlier call) already covers the baseline period."""
    service = Service.objects.get(region__code="56", code="attest_ped")
    filters = quality.Filters(services=(service.pk,))
    return quality.metrics(filters, BASELINE).decided > 0


def build_reported_history() -> int:
    """Write the cohorts' cases and rebuild the rollups; how many cases were added."""
    if already_loaded():
        return 0
    calendar = workdays.get_calendar("56")
    (citizen_id, name, email), *_rest = citizens(1, seed=56)
    applications: list[Application] = []
    cases: list[Case] = []
    for cohort_index, cohort in enumerate(COHORTS):
        service = Service.objects.select_related("region").get(
            region__code="56", code=cohort.service
        )
        version = _version(service)
        working = version.term_kind == TermKind.WORKING
        day = cohort.first - timedelta(days=1)
        index = 0
        for count, days in cohort.durations:
            for _case in range(count):
                day = calendar.next_working_day(day) if index % 4 == 0 else day
                decided = calendar.add_working_days(day, days) if working else day + timedelta(days)
                number = f"56-R{cohort_index}-{index:04d}"
                applications.append(
                    Application(
                        number=number,
                        version=version,
                        service=service,
                        region=service.region,
                        applicant_id=citizen_id,
                        applicant_name=name,
                        applicant_email=email,
                        submitted_by_id=citizen_id,
                        channel=Channel.PORTAL if index < cohort.portal else Channel.MFC,
                        received_at=datetime(day.year, day.month, day.day, 6, tzinfo=UTC),
                        idempotency_key=f"reported:{number}",
                    )
                )
                cases.append(
                    Case(
                        agency_id=version.agency_id,
                        region=service.region,
                        service=service,
                        status=Status.APPROVED,
                        term=version.term,
                        term_kind=version.term_kind,
                        registered_on=day,
                        due_date=calendar.add_working_days(day, version.term)
                        if working
                        else day + timedelta(days=version.term),
                        decided_at=datetime(
                            decided.year, decided.month, decided.day, 9, tzinfo=UTC
                        ),
                        decision_text="Решение принято",
                    )
                )
                index += 1
    created = Application.objects.bulk_create(applications)
    for application, case in zip(created, cases, strict=True):
        case.application = application
    Case.objects.bulk_create(cases)
    rollups.rebuild_rollups()
    return len(cases)
