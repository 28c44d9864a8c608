"""``outputs/indicators.csv``: one loop over the registry, checked against SSB's classifications.

Every registry entry with figures (:func:`~kunnskapsgrunnlag.indicators.series.series`) gives its
rows: every region and year of its series, the published values as they are, SSB's status symbol
where there is one, the region's one name (:func:`kunnskapsgrunnlag.regions.region_name`), and
unit and source from the registry. No chapter writes rows of its own.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.indicators.registry import REGISTRY_FILE, _display, missing, registry
from kunnskapsgrunnlag.indicators.series import series

CSV_COLUMNS: tuple[str, ...] = (
    "indicator",
    "region_code",
    "region_name",
    "year",
    "value",
    "status",
    "unit",
    "source",
)
"""Columns of ``outputs/indicators.csv``, in order."""

SSB_SYMBOLS: frozenset[str] = frozenset({".", "..", ":", "-"})

AGGREGATE_CODE = re.compile(r"^(EAK|EAKUO|EAFK|EAFKUO|EKA\d{2}|EKG\d{2}|EAFK0[1-6])$")
"""SSB's KOSTRA aggregate region codes (landet, landet uten Oslo, county and KOSTRA groups)."""


class IndicatorsCsvError(ValueError):
    """A chapter's indicator rows break the contract of ``outputs/indicators.csv``."""


@lru_cache(maxsize=1)
def _municipality_codes_2024() -> frozenset[str]:
    from kunnskapsgrunnlag.regions import municipalities

    return frozenset(municipalities(2024)["code"])


def region_code_kind(code: str) -> str | None:
    """Classify a region code by SSB's standard classifications (``None`` when it is not one).

    Returns ``"norway"`` (``0``), ``"county"`` (two-digit 2024 county), ``"municipality"``
    (four-digit 2024 municipality, KLASS 131), ``"aggregate"`` (SSB aggregate such as ``EAFKUO``,
    or ``FYLKENE``, the derived sum of the counties)
    or ``"combined"``: 2024 municipalities joined by ``+`` (``"1508+1580"``), the unit
    :mod:`kunnskapsgrunnlag.regions` uses for a municipality that was later split (never
    apportioned); each part must itself be a 2024 municipality.
    """
    from kunnskapsgrunnlag.regions import COUNTIES, FYLKENE_SAMLET, NORWAY

    if not isinstance(code, str):
        return None
    if code == NORWAY:
        return "norway"
    if code in COUNTIES:
        return "county"
    if re.fullmatch(r"\d{4}", code) and code in _municipality_codes_2024():
        return "municipality"
    if AGGREGATE_CODE.fullmatch(code) or code == FYLKENE_SAMLET:
        return "aggregate"
    parts = code.split("+")
    if len(parts) > 1 and all(p in _municipality_codes_2024() for p in parts):
        return "combined"
    return None


_KIND_ORDER = {"norway": 0, "county": 1, "municipality": 2, "combined": 3, "aggregate": 4}


