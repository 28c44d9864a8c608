"""SSB access: JSON-stat decoding, the PxWebApi client, its throttle and disk cache.

Two halves:

* :func:`read_jsonstat` turns a JSON-stat response (2.0 dataset or 1.x bundle) into a long
  :class:`pandas.DataFrame` with one column per dimension (category codes), ``value`` (float,
  NaN for null) and ``status`` (the SSB symbol or ``None``). It is a small numpy decoder: it keeps
  ``status`` (pyjstat drops it) and is several times faster. :func:`write_jsonstat` goes the other
  way through pyjstat and puts the status symbols and labels back.
* :class:`SSBClient` talks to PxWebApi v2 (GET, or POST when the URL would be too long) and v1
  (POST, for saved v1 queries). Every request has a timeout and passes a sliding-window
  :class:`Throttle`; 429/503/connection errors are retried with backoff (``Retry-After`` is
  honoured); 400/403/404 raise an :class:`SSBError` subclass that names the table, the variable and
  the value at fault. Raw responses are cached on disk (atomic writes, validated before they are
  written) and decoded tables are memoised per query, so a batch asks SSB once per table query and
  slices per county afterwards.

See ``docs/data.md`` for why the retry loop and the cache are written here rather than taken from
``urllib3.Retry`` / ``requests-cache``.
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import json
import math
import os
import re
import threading
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import numpy as np
import pandas as pd
import requests

from kunnskapsgrunnlag import paths

DEFAULT_BASE_URL = "https://data.ssb.no/api/pxwebapi/v2"
"""PxWebApi v2 base URL."""

DEFAULT_V1_BASE_URL = "https://data.ssb.no/api/v0"
"""PxWebApi v1 base URL (``/{lang}/table/{id}``)."""

CELL_LIMIT = 800_000
"""SSB's limit on cells per query (both API versions)."""

MAX_URL_LENGTH = 2000
"""GET URLs longer than this are sent as POST instead (SSB answers 404 to very long URLs)."""

SYMBOLS: tuple[str, ...] = (".", "..", ":", "-")
"""The SSB status symbols (see :mod:`kunnskapsgrunnlag.status` for their meaning)."""

USER_AGENT = "kunnskapsgrunnlag (fylkeskommunenes analysemal; python-requests)"

_EXPRESSION = re.compile(r"[*?]|^(top|bottom|from|to|range)\(.*\)$", re.IGNORECASE)


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


