"""Done when: a citizen enters a profile, sees the recommended set with reasons, and starts an
application from it; axe-core finds nothing on the page."""

from typing import Any

import pytest

from uslugi.accounts.factories import UserFactory
from uslugi.applications.models import Application
from uslugi.applications.tests.test_browser import axe_violations, logged_in
from uslugi.catalogue.demo import load_demo as load_catalogue
from uslugi.constructor.demo import load_demo as load_constructor
from uslugi.support.demo import _measures, _parameters

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_citizen_enters_a_profile_sees_reasons_and_starts_an_application(
    browser: Any, live_server: Any
) -> None:
    # given the demo catalogue with its online forms and the support measures of the demo
    load_catalogue()
    load_constructor()
    created = {"parameters": 0, "rules": 0, "test_cases": 0}
    _parameters(created)
    _measures(created)
    citizen = UserFactory(username="ivanova", email="ivanova@example.org", last_name="Иванова")
    page = logged_in(browser, live_server, citizen)

    # when a woman of 75 with a long insurance record and no pension yet enters her profile
    page.goto("/support/")
    assert axe_violations(page) == []
    page.select_option("[name=region]", "56")
    page.fill("[name=birth_date]", "1950-05-17")
    page.select_option("[name=sex]", "female")
    page.select_option("[name=employed]", "no")
    page.select_option("[name=receives_pension]", "no")
    page.fill("[name=insurance_years]", "38")
    page.fill("[name=pension_points]", "96")
    page.locator("form.profile-form button[type=submit]").click()
    page.wait_for_selector(".measure--eligible")

    # then the old-age pension is due to her, with the reasons in plain words
    due = page.locator(".measure--eligible", has_text="страховой пенсии по старости")
    assert due.count() == 1
    assert "вы достигли пенсионного возраста" in due.inner_text()
    assert "пенсионных баллов не меньше минимума (30)" in due.inner_text()
    assert "Федеральный закон от 28.12.2013 № 400-ФЗ" in due.inner_text()
    # and the measures we cannot decide say what we need
    assert "нужно знать" in page.locator("#recommended-results").inner_text()
    assert axe_violations(page) == []

    # and she starts the application from it and sends it
    due.locator("form.measure__start button[type=submit]").click()
    page.fill("[name=last_name]", "Иванова")
    page.fill("[name=first_name]", "Мария")
    page.fill("[name=birth_date]", "1950-05-17")
    page.fill("[name=snils]", "112-233-445 95")
    page.fill("[name=phone]", "+7 912 345-67-89")
    page.fill("[name=email]", "ivanova@example.org")
    page.fill("[name=address_region]", "Оренбургская область")
    page.fill("[name=address_settlement]", "Оренбург")
    page.fill("[name=address_street]", "ул. Советская")
    page.fill("[name=address_house]", "1")
    page.locator("button[name=action][value=continue]").click()
    page.get_by_label("Через почтовое отделение").check()
    page.locator("[name=missing_work_records][value=no]").check()
    page.locator("button[name=action][value=continue]").click()
    page.locator("[name=north_work][value=no]").check()
    page.locator("button[name=action][value=continue]").click()
    page.locator("form[action^='/applications/submit/'] button[type=submit]").click()
    page.wait_for_url("**/my/applications/*/")
    application = Application.objects.get()
    assert application.service.code == "pensiya_star"
    assert application.applicant == citizen
