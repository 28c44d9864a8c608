"""Befolkning (population) chapter: harmonised series, indicators, figures and key sentences.

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
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag import regions
from kunnskapsgrunnlag.charts import style
from kunnskapsgrunnlag.data import snapshot
from kunnskapsgrunnlag.formatting import by_lang as _t
from kunnskapsgrunnlag.indicators import CSV_COLUMNS
from kunnskapsgrunnlag.regions import COUNTIES, NORWAY
from kunnskapsgrunnlag.regions import check_county as _check_county
from kunnskapsgrunnlag.status import combine, group_sum

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
"""The registry ids this chapter writes to ``outputs/indicators.csv``."""

DATA_SOURCES: tuple[str, ...] = ("snapshot", "live")
"""``data_source`` values (notebook parameter): the bundled snapshot or SSB's API."""


# ============================================================================================
# Loading and harmonising (cached; public functions return copies)
# ============================================================================================


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
        _county_shares,
        _municipal_shares,
    ):
        func.cache_clear()


def _sort_regions(df: pd.DataFrame) -> pd.DataFrame:
    key = df["region"].map(lambda r: (len(r) if r != NORWAY else 0, r))
    return df.assign(_k=key).sort_values(["_k", "year"]).drop(columns="_k").reset_index(drop=True)


def region_name(code: str) -> str:
    """Return the name of Norway (``"0"`` → ``"Hele landet"``, as in the snapshot) or a county."""
    if code == NORWAY:
        return snapshot.NORWAY_NAME
    return regions.county_name(code)


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


# ============================================================================================
# Indicators
# ============================================================================================


def _share_rows(by_age: pd.DataFrame, indicator: str, low: int) -> pd.DataFrame:
    """Return the share (%) of the population aged *low*+ per region and year, with symbols."""
    keys = ["region", "year"]
    total = group_sum(by_age, by=keys)
    old = group_sum(by_age[by_age["age"] >= low], by=keys)
    merged = total.merge(old, on=keys, suffixes=("_all", "_old"))
    value = merged["value_old"] / merged["value_all"] * 100.0
    status = [
        _symbol(a, b) for a, b in zip(merged["status_old"], merged["status_all"], strict=True)
    ]
    out = merged[keys].copy()
    out["indicator"] = indicator
    out["value"] = value.where([s is None for s in status], np.nan)
    out["status"] = pd.Series(status, index=out.index, dtype=object)
    return out


def _shares_from(by_age: pd.DataFrame) -> pd.DataFrame:
    parts = []
    for indicator, low in SHARE_INDICATORS.items():
        usable = by_age
        if "detail" in by_age.columns and low not in _GROUP_LOW.values():
            # 67+ cannot be read from 10-year groups: single-year rows only.
            usable = by_age[by_age["detail"] == "single"]
        parts.append(_share_rows(usable, indicator, low))
    return pd.concat(parts, ignore_index=True)


@lru_cache(maxsize=2)
def _county_shares(ds: str) -> pd.DataFrame:
    return _shares_from(_county_by_age(ds))


@lru_cache(maxsize=2)
def _municipal_shares(ds: str) -> pd.DataFrame:
    df = _shares_from(_municipal_by_age(ds))
    return df[df["indicator"] != "andel_70_og_eldre"].reset_index(drop=True)


def age_shares(data_source: str = "snapshot") -> pd.DataFrame:
    """Return the shares (%) aged 67+, 70+ and 80+ of Norway and the counties.

    67+ exists for 2019–2022 only (single-year municipal files); 70+ and 80+ for 2019–2025 (also
    readable from the county file's 10-year groups). Nothing is interpolated.

    Returns:
        A new frame with columns ``region``, ``year``, ``indicator``, ``value``, ``status``.
    """
    return _county_shares(data_source).copy()


def municipal_age_shares(data_source: str = "snapshot") -> pd.DataFrame:
    """Return the shares (%) aged 67+ and 80+ of the 2024 municipalities (and units), 2020–2022.

    Returns:
        A new frame with columns ``region``, ``year``, ``indicator``, ``value``, ``status``.
    """
    return _municipal_shares(data_source).copy()


def _symbol(*statuses: object) -> str | None:
    """Return the status of a figure computed from cells with *statuses* (first symbol wins)."""
    return combine(s for s in statuses if isinstance(s, str) and s != "-") or None


def _growth(df: pd.DataFrame, base_year: int | None = None) -> pd.DataFrame:
    """Add growth from the year before and from *base_year* (in %), with their SSB symbols.

    New columns: ``growth_pct``/``growth_status`` (change from the previous year; NaN and no
    symbol in the first year, NaN with the symbol when an input cell has one) and
    ``since_pct``/``since_status`` (change since *base_year*; NaN in *base_year*).
    """
    df = df.sort_values(["region", "year"]).copy()
    prev = df.groupby("region")["value"].shift(1)
    prev_status = df.groupby("region")["status"].shift(1)
    prev_year = df.groupby("region")["year"].shift(1)
    has_prev = (prev_year == df["year"] - 1).to_numpy()
    df["growth_pct"] = np.where(has_prev, (df["value"] / prev - 1) * 100, np.nan)
    df["growth_status"] = [
        _symbol(a, b) if ok else None
        for a, b, ok in zip(df["status"], prev_status, has_prev, strict=True)
    ]
    base_year = int(df["year"].min()) if base_year is None else base_year
    base = df[df["year"] == base_year].set_index("region")
    df["since_pct"] = (df["value"] / df["region"].map(base["value"]) - 1) * 100
    df["since_status"] = [
        _symbol(a, b) for a, b in zip(df["status"], df["region"].map(base["status"]), strict=True)
    ]
    at_base = df["year"] == base_year
    df.loc[at_base, "since_pct"] = np.nan
    df.loc[at_base, "since_status"] = None
    for col in ("growth_status", "since_status"):
        df[col] = df[col].astype(object).where(df[col].notna(), None)
    return df.reset_index(drop=True)


def county_growth(data_source: str = "snapshot") -> pd.DataFrame:
    """Return population and growth of Norway and the counties, 2019–2025.

    Returns:
        A new frame: :func:`county_population` plus ``growth_pct`` (change from the year
        before, %), ``since_pct`` (change since 1 January 2019, %) and ``rank_since`` (rank of
        the counties by ``since_pct``, 1 = strongest growth; NaN for Norway and 2019).
    """
    df = _growth(county_population(data_source), FIRST_YEAR)
    counties = df["region"] != NORWAY
    df["rank_since"] = np.nan
    df.loc[counties, "rank_since"] = (
        df[counties].groupby("year")["since_pct"].rank(ascending=False, method="min")
    )
    return _sort_regions(df)


def aggregate_set(df: pd.DataFrame, codes: Sequence[str], code: str = "set") -> pd.DataFrame:
    """Sum a region × year frame (``value``, ``status``) over the counties in *codes*.

    Args:
        df: Frame with ``region``, ``year``, ``value``, ``status``.
        codes: Counties to sum.
        code: Region code for the result.

    Returns:
        A new frame with ``region`` = *code*, ``year``, ``value``, ``status``.
    """
    part = df[df["region"].isin(list(codes))]
    if part["region"].nunique() != len(set(codes)):
        raise ValueError(f"not every county of {sorted(codes)} is in the frame")
    return group_sum(part.assign(region=code), by=["region", "year"])


def comparison_population(codes: Sequence[str], data_source: str = "snapshot") -> pd.DataFrame:
    """Return population and growth of the comparison set (the sum of its counties).

    Args:
        codes: County codes of the comparison set.
        data_source: ``"snapshot"`` (bundled files) or ``"live"`` (SSB's API).

    Returns:
        A new frame with ``region`` = ``"set"``, ``year``, ``value``, ``status``,
        ``growth_pct``, ``since_pct``.
    """
    return _growth(aggregate_set(county_population(data_source), codes), FIRST_YEAR)


def comparison_shares(codes: Sequence[str], data_source: str = "snapshot") -> pd.DataFrame:
    """Age shares of the comparison set, computed from its summed population by age.

    Args:
        codes: County codes of the comparison set.
        data_source: ``"snapshot"`` (bundled files) or ``"live"`` (SSB's API).

    Returns:
        A new frame with ``region`` = ``"set"``, ``year``, ``indicator``, ``value``, ``status``.
    """
    by_age = _county_by_age(data_source)
    part = by_age[by_age["region"].isin(list(codes))]
    summed = group_sum(part.assign(region="set"), by=["region", "year", "age", "detail"])
    return _shares_from(summed)


