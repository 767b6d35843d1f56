"""Running the measures' test cases (data rows): each profile against the rule in force on its day.

Shared by `manage.py test_rules` and the suite, so a rule change that breaks a case fails both.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from uslugi.support import selectors
from uslugi.support.eligibility import assess
from uslugi.support.models import RuleTestCase
from uslugi.support.profile import from_json


@dataclass(frozen=True)
class CaseOutcome:
    case: RuleTestCase
    passed: bool
    found: str  # the status found and its explanation

    @property
    def label(self) -> str:
        service = self.case.service
        return f"{service.region.code}/{service.code}: {self.case.name}"


def run_case(case: RuleTestCase) -> CaseOutcome:
    rules = selectors.list_rules_in_force(region_code=case.service.region.code, day=case.on)
    rule = next((rule for rule in rules if rule.service_id == case.service_id), None)
    if rule is None:
        return CaseOutcome(case, False, f"no rule in force on {case.on.isoformat()}")
    measure = selectors.compiled(rule)
    parameters = selectors.parameters_in_force(case.service.region.code, case.on)
    profile = {**from_json(case.profile), "region": case.service.region.code}
    assessment = assess(measure, profile, parameters, case.on)
    explanation = assessment.explanation()
    found = f"{assessment.status}: {explanation} {' '.join(assessment.missing_fields)}".strip()
    passed = assessment.status == case.expected
    if case.expected_reason:
        passed = passed and (
            case.expected_reason in explanation or case.expected_reason in assessment.missing_fields
        )
    if case.expected_amount is not None:
        amount = None if assessment.amount is None else Decimal(str(assessment.amount))
        passed = passed and amount == case.expected_amount
        found += f" amount={assessment.amount}"
    return CaseOutcome(case, passed, found)


def run_all() -> list[CaseOutcome]:
    return [run_case(case) for case in selectors.list_test_cases()]
