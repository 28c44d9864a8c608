"""Framskriving (population projection): an open cohort projection in the spirit of SSB's Panda.

Method (stated also in ``docs/framskriving.md``, the registry and the chapter):

* **Hamilton–Perry cohort change ratios (CCR)** by sex and single year of age, estimated from the
  real municipal population files of SSB table 07459 for 1 January 2020, 2021 and 2022
  (snapshot ids ``07459-kommuner-2020`` … ``-2022``), harmonised to the 2024 division with
  :func:`kunnskapsgrunnlag.regions.aggregate_to_municipalities_2024`. Ålesund 1507 (split into
  Ålesund 1508 and Haram 1580 in 2024) stays one unit ``"1508+1580"``.
* One-year steps: ``CCR(a+1) = P(a+1, t+1) / P(a, t)`` for ages 1–104; the open group 105+ is
  fed by both the 104-year-olds and the survivors of 105+: ``P(105+, t+1) = CCR(105+) ·
  (P(104, t) + P(105+, t))``.
* Age 0 uses a **child–woman ratio** (CWR): boys (girls) aged 0 at *t+1* per woman aged 15–49 at
  *t*, estimated separately for each sex of the child, so the observed sex ratio at birth is kept.
* **Ratios are estimated at county level** and applied to every municipality (unit) of the
  county. The projection is linear in the base population, so the sum of the municipalities is
  exactly the projection of the county; county figures are computed as that sum, and Norway as
  the sum of the counties. County ratios are pooled over the base intervals (sum of cohort sizes
  at *t+1* over the sum at *t*, i.e. the interval ratios averaged with cohort-size weights) and
  shrunk toward the national ratio where the cohort is thin: ``(num + k·R_norge) / (den + k)``
  with ``k =`` :data:`SHRINKAGE_WEIGHT` persons (matters only at the highest ages). Ratios are
  then capped (:data:`CCR_CAPS`).
* Jump-off year 2022 (the latest year with single-year age by sex); projected to
  :data:`LAST_YEAR`. Base windows (:data:`WINDOWS`): ``"2020-2022"`` (both intervals, the main
  alternative), ``"2020-2021"`` and ``"2021-2022"`` (one interval each) give the uncertainty
  band.

Limits: no explicit assumptions on fertility, mortality or migration (everything observed in
the base period, including the pandemic years' low immigration, is carried forward); a short
base period of two one-year intervals; the jump-off year is 2022, so the high immigration of
2022–2024 is not in the ratios. :func:`backcast_table` measures how much this matters against the
real 2023–2025 county figures (``07459-fylker-2023-2025``), beside a naive constant-growth
baseline.

Everything is computed once per process and base window (``functools.lru_cache``); public
functions return new frames.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag import regions
from kunnskapsgrunnlag.charts import style
from kunnskapsgrunnlag.formatting import by_lang as _t
from kunnskapsgrunnlag.indicators import CSV_COLUMNS
from kunnskapsgrunnlag.regions import COUNTIES, NORWAY
from kunnskapsgrunnlag.regions import check_county as _check_county

# ============================================================================================
# Constants
# ============================================================================================

TABLE = "07459"
"""SSB table the projection is built from."""

OFFICIAL_TABLE = "14288"
"""SSB's official regional population projections (live only)."""

OFFICIAL_SOURCE = "14288-framskriving"
"""Snapshot id of SSB's official projection (live-only in the bundled snapshot)."""

OFFICIAL_ALTERNATIVE = "MMMM"
"""SSB's main alternative (medium fertility, life expectancy, internal and net immigration)."""

BASE_YEARS: tuple[int, ...] = (2020, 2021, 2022)
"""Years (1 January) of the municipal single-year files the ratios come from."""

MUNICIPAL_SOURCES: dict[int, str] = {y: f"07459-kommuner-{y}" for y in BASE_YEARS}
"""Snapshot ids of the municipal files, by year."""

COUNTY_SOURCE = "07459-fylker-2023-2025"
"""Snapshot id of the real county file used for the backcast (10-year groups by sex)."""

JUMP_OFF_YEAR = 2022
"""The projection starts from the population on 1 January of this year."""

LAST_YEAR = 2040
"""Last projected year (1 January)."""

MAX_AGE = 105
"""Oldest single year; ``105`` is the open group 105+."""

WINDOWS: dict[str, tuple[tuple[int, int], ...]] = {
    "2020-2022": ((2020, 2021), (2021, 2022)),
    "2020-2021": ((2020, 2021),),
    "2021-2022": ((2021, 2022),),
}
"""Base windows: name → one-year intervals the ratios are pooled over."""

MAIN_WINDOW = "2020-2022"
"""The main alternative (both intervals)."""

SHRINKAGE_WEIGHT = 100.0
"""Pseudo-persons of the national ratio added to each county ratio (shrinkage toward Norway)."""

CCR_CAPS: tuple[tuple[int, float, float], ...] = ((1, 0.5, 1.5), (90, 0.0, 1.0))
"""(first age, lower cap, upper cap): ages 1–89 in [0.5, 1.5], 90+ in [0, 1] (no net gain)."""

MOTHER_AGES: tuple[int, int] = (15, 49)
"""Women of these ages (inclusive) at *t* are the denominator of the child–woman ratio."""

MEASURES: tuple[str, ...] = (
    "folkemengde",
    "0_15",
    "16_19",
    "20_66",
    "67_79",
    "80_og_eldre",
    "forsorgerbrok_eldre",
)
"""The measures of :func:`measures` (and, prefixed ``framskrevet_``, the indicator ids)."""

AGE_BANDS: dict[str, tuple[int, int]] = {
    "0_15": (0, 15),
    "16_19": (16, 19),
    "20_66": (20, 66),
    "67_79": (67, 79),
    "80_og_eldre": (80, MAX_AGE),
}
"""Age groups of the chapter (inclusive bounds; 105 = 105+)."""

BAND_LABELS: dict[str, dict[str, str]] = {
    "folkemengde": {"nb": "Folkemengde i alt", "nn": "Folketal i alt"},
    "0_15": {"nb": "0–15 år", "nn": "0–15 år"},
    "16_19": {"nb": "16–19 år", "nn": "16–19 år"},
    "20_66": {"nb": "20–66 år", "nn": "20–66 år"},
    "67_79": {"nb": "67–79 år", "nn": "67–79 år"},
    "80_og_eldre": {"nb": "80 år og eldre", "nn": "80 år og eldre"},
    "forsorgerbrok_eldre": {
        "nb": "Personer 67+ per 100 i alderen 20–66",
        "nn": "Personar 67+ per 100 i alderen 20–66",
    },
}
"""Reader-facing labels of the measures."""

BACKCAST_YEARS: tuple[int, ...] = (2023, 2024, 2025)
"""Years of the real county file the backcast is scored against."""

BACKCAST_GROUPS: tuple[str, ...] = (
    "0-9",
    "10-19",
    "20-29",
    "30-39",
    "40-49",
    "50-59",
    "60-69",
    "70-79",
    "80-89",
    "90+",
)
"""Age groups scored in the backcast: the county file's 10-year groups, 90–99 and 100+ joined
(the 100+ cells are a handful of persons in small counties, where one death is a 20 % error)."""

INDICATOR_PREFIX = "framskrevet_"

SOURCE_TEXT = "Kohortframskriving (Hamilton–Perry), basisår 2020–2022, SSB tabell 07459"
"""The csv ``source`` of the projected indicators (must equal the registry's ``source.text``)."""


class ProjectionDataError(RuntimeError):
    """The input population cannot be projected (symbols, gaps or negative counts)."""


# ============================================================================================
# Base population (cached)
# ============================================================================================


@lru_cache(maxsize=8)
def _source(source_id: str) -> pd.DataFrame:
    """Load one snapshot source once per process (callers copy before changing)."""
    from kunnskapsgrunnlag.data import snapshot

    return snapshot.load(source_id)


@dataclass(frozen=True)
class _Base:
    """The base population as arrays: ``pop[unit, sex, age, year]`` (years = BASE_YEARS)."""

    units: tuple[str, ...]
    names: tuple[str, ...]
    county_of_unit: tuple[str, ...]
    counties: tuple[str, ...]
    pop: np.ndarray


def _harmonise(df: pd.DataFrame, year: int) -> pd.DataFrame:
    """Sum one municipal file (codes of *year*) to 2024 municipalities by sex and age.

    Uses :func:`kunnskapsgrunnlag.regions.aggregate_to_municipalities_2024` (Ålesund stays
    ``"1508+1580"``; it raises if a municipality of *year* is missing from a sex × age group).
    A projection needs a number in every cell, so any SSB symbol or gap is refused first.
    """
    cols = ["region", "year", "sex", "age", "value", "status"]
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ProjectionDataError(f"{MUNICIPAL_SOURCES.get(year, year)}: columns {missing} missing")
    work = pd.DataFrame({c: df[c].to_numpy() for c in cols})
    work["region"] = work["region"].astype(str)
    work["sex"] = work["sex"].astype(str)
    work["age"] = work["age"].astype(int)
    work["value"] = work["value"].astype(float)
    symbol = work["status"].map(lambda s: isinstance(s, str) and s not in ("", "-"))
    bad = symbol | work["value"].isna()
    if bad.any():
        r = work[bad].iloc[0]
        raise ProjectionDataError(
            f"{year}: municipality {r['region']} sex {r['sex']} age {r['age']} has no number "
            f"(status {r['status']!r}); a cohort projection needs every cell"
        )
    out = regions.aggregate_to_municipalities_2024(work, year, by=["year", "sex", "age"])
    return out[["region", "year", "sex", "age", "value", "name"]]


