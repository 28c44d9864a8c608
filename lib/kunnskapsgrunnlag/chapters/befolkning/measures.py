"""Befolkning: growth, age shares, the comparison set's sums and the municipal table.

Every figure is computed from the harmonised frames of :mod:`.data` with the status symbols
carried through (``status.group_sum``/``combine``, never bare pandas arithmetic on a symbol).
Cached where the frames are reused; every public function returns a new frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from kunnskapsgrunnlag.chapters.befolkning.data import (
    _GROUP_LOW,
    FIRST_YEAR,
    LAST_YEAR,
    MUNICIPAL_YEARS,
    PYRAMID_BASE_YEAR,
    SHARE_INDICATORS,
    _county_by_age,
    _municipal_by_age,
    _municipal_totals,
    _sort_regions,
    county_population,
    pyramid,
)
from kunnskapsgrunnlag.regions import NORWAY
from kunnskapsgrunnlag.regions import check_county as _check_county
from kunnskapsgrunnlag.status import combine, group_sum


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

    67+, 70+ and 80+ exist for 2019–2026 (every source has single years of age; also
    readable from the county file's 10-year groups). Nothing is interpolated.

    Returns:
        A new frame with columns ``region``, ``year``, ``indicator``, ``value``, ``status``.
    """
    return _county_shares(data_source).copy()


def municipal_age_shares(data_source: str = "snapshot") -> pd.DataFrame:
    """Return the shares (%) aged 67+ and 80+ of the 2024 municipalities, 2020–2026.

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
    """Return the municipalities (2024) of a county: population 2020/2026, growth, shares.

    Args:
        county_code: 2024 county code.
        data_source: ``"snapshot"`` (bundled files) or ``"live"`` (SSB's API).

    Returns:
        A new frame sorted by population 2026 (largest first) with columns ``region``, ``name``,
        ``pop_2020``, ``pop_2026``, ``growth_pct`` (2020→2026), ``share_of_county_2020``,
        ``share_of_county_2026`` (%), ``andel_67_og_eldre``, ``andel_80_og_eldre`` (2026, %),
        ``status`` (symbol of the 2026 population cell).
    """
    _check_county(county_code)
    mp = _municipal_totals(data_source)
    mp = mp[mp["county"] == county_code]
    first, last = MUNICIPAL_YEARS[0], MUNICIPAL_YEARS[-1]
    wide = mp.groupby(["region", "name", "year"])["value"].sum(min_count=1).unstack("year")
    out = pd.DataFrame(
        {
            "region": [r for r, _ in wide.index],
            "name": [n for _, n in wide.index],
            f"pop_{first}": wide[first].to_numpy(),
            f"pop_{last}": wide[last].to_numpy(),
        }
    )
    out["growth_pct"] = (out[f"pop_{last}"] / out[f"pop_{first}"] - 1) * 100
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
    return out.sort_values([f"pop_{last}", "region"], ascending=[False, True], ignore_index=True)


def age_group_change(county_code: str, data_source: str = "snapshot") -> pd.DataFrame:
    """Change per 10-year age group (both sexes) from 2024 to the latest year, largest rise first.

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


def cache_clear() -> None:
    """Forget every loaded, harmonised and derived frame (e.g. after ``kg fetch`` or in tests)."""
    import importlib

    from kunnskapsgrunnlag.chapters.befolkning import data, provider

    # the module, not the function the package re-exports under the same name
    series_module = importlib.import_module("kunnskapsgrunnlag.indicators.series")

    data.cache_clear()
    provider.all_rows.cache_clear()
    for func in (_county_shares, _municipal_shares):
        func.cache_clear()
    series_module.cache_clear()
