from datetime import date

import factory

from uslugi.catalogue.models import (
    Agency,
    Curator,
    CuratorAssignment,
    Institution,
    Level,
    QualityStandard,
    Region,
    Service,
    ServiceKind,
    TermKind,
)
from uslugi.catalogue.search import normalize


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "56"
    name = "Оренбургская область"
    name_en = "Orenburg Oblast"
    time_zone = "Asia/Yekaterinburg"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"agency-{n}")
    region = factory.SubFactory(RegionFactory)
    level = Level.REGIONAL
    name = factory.Sequence(lambda n: f"Министерство № {n}")
    short_name = "Министерство"
    address = "г. Оренбург, ул. Советская, 1"
    working_hours = "Пн–Пт 9:00–18:00"
    phone = "+7 (3532) 00-00-00"


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    code = factory.Sequence(lambda n: f"institution-{n}")
    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Офис МФЦ № {n}")
    kind = "офис МФЦ"
    address = "г. Оренбург, ул. Пушкинская, 10"


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    region = factory.SubFactory(RegionFactory)
    agency = factory.SubFactory(AgencyFactory, region=factory.SelfAttribute("..region"))
    code = factory.Sequence(lambda n: f"service-{n}")
    name = factory.Sequence(lambda n: f"Услуга № {n}")
    kind = ServiceKind.SERVICE
    level = Level.REGIONAL
    result = "Решение"
    search_text = factory.LazyAttribute(lambda s: normalize(f"{s.code} {s.name} {s.agency.name}"))


class QualityStandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QualityStandard

    service = factory.SubFactory(ServiceFactory)
    version = 1
    valid_from = date(2025, 1, 1)
    term = 15
    term_kind = TermKind.WORKING
    applicant_documents = factory.LazyFunction(lambda: ["Заявление", "Паспорт"])
    interagency_documents = factory.LazyFunction(lambda: ["Сведения о пенсии"])
    max_visits = 1
    channel_portal = True
    channel_mfc = True
    channel_in_person = True


class CuratorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Curator

    last_name = "Демидова"
    first_name = "Анна"
    middle_name = "Петровна"
    position = "Заместитель министра"
    agency = factory.SubFactory(AgencyFactory)
    responsibilities = "Сроки и качество услуги"
    email = "curator@example.org"


class CuratorAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CuratorAssignment

    service = factory.SubFactory(ServiceFactory)
    curator = factory.SubFactory(CuratorFactory, agency=factory.SelfAttribute("..service.agency"))
    starts_on = date(2025, 1, 1)
