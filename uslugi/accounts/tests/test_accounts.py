import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from uslugi.accounts.factories import UserFactory
from uslugi.accounts.models import Role, User
from uslugi.catalogue.factories import AgencyFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "has_region", "allowed"),
    [
        (Role.CITIZEN, False, True),
        (Role.FEDERAL_METHODOLOGIST, False, True),
        (Role.OFFICIAL, False, False),
        (Role.OFFICIAL, True, True),
        (Role.MFC_OPERATOR, False, False),
        (Role.CURATOR, False, False),
        (Role.REGIONAL_ADMINISTRATOR, False, False),
        (Role.ANALYST, True, True),
    ],
)
def test_regional_roles_need_a_region(role: Role, has_region: bool, allowed: bool) -> None:
    region = RegionFactory() if has_region else None
    if allowed:
        UserFactory(role=role, region=region)
        assert User.objects.count() == 1
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            UserFactory(role=role, region=region)
        assert User.objects.count() == 0


def test_an_official_is_scoped_to_a_region_and_an_agency() -> None:
    agency = AgencyFactory()
    official = UserFactory(
        role=Role.OFFICIAL,
        region=agency.region,
        agency=agency,
        last_name="Сидорова",
        first_name="Мария",
    )
    assert (official.region.code, official.agency) == ("56", agency)
    assert str(official) == "Сидорова Мария"


def test_login_is_throttled_after_repeated_failures(client: Client, settings) -> None:
    # given
    UserFactory(username="official", is_staff=True)
    # when five wrong passwords are tried
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "official", "password": "wrong"})
    # then even the right password is refused for a while
    response = client.post(
        "/admin/login/", {"username": "official", "password": "correct horse battery"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_correct_login_works_before_the_limit(client: Client) -> None:
    UserFactory(username="official", is_staff=True)
    client.post("/admin/login/", {"username": "official", "password": "wrong"})
    response = client.post(
        "/admin/login/",
        {"username": "official", "password": "correct horse battery", "next": "/admin/"},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"]
