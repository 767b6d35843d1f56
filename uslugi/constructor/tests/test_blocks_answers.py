"""Field kinds as Django form fields: what a citizen may answer, what they are told otherwise,
and how the normalised answer is stored as JSON."""

import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from uslugi.constructor.blocks import (
    ValueType,
    child_types,
    form_field,
    formset_for,
    from_json,
    list_block_kinds,
    to_json,
    value_type,
)

MOSCOW = ZoneInfo("Europe/Moscow")
TWO = [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def block(kind: str, required: bool = True, **config: Any) -> dict[str, Any]:
    return {
        "key": "answer",
        "kind": kind,
        "label": "Question",
        "help": "Help",
        "required": required,
        "binding": "local",
        "config": config,
    }


def messages(field_block: dict[str, Any], value: Any) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        form_field(field_block).clean(value)
    return caught.value.messages


def test_every_field_kind_builds_a_field_with_the_block_s_label_help_and_required() -> None:
    # given every field kind but the group, which is a formset
    kinds = [k for k in list_block_kinds() if k.is_field and k.kind != "group"]
    for kind in kinds:
        # when
        field = form_field(block(kind.kind, **kind.default_config()))
        # then
        assert (str(field.label), str(field.help_text), field.required) == (
            "Question",
            "Help",
            True,
        ), kind.kind
    assert len(kinds) == 17


@pytest.mark.parametrize(
    ("field_block", "typed", "answer"),
    [
        (block("text"), "  Ivan  ", "Ivan"),
        (block("text", pattern="[0-9]{6}"), "460000", "460000"),
        (block("text", required=False), "", ""),
        (block("long_text"), "Line one\nLine two", "Line one\nLine two"),
        (block("number", integer=True), "1 000", 1000),
        (block("number", integer=True, min=0, max=10), "10", 10),
        (block("number"), "12,5", Decimal("12.5")),
        (block("number", min=-1.5), "-1.5", Decimal("-1.5")),
        (block("number", required=False), "", None),
        (block("money"), "1500", Decimal("1500.00")),
        (block("money"), "1\u00a0500,5", Decimal("1500.50")),
        (block("money", min="100.50"), "100.50", Decimal("100.50")),
        (block("date"), "2025-03-01", date(2025, 3, 1)),
        (block("date"), "01.03.2025", date(2025, 3, 1)),
        (block("date", min="today"), "2025-03-01", date(2025, 3, 1)),
        (block("date", max="today"), "2025-03-01", date(2025, 3, 1)),
        (block("single_choice", options=TWO), "b", "b"),
        (block("single_choice", options=TWO, widget="select"), "a", "a"),
        (block("multiple_choice", options=TWO), ["a", "b"], ["a", "b"]),
        (block("multiple_choice", options=TWO, min_selected=2), ["a", "b"], ["a", "b"]),
        (block("multiple_choice", required=False, options=TWO, min_selected=1), [], []),
        (block("yes_no"), "yes", True),
        (block("yes_no"), "no", False),
        (block("yes_no", required=False), "", None),
        (block("email"), "ivanov@example.ru", "ivanov@example.ru"),
        (block("phone"), "8 (912) 345-67-89", "+79123456789"),
        (block("phone"), "+7 912 345 67 89", "+79123456789"),
        (block("snils"), "11223344595", "112-233-445 95"),
        (block("snils"), "112-233-445 95", "112-233-445 95"),
        (block("snils", required=False), "", ""),
        (block("inn_person"), "500100732259", "500100732259"),
        (block("inn_organisation"), "7707083893", "7707083893"),
        (block("passport"), ["45 10", "123 456"], {"series": "4510", "number": "123456"}),
        (block("passport", required=False), ["", ""], None),
        (
            block("address"),
            ["Orenburg Region", "Orenburg", "Sovetskaya", "1", ""],
            {
                "region": "Orenburg Region",
                "settlement": "Orenburg",
                "street": "Sovetskaya",
                "house": "1",
                "flat": "",
            },
        ),
        (block("profile_question", options=TWO), "a", "a"),
    ],
)
@time_machine.travel(datetime(2025, 3, 1, 9, 0, tzinfo=MOSCOW), tick=False)
def test_valid_answers_are_normalised(field_block: dict[str, Any], typed: Any, answer: Any):
    # when
    cleaned = form_field(field_block).clean(typed)
    # then
    assert cleaned == answer
    assert type(cleaned) is type(answer)


@pytest.mark.parametrize(
    ("field_block", "typed", "expected"),
    [
        (block("text"), "", ["This field is required."]),
        (
            block("text", max_length=5),
            "abcdef",
            ["Ensure this value has at most 5 characters (it has 6)."],
        ),
        (
            block("text", pattern="[0-9]{6}"),
            "1234567",
            ["The answer is not in the required format. Please check it."],
        ),
        (block("number", integer=True), "12,5", ["Enter a whole number."]),
        (block("number", integer=True, min=0), "-1", ["The number must be at least 0."]),
        (block("number", max=10), "10.5", ["The number must be at most 10."]),
        (block("number"), "twelve", ["Enter a number."]),
        (block("money"), "-1", ["The amount must be at least 0."]),
        (block("money", min="100.50"), "100.49", ["The amount must be at least 100.50."]),
        (block("money", max=1000), "1000.01", ["The amount must be at most 1000."]),
        (
            block("money"),
            "10.123",
            ["Enter at most 2 digits after the decimal point (kopecks)."],
        ),
        (block("money"), "abc", ["Enter an amount in rubles, for example 1500 or 1500,50."]),
        (block("date"), "2025-13-01", ["Enter a valid date."]),
        (block("date", min="today"), "2025-02-28", ["The date cannot be in the past."]),
        (block("date", max="today"), "2025-03-02", ["The date cannot be in the future."]),
        (
            block("date", min="2024-01-01"),
            "2023-12-31",
            ["The date cannot be earlier than 01/01/2024."],
        ),
        (
            block("date", max="2024-12-31"),
            "2025-01-01",
            ["The date cannot be later than 12/31/2024."],
        ),
        (
            block("single_choice", options=TWO),
            "c",
            ["Select a valid choice. c is not one of the available choices."],
        ),
        (block("single_choice", options=TWO, widget="select"), "", ["This field is required."]),
        (
            block("multiple_choice", options=TWO, min_selected=2),
            ["a"],
            ["Choose at least 2 options."],
        ),
        (
            block("multiple_choice", options=TWO, min_selected=1, required=False),
            ["c"],
            ["Select a valid choice. c is not one of the available choices."],
        ),
        (
            block("multiple_choice", options=TWO, max_selected=1),
            ["a", "b"],
            ["Choose no more than 1 option."],
        ),
        (block("yes_no"), "", ["This field is required."]),
        (
            block("yes_no"),
            "maybe",
            ["Select a valid choice. maybe is not one of the available choices."],
        ),
        (block("email"), "ivanov at example.ru", ["Enter a valid email address."]),
        (
            block("phone"),
            "+1 212 555 01 23",
            [
                "Enter a Russian phone number: +7 or 8 and then 10 digits, for example "
                "+7 912 345-67-89."
            ],
        ),
        (block("snils"), "112-233-445", ["A SNILS has 11 digits, for example 112-233-445 95."]),
        (
            block("snils"),
            "112-233-445 94",
            [
                "This SNILS does not exist: its last two digits do not match the others. "
                "Please check the number."
            ],
        ),
        (
            block("inn_person"),
            "500100732250",
            ["This INN does not exist: its check digits do not match. Please check the number."],
        ),
        (block("inn_person"), "7707083893", ["The INN of a person has 12 digits."]),
        (
            block("inn_organisation"),
            "7707083890",
            ["This INN does not exist: its check digit does not match. Please check the number."],
        ),
        (block("inn_organisation"), "500100732259", ["The INN of an organisation has 10 digits."]),
        (block("passport"), ["", ""], ["This field is required."]),
        (block("passport"), ["4510", ""], ["Enter the passport number."]),
        (block("passport"), ["", "123456"], ["Enter the passport series."]),
        (
            block("passport"),
            ["451", "12345"],
            [
                "The passport series has 4 digits, for example 45 10.",
                "The passport number has 6 digits, for example 123456.",
            ],
        ),
        (
            block("address"),
            ["Orenburg Region", "Orenburg", "Sovetskaya", "", "5"],
            ["Enter the house number."],
        ),
    ],
)
@time_machine.travel(datetime(2025, 3, 1, 9, 0, tzinfo=MOSCOW), tick=False)
def test_invalid_answers_say_what_to_fix(field_block: dict[str, Any], typed: Any, expected):
    assert messages(field_block, typed) == expected


def test_today_is_the_local_date_in_the_region_s_time_zone() -> None:
    # given a date block that refuses past dates, at 23:30 UTC on 28 February (1 March in Moscow)
    field_block = block("date", min="today")
    with time_machine.travel(datetime(2025, 2, 28, 23, 30, tzinfo=ZoneInfo("UTC")), tick=False):
        # when / then the 28th is already in the past
        assert messages(field_block, "2025-02-28") == ["The date cannot be in the past."]


def pdf(name: str = "scan.pdf", size: int = 10) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"x" * size, content_type="application/pdf")


