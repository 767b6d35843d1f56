"""The quality app owns the rollups of cases and the metrics read from them.

Rollups change in two ways only: incrementally, in the transaction that changes a case (hooks
"case_opened", "case_decided", "case_closed") or gives a rating or files or decides a complaint
("case_rated", "complaint_filed", "complaint_decided"), and by `rebuild_rollups`, which recomputes
every row from the cases, ratings and complaints in bulk. Both count the same things on the same
days (see `models`), so a rebuild of incrementally kept rollups changes nothing; the tests hold
them to it.
"""

import io
import json
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import TruncDate
from django.utils import timezone

from uslugi.applications.models import Case
from uslugi.applications.workflow import DECIDED, Status
from uslugi.catalogue.models import Region, TermKind
from uslugi.core import sql
from uslugi.feedback.models import Complaint, ComplaintStatus, Rating
from uslugi.quality import archive
from uslugi.quality.calculate import CumulativeCalendars, calculate_processing_days
from uslugi.quality.models import (
    CASE_COUNTS,
    COUNTS,
    FEEDBACK_COUNTS,
    SATISFIED_SCORE,
    SCORES,
    DailyRollup,
    MonthlyRollup,
)
from uslugi.workdays import selectors as workdays

REFUSALS = (Status.REFUSED, Status.REFUSED_TO_ACCEPT)
KEY = ["day", "service_id", "region_id", "agency_id", "channel", "term_kind"]
CHUNK = 1 << 20
COUNTING_THREADS = 2
# Cells are counted in a dense array up to this many per row counted (or this many in all); a
# wider, sparser range is renumbered first.
DENSE_CELLS_PER_ROW = 4
DENSE_CELLS = 1 << 22
# A rebuild counts by day and key (the row of its dimensions in the facts' key table), and joins
# the dimensions back only onto the rows it writes.
CELL = ["day", "key"]


def _key(case: Case, day: date) -> dict[str, Any]:
    return {
        "day": day,
        "service_id": case.service_id,
        "region_id": case.region_id,
        "agency_id": case.agency_id,
        "channel": case.application.channel,
        "term_kind": case.term_kind,
    }


def _add(key: dict[str, Any], days: int | None = None, **counts: int) -> None:
    """Add the counts (and a case decided in `days` days to the histogram) to the daily row of
    the key and to its month's row: one upsert each."""
    _add_to(None, key, days, counts)


def _add_to(
    writes: sql.Writes | None, key: dict[str, Any], days: int | None, counts: dict[str, int]
) -> None:
    """`_add`, with the upserts queued in `writes` when given."""
    _upsert(DailyRollup, key, counts, days, writes)
    _upsert(MonthlyRollup, {**key, "day": key["day"].replace(day=1)}, counts, days, writes)


def _upsert(
    model: Any,
    key: dict[str, Any],
    counts: dict[str, int],
    days: int | None,
    writes: sql.Writes | None,
) -> None:
    """INSERT … ON CONFLICT (key) DO UPDATE adding the counts (PostgreSQL and SQLite alike), and
    one to the histogram's entry for `days`."""
    values = {**key, **{name: counts.get(name, 0) for name in COUNTS}}
    values["processing_days"] = json.dumps({} if days is None else {str(days): 1})
    params = list(values.values())
    if days is not None:
        entry = str(days) if connection.vendor == "postgresql" else f'$."{days}"'
        params += [entry, entry]
    names = (list(values), list(key), list(counts), days is not None)
    statement = sql.statement(
        f"upsert {model._meta.label} {names}", lambda: _upsert_statement(model, *names)
    )
    if writes is not None:
        writes.execute(statement, params)
        return
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _upsert_statement(
    model: Any, columns: list[str], key: list[str], counts: list[str], histogram: bool
) -> str:
    """The upsert of `_upsert`, written once per model, columns and counts added (rollups change
    on every case opened and closed, and building it took longer than running it)."""
    table = sql.table(model)
    added = [f"{c} = {table}.{c} + excluded.{c}" for c in (sql.column(model, n) for n in counts)]
    if histogram:
        column = sql.column(model, "processing_days")
        current = f"{table}.{column}"
        if connection.vendor == "postgresql":
            # A `json` column (`HistogramField`): set as `jsonb`, stored back as text.
            entry = f"ARRAY[%s::text], to_jsonb(COALESCE(({current} ->> %s)::integer, 0) + 1)"
            added.append(f"{column} = jsonb_set({current}::jsonb, {entry})::json")
        else:
            entry = f"%s, COALESCE(json_extract({current}, %s), 0) + 1"
            added.append(f"{column} = json_set({current}, {entry})")
    return (
        f"INSERT INTO {table} ({_columns(model, columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({_columns(model, key)}) DO UPDATE SET {', '.join(added)}"
    )


