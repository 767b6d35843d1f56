"""The measures and parameters shipped in `data/` as plain values, without the database.

The demo loads them into the database; the bulk-path test and the benchmark compile them
directly, so that both evaluate exactly the rules the demo publishes.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from uslugi.support.eligibility import CompiledMeasure, compile_measure

DATA = Path(__file__).parent / "data"


@cache
def read_measures() -> list[dict[str, Any]]:
    return json.loads((DATA / "measures.json").read_text(encoding="utf-8"))


@cache
def read_parameters() -> list[dict[str, str]]:
    with (DATA / "parameters.csv").open(encoding="utf-8") as source:
        return list(csv.DictReader(source))


def parameters_on(region_code: str, day: date) -> dict[str, float]:
    """As `selectors.parameters_in_force`, from the shipped rows: regional wins over federal."""
    federal: dict[str, tuple[date, float]] = {}
    regional: dict[str, tuple[date, float]] = {}
    for row in read_parameters():
        start = date.fromisoformat(row["valid_from"])
        end = date.fromisoformat(row["valid_to"]) if row["valid_to"] else date.max
        if not start <= day <= end or row["region"] not in ("", region_code):
            continue
        target = regional if row["region"] else federal
        if row["name"] not in target or target[row["name"]][0] < start:
            target[row["name"]] = (start, float(row["value"]))
    return {name: value for name, (_start, value) in {**federal, **regional}.items()}


def compiled_shipped_measures() -> list[CompiledMeasure]:
    """Every shipped measure of every region it exists in; rule ids are their positions."""
    measures: list[CompiledMeasure] = []
    for measure in read_measures():
        for code in measure["regions"]:
            measures.append(
                compile_measure(
                    rule_id=len(measures) + 1,
                    service_id=len(measures) + 1,
                    service_code=measure["code"],
                    region_code=code,
                    name=measure["code"],
                    criteria=measure["criteria"],
                    amount_expression=measure["amount_expression"],
                    amount_text=measure["amount_text"],
                    legal_basis=measure["legal_basis"],
                )
            )
    return measures
