"""Befolkning's registry provider: ``series(indicator_id, data_source)`` for its seven indicators.

The registry entries of chapter ``befolkning`` name ``provider:
kunnskapsgrunnlag.chapters.befolkning:series``; :mod:`kunnskapsgrunnlag.indicators.csv` writes
``outputs/indicators.csv`` from it (region names, units and sources come from there).

* ``folkemengde``: Norway and the 15 counties 2019–2026; municipalities 2020–2026.
* ``befolkningsvekst_prosent`` (change from the year before): Norway/counties 2020–2026,
  municipalities 2021–2026.
* ``befolkningsvekst_siden_2019_prosent``: Norway/counties 2020–2026.
* ``befolkningsvekst_2020_2026_prosent``: Norway, counties and municipalities, year 2026.
* ``andel_67_og_eldre``, ``andel_70_og_eldre``, ``andel_80_og_eldre``: Norway/counties
  2019–2026; 67+ and 80+ also for the municipalities 2020–2026.

Municipalities carry their 2024 KLASS codes, the only codes ``indicators.csv`` accepts; all 357
have figures for every year 2020–2026 (before 2024 FHI's re-districting onto the 2024 borders).
A combined unit (a code with ``+``) would get one ``"."`` row per municipality it covers
(:func:`_expand_combined`), never an apportioned figure.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from kunnskapsgrunnlag.chapters.befolkning.data import (
    INDICATOR_IDS,
    MUNICIPAL_YEARS,
    county_population,
    municipal_population,
)
from kunnskapsgrunnlag.chapters.befolkning.measures import (
    _county_shares,
    _growth,
    _municipal_shares,
    county_growth,
)

COLUMNS = ["indicator", "region", "year", "value", "status"]


def _rows(frame: pd.DataFrame, indicator: str, kind: str = "") -> pd.DataFrame:
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


def _expand_combined(out: pd.DataFrame) -> pd.DataFrame:
    """Combined units → one ``"."`` row per 2024 municipality they cover (never apportioned)."""
    combined = out["region"].str.contains("+", regex=False)
    expanded = out[combined].assign(region=out.loc[combined, "region"].str.split("+"))
    expanded = expanded.explode("region").assign(value=np.nan, status=".")
    return pd.concat([out[~combined], expanded], ignore_index=True)


@lru_cache(maxsize=2)
def all_rows(data_source: str = "snapshot") -> pd.DataFrame:
    """Every figure of the chapter's indicators: indicator, region, year, value, status."""
    counties = county_growth(data_source)
    muni = _growth(municipal_population(data_source), MUNICIPAL_YEARS[0])
    c2020 = county_population(data_source)
    c2020 = _growth(c2020[c2020["year"].isin(MUNICIPAL_YEARS)], 2020)
    last = MUNICIPAL_YEARS[-1]
    parts = [
        _rows(counties, "folkemengde"),
        _rows(muni, "folkemengde"),
        _rows(counties, "befolkningsvekst_prosent", "growth"),
        _rows(muni, "befolkningsvekst_prosent", "growth"),
        _rows(counties, "befolkningsvekst_siden_2019_prosent", "since"),
        _rows(c2020[c2020["year"] == last], "befolkningsvekst_2020_2026_prosent", "since"),
        _rows(muni[muni["year"] == last], "befolkningsvekst_2020_2026_prosent", "since"),
        _county_shares(data_source)[COLUMNS],
        _municipal_shares(data_source)[COLUMNS],
    ]
    out = _expand_combined(pd.concat(parts, ignore_index=True))
    out["status"] = out["status"].map(lambda s: s if isinstance(s, str) and s else None)
    out = out.astype({"region": object, "year": int, "value": float})
    return out[COLUMNS].reset_index(drop=True)


def series(indicator_id: str, data_source: str = "snapshot") -> pd.DataFrame:
    """Registry provider: one indicator's figures (region, year, value, status)."""
    if indicator_id not in INDICATOR_IDS:
        raise KeyError(f"indicator {indicator_id!r} is not computed by the Befolkning chapter")
    rows = all_rows(data_source)
    rows = rows[rows["indicator"] == indicator_id]
    return rows[["region", "year", "value", "status"]].reset_index(drop=True)
