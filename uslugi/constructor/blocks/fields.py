"""Django form fields for the field kinds: each `clean()` returns the normalised answer.

The fields work without JavaScript: composite answers (passport, address) are several plain
text inputs, each with its own visible label, inside the fieldset Django renders for a
`MultiWidget` (`use_fieldset`), whose legend is the block's label.
"""

import re
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import PurePath
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from uslugi.constructor.blocks import identifiers
from uslugi.constructor.blocks.config import TODAY

BYTES_IN_MEGABYTE = 1024 * 1024
SPACES = re.compile(r"[\s\u00a0\u202f]")


class FullMatchValidator:
    """The whole answer must match the administrator's `pattern` (not just a part of it)."""

    def __init__(self, pattern: str) -> None:
        self.pattern = re.compile(pattern)

    def __call__(self, value: str) -> None:
        if value and not self.pattern.fullmatch(value):
            raise ValidationError(
                _("The answer is not in the required format. Please check it."), code="pattern"
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FullMatchValidator) and other.pattern == self.pattern

    __hash__ = None  # type: ignore[assignment]


def _number_text(value: Any) -> Any:
    """Accept what people type: `1 234,5` as well as `1234.5`."""
    if isinstance(value, str):
        return SPACES.sub("", value).replace(",", ".")
    return value


class IntegerAnswerField(forms.IntegerField):
    def to_python(self, value: Any) -> Any:
        return super().to_python(_number_text(value))


class DecimalAnswerField(forms.DecimalField):
    def to_python(self, value: Any) -> Any:
        return super().to_python(_number_text(value))


def number_messages(*, money: bool) -> dict[str, Any]:
    if money:
        return {
            "invalid": gettext_lazy("Enter an amount in rubles, for example 1500 or 1500,50."),
            "min_value": gettext_lazy("The amount must be at least %(limit_value)s."),
            "max_value": gettext_lazy("The amount must be at most %(limit_value)s."),
            "max_decimal_places": gettext_lazy(
                "Enter at most 2 digits after the decimal point (kopecks)."
            ),
        }
    return {
        "min_value": gettext_lazy("The number must be at least %(limit_value)s."),
        "max_value": gettext_lazy("The number must be at most %(limit_value)s."),
    }