class SSBError(Exception):
    """Base class of every error raised by this module.

    Attributes:
        table: The SSB table id the error concerns (``None`` if unknown).
        variable: The variable (dimension) at fault, when known.
        value: The value code at fault, when known.
        status_code: The HTTP status, when the error came from an HTTP answer.
        url: The request URL, when there was a request.
    """

    def __init__(
        self,
        message: str,
        *,
        table: str | None = None,
        variable: str | None = None,
        value: str | None = None,
        status_code: int | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(message)
        self.table = table
        self.variable = variable
        self.value = value
        self.status_code = status_code
        self.url = url


class JSONStatError(SSBError, ValueError):
    """A body that is not valid JSON-stat (sizes that do not match the values, and so on)."""


class SSBResponseError(SSBError):
    """SSB answered 200 with something that is not usable JSON (corrupt or truncated)."""


class SSBQueryError(SSBError):
    """SSB rejected the query (HTTP 400): unknown variable, value, codelist or expression."""


class SSBCellLimitError(SSBQueryError):
    """The query asks for more than SSB's 800 000-cell limit (HTTP 403)."""


class SSBNotFoundError(SSBError):
    """The table does not exist, or the GET URL was too long (HTTP 404)."""


class SSBRateLimitError(SSBError):
    """SSB kept answering 429 Too Many Requests after every retry."""


class SSBUnavailableError(SSBError):
    """SSB kept answering 503 (or 502/504) after every retry."""


class SSBConnectionError(SSBError):
    """SSB could not be reached (DNS, refused connection) after every retry."""


class SSBTimeoutError(SSBConnectionError):
    """Every attempt timed out."""


class SSBHTTPError(SSBError):
    """Any other unexpected HTTP status."""


# --------------------------------------------------------------------------------------------
# JSON-stat decoding
# --------------------------------------------------------------------------------------------

JsonSource = str | bytes | os.PathLike[str] | Mapping[str, Any]


def _load_json(source: JsonSource) -> Any:
    if isinstance(source, Mapping):
        return source
    if isinstance(source, bytes | bytearray):
        text = bytes(source).decode("utf-8-sig")
    elif isinstance(source, str) and source.lstrip()[:1] in ("{", "["):
        text = source
    else:
        path = Path(source)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise JSONStatError(f"cannot read JSON-stat file {path}: {exc}") from exc
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
    n = math.prod(sizes)
    values, value_status = _values(ds.get("value"), n)
    status = _statuses(ds.get("status"), n)
    if value_status is not None:
        fill = np.equal(status, None) & np.not_equal(value_status, None)
        status[fill] = value_status[fill]

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
    from pyjstat import pyjstat

    if dims is None:
        dims = [c for c in df.columns if c not in (value, status) and not str(c).endswith("_label")]
    dims = list(dims)
    if df.duplicated(dims).any():
        raise JSONStatError("each combination of dimension values must occur once")
    uniques = [pd.unique(df[d].astype(str)) for d in dims]
    full = pd.MultiIndex.from_product(uniques, names=dims)
    keyed = df.assign(**{d: df[d].astype(str) for d in dims}).set_index(dims)
    cube = keyed.reindex(full)
    safe = {d: f"__dim{i}__" for i, d in enumerate(dims)}
    frame = cube[[value]].rename(columns={value: "value"}).reset_index().rename(columns=safe)
    if updated is None:
        raw = df.attrs.get("updated")
        try:
            updated = datetime.fromisoformat(str(raw).replace("Z", "+00:00")) if raw else None
        except ValueError:
            updated = None
        updated = updated or datetime.now(UTC).replace(microsecond=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        built = pyjstat.Dataset.read(frame, source=source, updated=updated)
        text = built.write("jsonstat")
    data = json.loads(text)
    back = {v: k for k, v in safe.items()}
    data["id"] = [back[i] for i in data["id"]]
    data["dimension"] = {back[k]: v for k, v in data["dimension"].items()}
    for d in dims:
        data["dimension"][d]["label"] = df.attrs.get("dimensions", {}).get(d, d)
        label_col = f"{d}_label"
        if label_col in df.columns:
            mapping = dict(zip(df[d].astype(str), df[label_col].astype(str), strict=False))
            cat = data["dimension"][d]["category"]
            cat["label"] = {code: mapping.get(code, code) for code in cat["index"]}
    if status in df.columns:
        st = cube[status].to_numpy(dtype=object)
        data["status"] = {str(i): s for i, s in enumerate(st) if isinstance(s, str) and s}
    data["label"] = label or df.attrs.get("label") or ""
    if role:
        data["role"] = {k: list(v) for k, v in role.items()}
    if df.attrs.get("table_id"):
        data.setdefault("extension", {})["px"] = {"tableid": df.attrs["table_id"]}
    ordered = {
        k: data[k]
        for k in ("version", "class", "label", "source", "updated", "id", "size")
        if k in data
    }
    ordered.update({k: v for k, v in data.items() if k not in ordered})
    out = json.dumps(ordered, ensure_ascii=False, separators=(",", ":"))
    if path is not None:
        paths.atomic_write_text(Path(path), out)
    return out


# --------------------------------------------------------------------------------------------
# Queries
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """The selection for one variable of a PxWebApi v2 query.

    Attributes:
        variable: Variable code, e.g. ``"Region"``.
        values: Value codes or selection expressions (``*``, ``top(3)``, ``from(2020)`` …).
        codelist: Optional codelist id (``agg_KommSummer``, ``vs_Fylker`` …).
        output_values: ``"aggregated"`` or ``"single"`` for an aggregation codelist.
    """

    variable: str
    values: tuple[str, ...]
    codelist: str | None = None
    output_values: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the selection in the v2 POST-body spelling (plus ``outputValues``)."""
        out: dict[str, Any] = {"variableCode": self.variable}
        if self.codelist:
            out["codelist"] = self.codelist
        out["valueCodes"] = list(self.values)
        if self.output_values:
            out["outputValues"] = self.output_values
        return out

    @property
    def has_expression(self) -> bool:
        """Whether any value is a selection expression rather than a plain code."""
        return any(_EXPRESSION.search(v) for v in self.values)


@dataclass(frozen=True)
class Query:
    """A PxWebApi v2 data query for one table: the unit fetched once per batch.

    Build it with :meth:`from_dict` from the manifest spelling
    ``{"table": "07459", "lang": "no", "selection": [{"variableCode": ..., "valueCodes": [...],
    "codelist": ..., "outputValues": ...}]}``.
    """

    table: str
    selections: tuple[Selection, ...]
    lang: str = "no"

    @classmethod
    def from_dict(cls, spec: Mapping[str, Any]) -> Query:
        """Build a query from its manifest/JSON spelling."""
        sels = tuple(
            Selection(
                variable=str(s["variableCode"]),
                values=tuple(str(v) for v in s.get("valueCodes", [])),
                codelist=s.get("codelist") or None,
                output_values=s.get("outputValues") or None,
            )
            for s in spec.get("selection", [])
        )
        return cls(table=str(spec["table"]), selections=sels, lang=str(spec.get("lang", "no")))

    def to_dict(self) -> dict[str, Any]:
        """Return the manifest/JSON spelling of this query."""
        return {
            "table": self.table,
            "lang": self.lang,
            "selection": [s.to_dict() for s in self.selections],
        }

    def body(self) -> dict[str, Any]:
        """Return the v2 POST body (``outputValues`` travel in the URL, see :meth:`url_params`)."""
        sel = []
        for s in self.selections:
            d: dict[str, Any] = {"variableCode": s.variable, "valueCodes": list(s.values)}
            if s.codelist:
                d["codelist"] = s.codelist
            sel.append(d)
        return {"selection": sel}

    def url_params(self, *, full: bool) -> list[tuple[str, str]]:
        """Return the query-string parameters; with *full* also the value selections (GET)."""
        params = [("lang", self.lang), ("outputFormat", "json-stat2")]
        for s in self.selections:
            if full:
                params.append((f"valueCodes[{s.variable}]", ",".join(s.values)))
                if s.codelist:
                    params.append((f"codelist[{s.variable}]", s.codelist))
            if s.output_values:
                params.append((f"outputValues[{s.variable}]", s.output_values))
        return params

    def cells(self) -> int | None:
        """Return the number of cells asked for, or ``None`` when an expression makes it unknown."""
        if any(s.has_expression for s in self.selections):
            return None
        return math.prod(len(s.values) for s in self.selections)

    def describe(self) -> str:
        """Return a short human description: ``Region=0301,4601 [vs_Kommun]; Tid=2024``."""
        parts = []
        for s in self.selections:
            vals = ",".join(s.values[:6]) + (
                f",… ({len(s.values)} values)" if len(s.values) > 6 else ""
            )
            parts.append(f"{s.variable}={vals}" + (f" [{s.codelist}]" if s.codelist else ""))
        return "; ".join(parts)

    def size_text(self) -> str:
        """Return the query size as text, e.g. ``Region 359 × Tid 1 = 359 cells``."""
        factors = []
        for s in self.selections:
            n = "?" if s.has_expression else str(len(s.values))
            factors.append(
                f"{s.variable} {n}" + (f" ({','.join(s.values)})" if s.has_expression else "")
            )
        cells = self.cells()
        total = (
            f"{cells:,} cells".replace(",", " ")
            if cells is not None
            else "an unknown number of cells"
        )
        return " × ".join(factors) + f" = {total}"

    def variables(self) -> list[tuple[str, list[str], str | None]]:
        """Return ``(variable, values, codelist)`` for each selection."""
        return [(s.variable, list(s.values), s.codelist) for s in self.selections]


@dataclass(frozen=True)
class V1Query:
    """A saved PxWebApi v1 query (POST ``/api/v0/{lang}/table/{id}``).

    Attributes:
        table: Table id.
        body_json: The v1 POST body as canonical JSON text (kept as text so the query is hashable).
        lang: ``"no"`` or ``"en"``.
    """

    table: str
    body_json: str
    lang: str = "no"

    @classmethod
    def from_body(cls, table: str, body: Mapping[str, Any], lang: str = "no") -> V1Query:
        """Build from a v1 body; the response format is forced to ``json-stat2``."""
        body = dict(body)
        body["response"] = {**dict(body.get("response") or {}), "format": "json-stat2"}
        return cls(table=str(table), body_json=_canonical(body), lang=lang)

    @classmethod
    def from_saved(cls, path: str | os.PathLike[str]) -> V1Query:
        """Read a saved query file: a bare v1 body or the ``{"queryObj": …, "postUrl": …}`` wrapper."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        body = data.get("queryObj", data)
        table = data.get("tableIdForQuery")
        lang = "no"
        url = data.get("postUrl")
        if url:
            m = re.search(r"/(no|en)/table/(\w+)", url)
            if m:
                lang, table = m.group(1), table or m.group(2)
        if not table:
            raise SSBError(f"saved query {path} does not name its table")
        return cls.from_body(str(table), body, lang)

    def body(self) -> dict[str, Any]:
        """Return the POST body."""
        return json.loads(self.body_json)

    def variables(self) -> list[tuple[str, list[str], str | None]]:
        """Return ``(variable, values, filter)`` for each selection."""
        out = []
        for q in self.body().get("query", []):
            sel = q.get("selection", {})
            out.append(
                (str(q.get("code")), [str(v) for v in sel.get("values", [])], sel.get("filter"))
            )
        return out

    def cells(self) -> int | None:
        """Return the number of cells asked for when every filter is a plain item/agg list."""
        total = 1
        for _, vals, flt in self.variables():
            if flt in ("all", "top") or not vals:
                return None
            total *= len(vals)
        return total

    def describe(self) -> str:
        """Return a short human description of the query."""
        parts = []
        for var, vals, flt in self.variables():
            shown = ",".join(vals[:6]) + (f",… ({len(vals)} values)" if len(vals) > 6 else "")
            parts.append(f"{var}={shown} [{flt}]")
        return "; ".join(parts)

    def size_text(self) -> str:
        """Return the query size as text."""
        factors = [f"{v} {len(vals) if vals else '?'}" for v, vals, _ in self.variables()]
        cells = self.cells()
        total = (
            f"{cells:,} cells".replace(",", " ")
            if cells is not None
            else "an unknown number of cells"
        )
        return " × ".join(factors) + f" = {total}"


AnyQuery = Query | V1Query


def _canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _quote(v: str) -> str:
    return quote(v, safe="*(),-._~")


def _query_string(params: Iterable[tuple[str, str]]) -> str:
    return "&".join(f"{quote(k, safe='[]')}={_quote(v)}" for k, v in params)


@dataclass(frozen=True)
class Request:
    """One HTTP request as the client will send it (also what ``kg fetch --dry-run`` shows)."""

    method: str
    url: str
    body: dict[str, Any] | None = None
    table: str = ""

    @property
    def cache_key(self) -> str:
        """Hash of method + URL + canonical body: the disk-cache key."""
        body_hash = (
            hashlib.sha256(_canonical(self.body).encode()).hexdigest()
            if self.body is not None
            else ""
        )
        return hashlib.sha256(f"{self.method}\n{self.url}\n{body_hash}".encode()).hexdigest()


# --------------------------------------------------------------------------------------------
# Throttle and disk cache
# --------------------------------------------------------------------------------------------


class Throttle:
    """Sliding-window rate limit: at most *max_requests* sends in any *window* seconds.

    SSB allows 30 requests per 60 s per IP address; the default keeps one in reserve (29) for
    clock drift. Clock and sleep are injectable so tests run on a fake clock.
    """

    def __init__(
        self,
        max_requests: int = 29,
        window: float = 60.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if max_requests < 1 or window <= 0:
            raise ValueError("max_requests must be >= 1 and window > 0")
        self.max_requests = max_requests
        self.window = window
        self.clock = clock
        self.sleep = sleep
        self._stamps: deque[float] = deque()
        self._lock = threading.Lock()
        self.history: list[float] = []
        """Clock times of every granted send (for tests and benchmarks)."""

    def acquire(self) -> float:
        """Block until a send is allowed, record it, and return the seconds waited."""
        waited = 0.0
        with self._lock:
            while True:
                now = self.clock()
                while self._stamps and now - self._stamps[0] >= self.window:
                    self._stamps.popleft()
                if len(self._stamps) < self.max_requests:
                    self._stamps.append(now)
                    self.history.append(now)
                    return waited
                wait = self._stamps[0] + self.window - now
                self.sleep(wait)
                waited += wait


class DiskCache:
    """Raw HTTP bodies on disk, one file per request key, written atomically.

    Layout: ``<dir>/ssb/<key[:2]>/<key>.json`` (the body exactly as received) and ``<key>.meta.json``
    (method, URL, body, table, time, sha256). Only bodies that parsed as JSON-stat are stored.
    """

    def __init__(self, directory: str | os.PathLike[str], *, max_age: float | None = None) -> None:
        self.directory = Path(directory) / "ssb"
        self.max_age = max_age

    def _paths(self, key: str) -> tuple[Path, Path]:
        folder = self.directory / key[:2]
        return folder / f"{key}.json", folder / f"{key}.meta.json"

    def get(self, key: str) -> bytes | None:
        """Return the cached body for *key*, or ``None`` when absent, too old or damaged."""
        body_path, _ = self._paths(key)
        try:
            stat = body_path.stat()
        except FileNotFoundError:
            return None
        if self.max_age is not None and time.time() - stat.st_mtime > self.max_age:
            return None
        data = body_path.read_bytes()
        try:
            json.loads(data)
        except ValueError:
            # Damaged by something outside this module: drop it and fetch again.
            body_path.unlink(missing_ok=True)
            return None
        return data

    def put(self, key: str, data: bytes, meta: Mapping[str, Any]) -> Path:
        """Store *data* atomically (body first, then its metadata) and return the body path."""
        body_path, meta_path = self._paths(key)
        paths.atomic_write_bytes(body_path, data)
        paths.atomic_write_json(meta_path, dict(meta))
        return body_path

    def clear(self) -> None:
        """Remove every cached response."""
        if self.directory.exists():
            for p in sorted(self.directory.rglob("*"), reverse=True):
                if p.is_file():
                    p.unlink()
                else:
                    p.rmdir()


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on *path* (POSIX); a no-op where ``fcntl`` is missing."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


# --------------------------------------------------------------------------------------------
# The client
# --------------------------------------------------------------------------------------------


def _default_cache_dir() -> Path:
    env = os.environ.get("KG_CACHE")
    return Path(env) if env else paths.CACHE


def _retry_after(value: str | None, now: float) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - now)


_DNS_MARKERS = (
    "NameResolution",
    "Name or service not known",
    "nodename nor servname",
    "getaddrinfo failed",
    "Temporary failure in name resolution",
    "No address associated with hostname",
)


def _is_dns_failure(exc: BaseException) -> bool:
    """Whether a connection error comes from a failed host-name lookup (offline: do not retry)."""
    stack: list[object] = [exc]
    seen: set[int] = set()
    while stack:
        cur = stack.pop()
        if not isinstance(cur, BaseException) or id(cur) in seen:
            continue
        seen.add(id(cur))
        text = f"{type(cur).__name__} {cur}"
        if any(marker in text for marker in _DNS_MARKERS):
            return True
        stack.extend([cur.__cause__, cur.__context__, getattr(cur, "reason", None), *cur.args])
    return False


@dataclass
class _Problem:
    title: str = ""
    detail: str = ""
    raw: str = ""

    @property
    def text(self) -> str:
        parts = [p for p in (self.title, self.detail) if p]
        if not parts and self.raw:
            parts = [self.raw[:200]]
        return ": ".join(dict.fromkeys(parts))


def _parse_problem(resp: requests.Response) -> _Problem:
    raw = resp.text or ""
    try:
        data = json.loads(raw)
    except ValueError:
        return _Problem(raw=raw.strip())
    if isinstance(data, Mapping):
        title = str(data.get("title") or "")
        detail = str(data.get("detail") or "")
        errors = data.get("errors")
        if isinstance(errors, Mapping | list) and errors:
            detail = f"{detail} {json.dumps(errors, ensure_ascii=False)}".strip()
        return _Problem(title=title, detail=detail, raw=raw)
    return _Problem(raw=raw)


@dataclass(eq=False)
class SSBClient:
    """Client for SSB's PxWebApi (v2 GET/POST, v1 POST) with throttle, retries and caches.

    One client per batch: :meth:`get_table` memoises each query's decoded table in-process and the
    raw response on disk, so every table query reaches SSB at most once per run whatever the number
    of counties.

    Attributes:
        base_url: PxWebApi v2 base, e.g. ``https://data.ssb.no/api/pxwebapi/v2``.
        v1_base_url: PxWebApi v1 base; derived from *base_url* when left ``None``.
        cache_dir: Disk cache folder (default ``$KG_CACHE`` or ``data/cache``); ``None`` = no
            disk cache.
        cache_max_age: Seconds a disk-cached response stays valid (``None`` = forever).
        timeout: ``(connect, read)`` seconds for every request.
        max_retries: Retries after the first attempt for 429/5xx/connection errors/timeouts.
        backoff: First backoff in seconds; doubled per retry, capped at *max_backoff*.
        max_backoff: Longest wait between attempts (also the cap on ``Retry-After``).
        max_url_length: Longer GET URLs go as POST.
        diagnose: On a 400, fetch the table's metadata once to name the variable/value at fault.
        throttle: The rate limit (default 29 per 60 s with *clock*/*sleep*).
        clock: Monotonic clock (injectable for tests).
        sleep: Sleep function (injectable for tests).
        session: The ``requests.Session`` to use.
        requests_sent: Number of HTTP requests actually sent (all attempts, metadata included).
    """

    base_url: str = DEFAULT_BASE_URL
    v1_base_url: str | None = None
    cache_dir: Path | str | None = field(default_factory=_default_cache_dir)
    cache_max_age: float | None = None
    timeout: float | tuple[float, float] = (10.0, 120.0)
    max_retries: int = 4
    backoff: float = 2.0
    max_backoff: float = 90.0
    max_url_length: int = MAX_URL_LENGTH
    diagnose: bool = True
    throttle: Throttle | None = None
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    session: requests.Session | None = None
    requests_sent: int = 0

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        if self.v1_base_url is None:
            if self.base_url.endswith("/pxwebapi/v2"):
                self.v1_base_url = self.base_url[: -len("/pxwebapi/v2")] + "/v0"
            else:
                self.v1_base_url = DEFAULT_V1_BASE_URL
        self.v1_base_url = self.v1_base_url.rstrip("/")
        if self.throttle is None:
            self.throttle = Throttle(clock=self.clock, sleep=self.sleep)
        if self.session is None:
            self.session = requests.Session()
            self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        self.cache = (
            DiskCache(self.cache_dir, max_age=self.cache_max_age) if self.cache_dir else None
        )
        self._memo: dict[str, pd.DataFrame] = {}
        self._lock = threading.RLock()
        self.cache_hits = 0
        """Responses served from the disk cache."""
        self.sent_log: list[Request] = []
        """Every request sent, in order (attempts included)."""

    # -- public API ----------------------------------------------------------------------------

    @property
    def host(self) -> str:
        """Host name of the v2 base URL (for messages)."""
        return urlsplit(self.base_url).hostname or self.base_url

    def request_for(self, query: AnyQuery | Mapping[str, Any]) -> Request:
        """Return the HTTP request that *query* becomes (GET, or POST when the URL is too long)."""
        query = _as_query(query)
        if isinstance(query, V1Query):
            return Request(
                "POST",
                f"{self.v1_base_url}/{query.lang}/table/{query.table}",
                query.body(),
                query.table,
            )
        base = f"{self.base_url}/tables/{quote(query.table, safe='')}/data"
        url = f"{base}?{_query_string(query.url_params(full=True))}"
        needs_post = len(url) > self.max_url_length or any(
            "," in v for s in query.selections for v in s.values
        )
        if not needs_post:
            return Request("GET", url, None, query.table)
        return Request(
            "POST",
            f"{base}?{_query_string(query.url_params(full=False))}",
            query.body(),
            query.table,
        )

    def get_table(
        self, query: AnyQuery | Mapping[str, Any], *, refresh: bool = False
    ) -> pd.DataFrame:
        """Return *query*'s table as decoded by :func:`read_jsonstat` (memoised per query).

        Args:
            query: A :class:`Query`, a :class:`V1Query` or the manifest dict spelling of a v2 query.
            refresh: Skip the in-process memo and the disk cache (the new answer replaces both).

        Returns:
            A copy of the decoded frame (callers may modify it freely: pandas copy-on-write keeps
            the memoised frame intact).
        """
        req = self.request_for(query)
        with self._lock:
            if not refresh and req.cache_key in self._memo:
                return self._memo[req.cache_key].copy(deep=False)
            raw, df = self._fetch(_as_query(query), req, refresh)
            if df is None:
                df = read_jsonstat(raw)
            df.attrs["request"] = {"method": req.method, "url": req.url}
            self._memo[req.cache_key] = df
            return df.copy(deep=False)

    def fetch(self, query: AnyQuery | Mapping[str, Any], *, refresh: bool = False) -> bytes:
        """Return the raw JSON-stat body for *query* (disk cache first unless *refresh*).

        The body is validated (JSON, then JSON-stat) before it is cached or returned.

        Raises:
            SSBError: A subclass describing what went wrong (see the module docstring).
        """
        query = _as_query(query)
        return self._fetch(query, self.request_for(query), refresh)[0]

    def _fetch(
        self, query: AnyQuery, req: Request, refresh: bool
    ) -> tuple[bytes, pd.DataFrame | None]:
        """Return the body and, when it was just fetched, its decoded frame."""
        if self.cache is None:
            return self._fetch_validated(query, req)
        # One lock file for the cache: processes of a batch never fetch the same query twice
        # at once, and their SSB traffic is serialised.
        with _file_lock(self.cache.directory / ".lock"):
            if not refresh:
                cached = self.cache.get(req.cache_key)
                if cached is not None:
                    self.cache_hits += 1
                    return cached, None
            data, df = self._fetch_validated(query, req)
            meta = {
                "method": req.method,
                "url": req.url,
                "body": req.body,
                "table": req.table,
                "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
            self.cache.put(req.cache_key, data, meta)
        return data, df

    def clear_memo(self) -> None:
        """Forget the in-process decoded tables (the disk cache stays)."""
        with self._lock:
            self._memo.clear()

    # -- internals -----------------------------------------------------------------------------

    def _fetch_validated(self, query: AnyQuery, req: Request) -> tuple[bytes, pd.DataFrame]:
        """Send *req*; return the body and its decoded frame, or raise if it is not JSON-stat."""
        resp = self._send(req, query)
        data = resp.content
        try:
            parsed = json.loads(data)
        except ValueError as exc:
            raise SSBResponseError(
                f"SSB sent a corrupt or truncated answer for table {req.table} ({len(data)} bytes, "
                f"not valid JSON: {exc}). Nothing was cached; run again.",
                table=req.table,
                status_code=resp.status_code,
                url=req.url,
            ) from None
        try:
            df = read_jsonstat(parsed)
        except JSONStatError as exc:
            raise JSONStatError(
                f"SSB's answer for table {req.table} is not usable JSON-stat: {exc}. Nothing was cached.",
                table=req.table,
                url=req.url,
            ) from None
        return data, df

    def _send(self, req: Request, query: AnyQuery | None) -> requests.Response:
        assert self.throttle is not None and self.session is not None
        attempt = 0
        while True:
            self.throttle.acquire()
            self.requests_sent += 1
            self.sent_log.append(req)
            try:
                resp = self.session.request(
                    req.method, req.url, json=req.body, timeout=self.timeout
                )
            except requests.Timeout as exc:
                if attempt >= self.max_retries:
                    raise SSBTimeoutError(
                        f"SSB ({self.host}) did not answer within the timeout of {self.timeout} s for table "
                        f"{req.table}, {attempt + 1} attempts",
                        table=req.table,
                        url=req.url,
                    ) from exc
                self.sleep(self._backoff(attempt))
                attempt += 1
                continue
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
                if attempt >= self.max_retries or _is_dns_failure(exc):
                    raise SSBConnectionError(
                        f"cannot reach SSB at {self.host} for table {req.table} ({type(exc).__name__}; "
                        f"{attempt + 1} attempt{'s' if attempt else ''})",
                        table=req.table,
                        url=req.url,
                    ) from exc
                self.sleep(self._backoff(attempt))
                attempt += 1
                continue
            code = resp.status_code
            if code == 200:
                return resp
            if code == 429:
                if attempt >= self.max_retries:
                    raise SSBRateLimitError(
                        f"SSB answered 429 Too Many Requests for table {req.table} {attempt + 1} times; "
                        "SSB allows 30 requests per 60 s per IP address (colleagues share it). Try later.",
                        table=req.table,
                        status_code=code,
                        url=req.url,
                    )
                wait = _retry_after(resp.headers.get("Retry-After"), time.time())
                wait = self._backoff(attempt) if wait is None else min(wait, self.max_backoff)
                self.sleep(wait)
                attempt += 1
                continue
            if code in (502, 503, 504):
                if attempt >= self.max_retries:
                    raise SSBUnavailableError(
                        f"SSB ({self.host}) answered {code} for table {req.table} {attempt + 1} times; "
                        "the service is unavailable. Try later.",
                        table=req.table,
                        status_code=code,
                        url=req.url,
                    )
                wait = _retry_after(resp.headers.get("Retry-After"), time.time())
                self.sleep(self._backoff(attempt) if wait is None else min(wait, self.max_backoff))
                attempt += 1
                continue
            raise self._client_error(req, query, resp)

    def _backoff(self, attempt: int) -> float:
        return float(min(self.max_backoff, self.backoff * (2**attempt)))

    def _client_error(
        self, req: Request, query: AnyQuery | None, resp: requests.Response
    ) -> SSBError:
        code = resp.status_code
        problem = _parse_problem(resp)
        table = req.table
        what = f" ({code} {problem.text})" if problem.text else f" ({code})"
        described = query.describe() if query is not None else ""
        too_many = "too many cells" in problem.text.lower()
        if code == 403 or too_many:
            size = query.size_text() if query is not None else "unknown size"
            return SSBCellLimitError(
                f"SSB refused the query for table {table}{what}: it is over SSB's limit of "
                f"{CELL_LIMIT:,} cells per query. The query asks for {size}. "
                "Split it (fewer years or regions per query).".replace(",", " "),
                table=table,
                status_code=code,
                url=req.url,
            )
        if code == 404:
            hint = " or the URL was too long" if req.method == "GET" and len(req.url) > 1500 else ""
            return SSBNotFoundError(
                f"SSB table {table} was not found{what}: check the table id{hint}. Query: {described}",
                table=table,
                status_code=code,
                url=req.url,
            )
        if code == 400:
            variable, value, reason = self._locate_fault(req, query, problem)
            where = ""
            if variable and value:
                where = f": variable {variable!r} has no value {value!r}" + (
                    f" ({reason})" if reason else ""
                )
            elif variable:
                where = f": variable {variable!r} " + (reason or "is at fault")
            return SSBQueryError(
                f"SSB rejected the query for table {table}{what}{where}. Query: {described}",
                table=table,
                variable=variable,
                value=value,
                status_code=code,
                url=req.url,
            )
        return SSBHTTPError(
            f"SSB answered {code} for table {table}{what}. Query: {described}",
            table=table,
            status_code=code,
            url=req.url,
        )

    def _locate_fault(
        self, req: Request, query: AnyQuery | None, problem: _Problem
    ) -> tuple[str | None, str | None, str | None]:
        """Name the variable/value a 400 is about: from the problem text, else from metadata.

        SSB's problem bodies often say only "Non-existent value"; then (with ``diagnose``) one
        metadata request finds the first variable, codelist or value code the table lacks.
        """
        if query is None:
            return None, None, None
        variables = query.variables()
        text = f"{problem.title} {problem.detail}"
        for var, vals, _ in variables:
            for v in vals:
                if (
                    len(v) > 1
                    and not _EXPRESSION.search(v)
                    and re.search(rf"(?<![\w-]){re.escape(v)}(?![\w-])", text)
                ):
                    return var, v, None
        for var, _, _ in variables:
            if re.search(rf"(?<![\w-]){re.escape(var)}(?![\w-])", text):
                return var, None, "is at fault"
        if not self.diagnose:
            return None, None, None
        meta = self._metadata(query)
        if meta is None:
            return None, None, None
        lower = {k.lower(): k for k in meta}
        for var, vals, codelist in variables:
            real = lower.get(var.lower())
            if real is None:
                return (
                    var,
                    None,
                    f"does not exist in table {query.table} (it has {', '.join(meta)})",
                )
            known, lists = meta[real]
            if codelist and isinstance(query, Query):
                if lists and codelist not in lists:
                    return (
                        var,
                        None,
                        f"has no codelist {codelist!r} (it has {', '.join(sorted(lists))})",
                    )
                continue
            if codelist and not str(codelist).startswith("item"):
                continue
            for v in vals:
                if not _EXPRESSION.search(v) and v.lower() not in known:
                    return var, v, None
        return None, None, None

    def _metadata(self, query: AnyQuery) -> dict[str, tuple[set[str], set[str]]] | None:
        """Return ``{variable: (lower-case value codes, codelist ids)}`` from the table's metadata."""
        if isinstance(query, Query):
            url = (
                f"{self.base_url}/tables/{quote(query.table, safe='')}/metadata"
                f"?lang={query.lang}&outputFormat=json-stat2"
            )
        else:
            url = f"{self.v1_base_url}/{query.lang}/table/{query.table}"
        assert self.throttle is not None and self.session is not None
        self.throttle.acquire()
        self.requests_sent += 1
        self.sent_log.append(Request("GET", url, None, query.table))
        try:
            resp = self.session.get(url, timeout=self.timeout)
            if resp.status_code != 200:
                return None
            data = resp.json()
        except (requests.RequestException, ValueError):
            return None
        out: dict[str, tuple[set[str], set[str]]] = {}
        if isinstance(data, Mapping) and isinstance(data.get("dimension"), Mapping):
            for var, dim in data["dimension"].items():
                if not isinstance(dim, Mapping):
                    continue
                cat = dim.get("category") or {}
                codes = cat.get("index") or cat.get("label") or {}
                ext = dim.get("extension") or {}
                lists = ext.get("codelists") or ext.get("codeLists") or []
                ids = {str(c.get("id")) for c in lists if isinstance(c, Mapping)}
                out[str(var)] = ({str(c).lower() for c in codes}, ids)
        elif isinstance(data, Mapping) and isinstance(data.get("variables"), list):
            for v in data["variables"]:
                if isinstance(v, Mapping) and "code" in v:
                    out[str(v["code"])] = ({str(c).lower() for c in v.get("values", [])}, set())
        return out or None


def _as_query(query: AnyQuery | Mapping[str, Any]) -> AnyQuery:
    if isinstance(query, Query | V1Query):
        return query
    if isinstance(query, Mapping):
        if "queryObj" in query or "query" in query:
            body = query.get("queryObj", query)
            table = query.get("tableIdForQuery") or query.get("table")
            if not table:
                raise SSBError("a v1 query needs its table id ('table' or 'tableIdForQuery')")
            return V1Query.from_body(str(table), body, str(query.get("lang", "no")))
        return Query.from_dict(query)
    raise TypeError(f"not a query: {query!r}")


_DEFAULT_CLIENT: SSBClient | None = None


def default_base_url() -> str:
    """Return ``$KG_SSB_BASE_URL`` when set (a local test server), else SSB's v2 base URL."""
    return os.environ.get("KG_SSB_BASE_URL") or DEFAULT_BASE_URL


def default_client() -> SSBClient:
    """Return the process-wide client (created on first use), so memoisation spans the batch.

    It honours ``$KG_SSB_BASE_URL`` and ``$KG_CACHE`` as they are when it is created.
    """
    global _DEFAULT_CLIENT
    if _DEFAULT_CLIENT is None:
        _DEFAULT_CLIENT = SSBClient(base_url=default_base_url())
    return _DEFAULT_CLIENT


def status_counts(df: pd.DataFrame, column: str = "status") -> dict[str, int]:
    """Return how many cells carry each status symbol (``{".": 400, ":": 85}``)."""
    counts = df[column].dropna().value_counts()
    return {str(k): int(v) for k, v in counts.items()}


def iter_symbols(values: Iterable[object]) -> list[str]:
    """Return the distinct SSB symbols among *values*, in the fixed order ``. .. : -``."""
    present = {v for v in values if isinstance(v, str)}
    return [s for s in SYMBOLS if s in present]
