"""Reading what the reader sees out of an executed chapter notebook: the ``kg-*`` fragments.

Chapter notebooks show everything through :class:`kunnskapsgrunnlag.publish.Chapter`, which
displays small HTML fragments (``text/html`` display data whose root element has a ``kg-*``
class). :func:`chapter_fragments` reads each executed notebook as JSON and keeps, in order, exactly
those fragments and the markdown cells; it drops the code, the ``parameters`` and
``injected-parameters`` cells, stdout/stderr, warnings, errors and any other output (a stray
``df`` or ``plt.show()`` is logged, never shown). Every fragment and markdown cell is sanitised
as it is read (:func:`~.sanitise.sanitise`: an allow-list of the elements and attributes the
report uses), before the report numbers, checks or joins anything.

Markdown cells are shown (headings shifted one level down, raw HTML escaped) unless tagged
``remove-cell``/``kg-skip``; a markdown cell whose metadata has ``"lang": "nb"`` or ``"nn"`` is
shown only in reports in that written standard.

Hidden data fragments carry what a chapter computed for the report and the portal, never shown
as they are: ``<span class="kg-uses" data-kg-indicators="…" hidden>`` (definitions appendix),
``<div class="kg-barometer-rows" data-kg-barometer="{JSON}" hidden>`` (:func:`barometer_rows`) and
``<span class="kg-headline" data-kg-label="…" data-kg-value="…" hidden>`` (:func:`headlines`) and
``<span class="kg-period" data-kg-value="…" hidden>`` (:func:`period`, the front page's statistics year).
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from kunnskapsgrunnlag.analysis.barometer import BarometerRow, from_json
from kunnskapsgrunnlag.publish.report.sanitise import sanitise

log = logging.getLogger("kunnskapsgrunnlag.publish.report")

SKIP_TAGS = frozenset(
    {"parameters", "injected-parameters", "remove-cell", "remove_cell", "kg-skip"}
)
"""Cells with any of these tags never reach the reader."""

# A fragment published by kunnskapsgrunnlag.publish: its root element carries a kg-* class.
_FRAGMENT = re.compile(
    r'^\s*<(?:section|h[1-6]|div|aside|figure|span|p|table|ul|ol|dl|nav)\b[^>]*\bclass="kg-'
)
CAPTION = re.compile(r'<span class="kg-caption">(.*?)</span>', re.S)
SOURCE = re.compile(r'<span class="kg-source">(.*?)</span>', re.S)
_INDICATORS = re.compile(r'data-kg-indicators="([^"]*)"')
_ATTR = re.compile(
    r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"""
)
_TAG = re.compile(r"<[^>]+>")
_TABLE_ID = re.compile(r"\b\d{5}\b")
_BAROMETER = re.compile(r'^<div class="kg-barometer-rows" data-kg-barometer="([^"]*)"')
_HEADLINE = re.compile(r'<span class="kg-headline" data-kg-label="([^"]*)" data-kg-value="([^"]*)"')
_PERIOD = re.compile(r'<span class="kg-period" data-kg-value="([^"]*)"')
_DATA_ONLY = re.compile(r'^<(?:div|span) class="kg-(?:barometer-rows|headline|period)"')


class ReportError(Exception):
    """A report cannot be built; the message says which county, chapter and element, and why."""


# --------------------------------------------------------------------------- small helpers
def _joined(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def attrs(text: str) -> dict[str, str]:
    """Parse the attributes of one start tag (without ``<name`` and ``>``)."""
    out: dict[str, str] = {}
    for m in _ATTR.finditer(text):
        name = m.group(1).lower()
        if name not in out:
            out[name] = next((g for g in m.groups()[1:] if g is not None), "")
    return out


def stub_data_uris(text: str) -> str:
    """Return *text* with every quoted ``data:`` URI cut to ``"data:"`` (checks skip the base64).

    Plain ``str.find`` instead of a regex: a report holds megabytes of base64.
    """
    if "data:" not in text:
        return text
    out, pos = [], 0
    while (i := text.find("data:", pos)) >= 0:
        quote_char = text[i - 1] if i > 0 else ""
        end = text.find(quote_char, i) if quote_char in {'"', "'"} else -1
        out.append(text[pos : i + 5])
        pos = end if end >= 0 else i + 5
    out.append(text[pos:])
    return "".join(out)


def plain(fragment: str) -> str:
    """The text of an HTML fragment, without tags and with entities resolved."""
    return html.unescape(_TAG.sub("", fragment)).strip()


def is_data_only(fragment: str) -> bool:
    """True for a hidden data fragment (barometer rows, headline, period) that the page does not show."""
    return _DATA_ONLY.match(fragment) is not None


# --------------------------------------------------------------------------- notebooks
def read_notebook(source: Path | Mapping[str, Any]) -> dict[str, Any]:
    """Read an executed notebook (a path, or an already-loaded notebook dict) as nbformat v4."""
    if isinstance(source, Mapping):
        return dict(source)
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8")
        nb = json.loads(text)
    except (OSError, ValueError) as err:
        raise ReportError(f"{path}: cannot read the executed notebook ({err})") from None
    if not isinstance(nb, dict) or "cells" not in nb:
        raise ReportError(f"{path}: not a Jupyter notebook")
    if nb.get("nbformat") != 4:
        import nbformat

        nb = nbformat.reads(text, as_version=4)
    return nb


@cache
def _markdown_renderer() -> Any:
    import mistune

    return mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])


