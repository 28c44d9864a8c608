"""Building blocks of the tidy shape: region, sex and age codes, KLASS names, sorting and dtypes.

Shared by the readers of the bundled CSV files (:mod:`~kunnskapsgrunnlag.data.csvfiles`) and of
JSON-stat answers (:mod:`~kunnskapsgrunnlag.data.tidy`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.data.errors import SnapshotError
from kunnskapsgrunnlag.regions import (  # NORWAY_NAME: re-exported
    COUNTIES,
    NORWAY,
    NORWAY_NAME,
    region_name,
)

SPECIAL_REGIONS: dict[str, str] = {
    "21-22": "Svalbard og Jan Mayen",
    "23": "Kontinentalsokkelen",
    "Rest": "Delte kommuner og uoppgitt",
}
"""SSB's special regions in municipal tables, kept as regions (they are 0 in 07459)."""

KOSTRA_AGGREGATES: dict[str, str] = {
    "EAFK": "Landet",
    "EAFKUO": "Landet uten Oslo",
    "EAK": "Landet",
    "EAKUO": "Landet uten Oslo",
}
"""Names of the KOSTRA national aggregates used here."""

FUNCTION_NAMES: dict[str, str] = {
    "FGF1b": "Administrasjon, styring og fellesutgifter",
    "FGF3": "Kultur",
    "FGF4": "Samferdsel",
    "FGF7": "Videregående opplæring",
    "FGF8": "Tannhelse",
}
"""Names of the KOSTRA county function groups in the snapshot (the same for live data)."""


COUNTY_COLUMNS = ["region", "region_name", "year", "sex", "age_group", "value", "status"]
KOSTRA_COLUMNS = [
    "region",
    "region_name",
    "county",
    "function",
    "function_name",
    "year",
    "value",
    "status",
    "unit",
]


@functools.lru_cache(maxsize=4)
def klass_versions(folder: str) -> tuple[tuple[str, str | None, dict[str, str]], ...]:
    """Return ``(validFrom, validTo, {code: name})`` of each bundled KLASS 131 version."""
    versions = []
    for path in sorted(Path(folder).glob("kommuneinndeling-*.json")):
        try:
            data = paths.read_json(path)
        except paths.DataFileError as exc:
            raise SnapshotError(f"KLASS 131 file {exc}") from exc
        names = {str(i["code"]): str(i["name"]) for i in data.get("classificationItems", [])}
        versions.append((str(data["validFrom"]), data.get("validTo"), names))
    return tuple(versions)


def klass_names(year: int) -> dict[str, str] | None:
    """Return ``{code: name}`` of KLASS 131 valid on 1 January *year* (``None`` if not bundled)."""
    day = f"{year}-01-01"
    for valid_from, valid_to, names in klass_versions(str(paths.KLASS / "131")):
        if valid_from <= day and (valid_to is None or day < valid_to):
            return names
    return None


# --------------------------------------------------------------------------------------------
# Tidy helpers
# --------------------------------------------------------------------------------------------


def nfc(text: str) -> str:
    """Return *text* NFC-normalised, stripped and case-folded (for matching labels)."""
    return unicodedata.normalize("NFC", str(text)).strip().casefold()


@functools.lru_cache(maxsize=1)
def county_lookup() -> dict[str, str]:
    """Return ``{normalised name: code}`` for Norway (``"0"``) and the 2024 counties."""
    out = {
        nfc(n): NORWAY
        for n in ("The whole country", "Hele landet", "Heile landet", "Landet", "Norway", "Norge")
    }
    for code, c in COUNTIES.items():
        out[nfc(c.name)] = code
        out[nfc(c.official_name)] = code
    return out


def age_int(text: str) -> int:
    """Return the age a label starts with (``"105 years or older"`` -> 105)."""
    m = re.match(r"\s*(\d+)", str(text))
    if not m:
        raise SnapshotError(f"cannot read an age from {text!r}")
    return int(m.group(1))


def age_group(label: str, code: str = "") -> str:
    """Return the age group of a label or code as ``"0-9"`` or ``"100+"``."""
    for text in (label, code):
        t = str(text).strip()
        m = re.match(r"^\D*?(\d+)\s*[-–]\s*(\d+)", t)
        if m:
            return f"{int(m.group(1))}-{int(m.group(2))}"
        m = re.match(
            r"^\D*?(\d+)\s*(\+|år eller eldre|years? or older|år og eldre|og over|or over)", t
        )
        if m:
            return f"{int(m.group(1))}+"
    raise SnapshotError(f"cannot read an age group from {label!r} / {code!r}")


