"""The region's client-centricity roadmap: its measures and their KPIs, and the working group.

A roadmap (дорожная карта) is approved by an act; the interdepartmental working group
(межведомственная рабочая группа) runs it. Measures and the decisions of the group's meetings are
both tracked items: a status, a due date, an owner, a `revision` that refuses a stale edit (the
applications app's optimistic locking). KPIs tie a measure to a quality metric of a service or of
all services of an agency; their current values are read live from the quality rollups, never
stored.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from uslugi.core.models import TimeStampedModel
from uslugi.roadmap.kpis import COMPARISON_CHOICES, metric_choices


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    OVERDUE = "overdue", _("overdue")
    CANCELLED = "cancelled", _("cancelled")


# Still to be done: the statuses the overdue sweep looks at.
OPEN_STATUSES = (ItemStatus.PLANNED, ItemStatus.IN_PROGRESS)
# What people set by hand; "overdue" is set by the sweep only.
SETTABLE_STATUSES = (
    ItemStatus.PLANNED,
    ItemStatus.IN_PROGRESS,
    ItemStatus.DONE,
    ItemStatus.CANCELLED,
)


class GroupRole(models.TextChoices):
    CHAIR = "chair", _("chair")
    DEPUTY_CHAIR = "deputy_chair", _("deputy chair")
    SECRETARY = "secretary", _("secretary")
    MEMBER = "member", _("member")


REVISION_HELP = _("Grows with every change; a stale edit is refused.")


class Roadmap(TimeStampedModel):
    region = models.OneToOneField(
        "catalogue.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="roadmap",
    )
    title = models.CharField(_("title"), max_length=500)
    act_number = models.CharField(_("act number"), max_length=100, blank=True)
    act_date = models.DateField(_("act date"), null=True, blank=True)
    act_title = models.CharField(
        _("act"), max_length=500, blank=True, help_text=_("E.g. an order of the governor.")
    )
    group_created_on = models.DateField(_("working group created on"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, help_text=REVISION_HELP)

    class Meta:
        verbose_name = _("roadmap")
        verbose_name_plural = _("roadmaps")

    def __str__(self) -> str:
        return self.title


class WorkingGroupMember(models.Model):
    roadmap = models.ForeignKey(
        Roadmap, verbose_name=_("roadmap"), on_delete=models.CASCADE, related_name="members"
    )
    full_name = models.CharField(_("full name"), max_length=300)
    position = models.CharField(_("position"), max_length=300, blank=True)
    agency = models.ForeignKey(
        "catalogue.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(
        _("role in the group"), max_length=16, choices=GroupRole.choices, default=GroupRole.MEMBER
    )
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("working-group member")
        verbose_name_plural = _("working-group members")
        ordering = ["roadmap", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "full_name"], name="member_unique_name")
        ]

    def __str__(self) -> str:
        return self.full_name


class TrackedItem(TimeStampedModel):
    """What has a status and a due date, and is flagged and its owners told once when late."""

    status = models.CharField(
        _("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.PLANNED
    )
    due_on = models.DateField(_("due date"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, help_text=REVISION_HELP)

    class Meta:
        abstract = True


class Measure(TrackedItem):
    roadmap = models.ForeignKey(
        Roadmap, verbose_name=_("roadmap"), on_delete=models.CASCADE, related_name="measures"
    )
    number = models.CharField(
        _("number"), max_length=20, help_text=_("The measure's number in the plan, e.g. 1.2.")
    )
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    responsible_agency = models.ForeignKey(
        "catalogue.Agency",
        verbose_name=_("responsible agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    responsible_person = models.CharField(_("responsible person"), max_length=300)
    responsible_email = models.EmailField(_("responsible person's e-mail"), blank=True)
    overseer = models.ForeignKey(
        WorkingGroupMember,
        verbose_name=_("overseeing member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="overseen_measures",
        help_text=_("The working-group member who oversees the measure."),
    )
    starts_on = models.DateField(_("start date"))

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["roadmap", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "number"], name="measure_unique_number"),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("starts_on")),
                name="measure_due_after_start",
                violation_error_message=_("The due date is before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Evidence(models.Model):
    """A document or a link that shows a measure was carried out."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="evidence"
    )
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), blank=True)
    document = models.FileField(_("document"), upload_to="roadmap/", blank=True)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["measure", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(url="") | ~models.Q(document=""),
                name="evidence_has_link_or_document",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Kpi(models.Model):
    """A measure's indicator: a quality metric of a service or an agency, a baseline, a target.

    The baseline value is computed from the metrics over the baseline period when the KPI is
    set, and kept as the record of what was approved; the current value is the same metric over
    `current_from` through today, read live.
    """

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="kpis"
    )
    service = models.ForeignKey(
        "catalogue.Service",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        "catalogue.Agency",
        verbose_name=_("all services of the agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    metric = models.CharField(_("metric"), max_length=32, choices=metric_choices)
    baseline_from = models.DateField(_("baseline period from"))
    baseline_to = models.DateField(_("baseline period to"))
    baseline_value = models.DecimalField(
        _("baseline value"),
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_(
            "Computed from the metrics when the KPI was set; empty when there were no cases."
        ),
    )
    current_from = models.DateField(
        _("measured from"), help_text=_("The current value covers this day through today.")
    )
    comparison = models.CharField(_("comparison"), max_length=16, choices=COMPARISON_CHOICES)
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=1)

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["measure", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(service__isnull=False) & models.Q(agency__isnull=True))
                | (models.Q(service__isnull=True) & models.Q(agency__isnull=False)),
                name="kpi_service_or_agency",
                violation_error_message=_("Choose a service or an agency, not both."),
            ),
            models.CheckConstraint(
                condition=models.Q(baseline_to__gte=models.F("baseline_from")),
                name="kpi_baseline_period_order",
                violation_error_message=_("The baseline period ends before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} ({self.measure.number})"


class Meeting(models.Model):
    roadmap = models.ForeignKey(
        Roadmap, verbose_name=_("roadmap"), on_delete=models.CASCADE, related_name="meetings"
    )
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=300)
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        verbose_name = _("working-group meeting")
        verbose_name_plural = _("working-group meetings")
        ordering = ["roadmap", "-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on:%d.%m.%Y} {self.title}"


class Decision(TrackedItem):
    """A decision recorded in a meeting's minutes: an assignee and a due date, tracked like a
    measure."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.TextField(_("decision"))
    assignee = models.ForeignKey(
        WorkingGroupMember,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


# A measure's own fields, in the order the staff form, the services and the CSV file use them.
MEASURE_FIELDS = (
    "number",
    "title",
    "description",
    "responsible_agency",
    "responsible_person",
    "responsible_email",
    "overseer",
    "starts_on",
    "due_on",
    "status",
)
