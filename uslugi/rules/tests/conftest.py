"""The rules tests assert the English messages (the msgids), whatever LANGUAGE_CODE says."""

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True, scope="module")
def _english() -> Iterator[None]:
    # Module scope: hypothesis refuses function-scoped fixtures around @given tests.
    with translation.override("en"):
        yield
