"""The projection methods: open cohort projections in the spirit of SSB's Panda.

Method (stated also in ``docs/framskriving.md``, the registry and the chapter):

* **Cohort change ratios** by sex and single year of age, estimated at **county level** from
  the county file ``07459-b2024-fylker`` (SSB 07459 on the 2024 borders, 1 January 2010–2026;
  before 2024 FHI's re-districting). One-year steps: ``CCR(a+1) = P(a+1, t+1) / P(a, t)`` for
  ages 1–104; the open group 105+ is fed by the 104-year-olds and the survivors of 105+. Age 0
  uses a **child–woman ratio** (children aged 0 at *t+1* per woman aged 15–49 at *t*, each sex
  of the child separately). Ratios are pooled over the base intervals (cohort-size weights),
  shrunk toward Norway's ratio where the cohort is thin (``k =`` :data:`SHRINKAGE_WEIGHT`
  persons) and capped (:data:`CCR_CAPS`).
* **Candidates** (:data:`CANDIDATES`): ``kort`` and ``lang`` use the county's own ratios over
  the last 2 or 10 intervals; ``dempet`` halves the county's deviation from Norway's ratio;
  ``flytting`` applies Norway's ratios to everyone and adds half the county's own net gain
  beyond them as a fixed number of persons per year and cohort (net migration held as persons,
  not as a rate that compounds). Each is backcast from 2020 (:mod:`.backcast`); the chapter uses
  :data:`MAIN_METHOD`, the others span the band.
* Jump-off 1 January 2026, projected to :data:`LAST_YEAR`. Counties are projected first; each
  municipality gets its county's implied ratios step by step (children per woman 15–49 for age
  0), so the municipalities sum exactly to the county, and Norway is the sum of the counties.

Limits: no explicit assumptions on fertility, mortality or migration: everything observed in
the base period (2016–2026 for the ten-interval methods: low immigration in 2020–2021, very
high in 2022–2024) is carried forward.

Everything is computed once per process and method (``functools.lru_cache``); public functions
return new frames.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from kunnskapsgrunnlag.chapters.framskriving.base import DATA_YEARS, _base, _tidy
from kunnskapsgrunnlag.chapters.framskriving.constants import (
    AGE_BANDS,
    BASE_YEARS,
    CANDIDATES,
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


def _check_window(window: str) -> dict[str, object]:
    if window not in WINDOWS:
        raise ValueError(f"unknown method {window!r}; choose one of {', '.join(WINDOWS)}")
    return CANDIDATES[window]


def _intervals(method: str, jump_off: int) -> tuple[tuple[int, int], ...]:
    n = int(_check_window(method)["intervals"])  # type: ignore[call-overload]
    if jump_off - n < DATA_YEARS[0] or jump_off not in DATA_YEARS:
        raise ValueError(f"{method}: {n} intervals before {jump_off} are not in the data")
    return tuple((y, y + 1) for y in range(jump_off - n, jump_off))


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
        t0, t1 = DATA_YEARS.index(y0), DATA_YEARS.index(y1)
        p0, p1 = pop[..., t0], pop[..., t1]
        num[:, :, 1:MAX_AGE] += p1[:, :, 1:MAX_AGE]
        den[:, :, 1:MAX_AGE] += p0[:, :, 0 : MAX_AGE - 1]
        num[:, :, MAX_AGE] += p1[:, :, MAX_AGE]
        den[:, :, MAX_AGE] += p0[:, :, MAX_AGE - 1] + p0[:, :, MAX_AGE]
        num[:, :, 0] += p1[:, :, 0]
        den[:, :, 0] += p0[:, 1, lo_m : hi_m + 1].sum(axis=-1)[:, None]
    return num, den


def _estimate(
    pop_county: np.ndarray, intervals: Sequence[tuple[int, int]], spec: dict[str, object]
) -> dict[str, np.ndarray]:
    """County ratios ``[county, sex, age]`` (age 0 = CWR), with the pieces that made them.

    ``migration`` is the persons added per year and cohort (the ``flytting`` method; else 0).
    """
    num, den = _ratio_parts(pop_county, intervals)
    nat_num, nat_den = num.sum(axis=0), den.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        national = np.where(nat_den > 0, nat_num / nat_den, 0.0)
        raw = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    shrunk = (num + SHRINKAGE_WEIGHT * national[None]) / (den + SHRINKAGE_WEIGHT)
    migration = np.zeros(num.shape)
    if spec["kind"] == "migration":
        migration[:, :, 1:] = (num - national[None] * den)[:, :, 1:] / len(intervals)
        migration *= float(spec["share"])  # type: ignore[arg-type]
        shrunk[:, :, 1:] = np.broadcast_to(national[None], shrunk.shape)[:, :, 1:]
    else:
        damp = float(spec["damp"])  # type: ignore[arg-type]
        shrunk[:, :, 1:] = national[None, :, 1:] + damp * (shrunk[:, :, 1:] - national[None, :, 1:])
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
        "migration": migration,
    }


@lru_cache(maxsize=16)
def _ratios(window: str, jump_off: int = JUMP_OFF_YEAR) -> dict[str, np.ndarray]:
    b = _base()
    return _estimate(b.county_pop, _intervals(window, jump_off), _check_window(window))


def cohort_ratios(window: str = MAIN_WINDOW) -> pd.DataFrame:
    """Return the county ratios the projection uses, with the pieces they come from.

    Args:
        window: base window (see :data:`WINDOWS`).

    Returns:
        A new frame, one row per county × sex × age, with columns ``region`` (county code),
        ``sex``, ``age``, ``kind`` (``"cwr"`` for age 0: children aged 0 at *t+1* per woman
        15–49 at *t*; ``"ccr"`` otherwise; age 105 is the open group), ``numerator`` and
        ``denominator`` (pooled over the window's intervals), ``raw`` (their ratio, NaN when the
        denominator is 0), ``national`` (Norway's pooled ratio), ``ratio`` (shrunk, damped and
        capped: what is applied), ``capped`` (bool) and ``migration`` (persons added per year
        to the cohort: the ``flytting`` method only, else 0).
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
            for k in ("numerator", "denominator", "raw", "national", "ratio", "capped", "migration")
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


