"""Run every support measure's test cases (data rows); exit non-zero when any fails."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from uslugi.support.testcases import run_all


class Command(BaseCommand):
    help = "Run every measure's test cases: profile → expected result and reason."

    def handle(self, *args: Any, **options: Any) -> None:
        outcomes = run_all()
        failed = [outcome for outcome in outcomes if not outcome.passed]
        for outcome in outcomes:
            mark = "ok  " if outcome.passed else "FAIL"
            line = f"{mark} {outcome.label}"
            if not outcome.passed:
                line += (
                    f"\n     expected {outcome.case.expected}"
                    f" «{outcome.case.expected_reason}», found {outcome.found}"
                )
            self.stdout.write(line)
        summary = f"{len(outcomes) - len(failed)} passed, {len(failed)} failed"
        if failed or not outcomes:
            self.stderr.write(summary if outcomes else "no test cases: load the demo first")
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(summary))
