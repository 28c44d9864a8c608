"""The base population on the 2024 borders as arrays: counties 2010–2026, municipalities 2026.

Both from FHI's csdata re-summing of SSB table 07459 (snapshot ``07459-b2024-fylker`` and
``07459-b2024-kommuner-2026``): 2024–2026 are SSB's own figures, earlier years FHI's
re-districting (derived). The municipalities of 2026 must sum to the county figures exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from kunnskapsgrunnlag.chapters.framskriving.constants import (
    COUNTY_SOURCE,
    FIRST_DATA_YEAR,
    JUMP_OFF_YEAR,
    LAST_DATA_YEAR,
    MAX_AGE,
    MUNICIPAL_SOURCE,
    ProjectionDataError,
)
from kunnskapsgrunnlag.regions import COUNTIES

DATA_YEARS: tuple[int, ...] = tuple(range(FIRST_DATA_YEAR, LAST_DATA_YEAR + 1))


@lru_cache(maxsize=8)
def _source(source_id: str) -> pd.DataFrame:
    """Load one snapshot source once per process (callers copy before changing)."""
    from kunnskapsgrunnlag.data import snapshot

    return snapshot.load(source_id)


@dataclass(frozen=True)
class _Base:
    """The arrays of the base population.

    ``county_pop[county, sex, age, year]`` (years = DATA_YEARS) and ``pop[unit, sex, age]`` for
    the jump-off year (units = the 2024 municipalities).
    """

    units: tuple[str, ...]
    names: tuple[str, ...]
    county_of_unit: tuple[str, ...]
    counties: tuple[str, ...]
    county_pop: np.ndarray
    pop: np.ndarray


def _cells(df: pd.DataFrame, regions_: list[str], years: list[int], what: str) -> np.ndarray:
    """``[region, sex, age, year]`` from a tidy frame; every cell must have a number."""
    work = df[df["region"].isin(regions_) & df["year"].isin(years)]
    status = work["status"]
    bad = work["value"].isna() | (status.notna() & (status != "-"))
    if bad.any():
        r = work[bad].iloc[0]
        raise ProjectionDataError(
            f"{what}: region {r['region']} {r['year']} sex {r['sex']} age {r['age']} has no "
            f"number (status {r['status']!r}); a cohort projection needs every cell"
        )
    idx = pd.MultiIndex.from_product(
        [regions_, ["1", "2"], range(MAX_AGE + 1), years], names=["region", "sex", "age", "year"]
    )
    values = work.set_index(["region", "sex", "age", "year"])["value"].reindex(idx)
    if values.isna().any():
        gap = values[values.isna()].index[0]
        raise ProjectionDataError(f"{what} lacks the cell {dict(zip(idx.names, gap, strict=True))}")
    arr = values.to_numpy(dtype=float).reshape(len(regions_), 2, MAX_AGE + 1, len(years))
    if (arr < 0).any():
        raise ProjectionDataError(f"{what} has negative counts")
    return arr


def _base_from_frames(county: pd.DataFrame, municipal: pd.DataFrame) -> _Base:
    """Build the arrays; the municipalities must sum to the counties in the jump-off year."""
    counties = tuple(sorted(COUNTIES))
    cpop = _cells(county, list(counties), list(DATA_YEARS), COUNTY_SOURCE)
    mun = municipal[municipal["year"] == JUMP_OFF_YEAR]
    units = sorted(mun["region"].astype(str).unique())
    unknown = sorted({u[:2] for u in units} - set(counties))
    if unknown:
        raise ProjectionDataError(f"units in unknown counties: {unknown}")
    pop = _cells(mun, units, [JUMP_OFF_YEAR], MUNICIPAL_SOURCE)[..., 0]
    names = mun.drop_duplicates("region").set_index("region")["region_name"]
    out = _Base(tuple(units), tuple(str(names[u]) for u in units), tuple(u[:2] for u in units),
                counties, cpop, pop)  # fmt: skip
    summed = _county_sum(pop, out)
    jump = cpop[..., DATA_YEARS.index(JUMP_OFF_YEAR)]
    if not np.array_equal(summed, jump):
        worst = np.unravel_index(np.abs(summed - jump).argmax(), jump.shape)
        raise ProjectionDataError(
            f"{MUNICIPAL_SOURCE} does not sum to {COUNTY_SOURCE} in {JUMP_OFF_YEAR} "
            f"(county {counties[worst[0]]}, sex {worst[1] + 1}, age {worst[2]})"
        )
    return out


@lru_cache(maxsize=1)
def _base() -> _Base:
    return _base_from_frames(_source(COUNTY_SOURCE), _source(MUNICIPAL_SOURCE))


def base_population() -> pd.DataFrame:
    """Return the jump-off population of the 2024 municipalities (1 January 2026, sex × age).

    Returns:
        A new frame with columns ``region`` (2024 municipality code), ``name``, ``county``,
        ``year``, ``sex`` (``"1"`` menn, ``"2"`` kvinner), ``age`` (0–105, 105 = 105+) and
        ``value`` (persons).
    """
    b = _base()
    return _tidy(b.pop[..., None], list(b.units), [JUMP_OFF_YEAR], names=list(b.names))


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
