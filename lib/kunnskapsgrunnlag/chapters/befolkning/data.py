"""Befolkning: SSB table 07459 loaded and harmonised to the 2024 division (cached).

Everything is on the **2024 division** (15 counties, 357 municipalities) and comes from SSB
table 07459 in the bundled snapshot (:func:`kunnskapsgrunnlag.data.snapshot.load`):

* **2019**: ``07459-kommuner-2019``, 422 municipalities of the 2019 division, single-year age,
  no sex. Summed to the 2024 counties with :mod:`kunnskapsgrunnlag.regions` (KLASS 131 code
  changes).
* **2020–2022**: ``07459-kommuner-2020`` … ``-2022``, 356 municipalities of the 2020–2023
  division, sex × single-year age. Summed to 2024 counties and to 2024 municipality codes.
* **2023–2025**: ``07459-fylker-2023-2025``, Norway and the 15 counties of 2024 (SSB codelist
  ``agg_KommFylker``), sex × 10-year age groups. Already on 2024 borders.

What the data allows, and what this module therefore does (never interpolating):

* **Population (folkemengde)** for Norway and every county in all seven years.
* **Age shares**: 67+ needs single years of age, which only the municipal files have, so
  ``andel_67_og_eldre`` covers 2019–2022. 70+ and 80+ can be read from both kinds of file, so
  ``andel_70_og_eldre`` and ``andel_80_og_eldre`` cover 2019–2025.
* **Population pyramid by sex** (10-year groups): the county file, 2023 against the latest year.
* **Municipalities**: 2020–2022 only, the years of one division (356 municipalities), mapped
  to 2024 codes. Ålesund 1507 was split into Ålesund 1508 and Haram 1580 in 2024; its figures
  for 2020–2022 are kept as **one combined unit** ``"1508+1580"`` (named by
  :func:`kunnskapsgrunnlag.regions.aggregate_to_municipalities_2024`), never apportioned. 2019
  is left out at municipality level because the 2020 splits (Snillfjord, Tysfjord) would add
  further combined units that exist in one year only.

Loading and harmonising happen once per process (``functools.lru_cache``); every public
function returns a new frame, so callers may modify what they get.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from kunnskapsgrunnlag import regions
from kunnskapsgrunnlag.data import snapshot
from kunnskapsgrunnlag.regions import COUNTIES, NORWAY, region_name
from kunnskapsgrunnlag.status import group_sum

TABLE = "07459"
"""SSB table every figure of this chapter comes from."""

MUNICIPAL_SOURCES: dict[int, str] = {y: f"07459-kommuner-{y}" for y in (2019, 2020, 2021, 2022)}
"""Snapshot ids of the municipal files (single-year age), by year."""

COUNTY_SOURCE = "07459-fylker-2023-2025"
"""Snapshot id of the county file (10-year age groups, by sex)."""

YEARS: tuple[int, ...] = tuple(range(2019, 2026))
"""Years (1 January) with population for Norway and the counties."""

FIRST_YEAR, LAST_YEAR = YEARS[0], YEARS[-1]

MUNICIPAL_YEARS: tuple[int, ...] = (2020, 2021, 2022)
"""Years with municipality figures on 2024 codes (one division: 356 municipalities)."""

PYRAMID_BASE_YEAR = 2023
"""First year of the county file: the pyramid's comparison year."""

AGE_GROUPS: tuple[str, ...] = (
    "0-9",
    "10-19",
    "20-29",
    "30-39",
    "40-49",
    "50-59",
    "60-69",
    "70-79",
    "80-89",
    "90-99",
    "100+",
)
"""The county file's 10-year age groups, youngest first."""

SHARE_INDICATORS: dict[str, int] = {
    "andel_67_og_eldre": 67,
    "andel_70_og_eldre": 70,
    "andel_80_og_eldre": 80,
}
"""Age-share indicator id → lowest age counted."""

_GROUP_LOW = {g: int(g.rstrip("+").split("-")[0]) for g in AGE_GROUPS}

INDICATOR_IDS: tuple[str, ...] = (
    "folkemengde",
    "befolkningsvekst_prosent",
    "befolkningsvekst_siden_2019_prosent",
    "befolkningsvekst_2020_2022_prosent",
    "andel_67_og_eldre",
    "andel_70_og_eldre",
    "andel_80_og_eldre",
)
"""The registry ids of this chapter (its provider's indicators)."""

