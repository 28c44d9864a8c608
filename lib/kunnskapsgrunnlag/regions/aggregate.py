"""Summing municipality tables onto the 2024 division: to the 15 counties or 2024 municipalities.

Status symbols are kept (:func:`kunnskapsgrunnlag.status.group_sum`); a NaN value without a
symbol counts as ``..`` so missing data never vanishes from a sum. Rows that are not
municipalities of the year (Svalbard, sokkel, ``9999``) are dropped only when they hold 0 or NaN.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from kunnskapsgrunnlag.regions import mapping
from kunnskapsgrunnlag.regions.counties import COUNTIES
from kunnskapsgrunnlag.regions.klass import _check_year, klass_version
from kunnskapsgrunnlag.status import group_sum


def _has_symbol(s: object) -> bool:
    return isinstance(s, str) and s != ""


def _check_columns(
    df: pd.DataFrame, region: str, by_cols: list[str], value: str, status: str, name: str | None
) -> None:
    needed = [region, value, *by_cols]
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise KeyError(f"columns {missing} not in the frame (columns: {list(df.columns)})")
    clash = {region, value, status, name} & set(by_cols)
    if clash:
        raise ValueError(f"'by' must not contain the region/value/status/name columns: {clash}")


def _check_codes_are_str(codes: pd.Series, region: str) -> None:
    if isinstance(codes.dtype, pd.StringDtype):
        not_str = codes[codes.isna()]
    else:
        not_str = codes[~codes.map(lambda x: isinstance(x, str))]
    if len(not_str):
        raise TypeError(
            f"region codes in column {region!r} must be strings like '0301'; "
            f"got {not_str.iloc[0]!r} ({type(not_str.iloc[0]).__name__})"
        )


def _prepare(
    df: pd.DataFrame,
    year: int,
    target: Mapping[str, str],
    region: str,
    by_cols: list[str],
    value: str,
    status: str,
) -> pd.DataFrame:
    """The rows of municipalities of *year*, with float values, symbols and ``_target``."""
    codes = df[region]
    _check_codes_are_str(codes, region)
    known = codes.isin(list(target))
    values = pd.to_numeric(df[value], errors="raise")
    stray = ~known & values.notna() & values.ne(0)
    if stray.any():
        bad = sorted(set(codes[stray]))
        raise ValueError(
            f"region codes {bad[:10]}{' …' if len(bad) > 10 else ''} are not municipalities "
            f"valid on 1 January {year} (KLASS 131, Kommuneinndeling {klass_version(year)}) "
            f"and have non-zero values; only such rows with 0 or NaN (Svalbard, sokkel, "
            f"'Rest', '9999') are dropped. Filter them out or use the right year."
        )
    work = df.loc[known, [*by_cols, region, value]].copy()
    work[value] = values[known].astype(float)
    if status in df.columns:
        stat = df.loc[known, status].astype(object)
        stat = stat.where(stat.map(_has_symbol), None)
    else:
        stat = pd.Series(None, index=work.index, dtype=object)
    # A NaN without a symbol is missing data: never let it vanish from a sum.
    stat = stat.mask(work[value].isna() & stat.isna(), "..")
    work[status] = stat.astype(object)
    work["_target"] = work[region].map(target)
    return work


def _check_complete(
    work: pd.DataFrame,
    year: int,
    target: Mapping[str, str],
    what: str,
    region: str,
    by_cols: list[str],
) -> None:
    """Raise if a target unit in some *by* group lacks some of its municipalities of *year*."""
    expected: dict[str, int] = defaultdict(int)
    for t in target.values():
        expected[t] += 1
    keys = [*by_cols, "_target"]
    present = work.groupby(keys, sort=True, dropna=False)[region].nunique()
    want = present.index.get_level_values("_target").map(expected)
    short = present[present.to_numpy() != np.asarray(want)]
    if not len(short):
        return
    key = short.index[0]
    unit = key[-1] if isinstance(key, tuple) else key
    members = sorted(c for c, t in target.items() if t == unit)
    mask = work["_target"].eq(unit)
    for col, v in zip(by_cols, key[:-1] if isinstance(key, tuple) else (), strict=False):
        mask &= work[col].eq(v) if not pd.isna(v) else work[col].isna()
    lacking = sorted(set(members) - set(work.loc[mask, region]))
    where = f" in group {dict(zip(by_cols, key[:-1], strict=False))}" if by_cols else ""
    raise ValueError(
        f"incomplete input for {what} {unit!r}{where}: municipalities {lacking} of "
        f"{year} are missing ({len(short)} incomplete groups in all). A partial sum "
        f"would look like a total; pass complete=False to sum what is there."
    )


def _aggregate(
    df: pd.DataFrame,
    year: int,
    target: Mapping[str, str],
    labels: Mapping[str, str],
    what: str,
    region: str,
    by: str | Iterable[str],
    value: str,
    status: str,
    complete: bool,
    name: str | None,
) -> pd.DataFrame:
    by_cols = [by] if isinstance(by, str) else list(by)
    _check_columns(df, region, by_cols, value, status, name)
    work = _prepare(df, year, target, region, by_cols, value, status)
    if complete and len(work):
        _check_complete(work, year, target, what, region, by_cols)
    out = group_sum(
        work.drop(columns=[region]).rename(columns={"_target": region}),
        by=[*by_cols, region],
        value=value,
        status=status,
    )
    if name is not None:
        out.insert(out.columns.get_loc(region) + 1, name, out[region].map(labels).astype(object))
    return out


def aggregate_to_counties(
    df: pd.DataFrame,
    year: int,
    region: str = "region",
    by: str | Iterable[str] = (),
    value: str = "value",
    status: str = "status",
    *,
    complete: bool = True,
    name: str | None = "name",
) -> pd.DataFrame:
    """Sum a municipality-level table (codes valid in *year*) to the 15 counties of 2024.

    Status symbols are carried by :func:`kunnskapsgrunnlag.status.group_sum`: a county with one
    ``:`` municipality is ``:`` (value NaN). A NaN value without a symbol counts as ``..``.
    Municipalities that changed county are counted in their 2024 county (Halsa 1571 in 2019 →
    50 Trøndelag); the totals are exact because every split stayed inside one county.

    Args:
        df: Tidy frame with one row per municipality (and per *by* category).
        year: The year whose municipality division the codes in *region* belong to (2017–2025).
        region: Column with 4-digit municipality codes (str).
        by: Further columns to keep (e.g. ``["year", "sex"]``); everything else is summed over.
        value: Numeric column to sum.
        status: Column with SSB symbols (``None`` for plain cells); may be absent.
        complete: Raise if a county in a *by* group lacks some of its municipalities, since the
            partial sum would look like a county total.
        name: Column for the county name (``None`` for no name column).

    Returns:
        A new frame with columns ``by + [region, name, value, status]``; *region* holds the
        two-digit 2024 county codes.

    Raises:
        ValueError: A row's region is not a municipality of *year* and its value is neither 0
            nor NaN (e.g. a county or Norway row left in), or the input is incomplete.
        TypeError: Region codes are not strings.
        KeyError: A named column is missing.
    """
    _check_year(year)
    lookup = mapping._lookup(int(year))
    target = {c: v[0] for c, v in lookup.items()}
    labels = {c: county.name for c, county in COUNTIES.items()}
    return _aggregate(
        df, int(year), target, labels, "county", region, by, value, status, complete, name
    )


def aggregate_to_municipalities_2024(
    df: pd.DataFrame,
    year: int,
    region: str = "region",
    by: str | Iterable[str] = (),
    value: str = "value",
    status: str = "status",
    *,
    complete: bool = True,
    name: str | None = "name",
) -> pd.DataFrame:
    """Sum a municipality-level table (codes valid in *year*) to 2024 municipalities.

    Merged and renumbered municipalities are summed into their 2024 municipality. Where a
    municipality was later split, nothing is apportioned: it and every municipality of *year*
    sharing a successor with it form one combined unit, e.g. ``"1508+1580"`` named
    ``"Ålesund og Haram (samla før 2024)"`` (see :func:`split_units`). Symbols are carried as in
    :func:`aggregate_to_counties`.

    Args:
        df: Tidy frame with one row per municipality (and per *by* category).
        year: The year whose municipality division the codes in *region* belong to (2017–2025).
        region: Column with 4-digit municipality codes (str).
        by: Further columns to keep; everything else is summed over.
        value: Numeric column to sum.
        status: Column with SSB symbols (``None`` for plain cells); may be absent.
        complete: Raise if a 2024 municipality or combined unit in a *by* group lacks some of
            its municipalities of *year*.
        name: Column for the 2024 (or combined unit) name (``None`` for no name column).

    Returns:
        A new frame with columns ``by + [region, name, value, status]``; *region* holds 2024
        municipality codes or ``+``-joined combined-unit codes.

    Raises:
        ValueError: As in :func:`aggregate_to_counties`.
        TypeError: Region codes are not strings.
        KeyError: A named column is missing.
    """
    _check_year(year)
    frame = mapping._mapping_frame(int(year))
    target = dict(zip(frame["code"], frame["unit_2024"], strict=True))
    labels = dict(zip(frame["unit_2024"], frame["unit_name_2024"], strict=False))
    return _aggregate(
        df,
        int(year),
        target,
        labels,
        "2024 municipality",
        region,
        by,
        value,
        status,
        complete,
        name,
    )
