"""Intake: complete applications through the API against a minimal one-row insert, same server.

    uv run python bench/intake.py [--quick] [--postgres] [--seconds N] [--connections 16]
                                  [--retries]

A scratch database (SQLite file, or a fresh PostgreSQL database with --postgres) is migrated and
given the demo; gunicorn serves the project on 127.0.0.1. A pure-Python load generator holds 16
keep-alive connections (one thread each, a closed loop: each sends its next request when the last
one is answered) against, in turn:

- the peer: POST /bench/insert/, a minimal Django endpoint that inserts one row (mounted only
  for benchmarks, see bench/_common.py);
- ours: POST /api/applications with complete answers to the Orenburg pension form (pensiya_star)
  and a unique Idempotency-Key, each connection logged in as its own citizen (session cookie and
  CSRF token, as a browser's script would): validation against the version in force, the
  application, its case with the deadline from the region's calendar, history, audit row,
  notification and its delivery task.

With --retries, connections go in pairs logged in as one citizen that send the same sequence of
Idempotency-Keys at the same time, each request racing its twin as a retry would: the run must
still leave one application per key answered with success (the suite runs it this way, briefly,
in uslugi/applications/tests/test_load_run.py).

It prints requests/s and p99 of both. The issue's target: intake at least half the minimal
endpoint's requests/s, with p99 at most 50 ms at 16 connections. After the run the applications in
the database must equal the successful intake answers (`agree`). The last line is one JSON object.
"""

import argparse
import http.client
import json
import os
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import last_line, scratch_database, served

ANSWERS = {
    "last_name": "Петрова",
    "first_name": "Мария",
    "middle_name": "",
    "birth_date": "1960-05-17",
    "snils": "112-233-445 95",
    "phone": "+79123456789",
    "email": "petrova@example.org",
    "address": {
        "region": "Оренбургская область",
        "settlement": "Оренбург",
        "street": "ул. Советская",
        "house": "1",
        "flat": "",
    },
    "delivery": "post",
    "missing_work_records": False,
    "north_work": False,
}
BODY = json.dumps(
    {"service": {"region": "56", "code": "pensiya_star"}, "answers": ANSWERS}, ensure_ascii=False
).encode()
P99_LIMIT_MS = 50.0
SHARE_TARGET = 0.5


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    keys: set[str] = field(default_factory=set)


