"""The report's first section «Utfordringer og muligheter»: every chapter's barometer rows in one table.

Rendered only from the rows' own fields (:class:`~kunnskapsgrunnlag.analysis.barometer.BarometerRow`),
so this module names no chapter. Rows keep the chapters' order. The table is not numbered: it
summarises the chapters' tables and figures, and «Tabell 1» stays the first table of the first
chapter. Every verdict is a symbol and words (never colour alone); the rule for verdicts is
stated under the table, followed by the computed summary sentences.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from kunnskapsgrunnlag.analysis.barometer import (
    BarometerRow,
    summary_sentences,
    threshold_rule,
    verdict_text,
)
from kunnskapsgrunnlag.formatting import by_lang as _t
from kunnskapsgrunnlag.publish.report.fragments import ReportError

SECTION_ID = "utfordringer-og-muligheter"
"""The section's HTML id (the same in nb and nn), linked first from the contents list."""


def title(lang: str) -> str:
    """«Utfordringer og muligheter» (nb) / «Utfordringar og moglegheiter» (nn)."""
    return _t(lang, "Utfordringer og muligheter", "Utfordringar og moglegheiter")


def _intro(county_name: str, lang: str) -> str:
    return _t(
        lang,
        f"Tabellen samler indikatorene fra kapitlene og viser hvordan {county_name} ligger an "
        "sammenlignet med referansen. Hver indikator lenker til avsnittet der den er omtalt.",
        f"Tabellen samlar indikatorane frå kapitla og viser korleis {county_name} ligg an "
        "samanlikna med referansen. Kvar indikator lenkjer til avsnittet der han er omtala.",
    )


def _head(county_name: str, lang: str) -> str:
    cols = [
        ("Indikator", ""),
        ("År", ""),
        (county_name, "num"),
        ("Referanse", ""),
        ("Plass", "num"),
        ("Vurdering", ""),
    ]
    cells = "".join(
        f'<th scope="col"{f" class={cls}" if cls else ""}>{html.escape(name)}</th>'
        for name, cls in cols
    )
    return f"<thead><tr>{cells}</tr></thead>"


def _row(row: BarometerRow, lang: str) -> str:
    e = html.escape
    symbol, _, words = verdict_text(row, lang).partition(" ")
    return (
        f'<tr data-kg-indicator="{e(row.indicator)}" data-kg-verdict="{e(row.verdict)}">'
        f'<th scope="row"><a href="#{e(row.anchor)}">{e(row.label)}</a></th>'
        f"<td>{e(row.year)}</td>"
        f'<td class="num">{e(row.value)}</td>'
        f'<td>{e(row.reference)} <span class="kg-reference-name">'
        f"({e(row.reference_name)})</span></td>"
        f'<td class="num">{e(row.rank)}</td>'
        f'<td class="kg-verdict kg-verdict-{e(row.verdict)}">'
        f'<span class="kg-verdict-symbol" aria-hidden="true">{e(symbol)}</span> {e(words)}</td>'
        "</tr>"
    )


def section(rows: Sequence[BarometerRow], county_name: str, lang: str) -> str:
    """The barometer section (``<section class="kg-barometer" id="utfordringer-og-muligheter">``)."""
    caption = _t(
        lang,
        f"{county_name} sammenlignet med referansen, siste år med tall",
        f"{county_name} samanlikna med referansen, siste år med tal",
    )
    body = "".join(_row(r, lang) for r in rows)
    sentences = "".join(
        f"<li>{html.escape(s)}</li>" for s in summary_sentences(rows, county_name, lang)
    )
    return (
        f'<section class="kg-barometer" id="{SECTION_ID}">'
        f'<h2 class="kg-heading kg-chapter">{html.escape(title(lang))}</h2>'
        f'<p class="kg-barometer-intro">{html.escape(_intro(county_name, lang))}</p>'
        '<div class="kg-table kg-barometer-table">'
        f'<table class="kg-data"><caption>{html.escape(caption)}</caption>'
        f"{_head(county_name, lang)}<tbody>{body}</tbody></table></div>"
        f'<p class="kg-barometer-rule">{html.escape(threshold_rule(lang))}</p>'
        f'<ul class="kg-barometer-summary">{sentences}</ul>'
        "</section>"
    )


def check_anchors(rows: Sequence[BarometerRow], ids: set[str], where: str) -> None:
    """Refuse a row whose link would lead nowhere (its anchor is no id in the page)."""
    for r in rows:
        if r.anchor not in ids:
            raise ReportError(
                f"{where}, chapter {r.chapter}: barometer row {r.indicator!r} links to "
                f"#{r.anchor}, which is no id in the report"
            )