def _step(pop: np.ndarray, ratio: np.ndarray, migration: np.ndarray | None = None) -> np.ndarray:
    """One year forward: ``pop[unit, sex, age]`` with ratios (and persons added) ``[unit, sex, age]``."""
    nxt = np.empty_like(pop)
    nxt[:, :, 1:MAX_AGE] = ratio[:, :, 1:MAX_AGE] * pop[:, :, 0 : MAX_AGE - 1]
    nxt[:, :, MAX_AGE] = ratio[:, :, MAX_AGE] * (pop[:, :, MAX_AGE - 1] + pop[:, :, MAX_AGE])
    if migration is not None:
        nxt[:, :, 1:] = np.maximum(nxt[:, :, 1:] + migration[:, :, 1:], 0.0)
    lo_m, hi_m = MOTHER_AGES
    women = pop[:, 1, lo_m : hi_m + 1].sum(axis=-1)
    nxt[:, :, 0] = ratio[:, :, 0] * women[:, None]
    return nxt


def _run(
    start: np.ndarray, ratio: np.ndarray, steps: int, migration: np.ndarray | None = None
) -> np.ndarray:
    """Project ``start[unit, sex, age]`` *steps* years; returns ``[unit, sex, age, steps+1]``."""
    out = [start]
    cur = start
    for _ in range(steps):
        cur = _step(cur, ratio, migration)
        out.append(cur)
    return np.stack(out, axis=-1)


@lru_cache(maxsize=16)
def _county_path(window: str, jump_off: int = JUMP_OFF_YEAR, last: int = LAST_YEAR) -> np.ndarray:
    """Project the counties: ``[county, sex, age, year]`` for years jump_off..last (cached)."""
    if last <= jump_off:
        raise ValueError(f"last year {last} must be after the jump-off year {jump_off}")
    b = _base()
    r = _ratios(window, jump_off)
    start = b.county_pop[..., DATA_YEARS.index(jump_off)]
    proj = _run(start, r["ratio"], last - jump_off, r["migration"])
    proj.setflags(write=False)
    return proj


def _implied_ratios(path: np.ndarray) -> np.ndarray:
    """Each step's cohort ratios ``[county, sex, age, step]`` implied by a county path."""
    p0, p1 = path[..., :-1], path[..., 1:]
    num = np.empty_like(p1)
    den = np.empty_like(p1)
    num[:, :, 1:MAX_AGE], den[:, :, 1:MAX_AGE] = p1[:, :, 1:MAX_AGE], p0[:, :, : MAX_AGE - 1]
    num[:, :, MAX_AGE] = p1[:, :, MAX_AGE]
    den[:, :, MAX_AGE] = p0[:, :, MAX_AGE - 1] + p0[:, :, MAX_AGE]
    lo_m, hi_m = MOTHER_AGES
    num[:, :, 0] = p1[:, :, 0]
    den[:, :, 0] = p0[:, 1, lo_m : hi_m + 1].sum(axis=1)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)


@lru_cache(maxsize=8)
def _projection(window: str, jump_off: int = JUMP_OFF_YEAR, last: int = LAST_YEAR) -> np.ndarray:
    """Project every municipality with its county's implied ratios: ``[unit, sex, age, year]``."""
    if jump_off != JUMP_OFF_YEAR:
        raise ValueError(f"municipalities are projected from {JUMP_OFF_YEAR} only, not {jump_off}")
    b = _base()
    county_index = {c: i for i, c in enumerate(b.counties)}
    ratios = _implied_ratios(np.asarray(_county_path(window, jump_off, last)))
    by_unit = ratios[[county_index[c] for c in b.county_of_unit]]
    out = [b.pop]
    for k in range(last - jump_off):
        out.append(_step(out[-1], by_unit[..., k]))
    proj = np.stack(out, axis=-1)
    proj.setflags(write=False)
    return proj


