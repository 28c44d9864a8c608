"""The county's own voice in its report: the assessment box and the mark on its own chapters.

An assessment (``assessments:`` in the parameter file) is markdown written by the county's
analysts. It is shown at the end of its chapter in a box of its own, «Fylkeskommunens vurdering»
(nynorsk «Fylkeskommunen si vurdering»), apart from every computed text: rendered by mistune with
``escape=True`` (raw HTML in the file is shown as text, never passed through), then cut down by the
same allow-list as every fragment (:func:`~.sanitise.sanitise`; links keep only in-page anchors).
Headings in the file become ``h4``–``h6`` (``#`` and ``##`` are ``h4``), so they stay inside the
box (under its ``h3`` title) and out of the contents.
The optional front matter (``author``, ``date``) is shown under the box.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path
from typing import Any

from kunnskapsgrunnlag.formatting import by_lang as _t
from kunnskapsgrunnlag.params_county import AssessmentError, read_assessment
from kunnskapsgrunnlag.publish.report.fragments import ReportError
from kunnskapsgrunnlag.publish.report.runinfo import format_date
from kunnskapsgrunnlag.publish.report.sanitise import sanitise


@cache
def _renderer() -> Any:
    import mistune

    return mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])


def title(lang: str) -> str:
    """The box title in the written standard *lang*."""
    return _t(lang, "Fylkeskommunens vurdering", "Fylkeskommunen si vurdering")


def own_chapter_label(lang: str) -> str:
    """What the contents list says beside a county's own chapter."""
    return _t(lang, "fylkeskommunens eget kapittel", "fylkeskommunen sitt eige kapittel")


def _meta_line(meta: dict[str, str], lang: str) -> str:
    parts = []
    if "author" in meta:
        parts.append(f"{_t(lang, 'Skrevet av', 'Skriven av')} {html.escape(meta['author'])}")
    if "date" in meta:
        parts.append(html.escape(format_date(meta["date"], lang)))
    return f'<p class="kg-assessment-meta">{", ".join(parts)}.</p>' if parts else ""


def render_markdown(text: str) -> str:
    """The assessment's markdown as sanitised HTML (raw HTML escaped; headings h4–h6)."""
    out = str(_renderer()(text))
    out = re.sub(r"<(/?)h([1-6])\b", lambda m: f"<{m[1]}h{max(4, min(int(m[2]) + 2, 6))}", out)
    return sanitise(out)


def box(path: Path, lang: str, where: str) -> str:
    """The assessment box of one chapter, read from *path* (checked again: it may have changed)."""
    try:
        meta, text = read_assessment(path)
    except AssessmentError as err:
        raise ReportError(f"{where}: assessment {path}: {err}") from None
    note = _t(
        lang,
        "Teksten er skrevet av fylkeskommunen. Den er ikke regnet ut av analysemalen.",
        "Teksten er skriven av fylkeskommunen. Han er ikkje rekna ut av analysemalen.",
    )
    return (
        '<aside class="kg-assessment">'
        f'<h3 class="kg-box-title">{title(lang)}</h3>'
        f'<div class="kg-assessment-text">{render_markdown(text)}</div>'
        f'<p class="kg-assessment-note">{note}</p>'
        "</aside>" + _meta_line(meta, lang)
    )


def mark_own(entries: list[tuple[int, str, str]], start: int, lang: str) -> None:
    """Mark the first chapter heading listed from *start* on as the county's own, in place."""
    for i in range(start, len(entries)):
        level, hid, text = entries[i]
        if level == 2:
            label = html.escape(own_chapter_label(lang))
            entries[i] = (level, hid, f'{text} <span class="kg-own">({label})</span>')
            return
