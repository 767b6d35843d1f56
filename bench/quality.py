"""Quality rollups: the dashboard's metrics from rollups against DuckDB's full scan, same run.

    uv run python bench/quality.py [--quick] [--cases N] [--keep | --database NAME]

On a scratch PostgreSQL database: the demo catalogue, then `generate_history` (10 M cases; --quick
200 k), which archives the cases as the nightly job would (`uslugi.quality.archive`; a run on an
existing database archives what is not yet). Timed: `rebuild_rollups` from scratch, and the
regional dashboard's metrics for several filters read from the rollups. The peer: the same cases
(and stops, and the calendars' cumulative working days) exported once to Parquet, untimed; DuckDB
then computes the same metrics from a full scan for each filter (timed). Targets: dashboard ours
≤ 0.25 × DuckDB (speedup ≥ 4); rebuild ≤ 3 × the DuckDB scan (speedup ≥ 1/3). Every figure must
agree. The last line is one JSON object.

Both sides are timed in `--rounds` rounds (3; 2 with --quick), each a rebuild and then DuckDB's
scans, and each side's median is compared. A single first round measures this machine more than
either program: memory a virtual machine's process touches for the first time since the machine
started costs here about 2.8 s per GB (on later use, 0.14 s), and whichever side runs first pays
for it. Every round's figures are printed.

Generating 10 M cases takes the better part of an hour: --keep leaves the scratch database in
place (its name is printed), and --database NAME runs the timed part again on such a database
(migrated first; nothing generated; the case count is the database's own).
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import DEFAULT_POSTGRES, last_line, scratch_database

PEER_SQL = """
WITH c AS (SELECT * FROM cases WHERE {where}),
received AS (SELECT count(*) r, count(*) FILTER (WHERE channel = 'portal') p
             FROM c WHERE received_on BETWEEN $first AND $last),
closed AS (SELECT * FROM c WHERE closed_on BETWEEN $first AND $last),
decided AS (SELECT * FROM closed WHERE status IN ('approved', 'refused')),
spans AS (
  SELECT d.id, CASE WHEN d.term_kind = 'working'
      THEN k2.cum - k1.cum ELSE d.closed_on - d.registered_on END AS total
  FROM decided d
  JOIN cumulative k1 ON k1.region_id = d.region_id AND k1.day = d.registered_on
  JOIN cumulative k2 ON k2.region_id = d.region_id AND k2.day = d.closed_on),
stopped AS (
  SELECT s.case_id id, sum(CASE WHEN d.term_kind = 'working' THEN k2.cum - k1.cum
      ELSE least(coalesce(s.ends_on, d.closed_on), d.closed_on)
           - greatest(s.starts_on, d.registered_on + 1) + 1 END) AS days
  FROM stops s JOIN decided d ON d.id = s.case_id
  JOIN cumulative k1 ON k1.region_id = d.region_id
       AND k1.day = greatest(s.starts_on, d.registered_on + 1) - 1
  JOIN cumulative k2 ON k2.region_id = d.region_id
       AND k2.day = least(coalesce(s.ends_on, d.closed_on), d.closed_on)
  WHERE greatest(s.starts_on, d.registered_on + 1)
        <= least(coalesce(s.ends_on, d.closed_on), d.closed_on)
  GROUP BY s.case_id),
durations AS (SELECT greatest(total - coalesce(stopped.days, 0), 0) AS days
              FROM spans LEFT JOIN stopped USING (id))
