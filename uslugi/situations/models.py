"""Life situations (a questionnaire and a composition of services) and the packages citizens file.

A situation's definition (docs/life-situations.md) is kept as immutable published versions with a
validity window, like the constructor's definitions: a package keeps the version it was filed under.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from uslugi.catalogue.models import BilingualNameMixin
from uslugi.core.models import TimeStampedModel


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


def empty_definition() -> dict[str, object]:
    return {"schema_version": 1, "questions": [], "shared": [], "items": []}


class LifeSituation(BilingualNameMixin, TimeStampedModel):
    """A moment of life in one region («Рождение ребёнка»), answered by several services at once."""

    region = models.ForeignKey(
        "catalogue.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="life_situations",
    )
    code = models.SlugField(_("code"), max_length=64)
    description = models.TextField(_("description for citizens"), blank=True)

    class Meta:
        verbose_name = _("life situation")
        verbose_name_plural = _("life situations")
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="life_situation_unique"),
        ]


class SituationVersion(TimeStampedModel):
    """One version of a situation's definition; a published one never changes."""

    situation = models.ForeignKey(
        LifeSituation,
        verbose_name=_("life situation"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    definition = models.JSONField(_("definition"), default=empty_definition)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("life situation version")
        verbose_name_plural = _("life situation versions")
        ordering = ["situation", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["situation", "number"], name="situation_version_unique"
            ),
            models.UniqueConstraint(
                fields=["situation"],
                condition=models.Q(status="draft"),
                name="one_draft_per_situation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.situation} — v{self.number}"


class PackageDraft(TimeStampedModel):
    """What a citizen answered so far: the questionnaire, then the combined form, step by step.

    Owned by the signed-in user, or by the browser that started it (its session keeps the claim).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(
        SituationVersion,
        verbose_name=_("life situation version"),
        on_delete=models.PROTECT,
        related_name="drafts",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="package_drafts",
    )
    questions = models.JSONField(_("questionnaire answers"), default=dict, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    raw = models.JSONField(
        _("typed values"),
        default=dict,
        blank=True,
        help_text=_("What was typed into each step as sent, kept even when it did not validate."),
    )
    step = models.PositiveSmallIntegerField(_("step"), default=0)

    class Meta:
        verbose_name = _("package draft")
        verbose_name_plural = _("package drafts")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.version} — {self.id}"


class Package(models.Model):
    """One submission of a life situation: one application and case per included service."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(
        SituationVersion,
        verbose_name=_("life situation version"),
        on_delete=models.PROTECT,
        related_name="packages",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="packages",
    )
    questions = models.JSONField(_("questionnaire answers"), default=dict)
    draft = models.OneToOneField(
        PackageDraft,
        verbose_name=_("draft"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="package",
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=100)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("package")
        verbose_name_plural = _("packages")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "idempotency_key"], name="package_idempotent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version.situation} — {self.id}"


class ItemState(models.TextChoices):
    FILED = "filed", _("filed, the term runs")
    WAITING = "waiting", _("filed, waits for another service")
    UPCOMING = "upcoming", _("comes automatically later")
    PROVIDED = "provided", _("started automatically")
    NOT_STARTED = "not_started", _("could not start automatically")


class PackageItem(models.Model):
    """One service of a package; its application (and case), unless it comes automatically."""

    package = models.ForeignKey(
        Package, verbose_name=_("package"), on_delete=models.CASCADE, related_name="items"
    )
    key = models.SlugField(_("item key"), max_length=64)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    service = models.ForeignKey(
        "catalogue.Service",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="package_items",
    )
    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="package_item",
    )
    proactive = models.BooleanField(_("proactive"), default=False)
    reason = models.TextField(_("why it is included"), blank=True)
    waits_for = models.JSONField(_("waits for"), default=list, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=ItemState.choices)
    answers = models.JSONField(
        _("answers"),
        default=dict,
        blank=True,
        help_text=_("For an item that starts later: the answers its application will carry."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("package item")
        verbose_name_plural = _("package items")
        ordering = ["package", "position"]
        constraints = [
            models.UniqueConstraint(fields=["package", "key"], name="package_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.package_id}: {self.key}"
