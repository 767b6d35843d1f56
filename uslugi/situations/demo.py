"""Demo life situations for regions 56, 16 and 02, composed of the constructor demo's services.

Three situations per region: birth of a child, retirement, opening a business. An item whose
service has no published variant in the region at load time is left out; shared facts are the
applicant's and the child's details that two or more of the kept services ask for. `load_demo()`
creates only what is missing (the constructor's demo loads first: INSTALLED_APPS order).
"""

from datetime import date
from typing import Any

from django.db import transaction

from uslugi.catalogue.models import Region
from uslugi.constructor.definitions import blocks_of
from uslugi.constructor.engine import is_field
from uslugi.situations import services
from uslugi.situations.definition import COMPATIBLE_KINDS
from uslugi.situations.models import LifeSituation

START = date(2025, 1, 1)
REGIONS = ["56", "16", "02"]
SHARED_KEYS = [
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "snils",
    "phone",
    "email",
    "address",
    "child_last_name",
    "child_first_name",
    "child_middle_name",
    "child_birth_date",
]


def yes_no(key: str, label: str, help: str = "") -> dict[str, Any]:
    return {"key": key, "kind": "yes_no", "label": label, "help": help, "required": True}


CHILD_ORDER = {
    "key": "child_order",
    "kind": "profile_question",
    "label": "Какой это ребёнок в семье?",
    "required": True,
    "config": {
        "options": [
            {"value": "first", "label": "Первый"},
            {"value": "second", "label": "Второй"},
            {"value": "third_or_later", "label": "Третий или последующий"},
        ]
    },
    "maps": {"matcap_cert": "child_order"},
}

SITUATIONS: list[dict[str, Any]] = [
    {
        "code": "birth",
        "name": "Рождение ребёнка",
        "name_en": "Birth of a child",
        "description": (
            "Регистрация рождения, сертификат на материнский капитал, пособия, место в детском "
            "саду и удостоверение многодетной семьи — по одной анкете и одной форме."
        ),
        "questions": [
            CHILD_ORDER,
            yes_no("parent_not_working", "Один из родителей не работает и не служит?"),
            yes_no("needs_kindergarten", "Нужно место в детском саду?"),
            yes_no(
                "low_income",
                "Доход семьи на человека ниже прожиточного минимума в регионе?",
                help="За 12 месяцев, закончившихся за месяц до подачи заявления",
            ),
        ],
        "items": [
            {
                "key": "birth",
                "service": "reg_rozhd",
                "reason": "Рождение регистрируют всегда: с него начинается всё остальное.",
            },
            {
                "key": "matcap",
                "service": "matcap_cert",
                "proactive": True,
                "depends_on": ["birth"],
                "reason": "Сертификат оформляют без заявления после регистрации рождения.",
            },
            {
                "key": "birth_allowance",
                "service": "posobie_rozhd",
                "condition": "parent_not_working",
                "depends_on": ["birth"],
                "reason": "Один из родителей не работает: ему положено единовременное пособие.",
            },
            {
                "key": "kindergarten",
                "service": "dou",
                "condition": "needs_kindergarten",
                "depends_on": ["birth"],
                "reason": "Вы просили место в детском саду: ребёнка поставят в очередь.",
            },
            {
                "key": "large_family",
                "service": "mnogodet_udost",
                "condition": 'child_order == "third_or_later"',
                "reason": "Третий ребёнок: семья становится многодетной.",
            },
            {
                "key": "unified",
                "service": "ediny_posobie",
                "condition": "low_income",
                "reason": "Доход семьи ниже прожиточного минимума: положено единое пособие.",
            },
        ],
    },
    {
        "code": "retirement",
        "name": "Выход на пенсию",
        "name_en": "Retirement",
        "description": "Страховая пенсия по старости и звания ветерана труда, если есть награды.",
        "questions": [
            yes_no(
                "has_awards",
                "Есть ли у вас награды, почётные звания или знаки отличия в труде?",
            ),
        ],
        "items": [
            {
                "key": "pension",
                "service": "pensiya_star",
                "reason": "Пенсию по старости назначают по заявлению.",
            },
            {
                "key": "veteran",
                "service": "veteran_truda_fed",
                "condition": "has_awards",
                "reason": "С наградами за труд можно получить звание «Ветеран труда».",
            },
            {
                "key": "veteran_region",
                "service": "veteran_truda_orb",
                "condition": "has_awards",
                "reason": "В Оренбургской области есть и региональное звание ветерана труда.",
            },
        ],
    },
    {
        "code": "business",
        "name": "Открытие бизнеса",
        "name_en": "Opening a business",
        "description": "Регистрация в качестве индивидуального предпринимателя.",
        "questions": [],
        "items": [
            {
                "key": "ip",
                "service": "reg_ip",
                "reason": "Чтобы вести дело, нужно зарегистрироваться как предприниматель.",
            },
        ],
    },
]


def _compatible(left: str, right: str) -> bool:
    return left == right or any({left, right} <= group for group in COMPATIBLE_KINDS)


def _shared(items: list[dict[str, Any]], variants: dict[str, Any]) -> list[dict[str, Any]]:
    """Shared facts for the details two or more kept services ask for at the top level."""
    facts = []
    for key in SHARED_KEYS:
        found = []
        for item in items:
            fields = {b["key"]: b for b in blocks_of(variants[item["service"]]) if is_field(b)}
            if key in fields and not str(fields[key].get("condition") or "").strip():
                # A conditional field is asked by its service, where its condition can hold.
                found.append((item["key"], fields[key]))
        if len(found) < 2:
            continue
        first = found[0][1]
        found = [
            (item_key, block)
            for item_key, block in found
            if _compatible(first["kind"], block["kind"])
        ]
        fact = {
            name: value
            for name, value in first.items()
            if name not in {"binding", "overridable", "condition"}
        }
        fact["required"] = any(block.get("required") for _, block in found)
        fact["maps"] = {item_key: key for item_key, _ in found}
        facts.append(fact)
    return facts


def definition_for(region: Region, spec: dict[str, Any]) -> dict[str, Any] | None:
    """The spec's definition with only the items whose service has a variant in force here."""
    variants = services.variants_for(region, {"items": spec["items"]})
    items = [dict(item) for item in spec["items"] if variants.get(item["service"]) is not None]
    if not items:
        return None
    kept = {item["key"] for item in items}
    services_kept = {item["service"] for item in items}
    for item in items:
        item["depends_on"] = [key for key in item.get("depends_on", []) if key in kept]
    questions = []
    for question in spec["questions"]:
        question = dict(question)
        if "maps" in question:
            question["maps"] = {
                target: field
                for target, field in question["maps"].items()
                if target in services_kept
            }
        questions.append(question)
    return {
        "schema_version": 1,
        "questions": questions,
        "shared": _shared(items, variants),
        "items": items,
    }


@transaction.atomic
def load_demo() -> dict[str, int]:
    created = {"situations": 0}
    for region in Region.objects.filter(code__in=REGIONS).order_by("code"):
        for spec in SITUATIONS:
            if LifeSituation.objects.filter(region=region, code=spec["code"]).exists():
                continue
            definition = definition_for(region, spec)
            if definition is None:
                continue
            version = services.create_situation(
                region=region,
                code=spec["code"],
                name=spec["name"],
                name_en=spec["name_en"],
                description=spec["description"],
                definition=definition,
                actor=None,
            )
            services.publish_version(version=version, actor=None, valid_from=START)
            created["situations"] += 1
    return created
