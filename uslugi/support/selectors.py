"""Support reads: parameters and rules in force, compiled measures, a citizen's recommended set,
the population registry as profiles and frames, offers.

The recommended set is computed, never stored: a profile the citizen types in lives only in the
request (nothing is saved about them without their action).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from uslugi.catalogue.models import Service
from uslugi.support.eligibility import Assessment, CompiledMeasure, Status, assess, compile_measure
from uslugi.support.models import (
    SCALAR_FIELDS,
    CitizenProfile,
    MeasureRule,
    Offer,
    RegionalParameter,
    RuleTestCase,
)
from uslugi.support.profile import PARAMETERS, PROFILE_SCHEMA

if TYPE_CHECKING:
    import polars as pl

_COMPILED: dict[tuple[Any, ...], CompiledMeasure] = {}


def _in_force(day: date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def parameters_in_force(region_code: str, day: date) -> dict[str, float]:
    """`$name` → value for a region on a day: the newest regional row, else the federal one."""
    rows = (
        RegionalParameter.objects.filter(_in_force(day))
        .filter(Q(region__isnull=True) | Q(region__code=region_code))
        .order_by("valid_from")
        .values_list("name", "region_id", "value")
    )
    federal: dict[str, float] = {}
    regional: dict[str, float] = {}
    for name, region_id, value in rows:
        (regional if region_id else federal)[name] = float(value)
    return {**federal, **regional}


def all_parameters(region_codes: Iterable[str], day: date) -> dict[str, dict[str, float]]:
    return {code: parameters_in_force(code, day) for code in region_codes}


def list_rules_in_force(*, region_code: str = "", day: date | None = None) -> list[MeasureRule]:
    """The newest version of each measure's rule valid on `day` (one query)."""
    day = day or timezone.localdate()
    rules = (
        MeasureRule.objects.filter(valid_from__lte=day)
        .select_related("service__region")
        .order_by("service_id", "-version")
    )
    if region_code:
        rules = rules.filter(service__region__code=region_code)
    newest: dict[int, MeasureRule] = {}
    for rule in rules:
        newest.setdefault(rule.service_id, rule)
    return sorted(newest.values(), key=lambda rule: (rule.service.region.code, rule.service.name))


def compiled(rule: MeasureRule) -> CompiledMeasure:
    """One rule version compiled (cached: versions never change; the key holds what is compiled,
    so a reused id — a test database rolled back — can never return another rule)."""
    service = rule.service
    key = (
        rule.pk,
        service.pk,
        service.code,
        service.region.code,
        service.name,
        service.name_en,
        repr(rule.criteria),
        rule.amount_expression,
        rule.amount_text,
        rule.legal_basis,
    )
    measure = _COMPILED.get(key)
    if measure is None:
        measure = compile_measure(
            rule_id=rule.pk,
            service_id=service.pk,
            service_code=service.code,
            region_code=service.region.code,
            name=service.name,
            name_en=service.name_en,
            criteria=rule.criteria,
            amount_expression=rule.amount_expression,
            amount_text=rule.amount_text,
            legal_basis=rule.legal_basis,
        )
        _COMPILED[key] = measure
    return measure


RULE_COLUMNS = (
    "pk",
    "service_id",
    "service__code",
    "service__region__code",
    "service__name",
    "service__name_en",
    "criteria",
    "amount_expression",
    "amount_text",
    "legal_basis",
)


def compiled_measures(*, region_code: str = "", day: date | None = None) -> list[CompiledMeasure]:
    """The rules in force, compiled: one query of plain values (a citizen's recommended set is
    computed on every answer, so it reads no model instances), compilation cached per version."""
    day = day or timezone.localdate()
    rows = (
        MeasureRule.objects.filter(valid_from__lte=day)
        .order_by("service__name", "service_id", "-version")
        .values_list(*RULE_COLUMNS)
    )
    if region_code:
        rows = rows.filter(service__region__code=region_code)
    measures: list[CompiledMeasure] = []
    seen: set[int] = set()
    for row in rows:
        if row[1] in seen:
            continue
        seen.add(row[1])
        key = (*row[:6], repr(row[6]), *row[7:])
        measure = _COMPILED.get(key)
        if measure is None:
            measure = compile_measure(
                rule_id=row[0],
                service_id=row[1],
                service_code=row[2],
                region_code=row[3],
                name=row[4],
                name_en=row[5],
                criteria=row[6],
                amount_expression=row[7],
                amount_text=row[8],
                legal_basis=row[9],
            )
            _COMPILED[key] = measure
        measures.append(measure)
    return measures


@dataclass
class RecommendedSet:
    eligible: list[Assessment]
    almost: list[Assessment]
    unknown: list[Assessment]
    not_eligible: list[Assessment]


