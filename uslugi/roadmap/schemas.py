from datetime import date
from decimal import Decimal

from ninja import Schema


class KpiOut(Schema):
    id: int
    metric: str
    metric_label: str
    unit: str
    processing_unit: str
    service: str | None
    agency: str | None
    subject: str
    baseline_from: date
    baseline_to: date
    baseline: Decimal | None
    baseline_recorded: Decimal | None
    current_from: date
    current_to: date
    current: Decimal | None
    comparison: str
    target: Decimal
    reached: bool
    progress: int | None


class EvidenceOut(Schema):
    title: str
    url: str


class MeasureOut(Schema):
    number: str
    title: str
    description: str
    responsible_agency: str
    responsible_agency_name: str
    responsible_person: str
    overseer: str | None
    starts_on: date
    due_on: date
    status: str
    completed_on: date | None
    overdue: bool
    done_below_target: bool
    evidence: list[EvidenceOut]
    kpis: list[KpiOut]


class MemberOut(Schema):
    full_name: str
    position: str
    agency: str | None
    role: str


class DecisionOut(Schema):
    text: str
    assignee: str
    due_on: date
    status: str


class MeetingOut(Schema):
    held_on: date
    title: str
    minutes: str
    decisions: list[DecisionOut]


class RoadmapOut(Schema):
    region: str
    title: str
    act_title: str
    act_number: str
    act_date: date | None
    group_created_on: date | None
    measures: list[MeasureOut]
    members: list[MemberOut]
    meetings: list[MeetingOut]


class RoadmapSummaryOut(Schema):
    region: str
    title: str
    measures: int


class ErrorOut(Schema):
    detail: str
