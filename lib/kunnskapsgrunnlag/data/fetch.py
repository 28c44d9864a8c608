"""``kg fetch``: refresh snapshot sources from SSB's API, atomically.

Three steps: :func:`plan` (which sources; ``--dry-run`` prints the requests), :func:`download`
(every query of every chosen source, decoded and checked, nothing written yet) and :func:`write`
(the raw answers under ``data/snapshot/fetched/`` and the manifest entries switched to them).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.data.client import SSBClient, default_base_url
from kunnskapsgrunnlag.data.errors import SnapshotError, SSBConnectionError, SSBError
from kunnskapsgrunnlag.data.jsonstat import read_jsonstat
from kunnskapsgrunnlag.data.manifest import FETCHED_DIR, manifest, sha256_of, snapshot_folder
from kunnskapsgrunnlag.data.query import Query
from kunnskapsgrunnlag.data.tidy import tidy_from_jsonstat

Answers = list[tuple[bytes, pd.DataFrame]]
"""The raw body and decoded frame of each query of one source, in query order."""


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
    snap = snapshot_folder(snapshot_dir)
    try:
        man = manifest(snap)
        ids = plan(man["sources"], sources)
    except SnapshotError as exc:
        _print(err, f"kg fetch: {exc}")
        return 2
    client = client or SSBClient(base_url=base_url or default_base_url())
    if dry_run:
        show_plan(man["sources"], ids, client, out)
        return 0
    fetched = _download_or_report(man["sources"], ids, client, out, err)
    if fetched is None:
        return 1
    stamp = (today or datetime.now(UTC).date()).isoformat()
    try:
        write(snap, man, fetched, client, stamp)
    except OSError as exc:
        _print(err, f"kg fetch: could not write the snapshot ({exc}). The snapshot is unchanged.")
        return 1
    _print(out, f"kg fetch: {len(fetched)} source(s) refreshed; manifest updated ({stamp})")
    return 0


def _download_or_report(
    entries: Mapping[str, Any], ids: Sequence[str], client: SSBClient, out: TextIO, err: TextIO
) -> dict[str, Answers] | None:
    """Return :func:`download`'s answers, or print one line on *err* and return ``None``."""
    try:
        return download(entries, ids, client, out)
    except SSBConnectionError as exc:
        _print(
            err, f"kg fetch: cannot reach SSB at {client.host} ({exc}). The snapshot is unchanged."
        )
    except (SSBError, SnapshotError) as exc:
        _print(err, f"kg fetch: {exc} The snapshot is unchanged (host {client.host}).")
    return None


def plan(entries: Mapping[str, Any], sources: Sequence[str] | None) -> list[str]:
    """Return the source ids to refresh (default: every source with a query).

    Raises:
        SnapshotError: An unknown id, or a source without a query (the message names them).
    """
    ids = list(sources) if sources else [sid for sid, e in entries.items() if e.get("queries")]
    unknown = [sid for sid in ids if sid not in entries]
    if unknown:
        raise SnapshotError(
            f"unknown source id(s) {', '.join(unknown)}; known: {', '.join(entries)}"
        )
    no_query = [sid for sid in ids if not entries[sid].get("queries")]
    if no_query:
        how = [f"{sid}: {entries[sid]['refresh']}" for sid in no_query if entries[sid].get("refresh")]
        raise SnapshotError(
            f"source(s) {', '.join(no_query)} have no query in the manifest"
            + (f" ({'; '.join(how)})" if how else "")
        )
    return ids


def _tables(entry: Mapping[str, Any]) -> str:
    """«table 12163», or «tables 09280, 11842» for a source made of several tables."""
    if entry.get("table"):
        return f"table {entry['table']}"
    return f"tables {', '.join(entry.get('tables') or [])}"


