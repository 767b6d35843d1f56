"""The citizen's pages: the recommended set from a typed profile (nothing saved), its HTMX
partial, filling in from the registry, and offers (only one's own, accepted in one step)."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from uslugi.accounts.factories import UserFactory
from uslugi.catalogue.factories import RegionFactory
from uslugi.support import services
from uslugi.support.factories import CitizenProfileFactory, ParameterFactory, published_measure
from uslugi.support.models import CitizenProfile, Offer, OfferStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine: Any) -> None:
    time_machine.move_to("2026-03-02 10:00 +03:00", tick=False)


FAMILY = {
    "region": "56",
    "annual_income": "0",
    "adult_1_income": "290000",
    "child_1_birth_date": "2026-01-20",
    "family_complete": "on",
}


@pytest.fixture
def unified() -> Any:
    region = RegionFactory()
    ParameterFactory(region=region)
    ParameterFactory(region=region, name="subsistence_minimum_child", value=Decimal("15983"))
    return published_measure(region=region, name="Единое пособие")


def test_a_typed_profile_shows_the_measure_with_reasons_and_saves_nothing(
    client: Client, unified: Any
) -> None:
    # given the profile form
    assert client.get("/support/").status_code == 200

    # when a family's answers are sent
    response = client.post("/support/", FAMILY)

    # then the measure is due, with its reasons and amount, and nothing is stored
    page = response.content.decode()
    assert response.status_code == 200
    assert "Единое пособие" in page
    assert "среднедушевой доход ниже прожиточного минимума" in page
    assert "7\xa0991,50" in page
    assert CitizenProfile.objects.count() == 0


def test_unanswered_questions_say_what_we_need(client: Client, unified: Any) -> None:
    # given answers without the family
    answers = {"region": "56", "annual_income": "0", "child_1_birth_date": "2026-01-20"}

    # when sent
    response = client.post("/support/", answers, HTTP_ACCEPT_LANGUAGE="ru")

    # then the measure is undecided with what we need
    page = response.content.decode()
    assert "Пока не можем сказать" in page
    assert (
        "<strong>Единое пособие</strong>: пока не можем сказать, нам нужно знать: "
        "сведения о ваших детях, сведения о других взрослых вашей семьи" in page
    )


def test_htmx_gets_only_the_results(client: Client, unified: Any) -> None:
    # given an HTMX request aimed at the results
    # when the answers change
    response = client.post(
        "/support/", FAMILY, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="recommended-results"
    )

    # then only the results section comes back
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="recommended-results"')
    assert "<form" not in page.split("Единое пособие")[0]


def test_a_future_birth_date_is_a_form_error(client: Client, unified: Any) -> None:
    # when a child's date of birth is in the future
    response = client.post("/support/", {**FAMILY, "child_1_birth_date": "2027-01-01"})

    # then the form says so and shows no result
    page = response.content.decode()
    assert response.status_code == 200
    assert "Дата рождения не может быть в будущем." in page
    assert "<h4>Единое пособие</h4>" not in page


def test_the_registry_fills_in_the_citizens_own_profile(client: Client, unified: Any) -> None:
    # given a citizen known to the registry
    user = UserFactory()
    CitizenProfileFactory(
        user=user, region=unified.service.region, children=[{"birth_date": "2026-01-20"}]
    )
    client.force_login(user)

    # when they ask to fill in from the registry
    response = client.get("/support/?from_registry=1")

    # then the form holds their data and the set is shown
    page = response.content.decode()
    assert 'value="1994-06-14"' in page
    assert "Единое пособие" in page


def test_offers_are_listed_for_their_citizen_only_and_accepted_in_one_step(
    client: Client, unified: Any
) -> None:
    # given two citizens with an offer each
    mine, theirs = UserFactory(), UserFactory()
    for user in (mine, theirs):
        CitizenProfileFactory(
            user=user, region=unified.service.region, children=[{"birth_date": "2026-01-20"}]
        )
    services.scan_population(day=date(2026, 3, 2))
    my_offer = Offer.objects.get(profile__user=mine)
    their_offer = Offer.objects.get(profile__user=theirs)
    client.force_login(mine)

    # when the citizen opens their offers
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/my/offers/").content.decode()

    # then they see theirs only, in a fixed number of queries
    assert page.count("<h2>Единое пособие</h2>") == 1
    assert f"/my/offers/{their_offer.pk}/accept/" not in page
    assert len(queries) == 3

    # and accepting someone else's is a 404 that changes nothing
    assert client.post(f"/my/offers/{their_offer.pk}/accept/").status_code == 404
    their_offer.refresh_from_db()
    assert their_offer.status == OfferStatus.OFFERED

    # and accepting their own takes one POST
    response = client.post(f"/my/offers/{my_offer.pk}/accept/")
    assert response.status_code == 302
    my_offer.refresh_from_db()
    assert my_offer.status == OfferStatus.ACCEPTED


def test_offers_need_a_login(client: Client) -> None:
    assert client.get("/my/offers/").status_code == 302


def test_a_support_measure_page_links_to_the_check(client: Client, unified: Any) -> None:
    # when a support measure's page is opened
    service = unified.service
    page = client.get(f"/services/{service.region.code}/{service.code}/").content.decode()

    # then it offers the check of what is due, for its region
    assert 'href="/support/?region=56"' in page
    assert "Проверить, положено ли мне" in page