def _base_from_frames(frames: Mapping[int, pd.DataFrame]) -> _Base:
    """Build the base arrays from the three harmonised municipal frames."""
    parts = [_harmonise(frames[y], y) for y in BASE_YEARS]
    tidy = pd.concat(parts, ignore_index=True)
    units = sorted(tidy["region"].unique())
    names = tidy.drop_duplicates("region").set_index("region")["name"]
    idx = pd.MultiIndex.from_product(
        [units, ["1", "2"], range(MAX_AGE + 1), list(BASE_YEARS)],
        names=["region", "sex", "age", "year"],
    )
    values = tidy.set_index(["region", "sex", "age", "year"])["value"].reindex(idx)
    if values.isna().any():
        gap = values[values.isna()].index[0]
        raise ProjectionDataError(
            f"base population lacks the cell {dict(zip(idx.names, gap, strict=True))}"
        )
    pop = values.to_numpy(dtype=float).reshape(len(units), 2, MAX_AGE + 1, len(BASE_YEARS))
    if (pop < 0).any():
        raise ProjectionDataError("base population has negative counts")
    county_of_unit = tuple(u[:2] for u in units)
    unknown = sorted(set(county_of_unit) - set(COUNTIES))
    if unknown:
        raise ProjectionDataError(f"units in unknown counties: {unknown}")
    return _Base(
        units=tuple(units),
        names=tuple(str(names[u]) for u in units),
        county_of_unit=county_of_unit,
        counties=tuple(sorted(COUNTIES)),
        pop=pop,
    )


@lru_cache(maxsize=1)
def _base() -> _Base:
    return _base_from_frames({y: _source(MUNICIPAL_SOURCES[y]) for y in BASE_YEARS})


def base_population() -> pd.DataFrame:
    """Return the harmonised base population (2024 municipalities, 2020–2022, sex × age).

    Returns:
        A new frame with columns ``region`` (2024 municipality code, or ``"1508+1580"``),
        ``name``, ``county``, ``year``, ``sex`` (``"1"`` menn, ``"2"`` kvinner), ``age``
        (0–105, 105 = 105+) and ``value`` (persons).
    """
    b = _base()
    return _tidy(b.pop, list(b.units), list(BASE_YEARS), names=list(b.names))


def _tidy(
    arr: np.ndarray, regions_: list[str], years: list[int], names: list[str] | None = None
) -> pd.DataFrame:
    """Long frame from ``arr[region, sex, age, year]``."""
    n_r, _, n_a, n_y = arr.shape
    idx = pd.MultiIndex.from_product(
        [regions_, ["1", "2"], range(n_a), years], names=["region", "sex", "age", "year"]
    )
    out = pd.DataFrame({"value": arr.reshape(-1)}, index=idx).reset_index()
    out["region"] = out["region"].astype(object)
    out["sex"] = out["sex"].astype(object)
    out["age"] = out["age"].astype(int)
    out["year"] = out["year"].astype(int)
    if names is not None:
        lookup = dict(zip(regions_, names, strict=True))
        out.insert(1, "name", out["region"].map(lookup).astype(object))
        out.insert(2, "county", out["region"].str[:2].astype(object))
    return out[[c for c in ["region", "name", "county", "year", "sex", "age", "value"] if c in out]]


def _county_sum(pop: np.ndarray, b: _Base) -> np.ndarray:
    """Sum unit arrays (first axis) to the 15 counties (in code order)."""
    out = np.zeros((len(b.counties), *pop.shape[1:]))
    index = {c: i for i, c in enumerate(b.counties)}
    np.add.at(out, [index[c] for c in b.county_of_unit], pop)
    return out


# ============================================================================================
# Ratios
# ============================================================================================


def _check_window(window: str) -> tuple[tuple[int, int], ...]:
    if window not in WINDOWS:
        raise ValueError(f"unknown base window {window!r}; choose one of {', '.join(WINDOWS)}")
    return WINDOWS[window]


def _caps() -> tuple[np.ndarray, np.ndarray]:
    lo = np.full(MAX_AGE + 1, np.nan)
    hi = np.full(MAX_AGE + 1, np.nan)
    for first, low, high in CCR_CAPS:
        lo[first:] = low
        hi[first:] = high
    return lo, hi


def _ratio_parts(
    pop: np.ndarray, intervals: Sequence[tuple[int, int]]
) -> tuple[np.ndarray, np.ndarray]:
    """Pooled numerators and denominators ``[region, sex, age]`` over *intervals*."""
    num = np.zeros(pop.shape[:3])
    den = np.zeros(pop.shape[:3])
    lo_m, hi_m = MOTHER_AGES
    for y0, y1 in intervals:
        t0, t1 = BASE_YEARS.index(y0), BASE_YEARS.index(y1)
        p0, p1 = pop[..., t0], pop[..., t1]
        num[:, :, 1:MAX_AGE] += p1[:, :, 1:MAX_AGE]
        den[:, :, 1:MAX_AGE] += p0[:, :, 0 : MAX_AGE - 1]
        num[:, :, MAX_AGE] += p1[:, :, MAX_AGE]
        den[:, :, MAX_AGE] += p0[:, :, MAX_AGE - 1] + p0[:, :, MAX_AGE]
        num[:, :, 0] += p1[:, :, 0]
        den[:, :, 0] += p0[:, 1, lo_m : hi_m + 1].sum(axis=-1)[:, None]
    return num, den


def _estimate(
    pop_county: np.ndarray, intervals: Sequence[tuple[int, int]]
) -> dict[str, np.ndarray]:
    """County ratios ``[county, sex, age]`` (age 0 = CWR), with the pieces that made them."""
    num, den = _ratio_parts(pop_county, intervals)
    nat_num, nat_den = num.sum(axis=0), den.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        national = np.where(nat_den > 0, nat_num / nat_den, 0.0)
        raw = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    shrunk = (num + SHRINKAGE_WEIGHT * national[None]) / (den + SHRINKAGE_WEIGHT)
    lo, hi = _caps()
    ratio = shrunk.copy()
    ratio[:, :, 1:] = np.clip(shrunk[:, :, 1:], lo[1:], hi[1:])
    capped = np.zeros(ratio.shape, dtype=bool)
    capped[:, :, 1:] = ratio[:, :, 1:] != shrunk[:, :, 1:]
    return {
        "ratio": ratio,
        "raw": raw,
        "shrunk": shrunk,
        "national": np.broadcast_to(national, ratio.shape),
        "numerator": num,
        "denominator": den,
        "capped": capped,
    }


@lru_cache(maxsize=8)
def _ratios(window: str) -> dict[str, np.ndarray]:
    intervals = _check_window(window)
    b = _base()
    return _estimate(_county_sum(b.pop, b), intervals)


def cohort_ratios(window: str = MAIN_WINDOW) -> pd.DataFrame:
    """Return the county ratios the projection uses, with the pieces they come from.

    Args:
        window: base window (see :data:`WINDOWS`).

    Returns:
        A new frame, one row per county × sex × age, with columns ``region`` (county code),
        ``sex``, ``age``, ``kind`` (``"cwr"`` for age 0: children aged 0 at *t+1* per woman
        15–49 at *t*; ``"ccr"`` otherwise; age 105 is the open group), ``numerator`` and
        ``denominator`` (pooled over the window's intervals), ``raw`` (their ratio, NaN when the
        denominator is 0), ``national`` (Norway's pooled ratio), ``ratio`` (shrunk and capped:
        what is applied) and ``capped`` (bool).
    """
    r = _ratios(window)
    b = _base()
    n_c = len(b.counties)
    idx = pd.MultiIndex.from_product(
        [list(b.counties), ["1", "2"], range(MAX_AGE + 1)], names=["region", "sex", "age"]
    )
    out = pd.DataFrame(
        {
            k: np.asarray(r[k]).reshape(n_c * 2 * (MAX_AGE + 1))
            for k in ("numerator", "denominator", "raw", "national", "ratio", "capped")
        },
        index=idx,
    ).reset_index()
    out.insert(3, "kind", np.where(out["age"] == 0, "cwr", "ccr"))
    out["region"] = out["region"].astype(object)
    out["sex"] = out["sex"].astype(object)
    return out


# ============================================================================================
# Projection
# ============================================================================================


def _step(pop: np.ndarray, ratio: np.ndarray) -> np.ndarray:
    """One year forward: ``pop[unit, sex, age]`` with ratios ``[unit, sex, age]``."""
    nxt = np.empty_like(pop)
    nxt[:, :, 1:MAX_AGE] = ratio[:, :, 1:MAX_AGE] * pop[:, :, 0 : MAX_AGE - 1]
    nxt[:, :, MAX_AGE] = ratio[:, :, MAX_AGE] * (pop[:, :, MAX_AGE - 1] + pop[:, :, MAX_AGE])
    lo_m, hi_m = MOTHER_AGES
    women = pop[:, 1, lo_m : hi_m + 1].sum(axis=-1)
    nxt[:, :, 0] = ratio[:, :, 0] * women[:, None]
    return nxt


def _run(start: np.ndarray, ratio_by_unit: np.ndarray, steps: int) -> np.ndarray:
    """Project ``start[unit, sex, age]`` *steps* years; returns ``[unit, sex, age, steps+1]``."""
    out = [start]
    cur = start
    for _ in range(steps):
        cur = _step(cur, ratio_by_unit)
        out.append(cur)
    return np.stack(out, axis=-1)


