"""The bench's table: every figure with min and median, the targets met or missed."""

from __future__ import annotations

from typing import Any

ROWS = (
    ("batch_s", "kg run --force, all selected counties", "s"),
    ("batch_cpu_s", "  CPU seconds of the batch's process tree", "s"),
    ("floor_s", "fair floor: same work, no kernels, --jobs processes", "s"),
    ("floor_cpu_s", "  CPU seconds of the floor's process tree", "s"),
    ("noop_s", "kg run, nothing changed", "s"),
    ("one_chapter_s", "kg run, one chapter notebook changed", "s"),
    ("naive_s", "naive loop, measured counties (failed rounds left out)", "s"),
    ("peak_rss_mb", "peak memory of the batch (process tree)", "MB"),
)

VERDICT_WORDS = {True: "met", False: "MISSED", None: "n/a"}


def _ratio(a: float | None, b: float | None) -> str:
    return "n/a" if not a or not b else f"{a / b:.2f}×"


def _figure_lines(r: dict[str, Any]) -> list[str]:
    figs = r.get("figures") or {}
    lines = [f"{'figure':<15}{'what':<54}{'min':>9}{'median':>9}{'runs':>6}"]
    for key, what, unit in ROWS:
        f = figs.get(key)
        if f:
            lines.append(
                f"{key:<15}{what:<54}{f['min']:>8.2f}{unit[0]}{f['median']:>8.2f}{unit[0]}"
                f"{f['runs']:>6}"
            )
    return lines


def _derived_lines(r: dict[str, Any]) -> list[str]:
    med = {k: v["median"] for k, v in (r.get("figures") or {}).items()}
    lines = []
    if r.get("naive_all_s"):
        lines.append(
            f"naive loop for all {r['counties']} counties: {r['naive_all_s']:.1f} s (median of "
            f"{r['naive_counties']} counties × {r['counties'] / r['naive_counties']:.1f}, "
            "by notebook count)"
        )
    lines.append(
        f"naive / batch = {_ratio(r.get('naive_all_s'), med.get('batch_s'))}   "
        f"batch / floor = {_ratio(med.get('batch_s'), med.get('floor_s'))}   "
        f"one chapter / batch = {_ratio(med.get('one_chapter_s'), med.get('batch_s'))}"
        f" (changed: {r.get('changed_chapter')})"
    )
    cpu = med.get("batch_cpu_s")
    if cpu and r.get("counties") and r.get("chapters"):
        per = cpu / r["counties"]
        lines.append(
            f"per-unit cost: {per:.2f} CPU-s per county, {per / r['chapters']:.2f} per county × "
            f"chapter (median batch CPU {cpu:.1f} s / {r['counties']} counties)"
        )
    sizes = r.get("report_bytes") or {}
    if sizes:
        per = ", ".join(f"{k[:2]} {v / 1e6:.2f}" for k, v in sizes.items())
        lines.append(f"report MB per county: {per}")
        lines.append(
            f"largest report {r['report_mb']:.2f} MB; ten chapters ≈ {r['ten_chapter_mb']:.2f} MB"
            " (largest / chapters × 10)"
        )
    if r.get("live_requests") is not None:
        lines.append(
            f"live batch: {r['live_requests']} requests, {r['distinct_queries']} distinct queries"
            f", exit {r.get('live_exit')}"
        )
    return lines


def table(r: dict[str, Any]) -> str:
    """A readable table of the results, the targets and the machine's load."""
    lines = _figure_lines(r) + _derived_lines(r)
    v = r.get("verdict") or {}
    targets = r.get("targets") or {}
    lines.append("targets (on medians):")
    lines += [f"  {VERDICT_WORDS[ok]:<7} {targets.get(k, k)}" for k, ok in v.items()]
    before = (r.get("machine_before") or {}).get("load_average")
    after = (r.get("machine_after") or {}).get("load_average")
    cores = (r.get("machine_before") or {}).get("cores")
    lines.append(f"machine: {cores} cores; load average before {before}, after {after}")
    if r.get("exits_ok") is False:
        lines.append("WARNING: a measured command failed (see the messages above)")
    return "\n".join(lines)


def bench_cli(
    quick: bool = False,
    counties: int | None = None,
    runs: int | None = None,
    jobs: int | None = None,
    chapter: str | None = None,
    naive_counties: int | None = None,
) -> int:
    """``kg bench``: run the rounds, print the table, write ``outputs/bench.json``.

    ``quick``: 2 counties, 1 round, the naive loop for 1 county, no live batch (a smoke test;
    its figures are not the bench's).
    """
    from kunnskapsgrunnlag import paths
    from kunnskapsgrunnlag.bench.rounds import run_bench

    result = run_bench(
        counties=counties or (2 if quick else None),
        runs=runs or (1 if quick else 3),
        jobs=jobs,
        naive_counties=naive_counties or (1 if quick else 2),
        skip_live=quick,
        chapter=chapter,
    )
    print(table(result))
    print(f"written: {paths.BENCH_JSON}")
    return 0 if result.get("exits_ok") else 1
