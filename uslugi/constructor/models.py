"""Federal templates and regional variants of a service, each kept as immutable published versions.

A version stores its whole definition (docs/constructor-definition.md) as JSON. Drafts are edited;
a published version never changes and has a validity window, so an application keeps the version it
was filed under.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from uslugi.catalogue.models import Channel, TermKind
from uslugi.core.models import TimeStampedModel


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


def empty_definition() -> dict[str, object]:
    return {"schema_version": 1, "blocks": []}


class FederalTemplate(TimeStampedModel):
    """A service as the federal methodologist defines it for every region."""

    code = models.SlugField(
        _("code"),
        max_length=64,
        unique=True,
        help_text=_("The catalogue code of the service this template defines, e.g. pensiya_star."),
    )
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("federal template")
        verbose_name_plural = _("federal templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class VersionBase(TimeStampedModel):
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
    revision = models.PositiveIntegerField(
        _("revision"),
        default=1,
        help_text=_("Grows with every saved edit of a draft; a stale edit is refused."),
    )

    class Meta:
        abstract = True

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT


class TemplateVersion(VersionBase):
    """One version of a federal template: blocks plus the standard every region must honour."""

    template = models.ForeignKey(
        FederalTemplate,
        verbose_name=_("template"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    max_term = models.PositiveIntegerField(_("maximum term"))
    term_kind = models.CharField(
        _("term kind"), max_length=16, choices=TermKind.choices, default=TermKind.WORKING
    )
    max_applicant_documents = models.PositiveSmallIntegerField(
        _("maximum documents from the applicant")
    )
    max_visits = models.PositiveSmallIntegerField(_("maximum in-person visits"))
    required_channels = models.JSONField(
        _("required channels"),
        default=list,
        blank=True,
        help_text=_("Channels every region must offer: portal, mfc, in_person, mail."),
    )
    proactive = models.BooleanField(_("proactive"), default=False)

    class Meta:
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="template_version_unique"),
            models.UniqueConstraint(
                fields=["template"],
                condition=models.Q(status="draft"),
                name="one_draft_per_template",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} — v{self.number}"


class RegionalVariant(TimeStampedModel):
    """A region's variant of a federal template: its catalogue service, agency, curator, term."""

    template = models.ForeignKey(
        FederalTemplate,
        verbose_name=_("template"),
        on_delete=models.PROTECT,
        related_name="variants",
    )
    region = models.ForeignKey(
        "catalogue.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="variants",
    )
    service = models.ForeignKey(
        "catalogue.Service",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="variants",
        help_text=_("The region's catalogue entry this variant provides."),
    )

    class Meta:
        verbose_name = _("regional variant")
        verbose_name_plural = _("regional variants")
        ordering = ["template", "region__code"]
        constraints = [
            models.UniqueConstraint(fields=["template", "region"], name="variant_unique_in_region"),
        ]

    def __str__(self) -> str:
        return f"{self.template} — {self.region}"


class VariantVersion(VersionBase):
    """One version of a regional variant, built on one template version."""

    variant = models.ForeignKey(
        RegionalVariant,
        verbose_name=_("variant"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    based_on = models.ForeignKey(
        TemplateVersion,
        verbose_name=_("template version"),
        on_delete=models.PROTECT,
        related_name="variant_versions",
    )
    agency = models.ForeignKey(
        "catalogue.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    curator = models.ForeignKey(
        "catalogue.Curator",
        verbose_name=_("curator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    term = models.PositiveIntegerField(_("term"), null=True, blank=True)
    term_kind = models.CharField(
        _("term kind"), max_length=16, choices=TermKind.choices, default=TermKind.WORKING
    )
    visits = models.PositiveSmallIntegerField(_("in-person visits"), default=0)
    channels = models.JSONField(
        _("channels"),
        default=list,
        blank=True,
        help_text=_("Channels the region offers: portal, mfc, in_person, mail."),
    )

    class Meta:
        verbose_name = _("variant version")
        verbose_name_plural = _("variant versions")
        ordering = ["variant", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["variant", "number"], name="variant_version_unique"),
            models.UniqueConstraint(
                fields=["variant"],
                condition=models.Q(status="draft"),
                name="one_draft_per_variant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variant} — v{self.number}"


CHANNEL_VALUES = [choice.value for choice in Channel]


class FormDraft(TimeStampedModel):
    """What a citizen (or a staff member previewing a variant) has typed so far into a form.

    Saved on every step, valid or not, so that nothing typed is lost; resumed by its address.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(
        VariantVersion,
        verbose_name=_("variant version"),
        on_delete=models.PROTECT,
        related_name="drafts",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="form_drafts",
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    raw = models.JSONField(
        _("typed values"),
        default=dict,
        blank=True,
        help_text=_("What was typed into each step as sent, kept even when it did not validate."),
    )
    step = models.PositiveSmallIntegerField(_("step"), default=0)
    preview = models.BooleanField(_("preview"), default=False)

    class Meta:
        verbose_name = _("form draft")
        verbose_name_plural = _("form drafts")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.version} — {self.id}"