@lru_cache(maxsize=8)
def _projection(window: str, jump_off: int = JUMP_OFF_YEAR, last: int = LAST_YEAR) -> np.ndarray:
    """Project every unit: ``[unit, sex, age, year]`` for years jump_off..last (cached)."""
    if jump_off not in BASE_YEARS:
        raise ValueError(f"jump-off year must be one of {BASE_YEARS}, got {jump_off}")
    if last <= jump_off:
        raise ValueError(f"last year {last} must be after the jump-off year {jump_off}")
    b = _base()
    ratio = _ratios(window)["ratio"]
    county_index = {c: i for i, c in enumerate(b.counties)}
    by_unit = ratio[[county_index[c] for c in b.county_of_unit]]
    start = b.pop[..., BASE_YEARS.index(jump_off)]
    proj = _run(start, by_unit, last - jump_off)
    proj.setflags(write=False)
    return proj


def project_municipalities(window: str = MAIN_WINDOW, last_year: int = LAST_YEAR) -> pd.DataFrame:
    """Project every 2024 municipality (unit) by sex and single year of age.

    Args:
        window: base window (see :data:`WINDOWS`).
        last_year: last projected year.

    Returns:
        A new frame with columns ``region`` (2024 code or ``"1508+1580"``), ``name``,
        ``county``, ``year`` (2022 = the observed jump-off population, then projected),
        ``sex``, ``age`` and ``value`` (persons, not rounded).
    """
    b = _base()
    proj = _projection(window, JUMP_OFF_YEAR, last_year)
    return _tidy(
        np.array(proj),
        list(b.units),
        list(range(JUMP_OFF_YEAR, last_year + 1)),
        names=list(b.names),
    )


@lru_cache(maxsize=8)
def _regions_projection(window: str, last: int = LAST_YEAR) -> tuple[tuple[str, ...], np.ndarray]:
    """Norway + counties ``[region, sex, age, year]``: counties = sum of units, Norway = sum of counties."""
    b = _base()
    counties = _county_sum(np.array(_projection(window, JUMP_OFF_YEAR, last)), b)
    norway = counties.sum(axis=0, keepdims=True)
    arr = np.concatenate([norway, counties], axis=0)
    arr.setflags(write=False)
    return (NORWAY, *b.counties), arr


def project_counties(
    window: str = MAIN_WINDOW, last_year: int = LAST_YEAR, include_norway: bool = True
) -> pd.DataFrame:
    """Project Norway and the 15 counties by sex and single year of age.

    County figures are the sum of their municipalities' projections; Norway is the sum of the
    counties.

    Args:
        window: base window (see :data:`WINDOWS`).
        last_year: last projected year.
        include_norway: add Norway (region ``"0"``) as the first region.

    Returns:
        A new frame with columns ``region``, ``name``, ``year`` (2022 = jump-off), ``sex``,
        ``age``, ``value``.
    """
    codes, arr = _regions_projection(window, last_year)
    df = _tidy(np.array(arr), list(codes), list(range(JUMP_OFF_YEAR, last_year + 1)))
    df.insert(1, "name", df["region"].map(region_name).astype(object))
    if not include_norway:
        df = df[df["region"] != NORWAY].reset_index(drop=True)
    return df


def region_name(code: str, lang: str | None = None) -> str:
    """Name of Norway or a 2024 county.

    Args:
        code: ``"0"`` or a two-digit county code.
        lang: ``None`` for the data name (``"Norge"``, as in ``indicators.csv``); ``"nb"`` or
            ``"nn"`` for the label readers see beside a county (``"Landet"``).
    """
    if code == NORWAY:
        return "Norge" if lang is None else "Landet"
    return COUNTIES[code].name


def _measures_from(arr: np.ndarray) -> dict[str, np.ndarray]:
    """Measures ``[region, year]`` from ``arr[region, sex, age, year]``."""
    by_age = arr.sum(axis=1)
    out = {"folkemengde": by_age.sum(axis=1)}
    for key, (lo, hi) in AGE_BANDS.items():
        out[key] = by_age[:, lo : hi + 1].sum(axis=1)
    old = by_age[:, 67:].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["forsorgerbrok_eldre"] = 100.0 * old / out["20_66"]
    return out


def _observed_arrays() -> tuple[tuple[str, ...], np.ndarray]:
    b = _base()
    counties = _county_sum(b.pop, b)
    return (NORWAY, *b.counties), np.concatenate([counties.sum(axis=0, keepdims=True), counties])


@lru_cache(maxsize=8)
def _measures_frame(window: str) -> pd.DataFrame:
    codes, arr = _regions_projection(window)
    years = list(range(JUMP_OFF_YEAR, LAST_YEAR + 1))
    obs_codes, obs = _observed_arrays()
    rows = []
    for source, data, yrs, kind in (
        (obs_codes, obs, list(BASE_YEARS), "observert"),
        (codes, arr, years, "framskrevet"),
    ):
        m = _measures_from(np.asarray(data))
        for key in MEASURES:
            vals = m[key]
            for i, code in enumerate(source):
                for j, year in enumerate(yrs):
                    if kind == "framskrevet" and year == JUMP_OFF_YEAR:
                        continue
                    rows.append((code, year, key, float(vals[i, j]), kind))
    out = pd.DataFrame(rows, columns=["region", "year", "measure", "value", "kind"])
    out.insert(1, "name", out["region"].map(region_name))
    return out.astype({"region": object, "name": object, "measure": object, "kind": object})


def measures(window: str = MAIN_WINDOW) -> pd.DataFrame:
    """Return the chapter's measures for Norway and the counties, observed 2020–2022 and projected.

    Args:
        window: base window (see :data:`WINDOWS`).

    Returns:
        A new frame with columns ``region``, ``name``, ``year``, ``measure`` (see
        :data:`MEASURES`: persons, except ``forsorgerbrok_eldre`` = persons 67+ per 100 aged
        20–66), ``value`` and ``kind`` (``"observert"`` for 2020–2022 from the municipal files,
        ``"framskrevet"`` for 2023–:data:`LAST_YEAR`).
    """
    return _measures_frame(_checked(window)).copy()


def _checked(window: str) -> str:
    _check_window(window)
    return window


@lru_cache(maxsize=1)
def _band_frame() -> pd.DataFrame:
    frames = {
        w: _measures_frame(w).set_index(["region", "year", "measure"])["value"] for w in WINDOWS
    }
    main = _measures_frame(MAIN_WINDOW)
    wide = pd.DataFrame(frames)
    out = main.set_index(["region", "year", "measure"]).copy()
    out["low"] = wide.min(axis=1)
    out["high"] = wide.max(axis=1)
    for w in WINDOWS:
        out[f"window_{w}"] = wide[w]
    return out.reset_index()[
        [
            "region",
            "name",
            "year",
            "measure",
            "kind",
            "value",
            "low",
            "high",
            *[f"window_{w}" for w in WINDOWS],
        ]
    ]


def band() -> pd.DataFrame:
    """Return the main projection with the band spanned by all base windows.

    Returns:
        A new frame like :func:`measures` (main window) with ``low`` and ``high`` (the smallest
        and largest value over :data:`WINDOWS`, equal to ``value`` in observed years) and one
        ``window_<name>`` column per base window.
    """
    return _band_frame().copy()


# ============================================================================================
# Observed series and the backcast
# ============================================================================================


def _county_file() -> pd.DataFrame:
    df = _source(COUNTY_SOURCE)
    out = df[["region", "year", "sex", "age_group", "value", "status"]].copy()
    out["region"] = out["region"].astype(str).astype(object)
    out["sex"] = out["sex"].astype(str).astype(object)
    out["age_group"] = out["age_group"].astype(str).astype(object)
    out["year"] = out["year"].astype(int)
    return out


