"""The disk cache of raw SSB answers, and the lock that keeps a batch from fetching twice.

:class:`DiskCache` writes atomically and only bodies that were validated, and serves an answer
only while it is younger than its maximum age (:func:`default_max_age`: 24 hours, or
``$KG_CACHE_MAX_AGE`` seconds); :func:`file_lock` is the advisory lock that keeps the processes of
a batch from fetching one query twice.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from kunnskapsgrunnlag import paths


def default_cache_dir() -> Path:
    """Return ``$KG_CACHE`` when set, else ``data/cache``."""
    env = os.environ.get("KG_CACHE")
    return Path(env) if env else paths.CACHE


DEFAULT_MAX_AGE = 24 * 3600.0
"""Seconds a cached answer is used before it is fetched again (when ``$KG_CACHE_MAX_AGE`` is unset)."""


def default_max_age() -> float:
    """Return ``$KG_CACHE_MAX_AGE`` (seconds, ``inf`` = never expire) when set, else 24 hours.

    Raises:
        ValueError: The variable is not a number of seconds ≥ 0 (the message names it).
    """
    raw = os.environ.get("KG_CACHE_MAX_AGE", "").strip()
    if not raw:
        return DEFAULT_MAX_AGE
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise ValueError(f"KG_CACHE_MAX_AGE must be a number of seconds ≥ 0, not {raw!r}")
    return value


class DiskCache:
    """Raw HTTP bodies on disk, one file per request key, written atomically.

    Layout: ``<dir>/ssb/<key[:2]>/<key>.json`` (the body exactly as received) and ``<key>.meta.json``
    (method, URL, body, table, ``fetched_at``, sha256). Only bodies that parsed as JSON-stat are
    stored. An answer older than *max_age* seconds (by its ``fetched_at``, else the file's time,
    read on *clock*) is not served: the caller fetches it again.
    """

    def __init__(
        self,
        directory: str | os.PathLike[str],
        *,
        max_age: float | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.directory = Path(directory) / "ssb"
        self.max_age = max_age
        self.clock = clock

    def _paths(self, key: str) -> tuple[Path, Path]:
        folder = self.directory / key[:2]
        return folder / f"{key}.json", folder / f"{key}.meta.json"

    def get(self, key: str) -> bytes | None:
        """Return the cached body for *key*, or ``None`` when absent, too old or damaged."""
        entry = self.get_entry(key)
        return entry[0] if entry else None

    def get_entry(self, key: str) -> tuple[bytes, float] | None:
        """Return ``(body, POSIX time it was fetched)``, or ``None`` (absent, too old, damaged)."""
        body_path, meta_path = self._paths(key)
        try:
            stat = body_path.stat()
        except FileNotFoundError:
            return None
        fetched = _fetched_at(meta_path, stat.st_mtime)
        if self.max_age is not None and self.clock() - fetched > self.max_age:
            return None
        data = body_path.read_bytes()
        try:
            json.loads(data)
        except ValueError:
            # Damaged by something outside this module: drop it and fetch again.
            body_path.unlink(missing_ok=True)
            return None
        return data, fetched

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


def _fetched_at(meta_path: Path, fallback: float) -> float:
    """The entry's ``fetched_at`` (POSIX time) from its metadata, else *fallback*."""
    try:
        meta = json.loads(meta_path.read_bytes())
        return datetime.fromisoformat(str(meta["fetched_at"])).timestamp()
    except (OSError, ValueError, KeyError, TypeError):
        return fallback


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
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
