"""How a `parameter` block's `bounds` limit what the region may put in each config key.

A kind names its rules per config key (`BlockKind.bound_rules`). Each rule checks the shape of
its entry in the template's `bounds` (`read`) and whether the region's filled value stays inside
it (`check`). The shapes:

- `WholeRange` (max_length, share, term, …): `bounds[name]` is `{"min": n, "max": m}` (either
  may be left out); the region's value must be a whole number within.
- `Interval` (number/money/date `min` and `max`): `bounds.min` and `bounds.max` are values of the
  kind; each of the region's values named in `bounds` must lie between them.
- `OptionSubset` (options): a list of `{"value", "label"}`; the region's options use only those
  values (the labels are the region's own wording).
- `ExtensionSubset` (allowed_types): a list of extensions; the region lists only those.
"""

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from uslugi.constructor.blocks.config import (
    TODAY,
    ConfigReader,
    Report,
    is_whole_number,
    read_extensions,
)


def _missing(report: Report, name: str) -> None:
    report.add(f"config.{name}", _("The region must fill in %(name)s.") % {"name": name})


def _outside(report: Report, where: str, name: str, low: Any, high: Any) -> None:
    if low is not None and high is not None:
        message = _("%(name)s must be from %(low)s to %(high)s, as the template allows.")
    elif low is not None:
        message = _("%(name)s must be at least %(low)s, as the template allows.")
    else:
        message = _("%(name)s must be at most %(high)s, as the template allows.")
    report.add(where, message % {"name": name, "low": low, "high": high})


class BoundRule:
    def read(self, reader: ConfigReader, name: str) -> None:
        raise NotImplementedError

    def check(
        self, bounds: Mapping[str, Any], config: Mapping[str, Any], name: str, report: Report
    ) -> None:
        raise NotImplementedError


class WholeRange(BoundRule):
    """The region picks a whole number within `{"min", "max"}`, itself within the kind's limits."""

    def __init__(self, low: int, high: int) -> None:
        self.low = low
        self.high = high

    def read(self, reader: ConfigReader, name: str) -> None:
        reader.has(name)
        value = reader.values[name]
        shape_ok = (
            isinstance(value, dict)
            and value
            and set(value) <= {"min", "max"}
            and all(
                is_whole_number(limit) and self.low <= limit <= self.high
                for limit in value.values()
            )
        )
        if not shape_ok:
            reader.add(
                name,
                _(
                    "bounds for %(name)s must give min, max or both, "
                    "each a whole number from %(low)s to %(high)s."
                )
                % {"name": name, "low": self.low, "high": self.high},
            )
            return
        reader.order(f"{name}.min", value.get("min"), f"{name}.max", value.get("max"))

    def check(
        self, bounds: Mapping[str, Any], config: Mapping[str, Any], name: str, report: Report
    ) -> None:
        if name not in config:
            _missing(report, name)
            return
        low, high = bounds[name].get("min"), bounds[name].get("max")
        value = config[name]
        if (
            not is_whole_number(value)
            or (low is not None and value < low)
            or (high is not None and value > high)
        ):
            _outside(report, f"config.{name}", name, low, high)


class Interval(BoundRule):
    """`bounds.min` and `bounds.max` are the lowest and highest values the region may set for
    the kind's `min` and `max` (`today` is compared as the date of the check)."""

    def __init__(self, parse: Callable[[ConfigReader, str], Any]) -> None:
        self.parse = parse

    def read(self, reader: ConfigReader, name: str) -> None:
        self.parse(reader, name)
        if name == "max":
            reader.order(
                "min",
                _comparable(reader.values.get("min")),
                "max",
                _comparable(reader.values.get("max")),
            )

    def check(
        self, bounds: Mapping[str, Any], config: Mapping[str, Any], name: str, report: Report
    ) -> None:
        if config.get(name) is None:
            _missing(report, name)
            return
        scratch = Report("", "")
        value = _comparable(self.parse(ConfigReader(config, scratch), name))
        low = _comparable(self.parse(ConfigReader(bounds, scratch), "min"))
        high = _comparable(self.parse(ConfigReader(bounds, scratch), "max"))
        if value is None:
            return  # validate_block reports an unreadable value
        if (low is not None and value < low) or (high is not None and value > high):
            _outside(report, f"config.{name}", name, bounds.get("min"), bounds.get("max"))


def _comparable(value: Any) -> Any:
    if value == TODAY:
        return timezone.localdate()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return value


class OptionSubset(BoundRule):
    def read(self, reader: ConfigReader, name: str) -> None:
        reader.options(name)

    def check(
        self, bounds: Mapping[str, Any], config: Mapping[str, Any], name: str, report: Report
    ) -> None:
        if not config.get(name):
            _missing(report, name)
            return
        allowed = {option.get("value") for option in bounds[name] if isinstance(option, dict)}
        for index, option in enumerate(config[name]):
            value = option.get("value") if isinstance(option, dict) else None
            if value not in allowed:
                report.add(
                    f"config.{name}[{index}].value",
                    _("The option %(value)s is not among the options the template allows.")
                    % {"value": value},
                )


class ExtensionSubset(BoundRule):
    def read(self, reader: ConfigReader, name: str) -> None:
        read_extensions(reader, name, default=None)

    def check(
        self, bounds: Mapping[str, Any], config: Mapping[str, Any], name: str, report: Report
    ) -> None:
        if not config.get(name):
            _missing(report, name)
            return
        for index, extension in enumerate(config[name]):
            if extension not in bounds[name]:
                report.add(
                    f"config.{name}[{index}]",
                    _("The file type %(value)s is not among the types the template allows.")
                    % {"value": extension},
                )
