"""``make bench``: batch speed against the naive papermill loop and the plain-Python floor.

Measures, on the bundled data, all in one go, and writes ``outputs/bench.json`` plus a table:

- ``batch_s``: ``kg run --force`` for all counties and chapters, to finished reports;
- ``naive_s``: what a user would do by hand — ``papermill`` then ``jupyter nbconvert --to html
  --no-input`` for each notebook and county, one after another;
- ``floor_s``: the same chapters' code executed in one plain Python process without kernels
  (parameters injected, the same figures drawn and saved);
- ``noop_s``: ``kg run`` again with nothing changed;
- ``peak_rss_mb``: peak memory of the batch, summed over the whole process tree;
- ``live_requests`` / ``distinct_queries``: a live batch for all counties against the local fake
  SSB server (``tests/fakessb.py``), and the number of distinct table queries it needed.

Every measurement runs the real command line in a subprocess with its own output folder, so the
figures are what a user gets. Targets (issue 7): batch ≥ 5× faster than naive, batch ≤ 1.5×
floor, noop ≤ 2 s, peak RSS ≤ 2048 MB, live requests = distinct queries.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

from kunnskapsgrunnlag import paths

TARGETS = {
    "batch_vs_naive": "naive_s / batch_s >= 5",
    "batch_vs_floor": "batch_s / floor_s <= 1.5",
    "noop_s": "noop_s <= 2",
    "peak_rss_mb": "peak_rss_mb <= 2048",
    "live": "live_requests == distinct_queries",
}


def _bin(name: str) -> str:
    exe = Path(sys.executable).parent / name
    return str(exe) if exe.exists() else name


def _env(outputs: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "KG_OUTPUTS": str(outputs),
            "MPLBACKEND": "Agg",
            "TQDM_DISABLE": "1",
            "PYTHONWARNINGS": "ignore",
        }
    )
    env.update(extra)
    return env


class _PeakRSS:
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
                procs = [self._proc, *self._proc.children(recursive=True)]
                total = 0
                for p in procs:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, total)
            except psutil.Error:
                break
            self._stop.wait(self._interval)

    def __enter__(self) -> _PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)


def _timed(
    cmd: list[str], env: dict[str, str], measure_rss: bool = False
) -> tuple[float, int, int]:
    """Run *cmd*; return (seconds, exit code, peak RSS bytes of its process tree)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    peak = 0
    if measure_rss:
        with _PeakRSS(proc.pid) as sampler:
            _, err = proc.communicate()
        peak = sampler.peak
    else:
        _, err = proc.communicate()
    dt = time.perf_counter() - t0
    if proc.returncode not in (0,):
        tail = "\n".join((err or "").strip().splitlines()[-15:])
        print(f"  ! {' '.join(cmd[:3])} … exited {proc.returncode}\n{tail}", file=sys.stderr)
    return dt, proc.returncode, peak


def _selected(quick: bool) -> list[Any]:
    from kunnskapsgrunnlag.params import load_all

    good, errors = load_all()
    if errors:
        raise SystemExit("kg bench: invalid parameter files; run kg validate")
    return good[:2] if quick else good


def measure_batch(work: Path, counties: list[str]) -> dict[str, Any]:
    """Time ``kg run --force`` (with peak memory) and then a no-op ``kg run``."""
    out = work / "batch"
    args = [_bin("kg"), "run", "--force"]
    for c in counties:
        args += ["--county", c]
    batch_s, rc, peak = _timed(args, _env(out), measure_rss=True)
    noop_s, rc2, _ = _timed([a for a in args if a != "--force"], _env(out))
    reports = sorted(p.name for p in (out / "reports").glob("*.html"))
    return {
        "batch_s": round(batch_s, 2),
        "batch_exit": rc,
        "noop_s": round(noop_s, 2),
        "noop_exit": rc2,
        "peak_rss_mb": round(peak / 2**20, 1),
        "reports": len([r for r in reports if r != "index.html"]),
    }


