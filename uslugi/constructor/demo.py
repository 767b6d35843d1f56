"""Demo federal templates and their published regional variants for regions 56, 16 and 02.

Ten services and one control function from the catalogue's sourced data; five of the services
make up the life situations (birth of a child, opening a business). The templates'
standards follow the sourced terms (`catalogue/data/services.csv`); where the source gives no federal term (the «Ветеран труда»
title, birth registration), the bound is the demo's own and says so in the template's description. Variants differ in
term, agency, curator and one local block each. `load_demo()` creates only what is missing.
"""

from datetime import date
from typing import Any

from django.db import transaction

from uslugi.catalogue import selectors as catalogue_selectors
from uslugi.catalogue.models import Region
from uslugi.constructor import services
from uslugi.constructor.models import FederalTemplate

START = date(2025, 1, 1)
Block = dict[str, Any]


def section(key: str, title: str, *, binding: str = "locked") -> Block:
    return {
        "key": key,
        "kind": "section",
        "label": title,
        "binding": binding,
        "config": {"title": title},
    }


def field(
    key: str,
    kind: str,
    label: str,
    *,
    required: bool = True,
    condition: str = "",
    help: str = "",
    config: dict[str, Any] | None = None,
    binding: str = "locked",
    bounds: dict[str, Any] | None = None,
    overridable: tuple[str, ...] = ("label", "help"),
) -> Block:
    block: Block = {
        "key": key,
        "kind": kind,
        "label": label,
        "help": help,
        "required": required,
        "condition": condition,
        "binding": binding,
        "overridable": list(overridable) if binding == "locked" else [],
        "config": config or {},
    }
    if binding == "parameter":
        block["bounds"] = bounds or {}
    return block


def info(key: str, text: str, *, binding: str = "locked") -> Block:
    return {"key": key, "kind": "info", "label": "", "binding": binding, "config": {"text": text}}


def document(key: str, title: str, provider: str, *, condition: str = "") -> Block:
    return {
        "key": key,
        "kind": "document",
        "label": title,
        "condition": condition,
        "binding": "locked",
        "config": {"title": title, "document_type": key, "provider": provider},
    }


def step(key: str, name: str, role: str, share: int) -> Block:
    return {
        "key": key,
        "kind": "step",
        "label": name,
        "binding": "locked",
        "config": {"name": name, "role": role, "share": share},
    }


def result(document_type: str, *, electronic: bool) -> Block:
    return {
        "key": "result",
        "kind": "result",
        "label": document_type,
        "binding": "locked",
        "config": {
            "document_type": "decision",
            "electronic": electronic,
            "template": "<h1>{{ result_title }}</h1><p>{{ applicant_name }}</p><p>{{ decision }}</p>",
        },
    }


def notification(status: str, text: str) -> Block:
    return {
        "key": f"notify_{status}",
        "kind": "notification",
        "label": text,
        "binding": "locked",
        "config": {"status": status, "text": text},
    }


def applicant_blocks() -> list[Block]:
    return [
        section("applicant", "Заявитель"),
        field("last_name", "text", "Фамилия"),
        field("first_name", "text", "Имя"),
        field("middle_name", "text", "Отчество", required=False, help="Если есть"),
        field("birth_date", "date", "Дата рождения", config={"max": "today"}),
        field("snils", "snils", "СНИЛС", help="11 цифр, например 112-233-445 95"),
        field("phone", "phone", "Телефон"),
        field("email", "email", "Электронная почта", required=False),
        field("address", "address", "Адрес регистрации"),
    ]


def common_tail(*, electronic: bool, result_name: str) -> list[Block]:
    return [
        step("reception", "Приём и регистрация заявления", "official", 10),
        step("review", "Рассмотрение документов и межведомственные запросы", "official", 60),
        step("decision", "Принятие решения", "official", 30),
        result(result_name, electronic=electronic),
        notification("registered", "Заявление зарегистрировано."),
        notification("decided", "По заявлению принято решение."),
    ]


def local_section() -> Block:
    return section("regional", "Региональные сведения", binding="extension_point")


