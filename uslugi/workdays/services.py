"""The workdays app owns the production calendars and the deadline arithmetic over them.

Its public surface: these writes (the administrator's calendar rows, each with the act that sets
it), the reads in `selectors.py`, and the pure functions in `deadlines.py` and `bulk.py`.

Every write replaces the version of each regional calendar it affects, in the same transaction, so
that every process drops its cached copy (see `selectors.py`), and leaves an audit event.
"""

import uuid
from typing import Any

from django.db import transaction

from uslugi.core.services import record_event
from uslugi.workdays.calendar import FEDERAL
from uslugi.workdays.models import CalendarDay, CalendarYear, RegionCalendar

CalendarRow = CalendarDay | CalendarYear


def _touch(layer: str) -> None:
    """A federal row changes every region's calendar; a regional row only its region's."""
    regions = RegionCalendar.objects.all()
    if layer != FEDERAL:
        regions = regions.filter(code=layer)
    regions.update(version=uuid.uuid4())


def _verb(row: Any, action: str) -> str:
    return f"{row._meta.model_name}.{action}"


@transaction.atomic
def save_calendar_row(
    *, row: CalendarRow, actor: Any, changed_fields: list[str] | None = None
) -> CalendarRow:
    """Add or change a calendar day or a year's completeness; the affected calendars rebuild."""
    created = row.pk is None
    previous_layer = None
    if not created:
        previous_layer = (
            type(row).objects.filter(pk=row.pk).values_list("region", flat=True).first()
        )
    row.save()
    _touch(row.region)
    if previous_layer and previous_layer != row.region:
        _touch(previous_layer)
    data: dict[str, Any] = {"region": row.region, "act": row.act}
    if isinstance(row, CalendarDay):
        data |= {"date": row.date, "kind": row.kind}
    else:
        data |= {"year": row.year, "complete": row.complete}
    if changed_fields is not None:
        data["fields"] = changed_fields
    record_event(
        actor=actor, verb=_verb(row, "created" if created else "changed"), target=row, data=data
    )
    return row


@transaction.atomic
def delete_calendar_row(*, row: CalendarRow, actor: Any) -> None:
    record_event(actor=actor, verb=_verb(row, "deleted"), target=row, data={"region": row.region})
    _touch(row.region)
    row.delete()


@transaction.atomic
def save_region_calendar(
    *, region: RegionCalendar, actor: Any, changed_fields: list[str] | None = None
) -> RegionCalendar:
    """Add a region to the calendar or change its rules (time zone, office hours, weekend rule)."""
    created = region.pk is None
    region.version = uuid.uuid4()
    region.save()
    record_event(
        actor=actor,
        verb=_verb(region, "created" if created else "changed"),
        target=region,
        data={"code": region.code, "fields": changed_fields or []},
    )
    return region


@transaction.atomic
def delete_region_calendar(*, region: RegionCalendar, actor: Any) -> None:
    record_event(
        actor=actor, verb=_verb(region, "deleted"), target=region, data={"code": region.code}
    )
    region.delete()
