from datetime import date
from decimal import Decimal

import factory

from uslugi.catalogue.factories import AgencyFactory, RegionFactory
from uslugi.roadmap.kpis import Comparison
from uslugi.roadmap.models import (
    Decision,
    GroupRole,
    ItemStatus,
    Kpi,
    Measure,
    Meeting,
    Roadmap,
    WorkingGroupMember,
)


class RoadmapFactory(factory.django.DjangoModelFactory[Roadmap]):
    class Meta:
        model = Roadmap
        django_get_or_create = ["region"]

    region = factory.SubFactory(RegionFactory)
    title = "План мероприятий по внедрению стандартов клиентоцентричности"
    act_number = "123-р"
    act_date = date(2023, 10, 3)


class MemberFactory(factory.django.DjangoModelFactory[WorkingGroupMember]):
    class Meta:
        model = WorkingGroupMember

    roadmap = factory.SubFactory(RoadmapFactory)
    full_name = factory.Sequence(lambda n: f"Иванова Мария № {n}")
    position = "Заместитель министра"
    role = GroupRole.MEMBER
    email = factory.Sequence(lambda n: f"member{n}@example.org")


class MeasureFactory(factory.django.DjangoModelFactory[Measure]):
    class Meta:
        model = Measure

    roadmap = factory.SubFactory(RoadmapFactory)
    number = factory.Sequence(lambda n: f"1.{n}")
    title = factory.Sequence(lambda n: f"Мероприятие № {n}")
    responsible_agency = factory.SubFactory(
        AgencyFactory, region=factory.SelfAttribute("..roadmap.region")
    )
    responsible_person = "Петров Пётр Петрович"
    responsible_email = "petrov@example.org"
    starts_on = date(2024, 1, 1)
    due_on = date(2025, 12, 31)
    status = ItemStatus.IN_PROGRESS


class KpiFactory(factory.django.DjangoModelFactory[Kpi]):
    class Meta:
        model = Kpi

    measure = factory.SubFactory(MeasureFactory)
    metric = "processing_median"
    baseline_from = date(2024, 1, 1)
    baseline_to = date(2024, 6, 30)
    current_from = date(2025, 1, 1)
    comparison = Comparison.AT_MOST
    target = Decimal("45")


class MeetingFactory(factory.django.DjangoModelFactory[Meeting]):
    class Meta:
        model = Meeting

    roadmap = factory.SubFactory(RoadmapFactory)
    held_on = date(2024, 2, 1)
    title = "Заседание рабочей группы"


class DecisionFactory(factory.django.DjangoModelFactory[Decision]):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    text = "Подготовить предложения"
    assignee = factory.SubFactory(MemberFactory, roadmap=factory.SelfAttribute("..meeting.roadmap"))
    due_on = date(2025, 3, 1)
    status = ItemStatus.PLANNED
