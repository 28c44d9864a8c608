"""The backcast: the method projected from 2022 and scored against the real 2023–2025 figures."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from kunnskapsgrunnlag.chapters.framskriving.base import _source
from kunnskapsgrunnlag.chapters.framskriving.constants import (
    BACKCAST_GROUPS,
    BACKCAST_YEARS,
    BASE_YEARS,
    COUNTY_SOURCE,
    JUMP_OFF_YEAR,
    LAST_YEAR,
    MAIN_WINDOW,
    MAX_AGE,
    MUNICIPAL_SOURCES,
    ProjectionDataError,
)
from kunnskapsgrunnlag.chapters.framskriving.method import (
    _check_window,
    _observed_arrays,
    _regions_projection,
)
from kunnskapsgrunnlag.regions import NORWAY, region_name


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


def _naive_baseline(base_arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The naive baseline: each cell's (and each total's) growth 2020→2022 carried forward."""
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
    return base_cells, base_tot


def _backcast_rows(
    codes: tuple[str, ...],
    obs: pd.Series,
    proj: np.ndarray,
    base_cells: np.ndarray,
    base_tot: np.ndarray,
) -> list[tuple]:
    """One row per region × year × cell (the total first): observed, projected, baseline."""
    rows = []
    for i, code in enumerate(codes):
        for k, year in enumerate(BACKCAST_YEARS):
            o_tot = float(
                sum(
                    obs.get((code, year, s, g), np.nan) for s in ("1", "2") for g in BACKCAST_GROUPS
                )
            )
            rows.append(
                (code, year, "alle", "alle", o_tot, float(proj[i, :, :, k].sum()),
                 float(base_tot[i, k]))
            )  # fmt: skip
            for si, sex in enumerate(("1", "2")):
                for gi, group in enumerate(BACKCAST_GROUPS):
                    rows.append(
                        (code, year, sex, group, float(obs.get((code, year, sex, group), np.nan)),
                         float(proj[i, si, gi, k]), float(base_cells[i, si, gi, k]))
                    )  # fmt: skip
    return rows


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
    base_cells, base_tot = _naive_baseline(base_arr)
    rows = _backcast_rows(codes, obs, proj, base_cells, base_tot)
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
