"""The archive of closed cases: a rebuild from blocks equals one from the cases table, always."""

from datetime import date, timedelta
from typing import Any

import polars as pl
import pytest
from django.core.management import call_command
from django.db import transaction

from uslugi.applications.models import Application, Case, CaseEvent, Suspension
from uslugi.applications.workflow import FINAL, Status
from uslugi.catalogue.demo import load_demo as load_catalogue
from uslugi.catalogue.models import Channel
from uslugi.constructor.demo import load_demo as load_constructor
from uslugi.core import scheduler
from uslugi.feedback.models import Complaint, Rating
from uslugi.quality import archive, services
from uslugi.quality.models import (
    COUNTS,
    ArchiveBlock,
    DailyRollup,
    MonthlyBucket,
    MonthlyRollup,
    ProcessingBucket,
)


@pytest.fixture
def unarchived(db: None) -> None:
    """Generated history with ratings and complaints, every case still read live."""
    load_catalogue()
    load_constructor()
    call_command(
        "generate_history",
        count=1200,
        days=300,
        batch=1200,
        seed=5,
        with_feedback=True,
        no_archive=True,
        verbosity=0,
    )


def _rows() -> tuple[list[tuple[Any, ...]], ...]:
    key = ["day", "service_id", "region_id", "agency_id", "channel", "term_kind"]
    return tuple(
        sorted(model.objects.values_list(*key, *COUNTS)) for model in (DailyRollup, MonthlyRollup)
    ) + tuple(
        sorted(model.objects.values_list(*key, "days", "count"))
        for model in (ProcessingBucket, MonthlyBucket)
    )


class _Undo(Exception):
    pass


def _rebuilt_live() -> tuple[list[tuple[Any, ...]], ...]:
    """The rollups rebuilt with every case read from the cases table, as if never archived."""
    try:
        with transaction.atomic():
            ArchiveBlock.objects.all().delete()
            Case.objects.update(archive_block=None)
            services.rebuild_rollups()
            rows = _rows()
            raise _Undo
    except _Undo:
        return rows


def _archived_ids() -> list[int]:
    ids: list[int] = []
    for block in ArchiveBlock.objects.all():
        ids.extend(archive.Facts.unpack(block.cases, block.keys, block.stops).cases["id"])
    return ids