def recommended_set(
    profile: Mapping[str, Any], *, region_code: str, day: date | None = None
) -> RecommendedSet:
    """The measures of the citizen's region, split by what the profile says about each."""
    day = day or timezone.localdate()
    parameters = parameters_in_force(region_code, day)
    result = RecommendedSet([], [], [], [])
    groups = {
        Status.ELIGIBLE: result.eligible,
        Status.ALMOST: result.almost,
        Status.UNKNOWN: result.unknown,
        Status.NOT_ELIGIBLE: result.not_eligible,
    }
    profile = {**profile, "region": region_code}
    for measure in compiled_measures(region_code=region_code, day=day):
        assessment = assess(measure, profile, parameters, day)
        groups[assessment.status].append(assessment)
    return result


def start_url(service: Service, *, day: date | None = None) -> tuple[str, str]:
    """Where the measure's "start" button leads: ("post", the online form) when a variant is in
    force, else ("get", the life situation that includes it), else ("get", the service page)."""
    from uslugi.constructor import selectors as constructor
    from uslugi.situations import selectors as situations

    region_code = service.region.code
    if constructor.version_in_force(service, on=day) is not None:
        return "post", reverse("constructor:form_start", args=[region_code, service.code])
    for situation in situations.list_situations(region_code=region_code):
        version = situations.version_in_force(situation, on=day)
        items = (version.definition or {}).get("items", []) if version else []
        if any(item.get("service") == service.code for item in items):
            return "get", reverse("situations:detail", args=[region_code, situation.code])
    return "get", reverse("catalogue:service_detail", args=[region_code, service.code])


def start_urls(result: RecommendedSet | None) -> dict[int, tuple[str, str]]:
    """service id → (method, url) of the start button of each measure due or almost due."""
    if result is None:
        return {}
    ids = [item.measure.service_id for item in [*result.eligible, *result.almost]]
    services = Service.objects.select_related("region").in_bulk(ids)
    return {pk: start_url(service) for pk, service in services.items()}


def get_measure_service(pk: int) -> Service:
    try:
        return Service.objects.select_related("region").get(pk=pk, kind="support_measure")
    except (Service.DoesNotExist, ValueError):
        raise Http404(_("There is no such support measure.")) from None


# The population registry -------------------------------------------------------------------


def _plain(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def as_profile(person: CitizenProfile) -> dict[str, Any]:
    """The registry row as a rules profile: empty fields stay missing."""
    profile: dict[str, Any] = {"region": person.region.code, "benefits": list(person.benefits)}
    for name in SCALAR_FIELDS:
        value = getattr(person, name)
        if value is not None and value != "":
            profile[name] = _plain(value)
    profile["other_adults"] = _group(person.other_adults)
    profile["children"] = _group(person.children)
    return profile


def _group(items: Any) -> list[dict[str, Any]] | None:
    """JSON rows back to profile records: ISO dates become dates."""
    if items is None:
        return None
    records = []
    for item in items:
        record = dict(item)
        born = record.get("birth_date")
        if isinstance(born, str):
            try:
                record["birth_date"] = date.fromisoformat(born)
            except ValueError:
                record["birth_date"] = None
        records.append(record)
    return records


def get_my_profile(user: Any) -> CitizenProfile | None:
    if user is None or not user.is_authenticated:
        return None
    return CitizenProfile.objects.select_related("region").filter(user=user).first()


def list_people(
    *, region_code: str = "", ids: Iterable[int] | None = None
) -> QuerySet[CitizenProfile]:
    people = CitizenProfile.objects.select_related("region").order_by("pk")
    if region_code:
        people = people.filter(region__code=region_code)
    if ids is not None:
        people = people.filter(pk__in=list(ids))
    return people


def population_frame(people: Iterable[CitizenProfile]) -> tuple[pl.DataFrame, list[int]]:
    """The people as a polars frame of profiles (the bulk path's input) and their ids by row."""

    ids, records = [], []
    for person in people:
        ids.append(person.pk)
        records.append(as_profile(person))
    return profiles_frame(records), ids


def profiles_frame(records: list[dict[str, Any]]) -> pl.DataFrame:
    import polars as pl

    return pl.DataFrame(records, schema=PROFILE_SCHEMA.polars_schema(), strict=False)


# Offers and test cases ---------------------------------------------------------------------


def list_my_offers(user: Any) -> QuerySet[Offer]:
    if user is None or not user.is_authenticated:
        return Offer.objects.none()
    return (
        Offer.objects.filter(profile__user=user)
        .select_related("service__region", "rule")
        .order_by("-created_at", "-id")
    )


def get_my_offer(user: Any, pk: Any) -> Offer:
    """One of the citizen's offers; anyone else's is a 404."""
    try:
        return list_my_offers(user).get(pk=pk)
    except (Offer.DoesNotExist, ValueError):
        raise Http404(_("There is no such offer.")) from None


def list_test_cases(*, service_ids: Iterable[int] | None = None) -> QuerySet[RuleTestCase]:
    cases = RuleTestCase.objects.select_related("service__region").order_by(
        "service__region__code", "service__code", "name"
    )
    return cases.filter(service_id__in=list(service_ids)) if service_ids is not None else cases


def known_parameters() -> list[str]:
    return sorted(PARAMETERS)