def record_case_opened(case: Case, writes: sql.Writes | None = None) -> list[Any]:
    """A new case counts as received on the day its application was received (queued with the
    case's own rows in `writes`, when given)."""
    day = timezone.localdate(case.application.received_at)
    _add_to(writes, _key(case, day), None, {"received": 1})
    return []


def processing_days_of(case: Case) -> int:
    """The decided case's processing time in its term's unit, stopped time excluded."""
    assert case.decided_at is not None
    return calculate_processing_days(
        workdays.get_calendar(case.region.code),
        working=case.term_kind == TermKind.WORKING,
        registered_on=case.registered_on,
        decided_on=timezone.localdate(case.decided_at),
        stops=[(s.starts_on, s.ends_on) for s in case.suspensions.all()],
    )


def record_case_closed(case: Case, on: date | None = None) -> list[Any]:
    """A closed case counts on the day it closed (today unless `on`); a decided one also in the
    processing-time histogram, on the day of its decision."""
    if case.status in DECIDED:
        assert case.decided_at is not None
        day = timezone.localdate(case.decided_at)
        _add(
            _key(case, day),
            processing_days_of(case),
            decided=1,
            decided_on_time=int(day <= case.due_date),
            closed=1,
            refused=int(case.status in REFUSALS),
        )
    elif case.status in archive.CLOSED_WITHOUT_DECISION:
        key = _key(case, on or timezone.localdate())
        _add(key, closed=1, refused=int(case.status in REFUSALS))
    return []


def record_rating(rating: Rating) -> list[Any]:
    """A rating counts on the day it was given, under its case's key."""
    case = Case.objects.select_related("application").get(pk=rating.case_id)
    counts = {"rated": 1}
    for name in SCORES:
        score = getattr(rating, name)
        counts[f"{name}_sum"] = score
        counts[f"{name}_high"] = int(score >= SATISFIED_SCORE)
    _add(_key(case, timezone.localdate(rating.created_at)), **counts)
    return []


def record_complaint_filed(complaint: Complaint) -> list[Any]:
    """A complaint counts on the day it was registered, under its case's key."""
    case = Case.objects.select_related("application").get(pk=complaint.case_id)
    _add(_key(case, complaint.registered_on), complaints=1)
    return []


def record_complaint_decided(complaint: Complaint) -> list[Any]:
    """A decided complaint counts on the day of its decision; upheld ones also as upheld."""
    assert complaint.decided_at is not None
    case = Case.objects.select_related("application").get(pk=complaint.case_id)
    _add(
        _key(case, timezone.localdate(complaint.decided_at)),
        complaints_decided=1,
        complaints_upheld=int(complaint.status == ComplaintStatus.UPHELD),
    )
    return []


# The rebuild -----------------------------------------------------------------------------------


