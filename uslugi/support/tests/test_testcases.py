"""Each measure ships test cases as data; `manage.py test_rules` runs them all and fails loudly."""

import pytest
from django.core.management import call_command

from uslugi.catalogue.demo import load_demo as load_catalogue
from uslugi.support.demo import load_demo
from uslugi.support.models import RuleTestCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    load_catalogue()
    load_demo()


def test_every_shipped_test_case_passes(demo: None, capsys: pytest.CaptureFixture[str]) -> None:
    # given the demo's 27 measures and their 84 test cases
    # when test_rules runs
    call_command("test_rules")

    # then all pass
    out = capsys.readouterr().out
    assert out.strip().splitlines()[-1] == "84 passed, 0 failed"
    assert RuleTestCase.objects.count() == 84


def test_a_failing_case_exits_non_zero(demo: None, capsys: pytest.CaptureFixture[str]) -> None:
    # given a case whose expectation the rule does not meet
    case = RuleTestCase.objects.get(service__region__code="16", name="первый ребёнок")
    case.expected = "not_eligible"
    case.save()

    # when test_rules runs
    with pytest.raises(SystemExit) as exited:
        call_command("test_rules")

    # then it exits with 1 and names the case
    captured = capsys.readouterr()
    assert exited.value.code == 1
    assert "FAIL 16/matcap_cert: первый ребёнок" in captured.out
    assert captured.err.strip() == "83 passed, 1 failed"


def test_loading_the_demo_twice_changes_nothing(demo: None) -> None:
    # given the demo loaded
    # when it is loaded again
    created = load_demo()

    # then nothing is added
    assert created == {
        "parameters": 0,
        "rules": 0,
        "test_cases": 0,
        "people": 0,
        "offers": 0,
    }
