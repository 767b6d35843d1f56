"""Users, their role and the region and agency their work is scoped to.

The scope refers to the catalogue's Region and Agency by foreign key only (see
docs/adr/0002-scopes-reference-catalogue.md): accounts never imports catalogue code.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Citizen or business")
    MFC_OPERATOR = "mfc_operator", _("MFC operator")
    OFFICIAL = "official", _("Agency official")
    CURATOR = "curator", _("Service curator")
    REGIONAL_ADMINISTRATOR = "regional_administrator", _("Regional administrator")
    FEDERAL_METHODOLOGIST = "federal_methodologist", _("Federal methodologist")
    ANALYST = "analyst", _("Analyst")


# Roles whose work is bound to one region; the federal methodologist works for all regions.
REGIONAL_ROLES = frozenset(
    {
        Role.MFC_OPERATOR,
        Role.OFFICIAL,
        Role.CURATOR,
        Role.REGIONAL_ADMINISTRATOR,
        Role.ANALYST,
    }
)
# Roles whose work is bound to one agency inside the region.
AGENCY_ROLES = frozenset({Role.OFFICIAL, Role.CURATOR})


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.CITIZEN)
    region = models.ForeignKey(
        "catalogue.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text=_("The region whose data this staff member works with."),
    )
    agency = models.ForeignKey(
        "catalogue.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text=_("The agency whose cases this official or curator works with."),
    )
    middle_name = models.CharField(_("middle name"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="citizen")
                | models.Q(region__isnull=False)
                | models.Q(role="federal_methodologist"),
                name="staff_role_has_region",
                violation_error_message=_("A staff member of this role needs a region."),
            ),
        ]

    def __str__(self) -> str:
        full_name = " ".join(p for p in [self.last_name, self.first_name, self.middle_name] if p)
        return full_name or self.username

    @property
    def is_citizen(self) -> bool:
        return self.role == Role.CITIZEN


class ExternalIdentity(models.Model):
    """A user's account at an OpenID Connect provider (ESIA or a region's own), matched by `sub`.

    OpenID Connect Core 1.0 §2: `sub` is unique and never reassigned within one issuer, so the
    pair (issuer, subject) names a person; e-mail and names may change and never match accounts.
    """

    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="external_identities",
    )
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    snils = models.CharField(
        _("SNILS"),
        max_length=32,
        blank=True,
        help_text=_("Insurance number of the individual account, as the provider last sent it."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("last login"), null=True, blank=True)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="external_identity_unique_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.subject}"