def measure_naive(work: Path, params: list[Any]) -> dict[str, Any]:
    """Time the by-hand loop: ``papermill`` then ``jupyter nbconvert`` per notebook and county."""
    from kunnskapsgrunnlag.contents import chapters
    from kunnskapsgrunnlag.params import file_for

    out = work / "naive"
    out.mkdir(parents=True, exist_ok=True)
    env = _env(out)
    t0 = time.perf_counter()
    failures = 0
    for p in params:
        for ch in chapters():
            executed = out / f"{p.stem}-{ch.path.stem}.ipynb"
            _, rc, _ = _timed(
                [
                    _bin("papermill"),
                    str(ch.path),
                    str(executed),
                    "-f",
                    str(file_for(p.county_code)),
                    "--no-progress-bar",
                ],
                env,
            )
            failures += rc != 0
            _, rc, _ = _timed(
                [
                    _bin("jupyter"),
                    "nbconvert",
                    "--to",
                    "html",
                    "--no-input",
                    str(executed),
                    "--output-dir",
                    str(out),
                ],
                env,
            )
            failures += rc != 0
    return {"naive_s": round(time.perf_counter() - t0, 2), "naive_failures": failures}


FLOOR_SCRIPT = r"""
import sys
sys.modules["rfc3987_syntax"] = None  # same import shortcut as the runner (jsonschema extra)
import nbformat
from IPython.core.inputtransformer2 import TransformerManager
from kunnskapsgrunnlag.contents import chapters
from kunnskapsgrunnlag.params import load_all
from kunnskapsgrunnlag.paths import atomic_write_text

codes = sys.argv[2:]
out = sys.argv[1]
good, _ = load_all()
transform = TransformerManager().transform_cell
cells = {}
for ch in chapters():
    nb = nbformat.read(ch.path, as_version=4)
    cells[ch.id] = [transform(c.source) for c in nb.cells
                    if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]
for p in good:
    if p.county_code not in codes:
        continue
    fragments = []
    for ch in chapters():
        ns = {"__name__": "__main__", **p.notebook_parameters(), "data_source": "snapshot"}
        for src in cells[ch.id]:
            exec(compile(src, f"<{ch.id}>", "exec"), ns)
        chapter = next((v for v in ns.values() if type(v).__name__ == "Chapter"), None)
        if chapter is not None:
            fragments.append(chapter.html())
    atomic_write_text(__import__("pathlib").Path(out) / f"{p.stem}.html", "\n".join(fragments))
"""


def measure_floor(work: Path, counties: list[str]) -> dict[str, Any]:
    """Time the chapters' code run as plain Python in one process (no kernels)."""
    out = work / "floor"
    out.mkdir(parents=True, exist_ok=True)
    script = work / "floor.py"
    script.write_text(FLOOR_SCRIPT, encoding="utf-8")
    floor_s, rc, _ = _timed([sys.executable, str(script), str(out), *counties], _env(out))
    return {"floor_s": round(floor_s, 2), "floor_exit": rc}


def measure_live(work: Path, counties: list[str]) -> dict[str, Any]:
    """Run a live batch against the local fake SSB server; count requests and distinct queries."""
    sys.path.insert(0, str(paths.ROOT / "tests"))
    try:
        import fakessb  # type: ignore[import-not-found]
    except ImportError:
        return {
            "live_requests": None,
            "distinct_queries": None,
            "live_note": "tests/fakessb.py missing",
        }
    out = work / "live"
    cache = work / "live-cache"
    with fakessb.FakeSSB() as server:
        args = [_bin("kg"), "run", "--force", "--live"]
        for c in counties:
            args += ["--county", c]
        live_s, rc, _ = _timed(
            args, _env(out, KG_CACHE=str(cache), KG_SSB_BASE_URL=server.base_url)
        )
        requests_seen = server.request_count
        distinct = server.distinct_queries
    return {
        "live_s": round(live_s, 2),
        "live_exit": rc,
        "live_requests": requests_seen,
        "distinct_queries": distinct,
    }