def municipal_table(county_code: str, data_source: str = "snapshot") -> pd.DataFrame:
    """Return the municipalities (2024 units) of a county: population 2020/2022, growth, shares.

    Args:
        county_code: 2024 county code.
        data_source: ``"snapshot"`` (bundled files) or ``"live"`` (SSB's API).

    Returns:
        A new frame sorted by population 2022 (largest first) with columns ``region``, ``name``,
        ``pop_2020``, ``pop_2022``, ``growth_pct`` (2020→2022), ``share_of_county_2020``,
        ``share_of_county_2022`` (%), ``andel_67_og_eldre``, ``andel_80_og_eldre`` (2022, %),
        ``status`` (symbol of the 2022 population cell).
    """
    _check_county(county_code)
    mp = _municipal_totals(data_source)
    mp = mp[mp["county"] == county_code]
    first, last = MUNICIPAL_YEARS[0], MUNICIPAL_YEARS[-1]
    wide = mp.pivot_table(index=["region", "name"], columns="year", values="value", aggfunc="sum")
    out = pd.DataFrame(
        {
            "region": [r for r, _ in wide.index],
            "name": [n for _, n in wide.index],
            "pop_2020": wide[first].to_numpy(),
            "pop_2022": wide[last].to_numpy(),
        }
    )
    out["growth_pct"] = (out["pop_2022"] / out["pop_2020"] - 1) * 100
    for y in (first, last):
        out[f"share_of_county_{y}"] = out[f"pop_{y}"] / out[f"pop_{y}"].sum() * 100
    shares = _municipal_shares(data_source)
    shares = shares[shares["year"] == last].pivot(
        index="region", columns="indicator", values="value"
    )
    for ind in ("andel_67_og_eldre", "andel_80_og_eldre"):
        out[ind] = out["region"].map(shares[ind])
    stat = mp[mp["year"] == last].set_index("region")["status"]
    out["status"] = out["region"].map(stat).astype(object)
    return out.sort_values(["pop_2022", "region"], ascending=[False, True], ignore_index=True)


# ============================================================================================
# indicators.csv
# ============================================================================================


def _registry_meta() -> dict[str, tuple[str, str]]:
    """Return indicator id → (csv unit, source text) from the indicator registry."""
    from kunnskapsgrunnlag import indicators

    out = {}
    for ind in INDICATOR_IDS:
        entry = indicators.get(ind)
        out[ind] = (entry.csv_unit, entry.source_text)
    return out


@lru_cache(maxsize=1)
def _csv_rows() -> pd.DataFrame:
    return indicator_rows()


def indicator_series(indicator_id: str, data_source: str = "snapshot") -> pd.DataFrame:
    """Registry provider: one indicator's figures (region, year, value, status) for this chapter.

    The figures are those of :func:`indicator_rows` (computed from the bundled snapshot).
    """
    rows = _csv_rows()
    rows = rows[rows["indicator"] == indicator_id]
    if rows.empty:
        raise KeyError(f"indicator {indicator_id!r} is not computed by this chapter")
    return pd.DataFrame(
        {
            "region": rows["region_code"].astype(object),
            "year": rows["year"].astype(int),
            "value": rows["value"].astype(float),
            "status": rows["status"].map(lambda s: s or None).astype(object),
        }
    ).reset_index(drop=True)


def indicator_rows() -> pd.DataFrame:
    """Return the chapter's rows of ``outputs/indicators.csv`` (Norway, counties, municipalities).

    * ``folkemengde``: Norway and the 15 counties 2019–2025; municipalities 2020–2022.
    * ``befolkningsvekst_prosent`` (change from the year before): Norway/counties 2020–2025,
      municipalities 2021–2022.
    * ``befolkningsvekst_siden_2019_prosent``: Norway/counties 2020–2025.
    * ``befolkningsvekst_2020_2022_prosent``: Norway, counties and municipalities, year 2022.
    * ``andel_67_og_eldre``: Norway/counties 2019–2022, municipalities 2020–2022.
    * ``andel_70_og_eldre``: Norway/counties 2019–2025.
    * ``andel_80_og_eldre``: Norway/counties 2019–2025, municipalities 2020–2022.

    Municipalities carry their 2024 KLASS codes, the only codes ``indicators.csv`` accepts. A
    combined unit (``"1508+1580"``, Ålesund 1507 before its 2024 split) is not a KLASS code, and
    splitting its figures would be a guess; so Ålesund 1508 and Haram 1580 get rows for
    2020–2022 with no value and SSB's symbol ``"."`` ("not possible to give a figure: the
    category was not in use then"). The rows are there, and a sum over Møre og Romsdal's
    municipalities comes out as ``"."`` instead of a silent undercount. The combined unit's
    figures are in the chapter itself (table and map).

    Returns:
        A new frame with columns ``indicator, region_code, region_name, year, value, status,
        unit, source``; ``status`` is the SSB symbol or empty.
    """
    meta = _registry_meta()
    counties = county_growth()
    muni = _growth(municipal_population(), MUNICIPAL_YEARS[0])
    c2020 = _growth(county_population()[lambda d: d["year"].isin(MUNICIPAL_YEARS)], 2020)
    last = MUNICIPAL_YEARS[-1]

    def rows(frame: pd.DataFrame, indicator: str, kind: str = "") -> pd.DataFrame:
        value, status = ("value", "status") if not kind else (f"{kind}_pct", f"{kind}_status")
        out = pd.DataFrame(
            {
                "indicator": indicator,
                "region": frame["region"],
                "year": frame["year"],
                "value": frame[value],
                "status": frame[status],
            }
        )
        # the first year has no growth: no row rather than a value without a symbol
        return out[out["value"].notna() | out["status"].notna()]

    parts = [
        rows(counties, "folkemengde"),
        rows(muni, "folkemengde"),
        rows(counties, "befolkningsvekst_prosent", "growth"),
        rows(muni, "befolkningsvekst_prosent", "growth"),
        rows(counties, "befolkningsvekst_siden_2019_prosent", "since"),
        rows(c2020[c2020["year"] == last], "befolkningsvekst_2020_2022_prosent", "since"),
        rows(muni[muni["year"] == last], "befolkningsvekst_2020_2022_prosent", "since"),
        _county_shares("snapshot")[["indicator", "region", "year", "value", "status"]],
        _municipal_shares("snapshot")[["indicator", "region", "year", "value", "status"]],
    ]
    out = pd.concat(parts, ignore_index=True)

    # Combined units → one "." row per 2024 municipality they cover.
    combined = out["region"].str.contains("+", regex=False)
    expanded = out[combined].assign(region=out.loc[combined, "region"].str.split("+"))
    expanded = expanded.explode("region").assign(value=np.nan, status=".")
    out = pd.concat([out[~combined], expanded], ignore_index=True)

    names = {c: region_name(c) for c in [NORWAY, *COUNTIES]}
    klass = regions.municipalities(2024)
    names.update(zip(klass["code"], klass["name"], strict=True))
    out = out.rename(columns={"region": "region_code"})
    out["region_name"] = out["region_code"].map(names)
    out["unit"] = out["indicator"].map(lambda i: meta[i][0])
    out["source"] = out["indicator"].map(lambda i: meta[i][1])
    out["status"] = out["status"].map(lambda s: s if isinstance(s, str) else "").astype(object)
    out["year"] = out["year"].astype(int)
    out["value"] = out["value"].astype(float)
    order = {ind: i for i, ind in enumerate(INDICATOR_IDS)}
    out = out.assign(
        _o=out["indicator"].map(order),
        _l=out["region_code"].map(lambda r: (0 if r == NORWAY else len(r), r)),
    )
    out = out.sort_values(["_o", "_l", "year"]).drop(columns=["_o", "_l"])
    return out[list(CSV_COLUMNS)].reset_index(drop=True)


# ============================================================================================
# Facts and key sentences
# ============================================================================================


@dataclass(frozen=True)
class PopulationData:
    """The frames the key sentences and headline figures are computed from.

    Build it with :func:`load_data`; tests replace a frame (``dataclasses.replace``) to check
    that the sentences follow the data.
    """

    counties: pd.DataFrame
    """:func:`county_population`."""
    shares: pd.DataFrame
    """:func:`age_shares`."""
    municipalities: pd.DataFrame
    """:func:`municipal_population`."""


def load_data(data_source: str = "snapshot") -> PopulationData:
    """Return fresh copies of the frames the chapter's sentences are computed from."""
    return PopulationData(
        county_population(data_source), age_shares(data_source), municipal_population(data_source)
    )


@dataclass(frozen=True)
class CountyFacts:
    """Figures about one county the key sentences and headline figures are built from."""

    county_code: str
    county_name: str
    first_year: int
    last_year: int
    population_first: float
    population_last: float
    growth_since_first: float
    norway_growth_since_first: float
    growth_last_year: float
    norway_growth_last_year: float
    rank_growth: int
    n_counties: int
    share80_first: float
    share80_last: float
    norway_share80_last: float
    share67_year: int
    share67: float
    norway_share67: float
    municipal_first_year: int
    municipal_last_year: int
    n_units: int
    n_declining: int
    largest_name: str | None
    largest_share_first: float
    largest_share_last: float
    largest_growth: float
    rest_growth: float


def _value(df: pd.DataFrame, region: str, year: int, indicator: str | None = None) -> float:
    mask = (df["region"] == region) & (df["year"] == year)
    if indicator is not None:
        mask &= df["indicator"] == indicator
    hit = df.loc[mask, "value"]
    if len(hit) != 1:
        raise ValueError(
            f"expected one value for {region} {year} {indicator or ''}, got {len(hit)}"
        )
    return float(hit.iloc[0])


def _pct(new: float, old: float) -> float:
    return (new / old - 1.0) * 100.0


