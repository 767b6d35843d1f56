"""Cases' facts, archived in columnar blocks, so that a rollup rebuild reads them fast.

A rebuild from scratch counts every case ever received. Read as rows, ten million cases joined to
their applications, stops and closing events take about a minute; the same facts as a few narrow
integer columns take well under a second. So a nightly job (`archive_cases`, also run by
`generate_history`) seals the cases not archived into `ArchiveBlock`s: each block holds the facts
the rollups are counted from (`Facts`: ids, keys, statuses, the days of receipt, registration,
due date and closing, and the stops), and each sealed case names its block in
`Case.archive_block`. Open cases are archived too: most wait days between steps.

The raw facts are archived, not the processing times: a rebuild still counts working days on
today's production calendars, so a corrected calendar is picked up by the next rebuild.

Correctness rests on one rule: **whatever changes an archived case's facts clears its
`archive_block`**: `Case.save` and every `update` of cases do (applications' models), and the
receivers at the end of this module do for its application, stops and closing events. A rebuild
reads the blocks, drops the rows of cases no longer archived and reads those cases live, all from
one snapshot (repeatable read on PostgreSQL; SQLite's transaction is a snapshot). When such a case
is archived again, its stale row is removed from the old block, so no case is ever in two blocks;
a deleted case's row goes with it.
"""

import io
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
from django.db import connection, transaction
from django.db.models import F, Max, Q, QuerySet
from django.db.models.functions import TruncDate

from uslugi.applications.models import Application, Case, CaseEvent, Suspension
from uslugi.applications.workflow import DECIDED, Status
from uslugi.core import sql
from uslugi.quality.models import ArchiveBlock

DIMENSIONS = ["service_id", "region_id", "agency_id", "channel", "term_kind"]
# A status's code in the archive is its position here; new statuses may only be appended.
STATUSES = [str(status) for status in Status]
CLOSED_WITHOUT_DECISION = (Status.REFUSED_TO_ACCEPT, Status.WITHDRAWN)
BLOCK_SIZE = 250_000
UNPACKING_THREADS = 2
Binary = bytes | memoryview

CASES_SCHEMA = {
    "id": pl.Int64,
    "service_id": pl.Int64,
    "region_id": pl.Int64,
    "agency_id": pl.Int64,
    "channel": pl.Utf8,
    "term_kind": pl.Utf8,
    "status": pl.Utf8,
    "received_on": pl.Date,
    "registered_on": pl.Date,
    "due_date": pl.Date,
    "decided_on": pl.Date,
}
KEYS_SCHEMA = {"key": pl.UInt32, **{name: CASES_SCHEMA[name] for name in DIMENSIONS}}
FACTS_SCHEMA = {
    "id": pl.Int64,
    "key": pl.UInt32,
    "status": pl.UInt8,
    "received_on": pl.Date,
    "registered_on": pl.Date,
    "due_date": pl.Date,
    "closed_on": pl.Date,
}
STOPS_SCHEMA = {"row": pl.UInt32, "starts_on": pl.Date, "ends_on": pl.Date}
# What the rollups are counted from: every fact but the case's id.
COUNTED = [name for name in FACTS_SCHEMA if name != "id"]


# Reading cases as rows ---------------------------------------------------------------------------


