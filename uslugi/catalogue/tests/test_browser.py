"""The citizen's path through the catalogue in a real browser (Debian's chromium)."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from uslugi.catalogue.demo import load_demo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"


def _axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result]


def test_citizen_finds_the_veteran_service_and_its_curator(page) -> None:
    # given
    load_demo()
    page.goto("/services/")
    # when the citizen types, results update without pressing the button (HTMX)
    page.get_by_label("Поиск").fill("ветеран")
    page.wait_for_function(
        "document.querySelector('#results').innerText.includes('Ветеран труда Оренбургской')"
    )
    assert "Выдача паспорта" not in page.locator("#results").inner_text()
    page.get_by_role("link", name="Присвоение звания «Ветеран труда Оренбургской области»").click()
    # then
    expect(page.get_by_text("Срок — не более 15 рабочих дней")).to_be_visible()
    curator = page.locator(".curator-card")
    assert "Демидова Анна Петровна" in curator.inner_text()
    assert "Заместитель министра социального развития" in curator.inner_text()


def test_search_works_without_javascript(browser, live_server) -> None:
    load_demo()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/services/")
    page.get_by_label("Поиск").fill("ветеран")
    page.get_by_role("button", name="Показать").click()
    expect(page).to_have_url(re.compile("q=%D0%B2"))
    expect(
        page.get_by_role("link", name="Присвоение звания «Ветеран труда Оренбургской области»")
    ).to_be_visible()
    context.close()


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/services/",
        "/services/56/veteran_truda_orb/",
        "/regions/",
        "/regions/56/",
        "/agencies/social-56/",
    ],
)
def test_main_pages_have_no_accessibility_violations(page, url: str) -> None:
    load_demo()
    page.goto(url)
    violations = _axe_violations(page)
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)
