"""Pre-aggregated rollups of cases: what the quality dashboards read instead of the cases.

One `DailyRollup` row per day × service × region × agency × channel × term kind holds additive
counts, and `processing_days`, the histogram of the cases decided that day: how many took exactly
each number of days of processing (in the term's own unit), as a JSON object {"days": cases}.
Every column is a sum (a histogram sums key by key), so any filter merges rows: a median or 90th
percentile is exact, read off the merged histogram, never estimated. The histogram is a column of
the row rather than a row per number of days: at ten million cases that is seven times fewer rows
to write in a rebuild, and a decision is one upsert, not two.

The rollups are derived data, counted only from cases that already hold valid keys: their keys
carry no database foreign-key constraints or single-column indexes (each would cost a trigger or an
index insert per row of a rebuild); Django still deletes them with their service, region or agency.
Rows are read by day range (the unique key leads with the day) or by region and day.

A dashboard's period is usually months long, so the daily table has a monthly twin
(`MonthlyRollup`: the same counts and histograms summed by calendar month, kept in the same
transaction): a period reads its whole months from the twin and only its ragged ends from the
daily table, and stays a few thousand rows at most.

Ratings and complaints (the feedback app) are more additive columns on `DailyRollup`, keyed by
the case they belong to: a rating counts on the day it was given (how many, the sum of each
criterion's scores and how many of them were 4 or 5); a complaint on the day it was registered,
and again on the day it was decided (decided, upheld). Means and shares are read off the sums.
"""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from uslugi.catalogue.models import Channel, TermKind
from uslugi.feedback.models import CRITERIA

CASE_COUNTS = ["received", "decided", "decided_on_time", "closed", "refused"]
SCORES = [name for name, _label in CRITERIA]
# «Ваш контроль» counts a score of 4 or 5 as satisfied (the share of positive ratings).
SATISFIED_SCORE = 4


class HistogramField(models.JSONField):
    """A histogram kept as `json` on PostgreSQL: the text as written, not parsed into `jsonb`.

    The database never looks inside a histogram except to add one to an entry (`_upsert`, which
    casts to `jsonb` for that); dashboards sum histograms in Python. Parsing them into `jsonb`
    was half the time of a rebuild's COPY (100 000 daily rows: 254 ms against 119 ms as text).
    A `json` column has no equality operator: never group by it or UNION it without ALL.
    """

    def db_type(self, connection: Any) -> str | None:
        return "json" if connection.vendor == "postgresql" else super().db_type(connection)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        # psycopg decodes `json` itself (Django reads only `jsonb` as text).
        if value is not None and not isinstance(value, str):
            return value
        return super().from_db_value(value, expression, connection)


FEEDBACK_COUNTS = [
    "rated",
    *(f"{name}_sum" for name in SCORES),
    *(f"{name}_high" for name in SCORES),
    "complaints",
    "complaints_decided",
    "complaints_upheld",
]
COUNTS = [*CASE_COUNTS, *FEEDBACK_COUNTS]


