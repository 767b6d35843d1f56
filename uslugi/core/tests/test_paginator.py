import pytest

from uslugi.catalogue.factories import RegionFactory
from uslugi.catalogue.models import Region
from uslugi.core.paginator import CappedPaginator

pytestmark = pytest.mark.django_db


def test_counts_exactly_below_the_cap_and_stops_at_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # given three regions and a cap of two
    for code in ("56", "16", "02"):
        RegionFactory(code=code, name=code)
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    # when
    capped = CappedPaginator(Region.objects.order_by("code"), 1)
    exact = CappedPaginator(Region.objects.filter(code="56"), 1)
    # then
    assert (capped.count, capped.is_capped) == (3, True)
    assert (exact.count, exact.is_capped) == (1, False)
    assert [region.code for region in capped.page(2)] == ["16"]
