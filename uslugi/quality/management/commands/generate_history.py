"""Generate a realistic history of closed and open cases, with stops, for the demo and benchmarks.

    manage.py generate_history --count 10000000 [--days 700] [--improved-on 2026-01-01]
                               [--with-feedback]

With --with-feedback, some decided cases are also rated and some complained against
(`uslugi.feedback.generation`), through the ORM.

Cases of every service with a form version in force, in every region, received on working days
of the last `--days` days with a yearly season (more in spring, fewer in midsummer); the portal's
share of applications rises from 45 % to 80 % over the history; processing takes 60–130 % of the
term before `--improved-on` and 30–90 % after it. One decided case in eight was suspended and one
in twelve waited for the applicant (stops of 1–15 days, the decision moved by as much). Some are
refused to accept or withdrawn (with the closing event), most approved, some refused; cases whose
decision would fall after today are open, in review. Due dates come from the region's calendar
(the bulk path of `uslugi.workdays`, stops included).

The cases are then archived, as the nightly job would have (`uslugi.quality.archive`);
--no-archive leaves them to be read live.

On PostgreSQL the rows go in by COPY (run it alone: ids are reserved up front); elsewhere through
`bulk_create` (small counts, tests).
"""

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from uslugi.applications.models import Application, Case, CaseEvent, Suspension
from uslugi.feedback.generation import generate_feedback
from uslugi.quality import archive
from uslugi.quality.generation import History, bulk_create_history, copy_history, generated_cases


class Command(BaseCommand):
    help = "Generate a realistic history of cases (seasons, channels, an improvement, stops)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--days", type=int, default=700)
        parser.add_argument("--improved-on", type=date.fromisoformat, default=None)
        parser.add_argument("--batch", type=int, default=200_000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--with-feedback",
            action="store_true",
            help="Also rate some decided cases and complain against some (the ORM path; slow "
            "for millions).",
        )
        parser.add_argument("--no-archive", action="store_true", help="Leave the cases unarchived.")

    def handle(self, *args: Any, **options: Any) -> None:
        count = int(options["count"])
        if count < 1:
            raise CommandError("--count must be at least 1.")
        started = time.perf_counter()
        history = History(
            days=options["days"], improved_on=options["improved_on"], seed=options["seed"]
        )
        write = copy_history if connection.vendor == "postgresql" else bulk_create_history
        write(history, count, max(1, int(options["batch"])))
        if options["with_feedback"]:
            generate_feedback(
                generated_cases(Case.objects.filter(application__number__contains=history.token)),
                today=history.today,
                seed=history.seed,
            )
        if not options["no_archive"]:
            archive.archive_cases()
        if connection.vendor == "postgresql":
            # Archiving rewrote the cases' rows: vacuum them as autovacuum would (not
            # possible inside a transaction, as in the tests: there planner statistics only).
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            with connection.cursor() as cursor:
                for model in (Application, Case, Suspension, CaseEvent):
                    cursor.execute(f"{command} {model._meta.db_table}")
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Generated {count} cases in {elapsed:.1f} s.")
