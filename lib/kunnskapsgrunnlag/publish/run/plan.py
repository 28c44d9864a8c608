"""Step 2 of a run: what must run and why (incremental rebuilds, per county and per chapter).

Each chapter of a county has its own *inputs* (:func:`~.inputs.chapter_inputs`: its notebook,
plus any per-chapter file) hashed by content. A **chapter's fingerprint**
(:func:`chapter_fingerprint`) covers those inputs, the county's parameter file, the data
(:func:`data_hash`: every data file, for every chapter — conservative), the package version plus
a hash of the library's source (:func:`library_hash`) and the data source. A **county's
fingerprint** covers its chapters' fingerprints in order.

A county whose fingerprint equals the one in the last run manifest, whose last run succeeded
(not ``failed``; not ``running``: interrupted, see :mod:`.journal`) and whose report exists is up
to date and does not run (``force=True`` or ``live=True`` override). A county that runs re-runs
only the chapters whose fingerprint changed: the worker reuses a stored executed notebook that
ran to the end under the same chapter fingerprint (stamped in the notebook itself, written
atomically; see :mod:`.worker`). So editing one chapter's notebook re-runs that chapter in every
county; a changed data file, parameter file or library module re-runs every chapter it may
reach. ``indicators.csv`` depends on the chapter list, the library and the data only.

:func:`library_hash` is read from this module at call time, so tests pin it by patching
``kunnskapsgrunnlag.publish.run.plan.library_hash``.
"""

from __future__ import annotations

import ast
import hashlib
import json
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.publish.run.inputs import RunConfig, chapter_inputs
from kunnskapsgrunnlag.publish.run.manifest import read_manifest

if TYPE_CHECKING:  # pragma: no cover
    from kunnskapsgrunnlag.contents import ChapterSpec
    from kunnskapsgrunnlag.params import CountyParameters

WARM_MODULES: tuple[str, ...] = (
    "numpy",
    "pandas",
    "matplotlib",
    "matplotlib.pyplot",
    "kunnskapsgrunnlag.publish",
)
"""Modules every kernel imports before its first notebook (plus those the chapters import)."""


def sha(data: bytes) -> str:
    """The sha256 of *data* (hex)."""
    return hashlib.sha256(data).hexdigest()


def library_hash() -> str:
    """Return a sha256 over the library's source files (``lib/kunnskapsgrunnlag``, without caches)."""
    root = Path(__file__).resolve().parents[2]  # lib/kunnskapsgrunnlag
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if not p.is_file() or "__pycache__" in p.parts or p.suffix in {".pyc", ".pyo"}:
            continue
        h.update(p.relative_to(root).as_posix().encode() + b"\0")
        h.update(sha(p.read_bytes()).encode() + b"\n")
    return h.hexdigest()


def data_hash() -> str:
    """Return a sha256 over the data the chapters read.

    That is the snapshot manifest, the **content** of every file it lists (hashed here, not
    taken from the manifest's ``sha256``: a changed byte in a snapshot file must make the county
    run again, where loading it then fails on the manifest check) and the KLASS and Kartverket
    files. Hashing the 11 MB snapshot takes about 15 ms, so nothing is cached.
    """
    h = hashlib.sha256()
    manifest = paths.SNAPSHOT_MANIFEST
    h.update(
        b"manifest:" + (sha(manifest.read_bytes()).encode() if manifest.is_file() else b"missing")
    )
    for rel in _snapshot_files(manifest):
        p = paths.SNAPSHOT / rel
        h.update(b"snapshot/" + rel.encode() + b"\0")
        h.update((sha(p.read_bytes()).encode() if p.is_file() else b"missing") + b"\n")
    for folder in (paths.KLASS, paths.KART):
        if not folder.is_dir():
            continue
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                h.update(p.relative_to(paths.DATA).as_posix().encode() + b"\0")
                h.update(sha(p.read_bytes()).encode() + b"\n")
    return h.hexdigest()


def _snapshot_files(manifest: Path) -> list[str]:
    """The file paths (relative to the snapshot folder) the snapshot manifest lists, sorted."""
    try:
        sources = json.loads(manifest.read_text(encoding="utf-8")).get("sources") or {}
    except (OSError, ValueError, AttributeError):
        return []  # the manifest's own hash covers it; loading the data reports the problem
    files = {
        str(f["path"])
        for entry in sources.values()
        if isinstance(entry, dict)
        for f in entry.get("files") or []
        if isinstance(f, dict) and f.get("path")
    }
    return sorted(files)


def package_version() -> str:
    """The installed version of the library."""
    from kunnskapsgrunnlag import __version__

    return __version__


def git_commit() -> str:
    """Return the project's git commit (``git rev-parse HEAD``), or ``"unknown"``."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=paths.ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    commit = out.stdout.strip()
    return commit if out.returncode == 0 and commit else "unknown"


def file_hash(path: Path) -> str:
    """The sha256 of a file's content (16 hex digits), ``missing`` when it cannot be read."""
    try:
        return sha(path.read_bytes())[:16]
    except OSError:
        return "missing"


def inputs_hash(inputs: Sequence[tuple[str, Path]]) -> str:
    """One hash over a chapter's own inputs: each item's label and content hash, in order."""
    return sha("".join(f"{label}\0{file_hash(p)}\n" for label, p in inputs).encode())[:16]


def _fingerprint_parts(
    param_file: Path,
    chapter_hashes: list[list[str]],
    common: dict[str, str],
) -> dict[str, Any]:
    return {
        "chapters": chapter_hashes,
        "parameters": sha(param_file.read_bytes()),
        **common,
    }