def test_a_file_of_an_allowed_type_and_size_is_accepted() -> None:
    # given
    field = form_field(block("file", allowed_types=[".pdf"], max_size_mb=1))
    upload = pdf("SCAN.PDF", 1024 * 1024)
    # when / then
    assert field.clean(upload) is upload
    assert field.widget.attrs["accept"] == ".pdf"


@pytest.mark.parametrize(
    ("upload", "expected"),
    [
        (
            pdf("scan.exe"),
            ["Files of this type are not accepted. Upload a file of type .pdf, .jpg, .png."],
        ),
        (
            pdf("scan"),
            ["Files of this type are not accepted. Upload a file of type .pdf, .jpg, .png."],
        ),
        (pdf("scan.pdf", 1024 * 1024 + 1), ["The file is too large: the limit is 1 MB."]),
        (None, ["This field is required."]),
    ],
)
def test_a_file_of_another_type_or_too_large_is_refused(upload: Any, expected: list[str]) -> None:
    assert messages(block("file", max_size_mb=1), upload) == expected


def test_a_passport_asks_for_series_and_number_each_with_its_own_label() -> None:
    # given
    field = form_field(block("passport"))
    # when
    html = field.widget.render("passport", {"series": "4510", "number": "123456"}, {"id": "id_p"})
    # then the block's label becomes the fieldset's legend and each input has a label
    assert field.widget.use_fieldset is True
    assert html == (
        '<div class="answer-part"><label for="id_p_0">Series</label>'
        '<input type="text" name="passport_series" value="4510" inputmode="numeric" '
        'autocomplete="off" size="5" id="id_p_0"></div>'
        '<div class="answer-part"><label for="id_p_1">Number</label>'
        '<input type="text" name="passport_number" value="123456" inputmode="numeric" '
        'autocomplete="off" size="7" id="id_p_1"></div>'
    )