def county_facts(
    county_code: str, data: PopulationData | None = None, data_source: str = "snapshot"
) -> CountyFacts:
    """Compute the figures the key sentences of *county_code* are built from.

    Args:
        county_code: 2024 county code.
        data: The frames to use (default: :func:`load_data`).
        data_source: ``"snapshot"`` (bundled files) or ``"live"`` (SSB's API).

    Returns:
        A :class:`CountyFacts`.
    """
    _check_county(county_code)
    data = load_data(data_source) if data is None else data
    pop, shares, muni = data.counties, data.shares, data.municipalities
    first, last = int(pop["year"].min()), int(pop["year"].max())

    def growth(region: str, a: int, b: int) -> float:
        return _pct(_value(pop, region, b), _value(pop, region, a))

    county_growths = {c: growth(c, first, last) for c in COUNTIES}
    mine = county_growths[county_code]
    rank = 1 + sum(g > mine for c, g in county_growths.items() if c != county_code)
    y67 = int(shares.loc[shares["indicator"] == "andel_67_og_eldre", "year"].max())

    m = muni[muni["county"] == county_code]
    m_first, m_last = int(m["year"].min()), int(m["year"].max())
    wide = m.pivot_table(index=["region", "name"], columns="year", values="value", aggfunc="sum")
    change = wide[m_last] / wide[m_first] - 1
    n_units = len(wide)
    largest_name = None
    largest_share_first = largest_share_last = largest_growth = rest_growth = float("nan")
    if n_units > 1:
        idx = wide[m_last].idxmax()
        largest_name = idx[1]
        largest_share_first = wide.loc[idx, m_first] / wide[m_first].sum() * 100
        largest_share_last = wide.loc[idx, m_last] / wide[m_last].sum() * 100
        largest_growth = change[idx] * 100
        rest = wide.drop(index=idx)
        rest_growth = _pct(rest[m_last].sum(), rest[m_first].sum())

    return CountyFacts(
        county_code=county_code,
        county_name=COUNTIES[county_code].name,
        first_year=first,
        last_year=last,
        population_first=_value(pop, county_code, first),
        population_last=_value(pop, county_code, last),
        growth_since_first=mine,
        norway_growth_since_first=growth(NORWAY, first, last),
        growth_last_year=growth(county_code, last - 1, last),
        norway_growth_last_year=growth(NORWAY, last - 1, last),
        rank_growth=rank,
        n_counties=len(COUNTIES),
        share80_first=_value(shares, county_code, first, "andel_80_og_eldre"),
        share80_last=_value(shares, county_code, last, "andel_80_og_eldre"),
        norway_share80_last=_value(shares, NORWAY, last, "andel_80_og_eldre"),
        share67_year=y67,
        share67=_value(shares, county_code, y67, "andel_67_og_eldre"),
        norway_share67=_value(shares, NORWAY, y67, "andel_67_og_eldre"),
        municipal_first_year=m_first,
        municipal_last_year=m_last,
        n_units=n_units,
        n_declining=int((change < 0).sum()),
        largest_name=largest_name,
        largest_share_first=largest_share_first,
        largest_share_last=largest_share_last,
        largest_growth=largest_growth,
        rest_growth=rest_growth,
    )


def _cmp(a: float, b: float, decimals: int = 1) -> int:
    """Compare two figures as the reader sees them (rounded): -1, 0 or 1."""
    ra, rb = fmt.round_half_up(a, decimals), fmt.round_half_up(b, decimals)
    return (ra > rb) - (ra < rb)


def key_sentences(
    county_code: str,
    lang: str = "nb",
    data: PopulationData | None = None,
    data_source: str = "snapshot",
) -> list[str]:
    """Return 4–6 key sentences about the county, computed from the data, in *lang*.

    They point to a challenge or an opportunity: growth against the country and rank among the
    counties, the latest year, ageing (80+ and 67+ against the country), municipalities with
    decline and concentration in the largest municipality (not for Oslo, a single municipality).

    Args:
        county_code: 2024 county code.
        lang: ``"nb"`` (bokmål) or ``"nn"`` (nynorsk).
        data: The frames to use (default: the bundled snapshot).
        data_source: ``"snapshot"`` (bundled files) or ``"live"`` (SSB's API).

    Returns:
        The sentences, each ending with a full stop.
    """
    if lang not in {"nb", "nn"}:
        raise ValueError(f"lang must be 'nb' or 'nn', got {lang!r}")
    f = county_facts(county_code, data, data_source)
    P = lambda x, sign=False: fmt.percent(x, 1, lang, sign=sign)  # noqa: E731
    N = lambda x: fmt.number(x, 0, lang)  # noqa: E731
    out: list[str] = []

    # 1. Growth since the first year, against Norway, and rank.
    c = _cmp(f.growth_since_first, f.norway_growth_since_first)
    g = abs(f.growth_since_first)
    if fmt.round_half_up(f.growth_since_first, 1) > 0:
        verb = _t(lang, f"økt med {P(g)}", f"auka med {P(g)}")
    elif fmt.round_half_up(f.growth_since_first, 1) < 0:
        verb = _t(lang, f"gått ned med {P(g)}", f"gått ned med {P(g)}")
    else:
        verb = _t(lang, "vært om lag uendret", "vore om lag uendra")
    how = {
        1: _t(lang, "sterkere enn", "sterkare enn"),
        0: _t(lang, "om lag som", "om lag som"),
        -1: _t(lang, "svakere enn", "svakare enn"),
    }[c]
    out.append(
        _t(
            lang,
            f"{f.county_name} hadde {N(f.population_last)} innbyggere 1. januar {f.last_year}. "
            f"Folketallet har {verb} siden {f.first_year}, {how} i landet som helhet "
            f"({P(f.norway_growth_since_first)}); det er nummer {f.rank_growth} av "
            f"{f.n_counties} fylker.",
            f"{f.county_name} hadde {N(f.population_last)} innbyggjarar 1. januar {f.last_year}. "
            f"Folketalet har {verb} sidan {f.first_year}, {how} i landet som heilskap "
            f"({P(f.norway_growth_since_first)}); det er nummer {f.rank_growth} av "
            f"{f.n_counties} fylke.",
        )
    )

    # 2. The latest year against the country: is the gap closing or widening?
    how_last = {
        1: _t(lang, "sterkere enn", "sterkare enn"),
        0: _t(lang, "om lag som", "om lag som"),
        -1: _t(lang, "svakere enn", "svakare enn"),
    }[_cmp(f.growth_last_year, f.norway_growth_last_year)]
    d = fmt.round_half_up(f.growth_last_year, 1)
    g1 = P(abs(f.growth_last_year))
    if d > 0:
        head = _t(lang, f"økte folketallet med {g1}", f"auka folketalet med {g1}")
    elif d < 0:
        head = _t(lang, f"gikk folketallet ned med {g1}", f"gjekk folketalet ned med {g1}")
    else:
        head = _t(lang, "var folketallet om lag uendret", "var folketalet om lag uendra")
    out.append(
        _t(
            lang,
            f"Fra {f.last_year - 1} til {f.last_year} {head}, {how_last} i landet "
            f"({P(f.norway_growth_last_year, True)}).",
            f"Frå {f.last_year - 1} til {f.last_year} {head}, {how_last} i landet "
            f"({P(f.norway_growth_last_year, True)}).",
        )
    )

    # 3. Ageing: 80+ now against the first year and against Norway.
    moved = _cmp(f.share80_last, f.share80_first)
    move_word = {
        1: _t(lang, "økte", "auka"),
        0: _t(lang, "var om lag uendret", "var om lag uendra"),
        -1: _t(lang, "gikk ned", "gjekk ned"),
    }[moved]
    vs = {
        1: _t(lang, "høyere enn", "høgare enn"),
        0: _t(lang, "om lag som", "om lag som"),
        -1: _t(lang, "lavere enn", "lågare enn"),
    }[_cmp(f.share80_last, f.norway_share80_last)]
    tail80 = ""
    if moved > 0:
        tail80 = _t(
            lang,
            " – et tegn på økende behov for helse- og omsorgstjenester framover",
            " – eit teikn på aukande behov for helse- og omsorgstenester framover",
        )
    if moved == 0:
        span = _t(lang, f"på {P(f.share80_last)}", f"på {P(f.share80_last)}")
    else:
        span = _t(
            lang,
            f"fra {P(f.share80_first)} i {f.first_year} til {P(f.share80_last)} i {f.last_year}",
            f"frå {P(f.share80_first)} i {f.first_year} til {P(f.share80_last)} i {f.last_year}",
        )
    out.append(
        _t(
            lang,
            f"Andelen innbyggere som er 80 år eller eldre, {move_word} {span}, {vs} i landet "
            f"({P(f.norway_share80_last)}){tail80}.",
            f"Delen innbyggjarar som er 80 år eller eldre, {move_word} {span}, {vs} i landet "
            f"({P(f.norway_share80_last)}){tail80}.",
        )
    )

    # 4. 67+ (only in the single-year files, last 2022).
    vs67 = {
        1: _t(lang, "høyere enn", "høgare enn"),
        0: _t(lang, "om lag som", "om lag som"),
        -1: _t(lang, "lavere enn", "lågare enn"),
    }[_cmp(f.share67, f.norway_share67)]
    out.append(
        _t(
            lang,
            f"I {f.share67_year} (siste år med ettårige aldersgrupper i datauttaket) var "
            f"{P(f.share67)} av innbyggerne 67 år eller eldre, {vs67} i landet ({P(f.norway_share67)}).",
            f"I {f.share67_year} (siste år med eittårige aldersgrupper i datauttaket) var "
            f"{P(f.share67)} av innbyggjarane 67 år eller eldre, {vs67} i landet ({P(f.norway_share67)}).",
        )
    )

    # 5.–6. Municipalities: decline and concentration (not for a one-municipality county).
    if f.n_units > 1 and f.largest_name is not None:
        m0, m1 = f.municipal_first_year, f.municipal_last_year
        if f.n_declining == 0:
            out.append(
                _t(
                    lang,
                    f"Alle de {f.n_units} kommunene i fylket fikk flere innbyggere fra {m0} til {m1}.",
                    f"Alle dei {f.n_units} kommunane i fylket fekk fleire innbyggjarar frå {m0} til {m1}.",
                )
            )
        else:
            out.append(
                _t(
                    lang,
                    f"{f.n_declining} av {f.n_units} kommuner i fylket fikk færre innbyggere fra "
                    f"{m0} til {m1}.",
                    f"{f.n_declining} av {f.n_units} kommunar i fylket fekk færre innbyggjarar frå "
                    f"{m0} til {m1}.",
                )
            )
        conc = _cmp(f.largest_share_last, f.largest_share_first)
        rates = _t(
            lang,
            f"{P(f.largest_growth, True)} mot {P(f.rest_growth, True)} i resten av fylket",
            f"{P(f.largest_growth, True)} mot {P(f.rest_growth, True)} i resten av fylket",
        )
        tail = {
            1: _t(
                lang,
                f"befolkningen samles mer om den største kommunen ({rates})",
                f"folketalet samlar seg meir om den største kommunen ({rates})",
            ),
            0: _t(
                lang,
                f"den største kommunen holder på sin andel ({rates})",
                f"den største kommunen held på delen sin ({rates})",
            ),
            -1: _t(
                lang,
                f"veksten er sterkere utenfor den største kommunen ({rates})",
                f"veksten er sterkare utanfor den største kommunen ({rates})",
            ),
        }[conc]
        out.append(
            _t(
                lang,
                f"{f.largest_name} hadde {P(f.largest_share_last)} av innbyggerne i fylket i {m1} "
                f"(mot {P(f.largest_share_first)} i {m0}): {tail}.",
                f"{f.largest_name} hadde {P(f.largest_share_last)} av innbyggjarane i fylket i {m1} "
                f"(mot {P(f.largest_share_first)} i {m0}): {tail}.",
            )
        )
    return out