def machine() -> dict[str, Any]:
    """Describe the machine and the versions that matter for the figures."""
    pkgs = [
        "pandas",
        "numpy",
        "matplotlib",
        "geopandas",
        "papermill",
        "nbclient",
        "nbconvert",
        "ipykernel",
        "jupyter_client",
    ]
    import kunnskapsgrunnlag

    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "kunnskapsgrunnlag": kunnskapsgrunnlag.__version__,
        "versions": {p: version(p) for p in pkgs},
    }


def verdict(r: dict[str, Any]) -> dict[str, bool | None]:
    """Check each target; ``None`` where a figure is missing."""

    def ok(cond: Any) -> bool | None:
        try:
            return bool(cond())
        except (TypeError, ZeroDivisionError, KeyError):
            return None

    return {
        "batch_vs_naive": ok(lambda: r["naive_s"] / r["batch_s"] >= 5),
        "batch_vs_floor": ok(lambda: r["batch_s"] / r["floor_s"] <= 1.5),
        "noop_s": ok(lambda: r["noop_s"] <= 2),
        "peak_rss_mb": ok(lambda: r["peak_rss_mb"] <= 2048),
        "live": ok(
            lambda: r["live_requests"] is not None and r["live_requests"] == r["distinct_queries"]
        ),
    }


def table(r: dict[str, Any]) -> str:
    """A readable table of the results."""
    rows = [
        ("batch_s", "kg run --force, all counties", "s"),
        ("naive_s", "papermill + nbconvert loop", "s"),
        ("floor_s", "plain Python, one process", "s"),
        ("noop_s", "kg run, nothing changed", "s"),
        ("peak_rss_mb", "peak memory of the batch", "MB"),
        ("live_requests", "live batch: requests to SSB", ""),
        ("distinct_queries", "live batch: distinct queries", ""),
    ]
    lines = [f"{'figure':<18}{'what':<34}{'value':>10}"]
    for key, what, unit in rows:
        v = r.get(key)
        lines.append(f"{key:<18}{what:<34}{'' if v is None else v:>10} {unit}")
    try:
        lines.append(
            f"naive / batch = {r['naive_s'] / r['batch_s']:.1f}×   batch / floor = {r['batch_s'] / r['floor_s']:.2f}×"
        )
    except (TypeError, KeyError, ZeroDivisionError):
        pass
    v = r.get("verdict", {})
    lines.append(
        "targets: "
        + ", ".join(
            f"{k} {'OK' if ok else 'MISSED' if ok is False else 'n/a'}" for k, ok in v.items()
        )
    )
    return "\n".join(lines)


def run_bench(quick: bool = False, skip_naive: bool = False) -> dict[str, Any]:
    """Run every measurement and return the results (also written to ``outputs/bench.json``)."""
    params = _selected(quick)
    codes = [p.county_code for p in params]
    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    result: dict[str, Any] = {
        "counties": len(codes),
        "machine": machine(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    try:
        print(f"kg bench: {len(codes)} counties, work folder {work}", flush=True)
        print("  1/4 batch (kg run --force) and no-op rerun …", flush=True)
        result.update(measure_batch(work, codes))
        print("  2/4 floor (plain Python) …", flush=True)
        result.update(measure_floor(work, codes))
        print("  3/4 live batch against the fake SSB server …", flush=True)
        result.update(measure_live(work, codes))
        if not skip_naive:
            print("  4/4 naive loop (papermill + nbconvert per notebook; slow) …", flush=True)
            result.update(measure_naive(work, params))
        result["targets"] = TARGETS
        result["verdict"] = verdict(result)
        paths.atomic_write_json(paths.BENCH_JSON, result)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


def bench_cli(quick: bool = False) -> int:
    """``kg bench``: run the benchmark, print the table, write outputs/bench.json."""
    result = run_bench(quick=quick)
    print(table(result))
    print(f"written: {paths.BENCH_JSON}")
    return 0
