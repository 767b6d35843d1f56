"""Deadline arithmetic over plain values: registration day, term, suspensions, extensions.

Pure: a `ProductionCalendar` and a `DeadlineInputs` in, a `Deadline` with its explanation out.
The rules (BRIEF §6):

- A request received on a non-working day, or at or after the office's closing hour (one hour
  earlier on a shortened day, Labour Code art. 95), is registered on the next working day.
- The term runs from the day after registration (Civil Code art. 191). A term of N working days
  ends on the N-th working day after registration; a term of N calendar days ends N calendar days
  after registration, moved to the next working day when that day is non-working (Civil Code
  art. 193).
- Suspension stops the clock: the days from its start through its end do not count; the term then
  continues. A due date never falls on a suspended day.
- An extension adds days of the term's own kind, with a reason.

`bulk.py` computes the same due dates for millions of rows at once and must agree exactly.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from uslugi.workdays.calendar import ONE_DAY, DayRow, DayStatus, ProductionCalendar
from uslugi.workdays.errors import (
    ExtensionNotPositive,
    SuspensionEndsBeforeStart,
    TermNotPositive,
)


class TermKind(models.TextChoices):
    """How a term is counted (BRIEF §6); the one definition the catalogue's fields use too."""

    WORKING = "working", gettext_lazy("working days")
    CALENDAR = "calendar", gettext_lazy("calendar days")


class RegistrationReason(StrEnum):
    IN_OFFICE_HOURS = "received_in_office_hours"
    AFTER_OFFICE_HOURS = "received_after_office_hours"
    ON_NON_WORKING_DAY = "received_on_non_working_day"


@dataclass(frozen=True)
class Suspension:
    """The clock stops from `start` through `end`, both inclusive."""

    start: date
    end: date
    reason: str = ""


@dataclass(frozen=True)
class Extension:
    days: int
    reason: str = ""


@dataclass(frozen=True)
class DeadlineInputs:
    """`received` is the local time in the region (naive), or an aware datetime to convert."""

    received: datetime
    term: int
    kind: TermKind
    suspensions: tuple[Suspension, ...] = ()
    extensions: tuple[Extension, ...] = ()


@dataclass(frozen=True)
class Registration:
    received: datetime
    day: date
    reason: RegistrationReason
    office_closes: time | None  # on the day received; None when that day is non-working


@dataclass(frozen=True)
class SuspensionEffect:
    suspension: Suspension
    stopped_days: int  # days of the term's kind the clock did not count because of it


@dataclass(frozen=True)
class SkippedDay:
    day: date
    status: DayStatus
    rows: tuple[DayRow, ...]

    def describe(self, *, with_act: bool = False) -> str:
        if self.rows:
            return "; ".join(row.describe(with_act=with_act) for row in self.rows)
        return str(_("weekend"))


