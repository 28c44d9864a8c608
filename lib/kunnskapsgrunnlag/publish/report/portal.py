"""The portal page ``outputs/reports/index.html``: one card per county, linking its report.

A card shows the county, whether its report was updated, unchanged, failed or not built yet, the
key figures its chapters emitted as ``kg-headline`` fragments (the runner passes them as the
entry's ``headline``; this layer never asks a chapter), and where the data came from.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.formatting import by_lang as _t
from kunnskapsgrunnlag.publish.report.checks import check_self_contained
from kunnskapsgrunnlag.publish.report.runinfo import (
    build_date,
    data_short,
    format_date,
)
from kunnskapsgrunnlag.publish.report.shell import PORTAL_TITLE, footer, page
from kunnskapsgrunnlag.regions import COUNTIES


def _href(report: Path, out_dir: Path) -> str:
    rel = os.path.relpath(Path(report).resolve(), Path(out_dir).resolve())
    return quote(Path(rel).as_posix())


def _status_text(status: str, exists: bool, built: str, lang: str) -> tuple[str, str, str]:
    """(text, css class, status) of a card, in the county's written standard."""
    if status == "failed":
        if exists:
            return _t(lang, "Oppdateringen feilet i denne kjøringen – lenken viser forrige rapport",
                      "Oppdateringa feila i denne køyringa – lenkja viser førre rapport"), "kg-failed", status  # fmt: skip
        return _t(lang, "Oppdateringen feilet i denne kjøringen – ingen rapport ennå",
                  "Oppdateringa feila i denne køyringa – ingen rapport enno"), "kg-failed", status  # fmt: skip
    if not exists:
        return _t(lang, "Ikke laget ennå", "Ikkje laga enno"), "kg-missing", "missing"
    if status == "skipped":
        return (
            _t(lang, "Uendret siden forrige kjøring", "Uendra sidan førre køyring"),
            "kg-skipped",
            status,
        )
    return f"Oppdatert {built}", "kg-ok", status


def _card(entry: Mapping[str, Any], out_dir: Path, run_info: Mapping[str, Any]) -> tuple[str, str]:
    params = entry["params"]
    code, lang = params.county_code, params.written_standard
    report = entry.get("report")
    exists = report is not None and Path(report).is_file()
    name = html.escape(COUNTIES[code].official_name if code in COUNTIES else params.county_name)
    built = format_date(entry.get("date") or build_date(run_info), lang)
    text, cls, status = _status_text(entry.get("status", "ok"), exists, built, lang)
    link = f'<a href="{_href(report, out_dir)}">{name}</a>' if exists else name
    parts = [
        f'<li class="kg-card {cls}" lang="{lang}" data-kg-county="{code}" data-kg-status="{html.escape(status)}">',
        f'<h2><span class="kg-code">{code}</span> {link}</h2>',
        f'<p class="kg-status">{html.escape(text)}</p>',
    ]
    figures = [(str(a), str(b)) for a, b in entry.get("headline") or ()]
    if figures:
        rows = "".join(f"<dt>{html.escape(a)}</dt><dd>{html.escape(b)}</dd>" for a, b in figures)
        parts.append(f'<dl class="kg-headline">{rows}</dl>')
    info = dict(run_info)
    if entry.get("data_date") is not None:
        info["data_date"] = entry["data_date"]
    written = "nynorsk" if lang == "nn" else "bokmål"
    parts.append(f'<p class="kg-card-date">{html.escape(data_short(info, lang))} · {written}</p>')
    parts.append("</li>")
    return "".join(parts), status


def _summary(n: int, statuses: list[str], when: str) -> str:
    """«15 fylker, alle oppdatert 1. desember 2026», or the count of each status."""
    if n and statuses.count("ok") == n:
        return f"{n} fylker, alle oppdatert {when}"
    words = {
        "ok": "oppdatert",
        "skipped": "uendret",
        "failed": "feilet",
        "missing": "ikke laget ennå",
    }
    parts = [f"{statuses.count(k)} {w}" for k, w in words.items() if statuses.count(k)]
    return " · ".join([f"{n} fylker", *parts])


def render_portal(
    entries: Sequence[Mapping[str, Any]], out_dir: Path, run_info: Mapping[str, Any]
) -> str:
    """Return the portal page (see :func:`build_portal`); links are relative to *out_dir*."""
    cards, statuses = [], []
    for entry in entries:
        card, status = _card(entry, Path(out_dir), run_info)
        cards.append(card)
        statuses.append(status)
    when = format_date(build_date(run_info))
    summary = _summary(len(entries), statuses, when)
    front = (
        '<header class="kg-front">'
        '<p class="kg-kicker">Fylkeskommunenes felles analysemal</p>'
        f"<h1>{PORTAL_TITLE}</h1>"
        '<dl class="kg-meta">'
        f"<dt>Oppdatert</dt><dd>{html.escape(when)}</dd>"
        f"<dt>Data</dt><dd>{html.escape(data_short(run_info))}. Statistikkåret for hvert tema står på hvert fylkes kort og på forsiden av rapporten.</dd>"
        '</dl><p class="kg-links"><a href="../indicators.csv" download>Alle tallene i rapportene (CSV)</a></p></header>'
    )
    body = (
        f'<div class="kg-page">\n{front}\n<main>\n<p class="kg-summary">{html.escape(summary)}</p>\n'
        f'<ul class="kg-cards">\n' + "\n".join(cards) + "\n</ul>\n</main>\n"
        f"{footer('nb', run_info)}\n</div>"
    )
    html_page = page(
        lang="nb", title=PORTAL_TITLE, body=body, body_class="kg-portal",
        commit=str(run_info.get("commit") or ""),
    )  # fmt: skip
    check_self_contained(html_page, "portal")
    return html_page


def build_portal(entries: list[dict[str, Any]], out_path: Path, run_info: dict[str, Any]) -> Path:
    """Write the portal page (``outputs/reports/index.html``) linking every county's report.

    Args:
        entries: one dict per county: ``params`` (CountyParameters), ``status`` (``"ok"``,
            ``"failed"`` or ``"skipped"``), ``report`` (path of the county's page or ``None``),
            optional ``headline`` (list of ``(label, formatted value)``, as :func:`.headlines`
            reads them from the chapters' ``kg-headline`` fragments; none: no key figures on the
            card), ``data_date`` and ``date`` (when its report was built). A failed county keeps a link to its previous report when that file exists; a
            county without a report file is shown as «Ikke bygget ennå» (not as failed).
        out_path: the portal file; links are relative to its folder.
        run_info: as for :func:`build_county_report`.

    Returns:
        *out_path*.
    """
    out_path = Path(out_path)
    paths.atomic_write_text(out_path, render_portal(entries, out_path.parent, run_info))
    return out_path
