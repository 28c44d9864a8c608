"""Step 1 of a run: validate the input and settle the run's configuration.

Every parameter file is validated (:func:`kunnskapsgrunnlag.params.load_all`), also when only
some counties are selected; one invalid file, an unknown ``--county``, a bad ``--jobs`` or
``$KG_CELL_TIMEOUT`` raise :class:`RunInputError` (exit status 2: nothing runs).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kunnskapsgrunnlag import paths

if TYPE_CHECKING:  # pragma: no cover
    from kunnskapsgrunnlag.contents import ChapterSpec
    from kunnskapsgrunnlag.params import CountyParameters

DEFAULT_CELL_TIMEOUT = 300.0
"""Seconds a single cell may run before its county fails (``$KG_CELL_TIMEOUT`` overrides)."""


class RunInputError(Exception):
    """Invalid input to :func:`run` (exit status 2, nothing runs); one message per argument."""


def default_jobs() -> int:
    """Return the number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def resolve_cell_timeout(cell_timeout: float | None = None) -> float:
    """Return the per-cell timeout: the argument, else ``$KG_CELL_TIMEOUT``, else 300 s."""
    if cell_timeout is None:
        raw = os.environ.get("KG_CELL_TIMEOUT", "").strip()
        if not raw:
            return DEFAULT_CELL_TIMEOUT
        try:
            cell_timeout = float(raw)
        except ValueError:
            raise RunInputError(f"KG_CELL_TIMEOUT={raw!r}: expected a number of seconds") from None
        source = "KG_CELL_TIMEOUT"
    else:
        source = "cell_timeout"
    if not cell_timeout > 0 or math.isinf(cell_timeout):
        raise RunInputError(
            f"{source}: expected a positive number of seconds, got {cell_timeout!r}"
        )
    return float(cell_timeout)


def _normalise_codes(counties: Sequence[str] | None) -> list[str] | None:
    if not counties:
        return None
    out = []
    for c in counties:
        code = str(c).strip()
        if code.isdigit() and len(code) == 1:
            code = code.zfill(2)
        if code not in out:
            out.append(code)
    return out


@dataclass(frozen=True)
class Outputs:
    """The outputs folder: reports, executed notebooks, the manifest and ``indicators.csv``."""

    root: Path

    @property
    def reports(self) -> Path:
        """The county reports and the portal page."""
        return self.root / "reports"

    @property
    def notebooks(self) -> Path:
        """The executed notebooks, one folder per county."""
        return self.root / "notebooks"

    @property
    def manifest(self) -> Path:
        """The run manifest."""
        return self.root / "manifest.json"

    @property
    def indicators(self) -> Path:
        """The indicator table of every county."""
        return self.root / "indicators.csv"

    @property
    def portal(self) -> Path:
        """The portal page."""
        return self.reports / "index.html"

    def report(self, stem: str) -> Path:
        """The report of the county with file stem *stem*."""
        return self.reports / f"{stem}.html"

    def rel(self, p: Path | str) -> str:
        """*p* relative to the outputs folder (as given when outside it)."""
        p = Path(p)
        try:
            return p.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(p)


@dataclass
class RunConfig:
    """The effective configuration of a run (its first log line)."""

    param_dir: Path
    counties: list[CountyParameters]
    """Every valid parameter file, by county code (the portal lists them all)."""
    selected: list[CountyParameters]
    wanted: list[str] | None
    chapters: list[ChapterSpec]
    using_registry: bool
    """The registered chapters (not fixtures): key figures on the portal, indicators.csv."""
    write_indicators: bool
    out: Outputs
    jobs: int
    cell_timeout: float
    force: bool
    live: bool

    @property
    def data_source(self) -> str:
        """``live`` (SSB's API) or ``snapshot`` (the bundled data)."""
        return "live" if self.live else "snapshot"

    def county_chapters(self, p: CountyParameters) -> list[ChapterSpec]:
        """The county's chapters: its choice of the run's chapters, then its own notebooks."""
        from kunnskapsgrunnlag.contents import county_chapters

        return county_chapters(self.chapters, p)

    def county_inputs(self, p: CountyParameters) -> list[tuple[str, Path]]:
        """Files besides notebooks and parameter file that a county's report reads: assessments."""
        return sorted((f"assessment {cid}", f) for cid, f in p.assessment_files().items())

    def describe(self) -> str:
        """The log line that opens the run."""
        n = len(self.selected)
        which = "all" if not self.wanted else ", ".join(p.county_code for p in self.selected)
        own = "".join(
            f" + {p.county_code}: {', '.join(c.removesuffix('.ipynb') for c in p.extra_chapters)}"
            for p in self.selected
            if p.extra_chapters
        )
        return (
            f"kg run: {n} {'county' if n == 1 else 'counties'} ({which});"
            f" chapters: {', '.join(c.id for c in self.chapters)}{own}; jobs: {self.jobs};"
            f" data: {self.data_source}; force: {'yes' if self.force else 'no'};"
            f" cell timeout: {self.cell_timeout:g} s; outputs: {self.out.root}"
        )


