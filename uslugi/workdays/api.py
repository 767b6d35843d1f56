"""Production calendars and deadlines over HTTP: the same objects the management commands print."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from uslugi.workdays import selectors
from uslugi.workdays.deadlines import DeadlineInputs, Extension, Suspension, TermKind
from uslugi.workdays.schemas import CalendarYearOut, DeadlineIn, DeadlineOut, ErrorOut

router = Router(tags=["calendar"])


@router.get("/calendar/{region}/{year}", response={200: CalendarYearOut, 400: ErrorOut})
def get_calendar_year(request: HttpRequest, region: str, year: int) -> dict[str, Any]:
    """A region's year: non-working days, working weekend days and shortened days."""
    return selectors.get_year_summary(region, year).as_dict()


@router.post("/deadline", response={200: DeadlineOut, 400: ErrorOut})
def calculate_deadline(request: HttpRequest, payload: DeadlineIn) -> dict[str, Any]:
    """The due date of a request received at local time `received`, with its explanation."""
    inputs = DeadlineInputs(
        received=payload.received,
        term=payload.term,
        kind=TermKind(payload.kind),
        suspensions=tuple(Suspension(s.start, s.end, s.reason) for s in payload.suspensions),
        extensions=tuple(Extension(e.days, e.reason) for e in payload.extensions),
    )
    return selectors.get_deadline(region=payload.region, inputs=inputs).as_dict()
