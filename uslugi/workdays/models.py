"""Regions the production calendar knows and the rows administrators add on top of the shipped data.

The days of 2024–2026 ship with the code (`data/`); these tables hold what an administrator adds
later (a new decree, a republic's dates for Uraza Bayram), each row with the act that sets it.
"""

import uuid
import zoneinfo
from datetime import time

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from uslugi.core.models import TimeStampedModel
from uslugi.workdays.calendar import FEDERAL, DayKind

TIME_ZONE_CHOICES = [
    (name, name)
    for name in sorted(zoneinfo.available_timezones())
    if name.startswith(("Europe/", "Asia/"))
]


class DayKindChoice(models.TextChoices):
    HOLIDAY = DayKind.HOLIDAY.value, _("non-working holiday")
    TRANSFER_DAYOFF = DayKind.TRANSFER_DAYOFF.value, _("day off transferred here")
    WORKING_WEEKEND = DayKind.WORKING_WEEKEND.value, _("working weekend day")
    SHORTENED = DayKind.SHORTENED.value, _("shortened pre-holiday day")


class RegionCalendar(TimeStampedModel):
    """A region whose production calendar the platform keeps, with the rules of its own law."""

    code = models.CharField(
        _("region code"),
        max_length=2,
        unique=True,
        help_text=_("Two-digit code of the subject of the Russian Federation, e.g. 56."),
    )
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=TIME_ZONE_CHOICES,
        help_text=_("Office hours and the time a request is received are read in this zone."),
    )
    moves_weekend_holidays = models.BooleanField(
        _("moves a regional holiday off a weekend"),
        default=False,
        help_text=_(
            "Whether the region's law moves the day off of a regional holiday that falls on a "
            "Saturday or Sunday to the next working day (Bashkortostan: yes; Tatarstan: no since "
            "2017). Applied in every year, on top of the rows below."
        ),
    )
    office_opens = models.TimeField(_("office opens"), default=time(9, 0))
    office_closes = models.TimeField(
        _("office closes"),
        default=time(18, 0),
        help_text=_(
            "A request received at or after this hour is registered on the next working day; on a "
            "shortened day the office closes one hour earlier."
        ),
    )
    version = models.UUIDField(
        _("version"),
        default=uuid.uuid4,
        editable=False,
        help_text=_(
            "Replaced on every change to this calendar; cached copies compare it. A fresh value "
            "each time, not a counter, so a rolled-back change is never taken for a later one."
        ),
    )

    class Meta:
        verbose_name = _("regional production calendar")
        verbose_name_plural = _("regional production calendars")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def _validate_layer(code: str) -> None:
    if code != FEDERAL and not RegionCalendar.objects.filter(code=code).exists():
        raise ValidationError(
            _("Enter RU for the federal calendar or the code of a region the calendar knows.")
        )


class CalendarDay(TimeStampedModel):
    """One day an act makes non-working, working, or shorter, for the federation or a region."""

    region = models.CharField(
        _("region code"),
        max_length=2,
        validators=[_validate_layer],
        help_text=_("RU for a federal day (every region), or the two-digit code of one region."),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=DayKindChoice.choices)
    act = models.CharField(
        _("legal act"),
        max_length=500,
        help_text=_(
            "The act that sets this day, e.g. a Government decree with its date and number."
        ),
    )
    note = models.CharField(
        _("note"),
        max_length=300,
        blank=True,
        help_text=_("Shown to visitors and officials, e.g. the holiday's name."),
    )

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "date", "kind"], name="workdays_day_unique_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.date:%Y-%m-%d} {self.get_kind_display()}"


class CalendarYear(TimeStampedModel):
    """Whether a year's decree (federal) or a region's dates for the year are in the data."""

    region = models.CharField(
        _("region code"),
        max_length=2,
        validators=[_validate_layer],
        help_text=_("RU for the federal decree, or the two-digit code of one region."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2024), MaxValueValidator(2100)]
    )
    complete = models.BooleanField(
        _("complete"),
        default=True,
        help_text=_(
            "Tick when every day the act sets for the year has been entered. A year that is not "
            "complete is provisional: statutory holidays only, and every deadline crossing it says "
            "so."
        ),
    )
    act = models.CharField(
        _("legal act"), max_length=500, help_text=_("The act that sets the year.")
    )

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year", "region"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="workdays_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year}"
