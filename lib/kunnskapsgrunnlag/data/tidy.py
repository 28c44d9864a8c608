"""JSON-stat answers (live, or fetched files) into each source's tidy shape.

Chosen by the manifest entry's ``kind`` (see :mod:`kunnskapsgrunnlag.data.snapshot` for the
shapes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from kunnskapsgrunnlag.data.errors import SnapshotError
from kunnskapsgrunnlag.data.shape import (
    COUNTY_COLUMNS,
    FUNCTION_NAMES,
    KOSTRA_AGGREGATES,
    KOSTRA_COLUMNS,
    age_group,
    age_int,
    by_unique,
    county_lookup,
    finish,
    municipal,
    nfc,
    sex_code,
)
from kunnskapsgrunnlag.regions import COUNTIES, NORWAY, region_name


def _dims(js: pd.DataFrame) -> list[str]:
    return [c for c in js.columns if c not in ("value", "status") and not c.endswith("_label")]


def _check_single(js: pd.DataFrame, known: Iterable[str], table: str) -> None:
    for d in _dims(js):
        if d in known:
            continue
        n = js[d].nunique()
        if n != 1:
            raise SnapshotError(
                f"table {table}: unexpected dimension {d!r} with {n} categories in SSB's answer"
            )


def _label(js: pd.DataFrame, dim: str) -> pd.Series:
    return (js[f"{dim}_label"] if f"{dim}_label" in js.columns else js[dim]).astype(str)


def _find_dim(js: pd.DataFrame, *candidates: str, pattern: str | None = None) -> str | None:
    dims = _dims(js)
    lower = {d.lower(): d for d in dims}
    for c in candidates:
        if c.lower() in lower:
            return lower[c.lower()]
    if pattern:
        for d in dims:
            if re.search(pattern, d, re.IGNORECASE):
                return d
    return None


def _strip_prefix(codes: pd.Series) -> pd.Series:
    """``F-03`` (agg_KommFylker) → ``03``, ``K-4001`` / ``K_4001`` (agg_KommSummer[Hist]) → ``4001``."""
    return by_unique(codes.astype(str), lambda c: re.sub(r"^[A-Za-z]{1,2}[-_]", "", c)).astype(str)


def _population_single_from_js(
    entry: Mapping[str, Any], frames: list[pd.DataFrame], table: str
) -> pd.DataFrame:
    """07459 answers (Norway, F-counties or K-municipalities) in the ``population_single`` shape.

    Codes lose SSB's prefixes; an entry with ``age_bands`` sums single years into those bands.
    """
    from kunnskapsgrunnlag.status import group_sum

    df = _population_municipal_from_js(frames, table)
    if "sex" not in df.columns:
        df["sex"] = None
    df["sex"] = df["sex"].astype(object).where(df["sex"].notna() & (df["sex"] != "None"), None)
    bands = entry.get("age_bands")
    if bands:
        edges = np.asarray(bands)
        df["age"] = edges[np.searchsorted(edges, df["age"].to_numpy(), side="right") - 1]
        names = dict(zip(df["region"], df["region_name"], strict=False))
        df = group_sum(df, by=["region", "year", "age"])
        df["sex"], df["region_name"] = None, df["region"].map(names)
    cols = ["region", "region_name", "year", "sex", "age", "value", "status"]
    return finish(df, cols, ["year", "region", "sex", "age"])


def _population_municipal_from_js(frames: list[pd.DataFrame], table: str) -> pd.DataFrame:
    parts = []
    with_age = any("Alder" in _dims(js) for js in frames)
    for js in frames:
        _check_single(js, ("Region", "Kjonn", "Alder", "Tid"), table)
        df = pd.DataFrame(
            {
                "region": _strip_prefix(js["Region"]),
                "label": _label(js, "Region").astype(str),
                "year": js["Tid"].astype("int64"),
                "value": js["value"],
                "status": js["status"],
            }
        )
        if with_age:
            if "Kjonn" in js.columns:
                df["sex"] = by_unique(js["Kjonn"], sex_code).astype(str)
            else:  # both sexes (Kjonn eliminated), as in the 2019 source
                df["sex"] = pd.Series(np.full(len(df), None, dtype=object), dtype=object)
            df["age"] = by_unique(js["Alder"], age_int).astype("int64")
        parts.append(df)
    return municipal(pd.concat(parts, ignore_index=True), with_age=with_age)


def _county_regions(js: pd.DataFrame, dim: str) -> tuple[pd.Series, list[str]]:
    """Map a region dimension to ``"0"``/2024 county codes; return codes and dropped labels."""
    codes = _strip_prefix(js[dim])
    labels = _label(js, dim).astype(str)
    lookup = county_lookup()
    by_label = labels.map(nfc).map(lookup)
    mapped = codes.where(codes.isin(list(COUNTIES) + [NORWAY]), by_label)
    dropped = sorted(set(labels[mapped.isna()]))
    return mapped, dropped


def _population_county_from_js(frames: list[pd.DataFrame], table: str) -> pd.DataFrame:
    parts = []
    dropped: list[str] = []
    for js in frames:
        _check_single(js, ("Region", "Kjonn", "Alder", "Tid"), table)
        region, lost = _county_regions(js, "Region")
        dropped += lost
        groups = (
            {
                (lab, code): age_group(lab, code)
                for lab, code in zip(_label(js, "Alder"), js["Alder"], strict=True)
            }
            if "Alder" in js.columns
            else {}
        )
        df = pd.DataFrame(
            {
                "region": region,
                "year": js["Tid"].astype("int64"),
                "sex": by_unique(js["Kjonn"], sex_code),
                "age_group": [
                    groups[(lab, code)]
                    for lab, code in zip(_label(js, "Alder"), js["Alder"], strict=True)
                ],
                "value": js["value"],
                "status": js["status"],
            }
        )
        parts.append(df[df["region"].notna()])
    df = pd.concat(parts, ignore_index=True)
    df["region"] = df["region"].astype(str)
    df["region_name"] = df["region"].map(region_name)
    out = finish(df, COUNTY_COLUMNS, ["year", "region", "sex", "age_group"])
    out.attrs["dropped_regions"] = sorted(set(dropped))
    return out


def _kostra_from_js(frames: list[pd.DataFrame], table: str, unit: str) -> pd.DataFrame:
    parts = []
    for js in frames:
        rdim = _find_dim(
            js, "KOKfylkesregion0000", "KOKkommuneregion0000", "Region", pattern="region"
        )
        fdim = _find_dim(js, "KOKfunksjon0000", pattern="funksjon")
        if rdim is None or fdim is None:
            raise SnapshotError(
                f"table {table}: no region/function dimension in SSB's answer ({_dims(js)})"
            )
        _check_single(js, (rdim, fdim, "Tid"), table)
        region = js[rdim].astype(str)
        county = region.str.extract(r"^(\d{2})00$")[0]
        labels = _label(js, rdim).astype(str)
        names = [
            COUNTIES[c].name
            if isinstance(c, str) and c in COUNTIES
            else KOSTRA_AGGREGATES.get(r, lab)
            for r, c, lab in zip(region, county, labels, strict=True)
        ]
        func = js[fdim].astype(str)
        df = pd.DataFrame(
            {
                "region": region,
                "region_name": names,
                "county": pd.Series(county.to_numpy(dtype=object), dtype=object),
                "function": func,
                "function_name": [
                    FUNCTION_NAMES.get(f, re.sub(rf"^{re.escape(f)}\s+", "", lab))
                    for f, lab in zip(func, _label(js, fdim).astype(str), strict=True)
                ],
                "year": js["Tid"].astype("int64"),
                "value": js["value"],
                "status": js["status"],
            }
        )
        df["county"] = df["county"].astype(object).where(df["county"].notna(), None)
        df["unit"] = unit
        parts.append(df)
    return finish(
        pd.concat(parts, ignore_index=True), KOSTRA_COLUMNS, ["function", "region", "year"]
    )


def tidy_from_jsonstat(entry: Mapping[str, Any], frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Turn decoded JSON-stat frames (one per query of *entry*) into the entry's tidy shape.

    Args:
        entry: A manifest entry (see :func:`source_info`).
        frames: Frames from :func:`~kunnskapsgrunnlag.data.jsonstat.read_jsonstat`, in query order.

    Raises:
        SnapshotError: The answer does not have the dimensions the source expects.
    """
    kind = entry.get("kind")
    table = str(entry.get("table"))
    frames = list(frames)
    if kind == "population_municipal":
        return _population_municipal_from_js(frames, table)
    if kind == "population_single":
        return _population_single_from_js(entry, frames, table)
    if kind == "population_county":
        return _population_county_from_js(frames, table)
    if kind == "kostra_12163":
        return _kostra_from_js(frames, table, entry.get("unit", "kr per innbygger"))
    if kind == "regional_accounts_11713":
        from kunnskapsgrunnlag.data.accounts import from_jsonstat

        return from_jsonstat(frames)
    if kind == "county_indicators":
        from kunnskapsgrunnlag.data.county_indicators import from_jsonstat as indicators_from_js

        return indicators_from_js(entry, frames)
    if kind == "projection_full":
        from kunnskapsgrunnlag.data.projection import tidy_projection_js

        return tidy_projection_js(frames, table)
    raise SnapshotError(f"source kind {kind!r} has no JSON-stat mapping")


# --------------------------------------------------------------------------------------------
# Loading