def frame(queryset: QuerySet[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """The queryset's values as a polars frame: by COPY on PostgreSQL, else row by row."""
    names = list(schema)
    queryset = queryset.values_list(*names)
    if connection.vendor == "postgresql":
        sql, params = queryset.query.sql_with_params()
        # COPY takes no parameters: they are written into the statement by the client.
        # compose_sql is PostgreSQL's own operation, absent from the base class mypy reads.
        statement = connection.ops.compose_sql(sql, params)  # type: ignore[attr-defined]
        with connection.cursor() as cursor:
            buffer = io.BytesIO()
            with cursor.cursor.copy(f"COPY ({statement}) TO STDOUT (FORMAT csv)") as copy:
                for block in copy:
                    buffer.write(block)
        buffer.seek(0)
        if not buffer.getbuffer().nbytes:
            return pl.DataFrame(schema=schema)
        return pl.read_csv(buffer, has_header=False, new_columns=names, schema=schema)
    return pl.DataFrame(list(queryset), schema=schema, orient="row")


def read_cases(where: Q | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(cases, stops) as row frames, of every case or of those `where` selects.

    `closed_on` is the day of the last closing event of a case refused to accept or withdrawn.
    """
    selected = Case.objects.filter(where) if where is not None else Case.objects.all()
    of_cases = {} if where is None else {"case__in": selected.values("pk")}
    cases = frame(
        selected.annotate(
            received_on=TruncDate("application__received_at"),
            decided_on=TruncDate("decided_at"),
            channel=F("application__channel"),
        ),
        CASES_SCHEMA,
    )
    closings = frame(
        CaseEvent.objects.filter(
            kind="transition",
            target__in=CLOSED_WITHOUT_DECISION,
            **of_cases,
        )
        .values("case_id")
        .annotate(closed_on=TruncDate(Max("occurred_at"))),
        {"case_id": pl.Int64, "closed_on": pl.Date},
    )
    cases = cases.join(closings.rename({"case_id": "id"}), on="id", how="left")
    stops = frame(
        Suspension.objects.filter(**of_cases),
        {"case_id": pl.Int64, "starts_on": pl.Date, "ends_on": pl.Date},
    )
    return cases, stops


# Facts as columns --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """Cases' facts as columns: everything the case rollups are counted from.

    - `cases`: `id` (left out where only counting follows: `COUNTED`); `key`, the row of
      `keys`; `status`, its position in `STATUSES`; the days of receipt, registration, due date
      and closing (`closed_on`: the decision's day for a decided case, the closing event's day
      for one refused to accept or withdrawn, else null);
    - `keys`: the distinct service × region × agency × channel × term kind, `key` its row;
    - `stops`: each suspension or wait for the applicant, `row` its case's row in `cases`.
    """

    cases: pl.DataFrame
    keys: pl.DataFrame
    stops: pl.DataFrame

    @classmethod
    def empty(cls) -> "Facts":
        return cls(
            pl.DataFrame(schema=FACTS_SCHEMA),
            pl.DataFrame(schema=KEYS_SCHEMA),
            pl.DataFrame(schema=STOPS_SCHEMA),
        )

    @classmethod
    def of(cls, cases: pl.DataFrame, stops: pl.DataFrame) -> "Facts":
        """The facts of the row frames `read_cases` gives."""
        keys = (
            cases.select(DIMENSIONS)
            .unique(maintain_order=True)
            .with_row_index("key")
            .with_columns(pl.col("key").cast(pl.UInt32))
        )
        closed_on = (
            pl.when(pl.col("status").is_in([str(s) for s in DECIDED]))
            .then(pl.col("decided_on"))
            .when(pl.col("status").is_in([str(s) for s in CLOSED_WITHOUT_DECISION]))
            .then(pl.col("closed_on"))
        )
        coded = (
            cases.join(keys, on=DIMENSIONS, how="left")
            .select(
                "id",
                "key",
                pl.col("status")
                .replace_strict(STATUSES, list(range(len(STATUSES))), return_dtype=pl.UInt8)
                .alias("status"),
                "received_on",
                "registered_on",
                "due_date",
                closed_on.alias("closed_on"),
            )
            .sort("id")
        )
        rows = coded.select("id").with_row_index("row")
        coded_stops = stops.join(rows, left_on="case_id", right_on="id").select(
            pl.col("row").cast(pl.UInt32), "starts_on", "ends_on"
        )
        return cls(coded, keys, coded_stops)

    def __len__(self) -> int:
        return len(self.cases)

    def without(self, ids: Iterable[int] | pl.Series) -> "Facts":
        """These facts less the cases of `ids` (and their stops)."""
        drop = ids if isinstance(ids, pl.Series) else pl.Series("ids", list(ids), dtype=pl.Int64)
        if drop.is_empty() or self.cases.is_empty():
            return self
        keep = ~self.cases["id"].is_in(drop.implode())
        if keep.all():
            return self
        kept = keep.to_numpy()
        new_row = np.cumsum(kept) - 1
        rows = self.stops["row"].to_numpy()
        stops = self.stops.filter(pl.Series(kept[rows])).with_columns(
            pl.Series("row", new_row[rows[kept[rows]]], dtype=pl.UInt32)
        )
        return Facts(self.cases.filter(keep), self.keys, stops)

    @staticmethod
    def merge(parts: list["Facts"]) -> "Facts":
        """One set of facts of several, with one table of keys (a case in one part only)."""
        parts = [part for part in parts if len(part)]
        if not parts:
            return Facts.empty()
        if len(parts) == 1:
            return parts[0]
        keys = (
            pl.concat([part.keys.select(DIMENSIONS) for part in parts])
            .unique(maintain_order=True)
            .with_row_index("key")
            .with_columns(pl.col("key").cast(pl.UInt32))
        )
        cases, stops, offset = [], [], 0
        for part in parts:
            local = part.keys.join(keys.rename({"key": "merged"}), on=DIMENSIONS, how="left")
            lookup = np.zeros(int(local["key"].max()) + 1, dtype=np.uint32)  # type: ignore[arg-type]
            lookup[local["key"].to_numpy()] = local["merged"].to_numpy()
            cases.append(
                part.cases.with_columns(
                    pl.Series("key", lookup[part.cases["key"].to_numpy()], dtype=pl.UInt32)
                )
            )
            stops.append(part.stops.with_columns(pl.col("row") + offset))
            offset += len(part)
        # The parts stay chunks of one frame: a rebuild reads each column once anyway, and
        # copying ten million rows into one piece first would only move them twice.
        return Facts(pl.concat(cases, rechunk=False), keys, pl.concat(stops, rechunk=False))

    def pack(self) -> dict[str, bytes]:
        """The three frames as Parquet (zstd): about 7 bytes a case."""
        packed = {}
        for name in ("cases", "keys", "stops"):
            buffer = io.BytesIO()
            getattr(self, name).write_parquet(buffer, compression="zstd")
            packed[name] = buffer.getvalue()
        return packed

    @classmethod
    def unpack(
        cls, cases: Binary, keys: Binary, stops: Binary, *, columns: list[str] | None = None
    ) -> "Facts":
        """The facts `pack` gave; only the cases' `columns` if given."""
        return cls(
            pl.read_parquet(io.BytesIO(bytes(cases)), columns=columns),
            *(pl.read_parquet(io.BytesIO(bytes(data))) for data in (keys, stops)),
        )

    def counted(self) -> "Facts":
        """These facts with the cases' `COUNTED` columns only."""
        return Facts(self.cases.select(COUNTED), self.keys, self.stops)


# Archiving and reading ---------------------------------------------------------------------------


def read_facts() -> tuple[Facts, int]:
    """(every case's facts, `COUNTED` columns only, and how many of the cases were read live):
    the archive blocks' rows still valid, and the other cases from the cases table.

    Call it inside a transaction whose reads share one snapshot (`rebuild_rollups` does).
    """
    live = Facts.of(*read_cases(Q(archive_block__isnull=True)))
    live_ids = live.cases["id"]
    ascending = np.sort(live_ids.to_numpy())  # the cases table gives them in no set order

    def unpacked(block: tuple[int, int, Binary, Binary, Binary]) -> Facts:
        first, last, *data = block
        # A case changed since it was archived is read live; its row in the block is stale and
        # is dropped by id. Other blocks' ids are not even decoded: sorted 64-bit ids are most
        # of a block's bytes, and half the time it takes to unpack it.
        if np.searchsorted(ascending, first) == np.searchsorted(ascending, last, side="right"):
            return Facts.unpack(*data, columns=COUNTED)
        return Facts.unpack(*data).without(live_ids).counted()

    # Blocks are unpacked on worker threads as they arrive (Parquet decoding lets go of the
    # interpreter), while this thread receives the next ones.
    with ThreadPoolExecutor(max_workers=UNPACKING_THREADS) as pool:
        archived = Facts.merge(list(pool.map(unpacked, _blocks())))
    return Facts.merge([archived, live.counted()]), len(live)


def _blocks() -> Iterable[tuple[int, int, Binary, Binary, Binary]]:
    """Every block's (first case, last case, cases, keys, stops), in order. On PostgreSQL the
    bytes come in binary: Django's client-side cursors get them as hex text, twice the size and
    three times as slow."""
    names = ("first_case", "last_case", "cases", "keys", "stops")
    if connection.vendor != "postgresql":
        blocks = ArchiveBlock.objects.order_by("pk").values_list(*names)
        yield from blocks.iterator(chunk_size=8)
        return
    import psycopg  # PostgreSQL's driver, there only

    connection.ensure_connection()
    # A plain psycopg cursor on Django's own connection: the same transaction and snapshot.
    with psycopg.Cursor(connection.connection) as cursor:
        columns = ", ".join(sql.column(ArchiveBlock, name) for name in names)
        query = f"SELECT {columns} FROM {sql.table(ArchiveBlock)} ORDER BY id"
        yield from cursor.stream(query, binary=True)  # each block as soon as it arrives


def archive_cases(block_size: int = BLOCK_SIZE) -> int:
    """Seal every case not archived into blocks of `block_size`; how many were."""
    archived, after = 0, 0
    while True:
        with transaction.atomic():
            ids = _archive_block(block_size, after)
        if not ids:
            return archived
        archived += len(ids)
        # The next claim starts past this one: the index of cases not archived still holds the
        # claimed ones' entries until a vacuum, and walking them again each time adds up.
        after = ids[-1]


def _archive_block(size: int, after: int) -> list[int]:
    """Claim up to `size` cases with ids above `after` for a new block (marking them in one
    statement, so a concurrent change either precedes the claim, which then waits for it to
    commit, or clears the mark after it), read and pack their facts, and drop any stale rows of
    theirs from older blocks. The claimed ids, ascending."""
    block = ArchiveBlock.objects.create(
        first_case=0, last_case=0, count=0, cases=b"", keys=b"", stops=b""
    )
    table = connection.ops.quote_name(Case._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET archive_block = %s WHERE archive_block IS NULL AND id IN "
            f"(SELECT id FROM {table} WHERE archive_block IS NULL AND id > %s "
            "ORDER BY id LIMIT %s) RETURNING id",
            [block.pk, after, size],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
    if not ids:
        block.delete()
        return []
    facts = Facts.of(*read_cases(Q(pk__range=(ids[0], ids[-1]), archive_block=block.pk)))
    assert len(facts) == len(ids), "the claimed cases are the block's"
    for older in ArchiveBlock.objects.filter(first_case__lte=ids[-1], last_case__gte=ids[0]):
        if older.pk != block.pk:
            _rewrite(older, ids)
    _store(block, facts)
    return ids


def _store(block: ArchiveBlock, facts: Facts) -> None:
    if not len(facts):
        block.delete()
        return
    for name, data in facts.pack().items():
        setattr(block, name, data)
    ids = facts.cases["id"]
    block.first_case, block.last_case, block.count = int(ids[0]), int(ids[-1]), len(facts)
    block.save()


def _rewrite(block: ArchiveBlock, ids: Iterable[int]) -> None:
    """Drop the cases of `ids` from the block, if it has them."""
    facts = Facts.unpack(block.cases, block.keys, block.stops)
    kept = facts.without(ids)
    if len(kept) != len(facts):
        _store(block, kept)


# What changes an archived case clears its mark ---------------------------------------------------


def unarchive(case_id: int | None) -> None:
    """Clear the case's `archive_block` (one UPDATE by primary key)."""
    if case_id is not None:
        Case.objects.filter(pk=case_id, archive_block__isnull=False).update(archive_block=None)


def on_case_deleted(sender: Any, instance: Case, **kwargs: Any) -> None:
    if instance.archive_block is not None:
        block = ArchiveBlock.objects.filter(pk=instance.archive_block).first()
        if block is not None:
            _rewrite(block, [instance.pk])


def on_application_changed(
    sender: Any, instance: Application, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    if raw or created:
        return  # a new application's case is not archived
    Case.objects.filter(application_id=instance.pk, archive_block__isnull=False).update(
        archive_block=None
    )


def on_stop_changed(sender: Any, instance: Suspension, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        unarchive(instance.case_id)


def on_event_changed(sender: Any, instance: CaseEvent, raw: bool = False, **kwargs: Any) -> None:
    if not raw and instance.target in CLOSED_WITHOUT_DECISION:
        unarchive(instance.case_id)  # only closing events are among the facts
