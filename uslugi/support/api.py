"""Support-measures API: the recommended set for a profile (nothing is stored), the measures in
force with their criteria and legal basis, and the citizen's proactive offers.

The recommended set and the measures are public; offers need the site's session (with CSRF).
A profile field of the wrong type is a 400 with the reason; an unknown region is a 404.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.security import django_auth

from uslugi.support import selectors, services
from uslugi.support.eligibility import Assessment
from uslugi.support.forms import REGIONS
from uslugi.support.profile import from_json

router = Router(tags=["support measures"])


class ErrorOut(Schema):
    detail: str


class AdultIn(Schema):
    birth_date: date | None = None
    annual_income: float | None = Field(None, ge=0)
    employed: bool | None = None
    valid_reason_no_income: bool | None = None


class ChildIn(Schema):
    birth_date: date | None = None
    disabled: bool | None = None


class ProfileIn(Schema):
    """Every field may be left out: it is then unknown, and the answer says what is needed."""

    region: str
    on: date | None = None
    birth_date: date | None = None
    sex: str | None = Field(None, pattern="^(female|male)$")
    employed: bool | None = None
    annual_income: float | None = Field(None, ge=0)
    valid_reason_no_income: bool | None = None
    disability_group: int | None = Field(None, ge=0, le=3)
    insurance_years: float | None = Field(None, ge=0)
    pension_points: float | None = Field(None, ge=0)
    work_years: float | None = Field(None, ge=0)
    labour_award: bool | None = None
    regional_award: bool | None = None
    veteran_of_labour: bool | None = None
    receives_pension: bool | None = None
    flats: int | None = Field(None, ge=0)
    living_area: float | None = Field(None, ge=0)
    utility_costs: float | None = Field(None, ge=0)
    benefits: list[str] = []
    other_adults: list[AdultIn] | None = None
    children: list[ChildIn] | None = None


class AssessmentOut(Schema):
    service: str
    name: str
    status: str
    reasons: list[str]
    not_met: list[str]
    we_need: list[str]
    missing_fields: list[str]
    answers_that_would_change_it: list[str]
    amount: float | None
    amount_text: str
    legal_basis: str
    explanation: str


class RecommendedOut(Schema):
    region: str
    on: date
    eligible: list[AssessmentOut]
    almost: list[AssessmentOut]
    unknown: list[AssessmentOut]
    not_eligible: list[AssessmentOut]


class CriterionOut(Schema):
    text: str
    expression: str


class MeasureOut(Schema):
    service: str
    name: str
    region: str
    version: int
    valid_from: date
    legal_basis: str
    criteria: list[CriterionOut]
    amount_expression: str


class OfferOut(Schema):
    id: int
    service: str
    name: str
    region: str
    status: str
    amount: Decimal | None
    created_at: datetime
    accepted_at: datetime | None


def _assessment(item: Assessment) -> dict[str, Any]:
    return {
        "service": item.measure.service_code,
        "name": item.measure.display_name,
        "status": str(item.status),
        "reasons": item.held,
        "not_met": item.failed,
        "we_need": item.missing,
        "missing_fields": item.missing_fields,
        "answers_that_would_change_it": item.change,
        "amount": item.amount,
        "amount_text": item.measure.amount_text,
        "legal_basis": item.measure.legal_basis,
        "explanation": item.explanation(),
    }


def _region(code: str) -> str:
    if code not in dict(REGIONS):
        raise Http404(_("No region with code %(code)s.") % {"code": code})
    return code


@router.post(
    "/support/recommended",
    response={200: RecommendedOut, 404: ErrorOut},
    summary="The support measures due to a profile, almost due, and undecided (nothing stored)",
)
def recommended(request: HttpRequest, payload: ProfileIn) -> dict[str, Any]:
    region = _region(payload.region)
    data = payload.dict(exclude_none=True)
    day = data.pop("on", None)
    result = selectors.recommended_set(from_json(data), region_code=region, day=day)
    return {
        "region": region,
        "on": day or timezone.localdate(),
        "eligible": [_assessment(item) for item in result.eligible],
        "almost": [_assessment(item) for item in result.almost],
        "unknown": [_assessment(item) for item in result.unknown],
        "not_eligible": [_assessment(item) for item in result.not_eligible],
    }


@router.get(
    "/support/measures",
    response={200: list[MeasureOut], 404: ErrorOut},
    summary="Support measures in force in a region, with their criteria and legal basis",
)
def measures(request: HttpRequest, region: str) -> list[dict[str, Any]]:
    rules = selectors.list_rules_in_force(region_code=_region(region))
    return [
        {
            "service": rule.service.code,
            "name": rule.service.display_name,
            "region": rule.service.region.code,
            "version": rule.version,
            "valid_from": rule.valid_from,
            "legal_basis": rule.legal_basis,
            "criteria": [
                {"text": item["text"], "expression": item["expression"]} for item in rule.criteria
            ],
            "amount_expression": rule.amount_expression,
        }
        for rule in rules
    ]


def _offer(offer: Any) -> dict[str, Any]:
    return {
        "id": offer.pk,
        "service": offer.service.code,
        "name": offer.service.display_name,
        "region": offer.service.region.code,
        "status": offer.status,
        "amount": offer.amount,
        "created_at": offer.created_at,
        "accepted_at": offer.accepted_at,
    }


@router.get(
    "/support/offers", response=list[OfferOut], auth=django_auth, summary="My proactive offers"
)
def my_offers(request: HttpRequest) -> list[dict[str, Any]]:
    return [_offer(offer) for offer in selectors.list_my_offers(request.user)]


@router.post(
    "/support/offers/{offer_id}/accept",
    response={200: OfferOut, 404: ErrorOut},
    auth=django_auth,
    summary="Accept an offer in one step",
)
def accept_offer(request: HttpRequest, offer_id: int) -> dict[str, Any]:
    offer = selectors.get_my_offer(request.user, offer_id)
    return _offer(services.accept_offer(offer=offer, user=request.user))
