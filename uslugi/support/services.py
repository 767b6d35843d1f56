"""Support writes. The support app owns support-measure rules (versions with a legal basis),
dated regional parameters, the measures' test cases, the demo population registry, its events
and proactive offers.

Every write records an audit event. Offers are created idempotently (one per person and measure,
a unique constraint) and each notifies its citizen once, through the applications app's
notifications with a deduplication key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from uslugi.applications.notifications import notify
from uslugi.catalogue.models import Region, Service, ServiceKind
from uslugi.core.errors import UserFacingError
from uslugi.core.services import record_event
from uslugi.support import selectors
from uslugi.support.eligibility import RuleRefused, bulk_values, check_rule
from uslugi.support.models import (
    CitizenProfile,
    EventKind,
    MeasureRule,
    Offer,
    OfferStatus,
    PopulationEvent,
)

SCAN_CHUNK = 50_000


class NotASupportMeasure(UserFacingError):
    default_message = _("Rules can be attached only to services of the kind “support measure”.")


class EventDataInvalid(UserFacingError):
    default_message = _("The event's data are not valid.")


@transaction.atomic
def publish_rule(
    *,
    service: Service,
    criteria: Sequence[Mapping[str, Any]],
    legal_basis: str,
    valid_from: date,
    actor: Any,
    amount_expression: str = "",
    amount_text: str = "",
    note: str = "",
) -> MeasureRule:
    """A new version of the measure's rule, after the syntax and type checks.

    Refused (`RuleRefused`, every problem with its criterion and position): an unknown profile
    field or parameter, a division by zero, comparing a date with a number, a criterion that is
    not a condition. Earlier versions stay as they were: a change is always a new version.
    """
    if service.kind != ServiceKind.SUPPORT_MEASURE:
        raise NotASupportMeasure()
    if not legal_basis.strip():
        raise RuleRefused([_("State the rule's legal basis.")])
    check_rule(criteria, amount_expression)
    latest = MeasureRule.objects.filter(service=service).aggregate(latest=Max("version"))["latest"]
    rule = MeasureRule.objects.create(
        service=service,
        version=(latest or 0) + 1,
        criteria=[
            {
                "text": str(item["text"]).strip(),
                "expression": str(item["expression"]).strip(),
                **({"final": True} if item.get("final") else {}),
            }
            for item in criteria
        ],
        amount_expression=amount_expression.strip(),
        amount_text=amount_text.strip(),
        legal_basis=legal_basis.strip(),
        valid_from=valid_from,
        note=note,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_event(
        actor=actor,
        verb="support.rule_published",
        target=rule,
        data={"service": service.code, "region": service.region.code, "version": rule.version},
    )
    return rule


# Events and the proactive scan -------------------------------------------------------------


@dataclass
class ScanResult:
    people: int = 0
    eligible: int = 0
    offers_created: int = 0
    notified: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "people": self.people,
            "eligible": self.eligible,
            "offers_created": self.offers_created,
            "notified": self.notified,
        }


@transaction.atomic
def register_event(
    *,
    profile: CitizenProfile,
    kind: EventKind,
    occurred_on: date,
    actor: Any,
    data: Mapping[str, Any] | None = None,
) -> tuple[PopulationEvent, ScanResult]:
    """Apply what the registry learned to the person, then scan the measures for them alone.

    A birth adds a child; an income change replaces the yearly income; a 60th birthday changes
    nothing stored (age is computed from the date of birth) but is a reason to look again.
    """
    data = dict(data or {})
    if kind == EventKind.BIRTH_REGISTERED:
        born = data.get("birth_date") or occurred_on.isoformat()
        try:
            date.fromisoformat(str(born))
        except ValueError:
            raise EventDataInvalid() from None
        profile.children = [*(profile.children or []), {"birth_date": str(born), "disabled": False}]
        data["birth_date"] = str(born)
    elif kind == EventKind.INCOME_CHANGED:
        try:
            income = Decimal(str(data["annual_income"]))
        except (KeyError, ArithmeticError, ValueError):
            raise EventDataInvalid() from None
        if income < 0:
            raise EventDataInvalid()
        profile.annual_income = income
        data["annual_income"] = str(income)
    profile.save()
    event = PopulationEvent.objects.create(
        profile=profile, kind=kind, occurred_on=occurred_on, data=data
    )
    record_event(
        actor=actor,
        verb="support.event_registered",
        target=event,
        data={"kind": kind, "person": profile.person_number},
    )
    result = scan_population(people=[profile.pk], day=occurred_on, actor=actor)
    event.scanned_at = timezone.now()
    event.save(update_fields=["scanned_at"])
    return event, result


def register_sixtieth_birthdays(*, day: date) -> int:
    """Register the 60th birthday of everyone who turns 60 on `day`, once per person; each event
    scans that person (a new pension-age measure may be due). Returns how many were registered."""
    born = date(day.year - 60, day.month, day.day) if (day.month, day.day) != (2, 29) else None
    if born is None:
        return 0
    people = (
        selectors.list_people()
        .filter(birth_date=born)
        .exclude(events__kind=EventKind.SIXTIETH_BIRTHDAY)
    )
    registered = 0
    for person in people:
        register_event(
            profile=person, kind=EventKind.SIXTIETH_BIRTHDAY, occurred_on=day, actor=None
        )
        registered += 1
    return registered


def scan_population(
    *,
    region_code: str = "",
    people: Iterable[int] | None = None,
    day: date | None = None,
    actor: Any = None,
) -> ScanResult:
    """Evaluate every measure in force against the population (or the given people) in bulk and
    offer each measure to whoever it is due; running it again creates and notifies nothing new."""
    day = day or timezone.localdate()
    measures = selectors.compiled_measures(region_code=region_code, day=day)
    by_id = {measure.rule_id: measure for measure in measures}
    codes = sorted({measure.region_code for measure in measures})
    parameters = selectors.all_parameters(codes, day)
    result = ScanResult()
    queryset = selectors.list_people(
        region_code=region_code, ids=list(people) if people is not None else None
    ).select_related("user")
    last_pk = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last_pk)[:SCAN_CHUNK])
        if not chunk:
            break
        last_pk = chunk[-1].pk
        chunk.sort(key=lambda person: person.region.code)  # region by region: zero-copy slices
        result.people += len(chunk)
        frame, _ids = selectors.population_frame(chunk)
        values = bulk_values(measures, frame, parameters, day)
        due: list[tuple[CitizenProfile, int]] = []
        for rule_id, rows in values.items():
            for row in rows.filter(rows["value"].fill_null(False))["row"].to_list():
                due.append((chunk[row], rule_id))
        result.eligible += len(due)
        created = _offer(due, by_id, parameters, day, actor)
        result.offers_created += len(created)
        result.notified += sum(_notify_offer(offer) for offer in created)
    if result.people:
        region = Region.objects.filter(code=region_code).first() if region_code else None
        record_event(
            actor=actor,
            verb="support.population_scanned",
            target=region or Region.objects.order_by("code").first() or Region(code=""),
            data={"region": region_code, "day": day, **result.as_dict()},
        )
    return result


@transaction.atomic
def _offer(
    due: list[tuple[CitizenProfile, int]],
    measures: Mapping[int, Any],
    parameters: Mapping[str, Mapping[str, Any]],
    day: date,
    actor: Any,
) -> list[Offer]:
    """Offers for the (person, rule) pairs that have none yet; returns the ones created."""
    if not due:
        return []
    services = {measures[rule_id].service_id for _person, rule_id in due}
    existing = set(
        Offer.objects.filter(
            profile_id__in={person.pk for person, _rule in due}, service_id__in=services
        ).values_list("profile_id", "service_id")
    )
    created = []
    for person, rule_id in due:
        measure = measures[rule_id]
        if (person.pk, measure.service_id) in existing:
            continue
        existing.add((person.pk, measure.service_id))
        amount = None
        if measure.amount is not None:
            profile = selectors.as_profile(person)
            value = measure.amount(profile, parameters[measure.region_code], today=day).value
            amount = Decimal(str(round(value, 2))) if isinstance(value, float) else None
        offer = Offer(profile=person, service_id=measure.service_id, rule_id=rule_id, amount=amount)
        created.append(offer)
    # ignore_conflicts: a concurrent scan may have offered the same measure a moment ago.
    Offer.objects.bulk_create(created, ignore_conflicts=True, batch_size=1000)
    stored = {
        (offer.profile_id, offer.service_id): offer
        for offer in Offer.objects.filter(
            profile_id__in={offer.profile_id for offer in created},
            service_id__in={offer.service_id for offer in created},
        ).select_related("service__region", "profile__user")
    }
    offers = [stored[(offer.profile_id, offer.service_id)] for offer in created]
    for offer in offers:
        record_event(
            actor=actor,
            verb="support.offer_created",
            target=offer,
            data={"service": offer.service.code, "person": offer.profile.person_number},
        )
    return offers


def _notify_offer(offer: Offer) -> bool:
    """Tell the person once (the key makes a second scan, or a retry, tell nothing)."""
    person = offer.profile
    if person.user is None and not person.email:
        return False
    text = _(
        "The state owes you “%(measure)s”. You do not need to collect documents: accept the "
        "offer in one step at %(url)s."
    ) % {"measure": offer.service.name, "url": reverse("support:offers")}
    notification = notify(
        case=None,
        kind="support.offer",
        subject=_("A support measure is due to you: %(measure)s") % {"measure": offer.service.name},
        text=text,
        recipient=person.user,
        email=person.email,
        dedupe_key=f"support-offer:{person.pk}:{offer.service_id}",
    )
    return notification is not None


@transaction.atomic
def accept_offer(*, offer: Offer, user: Any) -> Offer:
    """The citizen's consent in one step; accepting twice changes nothing."""
    offer = Offer.objects.select_for_update().select_related("service__region").get(pk=offer.pk)
    if offer.status == OfferStatus.ACCEPTED:
        return offer
    offer.status = OfferStatus.ACCEPTED
    offer.accepted_at = timezone.now()
    offer.save(update_fields=["status", "accepted_at"])
    record_event(
        actor=user,
        verb="support.offer_accepted",
        target=offer,
        data={"service": offer.service.code, "region": offer.service.region.code},
    )
    return offer
