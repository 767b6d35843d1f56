"""The constructor's staff pages through the test client: permissions, editing, conflicts."""

import json
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.test import Client

from uslugi.accounts.factories import UserFactory
from uslugi.accounts.models import Role
from uslugi.catalogue.demo import load_demo as load_catalogue
from uslugi.catalogue.models import Region
from uslugi.constructor.demo import load_demo as load_constructor
from uslugi.constructor.models import (
    FederalTemplate,
    RegionalVariant,
    TemplateVersion,
    VariantVersion,
)
from uslugi.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    load_catalogue()
    load_constructor()


def client_for(role: Role, region: str | None = "56") -> Client:
    user = UserFactory(
        role=role, region=Region.objects.get(code=region) if region else None, is_staff=True
    )
    client = Client()
    client.force_login(user)
    return client


def variant(region: str = "56", code: str = "pensiya_star") -> RegionalVariant:
    return RegionalVariant.objects.get(region__code=region, template__code=code)


@pytest.mark.parametrize(
    ("role", "region", "view", "edit"),
    [
        (Role.REGIONAL_ADMINISTRATOR, "56", 200, 302),
        (Role.REGIONAL_ADMINISTRATOR, "16", 403, 403),
        (Role.OFFICIAL, "56", 403, 403),
        (Role.CURATOR, "56", 403, 403),
        (Role.CITIZEN, None, 403, 403),
        (Role.FEDERAL_METHODOLOGIST, None, 200, 403),
    ],
)
def test_only_the_regions_administrator_edits_its_variant(
    demo: None, role: Role, region: str | None, view: int, edit: int
) -> None:
    # given
    client = client_for(role, region)
    before = VariantVersion.objects.count()
    # when
    viewed = client.get(f"/constructor/variants/{variant().pk}/")
    edited = client.post(f"/constructor/variants/{variant().pk}/draft/")
    # then
    assert (viewed.status_code, edited.status_code) == (view, edit)
    assert VariantVersion.objects.count() == before + (1 if edit == 302 else 0)


def test_anonymous_visitors_are_sent_to_log_in(client: Client, demo: None) -> None:
    response = client.get("/constructor/")
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_a_citizen_gets_403_and_sees_no_constructor_data(demo: None) -> None:
    response = client_for(Role.CITIZEN, None).get(f"/constructor/variants/{variant().pk}/")
    assert response.status_code == 403
    assert "pensiya_star" not in response.content.decode()


def _open_draft(client: Client) -> VariantVersion:
    client.post(f"/constructor/variants/{variant().pk}/draft/")
    return VariantVersion.objects.get(variant=variant(), status="draft")


def test_editor_adds_moves_edits_and_removes_a_local_block(demo: None) -> None:
    # given
    client = client_for(Role.REGIONAL_ADMINISTRATOR)
    draft = _open_draft(client)
    url = f"/constructor/variants/{variant().pk}/draft/"
    saved_before = AuditEvent.objects.filter(verb="variant.draft_saved").count()
    # when a text block is added after the extension point
    client.post(
        url, {"action": "add", "kind": "text", "key": "regional", "revision": draft.revision}
    )
    draft.refresh_from_db()
    keys = [block["key"] for block in draft.definition["blocks"]]
    # then it stands right after the section, marked local
    added = keys[keys.index("regional") + 1]
    assert added == "text_1"
    assert next(b for b in draft.definition["blocks"] if b["key"] == "text_1")["binding"] == "local"
    # when it is relabelled with a condition that names an unknown field
    bad = client.post(
        url,
        {
            "action": "save_block",
            "key": "text_1",
            "revision": draft.revision,
            "label": "Клуб",
            "condition": "club_member == true",
            "config": "{}",
        },
    )
    # then the condition error with its position is shown and nothing changed
    assert bad.status_code == 400
    assert "column" in bad.content.decode() or "столб" in bad.content.decode()
    draft.refresh_from_db()
    assert next(b for b in draft.definition["blocks"] if b["key"] == "text_1")["label"] != "Клуб"
    # when saved properly, moved down, then removed
    client.post(
        url,
        {
            "action": "save_block",
            "key": "text_1",
            "revision": draft.revision,
            "label": "Клуб",
            "required": "on",
            "config": '{"max_length": 50}',
        },
    )
    draft.refresh_from_db()
    assert next(b for b in draft.definition["blocks"] if b["key"] == "text_1")["config"] == {
        "max_length": 50
    }
    client.post(url, {"action": "remove", "key": "text_1", "revision": draft.revision})
    draft.refresh_from_db()
    assert "text_1" not in [block["key"] for block in draft.definition["blocks"]]
    assert AuditEvent.objects.filter(verb="variant.draft_saved").count() == saved_before + 3


