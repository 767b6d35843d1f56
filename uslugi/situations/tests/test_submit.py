"""Submitting a package: one case per service, all or none, once; waiting cases start later."""

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import RequestFactory

from uslugi.accounts.factories import UserFactory
from uslugi.accounts.models import Role
from uslugi.applications import services as application_services
from uslugi.applications.models import Application, Case
from uslugi.situations import services
from uslugi.situations.errors import PackageIncomplete
from uslugi.situations.models import ItemState, Package, PackageDraft, PackageItem
from uslugi.situations.tests.answers import ANSWERS, QUESTIONS, SHARED, birth_version
from uslugi.workdays import selectors as workdays
from uslugi.workdays.deadlines import DeadlineInputs, TermKind

pytestmark = pytest.mark.django_db

ORENBURG = ZoneInfo("Asia/Yekaterinburg")
MONDAY = datetime(2027, 3, 1, 10, 0, tzinfo=ORENBURG)
THURSDAY = datetime(2027, 3, 4, 15, 30, tzinfo=ORENBURG)


def submit(citizen: Any, **kwargs: Any) -> Package:
    return services.submit_package(
        version=birth_version(), questions=QUESTIONS, answers=ANSWERS, submitter=citizen, **kwargs
    )


def test_one_case_per_included_service_each_fed_the_shared_facts(demo: None, citizen: Any) -> None:
    # when the citizen sends the birth package once
    package = submit(citizen)
    # then one application and case exist per service to apply for; the proactive one waits
    items = {item.key: item for item in package.items.select_related("application__case")}
    assert {key: item.state for key, item in items.items()} == {
        "birth": ItemState.FILED,
        "matcap": ItemState.UPCOMING,
        "birth_allowance": ItemState.WAITING,
        "kindergarten": ItemState.WAITING,
    }
    assert Application.objects.count() == Case.objects.count() == 3
    # and every service received the facts entered once, under its own field keys
    for key in ["birth", "birth_allowance", "kindergarten"]:
        answers = items[key].application.answers
        assert answers["last_name"] == SHARED["last_name"]
        assert answers["snils"] == SHARED["snils"]
        assert answers["child_first_name"] == SHARED["child_first_name"]
        assert answers["child_birth_date"] == SHARED["child_birth_date"]
    assert items["birth"].application.answers["child_sex"] == "male"
    # and the proactive item keeps the facts for later, its questionnaire answer included
    assert items["matcap"].answers["child_order"] == "second"
    assert items["matcap"].answers["last_name"] == SHARED["last_name"]


def test_a_repeat_with_the_same_key_returns_the_first_package(demo: None, citizen: Any) -> None:
    # when the same request comes twice
    first = submit(citizen, idempotency_key="retry-1")
    second = submit(citizen, idempotency_key="retry-1")
    # then
    assert first.pk == second.pk
    assert Package.objects.count() == 1
    assert Case.objects.count() == 3


def test_wrong_answers_are_refused_with_reasons_and_nothing_is_filed(
    demo: None, citizen: Any
) -> None:
    # when the shared last name is missing
    answers = {key: value for key, value in ANSWERS.items() if key != "last_name"}
    with pytest.raises(PackageIncomplete) as refused:
        services.submit_package(
            version=birth_version(), questions=QUESTIONS, answers=answers, submitter=citizen
        )
    # then
    assert [reason.split(":")[0] for reason in refused.value.reasons] == ["last_name"]
    assert (Package.objects.count(), Application.objects.count(), Case.objects.count()) == (0, 0, 0)


