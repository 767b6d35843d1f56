"""The API: the recommended set for a profile (public, nothing stored), measures in force, and
the citizen's offers; bad input is a 400 with the reason, an unknown region a 404."""

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from uslugi.accounts.factories import UserFactory
from uslugi.catalogue.factories import RegionFactory
from uslugi.support import services
from uslugi.support.factories import CitizenProfileFactory, ParameterFactory, published_measure
from uslugi.support.models import CitizenProfile, Offer, OfferStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def unified() -> Any:
    region = RegionFactory()
    ParameterFactory(region=region)
    ParameterFactory(region=region, name="subsistence_minimum_child", value=Decimal("15983"))
    return published_measure(region=region, name="Единое пособие", code="ediny_posobie")


def post(client: Client, body: dict[str, Any]) -> Any:
    return client.post(
        "/api/support/recommended",
        json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_a_profile_gets_the_measures_with_reasons_and_nothing_is_stored(
    client: Client, unified: Any
) -> None:
    # given a family profile on a day
    body = {
        "region": "56",
        "on": "2026-03-02",
        "annual_income": 0,
        "other_adults": [{"annual_income": 290000}],
        "children": [{"birth_date": "2026-01-20"}],
    }

    # when it asks for its recommended set
    response = post(client, body)

    # then the unified allowance is due with its reasons and amount
    assert response.status_code == 200
    data = response.json()
    assert [item["service"] for item in data["eligible"]] == ["ediny_posobie"]
    assert data["eligible"][0]["reasons"] == [
        "в семье есть ребёнок младше 17 лет",
        "среднедушевой доход ниже прожиточного минимума",
    ]
    assert data["eligible"][0]["amount"] == 7991.5
    assert CitizenProfile.objects.count() == 0


def test_missing_data_answers_what_we_need(client: Client, unified: Any) -> None:
    # when the family is not given
    response = post(client, {"region": "56", "on": "2026-03-02", "annual_income": 0})

    # then the measure cannot be decided and the fields are named
    unknown = response.json()["unknown"][0]
    assert unknown["status"] == "unknown"
    assert unknown["missing_fields"] == ["children", "other_adults"]
    assert unknown["explanation"] == (
        "Пока не можем сказать, нам нужно знать: сведения о ваших детях, "
        "сведения о других взрослых вашей семьи."
    )


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"region": "56", "annual_income": "много"}, 400),
        ({"region": "56", "annual_income": -5}, 400),
        ({"region": "56", "children": [{"birth_date": "2026-02-30"}]}, 400),
        ({"region": "99"}, 404),
    ],
)
def test_bad_input_is_a_4xx_with_the_reason(
    client: Client, unified: Any, body: dict[str, Any], status: int
) -> None:
    response = post(client, body)
    assert response.status_code == status
    assert response.json()["detail"]


def test_measures_in_force_list_criteria_and_legal_basis(client: Client, unified: Any) -> None:
    response = client.get("/api/support/measures?region=56")
    assert response.status_code == 200
    [measure] = response.json()
    assert (measure["service"], measure["version"], measure["legal_basis"]) == (
        "ediny_posobie",
        1,
        "81-ФЗ, ст. 9",
    )
    assert measure["criteria"][0]["expression"] == "any(children, age(birth_date) < 17)"


def test_offers_need_a_session_and_are_ones_own(client: Client, unified: Any) -> None:
    # given an offer to a citizen and another citizen
    owner, other = UserFactory(), UserFactory()
    CitizenProfileFactory(
        user=owner, region=unified.service.region, children=[{"birth_date": "2026-01-20"}]
    )
    services.scan_population(day=date(2026, 3, 2))
    offer = Offer.objects.get()

    # then anonymous callers are refused, others get a 404, the owner accepts in one call
    assert client.get("/api/support/offers").status_code == 401
    client.force_login(other)
    assert client.get("/api/support/offers").json() == []
    assert client.post(f"/api/support/offers/{offer.pk}/accept").status_code == 404
    client.force_login(owner)
    response = client.post(f"/api/support/offers/{offer.pk}/accept")
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED
