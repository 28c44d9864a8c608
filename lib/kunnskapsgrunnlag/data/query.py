"""PxWebApi queries and the HTTP requests they become.

v2 :class:`Query` (with :class:`Selection`), saved v1 :class:`V1Query`, and the :class:`Request`
a query becomes (its hash is the disk-cache key).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.data.errors import SSBError

CELL_LIMIT = 800_000
"""SSB's limit on cells per query (both API versions)."""

MAX_URL_LENGTH = 2000
"""GET URLs longer than this are sent as POST instead (SSB answers 404 to very long URLs)."""
_EXPRESSION = re.compile(r"[*?]|^(top|bottom|from|to|range)\(.*\)$", re.IGNORECASE)


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
        data = paths.read_json(path)
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


def as_query(query: AnyQuery | Mapping[str, Any]) -> AnyQuery:
    """Return *query* as a :class:`Query`/:class:`V1Query` (from its dict spelling if need be)."""
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