def test_a_form_of_blocks_renders_and_cleans_composite_answers() -> None:
    # given a form as the engine builds it: one field per block, named by the key
    blocks = [block("passport") | {"key": "passport"}, block("address") | {"key": "home"}]
    form_class = type("ApplicationForm", (forms.Form,), {b["key"]: form_field(b) for b in blocks})
    data = {
        "passport_series": "45 10",
        "passport_number": "123456",
        "home_region": "Orenburg Region",
        "home_settlement": "Orenburg",
        "home_street": "Sovetskaya",
        "home_house": "1",
        "home_flat": "12",
    }
    # when
    form = form_class(data)
    # then
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "passport": {"series": "4510", "number": "123456"},
        "home": {
            "region": "Orenburg Region",
            "settlement": "Orenburg",
            "street": "Sovetskaya",
            "house": "1",
            "flat": "12",
        },
    }
    rendered = str(form_class(initial={"passport": form.cleaned_data["passport"]}))
    assert "<legend>Question:</legend>" in rendered
    assert 'value="4510"' in rendered
    assert '<label for="id_home_4">Flat (if any)</label>' in rendered


@pytest.mark.parametrize(
    ("field_block", "answer", "stored"),
    [
        (block("text"), "Ivan", "Ivan"),
        (block("number", integer=True), 5, 5),
        (block("number"), Decimal("12.5"), "12.5"),
        (block("number", required=False), None, None),
        (block("money"), Decimal("1500.00"), "1500.00"),
        (block("money", required=False), None, None),
        (block("date"), date(2025, 3, 1), "2025-03-01"),
        (block("date", required=False), None, None),
        (block("yes_no"), False, False),
        (block("multiple_choice", options=TWO), ["a"], ["a"]),
        (block("passport"), {"series": "4510", "number": "123456"}, None),
        (block("snils"), "112-233-445 95", "112-233-445 95"),
        (block("file"), "applications/1/scan.pdf", "applications/1/scan.pdf"),
    ],
)
def test_answers_round_trip_through_json(field_block: dict[str, Any], answer: Any, stored: Any):
    # given the JSON expected (None in the table: the same as the answer)
    expected = answer if stored is None else stored
    # when
    as_json = to_json(field_block, answer)
    # then
    assert as_json == expected
    assert json.loads(json.dumps(as_json)) == as_json
    assert from_json(field_block, as_json) == answer