def test_archiving_seals_every_closed_case_once_and_changes_no_rollup(unarchived: None) -> None:
    # given rollups rebuilt from the cases table
    services.rebuild_rollups()
    live = _rows()
    closed = set(Case.objects.filter(status__in=FINAL).values_list("pk", flat=True))
    assert 0 < len(closed) < Case.objects.count()
    # when the closed cases are archived in small blocks
    assert archive.archive_closed_cases(block_size=250) == len(closed)
    # then each closed case is in exactly one block, which it names, and open ones in none
    assert ArchiveBlock.objects.count() == -(-len(closed) // 250)
    ids = _archived_ids()
    assert sorted(ids) == sorted(closed)
    for block in ArchiveBlock.objects.all():
        rows = archive.Facts.unpack(block.cases, block.keys, block.stops).cases["id"].to_list()
        assert set(Case.objects.filter(archive_block=block.pk).values_list("pk", flat=True)) == set(
            rows
        )
    assert set(Case.objects.filter(archive_block__isnull=True).values_list("pk", flat=True)) == (
        set(Case.objects.values_list("pk", flat=True)) - closed
    )
    # and a rebuild from the blocks counts exactly what the live rebuild did
    counted = services.rebuild_rollups()
    assert counted["cases"] == Case.objects.count()
    assert _rows() == live
    # and archiving again finds nothing more
    assert archive.archive_closed_cases() == 0


def test_a_changed_archived_case_is_read_live_and_rearchived_without_its_stale_row(
    unarchived: None,
) -> None:
    archive.archive_closed_cases(block_size=300)
    decided = list(
        Case.objects.filter(status=Status.APPROVED, archive_block__isnull=False)
        .select_related("application")
        .order_by("pk")[:4]
    )
    withdrawn = Case.objects.filter(
        status__in=[Status.WITHDRAWN, Status.REFUSED_TO_ACCEPT], archive_block__isnull=False
    ).first()
    assert len(decided) == 4
    assert withdrawn is not None
    # when facts of archived cases change by every route the archive listens to
    first, second, third, fourth = decided
    assert first.decided_at is not None
    first.decided_at += timedelta(days=3)  # a corrected decision date, through save()
    first.save()
    Suspension.objects.create(  # a stop added without the case at hand
        case_id=second.pk,
        kind="suspension",
        starts_on=second.registered_on + timedelta(days=1),
        ends_on=second.registered_on + timedelta(days=2),
    )
    application = third.application
    application.channel = Channel.MAIL if application.channel != Channel.MAIL else Channel.MFC
    application.save()
    CaseEvent.objects.filter(case=withdrawn, target=withdrawn.status).delete()
    # then those cases are no longer archived
    for case in (first, second, third, withdrawn):
        assert Case.objects.get(pk=case.pk).archive_block is None
    assert Case.objects.get(pk=fourth.pk).archive_block is not None
    # and a rebuild counts them as they are now, like a rebuild from the cases table
    services.rebuild_rollups()
    assert _rows() == _rebuilt_live()
    # when they are archived again, their stale rows leave the old blocks
    assert archive.archive_closed_cases() == 4
    ids = _archived_ids()
    assert len(ids) == len(set(ids)) == Case.objects.filter(archive_block__isnull=False).count()
    services.rebuild_rollups()
    assert _rows() == _rebuilt_live()


def test_a_deleted_archived_case_leaves_its_block(unarchived: None) -> None:
    archive.archive_closed_cases()
    rated = set(Rating.objects.values_list("case_id", flat=True)) | set(
        Complaint.objects.values_list("case_id", flat=True)
    )
    case = Case.objects.filter(archive_block__isnull=False).exclude(pk__in=rated).first()
    assert case is not None
    case.delete()
    assert case.pk is None or not Case.objects.filter(pk=case.pk).exists()
    services.rebuild_rollups()
    assert _rows() == _rebuilt_live()
    assert (
        Case.objects.count()
        == len(_archived_ids()) + Case.objects.filter(archive_block__isnull=True).count()
    )


def test_a_new_application_or_event_of_an_open_case_does_not_query_the_archive(
    unarchived: None, django_assert_num_queries: Any
) -> None:
    archive.archive_closed_cases()
    case = Case.objects.filter(archive_block__isnull=True).select_related("application").first()
    assert case is not None
    # a stop or a closing event of a case at hand that is not archived costs no query
    with django_assert_num_queries(1):
        Suspension.objects.create(
            case=case, kind="suspension", starts_on=date(2026, 1, 1), ends_on=None
        )
    with django_assert_num_queries(1):
        CaseEvent.objects.create(case=case, kind="transition", target=Status.WITHDRAWN)


def test_facts_without_some_cases_keep_the_others_stops() -> None:
    cases = pl.DataFrame(
        {
            "id": [1, 2, 3],
            "service_id": [10, 10, 11],
            "region_id": [1, 1, 1],
            "agency_id": [5, 5, 5],
            "channel": ["portal", "mfc", "portal"],
            "term_kind": ["working"] * 3,
            "status": ["approved", "withdrawn", "refused"],
            "received_on": [date(2026, 3, 2)] * 3,
            "registered_on": [date(2026, 3, 2)] * 3,
            "due_date": [date(2026, 3, 20)] * 3,
            "decided_on": [date(2026, 3, 10), None, date(2026, 3, 12)],
            "closed_on": [None, date(2026, 3, 4), None],
        },
        schema={**archive.CASES_SCHEMA, "closed_on": pl.Date},
    )
    stops = pl.DataFrame(
        {
            "case_id": [1, 3, 3],
            "starts_on": [date(2026, 3, 3), date(2026, 3, 4), date(2026, 3, 9)],
            "ends_on": [date(2026, 3, 4), date(2026, 3, 5), None],
        }
    )
    facts = archive.Facts.of(cases, stops)
    assert facts.cases["closed_on"].to_list() == [
        date(2026, 3, 10),
        date(2026, 3, 4),
        date(2026, 3, 12),
    ]
    assert len(facts.keys) == 3
    kept = facts.without([1])
    assert kept.cases["id"].to_list() == [2, 3]
    # both of case 3's stops now point at its new row
    assert kept.stops["row"].to_list() == [1, 1]
    assert kept.stops["starts_on"].to_list() == [date(2026, 3, 4), date(2026, 3, 9)]
    merged = archive.Facts.merge([kept, archive.Facts.of(cases[:1], stops[:1])])
    assert merged.cases["id"].to_list() == [2, 3, 1]
    assert merged.stops["row"].to_list() == [1, 1, 2]
    packed = archive.Facts.unpack(**merged.pack())
    assert packed.cases.equals(merged.cases)
    assert packed.stops.equals(merged.stops)


def test_archiving_is_a_nightly_job() -> None:
    scheduler.discover()
    job = scheduler.registered_jobs()["uslugi.quality.tasks.archive_closed_cases"]
    assert job.interval == timedelta(days=1)


@pytest.mark.django_db
def test_the_archive_task_archives(unarchived: None) -> None:
    from uslugi.quality.tasks import archive_closed_cases

    closed = Case.objects.filter(status__in=FINAL).count()
    assert archive_closed_cases.call() == {"archived": closed}
    assert not Application.objects.filter(case__archive_block__isnull=True).filter(
        case__status__in=FINAL
    )
