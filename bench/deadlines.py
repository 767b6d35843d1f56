"""Bulk deadlines: rows/s of `uslugi.workdays.bulk` against `numpy.busday_offset`, same run.

    uv run python bench/deadlines.py [--quick] [--rows N]

Generates (region, registration day, term, kind) rows across Orenburg (56), Tatarstan (16) and
Bashkortostan (02): registration days are random working days of 2024 to mid-2029 (a registration
day is always a working day), terms 1–60 days, a quarter of them in calendar days. The calendars
come from the data shipped with the code (no database).

Ours: `calculate_due_dates` over the mixed rows as they come, into a preallocated output.

The peer: `numpy.busday_offset`, one `busdaycalendar` per region (weekmask Mon–Fri, the region's
non-working weekdays as holidays); a working-day term is `busday_offset(day, N)`, a calendar-day
term `busday_offset(day + N, 0, roll="forward")`. It is given its rows already grouped by region and
kind (the grouping is not timed), which favours it. It cannot express a working Saturday, so its
answers differ from ours on rows whose term crosses one; the share that agrees is printed.

Both take the best of three timed runs. The pure path (`calculate_due_date`, one row at a time)
checks ours on a sample of 100 000 rows. The last line printed is one JSON object.
"""

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from uslugi.workdays.bulk import BulkCalendars, calculate_due_dates  # noqa: E402
from uslugi.workdays.calendar import ProductionCalendar  # noqa: E402
from uslugi.workdays.deadlines import DeadlineInputs, TermKind, calculate_due_date  # noqa: E402
from uslugi.workdays.shipped import build_shipped_calendar, load_regions  # noqa: E402

REGIONS = ["56", "16", "02"]
FIRST, LAST = date(2024, 1, 1), date(2029, 6, 30)
SAMPLE = 100_000
REPEATS = 3


def best_of(repeats: int, run: Callable[[], object]) -> float:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return min(timings)


def working_days(calendar: ProductionCalendar) -> np.ndarray:
    span = (calendar.last_day - calendar.first_day).days + 1
    flags = np.frombuffer(calendar.working_flags, dtype=np.uint8).astype(bool)
    days = np.datetime64(calendar.first_day) + np.arange(span).astype("timedelta64[D]")
    return days[flags]


def peer_calendar(calendar: ProductionCalendar) -> np.busdaycalendar:
    span = (calendar.last_day - calendar.first_day).days + 1
    flags = np.frombuffer(calendar.working_flags, dtype=np.uint8).astype(bool)
    days = np.datetime64(calendar.first_day) + np.arange(span).astype("timedelta64[D]")
    weekday = np.is_busday(days, weekmask="1111100")
    return np.busdaycalendar(weekmask="1111100", holidays=days[weekday & ~flags])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 million rows instead of 10")
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rows = args.rows or (1_000_000 if args.quick else 10_000_000)

    by_code = {region.code: region for region in load_regions()}
    calendars = [build_shipped_calendar(by_code[code]) for code in REGIONS]
    bulk = BulkCalendars.from_calendars(calendars)

    rng = np.random.default_rng(args.seed)
    regions = rng.integers(0, len(REGIONS), rows).astype(np.uint8)
    registered = np.empty(rows, dtype="datetime64[D]")
    for index, calendar in enumerate(calendars):
        days = working_days(calendar)
        days = days[(days >= np.datetime64(FIRST)) & (days <= np.datetime64(LAST))]
        mask = regions == index
        registered[mask] = days[rng.integers(0, len(days), int(mask.sum()))]
    terms = rng.integers(1, 61, rows).astype(np.int32)
    calendar_kind = rng.random(rows) < 0.25
    print(f"rows: {rows:,} across regions {', '.join(REGIONS)}; 25% calendar-day terms")

    # Ours.
    ours_out = np.empty(rows, dtype="datetime64[D]")
    ours_seconds = best_of(
        REPEATS,
        lambda: calculate_due_dates(bulk, regions, registered, terms, calendar_kind, out=ours_out),
    )
    ours_rate = rows / ours_seconds
    print(f"bulk path:           {ours_seconds * 1000:9.1f} ms  {ours_rate:14,.0f} rows/s")

    # The peer, on rows grouped by (region, kind) beforehand.
    groups = []
    for index, calendar in enumerate(calendars):
        busdays = peer_calendar(calendar)
        for is_calendar in (False, True):
            selected = np.flatnonzero((regions == index) & (calendar_kind == is_calendar))
            groups.append(
                (
                    selected,
                    busdays,
                    is_calendar,
                    registered[selected].copy(),
                    terms[selected].copy(),
                    np.empty(len(selected), dtype="datetime64[D]"),
                )
            )

    def run_peer() -> None:
        for _selected, busdays, is_calendar, days, offsets, out in groups:
            if is_calendar:
                np.busday_offset(days + offsets, 0, roll="forward", busdaycal=busdays, out=out)
            else:
                np.busday_offset(days, offsets, roll="forward", busdaycal=busdays, out=out)

    peer_seconds = best_of(REPEATS, run_peer)
    peer_rate = rows / peer_seconds
    print(f"numpy.busday_offset: {peer_seconds * 1000:9.1f} ms  {peer_rate:14,.0f} rows/s")
    peer_out = np.empty(rows, dtype="datetime64[D]")
    for selected, _busdays, _is_calendar, _days, _offsets, out in groups:
        peer_out[selected] = out
    peer_agreement = float((peer_out == ours_out).mean())
    print(
        f"busday_offset agrees with ours on {peer_agreement:.2%} of rows "
        "(it cannot count working Saturdays)"
    )

    # The pure path on a sample.
    sample = rng.choice(rows, size=min(SAMPLE, rows), replace=False)
    started = time.perf_counter()
    mismatches = 0
    for row in sample:
        calendar = calendars[regions[row]]
        inputs = DeadlineInputs(
            received=datetime.combine(registered[row].item(), datetime.min.time().replace(hour=10)),
            term=int(terms[row]),
            kind=TermKind.CALENDAR if calendar_kind[row] else TermKind.WORKING,
        )
        if calculate_due_date(calendar, inputs).due_date != ours_out[row].item():
            mismatches += 1
    agree = mismatches == 0
    print(
        f"pure path on {len(sample):,} sampled rows: {mismatches} mismatches "
        f"({time.perf_counter() - started:.1f} s, one row at a time)"
    )
    speedup = ours_rate / peer_rate
    print(f"speedup: {speedup:.1f}x (target 10x)")
    result = {
        "bench": "deadlines",
        "results": [
            {
                "name": f"bulk due dates, {rows} rows, 3 regions, working and calendar terms",
                "ours": round(ours_rate),
                "peer": round(peer_rate),
                "unit": "rows/s",
                "speedup": round(speedup, 2),
                "target": 10,
                "agree": agree,
            }
        ],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
