"""The demo region: three real regions with their agencies, services and invented curators.

Service names, terms, documents and results come from `data/services.csv` (real, sourced). What the
file lacks for a usable demo is stated here: which agency provides each service in each region, the
English names, the channels and the split of documents into those the applicant brings and those the
agency obtains itself. Curators are invented people (`is_demo`); agency contacts are placeholders.

`load_demo()` only creates what is missing, so running it twice changes nothing.
"""

import csv
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

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
from uslugi.catalogue.services import refresh_search_text
from uslugi.core.services import record_event

SERVICES_CSV = Path(__file__).parent / "data" / "services.csv"
STANDARDS_START = date(2025, 1, 1)

REGIONS = [
    ("56", "Оренбургская область", "Orenburg Oblast", "Asia/Yekaterinburg", "Оренбург", "3532"),
    ("16", "Республика Татарстан", "Republic of Tatarstan", "Europe/Moscow", "Казань", "843"),
    (
        "02",
        "Республика Башкортостан",
        "Republic of Bashkortostan",
        "Asia/Yekaterinburg",
        "Уфа",
        "347",
    ),
]

# Agency roles, each region fills them with its own body. (key, level, names by region code)
AGENCIES: dict[str, tuple[str, dict[str, tuple[str, str, str]]]] = {
    "social": (
        Level.REGIONAL,
        {
            "56": (
                "Министерство социального развития Оренбургской области",
                "Минсоцразвития",
                "Ministry of Social Development of Orenburg Oblast",
            ),
            "16": (
                "Министерство труда, занятости и социальной защиты Республики Татарстан",
                "Минтруд РТ",
                "Ministry of Labour, Employment and Social Protection of Tatarstan",
            ),
            "02": (
                "Министерство семьи, труда и социальной защиты населения Республики Башкортостан",
                "Минсемьитруд РБ",
                "Ministry of Family, Labour and Social Protection of Bashkortostan",
            ),
        },
    ),
    "education": (
        Level.REGIONAL,
        {
            "56": (
                "Министерство образования Оренбургской области",
                "Минобр",
                "Ministry of Education of Orenburg Oblast",
            ),
            "16": (
                "Министерство образования и науки Республики Татарстан",
                "Минобрнауки РТ",
                "Ministry of Education and Science of Tatarstan",
            ),
            "02": (
                "Министерство просвещения Республики Башкортостан",
                "Минпросвещения РБ",
                "Ministry of Education of Bashkortostan",
            ),
        },
    ),
    "city": (
        Level.MUNICIPAL,
        {
            "56": (
                "Администрация города Оренбурга",
                "Администрация г. Оренбурга",
                "Orenburg City Administration",
            ),
            "16": (
                "Исполнительный комитет муниципального образования города Казани",
                "Исполком г. Казани",
                "Kazan City Executive Committee",
            ),
            "02": (
                "Администрация городского округа город Уфа",
                "Администрация г. Уфы",
                "Ufa City Administration",
            ),
        },
    ),
    "sfr": (
        Level.FEDERAL,
        {
            "56": (
                "Отделение Социального фонда России по Оренбургской области",
                "ОСФР по Оренбургской области",
                "Social Fund of Russia, Orenburg office",
            ),
            "16": (
                "Отделение Социального фонда России по Республике Татарстан",
                "ОСФР по РТ",
                "Social Fund of Russia, Tatarstan office",
            ),
            "02": (
                "Отделение Социального фонда России по Республике Башкортостан",
                "ОСФР по РБ",
                "Social Fund of Russia, Bashkortostan office",
            ),
        },
    ),
    "fns": (
        Level.FEDERAL,
        {
            "56": (
                "Управление ФНС России по Оренбургской области",
                "УФНС по Оренбургской области",
                "Federal Tax Service, Orenburg office",
            ),
            "16": (
                "Управление ФНС России по Республике Татарстан",
                "УФНС по РТ",
                "Federal Tax Service, Tatarstan office",
            ),
            "02": (
                "Управление ФНС России по Республике Башкортостан",
                "УФНС по РБ",
                "Federal Tax Service, Bashkortostan office",
            ),
        },
    ),
    "mvd": (
        Level.FEDERAL,
        {
            "56": (
                "Управление по вопросам миграции УМВД России по Оренбургской области",
                "УВМ УМВД",
                "Migration Department of the Ministry of Internal Affairs, Orenburg",
            ),
            "16": (
                "Управление по вопросам миграции МВД по Республике Татарстан",
                "УВМ МВД по РТ",
                "Migration Department of the Ministry of Internal Affairs, Tatarstan",
            ),
            "02": (
                "Управление по вопросам миграции МВД по Республике Башкортостан",
                "УВМ МВД по РБ",
                "Migration Department of the Ministry of Internal Affairs, Bashkortostan",
            ),
        },
    ),
    "zags": (
        Level.REGIONAL,
        {
            "56": (
                "Комитет по делам ЗАГС Оренбургской области",
                "Комитет ЗАГС",
                "Civil Registry Committee of Orenburg Oblast",
            ),
            "16": (
                "Управление ЗАГС Кабинета Министров Республики Татарстан",
                "Управление ЗАГС РТ",
                "Civil Registry Office of Tatarstan",
            ),
            "02": (
                "Государственный комитет Республики Башкортостан по делам юстиции",
                "Госкомюстиции РБ",
                "State Justice Committee of Bashkortostan",
            ),
        },
    ),
    "housing": (
        Level.REGIONAL,
        {
            "56": (
                "Государственная жилищная инспекция по Оренбургской области",
                "ГЖИ",
                "State Housing Inspectorate of Orenburg Oblast",
            ),
            "16": (
                "Государственная жилищная инспекция Республики Татарстан",
                "ГЖИ РТ",
                "State Housing Inspectorate of Tatarstan",
            ),
            "02": (
                "Государственный комитет Республики Башкортостан по жилищному и строительному надзору",
                "Госкомитет РБ по жилищному надзору",
                "State Housing and Construction Supervision Committee of Bashkortostan",
            ),
        },
    ),
    "mfc": (
        Level.REGIONAL,
        {
            "56": ("МФЦ Оренбургской области", "МФЦ", "Multifunctional Centre of Orenburg Oblast"),
            "16": (
                "Многофункциональный центр предоставления государственных и муниципальных услуг Республики Татарстан",
                "МФЦ РТ",
                "Multifunctional Centre of Tatarstan",
            ),
            "02": (
                "Республиканский многофункциональный центр Республики Башкортостан",
                "РГАУ МФЦ",
                "Multifunctional Centre of Bashkortostan",
            ),
        },
    ),
}


