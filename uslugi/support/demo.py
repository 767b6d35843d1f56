"""Demo support measures for regions 56, 16 and 02, their parameters, test cases and a small
population registry with proactive offers.

Parameters come from `data/parameters.csv` and measures with their test cases from
`data/measures.json` (both with sources, see data/README.md); the measures themselves are the
catalogue's support-measure services. `load_demo()` creates only what is missing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from uslugi.catalogue.models import Region, Service
from uslugi.support import services
from uslugi.support.models import CitizenProfile, RegionalParameter, RuleTestCase
from uslugi.support.shipped import read_measures, read_parameters

RULES_FROM = date(2025, 1, 1)
DEMO_PEOPLE = 300
DEMO_DAY = date(2026, 3, 2)

# The demo citizen: a mother of a newborn in Orenburg oblast with a low family income.
CITIZEN_PROFILE: dict[str, Any] = {
    "birth_date": date(1994, 6, 14),
    "sex": "female",
    "employed": False,
    "annual_income": Decimal("0"),
    "valid_reason_no_income": True,
    "flats": 1,
    "living_area": Decimal("46"),
    "utility_costs": Decimal("5200"),
    "benefits": [],
    "other_adults": [
        {
            "birth_date": "1991-02-03",
            "annual_income": 290000,
            "employed": True,
            "valid_reason_no_income": False,
        }
    ],
    "children": [{"birth_date": "2026-01-20", "disabled": False}],
}


def _parameters(created: dict[str, int]) -> None:
    regions = {region.code: region for region in Region.objects.all()}
    for row in read_parameters():
        region = regions.get(row["region"]) if row["region"] else None
        if row["region"] and region is None:
            continue
        _, new = RegionalParameter.objects.get_or_create(
            name=row["name"],
            region=region,
            valid_from=date.fromisoformat(row["valid_from"]),
            defaults={
                "valid_to": date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
                "value": Decimal(row["value"]),
                "source": row["source"],
            },
        )
        created["parameters"] += new


def _measures(created: dict[str, int]) -> None:
    for measure in read_measures():
        for code in measure["regions"]:
            service = Service.objects.filter(region__code=code, code=measure["code"]).first()
            if service is None:
                continue
            if not service.measure_rules.exists():
                services.publish_rule(
                    service=service,
                    criteria=measure["criteria"],
                    legal_basis=measure["legal_basis"],
                    valid_from=RULES_FROM,
                    actor=None,
                    amount_expression=measure["amount_expression"],
                    amount_text=measure["amount_text"],
                    note="демо",
                )
                created["rules"] += 1
            for case in measure["tests"]:
                _, new = RuleTestCase.objects.get_or_create(
                    service=service,
                    name=case["name"],
                    defaults={
                        "profile": case["profile"],
                        "on": date.fromisoformat(case["on"]),
                        "expected": case["expected"],
                        "expected_reason": case["expected_reason"],
                        "expected_amount": (
                            Decimal(str(case["expected_amount"]))
                            if case.get("expected_amount") is not None
                            else None
                        ),
                    },
                )
                created["test_cases"] += new


def _population(created: dict[str, int]) -> None:
    from uslugi.support.management.commands.generate_population import insert_people
    from uslugi.support.population import generate

    if CitizenProfile.objects.filter(person_number__startswith="DEMO-").exists():
        return
    frame = generate(DEMO_PEOPLE, seed=56, today=DEMO_DAY, missing=0.05)
    created["people"] += insert_people(frame, prefix="DEMO-")
    citizen = get_user_model().objects.filter(username="citizen").first()
    if citizen is not None and not CitizenProfile.objects.filter(user=citizen).exists():
        CitizenProfile.objects.create(
            person_number="DEMO-CITIZEN",
            user=citizen,
            region=Region.objects.get(code="56"),
            last_name=citizen.last_name or "Петрова",
            first_name=citizen.first_name or "Мария",
            email=citizen.email,
            **CITIZEN_PROFILE,
        )
        created["people"] += 1
    result = services.scan_population(day=DEMO_DAY)
    created["offers"] += result.offers_created


@transaction.atomic
def load_demo() -> dict[str, int]:
    created = {
        "parameters": 0,
        "rules": 0,
        "test_cases": 0,
        "people": 0,
        "offers": 0,
    }
    if not Region.objects.exists():
        return created
    _parameters(created)
    _measures(created)
    _population(created)
    return created
