"""Befolkning: SSB table 07459 on the 2024 division, 1 January 2019–2026 (cached).

Everything is on the **2024 division** (15 counties, 357 municipalities) and comes from SSB
table 07459 in the bundled snapshot (:func:`kunnskapsgrunnlag.data.snapshot.load`):

* **2019–2022** (Norway and counties): ``07459-kommuner-2019`` … ``-2022``, SSB's municipal
  files (single-year age), summed to the 2024 counties with :mod:`kunnskapsgrunnlag.regions`.
* **2023–2026** (Norway and counties): ``07459-b2024-fylker``, SSB 07459 re-summed on the 2024
  borders by FHI (csdata), sex × single-year age. 2024–2026 equal SSB's own county figures
  (``07459-fylker-2023-2025``, tested); 2023 is FHI's re-districting (derived).
* **Municipalities 2020–2026**: ``07459-b2024-kommuner-aldersgrupper``, the 357 municipalities
  of 2024 in age bands; 2024–2026 are SSB's figures, 2020–2023 FHI's re-districting (derived).
  Ålesund and Haram, split from one municipality in 2024, get ``"."`` before 2024: FHI's fixed
  weights share the old figure out and say nothing about either part.

Single years of age in every year mean that 67+, 70+ and 80+ cover 2019–2026. The pyramid
(sex × 10-year group) compares 2024 with 2026, years with SSB's own figures.

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
from kunnskapsgrunnlag.text import T

TABLE = "07459"
"""SSB table every figure of this chapter comes from."""

MUNICIPAL_SOURCES: dict[int, str] = {y: f"07459-kommuner-{y}" for y in (2019, 2020, 2021, 2022)}
"""Snapshot ids of the municipal files (single-year age), by year."""

COUNTY_SOURCE = "07459-b2024-fylker"
"""Snapshot id of Norway and the counties on the 2024 borders (sex × single age, 2010–2026)."""

COUNTY_YEARS: tuple[int, ...] = (2023, 2024, 2025, 2026)
"""Years taken from :data:`COUNTY_SOURCE` (earlier years come from the municipal files)."""

MUNICIPAL_SOURCE = "07459-b2024-kommuner-aldersgrupper"
"""Snapshot id of the 357 municipalities of 2024 in age bands, 2020–2026."""

FHI_CREDIT = T(
    "Omregning til 2024-inndelingen: Folkehelseinstituttet (csdata, MIT)",
    "Omrekning til 2024-inndelinga: Folkehelseinstituttet (csdata, MIT)",
)
"""The credit for FHI's re-summing onto the 2024 borders (figures from 2023 and municipalities)."""

DERIVED_BEFORE = 2024
"""On the 2024 borders, figures before this year are FHI's re-districting (derived)."""

YEARS: tuple[int, ...] = tuple(range(2019, 2027))
"""Years (1 January) with population for Norway and the counties."""

FIRST_YEAR, LAST_YEAR = YEARS[0], YEARS[-1]

MUNICIPAL_YEARS: tuple[int, ...] = tuple(range(2020, 2027))
"""Years with municipality figures on the 2024 division (357 municipalities)."""

PYRAMID_BASE_YEAR = 2024
"""The pyramid's comparison year (the first year of the 2024 division)."""

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
    "befolkningsvekst_2020_2026_prosent",
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


@lru_cache(maxsize=2)
def _county_single(ds: str) -> pd.DataFrame:
    """Norway and the counties 2023–2026 by sex × single year (:data:`COUNTY_SOURCE`)."""
    df = _source(COUNTY_SOURCE, ds)
    if int(df["year"].max()) > LAST_YEAR:
        raise ValueError(f"{COUNTY_SOURCE} has years after {LAST_YEAR}; they must not be used")
    df = df[df["year"].isin(COUNTY_YEARS)]
    out = df[["region", "year", "sex", "age", "value", "status"]].copy()
    out["region"] = out["region"].astype(str).astype(object)
    out["sex"] = out["sex"].astype(str)
    return out.reset_index(drop=True)


def _county_file(ds: str) -> pd.DataFrame:
    """Norway and the counties by sex × 10-year group (:data:`AGE_GROUPS`), 2023–2026."""
    df = _county_single(ds)
    low = np.asarray([_GROUP_LOW[g] for g in AGE_GROUPS])
    idx = np.searchsorted(low, df["age"].to_numpy(), side="right") - 1
    work = df.assign(age_group=np.asarray(AGE_GROUPS, dtype=object)[idx])
    out = group_sum(work, by=["region", "year", "sex", "age_group"])
    return out[["region", "year", "sex", "age_group", "value", "status"]]


