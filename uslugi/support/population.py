"""A synthetic population registry: realistic citizens of regions 56, 16 and 02, generated fast.

`generate(count, seed, today)` returns a polars frame of profiles (the bulk path's input as is)
plus the registry's name and e-mail columns. Shares follow the demo regions' populations (about
1.9 M in Orenburg oblast, 4 M each in Tatarstan and Bashkortostan); ages, families, work, incomes
and pensions are drawn so that every measure finds its people. `missing` is the share of people
for whom each optional field is unknown, so that "cannot tell" is exercised too.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from uslugi.support.profile import PROFILE_SCHEMA

REGIONS = np.array(["56", "16", "02"])
REGION_SHARES = np.array([0.19, 0.405, 0.405])
WOMEN = (
    np.array(["Иванова", "Петрова", "Сидорова", "Кузнецова", "Галиева", "Хабибуллина"]),
    np.array(["Мария", "Анна", "Ольга", "Лейсан", "Гульнара", "Елена"]),
)
MEN = (
    np.array(["Иванов", "Петров", "Сидоров", "Кузнецов", "Галиев", "Хабибуллин"]),
    np.array(["Иван", "Сергей", "Айдар", "Рустам", "Николай", "Ильдар"]),
)


def _dates(today: date, ages_in_days: np.ndarray) -> np.ndarray:
    return (np.datetime64(today, "D") - ages_in_days.astype("timedelta64[D]")).astype(
        "datetime64[D]"
    )


def _mask(rng: np.random.Generator, size: int, share: float) -> np.ndarray:
    return rng.random(size) < share


def generate(count: int, *, seed: int = 1, today: date, missing: float = 0.02) -> pl.DataFrame:
    """`count` people; money in whole roubles; columns of `PROFILE_SCHEMA` plus names."""
    rng = np.random.default_rng(seed)
    n = count
    region = rng.choice(REGIONS, n, p=REGION_SHARES)
    age_years = np.clip(rng.gamma(4.0, 11.0, n) + 18, 18, 95)
    born = _dates(today, (age_years * 365.25).astype(np.int64))
    female = rng.random(n) < 0.54
    sex = np.where(female, "female", "male")
    pension_age = np.where(female, 59, 64)
    pensioner = age_years >= pension_age
    employed = np.where(pensioner, rng.random(n) < 0.2, rng.random(n) < 0.72)
    wage = np.round(rng.lognormal(np.log(420_000), 0.55, n))
    pension = np.round(rng.normal(280_000, 50_000, n).clip(120_000))
    income = np.where(employed, wage, 0) + np.where(pensioner, pension, 0)
    informal = (~employed) & (~pensioner) & (rng.random(n) < 0.35)
    income = np.where(informal, np.round(rng.uniform(20_000, 160_000, n)), income)
    work_years = np.clip((age_years - 20) * rng.uniform(0.5, 1.0, n), 0, 50).astype(np.int64)
    insurance_years = work_years
    points = np.round(work_years * rng.uniform(0.8, 3.2, n), 3)
    labour_award = (age_years > 45) & (rng.random(n) < 0.18)
    regional_award = (age_years > 45) & (rng.random(n) < 0.08)
    veteran = labour_award & (work_years >= 20) & (rng.random(n) < 0.6)
    receives_pension = pensioner & (rng.random(n) < 0.93)
    flats = rng.choice([0, 1, 2, 3], n, p=[0.18, 0.7, 0.1, 0.02])
    area = np.round(rng.uniform(28, 110, n), 1)
    utility = np.round(rng.uniform(2_500, 11_000, n))
    disability = rng.choice([0, 1, 2, 3], n, p=[0.9, 0.01, 0.04, 0.05])

    # Other adults: a partner for 62 %, of a similar age, working or not.
    partnered = rng.random(n) < 0.62
    owners = np.flatnonzero(partnered)
    partner_age = np.clip(age_years[owners] + rng.normal(0, 3, owners.size), 18, 99)
    partner_employed = np.where(
        partner_age >= 62, rng.random(owners.size) < 0.2, rng.random(owners.size) < 0.75
    )
    partner_income = np.where(
        partner_employed, np.round(rng.lognormal(np.log(450_000), 0.55, owners.size)), 0
    ) + np.where(partner_age >= 62, np.round(rng.normal(260_000, 40_000, owners.size)), 0)
    partner_income = np.where(
        rng.random(owners.size) < missing / 2, np.nan, partner_income
    )  # unknown to the registry
    adults = pl.DataFrame(
        {
            "owner": owners,
            "birth_date": _dates(today, (partner_age * 365.25).astype(np.int64)),
            "annual_income": partner_income,
            "employed": partner_employed,
            "valid_reason_no_income": partner_income == 0,
        }
    ).with_columns(pl.col("annual_income").fill_nan(None))

    # Children under 18: people aged 20–55 have 0–4 of them, younger than their parent − 18.
    fertile = (age_years >= 20) & (age_years <= 55)
    kids = np.where(fertile, rng.choice([0, 1, 2, 3, 4], n, p=[0.3, 0.3, 0.27, 0.1, 0.03]), 0)
    child_owner = np.repeat(np.arange(n), kids)
    max_age = np.minimum(np.repeat(age_years, kids) - 18, 17.99)
    child_age_days = (rng.random(child_owner.size) * max_age * 365.25).astype(np.int64)
    children = pl.DataFrame(
        {
            "owner": child_owner,
            "birth_date": _dates(today, child_age_days),
            "disabled": rng.random(child_owner.size) < 0.02,
        }
    )
    small_child = np.zeros(n, dtype=bool)
    small_child[child_owner[child_age_days < 3 * 365]] = True
    valid_reason = (income == 0) & (small_child | (disability > 0))

    benefits = np.where(kids > 0, np.where(rng.random(n) < 0.5, "matcap_cert", ""), "")

    people = pl.DataFrame(
        {
            "owner": np.arange(n),
            "region": region,
            "birth_date": born,
            "sex": sex,
            "employed": employed,
            "annual_income": income.astype(np.float64),
            "valid_reason_no_income": valid_reason,
            "disability_group": disability.astype(np.float64),
            "insurance_years": insurance_years.astype(np.float64),
            "pension_points": points,
            "work_years": work_years.astype(np.float64),
            "labour_award": labour_award,
            "regional_award": regional_award,
            "veteran_of_labour": veteran,
            "receives_pension": receives_pension,
            "flats": flats.astype(np.float64),
            "living_area": area,
            "utility_costs": utility,
            "benefits": benefits,
            "last_name": np.where(female, rng.choice(WOMEN[0], n), rng.choice(MEN[0], n)),
            "first_name": np.where(female, rng.choice(WOMEN[1], n), rng.choice(MEN[1], n)),
        }
    )
    adult_lists = adults.group_by("owner").agg(pl.struct(pl.exclude("owner")).alias("other_adults"))
    child_lists = children.group_by("owner").agg(pl.struct(pl.exclude("owner")).alias("children"))
    frame = (
        people.join(adult_lists, on="owner", how="left")
        .join(child_lists, on="owner", how="left")
        .sort("owner")
        .with_columns(
            pl.col("other_adults").fill_null(pl.lit([], dtype=adult_lists.schema["other_adults"])),
            pl.col("children").fill_null(pl.lit([], dtype=child_lists.schema["children"])),
            pl.when(pl.col("benefits") == "")
            .then(pl.lit([], dtype=pl.List(pl.String)))
            .otherwise(pl.concat_list(pl.col("benefits")))
            .alias("benefits"),
        )
    )
    if missing:
        unknown = {
            name: _mask(rng, n, missing)
            for name in ("annual_income", "employed", "children", "utility_costs", "sex")
        }
        frame = frame.with_columns(
            pl.when(pl.Series(unknown[name])).then(None).otherwise(pl.col(name)).alias(name)
            for name in unknown
        )
    schema = PROFILE_SCHEMA.polars_schema()
    return frame.with_columns(pl.col(name).cast(dtype) for name, dtype in schema.items()).select(
        "owner", *schema.names(), "last_name", "first_name"
    )
