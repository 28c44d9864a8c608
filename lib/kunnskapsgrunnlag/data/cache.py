"""The disk cache of raw SSB answers, and the lock that keeps a batch from fetching twice.

:class:`DiskCache` writes atomically and only bodies that were validated; :func:`file_lock` is
the advisory lock that keeps the processes of a batch from fetching one query twice.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from kunnskapsgrunnlag import paths


def default_cache_dir() -> Path:
    """Return ``$KG_CACHE`` when set, else ``data/cache``."""
    env = os.environ.get("KG_CACHE")
    return Path(env) if env else paths.CACHE


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
