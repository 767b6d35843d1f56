"""Test data of the support app: a measure with a published rule, parameters, registry people."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import factory

from uslugi.catalogue.factories import RegionFactory, ServiceFactory
from uslugi.catalogue.models import ServiceKind
from uslugi.support import services
from uslugi.support.models import CitizenProfile, MeasureRule, RegionalParameter

UNIFIED_CRITERIA: list[dict[str, Any]] = [
    {
        "text": "в семье есть ребёнок младше 17 лет",
        "expression": "any(children, age(birth_date) < 17)",
        "final": True,
    },
    {
        "text": "среднедушевой доход ниже прожиточного минимума",
        "expression": "(annual_income + sum(other_adults.annual_income)) / 12 "
        "/ (1 + count(other_adults) + count(children)) < $subsistence_minimum",
    },
]


class MeasureServiceFactory(ServiceFactory):
    kind = ServiceKind.SUPPORT_MEASURE
    code = factory.Sequence(lambda n: f"measure-{n}")
    name = factory.Sequence(lambda n: f"Мера поддержки № {n}")


class ParameterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalParameter

    name = "subsistence_minimum"
    region = factory.SubFactory(RegionFactory)
    valid_from = date(2026, 1, 1)
    value = Decimal("16477")
    source = "Постановление Правительства Оренбургской области от 30.10.2025"


class CitizenProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CitizenProfile

    person_number = factory.Sequence(lambda n: f"T-{n:06d}")
    region = factory.SubFactory(RegionFactory)
    last_name = "Петрова"
    first_name = "Мария"
    email = factory.LazyAttribute(lambda person: f"{person.person_number.lower()}@example.org")
    birth_date = date(1994, 6, 14)
    sex = "female"
    employed = False
    annual_income = Decimal("0")
    valid_reason_no_income = True
    other_adults = factory.LazyFunction(
        lambda: [{"birth_date": "1991-02-03", "annual_income": 290000, "employed": True}]
    )
    children = factory.LazyFunction(list)


def published_measure(
    *,
    criteria: list[dict[str, Any]] | None = None,
    amount_expression: str = "0.5 * $subsistence_minimum_child * count(children)",
    valid_from: date = date(2025, 1, 1),
    **service: Any,
) -> MeasureRule:
    """A support measure of region 56 (by default) with version 1 of its rule published."""
    measure = MeasureServiceFactory(**service)
    return services.publish_rule(
        service=measure,
        criteria=criteria or UNIFIED_CRITERIA,
        legal_basis="81-ФЗ, ст. 9",
        valid_from=valid_from,
        actor=None,
        amount_expression=amount_expression,
        amount_text="в месяц",
    )
