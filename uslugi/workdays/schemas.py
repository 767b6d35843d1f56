from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema


class CalendarYearOut(Schema):
    region: str
    year: int
    complete: bool
    non_working: list[date]
    working_weekends: list[date]
    shortened: list[date]


class SuspensionIn(Schema):
    start: date
    end: date
    reason: str = ""


class ExtensionIn(Schema):
    days: int
    reason: str = ""


class DeadlineIn(Schema):
    region: str = Field(..., examples=["56"])
    received: datetime = Field(
        ...,
        description="Local time in the region, e.g. 2025-12-25T15:00.",
        examples=["2025-12-25T15:00"],
    )
    term: int = Field(..., examples=[15])
    kind: Literal["working", "calendar"]
    suspensions: list[SuspensionIn] = []
    extensions: list[ExtensionIn] = []


class SuspensionOut(Schema):
    start: date
    end: date
    reason: str
    stopped_days: int


class SkippedDayOut(Schema):
    date: date
    status: str
    reason: str


class ExplanationOut(Schema):
    registered_on_reason: str
    office_closes: str | None
    extensions: list[ExtensionIn]
    effective_term: int
    suspensions: list[SuspensionOut]
    suspended_days: int
    skipped_non_working_days: list[SkippedDayOut]
    term_last_day: date
    provisional_years: list[int]
    lines: list[str]


class DeadlineOut(Schema):
    region: str
    received: str
    term: int
    kind: str
    registered_on: date
    due_date: date
    provisional: bool
    explanation: ExplanationOut


class ErrorOut(Schema):
    detail: str
