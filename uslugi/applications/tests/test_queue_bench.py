"""The queue benchmark keeps its generated database and times the pages again on it.

Generating ten million cases takes half an hour, so `--keep` leaves the database and `--database`
times it again without generating anything. The benchmark runs here on a few cases of a scratch
PostgreSQL database (the benchmark is PostgreSQL's only), which the test drops at the end.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def run_bench(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "bench/officials_queue.py", "--repeats", "2", *arguments],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": os.environ["DATABASE_URL"]},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def verdicts(stdout: str) -> list[bool]:
    """The `agree` of each result in the benchmark's JSON line."""
    line = next(line for line in stdout.splitlines() if line.startswith('{"bench"'))
    return [result["agree"] for result in json.loads(line)["results"]]


def server_url() -> str:
    return urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path="/postgres"))


def count_cases(name: str) -> int | None:
    """The cases of sfr-56 in database `name`, or None when there is no such database."""
    with psycopg.connect(server_url(), autocommit=True) as server:
        if not server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return None
    url = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}"))
    with psycopg.connect(url) as database:
        row = database.execute(
            "SELECT count(*) FROM applications_case c JOIN catalogue_agency a "
            "ON a.id = c.agency_id WHERE a.code = 'sfr-56'"
        ).fetchone()
    assert row is not None
    return int(row[0])


def test_a_kept_database_is_timed_again_without_generating() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the queue benchmark runs on PostgreSQL only")
    # given a run on a few generated cases that keeps its database
    first = run_bench("--count", "40", "--keep")
    kept = re.search(r"^Kept the scratch database (\S+)$", first.stdout, re.MULTILINE)
    try:
        assert first.returncode == 0, first.stderr[-3000:]
        assert kept is not None, first.stdout[-3000:]
        assert "generate_cases: 40 cases" in first.stdout
        assert verdicts(first.stdout) == [True]
        cases = count_cases(kept.group(1))
        assert cases is not None
        assert cases >= 40
        # when the pages are timed again on that database
        again = run_bench("--database", kept.group(1))
        # then nothing is generated, the same cases are there, and both pages list the right ones
        assert again.returncode == 0, again.stderr[-3000:]
        assert "generate_cases" not in again.stdout
        assert "VACUUM (ANALYZE) of the cases and applications" in again.stdout
        assert f"{cases:,} cases of sfr-56 already there; nothing generated" in again.stdout
        assert count_cases(kept.group(1)) == cases
        assert verdicts(again.stdout) == [True]
        assert "office page GET /office/cases/: p95" in again.stdout
        assert "API GET /api/cases: p95" in again.stdout
        assert "same cases: False" not in again.stdout
    finally:
        if kept is not None:
            with psycopg.connect(server_url(), autocommit=True) as server:
                server.execute(f'DROP DATABASE IF EXISTS "{kept.group(1)}" WITH (FORCE)')


def test_timing_a_database_that_is_not_there_is_refused_in_words() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the queue benchmark runs on PostgreSQL only")
    # when the benchmark is pointed at a database that does not exist
    finished = run_bench("--database", "queue_no_such_database")
    # then it says so, with no traceback, and creates nothing
    assert finished.returncode == 2
    assert "there is no database queue_no_such_database" in finished.stderr
    assert "Traceback" not in finished.stderr
    assert count_cases("queue_no_such_database") is None