def headline_figures(
    county_code: str, lang: str, data_source: str = "snapshot"
) -> list[tuple[str, str]]:
    """Return 3 label/value pairs for the portal page, e.g. ``("Folkemengde 1. januar 2025", "651 299")``.

    Args:
        county_code: 2024 county code.
        lang: ``"nb"`` or ``"nn"``.
        data_source: ``"snapshot"`` (bundled files) or ``"live"`` (SSB's API).

    Returns:
        Population in the latest year, growth since 2019, and the share aged 80+ (latest year).
    """
    if lang not in {"nb", "nn"}:
        raise ValueError(f"lang must be 'nb' or 'nn', got {lang!r}")
    f = county_facts(county_code, data_source=data_source)
    return [
        (
            _t(lang, f"Folkemengde 1. januar {f.last_year}", f"Folketal 1. januar {f.last_year}"),
            fmt.number(f.population_last, 0, lang),
        ),
        (
            _t(
                lang,
                f"Befolkningsvekst {f.first_year}–{f.last_year}",
                f"Befolkningsvekst {f.first_year}–{f.last_year}",
            ),
            fmt.percent(f.growth_since_first, 1, lang, sign=True),
        ),
        (
            _t(lang, f"Andel 80 år og eldre, {f.last_year}", f"Del 80 år og eldre, {f.last_year}"),
            fmt.percent(f.share80_last, 1, lang),
        ),
    ]


# ============================================================================================
# Labels
# ============================================================================================


def _labels(lang: str) -> dict[str, str]:
    return {
        "norway": _t(lang, "Hele landet", "Heile landet"),
        "set": _t(lang, "Sammenligningsfylkene", "Samanlikningsfylka"),
        "others": _t(lang, "Andre fylker", "Andre fylke"),
        "year_axis": _t(lang, "Befolkning per 1. januar", "Folketal per 1. januar"),
        "jan1": _t(lang, "År (per 1. januar)", "År (per 1. januar)"),
        "men": _t(lang, "Menn", "Menn"),
        "women": _t(lang, "Kvinner", "Kvinner"),
    }


def _year_axis(ax: Any, years: Sequence[int], lang: str) -> None:
    ax.set_xticks(list(years))
    ax.set_xticklabels([str(y) for y in years])
    ax.set_xlabel(_labels(lang)["jan1"])


def _figure(
    fig: Any, title: str, alt: str, source: str, indicators: Sequence[str]
) -> dict[str, Any]:
    return {
        "fig": fig,
        "title": title,
        "alt": alt,
        "source": source,
        "indicators": list(indicators),
    }


def _source_line(lang: str, map_data: bool = False) -> str:
    return style.source_line([TABLE], lang, map_data=map_data)


def _percent_axis(ax: Any, axis: str, lang: str) -> None:
    """Norwegian percent tick labels with as many decimals as the tick step needs."""
    ticks = np.asarray(ax.get_yticks() if axis == "y" else ax.get_xticks(), dtype=float)
    step = float(np.min(np.diff(ticks))) if len(ticks) > 1 else 1.0
    decimals = 0 if step >= 1 else 1 if step >= 0.1 else 2
    style.number_axis(ax, axis, decimals, "%", lang)


def _pct_text(x: float, lang: str, sign: bool = False) -> str:
    return fmt.percent(x, 1, lang, sign=sign)


# ============================================================================================
# Figures (each returns the keyword arguments of ``Chapter.figure``)
# ============================================================================================


def figure_growth(
    county_code: str, lang: str, comparison: Sequence[str], data_source: str = "snapshot"
) -> dict[str, Any]:
    """Line chart: growth since 1 January 2019 for the county, Norway, the comparison set.

    The other counties are thin grey lines behind, so the county's place is seen at a glance.

    Args:
        county_code: 2024 county code.
        lang: ``"nb"`` or ``"nn"``.
        comparison: County codes of the comparison set.
        data_source: ``"snapshot"`` (bundled files) or ``"live"`` (SSB's API).

    Returns:
        ``fig``, ``title``, ``alt``, ``source``, ``indicators`` for ``Chapter.figure``.
    """
    _check_county(county_code)
    lab = _labels(lang)
    df = county_growth(data_source)
    df.loc[df["year"] == FIRST_YEAR, "since_pct"] = 0.0
    cmp_df = comparison_population(comparison, data_source)
    cmp_df.loc[cmp_df["year"] == FIRST_YEAR, "since_pct"] = 0.0
    name = COUNTIES[county_code].name
    fig, ax = style.new_figure(8.0, 4.6)
    for code in COUNTIES:
        if code == county_code:
            continue
        d = df[df["region"] == code]
        ax.plot(d["year"], d["since_pct"], color=style.OTHER, linewidth=0.8, zorder=1)
    ax.plot([], [], color=style.OTHER, linewidth=0.8, label=lab["others"])
    series = [
        (cmp_df, style.COMPARISON, "--", lab["set"]),
        (df[df["region"] == NORWAY], style.NORWAY, "-", lab["norway"]),
        (df[df["region"] == county_code], style.COUNTY, "-", name),
    ]
    for d, colour, ls, label in series:
        ax.plot(
            d["year"],
            d["since_pct"],
            color=colour,
            linestyle=ls,
            linewidth=2.4,
            label=label,
            zorder=3,
        )
        last = d[d["year"] == LAST_YEAR]["since_pct"].iloc[0]
        ax.annotate(
            _pct_text(last, lang, sign=True),
            xy=(LAST_YEAR, last),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=8.5,
            color=colour,
        )
    ax.axhline(0, color="#777777", linewidth=0.8)
    _year_axis(ax, YEARS, lang)
    ax.set_xlim(FIRST_YEAR - 0.2, LAST_YEAR + 0.8)
    _percent_axis(ax, "y", lang)
    ax.legend(loc="upper left", fontsize=8.5)
    title = _t(
        lang,
        f"Befolkningsvekst siden 2019: {name} mot landet og de andre fylkene",
        f"Befolkningsvekst sidan 2019: {name} mot landet og dei andre fylka",
    )
    style.finish(
        fig,
        ax,
        title=title,
        source=_source_line(lang),
        ylabel=_t(lang, "Endring fra 1. januar 2019 (%)", "Endring frå 1. januar 2019 (%)"),
    )
    mine = df[(df["region"] == county_code) & (df["year"] == LAST_YEAR)]["since_pct"].iloc[0]
    nor = df[(df["region"] == NORWAY) & (df["year"] == LAST_YEAR)]["since_pct"].iloc[0]
    setv = cmp_df[cmp_df["year"] == LAST_YEAR]["since_pct"].iloc[0]
    alt = _t(
        lang,
        f"Linjediagram over endringen i folkemengden fra 1. januar 2019 til hvert år fram til "
        f"{LAST_YEAR}. {name} endret seg med {_pct_text(mine, lang, True)}, hele landet med "
        f"{_pct_text(nor, lang, True)} og sammenligningsfylkene samlet med "
        f"{_pct_text(setv, lang, True)}. De andre fylkene er vist som tynne grå linjer.",
        f"Linjediagram over endringa i folketalet frå 1. januar 2019 til kvart år fram til "
        f"{LAST_YEAR}. {name} endra seg med {_pct_text(mine, lang, True)}, heile landet med "
        f"{_pct_text(nor, lang, True)} og samanlikningsfylka samla med "
        f"{_pct_text(setv, lang, True)}. Dei andre fylka er viste som tynne grå linjer.",
    )
    return _figure(
        fig, title, alt, _source_line(lang), ["befolkningsvekst_siden_2019_prosent", "folkemengde"]
    )


