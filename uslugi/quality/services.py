"""The quality app owns the rollups of cases and the metrics read from them.

Rollups change in two ways only: incrementally, in the transaction that changes a case (hooks
"case_opened", "case_decided", "case_closed") or gives a rating or files or decides a complaint
("case_rated", "complaint_filed", "complaint_decided"), and by `rebuild_rollups`, which recomputes
every row from the cases, ratings and complaints in bulk. Both count the same things on the same
days (see `models`), so a rebuild of incrementally kept rollups changes nothing; the tests hold
them to it.
"""

import io
from datetime import date
from typing import Any

import numpy as np
import polars as pl
from django.db import connection, transaction
from django.db.models import F, Max, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from uslugi.applications.models import Case, CaseEvent, Suspension
from uslugi.applications.workflow import DECIDED, Status
from uslugi.catalogue.models import Region, TermKind
from uslugi.feedback.models import Complaint, ComplaintStatus, Rating
from uslugi.quality.calculate import CumulativeCalendars, calculate_processing_days
from uslugi.quality.models import (
    CASE_COUNTS,
    COUNTS,
    FEEDBACK_COUNTS,
    LEVELS,
    SATISFIED_SCORE,
    SCORES,
    DailyRollup,
    ProcessingBucket,
)
from uslugi.workdays import selectors as workdays

REFUSALS = (Status.REFUSED, Status.REFUSED_TO_ACCEPT)
CLOSED_WITHOUT_DECISION = (Status.REFUSED_TO_ACCEPT, Status.WITHDRAWN)
KEY = ["day", "service_id", "region_id", "agency_id", "channel", "term_kind"]


def _key(case: Case, day: date) -> dict[str, Any]:
    return {
        "day": day,
        "service_id": case.service_id,
        "region_id": case.region_id,
        "agency_id": case.agency_id,
        "channel": case.application.channel,
        "term_kind": case.term_kind,
    }


def _add(model: Any, key: dict[str, Any], **counts: int) -> None:
    """Add the counts to the row of the key and to its month's row: one upsert each."""
    twin = dict(LEVELS)[model]
    _upsert(model, key, counts)
    _upsert(twin, {**key, "day": key["day"].replace(day=1)}, counts)


def _upsert(model: Any, key: dict[str, Any], counts: dict[str, int]) -> None:
    """INSERT … ON CONFLICT (key) DO UPDATE adding the counts (PostgreSQL and SQLite alike)."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    counted = [
        f.attname for f in model._meta.concrete_fields if not f.primary_key and f.attname not in key
    ]
    values = {**key, **{name: counts.get(name, 0) for name in counted}}
    added = ", ".join(f"{quote(n)} = {table}.{quote(n)} + excluded.{quote(n)}" for n in counts)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(quote(n) for n in values)}) "
            f"VALUES ({', '.join(['%s'] * len(values))}) "
            f"ON CONFLICT ({', '.join(quote(n) for n in key)}) DO UPDATE SET {added}",
            list(values.values()),
        )


def record_case_opened(case: Case) -> list[Any]:
    """A new case counts as received on the day its application was received."""
    day = timezone.localdate(case.application.received_at)
    _add(DailyRollup, _key(case, day), received=1)
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
        key = _key(case, day)
        _add(
            DailyRollup,
            key,
            decided=1,
            decided_on_time=int(day <= case.due_date),
            closed=1,
            refused=int(case.status in REFUSALS),
        )
        _add(ProcessingBucket, {**key, "days": processing_days_of(case)}, count=1)
    elif case.status in CLOSED_WITHOUT_DECISION:
        key = _key(case, on or timezone.localdate())
        _add(DailyRollup, key, closed=1, refused=int(case.status in REFUSALS))
    return []


def record_rating(rating: Rating) -> list[Any]:
    """A rating counts on the day it was given, under its case's key."""
    case = Case.objects.select_related("application").get(pk=rating.case_id)
    counts = {"rated": 1}
    for name in SCORES:
        score = getattr(rating, name)
        counts[f"{name}_sum"] = score
        counts[f"{name}_high"] = int(score >= SATISFIED_SCORE)
    _add(DailyRollup, _key(case, timezone.localdate(rating.created_at)), **counts)
    return []


def record_complaint_filed(complaint: Complaint) -> list[Any]:
    """A complaint counts on the day it was registered, under its case's key."""
    case = Case.objects.select_related("application").get(pk=complaint.case_id)
    _add(DailyRollup, _key(case, complaint.registered_on), complaints=1)
    return []


def record_complaint_decided(complaint: Complaint) -> list[Any]:
    """A decided complaint counts on the day of its decision; upheld ones also as upheld."""
    assert complaint.decided_at is not None
    case = Case.objects.select_related("application").get(pk=complaint.case_id)
    _add(
        DailyRollup,
        _key(case, timezone.localdate(complaint.decided_at)),
        complaints_decided=1,
        complaints_upheld=int(complaint.status == ComplaintStatus.UPHELD),
    )
    return []