TEMPLATES: list[dict[str, Any]] = [
    {
        "code": "veteran_truda_fed",
        "name": "Присвоение звания «Ветеран труда»",
        "description": (
            "Федеральное звание, региональная процедура. Федеральный акт не устанавливает срок; "
            "граница 15 рабочих дней — демонстрационная."
        ),
        "standard": {
            "max_term": 15,
            "term_kind": "working",
            "max_applicant_documents": 3,
            "max_visits": 1,
            "required_channels": ["portal", "mfc"],
            "proactive": False,
        },
        "blocks": [
            *applicant_blocks(),
            section("grounds", "Основания"),
            field(
                "award_kind",
                "single_choice",
                "Основание для присвоения звания",
                config={
                    "options": [
                        {"value": "order", "label": "Орден или медаль СССР или России"},
                        {"value": "title", "label": "Почётное звание СССР или России"},
                        {"value": "insignia", "label": "Ведомственный знак отличия в труде"},
                    ],
                    "widget": "radio",
                },
                overridable=("label", "help", "options"),
            ),
            field(
                "work_years",
                "number",
                "Трудовой стаж, полных лет",
                config={"integer": True, "min": 0, "max": 80},
            ),
            local_section(),
            document("passport", "Паспорт", "applicant"),
            document("award_documents", "Документы о награждении", "applicant"),
            document("work_record", "Сведения о трудовом стаже", "agency"),
            *common_tail(electronic=False, result_name="Удостоверение ветерана труда"),
        ],
        "variants": {
            "56": {
                "term": 15,
                "local": [
                    field(
                        "druzhina",
                        "yes_no",
                        "Участвовали в народной дружине?",
                        binding="local",
                        overridable=(),
                    )
                ],
            },
            "16": {
                "term": 10,
                "local": [
                    field(
                        "award_number",
                        "text",
                        "Номер удостоверения к награде",
                        binding="local",
                        overridable=(),
                        required=False,
                    )
                ],
            },
            "02": {
                "term": 12,
                "local": [
                    field(
                        "rb_award",
                        "yes_no",
                        "Есть награды Республики Башкортостан?",
                        binding="local",
                        overridable=(),
                    )
                ],
            },
        },
    },
    {
        "code": "attest_ped",
        "name": "Аттестация педагогических работников в целях установления квалификационной категории",
        "description": "30 календарных дней на рассмотрение заявления и не более 60 — на аттестацию.",
        "standard": {
            "max_term": 90,
            "term_kind": "calendar",
            "max_applicant_documents": 3,
            "max_visits": 0,
            "required_channels": ["portal"],
            "proactive": False,
        },
        "blocks": [
            *applicant_blocks(),
            section("position", "Должность и категория"),
            field("organisation_inn", "inn_organisation", "ИНН образовательной организации"),
            field("position_name", "text", "Должность"),
            field(
                "category",
                "profile_question",
                "На какую категорию вы претендуете?",
                config={
                    "options": [
                        {"value": "first", "label": "Первая"},
                        {"value": "highest", "label": "Высшая"},
                        {"value": "methodist", "label": "Педагог-методист"},
                        {"value": "mentor", "label": "Педагог-наставник"},
                    ]
                },
            ),
            field(
                "achievements",
                "long_text",
                "Профессиональные достижения",
                config={"max_length": 4000},
            ),
            {
                "key": "variant_basic",
                "kind": "variant",
                "label": "Первая или высшая категория",
                "binding": "locked",
                "condition": 'category in ["first", "highest"]',
                "config": {
                    "title": "Первая или высшая категория",
                    "term": 90,
                    "term_kind": "calendar",
                    "result": "Решение аттестационной комиссии",
                },
            },
            {
                "key": "variant_special",
                "kind": "variant",
                "label": "Педагог-методист или педагог-наставник",
                "binding": "locked",
                "condition": 'category in ["methodist", "mentor"]',
                "config": {
                    "title": "Педагог-методист или педагог-наставник",
                    "term": 90,
                    "term_kind": "calendar",
                    "result": "Решение аттестационной комиссии",
                },
            },
            local_section(),
            document("application", "Заявление", "applicant"),
            document("portfolio", "Материалы о профессиональных достижениях", "applicant"),
            document(
                "petition",
                "Ходатайство работодателя",
                "applicant",
                condition='category in ["methodist", "mentor"]',
            ),
            *common_tail(electronic=True, result_name="Решение аттестационной комиссии"),
        ],
        "variants": {
            "56": {
                "term": 45,
                "local": [
                    field(
                        "subject", "text", "Преподаваемый предмет", binding="local", overridable=()
                    )
                ],
            },
            "16": {
                "term": 60,
                "local": [
                    field(
                        "tatar_language",
                        "yes_no",
                        "Преподаёте на татарском языке?",
                        binding="local",
                        overridable=(),
                    )
                ],
            },
            "02": {
                "term": 90,
                "local": [
                    field(
                        "bashkir_language",
                        "yes_no",
                        "Преподаёте на башкирском языке?",
                        binding="local",
                        overridable=(),
                    )
                ],
            },
        },
    },
    {
        "code": "pensiya_star",
        "name": "Назначение страховой пенсии по старости",
        "description": "Срок может приостанавливаться до 3 месяцев, пока запрашиваются документы.",
        "standard": {
            "max_term": 10,
            "term_kind": "working",
            "max_applicant_documents": 2,
            "max_visits": 0,
            "required_channels": ["portal", "mfc"],
            "proactive": False,
        },
        "blocks": [
            *applicant_blocks(),
            section("pension", "Пенсия"),
            field(
                "delivery",
                "single_choice",
                "Как получать пенсию",
                config={
                    "options": [
                        {"value": "bank", "label": "На счёт в банке"},
                        {"value": "post", "label": "Через почтовое отделение"},
                    ],
                    "widget": "radio",
                },
            ),
            field(
                "bank_account",
                "text",
                "Номер счёта",
                condition='delivery == "bank"',
                config={"max_length": 20, "pattern": "[0-9]{20}"},
                help="20 цифр",
            ),
            field(
                "missing_work_records",
                "yes_no",
                "Есть периоды работы, которых нет в лицевом счёте?",
            ),
            field(
                "work_records",
                "file",
                "Документы о стаже",
                condition="missing_work_records",
                config={"allowed_types": [".pdf", ".jpg", ".png"], "max_size_mb": 10},
            ),
            local_section(),
            document("application", "Заявление", "applicant"),
            document(
                "work_documents",
                "Документы о стаже, которых нет в лицевом счёте",
                "applicant",
                condition="missing_work_records",
            ),
            document(
                "personal_account",
                "Сведения индивидуального (персонифицированного) учёта",
                "agency",
            ),
            *common_tail(electronic=True, result_name="Решение о назначении пенсии"),
        ],
        "variants": {
            "56": {
                "term": 10,
                "local": [
                    field(
                        "north_work",
                        "yes_no",
                        "Работали в районах Крайнего Севера?",
                        binding="local",
                        overridable=(),
                    )
                ],
            },
            "16": {
                "term": 10,
                "local": [
                    field(
                        "village_work",
                        "yes_no",
                        "Работали в сельском хозяйстве не менее 30 лет?",
                        binding="local",
                        overridable=(),
                    )
                ],
            },
            "02": {
                "term": 8,
                "local": [
                    field(
                        "dependants",
                        "number",
                        "Иждивенцев, человек",
                        binding="local",
                        overridable=(),
                        config={"integer": True, "min": 0, "max": 10},
                    )
                ],
            },
        },
    },
    {
        "code": "mnogodet_udost",
        "name": "Оформление и выдача удостоверения многодетной семьи",
        "description": "Семья с тремя и более детьми.",
        "standard": {
            "max_term": 10,
            "term_kind": "working",
            "max_applicant_documents": 2,
            "max_visits": 1,
            "required_channels": ["portal", "mfc"],
            "proactive": False,
        },
        "blocks": [
            *applicant_blocks(),
            section("family", "Семья"),
            {
                "key": "children",
                "kind": "group",
                "label": "Дети",
                "help": "Укажите всех детей",
                "required": True,
                "condition": "",
                "binding": "locked",
                "overridable": ["label", "help"],
                "config": {
                    "blocks": [
                        {
                            "key": "child_name",
                            "kind": "text",
                            "label": "ФИО ребёнка",
                            "required": True,
                            "config": {"max_length": 200},
                        },
                        {
                            "key": "child_birth_date",
                            "kind": "date",
                            "label": "Дата рождения",
                            "required": True,
                            "config": {"max": "today"},
                        },
                    ],
                    "min_items": 3,
                    "max_items": 15,
                    "item_label": "Ребёнок",
                },
            },
            local_section(),
            document("application", "Заявление", "applicant"),
            document("parents_id", "Документы, удостоверяющие личность родителей", "applicant"),
            document("birth_certificates", "Свидетельства о рождении детей", "agency"),
            *common_tail(electronic=False, result_name="Удостоверение многодетной семьи"),
        ],
        "variants": {
            "56": {
                "term": 10,
                "local": [
                    field(
                        "housing_queue",
                        "yes_no",
                        "Семья состоит на учёте нуждающихся в жилье?",
                        binding="local",
                        overridable=(),
                    )
                ],
            },
            "16": {
                "term": 7,
                "local": [
                    field(
                        "kazan_card",
                        "yes_no",
                        "Нужна транспортная карта многодетной семьи?",
                        binding="local",
                        overridable=(),
                    )
                ],
            },
            "02": {
                "term": 10,
                "local": [
                    field(
                        "land_plot",
                        "yes_no",
                        "Планируете получить земельный участок?",
                        binding="local",
                        overridable=(),
                    )
                ],
            },
        },
    },
    {
        "code": "ediny_posobie",
        "name": "Единое пособие в связи с рождением и воспитанием ребенка",
        "description": "Доходы и имущество семьи ведомство получает по межведомственным запросам.",
        "standard": {
            "max_term": 10,
            "term_kind": "working",
            "max_applicant_documents": 1,
            "max_visits": 0,
            "required_channels": ["portal", "mfc"],
            "proactive": False,
        },
        "blocks": [
            *applicant_blocks(),
            section("income", "Доходы"),
            field(
                "zero_income",
                "yes_no",
                "Были ли у взрослых членов семьи месяцы без дохода за последние 12 месяцев?",
            ),
            field(
                "zero_income_reason",
                "single_choice",
                "Уважительная причина отсутствия дохода",
                condition="zero_income",
                config={
                    "options": [
                        {"value": "child_care", "label": "Уход за ребёнком до 3 лет"},
                        {"value": "study", "label": "Очное обучение"},
                        {"value": "illness", "label": "Болезнь или инвалидность"},
                        {"value": "other", "label": "Другая"},
                    ],
                    "widget": "select",
                },
            ),
            local_section(),
            document("application", "Заявление", "applicant"),
            document(
                "reason_documents",
                "Документы об уважительной причине отсутствия дохода",
                "either",
                condition="zero_income",
            ),
            document("family_income", "Сведения о доходах семьи", "agency"),
            document("family_property", "Сведения об имуществе семьи", "agency"),
            *common_tail(electronic=True, result_name="Решение о назначении единого пособия"),
        ],
        "variants": {
            "56": {
                "term": 10,
                "local": [
                    info(
                        "orb_info",
                        binding="local",
                        text="В Оренбургской области заявление можно подать в любом офисе МФЦ.",
                    )
                ],
            },
            "16": {
                "term": 10,
                "local": [
                    info(
                        "rt_info",
                        binding="local",
                        text="Жители Татарстана могут получить консультацию по телефону горячей линии ОСФР.",
                    )
                ],
            },
            "02": {
                "term": 10,
                "local": [
                    info(
                        "rb_info",
                        binding="local",
                        text="В Башкортостане выплата приходит на карту «Мир».",
                    )
                ],
            },
        },
    },
]