def _format_value(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return np.format_float_positional(float(v), trim="-")


def region_name(code: str) -> str:
    """The one name of a region (:func:`kunnskapsgrunnlag.regions.region_name`); "" when not one.

    A code outside SSB's classifications gets no name here; :func:`_check_rows` then refuses it
    with a message listing the accepted kinds.
    """
    from kunnskapsgrunnlag.regions import region_name as one_name

    try:
        return one_name(code, "nb")
    except (ValueError, TypeError):
        return ""


def indicator_rows(indicator_id: str, data_source: str = "snapshot") -> pd.DataFrame:
    """Return the csv rows of one indicator: its whole series with names, unit and source."""
    df = series(indicator_id, data_source)
    # the first year of a growth series has no figure: no row rather than a bare NaN
    df = df[df["value"].notna() | df["status"].notna()]
    names = {c: region_name(c) for c in df["region"].unique()}
    return pd.DataFrame(
        {
            "indicator": indicator_id,
            "region_code": df["region"],
            "region_name": df["region"].map(names),
            "year": df["year"],
            "value": df["value"],
            "status": df["status"],
        }
    )


def collect_rows(indicator_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Return the checked, sorted rows of every registry indicator that has figures.

    Raises:
        IndicatorsCsvError: an id without registry entry, a region code outside SSB's standard
            classifications, a value without a symbol, duplicate rows.
    """
    wanted = None if indicator_ids is None else set(indicator_ids)
    frames = [
        _check_rows(ind.id, indicator_rows(ind.id))
        for ind in registry().values()
        if ind.has_series and (wanted is None or ind.id in wanted)
    ]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in CSV_COLUMNS})
    out = pd.concat(frames, ignore_index=True)
    dup = out.duplicated(["indicator", "region_code", "year"], keep=False)
    if dup.any():
        r = out[dup].iloc[0]
        raise IndicatorsCsvError(
            f"indicator {r['indicator']!r}, region {r['region_code']}, year {r['year']}: "
            f"{int(dup.sum())} rows for the same cell"
        )
    out["_kind"] = out["region_code"].map(lambda c: _KIND_ORDER[region_code_kind(c)])
    out = out.sort_values(["indicator", "_kind", "region_code", "year"], kind="stable")
    return out.drop(columns="_kind").reset_index(drop=True)


def _check_rows(indicator_id: str, df: pd.DataFrame) -> pd.DataFrame:
    where = f"indicator {indicator_id!r}"
    need = ["indicator", "region_code", "region_name", "year", "value", "status"]
    lacking = [c for c in need if c not in df.columns]
    if lacking:
        raise IndicatorsCsvError(f"{where}: missing column(s) {', '.join(lacking)}")
    df = df.copy()
    unknown = missing(df["indicator"].unique())
    if unknown:
        raise IndicatorsCsvError(
            f"{where}: indicator id(s) without an entry in {_display(REGISTRY_FILE)}: {', '.join(unknown)}"
        )
    reg = registry()
    bad = [c for c in df["region_code"].unique() if region_code_kind(c) is None]
    if bad:
        raise IndicatorsCsvError(
            f"{where}: region code(s) outside SSB's standard classifications "
            f"('0', 2-digit 2024 counties, 4-digit 2024 municipalities, aggregates such as EAFKUO, "
            f"combined 2024 municipalities such as 1508+1580): "
            f"{', '.join(map(repr, bad[:5]))}"
        )
    if df["region_name"].isna().any() or (df["region_name"].astype(str).str.strip() == "").any():
        raise IndicatorsCsvError(f"{where}: empty region_name")
    years = pd.to_numeric(df["year"], errors="coerce")
    if years.isna().any() or (years % 1 != 0).any():
        raise IndicatorsCsvError(f"{where}: year must be a whole number")
    df["year"] = years.astype(int)
    df["value"] = pd.to_numeric(df["value"], errors="raise").astype(float)
    status = df["status"].astype(object).where(df["status"].notna(), "")
    status = status.map(lambda s: "" if s is None else str(s))
    odd = sorted(set(status) - SSB_SYMBOLS - {""})
    if odd:
        raise IndicatorsCsvError(f"{where}: status must be an SSB symbol or empty, got {odd}")
    bare = df["value"].isna() & (status == "")
    if bare.any():
        r = df[bare].iloc[0]
        raise IndicatorsCsvError(
            f"{where}: {r['indicator']} {r['region_code']} {r['year']}: value missing without an SSB symbol"
        )
    df["status"] = status
    for col, attr in (("unit", "csv_unit"), ("source", "source_text")):
        expected = df["indicator"].map(lambda i, a=attr: getattr(reg[i], a))
        if col in df.columns:
            given = df[col].astype(object).where(df[col].notna(), "").astype(str)
            clash = (given != "") & (given != expected)
            if clash.any():
                r = df[clash].iloc[0]
                raise IndicatorsCsvError(
                    f"{where}: {r['indicator']}: {col} {given[clash].iloc[0]!r} differs from the "
                    f"registry's {expected[clash].iloc[0]!r}"
                )
        df[col] = expected
    return df[list(CSV_COLUMNS)]


def write_csv(path: Path | None = None) -> Path:
    """Build ``outputs/indicators.csv`` from the registry (atomic write).

    UTF-8, comma-separated, dot decimals, ``status`` = SSB symbol or empty, sorted by indicator,
    region (Norway, counties, municipalities, aggregates) and year.

    Args:
        path: where to write (default: :data:`kunnskapsgrunnlag.paths.INDICATORS_CSV`).

    Returns:
        The path written.
    """
    path = Path(path) if path is not None else paths.INDICATORS_CSV
    df = collect_rows()
    out = df.copy()
    out["value"] = out["value"].map(_format_value)
    out["year"] = out["year"].astype(str)
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\n")
    paths.atomic_write_text(path, buf.getvalue())
    return path
