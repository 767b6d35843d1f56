"""The demo: three situations per region, from services with published variants, loaded once."""

import pytest

from uslugi.situations.demo import load_demo
from uslugi.situations.models import LifeSituation, VersionStatus

pytestmark = pytest.mark.django_db


def test_the_demo_composes_situations_from_published_variants_and_loads_once(demo: None) -> None:
    # then (the fixture loaded it) every region has the three situations, published
    assert sorted(LifeSituation.objects.values_list("region__code", "code")) == sorted(
        (region, code)
        for region in ["02", "16", "56"]
        for code in ["birth", "business", "retirement"]
    )
    assert not LifeSituation.objects.exclude(versions__status=VersionStatus.PUBLISHED).exists()
    # and the birth situation in Orenburg has its realistic composition
    birth = LifeSituation.objects.get(region__code="56", code="birth").versions.get().definition
    items = {item["key"]: item for item in birth["items"]}
    assert items["large_family"]["condition"] == 'child_order == "third_or_later"'
    assert items["birth_allowance"]["condition"] == "parent_not_working"
    assert items["matcap"]["proactive"] is True
    assert items["matcap"]["depends_on"] == ["birth"]
    # and the region-only veteran title is left out where no variant exists
    retirement = LifeSituation.objects.get(region__code="56", code="retirement")
    keys = [item["key"] for item in retirement.versions.get().definition["items"]]
    assert "veteran_region" not in keys
    # when it is loaded again, nothing more is created
    assert load_demo() == {"situations": 0}
