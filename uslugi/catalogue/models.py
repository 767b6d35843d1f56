"""Regions, agencies, institutions, services, their quality standards and curators."""

import zoneinfo
from datetime import date

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from uslugi.core.models import TimeStampedModel
from uslugi.workdays.deadlines import TermKind

TIME_ZONE_CHOICES = [
    (name, name)
    for name in sorted(zoneinfo.available_timezones())
    if name.startswith(("Europe/", "Asia/"))
]


class Level(models.TextChoices):
    FEDERAL = "federal", _("federal")
    REGIONAL = "regional", _("regional")
    MUNICIPAL = "municipal", _("municipal")


class ServiceKind(models.TextChoices):
    SERVICE = "service", _("public service")
    SUPPORT_MEASURE = "support_measure", _("support measure")
    CONTROL_FUNCTION = "control_function", _("control function")


class Channel(models.TextChoices):
    """How an application reaches the agency (the glossary's канал подачи)."""

    PORTAL = "portal", _("portal")
    MFC = "mfc", _("MFC")
    IN_PERSON = "in_person", _("in person")
    MAIL = "mail", _("mail")


class BilingualNameMixin(models.Model):
    """A Russian name that every row has and an English one shown when the visitor chose English."""

    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        if self.name_en and (get_language() or "ru").startswith("en"):
            return self.name_en
        return self.name


class Region(BilingualNameMixin):
    code = models.CharField(
        _("code"),
        max_length=2,
        unique=True,
        help_text=_("Two-digit code of the subject of the Russian Federation, e.g. 56."),
    )
    time_zone = models.CharField(_("time zone"), max_length=64, choices=TIME_ZONE_CHOICES)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]


