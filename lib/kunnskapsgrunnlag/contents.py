"""The chapter registry: which chapters make up the standard report, in which order.

To add a chapter to the standard report: add a notebook in ``notebooks/`` (start from
``notebooks/_kapittelmal.ipynb``), add an entry here and its indicators to
``indicators/indicators.yaml``, and give it tests (see docs/ny-kapittel.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from kunnskapsgrunnlag import paths


@dataclass(frozen=True)
class ChapterSpec:
    """One chapter of the standard report."""

    id: str
    order: int
    notebook: str
    title_nb: str
    title_nn: str
    own: bool = False
    """A county's own chapter (``notebooks/fylker/<code>-<slug>/``), not a standard one."""

    @property
    def path(self):
        """The chapter notebook's path."""
        return paths.NOTEBOOKS / self.notebook

    def title(self, lang: str) -> str:
        """The chapter title in the written standard *lang*."""
        return self.title_nn if lang == "nn" else self.title_nb


CHAPTERS: list[ChapterSpec] = [
    ChapterSpec(
        id="befolkning",
        order=10,
        notebook="10_befolkning.ipynb",
        title_nb="Befolkning",
        title_nn="Befolkning",
    ),
    ChapterSpec(
        id="kostra",
        order=20,
        notebook="20_fylkeskommunen_i_kostra.ipynb",
        title_nb="Fylkeskommunen i KOSTRA",
        title_nn="Fylkeskommunen i KOSTRA",
    ),
    ChapterSpec(
        id="framskriving",
        order=30,
        notebook="30_framskriving.ipynb",
        title_nb="Befolkningsframskriving",
        title_nn="Befolkningsframskriving",
    ),
    ChapterSpec(
        id="utdanning",
        order=40,
        notebook="40_utdanning.ipynb",
        title_nb="Utdanning",
        title_nn="Utdanning",
    ),
    ChapterSpec(
        id="samferdsel",
        order=50,
        notebook="50_samferdsel.ipynb",
        title_nb="Samferdsel",
        title_nn="Samferdsel",
    ),
    ChapterSpec(
        id="tannhelse",
        order=60,
        notebook="60_tannhelse.ipynb",
        title_nb="Tannhelse",
        title_nn="Tannhelse",
    ),
    ChapterSpec(
        id="arbeidsmarked",
        order=70,
        notebook="70_arbeidsmarked.ipynb",
        title_nb="Arbeidsmarked",
        title_nn="Arbeidsmarknad",
    ),
    ChapterSpec(
        id="naeringsliv",
        order=80,
        notebook="80_naeringsliv.ipynb",
        title_nb="Næringsliv",
        title_nn="Næringsliv",
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


def county_chapter(stem: str, notebook: str, order: int) -> ChapterSpec:
    """The spec of a county's own chapter ``notebooks/fylker/<stem>/<notebook>``.

    Its title is the notebook's ``metadata.kunnskapsgrunnlag.title`` (``{"nb": …, "nn": …}``),
    else the chapter id; the notebook's ``Chapter(..., title=(nb, nn))`` shows the title.
    """
    rel = f"fylker/{stem}/{notebook}"
    cid = notebook.removesuffix(".ipynb")
    title = {"nb": cid, "nn": cid}
    try:
        meta = json.loads((paths.NOTEBOOKS / rel).read_text(encoding="utf-8"))["metadata"]
        title.update(meta.get("kunnskapsgrunnlag", {}).get("title", {}))
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    return ChapterSpec(cid, order, rel, str(title["nb"]), str(title["nn"]), own=True)


def county_chapters(chapters: list[ChapterSpec], params: Any) -> list[ChapterSpec]:
    """A county's chapters: its choice of *chapters* (all when it chose none), then its own.

    *params* is the county's ``CountyParameters`` (``chapters``, ``extra_chapters``, ``stem``).
    """
    by_id = {c.id: c for c in chapters}
    chosen = (
        chapters if params.chapters is None else [by_id[i] for i in params.chapters if i in by_id]
    )
    own = [county_chapter(params.stem, nb, 1000 + i) for i, nb in enumerate(params.extra_chapters)]
    return [*chosen, *own]