@dataclass(frozen=True)
class Explanation:
    """Why the due date is what it is, structured for machines and in lines for an official."""

    registration: Registration
    term: int
    kind: TermKind
    extensions: tuple[Extension, ...]
    suspensions: tuple[SuspensionEffect, ...]
    skipped: tuple[SkippedDay, ...]
    counted_until: date  # the last day the term counted; the due date unless it was moved
    provisional_years: tuple[int, ...]

    @property
    def effective_term(self) -> int:
        return self.term + sum(extension.days for extension in self.extensions)

    @property
    def suspended_days(self) -> int:
        return sum(effect.stopped_days for effect in self.suspensions)

    def lines(self, due_date: date) -> list[str]:
        registration = self.registration
        received = registration.received.strftime("%Y-%m-%d %H:%M")
        lines = []
        if registration.reason == RegistrationReason.IN_OFFICE_HOURS:
            lines.append(
                _("Received %(received)s during office hours; registered on %(day)s.")
                % {"received": received, "day": registration.day.isoformat()}
            )
        elif registration.reason == RegistrationReason.AFTER_OFFICE_HOURS:
            closes = (
                registration.office_closes.strftime("%H:%M") if registration.office_closes else ""
            )
            lines.append(
                _(
                    "Received %(received)s, at or after the office closed at %(closes)s; "
                    "registered on the next working day, %(day)s."
                )
                % {"received": received, "closes": closes, "day": registration.day.isoformat()}
            )
        else:
            lines.append(
                _(
                    "Received %(received)s, a non-working day; registered on the next working "
                    "day, %(day)s."
                )
                % {"received": received, "day": registration.day.isoformat()}
            )
        kind_label = _("working days") if self.kind == TermKind.WORKING else _("calendar days")
        lines.append(
            _("Term: %(term)s %(kind)s, counted from the day after registration.")
            % {"term": self.term, "kind": kind_label}
        )
        for extension in self.extensions:
            lines.append(
                _("Extended by %(days)s %(kind)s: %(reason)s.")
                % {"days": extension.days, "kind": kind_label, "reason": extension.reason or "—"}
            )
        for effect in self.suspensions:
            suspension = effect.suspension
            lines.append(
                ngettext(
                    "Suspended from %(start)s through %(end)s%(reason)s: the clock stopped for "
                    "%(days)s day of the term.",
                    "Suspended from %(start)s through %(end)s%(reason)s: the clock stopped for "
                    "%(days)s days of the term.",
                    effect.stopped_days,
                )
                % {
                    "start": suspension.start.isoformat(),
                    "end": suspension.end.isoformat(),
                    "reason": f" ({suspension.reason})" if suspension.reason else "",
                    "days": effect.stopped_days,
                }
            )
        if self.skipped:
            weekends = sum(1 for skipped in self.skipped if not skipped.rows)
            others = [
                f"{skipped.day.isoformat()} ({skipped.describe()})"
                for skipped in self.skipped
                if skipped.rows
            ]
            lines.append(
                _(
                    "Non-working days not counted: %(count)s, of them %(weekends)s ordinary "
                    "weekend days%(others)s."
                )
                % {
                    "count": len(self.skipped),
                    "weekends": weekends,
                    "others": "; " + "; ".join(others) if others else "",
                }
            )
        if due_date != self.counted_until:
            lines.append(
                _(
                    "The term's last day, %(last)s, is non-working; the deadline moves to the next "
                    "working day (Civil Code art. 193)."
                )
                % {"last": self.counted_until.isoformat()}
            )
        lines.append(_("Due date: %(due)s.") % {"due": due_date.isoformat()})
        if self.provisional_years:
            lines.append(
                _(
                    "Provisional: the production calendar for %(years)s has only the statutory "
                    "holidays so far (no decree yet); the due date may change when it is published."
                )
                % {"years": ", ".join(str(year) for year in self.provisional_years)}
            )
        return lines


@dataclass(frozen=True)
class Deadline:
    region: str
    inputs: DeadlineInputs
    registered_on: date
    due_date: date
    explanation: Explanation

    @property
    def provisional(self) -> bool:
        return bool(self.explanation.provisional_years)

    def as_dict(self) -> dict[str, Any]:
        """The object `manage.py deadline --json` prints and `POST /api/deadline` answers."""
        explanation = self.explanation
        registration = explanation.registration
        return {
            "region": self.region,
            "received": registration.received.strftime("%Y-%m-%dT%H:%M"),
            "term": self.inputs.term,
            "kind": str(self.inputs.kind),
            "registered_on": self.registered_on.isoformat(),
            "due_date": self.due_date.isoformat(),
            "provisional": self.provisional,
            "explanation": {
                "registered_on_reason": str(registration.reason),
                "office_closes": (
                    registration.office_closes.strftime("%H:%M")
                    if registration.office_closes
                    else None
                ),
                "extensions": [
                    {"days": extension.days, "reason": extension.reason}
                    for extension in explanation.extensions
                ],
                "effective_term": explanation.effective_term,
                "suspensions": [
                    {
                        "start": effect.suspension.start.isoformat(),
                        "end": effect.suspension.end.isoformat(),
                        "reason": effect.suspension.reason,
                        "stopped_days": effect.stopped_days,
                    }
                    for effect in explanation.suspensions
                ],
                "suspended_days": explanation.suspended_days,
                "skipped_non_working_days": [
                    {
                        "date": skipped.day.isoformat(),
                        "status": str(skipped.status),
                        "reason": skipped.describe(with_act=True),
                    }
                    for skipped in explanation.skipped
                ],
                "term_last_day": explanation.counted_until.isoformat(),
                "provisional_years": list(explanation.provisional_years),
                "lines": explanation.lines(self.due_date),
            },
        }


