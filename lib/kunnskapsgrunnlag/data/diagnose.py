"""Errors from SSB's 4xx answers that name the table, the variable and the value at fault.

SSB's problem+json bodies often say only "Non-existent value"; then (with ``diagnose``) one
metadata request finds the first variable, codelist or value code the table lacks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests

from kunnskapsgrunnlag.data.errors import (
    SSBCellLimitError,
    SSBError,
    SSBHTTPError,
    SSBNotFoundError,
    SSBQueryError,
)
from kunnskapsgrunnlag.data.query import _EXPRESSION, CELL_LIMIT, AnyQuery, Query, Request

Metadata = dict[str, tuple[set[str], set[str]]]
"""``{variable: (lower-case value codes, codelist ids)}`` of a table."""


@dataclass
class Problem:
    """The readable part of an error answer (problem+json ``title``/``detail``, or raw text)."""

    title: str = ""
    detail: str = ""
    raw: str = ""

    @property
    def text(self) -> str:
        """Title and detail joined (the raw body's start when neither is there)."""
        parts = [p for p in (self.title, self.detail) if p]
        if not parts and self.raw:
            parts = [self.raw[:200]]
        return ": ".join(dict.fromkeys(parts))


def parse_problem(resp: requests.Response) -> Problem:
    """Read SSB's error body (problem+json, or plain text)."""
    raw = resp.text or ""
    try:
        data = json.loads(raw)
    except ValueError:
        return Problem(raw=raw.strip())
    if isinstance(data, Mapping):
        title = str(data.get("title") or "")
        detail = str(data.get("detail") or "")
        errors = data.get("errors")
        if isinstance(errors, Mapping | list) and errors:
            detail = f"{detail} {json.dumps(errors, ensure_ascii=False)}".strip()
        return Problem(title=title, detail=detail, raw=raw)
    return Problem(raw=raw)


def client_error(
    req: Request,
    query: AnyQuery | None,
    resp: requests.Response,
    metadata: Callable[[AnyQuery], Metadata | None] | None = None,
) -> SSBError:
    """Return the error for an answer that is not retried (400, 403, 404, other statuses).

    Args:
        req: The request sent.
        query: The query it came from (``None`` when unknown).
        resp: SSB's answer.
        metadata: Fetches the table's metadata to name the culprit of a 400 (``None``: do not).
    """
    code = resp.status_code
    problem = parse_problem(resp)
    table = req.table
    what = f" ({code} {problem.text})" if problem.text else f" ({code})"
    described = query.describe() if query is not None else ""
    where = {"table": table, "status_code": code, "url": req.url}
    if code == 403 or "too many cells" in problem.text.lower():
        size = query.size_text() if query is not None else "unknown size"
        return SSBCellLimitError(
            f"SSB refused the query for table {table}{what}: it is over SSB's limit of "
            f"{CELL_LIMIT:,} cells per query. The query asks for {size}. "
            "Split it (fewer years or regions per query).".replace(",", " "),
            **where,
        )
    if code == 404:
        hint = " or the URL was too long" if req.method == "GET" and len(req.url) > 1500 else ""
        return SSBNotFoundError(
            f"SSB table {table} was not found{what}: check the table id{hint}. Query: {described}",
            **where,
        )
    if code == 400:
        variable, value, reason = locate_fault(query, problem, metadata)
        at = ""
        if variable and value:
            at = f": variable {variable!r} has no value {value!r}" + (
                f" ({reason})" if reason else ""
            )
        elif variable:
            at = f": variable {variable!r} " + (reason or "is at fault")
        return SSBQueryError(
            f"SSB rejected the query for table {table}{what}{at}. Query: {described}",
            variable=variable,
            value=value,
            **where,
        )
    return SSBHTTPError(f"SSB answered {code} for table {table}{what}. Query: {described}", **where)


Fault = tuple[str | None, str | None, str | None]
"""``(variable, value, reason)`` a 400 is about (each ``None`` when not known)."""


def locate_fault(
    query: AnyQuery | None,
    problem: Problem,
    metadata: Callable[[AnyQuery], Metadata | None] | None,
) -> Fault:
    """Name the variable/value a 400 is about: from the problem text, else from metadata."""
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
    meta = metadata(query) if metadata is not None else None
    if meta is None:
        return None, None, None
    return _fault_from_metadata(query, meta)


def _fault_from_metadata(query: AnyQuery, meta: Metadata) -> Fault:
    """Return the first variable, codelist or value code of *query* the table lacks."""
    lower = {k.lower(): k for k in meta}
    for var, vals, codelist in query.variables():
        real = lower.get(var.lower())
        if real is None:
            return var, None, f"does not exist in table {query.table} (it has {', '.join(meta)})"
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


def parse_metadata(data: Any) -> Metadata | None:
    """Read a table's metadata (v2 JSON-stat or v1 ``variables``) into :data:`Metadata`."""
    out: Metadata = {}
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