def figure_ranking(
    county_code: str, lang: str, comparison: Sequence[str] = (), data_source: str = "snapshot"
) -> dict[str, Any]:
    """Horizontal bars: growth 2019→latest year for all 15 counties, the county highlighted.

    Args:
        county_code: 2024 county code.
        lang: ``"nb"`` or ``"nn"``.
        comparison: County codes of the comparison set (drawn in the comparison colour).
        data_source: ``"snapshot"`` (bundled files) or ``"live"`` (SSB's API).

    Returns:
        ``fig``, ``title``, ``alt``, ``source``, ``indicators`` for ``Chapter.figure``.
    """
    _check_county(county_code)
    lab = _labels(lang)
    df = county_growth(data_source)
    last = df[df["year"] == LAST_YEAR]
    nor = float(last.loc[last["region"] == NORWAY, "since_pct"].iloc[0])
    cty = last[last["region"] != NORWAY].sort_values("since_pct")
    colours = [
        style.COUNTY if c == county_code else style.COMPARISON if c in comparison else style.OTHER
        for c in cty["region"]
    ]
    fig, ax = style.new_figure(8.0, 5.6)
    y = np.arange(len(cty))
    ax.barh(y, cty["since_pct"], color=colours, height=0.7)
    ax.set_yticks(y)
    ax.set_yticklabels(cty["name"])
    for tick, code in zip(ax.get_yticklabels(), cty["region"], strict=True):
        if code == county_code:
            tick.set_fontweight("bold")
    for yi, v in zip(y, cty["since_pct"], strict=True):
        ax.annotate(
            _pct_text(v, lang),
            xy=(v, yi),
            xytext=(3 if v >= 0 else -3, 0),
            textcoords="offset points",
            ha="left" if v >= 0 else "right",
            va="center",
            fontsize=8,
        )
    ax.axvline(
        nor,
        color=style.NORWAY,
        linestyle="--",
        linewidth=1.5,
        label=f"{lab['norway']} ({_pct_text(nor, lang)})",
    )
    ax.axvline(0, color="#777777", linewidth=0.8)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    lo, hi = float(min(cty["since_pct"].min(), 0)), float(cty["since_pct"].max())
    ax.set_xlim(lo - 0.1 * (hi - lo) - 0.1, hi + 0.15 * (hi - lo) + 0.1)
    _percent_axis(ax, "x", lang)
    handles = [Patch(color=style.COUNTY, label=COUNTIES[county_code].name)]
    if any(c in comparison for c in cty["region"]):
        handles.append(Patch(color=style.COMPARISON, label=lab["set"]))
    if any(c != county_code and c not in comparison for c in cty["region"]):
        handles.append(Patch(color=style.OTHER, label=lab["others"]))
    handles.extend(ax.get_legend_handles_labels()[0])
    ax.legend(handles=handles, loc="lower right", fontsize=8.5)
    name = COUNTIES[county_code].name
    title = _t(
        lang,
        f"Befolkningsvekst {FIRST_YEAR}–{LAST_YEAR} i de 15 fylkene",
        f"Befolkningsvekst {FIRST_YEAR}–{LAST_YEAR} i dei 15 fylka",
    )
    style.finish(
        fig,
        ax,
        title=title,
        source=_source_line(lang),
        xlabel=_t(
            lang,
            f"Endring i folkemengden 1.1.{FIRST_YEAR}–1.1.{LAST_YEAR} (%)",
            f"Endring i folketalet 1.1.{FIRST_YEAR}–1.1.{LAST_YEAR} (%)",
        ),
        ylabel="",
    )
    top, bottom = cty.iloc[-1], cty.iloc[0]
    mine = cty[cty["region"] == county_code].iloc[0]
    rank = int(last.loc[last["region"] == county_code, "rank_since"].iloc[0])
    alt = _t(
        lang,
        f"Liggende stolpediagram over veksten i folkemengden fra {FIRST_YEAR} til {LAST_YEAR} i alle "
        f"15 fylker, sortert. {name} er uthevet med {_pct_text(mine['since_pct'], lang)} og er nummer "
        f"{rank} av 15. Sterkest vekst hadde {top['name']} ({_pct_text(top['since_pct'], lang)}), "
        f"svakest {bottom['name']} ({_pct_text(bottom['since_pct'], lang)}). En stiplet linje viser "
        f"hele landet ({_pct_text(nor, lang)}).",
        f"Liggjande stolpediagram over veksten i folketalet frå {FIRST_YEAR} til {LAST_YEAR} i alle "
        f"15 fylka, sortert. {name} er utheva med {_pct_text(mine['since_pct'], lang)} og er nummer "
        f"{rank} av 15. Sterkast vekst hadde {top['name']} ({_pct_text(top['since_pct'], lang)}), "
        f"svakast {bottom['name']} ({_pct_text(bottom['since_pct'], lang)}). Ei stipla linje viser "
        f"heile landet ({_pct_text(nor, lang)}).",
    )
    return _figure(fig, title, alt, _source_line(lang), ["befolkningsvekst_siden_2019_prosent"])


def _group_label(group: str) -> str:
    return group.replace("-", "–")


def figure_pyramid(county_code: str, lang: str, data_source: str = "snapshot") -> dict[str, Any]:
    """Draw a population pyramid by sex and 10-year age group: latest year (bars) vs 2023 (outline).

    Args:
        county_code: 2024 county code.
        lang: ``"nb"`` or ``"nn"``.
        data_source: ``"snapshot"`` (bundled files) or ``"live"`` (SSB's API).

    Returns:
        ``fig``, ``title``, ``alt``, ``source``, ``indicators`` for ``Chapter.figure``.
    """
    _check_county(county_code)
    lab = _labels(lang)
    df = pyramid(county_code, data_source=data_source)
    wide = df.pivot_table(
        index="age_group", columns=["sex", "year"], values="value", observed=False
    )
    wide = wide.reindex(list(AGE_GROUPS))
    y = np.arange(len(AGE_GROUPS))
    fig, ax = style.new_figure(8.0, 5.4)
    men_now, women_now = wide[("1", LAST_YEAR)], wide[("2", LAST_YEAR)]
    men_base, women_base = wide[("1", PYRAMID_BASE_YEAR)], wide[("2", PYRAMID_BASE_YEAR)]
    ax.barh(y, -men_now, color=style.MEN, height=0.8, label=f"{lab['men']} {LAST_YEAR}")
    ax.barh(y, women_now, color=style.WOMEN, height=0.8, label=f"{lab['women']} {LAST_YEAR}")
    ax.barh(
        y,
        -men_base,
        fill=False,
        edgecolor="#222222",
        linewidth=1.0,
        height=0.8,
        label=_t(lang, f"{PYRAMID_BASE_YEAR} (omriss)", f"{PYRAMID_BASE_YEAR} (omriss)"),
    )
    ax.barh(y, women_base, fill=False, edgecolor="#222222", linewidth=1.0, height=0.8)
    ax.set_yticks(y)
    ax.set_yticklabels([_group_label(g) for g in AGE_GROUPS])
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    span = float(np.nanmax([men_now.max(), women_now.max(), men_base.max(), women_base.max()]))
    ax.set_xlim(-span * 1.1, span * 1.1)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _p: fmt.number(abs(x), 0, lang)))
    ax.legend(loc="upper right", fontsize=8.5)
    name = COUNTIES[county_code].name
    title = _t(
        lang,
        f"Befolkningen i {name} etter kjønn og alder, {PYRAMID_BASE_YEAR} og {LAST_YEAR}",
        f"Folketalet i {name} etter kjønn og alder, {PYRAMID_BASE_YEAR} og {LAST_YEAR}",
    )
    style.finish(
        fig,
        ax,
        title=title,
        source=_source_line(lang),
        xlabel=_t(
            lang,
            "Antall personer (menn til venstre, kvinner til høyre)",
            "Talet på personar (menn til venstre, kvinner til høgre)",
        ),
        ylabel=_t(lang, "Aldersgruppe (år)", "Aldersgruppe (år)"),
    )
    alt = _t(
        lang,
        f"Befolkningspyramide for {name} med menn til venstre og kvinner til høyre i tiårige "
        f"aldersgrupper. Fylte stolper viser {LAST_YEAR}, svarte omriss {PYRAMID_BASE_YEAR}. ",
        f"Befolkningspyramide for {name} med menn til venstre og kvinner til høgre i tiårige "
        f"aldersgrupper. Fylte stolpar viser {LAST_YEAR}, svarte omriss {PYRAMID_BASE_YEAR}. ",
    ) + _age_moves(county_code, lang, data_source)
    return _figure(fig, title, alt, _source_line(lang), ["folkemengde"])


