"""Applications (what came in, through which channel) and cases (what the agency does with them)."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from uslugi.applications.workflow import OPEN, Status
from uslugi.catalogue.models import Channel, TermKind


class SlaState(models.TextChoices):
    ON_TIME = "on_time", _("on time")
    AT_RISK = "at_risk", _("at risk")
    OVERDUE = "overdue", _("overdue")


class Application(models.Model):
    """One application as received: answers, channel, the variant version it was filed under."""

    number = models.CharField(_("registration number"), max_length=32, unique=True)
    version = models.ForeignKey(
        "constructor.VariantVersion",
        verbose_name=_("variant version"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    service = models.ForeignKey(
        "catalogue.Service",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    region = models.ForeignKey(
        "catalogue.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        help_text=_("The citizen's account; empty when an MFC registered a citizen without one."),
    )
    applicant_name = models.CharField(_("applicant's name"), max_length=300)
    applicant_email = models.EmailField(_("applicant's e-mail"), blank=True)
    applicant_phone = models.CharField(_("applicant's phone"), max_length=32, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="submitted_applications",
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    answers = models.JSONField(_("answers"), default=dict)
    received_at = models.DateTimeField(_("received at"))
    idempotency_key = models.CharField(_("idempotency key"), max_length=100)
    draft = models.OneToOneField(
        "constructor.FormDraft",
        verbose_name=_("draft"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["submitted_by", "idempotency_key"], name="application_idempotent"
            )
        ]

    def __str__(self) -> str:
        return self.number


class CaseQuerySet(models.QuerySet["Case"]):
    def update(self, **kwargs: Any) -> int:
        """Every update of cases also clears their `archive_block` (unless it sets it): an
        archived case that changes is read live again (`uslugi.quality.archive`)."""
        kwargs.setdefault("archive_block", None)
        return super().update(**kwargs)


class Case(models.Model):
    """The agency's work on one application, with its legal deadline from the region's calendar."""

    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="case"
    )
    agency = models.ForeignKey(
        "catalogue.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="cases"
    )
    region = models.ForeignKey(
        "catalogue.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="cases"
    )
    service = models.ForeignKey(
        "catalogue.Service",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    status = models.CharField(
        _("status"), max_length=32, choices=Status.choices, default=Status.SUBMITTED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    term = models.PositiveIntegerField(_("term"))
    term_kind = models.CharField(_("term kind"), max_length=16, choices=TermKind.choices)
    clock_starts_at = models.DateTimeField(
        _("term counted from"),
        null=True,
        blank=True,
        help_text=_(
            "Set when the term runs from another moment than the receipt, e.g. a service of a "
            "life situation waiting for another one's decision."
        ),
    )
    registered_on = models.DateField(_("registered on"))
    due_date = models.DateField(_("due date"), db_index=True)
    provisional = models.BooleanField(
        _("provisional deadline"),
        default=False,
        help_text=_("The deadline crosses a year whose production calendar is not yet decreed."),
    )
    explanation = models.JSONField(_("explanation of the deadline"), default=dict)
    sla_state = models.CharField(
        _("deadline state"), max_length=16, choices=SlaState.choices, default=SlaState.ON_TIME
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_text = models.TextField(_("decision"), blank=True)
    result_file = models.FileField(_("result document"), upload_to="results/", blank=True)
    revision = models.PositiveIntegerField(
        _("revision"), default=1, help_text=_("Grows with every change; a stale action is refused.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The quality app keeps cases' facts in columnar archive blocks so that rebuilding its
    # rollups never reads millions of wide case rows (`uslugi.quality.archive`). This is the
    # block a case's facts are in; any change to the case (its `save` and its queryset's
    # `update` clear it; the archive clears it on changes to the application, stops and closing
    # events) sends the case back to be read live until it is archived anew.
    archive_block = models.PositiveBigIntegerField(
        _("archive block"), null=True, blank=True, editable=False
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["due_date", "id"]
        indexes = [
            # The official's queue: their agency and region by deadline; open cases have their
            # own partial index so the first page never walks past millions of closed ones.
            models.Index(fields=["agency", "region", "due_date", "id"], name="case_queue"),
            models.Index(
                fields=["agency", "region", "due_date", "id"],
                name="case_queue_open",
                condition=models.Q(status__in=OPEN),
            ),
            models.Index(fields=["sla_state", "status"], name="case_sla"),
            # The few cases not archived, which a rollup rebuild reads from this table.
            models.Index(
                fields=["id"],
                name="case_unarchived",
                condition=models.Q(archive_block__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.application.number if self.application_id else f"#{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saving a case that exists clears its `archive_block` (see the field), in the same
        statement: the instance may not know it was archived since it was read."""
        if self.pk is not None and not kwargs.get("force_insert"):
            self.archive_block = None
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "archive_block"}
        super().save(*args, **kwargs)


