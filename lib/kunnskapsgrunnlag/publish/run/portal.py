"""Step 4 of a run: what the batch publishes besides the county reports.

The portal page (``reports/index.html``, :func:`kunnskapsgrunnlag.publish.report.build_portal`) lists
every county with its status; ``indicators.csv`` (:func:`kunnskapsgrunnlag.indicators.write_csv`)
is written in a thread while the workers run, when its fingerprint changed. Both are written
atomically: a failure is reported and leaves the previous file as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kunnskapsgrunnlag.publish.run.manifest import now, portal_entries
from kunnskapsgrunnlag.publish.run.pool import Background
from kunnskapsgrunnlag.publish.run.results import Execution, RunResult

if TYPE_CHECKING:  # pragma: no cover
    from kunnskapsgrunnlag.publish.run.inputs import RunConfig
    from kunnskapsgrunnlag.publish.run.plan import Plan


def _write_indicators(path: Path) -> None:
    """Write ``indicators.csv`` (atomically: a failure leaves the previous file as it was)."""
    import warnings

    from kunnskapsgrunnlag import indicators

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        indicators.write_csv(path)


def indicators_job(cfg: RunConfig, plan: Plan) -> Background | None:
    """The job that writes ``indicators.csv`` when it is out of date (not started yet)."""
    return Background(_write_indicators, cfg.out.indicators) if plan.indicators_stale else None


def publish_portal(
    cfg: RunConfig,
    plan: Plan,
    result: RunResult,
    entries: dict[str, Any],
    execution: Execution,
    finished: str,
) -> None:
    """Write the portal when a county ran or the page is missing; set ``result.portal``."""
    out = cfg.out
    if not plan.to_run and out.portal.is_file():
        result.portal = out.portal
        return
    try:
        from kunnskapsgrunnlag.publish import report

        built = report.build_portal(
            portal_entries(
                cfg.counties,
                entries,
                {c.code for c in result.counties if c.status == "ok"},
                out,
                headline=cfg.using_registry,
            ),
            out.portal,
            {**execution.run_info, "generated": finished},
        )
        result.portal = Path(built or out.portal)
    except Exception as exc:  # noqa: BLE001
        result.errors.append(
            f"the portal page {out.portal} was not written: {type(exc).__name__}: {exc}"
        )


def finish_indicators(
    job: Background | None, cfg: RunConfig, plan: Plan, result: RunResult, manifest: dict[str, Any]
) -> None:
    """Wait for (or run) the ``indicators.csv`` job; record it in *manifest* and *result*."""
    out = cfg.out
    if job is None:
        if cfg.write_indicators and out.indicators.is_file():
            result.indicators = out.indicators
        return
    if job.thread is None:
        job.run()  # nothing was executed: write it here
    job.join()
    if job.error is None:
        result.indicators = out.indicators
        manifest["indicators"] = {
            "fingerprint": plan.indicators_fingerprint,
            "written": now(),
            "path": out.rel(out.indicators),
        }
    else:
        result.errors.append(
            f"{out.indicators} was not written ({job.error}); the previous file, "
            "if any, is unchanged"
        )
        manifest["indicators"] = None
