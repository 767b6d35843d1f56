"""`manage.py workcalendar`: a region's year of the production calendar (`--json` for machines)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from uslugi.core.errors import UserFacingError
from uslugi.workdays import selectors


class Command(BaseCommand):
    help = "Print a region's production calendar for one year."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True, help="two-digit region code, e.g. 56")
        parser.add_argument("--year", required=True, type=int, help="the year, e.g. 2026")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            calendar = selectors.get_calendar_for_command(options["region"])
            summary = calendar.summarize_year(options["year"])
        except UserFacingError as error:
            raise CommandError(error.message) from None
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False))
            return
        status = _("complete") if summary.complete else _("provisional: statutory holidays only")
        self.stdout.write(
            _("%(name)s (%(region)s), %(year)s: %(working)s working days, %(status)s.")
            % {
                "name": calendar.region.name,
                "region": summary.region,
                "year": summary.year,
                "working": calendar.working_day_count(summary.year),
                "status": status,
            }
        )
        self.stdout.write(_("Non-working days other than ordinary weekends:"))
        for day in summary.non_working:
            rows = calendar.rows_of(day)
            if rows:
                described = "; ".join(row.describe() for row in rows)
                self.stdout.write(f"  {day.isoformat()}  {described}")
        for title, days in (
            (_("Working weekend days:"), summary.working_weekends),
            (_("Shortened days (the office closes one hour earlier):"), summary.shortened),
        ):
            self.stdout.write(title)
            for day in days:
                described = "; ".join(row.describe() for row in calendar.rows_of(day))
                self.stdout.write(f"  {day.isoformat()}  {described}")
