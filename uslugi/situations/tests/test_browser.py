"""«Рождение ребёнка» in a real browser: questions, package, one form, the package page."""

from typing import Any

import pytest
from playwright.sync_api import expect

from uslugi.accounts.factories import UserFactory
from uslugi.applications.models import Case
from uslugi.applications.tests.test_browser import axe_violations, logged_in
from uslugi.constructor import engine
from uslugi.situations.models import Package, PackageDraft
from uslugi.situations.planning import plan_package
from uslugi.situations.tests.answers import ANSWERS, QUESTIONS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def fill(page: Any, data: Any) -> None:
    """Type stored answers into the page's fields as a person would, by each control's kind."""
    for name in data:
        value = data[name]
        controls = page.locator(f"#step-form [name='{name}']")
        kind = controls.first.evaluate("e => e.tagName === 'SELECT' ? 'select' : e.type")
        if kind == "select":
            controls.first.select_option(value)
        elif kind == "radio":
            page.locator(f"#step-form [name='{name}'][value='{value}']").check()
        elif kind == "checkbox":
            controls.first.check()
        elif kind != "hidden":
            controls.first.fill(value)


def test_the_birth_situation_from_the_questions_to_the_package_page(
    browser: Any, live_server: Any, demo: None
) -> None:
    # given a citizen in Orenburg
    citizen = UserFactory(username="ivanova", email="ivanova@example.org", last_name="Иванова")
    page = logged_in(browser, live_server, citizen)
    # when they choose «Рождение ребёнка» among the life situations
    page.goto("/")
    page.get_by_role("link", name="Жизненные ситуации").click()
    page.goto("/situations/?region=56")
    page.get_by_role("link", name="Рождение ребёнка").click()
    page.locator("form[action$='/start/'] button[type=submit]").click()
    # and answer the questions: second child, a parent not working, a kindergarten place
    page.wait_for_selector("#step-form")
    assert axe_violations(page) == []
    page.locator("[name=child_order][value=second]").check()
    page.locator("[name=parent_not_working][value=yes]").check()
    page.locator("[name=needs_kindergarten][value=yes]").check()
    page.locator("[name=low_income][value=no]").check()
    page.locator("button[name=action][value=continue]").click()
    # then the personal package lists the services and the date everything is due
    page.wait_for_selector(".package-deadline")
    assert axe_violations(page) == []
    content = page.content()
    assert "Единовременное пособие при рождении ребенка" in content
    assert "Оформление и выдача удостоверения многодетной семьи" not in content
    # when they fill the one form, step by step
    page.locator("a[href$='/form/']").click()
    draft = PackageDraft.objects.get()
    combined = plan_package(draft.version, QUESTIONS).combined
    for step in engine.steps_of(combined):
        expect(page.locator("#step-form h2")).to_have_text(step.title)
        fill(page, engine.answers_as_data(combined, step, ANSWERS))
        page.locator("button[name=action][value=continue]").click()
    # and send the package from the review page
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_url("**/my/packages/*/")
    # then the package page shows one case per service applied for, each with its deadline
    package = Package.objects.get()
    cases = list(Case.objects.select_related("application"))
    assert len(cases) == package.items.exclude(application=None).count() == 3
    for case in cases:
        row = page.locator(f"tr:has(a:text-is('{case.application.number}'))")
        assert row.locator(".package-due").inner_text() == case.due_date.strftime("%d.%m.%Y")
    assert page.locator("tr.package-row").count() == 4  # the certificate comes by itself
    assert axe_violations(page) == []
