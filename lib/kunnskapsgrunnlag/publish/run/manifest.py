"""The run manifest (``outputs/manifest.json``) and the portal's entries.

The manifest records the last run (configuration, what was executed, up to date or failed) and,
per county, its fingerprint, status, chapters, failures, key figures and its last good report;
the next run reads it to decide what is up to date (:mod:`kunnskapsgrunnlag.publish.run.plan`).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kunnskapsgrunnlag.publish.run.inputs import Outputs, RunConfig
from kunnskapsgrunnlag.publish.run.results import CountyResult, Execution

if TYPE_CHECKING:  # pragma: no cover
    from kunnskapsgrunnlag.params import CountyParameters
    from kunnskapsgrunnlag.publish.run.plan import CountyPlan, Plan

MANIFEST_SCHEMA = 1


def read_manifest(path: Path) -> dict[str, Any]:
    """Return the run manifest at *path* (empty when it is missing or unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def snapshot_summary() -> list[dict[str, Any]]:
    """Snapshot ids with their dates, for the run manifest."""
    try:
        from kunnskapsgrunnlag.data import snapshot

        sources = snapshot.manifest()["sources"]
    except Exception:  # noqa: BLE001 - the manifest is informative here
        return []
    keys = ("table", "status", "reference_date", "retrieved", "ssb_updated")
    return [{"id": sid, **{k: e.get(k) for k in keys if k in e}} for sid, e in sources.items()]


def run_info(
    started: str, version: str, commit: str, data_source: str, snapshot: list[dict[str, Any]]
) -> dict[str, Any]:
    """Return what the report builder prints about the run (see ``report.build_county_report``)."""
    info: dict[str, Any] = {
        "date": started[:10],
        "data_source": data_source,
        "version": version,
        "commit": "" if commit == "unknown" else commit,
        "generated": started,
        "snapshot": snapshot,
    }
    if data_source == "live":
        info["data_date"] = _live_data_date() or started[:10]
    return info


def _live_data_date() -> str | None:
    """When the live answers this run uses were fetched (the oldest; from the disk cache or SSB)."""
    from kunnskapsgrunnlag.data import snapshot

    return snapshot.live_data_date()


def now() -> str:
    """The local time now, ISO 8601 to the second."""
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


def county_manifest_entry(
    c: CountyResult,
    prev: dict[str, Any] | None,
    info: dict[str, Any],
) -> dict[str, Any]:
    """The manifest entry of an executed county; a failed county keeps its last good report."""
    entry: dict[str, Any] = {
        "county_name": c.name,
        "stem": c.stem,
        "status": c.status,
        "reason": c.reason,
        "finished": info["finished"],
        "duration_s": c.duration_s,
        "report": c.report,
        "chapters": [ch.to_dict() for ch in c.chapters],
        "failure": None
        if c.failure is None
        else {**asdict(c.failure), "cell_number": c.failure.cell_number},
        "parameter_hash": info["parameter_hash"],
        "fingerprint": info["fingerprint"],
        "fingerprint_parts": info["fingerprint_parts"],
        "data_source": info["data_source"],
        "snapshot": info["snapshot"],
        "package_version": info["package_version"],
        "git_commit": info["git_commit"],
        "headline": None if c.headline is None else [list(h) for h in c.headline],
    }
    if c.status == "ok":
        entry["last_good"] = {
            "finished": info["finished"],
            "report": c.report,
            "git_commit": info["git_commit"],
        }
    elif prev:
        entry["last_good"] = prev.get("last_good")
        if entry["report"] is None:
            entry["report"] = (prev.get("last_good") or {}).get("report")
    return entry


def portal_entries(
    counties: list[CountyParameters],
    manifest_counties: dict[str, Any],
    built_now: set[str],
    out: Outputs,
    headline: bool = True,
) -> list[dict[str, Any]]:
    """One portal entry per county (contract of :func:`kunnskapsgrunnlag.publish.report.build_portal`).

    ``status`` is ``ok`` for a report built in this run, ``failed`` when the county's last run
    failed (the previous report, if any, stays linked) and ``skipped`` for a report left as it was.
    """
    entries = []
    for p in counties:
        m = manifest_counties.get(p.county_code) or {}
        report = out.report(p.stem)
        status = m.get("status", "ok")
        if status == "ok" and p.county_code not in built_now:
            status = "skipped"
        entry: dict[str, Any] = {
            "params": p,
            "status": status,
            "report": report if report.is_file() else None,
        }
        finished = (m.get("last_good") or {}).get("finished")
        if finished:
            entry["date"] = str(finished)[:10]
        if not headline:
            entry["headline"] = []  # fixture chapters: no key figures on the portal
        elif m.get("headline"):
            entry["headline"] = [tuple(h) for h in m["headline"]]
        entries.append(entry)
    return entries


def county_results(plan: Plan, executed: dict[str, CountyResult]) -> list[CountyResult]:
    """Every selected county's result, in order: executed ones and up-to-date ones."""
    out = []
    for cp in plan.counties:
        p = cp.params
        if cp.why is not None:
            out.append(executed[p.county_code])
            continue
        prev = plan.previous_counties[p.county_code]
        out.append(
            CountyResult(
                p.county_code,
                p.county_name,
                p.stem,
                "up-to-date",
                report=prev.get("report"),
                reason="nothing changed",
                headline=prev.get("headline"),
            )
        )
    return out


def manifest_counties(
    cfg: RunConfig, plan: Plan, execution: Execution, finished: str
) -> dict[str, Any]:
    """The manifest's county entries: the executed counties' new ones, the others as they were."""
    known = {p.county_code for p in cfg.counties}
    entries = {k: v for k, v in plan.previous_counties.items() if k in known}
    for cp in plan.to_run:
        code = cp.params.county_code
        entries[code] = county_manifest_entry(
            execution.results[code],
            plan.previous_counties.get(code),
            entry_info(cfg, plan, cp, (execution.commit, execution.snapshot), finished),
        )
    return dict(sorted(entries.items()))


def entry_info(
    cfg: RunConfig, plan: Plan, cp: CountyPlan, run: tuple[str, list[Any]], finished: str
) -> dict[str, Any]:
    """What :func:`county_manifest_entry` records besides the result; *run* is (commit, snapshot)."""
    commit, snapshot = run
    return {
        "finished": finished,
        "parameter_hash": cp.parts["parameters"][:16],
        "fingerprint": cp.fingerprint,
        "fingerprint_parts": cp.parts,
        "data_source": cfg.data_source,
        "snapshot": snapshot,
        "package_version": plan.version,
        "git_commit": commit,
    }


def build_manifest(
    cfg: RunConfig,
    plan: Plan,
    counties: list[CountyResult],
    entries: dict[str, Any],
    times: tuple[str, str, float],
    commit: str,
) -> dict[str, Any]:
    """The run manifest; *times* are (started, finished, duration in seconds)."""
    started, finished, duration_s = times
    return {
        "schema_version": MANIFEST_SCHEMA,
        "last_run": {
            "started": started,
            "finished": finished,
            "duration_s": round(duration_s, 3),
            "config": {
                "counties": [p.county_code for p in cfg.selected],
                "chapters": [c.id for c in cfg.chapters],
                "jobs": cfg.jobs,
                "force": cfg.force,
                "data_source": cfg.data_source,
                "cell_timeout_s": cfg.cell_timeout,
                "outputs": str(cfg.out.root),
            },
            "executed": [c.code for c in counties if c.status != "up-to-date"],
            "up_to_date": [c.code for c in counties if c.status == "up-to-date"],
            "failed": [c.code for c in counties if c.status == "failed"],
            "package_version": plan.version,
            "git_commit": commit
            if plan.to_run
            else plan.previous.get("last_run", {}).get("git_commit", "unknown"),
        },
        "counties": entries,
        "indicators": plan.previous.get("indicators"),
    }
