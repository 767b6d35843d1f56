"""`manage.py deadline`: one deadline in a region, explained (`--json` for machines)."""

import json
from datetime import date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from uslugi.core.errors import UserFacingError
from uslugi.workdays import selectors
from uslugi.workdays.deadlines import (
    DeadlineInputs,
    Extension,
    Suspension,
    TermKind,
    calculate_due_date,
)
from uslugi.workdays.errors import InvalidCommandInput


def _parse_date(option: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidCommandInput(option, value, "YYYY-MM-DD") from None


def parse_suspension(value: str) -> Suspension:
    start, separator, end = value.partition(":")
    if not separator:
        raise InvalidCommandInput("--suspend", value, "YYYY-MM-DD:YYYY-MM-DD")
    return Suspension(_parse_date("--suspend", start), _parse_date("--suspend", end))


def parse_extension(value: str) -> Extension:
    days, _separator, reason = value.partition(":")
    try:
        return Extension(int(days), reason.strip())
    except ValueError:
        raise InvalidCommandInput("--extend", value, "DAYS:REASON") from None


def parse_inputs(options: dict[str, Any]) -> DeadlineInputs:
    try:
        received = datetime.strptime(options["received"], "%Y-%m-%d %H:%M")
    except ValueError:
        raise InvalidCommandInput("--received", options["received"], "YYYY-MM-DD HH:MM") from None
    try:
        term = int(options["term"])
    except ValueError:
        raise InvalidCommandInput("--term", options["term"], "a whole number of days") from None
    return DeadlineInputs(
        received=received,
        term=term,
        kind=TermKind(options["kind"]),
        suspensions=tuple(parse_suspension(value) for value in options["suspend"]),
        extensions=tuple(parse_extension(value) for value in options["extend"]),
    )


class Command(BaseCommand):
    help = "Compute the due date of a request in a region and explain it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True, help="two-digit region code, e.g. 56")
        parser.add_argument(
            "--received", required=True, help='local time in the region: "YYYY-MM-DD HH:MM"'
        )
        parser.add_argument("--term", required=True, help="the term in days, greater than zero")
        parser.add_argument("--kind", required=True, choices=[kind.value for kind in TermKind])
        parser.add_argument(
            "--suspend",
            action="append",
            default=[],
            metavar="YYYY-MM-DD:YYYY-MM-DD",
            help="a suspension, first and last day inclusive; may be repeated",
        )
        parser.add_argument(
            "--extend",
            action="append",
            default=[],
            metavar="DAYS:REASON",
            help="an extension by DAYS of the term's kind; may be repeated",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            inputs = parse_inputs(options)
            deadline = calculate_due_date(
                selectors.get_calendar_for_command(options["region"]), inputs
            )
        except UserFacingError as error:
            raise CommandError(error.message) from None
        if options["json"]:
            self.stdout.write(json.dumps(deadline.as_dict(), ensure_ascii=False))
            return
        self.stdout.write(
            _("Region %(region)s: due date %(due)s (registered on %(registered)s)%(provisional)s")
            % {
                "region": deadline.region,
                "due": deadline.due_date.isoformat(),
                "registered": deadline.registered_on.isoformat(),
                "provisional": _(", provisional") if deadline.provisional else "",
            }
        )
        for line in deadline.explanation.lines(deadline.due_date):
            self.stdout.write(f"  {line}")
