"""A worker process: one kernel, one client, the counties it is handed one after another.

For each county the worker runs every chapter in its :class:`~.session.KernelSession` (a chapter
whose stored executed notebook ran to the end under the chapter's current fingerprint is reused,
not run; :mod:`.plan`):
parameters are injected with papermill's ``parameterize_notebook`` (the parameter file's keys plus
``data_source``), the executed notebook is written atomically (with the failure, if any, for the
analyst) and the county report is built (:func:`kunnskapsgrunnlag.publish.report.build_county_report`)
only when every chapter ran to the end; a failed county keeps its previous report. An exception
fails that county only: the worker goes on with the next one.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.publish.run.inputs import Outputs
from kunnskapsgrunnlag.publish.run.results import (
    CellFailure,
    ChapterResult,
    CountyResult,
    county_to_wire,
)
from kunnskapsgrunnlag.publish.run.session import KernelSession, die_with_parent

if TYPE_CHECKING:  # pragma: no cover
    from kunnskapsgrunnlag.contents import ChapterSpec
    from kunnskapsgrunnlag.params import CountyParameters

KERNEL_ENV: dict[str, str] = {
    "MPLBACKEND": "Agg",
    "PYTHONWARNINGS": "ignore",
    "TQDM_DISABLE": "1",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}
"""Environment every kernel gets, so no warning or progress bar reaches an executed notebook."""


def avoid_slow_imports() -> None:
    """Skip ``rfc3987_syntax`` (pulled in by jupyterlab; jsonschema imports it if present).

    Building its grammars costs 1.3–2.5 s at import, in every process that imports nbformat;
    jsonschema only needs it for the ``iri`` string format, which notebook validation does not
    use. Only the ``kg run`` processes are affected.
    """
    if "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]


def _strip_stderr(nb: Any) -> int:
    """Remove ``stderr`` stream outputs from *nb* (successful notebooks only); return how many."""
    removed = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        keep = [
            o
            for o in cell.get("outputs", [])
            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
        ]
        removed += len(cell.get("outputs", [])) - len(keep)
        cell.outputs = keep
    return removed


def _read_notebook(spec: ChapterSpec, parameters: dict[str, Any]) -> tuple[Any, CellFailure | None]:
    """The chapter notebook with the parameters injected (or the reason it could not be read)."""
    import nbformat
    from papermill.parameterize import parameterize_notebook

    try:
        nb = nbformat.read(spec.path, as_version=4)
        nb.metadata.setdefault("papermill", {})
        for cell in nb.cells:  # papermill expects every cell to have a tags list
            cell.metadata.setdefault("tags", [])
        nb = parameterize_notebook(nb, parameters, kernel_name="python3", language="python")
    except Exception as exc:  # noqa: BLE001
        return None, CellFailure(
            "setup", f"the notebook {spec.path} could not be read: {type(exc).__name__}: {exc}"
        )
    return nb, None


def _import_publisher() -> None:
    """Import the report exporter (nbconvert, Jinja, the sanitiser) once per worker process.

    Called before the first wait for the kernel's warm-up, so the ~0.5–1.5 s of imports overlap
    with the kernel's own start instead of delaying the first report.
    """
    if "kunnskapsgrunnlag.publish.report.exporter" in sys.modules:
        return
    with contextlib.suppress(Exception):  # a broken import fails the report, with its reason
        from kunnskapsgrunnlag.publish.report import exporter

        _ = exporter.exporter().template  # compiled once


async def _run_chapter(
    session: KernelSession,
    spec: ChapterSpec,
    params: CountyParameters,
    parameters: dict[str, Any],
    target: Path,
    fingerprint: str | None = None,
) -> tuple[str, CellFailure | None, int, bool]:
    """Run one chapter; write the executed notebook to *target*, stamped with *fingerprint*.

    Returns the status, the failure, how many stderr outputs were removed and whether the
    executed notebook was written.
    """
    import nbformat

    nb, failure = _read_notebook(spec, parameters)
    if failure is None:
        failure = await session.run_notebook(nb, spec.path.parent)
    status = "ok" if failure is None else "failed"
    if nb is None:
        return status, failure, 0, False
    removed = _strip_stderr(nb) if failure is None else 0
    nb.metadata["kunnskapsgrunnlag"] = {
        "county_code": params.county_code,
        "chapter": spec.id,
        "status": status,
        "failure": None if failure is None else asdict(failure),
        "parameters": parameters,
        "fingerprint": fingerprint,
    }
    paths.atomic_write_text(target, nbformat.writes(nb))
    return status, failure, removed, True


def stored_fingerprint(target: Path) -> str | None:
    """The chapter fingerprint an executed notebook ran to the end under.

    ``None`` when it has none, when it failed, or when the file is missing or unreadable.
    """
    import json

    try:
        meta = json.loads(target.read_text(encoding="utf-8"))["metadata"]["kunnskapsgrunnlag"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(meta, dict) or meta.get("status") != "ok":
        return None
    fp = meta.get("fingerprint")
    return fp if isinstance(fp, str) else None


async def _chapters(
    session: KernelSession,
    task: dict[str, Any],
    cfg: dict[str, Any],
    send: Callable[[tuple[Any, ...]], None],
    folder: Path,
) -> tuple[list[ChapterResult], list[tuple[ChapterSpec, Path]]]:
    """Run (or reuse) every chapter of the county; return the results and the executed notebooks.

    A chapter is reused when the task allows it and its stored executed notebook ran to the end
    under the chapter's current fingerprint; nothing then runs in the kernel for it.
    """
    params: CountyParameters = task["params"]
    out = Outputs(Path(cfg["outputs"]))
    parameters = {**params.notebook_parameters(), "data_source": cfg["data_source"]}
    fingerprints: dict[str, str] = task.get("chapter_fingerprints") or {}
    results: list[ChapterResult] = []
    executed: list[tuple[ChapterSpec, Path]] = []
    warm = False
    for spec in task.get("chapters") or cfg["chapters"]:
        c0 = time.perf_counter()
        target = folder / Path(spec.notebook).name
        fp = fingerprints.get(spec.id)
        reused = bool(task.get("reuse")) and fp is not None and stored_fingerprint(target) == fp
        if reused:
            status, failure, removed, written = "ok", None, 0, True
        else:
            if not warm:  # so that the first chapter's duration does not include the warm-up
                warm = True
                _import_publisher()  # while the kernel warms up in its own process
                with contextlib.suppress(Exception):  # the chapter's preparation reports it
                    await session.finish_warmup()
                c0 = time.perf_counter()
            status, failure, removed, written = await _run_chapter(
                session, spec, params, parameters, target, fp
            )
        if written:
            executed.append((spec, target))
        dt = time.perf_counter() - c0
        results.append(
            ChapterResult(spec.id, out.rel(target), status, round(dt, 3), failure, removed, reused)
        )
        send(("chapter", task["code"], spec.id, status, dt))
    return results, executed


async def _publish_county(
    session: KernelSession,
    county: CountyResult,
    params: CountyParameters,
    executed: list[tuple[ChapterSpec, Path]],
    task: dict[str, Any],
    cfg: dict[str, Any],
) -> None:
    """Build the county's report (every chapter succeeded); keep its key figures for the portal."""
    out = Outputs(Path(cfg["outputs"]))
    report_path = out.report(params.stem)
    try:
        from kunnskapsgrunnlag.publish import report

        key_figures = report.publish_county_report(params, executed, report_path, task["run_info"])
        county.report = out.rel(report_path)
    except Exception as exc:  # noqa: BLE001
        county.status = "failed"
        county.failure = CellFailure(
            "report", f"building the report failed: {type(exc).__name__}: {exc}"
        )
        return
    if county.status == "ok" and cfg.get("headline"):
        county.headline = key_figures or None