@dataclass(frozen=True)
class ServiceSpec:
    """What a demo service adds to its row in `services.csv`."""

    agency: str
    name_en: str
    kind: ServiceKind = ServiceKind.SERVICE
    applicant_documents: list[str] = field(default_factory=list)
    interagency_documents: list[str] = field(default_factory=list)
    portal: bool = True
    mfc: bool = True
    in_person: bool = True
    mail: bool = False
    max_visits: int = 1
    proactive: bool = False
    electronic_result: bool = False
    regions: tuple[str, ...] = ("56", "16", "02")
    level: Level | None = None  # for rows whose level in the file is "all"


SERVICES: dict[str, ServiceSpec] = {
    "veteran_truda_orb": ServiceSpec(
        "social",
        "Conferring the title “Veteran of Labour of Orenburg Oblast”",
        applicant_documents=[
            "Заявление",
            "Документ о трудовой деятельности на территории области (если работодатель вне области)",
            "Сведения об участии в народной дружине (для дружинников)",
            "Награды области (по категории)",
        ],
        interagency_documents=["Документ о назначении пенсии"],
        mail=True,
        regions=("56",),
    ),
    "veteran_truda_fed": ServiceSpec(
        "social",
        "Conferring the title “Veteran of Labour”",
        applicant_documents=[
            "Паспорт",
            "Документы о награждении (ордена, медали, почётные звания, ведомственные знаки отличия)",
        ],
        interagency_documents=["Документы о стаже не менее 25 лет (мужчины) / 20 лет (женщины)"],
        mail=True,
    ),
    "attest_ped": ServiceSpec(
        "education",
        "Attestation of teachers for a qualification category",
        applicant_documents=[
            "Заявление",
            "Материалы о профессиональных достижениях",
            "Ходатайство работодателя (для категорий «педагог-методист» и «педагог-наставник»)",
        ],
        mail=True,
        max_visits=0,
        electronic_result=True,
    ),
    "razr_stroit": ServiceSpec(
        "city",
        "Building permit",
        applicant_documents=["Заявление", "Проектная документация (ч. 7 ст. 51 ГрК РФ)"],
        interagency_documents=[
            "Правоустанавливающие документы на земельный участок",
            "Градостроительный план земельного участка",
        ],
        electronic_result=True,
    ),
    "vvod_expl": ServiceSpec(
        "city",
        "Permit to put a building into operation",
        applicant_documents=["Заявление", "Документы по ст. 55 ГрК РФ"],
        interagency_documents=["Разрешение на строительство"],
        electronic_result=True,
    ),
    "gpzu": ServiceSpec(
        "city",
        "Urban planning plan of a land plot",
        applicant_documents=["Заявление правообладателя земельного участка"],
        interagency_documents=["Выписка из ЕГРН о земельном участке"],
        in_person=False,
        max_visits=0,
        electronic_result=True,
    ),
    "uved_izhs": ServiceSpec(
        "city",
        "Notice of planned construction of a private house",
        applicant_documents=[
            "Уведомление о планируемом строительстве",
            "Сведения о земельном участке и параметрах объекта",
        ],
        interagency_documents=["Выписка из ЕГРН о земельном участке"],
        max_visits=0,
        electronic_result=True,
    ),
    "pereplan": ServiceSpec(
        "city",
        "Approval of the redevelopment of a flat",
        applicant_documents=["Заявление", "Проект переустройства или перепланировки"],
        interagency_documents=[
            "Правоустанавливающие документы на помещение",
            "Технический паспорт помещения",
        ],
        mail=True,
    ),
    "address": ServiceSpec(
        "city",
        "Assigning or cancelling an address",
        applicant_documents=["Заявление (форма Минфина России)"],
        interagency_documents=["Выписка из ЕГРН об объекте адресации"],
        max_visits=0,
        electronic_result=True,
    ),
    "dou": ServiceSpec(
        "city",
        "Kindergarten waiting list and enrolment",
        applicant_documents=[
            "Заявление",
            "Документ, удостоверяющий личность родителя",
            "Свидетельство о рождении ребёнка",
        ],
        interagency_documents=["Сведения о регистрации ребёнка по месту жительства"],
        max_visits=1,
        electronic_result=True,
    ),
    "school_1": ServiceSpec(
        "education",
        "Enrolment in the first grade of a school",
        applicant_documents=[
            "Заявление о приёме",
            "Паспорт родителя",
            "Свидетельство о рождении ребёнка",
            "Документ о регистрации на закреплённой территории",
        ],
        mfc=False,
        mail=True,
        max_visits=1,
    ),
    "dop_obr": ServiceSpec(
        "education",
        "Enrolment in a supplementary education programme",
        applicant_documents=["Заявление (выбор программы)"],
        mfc=False,
        max_visits=1,
        electronic_result=True,
    ),
    "lager": ServiceSpec(
        "social",
        "Voucher to a children's holiday camp",
        applicant_documents=["Заявление", "Документы о категории ребёнка"],
        interagency_documents=["Сведения о регистрации ребёнка по месту жительства"],
    ),
    "ediny_posobie": ServiceSpec(
        "sfr",
        "Unified allowance for the birth and upbringing of a child",
        kind=ServiceKind.SUPPORT_MEASURE,
        applicant_documents=[
            "Заявление",
            "Документы об уважительных причинах отсутствия дохода (при необходимости)",
        ],
        interagency_documents=[
            "Сведения о доходах семьи",
            "Сведения об имуществе семьи",
            "Сведения о рождении детей",
        ],
        max_visits=0,
        electronic_result=True,
    ),
    "matcap_cert": ServiceSpec(
        "sfr",
        "Maternity (family) capital certificate",
        kind=ServiceKind.SUPPORT_MEASURE,
        applicant_documents=[],
        interagency_documents=[
            "Сведения о государственной регистрации рождения",
            "Паспортные данные матери",
            "СНИЛС ребёнка",
        ],
        mfc=True,
        in_person=True,
        max_visits=0,
        proactive=True,
        electronic_result=True,
    ),
    "matcap_rasp": ServiceSpec(
        "sfr",
        "Using maternity capital",
        kind=ServiceKind.SUPPORT_MEASURE,
        applicant_documents=["Заявление о распоряжении", "Документы по выбранному направлению"],
        interagency_documents=["Сведения о сертификате на материнский капитал"],
        max_visits=0,
        electronic_result=True,
    ),
    "posobie_rozhd": ServiceSpec(
        "sfr",
        "One-off birth allowance for non-working parents",
        kind=ServiceKind.SUPPORT_MEASURE,
        applicant_documents=["Заявление (не позднее 6 месяцев со дня рождения)"],
        interagency_documents=[
            "Сведения о рождении ребёнка",
            "Сведения о том, что родители не работают",
        ],
        max_visits=0,
        electronic_result=True,
    ),
    "pensiya_star": ServiceSpec(
        "sfr",
        "Old-age insurance pension",
        kind=ServiceKind.SUPPORT_MEASURE,
        applicant_documents=["Заявление", "Недостающие документы о стаже (если их нет в системе)"],
        interagency_documents=["Сведения индивидуального (персонифицированного) учёта"],
        mail=True,
        max_visits=0,
        electronic_result=True,
    ),
    "subsidy_zku": ServiceSpec(
        "social",
        "Subsidy for housing and utility costs",
        kind=ServiceKind.SUPPORT_MEASURE,
        applicant_documents=[
            "Заявление",
            "Сведения о доходах членов семьи",
            "Документы о расходах на ЖКУ",
        ],
        interagency_documents=[
            "Сведения о составе семьи",
            "Сведения о регистрации по месту жительства",
        ],
    ),
    "edv_child_invalid": ServiceSpec(
        "social",
        "Monthly payment to a non-working parent caring for a disabled child",
        kind=ServiceKind.SUPPORT_MEASURE,
        applicant_documents=["Заявление"],
        interagency_documents=[
            "Сведения об инвалидности ребёнка",
            "Сведения о трудовой деятельности родителя",
        ],
        max_visits=0,
        electronic_result=True,
    ),
    "mnogodet_udost": ServiceSpec(
        "social",
        "Large family certificate",
        kind=ServiceKind.SUPPORT_MEASURE,
        applicant_documents=["Заявление", "Документы, удостоверяющие личность родителей"],
        interagency_documents=["Свидетельства о рождении детей"],
    ),
    "zemlya_lgot": ServiceSpec(
        "city",
        "Registration for a free land plot",
        kind=ServiceKind.SUPPORT_MEASURE,
        applicant_documents=["Заявление", "Документы о праве на льготу"],
        mail=True,
    ),
    "nuzhd_zhil": ServiceSpec(
        "city",
        "Registration of citizens in need of housing",
        applicant_documents=["Заявление", "Документы по ч. 4 ст. 52 ЖК РФ"],
        interagency_documents=["Выписка из ЕГРН о правах на жилые помещения"],
        mail=True,
    ),
    "reg_rozhd": ServiceSpec(
        "zags",
        "State registration of a birth",
        applicant_documents=[
            "Заявление",
            "Медицинское свидетельство о рождении",
            "Паспорта родителей",
            "Свидетельство о браке (при наличии)",
        ],
        mfc=True,
        max_visits=1,
    ),
    "passport_rf": ServiceSpec(
        "mvd",
        "Issue or replacement of the Russian passport",
        applicant_documents=[
            "Заявление по форме 1П",
            "Свидетельство о рождении (при первичном получении)",
            "Фотографии",
            "Квитанция об уплате госпошлины",
        ],
        max_visits=2,
    ),
    "zagran": ServiceSpec(
        "mvd",
        "International passport",
        applicant_documents=["Заявление", "Фотография"],
        max_visits=2,
    ),
    "reg_ip": ServiceSpec(
        "fns",
        "Registration as an individual entrepreneur",
        applicant_documents=["Заявление по форме Р21001", "Паспорт"],
        mail=True,
        max_visits=0,
        electronic_result=True,
    ),
    "reg_mesto": ServiceSpec(
        "mvd",
        "Registration at the place of residence",
        applicant_documents=["Заявление", "Паспорт", "Документ — основание для вселения"],
        max_visits=1,
    ),
    "edv_veteran_truda": ServiceSpec(
        "social",
        "Monthly cash payment to veterans of labour",
        kind=ServiceKind.SUPPORT_MEASURE,
        applicant_documents=["Заявление", "Удостоверение «Ветеран труда»"],
        interagency_documents=["Сведения о назначении пенсии"],
    ),
    "soc_contract": ServiceSpec(
        "social",
        "State social assistance under a social contract",
        kind=ServiceKind.SUPPORT_MEASURE,
        applicant_documents=[
            "Паспорт",
            "Бизнес-план (для открытия своего дела)",
            "Сведения о доходах за 3 месяца",
        ],
        interagency_documents=[
            "СНИЛС",
            "Свидетельства о рождении детей",
            "Справка о составе семьи",
        ],
    ),
    "zhaloba_210fz": ServiceSpec(
        "city",
        "Pre-trial complaint (210-FZ)",
        applicant_documents=["Жалоба"],
        mail=True,
        max_visits=0,
        electronic_result=True,
        level=Level.REGIONAL,
    ),
    "obrashenie_59fz": ServiceSpec(
        "city",
        "Citizen's appeal (59-FZ)",
        applicant_documents=["Обращение"],
        mail=True,
        max_visits=0,
        electronic_result=True,
        level=Level.REGIONAL,
    ),
}

