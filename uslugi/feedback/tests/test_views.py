"""The feedback pages: who sees what; anyone else gets a 404 with no trace of the data."""

from typing import Any

import pytest
from django.test import Client

from uslugi.accounts.factories import UserFactory
from uslugi.applications.factories import CaseFactory, official_for
from uslugi.feedback import services
from uslugi.feedback.factories import curator_of, decided_case
from uslugi.feedback.models import Comment, Complaint, Ground, Rating
from uslugi.feedback.services import Scores

pytestmark = pytest.mark.django_db
LOW = Scores(time=1, queue=3, staff=3, premises=3, information=3)


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_applicant_rates_through_the_form_and_a_stranger_gets_a_404() -> None:
    # given a decided case
    case = decided_case()
    number = case.application.number
    form = {f"{n}_score": "4" for n in ("time", "queue", "staff", "premises", "information")}

    # when a stranger posts a rating, then a 404 and nothing saved
    response = client_of(UserFactory()).post(f"/my/applications/{number}/rating/", form)
    assert response.status_code == 404
    assert number not in response.content.decode()
    assert Rating.objects.count() == 0

    # when the applicant posts it, then it is saved and the page offers no second rating
    applicant = client_of(case.application.applicant)
    response = applicant.post(f"/my/applications/{number}/rating/", form)
    assert response.status_code == 302
    assert Rating.objects.get().scores == [4, 4, 4, 4, 4]
    page = applicant.get(f"/my/applications/{number}/").content.decode()
    assert f"/my/applications/{number}/rating/" not in page
    assert f"/my/applications/{number}/complaint/" in page


def test_the_applicant_files_a_complaint_through_the_form() -> None:
    case = CaseFactory()
    response = client_of(case.application.applicant).post(
        f"/my/applications/{case.application.number}/complaint/",
        {"ground": Ground.EXTRA_DOCUMENTS, "text": "Потребовали справку"},
    )
    assert response.status_code == 302
    assert Complaint.objects.get().ground == Ground.EXTRA_DOCUMENTS


def test_the_scorecard_and_follow_ups_are_the_curators_alone() -> None:
    # given a low rating of a curated service
    case = decided_case()
    curator = curator_of(case)
    rating = services.rate_case(case=case, user=case.application.applicant, scores=LOW)
    url = f"/curator/follow-ups/{rating.follow_up.pk}/"

    # then its curator sees it; another curator, an official and a citizen do not
    assert case.application.number in client_of(curator).get("/curator/").content.decode()
    other = curator_of(CaseFactory())
    assert case.application.number not in client_of(other).get("/curator/").content.decode()
    assert client_of(other).get(url).status_code == 404
    assert client_of(official_for(case)).get("/curator/").status_code == 404
    assert client_of(case.application.applicant).get(url).status_code == 404
    assert client_of(curator).get(url).status_code == 200


def test_officials_see_and_decide_only_their_agencys_complaints() -> None:
    case = CaseFactory()
    complaint = services.file_complaint(
        case=case, user=case.application.applicant, ground=Ground.TERM_VIOLATED, text="Срок"
    )
    url = f"/office/complaints/{complaint.pk}/"
    official = client_of(official_for(case))
    assert case.application.number in official.get("/office/complaints/").content.decode()
    stranger = client_of(official_for(CaseFactory()))
    assert case.application.number not in stranger.get("/office/complaints/").content.decode()
    assert stranger.post(url, {"outcome": "rejected", "text": "Нет"}).status_code == 404
    response = official.post(url, {"outcome": "rejected", "text": "Срок соблюдён"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "rejected"


def test_comments_are_posted_by_logged_in_people_and_shown_once_published() -> None:
    case = decided_case()
    curator = curator_of(case)
    url = f"/services/{case.service.region.code}/{case.service.code}/comments/"

    anonymous = Client().post(url, {"text": "Аноним"})
    assert anonymous.status_code == 302
    assert Comment.objects.count() == 0
    client_of(UserFactory()).post(url, {"text": "Всё быстро"})
    assert "Всё быстро" not in Client().get(url).content.decode()

    comment = Comment.objects.get()
    response = client_of(curator).post(
        f"/curator/comments/{comment.pk}/moderate/", {"decision": "publish"}
    )
    assert response.status_code == 302
    assert "Всё быстро" in Client().get(url).content.decode()
