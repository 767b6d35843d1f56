"""The field kinds: each yields one answer (see docs/constructor-definition.md, "Kinds").

Answers as `clean()` returns them and as `to_json()` stores them:

| kind | `clean()` | JSON |
|---|---|---|
| text, long_text, email, phone, snils, inn_*, single_choice, profile_question | `str` | same |
| number (`integer`) | `int` | number |
| number | `Decimal` | string, `"12.5"` (exact) |
| money | `Decimal` with 2 places | string, `"1500.00"` (exact) |
| date | `date` | string, ISO `"2025-03-01"` |
| yes_no | `bool` | boolean |
| multiple_choice | `list[str]` | same |
| passport, address | `dict[str, str]` | same |
| file | an `UploadedFile` | the storage name, a string (the engine saves the file first) |

An answer left empty on an optional field is `""`, `[]` or None as Django returns it; `to_json`
and `from_json` pass None through.
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from uslugi.constructor.blocks import fields
from uslugi.constructor.blocks.bound_rules import (
    ExtensionSubset,
    Interval,
    OptionSubset,
    WholeRange,
)
from uslugi.constructor.blocks.config import (
    ConfigReader,
    as_date_bound,
    as_decimal,
    as_money,
    read_extensions,
)
from uslugi.constructor.blocks.registry import FieldKind, ValueType, register

MONEY_PLACES = Decimal("0.01")
DEFAULT_FILE_TYPES = [".pdf", ".jpg", ".png"]


def field_arguments(block: Mapping[str, Any]) -> dict[str, Any]:
    """What every form field takes from the block itself."""
    return {
        "label": block.get("label", ""),
        "help_text": block.get("help", ""),
        "required": bool(block.get("required", False)),
    }


def config_of(block: Mapping[str, Any]) -> Mapping[str, Any]:
    config = block.get("config")
    return config if isinstance(config, Mapping) else {}


def default_options() -> list[dict[str, str]]:
    return [
        {"value": "option_1", "label": _("Option 1")},
        {"value": "option_2", "label": _("Option 2")},
    ]


def choices_of(block: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [(option["value"], option["label"]) for option in config_of(block).get("options", [])]


class StringKind(FieldKind):
    def value_type(self, block: Mapping[str, Any]) -> ValueType:
        return ValueType.STRING


@register
class TextKind(StringKind):
    kind = "text"
    title = gettext_lazy("Text")
    bound_rules = {"max_length": WholeRange(1, 1000)}

    def default_config(self) -> dict[str, Any]:
        return {"max_length": 200}

    def read_config(self, reader: ConfigReader) -> None:
        reader.whole_number("max_length", 1, 1000, default=200)
        reader.pattern("pattern")

    def form_field(self, block: Mapping[str, Any]) -> forms.Field:
        config = config_of(block)
        pattern = config.get("pattern")
        return forms.CharField(
            max_length=config.get("max_length", 200),
            validators=[fields.FullMatchValidator(pattern)] if pattern else [],
            **field_arguments(block),
        )


@register
class LongTextKind(StringKind):
    kind = "long_text"
    title = gettext_lazy("Long text")
    bound_rules = {"max_length": WholeRange(1, 20000)}

    def default_config(self) -> dict[str, Any]:
        return {"max_length": 4000}

    def read_config(self, reader: ConfigReader) -> None:
        reader.whole_number("max_length", 1, 20000, default=4000)

    def form_field(self, block: Mapping[str, Any]) -> forms.Field:
        return forms.CharField(
            max_length=config_of(block).get("max_length", 4000),
            widget=forms.Textarea(attrs={"rows": 5}),
            **field_arguments(block),
        )


def _read_number(reader: ConfigReader, name: str) -> Decimal | None:
    return reader.number(name)


def _read_money(reader: ConfigReader, name: str) -> Decimal | None:
    return reader.money(name)


def _read_date(reader: ConfigReader, name: str) -> date | str | None:
    return reader.date_bound(name)


@register
class NumberKind(FieldKind):
    kind = "number"
    title = gettext_lazy("Number")
    bound_rules = {"min": Interval(_read_number), "max": Interval(_read_number)}

    def default_config(self) -> dict[str, Any]:
        return {"integer": False}

    def read_config(self, reader: ConfigReader) -> None:
        low, high = reader.number("min"), reader.number("max")
        if reader.boolean("integer", default=False):
            for name, value in (("min", low), ("max", high)):
                if value is not None and value != value.to_integral_value():
                    reader.add(
                        name,
                        _("%(name)s must be a whole number, because integer is true.")
                        % {"name": name},
                    )
        reader.order("min", low, "max", high)

    def form_field(self, block: Mapping[str, Any]) -> forms.Field:
        config = config_of(block)
        low, high = as_decimal(config.get("min")), as_decimal(config.get("max"))
        if config.get("integer"):
            return fields.IntegerAnswerField(
                min_value=None if low is None else int(low),
                max_value=None if high is None else int(high),
                widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                error_messages=fields.number_messages(money=False),
                **field_arguments(block),
            )
        return fields.DecimalAnswerField(
            min_value=low,
            max_value=high,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            error_messages=fields.number_messages(money=False),
            **field_arguments(block),
        )

    def value_type(self, block: Mapping[str, Any]) -> ValueType:
        return ValueType.NUMBER

    def to_json(self, block: Mapping[str, Any], value: Any) -> Any:
        return str(value) if isinstance(value, Decimal) else value

    def from_json(self, block: Mapping[str, Any], value: Any) -> Any:
        if isinstance(value, str | float):
            return Decimal(str(value))
        return value


class MoneyAnswerField(fields.DecimalAnswerField):
    def clean(self, value: Any) -> Decimal | None:
        amount = super().clean(value)
        return None if amount is None else amount.quantize(MONEY_PLACES)


@register
class MoneyKind(FieldKind):
    kind = "money"
    title = gettext_lazy("Amount of money")
    bound_rules = {"min": Interval(_read_money), "max": Interval(_read_money)}

    def read_config(self, reader: ConfigReader) -> None:
        reader.order("min", reader.money("min"), "max", reader.money("max"))

    def form_field(self, block: Mapping[str, Any]) -> forms.Field:
        config = config_of(block)
        low, high = as_money(config.get("min")), as_money(config.get("max"))
        return MoneyAnswerField(
            min_value=low or Decimal(0),
            max_value=high,
            max_digits=15,
            decimal_places=2,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            error_messages=fields.number_messages(money=True),
            **field_arguments(block),
        )

    def value_type(self, block: Mapping[str, Any]) -> ValueType:
        return ValueType.NUMBER

    def to_json(self, block: Mapping[str, Any], value: Any) -> Any:
        return None if value is None else str(value)

    def from_json(self, block: Mapping[str, Any], value: Any) -> Any:
        return None if value is None else Decimal(str(value)).quantize(MONEY_PLACES)


@register
class DateKind(FieldKind):
    kind = "date"
    title = gettext_lazy("Date")
    bound_rules = {"min": Interval(_read_date), "max": Interval(_read_date)}

    def read_config(self, reader: ConfigReader) -> None:
        reader.order("min", reader.date_bound("min"), "max", reader.date_bound("max"))

    def form_field(self, block: Mapping[str, Any]) -> forms.Field:
        config = config_of(block)
        return fields.DateAnswerField(
            earliest=as_date_bound(config.get("min")),
            latest=as_date_bound(config.get("max")),
            **field_arguments(block),
        )

    def value_type(self, block: Mapping[str, Any]) -> ValueType:
        return ValueType.DATE

    def to_json(self, block: Mapping[str, Any], value: Any) -> Any:
        return value.isoformat() if isinstance(value, date) else value

    def from_json(self, block: Mapping[str, Any], value: Any) -> Any:
        return date.fromisoformat(value) if isinstance(value, str) and value else None


@register
class SingleChoiceKind(StringKind):
    kind = "single_choice"
    title = gettext_lazy("Choice of one")
    has_options = True
    bound_rules = {"options": OptionSubset()}

    def default_config(self) -> dict[str, Any]:
        return {"options": default_options(), "widget": "radio"}

    def read_config(self, reader: ConfigReader) -> None:
        reader.options()
        reader.choice("widget", ("radio", "select"), default="radio")

    def form_field(self, block: Mapping[str, Any]) -> forms.Field:
        choices = choices_of(block)
        if config_of(block).get("widget") == "select":
            return forms.ChoiceField(
                choices=[("", _("Choose…")), *choices],
                widget=forms.Select,
                **field_arguments(block),
            )
        return forms.ChoiceField(
            choices=choices, widget=forms.RadioSelect, **field_arguments(block)
        )


@register
class MultipleChoiceKind(FieldKind):
    kind = "multiple_choice"
    title = gettext_lazy("Choice of several")
    has_options = True
    bound_rules = {
        "options": OptionSubset(),
        "min_selected": WholeRange(0, 1000),
        "max_selected": WholeRange(1, 1000),
    }

    def default_config(self) -> dict[str, Any]:
        return {"options": default_options()}

    def read_config(self, reader: ConfigReader) -> None:
        options = reader.options()
        count = len(options) if options else 1000
        low = reader.whole_number("min_selected", 0, count, default=None)
        high = reader.whole_number("max_selected", 1, count, default=None)
        reader.order("min_selected", low, "max_selected", high)

    def form_field(self, block: Mapping[str, Any]) -> forms.Field:
        config = config_of(block)
        return fields.CountedMultipleChoiceField(
            choices=choices_of(block),
            min_selected=config.get("min_selected"),
            max_selected=config.get("max_selected"),
            **field_arguments(block),
        )

    def value_type(self, block: Mapping[str, Any]) -> ValueType:
        return ValueType.LIST_OF_STRINGS


@register
class YesNoKind(FieldKind):
    kind = "yes_no"
    title = gettext_lazy("Yes or no")

    def form_field(self, block: Mapping[str, Any]) -> forms.Field:
        return fields.YesNoField(**field_arguments(block))

    def value_type(self, block: Mapping[str, Any]) -> ValueType:
        return ValueType.BOOLEAN


@register
class EmailKind(StringKind):
    kind = "email"
    title = gettext_lazy("Email")

    def form_field(self, block: Mapping[str, Any]) -> forms.Field:
        return forms.EmailField(
            widget=forms.EmailInput(attrs={"autocomplete": "email"}), **field_arguments(block)
        )


@register
class PhoneKind(StringKind):
    kind = "phone"
    title = gettext_lazy("Phone number")

    def form_field(self, block: Mapping[str, Any]) -> forms.Field:
        return fields.PhoneField(**field_arguments(block))


@register
class SnilsKind(StringKind):
    kind = "snils"
    title = gettext_lazy("SNILS")

    def form_field(self, block: Mapping[str, Any]) -> forms.Field:
        return fields.SnilsField(**field_arguments(block))


@register
class InnPersonKind(StringKind):
    kind = "inn_person"
    title = gettext_lazy("INN of a person")

    def form_field(self, block: Mapping[str, Any]) -> forms.Field:
        return fields.InnPersonField(**field_arguments(block))


@register
class InnOrganisationKind(StringKind):
    kind = "inn_organisation"
    title = gettext_lazy("INN of an organisation")

    def form_field(self, block: Mapping[str, Any]) -> forms.Field:
        return fields.InnOrganisationField(**field_arguments(block))


class RecordKind(FieldKind):
    parts: tuple[str, ...]

    def value_type(self, block: Mapping[str, Any]) -> ValueType:
        return ValueType.RECORD

    def child_types(self, block: Mapping[str, Any]) -> dict[str, ValueType]:
        return dict.fromkeys(self.parts, ValueType.STRING)


@register
class PassportKind(RecordKind):
    kind = "passport"
    title = gettext_lazy("Passport")
    parts = ("series", "number")

    def form_field(self, block: Mapping[str, Any]) -> forms.Field:
        return fields.passport_field(**field_arguments(block))


@register
class AddressKind(RecordKind):
    kind = "address"
    title = gettext_lazy("Address")
    parts = ("region", "settlement", "street", "house", "flat")

    def form_field(self, block: Mapping[str, Any]) -> forms.Field:
        return fields.address_field(**field_arguments(block))


@register
class FileKind(StringKind):
    kind = "file"
    title = gettext_lazy("File")
    bound_rules = {"allowed_types": ExtensionSubset(), "max_size_mb": WholeRange(1, 50)}

    def default_config(self) -> dict[str, Any]:
        return {"allowed_types": list(DEFAULT_FILE_TYPES), "max_size_mb": 10}

    def read_config(self, reader: ConfigReader) -> None:
        read_extensions(reader, "allowed_types", default=DEFAULT_FILE_TYPES)
        reader.whole_number("max_size_mb", 1, 50, default=10)

    def form_field(self, block: Mapping[str, Any]) -> forms.Field:
        config = config_of(block)
        return fields.UploadField(
            allowed_types=config.get("allowed_types", DEFAULT_FILE_TYPES),
            max_size_mb=config.get("max_size_mb", 10),
            **field_arguments(block),
        )

    def to_json(self, block: Mapping[str, Any], value: Any) -> Any:
        if value is None or isinstance(value, str):
            return value
        raise TypeError(
            "Save the uploaded file to storage first and store its name: a file answer is "
            "kept as the storage name."
        )