class RollupKey(models.Model):
    day = models.DateField(_("day"))
    service = models.ForeignKey(
        "catalogue.Service",
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    region = models.ForeignKey(
        "catalogue.Region",
        verbose_name=_("region"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    agency = models.ForeignKey(
        "catalogue.Agency",
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    term_kind = models.CharField(_("term kind"), max_length=16, choices=TermKind.choices)

    class Meta:
        abstract = True


class RollupCounts(RollupKey):
    """The additive counts of a rollup row (see the module docstring)."""

    received = models.PositiveIntegerField(_("received"), default=0)
    decided = models.PositiveIntegerField(
        _("decided"), default=0, help_text=_("Approved or refused on this day.")
    )
    decided_on_time = models.PositiveIntegerField(
        _("decided on time"), default=0, help_text=_("Decided on or before the due date.")
    )
    closed = models.PositiveIntegerField(
        _("closed"),
        default=0,
        help_text=_("Approved, refused, refused to accept or withdrawn on this day."),
    )
    refused = models.PositiveIntegerField(
        _("refused"), default=0, help_text=_("Refused or refused to accept on this day.")
    )
    rated = models.PositiveIntegerField(_("ratings"), default=0)
    time_score_sum = models.PositiveIntegerField(default=0)
    queue_score_sum = models.PositiveIntegerField(default=0)
    staff_score_sum = models.PositiveIntegerField(default=0)
    premises_score_sum = models.PositiveIntegerField(default=0)
    information_score_sum = models.PositiveIntegerField(default=0)
    time_score_high = models.PositiveIntegerField(default=0)
    queue_score_high = models.PositiveIntegerField(default=0)
    staff_score_high = models.PositiveIntegerField(default=0)
    premises_score_high = models.PositiveIntegerField(default=0)
    information_score_high = models.PositiveIntegerField(default=0)
    complaints = models.PositiveIntegerField(
        _("complaints"), default=0, help_text=_("Pre-trial complaints registered on this day.")
    )
    complaints_decided = models.PositiveIntegerField(_("complaints decided"), default=0)
    complaints_upheld = models.PositiveIntegerField(_("complaints upheld"), default=0)
    processing_days = HistogramField(
        _("processing days"),
        default=dict,
        help_text=_(
            "Of the cases decided on this day, how many took each number of days (in the term's "
            "unit, suspensions and waiting for the applicant not counted)."
        ),
    )

    class Meta:
        abstract = True


class DailyRollup(RollupCounts):
    """Counts of one day: receipts on the day of registration, closings on the day of closing."""

    class Meta:
        verbose_name = _("daily rollup")
        verbose_name_plural = _("daily rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "service", "region", "agency", "channel", "term_kind"],
                name="daily_rollup_key",
            )
        ]
        indexes = [models.Index(fields=["region", "day"], name="daily_rollup_region_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.service_id}/{self.region_id}/{self.channel}"


class MonthlyRollup(RollupCounts):
    """The daily rollups of one month summed (`day` is the month's first day; histograms summed
    key by key)."""

    class Meta:
        verbose_name = _("monthly rollup")
        verbose_name_plural = _("monthly rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "service", "region", "agency", "channel", "term_kind"],
                name="monthly_rollup_key",
            )
        ]
        indexes = [models.Index(fields=["region", "day"], name="monthly_rollup_region_day")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m} {self.service_id}/{self.region_id}/{self.channel}"


class ArchiveBlock(models.Model):
    """Cases' facts, sealed in columnar form for the rollup rebuild (`archive`).

    A rebuild from scratch must read every case ever received; millions of wide case rows (joined
    to their applications and events) take a minute to read, while the same facts as a few
    narrow integer columns, compressed, take a fraction of a second. `cases` holds one row per
    case (its id, its key's row in `keys`, status and dates), `keys` the distinct service × region
    × agency × channel × term kind, `stops` each suspension and wait (the row of its case in
    `cases`); all three are Parquet. A case's `archive_block` names the block that holds its row;
    a case whose `archive_block` was cleared by a change is read live again and its stale row here
    is ignored, then dropped when the case is archived anew.
    """

    first_case = models.PositiveBigIntegerField(_("first case"))
    last_case = models.PositiveBigIntegerField(_("last case"))
    count = models.PositiveIntegerField(_("cases"))
    cases = models.BinaryField(_("cases (Parquet)"))
    keys = models.BinaryField(_("keys (Parquet)"))
    stops = models.BinaryField(_("stops (Parquet)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("archive block of cases")
        verbose_name_plural = _("archive blocks of cases")
        indexes = [models.Index(fields=["first_case", "last_case"], name="archive_block_range")]

    def __str__(self) -> str:
        return f"{self.first_case}–{self.last_case} ({self.count})"
