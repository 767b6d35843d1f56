from typing import Any

import pytest
from django.core.management import call_command

from uslugi.catalogue.demo import load_demo as load_catalogue
from uslugi.constructor.demo import load_demo as load_constructor
from uslugi.quality import services


@pytest.fixture
def pages_history(db: Any) -> None:
    """A year of generated cases with ratings and complaints in three regions, rolled up."""
    load_catalogue()
    load_constructor()
    call_command(
        "generate_history",
        count=1500,
        days=400,
        batch=1500,
        seed=11,
        with_feedback=True,
        verbosity=0,
    )
    services.rebuild_rollups()
