"""The base population: three municipal files harmonised to the 2024 division, as arrays."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from kunnskapsgrunnlag import regions
from kunnskapsgrunnlag.chapters.framskriving.constants import (
    BASE_YEARS,
    MAX_AGE,
    MUNICIPAL_SOURCES,
    ProjectionDataError,
)
from kunnskapsgrunnlag.regions import COUNTIES


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