DATA_SOURCES: tuple[str, ...] = ("snapshot", "live")
"""``data_source`` values (notebook parameter): the bundled snapshot or SSB's API."""


@lru_cache(maxsize=16)
def _source(source_id: str, ds: str) -> pd.DataFrame:
    """Load one source once per process and data source (never hand out uncopied)."""
    if ds not in DATA_SOURCES:
        raise ValueError(f"data_source must be one of {DATA_SOURCES}, got {ds!r}")
    return snapshot.load(source_id, ds)


AGE_BANDS: tuple[int, ...] = (0, 10, 20, 30, 40, 50, 60, 67, 70, 80, 90, 100)
"""Lower bounds of the age bands single years are summed into: the county file's 10-year
groups, with 60–69 cut at 67 so that 67+ stays exact."""


def _band(age: pd.Series) -> pd.Series:
    edges = np.asarray(AGE_BANDS)
    return pd.Series(
        edges[np.searchsorted(edges, age.to_numpy(), side="right") - 1], index=age.index
    )


@lru_cache(maxsize=8)
def _municipal_banded(year: int, ds: str) -> pd.DataFrame:
    """One municipal file summed over sex into :data:`AGE_BANDS` (``age`` = band lower bound)."""
    df = _source(MUNICIPAL_SOURCES[year], ds)
    work = df[["region", "year", "value", "status"]].copy()
    work["region"] = work["region"].astype(object)
    work["age"] = _band(df["age"].astype(int))
    return group_sum(work, by=["region", "year", "age"])


def _municipal(year: int, ds: str) -> pd.DataFrame:
    return _municipal_banded(year, ds).copy()


def _county_file(ds: str) -> pd.DataFrame:
    df = _source(COUNTY_SOURCE, ds)
    out = df[["region", "year", "sex", "age_group", "value", "status"]].copy()
    out["region"] = out["region"].astype(object)
    out["sex"] = out["sex"].astype(str)
    out["age_group"] = out["age_group"].astype(str)
    return out


@lru_cache(maxsize=2)
def _county_by_age(ds: str) -> pd.DataFrame:
    """Norway and counties by age band: 2019–2022 from the municipal files, 2023–2025 groups.

    Columns: region, year, age (lower bound of the band or 10-year group), value, status,
    detail (``"single"``: single-year files in :data:`AGE_BANDS`; ``"group"``: county file).
    """
    parts = []
    for year in MUNICIPAL_SOURCES:
        df = _municipal(year, ds)
        counties = regions.aggregate_to_counties(df, year, by=["year", "age"], name=None)
        norway = group_sum(df.assign(region=NORWAY), by=["year", "age", "region"])
        for part in (norway, counties):
            parts.append(part.assign(detail="single"))
    cf = _county_file(ds)
    cf["age"] = cf["age_group"].map(_GROUP_LOW)
    grouped = group_sum(cf, by=["year", "age", "region"])
    parts.append(grouped.assign(detail="group"))
    out = pd.concat(parts, ignore_index=True)
    return out[["region", "year", "age", "value", "status", "detail"]]


@lru_cache(maxsize=2)
def _county_totals(ds: str) -> pd.DataFrame:
    by_age = _county_by_age(ds)
    out = group_sum(by_age, by=["region", "year"])
    out["name"] = out["region"].map(region_name)
    out["source_id"] = (
        out["year"].map(lambda y: MUNICIPAL_SOURCES.get(int(y), COUNTY_SOURCE)).astype(object)
    )
    return _sort_regions(out[["region", "name", "year", "value", "status", "source_id"]])


@lru_cache(maxsize=2)
def _municipal_by_age(ds: str) -> pd.DataFrame:
    parts = []
    for year in MUNICIPAL_YEARS:
        df = _municipal(year, ds)
        parts.append(
            regions.aggregate_to_municipalities_2024(df, year, by=["year", "age"], name="name")
        )
    out = pd.concat(parts, ignore_index=True)
    out["county"] = out["region"].str[:2]
    return out


