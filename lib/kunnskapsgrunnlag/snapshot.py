"""The bundled SSB snapshot (``data/snapshot/``): manifest, loaders in the tidy shape, ``kg fetch``.

Every source has one entry in ``data/snapshot/manifest.json`` (id, table, title, provenance, the
PxWebApi v2 query that refreshes it, files with sha256). :func:`load` returns the tidy shape of
``docs/architecture.md`` from the bundled files (``source="snapshot"``, checked against their
sha256) or from SSB's API (``source="live"``, through :class:`~kunnskapsgrunnlag.ssb.SSBClient`
with the manifest's query), so a notebook does not care where the data came from.

Tidy shapes (one row per cell; ``value`` is NaN where SSB has a symbol in ``status``):

* ``population_municipal`` (``07459-kommuner-YYYY``): ``region`` (4-digit municipality code valid
  that year, plus SSB's special regions ``21-22``, ``23`` and ``Rest`` as given), ``region_name``
  (KLASS 131 name of that year), ``year``, ``sex`` (``"1"`` menn / ``"2"`` kvinner, ``None`` when
  the source has no sex breakdown), ``age`` (int 0–105, 105 = 105 or older), ``value``,
  ``status``. The 2022 JSON-stat source has no ``sex``/``age`` (all ages, both sexes).
* ``population_county`` (``07459-fylker-2023-2025``): ``region`` (``"0"`` or a 2024 county
  code), ``region_name``, ``year``, ``sex``, ``age_group`` (``"0-9"`` … ``"90-99"``, ``"100+"``),
  ``value``, ``status``.
* ``kostra_12163`` (``12163-fylker``): ``region`` (KOSTRA code as given, ``"0300"`` or
  ``"EAFKUO"``), ``region_name``, ``county`` (2 digits or ``None``), ``function``,
  ``function_name``, ``year``, ``value``, ``status``, ``unit``.
* ``projection_14288`` (``14288-framskriving``, live only until fetched): ``region`` (``"0"`` or a
  county code), ``region_name``, ``year``, ``sex``, ``age``, ``value``, ``status``.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import re
import sys
import unicodedata
import weakref
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import pandas as pd

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.regions import COUNTIES, NORWAY
from kunnskapsgrunnlag.ssb import (
    JSONStatError,
    Query,
    SSBClient,
    SSBConnectionError,
    SSBError,
    default_base_url,
    default_client,
    read_jsonstat,
)

NORWAY_NAME = "Hele landet"
"""``region_name`` of region ``"0"``."""

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

FETCHED_DIR = "fetched"
"""Folder under ``data/snapshot/`` where ``kg fetch`` writes refreshed JSON-stat files."""


class SnapshotError(Exception):
    """A problem with the snapshot or its manifest."""


class SnapshotIntegrityError(SnapshotError):
    """A snapshot file is missing or differs from the sha256 in the manifest."""


class NotInSnapshotError(SnapshotError):
    """The source has no bundled file (live only); it needs ``kg fetch``."""


# --------------------------------------------------------------------------------------------
# Manifest
# --------------------------------------------------------------------------------------------


def _snapshot_dir(snapshot_dir: str | Path | None) -> Path:
    return Path(snapshot_dir) if snapshot_dir is not None else paths.SNAPSHOT


_MANIFEST_CACHE: dict[Path, tuple[tuple[int, int], dict[str, Any]]] = {}


def _manifest_ref(snapshot_dir: str | Path | None) -> dict[str, Any]:
    """Return the cached parsed manifest itself (callers must not modify it)."""
    path = _snapshot_dir(snapshot_dir) / "manifest.json"
    try:
        st = path.stat()
    except FileNotFoundError:
        raise SnapshotError(f"no snapshot manifest at {path}") from None
    stamp = (st.st_mtime_ns, st.st_size)
    hit = _MANIFEST_CACHE.get(path)
    if hit is None or hit[0] != stamp:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise SnapshotError(f"snapshot manifest {path} is not valid JSON: {exc}") from None
        if not isinstance(data, dict) or not isinstance(data.get("sources"), dict):
            raise SnapshotError(f"snapshot manifest {path} has no 'sources' object")
        _MANIFEST_CACHE[path] = (stamp, data)
        hit = _MANIFEST_CACHE[path]
    return hit[1]


def manifest(snapshot_dir: str | Path | None = None) -> dict[str, Any]:
    """Return the parsed manifest (a copy; re-read when the file changes).

    Raises:
        SnapshotError: The manifest is missing or not valid JSON.
    """
    return copy.deepcopy(_manifest_ref(snapshot_dir))


def source_ids(snapshot_dir: str | Path | None = None) -> list[str]:
    """Return every source id in the manifest, in manifest order."""
    return list(_manifest_ref(snapshot_dir)["sources"])


def source_info(source_id: str, snapshot_dir: str | Path | None = None) -> dict[str, Any]:
    """Return the manifest entry of *source_id* (a copy) with ``id`` added.

    Raises:
        SnapshotError: Unknown source id (the message lists the known ones).
    """
    sources = _manifest_ref(snapshot_dir)["sources"]
    if source_id not in sources:
        raise SnapshotError(f"unknown snapshot source {source_id!r}; known: {', '.join(sources)}")
    return {"id": source_id, **copy.deepcopy(sources[source_id])}


def snapshot_date(snapshot_dir: str | Path | None = None) -> date | None:
    """Return the latest ``retrieved`` date of the bundled sources (``None`` if none is known)."""
    dates = []
    for entry in _manifest_ref(snapshot_dir)["sources"].values():
        raw = entry.get("retrieved")
        if raw and entry.get("status", "ok") == "ok":
            dates.append(date.fromisoformat(str(raw)[:10]))
    return max(dates) if dates else None


def needs_refresh(snapshot_dir: str | Path | None = None) -> list[str]:
    """Return the source ids that have no bundled data (``status`` other than ``ok``)."""
    entries = _manifest_ref(snapshot_dir)["sources"]
    return [sid for sid, e in entries.items() if e.get("status", "ok") != "ok"]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def verify(source_id: str | None = None, snapshot_dir: str | Path | None = None) -> list[Path]:
    """Check the sha256 of the files of one source (or of all) against the manifest.

    Returns:
        The files checked.

    Raises:
        SnapshotIntegrityError: A file is missing or was edited (the message names it).
    """
    snap = _snapshot_dir(snapshot_dir)
    ids = [source_id] if source_id else source_ids(snap)
    checked = []
    for sid in ids:
        for f in source_info(sid, snap).get("files", []):
            path = snap / f["path"]
            if not path.is_file():
                raise SnapshotIntegrityError(
                    f"snapshot file {f['path']} of source {sid!r} is missing ({path})"
                )
            actual = _sha256(path)
            if actual != f["sha256"]:
                raise SnapshotIntegrityError(
                    f"snapshot file {f['path']} of source {sid!r} was changed: sha256 {actual[:12]}… "
                    f"does not match the manifest ({f['sha256'][:12]}…). Restore the file, or refresh it "
                    f"with `kg fetch --source {sid}`."
                )
            checked.append(path)
    return checked


# --------------------------------------------------------------------------------------------
# KLASS names (municipalities valid in a year)
# --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _klass_versions(folder: str) -> tuple[tuple[str, str | None, dict[str, str]], ...]:
    versions = []
    for path in sorted(Path(folder).glob("kommuneinndeling-*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        names = {str(i["code"]): str(i["name"]) for i in data.get("classificationItems", [])}
        versions.append((str(data["validFrom"]), data.get("validTo"), names))
    return tuple(versions)


def _klass_names(year: int) -> dict[str, str] | None:
    """Return ``{code: name}`` of KLASS 131 valid on 1 January *year* (``None`` if not bundled)."""
    day = f"{year}-01-01"
    for valid_from, valid_to, names in _klass_versions(str(paths.KLASS / "131")):
        if valid_from <= day and (valid_to is None or day < valid_to):
            return names
    return None


# --------------------------------------------------------------------------------------------
# Tidy helpers
# --------------------------------------------------------------------------------------------


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", str(text)).strip().casefold()


@functools.lru_cache(maxsize=1)
def _county_lookup() -> dict[str, str]:
    out = {
        _nfc(n): NORWAY
        for n in ("The whole country", "Hele landet", "Heile landet", "Landet", "Norway", "Norge")
    }
    for code, c in COUNTIES.items():
        out[_nfc(c.name)] = code
        out[_nfc(c.official_name)] = code
    return out


def _age_int(text: str) -> int:
    m = re.match(r"\s*(\d+)", str(text))
    if not m:
        raise SnapshotError(f"cannot read an age from {text!r}")
    return int(m.group(1))


def _age_group(label: str, code: str = "") -> str:
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


def _sex_code(value: str) -> str:
    v = _nfc(value)
    if v in ("1", "males", "male", "menn", "mann", "m"):
        return "1"
    if v in ("2", "females", "female", "kvinner", "kvinne", "k", "f"):
        return "2"
    raise SnapshotError(f"unknown sex {value!r}")


def _by_unique(s: pd.Series, func: Any) -> pd.Series:
    """Apply *func* once per distinct value of *s* (fast for long columns with few values)."""
    mapping = {v: func(v) for v in pd.unique(s)}
    return s.map(mapping)


def _status_col(n: int) -> pd.Series:
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


def _finish(df: pd.DataFrame, columns: Sequence[str], sort: Sequence[str]) -> pd.DataFrame:
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


def _municipal(df: pd.DataFrame, *, with_age: bool) -> pd.DataFrame:
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
        klass = _klass_names(year)
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
    return _finish(df, cols, [c for c in ("year", "region", "sex", "age") if c in cols])


def _decode(cat: pd.Series, func: Any) -> pd.Series:
    """Apply *func* once per category of a categorical column; return the per-row results."""
    values = np.asarray([func(c) for c in cat.cat.categories], dtype=object)
    return pd.Series(values[cat.cat.codes.to_numpy()], index=cat.index)


def _read_statbank_csv(path: Path, fmt: str) -> pd.DataFrame:
    dims = {"region": "category", "sex": "category", "age": "category"}
    if fmt == "statbank-csv":
        raw = pd.read_csv(path, sep=";", skiprows=2, encoding="latin-1", dtype=dims)
    elif fmt == "statbank-csv-resaved":
        raw = pd.read_csv(path, encoding="utf-8", dtype=dims)
    else:  # pragma: no cover - guarded by the caller
        raise SnapshotError(f"unknown format {fmt}")
    value_col = next(c for c in raw.columns if re.match(r"Persons \d{4}$", c))
    year = int(value_col.split()[-1])

    def split(label: str) -> tuple[str, str]:
        m = re.match(r"^(?:K-)?(\S+)\s+(.*)$", str(label))
        if not m:
            raise SnapshotError(f"{path.name}: cannot read a region code from {label!r}")
        return m.group(1), m.group(2)

    df = pd.DataFrame(
        {
            "region": _decode(raw["region"], lambda c: split(c)[0]).astype(str),
            "label": _decode(raw["region"], lambda c: split(c)[1]),
            "year": year,
            "age": _decode(raw["age"], _age_int).astype("int64"),
            "value": raw[value_col].astype(float),
        }
    )
    if "sex" in raw.columns:
        df["sex"] = _decode(raw["sex"], _sex_code).astype(str)
    else:
        df["sex"] = pd.Series(np.full(len(df), None, dtype=object), dtype=object)
    df["status"] = _status_col(len(df))
    return _municipal(df, with_age=True)


def _read_datacommons_csv(path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path, encoding="utf-8", dtype=str)
    lookup = _county_lookup()
    labels = raw["Region"].map(_nfc)
    unknown = sorted(set(raw["Region"][~labels.isin(lookup.keys())]))
    if unknown:
        raise SnapshotError(f"{path.name}: unknown region labels {unknown}")
    region = labels.map(lookup)
    df = pd.DataFrame(
        {
            "region": region.astype(str),
            "region_name": region.map(lambda c: NORWAY_NAME if c == NORWAY else COUNTIES[c].name),
            "year": raw["Year"].astype("int64"),
            "sex": _by_unique(raw["Gender"], _sex_code),
            "age_group": _by_unique(raw["Age"], _age_group),
            "value": pd.to_numeric(raw["Value"]).astype(float),
        }
    )
    df["status"] = _status_col(len(df))
    return _finish(df, _COUNTY_COLUMNS, ["year", "region", "sex", "age_group"])


_COUNTY_COLUMNS = ["region", "region_name", "year", "sex", "age_group", "value", "status"]
_KOSTRA_COLUMNS = [
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


def _read_kostra_csv(path: Path, unit: str) -> pd.DataFrame:
    raw = pd.read_csv(path, encoding="utf-8", dtype=str, keep_default_na=False)
    county = raw["fylke_code"].where(raw["fylke_code"] != "", None)
    df = pd.DataFrame(
        {
            "region": raw["region_code"].astype(str),
            "region_name": raw["region_name"].astype(str),
            "county": pd.Series(county.to_numpy(dtype=object), dtype=object),
            "function": raw["function_code"].astype(str),
            "function_name": raw["function_name"].astype(str),
            "year": raw["year"].astype("int64"),
            "value": pd.to_numeric(raw["value"]).astype(float),
        }
    )
    df["status"] = _status_col(len(df))
    df["unit"] = unit
    df["county"] = df["county"].astype(object).where(df["county"].notna(), None)
    return _finish(df, _KOSTRA_COLUMNS, ["function", "region", "year"])


# --------------------------------------------------------------------------------------------
# JSON-stat (live answers and fetched files) -> tidy
# --------------------------------------------------------------------------------------------


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
    return js[f"{dim}_label"] if f"{dim}_label" in js.columns else js[dim]


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
    return _by_unique(codes.astype(str), lambda c: re.sub(r"^[A-Za-z]{1,2}-", "", c)).astype(str)


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
                df["sex"] = _by_unique(js["Kjonn"], _sex_code).astype(str)
            else:  # both sexes (Kjonn eliminated), as in the 2019 source
                df["sex"] = pd.Series(np.full(len(df), None, dtype=object), dtype=object)
            df["age"] = _by_unique(js["Alder"], _age_int).astype("int64")
        parts.append(df)
    return _municipal(pd.concat(parts, ignore_index=True), with_age=with_age)


def _county_regions(js: pd.DataFrame, dim: str) -> tuple[pd.Series, list[str]]:
    """Map a region dimension to ``"0"``/2024 county codes; return codes and dropped labels."""
    codes = _strip_prefix(js[dim])
    labels = _label(js, dim).astype(str)
    lookup = _county_lookup()
    by_label = labels.map(_nfc).map(lookup)
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
                (lab, code): _age_group(lab, code)
                for lab, code in zip(_label(js, "Alder"), js["Alder"], strict=True)
            }
            if "Alder" in js.columns
            else {}
        )
        df = pd.DataFrame(
            {
                "region": region,
                "year": js["Tid"].astype("int64"),
                "sex": _by_unique(js["Kjonn"], _sex_code),
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
    df["region_name"] = df["region"].map(lambda c: NORWAY_NAME if c == NORWAY else COUNTIES[c].name)
    out = _finish(df, _COUNTY_COLUMNS, ["year", "region", "sex", "age_group"])
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
    return _finish(
        pd.concat(parts, ignore_index=True), _KOSTRA_COLUMNS, ["function", "region", "year"]
    )


def _projection_from_js(frames: list[pd.DataFrame], table: str) -> pd.DataFrame:
    parts = []
    dropped: list[str] = []
    for js in frames:
        _check_single(js, ("Region", "Kjonn", "Alder", "Tid"), table)
        region, lost = _county_regions(js, "Region")
        dropped += lost
        df = pd.DataFrame(
            {
                "region": region,
                "year": js["Tid"].astype("int64"),
                "sex": _by_unique(js["Kjonn"], _sex_code),
                "age": _by_unique(js["Alder"], _age_int).astype("int64"),
                "value": js["value"],
                "status": js["status"],
            }
        )
        parts.append(df[df["region"].notna()])
    df = pd.concat(parts, ignore_index=True)
    df["region"] = df["region"].astype(str)
    df["region_name"] = df["region"].map(lambda c: NORWAY_NAME if c == NORWAY else COUNTIES[c].name)
    out = _finish(
        df,
        ["region", "region_name", "year", "sex", "age", "value", "status"],
        ["year", "region", "sex", "age"],
    )
    out.attrs["dropped_regions"] = sorted(set(dropped))
    return out


def tidy_from_jsonstat(entry: Mapping[str, Any], frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Turn decoded JSON-stat frames (one per query of *entry*) into the entry's tidy shape.

    Args:
        entry: A manifest entry (see :func:`source_info`).
        frames: Frames from :func:`~kunnskapsgrunnlag.ssb.read_jsonstat`, in query order.

    Raises:
        SnapshotError: The answer does not have the dimensions the source expects.
    """
    kind = entry.get("kind")
    table = str(entry.get("table"))
    frames = list(frames)
    if kind == "population_municipal":
        return _population_municipal_from_js(frames, table)
    if kind == "population_county":
        return _population_county_from_js(frames, table)
    if kind == "kostra_12163":
        return _kostra_from_js(frames, table, entry.get("unit", "kr per innbygger"))
    if kind == "projection_14288":
        return _projection_from_js(frames, table)
    raise SnapshotError(f"source kind {kind!r} has no JSON-stat mapping")


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------

