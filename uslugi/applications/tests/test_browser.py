"""The whole path in a real browser: apply, correction asked and answered, approval, PDF result."""

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from uslugi.accounts.factories import UserFactory
from uslugi.accounts.models import Role
from uslugi.applications.models import Application, Case, Notification
from uslugi.applications.workflow import Status
from uslugi.catalogue.demo import load_demo as load_catalogue
from uslugi.catalogue.models import Agency, Region
from uslugi.constructor.demo import load_demo as load_constructor

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def logged_in(browser: Any, live_server: Any, user: Any) -> Any:
    """A browser page with `user`'s session: made by the test client, no login page involved."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, locale="ru-RU", bypass_csp=True)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page


def axe_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(
        path=str(settings.BASE_DIR / "static" / "vendor" / "axe-core" / "axe.min.js")
    )
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in found]


def act(page: Any, action: str, **fields: str) -> None:
    """Submit one of the case page's action forms, filling its fields first."""
    form = page.locator(f"form[action$='/actions/{action}/']")
    for name, value in fields.items():
        form.locator(f"[name='{action}-{name}']").fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_apply_correct_approve_and_download_the_result(browser: Any, live_server: Any) -> None:
    # given the demo catalogue, a citizen and an official of the pension fund in Orenburg
    load_catalogue()
    load_constructor()
    citizen = UserFactory(username="petrova", email="petrova@example.org", last_name="Петрова")
    official = UserFactory(
        username="sfr56",
        role=Role.OFFICIAL,
        region=Region.objects.get(code="56"),
        agency=Agency.objects.get(code="sfr-56"),
        last_name="Смирнова",
    )
    applicant = logged_in(browser, live_server, citizen)

    # when the citizen applies for the old-age pension
    applicant.goto("/services/56/pensiya_star/")
    applicant.locator("form[action$='/apply/'] button[type=submit]").click()
    applicant.fill("[name=last_name]", "Петрова")
    applicant.fill("[name=first_name]", "Мария")
    applicant.fill("[name=birth_date]", "1960-05-17")
    applicant.fill("[name=snils]", "112-233-445 95")
    applicant.fill("[name=phone]", "+7 912 345-67-89")
    applicant.fill("[name=email]", "petrova@example.org")
    applicant.fill("[name=address_region]", "Оренбургская область")
    applicant.fill("[name=address_settlement]", "Оренбург")
    applicant.fill("[name=address_street]", "ул. Советская")
    applicant.fill("[name=address_house]", "1")
    applicant.locator("button[name=action][value=continue]").click()
    applicant.get_by_label("Через почтовое отделение").check()
    applicant.locator("[name=missing_work_records][value=no]").check()
    applicant.locator("button[name=action][value=continue]").click()
    applicant.locator("[name=north_work][value=no]").check()
    applicant.locator("button[name=action][value=continue]").click()
    applicant.locator("form[action^='/applications/submit/'] button[type=submit]").click()
    applicant.wait_for_url("**/my/applications/*/")
    application = Application.objects.get()
    case = Case.objects.get()

    # and the official finds it in the queue and asks for a correction
    office = logged_in(browser, live_server, official)
    office.goto("/office/cases/")
    assert axe_violations(office) == []
    office.get_by_role("link", name=application.number).click()
    assert axe_violations(office) == []
    act(office, "register")
    act(office, "start_review")
    act(office, "request_correction", text="Уточните номер трудовой книжки")
    case.refresh_from_db()
    assert case.status == Status.AWAITING_APPLICANT

    # then the citizen reads the request in «Мои заявления» and answers it
    applicant.goto("/my/applications/")
    applicant.get_by_role("link", name=application.number).click()
    assert "Уточните номер трудовой книжки" in applicant.content()
    applicant.fill("#answer-text", "AT-123456")
    applicant.locator("form:has(#answer-text) button[type=submit]").click()
    applicant.wait_for_load_state()
    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW

    # when the official approves
    office.reload()
    assert "AT-123456" in office.content()
    act(office, "approve", text="Назначить страховую пенсию по старости")
    case.refresh_from_db()
    assert case.status == Status.APPROVED

    # then the citizen downloads the PDF result
    applicant.reload()
    with applicant.expect_download() as download_info:
        applicant.locator(f"a[href$='/my/applications/{application.number}/result/']").click()
    with open(download_info.value.path(), "rb") as downloaded:
        assert downloaded.read(5) == b"%PDF-"

    # and every step was notified
    kinds = list(
        Notification.objects.filter(case=case).order_by("id").values_list("kind", flat=True)
    )
    assert kinds == [
        "status.submitted",
        "status.registered",
        "status.in_review",
        "status.awaiting_applicant",
        "status.in_review",
        "status.approved",
    ]
    assert Notification.objects.filter(case=case, sent_at__isnull=True).count() == 0
