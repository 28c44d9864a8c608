"""JSON-stat decoding, and status-symbol counts.

:func:`read_jsonstat` turns a JSON-stat response (2.0 dataset or 1.x bundle) into a long
:class:`pandas.DataFrame` with one column per dimension (category codes), ``value`` (float, NaN
for null) and ``status`` (the SSB symbol or ``None``). It is a small numpy decoder: it keeps
``status`` (pyjstat drops it) and is several times faster. :func:`write_jsonstat` goes the other
way (in :mod:`kunnskapsgrunnlag.data.jsonstat_write`) through pyjstat and puts the status
symbols and labels back.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.data.errors import JSONStatError

SYMBOLS: tuple[str, ...] = (".", "..", ":", "-")
"""The SSB status symbols (see :mod:`kunnskapsgrunnlag.status` for their meaning)."""

JsonSource = str | bytes | os.PathLike[str] | Mapping[str, Any]


def _load_json(source: JsonSource) -> Any:
    if isinstance(source, Mapping):
        return source
    if isinstance(source, bytes | bytearray):
        text = bytes(source).decode("utf-8-sig")
    elif isinstance(source, str) and source.lstrip()[:1] in ("{", "["):
        text = source
    else:
        try:
            return paths.read_json(source)
        except paths.DataFileError as exc:
            raise JSONStatError(f"JSON-stat file {exc}") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise JSONStatError(
            f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from exc


def _pick_dataset(obj: Any, name: str | None) -> tuple[Mapping[str, Any], str]:
    """Return the dataset dict and its version ("2.0" or "1.x")."""
    if not isinstance(obj, Mapping):
        raise JSONStatError("JSON-stat must be a JSON object")
    if obj.get("class") == "dataset" or ("value" in obj and "dimension" in obj):
        version = "2.0" if "id" in obj and "size" in obj else "1.x"
        return obj, version
    if obj.get("class") == "collection":
        raise JSONStatError("JSON-stat collections are not supported; pass one dataset")
    candidates = {k: v for k, v in obj.items() if isinstance(v, Mapping) and "dimension" in v}
    if not candidates:
        raise JSONStatError("no JSON-stat dataset found (no 'dimension' object)")
    if name is not None:
        if name not in candidates:
            raise JSONStatError(f"bundle has no dataset {name!r}; it has {sorted(candidates)}")
        return candidates[name], "1.x"
    if len(candidates) > 1:
        raise JSONStatError(
            f"bundle holds {len(candidates)} datasets {sorted(candidates)}; choose one with dataset="
        )
    return next(iter(candidates.values())), "1.x"


def _categories(
    dim_id: str, dim: Mapping[str, Any], size: int
) -> tuple[list[str], list[str], dict[str, Any]]:
    """Return (codes in position order, labels, units) for one dimension."""
    cat = dim.get("category")
    if not isinstance(cat, Mapping):
        raise JSONStatError(f"dimension {dim_id!r} has no 'category' object")
    label = cat.get("label") or {}
    index = cat.get("index")
    if index is None:
        # JSON-stat allows a missing index for a dimension with a single category.
        codes = [str(k) for k in label]
        if len(codes) != size:
            raise JSONStatError(
                f"dimension {dim_id!r} has no category index and {len(codes)} labels, but size {size}"
            )
    elif isinstance(index, list):
        codes = [str(c) for c in index]
    elif isinstance(index, Mapping):
        codes_by_pos: list[str | None] = [None] * len(index)
        for code, pos in index.items():
            if (
                not isinstance(pos, int)
                or not 0 <= pos < len(index)
                or codes_by_pos[pos] is not None
            ):
                raise JSONStatError(
                    f"dimension {dim_id!r}: category index {code!r} -> {pos!r} is not a valid position"
                )
            codes_by_pos[pos] = str(code)
        codes = [c for c in codes_by_pos if c is not None]
    else:
        raise JSONStatError(f"dimension {dim_id!r}: category index must be a list or an object")
    if len(codes) != size:
        raise JSONStatError(
            f"dimension {dim_id!r} has {len(codes)} categories, but its size is {size}"
        )
    if len(set(codes)) != len(codes):
        raise JSONStatError(f"dimension {dim_id!r} has duplicate category codes")
    labels = [str(label.get(c, c)) for c in codes]
    units = dict(cat.get("unit") or {})
    return codes, labels, units


def _values(raw: Any, n: int) -> tuple[np.ndarray, np.ndarray | None]:
    """Return (float values, statuses found in the value array or None)."""
    if raw is None:
        raise JSONStatError("dataset has no 'value'")
    if isinstance(raw, Mapping):
        out = np.full(n, np.nan)
        for key, v in raw.items():
            try:
                i = int(key)
            except (TypeError, ValueError):
                raise JSONStatError(f"sparse value key {key!r} is not an integer index") from None
            if not 0 <= i < n:
                raise JSONStatError(
                    f"sparse value index {i} is outside the {n} cells given by 'size'"
                )
            out[i] = np.nan if v is None else v
        return out, None
    if not isinstance(raw, list):
        raise JSONStatError("'value' must be an array or an object")
    if len(raw) != n:
        raise JSONStatError(f"'value' has {len(raw)} entries, but the sizes multiply to {n} cells")
    try:
        return np.asarray(raw, dtype=float), None
    except (TypeError, ValueError):
        pass
    # Some producers put symbols (strings) into 'value'; keep them as status.
    out = np.full(n, np.nan)
    stat = np.full(n, None, dtype=object)
    for i, v in enumerate(raw):
        if v is None:
            continue
        if isinstance(v, int | float):
            out[i] = v
            continue
        try:
            out[i] = float(v)
        except (TypeError, ValueError):
            stat[i] = str(v)
    return out, stat


def _statuses(raw: Any, n: int) -> np.ndarray:
    stat = np.full(n, None, dtype=object)
    if raw is None:
        return stat
    if isinstance(raw, str):
        stat[:] = raw or None
        return stat
    if isinstance(raw, list):
        if len(raw) == 1 and n != 1:
            stat[:] = raw[0] or None
            return stat
        if len(raw) != n:
            raise JSONStatError(
                f"'status' has {len(raw)} entries, but the sizes multiply to {n} cells"
            )
        for i, s in enumerate(raw):
            stat[i] = s or None
        return stat
    if isinstance(raw, Mapping):
        for key, s in raw.items():
            try:
                i = int(key)
            except (TypeError, ValueError):
                raise JSONStatError(f"status key {key!r} is not an integer index") from None
            if not 0 <= i < n:
                raise JSONStatError(f"status index {i} is outside the {n} cells given by 'size'")
            stat[i] = s or None
        return stat
    raise JSONStatError("'status' must be a string, an array or an object")


def _table_id(ds: Mapping[str, Any]) -> str | None:
    ext = ds.get("extension") or {}
    px = ext.get("px") if isinstance(ext, Mapping) else None
    if isinstance(px, Mapping) and px.get("tableid"):
        return str(px["tableid"])
    m = re.match(r"\s*(\w+)\s*:", str(ds.get("label") or ""))
    return m.group(1) if m else None


def read_jsonstat(
    source: JsonSource, *, labels: bool = True, dataset: str | None = None
) -> pd.DataFrame:
    """Decode JSON-stat into a long data frame, keeping SSB's status symbols.

    Args:
        source: A path, a JSON string (or bytes), or an already parsed dict. JSON-stat 2.0 datasets
            and 1.x bundles (``{"dataset": {...}}`` with ``id``/``size``/``role`` inside
            ``dimension``) are accepted.
        labels: Also add a ``<dimension>_label`` column per dimension with the category labels.
        dataset: Name of the dataset inside a 1.x bundle that holds several.

    Returns:
        One row per cell in JSON-stat order: one column per dimension (named by the dimension id,
        holding category codes as ``str``), optional label columns, ``value`` (float, NaN for null)
        and ``status`` (symbol string or ``None``). ``df.attrs`` holds ``table_id``, ``label``,
        ``updated``, ``source``, ``units`` (content code -> unit dict), ``dimensions`` (id ->
        label), ``role`` and ``note`` where the body has them.

    Raises:
        JSONStatError: The body is not JSON, not JSON-stat, or its sizes do not match its values.
    """
    obj = _load_json(source)
    ds, version = _pick_dataset(obj, dataset)
    dims = ds.get("dimension")
    if not isinstance(dims, Mapping):
        raise JSONStatError("dataset has no 'dimension' object")
    ids, sizes, role = _shape(ds, dims, version, labels)
    n = math.prod(sizes)
    values, value_status = _values(ds.get("value"), n)
    status = _statuses(ds.get("status"), n)
    if value_status is not None:
        fill = np.equal(status, None) & np.not_equal(value_status, None)
        status[fill] = value_status[fill]
    columns, units, dim_labels = _columns(dims, ids, sizes, labels)
    df = pd.DataFrame(columns)
    for col in list(columns):
        df[col] = df[col].astype("str")
    df["value"] = values
    df["status"] = pd.Series(status, index=df.index, dtype=object)
    note = ds.get("note")
    df.attrs.update(
        {
            "table_id": _table_id(ds),
            "label": ds.get("label"),
            "updated": ds.get("updated"),
            "source": ds.get("source"),
            "units": units,
            "dimensions": dim_labels,
            "role": dict(role) if isinstance(role, Mapping) else {},
            "note": list(note) if isinstance(note, list) else ([note] if note else []),
            "jsonstat_version": version,
        }
    )
    return df


def _shape(
    ds: Mapping[str, Any], dims: Mapping[str, Any], version: str, labels: bool
) -> tuple[list[str], list[int], Any]:
    """Return the checked dimension ids, sizes and role of a dataset (2.0 or 1.x spelling)."""
    ids = ds.get("id") if version == "2.0" else dims.get("id")
    sizes = ds.get("size") if version == "2.0" else dims.get("size")
    role = ds.get("role") if version == "2.0" else dims.get("role")
    if not isinstance(ids, list) or not isinstance(sizes, list):
        raise JSONStatError("dataset has no 'id'/'size' arrays")
    if len(ids) != len(sizes):
        raise JSONStatError(f"'id' names {len(ids)} dimensions but 'size' gives {len(sizes)}")
    if any(not isinstance(s, int) or s < 0 for s in sizes):
        raise JSONStatError(f"'size' must hold non-negative integers, got {sizes}")
    ids = [str(i) for i in ids]
    reserved = {"value", "status"} | ({f"{i}_label" for i in ids} if labels else set())
    clash = reserved & set(ids)
    if clash:
        raise JSONStatError(f"dimension ids {sorted(clash)} clash with the output columns")
    return ids, sizes, role


def _columns(
    dims: Mapping[str, Any], ids: list[str], sizes: list[int], labels: bool
) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """Return the per-cell code (and label) columns, the units and the dimension labels."""
    columns: dict[str, Any] = {}
    units: dict[str, Any] = {}
    dim_labels: dict[str, str] = {}
    for k, dim_id in enumerate(ids):
        if dim_id not in dims:
            raise JSONStatError(
                f"dimension {dim_id!r} is listed in 'id' but missing from 'dimension'"
            )
        codes, labs, unit = _categories(dim_id, dims[dim_id], sizes[k])
        units.update(unit)
        dim_labels[dim_id] = str(dims[dim_id].get("label") or dim_id)
        inner = math.prod(sizes[k + 1 :])
        outer = math.prod(sizes[:k])
        pos = np.tile(np.repeat(np.arange(sizes[k]), inner), outer)
        columns[dim_id] = np.asarray(codes, dtype=object)[pos]
        if labels:
            columns[f"{dim_id}_label"] = np.asarray(labs, dtype=object)[pos]
    return columns, units, dim_labels


def status_counts(df: pd.DataFrame, column: str = "status") -> dict[str, int]:
    """Return how many cells carry each status symbol (``{".": 400, ":": 85}``)."""
    counts = df[column].dropna().value_counts()
    return {str(k): int(v) for k, v in counts.items()}


def iter_symbols(values: Iterable[object]) -> list[str]:
    """Return the distinct SSB symbols among *values*, in the fixed order ``. .. : -``."""
    present = {v for v in values if isinstance(v, str)}
    return [s for s in SYMBOLS if s in present]
