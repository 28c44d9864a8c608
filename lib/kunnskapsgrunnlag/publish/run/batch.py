"""``kg run``: validate, execute the chapter notebooks for every county, publish the reports.

One function does the work (:func:`run`, returning a :class:`RunResult`); ``kg run`` and
``make reports`` are thin wrappers over it (:func:`run_cli`). A run:

1. validates **every** parameter file (:func:`kunnskapsgrunnlag.params.load_all`, :mod:`.inputs`); one invalid
   file means exit status 2 and nothing runs;
2. compares each county's fingerprint (chapter notebook bytes, parameter file bytes, the
   content of the data snapshot files, library version and source) with the last run manifest and skips the counties whose
   report is up to date (``force=True`` overrides). A run where everything is up to date imports
   neither papermill nor nbclient and starts no kernel. In a county that runs, a chapter whose
   own fingerprint did not change is not executed again: its stored executed notebook is reused
   (:mod:`.plan`);
3. with ``live=True``, fetches every live query once in this process
   (:func:`kunnskapsgrunnlag.data.snapshot.prefetch`), so the workers find the answers in the disk
   cache and never ask SSB themselves;
4. starts *jobs* worker processes. Each worker owns **one** IPython kernel and **one** client and
   runs the chapters of one county after another in it: parameters are injected with papermill's
   ``parameterize_notebook``, the kernel's state is cleaned before every notebook (user
   namespace, matplotlib figures and rcParams, pandas options, numpy error settings, warnings
   filters, ``sys.argv``, ``sys.path``, environment, working directory) and imports are paid once
   per kernel. A kernel that dies or hangs past the per-cell timeout is replaced;
5. builds the county report in the worker (:func:`kunnskapsgrunnlag.publish.report.build_county_report`)
   only when every chapter ran to the end; a failed county keeps its previous report and its
   executed notebooks (with the error) for the analyst;
6. writes the run manifest, the portal page and ``indicators.csv``, all atomically. The manifest
   is also rewritten as each county is handed out and as it finishes (:mod:`.journal`), so an
   interrupted run leaves every county recorded or marked ``running`` (it runs again).

Exit status: 0 when every county was built or up to date, 1 when any county (or the
portal/indicators step) failed, 2 for invalid input (nothing was run).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from kunnskapsgrunnlag.publish.run.inputs import RunConfig, RunInputError, validate
from kunnskapsgrunnlag.publish.run.journal import Journal
from kunnskapsgrunnlag.publish.run.manifest import (
    build_manifest,
    county_results,
    manifest_counties,
    now,
    run_info,
    snapshot_summary,
)
from kunnskapsgrunnlag.publish.run.plan import (
    Plan,
    chapter_fingerprint,
    git_commit,
    make_plan,
    warm_modules,
)
from kunnskapsgrunnlag.publish.run.pool import Pool
from kunnskapsgrunnlag.publish.run.portal import finish_indicators, indicators_job, publish_portal
from kunnskapsgrunnlag.publish.run.progress import Progress, summary, use_bar
from kunnskapsgrunnlag.publish.run.results import CountyResult, Execution, RunResult
from kunnskapsgrunnlag.publish.run.worker import avoid_slow_imports

if TYPE_CHECKING:  # pragma: no cover
    from kunnskapsgrunnlag.contents import ChapterSpec


def run(
    counties: Sequence[str] | None = None,
    jobs: int | None = None,
    force: bool = False,
    live: bool = False,
    *,
    chapters: Sequence[ChapterSpec] | None = None,
    outputs: Path | str | None = None,
    parameters: Path | str | None = None,
    cell_timeout: float | None = None,
    write_indicators: bool | None = None,
    pdf: bool = False,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> RunResult:
    """Build the county reports; see the module docstring for the steps.

    Args:
        counties: county codes to build (default: every county with a parameter file); every parameter file is validated.
        jobs: worker processes, each with one kernel (default: the number of cores).
        force: run counties even when their fingerprint says nothing changed.
        live: fetch data from SSB's API (prefetched once here) instead of the bundled snapshot; a live run executes every selected county (live data can change at any time).
        chapters: the chapters to run, in order (default: :func:`kunnskapsgrunnlag.contents.chapters`, the registered chapters whose notebook exists); tests pass fixture chapters.
        outputs: the outputs folder (default :data:`kunnskapsgrunnlag.paths.OUTPUTS`).
        parameters: the folder of parameter files (default :data:`kunnskapsgrunnlag.paths.PARAMETERS`).
        cell_timeout: seconds one cell may run (default ``$KG_CELL_TIMEOUT`` or 300).
        write_indicators: write ``indicators.csv`` (default: when running the registered chapters).
        pdf: print each selected county's report to a PDF beside it when missing or older (:mod:`~kunnskapsgrunnlag.publish.report.pdf`).
        stdout: where the summary goes (default ``sys.stdout``).
        stderr: where the configuration and progress go (default ``sys.stderr``).

    Returns:
        The :class:`RunResult`; its ``exit_code`` is 0 (all built or up to date), 1 (a county, the portal, ``indicators.csv`` or a PDF failed) or 2 (invalid input; nothing ran).
    """
    t0 = time.perf_counter()
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    try:  # 1. validate: every parameter file, the counties, the chapters, the options
        cfg = validate(
            counties,
            jobs,
            force,
            live,
            chapters,
            outputs,
            parameters,
            cell_timeout,
            write_indicators,
        )
    except RunInputError as err:
        return _invalid_input(err, stderr, t0)
    plan = make_plan(cfg)  # 2. what must run and why
    _say_plan(cfg, plan, stderr)
    started = now()
    if plan.to_run and (error := _before_workers(cfg, stderr)):  # 3. live data, once
        return RunResult(1, errors=[error], duration_s=time.perf_counter() - t0)
    execution = _execute(cfg, plan, started, stderr)  # 4. the counties, in worker processes
    result = _publish(cfg, plan, execution, (started, t0))  # 5. portal, csv, manifest
    if pdf:  # 6. PDFs beside the HTML reports
        _print_pdfs(cfg, result, stderr)
    return _finish(result, cfg, t0, stdout)  # 7. the summary


def _publish(
    cfg: RunConfig, plan: Plan, execution: Execution, start: tuple[str, float]
) -> RunResult:
    """The portal, ``indicators.csv`` and the run manifest; *start* is (timestamp, perf_counter)."""
    started, t0 = start
    finished = now()
    result = RunResult(0, county_results(plan, execution.results))
    entries = manifest_counties(cfg, plan, execution, finished)
    times = (started, finished, time.perf_counter() - t0)
    manifest = build_manifest(cfg, plan, result.counties, entries, times, execution.commit)
    publish_portal(cfg, plan, result, entries, execution, finished)
    finish_indicators(execution.indicators, cfg, plan, result, manifest)
    _write_manifest(cfg, manifest, result)
    return result


def _print_pdfs(cfg: RunConfig, result: RunResult, stderr: TextIO) -> None:
    """Print the selected counties' reports whose PDF is missing or older than the HTML."""
    from kunnskapsgrunnlag.publish.report.pdf import print_reports

    todo = []
    for p in cfg.selected:
        html_path = cfg.out.report(p.stem)
        pdf_path = html_path.with_suffix(".pdf")
        if html_path.is_file() and (
            not pdf_path.is_file() or pdf_path.stat().st_mtime < html_path.stat().st_mtime
        ):
            todo.append(html_path)
    done, errors = print_reports(todo, cfg.jobs)
    result.errors.extend(errors)
    if done:
        _say(stderr, f"kg run --pdf: {len(done)} PDF(s) printed into {cfg.out.reports}/")


