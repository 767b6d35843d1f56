"""The archive of closed cases: a rebuild from blocks equals one from the cases table, always."""

from datetime import date, timedelta
from typing import Any

import polars as pl
import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

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
    MonthlyRollup,
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
        sorted(model.objects.values_list(*key, *COUNTS, "processing_days"))
        for model in (DailyRollup, MonthlyRollup)
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


def test_archiving_seals_every_case_once_and_changes_no_rollup(unarchived: None) -> None:
    # given rollups rebuilt from the cases table, open and closed cases among them
    services.rebuild_rollups()
    live = _rows()
    cases = set(Case.objects.values_list("pk", flat=True))
    assert 0 < Case.objects.filter(status__in=FINAL).count() < len(cases)
    # when the cases are archived in small blocks
    assert archive.archive_cases(block_size=250) == len(cases)
    # then each case is in exactly one block, the one it names
    assert ArchiveBlock.objects.count() == -(-len(cases) // 250)
    assert sorted(_archived_ids()) == sorted(cases)
    for block in ArchiveBlock.objects.all():
        rows = archive.Facts.unpack(block.cases, block.keys, block.stops).cases["id"].to_list()
        named = set(Case.objects.filter(archive_block=block.pk).values_list("pk", flat=True))
        assert named == set(rows)
    # and a rebuild from the blocks counts exactly what the live rebuild did
    counted = services.rebuild_rollups()
    assert counted["cases"] == len(cases)
    assert counted["read_live"] == 0
    assert _rows() == live
    # and archiving again finds nothing more
    assert archive.archive_cases() == 0


def test_a_changed_archived_case_is_read_live_and_rearchived_without_its_stale_row(
    unarchived: None,
) -> None:
    archive.archive_cases(block_size=300)
    decided = list(
        Case.objects.filter(status=Status.APPROVED).select_related("application").order_by("pk")[:4]
    )
    withdrawn = Case.objects.filter(status__in=[Status.WITHDRAWN, Status.REFUSED_TO_ACCEPT]).first()
    in_review = Case.objects.filter(status=Status.IN_REVIEW).first()
    assert len(decided) == 4
    assert withdrawn is not None
    assert in_review is not None
    assert not Case.objects.filter(archive_block__isnull=True).exists()
    # when facts of archived cases change by every route there is
    first, second, third, fourth = decided
    assert first.decided_at is not None
    first.decided_at += timedelta(days=3)  # a corrected decision date, through save()
    first.save(update_fields=["decided_at"])
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
    # an official's decision on an open case: the workflow updates the row
    Case.objects.filter(pk=in_review.pk).update(status=Status.REFUSED, decided_at=timezone.now())
    # then those cases are no longer archived, and the others still are
    for case in (first, second, third, withdrawn, in_review):
        assert Case.objects.get(pk=case.pk).archive_block is None
    assert Case.objects.get(pk=fourth.pk).archive_block is not None
    # and a rebuild counts them as they are now, like a rebuild from the cases table
    services.rebuild_rollups()
    assert _rows() == _rebuilt_live()
    # when they are archived again, their stale rows leave the old blocks
    assert archive.archive_cases() == 5
    ids = _archived_ids()
    assert len(ids) == len(set(ids)) == Case.objects.count()
    services.rebuild_rollups()
    assert _rows() == _rebuilt_live()


def test_the_workflow_sends_an_archived_case_back_to_be_read_live(unarchived: None) -> None:
    from uslugi.applications import services as workflow
    from uslugi.applications.factories import official_for

    case = Case.objects.filter(status=Status.IN_REVIEW).first()
    assert case is not None
    archive.archive_cases()
    official = official_for(case)
    case.refresh_from_db()
    workflow.decide_case(
        case=case, user=official, revision=case.revision, approved=True, text="Решено."
    )
    assert Case.objects.get(pk=case.pk).archive_block is None
    services.rebuild_rollups()
    assert _rows() == _rebuilt_live()


def test_a_deleted_archived_case_leaves_its_block(unarchived: None) -> None:
    archive.archive_cases()
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


def test_only_events_among_the_facts_cost_a_query(
    unarchived: None, django_assert_num_queries: Any
) -> None:
    case = Case.objects.filter(status=Status.IN_REVIEW).first()
    assert case is not None
    # the history's ordinary events cost nothing more than their INSERT
    with django_assert_num_queries(1):
        CaseEvent.objects.create(case=case, kind="message")
    # a stop or a closing event also clears the case's mark, by primary key
    with django_assert_num_queries(2):
        Suspension.objects.create(
            case=case, kind="suspension", starts_on=date(2026, 1, 1), ends_on=None
        )
    with django_assert_num_queries(2):
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
    job = scheduler.registered_jobs()["uslugi.quality.tasks.archive_cases"]
    assert job.interval == timedelta(days=1)


@pytest.mark.django_db
def test_the_archive_task_archives(unarchived: None) -> None:
    from uslugi.quality.tasks import archive_cases

    count = Case.objects.count()
    assert archive_cases.call() == {"archived": count}
    assert not Application.objects.filter(case__archive_block__isnull=True).exists()
