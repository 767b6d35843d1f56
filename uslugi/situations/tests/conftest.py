from typing import Any

import pytest

from uslugi.accounts.factories import UserFactory
from uslugi.catalogue.demo import load_demo as load_catalogue
from uslugi.constructor.demo import load_demo as load_constructor
from uslugi.situations.demo import load_demo as load_situations


@pytest.fixture
def demo() -> None:
    load_catalogue()
    load_constructor()
    load_situations()


@pytest.fixture
def citizen() -> Any:
    return UserFactory(username="ivanova", email="ivanova@example.org", last_name="Иванова")