_SNAPSHOT_MEMO: dict[tuple[Any, ...], pd.DataFrame] = {}
_LIVE_MEMO: weakref.WeakKeyDictionary[SSBClient, dict[str, pd.DataFrame]] = (
    weakref.WeakKeyDictionary()
)


def _load_files(entry: Mapping[str, Any], snap: Path) -> pd.DataFrame:
    fmt = entry.get("format")
    files = [snap / f["path"] for f in entry.get("files", [])]
    if fmt in ("statbank-csv", "statbank-csv-resaved"):
        return pd.concat([_read_statbank_csv(p, fmt) for p in files], ignore_index=True)
    if fmt == "datacommons-csv":
        return pd.concat([_read_datacommons_csv(p) for p in files], ignore_index=True)
    if fmt == "kostra-csv":
        return pd.concat(
            [_read_kostra_csv(p, entry.get("unit", "kr per innbygger")) for p in files],
            ignore_index=True,
        )
    if fmt == "jsonstat2":
        try:
            frames = [read_jsonstat(p) for p in files]
        except JSONStatError as exc:
            raise SnapshotError(f"source {entry.get('id')!r}: {exc}") from None
        return tidy_from_jsonstat(entry, frames)
    raise SnapshotError(f"source {entry.get('id')!r} has unknown format {fmt!r}")