# The rebuild -----------------------------------------------------------------------------------


def _frame(queryset: QuerySet[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """The queryset's values as a polars frame: by COPY on PostgreSQL, else row by row."""
    names = list(schema)
    queryset = queryset.values_list(*names)
    if connection.vendor == "postgresql":
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            statement = cursor.mogrify(sql, params)
            if isinstance(statement, bytes):
                statement = statement.decode()
            buffer = io.BytesIO()
            with cursor.cursor.copy(f"COPY ({statement}) TO STDOUT (FORMAT csv)") as copy:
                for block in copy:
                    buffer.write(block)
        buffer.seek(0)
        if not buffer.getbuffer().nbytes:
            return pl.DataFrame(schema=schema)
        return pl.read_csv(buffer, has_header=False, new_columns=names, schema=schema)
    return pl.DataFrame(list(queryset), schema=schema, orient="row")


def read_cases() -> tuple[pl.DataFrame, pl.DataFrame]:
    """(cases, stops) as frames: what the rebuild and the exports start from."""
    cases = _frame(
        Case.objects.annotate(
            received_on=TruncDate("application__received_at"),
            decided_on=TruncDate("decided_at"),
            channel=F("application__channel"),
        ),
        {
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
        },
    )
    closings = _frame(
        CaseEvent.objects.filter(kind="transition", target__in=CLOSED_WITHOUT_DECISION)
        .values("case_id")
        .annotate(closed_on=TruncDate(Max("occurred_at"))),
        {"case_id": pl.Int64, "closed_on": pl.Date},
    )
    cases = cases.join(closings.rename({"case_id": "id"}), on="id", how="left")
    stops = _frame(
        Suspension.objects.all(),
        {"case_id": pl.Int64, "starts_on": pl.Date, "ends_on": pl.Date},
    )
    return cases, stops


def read_feedback() -> tuple[pl.DataFrame, pl.DataFrame]:
    """(ratings, complaints) as frames, each with its case's id."""
    ratings = _frame(
        Rating.objects.annotate(day=TruncDate("created_at")),
        {"case_id": pl.Int64, "day": pl.Date, **dict.fromkeys(SCORES, pl.Int64)},
    )
    complaints = _frame(
        Complaint.objects.annotate(decided_on=TruncDate("decided_at")),
        {"case_id": pl.Int64, "registered_on": pl.Date, "decided_on": pl.Date, "status": pl.Utf8},
    )
    return ratings, complaints


def calculate_feedback_rollups(
    cases: pl.DataFrame, ratings: pl.DataFrame, complaints: pl.DataFrame
) -> pl.DataFrame:
    """Daily rollup rows of the ratings and complaints alone (the feedback columns)."""
    dimensions = ["service_id", "region_id", "agency_id", "channel", "term_kind"]
    keys = cases.select(["id", *dimensions]).rename({"id": "case_id"})
    rated = (
        ratings.join(keys, on="case_id")
        .group_by(["day", *dimensions])
        .agg(
            pl.len().alias("rated"),
            *(pl.col(name).sum().alias(f"{name}_sum") for name in SCORES),
            *((pl.col(name) >= SATISFIED_SCORE).sum().alias(f"{name}_high") for name in SCORES),
        )
    )
    complaints = complaints.join(keys, on="case_id")
    filed = (
        complaints.rename({"registered_on": "day"})
        .group_by(["day", *dimensions])
        .agg(pl.len().alias("complaints"))
    )
    decided = (
        complaints.filter(pl.col("decided_on").is_not_null())
        .rename({"decided_on": "day"})
        .group_by(["day", *dimensions])
        .agg(
            pl.len().alias("complaints_decided"),
            (pl.col("status") == str(ComplaintStatus.UPHELD)).sum().alias("complaints_upheld"),
        )
    )
    merged = rated
    for frame in (filed, decided):
        merged = merged.join(frame, on=["day", *dimensions], how="full", coalesce=True)
    return merged.with_columns(
        [pl.col(c).fill_null(0).cast(pl.Int64) for c in FEEDBACK_COUNTS]
    ).select(["day", *dimensions, *FEEDBACK_COUNTS])


def _epoch(series: pl.Series) -> Any:
    return series.cast(pl.Int64).to_numpy()


def calculate_rollups(
    cases: pl.DataFrame, stops: pl.DataFrame, calendars: CumulativeCalendars
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(daily rollup rows, processing buckets) of the cases, vectorised."""
    dimensions = ["service_id", "region_id", "agency_id", "channel", "term_kind"]
    received = (
        cases.group_by(["received_on", *dimensions])
        .agg(pl.len().alias("received"))
        .rename({"received_on": "day"})
    )
    decided_statuses = [str(s) for s in DECIDED]
    closed_on = (
        pl.when(pl.col("status").is_in(decided_statuses))
        .then(pl.col("decided_on"))
        .when(pl.col("status").is_in([str(s) for s in CLOSED_WITHOUT_DECISION]))
        .then(pl.col("closed_on"))
    )
    closed = cases.with_columns(day=closed_on).filter(pl.col("day").is_not_null())
    is_decided = pl.col("status").is_in(decided_statuses)
    closings = closed.group_by(["day", *dimensions]).agg(
        decided=is_decided.sum(),
        decided_on_time=(is_decided & (pl.col("day") <= pl.col("due_date"))).sum(),
        closed=pl.len(),
        refused=pl.col("status").is_in([str(s) for s in REFUSALS]).sum(),
    )
    rollups = (
        received.join(closings, on=["day", *dimensions], how="full", coalesce=True)
        .with_columns([pl.col(c).fill_null(0).cast(pl.Int64) for c in CASE_COUNTS])
        .select(["day", *dimensions, *CASE_COUNTS])
    )

    decided = closed.filter(is_decided).select(
        ["id", "day", *dimensions, "registered_on", "decided_on"]
    )
    rows = calendars.region_rows(decided["region_id"].to_numpy())
    working = (decided["term_kind"] == TermKind.WORKING).to_numpy()
    registered = _epoch(decided["registered_on"])
    decided_on = _epoch(decided["decided_on"])
    days = calendars.span_days(rows, working, registered + 1, decided_on)
    if len(stops):
        joined = stops.join(
            decided.select(["id", "region_id", "term_kind", "registered_on", "decided_on"]),
            left_on="case_id",
            right_on="id",
        )
        stop_end = joined["ends_on"].fill_null(joined["decided_on"])
        first = np.maximum(_epoch(joined["starts_on"]), _epoch(joined["registered_on"]) + 1)
        last = np.minimum(_epoch(stop_end), _epoch(joined["decided_on"]))
        stopped = calendars.span_days(
            calendars.region_rows(joined["region_id"].to_numpy()),
            (joined["term_kind"] == TermKind.WORKING).to_numpy(),
            first,
            last,
        )
        per_case = (
            pl.DataFrame({"id": joined["case_id"], "stopped": stopped})
            .group_by("id")
            .agg(pl.col("stopped").sum())
        )
        stopped_of = decided.select("id").join(per_case, on="id", how="left")["stopped"]
        days = days - stopped_of.fill_null(0).to_numpy()
    buckets = (
        decided.with_columns(days=pl.Series(np.maximum(days, 0)))
        .group_by(["day", *dimensions, "days"])
        .agg(pl.len().alias("count"))
    )
    return rollups, buckets


def load_calendars() -> CumulativeCalendars:
    return CumulativeCalendars(
        {region.pk: workdays.get_calendar(region.code) for region in Region.objects.all()}
    )


@transaction.atomic
def rebuild_rollups() -> dict[str, int]:
    """Throw the rollups away and count them again from every case (bulk, columnar)."""
    cases, stops = read_cases()
    rollups, buckets = calculate_rollups(cases, stops, load_calendars())
    feedback = calculate_feedback_rollups(cases, *read_feedback())
    rollups = (
        rollups.join(feedback, on=KEY, how="full", coalesce=True)
        .with_columns([pl.col(c).fill_null(0).cast(pl.Int64) for c in COUNTS])
        .select([*KEY, *COUNTS])
    )
    _clear(*(model for level in LEVELS for model in level))
    for (daily, monthly), frame, key, counts in (
        (LEVELS[0], rollups, KEY, COUNTS),
        (LEVELS[1], buckets, [*KEY, "days"], ["count"]),
    ):
        _write(daily, frame.sort(key))
        _write(monthly, _by_month(frame, key, counts).sort(key))
    return {"cases": len(cases), "rollups": len(rollups), "buckets": len(buckets)}


def _by_month(frame: pl.DataFrame, key: list[str], counts: list[str]) -> pl.DataFrame:
    """The daily rows summed by calendar month (`day` the month's first day)."""
    return (
        frame.with_columns(pl.col("day").dt.truncate("1mo"))
        .group_by(key)
        .agg(pl.col(counts).sum())
        .select([*key, *counts])
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


def _write(model: Any, frame: pl.DataFrame) -> None:
    """Insert the frame's rows: COPY on PostgreSQL, in key order (so the unique index grows at
    its right edge and a day range is a run of adjacent pages), then fresh planner statistics."""
    names = frame.columns
    if connection.vendor == "postgresql":
        columns = ", ".join(
            f'"{model._meta.get_field(n.removesuffix("_id")).column}"' for n in names
        )
        buffer = io.BytesIO()
        frame.write_csv(buffer, include_header=False)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY {model._meta.db_table} ({columns}) FROM STDIN (FORMAT csv)"
            ) as copy,
        ):
            copy.write(buffer.getvalue())
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {model._meta.db_table}")
        return
    model.objects.bulk_create(
        [model(**row) for row in frame.iter_rows(named=True)], batch_size=2000
    )
