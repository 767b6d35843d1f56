"""Factories for templates, variants and their versions, on top of the catalogue's factories.

`template_definition()` is a small template every region can comply with: an applicant section,
one locked field, an extension point and two documents (one from the applicant, one the agency
obtains itself). A variant version copies its template version's definition, so it starts
compliant with the factory's standard and parameters.
"""

import copy
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import factory

from uslugi.catalogue.factories import CuratorFactory, RegionFactory, ServiceFactory
from uslugi.catalogue.models import TermKind
from uslugi.constructor.demo import document, field, section
from uslugi.constructor.models import (
    FederalTemplate,
    RegionalVariant,
    TemplateVersion,
    VariantVersion,
    VersionStatus,
)

START = date(2025, 1, 1)


def template_definition() -> dict[str, Any]:
    return {
        "schema_version": 1,
        "blocks": [
            section("applicant", "Applicant"),
            field("full_name", "text", "Full name"),
            section("regional", "Regional", binding="extension_point"),
            document("passport", "Passport", "applicant"),
            document("income", "Income statement", "agency"),
        ],
    }


class FederalTemplateFactory(factory.django.DjangoModelFactory[FederalTemplate]):
    class Meta:
        model = FederalTemplate

    code = factory.Sequence(lambda n: f"template_{n}")
    name = factory.Sequence(lambda n: f"Template № {n}")


class TemplateVersionFactory(factory.django.DjangoModelFactory[TemplateVersion]):
    class Meta:
        model = TemplateVersion

    class Params:
        published = factory.Trait(
            status=VersionStatus.PUBLISHED,
            valid_from=START,
            published_at=datetime(2024, 12, 20, 12, 0, tzinfo=ZoneInfo("Europe/Moscow")),
        )

    template = factory.SubFactory(FederalTemplateFactory)
    number = 1
    definition = factory.LazyFunction(template_definition)
    max_term = 15
    term_kind = TermKind.WORKING
    max_applicant_documents = 2
    max_visits = 1
    required_channels = factory.LazyFunction(lambda: ["portal", "mfc"])


class RegionalVariantFactory(factory.django.DjangoModelFactory[RegionalVariant]):
    class Meta:
        model = RegionalVariant

    template = factory.SubFactory(FederalTemplateFactory)
    region = factory.SubFactory(RegionFactory)
    service = factory.SubFactory(ServiceFactory, region=factory.SelfAttribute("..region"))


class VariantVersionFactory(factory.django.DjangoModelFactory[VariantVersion]):
    """A compliant draft of a variant on a published version of its template."""

    class Meta:
        model = VariantVersion

    class Params:
        published = factory.Trait(
            status=VersionStatus.PUBLISHED,
            valid_from=START,
            published_at=datetime(2024, 12, 20, 12, 0, tzinfo=ZoneInfo("Europe/Moscow")),
        )

    variant = factory.SubFactory(RegionalVariantFactory)
    number = 1
    based_on = factory.SubFactory(
        TemplateVersionFactory, template=factory.SelfAttribute("..variant.template"), published=True
    )
    definition = factory.LazyAttribute(lambda version: copy.deepcopy(version.based_on.definition))
    agency = factory.SelfAttribute("variant.service.agency")
    curator = factory.SubFactory(CuratorFactory, agency=factory.SelfAttribute("..agency"))
    term = 10
    term_kind = TermKind.WORKING
    visits = 1
    channels = factory.LazyFunction(lambda: ["mfc", "portal"])