def _attrs(df: pd.DataFrame, entry: Mapping[str, Any], data_source: str) -> pd.DataFrame:
    df.attrs.update(
        {
            "source_id": entry["id"],
            "data_source": data_source,
            "table": entry.get("table"),
            "title": entry.get("title"),
            "credit": entry.get("credit"),
            "licence": entry.get("licence"),
            "retrieved": entry.get("retrieved")
            if data_source == "snapshot"
            else date.today().isoformat(),
            "ssb_updated": entry.get("ssb_updated"),
        }
    )
    if entry.get("unit"):
        df.attrs["unit"] = entry["unit"]
    return df


def load(
    source_id: str,
    source: str = "snapshot",
    *,
    client: SSBClient | None = None,
    snapshot_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Return a source in the tidy shape (see the module docstring).

    Args:
        source_id: A manifest id, e.g. ``"07459-kommuner-2022"``.
        source: ``"snapshot"`` (bundled files, sha256-checked) or ``"live"`` (SSB's API with the
            manifest's v2 query; memoised per client, so a batch asks once per query).
        client: The client for ``"live"`` (default: the process-wide
            :func:`~kunnskapsgrunnlag.ssb.default_client`).
        snapshot_dir: Snapshot folder (default ``data/snapshot``).

    Returns:
        A new frame (callers may modify it); ``df.attrs["source_id"]`` names the entry.

    Raises:
        NotInSnapshotError: ``source="snapshot"`` for a live-only source.
        SnapshotIntegrityError: A bundled file is missing or was edited.
        kunnskapsgrunnlag.ssb.SSBError: A live request failed.
    """
    snap = _snapshot_dir(snapshot_dir)
    entry = source_info(source_id, snap)
    if source == "live":
        client = client or default_client()
        memo = _LIVE_MEMO.setdefault(client, {})
        queries = entry.get("queries") or []
        if not queries:
            raise SnapshotError(f"source {source_id!r} has no query to fetch it live")
        memo_key = f"{source_id}\n{json.dumps(queries, sort_keys=True)}"
        if memo_key not in memo:
            frames = [client.get_table(Query.from_dict(q)) for q in queries]
            memo[memo_key] = _attrs(tidy_from_jsonstat(entry, frames), entry, "live")
        return memo[memo_key].copy(deep=False)
    if source != "snapshot":
        raise ValueError(f"source must be 'snapshot' or 'live', not {source!r}")
    if entry.get("status", "ok") != "ok" or not entry.get("files"):
        raise NotInSnapshotError(
            f"source {source_id!r} (table {entry.get('table')}) is not in the snapshot: it needs a refresh "
            f"with `kg fetch --source {source_id}` or data_source='live'"
        )
    stamp = []
    for f in entry["files"]:
        p = snap / f["path"]
        try:
            st = p.stat()
        except FileNotFoundError:
            raise SnapshotIntegrityError(
                f"snapshot file {f['path']} of source {source_id!r} is missing ({p})"
            ) from None
        stamp.append((f["path"], f["sha256"], st.st_mtime_ns, st.st_size))
    key = (source_id, str(snap.resolve()), tuple(stamp))
    if key not in _SNAPSHOT_MEMO:
        verify(source_id, snap)
        _SNAPSHOT_MEMO[key] = _attrs(_load_files(entry, snap), entry, "snapshot")
    return _SNAPSHOT_MEMO[key].copy(deep=False)


def live_sources(snapshot_dir: str | Path | None = None) -> list[str]:
    """Return the source ids that have a live query."""
    return [sid for sid, e in _manifest_ref(snapshot_dir)["sources"].items() if e.get("queries")]


def prefetch(
    source_ids: Iterable[str] | None = None,
    *,
    client: SSBClient | None = None,
    snapshot_dir: str | Path | None = None,
) -> int:
    """Fetch the live queries of *source_ids* once (warming memo and disk cache) before a batch.

    A runner calls this in the parent process; worker processes then find every answer in the
    disk cache, so the batch sends each distinct query once.

    Returns:
        The number of HTTP requests sent.
    """
    client = client or default_client()
    before = client.requests_sent
    for sid in source_ids or live_sources(snapshot_dir):
        load(sid, "live", client=client, snapshot_dir=snapshot_dir)
    return client.requests_sent - before


# --------------------------------------------------------------------------------------------
# kg fetch
# --------------------------------------------------------------------------------------------


def _print(stream: TextIO, text: str) -> None:
    print(text, file=stream, flush=True)


def fetch_cli(
    sources: Sequence[str] | None = None,
    dry_run: bool = False,
    base_url: str | None = None,
    *,
    snapshot_dir: str | Path | None = None,
    client: SSBClient | None = None,
    today: date | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """``kg fetch``: refresh snapshot sources from SSB's API, atomically.

    Every query of every chosen source is fetched and decoded first; only when all succeed are
    the raw JSON-stat answers written under ``data/snapshot/fetched/`` (atomically) and the
    manifest entries switched to them (new ``files``/sha256, ``format`` ``jsonstat2``,
    ``retrieved`` today, the old entry kept in ``history``). On any failure nothing is written.

    Args:
        sources: Source ids (default: every source with a query).
        dry_run: Print the requests that would be sent and stop.
        base_url: PxWebApi v2 base URL (default ``$KG_SSB_BASE_URL`` or SSB's).
        snapshot_dir: Snapshot folder (default ``data/snapshot``).
        client: Client to use (tests); default a new :class:`SSBClient` for *base_url*.
        today: Date written as ``retrieved`` (default today).
        stdout: Stream for progress (default ``sys.stdout``).
        stderr: Stream for errors (default ``sys.stderr``).

    Returns:
        0 on success, 1 when SSB could not be used (snapshot unchanged), 2 for bad input.
    """
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    snap = _snapshot_dir(snapshot_dir)
    try:
        man = manifest(snap)
    except SnapshotError as exc:
        _print(err, f"kg fetch: {exc}")
        return 2
    entries = man["sources"]
    ids = list(sources) if sources else [sid for sid, e in entries.items() if e.get("queries")]
    unknown = [sid for sid in ids if sid not in entries]
    if unknown:
        _print(
            err, f"kg fetch: unknown source id(s) {', '.join(unknown)}; known: {', '.join(entries)}"
        )
        return 2
    no_query = [sid for sid in ids if not entries[sid].get("queries")]
    if no_query:
        _print(err, f"kg fetch: source(s) {', '.join(no_query)} have no query in the manifest")
        return 2
    client = client or SSBClient(base_url=base_url or default_base_url())

    if dry_run:
        for sid in ids:
            e = entries[sid]
            _print(out, f"{sid}  (table {e['table']}, status {e.get('status', 'ok')})")
            for q in e["queries"]:
                query = Query.from_dict(q)
                req = client.request_for(query)
                _print(out, f"  {req.method} {req.url}")
                if req.body is not None:
                    _print(out, f"    body: {json.dumps(req.body, ensure_ascii=False)}")
                _print(out, f"    size: {query.size_text()}")
        _print(out, "dry run: nothing was fetched or written")
        return 0

    fetched: dict[str, list[tuple[bytes, pd.DataFrame]]] = {}
    try:
        for sid in ids:
            e = {"id": sid, **entries[sid]}
            answers = []
            for q in e["queries"]:
                raw = client.fetch(Query.from_dict(q), refresh=True)
                answers.append((raw, read_jsonstat(raw)))
            tidy = tidy_from_jsonstat(e, [f for _, f in answers])
            fetched[sid] = answers
            _print(out, f"{sid}: {len(tidy)} rows from table {e['table']}")
    except SSBConnectionError as exc:
        _print(
            err, f"kg fetch: cannot reach SSB at {client.host} ({exc}). The snapshot is unchanged."
        )
        return 1
    except (SSBError, SnapshotError) as exc:
        _print(err, f"kg fetch: {exc} The snapshot is unchanged (host {client.host}).")
        return 1

    stamp = (today or datetime.now(UTC).date()).isoformat()
    written: list[Path] = []
    try:
        for sid, answers in fetched.items():
            old = entries[sid]
            files = []
            for i, (raw, _frame) in enumerate(answers, start=1):
                sha = hashlib.sha256(raw).hexdigest()
                part = f"-{i}" if len(answers) > 1 else ""
                rel = f"{FETCHED_DIR}/{sid}{part}-{sha[:12]}.json"
                target = snap / rel
                if not (target.is_file() and _sha256(target) == sha):
                    paths.atomic_write_bytes(target, raw)
                    written.append(target)
                files.append({"path": rel, "sha256": sha, "bytes": len(raw)})
            updated = [f.attrs.get("updated") for _, f in answers if f.attrs.get("updated")]
            history = list(old.get("history", []))
            if old.get("files"):
                history.append(
                    {
                        k: old.get(k)
                        for k in ("files", "format", "retrieved", "ssb_updated", "origin")
                        if k in old
                    }
                )
            requests = [client.request_for(Query.from_dict(q)) for q in old["queries"]]
            entries[sid] = {
                **old,
                "status": "ok",
                "format": "jsonstat2",
                "files": files,
                "retrieved": stamp,
                "retrieved_note": "kg fetch",
                "ssb_updated": max(updated) if updated else old.get("ssb_updated"),
                "origin": {
                    "how": "kg fetch (PxWebApi v2)",
                    "requests": [
                        {"method": r.method, "url": r.url, "body": r.body} for r in requests
                    ],
                },
                "history": history,
            }
        man["sources"] = entries
        paths.atomic_write_json(snap / "manifest.json", man)
    except OSError as exc:
        for p in written:
            p.unlink(missing_ok=True)
        _print(err, f"kg fetch: could not write the snapshot ({exc}). The snapshot is unchanged.")
        return 1
    # Files in fetched/ that the new manifest no longer names are superseded.
    referenced = {f["path"] for e in entries.values() for f in e.get("files", [])}
    folder = snap / FETCHED_DIR
    if folder.is_dir():
        for p in folder.glob("*.json"):
            if f"{FETCHED_DIR}/{p.name}" not in referenced:
                p.unlink(missing_ok=True)
    _print(out, f"kg fetch: {len(fetched)} source(s) refreshed; manifest updated ({stamp})")
    return 0


__all__ = [
    "FUNCTION_NAMES",
    "NotInSnapshotError",
    "SnapshotError",
    "SnapshotIntegrityError",
    "fetch_cli",
    "live_sources",
    "load",
    "manifest",
    "needs_refresh",
    "prefetch",
    "snapshot_date",
    "source_ids",
    "source_info",
    "tidy_from_jsonstat",
    "verify",
]
