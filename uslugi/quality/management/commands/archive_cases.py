"""Seal the cases not archived into archive blocks now: `manage.py archive_cases` (nightly too)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from uslugi.quality import archive


class Command(BaseCommand):
    help = "Archive the cases' facts in columnar blocks, for fast rollup rebuilds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--block-size", type=int, default=archive.BLOCK_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        count = archive.archive_cases(max(1, options["block_size"]))
        self.stdout.write(f"Archived {count} cases in {time.perf_counter() - started:.1f} s.")
