"""Regional administrators edit rules in the admin: checked on save with positions, a change is
a new version, and only their region's measures are theirs."""

import json
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from uslugi.accounts.factories import UserFactory
from uslugi.accounts.models import Role
from uslugi.catalogue.factories import RegionFactory
from uslugi.support.factories import UNIFIED_CRITERIA, published_measure
from uslugi.support.models import MeasureRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client: Client) -> Any:
    region = RegionFactory(code="56")
    user = UserFactory(role=Role.REGIONAL_ADMINISTRATOR, region=region, is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="support", codename__endswith="rule")
    )
    client.force_login(user)
    return user


def form(rule: MeasureRule, criteria: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "service": rule.service_id,
        "criteria": json.dumps(criteria, ensure_ascii=False),
        "amount_expression": "",
        "amount_text": "",
        "legal_basis": "81-ФЗ, ст. 9",
        "valid_from": "2026-01-01",
        "note": "уточнение",
    }


def test_saving_a_changed_rule_publishes_a_new_version(client: Client, administrator: Any) -> None:
    # given version 1 of a measure's rule in the administrator's region
    rule = published_measure(region=administrator.region)

    # when the administrator saves a change
    response = client.post(
        f"/admin/support/measurerule/{rule.pk}/change/",
        form(rule, [{"text": "есть дети", "expression": "count(children) > 0"}]),
    )

    # then version 2 exists and version 1 is unchanged
    assert response.status_code == 302
    versions = MeasureRule.objects.filter(service=rule.service).order_by("version")
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].criteria == rule.criteria
    assert versions[1].criteria == [{"text": "есть дети", "expression": "count(children) > 0"}]


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("count(childs) > 0", "Критерий 2: Неизвестное поле «childs» в строке 1, столбце 7."),
        ("annual_income / 0 > 1", "Критерий 2: Деление на ноль в строке 1, столбце 17."),
        (
            "birth_date > 1990",
            "Критерий 2: Эти значения нельзя сравнить: дата и число (строка 1, столбец 12).",
        ),
    ],
)
def test_a_broken_rule_is_refused_on_save_with_its_position(
    client: Client, administrator: Any, expression: str, message: str
) -> None:
    # given version 1
    rule = published_measure(region=administrator.region)

    # when a criterion with a mistake is saved
    response = client.post(
        f"/admin/support/measurerule/{rule.pk}/change/",
        form(rule, [UNIFIED_CRITERIA[0], {"text": "ошибка", "expression": expression}]),
        HTTP_ACCEPT_LANGUAGE="ru",
    )

    # then the form shows the problem with its position and no version is added
    assert response.status_code == 200
    assert message in response.content.decode()
    assert MeasureRule.objects.filter(service=rule.service).count() == 1


def test_a_regional_administrator_sees_only_their_region(
    client: Client, administrator: Any
) -> None:
    # given a measure in their region and one in another
    mine = published_measure(region=administrator.region)
    theirs = published_measure(region=RegionFactory(code="16", name="Республика Татарстан"))

    # when they open the list of rules
    page = client.get("/admin/support/measurerule/").content.decode()

    # then only their region's measure is listed, and the other is not theirs to open
    assert f"/admin/support/measurerule/{mine.pk}/change/" in page
    assert f"/admin/support/measurerule/{theirs.pk}/change/" not in page
    assert client.get(f"/admin/support/measurerule/{theirs.pk}/change/").status_code == 302