def chapter_fingerprint(parts: dict[str, Any], chapter_id: str) -> str:
    """The fingerprint of one chapter of a county: its own inputs and everything it shares.

    *parts* are the county's fingerprint parts (:class:`CountyPlan`); everything in them but the
    other chapters and the county's files (assessments: they change the report, not a chapter's
    execution) counts.
    """
    own = next(c for c in parts["chapters"] if c[0] == chapter_id)
    shared = {k: v for k, v in parts.items() if k not in ("chapters", "county_files")}
    return fingerprint({"chapter": list(own), **shared})


def fingerprint(parts: dict[str, Any]) -> str:
    """The fingerprint of *parts* (see :func:`why_run`)."""
    return sha(json.dumps(parts, sort_keys=True).encode())[:32]


def why_run(
    prev: dict[str, Any] | None,
    parts: dict[str, Any],
    fingerprint: str,
    report: Path,
    force: bool,
) -> str | None:
    """Return why the county must run, or ``None`` when it is up to date."""
    if force:
        return "forced"
    if not prev:
        return "first run"
    if prev.get("status") == "running":
        return "previous run interrupted"
    if prev.get("status") != "ok":
        return "previous run failed"
    if not report.is_file():
        return "report missing"
    if prev.get("fingerprint") == fingerprint:
        return None
    old = prev.get("fingerprint_parts") or {}
    changed = []
    old_ch = {c[0]: c[1] for c in old.get("chapters", [])}
    new_ch = {c[0]: c[1] for c in parts["chapters"]}
    if list(old_ch) != list(new_ch):
        changed.append("chapter list")
    changed += [f"chapter {cid}" for cid, h in new_ch.items() if cid in old_ch and old_ch[cid] != h]
    for key, label in (
        ("parameters", "parameter file"),
        ("data", "data"),
        ("library", "library"),
        ("data_source", "data source"),
        ("county_files", "assessment"),
    ):
        if old.get(key) != parts.get(key):
            changed.append(label)
    return "changed: " + ", ".join(changed or ["fingerprint"])


def notebook_imports(notebook: Path) -> list[str]:
    """Return the modules a notebook's code cells import (``import x`` / ``from x import y``).

    ``from pkg import name`` also lists ``pkg.name`` (it may be a submodule). Lines starting
    with ``%`` or ``!`` (IPython magics) are ignored; cells that do not parse are skipped.
    """
    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    mods: list[str] = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else src
        src = "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in src.splitlines())
        try:
            tree = ast.parse(src)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                mods += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                mods.append(node.module)
                mods += [f"{node.module}.{a.name}" for a in node.names if a.name != "*"]
    return list(dict.fromkeys(mods))


def warm_modules(chapters: Sequence[ChapterSpec]) -> list[str]:
    """The kernel warm-up list: :data:`WARM_MODULES` plus every module the chapters import."""
    warm = list(WARM_MODULES)
    for c in chapters:
        warm += notebook_imports(c.path)
    return list(dict.fromkeys(warm))


@dataclass
class CountyPlan:
    """One selected county: why it runs (``None``: up to date) and its fingerprint."""

    params: CountyParameters
    why: str | None
    parts: dict[str, Any]
    fingerprint: str


@dataclass
class Plan:
    """What this run executes, what it skips, and what the last run left behind."""

    counties: list[CountyPlan]
    previous: dict[str, Any]
    """The last run manifest (empty when there is none)."""
    version: str
    indicators_fingerprint: str
    indicators_stale: bool
    """``indicators.csv`` must be (re)written in this run."""

    @property
    def to_run(self) -> list[CountyPlan]:
        """The counties that run, with the reason."""
        return [c for c in self.counties if c.why is not None]

    @property
    def up_to_date(self) -> list[CountyPlan]:
        """The counties that are up to date."""
        return [c for c in self.counties if c.why is None]

    @property
    def previous_counties(self) -> dict[str, Any]:
        """The county entries of the last run manifest."""
        prev = self.previous.get("counties")
        return prev if isinstance(prev, dict) else {}


def make_plan(cfg: RunConfig) -> Plan:
    """Compare every selected county's fingerprint with the last run manifest."""
    from kunnskapsgrunnlag.params import file_for

    version = package_version()
    common = {
        "data": data_hash(),
        "library": f"{version}+{library_hash()[:16]}",
        "data_source": cfg.data_source,
    }
    previous = read_manifest(cfg.out.manifest)
    plan = Plan([], previous, version, "", False)
    for p in cfg.selected:
        chapter_hashes = [
            [c.id, inputs_hash(chapter_inputs(c, p, cfg.param_dir))] for c in cfg.county_chapters(p)
        ]
        parts = _fingerprint_parts(file_for(p.county_code, cfg.param_dir), chapter_hashes, common)
        # assessment files: they change the report, not a chapter's execution (absent: the
        # fingerprint is as before); the county re-runs and reuses every chapter
        if own := cfg.county_inputs(p):
            parts["county_files"] = [[label, sha(f.read_bytes())[:16]] for label, f in own]
        fp = fingerprint(parts)
        prev = plan.previous_counties.get(p.county_code)
        why = why_run(prev, parts, fp, cfg.out.report(p.stem), cfg.force or cfg.live)
        if cfg.live and why == "forced" and not cfg.force:
            why = "live data"
        plan.counties.append(CountyPlan(p, why, parts, fp))
    # indicators.csv depends on the library and the data only, not on the notebooks
    plan.indicators_fingerprint = fingerprint({"chapters": [c.id for c in cfg.chapters], **common})
    plan.indicators_stale = cfg.write_indicators and (
        cfg.force
        or not cfg.out.indicators.is_file()
        or (previous.get("indicators") or {}).get("fingerprint") != plan.indicators_fingerprint
    )
    return plan