def local_received(calendar: ProductionCalendar, received: datetime) -> datetime:
    """The receipt time as the region's wall-clock time (naive), whatever zone it came in."""
    if received.tzinfo is None:
        return received
    zone = zoneinfo.ZoneInfo(calendar.region.time_zone)
    return received.astimezone(zone).replace(tzinfo=None)


def calculate_registration(calendar: ProductionCalendar, received: datetime) -> Registration:
    """The day a request received at local time `received` is registered, and why."""
    received = local_received(calendar, received)
    day = received.date()
    if not calendar.is_working(day):
        return Registration(
            received, calendar.next_working_day(day), RegistrationReason.ON_NON_WORKING_DAY, None
        )
    closes = calendar.office_closes_on(day)
    if received.time() >= closes:
        return Registration(
            received, calendar.next_working_day(day), RegistrationReason.AFTER_OFFICE_HOURS, closes
        )
    return Registration(received, day, RegistrationReason.IN_OFFICE_HOURS, closes)


def calculate_registration_day(calendar: ProductionCalendar, received: datetime) -> date:
    return calculate_registration(calendar, received).day


def validate_inputs(calendar: ProductionCalendar, inputs: DeadlineInputs) -> None:
    """Every rule on the inputs, checked before any counting so that errors name the cause."""
    if isinstance(inputs.term, bool) or not isinstance(inputs.term, int) or inputs.term < 1:
        raise TermNotPositive(inputs.term)
    for extension in inputs.extensions:
        if isinstance(extension.days, bool) or extension.days < 1:
            raise ExtensionNotPositive(extension.days)
    for suspension in inputs.suspensions:
        if suspension.end < suspension.start:
            raise SuspensionEndsBeforeStart(suspension.start, suspension.end)
        calendar.check(suspension.start)
        calendar.check(suspension.end)
    calendar.check(local_received(calendar, inputs.received).date())


def calculate_due_date(calendar: ProductionCalendar, inputs: DeadlineInputs) -> Deadline:
    """The due date of one request, with its explanation (rules in the module docstring)."""
    validate_inputs(calendar, inputs)
    registration = calculate_registration(calendar, inputs.received)
    term = inputs.term + sum(extension.days for extension in inputs.extensions)
    working_kind = inputs.kind == TermKind.WORKING

    def suspension_of(day: date) -> int | None:
        for index, suspension in enumerate(inputs.suspensions):
            if suspension.start <= day <= suspension.end:
                return index
        return None

    stopped = [0] * len(inputs.suspensions)
    skipped: list[SkippedDay] = []

    def skip(day: date) -> None:
        skipped.append(SkippedDay(day, calendar.status(day), calendar.rows_of(day)))

    day, counted = registration.day, 0
    while counted < term:
        day += ONE_DAY
        working = calendar.is_working(day)
        suspended_by = suspension_of(day)
        if suspended_by is not None:
            if working or not working_kind:
                stopped[suspended_by] += 1
            continue
        if working_kind and not working:
            skip(day)
            continue
        counted += 1
    counted_until = due = day
    # Civil Code art. 193: a calendar-day term ending on a non-working day ends on the next
    # working day; the due date is never a suspended day either.
    while not calendar.is_working(due) or suspension_of(due) is not None:
        if not calendar.is_working(due):
            skip(due)
        due += ONE_DAY

    explanation = Explanation(
        registration=registration,
        term=inputs.term,
        kind=inputs.kind,
        extensions=inputs.extensions,
        suspensions=tuple(
            SuspensionEffect(suspension, days)
            for suspension, days in zip(inputs.suspensions, stopped, strict=True)
        ),
        skipped=tuple(skipped),
        counted_until=counted_until,
        provisional_years=calendar.provisional_years(registration.received.date(), due),
    )
    return Deadline(calendar.code, inputs, registration.day, due, explanation)