def age_group_change(county_code: str, data_source: str = "snapshot") -> pd.DataFrame:
    """Change per 10-year age group (both sexes) from 2023 to the latest year, largest rise first.

    Args:
        county_code: ``"0"`` or a 2024 county code.
        data_source: ``"snapshot"`` (bundled files) or ``"live"`` (SSB's API).

    Returns:
        A new frame with ``age_group`` (str), ``base``, ``latest``, ``change`` (persons) and
        ``change_pct``, sorted by ``change`` descending.
    """
    df = pyramid(county_code, data_source=data_source)
    wide = df.pivot_table(
        index="age_group", columns="year", values="value", aggfunc="sum", observed=False
    )
    out = pd.DataFrame(
        {
            "age_group": [str(g) for g in wide.index],
            "base": wide[PYRAMID_BASE_YEAR].to_numpy(),
            "latest": wide[LAST_YEAR].to_numpy(),
        }
    )
    out["change"] = out["latest"] - out["base"]
    out["change_pct"] = (out["latest"] / out["base"] - 1) * 100
    return out.sort_values(["change", "age_group"], ascending=[False, True], ignore_index=True)


def figure_elderly(
    county_code: str, lang: str, comparison: Sequence[str], data_source: str = "snapshot"
) -> dict[str, Any]:
    """Two panels: share aged 67+ (2019–2022) and 80+ (2019–2025), county vs Norway vs set.

    Args:
        county_code: 2024 county code.
        lang: ``"nb"`` or ``"nn"``.
        comparison: County codes of the comparison set.
        data_source: ``"snapshot"`` (bundled files) or ``"live"`` (SSB's API).

    Returns:
        ``fig``, ``title``, ``alt``, ``source``, ``indicators`` for ``Chapter.figure``.
    """
    _check_county(county_code)
    lab = _labels(lang)
    shares = age_shares(data_source)
    cmp_sh = comparison_shares(comparison, data_source)
    name = COUNTIES[county_code].name
    fig, axes = style.new_figure(9.0, 4.4, ncols=2)
    panels = [
        ("andel_67_og_eldre", _t(lang, "67 år og eldre (2019–2022)", "67 år og eldre (2019–2022)")),
        (
            "andel_80_og_eldre",
            _t(lang, f"80 år og eldre (2019–{LAST_YEAR})", f"80 år og eldre (2019–{LAST_YEAR})"),
        ),
    ]
    for ax, (ind, sub) in zip(axes, panels, strict=True):
        d = shares[shares["indicator"] == ind]
        years = sorted(d.loc[d["value"].notna(), "year"].unique())
        d = d[d["year"].isin(years)]
        for code in COUNTIES:
            if code != county_code:
                o = d[d["region"] == code]
                ax.plot(o["year"], o["value"], color=style.OTHER, linewidth=0.8, zorder=1)
        c = cmp_sh[(cmp_sh["indicator"] == ind) & cmp_sh["year"].isin(years)]
        ax.plot(
            c["year"],
            c["value"],
            color=style.COMPARISON,
            linestyle="--",
            linewidth=2.2,
            label=lab["set"],
            zorder=2,
        )
        n = d[d["region"] == NORWAY]
        ax.plot(
            n["year"], n["value"], color=style.NORWAY, linewidth=2.2, label=lab["norway"], zorder=3
        )
        m = d[d["region"] == county_code]
        ax.plot(
            m["year"],
            m["value"],
            color=style.COUNTY,
            linewidth=2.6,
            label=name,
            marker="o",
            markersize=3.5,
            zorder=4,
        )
        ax.set_title(sub, fontsize=10, loc="left")
        _year_axis(ax, years, lang)
        _percent_axis(ax, "y", lang)
        ax.set_ylabel(_t(lang, "Andel av innbyggerne (%)", "Del av innbyggjarane (%)"))
    axes[0].plot([], [], color=style.OTHER, linewidth=0.8, label=lab["others"])
    axes[0].legend(loc="upper left", fontsize=8)
    title = _t(
        lang,
        f"Andelen eldre i {name}, hele landet og sammenligningsfylkene",
        f"Delen eldre i {name}, heile landet og samanlikningsfylka",
    )
    style.finish(fig, None, title=title, source=_source_line(lang))
    f67 = shares[(shares["indicator"] == "andel_67_og_eldre") & shares["value"].notna()]
    y67 = int(f67["year"].max())

    def v(ind: str, region: str, year: int) -> float:
        return _value(shares, region, year, ind)

    alt = _t(
        lang,
        f"To linjediagram. Til venstre andelen innbyggere som er 67 år eller eldre, 2019–{y67}: "
        f"{name} gikk fra {_pct_text(v('andel_67_og_eldre', county_code, FIRST_YEAR), lang)} til "
        f"{_pct_text(v('andel_67_og_eldre', county_code, y67), lang)}, hele landet fra "
        f"{_pct_text(v('andel_67_og_eldre', NORWAY, FIRST_YEAR), lang)} til "
        f"{_pct_text(v('andel_67_og_eldre', NORWAY, y67), lang)}. Til høyre andelen 80 år eller eldre, "
        f"2019–{LAST_YEAR}: {name} gikk fra {_pct_text(v('andel_80_og_eldre', county_code, FIRST_YEAR), lang)} "
        f"til {_pct_text(v('andel_80_og_eldre', county_code, LAST_YEAR), lang)}, hele landet fra "
        f"{_pct_text(v('andel_80_og_eldre', NORWAY, FIRST_YEAR), lang)} til "
        f"{_pct_text(v('andel_80_og_eldre', NORWAY, LAST_YEAR), lang)}. De andre fylkene er grå linjer.",
        f"To linjediagram. Til venstre delen innbyggjarar som er 67 år eller eldre, 2019–{y67}: "
        f"{name} gjekk frå {_pct_text(v('andel_67_og_eldre', county_code, FIRST_YEAR), lang)} til "
        f"{_pct_text(v('andel_67_og_eldre', county_code, y67), lang)}, heile landet frå "
        f"{_pct_text(v('andel_67_og_eldre', NORWAY, FIRST_YEAR), lang)} til "
        f"{_pct_text(v('andel_67_og_eldre', NORWAY, y67), lang)}. Til høgre delen 80 år eller eldre, "
        f"2019–{LAST_YEAR}: {name} gjekk frå {_pct_text(v('andel_80_og_eldre', county_code, FIRST_YEAR), lang)} "
        f"til {_pct_text(v('andel_80_og_eldre', county_code, LAST_YEAR), lang)}, heile landet frå "
        f"{_pct_text(v('andel_80_og_eldre', NORWAY, FIRST_YEAR), lang)} til "
        f"{_pct_text(v('andel_80_og_eldre', NORWAY, LAST_YEAR), lang)}. Dei andre fylka er grå linjer.",
    )
    return _figure(fig, title, alt, _source_line(lang), ["andel_67_og_eldre", "andel_80_og_eldre"])