def read_feedback() -> tuple[pl.DataFrame, pl.DataFrame]:
    """(ratings, complaints) as frames, each with its case's dimensions (named as in
    `archive.DIMENSIONS`): the database joins a few thousand rows to their cases faster than a
    rebuild could look them up among ten million."""
    dimensions = {
        name: F("case__application__channel") if name == "channel" else F(f"case__{name}")
        for name in archive.DIMENSIONS
    }
    schema = {name: archive.CASES_SCHEMA[name] for name in archive.DIMENSIONS}
    ratings = archive.frame(
        Rating.objects.annotate(day=TruncDate("created_at"), **_prefixed(dimensions)),
        {"day": pl.Date, **dict.fromkeys(SCORES, pl.Int64), **_prefixed(schema)},
    )
    complaints = archive.frame(
        Complaint.objects.annotate(decided_on=TruncDate("decided_at"), **_prefixed(dimensions)),
        {
            "registered_on": pl.Date,
            "decided_on": pl.Date,
            "status": pl.Utf8,
            **_prefixed(schema),
        },
    )
    unprefixed = {f"case_{name}": name for name in archive.DIMENSIONS}
    return ratings.rename(unprefixed), complaints.rename(unprefixed)


def _prefixed(named: dict[str, Any]) -> dict[str, Any]:
    """The names prefixed `case_` (annotations may not shadow the models' own fields)."""
    return {f"case_{name}": value for name, value in named.items()}


def _decode(keys: pl.DataFrame, frame: pl.DataFrame) -> pl.DataFrame:
    """A frame keyed by `key` keyed by the dimensions instead (a join with the small key table)."""
    return frame.join(keys, on="key", how="left").drop("key")


def calculate_feedback_rollups(
    keys: pl.DataFrame, ratings: pl.DataFrame, complaints: pl.DataFrame
) -> pl.DataFrame:
    """Daily rows of the ratings and complaints alone (the feedback columns), by day and key
    (the row of `keys`, the facts' table of keys, with their cases' dimensions)."""
    ratings = ratings.join(keys, on=archive.DIMENSIONS)
    complaints = complaints.join(keys, on=archive.DIMENSIONS)
    rated = ratings.group_by(["day", "key"]).agg(
        pl.len().alias("rated"),
        *(pl.col(name).sum().alias(f"{name}_sum") for name in SCORES),
        *((pl.col(name) >= SATISFIED_SCORE).sum().alias(f"{name}_high") for name in SCORES),
    )
    filed = (
        complaints.rename({"registered_on": "day"})
        .group_by(["day", "key"])
        .agg(pl.len().alias("complaints"))
    )
    decided = (
        complaints.filter(pl.col("decided_on").is_not_null())
        .rename({"decided_on": "day"})
        .group_by(["day", "key"])
        .agg(
            pl.len().alias("complaints_decided"),
            (pl.col("status") == str(ComplaintStatus.UPHELD)).sum().alias("complaints_upheld"),
        )
    )
    merged = rated
    for part in (filed, decided):
        merged = merged.join(part, on=["day", "key"], how="full", coalesce=True)
    merged = merged.with_columns([pl.col(c).fill_null(0).cast(pl.Int64) for c in FEEDBACK_COUNTS])
    return merged.select(*CELL, *FEEDBACK_COUNTS)


def _among(codes: npt.NDArray[np.uint8], statuses: Iterable[str]) -> npt.NDArray[np.bool_]:
    """Whether each status code is one of `statuses` (a lookup, one pass)."""
    table = np.zeros(256, dtype=bool)
    table[[archive.STATUSES.index(str(status)) for status in statuses]] = True
    return table[codes]


def _sum_by_cell(cells: npt.NDArray[np.int64], **masks: npt.NDArray[np.bool_]) -> pl.DataFrame:
    """Per distinct cell in ascending order, how many rows have it (`count`) and, for each mask,
    how many of them are in the mask.

    Cells are small dense integers (key × day), so a `bincount` over all of them is one pass; a
    range too wide and sparse for that is first renumbered by `np.unique`. The masks ride along
    as bits: the `bincount` of cell × 2^masks + the row's bits counts every combination of cell
    and flags in that one pass, and a mask's count is the sum over the combinations with its bit
    set.
    """
    names = list(masks)
    if not len(cells):
        return pl.DataFrame(
            schema={"cell": pl.Int64, "count": pl.Int64, **dict.fromkeys(names, pl.Int64)}
        )
    size = int(cells.max()) + 1
    if size << len(names) <= max(DENSE_CELLS_PER_ROW * len(cells), DENSE_CELLS):
        index, bins = None, cells
    else:
        index, bins = np.unique(cells, return_inverse=True)
        size = len(index)
    flags = np.zeros(len(bins), dtype=np.uint8)
    for bit, name in enumerate(names):
        flags |= masks[name].view(np.uint8) << bit
    coded = bins << len(names)
    coded |= flags
    combinations = np.bincount(coded, minlength=size << len(names)).reshape(size, -1)
    # Added column by column: numpy's sum along a short axis is several times slower.
    count = _added(combinations, range(1 << len(names)))
    present = np.flatnonzero(count)
    sums = {}
    for bit, name in enumerate(names):
        with_bit = [flag for flag in range(1 << len(names)) if flag >> bit & 1]
        sums[name] = _added(combinations, with_bit)[present]
    cell = present if index is None else index[present]
    return pl.DataFrame({"cell": cell.astype(np.int64), "count": count[present], **sums})


