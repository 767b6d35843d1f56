"""The public month-grid page of a region's year."""

import re

import pytest

from uslugi.workdays import selectors

pytestmark = pytest.mark.django_db


def cell(html: str, day: str) -> str:
    """The <td> of one day of the grid."""
    match = re.search(rf'<td[^>]*>\s*<time datetime="{day}">.*?</td>', html, re.S)
    assert match, day
    return match.group(0)


def test_year_page_marks_and_explains_days(client):
    # when
    response = client.get("/calendar/02/2025/")
    html = response.content.decode()
    # then twelve month tables with captions and column headers
    assert response.status_code == 200
    assert html.count("<caption>") == 12
    assert html.count('<th scope="col">') == 12 * 7
    assert 'href="/static/css/calendar.css"' in html
    # and each marked day says what it is in words, with the reason in its title
    republic_day = cell(html, "2025-10-11")
    assert "workcalendar-day--holiday" in republic_day
    assert "non-working holiday" in republic_day
    assert "День Республики" in republic_day
    moved = cell(html, "2025-10-13")
    assert "day off transferred here" in moved
    working_saturday = cell(html, "2025-11-01")
    assert "working weekend day" in working_saturday
    assert "shortened day" in cell(html, "2025-10-10")
    assert "workcalendar-day--working" in cell(html, "2025-10-14")
    # a legend, the explanation list and links to the neighbouring years
    assert "Legend" in html
    assert "Why each marked day is marked" in html
    assert 'href="/calendar/02/2024/"' in html
    assert 'href="/calendar/02/2026/"' in html
    assert "Complete: 244 working days." in html


def test_provisional_year_page_says_so(client):
    html = client.get("/calendar/16/2027/").content.decode()
    assert "Provisional." in html
    assert 'href="/calendar/16/2028/"' in html


def test_last_year_has_no_next_link(client):
    html = client.get("/calendar/56/2030/").content.decode()
    assert 'href="/calendar/56/2029/"' in html
    assert "/calendar/56/2031/" not in html


@pytest.mark.parametrize("url", ["/calendar/99/2025/", "/calendar/56/2023/", "/calendar/56/2031/"])
def test_unknown_region_or_year_outside_the_data_is_404(client, url):
    assert client.get(url).status_code == 404


def test_index_lists_the_regions(client):
    html = client.get("/calendar/").content.decode()
    for code in ("56", "16", "02"):
        assert f"/calendar/{code}/" in html


def test_year_page_reads_one_row_once_the_calendar_is_cached(client, django_assert_num_queries):
    selectors.get_calendar("56")
    with django_assert_num_queries(1):
        assert client.get("/calendar/56/2026/").status_code == 200
