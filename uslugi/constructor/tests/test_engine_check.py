"""`check_answers` decides as the step forms do: intake's check of a submission, in one pass.

The path it replaces is spelled out in `checked_through_forms`, as applications.services'
`validate_answers` did it: per step the stored answers as form data, the step form bound to that
data, its errors; then the applicable answers. Every demo form (templates and regional variants)
and a form with every field kind are checked both ways over generated answers, in Russian and in
English: the outcome, an exception raised included, must be the same.
"""

import copy
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django import forms
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uslugi.constructor import engine
from uslugi.constructor.blocks import validate_definition
from uslugi.constructor.conditions import check_conditions, fields_of
from uslugi.constructor.demo import TEMPLATES, _definition, _with_local, field, info, section

UNEXPLAINED = "Some answers are missing or wrong."
LANGUAGES = ["ru", "en"]

EVERY_KIND = _definition(
    [
        section("contact", "Contact"),
        field("phone", "phone", "Phone"),
        field("call_time", "text", "When to call", condition='phone == "+79123456789"'),
        field("wants", "yes_no", "Wants help?"),
        field("reason", "text", "Why", condition="wants"),
        field("amount", "money", "Amount", required=False, config={"max": "100000"}),
        field("amount_note", "long_text", "About the amount", condition="amount > 1000"),
        field("pieces", "number", "Pieces", required=False, config={"integer": True, "max": 10}),
        field(
            "colours",
            "multiple_choice",
            "Colours",
            condition="pieces >= 1",
            config={
                "options": [
                    {"value": "red", "label": "Red"},
                    {"value": "green", "label": "Green"},
                    {"value": "blue", "label": "Blue"},
                ],
                "min_selected": 1,
                "max_selected": 2,
            },
        ),
        field(
            "person",
            "single_choice",
            "Who applies",
            config={
                "widget": "select",
                "options": [
                    {"value": "person", "label": "A person"},
                    {"value": "organisation", "label": "An organisation"},
                ],
            },
        ),
        field("passport", "passport", "Passport", condition='person == "person"'),
        field(
            "inn_person",
            "inn_person",
            "INN",
            required=False,
            condition='person == "person"',
        ),
        field(
            "inn_organisation",
            "inn_organisation",
            "INN of the organisation",
            condition='person == "organisation"',
        ),
        field("birth", "date", "Born", config={"min": "1900-01-01", "max": "today"}),
        field("adult_scan", "file", "Scan", condition="age(birth) >= 18"),
        info("adult_info", "For adults"),
        section("family", "Family"),
        {
            "key": "members",
            "kind": "group",
            "label": "Members",
            "binding": "locked",
            "required": False,
            "condition": "",
            "config": {
                "blocks": [
                    field("member_name", "text", "Name", config={"max_length": 20}),
                    field("member_born", "date", "Born", config={"max": "today"}),
                    field("member_disabled", "yes_no", "Disabled?", required=False),
                    field("member_phone", "phone", "Phone", required=False),
                ],
                "min_items": 0,
                "max_items": 3,
                "item_label": "Member",
            },
        },
        field("members_note", "text", "About the family", condition="count(members) >= 2"),
        {
            "key": "pets",
            "kind": "group",
            "label": "Pets",
            "binding": "locked",
            "required": True,
            "condition": "wants",
            "config": {
                "blocks": [field("pet_name", "text", "Name")],
                "min_items": 0,
                "max_items": 2,
            },
        },
        field("home", "address", "Home", condition="any(members, member_disabled)"),
        field("email", "email", "Email", required=False),
        field(
            "share",
            "number",
            "Share",
            required=False,
            config={"min": "-5", "max": "5.5"},
        ),
        field(
            "okved",
            "text",
            "OKVED",
            required=False,
            config={"max_length": 8, "pattern": "[0-9]{2}(\\.[0-9]{1,2}){0,2}"},
        ),
    ]
)