class Agency(BilingualNameMixin, TimeStampedModel):
    """An executive body (ведомство / орган) that provides services, federal or of a region."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="agencies",
        help_text=_("For a territorial office of a federal body, the region it serves."),
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    working_hours = models.CharField(_("working hours"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["region__code", "name"]


class Institution(BilingualNameMixin, TimeStampedModel):
    """A place where people are served: an MFC office, a school, a kindergarten, a clinic."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="institutions",
        help_text=_("The agency the institution belongs to."),
    )
    kind = models.CharField(_("kind"), max_length=100, help_text=_("E.g. MFC office, school."))
    address = models.CharField(_("address"), max_length=300)
    working_hours = models.CharField(_("working hours"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]


class Service(BilingualNameMixin, TimeStampedModel):
    """A service, support measure or control function as a region provides it."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="services"
    )
    code = models.SlugField(
        _("code"), max_length=64, help_text=_("Unique within the region, used in addresses.")
    )
    kind = models.CharField(
        _("kind"), max_length=32, choices=ServiceKind.choices, default=ServiceKind.SERVICE
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="services",
        help_text=_("The agency responsible for providing the service in the region."),
    )
    institutions = models.ManyToManyField(
        Institution,
        verbose_name=_("institutions"),
        blank=True,
        related_name="services",
        help_text=_("Where applicants can be served in person."),
    )
    description = models.TextField(_("description"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    result = models.TextField(_("result"), blank=True)
    source = models.TextField(
        _("source"), blank=True, help_text=_("Where the facts about the service come from.")
    )
    search_text = models.TextField(
        _("search text"),
        blank=True,
        editable=False,
        help_text=_("Case-folded words the catalogue search matches; kept by catalogue services."),
    )

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="service_code_unique_in_region")
        ]


class QualityStandard(models.Model):
    """One version of a service's quality standard (210-FZ art. 14), valid over a window of dates.

    Versions are never edited: `catalogue.services.revise_quality_standard` closes the version in
    force and opens the next, so that a case keeps the promise it was filed under.
    """

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="standards"
    )
    version = models.PositiveIntegerField(_("version"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("Empty while the version is in force.")
    )
    term = models.PositiveIntegerField(
        _("term"),
        null=True,
        blank=True,
        help_text=_("Maximum term of the service in days of the term kind; empty if not set."),
    )
    term_kind = models.CharField(
        _("term kind"), max_length=16, choices=TermKind.choices, default=TermKind.WORKING
    )
    applicant_documents = models.JSONField(
        _("documents from the applicant"),
        default=list,
        blank=True,
        help_text=_("Names of the documents the applicant brings, one per item."),
    )
    interagency_documents = models.JSONField(
        _("documents by interagency request"),
        default=list,
        blank=True,
        help_text=_(
            "Names of the documents the agency obtains itself; the applicant may still bring them."
        ),
    )
    max_visits = models.PositiveSmallIntegerField(
        _("maximum in-person visits"), default=1, help_text=_("0 means fully remote.")
    )
    channel_portal = models.BooleanField(_("via the portal"), default=False)
    channel_mfc = models.BooleanField(_("via an MFC"), default=False)
    channel_in_person = models.BooleanField(_("in person at the agency"), default=False)
    channel_mail = models.BooleanField(_("by mail"), default=False)
    proactive = models.BooleanField(
        _("proactive"), default=False, help_text=_("Provided without an application.")
    )
    electronic_result = models.BooleanField(_("electronic result"), default=False)
    registration_minutes_in_person = models.PositiveSmallIntegerField(
        _("registration time in person, minutes"), default=15
    )
    registration_working_days_remote = models.PositiveSmallIntegerField(
        _("registration time online or by post, working days"), default=1
    )
    max_queue_wait_minutes = models.PositiveSmallIntegerField(
        _("maximum queue wait, minutes"), default=15
    )
    complaint_term = models.PositiveSmallIntegerField(
        _("complaint term, working days"),
        default=15,
        help_text=_("210-FZ art. 11.2: a pre-trial complaint is decided in 15 working days."),
    )
    complaint_refusal_term = models.PositiveSmallIntegerField(
        _("complaint term for a refusal to accept documents, working days"), default=5
    )
    fee = models.CharField(_("fee"), max_length=200, blank=True, default="")
    source = models.TextField(_("source"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("quality standard")
        verbose_name_plural = _("quality standards")
        ordering = ["service", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["service", "version"], name="standard_version_unique"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="standard_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} — v{self.version}"

    @property
    def channels(self) -> list[Channel]:
        flags = {
            Channel.PORTAL: self.channel_portal,
            Channel.MFC: self.channel_mfc,
            Channel.IN_PERSON: self.channel_in_person,
            Channel.MAIL: self.channel_mail,
        }
        return [channel for channel, enabled in flags.items() if enabled]

    @property
    def online(self) -> bool:
        return self.channel_portal

    def is_in_force_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Curator(TimeStampedModel):
    """The person personally accountable for a service's quality (announced in August 2025)."""

    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    middle_name = models.CharField(_("middle name"), max_length=100, blank=True)
    position = models.CharField(_("position"), max_length=300)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="curators"
    )
    responsibilities = models.TextField(
        _("what they answer for"),
        blank=True,
        help_text=_("Shown to citizens: what the curator is accountable for."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    reception_hours = models.CharField(_("reception hours"), max_length=200, blank=True)
    photo = models.ImageField(_("photo"), upload_to="curators/", blank=True)
    photo_consent = models.BooleanField(
        _("consents to showing the photo"),
        default=False,
        help_text=_("The photo is shown on service pages only with the curator's consent."),
    )
    user = models.OneToOneField(
        "accounts.User",
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="curator_profile",
    )
    is_demo = models.BooleanField(
        _("demo person"), default=False, help_text=_("An invented person of the demo region.")
    )

    class Meta:
        verbose_name = _("curator")
        verbose_name_plural = _("curators")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in [self.last_name, self.first_name, self.middle_name] if p)

    @property
    def public_photo(self) -> models.fields.files.ImageFieldFile | None:
        """The photo, only where the curator consented to its publication."""
        return self.photo if self.photo and self.photo_consent else None


class CuratorAssignment(models.Model):
    """A curator answers for a service in its region from `starts_on` until `ends_on`."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="curatorships"
    )
    curator = models.ForeignKey(
        Curator, verbose_name=_("curator"), on_delete=models.PROTECT, related_name="assignments"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("curator assignment")
        verbose_name_plural = _("curator assignments")
        ordering = ["service", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="curatorship_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.curator} → {self.service}"