def test_a_template_block_cannot_be_removed_from_a_variant(demo: None) -> None:
    client = client_for(Role.REGIONAL_ADMINISTRATOR)
    draft = _open_draft(client)
    response = client.post(
        f"/constructor/variants/{variant().pk}/draft/",
        {"action": "remove", "key": "snils", "revision": draft.revision},
    )
    assert response.status_code == 400
    draft.refresh_from_db()
    assert "snils" in [block["key"] for block in draft.definition["blocks"]]


def test_a_stale_edit_is_refused_with_a_clear_message_and_overwrites_nothing(demo: None) -> None:
    # given two administrators opened the same draft at revision r
    client = client_for(Role.REGIONAL_ADMINISTRATOR)
    draft = _open_draft(client)
    stale = draft.revision
    url = f"/constructor/variants/{variant().pk}/draft/"
    client.post(
        url,
        {
            "action": "save_settings",
            "revision": stale,
            "term": "9",
            "term_kind": "working",
            "visits": "0",
            "channels": ["portal", "mfc"],
        },
    )
    # when the second saves with the old revision
    response = client.post(
        url,
        {
            "action": "save_settings",
            "revision": stale,
            "term": "5",
            "term_kind": "working",
            "visits": "0",
            "channels": ["portal", "mfc"],
        },
    )
    # then
    assert response.status_code == 409
    assert (
        "Someone else saved this draft" in response.content.decode()
        or "Кто-то" in response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.term == 9


def test_publishing_a_non_compliant_variant_is_refused_with_reasons(demo: None) -> None:
    client = client_for(Role.REGIONAL_ADMINISTRATOR)
    draft = _open_draft(client)
    url = f"/constructor/variants/{variant().pk}/draft/"
    client.post(
        url,
        {
            "action": "save_settings",
            "revision": draft.revision,
            "term": "30",
            "term_kind": "working",
            "visits": "0",
            "channels": ["portal", "mfc"],
        },
    )
    draft.refresh_from_db()
    response = client.post(url, {"action": "publish", "revision": draft.revision})
    assert response.status_code == 400
    assert "30" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_history_shows_versions_and_the_differences_from_the_template(demo: None) -> None:
    client = client_for(Role.REGIONAL_ADMINISTRATOR)
    html = client.get(f"/constructor/variants/{variant().pk}/").content.decode()
    assert "v1" in html
    assert "north_work" in html  # the local block differs from the template


def test_export_then_import_through_the_pages_gives_an_equal_definition(demo: None) -> None:
    # given
    client = client_for(Role.REGIONAL_ADMINISTRATOR)
    exported = client.get(f"/constructor/variants/{variant().pk}/versions/1/export/")
    document = json.loads(exported.content)
    # when
    response = client.post(
        "/constructor/import/", {"file": SimpleUploadedFile("v.json", exported.content)}
    )
    # then
    assert response.status_code == 302
    imported = VariantVersion.objects.get(variant=variant(), number=2)
    assert imported.definition == document["definition"]
    assert imported.status == "draft"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"format": "uslugi.federal_template",', "line 1"),
        (b"\xff\xfe", "UTF-8"),
        (b"[1, 2]", "one JSON object"),
    ],
)
def test_a_malformed_import_is_rejected_whole(demo: None, content: bytes, reason: str) -> None:
    # given
    client = client_for(Role.FEDERAL_METHODOLOGIST, None)
    client.cookies["django_language"] = "en"
    before = (FederalTemplate.objects.count(), TemplateVersion.objects.count())
    # when
    with_english = client.post(
        "/constructor/import/", {"file": SimpleUploadedFile("t.json", content)}
    )
    # then
    assert with_english.status_code == 400
    assert reason in with_english.content.decode()
    assert (FederalTemplate.objects.count(), TemplateVersion.objects.count()) == before


def test_a_region_cannot_import_a_variant_of_another_region(demo: None) -> None:
    client = client_for(Role.REGIONAL_ADMINISTRATOR, "16")
    document: dict[str, Any] = json.loads(
        client_for(Role.REGIONAL_ADMINISTRATOR)
        .get(f"/constructor/variants/{variant().pk}/versions/1/export/")
        .content
    )
    before = VariantVersion.objects.count()
    response = client.post(
        "/constructor/import/",
        {"file": SimpleUploadedFile("v.json", json.dumps(document).encode())},
    )
    assert response.status_code == 403
    assert VariantVersion.objects.count() == before