@lru_cache(maxsize=2)
def _county_by_age(ds: str) -> pd.DataFrame:
    """Norway and counties by age band (:data:`AGE_BANDS`), 2019–2026.

    2019–2022 from the municipal files, 2023–2026 from the county file on the 2024 borders.

    Columns: region, year, age (lower bound of the band), value, status, detail (``"single"``:
    every source has single years of age).
    """
    parts = []
    for year in MUNICIPAL_SOURCES:
        df = _municipal(year, ds)
        counties = regions.aggregate_to_counties(df, year, by=["year", "age"], name=None)
        norway = group_sum(df.assign(region=NORWAY), by=["year", "age", "region"])
        for part in (norway, counties):
            parts.append(part.assign(detail="single"))
    cf = _county_single(ds)
    cf = cf.assign(age=_band(cf["age"].astype(int)))
    parts.append(group_sum(cf, by=["year", "age", "region"]).assign(detail="single"))
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
    """The 2024 municipalities by age band, 2020–2026 (:data:`MUNICIPAL_SOURCE`)."""
    df = _source(MUNICIPAL_SOURCE, ds)
    df = df[df["year"].isin(MUNICIPAL_YEARS)]
    out = pd.DataFrame({"region": df["region"].astype(str).astype(object),
                        "year": df["year"].astype(int), "age": df["age"].astype(int),
                        "value": df["value"].astype(float), "status": df["status"],
                        "name": df["region_name"].astype(object)})  # fmt: skip
    out = group_sum(out, by=["region", "name", "year", "age"])
    split = _split_successors()
    cut = out["region"].isin(split) & (out["year"] < DERIVED_BEFORE)
    out.loc[cut, "value"], out.loc[cut, "status"] = np.nan, "."
    out["county"] = out["region"].str[:2]
    return out


def _split_successors() -> set[str]:
    """2024 municipalities made by splitting one (Ålesund → Ålesund and Haram).

    FHI's re-districting shares the old municipality out by fixed weights; the figures before
    the split say nothing about either part, so they get SSB's ``"."`` (not applicable).
    """
    out: set[str] = set()
    for year in range(MUNICIPAL_YEARS[0], DERIVED_BEFORE):
        for succ in regions.split_units(year)["successors_2024"]:
            out.update(succ)
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
        _county_single,
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
    """Return the population on 1 January 2019–2026 of Norway and the 15 counties (2024 borders).

    2019–2022 are the municipal files summed to 2024 counties (and, for Norway, the sum of every
    row of the file); 2023–2026 come from the county file on the 2024 borders (2023 derived).

    Returns:
        A new frame with columns ``region`` (``"0"`` or 2-digit), ``name``, ``year``, ``value``
        (persons), ``status`` (SSB symbol or ``None``) and ``source_id`` (snapshot id).
    """
    return _county_totals(data_source).copy()


def county_age(detail: str | None = None, data_source: str = "snapshot") -> pd.DataFrame:
    """Return the population of Norway and the counties by age.

    Args:
        detail: ``"single"`` for single years of age (2019–2022), ``"group"`` for the 10-year
            groups (not produced any more: every year has single years of age), ``None``
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
    """Return the population of the 2024 municipalities on 1 January 2020–2026.

    2020–2023 are FHI's re-districting onto the 2024 borders (derived).

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
        years: Years from 2023–2026.
        data_source: ``"snapshot"`` (bundled files) or ``"live"`` (SSB's API).

    Returns:
        A new frame with columns ``age_group`` (ordered categorical, youngest first), ``sex``
        (``"1"`` menn, ``"2"`` kvinner), ``year``, ``value``, ``status``.
    """
    _check_region(county_code)
    cf = _county_file(data_source)
    bad = sorted(set(years) - set(cf["year"]))
    if bad:
        raise ValueError(f"years {bad} are not in {COUNTY_SOURCE} (2023–2026)")
    df = cf[(cf["region"] == county_code) & cf["year"].isin(list(years))]
    out = df[["age_group", "sex", "year", "value", "status"]].copy()
    out["age_group"] = pd.Categorical(out["age_group"], categories=list(AGE_GROUPS), ordered=True)
    return out.sort_values(["year", "sex", "age_group"], ignore_index=True)


def _check_region(code: str) -> None:
    if code != NORWAY and code not in COUNTIES:
        raise ValueError(f"{code!r} is neither Norway ('0') nor a 2024 county code")
