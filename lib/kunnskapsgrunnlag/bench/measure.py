"""One measurement each: the real command lines in subprocesses, timed from outside.

Every command runs in a copy of the project (:func:`project_copy`: the notebooks copied, data
and parameters linked, ``$KG_ROOT`` pointing at it), so a chapter notebook can be edited for the
one-chapter-changed figure without touching the working tree, and with its own outputs folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from kunnskapsgrunnlag import paths


def bin_path(name: str) -> str:
    """The console script *name* of this Python's environment (or *name* on ``PATH``)."""
    exe = Path(sys.executable).parent / name
    return str(exe) if exe.exists() else name


def project_copy(work: Path) -> Path:
    """A project root for the bench: notebooks copied, data and parameters linked."""
    root = work / "project"
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(paths.NOTEBOOKS, root / "notebooks", dirs_exist_ok=True)
    for name in ("data", "parameters"):
        link = root / name
        if not link.exists():
            link.symlink_to(paths.ROOT / name, target_is_directory=True)
    return root


def env(root: Path, outputs: Path, **extra: str) -> dict[str, str]:
    """The environment of a measured command: the project copy, its outputs, kg run's kernels'."""
    from kunnskapsgrunnlag.publish.run.worker import KERNEL_ENV

    return {**os.environ, **KERNEL_ENV, "KG_ROOT": str(root), "KG_OUTPUTS": str(outputs), **extra}


class PeakRSS:
    """Sample the summed RSS of a process and all its children until stopped."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        import psutil

        self._proc = psutil.Process(pid)
        self.peak = 0
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                total = 0
                for p in [self._proc, *self._proc.children(recursive=True)]:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, total)
            except psutil.Error:
                break
            self._stop.wait(self._interval)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)


def children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process and their waited-for children."""
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def timed(cmd: list[str], environ: dict[str, str], rss: bool = False) -> tuple[float, int, int]:
    """Run *cmd*; return (seconds, exit code, peak RSS bytes of its process tree).

    The CPU seconds of its process tree are left in :data:`LAST_CPU` (kernels included: each
    process waits for its children).
    """
    global LAST_CPU
    cpu0 = children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    peak = 0
    if rss:
        with PeakRSS(proc.pid) as sampler:
            _, err = proc.communicate()
        peak = sampler.peak
    else:
        _, err = proc.communicate()
    dt = time.perf_counter() - t0
    LAST_CPU = children_cpu() - cpu0
    if proc.returncode != 0:
        tail = "\n".join((err or "").strip().splitlines()[-15:])
        print(f"  ! {' '.join(cmd[:3])} … exited {proc.returncode}\n{tail}", file=sys.stderr)
    return dt, proc.returncode, peak


LAST_CPU = 0.0
"""CPU seconds of the last :func:`timed` command's process tree."""


def kg_run(codes: list[str], jobs: int, *flags: str) -> list[str]:
    """The ``kg run`` command line for *codes*."""
    cmd = [bin_path("kg"), "run", "--jobs", str(jobs), *flags]
    for c in codes:
        cmd += ["--county", c]
    return cmd


def batch(root: Path, out: Path, codes: list[str], jobs: int) -> dict[str, Any]:
    """``kg run --force``: every chapter of every county, with the peak memory of its tree."""
    s, rc, peak = timed(kg_run(codes, jobs, "--force"), env(root, out), rss=True)
    return {"batch_s": s, "batch_exit": rc, "peak_rss_mb": peak / 2**20, "batch_cpu_s": LAST_CPU}


def noop(root: Path, out: Path, codes: list[str], jobs: int) -> dict[str, Any]:
    """``kg run`` with nothing changed since the last run."""
    s, rc, _ = timed(kg_run(codes, jobs), env(root, out))
    return {"noop_s": s, "noop_exit": rc}