SELECT (SELECT r FROM received), (SELECT p FROM received),
  (SELECT count(*) FROM decided),
  (SELECT count(*) FILTER (WHERE closed_on <= due_date) FROM decided),
  (SELECT count(*) FROM closed),
  (SELECT count(*) FILTER (WHERE status IN ('refused', 'refused_to_accept')) FROM closed),
  (SELECT quantile_disc(days, 0.5) FROM durations),
  (SELECT quantile_disc(days, 0.9) FROM durations)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 000 cases instead of 10 M")
    parser.add_argument("--cases", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--database", help="an existing database with generated history")
    parser.add_argument("--rounds", type=int, default=None, help="timed rounds (median)")
    args = parser.parse_args()
    rounds = args.rounds or (2 if args.quick else 3)
    count = args.cases or (200_000 if args.quick else 10_000_000)
    if args.database:
        base = urlsplit(os.environ.get("DATABASE_URL") or DEFAULT_POSTGRES)
        os.environ["DATABASE_URL"] = urlunsplit(base._replace(path=f"/{args.database}"))
        os.environ["USLUGI_VAR_DIR"] = tempfile.mkdtemp(prefix="uslugi-bench-")
        os.environ["DJANGO_DEBUG"] = "0"
        import django

        django.setup()
        run(None, f"PostgreSQL database {args.database} (kept)", rounds)
        return
    with scratch_database(postgres=True, keep=args.keep) as where:
        import django

        django.setup()
        run(count, where, rounds)


def run(count: int | None, where: str, rounds: int) -> None:
    import duckdb
    import numpy as np
    import polars as pl
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from uslugi.applications.models import Case
    from uslugi.catalogue.models import Region
    from uslugi.quality import archive, selectors, services

    print(f"Scratch database: {where}")
    call_command("migrate", verbosity=0)
    if count is None:
        count = Case.objects.count()
        began = time.perf_counter()
        archived = archive.archive_cases()
        print(f"archive_cases: {archived:,} not yet archived, {time.perf_counter() - began:.0f} s")
        if archived:  # as autovacuum would after the rewrite (this server runs without it)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE applications_case")
    else:
        call_command("load_demo", verbosity=0)
        began = time.perf_counter()
        call_command("generate_history", count=count, verbosity=0)
        print(f"generate_history: {count:,} cases in {time.perf_counter() - began:.0f} s")

    today = timezone.localdate()
    regions = dict(Region.objects.values_list("code", "pk"))
    year = selectors.Period(today - timedelta(days=365), today)
    quarter = selectors.Period(today - timedelta(days=90), today)
    filters = [
        ("all regions, a year", selectors.Filters(), year, "true"),
        (
            "region 56, a year",
            selectors.Filters(regions=(regions["56"],)),
            year,
            f"region_id = {regions['56']}",
        ),
        (
            "region 16, a quarter",
            selectors.Filters(regions=(regions["16"],)),
            quarter,
            f"region_id = {regions['16']}",
        ),
        (
            "region 02, portal, a quarter",
            selectors.Filters(regions=(regions["02"],), channels=("portal",)),
            quarter,
            f"region_id = {regions['02']} AND channel = 'portal'",
        ),
    ]
    # The peer's input, exported once (untimed).
    cases, stops = archive.read_cases()
    closed = (
        pl.when(pl.col("status").is_in(["approved", "refused"]))
        .then(pl.col("decided_on"))
        .when(pl.col("status").is_in(["refused_to_accept", "withdrawn"]))
        .then(pl.col("closed_on"))
    )
    cases = cases.with_columns(closed_on=closed).drop("decided_on")
    calendars = services.load_calendars()
    frames = []
    for region_id, row in calendars.rows.items():
        cum = calendars.table[row * (calendars.span + 1) + 1 : (row + 1) * (calendars.span + 1)]
        days = np.datetime64(calendars.first_day) + np.arange(calendars.span).astype(
            "timedelta64[D]"
        )
        frames.append(pl.DataFrame({"region_id": region_id, "day": days, "cum": cum}))
    workdir = Path(tempfile.mkdtemp(prefix="uslugi-quality-"))
    cases.write_parquet(workdir / "cases.parquet")
    stops.write_parquet(workdir / "stops.parquet")
    pl.concat(frames).with_columns(pl.col("day").cast(pl.Date)).write_parquet(
        workdir / "cum.parquet"
    )
    del cases, stops

    db = duckdb.connect()
    for name, file in (("cases", "cases"), ("stops", "stops"), ("cumulative", "cum")):
        db.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{workdir / file}.parquet')")
    rebuilds, scans = [], []
    for number in range(1, rounds + 1):
        began = time.perf_counter()
        counted = services.rebuild_rollups()
        rebuilds.append(time.perf_counter() - began)
        print(f"round {number}: rebuild_rollups {rebuilds[-1]:.2f} s ({counted})")
        peer: list[Any] = []
        began = time.perf_counter()
        for _, _, period, condition in filters:
            peer.append(
                db.execute(
                    PEER_SQL.format(where=condition), {"first": period.first, "last": period.last}
                ).fetchone()
            )
        scans.append(time.perf_counter() - began)
        print(
            f"round {number}: DuckDB full scans {scans[-1] * 1000:.1f} ms, {len(filters)} filters"
        )
    rebuild, scan = float(np.median(rebuilds)), float(np.median(scans))
    print(f"medians of {rounds} rounds: rebuild {rebuild:.2f} s, DuckDB scans {scan * 1000:.1f} ms")

    began = time.perf_counter()
    ours = [selectors.metrics(f, p) for _, f, p, _ in filters]
    dashboard = time.perf_counter() - began
    print(f"dashboard from rollups: {dashboard * 1000:.1f} ms for {len(filters)} filters")

    agree = True
    for (name, *_), mine, theirs in zip(filters, ours, peer, strict=True):
        figures = (
            mine.received,
            mine.received_digital,
            mine.decided,
            mine.decided_on_time,
            mine.closed,
            mine.refused,
            mine.processing_median,
            mine.processing_p90,
        )
        same = tuple(figures) == tuple(theirs)
        agree &= same
        print(f"  {name}: ours {figures} duckdb {tuple(theirs)} {'agree' if same else 'DIFFER'}")
    single_scan = scan / len(filters)
    last_line(
        "quality",
        [
            {
                "name": f"dashboard metrics, {len(filters)} filters, {count} cases",
                "ours": round(dashboard, 4),
                "peer": round(scan, 4),
                "unit": "s",
                "speedup": round(scan / dashboard, 2),
                "target": 4,
                "agree": agree,
            },
            {
                "name": f"rebuild all rollups vs one DuckDB full scan, {count} cases",
                "ours": round(rebuild, 3),
                "peer": round(single_scan, 3),
                "unit": "s",
                "speedup": round(single_scan / rebuild, 3),
                "target": round(1 / 3, 3),
                "agree": agree,
            },
        ],
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    main()
