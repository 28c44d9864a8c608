"""The projection method: an open cohort projection in the spirit of SSB's Panda.

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

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from kunnskapsgrunnlag.chapters.framskriving.base import _base, _county_sum, _tidy
from kunnskapsgrunnlag.chapters.framskriving.constants import (
    AGE_BANDS,
    BASE_YEARS,
    CCR_CAPS,
    JUMP_OFF_YEAR,
    LAST_YEAR,
    MAIN_WINDOW,
    MAX_AGE,
    MEASURES,
    MOTHER_AGES,
    SHRINKAGE_WEIGHT,
    WINDOWS,
)
from kunnskapsgrunnlag.regions import NORWAY, region_name


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