class CaseEvent(models.Model):
    """One step of a case's history: a transition, a suspension, an extension, an assignment."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=32)
    source = models.CharField(_("from status"), max_length=32, blank=True)
    target = models.CharField(_("to status"), max_length=32, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind} {self.target}".strip()

    @property
    def target_label(self) -> str:
        return str(Status(self.target).label) if self.target in Status.values else self.target


class Suspension(models.Model):
    """The clock stops from `starts_on` through `ends_on` (both inclusive); BRIEF §6."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="suspensions"
    )
    kind = models.CharField(
        _("kind"),
        max_length=32,
        choices=[
            ("suspension", _("suspension")),
            ("awaiting_applicant", _("awaiting the applicant")),
        ],
        default="suspension",
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(
        _("ends on"), null=True, blank=True, help_text=_("Empty while it lasts.")
    )
    planned_until = models.DateField(_("planned until"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["starts_on", "id"]

    def __str__(self) -> str:
        return f"{self.starts_on} – {self.ends_on or self.planned_until or '…'}"


class Extension(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="extensions"
    )
    days = models.PositiveSmallIntegerField(_("days"))
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")

    def __str__(self) -> str:
        return f"+{self.days}: {self.reason}"


class InteragencyRequest(models.Model):
    """A request to another body for a document the applicant need not bring (210-FZ art. 7.2)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="interagency_requests"
    )
    document = models.CharField(_("document"), max_length=300)
    recipient = models.CharField(_("recipient"), max_length=300)
    sent_on = models.DateField(_("sent on"))
    answer_due = models.DateField(_("answer due"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("interagency request")
        verbose_name_plural = _("interagency requests")
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.document} → {self.recipient}"


class Message(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_applicant = models.BooleanField(_("from the applicant"), default=False)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Notification(models.Model):
    """What the platform told a person, in the cabinet and by e-mail or SMS."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=64)
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"))
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    dedupe_key = models.CharField(
        _("deduplication key"),
        max_length=200,
        unique=True,
        help_text=_("One notification per event, never two."),
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject


class SlaAlert(models.Model):
    """A case reached a deadline state (at risk, overdue); its people were told then, once.

    One row per case and state, ever: the unique constraint is what keeps a second or a concurrent
    sweep from telling anyone twice, even after the case went back on time and came round again.
    """

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="sla_alerts"
    )
    state = models.CharField(_("deadline state"), max_length=16, choices=SlaState.choices)
    reached_on = models.DateField(_("reached on"), help_text=_("The date in the region."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline alert")
        verbose_name_plural = _("deadline alerts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "state"], name="sla_alert_once_per_state")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.state}"


class Supervision(models.Model):
    """Who supervises the officials of an agency in a region: told when a case is late or close."""

    agency = models.ForeignKey(
        "catalogue.Agency",
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        related_name="supervisions",
    )
    region = models.ForeignKey(
        "catalogue.Region",
        verbose_name=_("region"),
        on_delete=models.CASCADE,
        related_name="supervisions",
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        on_delete=models.CASCADE,
        related_name="supervisions",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")
        ordering = ["region", "agency", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "region", "supervisor"], name="supervision_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.supervisor} → {self.agency}"