async def run_county(
    session: KernelSession,
    task: dict[str, Any],
    cfg: dict[str, Any],
    send: Callable[[tuple[Any, ...]], None],
) -> CountyResult:
    """Execute (or reuse) every chapter of one county; build its report when all succeed."""
    params: CountyParameters = task["params"]
    out = Outputs(Path(cfg["outputs"]))
    chapters: list[ChapterSpec] = task.get("chapters") or cfg["chapters"]
    t0 = time.perf_counter()
    folder = out.notebooks / params.stem
    folder.mkdir(parents=True, exist_ok=True)
    results, executed = await _chapters(session, task, cfg, send, folder)
    # executed notebooks of chapters that are no longer in the report
    keep = {Path(s.notebook).name for s in chapters}
    for stale in folder.glob("*.ipynb"):
        if stale.name not in keep:
            stale.unlink(missing_ok=True)
    county = CountyResult(
        params.county_code,
        params.county_name,
        params.stem,
        "ok",
        chapters=results,
        reason=task["reason"],
    )
    if any(r.status != "ok" for r in results):
        county.status = "failed"
    else:
        await _publish_county(session, county, params, executed, task, cfg)
    county.duration_s = round(time.perf_counter() - t0, 3)
    return county


def _quiet_process() -> None:
    """Signals and logging of a worker: the parent decides what an interrupt means."""
    import logging
    import signal
    import warnings

    avoid_slow_imports()
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def _term(*_: Any) -> None:
        raise SystemExit(143)

    signal.signal(signal.SIGTERM, _term)
    warnings.simplefilter("ignore")
    for name in ("traitlets", "papermill", "nbclient", "jupyter_client", "asyncio"):
        lg = logging.getLogger(name)
        lg.addHandler(logging.NullHandler())
        lg.propagate = False
        lg.setLevel(logging.CRITICAL)


