"""Done when: a citizen gives a low rating, the curator sees the follow-up on the scorecard,
answers it, and the citizen sees the answer; axe-core finds nothing on either form page."""

from typing import Any

import pytest

from uslugi.applications.tests.test_browser import axe_violations, logged_in
from uslugi.feedback.factories import curator_of, decided_case
from uslugi.feedback.models import FollowUp, FollowUpStatus

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_low_rating_is_answered_by_the_curator_and_the_citizen_reads_it(
    browser: Any, live_server: Any
) -> None:
    # given a decided case of a curated service
    case = decided_case()
    curator = curator_of(case)
    number = case.application.number
    citizen = logged_in(browser, live_server, case.application.applicant)

    # when the citizen rates the time to provide the service 1
    citizen.goto(f"/my/applications/{number}/")
    citizen.locator(f"a[href$='/my/applications/{number}/rating/']").click()
    assert axe_violations(citizen) == []
    for name in ("time_score", "queue_score", "staff_score", "premises_score"):
        citizen.locator(f"[name={name}][value='{1 if name == 'time_score' else 4}']").check()
    citizen.locator("[name=information_score][value='5']").check()
    citizen.fill("[name=comment]", "Ждала решения слишком долго")
    citizen.locator("form.feedback-form button[type=submit]").click()
    citizen.wait_for_url(f"**/my/applications/{number}/")

    # then the curator sees the follow-up on the scorecard and answers it
    office = logged_in(browser, live_server, curator)
    office.goto("/curator/")
    assert axe_violations(office) == []
    office.get_by_role("link", name=number).click()
    assert "Ждала решения слишком долго" in office.content()
    office.fill("[name=text]", "Мы добавили окно приёма; извините за задержку.")
    office.locator("form.feedback-form button[type=submit]").click()
    office.wait_for_url("**/curator/")
    assert FollowUp.objects.get().status == FollowUpStatus.ANSWERED

    # and the citizen reads the answer and says it solved the problem
    citizen.reload()
    assert "Мы добавили окно приёма; извините за задержку." in citizen.content()
    assert axe_violations(citizen) == []
    citizen.locator("button[name=solved][value=yes]").click()
    citizen.wait_for_load_state()
    assert FollowUp.objects.get().status == FollowUpStatus.SOLVED
