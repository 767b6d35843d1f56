import pytest

from uslugi.accounts.models import User
from uslugi.applications.demo import load_demo as load_people
from uslugi.catalogue.demo import load_demo as load_catalogue
from uslugi.feedback import selectors
from uslugi.feedback.demo import load_demo
from uslugi.feedback.models import Comment, CommentState

pytestmark = pytest.mark.django_db


def test_the_demo_gives_the_pension_curator_an_account_and_is_idempotent() -> None:
    # given the demo catalogue and people
    load_catalogue()
    load_people()

    # when the feedback demo loads twice
    first = load_demo()
    second = load_demo()

    # then curator56 curates the old-age pension in 56; one comment is published
    assert first == {"curator accounts": 1, "comments": 2}
    assert second == {"curator accounts": 0, "comments": 0}
    curator = User.objects.get(username="curator56")
    assert curator.check_password("uslugi-demo")
    assert "pensiya_star" in [s.code for s in selectors.list_curated_services(curator)]
    assert Comment.objects.filter(state=CommentState.PUBLISHED).count() == 1
