"""Orenburg's client-centricity roadmap, with the measures behind its reported results.

Real: the working group created on 3 October 2023, and the results Orenburg reported («Орская
газета», BRIEF §1): teacher attestation 90 → 45 days, the share of attestation applications via
the portal 21 % → 75 %, the title «Ветеран труда Оренбургской области» 37 → 15 working days. The
KPIs of those measures compare the first half of 2024 with the time since 1 January 2025, and the
page computes them from the cases (the quality demo's history reproduces those figures). Invented
and marked as such: the act's number, the members' names and e-mails, the minutes, the other
measures.

`load_demo()` only creates what is missing, so running it twice changes nothing; each run
records the KPIs' baselines again, so they follow a history loaded after the roadmap.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from uslugi.accounts.models import User
from uslugi.catalogue.models import Agency, Region, Service
from uslugi.core.services import record_event
from uslugi.roadmap import services
from uslugi.roadmap.kpis import Comparison
from uslugi.roadmap.models import (
    Decision,
    Evidence,
    GroupRole,
    ItemStatus,
    Kpi,
    Measure,
    Meeting,
    Roadmap,
    WorkingGroupMember,
)

REGION = "56"
TITLE = "План мероприятий по внедрению стандартов клиентоцентричности в Оренбургской области"
BASELINE = (date(2024, 1, 1), date(2024, 6, 30))
CURRENT_FROM = date(2025, 1, 1)
DEMO = "@demo.uslugi.invalid"

# (full name, position, agency key, role, e-mail user part, demo account)
MEMBERS = [
    (
        "Смирнов Алексей Викторович (демо)",
        "Вице-губернатор",
        None,
        GroupRole.CHAIR,
        "chair",
        "admin56",
    ),
    (
        "Кузнецова Ольга Николаевна (демо)",
        "Министр социального развития",
        "social",
        GroupRole.DEPUTY_CHAIR,
        "social",
        None,
    ),
    (
        "Волкова Елена Сергеевна (демо)",
        "Заместитель министра образования",
        "education",
        GroupRole.MEMBER,
        "education",
        None,
    ),
    ("Орлов Дмитрий Андреевич (демо)", "Директор МФЦ", "mfc", GroupRole.MEMBER, "mfc", None),
    (
        "Белова Анна Игоревна (демо)",
        "Консультант проектного офиса",
        None,
        GroupRole.SECRETARY,
        "office",
        None,
    ),
]

# number, title, description, agency key, responsible person, overseer e-mail part, starts, due,
# status, KPIs: (service code or None, agency key or None, metric, comparison, target)
MEASURES: list[dict[str, Any]] = [
    {
        "number": "1.1",
        "title": "Сократить срок аттестации педагогических работников с 90 до 45 дней",
        "description": "Единый график заседаний аттестационной комиссии, электронное "
        "портфолио вместо бумажных материалов, решение без повторного рассмотрения.",
        "agency": "education",
        "person": "Волкова Елена Сергеевна (демо)",
        "overseer": "education",
        "starts_on": date(2024, 7, 1),
        "due_on": date(2024, 12, 31),
        "status": ItemStatus.DONE,
        "kpis": [("attest_ped", None, "processing_median", Comparison.AT_MOST, "45")],
        "evidence": [],
    },
    {
        "number": "1.2",
        "title": "Перевести подачу заявлений на аттестацию на портал Госуслуг",
        "description": "Электронная форма заявления на ЕПГУ, информирование педагогов через "
        "образовательные организации.",
        "agency": "education",
        "person": "Волкова Елена Сергеевна (демо)",
        "overseer": "education",
        "starts_on": date(2024, 7, 1),
        "due_on": date(2024, 12, 31),
        "status": ItemStatus.DONE,
        "kpis": [("attest_ped", None, "digital_share", Comparison.AT_LEAST, "75")],
        "evidence": [],
    },
    {
        "number": "1.3",
        "title": "Сократить срок присвоения звания «Ветеран труда Оренбургской области» "
        "с 37 до 15 рабочих дней",
        "description": "Сведения о пенсии и стаже — межведомственным запросом, без справок "
        "от заявителя; новый административный регламент.",
        "agency": "social",
        "person": "Кузнецова Ольга Николаевна (демо)",
        "overseer": "social",
        "starts_on": date(2024, 7, 1),
        "due_on": date(2024, 12, 31),
        "status": ItemStatus.DONE,
        "kpis": [("veteran_truda_orb", None, "processing_median", Comparison.AT_MOST, "15")],
        "evidence": [
            (
                "Административный регламент (приказ от 17.10.2024 № 668)",
                "https://base.garant.ru/410561222/5ac206a89ea76855804609cd950fcaf7",
            )
        ],
    },
    {
        "number": "2.1",
        "title": "Назначить кураторов массовых социально значимых услуг и опубликовать их контакты",
        "description": "Куратор каждой услуги указан на её странице в каталоге.",
        "agency": "social",
        "person": "Кузнецова Ольга Николаевна (демо)",
        "overseer": "chair",
        "starts_on": date(2025, 9, 1),
        "due_on": date(2025, 12, 31),
        "status": ItemStatus.DONE,
        "kpis": [],
        "evidence": [],
    },
    {
        "number": "2.2",
        "title": "Решать дела министерства социального развития в срок не менее чем в 95 % случаев",
        "description": "Очередь дел по сроку, предупреждения о риске просрочки, кураторы услуг.",
        "agency": "social",
        "person": "Кузнецова Ольга Николаевна (демо)",
        "overseer": "social",
        "starts_on": date(2025, 1, 1),
        "due_on": date(2027, 12, 31),
        "status": ItemStatus.IN_PROGRESS,
        "kpis": [(None, "social", "on_time_share", Comparison.AT_LEAST, "95")],
        "evidence": [],
    },
    {
        "number": "2.3",
        "title": "Обучить сотрудников МФЦ стандарту клиентоцентричного обслуживания",
        "description": "Курс для операторов всех офисов МФЦ области.",
        "agency": "mfc",
        "person": "Орлов Дмитрий Андреевич (демо)",
        "overseer": "mfc",
        "starts_on": date(2025, 3, 1),
        "due_on": date(2026, 6, 30),
        "status": ItemStatus.IN_PROGRESS,
        "kpis": [],
        "evidence": [],
    },
]

MEETING = (
    date(2023, 10, 17),
    "Первое заседание межведомственной рабочей группы (демо)",
    "Утверждён состав рабочей группы и порядок мониторинга дорожной карты. Определены "
    "услуги с наибольшими сроками и долей бумажных обращений.",
)
DECISIONS = [
    (
        "Подготовить предложения по сокращению срока аттестации педагогов",
        "education",
        date(2024, 3, 1),
        ItemStatus.DONE,
    ),
    (
        "Обеспечить межведомственные запросы по званию «Ветеран труда Оренбургской области»",
        "social",
        date(2024, 6, 30),
        ItemStatus.DONE,
    ),
    (
        "Представить ежеквартальный отчёт о показателях дорожной карты",
        "office",
        date(2027, 3, 31),
        ItemStatus.IN_PROGRESS,
    ),
]


@transaction.atomic
def load_demo() -> dict[str, int]:
    created = {"roadmaps": 0, "members": 0, "measures": 0, "kpis": 0, "meetings": 0, "decisions": 0}
    region = Region.objects.filter(code=REGION).first()
    if region is None:
        return created
    roadmap, new = Roadmap.objects.get_or_create(
        region=region,
        defaults={
            "title": TITLE,
            "act_title": "распоряжением Губернатора Оренбургской области",
            "act_number": "000-р (демо)",
            "act_date": date(2023, 10, 3),
            "group_created_on": date(2023, 10, 3),
        },
    )
    if new:
        created["roadmaps"] += 1
        record_event(actor=None, verb="roadmap.created", target=roadmap, data={"demo": True})
    agencies = {a.code.removesuffix(f"-{REGION}"): a for a in Agency.objects.filter(region=region)}
    members: dict[str, WorkingGroupMember] = {}
    for full_name, position, agency_key, role, mail, username in MEMBERS:
        members[mail], new = WorkingGroupMember.objects.get_or_create(
            roadmap=roadmap,
            full_name=full_name,
            defaults={
                "position": position,
                "agency": agencies.get(agency_key) if agency_key else None,
                "role": role,
                "email": f"roadmap-{mail}{DEMO}",
                "user": User.objects.filter(username=username).first() if username else None,
            },
        )
        created["members"] += new
    for spec in MEASURES:
        measure, new = Measure.objects.get_or_create(
            roadmap=roadmap,
            number=spec["number"],
            defaults={
                "title": spec["title"],
                "description": spec["description"],
                "responsible_agency": agencies[spec["agency"]],
                "responsible_person": spec["person"],
                "responsible_email": f"roadmap-{spec['agency']}{DEMO}",
                "overseer": members[spec["overseer"]],
                "starts_on": spec["starts_on"],
                "due_on": spec["due_on"],
                "status": spec["status"],
                "completed_on": spec["due_on"] if spec["status"] == ItemStatus.DONE else None,
            },
        )
        created["measures"] += new
        for title, url in spec["evidence"]:
            Evidence.objects.get_or_create(measure=measure, title=title, defaults={"url": url})
        for service_code, agency_key, metric, comparison, target in spec["kpis"]:
            service = (
                Service.objects.filter(region=region, code=service_code).first()
                if service_code
                else None
            )
            agency = agencies.get(agency_key) if agency_key else None
            if service is None and agency is None:
                continue
            kpi, new = Kpi.objects.get_or_create(
                measure=measure,
                metric=metric,
                service=service,
                agency=agency,
                defaults={
                    "baseline_from": BASELINE[0],
                    "baseline_to": BASELINE[1],
                    "current_from": CURRENT_FROM,
                    "comparison": comparison,
                    "target": Decimal(target),
                },
            )
            created["kpis"] += new
            services.record_baseline(kpi)
    held_on, title, minutes = MEETING
    meeting, new = Meeting.objects.get_or_create(
        roadmap=roadmap, held_on=held_on, title=title, defaults={"minutes": minutes}
    )
    created["meetings"] += new
    for text, assignee, due_on, status in DECISIONS:
        _decision, new = Decision.objects.get_or_create(
            meeting=meeting,
            text=text,
            defaults={
                "assignee": members[assignee],
                "due_on": due_on,
                "status": status,
                "completed_on": due_on if status == ItemStatus.DONE else None,
            },
        )
        created["decisions"] += new
    return created
