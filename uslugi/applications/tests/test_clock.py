"""A case whose term runs from another moment than its receipt keeps counting from that moment."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from uslugi.applications import services
from uslugi.applications.factories import CaseFactory, official_for
from uslugi.applications.workflow import Status
from uslugi.workdays import selectors as workdays
from uslugi.workdays.deadlines import DeadlineInputs, Extension, TermKind

pytestmark = pytest.mark.django_db


def test_an_extension_after_a_restarted_clock_counts_from_the_restart() -> None:
    # given a case whose clock restarted on a later day
    case = CaseFactory(status=Status.IN_REVIEW)
    restart = datetime(2026, 3, 2, 11, 0, tzinfo=ZoneInfo("Asia/Yekaterinburg"))
    services.restart_clock(case=case, starts_at=restart, reason="birth registered")
    # when the official extends the term by 3 days
    services.extend_term(
        case=case, user=official_for(case), revision=case.revision, days=3, reason="Запрос в ЗАГС"
    )
    # then the due date is the term plus 3 counted from the restart, not from the receipt
    expected = workdays.get_deadline(
        region=case.region.code,
        inputs=DeadlineInputs(
            received=restart,
            term=case.term,
            kind=TermKind(case.term_kind),
            extensions=(Extension(3),),
        ),
    )
    case.refresh_from_db()
    assert case.due_date == expected.due_date
    assert case.clock_starts_at == restart
