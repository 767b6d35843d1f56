"""The citizen's path through the test client, and the API: one request, one package."""

import json
from typing import Any

import pytest
from django.test import Client

from uslugi.accounts.factories import UserFactory
from uslugi.applications.models import Application, Case
from uslugi.constructor import engine
from uslugi.situations.models import Package, PackageDraft
from uslugi.situations.planning import plan_package
from uslugi.situations.tests.answers import ANSWERS, QUESTIONS

pytestmark = pytest.mark.django_db


def questions_data() -> dict[str, str]:
    return {
        "child_order": str(QUESTIONS["child_order"]),
        "parent_not_working": "yes",
        "needs_kindergarten": "yes",
        "low_income": "no",
    }


def start(client: Client) -> str:
    response = client.post("/situations/56/birth/start/")
    assert response.status_code == 302
    return str(response["Location"])


def fill_everything(client: Client) -> PackageDraft:
    questions_url = start(client)
    response = client.post(questions_url, {**questions_data(), "action": "continue"})
    draft = PackageDraft.objects.get()
    assert response["Location"] == f"/situation-drafts/{draft.pk}/package/"
    combined = plan_package(draft.version, QUESTIONS).combined
    for step in engine.steps_of(combined):
        data = engine.answers_as_data(combined, step, ANSWERS)
        data["action"] = "continue"
        response = client.post(f"/situation-drafts/{draft.pk}/form/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    return draft


def test_questions_package_one_form_review_send_and_the_package_page(
    client: Client, demo: None, citizen: Any
) -> None:
    # given a signed-in citizen who answered the questions
    client.force_login(citizen)
    draft = fill_everything(client)
    # when they look at their personal package
    preview = client.get(f"/situation-drafts/{draft.pk}/package/").content.decode()
    # then it names the services, the automatic one, the documents once, the due date
    assert "Государственная регистрация рождения" in preview
    assert "Comes automatically" in preview or "автоматически" in preview
    assert preview.count("<strong>Заявление</strong>") == 1
    assert 'class="package-deadline"' in preview
    # and the shared facts were asked once
    assert draft.answers["last_name"] == "Иванова"
    assert not any(key.endswith("__last_name") for key in draft.answers)
    # when they send it twice (a double click)
    review = f"/situation-drafts/{draft.pk}/review/"
    first = client.post(review, {"action": "submit"})
    second = client.post(review, {"action": "submit"})
    # then one package with one case per service to apply for
    package = Package.objects.get()
    assert first["Location"] == second["Location"] == f"/my/packages/{package.pk}/"
    assert Case.objects.count() == 3
    page = client.get(f"/my/packages/{package.pk}/").content.decode()
    for case in Case.objects.all():
        assert case.application.number in page
        assert case.due_date.strftime("%d.%m.%Y") in page
    # and the draft leads to the package from now on
    assert client.get(f"/situation-drafts/{draft.pk}/form/")["Location"] == (
        f"/my/packages/{package.pk}/"
    )


def test_a_condition_source_refreshes_the_step_with_htmx(
    client: Client, demo: None, citizen: Any
) -> None:
    # given a citizen on the birth registration's parents step
    client.force_login(citizen)
    draft = fill_everything(client)
    combined = plan_package(draft.version, QUESTIONS).combined
    steps = engine.steps_of(combined)
    parents = next(s for s in steps if any(b["key"] == "birth__parents_married" for b in s.blocks))
    draft.step = parents.index
    draft.save()
    # when they say the parents are married (HTMX asks for a refresh)
    response = client.post(
        f"/situation-drafts/{draft.pk}/form/",
        {"birth__parents_married": "yes", "action": "refresh"},
        headers={"HX-Request": "true", "HX-Target": "step-form"},
    )
    # then the other parent's fields appear in the partial, without errors
    html = response.content.decode()
    assert 'name="birth__other_parent_last_name"' in html
    assert "<html" not in html
    assert "errorlist" not in html


def test_a_step_with_errors_keeps_what_was_typed(client: Client, demo: None, citizen: Any) -> None:
    # given
    client.force_login(citizen)
    questions_url = start(client)
    client.post(questions_url, {**questions_data(), "action": "continue"})
    draft = PackageDraft.objects.get()
    # when the shared step is sent with a bad SNILS
    response = client.post(
        f"/situation-drafts/{draft.pk}/form/",
        {"last_name": "Иванова", "snils": "123", "action": "continue"},
    )
    # then the step comes back with the error next to the field and the typed values
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_snils_error"' in html
    assert 'value="Иванова"' in html
    draft.refresh_from_db()
    assert draft.step == 0


def test_another_citizen_sees_no_trace_of_a_package_or_a_draft(
    client: Client, demo: None, citizen: Any
) -> None:
    # given a package of the citizen
    client.force_login(citizen)
    draft = fill_everything(client)
    client.post(f"/situation-drafts/{draft.pk}/review/", {"action": "submit"})
    package = Package.objects.get()
    # when someone else asks for it
    other = Client()
    other.force_login(UserFactory())
    for url in [f"/my/packages/{package.pk}/", f"/situation-drafts/{draft.pk}/package/"]:
        response = other.get(url)
        # then
        assert response.status_code == 404
        assert "Иванова" not in response.content.decode()
    assert Client().get(f"/my/packages/{package.pk}/").status_code == 404


def test_the_api_files_the_whole_package_in_one_request(demo: None, citizen: Any) -> None:
    # given
    client = Client()
    client.force_login(citizen)
    body = json.dumps({"questions": QUESTIONS, "answers": ANSWERS})
    url = "/api/situations/56/birth/packages"
    # when it is sent twice with the same Idempotency-Key
    first = client.post(
        url, body, content_type="application/json", headers={"Idempotency-Key": "k1"}
    )
    second = client.post(
        url, body, content_type="application/json", headers={"Idempotency-Key": "k1"}
    )
    # then one package with its items
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    data = first.json()
    assert [(i["key"], i["state"]) for i in data["items"]] == [
        ("birth", "filed"),
        ("matcap", "upcoming"),
        ("birth_allowance", "waiting"),
        ("kindergarten", "waiting"),
    ]
    assert all(i["due_date"] for i in data["items"] if not i["proactive"])
    assert data["status"] == "in_progress"
    assert Package.objects.count() == 1
    assert Application.objects.count() == 3
    # and it reads back for its applicant only
    assert client.get(f"/api/packages/{data['id']}").json()["id"] == data["id"]
    stranger = Client()
    stranger.force_login(UserFactory())
    assert stranger.get(f"/api/packages/{data['id']}").status_code == 404


@pytest.mark.parametrize(
    ("url", "body", "status"),
    [
        ("/api/situations/56/birth/packages", {"questions": QUESTIONS, "answers": {}}, 400),
        ("/api/situations/56/birth/packages", {"questions": {}, "answers": ANSWERS}, 400),
        ("/api/situations/56/birth/packages", {"answers": ANSWERS}, 400),
        ("/api/situations/56/nowhere/packages", {"questions": QUESTIONS}, 404),
    ],
)
def test_the_api_refuses_with_reasons(
    demo: None, citizen: Any, url: str, body: dict[str, Any], status: int
) -> None:
    # given
    client = Client()
    client.force_login(citizen)
    # when
    response = client.post(url, json.dumps(body), content_type="application/json")
    # then
    assert response.status_code == status
    assert response.json()["detail"]
    assert Package.objects.count() == Case.objects.count() == 0


def test_an_anonymous_draft_passes_to_the_account_at_login(demo: None, citizen: Any) -> None:
    # given a visitor who answered the questions without logging in
    client = Client()
    client.post(start(client), {**questions_data(), "action": "continue"})
    draft = PackageDraft.objects.get()
    assert draft.owner is None
    review = client.get(f"/situation-drafts/{draft.pk}/review/").content.decode()
    assert "/accounts/login/?next=" in review
    # when they log in in the same browser
    client.force_login(citizen)
    response = client.get(f"/situation-drafts/{draft.pk}/package/")
    # then the draft is theirs
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.owner == citizen


def test_staff_see_situations_and_packages_in_the_admin(demo: None, citizen: Any) -> None:
    # given a package and a superuser
    client = Client()
    client.force_login(citizen)
    client.post(
        "/api/situations/56/birth/packages",
        json.dumps({"questions": QUESTIONS, "answers": ANSWERS}),
        content_type="application/json",
    )
    admin = Client()
    admin.force_login(UserFactory(is_staff=True, is_superuser=True))
    # then
    package = Package.objects.get()
    assert admin.get("/admin/situations/lifesituation/").status_code == 200
    assert admin.get(f"/admin/situations/package/{package.pk}/change/").status_code == 200


def test_the_catalogue_search_finds_life_situations(client: Client) -> None:
    # given the demo
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    # when the citizen searches the catalogue for the birth of a child in region 56
    html = client.get("/services/", {"q": "рождение", "region": "56"}).content.decode()
    # then the life situation is offered beside the services
    assert 'href="/situations/56/' in html
    assert "Рождение ребёнка" in html


def test_staff_edit_a_draft_in_the_admin_and_publishing_checks_it(demo: None) -> None:
    # given a methodologist in the admin and a published situation of region 56
    from uslugi.core.models import AuditEvent
    from uslugi.situations.models import LifeSituation, SituationVersion

    staff = Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    situation = LifeSituation.objects.filter(region__code="56").order_by("code").first()
    assert situation is not None
    # when they start a draft and break a condition in it
    staff.post(
        "/admin/situations/lifesituation/",
        {"action": "start_draft", "_selected_action": [situation.pk]},
    )
    draft = SituationVersion.objects.get(situation=situation, status="draft")
    original = draft.definition
    broken = {
        **draft.definition,
        "items": [{**draft.definition["items"][0], "condition": "no_such_question == true"}],
    }
    page = staff.get(f"/admin/situations/situationversion/{draft.pk}/change/")
    assert page.status_code == 200
    staff.post(
        f"/admin/situations/situationversion/{draft.pk}/change/", {"definition": json.dumps(broken)}
    )
    staff.post(
        "/admin/situations/situationversion/", {"action": "publish", "_selected_action": [draft.pk]}
    )
    # then publishing is refused and the draft stays a draft, saved as edited
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert draft.definition["items"][0]["condition"] == "no_such_question == true"
    assert AuditEvent.objects.filter(verb="situation.draft_saved").exists()
    # when they put the condition back and publish
    staff.post(
        f"/admin/situations/situationversion/{draft.pk}/change/",
        {"definition": json.dumps(original)},
    )
    staff.post(
        "/admin/situations/situationversion/",
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    # then the new version is in force and the old one ended
    draft.refresh_from_db()
    assert draft.status == "published"
    assert (
        SituationVersion.objects.filter(
            situation=situation, status="published", valid_to__isnull=True
        ).get()
        == draft
    )
