import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from uslugi.accounts.models import Role, User
from uslugi.applications.demo import PASSWORD, PEOPLE

pytestmark = pytest.mark.django_db


def test_the_demo_has_one_account_per_role_and_loading_twice_adds_nothing() -> None:
    # when
    call_command("load_demo", verbosity=0)
    after_first = User.objects.count()
    call_command("load_demo", verbosity=0)
    # then
    assert User.objects.count() == after_first
    assert set(User.objects.values_list("username", flat=True)) >= {person[0] for person in PEOPLE}
    official = User.objects.get(username="official56")
    assert (official.role, official.region.code, official.agency.code) == (
        Role.OFFICIAL,
        "56",
        "sfr-56",
    )
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="official56", password=PASSWORD) == official
    assert {role for _name, role, *_rest in PEOPLE} == set(Role) - {Role.CURATOR, Role.ANALYST}