CONTROL_FUNCTION = {
    "code": "prof_visit_housing",
    "name": "Профилактический визит в рамках регионального государственного жилищного контроля (надзора)",
    "description": (
        "Контрольно-надзорная функция: профилактический визит по заявлению контролируемого лица "
        "(248-ФЗ ст. 52). Срок рассмотрения заявления 10 рабочих дней — по ч. 12 ст. 52 в "
        "действующей редакции; сверьте с актуальным текстом закона."
    ),
    "standard": {
        "max_term": 10,
        "term_kind": "working",
        "max_applicant_documents": 1,
        "max_visits": 0,
        "required_channels": ["portal"],
        "proactive": False,
    },
    "blocks": [
        section("controlled_person", "Контролируемое лицо"),
        field("organisation_name", "text", "Наименование организации или ФИО"),
        field(
            "organisation_inn",
            "inn_organisation",
            "ИНН организации",
            required=False,
            help="Для организаций",
        ),
        field("phone", "phone", "Телефон"),
        field("email", "email", "Электронная почта", required=False),
        section("visit", "Визит"),
        field("object_address", "address", "Адрес объекта контроля"),
        field(
            "visit_format",
            "single_choice",
            "Формат визита",
            config={
                "options": [
                    {"value": "on_site", "label": "На месте"},
                    {"value": "video", "label": "По видео-конференц-связи"},
                ],
                "widget": "radio",
            },
        ),
        field(
            "questions",
            "long_text",
            "Вопросы, которые вы хотите обсудить",
            config={"max_length": 4000},
        ),
        local_section(),
        document("visit_request", "Заявление о проведении профилактического визита", "applicant"),
        document("egrul_extract", "Сведения из ЕГРЮЛ", "agency"),
        step("reception", "Регистрация заявления", "official", 10),
        step("decision", "Решение о проведении визита", "official", 90),
        result("Решение о проведении профилактического визита", electronic=True),
        notification("registered", "Заявление зарегистрировано."),
        notification("decided", "По заявлению принято решение."),
    ],
    "variants": {
        "56": {
            "term": 10,
            "local": [
                field(
                    "mkd_count",
                    "number",
                    "Многоквартирных домов в управлении",
                    binding="local",
                    overridable=(),
                    config={"integer": True, "min": 0, "max": 10000},
                    required=False,
                )
            ],
        },
        "16": {
            "term": 7,
            "local": [
                field(
                    "license_number",
                    "text",
                    "Номер лицензии на управление МКД",
                    binding="local",
                    overridable=(),
                    required=False,
                )
            ],
        },
        "02": {
            "term": 10,
            "local": [
                info(
                    "rb_visit_info",
                    binding="local",
                    text="Визит по видео-конференц-связи проводится в течение одного рабочего дня.",
                )
            ],
        },
    },
}
TEMPLATES.append(CONTROL_FUNCTION)


