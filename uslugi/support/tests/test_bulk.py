"""Done when: the bulk path and the per-citizen path agree on every citizen of a 100 000-person
sample — the shipped measures of all three regions, compiled to polars, against `assess`."""

from datetime import date

from uslugi.support.eligibility import assess, bulk_values
from uslugi.support.population import generate
from uslugi.support.shipped import compiled_shipped_measures, parameters_on

DAY = date(2026, 3, 2)
SAMPLE = 100_000


def test_bulk_and_per_citizen_paths_agree_on_a_100_000_person_sample() -> None:
    # given 100 000 generated citizens, 3 % of each optional answer unknown, and every measure
    frame = generate(SAMPLE, seed=7, today=DAY, missing=0.03)
    measures = compiled_shipped_measures()
    parameters = {code: parameters_on(code, DAY) for code in ("56", "16", "02")}

    # when the bulk path evaluates them all, and the per-citizen path each citizen
    bulk = bulk_values(measures, frame, parameters, DAY)
    records = frame.to_dicts()
    disagreements = []
    seen = {True: 0, False: 0, None: 0}
    people = set()
    for measure in measures:
        rows = bulk[measure.rule_id]
        for row, value in zip(rows["row"].to_list(), rows["value"].to_list(), strict=True):
            one = assess(measure, records[row], parameters[measure.region_code], DAY).value
            seen[one] += 1
            people.add(row)
            if one is not value:
                disagreements.append((measure.service_code, row, one, value))

    # then every citizen got every measure of their region, and the two paths agree on each
    assert len(people) == SAMPLE
    assert sum(seen.values()) == sum(
        frame["region"].eq(measure.region_code).sum() for measure in measures
    )
    assert disagreements == []
    # (and the sample exercises all three answers, so the agreement means something)
    assert min(seen.values()) > 1_000


def test_a_frame_ordered_by_region_gives_the_same_values_through_slices() -> None:
    # given a population and the same people ordered region by region
    frame = generate(5_000, seed=3, today=DAY, missing=0.05)
    ordered = frame.sort("region", "owner")
    measures = compiled_shipped_measures()
    parameters = {code: parameters_on(code, DAY) for code in ("56", "16", "02")}

    # when both are evaluated (filters for the first, slices for the second)
    mixed = bulk_values(measures, frame, parameters, DAY)
    sliced = bulk_values(measures, ordered, parameters, DAY)

    # then every person has the same value for every measure
    owners, ordered_owners = frame["owner"], ordered["owner"]
    for measure in measures:
        first = {owners[row]: value for row, value in mixed[measure.rule_id].iter_rows()}
        second = {ordered_owners[row]: value for row, value in sliced[measure.rule_id].iter_rows()}
        assert first == second
        assert len(first) == frame["region"].eq(measure.region_code).sum()