def test_money_read_from_json_keeps_two_places() -> None:
    assert from_json(block("money"), 1500) == Decimal("1500.00")
    assert str(from_json(block("money"), "1500.5")) == "1500.50"


def test_an_uploaded_file_must_be_saved_before_it_is_stored_as_json() -> None:
    with pytest.raises(TypeError):
        to_json(block("file"), pdf())


@pytest.mark.parametrize(
    ("kind", "config", "expected"),
    [
        ("text", {}, ValueType.STRING),
        ("long_text", {}, ValueType.STRING),
        ("number", {}, ValueType.NUMBER),
        ("money", {}, ValueType.NUMBER),
        ("date", {}, ValueType.DATE),
        ("single_choice", {"options": TWO}, ValueType.STRING),
        ("multiple_choice", {"options": TWO}, ValueType.LIST_OF_STRINGS),
        ("yes_no", {}, ValueType.BOOLEAN),
        ("email", {}, ValueType.STRING),
        ("phone", {}, ValueType.STRING),
        ("snils", {}, ValueType.STRING),
        ("inn_person", {}, ValueType.STRING),
        ("inn_organisation", {}, ValueType.STRING),
        ("passport", {}, ValueType.RECORD),
        ("address", {}, ValueType.RECORD),
        ("file", {}, ValueType.STRING),
        ("group", {"blocks": []}, ValueType.GROUP),
        ("profile_question", {"options": TWO}, ValueType.STRING),
    ],
)
def test_value_types_for_the_rules_language(kind: str, config: dict[str, Any], expected: str):
    assert value_type(block(kind, **config)) == expected


def test_value_types_are_the_strings_the_rules_language_reads() -> None:
    assert [str(t) for t in ValueType] == [
        "string",
        "number",
        "date",
        "boolean",
        "list[string]",
        "record",
        "group",
    ]


def test_child_types_of_records_and_groups() -> None:
    # given
    group = block(
        "group",
        blocks=[
            {"key": "child_name", "kind": "text", "label": "Name"},
            {"key": "child_birth_date", "kind": "date", "label": "Born"},
            {"key": "child_passport", "kind": "passport", "label": "Passport"},
        ],
    )
    # when / then
    assert child_types(group) == {
        "child_name": "string",
        "child_birth_date": "date",
        "child_passport": "record",
    }
    assert child_types(block("passport")) == {"series": "string", "number": "string"}
    assert child_types(block("address")) == {
        "region": "string",
        "settlement": "string",
        "street": "string",
        "house": "string",
        "flat": "string",
    }


@pytest.mark.parametrize(
    ("call", "kind"),
    [
        (form_field, "section"),
        (form_field, "group"),
        (value_type, "info"),
        (child_types, "text"),
        (formset_for, "text"),
    ],
)
def test_asking_a_block_for_what_its_kind_does_not_have_is_a_programming_error(call, kind):
    with pytest.raises(TypeError):
        call(block(kind))
