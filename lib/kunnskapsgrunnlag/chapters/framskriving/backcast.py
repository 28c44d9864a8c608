"""The backcast: every candidate projected from 2020 and scored against the real 2021–2026 figures.

The ratios of a backcast use only the years up to :data:`BACKCAST_JUMP_OFF`, so the years after
are out of sample. Beside them stand naive baselines: the total's (and each cell's) average
annual growth over the last 5 or 10 years before the jump-off, carried forward. The choice of
:data:`MAIN_METHOD` is made by :func:`choose_method` (a test checks it).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from kunnskapsgrunnlag.chapters.framskriving.base import DATA_YEARS
from kunnskapsgrunnlag.chapters.framskriving.constants import (
    BACKCAST_GROUPS,
    BACKCAST_JUMP_OFF,
    BACKCAST_YEARS,
    CANDIDATES,
    LAST_YEAR,
    MAIN_METHOD,
    MAX_AGE,
    NAIVE_YEARS,
    OFFICIAL_TOLERANCE_PCT,
)
from kunnskapsgrunnlag.chapters.framskriving.method import (
    _check_window,
    _observed_arrays,
    _regions_projection,
)
from kunnskapsgrunnlag.regions import NORWAY, region_name


def observed_totals() -> pd.DataFrame:
    """Return the real population of Norway and the counties, 2010–2026 (2024 borders).

    Returns:
        A new frame with columns ``region``, ``name``, ``year``, ``value``, ``derived``
        (``True`` before 2024: FHI's re-districting).
    """
    codes, obs = _observed_arrays()
    totals = obs.sum(axis=(1, 2))
    rows = [(c, y, float(totals[i, j]), y < 2024) for i, c in enumerate(codes)
            for j, y in enumerate(DATA_YEARS)]  # fmt: skip
    out = pd.DataFrame(rows, columns=["region", "year", "value", "derived"])
    out.insert(1, "name", out["region"].map(region_name))
    return out.astype({"region": object, "name": object})


def _group_of_age(age: int) -> str:
    if age >= 90:
        return "90+"
    lo = (age // 10) * 10
    return f"{lo}-{lo + 9}"


def _grouped(arr: np.ndarray) -> np.ndarray:
    """``arr[region, sex, age, year]`` → ``[region, sex, group, year]`` (BACKCAST_GROUPS)."""
    out = np.zeros((arr.shape[0], 2, len(BACKCAST_GROUPS), arr.shape[3]))
    for age in range(MAX_AGE + 1):
        out[:, :, BACKCAST_GROUPS.index(_group_of_age(age)), :] += arr[:, :, age, :]
    return out


def _naive(obs_g: np.ndarray, years_back: int) -> np.ndarray:
    """Each cell's average growth over *years_back* years before the jump-off, carried forward."""
    t1 = DATA_YEARS.index(BACKCAST_JUMP_OFF)
    t0 = t1 - years_back
    steps = np.array([y - BACKCAST_JUMP_OFF for y in BACKCAST_YEARS], dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        g = (obs_g[..., t1] / obs_g[..., t0]) ** (1.0 / years_back)
    return obs_g[..., t1][..., None] * g[..., None] ** steps


@lru_cache(maxsize=8)
def _backcast_arrays(window: str) -> dict[str, np.ndarray]:
    """Observed, projected and naive ``[region, cell, year]``; cell 0 = total, then sex × group."""
    codes, obs = _observed_arrays()
    cols = [DATA_YEARS.index(y) for y in BACKCAST_YEARS]
    _, proj = _regions_projection(window, BACKCAST_YEARS[-1], BACKCAST_JUMP_OFF)

    def cells(g: np.ndarray) -> np.ndarray:
        return np.concatenate([g.sum(axis=(1, 2))[:, None], g.reshape(g.shape[0], -1, g.shape[-1])],
                              axis=1)  # fmt: skip

    obs_cells = cells(_grouped(obs))
    out = {
        "observed": obs_cells[..., cols],
        "projected": cells(_grouped(np.asarray(proj)))[..., 1:],
    }
    for n in NAIVE_YEARS:
        out[f"naive{n}"] = _naive(obs_cells, n)
    return out


def backcast(window: str = MAIN_METHOD) -> pd.DataFrame:
    """Project from 2020 with *window*'s method and set the result beside the real figures.

    Returns:
        A new frame, one row per region (Norway and the counties) × year (2021–2026) × cell
        (``sex``/``age_group`` ``"alle"`` for the total, else a sex × :data:`BACKCAST_GROUPS`
        group), with ``observed``, ``projected``, ``naive5``, ``naive10`` and the signed errors
        ``error_pct``, ``naive5_error_pct``, ``naive10_error_pct`` (% of observed).
    """
    _check_window(window)
    a = _backcast_arrays(window)
    codes = (NORWAY, *sorted(c for c in _observed_arrays()[0] if c != NORWAY))
    labels = [("alle", "alle")] + [(s, g) for s in ("1", "2") for g in BACKCAST_GROUPS]
    idx = pd.MultiIndex.from_product([codes, range(len(labels)), BACKCAST_YEARS],
                                     names=["region", "cell", "year"])  # fmt: skip
    out = pd.DataFrame({k: v.reshape(-1) for k, v in a.items()}, index=idx).reset_index()
    cell = out["cell"].to_numpy()
    out["sex"] = np.array([s for s, _ in labels], dtype=object)[cell]
    out["age_group"] = np.array([g for _, g in labels], dtype=object)[cell]
    for k in ("projected", *(f"naive{n}" for n in NAIVE_YEARS)):
        name = "error_pct" if k == "projected" else f"{k}_error_pct"
        out[name] = (out[k] - out["observed"]) / out["observed"] * 100.0
    names = {c: region_name(c) for c in codes}
    out.insert(1, "name", np.array([names[c] for c in codes], dtype=object).repeat(
        len(labels) * len(BACKCAST_YEARS)))  # fmt: skip
    return out.drop(columns="cell").astype({"region": object})


def _mape(s: pd.Series) -> float:
    return float(s.abs().mean())


@lru_cache(maxsize=8)
def _table(window: str) -> pd.DataFrame:
    bc = backcast(window)
    tot, cells = bc[bc["sex"] == "alle"], bc[bc["sex"] != "alle"]
    g_tot, g_cells = tot.groupby("region", sort=False), cells.groupby("region", sort=False)
    out = pd.DataFrame({
        "mape_total": g_tot["error_pct"].apply(_mape),
        "mpe_total": g_tot["error_pct"].mean(),
        "mape_groups": g_cells["error_pct"].apply(_mape),
        **{f"naive{n}_mape_total": g_tot[f"naive{n}_error_pct"].apply(_mape) for n in NAIVE_YEARS},
        **{f"naive{n}_mape_groups": g_cells[f"naive{n}_error_pct"].apply(_mape)
           for n in NAIVE_YEARS},
    })  # fmt: skip
    out["baseline_mape_total"] = out["naive5_mape_total"]
    out["baseline_mape_groups"] = out["naive5_mape_groups"]
    for n in NAIVE_YEARS:
        out[f"beats_naive{n}_total"] = out["mape_total"] < out[f"naive{n}_mape_total"]
    out["method_better_total"] = out["beats_naive5_total"]
    out = out.reset_index()
    out.insert(1, "name", out["region"].map(region_name).astype(object))
    out.insert(2, "years", f"{BACKCAST_YEARS[0]}–{BACKCAST_YEARS[-1]}")
    return out.astype({"region": object, "years": object})


def backcast_table(window: str = MAIN_METHOD) -> pd.DataFrame:
    """Return the backcast error per region for one method against the naive baselines.

    Returns:
        A new frame, one row per region (Norway first, then the 15 counties): ``region``,
        ``name``, ``years``; ``mape_total`` (mean absolute % error of the total over the
        backcast years), ``mpe_total`` (mean signed error; negative = too low), ``mape_groups``
        (over sex × age group × year); ``naive5_…`` and ``naive10_…`` the same for the naive
        baselines (``baseline_…`` = the 5-year one); ``beats_naive5_total``,
        ``beats_naive10_total`` and ``method_better_total`` (= against the 5-year baseline).
    """
    return _table(window).copy()


def candidates_table(official: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every candidate per region: backcast errors, the naive baselines and (if given) SSB 2050.

    Args:
        official: SSB's figures (``region``, ``year``, ``value``, maybe ``measure``: then the
            ``folkemengde`` rows) with 2050; adds
            ``official_2050``, ``own_2050`` and ``diff_2050_pct`` ((own − SSB) / SSB × 100).

    Returns:
        A new frame, one row per method × region.
    """
    from kunnskapsgrunnlag.chapters.framskriving.method import measures

    parts = []
    for method in CANDIDATES:
        t = backcast_table(method).assign(method=method)
        if official is not None:
            m = measures(method)
            own = m[(m["measure"] == "folkemengde") & (m["year"] == LAST_YEAR)]
            own = own.set_index("region")["value"]
            total = official["measure"] == "folkemengde" if "measure" in official else True
            off = official[(official["year"] == LAST_YEAR) & total].set_index("region")["value"]
            t["own_2050"] = t["region"].map(own)
            t["official_2050"] = t["region"].map(off)
            t["diff_2050_pct"] = (t["own_2050"] - t["official_2050"]) / t["official_2050"] * 100
        parts.append(t)
    return pd.concat(parts, ignore_index=True)


def within_tolerance(diff_pct: float) -> bool:
    """Whether a 2050 difference from SSB is within ±5 % (for the rule, the chart and sentences).

    On the unrounded difference: −5.006 % is outside, though printed −5,0 %.
    """
    return abs(diff_pct) <= OFFICIAL_TOLERANCE_PCT


def choose_method(official: pd.DataFrame) -> str:
    """Return the method the rule picks (it picked :data:`MAIN_METHOD`).

    Most counties within ±5 % of SSB in 2050, then most counties where the backcast beats both
    naive baselines on the total, then the lowest mean backcast error over the counties.
    """
    t = candidates_table(official)
    t = t[t["region"] != NORWAY]
    score = t.groupby("method", sort=False).apply(
        lambda g: (int(g["diff_2050_pct"].map(within_tolerance).sum()),
                   int((g["beats_naive5_total"] & g["beats_naive10_total"]).sum()),
                   -float(g["mape_total"].mean())), include_groups=False,
    )  # fmt: skip
    return str(max(score.index, key=lambda k: score[k]))