# Services of the life situations (issue 6): «Рождение ребёнка», «Открытие бизнеса». The child's
# facts share their keys across the services (child_last_name, child_first_name, child_middle_name,
# child_birth_date, child_sex, child_snils), and `parent_snils` is always the second parent's SNILS.


def child_blocks(*, middle_name: bool = True) -> list[Block]:
    blocks = [
        section("child", "Ребёнок"),
        field("child_last_name", "text", "Фамилия ребёнка"),
        field("child_first_name", "text", "Имя ребёнка"),
    ]
    if middle_name:
        blocks.append(
            field(
                "child_middle_name",
                "text",
                "Отчество ребёнка",
                required=False,
                help="Если есть",
            )
        )
    blocks.append(
        field("child_birth_date", "date", "Дата рождения ребёнка", config={"max": "today"})
    )
    return blocks


def local_yes_no(key: str, label: str) -> Block:
    return field(key, "yes_no", label, binding="local", overridable=())


LIFE_SITUATION_TEMPLATES: list[dict[str, Any]] = [
    {
        "code": "reg_rozhd",
        "name": "Государственная регистрация рождения",
        "description": (
            "Регистрация проводится в день обращения; федеральный срок в источнике не найден, "
            "граница 1 рабочий день — демонстрационная. Заявление подаётся не позднее месяца со "
            "дня рождения."
        ),
        "standard": {
            "max_term": 1,
            "term_kind": "working",
            "max_applicant_documents": 3,
            "max_visits": 1,
            "required_channels": ["portal", "mfc"],
            "proactive": False,
        },
        "blocks": [
            *applicant_blocks(),
            *child_blocks(),
            field(
                "child_sex",
                "single_choice",
                "Пол ребёнка",
                config={
                    "options": [
                        {"value": "male", "label": "Мужской"},
                        {"value": "female", "label": "Женский"},
                    ],
                    "widget": "radio",
                },
            ),
            field("child_birth_place", "text", "Место рождения ребёнка", help="Населённый пункт"),
            field(
                "medical_certificate_number",
                "text",
                "Номер медицинского свидетельства о рождении",
                config={"max_length": 30},
            ),
            section("parents", "Родители"),
            field(
                "parent_role",
                "single_choice",
                "Кем вы приходитесь ребёнку",
                config={
                    "options": [
                        {"value": "mother", "label": "Мать"},
                        {"value": "father", "label": "Отец"},
                    ],
                    "widget": "radio",
                },
            ),
            field("parents_married", "yes_no", "Родители состоят в браке?"),
            field(
                "other_parent_last_name",
                "text",
                "Фамилия второго родителя",
                condition="parents_married",
            ),
            field(
                "other_parent_first_name",
                "text",
                "Имя второго родителя",
                condition="parents_married",
            ),
            field(
                "other_parent_middle_name",
                "text",
                "Отчество второго родителя",
                required=False,
                condition="parents_married",
                help="Если есть",
            ),
            field(
                "parent_snils",
                "snils",
                "СНИЛС второго родителя",
                required=False,
                condition="parents_married",
                help="11 цифр, например 112-233-445 95",
            ),
            local_section(),
            document("application", "Заявление", "applicant"),
            document(
                "medical_birth_certificate", "Медицинское свидетельство о рождении", "applicant"
            ),
            document("parents_passports", "Паспорта родителей", "applicant"),
            document(
                "marriage_certificate",
                "Свидетельство о браке",
                "either",
                condition="parents_married",
            ),
            step("reception", "Приём заявления и документов", "official", 20),
            step("record", "Составление записи акта о рождении", "official", 60),
            step("issue", "Выдача свидетельства о рождении", "official", 20),
            result("Свидетельство о рождении", electronic=False),
            notification("registered", "Заявление зарегистрировано."),
            notification("decided", "Рождение зарегистрировано, свидетельство готово к выдаче."),
        ],
        "variants": {
            "56": {
                "term": 1,
                "local": [local_yes_no("solemn_registration", "Хотите торжественную регистрацию?")],
            },
            "16": {
                "term": 1,
                "local": [
                    local_yes_no("certificate_at_mfc", "Получить свидетельство о рождении в МФЦ?")
                ],
            },
            "02": {
                "term": 1,
                "local": [
                    info(
                        "rb_zags_info",
                        binding="local",
                        text="В Башкортостане о готовности свидетельства о рождении сообщат по СМС.",
                    )
                ],
            },
        },
    },
    {
        "code": "posobie_rozhd",
        "name": "Единовременное пособие при рождении ребёнка (неработающим родителям)",
        "description": (
            "Неработающим родителям пособие назначает ОСФР; заявление — не позднее 6 месяцев со "
            "дня рождения ребёнка. Сведения о рождении и о работе родителей ведомство получает само."
        ),
        "standard": {
            "max_term": 10,
            "term_kind": "working",
            "max_applicant_documents": 1,
            "max_visits": 0,
            "required_channels": ["portal", "mfc"],
            "proactive": False,
        },
        "blocks": [
            *applicant_blocks(),
            *child_blocks(middle_name=False),
            section("employment", "Занятость родителей"),
            info(
                "employment_info",
                "Пособие назначается, если оба родителя (или единственный родитель) не работают "
                "и не служат.",
            ),
            field("not_working", "yes_no", "Вы не работаете и не служите?"),
            field(
                "other_parent_not_working",
                "single_choice",
                "Второй родитель",
                config={
                    "options": [
                        {"value": "not_working", "label": "Не работает и не служит"},
                        {"value": "working", "label": "Работает или служит"},
                        {"value": "single", "label": "Я единственный родитель"},
                    ],
                    "widget": "radio",
                },
            ),
            field(
                "parent_snils",
                "snils",
                "СНИЛС второго родителя",
                required=False,
                condition='other_parent_not_working != "single"',
                help="Чтобы ведомство проверило сведения о его работе",
            ),
            local_section(),
            document("application", "Заявление", "applicant"),
            document("birth_record", "Сведения о рождении ребёнка", "agency"),
            document("non_employment", "Сведения о том, что родители не работают", "agency"),
            *common_tail(electronic=True, result_name="Решение о назначении пособия"),
        ],
        "variants": {
            "56": {
                "term": 10,
                "local": [
                    info(
                        "orb_birth_info",
                        binding="local",
                        text="В Оренбургской области заявление принимают все офисы МФЦ.",
                    )
                ],
            },
            "16": {
                "term": 10,
                "local": [local_yes_no("rt_student", "Вы обучаетесь очно?")],
            },
            "02": {
                "term": 10,
                "local": [
                    field(
                        "rb_bank_account",
                        "text",
                        "Номер счёта для выплаты",
                        binding="local",
                        overridable=(),
                        required=False,
                        config={"max_length": 20, "pattern": "[0-9]{20}"},
                        help="20 цифр; если не указать, выплату перечислят на карту «Мир»",
                    )
                ],
            },
        },
    },
    {
        "code": "matcap_cert",
        "name": "Выдача государственного сертификата на материнский (семейный) капитал",
        "description": (
            "Проактивно: сертификат оформляется без заявления в течение 5 рабочих дней после "
            "регистрации рождения и приходит в личный кабинет. Заявление нужно, если сертификат "
            "не пришёл."
        ),
        "standard": {
            "max_term": 5,
            "term_kind": "working",
            "max_applicant_documents": 0,
            "max_visits": 0,
            "required_channels": ["portal", "mfc"],
            "proactive": True,
        },
        "blocks": [
            *applicant_blocks(),
            *child_blocks(middle_name=False),
            field(
                "child_snils",
                "snils",
                "СНИЛС ребёнка",
                required=False,
                help="Если уже присвоен",
            ),
            field(
                "child_order",
                "single_choice",
                "Какой это ребёнок в семье",
                config={
                    "options": [
                        {"value": "first", "label": "Первый"},
                        {"value": "second", "label": "Второй"},
                        {"value": "third_or_later", "label": "Третий или последующий"},
                    ],
                    "widget": "radio",
                },
            ),
            local_section(),
            document("birth_record", "Сведения о государственной регистрации рождения", "agency"),
            document("mother_passport", "Паспортные данные матери", "agency"),
            document("child_snils_record", "СНИЛС ребёнка", "agency"),
            step("reception", "Получение сведений о рождении ребёнка", "official", 20),
            step("review", "Проверка права на материнский капитал", "official", 50),
            step("decision", "Оформление электронного сертификата", "official", 30),
            result("Сертификат на материнский (семейный) капитал", electronic=True),
            notification("registered", "Сведения о рождении ребёнка получены."),
            notification("decided", "Сертификат оформлен и направлен в личный кабинет."),
        ],
        "variants": {
            "56": {
                "term": 5,
                "local": [
                    local_yes_no(
                        "orb_regional_capital",
                        "Сообщить о региональном материнском капитале Оренбургской области?",
                    )
                ],
            },
            "16": {
                "term": 5,
                "local": [
                    info(
                        "rt_matcap_info",
                        binding="local",
                        text="Сертификат можно распечатать в любом офисе МФЦ Татарстана.",
                    )
                ],
            },
            "02": {
                "term": 5,
                "local": [
                    local_yes_no(
                        "rb_regional_capital",
                        "Сообщить о региональном материнском капитале Республики Башкортостан?",
                    )
                ],
            },
        },
    },
    {
        "code": "dou",
        "name": "Прием заявлений, постановка на учет и зачисление детей в ДОУ",
        "description": (
            "Муниципальная услуга: сроки различаются по муниципалитетам (1, 5, 7 рабочих дней, "
            "30 дней); граница 7 рабочих дней — демонстрационная."
        ),
        "standard": {
            "max_term": 7,
            "term_kind": "working",
            "max_applicant_documents": 3,
            "max_visits": 1,
            "required_channels": ["portal", "mfc"],
            "proactive": False,
        },
        "blocks": [
            *applicant_blocks(),
            *child_blocks(),
            section("enrolment", "Детский сад"),
            field(
                "desired_date",
                "date",
                "Желаемая дата зачисления",
                config={"min": "today"},
            ),
            field(
                "preferred_kindergarten",
                "text",
                "Предпочтительный детский сад",
                help="Номер или название; можно указать несколько через запятую",
            ),
            local_section(),
            document("application", "Заявление", "applicant"),
            document("parent_id", "Документ, удостоверяющий личность родителя", "applicant"),
            document("birth_certificate", "Свидетельство о рождении ребёнка", "applicant"),
            document(
                "child_residence",
                "Сведения о регистрации ребёнка по месту жительства",
                "agency",
            ),
            *common_tail(
                electronic=True, result_name="Постановка на учёт, направление или зачисление"
            ),
        ],
        "variants": {
            "56": {
                "term": 7,
                "local": [local_yes_no("dou_transfer", "Нужен перевод из другого детского сада?")],
            },
            "16": {
                "term": 5,
                "local": [
                    local_yes_no("tatar_group", "Нужна группа с воспитанием на татарском языке?")
                ],
            },
            "02": {
                "term": 7,
                "local": [
                    local_yes_no("bashkir_group", "Нужна группа с воспитанием на башкирском языке?")
                ],
            },
        },
    },
    {
        "code": "reg_ip",
        "name": (
            "Государственная регистрация физического лица в качестве индивидуального "
            "предпринимателя"
        ),
        "description": (
            "Запись в ЕГРИП и постановка на учёт в налоговом органе. Перейти на специальный "
            "налоговый режим можно в течение 30 дней после регистрации. Госпошлина — только при "
            "подаче на бумаге."
        ),
        "standard": {
            "max_term": 3,
            "term_kind": "working",
            "max_applicant_documents": 2,
            "max_visits": 0,
            "required_channels": ["portal"],
            "proactive": False,
        },
        "blocks": [
            *applicant_blocks(),
            field("inn_person", "inn_person", "ИНН", required=False, help="12 цифр, если есть"),
            section("business", "Предпринимательская деятельность"),
            field(
                "okved_main",
                "text",
                "Код основного вида деятельности по ОКВЭД",
                config={"max_length": 8, "pattern": "[0-9]{2}(\\.[0-9]{1,2}){0,2}"},
                help="Например, 47.91",
            ),
            field(
                "tax_regime",
                "single_choice",
                "Налоговый режим",
                help="Выбрать специальный режим можно и в течение 30 дней после регистрации",
                config={
                    "options": [
                        {"value": "usn", "label": "Упрощённая система (УСН)"},
                        {"value": "psn", "label": "Патентная система (ПСН)"},
                        {"value": "npd", "label": "Налог на профессиональный доход (НПД)"},
                        {"value": "osno", "label": "Общий режим"},
                    ],
                    "widget": "radio",
                },
            ),
            local_section(),
            document("application", "Заявление по форме Р21001", "applicant"),
            document("passport", "Паспорт", "applicant"),
            step("reception", "Приём заявления", "official", 10),
            step("review", "Проверка сведений", "official", 60),
            step("decision", "Внесение записи в ЕГРИП", "official", 30),
            result("Лист записи ЕГРИП", electronic=True),
            notification("registered", "Заявление зарегистрировано."),
            notification("decided", "Запись в ЕГРИП внесена."),
        ],
        "variants": {
            "56": {
                "term": 3,
                "local": [
                    field(
                        "okved_extra",
                        "text",
                        "Дополнительные коды ОКВЭД",
                        binding="local",
                        overridable=(),
                        required=False,
                        help="Через запятую",
                    )
                ],
            },
            "16": {
                "term": 3,
                "local": [
                    local_yes_no(
                        "rt_my_business", "Нужна консультация центра «Мой бизнес» Татарстана?"
                    )
                ],
            },
            "02": {
                "term": 3,
                "local": [
                    info(
                        "rb_business_info",
                        binding="local",
                        text="Центр «Мой бизнес» в Уфе бесплатно поможет выбрать налоговый режим.",
                    )
                ],
            },
        },
    },
]
TEMPLATES.extend(LIFE_SITUATION_TEMPLATES)


