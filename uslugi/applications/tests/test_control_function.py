"""A control function runs through the same intake and workflow with its own standard."""

import pytest
from django.test import Client

from uslugi.accounts.factories import UserFactory
from uslugi.accounts.models import Role
from uslugi.applications import services
from uslugi.applications.models import Case
from uslugi.applications.workflow import Status
from uslugi.catalogue.demo import load_demo as load_catalogue
from uslugi.catalogue.models import Agency, Region, ServiceKind
from uslugi.constructor.demo import load_demo as load_constructor

pytestmark = pytest.mark.django_db


def test_a_preventive_visit_request_becomes_a_case_with_the_functions_own_term(
    client: Client,
) -> None:
    # given the demo region and a controlled person with an account
    load_catalogue()
    load_constructor()
    client.force_login(UserFactory(username="uk-zarya"))
    # when they request a preventive visit in Tatarstan (7 working days there)
    step = client.post("/services/16/prof_visit_housing/apply/")["Location"]
    client.post(
        step,
        {
            "organisation_name": "УК «Заря»",
            "organisation_inn": "7707083893",
            "phone": "+7 843 200-00-00",
            "action": "continue",
        },
    )
    client.post(
        step,
        {
            "object_address_region": "Республика Татарстан",
            "object_address_settlement": "Казань",
            "object_address_street": "ул. Баумана",
            "object_address_house": "5",
            "visit_format": "video",
            "questions": "Порядок подготовки к отопительному сезону",
            "action": "continue",
        },
    )
    client.post(step, {"action": "continue"})
    draft_id = step.rstrip("/").rsplit("/", 1)[-1]
    client.post(f"/applications/submit/{draft_id}/")
    # then it is a case of the housing inspectorate with the variant's term
    case = Case.objects.get()
    assert case.service.kind == ServiceKind.CONTROL_FUNCTION
    assert (case.agency.code, case.term, case.term_kind) == ("housing-16", 7, "working")
    # when the inspectorate's official works it through the same workflow
    official = UserFactory(
        role=Role.OFFICIAL,
        region=Region.objects.get(code="16"),
        agency=Agency.objects.get(code="housing-16"),
    )
    services.start_review(case=case, user=official, revision=case.revision)
    services.decide_case(
        case=case, user=official, revision=case.revision, approved=True, text="Визит 3 декабря"
    )
    # then
    case.refresh_from_db()
    assert case.status == Status.APPROVED
    assert case.result_file.name.endswith(".pdf")