def test_a_failure_between_cases_leaves_no_package_no_case_and_the_draft_intact(
    demo: None, citizen: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a complete draft
    request = RequestFactory().post("/")
    request.user = citizen
    request.session = {}  # type: ignore[assignment]
    draft = services.start_draft(version=birth_version(), request=request)
    draft.questions, draft.answers, draft.step = QUESTIONS, ANSWERS, 7
    draft.save()
    before = PackageDraft.objects.values().get(pk=draft.pk)
    # and intake that fails on the second case
    real = application_services.submit_answers
    calls = []

    def second_fails(**kwargs: Any) -> Any:
        calls.append(kwargs["service"].code)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real(**kwargs)

    monkeypatch.setattr(application_services, "submit_answers", second_fails)
    # when the package is sent
    with pytest.raises(RuntimeError):
        services.submit_package(
            version=draft.version,
            questions=draft.questions,
            answers=draft.answers,
            submitter=citizen,
            draft=draft,
        )
    # then the first case was created and rolled back with everything else
    assert calls == ["reg_rozhd", "posobie_rozhd"]
    assert Package.objects.count() == 0
    assert PackageItem.objects.count() == 0
    assert Application.objects.count() == 0
    assert Case.objects.count() == 0
    assert PackageDraft.objects.values().get(pk=draft.pk) == before


def _decide(case: Case) -> None:
    official = UserFactory(role=Role.OFFICIAL, region=case.region, agency=case.agency)
    application_services.start_review(case=case, user=official, revision=case.revision)
    application_services.decide_case(
        case=case, user=official, revision=case.revision, approved=True, text="Зарегистрировано"
    )


def test_deciding_the_dependency_starts_the_waiting_cases_and_the_proactive_one(
    demo: None, citizen: Any
) -> None:
    # given a package sent on Monday: the allowance waits for the birth registration
    with time_machine.travel(MONDAY, tick=False):
        package = submit(citizen)
    items = {item.key: item for item in package.items.select_related("application__case")}
    allowance = items["birth_allowance"].application.case
    planned_due = allowance.due_date
    # when the registry office decides the birth registration on Thursday afternoon
    with time_machine.travel(THURSDAY, tick=False):
        _decide(items["birth"].application.case)
    # then the allowance's term counts from the decision
    allowance.refresh_from_db()
    expected = workdays.get_deadline(
        region="56",
        inputs=DeadlineInputs(THURSDAY, allowance.term, TermKind(allowance.term_kind)),
    ).due_date
    assert allowance.due_date == expected
    # (later than planned: the registry office decided after its own due date)
    assert allowance.due_date > planned_due
    # (planned at submission from the registration's due date, restarted at its decision)
    assert allowance.events.filter(kind="clock_restarted").count() == 2
    # and the waiting items now run, the maternity capital certificate came by itself
    states = dict(package.items.values_list("key", "state"))
    assert states == {
        "birth": ItemState.FILED,
        "matcap": ItemState.PROVIDED,
        "birth_allowance": ItemState.FILED,
        "kindergarten": ItemState.FILED,
    }
    matcap = package.items.get(key="matcap").application
    assert matcap is not None
    assert matcap.channel == "portal"
    assert matcap.answers["child_order"] == "second"
    assert (
        matcap.case.due_date
        == workdays.get_deadline(
            region="56",
            inputs=DeadlineInputs(THURSDAY, matcap.case.term, TermKind(matcap.case.term_kind)),
        ).due_date
    )


def test_a_waiting_case_is_planned_from_its_dependencys_due_date(demo: None, citizen: Any) -> None:
    # when
    with time_machine.travel(MONDAY, tick=False):
        package = submit(citizen)
    # then
    items = {item.key: item for item in package.items.select_related("application__case")}
    birth = items["birth"].application.case
    kindergarten = items["kindergarten"].application.case
    start = datetime.combine(birth.due_date, time.min)
    inputs = DeadlineInputs(start, kindergarten.term, TermKind(kindergarten.term_kind))
    assert kindergarten.due_date == workdays.get_deadline(region="56", inputs=inputs).due_date
    # and the clock starts at midnight in Orenburg, not in the server's zone
    orenburg = ZoneInfo(kindergarten.region.time_zone)
    assert kindergarten.clock_starts_at == start.replace(tzinfo=orenburg)


def test_a_refused_dependency_does_not_start_the_proactive_item(demo: None, citizen: Any) -> None:
    # given a package whose birth registration is refused
    package = submit(citizen)
    case = package.items.get(key="birth").application.case
    official = UserFactory(role=Role.OFFICIAL, region=case.region, agency=case.agency)
    application_services.start_review(case=case, user=official, revision=case.revision)
    # when
    application_services.decide_case(
        case=case, user=official, revision=case.revision, approved=False, text="Нет сведений"
    )
    # then the certificate does not come, and no application was filed for it
    matcap = package.items.get(key="matcap")
    assert matcap.state == ItemState.NOT_STARTED
    assert matcap.application is None
    assert Application.objects.count() == 3