def _group_of_age(age: int) -> str:
    if age >= 90:
        return "90+"
    lo = (age // 10) * 10
    return f"{lo}-{lo + 9}"


def _collapse_group(label: str) -> str:
    return "90+" if label in ("90-99", "100+") else label


def observed_totals() -> pd.DataFrame:
    """Return the real population of Norway and the counties, 2020–2025.

    2020–2022 from the municipal files (summed to 2024 counties), 2023–2025 from the county
    file ``07459-fylker-2023-2025``.

    Returns:
        A new frame with columns ``region``, ``name``, ``year``, ``value``, ``source_id``.
    """
    codes, obs = _observed_arrays()
    rows = []
    totals = obs.sum(axis=(1, 2))
    for i, code in enumerate(codes):
        for j, year in enumerate(BASE_YEARS):
            rows.append((code, year, float(totals[i, j]), MUNICIPAL_SOURCES[year]))
    cf = _county_file()
    if cf["value"].isna().any():
        raise ProjectionDataError(f"{COUNTY_SOURCE}: cells without numbers")
    for (code, year), v in cf.groupby(["region", "year"])["value"].sum().items():
        rows.append((code, int(year), float(v), COUNTY_SOURCE))
    out = pd.DataFrame(rows, columns=["region", "year", "value", "source_id"])
    out.insert(1, "name", out["region"].map(region_name))
    key = out["region"].map(lambda r: (0, r) if r == NORWAY else (1, r))
    return out.assign(_k=key).sort_values(["_k", "year"]).drop(columns="_k").reset_index(drop=True)


def _grouped(arr: np.ndarray) -> np.ndarray:
    """``arr[region, sex, age, year]`` → ``[region, sex, group, year]`` (BACKCAST_GROUPS)."""
    out = np.zeros((arr.shape[0], 2, len(BACKCAST_GROUPS), arr.shape[3]))
    for age in range(MAX_AGE + 1):
        out[:, :, BACKCAST_GROUPS.index(_group_of_age(age)), :] += arr[:, :, age, :]
    return out


def backcast(window: str = MAIN_WINDOW, observed: pd.DataFrame | None = None) -> pd.DataFrame:
    """Project from 2022 with ratios from *window* and set the result beside real 2023–2025 figures.

    The ratios use only 2020–2022, so 2023–2025 are out of sample. A naive baseline is shown
    beside it: each cell's own growth 2020→2022 (annual, geometric) carried forward from 2022
    (for the totals: the region's total growth).

    Args:
        window: base window for the ratios.
        observed: the real county file in tidy shape (``region``, ``year``, ``sex``,
            ``age_group``, ``value``); default: snapshot ``07459-fylker-2023-2025``. Tests pass
            a changed copy to see the errors move.

    Returns:
        A new frame, one row per region (Norway and the counties) × year (2023–2025) × cell,
        where cell is ``sex`` ``"alle"`` / ``age_group`` ``"alle"`` for the total, or a sex
        (``"1"``/``"2"``) × :data:`BACKCAST_GROUPS` group. Columns: ``region``, ``name``,
        ``year``, ``sex``, ``age_group``, ``observed``, ``projected``, ``baseline``,
        ``error_pct`` ((projected − observed) / observed × 100), ``baseline_error_pct``.
    """
    _check_window(window)
    if observed is None:
        return _backcast_default(window).copy()
    return _backcast(window, observed.copy())


@lru_cache(maxsize=8)
def _backcast_default(window: str) -> pd.DataFrame:
    return _backcast(window, _county_file())


def _backcast(window: str, cf: pd.DataFrame) -> pd.DataFrame:
    """Do the work of :func:`backcast` (*cf* is the county file, changed freely here)."""
    cf["age_group"] = cf["age_group"].astype(str).map(_collapse_group)
    cf["sex"] = cf["sex"].astype(str)
    cf["region"] = cf["region"].astype(str)
    obs = (
        cf[cf["year"].isin(BACKCAST_YEARS)]
        .groupby(["region", "year", "sex", "age_group"])["value"]
        .sum()
    )

    codes, arr = _regions_projection(window)
    years = list(range(JUMP_OFF_YEAR, LAST_YEAR + 1))
    proj = _grouped(np.asarray(arr))[..., [years.index(y) for y in BACKCAST_YEARS]]

    obs_codes, base_arr = _observed_arrays()
    if tuple(obs_codes) != tuple(codes):
        raise ProjectionDataError("region order of observed and projected arrays differs")
    base_g = _grouped(base_arr)
    t0, t1 = BASE_YEARS.index(2020), BASE_YEARS.index(JUMP_OFF_YEAR)
    span = JUMP_OFF_YEAR - 2020
    steps = np.array([y - JUMP_OFF_YEAR for y in BACKCAST_YEARS], dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        g_cell = (base_g[..., t1] / base_g[..., t0]) ** (1.0 / span)
    base_cells = base_g[..., t1][..., None] * g_cell[..., None] ** steps
    tot0 = base_arr[..., t0].sum(axis=(1, 2))
    tot1 = base_arr[..., t1].sum(axis=(1, 2))
    base_tot = tot1[:, None] * ((tot1 / tot0) ** (1.0 / span))[:, None] ** steps

    rows = []
    for i, code in enumerate(codes):
        for k, year in enumerate(BACKCAST_YEARS):
            o_tot = float(
                sum(
                    obs.get((code, year, s, g), np.nan) for s in ("1", "2") for g in BACKCAST_GROUPS
                )
            )
            rows.append(
                (
                    code,
                    year,
                    "alle",
                    "alle",
                    o_tot,
                    float(proj[i, :, :, k].sum()),
                    float(base_tot[i, k]),
                )
            )
            for si, sex in enumerate(("1", "2")):
                for gi, group in enumerate(BACKCAST_GROUPS):
                    rows.append(
                        (
                            code,
                            year,
                            sex,
                            group,
                            float(obs.get((code, year, sex, group), np.nan)),
                            float(proj[i, si, gi, k]),
                            float(base_cells[i, si, gi, k]),
                        )
                    )
    out = pd.DataFrame(
        rows, columns=["region", "year", "sex", "age_group", "observed", "projected", "baseline"]
    )
    if out["observed"].isna().any():
        r = out[out["observed"].isna()].iloc[0]
        raise ProjectionDataError(
            f"backcast: the real county file has no figure for region {r['region']} "
            f"{r['year']} sex {r['sex']} group {r['age_group']}"
        )
    out["error_pct"] = (out["projected"] - out["observed"]) / out["observed"] * 100.0
    out["baseline_error_pct"] = (out["baseline"] - out["observed"]) / out["observed"] * 100.0
    out.insert(1, "name", out["region"].map(region_name))
    return out.astype({"region": object, "name": object, "sex": object, "age_group": object})


def backcast_table(window: str = MAIN_WINDOW, observed: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the backcast error per region: the method against the naive baseline.

    Ratios from *window* (2020–2022 data only), projected from 1 January 2022 to 2023, 2024 and
    2025, compared with SSB's real county figures for those years.

    Args:
        window: base window for the ratios (default: the main alternative).
        observed: see :func:`backcast`.

    Returns:
        A new frame, one row per region (Norway first, then the 15 counties), columns:

        * ``region``, ``name``, ``years`` (``"2023–2025"``);
        * ``mape_total``: mean absolute percentage error of the total population over the three
          years; ``mpe_total``: the mean signed error (negative = the projection is too low);
          ``error_total_<year>``: the signed error each year (%);
        * ``mape_groups``: mean absolute percentage error over sex × age group
          (:data:`BACKCAST_GROUPS`) × year;
        * ``baseline_mape_total``, ``baseline_mpe_total``, ``baseline_mape_groups``: the same for
          the naive constant-growth baseline;
        * ``method_better_total``: ``True`` when the method's ``mape_total`` is lower.
    """
    bc = backcast(window, observed)
    tot = bc[bc["sex"] == "alle"]
    cells = bc[bc["sex"] != "alle"]
    g_tot = tot.groupby("region", sort=False)
    g_cells = cells.groupby("region", sort=False)
    out = pd.DataFrame(
        {
            "mape_total": g_tot["error_pct"].apply(lambda s: s.abs().mean()),
            "mpe_total": g_tot["error_pct"].mean(),
            "mape_groups": g_cells["error_pct"].apply(lambda s: s.abs().mean()),
            "baseline_mape_total": g_tot["baseline_error_pct"].apply(lambda s: s.abs().mean()),
            "baseline_mpe_total": g_tot["baseline_error_pct"].mean(),
            "baseline_mape_groups": g_cells["baseline_error_pct"].apply(lambda s: s.abs().mean()),
        }
    )
    for year in BACKCAST_YEARS:
        out[f"error_total_{year}"] = tot[tot["year"] == year].set_index("region")["error_pct"]
    out["method_better_total"] = out["mape_total"] < out["baseline_mape_total"]
    out = out.reset_index()
    out.insert(1, "name", out["region"].map(region_name))
    out.insert(2, "years", f"{BACKCAST_YEARS[0]}–{BACKCAST_YEARS[-1]}")
    return out.astype({"region": object, "name": object, "years": object})


# ============================================================================================
# Indicators
# ============================================================================================


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
    """Rows of ``outputs/indicators.csv``: projected measures, Norway and counties, 2023–2040.

    Returns:
        A new frame with columns ``indicator`` (``framskrevet_<measure>``), ``region_code``,
        ``region_name``, ``year``, ``value`` (persons, rounded half-up to whole persons; the
        dependency ratio to one decimal), ``status`` (empty), ``unit`` and ``source`` (from the
        registry).
    """
    from kunnskapsgrunnlag import indicators

    m = measures(MAIN_WINDOW)
    m = m[m["kind"] == "framskrevet"]
    rows = []
    for rec in m.itertuples(index=False):
        ind_id = INDICATOR_PREFIX + rec.measure
        ind = indicators.get(ind_id)
        rows.append(
            {
                "indicator": ind_id,
                "region_code": rec.region,
                "region_name": rec.name,
                "year": int(rec.year),
                "value": fmt.round_half_up(rec.value, ind.decimals),
                "status": "",
                "unit": ind.csv_unit,
                "source": ind.source_text,
            }
        )
    return pd.DataFrame(rows, columns=list(CSV_COLUMNS))


# ============================================================================================
# SSB's official projection (live path)
# ============================================================================================


def official_projection(data_source: str = "snapshot") -> pd.DataFrame | None:
    """Return SSB's official projection (table 14288, main alternative) by county, or ``None``.

    Offline (the bundled snapshot has no 14288) this returns ``None`` and the chapter says the
    official projection needs a refresh.

    Args:
        data_source: ``"snapshot"`` or ``"live"``.

    Returns:
        ``None`` when the table is not available; otherwise a new frame with columns ``region``
        (Norway and the 15 counties), ``year``, ``measure`` (:data:`MEASURES`) and ``value``.
    """
    from kunnskapsgrunnlag.data import snapshot
    from kunnskapsgrunnlag.data.errors import SSBError

    try:
        df = snapshot.load(OFFICIAL_SOURCE, source=data_source)
    except (snapshot.SnapshotError, SSBError):
        return None
    if df is None or len(df) == 0:
        return None
    return _official_measures(df)


def _official_measures(df: pd.DataFrame) -> pd.DataFrame | None:
    """Turn the tidy 14288 frame (Norway and counties, sex × single-year age) into measures.

    Norway is SSB's own ``"0"`` when the frame has it, else the sum of the counties.
    """
    need = {"region", "year", "age", "value"}
    if not need <= set(df.columns):
        return None
    work = df[df["value"].notna()].copy()
    work["region"] = work["region"].astype(str)
    work["age"] = pd.to_numeric(work["age"], errors="coerce")
    work = work[work["age"].notna()]
    work["age"] = work["age"].astype(int).clip(upper=MAX_AGE)
    work = work[work["region"].isin([NORWAY, *COUNTIES])]
    if work.empty:
        return None
    both = work.groupby(["region", "year", "age"], as_index=False)["value"].sum()
    if NORWAY not in set(both["region"]):
        norway = both.groupby(["year", "age"], as_index=False)["value"].sum().assign(region=NORWAY)
        both = pd.concat([norway, both], ignore_index=True)
    rows = []
    for (code, year), g in both.groupby(["region", "year"]):
        by_age = g.set_index("age")["value"].reindex(range(MAX_AGE + 1), fill_value=0.0).to_numpy()
        m = _measures_from(by_age.reshape(1, 1, MAX_AGE + 1, 1))
        for key in MEASURES:
            rows.append((code, int(year), key, float(m[key][0, 0])))
    return pd.DataFrame(rows, columns=["region", "year", "measure", "value"]).astype(
        {"region": object, "measure": object}
    )


def compare_official(
    county_code: str, official: pd.DataFrame, years: Sequence[int] = (2030, 2040)
) -> pd.DataFrame:
    """Set this projection beside SSB's official one for a county and Norway.

    Args:
        county_code: two-digit county code.
        official: the frame from :func:`official_projection`.
        years: years to compare (those present in both).

    Returns:
        A new frame with columns ``region``, ``year``, ``measure``, ``value`` (this projection),
        ``official`` and ``difference_pct`` ((this − official) / official × 100).
    """
    ours = measures(MAIN_WINDOW)
    ours = ours[ours["region"].isin([county_code, NORWAY]) & ours["year"].isin(list(years))]
    merged = ours.merge(official, on=["region", "year", "measure"], suffixes=("", "_official"))
    merged = merged.rename(columns={"value_official": "official"})
    merged["difference_pct"] = (merged["value"] - merged["official"]) / merged["official"] * 100.0
    return merged[["region", "year", "measure", "value", "official", "difference_pct"]].reset_index(
        drop=True
    )


# ============================================================================================
# Facts, sentences, tables and figures for the chapter
# ============================================================================================


def _val(df: pd.DataFrame, region: str, year: int, measure: str, col: str = "value") -> float:
    hit = df[(df["region"] == region) & (df["year"] == year) & (df["measure"] == measure)]
    if len(hit) != 1:
        raise KeyError(f"no single value for {region} {year} {measure}")
    return float(hit[col].iloc[0])


def _pct(new: float, old: float) -> float:
    return (new - old) / old * 100.0


@dataclass(frozen=True)
class CountyOutlook:
    """The figures the chapter's sentences quote for one county (main window, with band)."""

    county: str
    name: str
    values: dict[tuple[str, str, int], dict[str, float]]
    """(region, measure, year) → {"value", "low", "high"} for the county and Norway."""

    def get(self, region: str, measure: str, year: int, what: str = "value") -> float:
        """Look one figure up."""
        return self.values[(region, measure, year)][what]

    def change_pct(
        self, region: str, measure: str, year: int, base: int = JUMP_OFF_YEAR, what: str = "value"
    ) -> float:
        """Percentage change from *base* (observed) to *year*."""
        return _pct(self.get(region, measure, year, what), self.get(region, measure, base))


def county_outlook(county_code: str) -> CountyOutlook:
    """Collect the county's and Norway's measures (2022 observed; 2030, 2035, 2040 projected)."""
    _check_county(county_code)
    b = _band_frame()
    sub = b[
        b["region"].isin([county_code, NORWAY])
        & b["year"].isin([JUMP_OFF_YEAR, 2025, 2030, 2035, LAST_YEAR])
    ]
    values = {
        (r.region, r.measure, int(r.year)): {
            "value": float(r.value),
            "low": float(r.low),
            "high": float(r.high),
        }
        for r in sub.itertuples(index=False)
    }
    return CountyOutlook(county_code, COUNTIES[county_code].name, values)


def _signed_pct(x: float, lang: str) -> str:
    return fmt.percent(x, 1, lang, sign=True)


def _more_fewer(x: float, lang: str) -> str:
    if fmt.round_half_up(x, 1) > 0:
        return _t(lang, "flere", "fleire")
    if fmt.round_half_up(x, 1) < 0:
        return _t(lang, "færre", "færre")
    return _t(lang, "like mange", "like mange")


def key_sentences(county_code: str, lang: str) -> list[str]:
    """Return the chapter's key sentences (nb/nn), every number computed from the data.

    Args:
        county_code: two-digit county code.
        lang: ``"nb"`` or ``"nn"``.

    Returns:
        Five sentences: total population, 16–19-year-olds, 80+, the old-age dependency ratio,
        and how well the method did in the backcast.
    """
    o = county_outlook(county_code)
    name = o.name
    c, n, y1 = county_code, NORWAY, LAST_YEAR
    n_fmt = lambda v: fmt.number(v, 0, lang)  # noqa: E731
    tot = o.change_pct(c, "folkemengde", y1)
    s1 = _t(
        lang,
        f"Framskrivingen gir {n_fmt(o.get(c, 'folkemengde', y1))} innbyggere i {name} i {y1}, "
        f"{fmt.percent(abs(tot), 1, lang)} {_more_fewer(tot, lang)} enn i {JUMP_OFF_YEAR} "
        f"(landet: {_signed_pct(o.change_pct(n, 'folkemengde', y1), lang)}). "
        f"Med de andre basisperiodene ligger tallet mellom {n_fmt(o.get(c, 'folkemengde', y1, 'low'))} "
        f"og {n_fmt(o.get(c, 'folkemengde', y1, 'high'))}.",
        f"Framskrivinga gir {n_fmt(o.get(c, 'folkemengde', y1))} innbyggjarar i {name} i {y1}, "
        f"{fmt.percent(abs(tot), 1, lang)} {_more_fewer(tot, lang)} enn i {JUMP_OFF_YEAR} "
        f"(landet: {_signed_pct(o.change_pct(n, 'folkemengde', y1), lang)}). "
        f"Med dei andre basisperiodane ligg talet mellom {n_fmt(o.get(c, 'folkemengde', y1, 'low'))} "
        f"og {n_fmt(o.get(c, 'folkemengde', y1, 'high'))}.",
    )
    v22, v30, v40 = (o.get(c, "16_19", y) for y in (JUMP_OFF_YEAR, 2030, y1))
    s2 = _t(
        lang,
        f"Antallet 16–19-åringer – alderen for videregående opplæring – går fra {n_fmt(v22)} i "
        f"{JUMP_OFF_YEAR} til {n_fmt(v30)} i 2030 og {n_fmt(v40)} i {y1} "
        f"({_signed_pct(_pct(v40, v22), lang)}; landet: "
        f"{_signed_pct(o.change_pct(n, '16_19', y1), lang)}).",
        f"Talet på 16–19-åringar – alderen for vidaregåande opplæring – går frå {n_fmt(v22)} i "
        f"{JUMP_OFF_YEAR} til {n_fmt(v30)} i 2030 og {n_fmt(v40)} i {y1} "
        f"({_signed_pct(_pct(v40, v22), lang)}; landet: "
        f"{_signed_pct(o.change_pct(n, '16_19', y1), lang)}).",
    )
    e22, e40 = o.get(c, "80_og_eldre", JUMP_OFF_YEAR), o.get(c, "80_og_eldre", y1)
    s3 = _t(
        lang,
        f"Antallet personer som er 80 år eller eldre, går fra {n_fmt(e22)} til {n_fmt(e40)} "
        f"({_signed_pct(_pct(e40, e22), lang)}; landet: "
        f"{_signed_pct(o.change_pct(n, '80_og_eldre', y1), lang)}).",
        f"Talet på personar som er 80 år eller eldre, går frå {n_fmt(e22)} til {n_fmt(e40)} "
        f"({_signed_pct(_pct(e40, e22), lang)}; landet: "
        f"{_signed_pct(o.change_pct(n, '80_og_eldre', y1), lang)}).",
    )
    d22, d40 = o.get(c, "forsorgerbrok_eldre", JUMP_OFF_YEAR), o.get(c, "forsorgerbrok_eldre", y1)
    dn40 = o.get(n, "forsorgerbrok_eldre", y1)
    s4 = _t(
        lang,
        f"I {y1} er det {fmt.number(d40, 1, lang)} personer over 66 år per 100 i alderen 20–66 "
        f"i {name}, mot {fmt.number(d22, 1, lang)} i {JUMP_OFF_YEAR} (landet {y1}: "
        f"{fmt.number(dn40, 1, lang)}).",
        f"I {y1} er det {fmt.number(d40, 1, lang)} personar over 66 år per 100 i alderen 20–66 "
        f"i {name}, mot {fmt.number(d22, 1, lang)} i {JUMP_OFF_YEAR} (landet {y1}: "
        f"{fmt.number(dn40, 1, lang)}).",
    )
    bt = backcast_table().set_index("region")
    mape, base_mape = float(bt.loc[c, "mape_total"]), float(bt.loc[c, "baseline_mape_total"])
    err_last = float(bt.loc[c, f"error_total_{BACKCAST_YEARS[-1]}"])
    compare = _t(
        lang,
        "bedre enn"
        if fmt.round_half_up(mape, 1) < fmt.round_half_up(base_mape, 1)
        else "ikke bedre enn"
        if fmt.round_half_up(mape, 1) > fmt.round_half_up(base_mape, 1)
        else "like godt som",
        "betre enn"
        if fmt.round_half_up(mape, 1) < fmt.round_half_up(base_mape, 1)
        else "ikkje betre enn"
        if fmt.round_half_up(mape, 1) > fmt.round_half_up(base_mape, 1)
        else "like godt som",
    )
    direction = _t(
        lang,
        "for lavt" if err_last < 0 else "for høyt",
        "for lågt" if err_last < 0 else "for høgt",
    )
    s5 = _t(
        lang,
        f"Testet mot de faktiske tallene for {BACKCAST_YEARS[0]}–{BACKCAST_YEARS[-1]} bommet "
        f"metoden med i snitt {fmt.percent(mape, 1, lang)} på folketallet i {name} "
        f"({fmt.percent(abs(err_last), 1, lang)} {direction} i {BACKCAST_YEARS[-1]}); det er "
        f"{compare} en enkel videreføring av veksten 2020–2022 ({fmt.percent(base_mape, 1, lang)}).",
        f"Testa mot dei faktiske tala for {BACKCAST_YEARS[0]}–{BACKCAST_YEARS[-1]} bomma "
        f"metoden med i snitt {fmt.percent(mape, 1, lang)} på folketalet i {name} "
        f"({fmt.percent(abs(err_last), 1, lang)} {direction} i {BACKCAST_YEARS[-1]}); det er "
        f"{compare} ei enkel vidareføring av veksten 2020–2022 ({fmt.percent(base_mape, 1, lang)}).",
    )
    return [s1, s2, s3, s4, s5]


def service_sentences(county_code: str, lang: str) -> list[str]:
    """Cautious sentences on what the projection may mean for the county council's services.

    Videregående opplæring (16–19), the public dental service (children and young people, and
    older people in institutions or with home nursing) and transport. Every number is computed.

    Args:
        county_code: two-digit county code.
        lang: ``"nb"`` or ``"nn"``.

    Returns:
        Three sentences.
    """
    o = county_outlook(county_code)
    c, y0, y1 = county_code, JUMP_OFF_YEAR, LAST_YEAR
    n_fmt = lambda v: fmt.number(v, 0, lang)  # noqa: E731
    vgo0, vgo30, vgo1 = (o.get(c, "16_19", y) for y in (y0, 2030, y1))
    young0 = o.get(c, "0_15", y0) + o.get(c, "16_19", y0)
    young1 = o.get(c, "0_15", y1) + o.get(c, "16_19", y1)
    old0, old1 = o.get(c, "80_og_eldre", y0), o.get(c, "80_og_eldre", y1)
    vgo = _t(
        lang,
        f"Videregående opplæring: antallet 16–19-åringer er {n_fmt(vgo0)} i {y0}, "
        f"{n_fmt(vgo30)} i 2030 og {n_fmt(vgo1)} i {y1} ifølge framskrivingen. Hvor mange som "
        f"faktisk søker og gjennomfører, avhenger også av søkemønster, voksne elever og "
        f"flytting, så tallene gir retning, ikke et dimensjoneringsgrunnlag for den enkelte skole.",
        f"Vidaregåande opplæring: talet på 16–19-åringar er {n_fmt(vgo0)} i {y0}, "
        f"{n_fmt(vgo30)} i 2030 og {n_fmt(vgo1)} i {y1} etter framskrivinga. Kor mange som "
        f"faktisk søkjer og fullfører, heng også saman med søkjarmønster, vaksne elevar og "
        f"flytting, så tala gir retning, ikkje eit dimensjoneringsgrunnlag for den einskilde skulen.",
    )
    dental = _t(
        lang,
        f"Tannhelse: den offentlige tannhelsetjenesten gir tilbud til barn og unge og til eldre "
        f"i institusjon og hjemmesykepleie. Barn og unge 0–19 år går fra {n_fmt(young0)} til "
        f"{n_fmt(young1)} ({_signed_pct(_pct(young1, young0), lang)}) fram til {y1}, mens "
        f"antallet 80 år og eldre går fra {n_fmt(old0)} til {n_fmt(old1)} "
        f"({_signed_pct(_pct(old1, old0), lang)}). Bare en del av de eldste har rett til "
        f"tilbudet, men flere eldre kan gi flere pasienter i denne gruppen.",
        f"Tannhelse: den offentlege tannhelsetenesta gir tilbod til barn og unge og til eldre "
        f"på institusjon og i heimesjukepleia. Barn og unge 0–19 år går frå {n_fmt(young0)} til "
        f"{n_fmt(young1)} ({_signed_pct(_pct(young1, young0), lang)}) fram til {y1}, medan "
        f"talet på personar 80 år og eldre går frå {n_fmt(old0)} til {n_fmt(old1)} "
        f"({_signed_pct(_pct(old1, old0), lang)}). Berre ein del av dei eldste har rett til "
        f"tilbodet, men fleire eldre kan gi fleire pasientar i denne gruppa.",
    )
    transport = _t(
        lang,
        f"Transport: skoleskyss følger antallet barn og unge ({_signed_pct(_pct(young1, young0), lang)} "
        f"for 0–19 år fram til {y1}), mens flere eldre kan øke behovet for tilrettelagt transport "
        f"og kollektivtilbud utenom rushtid. Hvor folk bor i fylket, betyr like mye som hvor "
        f"mange de er, og det viser ikke fylkestallene.",
        f"Transport: skuleskyss følgjer talet på barn og unge ({_signed_pct(_pct(young1, young0), lang)} "
        f"for 0–19 år fram til {y1}), medan fleire eldre kan auke behovet for tilrettelagd "
        f"transport og kollektivtilbod utanom rushtida. Kvar folk bur i fylket, tyder like mykje "
        f"som kor mange dei er, og det viser ikkje fylkestala.",
    )
    return [vgo, dental, transport]


def summary_table(
    county_code: str, lang: str, years: Sequence[int] = (JUMP_OFF_YEAR, 2030, LAST_YEAR)
) -> pd.DataFrame:
    """Format a table of each measure for the county and Norway in *years*, with the change.

    Returns:
        A new frame of text cells: the measure, the county's values per year, the county's
        change (% or, for the ratio, points), and Norway's change.
    """
    o = county_outlook(county_code)
    first, last = years[0], years[-1]
    rows = []
    for key in MEASURES:
        label = BAND_LABELS[key][lang]
        ratio = key == "forsorgerbrok_eldre"
        row: dict[str, Any] = {_t(lang, "Mål", "Mål"): label}
        for y in years:
            v = o.get(county_code, key, y)
            row[str(y)] = fmt.number(v, 1 if ratio else 0, lang)
        if ratio:
            ch = o.get(county_code, key, last) - o.get(county_code, key, first)
            chn = o.get(NORWAY, key, last) - o.get(NORWAY, key, first)
            row[_t(lang, f"Endring {first}–{last}", f"Endring {first}–{last}")] = fmt.number(
                ch, 1, lang, sign=True
            )
            row[_t(lang, "Landet, endring", "Landet, endring")] = fmt.number(
                chn, 1, lang, sign=True
            )
        else:
            row[_t(lang, f"Endring {first}–{last}", f"Endring {first}–{last}")] = _signed_pct(
                o.change_pct(county_code, key, last, first), lang
            )
            row[_t(lang, "Landet, endring", "Landet, endring")] = _signed_pct(
                o.change_pct(NORWAY, key, last, first), lang
            )
        rows.append(row)
    return pd.DataFrame(rows)


def backcast_display(county_code: str, lang: str, window: str = MAIN_WINDOW) -> pd.DataFrame:
    """Format the backcast table for the chapter: Norway and every county, the county marked.

    Returns:
        A new frame of text cells: region, the MAPE of the total for the method and the naive
        baseline, the method's mean signed error, and the MAPE over sex × age groups for both.
    """
    bt = backcast_table(window)
    rows = []
    for r in bt.itertuples(index=False):
        label = region_name(r.region, lang) + (" ◀" if r.region == county_code else "")
        rows.append(
            {
                "Region": label,
                _t(lang, "Folketall, metoden", "Folketal, metoden"): fmt.percent(
                    r.mape_total, 1, lang
                ),
                _t(lang, "Folketall, naiv", "Folketal, naiv"): fmt.percent(
                    r.baseline_mape_total, 1, lang
                ),
                _t(lang, "Snittavvik, metoden", "Snittavvik, metoden"): fmt.percent(
                    r.mpe_total, 1, lang, sign=True
                ),
                _t(lang, "Alder × kjønn, metoden", "Alder × kjønn, metoden"): fmt.percent(
                    r.mape_groups, 1, lang
                ),
                _t(lang, "Alder × kjønn, naiv", "Alder × kjønn, naiv"): fmt.percent(
                    r.baseline_mape_groups, 1, lang
                ),
            }
        )
    return pd.DataFrame(rows)


def official_comparison_display(
    county_code: str, lang: str, official: pd.DataFrame
) -> pd.DataFrame:
    """Format the comparison of this projection with SSB's official one (when available)."""
    cmp = compare_official(county_code, official)
    cmp = cmp[cmp["region"] == county_code].sort_values(["year", "measure"], key=_measure_order)
    rows = []
    for r in cmp.itertuples(index=False):
        dec = 1 if r.measure == "forsorgerbrok_eldre" else 0
        rows.append(
            {
                _t(lang, "År", "År"): str(r.year),
                _t(lang, "Mål", "Mål"): BAND_LABELS[r.measure][lang],
                _t(lang, "Denne framskrivingen", "Denne framskrivinga"): fmt.number(
                    r.value, dec, lang
                ),
                _t(lang, "SSB (MMMM)", "SSB (MMMM)"): fmt.number(r.official, dec, lang),
                _t(lang, "Forskjell", "Skilnad"): fmt.percent(r.difference_pct, 1, lang, sign=True),
            }
        )
    return pd.DataFrame(rows)


def _measure_order(col: pd.Series) -> pd.Series:
    if col.name == "measure":
        return col.map({m: i for i, m in enumerate(MEASURES)})
    return col


def official_sentence(county_code: str, lang: str, official: pd.DataFrame) -> str:
    """Say how this projection differs from SSB's main alternative for the county's population.

    Args:
        county_code: two-digit county code.
        lang: ``"nb"`` or ``"nn"``.
        official: the frame from :func:`official_projection`.

    Returns:
        One sentence with the difference in the last year both projections cover.
    """
    cmp = compare_official(county_code, official, years=range(JUMP_OFF_YEAR + 1, LAST_YEAR + 1))
    tot = cmp[(cmp["region"] == county_code) & (cmp["measure"] == "folkemengde")]
    if tot.empty:
        return _t(
            lang,
            "SSBs framskriving har ingen år til og med 2040 som kan sammenlignes med denne.",
            "Framskrivinga til SSB har ingen år til og med 2040 som kan samanliknast med denne.",
        )
    last = tot.sort_values("year").iloc[-1]
    d = float(last["difference_pct"])
    name = COUNTIES[county_code].name
    word = (
        _t(lang, "lavere", "lågare")
        if fmt.round_half_up(d, 1) < 0
        else _t(lang, "høyere", "høgare")
        if fmt.round_half_up(d, 1) > 0
        else _t(lang, "like høy", "like høg")
    )
    return _t(
        lang,
        f"For {name} i {int(last['year'])} gir denne framskrivingen "
        f"{fmt.number(last['value'], 0, lang)} innbyggere og SSBs hovedalternativ "
        f"{fmt.number(last['official'], 0, lang)}: denne er {fmt.percent(abs(d), 1, lang)} {word}.",
        f"For {name} i {int(last['year'])} gir denne framskrivinga "
        f"{fmt.number(last['value'], 0, lang)} innbyggjarar og hovudalternativet til SSB "
        f"{fmt.number(last['official'], 0, lang)}: denne er {fmt.percent(abs(d), 1, lang)} {word}.",
    )


def official_source_line(lang: str) -> str:
    """Return the source line under a figure or table that shows SSB's projection beside this one."""
    return style.source_line(
        [TABLE, OFFICIAL_TABLE],
        lang,
        extra=_t(
            lang,
            "Egen kohortframskriving (Hamilton–Perry)",
            "Eiga kohortframskriving (Hamilton–Perry)",
        ),
    )


def source_line(lang: str) -> str:
    """Return the source line under the chapter's figures."""
    return style.source_line(
        [TABLE],
        lang,
        extra=_t(
            lang,
            "Egen kohortframskriving (Hamilton–Perry)",
            "Eiga kohortframskriving (Hamilton–Perry)",
        ),
    )


@dataclass(frozen=True)
class FigureSpec:
    """A figure and the texts ``Chapter.figure`` needs."""

    fig: Any
    title: str
    alt: str
    source: str
    indicators: tuple[str, ...]


def _index_series(b: pd.DataFrame, region: str, measure: str) -> pd.DataFrame:
    sub = b[(b["region"] == region) & (b["measure"] == measure)].sort_values("year")
    base = float(sub.loc[sub["year"] == JUMP_OFF_YEAR, "value"].iloc[0])
    out = sub[["year", "value", "low", "high", "kind"]].copy()
    for col in ("value", "low", "high"):
        out[col] = out[col] / base * 100.0
    return out


def figure_total(county_code: str, lang: str) -> FigureSpec:
    """Draw total population as an index (2022 = 100), county and Norway, with the band.

    The band spans the base windows; the real 2023–2025 figures are drawn as points.
    """
    _check_county(county_code)
    name = COUNTIES[county_code].name
    b = _band_frame()
    obs = observed_totals()
    fig, ax = style.new_figure(8.0, 4.5)
    for region, colour, label in (
        (county_code, style.COUNTY, name),
        (NORWAY, style.NORWAY, _t(lang, "Landet", "Landet")),
    ):
        s = _index_series(b, region, "folkemengde")
        proj = s[s["year"] >= JUMP_OFF_YEAR]
        hist = s[s["year"] <= JUMP_OFF_YEAR]
        ax.fill_between(
            proj["year"], proj["low"], proj["high"], color=colour, alpha=0.18, linewidth=0
        )
        ax.plot(hist["year"], hist["value"], color=colour, linewidth=2.2)
        ax.plot(
            proj["year"],
            proj["value"],
            color=colour,
            linewidth=2.2,
            linestyle="--",
            label=f"{label}, {_t(lang, 'framskrevet', 'framskrive')}",
        )
        o = obs[(obs["region"] == region) & (obs["year"] > JUMP_OFF_YEAR)]
        base = float(
            obs[(obs["region"] == region) & (obs["year"] == JUMP_OFF_YEAR)]["value"].iloc[0]
        )
        ax.scatter(
            o["year"],
            o["value"] / base * 100.0,
            color=colour,
            marker="o",
            s=28,
            zorder=3,
            edgecolor="white",
            label=f"{label}, {_t(lang, 'faktisk', 'faktisk')} {BACKCAST_YEARS[0]}–{BACKCAST_YEARS[-1]}",
        )
    ax.axvline(JUMP_OFF_YEAR, color="#888888", linewidth=0.8)
    ax.legend(loc="best", fontsize=8.5)
    _year_axis(ax)
    style.number_axis(ax, "y", 0, lang=lang)
    title = _t(
        lang,
        f"Folkemengde i {name} og landet, {BASE_YEARS[0]}–{LAST_YEAR}. Indeks, {JUMP_OFF_YEAR} = 100",
        f"Folketal i {name} og landet, {BASE_YEARS[0]}–{LAST_YEAR}. Indeks, {JUMP_OFF_YEAR} = 100",
    )
    src = source_line(lang)
    style.finish(
        fig,
        ax,
        title=title,
        source=src,
        xlabel=_t(lang, "År (1. januar)", "År (1. januar)"),
        ylabel=_t(lang, f"Indeks ({JUMP_OFF_YEAR} = 100)", f"Indeks ({JUMP_OFF_YEAR} = 100)"),
        subtitle=_t(
            lang,
            "Heltrukket: faktisk. Stiplet: framskrevet. Bånd: andre basisperioder. Punkter: faktiske tall.",
            "Heiltrekt: faktisk. Stipla: framskrive. Band: andre basisperiodar. Punkt: faktiske tal.",
        ),
    )
    o = county_outlook(county_code)
    alt = _t(
        lang,
        f"Linjediagram over folkemengden som indeks med {JUMP_OFF_YEAR} = 100. {name} går til "
        f"{fmt.number(o.get(county_code, 'folkemengde', LAST_YEAR) / o.get(county_code, 'folkemengde', JUMP_OFF_YEAR) * 100, 1, lang)} "
        f"i {LAST_YEAR}, landet til "
        f"{fmt.number(o.get(NORWAY, 'folkemengde', LAST_YEAR) / o.get(NORWAY, 'folkemengde', JUMP_OFF_YEAR) * 100, 1, lang)}. "
        f"De faktiske tallene for {BACKCAST_YEARS[0]}–{BACKCAST_YEARS[-1]} er vist som punkter.",
        f"Linjediagram over folketalet som indeks med {JUMP_OFF_YEAR} = 100. {name} går til "
        f"{fmt.number(o.get(county_code, 'folkemengde', LAST_YEAR) / o.get(county_code, 'folkemengde', JUMP_OFF_YEAR) * 100, 1, lang)} "
        f"i {LAST_YEAR}, landet til "
        f"{fmt.number(o.get(NORWAY, 'folkemengde', LAST_YEAR) / o.get(NORWAY, 'folkemengde', JUMP_OFF_YEAR) * 100, 1, lang)}. "
        f"Dei faktiske tala for {BACKCAST_YEARS[0]}–{BACKCAST_YEARS[-1]} er viste som punkt.",
    )
    return FigureSpec(fig, title, alt, src, ("framskrevet_folkemengde",))


def _year_formatter():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos=None: f"{int(round(x))}")


def _year_axis(ax: Any, step: int = 5) -> None:
    """Whole years as ticks (every *step* years from the first base year to the last year)."""
    ax.set_xticks(list(range(BASE_YEARS[0], LAST_YEAR + 1, step)))
    ax.xaxis.set_major_formatter(_year_formatter())


def _integer_y(ax: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def figure_groups(county_code: str, lang: str) -> FigureSpec:
    """Five age groups as index (2022 = 100), county against Norway, one panel per group."""
    _check_county(county_code)
    name = COUNTIES[county_code].name
    b = _band_frame()
    keys = list(AGE_BANDS)
    fig, axes = style.new_figure(9.0, 5.6, ncols=3, nrows=2, sharex=True)
    flat = axes.ravel()
    for ax, key in zip(flat, keys, strict=False):
        for region, colour, label in (
            (county_code, style.COUNTY, name),
            (NORWAY, style.NORWAY, _t(lang, "Landet", "Landet")),
        ):
            s = _index_series(b, region, key)
            proj = s[s["year"] >= JUMP_OFF_YEAR]
            hist = s[s["year"] <= JUMP_OFF_YEAR]
            ax.fill_between(
                proj["year"], proj["low"], proj["high"], color=colour, alpha=0.18, linewidth=0
            )
            ax.plot(hist["year"], hist["value"], color=colour, linewidth=1.8)
            ax.plot(
                proj["year"],
                proj["value"],
                color=colour,
                linewidth=1.8,
                linestyle="--",
                label=label,
            )
        ax.set_title(BAND_LABELS[key][lang], fontsize=10, loc="left")
        ax.axhline(100, color="#888888", linewidth=0.6)
        _integer_y(ax)
        style.number_axis(ax, "y", 0, lang=lang)
        _year_axis(ax, step=10)
    legend_ax = flat[len(keys)]
    legend_ax.axis("off")
    handles, labels = flat[0].get_legend_handles_labels()
    legend_ax.legend(
        handles,
        labels,
        loc="center",
        fontsize=9,
        title=_t(lang, "Indeks, 2022 = 100", "Indeks, 2022 = 100"),
    )
    title = _t(
        lang,
        f"Aldersgrupper i {name} og landet, {BASE_YEARS[0]}–{LAST_YEAR}. Indeks, {JUMP_OFF_YEAR} = 100",
        f"Aldersgrupper i {name} og landet, {BASE_YEARS[0]}–{LAST_YEAR}. Indeks, {JUMP_OFF_YEAR} = 100",
    )
    src = source_line(lang)
    for ax in flat[len(keys) - 2 : len(keys)]:
        ax.set_xlabel(_t(lang, "År (1. januar)", "År (1. januar)"))
    fig.supylabel(
        _t(lang, f"Indeks ({JUMP_OFF_YEAR} = 100)", f"Indeks ({JUMP_OFF_YEAR} = 100)"), fontsize=10
    )
    style.finish(fig, None, title=title, source=src)
    o = county_outlook(county_code)
    parts = []
    for key in keys:
        parts.append(
            f"{BAND_LABELS[key][lang]} {_signed_pct(o.change_pct(county_code, key, LAST_YEAR), lang)}"
        )
    alt = _t(
        lang,
        f"Fem små linjediagram, ett per aldersgruppe, med {name} og landet som indeks "
        f"({JUMP_OFF_YEAR} = 100). Endring i {name} fra {JUMP_OFF_YEAR} til {LAST_YEAR}: "
        + "; ".join(parts)
        + ".",
        f"Fem små linjediagram, eitt per aldersgruppe, med {name} og landet som indeks "
        f"({JUMP_OFF_YEAR} = 100). Endring i {name} frå {JUMP_OFF_YEAR} til {LAST_YEAR}: "
        + "; ".join(parts)
        + ".",
    )
    ids = tuple(INDICATOR_PREFIX + k for k in keys)
    return FigureSpec(fig, title, alt, src, ids)


def figure_dependency(county_code: str, lang: str) -> FigureSpec:
    """Old-age dependency ratio (67+ per 100 aged 20–66), county and Norway, with band."""
    _check_county(county_code)
    name = COUNTIES[county_code].name
    b = _band_frame()
    fig, ax = style.new_figure(8.0, 4.2)
    for region, colour, label in (
        (county_code, style.COUNTY, name),
        (NORWAY, style.NORWAY, _t(lang, "Landet", "Landet")),
    ):
        s = b[(b["region"] == region) & (b["measure"] == "forsorgerbrok_eldre")].sort_values("year")
        proj = s[s["year"] >= JUMP_OFF_YEAR]
        hist = s[s["year"] <= JUMP_OFF_YEAR]
        ax.fill_between(
            proj["year"], proj["low"], proj["high"], color=colour, alpha=0.18, linewidth=0
        )
        ax.plot(hist["year"], hist["value"], color=colour, linewidth=2.2)
        ax.plot(
            proj["year"], proj["value"], color=colour, linewidth=2.2, linestyle="--", label=label
        )
    ax.legend(loc="upper left")
    _integer_y(ax)
    style.number_axis(ax, "y", 0, lang=lang)
    _year_axis(ax)
    title = _t(
        lang,
        f"Personer 67 år og eldre per 100 i alderen 20–66 år, {name} og landet, {BASE_YEARS[0]}–{LAST_YEAR}",
        f"Personar 67 år og eldre per 100 i alderen 20–66 år, {name} og landet, {BASE_YEARS[0]}–{LAST_YEAR}",
    )
    src = source_line(lang)
    style.finish(
        fig,
        ax,
        title=title,
        source=src,
        xlabel=_t(lang, "År (1. januar)", "År (1. januar)"),
        ylabel=_t(lang, "Per 100 i alderen 20–66", "Per 100 i alderen 20–66"),
    )
    o = county_outlook(county_code)
    alt = _t(
        lang,
        f"Linjediagram over antall personer 67 år og eldre per 100 i alderen 20–66. {name}: "
        f"{fmt.number(o.get(county_code, 'forsorgerbrok_eldre', JUMP_OFF_YEAR), 1, lang)} i {JUMP_OFF_YEAR}, "
        f"{fmt.number(o.get(county_code, 'forsorgerbrok_eldre', LAST_YEAR), 1, lang)} i {LAST_YEAR}. Landet: "
        f"{fmt.number(o.get(NORWAY, 'forsorgerbrok_eldre', JUMP_OFF_YEAR), 1, lang)} og "
        f"{fmt.number(o.get(NORWAY, 'forsorgerbrok_eldre', LAST_YEAR), 1, lang)}.",
        f"Linjediagram over talet på personar 67 år og eldre per 100 i alderen 20–66. {name}: "
        f"{fmt.number(o.get(county_code, 'forsorgerbrok_eldre', JUMP_OFF_YEAR), 1, lang)} i {JUMP_OFF_YEAR}, "
        f"{fmt.number(o.get(county_code, 'forsorgerbrok_eldre', LAST_YEAR), 1, lang)} i {LAST_YEAR}. Landet: "
        f"{fmt.number(o.get(NORWAY, 'forsorgerbrok_eldre', JUMP_OFF_YEAR), 1, lang)} og "
        f"{fmt.number(o.get(NORWAY, 'forsorgerbrok_eldre', LAST_YEAR), 1, lang)}.",
    )
    return FigureSpec(fig, title, alt, src, ("framskrevet_forsorgerbrok_eldre",))


def figure_official(county_code: str, lang: str, official: pd.DataFrame) -> FigureSpec:
    """Draw the county's population in this projection (with band) and in SSB's main alternative."""
    _check_county(county_code)
    name = COUNTIES[county_code].name
    b = _band_frame()
    s = b[(b["region"] == county_code) & (b["measure"] == "folkemengde")].sort_values("year")
    off = official[
        (official["region"] == county_code)
        & (official["measure"] == "folkemengde")
        & official["year"].between(BASE_YEARS[0], LAST_YEAR)
    ].sort_values("year")
    fig, ax = style.new_figure(8.0, 4.5)
    proj = s[s["year"] >= JUMP_OFF_YEAR]
    hist = s[s["year"] <= JUMP_OFF_YEAR]
    ax.fill_between(
        proj["year"], proj["low"], proj["high"], color=style.COUNTY, alpha=0.18, linewidth=0
    )
    ax.plot(hist["year"], hist["value"], color=style.COUNTY, linewidth=2.2)
    ax.plot(
        proj["year"],
        proj["value"],
        color=style.COUNTY,
        linewidth=2.2,
        linestyle="--",
        label=_t(lang, "Denne framskrivingen", "Denne framskrivinga"),
    )
    ax.plot(
        off["year"],
        off["value"],
        color=style.REFERENCE,
        linewidth=2.2,
        label=_t(lang, "SSB, hovedalternativet (MMMM)", "SSB, hovudalternativet (MMMM)"),
    )
    ax.legend(loc="best")
    _year_axis(ax)
    style.number_axis(ax, "y", 0, lang=lang)
    title = _t(
        lang,
        f"Folkemengde i {name}: denne framskrivingen og SSBs, {BASE_YEARS[0]}–{LAST_YEAR}",
        f"Folketal i {name}: denne framskrivinga og framskrivinga til SSB, {BASE_YEARS[0]}–{LAST_YEAR}",
    )
    src = official_source_line(lang)
    style.finish(
        fig,
        ax,
        title=title,
        source=src,
        xlabel=_t(lang, "År (1. januar)", "År (1. januar)"),
        ylabel=_t(lang, "Personer", "Personar"),
    )
    alt = _t(
        lang,
        f"Linjediagram over folkemengden i {name} i denne framskrivingen, med bånd for andre "
        f"basisperioder, og i SSBs hovedalternativ. {official_sentence(county_code, lang, official)}",
        f"Linjediagram over folketalet i {name} i denne framskrivinga, med band for andre "
        f"basisperiodar, og i hovudalternativet til SSB. {official_sentence(county_code, lang, official)}",
    )
    return FigureSpec(fig, title, alt, src, ("framskrevet_folkemengde",))
