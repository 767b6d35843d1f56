"""The personal package: documents once across services, due dates and the composite deadline."""

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from uslugi.situations.planning import composite_due_date, documents_of, plan_package
from uslugi.situations.tests.answers import QUESTIONS, birth_version
from uslugi.workdays import selectors as workdays
from uslugi.workdays.deadlines import DeadlineInputs, TermKind

ORENBURG = ZoneInfo("Asia/Yekaterinburg")
# Friday before New Year holidays: the terms cross the long January break.
FRIDAY = datetime(2026, 12, 25, 11, 0, tzinfo=ORENBURG)


def document(key: str, provider: str, condition: str = "") -> dict[str, Any]:
    return {
        "key": key,
        "kind": "document",
        "label": key,
        "condition": condition,
        "config": {"title": key.title(), "document_type": key, "provider": provider},
    }


def test_documents_are_listed_once_across_services_and_agency_ones_apart() -> None:
    # given two services that both want a passport, one a conditional marriage certificate
    marriage_form = {
        "blocks": [
            {"key": "married", "kind": "yes_no", "label": "В браке?"},
            document("passport", "applicant"),
            document("marriage", "either", condition="married"),
            document("income", "agency"),
        ]
    }
    other = {"blocks": [document("passport", "applicant"), document("income", "agency")]}
    # when the marriage question is not answered yet
    bring, obtained = documents_of([("A", marriage_form, {}), ("B", other, {})])
    # then the passport is listed once for both; the certificate only maybe
    assert [(n.document_type, n.services, n.maybe) for n in bring] == [
        ("passport", ["A", "B"], False),
        ("marriage", ["A"], True),
    ]
    assert [(n.document_type, n.services) for n in obtained] == [("income", ["A", "B"])]
    # when the answer says not married, the certificate is gone
    bring, _ = documents_of([("A", marriage_form, {"married": False}), ("B", other, {})])
    assert [n.document_type for n in bring] == ["passport"]


def test_composite_due_date_ignores_proactive_items() -> None:
    from datetime import date

    from uslugi.situations.definition import Item
    from uslugi.situations.planning import DueDate

    items = [Item("a", "x"), Item("b", "y", proactive=True)]
    due = {"a": DueDate(date(2027, 1, 5)), "b": DueDate(date(2027, 2, 1))}
    assert composite_due_date(items, due) == date(2027, 1, 5)


@pytest.mark.django_db
@time_machine.travel(FRIDAY, tick=False)
def test_the_composite_deadline_is_the_latest_due_date_from_the_regions_calendar(
    demo: None,
) -> None:
    # given the birth situation in Orenburg with the allowance and the kindergarten
    version = birth_version("56")
    # when the package is planned on a Friday before the New Year holidays
    plan = plan_package(version, QUESTIONS)
    # then each due date is what the region's calendar gives for the term
    calendar = workdays.get_calendar("56")

    def due(start: datetime, key: str) -> Any:
        term = plan.planned(key).version
        inputs = DeadlineInputs(start, term.term or 0, TermKind(term.term_kind))
        return workdays.get_deadline(region="56", inputs=inputs).due_date

    birth = due(FRIDAY, "birth")
    assert plan.planned("birth").due.due_date == birth
    # and an item waiting for the birth registration counts from its due date
    after_birth = datetime.combine(birth, time.min)
    for key in ["birth_allowance", "kindergarten", "matcap"]:
        assert plan.planned(key).due.due_date == due(after_birth, key)
        assert plan.planned(key).due.starts_after == "birth"
    # and the package is due on the latest of the non-proactive items
    latest = max(due(after_birth, "birth_allowance"), due(after_birth, "kindergarten"))
    assert plan.deadline == latest
    assert calendar.is_working(latest)
    assert [p.key for p in plan.items] == ["birth", "matcap", "birth_allowance", "kindergarten"]