def prepare(connections: int, *, retries: bool = False) -> list[dict[str, str]]:
    """Migrate, load the demo, and log in one citizen per connection (per pair of connections
    with `retries`); their request headers."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.core.management import call_command
    from django.db import connections as database_connections
    from django.utils.crypto import get_random_string

    from uslugi.accounts.models import User
    from uslugi.accounts.sessions import SessionStore

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    headers: list[dict[str, str]] = []
    for index in range(connections):
        if retries and index % 2:
            headers.append(headers[-1])  # the twin of the previous connection: the same citizen
            continue
        user = User.objects.create_user(
            username=f"bench-citizen-{index}", email=f"citizen{index}@example.org"
        )
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "uslugi.accounts.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        csrf = get_random_string(32)
        headers.append(
            {
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
                f"{settings.CSRF_COOKIE_NAME}={csrf}",
                "X-CSRFToken": csrf,
                "Content-Type": "application/json",
            }
        )
    database_connections.close_all()
    return headers


def load(
    port: int,
    path: str,
    headers: list[dict[str, str]],
    seconds: float,
    keyed: bool,
    retries: bool = False,
) -> tuple[Tally, float]:
    """Closed loop: one thread per connection, for `seconds`; returns the tally and wall time.

    With `retries` the twins of a pair send the same keys (`run_id`-pair-n) in the same order, so
    each request races its twin; `Tally.keys` holds the keys answered with success."""
    tallies = [Tally() for _ in headers]
    run_id = uuid.uuid4().hex[:8]
    stop = time.perf_counter() + seconds
    start_barrier = threading.Barrier(len(headers) + 1)

    def run(index: int) -> None:
        tally = tallies[index]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        base = headers[index]
        start_barrier.wait()
        sent = 0
        while time.perf_counter() < stop:
            request_headers = dict(base)
            if keyed:
                sent += 1
                request_headers["Idempotency-Key"] = (
                    f"{run_id}-{index // 2}-{sent}" if retries else uuid.uuid4().hex
                )
            began = time.perf_counter()
            try:
                body = BODY if keyed else b""
                connection.request("POST", path, body=body, headers=request_headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                tally.errors += 1
                connection.close()
                continue
            tally.latencies.append(time.perf_counter() - began)
            tally.statuses[response.status] = tally.statuses.get(response.status, 0) + 1
            if keyed and response.status == 201:
                tally.keys.add(request_headers["Idempotency-Key"])
        connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(headers))]
    for thread in threads:
        thread.start()
    start_barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    total = Tally()
    for tally in tallies:
        total.latencies.extend(tally.latencies)
        total.errors += tally.errors
        total.keys |= tally.keys
        for status, count in tally.statuses.items():
            total.statuses[status] = total.statuses.get(status, 0) + count
    return total, wall


def _counts() -> tuple[int, int]:
    """Applications and cases in the database now."""
    from django.db import connections

    from uslugi.applications.models import Application, Case

    counts = (Application.objects.count(), Case.objects.count())
    connections.close_all()
    return counts


def figures(name: str, tally: Tally, wall: float, success: int) -> tuple[float, float]:
    ok = tally.statuses.get(success, 0)
    rps = ok / wall
    p99 = float(np.percentile(tally.latencies, 99)) * 1000 if tally.latencies else float("inf")
    p50 = float(np.percentile(tally.latencies, 50)) * 1000 if tally.latencies else float("inf")
    print(
        f"{name:<9} {rps:8.1f} req/s   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms   "
        f"answers {dict(sorted(tally.statuses.items()))}   connection errors {tally.errors}"
    )
    return rps, p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 s per target instead of 20")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--worker-class", default="gthread", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--retries", action="store_true", help="pairs of connections race the same keys"
    )
    args = parser.parse_args()
    seconds = args.seconds or (5.0 if args.quick else 20.0)
    database = "PostgreSQL" if args.postgres else "SQLite"

    with scratch_database(postgres=args.postgres) as where:
        print(f"Scratch database: {where}")
        headers = prepare(args.connections, retries=args.retries)
        before = _counts()
        print(
            f"gunicorn: {args.workers} {args.worker_class} workers × {args.threads} threads; "
            f"{args.connections} connections, {seconds:g} s per target (after 2 s of warm-up)"
        )
        with served(
            workers=args.workers, worker_class=args.worker_class, threads=args.threads
        ) as port:
            load(port, "/bench/insert/", headers, 2, keyed=False)
            warm_ours, _ = load(
                port, "/api/applications", headers, 2, keyed=True, retries=args.retries
            )
            peer, peer_wall = load(port, "/bench/insert/", headers, seconds, keyed=False)
            ours, ours_wall = load(
                port, "/api/applications", headers, seconds, keyed=True, retries=args.retries
            )
        peer_rps, peer_p99 = figures("minimal", peer, peer_wall, 201)
        ours_rps, ours_p99 = figures("intake", ours, ours_wall, 201)

        # The demo brings its own history of cases: only what the run added is compared.
        (applications_after, cases_after), (applications_before, cases_before) = _counts(), before
        applications = applications_after - applications_before
        cases = cases_after - cases_before
        succeeded = len(ours.keys | warm_ours.keys)
    agree = applications == cases == succeeded
    share = ours_rps / peer_rps if peer_rps else 0.0
    print(
        f"intake/minimal = {share:.2f} (target ≥ {SHARE_TARGET}); intake p99 {ours_p99:.1f} ms "
        f"(target ≤ {P99_LIMIT_MS:g} ms); minimal p99 {peer_p99:.1f} ms"
    )
    print(
        f"applications {applications}, cases {cases}, keys answered with success {succeeded}: "
        f"{'equal' if agree else 'DIFFERENT'}"
    )
    last_line(
        "intake",
        [
            {
                "name": f"intake req/s vs minimal one-row endpoint, {database}, "
                f"{args.connections} connections",
                "ours": round(ours_rps, 1),
                "peer": round(peer_rps, 1),
                "unit": "req/s",
                "speedup": round(share, 3),
                "target": SHARE_TARGET,
                "agree": agree,
            },
            {
                "name": f"intake p99 latency, {database}, {args.connections} connections "
                f"(peer = the {P99_LIMIT_MS:g} ms limit; speedup = limit / p99)",
                "ours": round(ours_p99, 1),
                "peer": P99_LIMIT_MS,
                "unit": "ms",
                "speedup": round(P99_LIMIT_MS / ours_p99, 3) if ours_p99 else 0.0,
                "target": 1.0,
                "agree": agree,
            },
        ],
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    main()
