"""The chapter registry: which chapters make up the standard report, in which order.

To add a chapter to the standard report: add a notebook in ``notebooks/`` (start from
``notebooks/_kapittelmal.ipynb``), add an entry here, and give it tests (see docs/ny-kapittel.md).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from kunnskapsgrunnlag import paths


@dataclass(frozen=True)
class ChapterSpec:
    """One chapter of the standard report."""

    id: str
    order: int
    notebook: str
    title_nb: str
    title_nn: str
    indicator_rows: str | None = None
    """``module:function`` returning this chapter's rows of ``outputs/indicators.csv`` (all counties)."""

    @property
    def path(self):
        """The chapter notebook's path."""
        return paths.NOTEBOOKS / self.notebook

    def title(self, lang: str) -> str:
        """The chapter title in the written standard *lang*."""
        return self.title_nn if lang == "nn" else self.title_nb

    def rows_function(self) -> Callable[[], pd.DataFrame] | None:
        """Import and return the function that produces this chapter's indicator rows."""
        if not self.indicator_rows:
            return None
        module, func = self.indicator_rows.split(":")
        return getattr(importlib.import_module(module), func)


CHAPTERS: list[ChapterSpec] = [
    ChapterSpec(
        id="befolkning",
        order=10,
        notebook="10_befolkning.ipynb",
        title_nb="Befolkning",
        title_nn="Befolkning",
        indicator_rows="kunnskapsgrunnlag.population:indicator_rows",
    ),
    ChapterSpec(
        id="kostra",
        order=20,
        notebook="20_fylkeskommunen_i_kostra.ipynb",
        title_nb="Fylkeskommunen i KOSTRA",
        title_nn="Fylkeskommunen i KOSTRA",
        indicator_rows="kunnskapsgrunnlag.kostra:indicator_rows",
    ),
    ChapterSpec(
        id="framskriving",
        order=30,
        notebook="30_framskriving.ipynb",
        title_nb="Befolkningsframskriving",
        title_nn="Befolkningsframskriving",
        indicator_rows="kunnskapsgrunnlag.projection:indicator_rows",
    ),
]


def chapters(available_only: bool = True) -> list[ChapterSpec]:
    """Return the registered chapters in report order (only those whose notebook exists)."""
    out = sorted(CHAPTERS, key=lambda c: c.order)
    return [c for c in out if c.path.is_file()] if available_only else out


def get(chapter_id: str) -> ChapterSpec:
    """Return the chapter with *chapter_id*."""
    for c in CHAPTERS:
        if c.id == chapter_id:
            return c
    raise KeyError(
        f"unknown chapter {chapter_id!r}; registered: {', '.join(c.id for c in CHAPTERS)}"
    )