# Control functions (248-FZ): not in services.csv, so their facts and sources are stated here.
CONTROL_FUNCTIONS: list[dict[str, Any]] = [
    {
        "code": "prof_visit_housing",
        "name": "Профилактический визит в рамках регионального государственного жилищного контроля (надзора)",
        "name_en": "Preventive visit under regional housing control",
        "agency": "housing",
        "legal_basis": "Федеральный закон от 31.07.2020 № 248-ФЗ «О государственном контроле (надзоре) и муниципальном контроле в Российской Федерации», ст. 52",
        "result": "Консультирование контролируемого лица; профилактический визит не более одного рабочего дня",
        "term": 1,
        "term_kind": TermKind.WORKING,
        "applicant_documents": [
            "Заявление контролируемого лица о проведении профилактического визита"
        ],
        "source": "248-ФЗ ст. 52 ч. 10: срок проведения профилактического визита не может превышать один рабочий день",
    },
    {
        "code": "consult_housing",
        "name": "Консультирование контролируемых лиц по вопросам регионального жилищного контроля",
        "name_en": "Consultation on regional housing control",
        "agency": "housing",
        "legal_basis": "Федеральный закон от 31.07.2020 № 248-ФЗ, ст. 50",
        "result": "Устное или письменное разъяснение по вопросам контроля",
        "term": 30,
        "term_kind": TermKind.CALENDAR,
        "applicant_documents": ["Обращение за консультированием"],
        "source": "248-ФЗ ст. 50; письменный ответ — в сроки 59-ФЗ (30 дней)",
    },
]

