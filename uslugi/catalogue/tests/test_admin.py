import pytest
from django.test import Client

from uslugi.accounts.factories import UserFactory
from uslugi.catalogue.factories import QualityStandardFactory
from uslugi.catalogue.models import QualityStandard
from uslugi.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _admin_client() -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_editing_a_standard_in_the_admin_publishes_a_new_version() -> None:
    # given
    standard = QualityStandardFactory(term=37)
    client = _admin_client()
    url = f"/admin/catalogue/qualitystandard/{standard.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {key: ("" if value is None else value) for key, value in data.items()}
    for flag in (
        "channel_portal",
        "channel_mfc",
        "channel_in_person",
        "channel_mail",
        "proactive",
        "electronic_result",
    ):
        if not data.get(flag):
            data.pop(flag, None)
    data["term"] = 15
    # when
    response = client.post(url, data)
    # then
    assert response.status_code == 302, response.content.decode()[:2000]
    versions = list(QualityStandard.objects.filter(service=standard.service).order_by("version"))
    assert [(v.version, v.term) for v in versions] == [(1, 37), (2, 15)]
    assert versions[0].valid_to is not None
    assert AuditEvent.objects.filter(
        verb="standard.published", target_id=str(versions[1].pk)
    ).exists()


def test_admin_pages_have_russian_labels() -> None:
    client = _admin_client()
    html = client.get("/admin/catalogue/service/add/").content.decode()
    assert "Правовое основание" in html
    assert "Ведомство" in html