def figure_municipal_map(
    county_code: str, lang: str, data_source: str = "snapshot"
) -> dict[str, Any]:
    """Choropleth of the municipalities' growth 2020→2022 (Kartverket 2024 boundaries).

    Ålesund and Haram are one area (``"1508+1580"``) because their figures before 2024 are one.

    Args:
        county_code: 2024 county code.
        lang: ``"nb"`` or ``"nn"``.
        data_source: ``"snapshot"`` (bundled files) or ``"live"`` (SSB's API).

    Returns:
        ``fig``, ``title``, ``alt``, ``source``, ``indicators`` for ``Chapter.figure``.
    """
    from kunnskapsgrunnlag.charts import maps

    tab = municipal_table(county_code, data_source)
    m0, m1 = MUNICIPAL_YEARS[0], MUNICIPAL_YEARS[-1]
    values = pd.Series(tab["growth_pct"].to_numpy(), index=tab["region"])
    top = tab.head(1)  # the largest municipality: neighbours' labels would overlap
    labels = {r: _short_name(n) for r, n in zip(top["region"], top["name"], strict=True)}
    name = COUNTIES[county_code].name
    title = _t(
        lang,
        f"Befolkningsvekst {m0}–{m1} i kommunene i {name}",
        f"Befolkningsvekst {m0}–{m1} i kommunane i {name}",
    )
    source = _source_line(lang, map_data=True)
    fig = maps.choropleth(
        values,
        title=title,
        source=source,
        legend_label=_t(lang, f"Endring 1.1.{m0}–1.1.{m1} (%)", f"Endring 1.1.{m0}–1.1.{m1} (%)"),
        lang=lang,
        unit="%",
        decimals=1,
        diverging=True,
        labels=labels,
        missing_label=_t(lang, "Ikke tilgjengelig", "Ikkje tilgjengeleg"),
    )
    n_down = int((tab["growth_pct"] < 0).sum())
    best = tab.loc[tab["growth_pct"].idxmax()]
    worst = tab.loc[tab["growth_pct"].idxmin()]
    if len(tab) == 1:
        detail = _t(
            lang,
            f"{name} er én kommune; den endret seg med {_pct_text(best['growth_pct'], lang, True)}.",
            f"{name} er éin kommune; han endra seg med {_pct_text(best['growth_pct'], lang, True)}.",
        )
    else:
        detail = _t(
            lang,
            f"Blå kommuner vokste, røde fikk færre innbyggere; {n_down} av {len(tab)} gikk ned. "
            f"Sterkest vekst hadde {best['name']} ({_pct_text(best['growth_pct'], lang, True)}), "
            f"svakest {worst['name']} ({_pct_text(worst['growth_pct'], lang, True)}).",
            f"Blå kommunar voks, raude fekk færre innbyggjarar; {n_down} av {len(tab)} gjekk ned. "
            f"Sterkast vekst hadde {best['name']} ({_pct_text(best['growth_pct'], lang, True)}), "
            f"svakast {worst['name']} ({_pct_text(worst['growth_pct'], lang, True)}).",
        )
    alt = _t(
        lang,
        f"Kart over kommunene i {name} farget etter endringen i folkemengden fra 1. januar {m0} "
        f"til 1. januar {m1}. {detail}",
        f"Kart over kommunane i {name} farga etter endringa i folketalet frå 1. januar {m0} "
        f"til 1. januar {m1}. {detail}",
    )
    return _figure(fig, title, alt, source, ["befolkningsvekst_2020_2022_prosent"])


def municipal_figures(
    county_code: str, lang: str, data_source: str = "snapshot"
) -> list[dict[str, Any]]:
    """Return the municipality figures of the chapter: the map, unless the county is one municipality.

    A choropleth of Oslo (county and municipality at once) would be one flat colour, so Oslo
    gets no map; the table and text say what there is to say.

    Args:
        county_code: 2024 county code.
        lang: ``"nb"`` or ``"nn"``.
        data_source: ``"snapshot"`` or ``"live"``.

    Returns:
        A list of keyword-argument dicts for ``Chapter.figure`` (empty for Oslo).
    """
    if len(municipal_table(county_code, data_source)) < 2:
        return []
    return [figure_municipal_map(county_code, lang, data_source)]


def _short_name(name: str) -> str:
    """Return a map label: the first form of a multilingual name, without a parenthesis."""
    short = name.split(" - ")[0]
    return short.split(" (")[0] if "+" not in short else short


# ============================================================================================
# Tables (cells formatted for the reader)
# ============================================================================================


def _table(
    df: pd.DataFrame,
    title: str,
    lang: str,
    indicators: Sequence[str],
    note: str | None = None,
    symbols: Sequence[str] = (),
) -> dict[str, Any]:
    return {
        "df": df,
        "title": title,
        "source": _source_line(lang),
        "indicators": list(indicators),
        "symbols": sorted(set(symbols)),
        "note": note,
    }


def _comparison_note(comparison: Sequence[str], lang: str) -> str:
    names = fmt.join_words([COUNTIES[c].name for c in COUNTIES if c in comparison], lang)
    return _t(
        lang,
        f"Sammenligningsfylkene (summert): {names}.",
        f"Samanlikningsfylka (summerte): {names}.",
    )


def table_population(
    county_code: str, lang: str, comparison: Sequence[str], data_source: str = "snapshot"
) -> dict[str, Any]:
    """Return population and growth per year: the county, Norway and the comparison set.

    Args:
        county_code: 2024 county code.
        lang: ``"nb"`` or ``"nn"``.
        comparison: County codes of the comparison set.
        data_source: ``"snapshot"`` (bundled files) or ``"live"`` (SSB's API).

    Returns:
        ``df`` (formatted text), ``title``, ``source``, ``indicators``, ``symbols``, ``note``:
        the keyword arguments of ``Chapter.table``.
    """
    _check_county(county_code)
    lab = _labels(lang)
    df = county_growth(data_source)
    mine = df[df["region"] == county_code].set_index("year")
    nor = df[df["region"] == NORWAY].set_index("year")
    cmp_df = comparison_population(comparison, data_source).set_index("year")
    name = COUNTIES[county_code].name
    growth = _t(lang, "vekst fra året før", "vekst frå året før")
    rows = []
    for y in YEARS:
        rows.append(
            {
                _t(lang, "År (1. januar)", "År (1. januar)"): str(y),
                f"{_t(lang, 'Folkemengde', 'Folketal')} {name}": fmt.cell(
                    mine.loc[y, "value"], mine.loc[y, "status"], 0, lang
                ),
                f"{name}, {growth}": _pct_text(mine.loc[y, "growth_pct"], lang, True)
                if y > FIRST_YEAR
                else "",
                f"{lab['norway']}, {growth}": _pct_text(nor.loc[y, "growth_pct"], lang, True)
                if y > FIRST_YEAR
                else "",
                f"{lab['set']}, {growth}": _pct_text(cmp_df.loc[y, "growth_pct"], lang, True)
                if y > FIRST_YEAR
                else "",
                _t(
                    lang,
                    f"Rang {name} (vekst siden {FIRST_YEAR})",
                    f"Rang {name} (vekst sidan {FIRST_YEAR})",
                ): (f"{int(mine.loc[y, 'rank_since'])} av 15" if y > FIRST_YEAR else ""),
            }
        )
    return _table(
        pd.DataFrame(rows),
        _t(
            lang,
            f"Folkemengde 1. januar og årlig vekst {FIRST_YEAR}–{LAST_YEAR}: {name}, hele landet "
            "og sammenligningsfylkene",
            f"Folketal 1. januar og årleg vekst {FIRST_YEAR}–{LAST_YEAR}: {name}, heile landet "
            "og samanlikningsfylka",
        ),
        lang,
        ["folkemengde", "befolkningsvekst_prosent", "befolkningsvekst_siden_2019_prosent"],
        _comparison_note(comparison, lang),
        symbols=[x for x in mine["status"] if isinstance(x, str)],
    )


def table_age_shares(
    county_code: str, lang: str, comparison: Sequence[str], data_source: str = "snapshot"
) -> dict[str, Any]:
    """Shares aged 67+, 70+ and 80+ in the first and last year each can be read, with rank.

    Args:
        county_code: 2024 county code.
        lang: ``"nb"`` or ``"nn"``.
        comparison: County codes of the comparison set.
        data_source: ``"snapshot"`` (bundled files) or ``"live"`` (SSB's API).

    Returns:
        ``df`` (formatted text), ``title``, ``source``, ``indicators``, ``symbols``, ``note``:
        the keyword arguments of ``Chapter.table``.
    """
    _check_county(county_code)
    lab = _labels(lang)
    shares = age_shares(data_source)
    cmp_sh = comparison_shares(comparison, data_source)
    name = COUNTIES[county_code].name
    rows = []
    for ind, low in SHARE_INDICATORS.items():
        d = shares[(shares["indicator"] == ind) & shares["value"].notna()]
        years = sorted(d["year"].unique())
        for y in (years[0], years[-1]):
            dy = d[d["year"] == y]
            counties = dy[dy["region"].isin(list(COUNTIES))].copy()
            counties["rank"] = counties["value"].rank(ascending=False, method="min")
            rank = int(counties.loc[counties["region"] == county_code, "rank"].iloc[0])
            rows.append(
                {
                    _t(lang, "Aldersgruppe", "Aldersgruppe"): _t(
                        lang, f"{low} år og eldre", f"{low} år og eldre"
                    ),
                    _t(lang, "År (1. januar)", "År (1. januar)"): str(y),
                    name: _pct_text(_value(d, county_code, y), lang),
                    lab["norway"]: _pct_text(_value(d, NORWAY, y), lang),
                    lab["set"]: _pct_text(
                        _value(cmp_sh[cmp_sh["indicator"] == ind], "set", y), lang
                    ),
                    _t(lang, "Rang (1 = høyest andel)", "Rang (1 = høgast del)"): f"{rank} av 15",
                }
            )
    return _table(
        pd.DataFrame(rows),
        _t(
            lang,
            f"Andelen eldre i {name}, hele landet og sammenligningsfylkene, første og siste år "
            "med tall",
            f"Delen eldre i {name}, heile landet og samanlikningsfylka, første og siste år med tal",
        ),
        lang,
        list(SHARE_INDICATORS),
        _comparison_note(comparison, lang)
        + " "
        + _t(
            lang,
            "67 år og eldre finnes bare for 2019–2022 (ettårig alder i kommunetallene).",
            "67 år og eldre finst berre for 2019–2022 (eittårig alder i kommunetala).",
        ),
    )