def show_plan(
    entries: Mapping[str, Any], ids: Sequence[str], client: SSBClient, out: TextIO
) -> None:
    """Print every request that :func:`download` would send (``kg fetch --dry-run``)."""
    for sid in ids:
        e = entries[sid]
        _print(out, f"{sid}  ({_tables(e)}, status {e.get('status', 'ok')})")
        for q in e["queries"]:
            query = Query.from_dict(q)
            req = client.request_for(query)
            _print(out, f"  {req.method} {req.url}")
            if req.body is not None:
                _print(out, f"    body: {json.dumps(req.body, ensure_ascii=False)}")
            _print(out, f"    size: {query.size_text()}")
    _print(out, "dry run: nothing was fetched or written")


def download(
    entries: Mapping[str, Any], ids: Sequence[str], client: SSBClient, out: TextIO
) -> dict[str, Answers]:
    """Fetch (bypassing the cache) and decode every query of *ids*; check each tidies.

    Raises:
        SSBError: A request failed.
        SnapshotError: An answer does not have the shape its source expects.
    """
    fetched: dict[str, Answers] = {}
    for sid in ids:
        e = {"id": sid, **entries[sid]}
        answers = []
        for q in e["queries"]:
            raw = client.fetch(Query.from_dict(q), refresh=True)
            answers.append((raw, read_jsonstat(raw)))
        tidy = tidy_from_jsonstat(e, [f for _, f in answers])
        fetched[sid] = answers
        _print(out, f"{sid}: {len(tidy)} rows from {_tables(e)}")
    return fetched


def write(
    snap: Path, man: dict[str, Any], fetched: Mapping[str, Answers], client: SSBClient, stamp: str
) -> None:
    """Write the answers and then, atomically, the manifest; prune superseded fetched files.

    Raises:
        OSError: A file could not be written (the files written so far are removed again).
    """
    entries = man["sources"]
    written: list[Path] = []
    try:
        for sid, answers in fetched.items():
            files = [
                _write_answer(snap, sid, i, len(answers), raw, written)
                for i, (raw, _) in enumerate(answers, start=1)
            ]
            entries[sid] = _new_entry(entries[sid], files, answers, client, stamp)
        paths.atomic_write_json(snap / "manifest.json", man)
    except OSError:
        for p in written:
            p.unlink(missing_ok=True)
        raise
    # Files in fetched/ that the new manifest no longer names are superseded.
    referenced = {f["path"] for e in entries.values() for f in e.get("files", [])}
    folder = snap / FETCHED_DIR
    if folder.is_dir():
        for p in folder.glob("*.json"):
            if f"{FETCHED_DIR}/{p.name}" not in referenced:
                p.unlink(missing_ok=True)


def _write_answer(
    snap: Path, sid: str, i: int, n: int, raw: bytes, written: list[Path]
) -> dict[str, Any]:
    """Write answer *i* of *n* of *sid* (unless the same file is there); return its ``files`` item."""
    sha = hashlib.sha256(raw).hexdigest()
    part = f"-{i}" if n > 1 else ""
    rel = f"{FETCHED_DIR}/{sid}{part}-{sha[:12]}.json"
    target = snap / rel
    if not (target.is_file() and sha256_of(target) == sha):
        paths.atomic_write_bytes(target, raw)
        written.append(target)
    return {"path": rel, "sha256": sha, "bytes": len(raw)}


def _new_entry(
    old: Mapping[str, Any],
    files: list[dict[str, Any]],
    answers: Answers,
    client: SSBClient,
    stamp: str,
) -> dict[str, Any]:
    """Return the manifest entry switched to the fetched *files* (the old one kept in history)."""
    updated = [f.attrs.get("updated") for _, f in answers if f.attrs.get("updated")]
    history = list(old.get("history", []))
    if old.get("files"):
        keep = ("files", "format", "retrieved", "ssb_updated", "origin")
        history.append({k: old.get(k) for k in keep if k in old})
    requests = [client.request_for(Query.from_dict(q)) for q in old["queries"]]
    return {
        **old,
        "status": "ok",
        "format": "jsonstat2",
        "files": files,
        "retrieved": stamp,
        "retrieved_note": "kg fetch",
        "ssb_updated": max(updated) if updated else old.get("ssb_updated"),
        "origin": {
            "how": "kg fetch (PxWebApi v2)",
            "requests": [{"method": r.method, "url": r.url, "body": r.body} for r in requests],
        },
        "history": history,
    }
