"""What a run reports: per cell (:class:`CellFailure`), chapter, county and the whole run.

The worker processes send a :class:`CountyResult` to the parent as plain data
(:func:`county_to_wire` / :func:`county_from_wire`); the run manifest stores the same shape.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class CellFailure:
    """Why and where a chapter notebook failed.

    ``kind`` is one of ``error`` (a cell raised), ``exit`` (``sys.exit``/``exit()`` stopped the
    notebook early), ``timeout`` (a cell ran longer than the cell timeout), ``dead_kernel`` (the
    kernel process died), ``incomplete`` (cells were left unexecuted), ``setup`` (the notebook
    could not be read, parameterised or started) or ``report`` (building the HTML failed).
    """

    kind: str
    message: str
    cell_index: int | None = None
    """0-based index of the cell in the executed notebook (``None`` when no cell is to blame)."""
    cell_source: str | None = None
    """First non-empty line of the failing cell's source."""
    ename: str | None = None
    evalue: str | None = None

    @property
    def cell_number(self) -> int | None:
        """1-based position of the failing cell in the executed notebook."""
        return None if self.cell_index is None else self.cell_index + 1

    def describe(self) -> str:
        """One line for a person: the cell and what went wrong."""
        where = ""
        if self.cell_index is not None:
            where = f"cell {self.cell_number}"
            if self.cell_source:
                where += f" `{self.cell_source}`"
            where += ": "
        return where + self.message


@dataclass
class ChapterResult:
    """The outcome of one chapter notebook for one county."""

    id: str
    notebook: str
    """The executed notebook (relative to the outputs folder when inside it)."""
    status: str
    duration_s: float
    failure: CellFailure | None = None
    stderr_outputs_removed: int = 0
    reused: bool = False
    """Not executed: the stored executed notebook of the same chapter fingerprint was used."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the run manifest."""
        d = asdict(self)
        if self.failure is not None:
            d["failure"]["cell_number"] = self.failure.cell_number
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ChapterResult:
        """Inverse of :meth:`to_dict`."""
        failure = d.get("failure")
        if failure:
            failure = {k: v for k, v in failure.items() if k != "cell_number"}
            failure = CellFailure(**failure)
        return cls(
            id=d["id"],
            notebook=d["notebook"],
            status=d["status"],
            duration_s=d["duration_s"],
            failure=failure,
            stderr_outputs_removed=d.get("stderr_outputs_removed", 0),
            reused=d.get("reused", False),
        )


@dataclass
class CountyResult:
    """The outcome of one county in this run."""

    code: str
    name: str
    stem: str
    status: str
    """``ok`` (report built), ``failed`` or ``up-to-date`` (skipped: nothing changed)."""
    duration_s: float = 0.0
    chapters: list[ChapterResult] = field(default_factory=list)
    report: str | None = None
    failure: CellFailure | None = None
    """A county-level failure (report building, worker crash); chapter failures are per chapter."""
    reason: str = ""
    """Why the county was executed (``first run``, ``forced``, ``changed: …``) or skipped."""
    headline: list[tuple[str, str]] | None = None
    """Key figures for the portal (label, formatted value), computed in the county's kernel."""

    @property
    def failures(self) -> list[tuple[str | None, CellFailure]]:
        """Every failure of the county as (chapter id or ``None``, failure)."""
        out: list[tuple[str | None, CellFailure]] = [
            (c.id, c.failure) for c in self.chapters if c.failure is not None
        ]
        if self.failure is not None:
            out.append((None, self.failure))
        return out

    def describe_failures(self) -> list[str]:
        """One line per failure: the chapter, the cell and the error."""
        lines = []
        for chapter_id, f in self.failures:
            nb = next((c.notebook for c in self.chapters if c.id == chapter_id), None)
            head = f"chapter {chapter_id}" if chapter_id else "county"
            lines.append(f"{head}: {f.describe()}" + (f" [{nb}]" if nb and chapter_id else ""))
        return lines


@dataclass
class RunResult:
    """What :func:`run` did."""

    exit_code: int
    counties: list[CountyResult] = field(default_factory=list)
    """Every selected county: executed ones and ``up-to-date`` ones."""
    errors: list[str] = field(default_factory=list)
    """Problems outside a county: invalid input, prefetch, portal, indicators."""
    duration_s: float = 0.0
    manifest: Path | None = None
    portal: Path | None = None
    indicators: Path | None = None

    @property
    def executed(self) -> list[CountyResult]:
        """Counties that ran in this run."""
        return [c for c in self.counties if c.status != "up-to-date"]

    @property
    def skipped(self) -> list[CountyResult]:
        """Counties that were up to date and did not run."""
        return [c for c in self.counties if c.status == "up-to-date"]

    @property
    def failed(self) -> list[CountyResult]:
        """Counties that failed."""
        return [c for c in self.counties if c.status == "failed"]

    def county(self, code: str) -> CountyResult:
        """Return the result of county *code*."""
        return next(c for c in self.counties if c.code == code)


def county_to_wire(c: CountyResult) -> dict[str, Any]:
    """Plain data for the queue from a worker to the parent (and the manifest)."""
    d = asdict(c)
    d["chapters"] = [ch.to_dict() for ch in c.chapters]
    return d


def county_from_wire(d: dict[str, Any]) -> CountyResult:
    """Inverse of :func:`county_to_wire`."""
    d = dict(d)
    d["chapters"] = [ChapterResult.from_dict(x) for x in d.get("chapters", [])]
    if d.get("failure"):
        d["failure"] = CellFailure(**d["failure"])
    if d.get("headline") is not None:
        d["headline"] = [tuple(x) for x in d["headline"]]
    return CountyResult(**d)


@dataclass
class Execution:
    """What the execute step leaves for publishing: the results and the run's provenance."""

    results: dict[str, CountyResult]
    """The executed counties, by county code."""
    commit: str
    snapshot: list[dict[str, Any]]
    run_info: dict[str, Any]
    """What the report builder prints about the run (see ``manifest.run_info``)."""
    indicators: Any = None
    """The background job writing ``indicators.csv`` (``None``: it is up to date)."""
