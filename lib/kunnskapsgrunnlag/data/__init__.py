"""The data layer: SSB's API, JSON-stat, and the bundled snapshot in the tidy shape.

A flat public face with lazy re-exports, so ``import kunnskapsgrunnlag.data`` stays light (no
pandas, no requests) and ``from kunnskapsgrunnlag.data import load, SSBClient`` works. One module
per concern:

========================  ========================================================================
``errors``                every error type (``SSBError`` …, ``SnapshotError`` …)
``jsonstat``              ``read_jsonstat`` (decode, keeping status symbols), ``status_counts``
``jsonstat_write``        ``write_jsonstat`` (encode through pyjstat)
``query``                 ``Query``/``Selection`` (v2), ``V1Query``, the HTTP ``Request``
``ratelimit``             ``Throttle``: the sliding window, shared by every process on the machine
``cache``                 ``DiskCache``: raw answers on disk, atomic, validated first
``retry``                 ``RETRY_TABLE``: what each failed attempt leads to
``transfer``              ``read_body``: an answer's body read under the overall deadline
``diagnose``              4xx answers → errors naming the table, variable and value at fault
``client``                ``SSBClient``, ``default_client``
``manifest``              the snapshot manifest: sources, provenance, sha256 (``verify``)
``shape``, ``csvfiles``   tidy building blocks; readers of the bundled CSV files
``tidy``                  ``tidy_from_jsonstat``: JSON-stat → tidy by the manifest's ``kind``
``snapshot``              ``load(source_id, source=…)``, ``prefetch`` (+ the manifest functions)
``fetch``                 ``kg fetch``: ``plan`` / ``download`` / ``write`` (``fetch_cli``)
========================  ========================================================================

The manifest function ``manifest()`` is reached as ``snapshot.manifest`` (the name ``manifest``
here is the module).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    **dict.fromkeys(
        (
            "SSBError",
            "JSONStatError",
            "SSBResponseError",
            "SSBQueryError",
            "SSBCellLimitError",
            "SSBNotFoundError",
            "SSBRateLimitError",
            "SSBUnavailableError",
            "SSBConnectionError",
            "SSBTimeoutError",
            "SSBHTTPError",
            "SnapshotError",
            "SnapshotIntegrityError",
            "NotInSnapshotError",
        ),
        "errors",
    ),
    **dict.fromkeys(("read_jsonstat", "status_counts", "iter_symbols", "SYMBOLS"), "jsonstat"),
    "write_jsonstat": "jsonstat_write",
    **dict.fromkeys(
        ("Query", "Selection", "V1Query", "AnyQuery", "Request", "CELL_LIMIT", "MAX_URL_LENGTH"),
        "query",
    ),
    "Throttle": "ratelimit",
    "DiskCache": "cache",
    "RETRY_TABLE": "retry",
    **dict.fromkeys(
        (
            "SSBClient",
            "default_client",
            "default_base_url",
            "DEFAULT_BASE_URL",
            "DEFAULT_V1_BASE_URL",
        ),
        "client",
    ),
    **dict.fromkeys(
        (
            "source_ids",
            "source_info",
            "snapshot_date",
            "needs_refresh",
            "verify",
            "live_sources",
            "FETCHED_DIR",
        ),
        "manifest",
    ),
    **dict.fromkeys(("NORWAY_NAME", "FUNCTION_NAMES"), "shape"),
    "tidy_from_jsonstat": "tidy",
    **dict.fromkeys(("load", "prefetch", "live_data_date"), "snapshot"),
    "fetch_cli": "fetch",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