# Regional variation of terms (BRIEF §4: the same service has different terms in different places).
REGIONAL_TERMS: dict[tuple[str, str], tuple[int, TermKind]] = {
    ("dou", "16"): (5, TermKind.WORKING),
    ("dou", "02"): (30, TermKind.CALENDAR),
    ("address", "16"): (22, TermKind.WORKING),
}

# The standard's history behind Orenburg's reported results («Орская газета»).
ORENBURG_HISTORY: dict[str, tuple[int, TermKind, date]] = {
    # code: (term before the reform, its kind, the day the reformed standard took effect)
    "veteran_truda_orb": (37, TermKind.WORKING, date(2024, 10, 17)),
    "attest_ped": (90, TermKind.CALENDAR, date(2025, 3, 1)),
}
ORENBURG_REFORMED_TERMS = {"attest_ped": (45, TermKind.CALENDAR)}

CURATORS = {
    # (region, agency role): (last, first, middle, position, consents to photo)
    ("56", "social"): (
        "Демидова",
        "Анна",
        "Петровна",
        "Заместитель министра социального развития",
        True,
    ),
    ("56", "education"): (
        "Ковалёв",
        "Игорь",
        "Николаевич",
        "Начальник отдела аттестации педагогических кадров",
        True,
    ),
    ("56", "city"): (
        "Сафина",
        "Лилия",
        "Рашидовна",
        "Заместитель главы администрации города",
        False,
    ),
    ("56", "sfr"): ("Горелов", "Павел", "Андреевич", "Заместитель управляющего отделением", True),
    ("56", "fns"): ("Лаптева", "Ольга", "Викторовна", "Начальник отдела регистрации", False),
    ("56", "mvd"): ("Бойко", "Сергей", "Иванович", "Заместитель начальника управления", False),
    ("56", "zags"): ("Миронова", "Елена", "Алексеевна", "Заместитель председателя комитета", True),
    ("56", "housing"): ("Руденко", "Артём", "Олегович", "Заместитель начальника инспекции", False),
    ("16", "social"): ("Хабибуллина", "Алсу", "Рифатовна", "Заместитель министра", True),
    ("16", "education"): ("Гарипов", "Тимур", "Ильдарович", "Начальник управления", True),
    ("16", "city"): (
        "Зиннатуллин",
        "Марат",
        "Раилевич",
        "Заместитель руководителя исполкома",
        False,
    ),
    ("16", "sfr"): (
        "Садыкова",
        "Гульнара",
        "Фаридовна",
        "Заместитель управляющего отделением",
        True,
    ),
    ("16", "fns"): ("Валиев", "Руслан", "Ринатович", "Начальник отдела регистрации", False),
    ("16", "mvd"): ("Ахметов", "Дамир", "Маратович", "Заместитель начальника управления", False),
    ("16", "zags"): ("Нуриева", "Лейсан", "Айратовна", "Заместитель начальника управления", True),
    ("16", "housing"): ("Шарипов", "Айдар", "Ренатович", "Заместитель начальника инспекции", False),
    ("02", "social"): ("Юсупова", "Эльвира", "Расулевна", "Заместитель министра", True),
    ("02", "education"): ("Кириллов", "Денис", "Юрьевич", "Начальник отдела", False),
    ("02", "city"): ("Галиуллин", "Ринат", "Фанисович", "Заместитель главы администрации", True),
    ("02", "sfr"): (
        "Абдуллина",
        "Зарина",
        "Ильшатовна",
        "Заместитель управляющего отделением",
        True,
    ),
    ("02", "fns"): ("Исмагилов", "Азат", "Тагирович", "Начальник отдела регистрации", False),
    ("02", "mvd"): ("Латыпов", "Ильнур", "Робертович", "Заместитель начальника управления", False),
    ("02", "zags"): ("Валеева", "Регина", "Азатовна", "Заместитель председателя", True),
    ("02", "housing"): (
        "Мухаметов",
        "Эрик",
        "Салаватович",
        "Заместитель председателя госкомитета",
        False,
    ),
}


