"""A regional administrator builds a variant in the constructor UI in a real browser."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from uslugi.accounts.factories import UserFactory
from uslugi.accounts.models import Role
from uslugi.catalogue.demo import load_demo as load_catalogue
from uslugi.catalogue.models import Region
from uslugi.constructor import services
from uslugi.constructor.demo import TEMPLATES
from uslugi.constructor.models import VariantVersion, VersionStatus

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery"


@pytest.fixture
def veteran_template() -> Any:
    load_catalogue()
    spec = next(spec for spec in TEMPLATES if spec["code"] == "veteran_truda_fed")
    version = services.create_template(
        actor=None,
        code=spec["code"],
        name=spec["name"],
        definition={"schema_version": 1, "blocks": spec["blocks"]},
        **spec["standard"],
    )
    return services.publish_template(version=version, actor=None)


def test_administrator_is_refused_a_term_above_the_federal_maximum_then_publishes_and_previews(
    browser: Any, live_server: Any, veteran_template: Any
) -> None:
    # given a regional administrator of Orenburg, working in English
    UserFactory(
        username="admin56",
        role=Role.REGIONAL_ADMINISTRATOR,
        region=Region.objects.get(code="56"),
        is_staff=True,
    )
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto("/admin/login/?next=/constructor/")
    page.fill("#id_username", "admin56")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")

    # when they create the region's variant and set a term of 20 working days
    page.get_by_role("button", name="Create the region's variant").click()
    assert _axe_violations(page) == []
    page.get_by_label("Term", exact=True).fill("20")
    page.get_by_role("button", name="Save", exact=True).click()
    # (each HTMX save swaps the editor, whose forms carry the new revision: wait for the swap)
    expect(page.locator(".problems")).to_contain_text("exceeds the federal maximum")
    page.get_by_role("link", name="Региональные сведения").click()
    expect(page.locator("#panel-heading")).to_contain_text("Региональные сведения")
    page.get_by_role("button", name="Yes or no").click()
    # (the section's own label is locked; the swap selects the new block, whose label is open)
    label = page.get_by_label("Label")
    expect(label).to_be_enabled()
    label.fill("Участвовали в народной дружине?")
    page.get_by_role("button", name="Save the block").click()
    expect(page.locator("#panel-heading")).to_contain_text("Участвовали в народной дружине?")
    page.get_by_role("button", name="Publish").click()

    # then publishing is refused with the reason
    expect(page.get_by_text("Publication refused")).to_be_visible()
    refusal = page.locator(".problems")
    assert (
        "A term of 20 working days exceeds the federal maximum of 15 working days."
        in refusal.inner_text()
    )
    assert VariantVersion.objects.get().status == VersionStatus.DRAFT

    # when they fix the term and publish again
    page.get_by_label("Term", exact=True).fill("15")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".editor__compliance .ok")).to_be_visible()
    page.get_by_role("button", name="Publish").click()

    # then the variant is published with its local block
    page.wait_for_url("**/constructor/variants/*/")
    published = VariantVersion.objects.get()
    assert published.status == VersionStatus.PUBLISHED
    assert published.term == 15
    assert any(block["binding"] == "local" for block in published.definition["blocks"])

    # when they fill in the preview with a wrong SNILS
    page.get_by_role("button", name="Fill in the preview").click()
    page.get_by_label("Фамилия").fill("Петрова")
    page.get_by_label("Имя").fill("Мария")
    page.get_by_label("Дата рождения").fill("1960-05-17")
    page.get_by_label("СНИЛС").fill("112-233-445 96")
    page.get_by_label("Телефон").fill("8 (912) 345-67-89")
    page.fill("[name=address_region]", "Оренбургская область")
    page.fill("[name=address_settlement]", "Оренбург")
    page.fill("[name=address_street]", "ул. Советская")
    page.fill("[name=address_house]", "1")
    page.get_by_role("button", name="Continue").click()

    # then the SNILS error appears next to the field and the other answers stay
    assert "last two digits do not match" in page.locator("#id_snils_error").inner_text()
    assert page.get_by_label("Фамилия").input_value() == "Петрова"
    assert page.get_by_label("Телефон").input_value() == "8 (912) 345-67-89"
    assert page.locator("[name=address_street]").input_value() == "ул. Советская"

    # when they correct the SNILS
    page.get_by_label("СНИЛС").fill("112-233-445 95")
    page.get_by_role("button", name="Continue").click()

    # then the form moves on to the next step
    assert page.locator("[aria-current=step]").inner_text() == "Основания"
    context.close()


def _axe_violations(page: Any) -> list[dict[str, Any]]:
    from django.conf import settings

    page.add_script_tag(
        path=str(settings.BASE_DIR / "static" / "vendor" / "axe-core" / "axe.min.js")
    )
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in found]


def test_a_condition_shows_its_field_at_once_with_javascript(page: Any) -> None:
    # given the pension variant is published and the citizen passed the first step
    from uslugi.constructor.demo import load_demo as load_constructor

    load_catalogue()
    load_constructor()
    page.goto("/services/56/pensiya_star/")
    page.get_by_role("button", name=re.compile("Подать заявление|Apply online")).click()
    assert _axe_violations(page) == []
    page.get_by_label("Фамилия").fill("Петрова")
    page.get_by_label("Имя").fill("Мария")
    page.get_by_label("Дата рождения").fill("1960-05-17")
    page.get_by_label("СНИЛС").fill("112-233-445 95")
    page.get_by_label("Телефон").fill("+7 912 345-67-89")
    page.fill("[name=address_region]", "Оренбургская область")
    page.fill("[name=address_settlement]", "Оренбург")
    page.fill("[name=address_street]", "ул. Советская")
    page.fill("[name=address_house]", "1")
    page.get_by_role("button", name=re.compile("Продолжить|Continue")).click()
    assert page.locator("[name=bank_account]").count() == 0
    # when they choose a bank account, without pressing any button
    page.get_by_label("На счёт в банке").check()
    # then the account field appears
    page.locator("[name=bank_account]").wait_for()
    expect(page.get_by_label("Номер счёта")).to_be_visible()
    assert _axe_violations(page) == []