def _before_workers(cfg: RunConfig, stderr: TextIO) -> str | None:
    """Skip a slow optional import; with ``live``, fetch the data once (return its error)."""
    avoid_slow_imports()
    return _prefetch_live(stderr) if cfg.live else None


def _say(stream: TextIO, text: str) -> None:
    print(text, file=stream, flush=True)


def _invalid_input(err: RunInputError, stderr: TextIO, t0: float) -> RunResult:
    """Exit status 2: the problems, and nothing was run."""
    messages = [str(m) for m in err.args]
    for m in messages:
        _say(stderr, f"error: {m}")
    _say(stderr, "kg run: nothing was run (invalid input)")
    return RunResult(2, errors=messages, duration_s=time.perf_counter() - t0)


def _finish(result: RunResult, cfg: RunConfig, t0: float, stdout: TextIO) -> RunResult:
    """The run's duration and exit status; the summary."""
    result.duration_s = round(time.perf_counter() - t0, 3)
    result.exit_code = 1 if (result.failed or result.errors) else 0
    summary(result, cfg.out, stdout)
    return result


def _say_plan(cfg: RunConfig, plan: Plan, stderr: TextIO) -> None:
    """The effective configuration, and the counties that are up to date."""
    _say(stderr, cfg.describe())
    if plan.up_to_date:
        names = ", ".join(f"{c.params.county_code} {c.params.county_name}" for c in plan.up_to_date)
        _say(stderr, f"kg run: up to date, not run: {names} (use --force to run anyway)")