def demo_definitions() -> dict[str, dict[str, Any]]:
    """Every form the demo ships: each template and each region's variant of it."""
    definitions = {}
    for spec in TEMPLATES:
        definitions[spec["code"]] = _definition(spec["blocks"])
        for region, variant in spec["variants"].items():
            definitions[f"{spec['code']}/{region}"] = _definition(
                _with_local(spec["blocks"], variant["local"])
            )
    return definitions


DEFINITIONS = {**demo_definitions(), "every_kind": EVERY_KIND}
PENSION = DEFINITIONS["pensiya_star/56"]
BENCH_ANSWERS = {  # bench/intake.py
    "last_name": "Петрова",
    "first_name": "Мария",
    "middle_name": "",
    "birth_date": "1960-05-17",
    "snils": "112-233-445 95",
    "phone": "+79123456789",
    "email": "petrova@example.org",
    "address": {
        "region": "Оренбургская область",
        "settlement": "Оренбург",
        "street": "ул. Советская",
        "house": "1",
        "flat": "",
    },
    "delivery": "post",
    "missing_work_records": False,
    "north_work": False,
}


@pytest.fixture(autouse=True, scope="module")
def _frozen() -> Iterator[None]:
    # Dates bounded by "today" and conditions on age() read the local date.
    with time_machine.travel(datetime(2025, 6, 2, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))):
        yield


def checked_through_forms(
    definition: dict[str, Any], answers: dict[str, Any], analysis: engine.Analysis
) -> tuple[list[str], dict[str, Any]]:
    """The path `check_answers` replaces, as applications.services.validate_answers had it."""
    reasons: list[str] = []
    for step in analysis.steps:
        data = engine.answers_as_data(definition, step, answers, analysis)
        form = engine.build_step_form(
            definition, step, answers, data, analysis=analysis, check_only=True
        )
        if not form.is_valid():
            reasons.extend(form_reasons(form))
    if reasons:
        return reasons, {}
    return [], engine.applicable_answers(definition, answers, analysis)


def form_reasons(form: Any) -> list[str]:
    lines = [
        f"{name}: {message}" if name != "__all__" else str(message)
        for name, messages in form.errors.items()
        for message in messages
    ]
    for key, formset in form.groups.items():
        lines.extend(f"{key}: {message}" for message in formset.non_form_errors())
        for index, errors in enumerate(formset.errors, start=1):
            lines.extend(
                f"{key}.{index}.{name}: {message}"
                for name, messages in errors.items()
                for message in messages
            )
    return lines or [UNEXPLAINED]


def outcome(check: Any) -> tuple[Any, ...]:
    """What a check led to: its reasons and answers, or the exception it raised."""
    try:
        reasons, answers = check()
    except Exception as error:  # the form path raises on answers it cannot read back
        return ("raised", type(error), str(error))
    return ("checked", reasons, answers)


def both_ways(
    definition: dict[str, Any], answers: dict[str, Any]
) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """(through the forms, through check_answers), each with its own analysis."""
    through_forms = outcome(
        lambda: checked_through_forms(definition, answers, engine.analyse(definition))
    )
    analysis = engine.analyse(definition)

    def checked() -> tuple[list[str], dict[str, Any]]:
        result = engine.check_answers(definition, answers, analysis, unexplained=UNEXPLAINED)
        return result.reasons, result.answers

    return through_forms, outcome(checked)


# Generated answers ---------------------------------------------------------------------------

