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


def _load(source_id: str, data_source: str) -> pd.DataFrame:
    """The source's tidy frame (a live run reads the bundle for a source without a live query)."""
    from kunnskapsgrunnlag.data import snapshot

    return snapshot.load(source_id, source=data_source)


@lru_cache(maxsize=64)
def newest_month(indicator_id: str, data_source: str = "snapshot") -> tuple[int, int] | None:
    """(year, month) of the newest month behind a ``months:`` series (``None`` for yearly ones)."""
    spec = get(indicator_id).series
    if spec is None or spec.months is None:
        return None
    raw = _selected(indicator_id, spec, _load(spec.source, data_source))
    last = raw.sort_values(["year", "month"]).iloc[-1]
    return int(last["year"]), int(last["month"])


def _by_month(indicator_id: str, spec: SeriesSpec, raw: pd.DataFrame) -> pd.DataFrame:
    """One row per region and year from a monthly source, by the spec's ``months:`` rule.

    ``latest``: the newest month of the selection and the same calendar month in earlier years
    (seasonal figures compared with themselves). ``mean``: the mean of the twelve months of each
    year, only for years with all twelve months and no status symbol (a derived figure).
    """
    if "month" not in raw.columns:
        if spec.months is not None:
            raise SeriesError(f"indicator {indicator_id!r}: series.months given, but source "
                              f"{spec.source!r} has no month column")  # fmt: skip
        return raw
    if spec.months is None:
        raise SeriesError(f"indicator {indicator_id!r}: source {spec.source!r} is monthly; give "
                          f"series.months: latest or mean")  # fmt: skip
    if spec.months == "latest":
        last = raw.sort_values(["year", "month"]).iloc[-1]
        return raw[raw["month"] == last["month"]]
    groups = raw.groupby(["region", "year"], sort=True)
    full = groups.agg(n=("month", "nunique"), ok=("status", lambda s: s.isna().all()),
                      value=("value", "mean")).reset_index()  # fmt: skip
    full = full[(full["n"] == 12) & full["ok"]]
    return full.assign(status=None)[["region", "year", "value", "status"]]


def _selected(indicator_id: str, spec: SeriesSpec, raw: pd.DataFrame) -> pd.DataFrame:
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
    return raw


def _from_spec(indicator_id: str, spec: SeriesSpec, data_source: str) -> pd.DataFrame:
    import pandas as pd

    raw = _selected(indicator_id, spec, _load(spec.source, data_source))
    raw = _by_month(indicator_id, spec, raw)
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
    newest_month.cache_clear()
