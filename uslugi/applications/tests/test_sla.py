"""The hourly deadline sweep: at risk and overdue on the region's calendar, told once, ever."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail

from uslugi.accounts.factories import UserFactory
from uslugi.accounts.models import Role
from uslugi.applications import sla
from uslugi.applications.models import (
    Case,
    Notification,
    SlaAlert,
    SlaState,
    Supervision,
)
from uslugi.applications.tests.cases import official_of, open_case
from uslugi.applications.workflow import Status
from uslugi.catalogue.factories import CuratorAssignmentFactory
from uslugi.constructor.factories import VariantVersionFactory
from uslugi.core.models import AuditEvent

pytestmark = pytest.mark.django_db

# Orenburg (region 56) keeps Yekaterinburg time, UTC+5. Thursday 12 February 2026, 10:00 there.
THURSDAY = datetime(2026, 2, 12, 5, 0, tzinfo=UTC)


def sweep(now: datetime = THURSDAY) -> sla.SweepResult:
    with time_machine.travel(now, tick=False):
        return sla.sweep_sla(now)


def sla_notifications() -> list[tuple[str, str]]:
    return sorted(
        Notification.objects.filter(kind__startswith="sla.").values_list(
            "kind", "recipient__username"
        )
    )


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (date(2026, 2, 17), SlaState.ON_TIME),  # Fri 13, Mon 16, Tue 17: three working days
        (date(2026, 2, 16), SlaState.AT_RISK),  # Fri 13, Mon 16: two, though four calendar days
        (date(2026, 2, 13), SlaState.AT_RISK),  # one
        (date(2026, 2, 12), SlaState.AT_RISK),  # due today
        (date(2026, 2, 11), SlaState.OVERDUE),  # the day after the due date
    ],
)
def test_the_state_follows_working_days_left_on_the_regions_calendar(
    due: date, expected: SlaState
) -> None:
    # given
    case = open_case(due=due)
    # when
    sweep()
    # then
    case.refresh_from_db()
    assert case.sla_state == expected


def test_23_february_is_not_a_working_day_left() -> None:
    # given Friday 20 February 2026; Monday 23 is Defender of the Fatherland Day
    case = open_case(due=date(2026, 2, 25))
    # when
    sweep(datetime(2026, 2, 20, 5, 0, tzinfo=UTC))
    # then Tue 24 and Wed 25 are the two working days left
    case.refresh_from_db()
    assert case.sla_state == SlaState.AT_RISK


def test_today_is_the_regions_date_not_the_servers() -> None:
    # given a case due on Thursday; 20:00 UTC is 23:00 in Moscow but Friday 01:00 in Orenburg
    case = open_case(due=date(2026, 2, 12))
    # when
    sweep(datetime(2026, 2, 12, 20, 0, tzinfo=UTC))
    # then
    case.refresh_from_db()
    assert case.sla_state == SlaState.OVERDUE


def test_at_risk_tells_the_assignee_the_supervisor_and_the_curator_once(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given a case at two working days, its assignee, another official, a supervisor, a curator
    version = VariantVersionFactory(published=True)
    case = open_case(due=date(2026, 2, 16), version=version)
    assignee = official_of(case, username="assignee")
    official_of(case, username="colleague")
    Case.objects.filter(pk=case.pk).update(assignee=assignee)
    Supervision.objects.create(
        agency=case.agency,
        region=case.region,
        supervisor=UserFactory(username="supervisor", role=Role.OFFICIAL, region=case.region),
    )
    curator_user = UserFactory(username="curator", role=Role.CURATOR, region=case.region)
    CuratorAssignmentFactory(service=case.service, curator__user=curator_user)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        result = sweep()
    # then
    assert result == sla.SweepResult(checked=1, at_risk=1, notified=3)
    assert sla_notifications() == [
        ("sla.at_risk", "assignee"),
        ("sla.at_risk", "curator"),
        ("sla.at_risk", "supervisor"),
    ]
    assert sorted(message.to[0] for message in mail.outbox) == [
        "assignee@example.org",
        "curator@example.org",
        "supervisor@example.org",
    ]
    assert list(SlaAlert.objects.values_list("case", "state", "reached_on")) == [
        (case.pk, SlaState.AT_RISK, date(2026, 2, 12))
    ]
    event = AuditEvent.objects.get(verb="case.at_risk")
    assert (event.actor, event.target_id, event.data) == (
        None,
        str(case.pk),
        {"from": "on_time", "due_date": "2026-02-16", "on": "2026-02-12"},
    )


def test_a_second_and_a_third_sweep_add_nothing() -> None:
    # given a swept case at risk
    case = open_case(due=date(2026, 2, 16))
    official_of(case, username="official")
    sweep()
    # when
    second = sweep(THURSDAY + timedelta(hours=1))
    third = sweep(THURSDAY + timedelta(hours=2))
    # then
    assert second == third == sla.SweepResult(checked=1)
    assert sla_notifications() == [("sla.at_risk", "official")]
    assert AuditEvent.objects.filter(verb__startswith="case.").count() == 1


def test_nobody_assigned_tells_every_active_official_of_the_agency_in_the_region() -> None:
    # given
    case = open_case(due=date(2026, 2, 16))
    official_of(case, username="first")
    official_of(case, username="second")
    official_of(case, username="gone", is_active=False)
    UserFactory(username="elsewhere", role=Role.OFFICIAL, region=case.region)
    # when
    sweep()
    # then
    assert sla_notifications() == [("sla.at_risk", "first"), ("sla.at_risk", "second")]


def test_overdue_the_day_after_tells_again_once_for_the_new_state() -> None:
    # given a case told at risk on Thursday, due Friday
    case = open_case(due=date(2026, 2, 13))
    official_of(case, username="official")
    sweep()
    # when the sweeps run on Monday
    result = sweep(datetime(2026, 2, 16, 5, 0, tzinfo=UTC))
    sweep(datetime(2026, 2, 16, 6, 0, tzinfo=UTC))
    # then
    case.refresh_from_db()
    assert case.sla_state == SlaState.OVERDUE
    assert result == sla.SweepResult(checked=1, overdue=1, notified=1)
    assert sla_notifications() == [("sla.at_risk", "official"), ("sla.overdue", "official")]
    assert list(
        AuditEvent.objects.filter(verb__startswith="case.").order_by("id").values_list("verb")
    ) == [("case.at_risk",), ("case.overdue",)]


def test_back_on_time_after_an_extension_tells_no_one_and_never_twice_after() -> None:
    # given a case told at risk
    case = open_case(due=date(2026, 2, 16))
    official_of(case, username="official")
    sweep()
    # when an extension moves the due date a week later, then the clock runs out again
    Case.objects.filter(pk=case.pk).update(due_date=date(2026, 2, 27))
    back = sweep(THURSDAY + timedelta(hours=1))
    again = sweep(datetime(2026, 2, 26, 5, 0, tzinfo=UTC))
    # then
    assert back == sla.SweepResult(checked=1, on_time=1)
    assert again == sla.SweepResult(checked=1, at_risk=1)
    case.refresh_from_db()
    assert case.sla_state == SlaState.AT_RISK
    assert sla_notifications() == [("sla.at_risk", "official")]
    assert list(
        AuditEvent.objects.filter(verb__startswith="case.").order_by("id").values_list("verb")
    ) == [("case.at_risk",), ("case.on_time",), ("case.at_risk",)]


@pytest.mark.parametrize(
    "status",
    [
        Status.SUSPENDED,
        Status.AWAITING_APPLICANT,
        Status.APPROVED,
        Status.REFUSED,
        Status.WITHDRAWN,
        Status.REFUSED_TO_ACCEPT,
    ],
)
def test_cases_whose_clock_stopped_or_that_are_closed_are_skipped(status: Status) -> None:
    # given a case long past its due date
    case = open_case(due=date(2026, 1, 30), status=status)
    official_of(case)
    # when
    result = sweep()
    # then nothing changed
    case.refresh_from_db()
    assert result == sla.SweepResult()
    assert case.sla_state == SlaState.ON_TIME
    assert Notification.objects.count() == 0
    assert SlaAlert.objects.count() == 0


def test_a_case_changed_after_it_was_read_is_left_for_the_next_sweep() -> None:
    # given a case read as on time and at risk now, which an official suspends meanwhile
    case = open_case(due=date(2026, 2, 16))
    official_of(case)
    Case.objects.filter(pk=case.pk).update(status=Status.SUSPENDED)
    # when the sweep writes what it read
    change = sla._Change(case, SlaState.AT_RISK, date(2026, 2, 12))
    written = sla._apply(change)
    # then
    case.refresh_from_db()
    assert written is False
    assert case.sla_state == SlaState.ON_TIME
    assert AuditEvent.objects.count() == 0


def test_a_case_alerted_by_a_concurrent_sweep_is_not_told_twice() -> None:
    # given another sweep already recorded the alert and its notification
    case = open_case(due=date(2026, 2, 16))
    official_of(case, username="official")
    SlaAlert.objects.create(case=case, state=SlaState.AT_RISK, reached_on=date(2026, 2, 12))
    # when
    result = sweep()
    # then
    assert result == sla.SweepResult(checked=1, at_risk=1, notified=0)
    assert Notification.objects.count() == 0


def test_the_sweep_reads_the_cases_in_few_queries(django_assert_max_num_queries: Any) -> None:
    # given ten cases at risk in one agency, nobody assigned, one official
    version = VariantVersionFactory(published=True)
    cases = [open_case(due=date(2026, 2, 16), version=version) for _ in range(10)]
    official_of(cases[0])
    # when / then: per case a calendar check, the state, the audit row, the alert and one
    # notification, with three savepoints; the cases and the people are read once
    with django_assert_max_num_queries(10 * (5 + 6) + 8):
        result = sweep()
    assert result == sla.SweepResult(checked=10, at_risk=10, notified=10)
