"""Reading a block's `config` (and `bounds`) while collecting problems an administrator can fix.

Each reader method checks one setting, records a `BlockError` naming the setting and what is
wrong with it, and returns the parsed value (or the default, or None when the value is unusable)
so that a kind can go on to check settings that depend on each other (`min` against `max`).
"""

import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from uslugi.constructor.blocks.errors import BlockError

TODAY = "today"


def join_path(prefix: str, suffix: str) -> str:
    """`blocks[3]` + `config.min` → `blocks[3].config.min`; `options` + `[1]` → `options[1]`."""
    if not prefix:
        return suffix
    if not suffix:
        return prefix
    return f"{prefix}{suffix}" if suffix.startswith("[") else f"{prefix}.{suffix}"


class Report:
    """The problems of one block, each under `path` (the block's own path) plus a suffix."""

    def __init__(self, path: str, block_key: str) -> None:
        self.path = path
        self.block_key = block_key
        self.errors: list[BlockError] = []

    def add(self, where: str, message: str) -> None:
        self.errors.append(BlockError(join_path(self.path, where), self.block_key, message))

    def extend(self, errors: Iterable[BlockError]) -> None:
        self.errors.extend(errors)


def is_whole_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def as_decimal(value: object) -> Decimal | None:
    """A JSON number (or a numeric string, as amounts are often written) as a Decimal."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def as_money(value: object) -> Decimal | None:
    """A non-negative amount of rubles with at most two places (kopecks), or None."""
    number = as_decimal(value)
    if number is None or number < 0 or has_more_places(number, 2):
        return None
    return number


def has_more_places(number: Decimal, places: int) -> bool:
    exponent = number.normalize().as_tuple().exponent
    return isinstance(exponent, int) and -exponent > places


def as_date_bound(value: object) -> date | str | None:
    """An ISO date, or the word `today` (resolved when an answer is checked), or None."""
    if value == TODAY:
        return TODAY
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


class ConfigReader:
    """Reads settings from one mapping (`config`, or `bounds`) under the path `section`.

    `unfilled` names the settings a region fills later (a parameter block's bounded keys): a
    template may leave those out even where the kind otherwise requires them.
    """

    def __init__(
        self,
        values: Mapping[str, Any],
        report: Report,
        *,
        section: str = "config",
        unfilled: Iterable[str] = (),
    ) -> None:
        self.values = values
        self.report = report
        self.section = section
        self.unfilled = frozenset(unfilled)
        self.seen: set[str] = set()

    def where(self, name: str) -> str:
        return join_path(self.section, name)

    def add(self, name: str, message: str) -> None:
        self.report.add(self.where(name), message)

    def has(self, name: str) -> bool:
        self.seen.add(name)
        return name in self.values

    def missing(self, name: str) -> None:
        """Record that a required setting is absent, unless the region is the one to fill it."""
        if name not in self.unfilled:
            self.add(name, _("%(name)s must be filled in.") % {"name": name})

    def whole_number(self, name: str, low: int, high: int, default: int | None) -> int | None:
        if not self.has(name):
            return default
        value = self.values[name]
        if not is_whole_number(value) or not low <= value <= high:
            self.add(
                name,
                _("%(name)s must be a whole number from %(low)s to %(high)s.")
                % {"name": name, "low": low, "high": high},
            )
            return None
        return int(value)

    def text(self, name: str, *, required: bool, default: str = "") -> str | None:
        if not self.has(name):
            if required:
                self.missing(name)
                return None
            return default
        value = self.values[name]
        if not isinstance(value, str):
            self.add(name, _("%(name)s must be text.") % {"name": name})
            return None
        if required and not value.strip():
            self.add(name, _("%(name)s must be filled in.") % {"name": name})
            return None
        return value

    def boolean(self, name: str, default: bool) -> bool | None:
        if not self.has(name):
            return default
        value = self.values[name]
        if not isinstance(value, bool):
            self.add(name, _("%(name)s must be true or false.") % {"name": name})
            return None
        return value

    def choice(self, name: str, choices: tuple[str, ...], default: str | None) -> str | None:
        if not self.has(name):
            if default is None:
                self.missing(name)
            return default
        value = self.values[name]
        if value not in choices:
            self.add(
                name,
                _("%(name)s must be one of: %(choices)s.")
                % {"name": name, "choices": ", ".join(choices)},
            )
            return None
        return str(value)

    def number(self, name: str) -> Decimal | None:
        if not self.has(name) or self.values[name] is None:
            return None
        value = as_decimal(self.values[name])
        if value is None:
            self.add(name, _("%(name)s must be a number.") % {"name": name})
        return value

    def money(self, name: str) -> Decimal | None:
        if not self.has(name) or self.values[name] is None:
            return None
        value = as_money(self.values[name])
        if value is None:
            self.add(
                name,
                _(
                    "%(name)s must be an amount in rubles, not negative, "
                    "with at most 2 decimal places."
                )
                % {"name": name},
            )
        return value

    def date_bound(self, name: str) -> date | str | None:
        if not self.has(name) or self.values[name] is None:
            return None
        value = as_date_bound(self.values[name])
        if value is None:
            self.add(
                name,
                _("%(name)s must be a date written as YYYY-MM-DD, or the word today.")
                % {"name": name},
            )
        return value

    def pattern(self, name: str) -> str | None:
        value = self.text(name, required=False)
        if value:
            try:
                re.compile(value)
            except re.error as error:
                self.add(
                    name,
                    _("%(name)s is not a valid regular expression: %(reason)s.")
                    % {"name": name, "reason": error.msg},
                )
                return None
        return value

    def options(self, name: str = "options") -> list[dict[str, str]] | None:
        """A list of `{"value", "label"}`, at least one, each non-empty, values unique."""
        if not self.has(name):
            self.missing(name)
            return None
        value = self.values[name]
        if not isinstance(value, list) or not value:
            self.add(name, _("%(name)s must list at least one option.") % {"name": name})
            return None
        options: list[dict[str, str]] = []
        seen: set[str] = set()
        for index, option in enumerate(value):
            at = f"{name}[{index}]"
            if not isinstance(option, dict):
                self.add(
                    at,
                    _("Each option in %(name)s must have a value and a label.") % {"name": name},
                )
                continue
            option_value, label = option.get("value"), option.get("label")
            if not isinstance(option_value, str) or not option_value.strip():
                self.add(
                    f"{at}.value",
                    _("Each option in %(name)s needs a value: non-empty text.") % {"name": name},
                )
            elif option_value in seen:
                self.add(
                    f"{at}.value",
                    _(
                        "The value %(value)s appears more than once in %(name)s; "
                        "option values must be unique."
                    )
                    % {"value": option_value, "name": name},
                )
            if not isinstance(label, str) or not label.strip():
                self.add(
                    f"{at}.label",
                    _("Each option in %(name)s needs a label: the text the citizen reads.")
                    % {"name": name},
                )
            extra = sorted(set(option) - {"value", "label"})
            if extra:
                self.add(
                    f"{at}.{extra[0]}",
                    _("An option has only a value and a label, not %(name)s.") % {"name": extra[0]},
                )
            if isinstance(option_value, str) and isinstance(label, str):
                seen.add(option_value)
                options.append({"value": option_value, "label": label})
        return options

    def order(self, low_name: str, low: Any, high_name: str, high: Any) -> None:
        """Two settings that form a range: the low one must not exceed the high one."""
        if low is None or high is None or low == TODAY or high == TODAY:
            return
        if low > high:
            self.add(
                low_name,
                _("%(low)s must not be greater than %(high)s.")
                % {"low": low_name, "high": high_name},
            )

    def finish(self, kind_title: str) -> None:
        """Report settings the kind does not know, which are usually misspellings."""
        for name in self.values:
            if name not in self.seen:
                self.add(
                    name,
                    _("A block of kind “%(kind)s” has no setting %(name)s.")
                    % {"kind": kind_title, "name": name},
                )


EXTENSION = re.compile(r"\.[a-z0-9]{1,10}")


def read_extensions(reader: ConfigReader, name: str, default: list[str] | None) -> list[str] | None:
    """A non-empty list of file extensions written like `.pdf`."""
    if not reader.has(name):
        if default is None:
            reader.missing(name)
        return default
    value = reader.values[name]
    if not isinstance(value, list) or not value:
        reader.add(
            name,
            _("%(name)s must list at least one file extension, such as .pdf.") % {"name": name},
        )
        return None
    extensions = []
    for index, extension in enumerate(value):
        if not isinstance(extension, str) or not EXTENSION.fullmatch(extension):
            reader.add(
                f"{name}[{index}]",
                _(
                    "%(name)s must list file extensions written like .pdf "
                    "(a dot, then small Latin letters or digits); %(value)s is not one."
                )
                % {"name": name, "value": extension},
            )
        else:
            extensions.append(extension)
    return extensions
