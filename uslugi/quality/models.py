"""Pre-aggregated rollups of cases: what the quality dashboards read instead of the cases.

One `DailyRollup` row per day × service × region × agency × channel × term kind holds additive
counts; `ProcessingBucket` rows hold, for the same key, how many decided cases took exactly `days`
days of processing (in the term's own unit). Every column is a sum, so any filter merges rows with
`SUM`: a median or 90th percentile is exact, read off the merged histogram (tens of rows), never
estimated. Buckets are a table of their own, keyed like the rollup rather than by a foreign key to
it, so that the merge is one `GROUP BY days` on one table on any database, and a new bucket is an
upsert without first finding its rollup row.

Ratings and complaints (the feedback app) join later as more additive columns on `DailyRollup`
(ratings count, the sum per criterion, ratings ≥ 4, complaints, complaints upheld): counted on
the day of the case they belong to, they merge the same way.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from uslugi.catalogue.models import Channel, TermKind


class RollupKey(models.Model):
    day = models.DateField(_("day"))
    service = models.ForeignKey(
        "catalogue.Service", verbose_name=_("service"), on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(
        "catalogue.Region", verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )
    agency = models.ForeignKey(
        "catalogue.Agency", verbose_name=_("agency"), on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    term_kind = models.CharField(_("term kind"), max_length=16, choices=TermKind.choices)

    class Meta:
        abstract = True


class DailyRollup(RollupKey):
    """Counts of one day: receipts on the day of registration, closings on the day of closing."""

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


class ProcessingBucket(RollupKey):
    """How many cases decided on `day` took exactly `days` days, suspensions not counted."""

    days = models.PositiveIntegerField(_("processing days"))
    count = models.PositiveIntegerField(_("cases"), default=0)

    class Meta:
        verbose_name = _("processing-time bucket")
        verbose_name_plural = _("processing-time buckets")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "service", "region", "agency", "channel", "term_kind", "days"],
                name="processing_bucket_key",
            )
        ]
        indexes = [models.Index(fields=["region", "day"], name="processing_bucket_region_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.days}: {self.count}"
