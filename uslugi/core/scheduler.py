"""Periodic jobs: a registry of (name, task, interval) and the pass that enqueues the due ones.

An app registers its jobs in its `tasks.py` (found by `discover()`, the way the admin finds
`admin.py`); `manage.py scheduler` calls `run_due_jobs()` every few seconds. Each job's clock is a
`ScheduledJob` row, so any number of scheduler processes may run: a pass claims the due rows in one
transaction (`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL; on SQLite the transaction takes the
database's write lock), advances their `next_run_at` and only then enqueues their tasks, so each run
is enqueued once. The tasks themselves are idempotent (ARCHITECTURE.md), so a run enqueued again
after a crash between the claim and the enqueue does no harm.

A run whose task fails — at once (immediate backend) or, as a later pass reads back from the queue,
in a worker — is recorded with its error and is due again at the next pass.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks.base import Task, TaskResult, TaskResultStatus

from uslugi.core.models import JobStatus, ScheduledJob

logger = logging.getLogger("uslugi.scheduler")


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: Task[[], Any]
    interval: timedelta


@dataclass(frozen=True)
class JobRun:
    """What one pass did with one due job."""

    name: str
    status: JobStatus
    error: str = ""


_registry: dict[str, PeriodicJob] = {}


def register(task: Task[[], Any], *, interval: timedelta, name: str = "") -> PeriodicJob:
    """Run `task` (one without arguments) every `interval`; the name defaults to its dotted path."""
    if interval < timedelta(seconds=1):
        raise ValueError("A periodic job runs at most once a second.")
    job = PeriodicJob(name=name or task.module_path, task=task, interval=interval)
    _registry[job.name] = job
    return job


def registered_jobs() -> dict[str, PeriodicJob]:
    return dict(_registry)


def discover() -> None:
    """Import every installed app's `tasks` module, where the apps register their jobs."""
    autodiscover_modules("tasks")


def calculate_next_run(scheduled: datetime, interval: timedelta, now: datetime) -> datetime:
    """The first run after `now` on the job's cadence; runs missed while nothing ran are skipped."""
    missed = (now - scheduled) // interval if now >= scheduled else -1
    return scheduled + interval * (missed + 1)


def run_due_jobs(now: datetime | None = None) -> list[JobRun]:
    """One pass: record how enqueued runs went, then claim and enqueue the jobs that are due."""
    now = now or timezone.now()
    jobs = registered_jobs()
    _sync_rows(jobs, now)
    _read_back_outcomes(jobs, now)
    return [_enqueue(row, jobs[row.name], now) for row in _claim_due(jobs, now)]


def _sync_rows(jobs: dict[str, PeriodicJob], now: datetime) -> None:
    """A newly registered job is due at once; a changed interval applies from its next run."""
    rows = {row.name: row for row in ScheduledJob.objects.filter(name__in=jobs)}
    missing = [
        ScheduledJob(name=name, interval_seconds=_seconds(job.interval), next_run_at=now)
        for name, job in jobs.items()
        if name not in rows
    ]
    ScheduledJob.objects.bulk_create(missing, ignore_conflicts=True)  # another scheduler may race
    for name, row in rows.items():
        if row.interval_seconds != _seconds(jobs[name].interval):
            ScheduledJob.objects.filter(pk=row.pk).update(
                interval_seconds=_seconds(jobs[name].interval)
            )


def _read_back_outcomes(jobs: dict[str, PeriodicJob], now: datetime) -> None:
    """Runs left in a queue that keeps results: record success, or failure and retry now."""
    waiting = ScheduledJob.objects.filter(name__in=jobs, last_status=JobStatus.ENQUEUED).exclude(
        last_result_id=""
    )
    for row in waiting:
        task = jobs[row.name].task
        if not task.get_backend().supports_get_result:
            continue
        try:
            result = task.get_result(row.last_result_id)
        except Exception:  # the result was pruned or belongs to an older deployment
            logger.warning("Cannot read the result of job %s.", row.name, exc_info=True)
            continue
        status, error = _outcome(result)
        if status == JobStatus.ENQUEUED:
            continue
        fields: dict[str, Any] = {"last_status": status, "last_error": error}
        if status == JobStatus.FAILED:
            fields["next_run_at"] = min(row.next_run_at, now)
        ScheduledJob.objects.filter(
            pk=row.pk, last_status=JobStatus.ENQUEUED, last_result_id=row.last_result_id
        ).update(**fields)


def _claim_due(jobs: dict[str, PeriodicJob], now: datetime) -> list[ScheduledJob]:
    with transaction.atomic():
        due = ScheduledJob.objects.filter(name__in=jobs, next_run_at__lte=now).order_by(
            "next_run_at", "name"
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        claimed = list(due)
        for row in claimed:
            row.next_run_at = calculate_next_run(row.next_run_at, jobs[row.name].interval, now)
            row.last_run_at = now
            row.last_status = JobStatus.ENQUEUED
            row.last_error = ""
            row.last_result_id = ""
            row.save(
                update_fields=[
                    "next_run_at",
                    "last_run_at",
                    "last_status",
                    "last_error",
                    "last_result_id",
                ]
            )
    return claimed


def _enqueue(row: ScheduledJob, job: PeriodicJob, now: datetime) -> JobRun:
    try:
        result = job.task.enqueue()
    except Exception as error:  # the queue refused the run: record it, retry at the next pass
        logger.exception("Cannot enqueue job %s.", job.name)
        status, message, result_id = JobStatus.FAILED, f"{type(error).__name__}: {error}", ""
    else:
        status, message = _outcome(result)
        result_id = result.id if status == JobStatus.ENQUEUED else ""
    fields: dict[str, Any] = {
        "last_status": status,
        "last_error": message,
        "last_result_id": result_id,
    }
    if status == JobStatus.FAILED:
        logger.error("Job %s failed: %s", job.name, message)
        fields["next_run_at"] = now
    ScheduledJob.objects.filter(pk=row.pk).update(**fields)
    return JobRun(name=job.name, status=status, error=message)


def _outcome(result: TaskResult[Any]) -> tuple[JobStatus, str]:
    if result.status == TaskResultStatus.SUCCESSFUL:
        return JobStatus.SUCCEEDED, ""
    if result.status == TaskResultStatus.FAILED:
        error = result.errors[-1] if result.errors else None
        if error is None:
            return JobStatus.FAILED, ""
        last_line = error.traceback.strip().splitlines()[-1] if error.traceback.strip() else ""
        return JobStatus.FAILED, last_line or error.exception_class_path
    return JobStatus.ENQUEUED, ""


def _seconds(interval: timedelta) -> int:
    return int(interval.total_seconds())
