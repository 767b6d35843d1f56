"""PostgreSQL samples the rollups' key columns for the planner with a target of 10, not 100.

A rebuild ends with ANALYZE of the key columns (and `decided`). With the default target it reads
30 000 rows and took about a tenth of a second of every rebuild; at 10 it reads 3 000 rows, which
still gives the planner every region, channel and term kind (a handful of values each) and the
days' range. SQLite keeps no such statistics: nothing to do there.
"""

from django.db import migrations

COLUMNS = ["day", "service_id", "region_id", "agency_id", "channel", "term_kind", "decided"]


def statistics(target):
    def alter(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        for name in ("DailyRollup", "MonthlyRollup"):
            table = apps.get_model("quality", name)._meta.db_table
            columns = ", ".join(
                f"ALTER COLUMN {quote(column)} SET STATISTICS {target}" for column in COLUMNS
            )
            schema_editor.execute(f"ALTER TABLE {quote(table)} {columns}")

    return alter


class Migration(migrations.Migration):
    dependencies = [("quality", "0006_histograms")]

    operations = [migrations.RunPython(statistics(10), statistics(-1))]