def table_municipalities(
    county_code: str, lang: str, data_source: str = "snapshot"
) -> dict[str, Any]:
    """Return the county's municipalities (2024 units), largest first, formatted for the reader.

    Args:
        county_code: 2024 county code.
        lang: ``"nb"`` or ``"nn"``.
        data_source: ``"snapshot"`` (bundled files) or ``"live"`` (SSB's API).

    Returns:
        ``df`` (formatted text), ``title``, ``source``, ``indicators``, ``symbols``, ``note``:
        the keyword arguments of ``Chapter.table``.
    """
    tab = municipal_table(county_code, data_source)
    m0, m1 = MUNICIPAL_YEARS[0], MUNICIPAL_YEARS[-1]
    pop = _t(lang, "Folkemengde", "Folketal")
    out = pd.DataFrame(
        {
            _t(lang, "Kommune (2024-inndeling)", "Kommune (2024-inndeling)"): tab["name"],
            f"{pop} {m0}": [fmt.cell(v, None, 0, lang) for v in tab["pop_2020"]],
            f"{pop} {m1} ▼": [
                fmt.cell(v, s, 0, lang) for v, s in zip(tab["pop_2022"], tab["status"], strict=True)
            ],
            f"{_t(lang, 'Endring', 'Endring')} {m0}–{m1}": [
                _pct_text(v, lang, True) for v in tab["growth_pct"]
            ],
            _t(lang, f"Andel av fylket {m1}", f"Del av fylket {m1}"): [
                _pct_text(v, lang) for v in tab["share_of_county_2022"]
            ],
            _t(lang, f"67 år og eldre {m1}", f"67 år og eldre {m1}"): [
                _pct_text(v, lang) for v in tab["andel_67_og_eldre"]
            ],
            _t(lang, f"80 år og eldre {m1}", f"80 år og eldre {m1}"): [
                _pct_text(v, lang) for v in tab["andel_80_og_eldre"]
            ],
        }
    )
    name = COUNTIES[county_code].name
    return _table(
        out,
        _t(
            lang,
            f"Kommunene i {name} (inndelingen fra 2024), sortert etter folkemengde {m1}",
            f"Kommunane i {name} (inndelinga frå 2024), sorterte etter folketal {m1}",
        ),
        lang,
        [
            "folkemengde",
            "befolkningsvekst_2020_2022_prosent",
            "andel_67_og_eldre",
            "andel_80_og_eldre",
        ],
        symbols=[x for x in tab["status"] if isinstance(x, str)],
    )


# ============================================================================================
# Narrative paragraphs computed from the data
# ============================================================================================


def data_note(lang: str) -> str:
    """Return a paragraph on where the figures come from and how they got onto 2024 borders."""
    return _t(
        lang,
        "Alle tall er folkemengden 1. januar fra SSBs tabell 07459, vist på fylkes- og "
        "kommuneinndelingen fra 2024. For 2019–2022 er tallene for kommunene summert til "
        "dagens fylker (2019: 422 kommuner, 2020–2022: 356 kommuner); for 2023–2025 er SSBs egne "
        "fylkestall brukt. Fylkestallene er eksakte, fordi ingen kommune er delt mellom to fylker.",
        "Alle tal er folketalet 1. januar frå tabell 07459 hos SSB, viste på fylkes- og "
        "kommuneinndelinga frå 2024. For 2019–2022 er tala for kommunane summerte til dei "
        "noverande fylka (2019: 422 kommunar, 2020–2022: 356 kommunar); for 2023–2025 er dei "
        "eigne fylkestala til SSB brukte. Fylkestala er eksakte, fordi ingen kommune er delt "
        "mellom to fylke.",
    )


def _age_moves(county_code: str, lang: str, data_source: str) -> str:
    """Return the sentence on which 10-year age group grew most and which fell most."""
    ch = age_group_change(county_code, data_source)
    up, down = ch.iloc[0], ch.iloc[-1]
    name = COUNTIES[county_code].name

    def fig(row: pd.Series) -> str:
        people = _t(lang, "personer", "personar")
        return (
            f"{fmt.number(row['change'], 0, lang, sign=True)} {people}, "
            f"{_pct_text(row['change_pct'], lang, True)}"
        )

    first = _t(
        lang,
        f"Fra {PYRAMID_BASE_YEAR} til {LAST_YEAR} økte aldersgruppen "
        f"{_group_label(up['age_group'])} år mest i {name} ({fig(up)})",
        f"Frå {PYRAMID_BASE_YEAR} til {LAST_YEAR} auka aldersgruppa "
        f"{_group_label(up['age_group'])} år mest i {name} ({fig(up)})",
    )
    if up["change"] <= 0:
        first = _t(
            lang,
            f"Fra {PYRAMID_BASE_YEAR} til {LAST_YEAR} økte ingen aldersgruppe i {name}",
            f"Frå {PYRAMID_BASE_YEAR} til {LAST_YEAR} auka inga aldersgruppe i {name}",
        )
    if down["change"] < 0:
        second = _t(
            lang,
            f"mens gruppen {_group_label(down['age_group'])} år gikk mest ned ({fig(down)})",
            f"medan gruppa {_group_label(down['age_group'])} år gjekk mest ned ({fig(down)})",
        )
    else:
        second = _t(lang, "og ingen aldersgruppe gikk ned", "og inga aldersgruppe gjekk ned")
    return f"{first}, {second}."


def age_text(county_code: str, lang: str, data_source: str = "snapshot") -> str:
    """Return what moved in the age structure since 2023, and what the data allows for 67+.

    Args:
        county_code: 2024 county code.
        lang: ``"nb"`` or ``"nn"``.
        data_source: ``"snapshot"`` or ``"live"``.

    Returns:
        Two paragraphs separated by a blank line.
    """
    _check_county(county_code)
    return (
        _age_moves(county_code, lang, data_source)
        + "\n\n"
        + _t(
            lang,
            "Andelen 67 år og eldre kan bare regnes ut for 2019–2022: fylkestallene for 2023–2025 har "
            "tiårige aldersgrupper (60–69 år, 70–79 år …), og tallene blir ikke anslått. For hele "
            "perioden 2019–2025 vises derfor andelene 70 år og eldre og 80 år og eldre, som kan leses "
            "av begge kildene.",
            "Delen 67 år og eldre kan berre reknast ut for 2019–2022: fylkestala for 2023–2025 har "
            "tiårige aldersgrupper (60–69 år, 70–79 år …), og tala blir ikkje anslåtte. For heile "
            "perioden 2019–2025 er difor delane 70 år og eldre og 80 år og eldre viste, sidan dei kan "
            "lesast av begge kjeldene.",
        )
    )


def municipal_note(county_code: str, lang: str, data_source: str = "snapshot") -> str:
    """Why municipalities are shown for 2020–2022 only, and the combined units of the county."""
    _check_county(county_code)
    tab = municipal_table(county_code, data_source)
    text = _t(
        lang,
        "Datauttaket har tall for kommunene bare fram til 1. januar 2022. Kommunene vises med "
        "kodene fra 2024 for 2020–2022, årene med én og samme kommuneinndeling.",
        "Datauttaket har tal for kommunane berre fram til 1. januar 2022. Kommunane er viste med "
        "kodane frå 2024 for 2020–2022, åra med éi og same kommuneinndeling.",
    )
    units = regions.split_units(MUNICIPAL_YEARS[0])
    units = units[units["county_2024"] == county_code]
    changes = regions.code_changes()
    for _, unit in units.iterrows():
        label = tab.loc[tab["region"] == unit["unit_2024"], "name"]
        if label.empty:
            continue
        members = fmt.join_words(
            [f"{n} ({c})" for c, n in zip(unit["members"], unit["member_names"], strict=True)], lang
        )
        successors = fmt.join_words([_name_2024(c) for c in unit["successors_2024"]], lang)
        split = changes[
            changes["old_code"].isin(list(unit["split"]))
            & changes["new_code"].isin(list(unit["successors_2024"]))
        ]
        when = split["date"].max()
        day = (
            f"1. januar {when.year}"
            if when.month == 1 and when.day == 1
            else when.strftime("%d.%m.%Y")
        )
        text += " " + _t(
            lang,
            f"Tallene for {members} i 2020–2022 gjelder kommunen slik den var før den ble delt i "
            f"{successors} {day}. De vises som «{label.iloc[0]}» og blir ikke fordelt på de nye "
            "kommunene; kartet viser området samlet.",
            f"Tala for {members} i 2020–2022 gjeld kommunen slik han var før han vart delt i "
            f"{successors} {day}. Dei er viste som «{label.iloc[0]}» og blir ikkje fordelte på dei "
            "nye kommunane; kartet viser området samla.",
        )
    if len(tab) == 1:
        text += " " + _t(
            lang,
            "Oslo er både fylke og kommune, så kommunetallet er det samme som fylkestallet.",
            "Oslo er både fylke og kommune, så kommunetalet er det same som fylkestalet.",
        )
    return text


def _name_2024(code: str) -> str:
    """Return the 2024 name of a municipality code (KLASS 131), e.g. ``"1580"`` → ``"Haram"``."""
    frame = regions.municipalities(2024)
    return str(frame.loc[frame["code"] == code, "name"].iloc[0])