def _markdown(source: str) -> str:
    out = str(_markdown_renderer()(source))
    out = re.sub(r"<(/?)h([1-5])\b", lambda m: f"<{m[1]}h{int(m[2]) + 1}", out)
    return sanitise(f'<div class="kg-text kg-markdown">{out}</div>')


def _code_fragments(cell: Mapping[str, Any], index: int, where: str) -> list[str]:
    parts = []
    for out in cell.get("outputs") or []:
        otype = out.get("output_type")
        if otype in {"display_data", "execute_result"}:
            frag = out.get("data", {}).get("text/html")
            if frag is not None and _FRAGMENT.match(_joined(frag)):
                parts.append(sanitise(_joined(frag).strip()))
                continue
            log.warning(
                "%s, cell %d: output not shown in the report (%s); show things with Chapter.*",
                where,
                index + 1,
                ", ".join(sorted(out.get("data", {}))) or otype,
            )
        elif otype == "error":
            log.warning(
                "%s, cell %d: error output not shown in the report: %s",
                where,
                index + 1,
                out.get("ename"),
            )
        # streams (stdout/stderr, warnings) are never shown
    return parts


def chapter_fragments(nb: Mapping[str, Any], lang: str, where: str = "notebook") -> list[str]:
    """Return what the reader sees of one executed chapter notebook, in order.

    Keeps the ``kg-*`` HTML fragments published by :class:`~kunnskapsgrunnlag.publish.Chapter`
    and the markdown cells; drops code, parameter cells, streams, errors and any other output.
    """
    parts: list[str] = []
    for index, cell in enumerate(nb.get("cells", [])):
        meta = cell.get("metadata") or {}
        if SKIP_TAGS.intersection(meta.get("tags") or ()):
            continue
        kind = cell.get("cell_type")
        if kind == "markdown":
            cell_lang = meta.get("lang")
            source = _joined(cell.get("source", ""))
            if source.strip() and (cell_lang is None or cell_lang == lang):
                parts.append(_markdown(source))
        elif kind == "code":
            parts.extend(_code_fragments(cell, index, where))
    return parts


# --------------------------------------------------------------------------- data in fragments
def indicator_ids(fragments: Iterable[str]) -> list[str]:
    """Registry ids named in ``data-kg-indicators`` attributes, in order of first appearance."""
    ids: list[str] = []
    for frag in fragments:
        for m in _INDICATORS.finditer(frag):
            for i in html.unescape(m.group(1)).split(","):
                i = i.strip()
                if i and i not in ids:
                    ids.append(i)
    return ids


def source_tables(fragments: Iterable[str]) -> list[str]:
    """SSB table numbers named in the fragments' source lines, in order of first appearance."""
    tables: list[str] = []
    for frag in fragments:
        for m in SOURCE.finditer(frag):
            for t in _TABLE_ID.findall(plain(m.group(1))):
                if t not in tables:
                    tables.append(t)
    return tables


def barometer_rows(fragments: Iterable[str], where: str = "report") -> list[BarometerRow]:
    """The barometer rows of ``kg-barometer-rows`` fragments, in order.

    Raises:
        ReportError: a fragment's rows do not follow the contract of
            :func:`kunnskapsgrunnlag.analysis.barometer.from_json` (the message names the field).
    """
    rows: list[BarometerRow] = []
    for frag in fragments:
        m = _BAROMETER.match(frag)
        if m is None:
            continue
        try:
            rows.extend(from_json(html.unescape(m.group(1))))
        except ValueError as err:
            raise ReportError(f"{where}: {err}") from None
    return rows


def headlines(fragments: Iterable[str]) -> list[tuple[str, str]]:
    """The ``(label, value)`` pairs of ``kg-headline`` fragments (the portal's key figures), in order."""
    return [
        (html.unescape(m.group(1)), html.unescape(m.group(2)))
        for frag in fragments
        for m in _HEADLINE.finditer(frag)
    ]


def period(fragments: Iterable[str]) -> str | None:
    """The chapter's statistics period from its ``kg-period`` fragment (the last one), if any."""
    found = [html.unescape(m.group(1)) for frag in fragments for m in _PERIOD.finditer(frag)]
    return found[-1] if found else None