def _start(loop: Any, session: KernelSession) -> str | None:
    """Launch the kernel, import what the worker needs while it boots, connect the client.

    Returns why the worker could not start (reported per county), or ``None``.
    """
    try:
        loop.run_until_complete(session.launch())
        # imports the worker needs, paid while the kernel boots
        import nbclient  # noqa: F401
        import nbformat  # noqa: F401
        from papermill.parameterize import parameterize_notebook  # noqa: F401

        loop.run_until_complete(session.connect())
    except Exception as exc:  # noqa: BLE001 - reported per county below
        return f"{type(exc).__name__}: {exc}"
    try:
        from kunnskapsgrunnlag.publish import report  # noqa: F401
    except Exception:  # noqa: BLE001, S110 - reported per county when the report is built
        pass
    return None


def _county(
    loop: Any,
    session: KernelSession,
    task: dict[str, Any],
    start_error: str | None,
    cfg: dict[str, Any],
    send: Callable[[tuple[Any, ...]], None],
) -> CountyResult:
    """Run one county; an exception fails this county only."""
    try:
        if start_error is not None:
            raise RuntimeError(f"the worker could not start: {start_error}")
        return loop.run_until_complete(run_county(session, task, cfg, send))
    except Exception as exc:  # noqa: BLE001 - one county must not stop the others
        p = task["params"]
        return CountyResult(
            p.county_code,
            p.county_name,
            p.stem,
            "failed",
            failure=CellFailure("setup", f"{type(exc).__name__}: {exc}"),
            reason=task["reason"],
        )


def worker_main(wid: int, task_q: Any, result_q: Any, cfg: dict[str, Any]) -> None:
    """Entry point of a worker process: one kernel, counties one after another.

    The worker gets SIGTERM when ``kg run`` dies (however it dies) and then shuts its kernel
    down and removes its temporary folder (the kernel's connection file, sockets and log).
    """
    import asyncio
    import signal
    import tempfile

    die_with_parent(signal.SIGTERM, cfg["parent_pid"])
    _quiet_process()

    def send(msg: tuple[Any, ...]) -> None:
        result_q.put((wid, *msg))

    workdir = Path(tempfile.mkdtemp(prefix=f"kg{wid}-"))
    env = {**os.environ, **KERNEL_ENV, "KG_OUTPUTS": str(cfg["outputs"])}
    session = KernelSession(workdir, env, cfg["cell_timeout"], cfg["warm"])
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        start_error = _start(loop, session)
        send(("ready", session.pid))
        while (task := task_q.get()) is not None:
            send(("start", task["code"]))
            result = _county(loop, session, task, start_error, cfg, send)
            send(("done", task["code"], county_to_wire(result), session.pid))
    finally:
        _clean_up(loop, session, workdir, result_q)


def _clean_up(loop: Any, session: KernelSession, workdir: Path, result_q: Any) -> None:
    """Stop the kernel and remove the temporary folder, whatever ended the worker.

    A second SIGTERM must not interrupt this; an alarm ends a clean-up that hangs (the kernel
    then dies with this process, ``PR_SET_PDEATHSIG``).
    """
    import asyncio
    import shutil
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.alarm(20)
    result_q.cancel_join_thread()  # never wait at exit for a parent that stopped reading
    pid, stopped = session.pid, False
    try:
        loop.run_until_complete(asyncio.wait_for(session.stop(), 10))
        stopped = True
    except BaseException:  # noqa: BLE001, S110 - the kernel is killed below
        pass
    finally:
        if pid and not stopped:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        loop.close()
        shutil.rmtree(workdir, ignore_errors=True)