def _added(table: npt.NDArray[np.int64], columns: Iterable[int]) -> npt.NDArray[np.int64]:
    """The sum of the table's `columns`, row by row."""
    first, *others = columns
    total = table[:, first].copy()
    for column in others:
        total += table[:, column]
    return total


def _epoch_days(series: pl.Series) -> npt.NDArray[np.int32]:
    return series.cast(pl.Int32).fill_null(0).to_numpy()


def calculate_rollups(
    facts: archive.Facts, calendars: CumulativeCalendars
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(daily rows, processing buckets) of the cases' facts by day and key, vectorised.

    Every count is a sum over a cell: a key (service × region × agency × channel × term kind)
    and a day, numbered `key × span + day`, or for a bucket also its number of days. Summing ten
    million cases into such cells is a few `bincount`s over integer arrays. The buckets come in
    cell order: by key, day and days.

    The cases are counted `CHUNK` at a time and the chunks' counts summed: each temporary is
    then a few megabytes, reused from chunk to chunk, where whole-column ones are each hundreds
    of megabytes of fresh memory to fault in (a first rebuild in a process took about twice as
    long for it).
    """
    cases, keys = facts.cases, facts.keys
    if not len(cases):
        schema = {"day": pl.Date, "key": pl.UInt32}
        return (
            pl.DataFrame(schema={**schema, **dict.fromkeys(CASE_COUNTS, pl.Int64)}),
            pl.DataFrame(schema={**schema, "days": pl.Int64, "count": pl.Int64}),
        )
    dates = [pl.col("received_on"), pl.col("closed_on")]
    first, last = (
        cases.select(
            pl.min_horizontal(day.min() for day in dates).alias("first"),
            pl.max_horizontal(day.max() for day in dates).alias("last"),
        )
        .cast(pl.Int32)
        .row(0)
    )
    days_in_cells = Cells(first=first, span=last - first + 1, keys=len(keys))
    row_of_key = calendars.region_rows(
        keys["region_id"].to_numpy().astype(np.int64),
        working=(keys["term_kind"] == TermKind.WORKING).to_numpy(),
    )
    stops = facts.stops.sort("row")
    stop_rows = stops["row"].to_numpy().astype(np.int64)
    starts = np.arange(0, len(cases) + CHUNK, CHUNK)
    starts[-1] = len(cases)
    bounds = np.searchsorted(stop_rows, starts)

    def count(index: int) -> ChunkCounts:
        start, first_stop, end_stop = starts[index], bounds[index], bounds[index + 1]
        return _count_chunk(
            cases.slice(start, CHUNK),
            stops.slice(first_stop, end_stop - first_stop),
            stop_rows[first_stop:end_stop] - start,
            row_of_key,
            calendars,
            days_in_cells,
        )

    # Chunks are counted on worker threads: most of numpy's and polars' passes let go of the
    # interpreter, so two chunks are counted at once. Each chunk's buckets are then numbered and
    # counted on them too, once the longest time is known; only the distinct buckets of each are
    # merged. (Sorting all of them as one array, on one core, took 0.37 s of a 2.2 s rebuild of
    # 10 M cases; the chunks' sorts and the merge take 0.24 s.)
    with ThreadPoolExecutor(max_workers=COUNTING_THREADS) as pool:
        chunks = list(pool.map(count, range(len(starts) - 1)))
        # A bucket is numbered closing cell × (the longest time + 1) + the days, in 32 bits
        # where that fits (half the memory, twice as fast to sort), in place.
        longest = 1 + max(
            (int(c.decided_days.max()) for c in chunks if len(c.decided_days)), default=0
        )
        wide = days_in_cells.count * longest >= 1 << 31

        def occurrences(chunk: ChunkCounts) -> Occurrences:
            bucket = chunk.decided_cells.astype(np.int64) if wide else chunk.decided_cells
            bucket *= longest
            bucket += chunk.decided_days
            return _occurrences(bucket)

        bucket, count_ = _merged(list(pool.map(occurrences, chunks)))
    rollups = (
        _summed([chunk.received for chunk in chunks])
        .rename({"count": "received"})
        .join(
            _summed([chunk.closings for chunk in chunks]).rename({"count": "closed"}),
            on="cell",
            how="full",
            coalesce=True,
        )
        .with_columns([pl.col(c).fill_null(0).cast(pl.Int64) for c in CASE_COUNTS])
        .select(*days_in_cells.day_and_key(pl.col("cell")), *CASE_COUNTS)
    )

    cell = pl.Series("cell", bucket // longest, dtype=pl.Int64)
    buckets = pl.DataFrame(
        [cell, pl.Series("days", bucket % longest, dtype=pl.Int64), pl.Series("count", count_)]
    ).select(*days_in_cells.day_and_key(pl.col("cell")), "days", "count")
    return rollups, buckets


@dataclass(frozen=True)
class Cells:
    """The numbering of cells: `key × span + day - first` (days since the epoch)."""

    first: int
    span: int
    keys: int

    @property
    def count(self) -> int:
        return self.keys * self.span

    def day_and_key(self, cell: pl.Expr) -> list[pl.Expr]:
        return [
            (cell % self.span + self.first).cast(pl.Int32).cast(pl.Date).alias("day"),
            (cell // self.span).cast(pl.UInt32).alias("key"),
        ]


@dataclass(frozen=True)
class ChunkCounts:
    """A chunk's receipts and closings by cell, and its decided cases' closing cells (32 bits
    where they fit) and processing days."""

    received: pl.DataFrame
    closings: pl.DataFrame
    decided_cells: npt.NDArray[np.signedinteger[Any]]
    decided_days: npt.NDArray[np.int32]


def _count_chunk(
    cases: pl.DataFrame,
    stops: pl.DataFrame,
    stop_rows: npt.NDArray[np.int64],
    row_of_key: npt.NDArray[np.int32],
    calendars: CumulativeCalendars,
    numbering: Cells,
) -> ChunkCounts:
    """One chunk of cases counted (`stops` are theirs, `stop_rows` their rows in the chunk)."""
    key = cases["key"].to_numpy()
    status = cases["status"].to_numpy()
    registered = _epoch_days(cases["registered_on"])
    due = _epoch_days(cases["due_date"])
    is_closed = cases["closed_on"].is_not_null().to_numpy()
    closed = _epoch_days(cases["closed_on"])

    # Cells of the receipts and the closings; a case not closed is counted in one more cell past
    # the last, which is then left out (cheaper than picking out the closed cases for each
    # count).
    key_cells = key.astype(np.int64)  # cells need 64 bits
    key_cells *= numbering.span
    key_cells -= numbering.first
    received = _sum_by_cell(key_cells + _epoch_days(cases["received_on"]))
    decided = _among(status, DECIDED) & is_closed
    closing = key_cells + closed
    closings = _sum_by_cell(
        np.where(is_closed, closing, numbering.count),
        decided=decided,
        decided_on_time=decided & (closed <= due),
        refused=_among(status, REFUSALS),
    ).filter(pl.col("cell") < numbering.count)

    # Processing days of the decided cases, stopped days taken off.
    rows = row_of_key[key]
    days = np.zeros(len(cases), dtype=np.int32)
    days[decided] = calendars.span_days(rows[decided], registered[decided] + 1, closed[decided])
    counted = decided[stop_rows]
    if counted.any():
        case = stop_rows[counted]
        stops = stops.filter(pl.Series(counted))
        ends = stops["ends_on"].is_not_null().to_numpy()
        stop_first = np.maximum(_epoch_days(stops["starts_on"]), registered[case] + 1)
        stop_ends = np.where(ends, _epoch_days(stops["ends_on"]), closed[case])
        stop_last = np.minimum(stop_ends, closed[case])
        stopped = calendars.span_days(rows[case], stop_first, stop_last)
        days -= np.bincount(case, weights=stopped, minlength=len(cases)).astype(np.int32)
    cells = closing[decided].astype(np.int32 if numbering.count < 1 << 31 else np.int64)
    return ChunkCounts(received, closings, cells, np.maximum(days[decided], 0))


def _summed(parts: list[pl.DataFrame]) -> pl.DataFrame:
    """The chunks' counts summed by cell, cells ascending."""
    if len(parts) == 1:
        return parts[0]
    return pl.concat(parts).group_by("cell").agg(pl.all().sum()).sort("cell")


Occurrences = tuple[npt.NDArray[np.signedinteger[Any]], npt.NDArray[np.intp]]


def _occurrences(values: npt.NDArray[np.signedinteger[Any]]) -> Occurrences:
    """The distinct values ascending, and how many times each occurs (sorts `values` in place:
    no table as wide as their range, which for buckets would be hundreds of megabytes)."""
    values.sort()
    if not len(values):
        return values, np.zeros(0, dtype=np.intp)
    starts = _run_starts(values)
    return values[starts], np.diff(starts, append=len(values))


def _run_starts(ascending: npt.NDArray[np.signedinteger[Any]]) -> npt.NDArray[np.intp]:
    """Where each run of equal values begins in a sorted, non-empty array."""
    starts = np.flatnonzero(ascending[1:] != ascending[:-1])
    starts += 1
    return np.concatenate([[0], starts])


def _merged(parts: list[Occurrences]) -> Occurrences:
    """The chunks' (distinct values, occurrences) as one: values ascending, counts summed.

    Each chunk's values are already a sorted run, which a stable sort (a merging one for
    integers this wide) takes in one merge pass: a third of the time of sorting them afresh.
    """
    if len(parts) == 1:
        return parts[0]
    values = np.concatenate([values for values, _ in parts])
    counts = np.concatenate([counts for _, counts in parts])
    if not len(values):
        return values, counts
    order = np.argsort(values, kind="stable")
    values, counts = values[order], counts[order]
    starts = _run_starts(values)
    return values[starts], np.add.reduceat(counts, starts)


def load_calendars() -> CumulativeCalendars:
    return CumulativeCalendars(
        {region.pk: workdays.get_calendar(region.code) for region in Region.objects.all()}
    )


def rebuild_rollups() -> dict[str, int]:
    """Throw the rollups away and count them again from every case (bulk, columnar).

    The cases' facts come from the archive blocks and, for cases not archived, from the cases
    table (`archive.read_facts`); both reads, and those of the ratings and complaints, share one
    snapshot, so a case archived or changed meanwhile is counted once, as it was.
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return _rebuild()


def _rebuild() -> dict[str, int]:
    facts, live = archive.read_facts()
    rollups, buckets = calculate_rollups(facts, load_calendars())
    feedback = calculate_feedback_rollups(facts.keys, *read_feedback())
    rollups = (
        rollups.join(feedback, on=CELL, how="full", coalesce=True)
        .with_columns([pl.col(c).fill_null(0).cast(pl.Int64) for c in COUNTS])
        .select([*CELL, *COUNTS])
    )
    _clear(DailyRollup, MonthlyRollup)
    for model, rows, histograms in (
        (DailyRollup, rollups, buckets),
        (
            MonthlyRollup,
            _by_month(rollups, CELL, COUNTS),
            _by_month(buckets, [*CELL, "days"]).sort(["key", "day", "days"]),
        ),
    ):
        rows = _decode(facts.keys, _with_histograms(rows, histograms))
        _write(model, rows.select(*KEY, *COUNTS, "processing_days").sort(KEY))
    return {
        "cases": len(facts),
        "read_live": live,
        "rollups": len(rollups),
        "buckets": len(buckets),
    }


def _by_month(frame: pl.DataFrame, key: list[str], counts: list[str] | None = None) -> pl.DataFrame:
    """The daily rows summed by calendar month (`day` the month's first day); `counts` are the
    columns summed (`count` unless given)."""
    counts = counts or ["count"]
    return (
        frame.with_columns(pl.col("day").dt.truncate("1mo"))
        .group_by(key)
        .agg(pl.col(counts).sum())
        .select([*key, *counts])
    )


def _with_histograms(rows: pl.DataFrame, buckets: pl.DataFrame) -> pl.DataFrame:
    """The rows, each with its histogram of processing days as JSON text (`{"days": cases}`,
    days ascending; `{}` where nothing was decided). `buckets` come in (key, day, days) order, as
    counting by cell gives them: each row's entries are then one run, and nothing is sorted."""
    # Each row's entries gathered as a list and the lists joined: several times faster than
    # joining strings group by group.
    entries = pl.concat_str([pl.lit('"'), "days", pl.lit('":'), "count"]).alias("entries")
    histogram = pl.concat_str([pl.lit("{"), pl.col("entries").list.join(","), pl.lit("}")])
    histograms = (
        buckets.with_columns(entries, pl.struct("key", "day").rle_id().alias("run"))
        .group_by("run", maintain_order=True)
        .agg(pl.col(CELL).first(), "entries")
        .select(*CELL, histogram.alias("processing_days"))
    )
    return rows.join(histograms, on=CELL, how="left").with_columns(
        pl.col("processing_days").fill_null("{}")
    )


def _clear(*models: Any) -> None:
    """Empty the tables: TRUNCATE on PostgreSQL (no dead rows left behind for the next COPY and
    the next read to wade through; readers wait for the rebuild's commit), else DELETE."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(m._meta.db_table for m in models)}")
        return
    for model in models:
        model.objects.all().delete()


def _columns(model: Any, names: list[str]) -> str:
    return ", ".join(sql.column(model, name.removesuffix("_id")) for name in names)


def _write(model: Any, frame: pl.DataFrame) -> None:
    """Insert the frame's rows (in key order, so that a day range is a run of adjacent pages):
    COPY on PostgreSQL, then fresh planner statistics.

    The emptied table's key and index are dropped for the COPY and built again after it, in the
    same transaction (the TRUNCATE already keeps every reader out until the commit): one sort
    per index instead of hundreds of thousands of index insertions, about a third of the time.
    """
    names = frame.columns
    columns = _columns(model, names)
    if connection.vendor == "postgresql":
        buffer = io.BytesIO()
        frame.write_csv(buffer, include_header=False)
        with connection.schema_editor() as editor:
            for constraint in model._meta.constraints:
                editor.remove_constraint(model, constraint)
            for index in model._meta.indexes:
                editor.remove_index(model, index)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY {sql.table(model)} ({columns}) FROM STDIN (FORMAT csv)"
            ) as copy,
        ):
            copy.write(buffer.getvalue())
        with connection.schema_editor() as editor:
            for constraint in model._meta.constraints:
                editor.add_constraint(model, constraint)
            for index in model._meta.indexes:
                editor.add_index(model, index)
        # Statistics of the columns that dashboards filter and group on; the counts and the
        # histograms are only summed (sampling the JSON would take five times as long).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {sql.table(model)} ({_columns(model, [*KEY, 'decided'])})")
        return
    # SQLite: one prepared INSERT for every row, the JSON already text and the days ISO dates,
    # as Django itself stores them.
    frame = frame.with_columns(pl.col("day").dt.to_string("%Y-%m-%d"))
    placeholders = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {sql.table(model)} ({columns}) VALUES ({placeholders})", frame.rows()
        )
