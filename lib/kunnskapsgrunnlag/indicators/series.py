"""``series(indicator_id)``: an indicator's figures as one tidy frame, read as the registry says.

Every indicator with figures has either a ``series:`` block (:class:`~.spec.SeriesSpec`: the
snapshot source, the selection, the region convention) or a ``provider`` (a Python function for a
derived indicator). Either way the result has the same shape:

``region`` (str: ``"0"``, two-digit 2024 county, four-digit 2024 municipality or an SSB aggregate
such as ``EAFKUO``), ``year`` (int), ``value`` (float, NaN where SSB has a symbol) and ``status``
(the SSB symbol or ``None``) — sorted by region and year. Symbols are never turned into numbers.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import TYPE_CHECKING

from kunnskapsgrunnlag.indicators.registry import get
from kunnskapsgrunnlag.indicators.spec import SeriesSpec

if TYPE_CHECKING:
    import pandas as pd

COLUMNS: tuple[str, ...] = ("region", "year", "value", "status")
DATA_SOURCES = ("snapshot", "live")


class SeriesError(ValueError):
    """An indicator's series cannot be read as its registry entry says."""


def _kostra_region(code: object) -> str:
    """KOSTRA county codes ``XX00`` → ``XX``; aggregates (``EAFKUO``) and ``0`` as they are."""
    from kunnskapsgrunnlag.regions import COUNTIES

    code = str(code)
    if len(code) == 4 and code.endswith("00") and code[:2] in COUNTIES:
        return code[:2]
    return code


def _from_spec(indicator_id: str, spec: SeriesSpec, data_source: str) -> pd.DataFrame:
    import pandas as pd

    from kunnskapsgrunnlag.data import snapshot

    # a source without a live query (e.g. ssb-andre-fylkesindikatorer) is read from the bundle
    live = data_source == "live" and spec.source in snapshot.live_sources()
    raw = snapshot.load(spec.source, source="live" if live else "snapshot")
    for column, wanted in spec.select.items():
        if column not in raw.columns:
            raise SeriesError(
                f"indicator {indicator_id!r}: series.select names column {column!r}, but source "
                f"{spec.source!r} has {', '.join(map(str, raw.columns))}"
            )
        raw = raw[raw[column].astype(str) == wanted]
    if raw.empty:
        raise SeriesError(
            f"indicator {indicator_id!r}: source {spec.source!r} has no rows for {spec.select}"
        )
    region = raw["region"].map(_kostra_region if spec.regions == "kostra" else str)
    df = pd.DataFrame(
        {
            "region": region.astype(object),
            "year": raw["year"].astype(int),
            "value": pd.to_numeric(raw["value"]).astype(float),
            "status": raw["status"].astype(object).where(raw["status"].notna(), None),
        }
    )
    dup = df.duplicated(["region", "year"])
    if dup.any():
        raise SeriesError(
            f"indicator {indicator_id!r}: {int(dup.sum())} repeated region/year cells in source "
            f"{spec.source!r} (is series.select missing a dimension?)"
        )
    return df


def _from_provider(indicator_id: str, provider: str, data_source: str) -> pd.DataFrame:
    module, func = provider.split(":")
    df = getattr(importlib.import_module(module), func)(indicator_id, data_source)
    lacking = [c for c in COLUMNS if c not in df.columns]
    if lacking:
        raise SeriesError(
            f"indicator {indicator_id!r}: provider {provider} returned no column(s) "
            f"{', '.join(lacking)}"
        )
    return df[list(COLUMNS)]


@lru_cache(maxsize=128)
def _series(indicator_id: str, data_source: str) -> pd.DataFrame:
    ind = get(indicator_id)
    if ind.series is not None:
        df = _from_spec(indicator_id, ind.series, data_source)
    elif ind.provider is not None:
        df = _from_provider(indicator_id, ind.provider, data_source)
    else:
        raise SeriesError(f"indicator {indicator_id!r} has neither series: nor provider:")
    df = df.astype({"region": object, "year": int, "value": float})
    df["status"] = df["status"].astype(object).where(df["status"].notna(), None)
    return df.sort_values(["region", "year"], kind="stable").reset_index(drop=True)


def series(indicator_id: str, data_source: str = "snapshot") -> pd.DataFrame:
    """Return the indicator's figures (a new frame; see the module docstring for the shape).

    Args:
        indicator_id: registry id.
        data_source: ``"snapshot"`` (bundled data) or ``"live"`` (SSB's API via the data layer).

    Raises:
        KeyError: no registry entry. SeriesError: the entry's series cannot be read.
    """
    if data_source not in DATA_SOURCES:
        raise ValueError(f"data_source must be 'snapshot' or 'live', got {data_source!r}")
    return _series(indicator_id, data_source).copy()


def cache_clear() -> None:
    """Forget series read in this process (after a snapshot refresh)."""
    _series.cache_clear()
