"""JSON-stat encoding: :func:`write_jsonstat` (long frame -> JSON-stat 2.0, for data downloads)."""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.data.errors import JSONStatError


def write_jsonstat(
    df: pd.DataFrame,
    path: str | os.PathLike[str] | None = None,
    *,
    dims: Sequence[str] | None = None,
    value: str = "value",
    status: str = "status",
    label: str | None = None,
    source: str = "Statistisk sentralbyrå (SSB)",
    updated: datetime | None = None,
    role: Mapping[str, list[str]] | None = None,
) -> str:
    """Encode a long data frame as a JSON-stat 2.0 dataset (for data downloads).

    pyjstat builds the dataset; this function fills the cube (missing combinations become null),
    guards pyjstat's column-dropping quirk, silences its ``DeprecationWarning`` and adds back what
    pyjstat drops: ``status`` symbols, category labels (from ``<dim>_label`` columns), ``label``,
    ``role`` and the table id.

    Args:
        df: One row per cell; the dimension columns, *value* and optionally *status*.
        path: When given, also write the JSON there atomically.
        dims: Dimension columns in order (default: every column except value, status and
            ``*_label`` columns).
        value: Name of the value column.
        status: Name of the status column (ignored when absent).
        label: Dataset label (default ``df.attrs["label"]``).
        source: Dataset source line.
        updated: Timestamp for ``updated`` (default ``df.attrs["updated"]`` or now).
        role: JSON-stat role object (``{"time": [...], "geo": [...], "metric": [...]}``).

    Returns:
        The JSON text.

    Raises:
        JSONStatError: A combination of dimension values occurs more than once.
    """
    if dims is None:
        dims = [c for c in df.columns if c not in (value, status) and not str(c).endswith("_label")]
    dims = list(dims)
    if df.duplicated(dims).any():
        raise JSONStatError("each combination of dimension values must occur once")
    uniques = [pd.unique(df[d].astype(str)) for d in dims]
    full = pd.MultiIndex.from_product(uniques, names=dims)
    keyed = df.assign(**{d: df[d].astype(str) for d in dims}).set_index(dims)
    cube = keyed.reindex(full)
    data = _pyjstat_dataset(cube, dims, value, source, _updated(df, updated))
    _restore_labels(data, df, dims)
    if status in df.columns:
        st = cube[status].to_numpy(dtype=object)
        data["status"] = {str(i): s for i, s in enumerate(st) if isinstance(s, str) and s}
    data["label"] = label or df.attrs.get("label") or ""
    if role:
        data["role"] = {k: list(v) for k, v in role.items()}
    if df.attrs.get("table_id"):
        data.setdefault("extension", {})["px"] = {"tableid": df.attrs["table_id"]}
    out = _dump(data)
    if path is not None:
        paths.atomic_write_text(Path(path), out)
    return out


def _dump(data: dict[str, Any]) -> str:
    """Return compact JSON with the JSON-stat header keys first."""
    ordered = {
        k: data[k]
        for k in ("version", "class", "label", "source", "updated", "id", "size")
        if k in data
    }
    ordered.update({k: v for k, v in data.items() if k not in ordered})
    return json.dumps(ordered, ensure_ascii=False, separators=(",", ":"))


def _updated(df: pd.DataFrame, updated: datetime | None) -> datetime:
    """Return *updated*, else ``df.attrs["updated"]`` when it parses, else now (UTC, seconds)."""
    if updated is not None:
        return updated
    raw = df.attrs.get("updated")
    try:
        parsed = datetime.fromisoformat(str(raw).replace("Z", "+00:00")) if raw else None
    except ValueError:
        parsed = None
    return parsed or datetime.now(UTC).replace(microsecond=0)


def _pyjstat_dataset(
    cube: pd.DataFrame, dims: list[str], value: str, source: str, updated: datetime
) -> dict[str, Any]:
    """Build the dataset with pyjstat, its quirks guarded, and return it as a dict.

    pyjstat drops columns whose names are substrings of "value", so the dimensions travel under
    neutral names and are renamed back; its warnings are silenced.
    """
    from pyjstat import pyjstat

    safe = {d: f"__dim{i}__" for i, d in enumerate(dims)}
    frame = cube[[value]].rename(columns={value: "value"}).reset_index().rename(columns=safe)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        built = pyjstat.Dataset.read(frame, source=source, updated=updated)
        text = built.write("jsonstat")
    data = json.loads(text)
    back = {v: k for k, v in safe.items()}
    data["id"] = [back[i] for i in data["id"]]
    data["dimension"] = {back[k]: v for k, v in data["dimension"].items()}
    return data


def _restore_labels(data: dict[str, Any], df: pd.DataFrame, dims: list[str]) -> None:
    """Put back the dimension labels and, from ``<dim>_label`` columns, the category labels."""
    for d in dims:
        data["dimension"][d]["label"] = df.attrs.get("dimensions", {}).get(d, d)
        label_col = f"{d}_label"
        if label_col in df.columns:
            mapping = dict(zip(df[d].astype(str), df[label_col].astype(str), strict=False))
            cat = data["dimension"][d]["category"]
            cat["label"] = {code: mapping.get(code, code) for code in cat["index"]}
