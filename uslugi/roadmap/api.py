"""Read-only API of the public roadmap: the plan, its measures and their KPIs computed live.

Owners' e-mails are not published (the staff page shows them); everything else the public page
shows is here.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from uslugi.roadmap import selectors
from uslugi.roadmap.schemas import ErrorOut, RoadmapOut, RoadmapSummaryOut

router = Router(tags=["roadmap"])


@router.get("/roadmaps", response=list[RoadmapSummaryOut])
def list_roadmaps(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "region": roadmap.region.code,
            "title": roadmap.title,
            "measures": roadmap.measure_count,  # type: ignore[attr-defined]  # the selector's
        }
        for roadmap in selectors.list_roadmaps()
    ]


@router.get("/roadmaps/{region_code}", response={200: RoadmapOut, 404: ErrorOut})
def get_roadmap(request: HttpRequest, region_code: str) -> dict[str, Any]:
    """The region's roadmap; each KPI's baseline and current values come from the rollups now."""
    roadmap = selectors.get_roadmap(region_code)
    return {
        "region": roadmap.region.code,
        "title": roadmap.title,
        "act_title": roadmap.act_title,
        "act_number": roadmap.act_number,
        "act_date": roadmap.act_date,
        "group_created_on": roadmap.group_created_on,
        "measures": [
            {
                "number": m.number,
                "title": m.title,
                "description": m.description,
                "responsible_agency": m.responsible_agency.code,
                "responsible_agency_name": m.responsible_agency.name,
                "responsible_person": m.responsible_person,
                "overseer": m.overseer.full_name if m.overseer else None,
                "starts_on": m.starts_on,
                "due_on": m.due_on,
                "status": m.status,
                "completed_on": m.completed_on,
                "overdue": state.overdue,
                "done_below_target": state.done_below_target,
                "evidence": [
                    {"title": e.title, "url": e.url or f"/roadmap/{region_code}/evidence/{e.pk}/"}
                    for e in m.evidence.all()
                ],
                "kpis": [result.as_dict() for result in state.kpis],
            }
            for state in selectors.measure_states(roadmap)
            for m in [state.measure]
        ],
        "members": [
            {
                "full_name": member.full_name,
                "position": member.position,
                "agency": member.agency.code if member.agency else None,
                "role": member.role,
            }
            for member in roadmap.members.all()
        ],
        "meetings": [
            {
                "held_on": meeting.held_on,
                "title": meeting.title,
                "minutes": meeting.minutes,
                "decisions": [
                    {
                        "text": d.text,
                        "assignee": d.assignee.full_name,
                        "due_on": d.due_on,
                        "status": d.status,
                    }
                    for d in meeting.decisions.all()
                ],
            }
            for meeting in roadmap.meetings.all()
        ],
    }
