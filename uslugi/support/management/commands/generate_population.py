"""Generate the demo population registry: `count` synthetic citizens, inserted in bulk.

    uv run python manage.py generate_population --count 1000000 [--seed 1] [--scan]

PostgreSQL receives the rows through COPY; SQLite through batched inserts.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from uslugi.applications.generation import columns_of, copy_line, copy_lines
from uslugi.catalogue.models import Region
from uslugi.support import services
from uslugi.support.models import CitizenProfile

BATCH = 20_000


def _json_group(items: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    if items is None:
        return None
    return [
        {
            key: (value.isoformat() if isinstance(value, date) else value)
            for key, value in item.items()
        }
        for item in items
    ]


def _row(record: dict[str, Any], prefix: str, regions: dict[str, int], now: Any) -> dict[str, Any]:
    number = f"{prefix}{record['owner']:08d}"
    return {
        "person_number": number,
        "region_id": regions[record["region"]],
        "last_name": record["last_name"],
        "first_name": record["first_name"],
        "email": f"{number.lower()}@example.org",
        "birth_date": record["birth_date"],
        "sex": record["sex"] or "",
        "employed": record["employed"],
        "annual_income": record["annual_income"],
        "valid_reason_no_income": record["valid_reason_no_income"],
        "disability_group": _int(record["disability_group"]),
        "insurance_years": _int(record["insurance_years"]),
        "pension_points": record["pension_points"],
        "work_years": _int(record["work_years"]),
        "labour_award": record["labour_award"],
        "regional_award": record["regional_award"],
        "veteran_of_labour": record["veteran_of_labour"],
        "receives_pension": record["receives_pension"],
        "flats": _int(record["flats"]),
        "living_area": record["living_area"],
        "utility_costs": record["utility_costs"],
        "benefits": record["benefits"] or [],
        "other_adults": _json_group(record["other_adults"]),
        "children": _json_group(record["children"]),
        "updated_at": now,
    }


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


def insert_people(frame: Any, *, prefix: str) -> int:
    """Insert a generated frame (population.generate) as registry rows; returns the count."""
    regions = dict(Region.objects.values_list("code", "pk"))
    missing = set(frame["region"].unique().to_list()) - set(regions)
    if missing:
        raise CommandError(f"regions {sorted(missing)} are not loaded: run load_demo first")
    now = timezone.now()
    inserted = 0
    columns = columns_of(CitizenProfile)
    columns = [column for column in columns if column[0] != "id"]
    for start in range(0, frame.height, BATCH):
        rows = [
            _row(record, prefix, regions, now)
            for record in frame.slice(start, BATCH).iter_rows(named=True)
        ]
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    copy_lines(
                        cursor.cursor,
                        CitizenProfile,
                        columns,
                        [copy_line(columns, row) for row in rows],
                    )
            else:
                CitizenProfile.objects.bulk_create(
                    [CitizenProfile(**row) for row in rows], batch_size=1000
                )
        inserted += len(rows)
    return inserted


class Command(BaseCommand):
    help = "Generate synthetic citizens into the demo population registry (bulk insert)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--count", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--prefix", default="GEN-", help="person numbers start with it")
        parser.add_argument("--scan", action="store_true", help="run the proactive scan after")

    def handle(self, *args: Any, **options: Any) -> None:
        from uslugi.support.population import generate

        if options["count"] <= 0:
            raise CommandError("--count must be positive")
        prefix = f"{options['prefix']}{options['seed']}-"
        if CitizenProfile.objects.filter(person_number__startswith=prefix).exists():
            raise CommandError(f"people numbered {prefix}… exist already; choose another --seed")
        started = time.perf_counter()
        frame = generate(options["count"], seed=options["seed"], today=timezone.localdate())
        generated = time.perf_counter()
        count = insert_people(frame, prefix=prefix)
        inserted = time.perf_counter()
        self.stdout.write(
            f"{count:,} people: generated in {generated - started:.1f} s, "
            f"inserted in {inserted - generated:.1f} s ({count / (inserted - generated):,.0f}/s)"
        )
        if options["scan"]:
            result = services.scan_population()
            self.stdout.write(f"scan: {result.as_dict()} in {time.perf_counter() - inserted:.1f} s")
