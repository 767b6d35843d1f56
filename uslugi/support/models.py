"""Support measures: rule versions with their legal basis, dated regional parameters, test cases,
the demo population registry, its events, and proactive offers."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from uslugi.catalogue.models import Region, Service
from uslugi.support.profile import PARAMETERS


class RegionalParameter(models.Model):
    """A number a rule names as `$name`, valid from a day, for one region or (region empty) all.

    A regional row wins over the federal one; the row with the latest `valid_from` not after the
    day in question is the value in force, so next year's minimum is simply a new row.
    """

    name = models.CharField(_("name"), max_length=64, choices=[(name, name) for name in PARAMETERS])
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="support_parameters",
        help_text=_("Empty for a federal value that holds in every region."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    source = models.TextField(_("source"), help_text=_("The act or publication of the value."))

    class Meta:
        verbose_name = _("regional parameter")
        verbose_name_plural = _("regional parameters")
        ordering = ["name", "region__code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "region", "valid_from"], name="support_parameter_once_per_day"
            )
        ]

    def __str__(self) -> str:
        where = self.region.code if self.region is not None else "RF"
        return f"{self.name} {where} {self.valid_from}: {self.value}"


class MeasureRule(models.Model):
    """One version of a support measure's eligibility rule; a change is a new version.

    `criteria` is a list of {"text", "expression"}: each expression is a condition in the rules
    language over the citizen profile, each text says it in plain words. The citizen is eligible
    when every criterion holds; "almost eligible" when exactly one fails.
    """

    service = models.ForeignKey(
        Service,
        verbose_name=_("support measure"),
        on_delete=models.PROTECT,
        related_name="measure_rules",
        limit_choices_to={"kind": "support_measure"},
    )
    version = models.PositiveIntegerField(_("version"))
    criteria = models.JSONField(
        _("criteria"),
        help_text=_(
            'A list of {"text": "in plain words", "expression": "a condition"}; all must hold.'
        ),
    )
    amount_expression = models.TextField(
        _("amount expression"),
        blank=True,
        help_text=_("A number in roubles, e.g. 0.5 * $subsistence_minimum_child; may be empty."),
    )
    amount_text = models.CharField(
        _("how the amount is paid"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “a month, for 12 months”."),
    )
    legal_basis = models.TextField(_("legal basis"))
    valid_from = models.DateField(_("valid from"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("measure rule version")
        verbose_name_plural = _("measure rule versions")
        ordering = ["service__region__code", "service__code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["service", "version"], name="support_rule_version")
        ]

    def __str__(self) -> str:
        return f"{self.service} v{self.version}"


class ExpectedResult(models.TextChoices):
    ELIGIBLE = "eligible", _("eligible")
    ALMOST = "almost", _("almost eligible")
    NOT_ELIGIBLE = "not_eligible", _("not eligible")
    UNKNOWN = "unknown", _("cannot tell")


class RuleTestCase(models.Model):
    """A measure's test case as data: a profile on a day, the expected result and its reason."""

    service = models.ForeignKey(
        Service,
        verbose_name=_("support measure"),
        on_delete=models.CASCADE,
        related_name="rule_test_cases",
    )
    name = models.CharField(_("name"), max_length=200)
    profile = models.JSONField(_("profile"))
    on = models.DateField(_("on"))
    expected = models.CharField(_("expected result"), max_length=16, choices=ExpectedResult.choices)
    expected_reason = models.CharField(
        _("expected reason"),
        max_length=300,
        blank=True,
        help_text=_("Text the explanation must contain: a criterion or a missing field."),
    )
    expected_amount = models.DecimalField(
        _("expected amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("rule test case")
        verbose_name_plural = _("rule test cases")
        ordering = ["service__region__code", "service__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["service", "name"], name="support_test_case_name")
        ]

    def __str__(self) -> str:
        return self.name


class Sex(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")


class CitizenProfile(models.Model):
    """A person of the demo population registry: what the state already knows about them.

    Any field may be empty: unknown to the registry. Groups are JSON lists of the profile's
    shape (`profile.py`); None means the family is not known. Amounts are in roubles.
    """

    person_number = models.CharField(_("person number"), max_length=32, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_profile",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, blank=True)
    employed = models.BooleanField(_("works"), null=True, blank=True)
    annual_income = models.DecimalField(
        _("income for 12 months"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    valid_reason_no_income = models.BooleanField(
        _("valid reason for no income"), null=True, blank=True
    )
    disability_group = models.PositiveSmallIntegerField(
        _("disability group"), null=True, blank=True
    )
    insurance_years = models.PositiveSmallIntegerField(_("insurance record"), null=True, blank=True)
    pension_points = models.DecimalField(
        _("pension points"), max_digits=8, decimal_places=3, null=True, blank=True
    )
    work_years = models.PositiveSmallIntegerField(_("work record"), null=True, blank=True)
    labour_award = models.BooleanField(_("labour award"), null=True, blank=True)
    regional_award = models.BooleanField(_("regional award"), null=True, blank=True)
    veteran_of_labour = models.BooleanField(_("veteran of labour"), null=True, blank=True)
    receives_pension = models.BooleanField(_("receives a pension"), null=True, blank=True)
    flats = models.PositiveSmallIntegerField(_("flats owned"), null=True, blank=True)
    living_area = models.DecimalField(
        _("living area, m²"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    utility_costs = models.DecimalField(
        _("housing and utility costs a month"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
    )
    benefits = models.JSONField(_("benefits received"), default=list, blank=True)
    other_adults = models.JSONField(_("other adults of the family"), null=True, blank=True)
    children = models.JSONField(_("children"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("citizen profile")
        verbose_name_plural = _("citizen profiles")
        ordering = ["person_number"]

    def __str__(self) -> str:
        return f"{self.person_number} {self.last_name} {self.first_name}"


# The registry's columns that are profile fields of the same name (see `selectors.as_profile`).
SCALAR_FIELDS = [
    "birth_date",
    "sex",
    "employed",
    "annual_income",
    "valid_reason_no_income",
    "disability_group",
    "insurance_years",
    "pension_points",
    "work_years",
    "labour_award",
    "regional_award",
    "veteran_of_labour",
    "receives_pension",
    "flats",
    "living_area",
    "utility_costs",
]
DECIMAL_ZERO = Decimal("0")


class EventKind(models.TextChoices):
    BIRTH_REGISTERED = "birth_registered", _("birth registered")
    SIXTIETH_BIRTHDAY = "sixtieth_birthday", _("60th birthday")
    INCOME_CHANGED = "income_changed", _("income changed")


class PopulationEvent(models.Model):
    """Something the registry learned about a person; the proactive scan looks at them again."""

    profile = models.ForeignKey(
        CitizenProfile,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=EventKind.choices)
    occurred_on = models.DateField(_("occurred on"))
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    scanned_at = models.DateTimeField(_("scanned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("population event")
        verbose_name_plural = _("population events")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.profile.person_number}"


class OfferStatus(models.TextChoices):
    OFFERED = "offered", _("offered")
    ACCEPTED = "accepted", _("accepted")


class Offer(models.Model):
    """A proactive offer of a measure to a person the scan found eligible; one per measure."""

    profile = models.ForeignKey(
        CitizenProfile, verbose_name=_("person"), on_delete=models.CASCADE, related_name="offers"
    )
    service = models.ForeignKey(
        Service, verbose_name=_("support measure"), on_delete=models.PROTECT, related_name="+"
    )
    rule = models.ForeignKey(
        MeasureRule, verbose_name=_("rule version"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=OfferStatus.choices, default=OfferStatus.OFFERED
    )
    amount = models.DecimalField(
        _("estimated amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "service"], name="support_offer_once")
        ]

    def __str__(self) -> str:
        return f"{self.service} → {self.profile.person_number}"
