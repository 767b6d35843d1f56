"""A load run through the real stack: concurrent retried submissions never duplicate.

The intake benchmark is run briefly with --retries: gunicorn serves the project on a scratch
database of the backend under test (a SQLite file in WAL mode, or a new PostgreSQL database), and
pairs of connections logged in as one citizen send the same Idempotency-Keys at the same moment,
as a retry after a timeout would. The benchmark itself counts the applications and cases in the
database against the keys answered with success; the test reads its verdict and figures.

The in-process live server cannot show this on SQLite: the suite's in-memory database locks whole
tables between threads, which production's WAL file never does.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def test_a_load_run_with_racing_retries_leaves_one_application_per_successful_key() -> None:
    # given the benchmark pointed at a scratch database of this run's backend
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    arguments = [sys.executable, "bench/intake.py", "--seconds", "2", "--connections", "8"]
    if connection.vendor == "postgresql":
        environment["DATABASE_URL"] = os.environ["DATABASE_URL"]
        arguments.append("--postgres")
    # when pairs of connections race the same keys for a while
    finished = subprocess.run(
        [*arguments, "--retries", "--workers", "2", "--threads", "4"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    # then the run succeeded and the database holds one application per successful key
    assert finished.returncode == 0, finished.stderr[-3000:]
    lines = finished.stdout.strip().splitlines()
    verdict = json.loads(lines[-1])
    counts = next(line for line in lines if line.startswith("applications "))
    applications = int(counts.split()[1].rstrip(","))
    assert applications > 0, counts
    assert [result["agree"] for result in verdict["results"]] == [True, True], counts
