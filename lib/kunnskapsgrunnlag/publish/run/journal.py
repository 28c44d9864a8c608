"""The run manifest kept up to date while the counties run (:class:`Journal`).

Reports are written by the workers as each county finishes, the full manifest only at the end of
the run. So that an interrupted run (``Ctrl-C``, a killed parent) never leaves a report on disk
that the manifest calls up to date under another fingerprint, the parent process rewrites
``outputs/manifest.json`` atomically

* **before** it hands a county to a worker: the county's entry gets ``status: running`` (its last
  good report and key figures stay), so the next run repeats it ("previous run interrupted");
* **when** the county's result arrives: its final entry, with the fingerprint it ran under;
* before ``indicators.csv`` is rewritten: its entry is cleared (``null``), so the file is written
  again unless the run gets to record it.

A county that was never handed out keeps its entry (its report was not touched). The end of the
run writes the whole manifest as before (:mod:`kunnskapsgrunnlag.publish.run.manifest`).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from kunnskapsgrunnlag.publish.run.manifest import (
    MANIFEST_SCHEMA,
    county_manifest_entry,
    entry_info,
    now,
)

if TYPE_CHECKING:  # pragma: no cover
    from kunnskapsgrunnlag.publish.run.inputs import RunConfig
    from kunnskapsgrunnlag.publish.run.plan import Plan
    from kunnskapsgrunnlag.publish.run.results import CountyResult


class Journal:
    """Record each county in the run manifest as it starts and as it finishes (atomically)."""

    def __init__(self, cfg: RunConfig, plan: Plan) -> None:
        self.cfg, self.plan = cfg, plan
        self.run: tuple[str, list[Any]] = ("unknown", [])
        """The run's (git commit, snapshot summary), recorded in each finished county's entry."""
        self.manifest: dict[str, Any] = copy.deepcopy(plan.previous)
        self.manifest.setdefault("schema_version", MANIFEST_SCHEMA)
        if not isinstance(self.manifest.get("counties"), dict):
            self.manifest["counties"] = {}
        self.by_code = {cp.params.county_code: cp for cp in plan.to_run}
        self.error: str | None = None
        """Why the manifest could not be written (reported with the run's errors)."""

    def indicators_started(self) -> None:
        """``indicators.csv`` is about to be rewritten: its fingerprint is no longer recorded."""
        self.manifest["indicators"] = None
        self._write()

    def started(self, code: str) -> None:
        """County *code* is about to be handed to a worker: mark it ``running``."""
        cp = self.by_code[code]
        prev = self.plan.previous_counties.get(code) or {}
        self.manifest["counties"][code] = {
            **copy.deepcopy(prev),
            "county_name": cp.params.county_name,
            "stem": cp.params.stem,
            "status": "running",
            "reason": cp.why,
            "started": now(),
        }
        self._write()

    def finished(self, code: str, result: CountyResult) -> None:
        """County *code* has its result: record its entry with the fingerprint it ran under."""
        info = entry_info(self.cfg, self.plan, self.by_code[code], self.run, now())
        prev = self.plan.previous_counties.get(code)
        self.manifest["counties"][code] = county_manifest_entry(result, prev, info)
        self._write()

    def _write(self) -> None:
        from kunnskapsgrunnlag import paths

        try:
            paths.atomic_write_json(self.cfg.out.manifest, self.manifest)
        except OSError as exc:
            self.error = f"the run manifest {self.cfg.out.manifest} was not updated: {exc}"
