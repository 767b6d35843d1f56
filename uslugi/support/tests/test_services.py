"""Rules are published as versions after the checks; events and scans create offers once, each
notifying its citizen once; an offer is accepted in one step."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from uslugi.accounts.factories import UserFactory
from uslugi.applications.models import Notification
from uslugi.catalogue.factories import RegionFactory, ServiceFactory
from uslugi.core.models import AuditEvent
from uslugi.support import selectors, services
from uslugi.support.eligibility import RuleRefused
from uslugi.support.factories import (
    UNIFIED_CRITERIA,
    CitizenProfileFactory,
    ParameterFactory,
    published_measure,
)
from uslugi.support.models import EventKind, MeasureRule, Offer, OfferStatus

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 2)


def test_a_change_is_a_new_version_and_the_old_one_stays() -> None:
    # given version 1 of a measure's rule
    first = published_measure()

    # when the rule is changed
    second = services.publish_rule(
        service=first.service,
        criteria=[{"text": "есть дети", "expression": "count(children) > 0"}],
        legal_basis="81-ФЗ",
        valid_from=date(2026, 1, 1),
        actor=None,
    )

    # then version 2 is in force from its day, version 1 before it, both kept, both audited
    assert (first.version, second.version) == (1, 2)
    assert MeasureRule.objects.filter(service=first.service).count() == 2
    assert [r.pk for r in selectors.list_rules_in_force(day=date(2025, 6, 1))] == [first.pk]
    assert [r.pk for r in selectors.list_rules_in_force(day=DAY)] == [second.pk]
    assert AuditEvent.objects.filter(verb="support.rule_published").count() == 2


@pytest.mark.parametrize(
    ("expression", "problem"),
    [
        ("children_count > 2", 'Unknown field "children_count" at line 1, column 1.'),
        ("annual_income / 0 > 1", "Division by zero at line 1, column 17."),
        ("birth_date > 18", "Cannot compare a date with a number at line 1, column 12."),
    ],
)
def test_a_broken_rule_is_refused_at_save_time_and_nothing_is_saved(
    expression: str, problem: str
) -> None:
    # given version 1 of a rule
    rule = published_measure()

    # when a version with a mistake is published
    with translation.override("en"), pytest.raises(RuleRefused) as refused:
        services.publish_rule(
            service=rule.service,
            criteria=[*UNIFIED_CRITERIA, {"text": "ошибка", "expression": expression}],
            legal_basis="81-ФЗ",
            valid_from=DAY,
            actor=None,
        )

    # then it is refused with the criterion and position, and no version is added
    assert refused.value.problems[0].startswith(f"Criterion 3: {problem}")
    assert MeasureRule.objects.filter(service=rule.service).count() == 1


def test_rules_attach_only_to_support_measures() -> None:
    # given an ordinary service
    service = ServiceFactory()

    # when a rule is published for it
    with pytest.raises(services.NotASupportMeasure):
        services.publish_rule(
            service=service, criteria=UNIFIED_CRITERIA, legal_basis="—", valid_from=DAY, actor=None
        )

    # then nothing is stored
    assert MeasureRule.objects.count() == 0


@pytest.fixture
def unified() -> MeasureRule:
    region = RegionFactory()
    ParameterFactory(region=region)
    ParameterFactory(region=region, name="subsistence_minimum_child", value=Decimal("15983"))
    return published_measure(region=region)


def test_a_birth_registered_creates_an_offer_that_notifies_once(unified: MeasureRule) -> None:
    # given a low-income mother with an account, not yet eligible (no child)
    user = UserFactory()
    person = CitizenProfileFactory(user=user, region=unified.service.region)
    assert services.scan_population(day=DAY).offers_created == 0

    # when the registry registers the birth of her child
    event, result = services.register_event(
        profile=person,
        kind=EventKind.BIRTH_REGISTERED,
        occurred_on=DAY,
        actor=None,
        data={"birth_date": "2026-02-27"},
    )

    # then the child is on her profile, the measure is offered with its amount, she is told once
    person.refresh_from_db()
    assert person.children == [{"birth_date": "2026-02-27", "disabled": False}]
    assert result.offers_created == 1
    offer = Offer.objects.get()
    assert (offer.profile, offer.service, offer.amount) == (
        person,
        unified.service,
        Decimal("7991.50"),
    )
    notification = Notification.objects.get()
    assert notification.recipient == user
    assert notification.kind == "support.offer"
    assert event.scanned_at is not None

    # and scanning again (or another event) creates and notifies nothing new
    again = services.scan_population(day=DAY)
    services.register_event(
        profile=person,
        kind=EventKind.INCOME_CHANGED,
        occurred_on=DAY,
        actor=None,
        data={"annual_income": "1000"},
    )
    assert again.eligible == 1
    assert again.offers_created == 0
    assert Offer.objects.count() == 1
    assert Notification.objects.count() == 1


def test_an_income_change_that_ends_eligibility_offers_nothing(unified: MeasureRule) -> None:
    # given a mother with a newborn
    person = CitizenProfileFactory(
        region=unified.service.region, children=[{"birth_date": "2026-01-20"}]
    )

    # when her income rises far above the minimum before any scan
    _event, result = services.register_event(
        profile=person,
        kind=EventKind.INCOME_CHANGED,
        occurred_on=DAY,
        actor=None,
        data={"annual_income": "3000000"},
    )

    # then nothing is offered
    assert result.as_dict() == {"people": 1, "eligible": 0, "offers_created": 0, "notified": 0}
    assert Offer.objects.count() == 0


def test_a_bad_event_is_refused_and_changes_nothing(unified: MeasureRule) -> None:
    # given a person
    person = CitizenProfileFactory(region=unified.service.region)

    # when an income change without a number arrives
    with pytest.raises(services.EventDataInvalid):
        services.register_event(
            profile=person,
            kind=EventKind.INCOME_CHANGED,
            occurred_on=DAY,
            actor=None,
            data={"annual_income": "много"},
        )

    # then the person is unchanged
    person.refresh_from_db()
    assert person.annual_income == Decimal("0")


@time_machine.travel("2026-03-02 10:00 +03:00", tick=False)
def test_accepting_an_offer_takes_one_step_and_twice_is_once(unified: MeasureRule) -> None:
    # given an offer
    user = UserFactory()
    CitizenProfileFactory(
        user=user, region=unified.service.region, children=[{"birth_date": "2026-01-20"}]
    )
    services.scan_population(day=DAY)
    offer = Offer.objects.get()

    # when the citizen accepts it twice
    services.accept_offer(offer=offer, user=user)
    services.accept_offer(offer=offer, user=user)

    # then it is accepted once, audited once
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED
    assert offer.accepted_at is not None
    assert AuditEvent.objects.filter(verb="support.offer_accepted").count() == 1
