"""What a run tells the person: a progress bar (or one line per county) and the summary."""

from __future__ import annotations

import os
from typing import Any, TextIO

from kunnskapsgrunnlag.publish.run.inputs import Outputs
from kunnskapsgrunnlag.publish.run.results import CountyResult, RunResult

_STATUS_WORD = {"ok": "ok", "failed": "FAILED", "up-to-date": "up to date"}


class Progress:
    """A tqdm bar on a terminal; one quiet line per finished county otherwise."""

    def __init__(self, total: int, stream: TextIO, bar: bool, chapters: int = 0) -> None:
        self.total = total
        self.done = 0
        self.stream = stream
        self.width = len(str(total))
        self.chapters = chapters
        self.running: dict[str, list[Any]] = {}
        self.bar = None
        if bar:
            from tqdm import tqdm

            self.bar = tqdm(
                total=total,
                file=stream,
                unit="county",
                desc="kg run",
                dynamic_ncols=True,
                leave=False,
            )

    def started(self, code: str, name: str) -> None:
        """A worker started county *code*."""
        self.running[code] = [name, 0]
        self._postfix()

    def chapter(self, code: str, chapter_id: str) -> None:
        """A chapter of county *code* finished."""
        if code in self.running:
            self.running[code][1] += 1
            self._postfix()

    def _postfix(self) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(
                ", ".join(
                    f"{code} {name} {done}/{self.chapters}"
                    for code, (name, done) in sorted(self.running.items())
                ),
                refresh=True,
            )

    def finished(self, c: CountyResult) -> None:
        """County *c* finished: one line with its status and first failure."""
        self.done += 1
        self.running.pop(c.code, None)
        word = _STATUS_WORD.get(c.status, c.status)
        line = f"[{self.done:>{self.width}}/{self.total}] {c.code} {c.name}  {word}  {c.duration_s:.1f} s"
        reused = [ch.id for ch in c.chapters if ch.reused]
        if reused:
            line += f"  (unchanged, not run: {', '.join(reused)})"
        if c.status == "failed" and c.failures:
            chapter_id, f = c.failures[0]
            line += f"  ({chapter_id + ', ' if chapter_id else ''}{f.describe()})"
        if self.bar is not None:
            self.bar.write(line, file=self.stream)
            self.bar.update(1)
            self._postfix()
        else:
            print(line, file=self.stream, flush=True)

    def close(self) -> None:
        """Remove the bar."""
        if self.bar is not None:
            self.bar.close()


def use_bar(stream: TextIO) -> bool:
    """A progress bar only on a terminal, and not with ``TQDM_DISABLE``."""
    if os.environ.get("TQDM_DISABLE", "").strip().lower() not in {"", "0", "false"}:
        return False
    try:
        return bool(stream.isatty()) and os.get_terminal_size(stream.fileno()).columns > 0
    except (AttributeError, ValueError, OSError):
        return False


def summary(result: RunResult, out: Outputs, stream: TextIO) -> None:
    """The summary: counts, each failure (county, chapter, cell), skipped counties, errors."""
    built = [c for c in result.counties if c.status == "ok"]
    parts = [
        f"{len(built)} built",
        f"{len(result.failed)} failed",
        f"{len(result.skipped)} up to date",
    ]
    print(f"kg run: {', '.join(parts)} in {result.duration_s:.1f} s", file=stream)
    for c in result.failed:
        print(f"  FAILED {c.code} {c.name}:", file=stream)
        for line in c.describe_failures():
            print(f"    {line}", file=stream)
        print(
            f"    executed notebooks kept in {out.rel(out.notebooks / c.stem)}/;"
            f" {'the previous report is unchanged' if out.report(c.stem).is_file() else 'no report'}",
            file=stream,
        )
    if result.skipped:
        names = ", ".join(f"{c.code} {c.name}" for c in result.skipped)
        print(f"  skipped (nothing changed since the last run): {names}", file=stream)
    for e in result.errors:
        print(f"  ERROR {e}", file=stream)
    if built or result.skipped:
        print(f"  reports: {out.reports}/ (portal: {out.portal.name})", file=stream)
    stream.flush()