def _definition(blocks: list[Block]) -> dict[str, Any]:
    return {"schema_version": 1, "blocks": blocks}


def _with_local(blocks: list[Block], local: list[Block]) -> list[Block]:
    """Local blocks go right after the template's extension point."""
    index = next(i for i, block in enumerate(blocks) if block["key"] == "regional")
    return [*blocks[: index + 1], *local, *blocks[index + 1 :]]


@transaction.atomic
def load_demo() -> dict[str, int]:
    created = {"templates": 0, "variants": 0}
    for spec in TEMPLATES:
        if FederalTemplate.objects.filter(code=spec["code"]).exists():
            continue
        template_version = services.create_template(
            actor=None,
            code=spec["code"],
            name=spec["name"],
            description=spec["description"],
            definition=_definition(spec["blocks"]),
            **spec["standard"],
        )
        template_version = services.publish_template(
            version=template_version, actor=None, valid_from=START
        )
        created["templates"] += 1
        for region_code, variant in spec["variants"].items():
            region = Region.objects.get(code=region_code)
            service = catalogue_selectors.get_service(region_code=region.code, code=spec["code"])
            version = services.create_variant(
                template_version=template_version, region=region, service=service, actor=None
            )
            services.save_variant_draft(
                version=version,
                actor=None,
                revision=version.revision,
                term=variant["term"],
                channels=sorted(
                    {"portal", "mfc", "in_person"} | set(spec["standard"]["required_channels"])
                ),
                visits=min(1, spec["standard"]["max_visits"]),
                definition=_definition(_with_local(spec["blocks"], variant["local"])),
            )
            services.publish_variant(version=version, actor=None, valid_from=START)
            created["variants"] += 1
    return created
