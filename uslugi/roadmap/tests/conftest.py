from typing import Any

import pytest

from uslugi.roadmap.demo import load_demo as load_roadmap
from uslugi.roadmap.tests.history import build_reported_history


@pytest.fixture
def reported_history(db: Any) -> int:
    """Orenburg's reported results as a history of cases (nothing added where the quality demo
    loaded it already); the demo roadmap's baselines recorded again over it. Needs the demo
    catalogue and constructor loaded first."""
    added = build_reported_history()
    load_roadmap()
    return added
