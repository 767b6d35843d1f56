"""Recount every quality rollup from the cases, in bulk: `manage.py rebuild_rollups`."""

import time
from typing import Any

from django.core.management.base import BaseCommand

from uslugi.quality.services import rebuild_rollups


class Command(BaseCommand):
    help = "Throw the quality rollups away and count them again from every case."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        counted = rebuild_rollups()
        self.stdout.write(
            f"Rebuilt {counted['rollups']} daily rollup rows ({counted['buckets']} histogram "
            f"entries of processing days) from "
            f"{counted['cases']} cases ({counted['read_live']} of them not archived) in "
            f"{time.perf_counter() - started:.1f} s."
        )
