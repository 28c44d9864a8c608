"""The snapshot manifest (``data/snapshot/manifest.json``): sources, provenance, sha256 checks.

Every source has one entry (id, table, title, provenance, the PxWebApi v2 query that refreshes
it, files with sha256). The parsed manifest is cached per process and re-read when the file
changes.
"""

from __future__ import annotations

import copy
import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.data.errors import SnapshotError, SnapshotIntegrityError

FETCHED_DIR = "fetched"
"""Folder under ``data/snapshot/`` where ``kg fetch`` writes refreshed JSON-stat files."""


def snapshot_folder(snapshot_dir: str | Path | None) -> Path:
    """Return *snapshot_dir* as a path, or ``data/snapshot`` when it is ``None``."""
    return Path(snapshot_dir) if snapshot_dir is not None else paths.SNAPSHOT


_MANIFEST_CACHE: dict[Path, tuple[tuple[int, int], dict[str, Any]]] = {}


def _manifest_ref(snapshot_dir: str | Path | None) -> dict[str, Any]:
    """Return the cached parsed manifest itself (callers must not modify it)."""
    path = snapshot_folder(snapshot_dir) / "manifest.json"
    try:
        st = path.stat()
    except FileNotFoundError:
        raise SnapshotError(f"no snapshot manifest at {path}") from None
    stamp = (st.st_mtime_ns, st.st_size)
    hit = _MANIFEST_CACHE.get(path)
    if hit is None or hit[0] != stamp:
        try:
            data = paths.read_json(path)
        except paths.DataFileError as exc:
            raise SnapshotError(f"snapshot manifest {exc}") from None
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


def sha256_of(path: Path) -> str:
    """Return the sha256 hex digest of a file (read in 1 MB chunks)."""
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
    snap = snapshot_folder(snapshot_dir)
    ids = [source_id] if source_id else source_ids(snap)
    checked = []
    for sid in ids:
        for f in source_info(sid, snap).get("files", []):
            path = snap / f["path"]
            if not path.is_file():
                raise SnapshotIntegrityError(
                    f"snapshot file {f['path']} of source {sid!r} is missing ({path})"
                )
            actual = sha256_of(path)
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


def live_sources(snapshot_dir: str | Path | None = None) -> list[str]:
    """Return the source ids that have a live query."""
    return [sid for sid, e in _manifest_ref(snapshot_dir)["sources"].items() if e.get("queries")]
