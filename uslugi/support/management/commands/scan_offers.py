"""The proactive scan: every measure against the population, or one event's person.

    uv run python manage.py scan_offers [--region 56]
    uv run python manage.py scan_offers --event birth_registered --person DEMO-00000012 \
        [--date 2026-03-02] [--birth-date 2026-03-01] [--income 180000]
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from uslugi.core.errors import UserFacingError
from uslugi.support import services
from uslugi.support.models import CitizenProfile, EventKind


class Command(BaseCommand):
    help = "Create proactive offers: a scan of the population or of one event's person."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--region", default="")
        parser.add_argument("--date", default="", help="the day to evaluate on (ISO)")
        parser.add_argument("--event", choices=list(EventKind.values), default="")
        parser.add_argument("--person", default="", help="person number for --event")
        parser.add_argument("--birth-date", default="")
        parser.add_argument("--income", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise CommandError("--date must be an ISO date such as 2026-03-02") from None
        started = time.perf_counter()
        if options["event"]:
            person = CitizenProfile.objects.filter(person_number=options["person"]).first()
            if person is None:
                raise CommandError(f"no person {options['person']!r} in the registry")
            data: dict[str, Any] = {}
            if options["birth_date"]:
                data["birth_date"] = options["birth_date"]
            if options["income"]:
                data["annual_income"] = options["income"]
            try:
                _event, result = services.register_event(
                    profile=person,
                    kind=EventKind(options["event"]),
                    occurred_on=day,
                    actor=None,
                    data=data,
                )
            except UserFacingError as error:
                raise CommandError(error.message) from None
        else:
            result = services.scan_population(region_code=options["region"], day=day)
        self.stdout.write(f"{result.as_dict()} in {time.perf_counter() - started:.1f} s")
