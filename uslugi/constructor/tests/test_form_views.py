"""The citizen's form through the test client: steps, conditions without JavaScript, drafts."""

from typing import Any

import pytest
from django.test import Client

from uslugi.catalogue.demo import load_demo as load_catalogue
from uslugi.constructor.demo import load_demo as load_constructor
from uslugi.constructor.models import FormDraft

pytestmark = pytest.mark.django_db

APPLICANT = {
    "last_name": "Петрова",
    "first_name": "Мария",
    "middle_name": "",
    "birth_date": "1960-05-17",
    "snils": "112-233-445 95",
    "phone": "+7 912 345-67-89",
    "email": "",
    "address_region": "Оренбургская область",
    "address_settlement": "Оренбург",
    "address_street": "ул. Советская",
    "address_house": "1",
    "address_flat": "",
}


@pytest.fixture
def demo() -> None:
    load_catalogue()
    load_constructor()


def start(client: Client, service: str = "pensiya_star") -> str:
    response = client.post(f"/services/56/{service}/apply/")
    assert response.status_code == 302
    return str(response["Location"])


def test_the_service_page_offers_to_apply_online_when_a_variant_is_published(
    client: Client, demo: None
) -> None:
    html = client.get("/services/56/pensiya_star/").content.decode()
    assert 'action="/services/56/pensiya_star/apply/"' in html
    assert (
        'action="/services/56/zagran/apply/"'
        not in client.get("/services/56/zagran/").content.decode()
    )


def test_applying_to_a_service_without_a_published_variant_is_a_clear_404(
    client: Client, demo: None
) -> None:
    response = client.post("/services/56/zagran/apply/")
    assert response.status_code == 404
    assert not FormDraft.objects.exists()


def test_a_wrong_answer_keeps_every_other_answer_and_the_step(client: Client, demo: None) -> None:
    # given
    url = start(client)
    # when
    response = client.post(url, {**APPLICANT, "snils": "112-233-445 96", "action": "continue"})
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_snils_error"' in html
    assert 'value="Петрова"' in html
    assert 'value="ул. Советская"' in html
    draft = FormDraft.objects.get()
    assert draft.step == 0
    assert draft.answers == {}
    assert draft.raw["0"]["data"]["snils"] == ["112-233-445 96"]
    # and coming back later shows the same typed values and the error
    again = client.get(url).content.decode()
    assert 'value="112-233-445 96"' in again
    assert 'id="id_snils_error"' in again


def test_a_condition_shows_its_field_after_a_continue_round_trip_without_javascript(
    client: Client, demo: None
) -> None:
    # given the first step is done
    url = start(client)
    client.post(url, {**APPLICANT, "action": "continue"})
    assert 'name="bank_account"' not in client.get(url).content.decode()
    # when the citizen chooses payment to a bank account and continues
    response = client.post(
        url, {"delivery": "bank", "missing_work_records": "no", "action": "continue"}
    )
    # then the bank account field appears, required, and the step does not move on
    html = response.content.decode()
    assert 'name="bank_account"' in html
    assert "Обязательное поле." in html or "This field is required." in html
    assert FormDraft.objects.get().step == 1


def test_htmx_refresh_returns_only_the_step_with_the_conditional_field(
    client: Client, demo: None
) -> None:
    url = start(client)
    client.post(url, {**APPLICANT, "action": "continue"})
    response = client.post(
        url,
        {"delivery": "bank", "action": "refresh"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="step-form",
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="step-form"')
    assert 'name="bank_account"' in html
    assert "errorlist" not in html


def test_the_whole_form_reaches_the_review_with_every_answer(client: Client, demo: None) -> None:
    # given
    url = start(client)
    # when
    client.post(url, {**APPLICANT, "action": "continue"})
    client.post(
        url,
        {
            "delivery": "bank",
            "bank_account": "40817810099910004312",
            "missing_work_records": "no",
            "action": "continue",
        },
    )
    response = client.post(url, {"north_work": "yes", "action": "continue"}, follow=True)
    # then
    html = response.content.decode()
    assert response.redirect_chain[-1][0].endswith("/review/")
    assert "40817810099910004312" in html
    assert "Петрова" in html
    assert "112-233-445 95" in html
    draft = FormDraft.objects.get()
    assert draft.answers["delivery"] == "bank"
    assert draft.answers["north_work"] is True
    assert "work_records" not in draft.answers


def test_going_back_keeps_the_answers_of_the_later_step(client: Client, demo: None) -> None:
    url = start(client)
    client.post(url, {**APPLICANT, "action": "continue"})
    client.post(url, {"delivery": "post", "action": "back"})
    draft = FormDraft.objects.get()
    assert draft.step == 0
    assert draft.raw["1"]["data"]["delivery"] == ["post"]


def test_another_browser_cannot_open_the_draft(client: Client, demo: None) -> None:
    url = start(client)
    stranger = Client()
    response = stranger.get(url)
    assert response.status_code == 404
    assert "Петрова" not in response.content.decode()


def test_an_unknown_draft_is_a_404(client: Client) -> None:
    assert client.get("/forms/not-a-uuid/").status_code == 404
    assert client.get("/forms/8a8f0e1c-4a8e-4a0b-9e8e-000000000000/").status_code == 404


def test_a_repeating_group_enforces_its_minimum_and_keeps_items(client: Client, demo: None) -> None:
    # given the large-family certificate needs at least three children
    url = start(client, "mnogodet_udost")
    client.post(url, {**APPLICANT, "action": "continue"})
    two: dict[str, Any] = {
        "children-TOTAL_FORMS": "3",
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "3",
        "children-MAX_NUM_FORMS": "15",
        "children-0-child_name": "Иван",
        "children-0-child_birth_date": "2015-01-02",
        "children-1-child_name": "Анна",
        "children-1-child_birth_date": "2017-03-04",
        "action": "continue",
    }
    # when only two children are given
    response = client.post(url, two)
    # then the step stays with an error and both children are kept
    html = response.content.decode()
    assert FormDraft.objects.get().step == 1
    assert 'value="Анна"' in html
    # when the third is added
    client.post(
        url, {**two, "children-2-child_name": "Олег", "children-2-child_birth_date": "2019-05-06"}
    )
    draft = FormDraft.objects.get()
    assert draft.step == 2
    assert [child["child_name"] for child in draft.answers["children"]] == ["Иван", "Анна", "Олег"]