def _read_services() -> dict[str, dict[str, str]]:
    with SERVICES_CSV.open(encoding="utf-8") as source:
        return {row["code_hint"]: row for row in csv.DictReader(source)}


def _avatar(initials: str) -> bytes:
    """A plain portrait placeholder with the demo person's initials (no real photo exists)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (192, 192), (31, 78, 121))
    draw = ImageDraw.Draw(image)
    draw.ellipse((56, 28, 136, 108), fill=(220, 230, 240))
    draw.rectangle((36, 120, 156, 192), fill=(220, 230, 240))
    draw.text((10, 10), initials, fill=(255, 255, 255))
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _phone(area: str, suffix: int) -> str:
    return f"+7 ({area}) 00-{suffix:02d}-00"


@transaction.atomic
def load_demo() -> dict[str, int]:
    """Create whatever of the demo region is missing; return how many rows of each kind were added."""
    created = {
        "regions": 0,
        "agencies": 0,
        "institutions": 0,
        "services": 0,
        "standards": 0,
        "curators": 0,
    }
    rows = _read_services()
    for code, name, name_en, time_zone, city, area in REGIONS:
        region, new = Region.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "time_zone": time_zone}
        )
        created["regions"] += new
        agencies: dict[str, Agency] = {}
        for index, (key, (level, names)) in enumerate(AGENCIES.items(), start=1):
            full, short, english = names[code]
            agencies[key], new = Agency.objects.get_or_create(
                code=f"{key}-{code}",
                defaults={
                    "region": region,
                    "level": level,
                    "name": full,
                    "short_name": short,
                    "name_en": english,
                    "address": f"г. {city} (демо-адрес)",
                    "working_hours": "Пн–Чт 9:00–18:00, Пт 9:00–16:45",
                    "phone": _phone(area, index),
                    "email": f"{key}-{code}@demo.uslugi.invalid",
                    "description": "Контакты демонстрационные.",
                },
            )
            created["agencies"] += new
        mfc_office, new = Institution.objects.get_or_create(
            code=f"mfc-{code}-central",
            defaults={
                "agency": agencies["mfc"],
                "name": f"МФЦ — центральный офис, г. {city}",
                "name_en": "MFC central office",
                "kind": "офис МФЦ",
                "address": f"г. {city} (демо-адрес)",
                "working_hours": "Пн–Сб 8:00–20:00",
                "phone": _phone(area, 90),
            },
        )
        created["institutions"] += new
        curators = _load_curators(region, agencies, created)
        for service_code, spec in SERVICES.items():
            if code not in spec.regions:
                continue
            row = rows[service_code]
            service = _load_service(region, agencies[spec.agency], service_code, spec, row, created)
            if spec.mfc:
                service.institutions.add(mfc_office)
            _assign(service, curators.get(spec.agency))
        for function in CONTROL_FUNCTIONS:
            service = _load_control_function(
                region, agencies[function["agency"]], function, created
            )
            _assign(service, curators.get(function["agency"]))
    if any(created.values()):
        record_event(
            actor=None, verb="demo.loaded", target=Region.objects.get(code="56"), data=created
        )
    return created


def _load_curators(
    region: Region, agencies: dict[str, Agency], created: dict[str, int]
) -> dict[str, Curator]:
    curators = {}
    for (region_code, agency_key), (last, first, middle, position, consent) in CURATORS.items():
        if region_code != region.code:
            continue
        agency = agencies[agency_key]
        curator, new = Curator.objects.get_or_create(
            agency=agency,
            last_name=last,
            first_name=first,
            defaults={
                "middle_name": middle,
                "position": position,
                "responsibilities": (
                    "Качество и сроки услуг ведомства, работа с отзывами и жалобами заявителей, "
                    "устранение системных сбоев"
                ),
                "email": f"curator.{agency.code}@demo.uslugi.invalid",
                "phone": agency.phone,
                "reception_hours": "Вт 14:00–17:00 (по записи)",
                "photo_consent": consent,
                "is_demo": True,
            },
        )
        if new and consent:
            curator.photo.save(
                f"{agency.code}.png", ContentFile(_avatar(first[0] + last[0])), save=True
            )
        created["curators"] += new
        curators[agency_key] = curator
    return curators


def _assign(service: Service, curator: Curator | None) -> None:
    if curator and not service.curatorships.exists():
        CuratorAssignment.objects.create(
            service=service, curator=curator, starts_on=STANDARDS_START
        )


def _load_service(
    region: Region,
    agency: Agency,
    code: str,
    spec: ServiceSpec,
    row: dict[str, str],
    created: dict[str, int],
) -> Service:
    level = spec.level or Level(row["level"])
    service, new = Service.objects.get_or_create(
        region=region,
        code=code,
        defaults={
            "name": row["name_ru"],
            "name_en": spec.name_en,
            "kind": spec.kind,
            "level": level,
            "agency": agency,
            "result": row["result"],
            "legal_basis": "",
            "source": row["source"],
        },
    )
    if not new:
        return service
    created["services"] += 1
    refresh_search_text(service)
    term = int(row["max_term_days"]) if row["max_term_days"] else None
    kind = TermKind(row["term_kind"]) if row["term_kind"] else TermKind.WORKING
    if (code, region.code) in REGIONAL_TERMS:
        term, kind = REGIONAL_TERMS[(code, region.code)]
    standard = {
        "term": term,
        "term_kind": kind,
        "applicant_documents": spec.applicant_documents,
        "interagency_documents": spec.interagency_documents,
        "max_visits": spec.max_visits,
        "channel_portal": spec.portal,
        "channel_mfc": spec.mfc,
        "channel_in_person": spec.in_person,
        "channel_mail": spec.mail,
        "proactive": spec.proactive,
        "electronic_result": spec.electronic_result,
        "source": row["source"],
    }
    history = ORENBURG_HISTORY.get(code) if region.code == "56" else None
    if history:
        old_term, old_kind, reform_day = history
        QualityStandard.objects.create(
            service=service,
            version=1,
            valid_from=date(2024, 1, 1),
            valid_to=date.fromordinal(reform_day.toordinal() - 1),
            **{**standard, "term": old_term, "term_kind": old_kind, "channel_portal": False},
        )
        new_term, new_kind = ORENBURG_REFORMED_TERMS.get(code, (term, kind))
        QualityStandard.objects.create(
            service=service,
            version=2,
            valid_from=reform_day,
            **{**standard, "term": new_term, "term_kind": new_kind},
        )
        created["standards"] += 2
    else:
        QualityStandard.objects.create(
            service=service, version=1, valid_from=STANDARDS_START, **standard
        )
        created["standards"] += 1
    return service


def _load_control_function(
    region: Region,
    agency: Agency,
    function: dict,
    created: dict[str, int],
) -> Service:
    service, new = Service.objects.get_or_create(
        region=region,
        code=function["code"],
        defaults={
            "name": function["name"],
            "name_en": function["name_en"],
            "kind": ServiceKind.CONTROL_FUNCTION,
            "level": Level.REGIONAL,
            "agency": agency,
            "legal_basis": function["legal_basis"],
            "result": function["result"],
            "source": function["source"],
        },
    )
    if new:
        created["services"] += 1
        refresh_search_text(service)
        QualityStandard.objects.create(
            service=service,
            version=1,
            valid_from=STANDARDS_START,
            term=function["term"],
            term_kind=function["term_kind"],
            applicant_documents=function["applicant_documents"],
            max_visits=0,
            channel_portal=True,
            channel_mfc=False,
            channel_in_person=True,
            channel_mail=True,
            electronic_result=True,
            source=function["source"],
        )
        created["standards"] += 1
    return service
