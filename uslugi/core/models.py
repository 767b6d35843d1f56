"""Base models and the audit log: no business rules live here."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One state change or one staff view of personal data: who did what to which object.

    Rows are only ever appended (Zulip's RealmAuditLog habit); `target_type` and `target_id` name
    the object without a foreign key so that the log outlives what it describes.
    """

    occurred_at = models.DateTimeField(_("occurred at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField(_("verb"), max_length=64, db_index=True)
    target_type = models.CharField(_("object type"), max_length=100)
    target_id = models.CharField(_("object id"), max_length=64)
    target_repr = models.CharField(_("object"), max_length=255, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.verb} {self.target_repr}"


class JobStatus(models.TextChoices):
    ENQUEUED = "enqueued", _("enqueued")
    SUCCEEDED = "succeeded", _("succeeded")
    FAILED = "failed", _("failed")


class ScheduledJob(models.Model):
    """When a periodic job (registered in `uslugi.core.scheduler`) runs next and how it last went.

    The row is the job's clock: a scheduler process claims a due row, advances `next_run_at` and
    enqueues the job's task, so several schedulers may run at once and each run is enqueued once.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    interval_seconds = models.PositiveIntegerField(_("interval, seconds"))
    next_run_at = models.DateTimeField(_("next run at"), db_index=True)
    last_run_at = models.DateTimeField(_("last run at"), null=True, blank=True)
    last_status = models.CharField(
        _("last status"), max_length=16, choices=JobStatus.choices, blank=True
    )
    last_error = models.TextField(_("last error"), blank=True)
    last_result_id = models.CharField(
        _("last task result"),
        max_length=64,
        blank=True,
        help_text=_("The task result of the last run, read back while the run is in the queue."),
    )

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