class DateAnswerField(forms.DateField):
    """A date within `min`/`max`, each an ISO date or `today` (the local date when checked)."""

    def __init__(
        self, *, earliest: date | str | None, latest: date | str | None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d.%m.%Y"])
        super().__init__(**kwargs)
        self.earliest = earliest
        self.latest = latest

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        earliest, latest = resolve_day(self.earliest), resolve_day(self.latest)
        if earliest is not None and value < earliest:
            if self.earliest == TODAY:
                raise ValidationError(_("The date cannot be in the past."), code="min_value")
            raise ValidationError(
                _("The date cannot be earlier than %(date)s.") % {"date": show_day(earliest)},
                code="min_value",
            )
        if latest is not None and value > latest:
            if self.latest == TODAY:
                raise ValidationError(_("The date cannot be in the future."), code="max_value")
            raise ValidationError(
                _("The date cannot be later than %(date)s.") % {"date": show_day(latest)},
                code="max_value",
            )


def resolve_day(bound: date | str | None) -> date | None:
    if bound == TODAY:
        return timezone.localdate()
    return bound if isinstance(bound, date) else None


def show_day(day: date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


class YesNoField(forms.TypedChoiceField):
    """Two radio buttons; `True`/`False`, or None when left unanswered and not required.

    A checkbox cannot tell "no" from "not answered", so a yes/no question is a choice.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
            coerce=lambda value: value == "yes",
            empty_value=None,
            widget=forms.RadioSelect,
            **kwargs,
        )

    def prepare_value(self, data: Any) -> Any:
        if isinstance(data, bool):
            return "yes" if data else "no"
        return data


class CountedMultipleChoiceField(forms.MultipleChoiceField):
    """Checkboxes; the number ticked must lie within `min_selected`..`max_selected`."""

    def __init__(self, *, min_selected: int | None, max_selected: int | None, **kwargs: Any):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(**kwargs)
        self.min_selected = min_selected
        self.max_selected = max_selected

    def validate(self, value: Any) -> None:
        super().validate(value)
        count = len(value)
        if count == 0 and not self.required:
            return
        if self.min_selected is not None and count < self.min_selected:
            raise ValidationError(
                ngettext(
                    "Choose at least %(count)d option.",
                    "Choose at least %(count)d options.",
                    self.min_selected,
                )
                % {"count": self.min_selected},
                code="too_few",
            )
        if self.max_selected is not None and count > self.max_selected:
            raise ValidationError(
                ngettext(
                    "Choose no more than %(count)d option.",
                    "Choose no more than %(count)d options.",
                    self.max_selected,
                )
                % {"count": self.max_selected},
                code="too_many",
            )


class NormalisedField(forms.CharField):
    """Text turned into one canonical form by `normalise`, then checked by `is_valid`."""

    normalise: Callable[[str], str | None]
    is_valid: Callable[[str], bool] | None = None
    malformed_message: Promise
    invalid_message: Promise | None = None
    input_attrs: dict[str, str] = {}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs=dict(self.input_attrs)))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not text:
            return ""
        normalised = type(self).normalise(text)
        if normalised is None:
            raise ValidationError(str(self.malformed_message), code="malformed")
        is_valid = type(self).is_valid
        if is_valid is not None and not is_valid(normalised):
            raise ValidationError(str(self.invalid_message), code="checksum")
        return normalised


class PhoneField(NormalisedField):
    normalise = staticmethod(identifiers.normalise_phone)
    malformed_message = gettext_lazy(
        "Enter a Russian phone number: +7 or 8 and then 10 digits, for example +7 912 345-67-89."
    )
    input_attrs = {"type": "tel", "autocomplete": "tel", "inputmode": "tel"}


class SnilsField(NormalisedField):
    normalise = staticmethod(identifiers.normalise_snils)
    is_valid = staticmethod(identifiers.snils_is_valid)
    malformed_message = gettext_lazy("A SNILS has 11 digits, for example 112-233-445 95.")
    invalid_message = gettext_lazy(
        "This SNILS does not exist: its last two digits do not match the others. "
        "Please check the number."
    )
    input_attrs = {"inputmode": "numeric", "autocomplete": "off"}


class InnPersonField(NormalisedField):
    normalise = staticmethod(lambda text: identifiers.normalise_inn(text, 12))
    is_valid = staticmethod(identifiers.inn_person_is_valid)
    malformed_message = gettext_lazy("The INN of a person has 12 digits.")
    invalid_message = gettext_lazy(
        "This INN does not exist: its check digits do not match. Please check the number."
    )
    input_attrs = {"inputmode": "numeric", "autocomplete": "off"}


class InnOrganisationField(NormalisedField):
    normalise = staticmethod(lambda text: identifiers.normalise_inn(text, 10))
    is_valid = staticmethod(identifiers.inn_organisation_is_valid)
    malformed_message = gettext_lazy("The INN of an organisation has 10 digits.")
    invalid_message = gettext_lazy(
        "This INN does not exist: its check digit does not match. Please check the number."
    )
    input_attrs = {"inputmode": "numeric", "autocomplete": "off"}


class PassportSeriesField(NormalisedField):
    normalise = staticmethod(identifiers.normalise_passport_series)
    malformed_message = gettext_lazy("The passport series has 4 digits, for example 45 10.")


class PassportNumberField(NormalisedField):
    normalise = staticmethod(identifiers.normalise_passport_number)
    malformed_message = gettext_lazy("The passport number has 6 digits, for example 123456.")


class LabelledPartsWidget(forms.MultiWidget):
    """Text inputs for the parts of one answer, each with its own `<label>`.

    Django renders a `MultiWidget` inside `<fieldset><legend>` (the block's label); each part
    here gets `<label for>` with the part's name, so screen readers announce both.
    """

    def __init__(self, parts: Sequence[tuple[str, Promise, dict[str, str]]]) -> None:
        self.part_names = [name for name, _label, _attrs in parts]
        self.part_labels = [label for _name, label, _attrs in parts]
        super().__init__({name: forms.TextInput(attrs) for name, _label, attrs in parts})

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dict):
            return [value.get(name) for name in self.part_names]
        return [None] * len(self.part_names)

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        context = self.get_context(name, value, attrs)
        parts = []
        for widget, part, label in zip(
            self.widgets, context["widget"]["subwidgets"], self.part_labels, strict=True
        ):
            html = widget.render(part["name"], part["value"], part["attrs"], renderer)
            parts.append((part["attrs"].get("id", ""), label, html))
        return format_html_join(
            "", '<div class="answer-part"><label for="{}">{}</label>{}</div>', parts
        )


class PartsField(forms.MultiValueField):
    """A record answer: `{part: text}`, or None when left empty and not required."""

    def __init__(
        self, parts: Sequence[tuple[str, Promise, forms.Field, dict[str, str]]], **kwargs: Any
    ) -> None:
        self.part_names = [name for name, _label, _field, _attrs in parts]
        widget = LabelledPartsWidget([(name, label, attrs) for name, label, _f, attrs in parts])
        super().__init__(
            fields=[field for _name, _label, field, _attrs in parts],
            widget=widget,
            require_all_fields=False,
            **kwargs,
        )

    def compress(self, data_list: list[Any]) -> dict[str, str] | None:
        if not data_list:
            return None
        return {name: value or "" for name, value in zip(self.part_names, data_list, strict=True)}


def passport_field(**kwargs: Any) -> PartsField:
    numeric = {"inputmode": "numeric", "autocomplete": "off"}
    return PartsField(
        [
            (
                "series",
                gettext_lazy("Series"),
                PassportSeriesField(
                    error_messages={"incomplete": gettext_lazy("Enter the passport series.")}
                ),
                {**numeric, "size": "5"},
            ),
            (
                "number",
                gettext_lazy("Number"),
                PassportNumberField(
                    error_messages={"incomplete": gettext_lazy("Enter the passport number.")}
                ),
                {**numeric, "size": "7"},
            ),
        ],
        **kwargs,
    )


def address_field(**kwargs: Any) -> PartsField:
    def part(message: Any, max_length: int) -> forms.CharField:
        if message is None:
            return forms.CharField(max_length=max_length, required=False)
        return forms.CharField(max_length=max_length, error_messages={"incomplete": message})

    return PartsField(
        [
            (
                "region",
                gettext_lazy("Region"),
                part(gettext_lazy("Enter the region."), 200),
                {"autocomplete": "address-level1"},
            ),
            (
                "settlement",
                gettext_lazy("City, town or village"),
                part(gettext_lazy("Enter the city, town or village."), 200),
                {"autocomplete": "address-level2"},
            ),
            (
                "street",
                gettext_lazy("Street"),
                part(gettext_lazy("Enter the street."), 200),
                {"autocomplete": "address-line1"},
            ),
            (
                "house",
                gettext_lazy("House"),
                part(gettext_lazy("Enter the house number."), 20),
                {"size": "6"},
            ),
            (
                "flat",
                gettext_lazy("Flat (if any)"),
                part(None, 20),
                {"size": "6"},
            ),
        ],
        **kwargs,
    )


class UploadField(forms.FileField):
    """One file whose extension is among `allowed_types` and whose size is within the limit."""

    def __init__(self, *, allowed_types: Sequence[str], max_size_mb: int, **kwargs: Any):
        accept = ",".join(allowed_types)
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": accept}))
        super().__init__(**kwargs)
        self.allowed_types = [extension.lower() for extension in allowed_types]
        self.max_size_mb = max_size_mb

    def validate(self, value: Any) -> None:
        super().validate(value)
        if not isinstance(value, UploadedFile):
            return
        if PurePath(value.name or "").suffix.lower() not in self.allowed_types:
            raise ValidationError(
                _("Files of this type are not accepted. Upload a file of type %(types)s.")
                % {"types": ", ".join(self.allowed_types)},
                code="file_type",
            )
        if (value.size or 0) > self.max_size_mb * BYTES_IN_MEGABYTE:
            raise ValidationError(
                _("The file is too large: the limit is %(size)s MB.") % {"size": self.max_size_mb},
                code="file_size",
            )