def touch_chapter(root: Path, notebook: str, mark: str) -> None:
    """Add a comment line to the last code cell of a chapter notebook of the project copy.

    The chapter's output stays the same; its fingerprint does not.
    """
    path = root / "notebooks" / notebook
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = [c for c in nb["cells"] if c["cell_type"] == "code"][-1]
    src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
    cell["source"] = src.rstrip("\n") + f"\n# kg bench: {mark}"
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def one_chapter(
    root: Path, out: Path, codes: list[str], jobs: int, notebook: str, mark: str
) -> dict[str, Any]:
    """``kg run`` after one chapter's notebook changed (only that chapter runs again)."""
    touch_chapter(root, notebook, mark)
    s, rc, _ = timed(kg_run(codes, jobs), env(root, out))
    manifest = paths.read_json(out / "manifest.json")
    reused = [
        ch["reused"]
        for c in manifest["counties"].values()
        if c.get("stem") and c["reason"].startswith("changed")
        for ch in c["chapters"]
    ]
    return {"one_chapter_s": s, "one_chapter_exit": rc, "one_chapter_reused": sum(reused)}


def floor(root: Path, out: Path, codes: list[str], jobs: int) -> dict[str, Any]:
    """The fair floor (:mod:`.floor`) in *jobs* processes."""
    cmd = [sys.executable, "-m", "kunnskapsgrunnlag.bench.floor", str(out), str(jobs), *codes]
    s, rc, _ = timed(cmd, env(root, out))
    return {"floor_s": s, "floor_exit": rc, "floor_cpu_s": LAST_CPU}


NAIVE = (
    "papermill <notebook> <out.ipynb> -f parameters/<county>.yaml --no-progress-bar, then "
    "jupyter nbconvert --to html --no-input <out.ipynb>, per notebook and county, one at a time"
)
"""The naive loop, exactly: what an analyst would do by hand, with the same notebooks."""


def naive(root: Path, out: Path, params: list[Any]) -> dict[str, Any]:
    """The naive loop (:data:`NAIVE`) for *params*; seconds and the number of notebooks."""
    from kunnskapsgrunnlag.contents import chapters, county_chapters

    out.mkdir(parents=True, exist_ok=True)
    e = env(root, out)
    t0, failures, n = time.perf_counter(), 0, 0
    for p in params:
        for ch in county_chapters(chapters(), p):  # as kg run: a county's own chapters too
            notebook = root / "notebooks" / ch.notebook
            executed = out / f"{p.stem}-{notebook.stem}.ipynb"
            pm = [bin_path("papermill"), str(notebook), str(executed)]
            pm += ["-f", str(root / "parameters" / f"{p.stem}.yaml"), "--no-progress-bar"]
            failures += timed(pm, e)[1] != 0
            nbc = [bin_path("jupyter"), "nbconvert", "--to", "html", "--no-input"]
            failures += timed([*nbc, str(executed), "--output-dir", str(out)], e)[1] != 0
            n += 1
    return {"naive_s": time.perf_counter() - t0, "naive_notebooks": n, "naive_failures": failures}


def live(root: Path, work: Path, codes: list[str], jobs: int) -> dict[str, Any]:
    """A live batch against the local fake SSB server: requests sent and distinct queries."""
    sys.path.insert(0, str(paths.ROOT / "tests"))
    try:
        import fakessb  # type: ignore[import-not-found]
    except ImportError:
        return {"live_requests": None, "distinct_queries": None}
    with fakessb.FakeSSB() as server:
        e = env(root, work / "live", KG_CACHE=str(work / "live-cache"))
        e["KG_SSB_BASE_URL"] = server.base_url
        s, rc, _ = timed(kg_run(codes, jobs, "--force", "--live"), e)
        return {
            "live_s": s,
            "live_exit": rc,
            "live_requests": server.request_count,
            "distinct_queries": server.distinct_queries,
        }


def report_bytes(out: Path) -> dict[str, int]:
    """The size of each county report of a batch (bytes, by file stem)."""
    return {
        p.stem: p.stat().st_size
        for p in sorted((out / "reports").glob("*.html"))
        if p.name != "index.html"
    }
