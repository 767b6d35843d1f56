"""The scheduler: due jobs run once and move on by their interval; failures are kept and retried."""

import os
import signal
import threading
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django_tasks import task

from uslugi.core import scheduler
from uslugi.core.models import JobStatus, ScheduledJob

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 2, 12, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
runs: list[str] = []
broken = {"now": False}


@task()
def count_run() -> None:
    runs.append("ran")


@task()
def sometimes_broken() -> None:
    if broken["now"]:
        raise RuntimeError("the mail server is down")
    runs.append("ran")


@pytest.fixture(autouse=True)
def _own_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test registers its own jobs in an empty registry.

    The apps' `tasks` modules are imported first, into the real registry: a module first imported
    while the registry is swapped (by the scheduler command's `discover()`) would register its jobs
    in the test's registry only, leave them missing from the real one for every later test in the
    process, and add them to this test's jobs.
    """
    scheduler.discover()
    monkeypatch.setattr(scheduler, "_registry", {})
    runs.clear()
    broken["now"] = False


def test_a_new_job_runs_at_once_and_next_after_its_interval() -> None:
    # given
    scheduler.register(count_run, interval=HOUR, name="count")
    # when
    done = scheduler.run_due_jobs(NOON)
    # then
    assert done == [scheduler.JobRun(name="count", status=JobStatus.SUCCEEDED)]
    assert runs == ["ran"]
    job = ScheduledJob.objects.get()
    assert (job.name, job.interval_seconds, job.next_run_at, job.last_run_at, job.last_status) == (
        "count",
        3600,
        NOON + HOUR,
        NOON,
        JobStatus.SUCCEEDED,
    )


def test_a_job_not_due_is_skipped_and_changes_nothing() -> None:
    # given a job that ran at noon
    scheduler.register(count_run, interval=HOUR, name="count")
    scheduler.run_due_jobs(NOON)
    # when the scheduler passes again before one o'clock
    done = scheduler.run_due_jobs(NOON + timedelta(minutes=59))
    # then
    assert done == []
    assert runs == ["ran"]
    job = ScheduledJob.objects.get()
    assert (job.next_run_at, job.last_run_at) == (NOON + HOUR, NOON)


def test_a_due_job_runs_once_however_often_the_scheduler_passes() -> None:
    # given
    scheduler.register(count_run, interval=HOUR, name="count")
    scheduler.run_due_jobs(NOON)
    # when three passes come at one o'clock
    for _ in range(3):
        scheduler.run_due_jobs(NOON + HOUR)
    # then it ran at noon and once at one
    assert runs == ["ran", "ran"]
    assert ScheduledJob.objects.get().next_run_at == NOON + 2 * HOUR


def test_runs_missed_while_the_scheduler_was_down_are_skipped_on_the_jobs_cadence() -> None:
    # given a job due at one o'clock
    scheduler.register(count_run, interval=HOUR, name="count")
    scheduler.run_due_jobs(NOON)
    # when the scheduler comes back at 15:20
    scheduler.run_due_jobs(NOON + timedelta(hours=3, minutes=20))
    # then it ran once more, and runs next at 16:00
    assert runs == ["ran", "ran"]
    assert ScheduledJob.objects.get().next_run_at == NOON + 4 * HOUR


@pytest.mark.parametrize(
    ("scheduled", "now", "expected"),
    [
        (NOON, NOON, NOON + HOUR),
        (NOON, NOON + timedelta(minutes=1), NOON + HOUR),
        (NOON, NOON + HOUR, NOON + 2 * HOUR),
        (NOON, NOON + timedelta(hours=5, seconds=1), NOON + 6 * HOUR),
        (NOON, NOON - timedelta(minutes=1), NOON),
    ],
)
def test_calculate_next_run(scheduled: datetime, now: datetime, expected: datetime) -> None:
    assert scheduler.calculate_next_run(scheduled, HOUR, now) == expected


def test_a_failed_run_is_recorded_and_retried_at_the_next_pass() -> None:
    # given a job whose task fails
    scheduler.register(sometimes_broken, interval=HOUR, name="mail")
    broken["now"] = True
    # when
    done = scheduler.run_due_jobs(NOON)
    # then the failure is kept and the job is due again
    assert done == [
        scheduler.JobRun(
            name="mail", status=JobStatus.FAILED, error="RuntimeError: the mail server is down"
        )
    ]
    job = ScheduledJob.objects.get()
    assert (job.last_status, job.last_error, job.last_run_at, job.next_run_at) == (
        JobStatus.FAILED,
        "RuntimeError: the mail server is down",
        NOON,
        NOON,
    )
    # when the task works again at the next pass
    broken["now"] = False
    scheduler.run_due_jobs(NOON + timedelta(seconds=30))
    # then it ran, and keeps its cadence from then on
    job.refresh_from_db()
    assert runs == ["ran"]
    assert (job.last_status, job.last_error, job.next_run_at) == (
        JobStatus.SUCCEEDED,
        "",
        NOON + HOUR,
    )


def test_a_changed_interval_applies_from_the_next_run() -> None:
    # given a job that ran at noon, hourly
    scheduler.register(count_run, interval=HOUR, name="count")
    scheduler.run_due_jobs(NOON)
    # when the code now says every ten minutes
    scheduler.register(count_run, interval=timedelta(minutes=10), name="count")
    scheduler.run_due_jobs(NOON + HOUR)
    # then
    job = ScheduledJob.objects.get()
    assert (job.interval_seconds, job.next_run_at) == (600, NOON + HOUR + timedelta(minutes=10))


def test_rows_of_jobs_no_longer_registered_are_left_alone() -> None:
    # given a row of a job the code dropped
    ScheduledJob.objects.create(name="gone", interval_seconds=60, next_run_at=NOON)
    # when
    done = scheduler.run_due_jobs(NOON + HOUR)
    # then
    assert done == []
    assert ScheduledJob.objects.get().last_status == ""


def test_the_applications_app_registers_the_hourly_sla_sweep(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given the real registry
    monkeypatch.undo()
    # when
    scheduler.discover()
    # then
    job = scheduler.registered_jobs()["uslugi.applications.tasks.sweep_sla"]
    assert job.interval == HOUR


def test_the_command_runs_one_pass_with_once() -> None:
    # given
    scheduler.register(count_run, interval=HOUR, name="count")
    out = StringIO()
    # when
    with time_machine.travel(NOON, tick=False):
        call_command("scheduler", "--once", stdout=out)
    # then
    assert runs == ["ran"]
    assert "Scheduler: count succeeded" in out.getvalue()
    assert ScheduledJob.objects.get().next_run_at == NOON + HOUR


def test_the_command_stops_after_its_pass_on_sigterm() -> None:
    # given a scheduler that would sleep a minute between passes
    scheduler.register(count_run, interval=HOUR, name="count")
    out = StringIO()
    previous = signal.getsignal(signal.SIGTERM)
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGTERM))
    # when SIGTERM comes while it sleeps
    timer.start()
    try:
        call_command("scheduler", "--interval", "60", stdout=out)
    finally:
        timer.cancel()
    # then it stopped at once, after one pass, and gave the signal back
    assert runs == ["ran"]
    assert out.getvalue().splitlines()[-1] == "Scheduler: stopped."
    assert signal.getsignal(signal.SIGTERM) == previous


def test_make_run_starts_the_task_worker_and_the_scheduler_beside_the_web_server() -> None:
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "trap " in recipe
    assert "$(MANAGE) db_worker &" in recipe
    assert "$(MANAGE) scheduler &" in recipe
    assert "$(MANAGE) runserver $(HOST):$(PORT)" in recipe