def sex_code(value: str) -> str:
    """Return SSB's ``Kjonn`` code (``"1"`` menn, ``"2"`` kvinner) for a code or label."""
    v = nfc(value)
    if v in ("1", "males", "male", "menn", "mann", "m"):
        return "1"
    if v in ("2", "females", "female", "kvinner", "kvinne", "k", "f"):
        return "2"
    raise SnapshotError(f"unknown sex {value!r}")


def by_unique(s: pd.Series, func: Any) -> pd.Series:
    """Apply *func* once per distinct value of *s* (fast for long columns with few values)."""
    mapping = {v: func(v) for v in pd.unique(s)}
    return s.map(mapping)


def names_2024(regions: pd.Series) -> pd.Series:
    """Names on the 2024 division: «Hele landet», counties, KLASS 131 (2024) municipalities.

    A code KLASS does not know keeps its code as its name.
    """
    municipal = klass_names(2024) or {}
    return by_unique(
        regions.astype(str),
        lambda r: region_name(r) if r == NORWAY or r in COUNTIES else municipal.get(r, r),
    )


def status_col(n: int) -> pd.Series:
    """Return a status column of *n* ``None`` (files without symbols)."""
    return pd.Series([None] * n, dtype=object)


def _sort_order(df: pd.DataFrame, keys: Sequence[str]) -> np.ndarray:
    """Return the stable row order by *keys* (age groups by their first age; ``None`` first).

    Sorting factorised codes with :func:`numpy.lexsort` is many times faster than
    ``sort_values`` on pandas' python-backed ``str`` columns.
    """
    arrays = []
    for key in reversed(list(keys)):
        col = df[key]
        if key == "age_group":
            codes, uniques = pd.factorize(col)
            starts = np.array([int(re.match(r"\d+", str(u)).group(0)) for u in uniques])
            arrays.append(np.argsort(np.argsort(starts, kind="stable"), kind="stable")[codes])
        elif pd.api.types.is_numeric_dtype(col):
            arrays.append(col.to_numpy())
        else:
            codes, _ = pd.factorize(col, sort=True)
            arrays.append(codes)
    return np.lexsort(arrays)


def finish(df: pd.DataFrame, columns: Sequence[str], sort: Sequence[str]) -> pd.DataFrame:
    """Select *columns*, sort by *sort* (age groups by their first age) and fix the dtypes."""
    out = df[list(columns)]
    out = out.iloc[_sort_order(out, sort)].reset_index(drop=True)
    out["value"] = out["value"].astype(float)
    out["year"] = out["year"].astype("int64")
    status = np.full(len(out), None, dtype=object)
    present = out["status"].notna().to_numpy()
    if present.any():
        given = out["status"].to_numpy(dtype=object)[present]
        status[present] = [s if isinstance(s, str) and s else None for s in given]
    out["status"] = pd.Series(status, dtype=object)
    return out


def municipal(df: pd.DataFrame, *, with_age: bool) -> pd.DataFrame:
    """Finish a municipal population frame: KLASS names, drop codes not valid that year if empty.

    *df* has ``region`` (code), ``label`` (source name), ``year``, ``value``, ``status`` and, when
    *with_age*, ``sex`` and ``age``. A 4-digit code that is not in KLASS 131 for that year is
    dropped only when it holds no population (e.g. ``1567 Rindal (-2018)`` in the 2019 file);
    SSB's special regions (``21-22``, ``23``, ``Rest``) are kept.
    """
    region_idx, regions = pd.factorize(df["region"])
    year_idx, years = pd.factorize(df["year"])
    key = region_idx * len(years) + year_idx
    n_keys = len(regions) * len(years)
    empty = np.ones(n_keys, dtype=bool)
    np.logical_and.at(empty, key, (df["value"].fillna(0) == 0).to_numpy())
    first = np.full(n_keys, -1)
    first[key[::-1]] = np.arange(len(df))[::-1]
    labels = df["label"].to_numpy(dtype=object)
    keep_key = np.zeros(n_keys, dtype=bool)
    name_key = np.full(n_keys, None, dtype=object)
    for k in np.flatnonzero(first >= 0):
        region, year = str(regions[k // len(years)]), int(years[k % len(years)])
        klass = klass_names(year)
        numeric = re.fullmatch(r"\d{4}", region) is not None
        valid = klass is not None and region in klass
        keep_key[k] = not numeric or valid or not empty[k]
        name_key[k] = (
            (klass or {}).get(region) or SPECIAL_REGIONS.get(region) or str(labels[first[k]])
        )
    df = df.assign(region_name=pd.Series(name_key[key], index=df.index).astype(str))[keep_key[key]]
    cols = ["region", "region_name", "year"]
    if with_age:
        cols += ["sex", "age"]
    cols += ["value", "status"]
    return finish(df, cols, [c for c in ("year", "region", "sex", "age") if c in cols])