def project_municipalities(window: str = MAIN_WINDOW, last_year: int = LAST_YEAR) -> pd.DataFrame:
    """Project every 2024 municipality by sex and single year of age.

    Args:
        window: the method (see :data:`CANDIDATES`).
        last_year: last projected year.

    Returns:
        A new frame with columns ``region`` (2024 code), ``name``, ``county``, ``year``
        (2026 = the observed jump-off population, then projected), ``sex``, ``age`` and
        ``value`` (persons, not rounded). The municipalities of a county sum to it exactly.
    """
    b = _base()
    proj = _projection(window, JUMP_OFF_YEAR, last_year)
    return _tidy(np.array(proj), list(b.units), list(range(JUMP_OFF_YEAR, last_year + 1)),
                 names=list(b.names))  # fmt: skip


@lru_cache(maxsize=16)
def _regions_projection(
    window: str, last: int = LAST_YEAR, jump_off: int = JUMP_OFF_YEAR
) -> tuple[tuple[str, ...], np.ndarray]:
    """Norway + counties ``[region, sex, age, year]``; Norway = the sum of the counties."""
    b = _base()
    counties = np.array(_county_path(window, jump_off, last))
    arr = np.concatenate([counties.sum(axis=0, keepdims=True), counties], axis=0)
    arr.setflags(write=False)
    return (NORWAY, *b.counties), arr


def project_counties(
    window: str = MAIN_WINDOW, last_year: int = LAST_YEAR, include_norway: bool = True
) -> pd.DataFrame:
    """Project Norway and the 15 counties by sex and single year of age.

    Args:
        window: the method (see :data:`CANDIDATES`).
        last_year: last projected year.
        include_norway: add Norway (region ``"0"``, the sum of the counties) first.

    Returns:
        A new frame with columns ``region``, ``name``, ``year`` (2026 = jump-off), ``sex``,
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
    """Norway (sum of the counties) and the counties, ``[region, sex, age, DATA_YEARS]``."""
    c = _base().county_pop
    return (NORWAY, *_base().counties), np.concatenate([c.sum(axis=0, keepdims=True), c])


@lru_cache(maxsize=8)
def _measures_frame(window: str) -> pd.DataFrame:
    codes, arr = _regions_projection(window)
    obs_codes, obs_all = _observed_arrays()
    obs = obs_all[..., [DATA_YEARS.index(y) for y in BASE_YEARS]]
    parts = []
    for source, data, yrs, kind in (
        (obs_codes, obs, list(BASE_YEARS), "observert"),
        (codes, np.asarray(arr)[..., 1:], list(range(JUMP_OFF_YEAR + 1, LAST_YEAR + 1)),
         "framskrevet"),
    ):  # fmt: skip
        m = _measures_from(np.asarray(data))
        for key in MEASURES:
            parts.append(pd.DataFrame({
                "region": np.repeat(np.array(source, dtype=object), len(yrs)),
                "year": np.tile(np.array(yrs, dtype=int), len(source)),
                "measure": key, "value": np.asarray(m[key], dtype=float).reshape(-1), "kind": kind,
            }))  # fmt: skip
    out = pd.concat(parts, ignore_index=True)
    names = {c: region_name(c) for c in codes}
    out.insert(1, "name", out["region"].map(names))
    out = out.sort_values(["kind", "measure", "region", "year"], kind="stable",
                          key=lambda c: c.map({"observert": 0, "framskrevet": 1}) if c.name ==
                          "kind" else (c.map({k: i for i, k in enumerate(MEASURES)})
                                       if c.name == "measure" else c))  # fmt: skip
    out = out.reset_index(drop=True)
    return out.astype({"region": object, "name": object, "measure": object, "kind": object})


def measures(window: str = MAIN_WINDOW) -> pd.DataFrame:
    """Return the chapter's measures for Norway and the counties, observed 2016–2026 and projected.

    Args:
        window: the method (see :data:`CANDIDATES`).

    Returns:
        A new frame with columns ``region``, ``name``, ``year``, ``measure`` (see
        :data:`MEASURES`: persons, except ``forsorgerbrok_eldre`` = persons 67+ per 100 aged
        20–66), ``value`` and ``kind`` (``"observert"`` for :data:`BASE_YEARS` from the county
        file, ``"framskrevet"`` for 2027–:data:`LAST_YEAR`).
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
    cols = ["region", "name", "year", "measure", "kind", "value", "low", "high"]
    return out.reset_index()[[*cols, *[f"window_{w}" for w in WINDOWS]]]


def band() -> pd.DataFrame:
    """Return the main projection with the band spanned by all base windows.

    Returns:
        A new frame like :func:`measures` (main window) with ``low`` and ``high`` (the smallest
        and largest value over :data:`WINDOWS`, equal to ``value`` in observed years) and one
        ``window_<name>`` column per base window.
    """
    return _band_frame().copy()
