"""`manage.py deadline` and `manage.py workcalendar`: the JSON other issues rely on, and errors."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, ManagementUtility, call_command

pytestmark = pytest.mark.django_db

ISSUE_EXAMPLE = [
    "--region",
    "56",
    "--received",
    "2025-12-25 15:00",
    "--term",
    "15",
    "--kind",
    "working",
    "--suspend",
    "2026-01-12:2026-01-16",
]


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_deadline_json():
    # when
    data = json.loads(run("deadline", *ISSUE_EXAMPLE, "--json"))
    # then
    assert data["region"] == "56"
    assert data["received"] == "2025-12-25T15:00"
    assert data["term"] == 15
    assert data["kind"] == "working"
    assert data["registered_on"] == "2025-12-25"
    assert data["due_date"] == "2026-02-03"
    assert data["provisional"] is False
    assert data["explanation"]["suspended_days"] == 5
    assert data["explanation"]["lines"][-1] == "Due date: 2026-02-03."


def test_deadline_with_an_extension_and_a_provisional_year():
    data = json.loads(
        run(
            "deadline",
            "--region",
            "02",
            "--received",
            "2026-12-30 19:00",
            "--term",
            "10",
            "--kind",
            "calendar",
            "--extend",
            "5:interagency request",
            "--json",
        )
    )
    assert data["registered_on"] == "2027-01-11"
    assert data["explanation"]["effective_term"] == 15
    assert data["provisional"] is True
    assert data["explanation"]["provisional_years"] == [2027]


def test_deadline_readable_output():
    text = run("deadline", *ISSUE_EXAMPLE)
    assert text.splitlines()[0] == "Region 56: due date 2026-02-03 (registered on 2025-12-25)"
    assert "Suspended from 2026-01-12 through 2026-01-16" in text


def test_workcalendar_json():
    data = json.loads(run("workcalendar", "--region", "02", "--year", "2025", "--json"))
    assert set(data) == {
        "region",
        "year",
        "complete",
        "non_working",
        "working_weekends",
        "shortened",
    }
    assert data["region"] == "02"
    assert data["year"] == 2025
    assert data["complete"] is True
    assert {"2025-10-11", "2025-10-13", "2025-03-31"} <= set(data["non_working"])
    assert data["working_weekends"] == ["2025-11-01"]
    assert "2025-10-10" in data["shortened"]


def test_workcalendar_readable_output():
    text = run("workcalendar", "--region", "16", "--year", "2027")
    assert "provisional" in text.splitlines()[0]


BASE = ["--region", "56", "--received", "2025-12-25 15:00", "--term", "15", "--kind", "working"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "99", *BASE[2:]], "no region with code 99"),
        ([*BASE[:5], "0", *BASE[6:]], "greater than zero, not 0"),
        ([*BASE[:5], "-4", *BASE[6:]], "greater than zero, not -4"),
        ([*BASE[:5], "many", *BASE[6:]], "--term: 'many' is not valid"),
        ([*BASE, "--suspend", "2026-01-16:2026-01-12"], "cannot end before it starts"),
        ([*BASE, "--suspend", "2026-01-16"], "--suspend: '2026-01-16' is not valid"),
        (["--region", "56", "--received", "2023-12-01 10:00", *BASE[4:]], "outside"),
        (["--region", "56", "--received", "25.12.2025", *BASE[4:]], "--received"),
        ([*BASE, "--extend", "0:reason"], "extension"),
    ],
    ids=[
        "unknown-region",
        "zero-term",
        "negative-term",
        "term-not-a-number",
        "suspension-ends-before-start",
        "suspension-malformed",
        "date-outside",
        "received-malformed",
        "extension-zero",
    ],
)
def test_deadline_errors_are_clear(args, message):
    with pytest.raises(CommandError, match=message):
        run("deadline", *args, "--json")


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--region", "99", "--year", "2025"], "99"), (["--region", "56", "--year", "2040"], "2040")],
)
def test_workcalendar_errors_are_clear(args, message):
    with pytest.raises(CommandError, match=message):
        run("workcalendar", *args, "--json")


def test_the_command_line_exits_non_zero_with_the_message_and_no_traceback(capsys):
    # given the command run as from a shell
    utility = ManagementUtility(["manage.py", "deadline", *BASE[:5], "-2", *BASE[6:], "--json"])
    # when
    with pytest.raises(SystemExit) as exit_info:
        utility.execute()
    # then
    captured = capsys.readouterr()
    assert exit_info.value.code == 1
    assert captured.out == ""
    assert "A term must be a whole number of days greater than zero, not -2." in captured.err
    assert "Traceback" not in captured.err


def test_commands_answer_from_the_shipped_files_before_the_database_is_migrated(monkeypatch):
    # given the answers of a migrated database
    migrated_deadline = run("deadline", *ISSUE_EXAMPLE, "--json")
    migrated_year = run("workcalendar", "--region", "16", "--year", "2025", "--json")
    # when the calendar's tables are not there yet (a fresh clone before `make run`)
    from django.db import connection

    monkeypatch.setattr(connection.introspection, "table_names", lambda *args, **kwargs: [])
    # then the commands give the same answers from the shipped files, and still refuse the unknown
    assert run("deadline", *ISSUE_EXAMPLE, "--json") == migrated_deadline
    assert run("workcalendar", "--region", "16", "--year", "2025", "--json") == migrated_year
    with pytest.raises(CommandError, match="99"):
        run("workcalendar", "--region", "99", "--year", "2025", "--json")