def _prefetch_live(stderr: TextIO) -> str | None:
    """Fetch every live query once, in this process; return the error, if any."""
    _say(stderr, "kg run: fetching live data from SSB (once for the whole batch) …")
    try:
        from kunnskapsgrunnlag.data import snapshot

        sent = snapshot.prefetch()
    except Exception as exc:  # noqa: BLE001
        msg = (
            f"live data could not be fetched: {type(exc).__name__}: {exc}. Nothing was run; "
            "the previous reports are unchanged. Run without --live to use the bundled snapshot."
        )
        _say(stderr, f"error: {msg}")
        return msg
    _say(stderr, f"kg run: live data ready ({sent} request(s) sent)")
    return None


def _worker_config(cfg: RunConfig, plan: Plan) -> dict[str, Any]:
    """What every worker process needs to know (plain data: it may be pickled for spawn)."""
    every = {c.path: c for p in plan.to_run for c in cfg.county_chapters(p.params)}
    return {
        "outputs": str(cfg.out.root),
        "chapters": cfg.chapters,
        "cell_timeout": cfg.cell_timeout,
        "data_source": cfg.data_source,
        "warm": warm_modules([*cfg.chapters, *every.values()]),
        "headline": cfg.using_registry,
    }


def _tasks(cfg: RunConfig, plan: Plan, info: dict[str, Any]) -> list[dict[str, Any]]:
    """One task per county to run, with its chapters and the run information its report prints.

    ``chapter_fingerprints`` lets the worker reuse a chapter's stored executed notebook (not
    with ``--force`` or ``--live``: then every chapter runs).
    """
    return [
        {
            "code": c.params.county_code,
            "params": c.params,
            "chapters": cfg.county_chapters(c.params),
            "reason": c.why,
            "chapter_fingerprints": {
                cid: chapter_fingerprint(c.parts, cid) for cid, _ in c.parts["chapters"]
            },
            "reuse": not (cfg.force or cfg.live),
            "run_info": {
                **info,
                "parameter_hash": c.parts["parameters"][:16],
                "fingerprint": c.fingerprint,
            },
        }
        for c in plan.to_run
    ]


def _execute(cfg: RunConfig, plan: Plan, started: str, stderr: TextIO) -> Execution:
    """Run the counties in worker processes; ``indicators.csv`` is written meanwhile."""
    indicators, journal = indicators_job(cfg, plan), Journal(cfg, plan)
    if indicators is not None:
        journal.indicators_started()  # recorded again only when the run gets to the end
    if not plan.to_run:
        info = run_info(started, plan.version, "unknown", cfg.data_source, [])
        return Execution({}, "unknown", [], info, indicators)
    # the workers start their kernels while this process gathers the run information
    pool = Pool(_worker_config(cfg, plan), max(1, min(cfg.jobs, len(plan.to_run))))
    progress: Progress | None = None
    if indicators is not None:
        indicators.start()  # in a thread while this process waits for the workers
    try:
        commit, snapshot = git_commit(), snapshot_summary()
        info = run_info(started, plan.version, commit, cfg.data_source, snapshot)
        tasks = _tasks(cfg, plan, info)
        most = max(len(t["chapters"]) for t in tasks)
        progress = Progress(len(tasks), stderr, use_bar(stderr), most)
        journal.run = (commit, snapshot)  # each county is recorded as it starts and finishes
        results: dict[str, CountyResult] = pool.run(tasks, progress, journal)
    except BaseException:  # an interrupt: stop now; completed reports stay, nothing is half-written
        if progress is not None:
            progress.close()
        pool.close(graceful=False)
        if indicators is not None:
            indicators.join(timeout=30)  # let its atomic write finish or fail cleanly
        raise
    progress.close()
    pool.close()
    if journal.error:  # the final manifest is still written below (or reports its own error)
        _say(stderr, f"warning: {journal.error}; an interrupted run would not have marked it")
    return Execution(results, commit, snapshot, info, indicators)


def _write_manifest(cfg: RunConfig, manifest: dict[str, Any], result: RunResult) -> None:
    from kunnskapsgrunnlag import paths

    try:
        paths.atomic_write_json(cfg.out.manifest, manifest)
        result.manifest = cfg.out.manifest
    except OSError as exc:
        result.errors.append(f"the run manifest {cfg.out.manifest} was not written: {exc}")


def run_cli(
    counties: Sequence[str] | None,
    jobs: int | None,
    force: bool,
    live: bool,
    parameters: Path | str | None = None,
    outputs: Path | str | None = None,
    pdf: bool = False,
) -> int:
    """``kg run``: call :func:`run` and return its exit status."""
    return run(
        counties=counties,
        jobs=jobs,
        force=force,
        live=live,
        parameters=parameters,
        outputs=outputs,
        pdf=pdf,
    ).exit_code