def _load_parameters(param_dir: Path) -> list[CountyParameters]:
    from kunnskapsgrunnlag import params as params_mod

    files = paths.parameter_files(param_dir)
    if not files:
        raise RunInputError(f"no parameter files (NN-slug.yaml) in {param_dir}")
    good, errors = params_mod.load_all(files)
    if errors:
        raise RunInputError(
            *(str(e) for e in errors),
            f"{len(errors)} invalid parameter file(s); fix them (kg validate) and run again",
        )
    return sorted(good, key=lambda p: p.county_code)


def _select(good: list[CountyParameters], wanted: list[str] | None) -> list[CountyParameters]:
    if not wanted:
        return list(good)
    by_code = {p.county_code: p for p in good}
    unknown = [c for c in wanted if c not in by_code]
    if unknown:
        have = ", ".join(f"{p.county_code} {p.county_name}" for p in good)
        raise RunInputError(
            *(f"--county {c}: no parameter file for county {c!r} (have: {have})" for c in unknown)
        )
    return [by_code[c] for c in sorted(wanted)]


def _chapter_list(chapters: Sequence[ChapterSpec] | None) -> tuple[list[ChapterSpec], bool]:
    """The chapters to run and whether they are the registered ones."""
    if chapters is None:
        from kunnskapsgrunnlag.contents import chapters as registered

        chapter_list = registered()
        if not chapter_list:
            raise RunInputError(
                f"no chapter notebooks found in {paths.NOTEBOOKS} (see kunnskapsgrunnlag/contents.py)"
            )
        return chapter_list, True
    chapter_list = list(chapters)
    missing = [str(c.path) for c in chapter_list if not c.path.is_file()]
    if missing:
        raise RunInputError(*(f"chapter notebook not found: {m}" for m in missing))
    if not chapter_list:
        raise RunInputError("no chapters to run")
    return chapter_list, False


def validate(
    counties: Sequence[str] | None,
    jobs: int | None,
    force: bool,
    live: bool,
    chapters: Sequence[ChapterSpec] | None,
    outputs: Path | str | None,
    parameters: Path | str | None,
    cell_timeout: float | None,
    write_indicators: bool | None,
) -> RunConfig:
    """Check the input of :func:`run`; raise :class:`RunInputError` with every problem found."""
    param_dir = Path(parameters) if parameters is not None else paths.PARAMETERS
    good = _load_parameters(param_dir)
    timeout = resolve_cell_timeout(cell_timeout)
    if jobs is not None and jobs < 1:
        raise RunInputError(f"--jobs must be at least 1, got {jobs}")
    wanted = _normalise_codes(counties)
    selected = _select(good, wanted)
    chapter_list, using_registry = _chapter_list(chapters)
    return RunConfig(
        param_dir=param_dir,
        counties=good,
        selected=selected,
        wanted=wanted,
        chapters=chapter_list,
        using_registry=using_registry,
        write_indicators=using_registry if write_indicators is None else write_indicators,
        out=Outputs(Path(outputs) if outputs is not None else paths.OUTPUTS),
        jobs=jobs or default_jobs(),
        cell_timeout=timeout,
        force=force,
        live=live,
    )


def chapter_inputs(
    spec: ChapterSpec, params: CountyParameters, param_dir: Path
) -> list[tuple[str, Path]]:
    """The files one county's chapter is made from, besides the data and the library.

    Each item is (label, path); the chapter's fingerprint hashes every file's content (a missing
    file counts as ``missing``), so a changed item re-runs that chapter for that county only.
    A per-chapter input (e.g. a county's assessment of the chapter) is one more item here. The
    parameter file, the data and the library are hashed for every chapter
    (:func:`kunnskapsgrunnlag.publish.run.plan.make_plan`).
    """
    del params, param_dir  # no per-county chapter input yet
    return [("notebook", spec.path)]