WRONG = [None, 0, -1, 1.5, True, False, "", " ", "x", [], ["a"], {}, {"a": "b"}]
ADDRESS = {
    "region": "Оренбургская область",
    "settlement": "Оренбург",
    "street": "ул. Советская",
    "house": "1",
    "flat": "",
}
BY_KIND: dict[str, list[Any]] = {
    "text": ["Петрова", "  Мария ", "x" * 250, "4" * 20, "47.91", "47.9.1", 12, ["a", "b"]],
    "long_text": ["Много текста", "x" * 5000],
    "number": [0, 1, 5, 10, 81, 10001, "5", "1 234,5", "abc", 2.5, "1e3", "NaN", "-6"],
    "money": ["1500.00", 1500, 999.99, "1 500,00", "abc", "-1", "0.001", "100000.01"],
    "date": ["1960-05-17", "2020-01-01", "2010-06-02", "2999-01-01", "1800-01-01", "bad"],
    "single_choice": ["nope", 1, ["post"]],
    "profile_question": ["nope"],
    "multiple_choice": [[], ["nope"], "red", [1]],
    "yes_no": ["yes", "no", "true", 1, 0],
    "email": ["petrova@example.org", "bad", "a@b", " petrova@example.org "],
    "phone": ["+79123456789", "89123456789", "8 (912) 345-67-89", "123", 79123456789],
    "snils": ["112-233-445 95", "11223344595", "112-233-445 96", "1", 11223344595],
    "inn_person": ["500100732259", "500100732250", "1"],
    "inn_organisation": ["7707083893", "7707083890", "12"],
    "passport": [
        {"series": "4510", "number": "123456"},
        {"series": "45 10", "number": "12345"},
        {"series": ""},
        "4510 123456",
        ["4510", "123456"],
    ],
    "address": [
        ADDRESS,
        {**ADDRESS, "house": ""},
        {**ADDRESS, "flat": 5},
        "Оренбург",
        list(ADDRESS.values()),
    ],
    "file": ["drafts/1/scan.pdf", "scan.exe", 5, {"name": "scan.pdf"}],
}
UNKNOWN_KEYS = ["unknown", "__all__", "children-TOTAL_FORMS"]


def options_of(block: dict[str, Any]) -> list[Any]:
    values = [option["value"] for option in block.get("config", {}).get("options", [])]
    if block["kind"] == "multiple_choice":
        return [values[:1], values[:2], values]
    return values


VALID: dict[str, Any] = {
    "long_text": "Много текста",
    "money": "1500.00",
    "yes_no": False,
    "email": "petrova@example.org",
    "phone": "+79123456789",
    "snils": "112-233-445 95",
    "inn_person": "500100732259",
    "inn_organisation": "7707083893",
    "passport": {"series": "4510", "number": "123456"},
    "address": ADDRESS,
    "file": "drafts/1/scan.pdf",
}


def valid_answer(block: dict[str, Any]) -> Any:
    """An answer the block's field accepts."""
    config = block.get("config", {})
    kind = block["kind"]
    if kind == "group":
        count = max(int(config.get("min_items", 0)), 1)
        return [{child["key"]: valid_answer(child) for child in config["blocks"]}] * count
    if kind == "text":
        pattern = config.get("pattern")
        return next(
            text
            for text in ["Петрова", "4" * 20, "47.91"]
            if not pattern or re.fullmatch(pattern, text)
        )
    if kind == "number":
        return int(config.get("min", 1)) if config.get("integer") else "1.5"
    if kind == "date":
        return "2025-09-01" if config.get("min") == "today" else "1960-05-17"
    if kind in {"single_choice", "profile_question", "multiple_choice"}:
        return options_of(block)[0]
    return VALID[kind]


LEFT_OUT = object()


def answered(answers: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in answers.items() if value is not LEFT_OUT}


