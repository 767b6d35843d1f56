"""Processing-time buckets become a histogram column of the rollup rows they belong to."""

from django.db import migrations, models

KEY = ["day", "service_id", "region_id", "agency_id", "channel", "term_kind"]
HELP = (
    "Of the cases decided on this day, how many took each number of days (in the term's unit, "
    "suspensions and waiting for the applicant not counted)."
)


def fold_buckets(apps, schema_editor):
    """Each bucket row's count goes into its rollup row's histogram (every decided case's
    rollup row exists, since it counts the decision)."""
    for bucket, rollup in (
        ("ProcessingBucket", "DailyRollup"),
        ("MonthlyBucket", "MonthlyRollup"),
    ):
        histograms: dict[tuple, dict[str, int]] = {}
        for *key, days, count in (
            apps.get_model("quality", bucket)
            .objects.filter(count__gt=0)
            .order_by(*KEY, "days")
            .values_list(*KEY, "days", "count")
            .iterator(chunk_size=5000)
        ):
            histograms.setdefault(tuple(key), {})[str(days)] = count
        model = apps.get_model("quality", rollup)
        rows = []
        for row in model.objects.only(*KEY).iterator(chunk_size=5000):
            histogram = histograms.pop(tuple(getattr(row, name) for name in KEY), None)
            if histogram:
                row.processing_days = histogram
                rows.append(row)
        model.objects.bulk_update(rows, ["processing_days"], batch_size=1000)
        model.objects.bulk_create(
            (
                model(**dict(zip(KEY, key, strict=True)), processing_days=histogram)
                for key, histogram in histograms.items()
            ),
            batch_size=1000,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("quality", "0005_case_archive"),
    ]

    operations = [
        migrations.AddField(
            model_name="dailyrollup",
            name="processing_days",
            field=models.JSONField(default=dict, help_text=HELP, verbose_name="processing days"),
        ),
        migrations.AddField(
            model_name="monthlyrollup",
            name="processing_days",
            field=models.JSONField(default=dict, help_text=HELP, verbose_name="processing days"),
        ),
        migrations.RunPython(fold_buckets, migrations.RunPython.noop),
        migrations.DeleteModel(name="MonthlyBucket"),
        migrations.DeleteModel(name="ProcessingBucket"),
    ]
