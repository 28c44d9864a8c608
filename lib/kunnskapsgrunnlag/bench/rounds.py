"""The bench's rounds, figures and targets (see :mod:`kunnskapsgrunnlag.bench`)."""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.bench import measure

TARGETS = {
    "batch_vs_naive": "naive_s / batch_s >= 5",
    "batch_vs_floor": "batch_s / floor_s <= 1.2",
    "noop_s": "noop_s <= 1",
    "one_chapter": "one_chapter_s / batch_s <= 0.4",
    "peak_rss_mb": "peak_rss_mb <= 1536",
    "report_mb": "report_mb <= 3",
    "ten_chapter_mb": "ten_chapter_mb <= 3",
    "live": "live_exit == 0 and live_requests == distinct_queries",
}
"""The targets (issue 18), judged on medians; written into ``outputs/bench.json``."""

TIMED = (
    "batch_s",
    "batch_cpu_s",
    "noop_s",
    "one_chapter_s",
    "floor_s",
    "floor_cpu_s",
    "naive_s",
    "peak_rss_mb",
)


FAILED_IF = {
    "batch_s": "batch_exit",
    "batch_cpu_s": "batch_exit",
    "peak_rss_mb": "batch_exit",
    "noop_s": "noop_exit",
    "one_chapter_s": "one_chapter_exit",
    "floor_s": "floor_exit",
    "floor_cpu_s": "floor_exit",
    "naive_s": "naive_failures",
}
"""The exit code (or failure count) that makes a round's figure invalid when it is not 0."""