def answer_of(block: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A stored answer for `block`: mostly of its kind (right or wrong), sometimes anything."""
    if block["kind"] == "group":
        children = block["config"]["blocks"]
        item = st.fixed_dictionaries(
            {
                child["key"]: st.one_of(
                    st.just(valid_answer(child)), answer_of(child), st.just(LEFT_OUT)
                )
                for child in children
            }
        ).map(answered)
        return st.one_of(
            st.lists(item, max_size=4),
            st.lists(st.sampled_from([{"unknown": "x"}, {}]), max_size=2),
            st.sampled_from([5, "x", {}, [1], None]),
        )
    usual = st.sampled_from(options_of(block) + BY_KIND.get(block["kind"], []))
    return st.one_of(usual, usual, st.sampled_from(WRONG))


@st.composite
def answers_to(draw: st.DrawFn, definition: dict[str, Any]) -> dict[str, Any]:
    """Right answers to every field of `definition`, then a few of them changed or left out,
    and maybe keys the form does not know."""
    fields = fields_of(definition)
    answers = {key: valid_answer(block) for key, block in fields.items()}
    for _ in range(draw(st.integers(0, 5))):
        key = draw(st.sampled_from(sorted(fields)))
        answers[key] = draw(st.one_of(st.just(LEFT_OUT), answer_of(fields[key])))
    answers.update(draw(st.dictionaries(st.sampled_from(UNKNOWN_KEYS), st.just("x"))))
    return answered(answers)


def test_the_forms_checked_are_valid_definitions() -> None:
    # then every form below is one an administrator could publish
    for name, definition in DEFINITIONS.items():
        assert validate_definition(definition) == [], name
        assert check_conditions(definition) == [], name


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(DEFINITIONS))
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_check_answers_decides_as_the_step_forms_do(
    name: str, language: str, data: st.DataObject
) -> None:
    # given a form and stored answers to it
    definition = DEFINITIONS[name]
    answers = data.draw(answers_to(definition))
    kept = copy.deepcopy(answers)
    # when they are checked both ways
    with translation.override(language):
        through_forms, checked = both_ways(definition, answers)
    # then both lead to the same, and the answers are as they were
    assert checked == through_forms
    assert answers == kept


@pytest.mark.parametrize("language", LANGUAGES)
@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_field_kind_is_decided_as_the_step_forms_do(
    language: str, data: st.DataObject
) -> None:
    # given the form with every kind and generated answers to it
    answers = data.draw(answers_to(EVERY_KIND))
    # when they are checked both ways
    with translation.override(language):
        through_forms, checked = both_ways(EVERY_KIND, answers)
    # then both lead to the same
    assert checked == through_forms


# Examples ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_bench_answers_pass_with_the_answers_that_apply(language: str) -> None:
    # given the pension form of region 56 and the bench's complete answers, plus a bank account
    # that the post delivery hides
    answers = {**BENCH_ANSWERS, "bank_account": "4" * 20, "unknown": "x"}
    analysis = engine.analyse(PENSION)
    # when they are checked
    with translation.override(language):
        checked = engine.check_answers(PENSION, answers, analysis, unexplained=UNEXPLAINED)
    # then they pass, without the hidden account and the unknown key
    assert checked == engine.CheckedAnswers([], BENCH_ANSWERS)
    with translation.override(language):
        assert checked_through_forms(PENSION, answers, analysis) == ([], BENCH_ANSWERS)


@pytest.mark.parametrize(
    ("language", "reasons"),
    [
        (
            "ru",
            [
                "birth_date: Дата не может быть в будущем.",
                "snils: Такого СНИЛС не существует: две последние цифры не соответствуют "
                "остальным. Проверьте, пожалуйста, номер.",
                "phone: Обязательное поле.",
                "bank_account: Обязательное поле.",
                "missing_work_records: Выберите корректный вариант. maybe нет среди допустимых "
                "значений.",
            ],
        ),
        (
            "en",
            [
                "birth_date: The date cannot be in the future.",
                "snils: This SNILS does not exist: its last two digits do not match the "
                "others. Please check the number.",
                "phone: This field is required.",
                "bank_account: This field is required.",
                "missing_work_records: Select a valid choice. maybe is not one of the "
                "available choices.",
            ],
        ),
    ],
)
def test_wrong_and_missing_answers_are_refused_with_the_form_s_reasons(
    language: str, reasons: list[str]
) -> None:
    # given the pension form with a future birth date, a SNILS that does not exist, no phone,
    # bank delivery without the account and a yes/no answered "maybe"
    answers = {
        **BENCH_ANSWERS,
        "birth_date": "2999-01-01",
        "snils": "112-233-445 96",
        "delivery": "bank",
        "missing_work_records": "maybe",
    }
    del answers["phone"]
    kept = copy.deepcopy(answers)
    analysis = engine.analyse(PENSION)
    # when they are checked
    with translation.override(language):
        checked = engine.check_answers(PENSION, answers, analysis, unexplained=UNEXPLAINED)
        through_forms = checked_through_forms(PENSION, answers, analysis)
    # then they are refused field by field in the form's order and language, nothing kept,
    # the answers untouched
    assert checked == engine.CheckedAnswers(reasons, {})
    assert through_forms == (reasons, {})
    assert answers == kept


def test_a_condition_reads_the_answer_as_the_bound_form_cleans_it() -> None:
    # given a phone stored as typed, which cleans to the number the condition of `call_time`
    # asks for, and "yes" stored as text for `wants`, which cleans to True
    answers = {
        "phone": "8 912 345-67-89",
        "wants": "yes",
        "person": "organisation",
        "inn_organisation": "7707083893",
        "birth": "2010-01-01",
    }
    # when they are checked
    with translation.override("en"):
        checked = engine.check_answers(
            EVERY_KIND, answers, engine.analyse(EVERY_KIND), unexplained=UNEXPLAINED
        )
    # then the blocks those conditions show on the bound form of the same step are asked for,
    # though the stored answers alone hide them; the pets of the next step stay hidden, as
    # there the stored "yes" is read
    assert checked == engine.CheckedAnswers(
        [
            "call_time: This field is required.",
            "reason: This field is required.",
        ],
        {},
    )
    with translation.override("en"):
        assert both_ways(EVERY_KIND, answers)[0] == ("checked", checked.reasons, {})


def test_group_items_are_counted_as_the_step_forms_count_them() -> None:
    # given the large family form with three children, each answered in full
    definition = DEFINITIONS["mnogodet_udost/56"]
    children = [
        {"child_name": f"Ребёнок {number}", "child_birth_date": f"201{number}-01-01"}
        for number in (1, 2, 3)
    ]
    answers = {**BENCH_ANSWERS, "children": children, "housing_queue": False}
    # when they are checked
    with translation.override("en"):
        through_forms, checked = both_ways(definition, answers)
    # then check_answers refuses as the step forms do: they take the stored items as both the
    # formset's initial items and its data, so each item counts as unchanged, that is empty
    assert checked == through_forms == ("checked", ["children: Add at least 3 items."], {})


def test_an_answer_that_cannot_be_read_back_raises_as_the_step_forms_do() -> None:
    # given a birth date stored as something no date reads
    answers = {**BENCH_ANSWERS, "birth_date": "17.05.1960"}
    # when it is checked both ways
    through_forms, checked = both_ways(PENSION, answers)
    # then both raise the same error
    assert checked == through_forms
    assert checked[:2] == ("raised", ValueError)


class Unexplained(forms.CharField):
    """A field refusing every answer without saying why."""

    def clean(self, value: Any) -> Any:
        raise forms.ValidationError([])


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_step_refused_without_a_message_gives_the_unexplained_reason(language: str) -> None:
    # given the pension form whose last name field refuses without a message
    analysis = engine.analyse(PENSION)
    analysis.kept[(language, "last_name")] = Unexplained()
    forms_analysis = engine.analyse(PENSION)
    forms_analysis.kept[(language, "last_name")] = Unexplained()
    # when the bench answers are checked
    with translation.override(language):
        checked = engine.check_answers(PENSION, BENCH_ANSWERS, analysis, unexplained=UNEXPLAINED)
        through_forms = checked_through_forms(PENSION, BENCH_ANSWERS, forms_analysis)
    # then the step's only reason is the unexplained one
    assert checked == engine.CheckedAnswers([UNEXPLAINED], {})
    assert through_forms == ([UNEXPLAINED], {})
