"""The fair floor: the batch's work with no kernels, in as many processes as ``--jobs``.

``python -m kunnskapsgrunnlag.bench.floor OUT JOBS CODE…`` does what ``kg run --force`` does for
those counties, minus the notebook machinery: every chapter's code cells run as plain Python
(parameters injected into the namespace, IPython magics transformed), the fragments each cell
emits become that cell's outputs, the executed notebooks are written, each county's report is
built by the same report builder, the portal is written with the key figures the reports
returned, and ``indicators.csv`` is written in a thread meanwhile — as the batch does. Counties
are handed to *JOBS* forked processes one at a time; each first imports what a kernel's warm-up
imports. What the batch spends beyond this floor is the price of kernels, papermill and nbclient.
"""

from __future__ import annotations

import json
import sys
import threading
from functools import partial
from pathlib import Path
from typing import Any


def _warm(modules: list[str]) -> None:
    """What a kernel's warm-up does: import the modules every chapter needs."""
    import importlib

    for m in modules:
        try:
            importlib.import_module(m)
        except ImportError:  # a kernel's warm-up skips it too
            pass


def _code_cells(nb: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        c
        for c in nb["cells"]
        if c["cell_type"] == "code" and "parameters" not in c.get("metadata", {}).get("tags", [])
    ]


def run_chapter(notebook: Path, parameters: dict[str, Any]) -> dict[str, Any]:
    """Run a chapter notebook's code as plain Python; return it with each cell's fragments."""
    import matplotlib.pyplot as plt
    from IPython.core.inputtransformer2 import TransformerManager

    from kunnskapsgrunnlag.publish import Chapter

    transform = TransformerManager().transform_cell
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    ns: dict[str, Any] = {"__name__": "__main__", **parameters}
    seen = 0
    for cell in _code_cells(nb):
        src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        exec(compile(transform(src), f"<{notebook.name}>", "exec"), ns)  # noqa: S102
        ch = next((v for v in ns.values() if isinstance(v, Chapter)), None)
        new = [] if ch is None else ch.outputs[seen:]
        seen += len(new)
        cell["outputs"] = [
            {"output_type": "display_data", "data": {"text/html": f}, "metadata": {}} for f in new
        ]
    plt.close("all")
    return nb


def run_county(out: Path, info: dict[str, Any], params: Any) -> tuple[str, list[Any]]:
    """Every chapter of one county, its executed notebooks and its report; its key figures."""
    from kunnskapsgrunnlag import contents, paths
    from kunnskapsgrunnlag.publish import report

    parameters = {**params.notebook_parameters(), "data_source": "snapshot"}
    folder = out / "notebooks" / params.stem
    folder.mkdir(parents=True, exist_ok=True)
    executed = []
    for spec in contents.county_chapters(contents.chapters(), params):  # as kg run
        nb = run_chapter(spec.path, parameters)
        target = folder / Path(spec.notebook).name
        paths.atomic_write_text(target, json.dumps(nb, ensure_ascii=False))
        executed.append((spec, target))
    target = out / "reports" / f"{params.stem}.html"
    headline = report.publish_county_report(params, executed, target, info)
    return params.county_code, headline


def run_floor(out: Path, jobs: int, codes: list[str]) -> int:
    """The floor for *codes* in *jobs* processes (see the module docstring); exit status."""
    import multiprocessing

    from kunnskapsgrunnlag import contents, indicators
    from kunnskapsgrunnlag.params import load_all
    from kunnskapsgrunnlag.publish import report
    from kunnskapsgrunnlag.publish.run.manifest import now, run_info, snapshot_summary
    from kunnskapsgrunnlag.publish.run.plan import git_commit, package_version, warm_modules

    good, _ = load_all()
    selected = [p for p in good if p.county_code in codes]
    info = run_info(now(), package_version(), git_commit(), "snapshot", snapshot_summary())
    ctx = multiprocessing.get_context("fork")  # forked before the indicators thread starts
    with ctx.Pool(jobs, initializer=_warm, initargs=(warm_modules(contents.chapters()),)) as pool:
        results = pool.imap_unordered(partial(run_county, out, info), selected, chunksize=1)
        csv = threading.Thread(target=indicators.write_csv, args=(out / "indicators.csv",))
        csv.start()
        headlines = dict(results)
        csv.join()
    entries = [
        {
            "params": p,
            "status": "ok" if p.county_code in headlines else "skipped",
            "report": out / "reports" / f"{p.stem}.html" if p.county_code in headlines else None,
            "headline": [tuple(h) for h in headlines.get(p.county_code) or []],
        }
        for p in good
    ]
    report.build_portal(entries, out / "reports" / "index.html", info)
    return 0 if len(headlines) == len(selected) else 1


if __name__ == "__main__":  # pragma: no cover - run by the bench in a subprocess
    from kunnskapsgrunnlag.publish.run.worker import avoid_slow_imports

    avoid_slow_imports()  # as kg run does
    sys.exit(run_floor(Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]))
