"""Seed the regions the shipped calendar data covers (the same values as data/regions.csv)."""

from django.db import migrations

# BRIEF §7: Orenburg and Bashkortostan UTC+5, Tatarstan UTC+3; Bashkortostan moves a regional
# holiday off a weekend, Tatarstan has not since 2017; Orenburg has federal days only.
REGIONS = [
    ("56", "Оренбургская область", "Orenburg Oblast", "Asia/Yekaterinburg", False),
    ("16", "Республика Татарстан", "Republic of Tatarstan", "Europe/Moscow", False),
    ("02", "Республика Башкортостан", "Republic of Bashkortostan", "Asia/Yekaterinburg", True),
]


def seed(apps, schema_editor):
    RegionCalendar = apps.get_model("workdays", "RegionCalendar")
    for code, name, name_en, time_zone, moves in REGIONS:
        RegionCalendar.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "time_zone": time_zone,
                "moves_weekend_holidays": moves,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("workdays", "RegionCalendar").objects.filter(
        code__in=[code for code, *_ in REGIONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
