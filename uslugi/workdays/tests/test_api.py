"""`GET /api/calendar/{region}/{year}` and `POST /api/deadline`: the command's objects over HTTP."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

ISSUE_EXAMPLE = {
    "region": "56",
    "received": "2025-12-25T15:00",
    "term": 15,
    "kind": "working",
    "suspensions": [{"start": "2026-01-12", "end": "2026-01-16"}],
}


def post(client, payload):
    return client.post("/api/deadline", payload, content_type="application/json")


def test_calendar_year_answers_what_the_command_prints(client):
    # given
    out = StringIO()
    call_command("workcalendar", "--region", "16", "--year", "2026", "--json", stdout=out)
    # when
    response = client.get("/api/calendar/16/2026")
    # then
    assert response.status_code == 200
    assert response.json() == json.loads(out.getvalue())


def test_deadline_answers_what_the_command_prints(client):
    out = StringIO()
    call_command(
        "deadline",
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
        "--json",
        stdout=out,
    )
    response = post(client, ISSUE_EXAMPLE)
    assert response.status_code == 200
    assert response.json() == json.loads(out.getvalue())
    assert response.json()["due_date"] == "2026-02-03"


def test_deadline_without_suspensions(client):
    payload = {key: value for key, value in ISSUE_EXAMPLE.items() if key != "suspensions"}
    response = post(client, payload)
    assert response.status_code == 200
    assert response.json()["due_date"] == "2026-01-27"
    assert response.json()["provisional"] is False


def test_deadline_with_an_extension(client):
    response = post(
        client,
        {**ISSUE_EXAMPLE, "suspensions": [], "extensions": [{"days": 2, "reason": "request"}]},
    )
    assert response.status_code == 200
    assert response.json()["explanation"]["effective_term"] == 17


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"region": "99"}, "The production calendar has no region with code 99."),
        ({"term": 0}, "A term must be a whole number of days greater than zero, not 0."),
        ({"term": -5}, "A term must be a whole number of days greater than zero, not -5."),
        (
            {"suspensions": [{"start": "2026-01-16", "end": "2026-01-12"}]},
            "A suspension cannot end before it starts: 2026-01-16 to 2026-01-12.",
        ),
        (
            {"received": "2023-06-01T10:00"},
            "2023-06-01 is outside the production calendar, which covers 2024-01-01 to 2030-12-31.",
        ),
    ],
    ids=["unknown-region", "zero-term", "negative-term", "suspension", "date-outside"],
)
def test_deadline_errors_are_400_with_the_reason(client, change, reason):
    response = post(client, {**ISSUE_EXAMPLE, **change})
    assert response.status_code == 400
    assert response.json() == {"detail": reason}


@pytest.mark.parametrize(
    "change",
    [{"kind": "fortnightly"}, {"received": "yesterday"}, {"term": "many"}],
    ids=["kind", "received", "term"],
)
def test_malformed_deadline_input_is_400_with_the_field(client, change):
    response = post(client, {**ISSUE_EXAMPLE, **change})
    assert response.status_code == 400
    field = next(iter(change))
    assert any(field in error for error in response.json()["errors"])


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("/api/calendar/99/2025", "The production calendar has no region with code 99."),
        (
            "/api/calendar/56/2031",
            "2031 is outside the production calendar, which covers 2024-01-01 to 2030-12-31.",
        ),
    ],
)
def test_calendar_errors_are_400_with_the_reason(client, url, reason):
    response = client.get(url)
    assert response.status_code == 400
    assert response.json() == {"detail": reason}
