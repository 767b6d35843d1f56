"""What the request benchmarks share: a scratch database, a served project, and the peer endpoint.

The scratch database is a SQLite file in a temporary directory, or with `postgres=True` a fresh
database on the server named by DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test),
dropped afterwards. `configure()` must run before `django.setup()`: it points this process's
settings at the scratch database through the environment, which the served workers inherit.

`insert_one_row` is the minimal endpoint of the intake benchmark: the full middleware stack, one
ORM insert, a JSON answer. config/urls.py mounts it at /bench/insert/ only when the environment
says USLUGI_BENCH_ENDPOINTS=1; production never serves it.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/test"


@contextmanager
def scratch_database(*, postgres: bool, keep: bool = False) -> Iterator[str]:
    """Point this process (and its children) at a new empty database; yields a description.
    With `keep`, a PostgreSQL database is left in place (to time again without regenerating)."""
    workdir = Path(tempfile.mkdtemp(prefix="uslugi-bench-"))
    os.environ["USLUGI_VAR_DIR"] = str(workdir)
    os.environ["USLUGI_BENCH_ENDPOINTS"] = "1"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    name = ""
    base = os.environ.get("DATABASE_URL") or DEFAULT_POSTGRES
    try:
        if postgres:
            name = f"uslugi_bench_{uuid.uuid4().hex[:10]}"
            _admin(base, f'CREATE DATABASE "{name}"')
            parts = urlsplit(base)
            os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
            yield f"PostgreSQL database {name}"
        else:
            os.environ.pop("DATABASE_URL", None)
            yield f"SQLite file {workdir / 'uslugi.sqlite3'}"
    finally:
        if name and keep:
            print(f"Kept the scratch database {name}")
        elif name:
            from django.db import connections

            connections.close_all()
            _admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(workdir, ignore_errors=True)


def _admin(url: str, statement: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(statement)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(*, workers: int, worker_class: str, threads: int) -> Iterator[int]:
    """gunicorn serving the project on a free 127.0.0.1 port; yields the port once it answers."""
    port = free_port()
    log = Path(os.environ["USLUGI_VAR_DIR"]) / "gunicorn.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--worker-class={worker_class}",
        f"--threads={threads}",
        "--backlog=256",
        "--keep-alive=30",
        f"--error-logfile={log}",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start; see {log}") from None
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def last_line(bench: str, results: list[dict[str, Any]]) -> None:
    print(json.dumps({"bench": bench, "results": results}, ensure_ascii=False))


def insert_one_row(request: Any) -> Any:
    """The peer of intake: one audit row through the ORM, as little else as Django allows."""
    from django.http import JsonResponse

    from uslugi.core.models import AuditEvent

    if request.method != "POST":
        return JsonResponse({"detail": "POST only"}, status=405)
    event = AuditEvent.objects.create(
        verb="bench.insert", target_type="bench", target_id="1", target_repr="bench", data={}
    )
    return JsonResponse({"id": event.pk}, status=201)


insert_one_row.csrf_exempt = True  # type: ignore[attr-defined]
