from datetime import date

import pytest
from django.test import Client

from uslugi.catalogue.factories import RegionFactory
from uslugi.core.models import AuditEvent
from uslugi.core.services import record_event

pytestmark = pytest.mark.django_db


def test_record_event_stores_actor_verb_target_and_plain_json_data() -> None:
    # given
    region = RegionFactory()
    # when
    event = record_event(
        actor=None, verb="region.checked", target=region, data={"on": date(2025, 1, 31)}
    )
    # then
    event.refresh_from_db()
    assert (event.verb, event.target_type, event.target_id) == (
        "region.checked",
        "catalogue.region",
        str(region.pk),
    )
    assert event.actor is None
    assert event.data == {"on": "2025-01-31"}
    assert event.target_repr == "Оренбургская область"


def test_russian_is_the_default_whatever_the_browser_asks_for(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "ru"
    assert '<html lang="ru">' in response.content.decode()


def test_the_language_switch_is_remembered(client: Client) -> None:
    # when
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    # then
    assert response["Content-Language"] == "en"
    assert "Public services of your region" in response.content.decode()
    assert "Cookie" in response["Vary"]


def test_an_unknown_language_cookie_falls_back_to_russian(client: Client) -> None:
    client.cookies["django_language"] = "xx"
    assert client.get("/")["Content-Language"] == "ru"


def test_server_errors_render_a_friendly_page_without_a_traceback(client: Client, settings) -> None:
    from uslugi.core.views import server_error

    response = server_error(client.get("/").wsgi_request)
    assert response.status_code == 500
    assert "Что-то пошло не так" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_audit_events_cannot_be_edited_in_the_admin(client: Client) -> None:
    from uslugi.accounts.factories import UserFactory

    region = RegionFactory()
    event = record_event(actor=None, verb="x.y", target=region)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_only_public_uploads_are_served_as_media(client: Client, settings) -> None:
    # given an applicant's upload and a curator photo in the media folder
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    default_storage.save("drafts/abc/passport/scan.pdf", ContentFile(b"%PDF secret"))
    default_storage.save("results/56-20261122-ABCDEF12.pdf", ContentFile(b"%PDF decision"))
    default_storage.save("curators/photo.png", ContentFile(b"png"))
    # when / then
    assert client.get("/media/drafts/abc/passport/scan.pdf").status_code == 404
    assert client.get("/media/results/56-20261122-ABCDEF12.pdf").status_code == 404
    assert client.get("/media/curators/photo.png").status_code == 200