@lru_cache(maxsize=2)
def _municipal_totals(ds: str) -> pd.DataFrame:
    by_age = _municipal_by_age(ds)
    names = by_age.drop_duplicates("region").set_index("region")["name"]
    out = group_sum(by_age, by=["region", "year"])
    out["name"] = out["region"].map(names).astype(object)
    out["county"] = out["region"].str[:2].astype(object)
    return out[["region", "name", "county", "year", "value", "status"]].sort_values(
        ["region", "year"], ignore_index=True
    )


def cache_clear() -> None:
    """Forget every loaded and harmonised frame (e.g. after ``kg fetch`` or in tests)."""
    for func in (
        _source,
        _municipal_banded,
        _county_by_age,
        _county_totals,
        _municipal_by_age,
        _municipal_totals,
    ):
        func.cache_clear()


def _sort_regions(df: pd.DataFrame) -> pd.DataFrame:
    key = df["region"].map(lambda r: (len(r) if r != NORWAY else 0, r))
    return df.assign(_k=key).sort_values(["_k", "year"]).drop(columns="_k").reset_index(drop=True)


def county_population(data_source: str = "snapshot") -> pd.DataFrame:
    """Return the population on 1 January 2019–2025 of Norway and the 15 counties (2024 borders).

    2019–2022 are the municipal files summed to 2024 counties (and, for Norway, the sum of every
    row of the file); 2023–2025 come from the county file, Norway from its own national rows.

    Returns:
        A new frame with columns ``region`` (``"0"`` or 2-digit), ``name``, ``year``, ``value``
        (persons), ``status`` (SSB symbol or ``None``) and ``source_id`` (snapshot id).
    """
    return _county_totals(data_source).copy()


def county_age(detail: str | None = None, data_source: str = "snapshot") -> pd.DataFrame:
    """Return the population of Norway and the counties by age.

    Args:
        detail: ``"single"`` for single years of age (2019–2022), ``"group"`` for the 10-year
            groups of the county file (2023–2025; ``age`` is the group's lowest age), ``None``
            for both.
        data_source: ``"snapshot"`` (bundled files) or ``"live"`` (SSB's API).

    Returns:
        A new frame with columns ``region``, ``year``, ``age``, ``value``, ``status``, ``detail``.
    """
    df = _county_by_age(data_source)
    if detail is not None:
        df = df[df["detail"] == detail]
    return df.reset_index(drop=True).copy()


def municipal_population(data_source: str = "snapshot") -> pd.DataFrame:
    """Return the population of the 2024 municipalities on 1 January 2020–2022.

    Ålesund 1507 (2020–2022) is the combined unit ``"1508+1580"``; see the module docstring.

    Returns:
        A new frame with columns ``region`` (4-digit 2024 code or combined unit), ``name``,
        ``county`` (2-digit), ``year``, ``value``, ``status``.
    """
    return _municipal_totals(data_source).copy()


def pyramid(
    county_code: str,
    years: Sequence[int] = (PYRAMID_BASE_YEAR, LAST_YEAR),
    data_source: str = "snapshot",
) -> pd.DataFrame:
    """Return the population by sex and 10-year age group (county file) of a county or Norway.

    Args:
        county_code: ``"0"`` or a 2024 county code.
        years: Years from 2023–2025.
        data_source: ``"snapshot"`` (bundled files) or ``"live"`` (SSB's API).

    Returns:
        A new frame with columns ``age_group`` (ordered categorical, youngest first), ``sex``
        (``"1"`` menn, ``"2"`` kvinner), ``year``, ``value``, ``status``.
    """
    _check_region(county_code)
    cf = _county_file(data_source)
    bad = sorted(set(years) - set(cf["year"]))
    if bad:
        raise ValueError(f"years {bad} are not in {COUNTY_SOURCE} (2023–2025)")
    df = cf[(cf["region"] == county_code) & cf["year"].isin(list(years))]
    out = df[["age_group", "sex", "year", "value", "status"]].copy()
    out["age_group"] = pd.Categorical(out["age_group"], categories=list(AGE_GROUPS), ordered=True)
    return out.sort_values(["year", "sex", "age_group"], ignore_index=True)


def _check_region(code: str) -> None:
    if code != NORWAY and code not in COUNTIES:
        raise ValueError(f"{code!r} is neither Norway ('0') nor a 2024 county code")