def summarise(rounds: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Min, median and max of every figure over the rounds whose command succeeded."""
    out = {}
    for key in TIMED:
        values = [
            r[key]
            for r in rounds
            if r.get(key) is not None and not r.get(FAILED_IF.get(key, ""), 0)
        ]
        if values:
            out[key] = {
                "min": round(min(values), 2),
                "median": round(statistics.median(values), 2),
                "max": round(max(values), 2),
                "runs": len(values),
            }
    return out


def verdict(r: dict[str, Any]) -> dict[str, bool | None]:
    """Check each target on the medians; ``None`` where a figure is missing."""
    med = {k: v["median"] for k, v in (r.get("figures") or {}).items()}

    def ok(cond: Any) -> bool | None:
        try:
            return bool(cond())
        except (TypeError, ZeroDivisionError, KeyError):
            return None

    return {
        "batch_vs_naive": ok(lambda: r["naive_all_s"] / med["batch_s"] >= 5),
        "batch_vs_floor": ok(lambda: med["batch_s"] / med["floor_s"] <= 1.2),
        "noop_s": ok(lambda: med["noop_s"] <= 1),
        "one_chapter": ok(lambda: med["one_chapter_s"] / med["batch_s"] <= 0.4),
        "peak_rss_mb": ok(lambda: r["figures"]["peak_rss_mb"]["max"] <= 1536),
        "report_mb": ok(lambda: r["report_mb"] <= 3),
        "ten_chapter_mb": ok(lambda: r["ten_chapter_mb"] <= 3),
        "live": ok(
            lambda: (
                r["live_exit"] == 0
                and r["live_requests"] is not None
                and r["live_requests"] == r["distinct_queries"]
            )
        ),
    }


def machine() -> dict[str, Any]:
    """The machine, its load and the versions that matter for the figures."""
    import kunnskapsgrunnlag

    pkgs = ["pandas", "numpy", "matplotlib", "pillow", "papermill", "nbclient", "ipykernel"]
    return {
        "cores": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
        "kunnskapsgrunnlag": kunnskapsgrunnlag.__version__,
        "versions": {p: version(p) for p in pkgs},
    }


def _round(
    i: int, ctx: dict[str, Any], naive_params: list[Any], skip_naive: bool
) -> dict[str, Any]:
    """One round: batch, no-op, one chapter changed, floor, naive."""
    root, work, codes, jobs = ctx["root"], ctx["work"], ctx["codes"], ctx["jobs"]
    r: dict[str, Any] = {}
    print(f"  round {i + 1}: batch …", flush=True)
    r.update(measure.batch(root, work / "batch", codes, jobs))
    r["report_bytes"] = measure.report_bytes(work / "batch")
    r.update(measure.noop(root, work / "batch", codes, jobs))
    if ctx.get("changed") is None:
        ctx["changed"] = ctx["pick"] or median_chapter(work / "batch")
    print(f"  round {i + 1}: one chapter changed ({ctx['changed'].id}) …", flush=True)
    r.update(measure.one_chapter(root, work / "batch", codes, jobs, ctx["changed"].notebook, i))
    print(f"  round {i + 1}: floor …", flush=True)
    shutil.rmtree(work / "floor", ignore_errors=True)
    r.update(measure.floor(root, work / "floor", codes, jobs))
    if not skip_naive:
        print(f"  round {i + 1}: naive loop ({len(naive_params)} counties) …", flush=True)
        shutil.rmtree(work / "naive", ignore_errors=True)
        r.update(measure.naive(root, work / "naive", naive_params))
    print(
        "   ",
        ", ".join(f"{k} {r[k]:.2f}" for k in TIMED if isinstance(r.get(k), float)),
        flush=True,
    )
    return r


def median_chapter(out: Path) -> Any:
    """The chapter of median total duration in the last batch (ties: the earlier chapter).

    Only chapters that ran in that batch count.
    """
    from kunnskapsgrunnlag.contents import chapters

    manifest = paths.read_json(out / "manifest.json")
    cost: dict[str, float] = {}
    for county in manifest["counties"].values():
        for ch in county.get("chapters") or []:
            cost[ch["id"]] = cost.get(ch["id"], 0.0) + ch["duration_s"]
    ranked = sorted((c for c in chapters() if c.id in cost), key=lambda c: cost[c.id])
    return ranked[(len(ranked) - 1) // 2]


def _selected(counties: int | None) -> list[Any]:
    from kunnskapsgrunnlag.params import load_all

    good, errors = load_all()
    if errors:
        raise SystemExit("kg bench: invalid parameter files; run kg validate")
    return good[:counties] if counties else good


def _sizes(result: dict[str, Any], rounds: list[dict[str, Any]]) -> None:
    """The largest report, and scaled to ten chapters by its own number of chapters."""
    from kunnskapsgrunnlag.contents import chapters, county_chapters
    from kunnskapsgrunnlag.params import load_all

    sizes = rounds[-1]["report_bytes"]
    result["report_bytes"] = sizes
    biggest = max(sizes.values(), default=0)
    counts = {p.stem: len(county_chapters(chapters(), p)) for p in load_all()[0]}
    largest = max(sizes, key=sizes.__getitem__, default=None)
    result["chapters"] = counts.get(largest, len(chapters()))
    result["report_mb"] = round(biggest / 1e6, 2)
    result["ten_chapter_mb"] = round(biggest / max(1, result["chapters"]) * 10 / 1e6, 2)


def run_bench(
    counties: int | None = None,
    runs: int = 3,
    jobs: int | None = None,
    naive_counties: int = 2,
    skip_naive: bool = False,
    skip_live: bool = False,
    chapter: str | None = None,
) -> dict[str, Any]:
    """Run the rounds and return the results (also written to ``outputs/bench.json``)."""
    from kunnskapsgrunnlag.contents import get
    from kunnskapsgrunnlag.publish.run.inputs import default_jobs

    params = _selected(counties)
    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    ctx: dict[str, Any] = {
        "root": measure.project_copy(work),
        "work": work,
        "codes": [p.county_code for p in params],
        "jobs": jobs or default_jobs(),
        "pick": get(chapter) if chapter else None,
        "changed": None,
    }
    result: dict[str, Any] = {"counties": len(params), "jobs": ctx["jobs"], "runs": runs}
    result["machine_before"] = machine()
    result["date"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    result["naive"] = measure.NAIVE
    print(f"kg bench: {len(params)} counties, {runs} round(s), jobs {ctx['jobs']}", flush=True)
    print(f"  load average before: {result['machine_before']['load_average']}", flush=True)
    try:
        naive_params = params[: max(1, naive_counties)]
        rounds = [_round(i, ctx, naive_params, skip_naive) for i in range(runs)]
        if not skip_live:
            print("  live batch against the fake SSB server (once) …", flush=True)
            result.update(measure.live(ctx["root"], work, ctx["codes"], ctx["jobs"]))
        _finish(result, rounds, ctx, len(params) / len(naive_params))
        paths.atomic_write_json(paths.BENCH_JSON, result)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


def _finish(
    result: dict[str, Any], rounds: list[dict[str, Any]], ctx: dict[str, Any], scale: float
) -> None:
    result["rounds"] = [{k: v for k, v in r.items() if k != "report_bytes"} for r in rounds]
    result["figures"] = summarise(rounds)
    naive = result["figures"].get("naive_s")
    if naive:
        result["naive_counties"] = round(result["counties"] / scale)
        result["naive_all_s"] = round(naive["median"] * scale, 1)
    result["changed_chapter"] = ctx["changed"].id if ctx.get("changed") else None
    result["exits_ok"] = all(v == 0 for r in rounds for k, v in r.items() if k.endswith("_exit"))
    _sizes(result, rounds)
    result["machine_after"] = machine()
    result["targets"] = TARGETS
    result["verdict"] = verdict(result)
