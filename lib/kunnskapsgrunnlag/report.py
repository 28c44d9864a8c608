"""HTML report building: one self-contained page per county, and the portal page.

:func:`build_county_report` turns a county's executed chapter notebooks into one HTML file for
county leaders; :func:`build_portal` writes ``outputs/reports/index.html`` linking every county.

How a report is made. Chapter notebooks show everything through
:class:`kunnskapsgrunnlag.publish.Chapter`, which displays small HTML fragments (``text/html``
display data whose root element has a ``kg-*`` class). The builder reads each executed notebook as
JSON and keeps, in order, exactly those fragments and the markdown cells; it drops the code, the
``parameters`` and ``injected-parameters`` cells, stdout/stderr, warnings, errors and any other
output (a stray ``df`` or ``plt.show()`` is logged, never shown). It then numbers figures
(«Figur 1.») and tables («Tabell 1.») across chapters, gives every ``h2``/``h3`` a unique id and
links it from the table of contents («Innhold»/«Innhald»), appends the definitions appendix from
the indicator registry (ids collected from ``data-kg-indicators``), and wraps it all in a front
page and a footer with sources, licence, version and commit.

Why not nbconvert's ``HTMLExporter``. Every feature above is post-processing of our own fragments
that nbconvert does not do (no contents list, numbering or captions), while its lab template adds
~270 KiB of CSS, loads require.js and MathJax from a CDN unless blanked, defaults to
``lang="en"`` and generic alt text, and would still need a template to hide inputs, streams and
the parameter cells. Importing it (and even ``nbformat``, through jsonschema and rfc3987-syntax)
costs 1.5–2.3 s here. So the builder reads notebooks with :mod:`json` (``nbformat`` is imported
only for a notebook that is not format v4), uses a ~9 KiB stylesheet of its own
(``templates/report.css``, system fonts) in a :class:`string.Template` page shell
(``templates/page.html``): ~0.1 s for a 1.6 MB report with 14 figures on a busy 2-core machine,
most of it reading the notebooks' JSON and skipping over the embedded pictures. The page carries a
Content-Security-Policy that forbids loading anything but embedded ``data:`` images, and the
builder refuses (:class:`ReportError`) any page that would load an external resource, any image
without real alt text, and any page over :data:`MAX_BYTES`.

Markdown cells are shown (headings shifted one level down, raw HTML escaped) unless tagged
``remove-cell``/``kg-skip``; a markdown cell whose metadata has ``"lang": "nb"`` or ``"nn"`` is
shown only in reports in that written standard.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import cache
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.formatting import by_lang as _t
from kunnskapsgrunnlag.publish.chapter import GENERIC_ALT
from kunnskapsgrunnlag.regions import COUNTIES

if TYPE_CHECKING:
    from kunnskapsgrunnlag.contents import ChapterSpec
    from kunnskapsgrunnlag.params import CountyParameters

log = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
"""Largest report the builder writes (bytes); a bigger page is refused."""

NBCONVERT_ALT = "No description has been provided for this image"
"""The alt text nbconvert gives every image; never acceptable in a report."""

TEMPLATES = Path(__file__).with_name("templates")

SKIP_TAGS = frozenset(
    {"parameters", "injected-parameters", "remove-cell", "remove_cell", "kg-skip"}
)
"""Cells with any of these tags never reach the reader."""

LICENCE = {
    "nb": "Kilde: Statistisk sentralbyrå (SSB), CC BY 4.0. Kartdata: © Kartverket, CC BY 4.0",
    "nn": "Kjelde: Statistisk sentralbyrå (SSB), CC BY 4.0. Kartdata: © Kartverket, CC BY 4.0",
}
DOC_TITLE = "Regionalt kunnskapsgrunnlag"
PORTAL_TITLE = "Regionalt kunnskapsgrunnlag for fylkene"
STATBANK_URL = "https://www.ssb.no/statbank/table/{table}"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.no"

# A fragment published by kunnskapsgrunnlag.publish: its root element carries a kg-* class.
_FRAGMENT = re.compile(
    r'^\s*<(?:section|h[1-6]|div|aside|figure|span|p|table|ul|ol|dl|nav)\b[^>]*\bclass="kg-'
)
_FIGURE_OPEN = re.compile(r'^<figure class="kg-(figure|table)"')
_CAPTION = re.compile(r'<span class="kg-caption">(.*?)</span>', re.S)
_SOURCE = re.compile(r'<span class="kg-source">(.*?)</span>', re.S)
_INDICATORS = re.compile(r'data-kg-indicators="([^"]*)"')
_IMG = re.compile(r"<img\b([^>]*)>", re.I)
_ATTR = re.compile(
    r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"""
)
_HEADING = re.compile(r"<h([23])\b([^>]*)>(.*?)</h\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_TABLE_ID = re.compile(r"\b\d{5}\b")
_RESERVED_IDS = frozenset({"innhold", "hovedinnhold"})
_NUMBERED_ID = re.compile(r"^(?:figur|tabell)-\d+$")  # ids of numbered figures and tables


class ReportError(Exception):
    """A report cannot be built; the message says which county, chapter and element, and why."""


# --------------------------------------------------------------------------- small helpers
def _joined(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _attrs(text: str) -> dict[str, str]:
    """Parse the attributes of one start tag (without ``<name`` and ``>``)."""
    out: dict[str, str] = {}
    for m in _ATTR.finditer(text):
        name = m.group(1).lower()
        if name not in out:
            out[name] = next((g for g in m.groups()[1:] if g is not None), "")
    return out


def _stub_data_uris(text: str) -> str:
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


def _plain(fragment: str) -> str:
    return html.unescape(_TAG.sub("", fragment)).strip()


def _anchor(text: str) -> str:
    s = _plain(text).lower()
    for a, b in (("æ", "ae"), ("ø", "o"), ("å", "a")):
        s = s.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-") or "del"


def council_name(county_code: str) -> str:
    """Name of the body the report is for: ``Vestland fylkeskommune``, but ``Oslo kommune``.

    Oslo is a municipality that also carries the county council's duties; there is no
    «Oslo fylkeskommune».
    """
    name = COUNTIES[county_code].name
    return f"{name} kommune" if county_code == "03" else f"{name} fylkeskommune"


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def format_date(value: Any, lang: str = "nb") -> str:
    """Format a date the Norwegian way (``4. mars 2025``); an unparseable string is returned as is.

    A pair ``(first, last)`` of different dates gives ``mellom 9. juni 2022 og 4. mars 2025``.
    """
    if isinstance(value, list | tuple):
        dates = [d for d in (_as_date(v) for v in value) if d is not None]
        if not dates:
            return ""
        lo, hi = min(dates), max(dates)
        if lo == hi:
            return format_date(lo, lang)
        return f"mellom {format_date(lo, lang)} og {format_date(hi, lang)}"
    d = _as_date(value)
    if d is None:
        return "" if value is None else str(value)
    from babel.dates import format_date as babel_date

    return babel_date(d, format="d. MMMM y", locale="nn_NO" if lang == "nn" else "nb_NO")


# --------------------------------------------------------------------------- run information
def _snapshot_entries(run_info: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    entries = run_info.get("snapshot")
    if entries:
        return [e for e in entries if isinstance(e, Mapping)]
    try:
        from kunnskapsgrunnlag.data.snapshot import manifest as snapshot_manifest
    except ImportError:
        snapshot_manifest = None
    try:
        if snapshot_manifest is not None:
            sources = snapshot_manifest()["sources"]
        else:
            sources = json.loads(paths.SNAPSHOT_MANIFEST.read_text(encoding="utf-8"))["sources"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return [{"id": sid, **e} for sid, e in sources.items() if isinstance(e, Mapping)]


def snapshot_dates(
    run_info: Mapping[str, Any] | None = None, tables: Iterable[str] = ()
) -> tuple[tuple[date, date] | None, bool]:
    """When the bundled data the report uses was taken from SSB.

    Reads the ``retrieved`` dates of the snapshot sources (``run_info["snapshot"]`` as the runner
    passes it, else the snapshot manifest), keeping the sources of SSB *tables* when given.

    Returns:
        ``((first, last), some_unknown)``: the earliest and latest retrieval date (``None`` when
        no date is known) and whether some used source has no recorded date.
    """
    entries = [e for e in _snapshot_entries(run_info or {}) if e.get("status", "ok") == "ok"]
    wanted = set(tables)
    if wanted and any(str(e.get("table")) in wanted for e in entries):
        entries = [e for e in entries if str(e.get("table")) in wanted]
    dates = [d for d in (_as_date(e.get("retrieved")) for e in entries) if d is not None]
    unknown = len(dates) < len(entries)
    return ((min(dates), max(dates)) if dates else None), unknown


def _data_date(run_info: Mapping[str, Any], tables: Iterable[str]) -> tuple[Any, bool]:
    raw = run_info.get("data_date")
    if raw is not None or run_info.get("data_source", "snapshot") == "live":
        return raw, False
    return snapshot_dates(run_info, tables)


def data_sentence(run_info: Mapping[str, Any], lang: str, tables: Iterable[str] = ()) -> str:
    """«Bygget på SSB-data hentet <dato> (medfølgende datauttak)» (nb) / «Bygd … henta …» (nn).

    Uses ``run_info["data_date"]`` (date, ISO string or a ``(first, last)`` pair), else the
    retrieval dates of the snapshot sources of *tables* when ``run_info["data_source"]`` is
    ``"snapshot"`` (the default); a span of dates reads «hentet mellom … og …».
    """
    live = run_info.get("data_source", "snapshot") == "live"
    raw, unknown = _data_date(run_info, tables)
    when = format_date(raw, lang) if raw is not None else ""
    if live:
        if not when:
            return _t(
                lang,
                "Bygget på SSB-data hentet direkte fra SSBs statistikkbank",
                "Bygd på SSB-data henta direkte frå statistikkbanken til SSB",
            )
        return _t(
            lang,
            f"Bygget på SSB-data hentet {when} direkte fra SSBs statistikkbank",
            f"Bygd på SSB-data henta {when} direkte frå statistikkbanken til SSB",
        )
    if not when:
        return _t(
            lang,
            "Bygget på SSB-data fra det medfølgende datauttaket (uttaksdato ikke registrert)",
            "Bygd på SSB-data frå det medfølgjande datauttaket (uttaksdato ikkje registrert)",
        )
    if isinstance(raw, tuple | list):
        # A span of retrieval dates: the reader needs the newest one (how fresh the data is).
        dates = [d for d in (_as_date(v) for v in raw) if d is not None]
        when = format_date(max(dates), lang) if dates else when
    return _t(
        lang,
        f"Bygget på det medfølgende datauttaket fra SSB, sist oppdatert {when}",
        f"Bygd på det medfølgjande datauttaket frå SSB, sist oppdatert {when}",
    )


def _data_short(run_info: Mapping[str, Any]) -> str:
    """Return the short data line of a portal card: «Data hentet 2. desember 2024 (…)» (bokmål)."""
    live = run_info.get("data_source", "snapshot") == "live"
    raw, _ = _data_date(run_info, ())
    when = format_date(raw) if raw is not None else ""
    where = "SSBs statistikkbank" if live else "medfølgende datauttak"
    return f"Data hentet {when} ({where})" if when else f"Data fra {where}"


def _build_date(run_info: Mapping[str, Any]) -> Any:
    return run_info.get("date") or date.today()


def _version_line(run_info: Mapping[str, Any], lang: str) -> str:
    from kunnskapsgrunnlag import __version__

    version = run_info.get("version") or __version__
    commit = str(run_info.get("commit") or "").strip()
    commit_text = f" (git {commit[:12]})" if commit else ""
    when = format_date(_build_date(run_info), lang)
    return _t(
        lang,
        f"Laget med kunnskapsgrunnlag {version}{commit_text}, bygget {when}.",
        f"Laga med kunnskapsgrunnlag {version}{commit_text}, bygd {when}.",
    )


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
    return f'<div class="kg-text kg-markdown">{out}</div>'


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
            continue
        if kind != "code":
            continue
        for out in cell.get("outputs") or []:
            otype = out.get("output_type")
            if otype in {"display_data", "execute_result"}:
                frag = out.get("data", {}).get("text/html")
                if frag is not None and _FRAGMENT.match(_joined(frag)):
                    parts.append(_joined(frag).strip())
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


# --------------------------------------------------------------------------- checks
def check_images(fragment: str, where: str) -> None:
    """Refuse images without real alt text, or whose picture is not embedded as ``data:``."""
    for m in _IMG.finditer(fragment):
        a = _attrs(m.group(1))
        alt = html.unescape(a.get("alt", "")).strip() if "alt" in a else None
        if alt is None:
            raise ReportError(
                f"{where}: an image has no alt text; give every figure an alt that says what it shows"
            )
        if alt.lower() in GENERIC_ALT or alt == NBCONVERT_ALT:
            raise ReportError(
                f"{where}: an image has the generic alt text {alt!r}; say what the figure shows"
            )
        if not a.get("src", "").startswith("data:"):
            raise ReportError(
                f"{where}: an image is not embedded (src {a.get('src', '')[:60]!r}); reports must be self-contained"
            )


_START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)\b([^>]*)>")
_BLOCKED_TAGS = frozenset(
    {
        "script",
        "link",
        "iframe",
        "frame",
        "object",
        "embed",
        "base",
        "video",
        "audio",
        "source",
        "track",
        "applet",
    }
)
_LOADING_ATTRS = frozenset(
    {"src", "srcset", "poster", "action", "formaction", "background", "data", "href", "xlink:href"}
)
_LOADING_HINT = re.compile(r"(?:src|srcset|poster|action|background|data|href|style)\s*=", re.I)
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S | re.I)
_CSS_BLOCKED = re.compile(r"@import|url\(\s*['\"]?(?!data:|#)", re.I)


def check_self_contained(page: str, where: str) -> None:
    """Refuse a page that would make the browser fetch anything (only ``data:`` images allowed).

    Links (``<a href>``) are navigation, not resources, and are allowed.
    """
    for m in _START_TAG.finditer(page):
        name = m.group(1).lower()
        if name in _BLOCKED_TAGS:
            raise ReportError(
                f"{where}: the page contains a <{name}> element; reports must not load anything"
            )
        if name == "a" or not _LOADING_HINT.search(m.group(2)):
            continue
        for attr, value in _attrs(m.group(2)).items():
            if attr in _LOADING_ATTRS and not value.strip().startswith("data:"):
                raise ReportError(
                    f"{where}: <{name} {attr}={value[:60]!r}> is not embedded; reports must not load anything"
                )
            if attr == "style" and _CSS_BLOCKED.search(value):
                raise ReportError(
                    f"{where}: inline CSS on <{name}> loads an external resource ({value[:60]!r})"
                )
    for m in _STYLE_BLOCK.finditer(page):
        bad = _CSS_BLOCKED.search(m.group(1))
        if bad:
            raise ReportError(
                f"{where}: CSS loads an external resource ({m.group(1)[bad.start() : bad.start() + 60]!r})"
            )


# --------------------------------------------------------------------------- assembling
@cache
def _template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def _page(*, lang: str, title: str, body: str, body_class: str) -> str:
    from kunnskapsgrunnlag import __version__

    return Template(_template("page.html")).substitute(
        lang=lang,
        title=html.escape(title),
        css=_template("report.css").strip(),
        body=body,
        body_class=body_class,
        generator=f"kunnskapsgrunnlag {__version__}",
    )


def _number(fragment: str, stub: str, counters: dict[str, int], where: str) -> str:
    """Add «Figur N.»/«Tabell N.» to a figure or table fragment; check its caption and source.

    *stub* is the fragment with its pictures stubbed out (:func:`_stub_data_uris`), for the checks.
    """
    m = _FIGURE_OPEN.match(fragment)
    if not m:
        return fragment
    kind = m.group(1)
    counters[kind] += 1
    n = counters[kind]
    label, anchor = ("Figur", "figur") if kind == "figure" else ("Tabell", "tabell")
    cap = _CAPTION.search(stub)
    if cap is None or not _plain(cap.group(1)):
        raise ReportError(f"{where}: {label.lower()} {n} has no caption")
    if not _SOURCE.search(stub):
        raise ReportError(
            f"{where}: {label.lower()} {n} ({_plain(cap.group(1))!r}) has no source line"
        )
    start = fragment.index('<span class="kg-caption">') + len('<span class="kg-caption">')
    fragment = fragment[:start] + f'<span class="kg-number">{label} {n}.</span> ' + fragment[start:]
    return fragment.replace(
        f'<figure class="kg-{kind}"', f'<figure class="kg-{kind}" id="{anchor}-{n}"', 1
    )


def _headings(text: str, taken: set[str], entries: list[tuple[int, str, str]]) -> str:
    """Give every h2/h3 in *text* an id unique in *taken*; add (level, id, text html) to *entries*."""

    def repl(m: re.Match[str]) -> str:
        level, attrs, inner = int(m.group(1)), m.group(2), m.group(3)
        base = _attrs(attrs).get("id") or _anchor(inner)
        hid, k = base, 2
        while hid in taken or _NUMBERED_ID.match(hid):
            hid, k = f"{base}-{k}", k + 1
        taken.add(hid)
        if re.search(r'\bid\s*=\s*"[^"]*"', attrs):
            attrs = re.sub(r'\bid\s*=\s*"[^"]*"', f'id="{hid}"', attrs, count=1)
        else:
            attrs = f'{attrs} id="{hid}"'
        entries.append((level, hid, html.escape(_plain(inner))))
        return f"<h{level}{attrs}>{inner}</h{level}>"

    return _HEADING.sub(repl, text)


def _toc(entries: Sequence[tuple[int, str, str]], lang: str) -> str:
    word = _t(lang, "Innhold", "Innhald")
    out = [f'<nav class="kg-toc" aria-labelledby="innhold"><h2 id="innhold">{word}</h2><ol>']
    in_item = in_sub = False
    for level, hid, text in entries:
        if level == 2:
            if in_sub:
                out.append("</ol>")
                in_sub = False
            if in_item:
                out.append("</li>")
            out.append(f'<li><a href="#{hid}">{text}</a>')
            in_item = True
        else:
            if not in_item:
                out.append("<li>")
                in_item = True
            if not in_sub:
                out.append("<ol>")
                in_sub = True
            out.append(f'<li><a href="#{hid}">{text}</a></li>')
    if in_sub:
        out.append("</ol>")
    if in_item:
        out.append("</li>")
    out.append("</ol></nav>")
    return "".join(out)


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


def _definitions(ids: list[str], lang: str, where: str) -> str:
    if not ids:
        return ""
    try:
        from kunnskapsgrunnlag.indicators import definitions_html
    except ImportError:  # the registry module is not there: no appendix
        return ""
    try:
        section = definitions_html(ids, lang)
    except KeyError as err:
        raise ReportError(
            f"{where}: indicator {err} is shown but has no entry in lib/kunnskapsgrunnlag/indicators.yaml"
        ) from None
    if "<h2" not in section:
        word = _t(lang, "Definisjoner", "Definisjonar")
        section = (
            f'<section class="kg-definitions"><h2 class="kg-heading kg-chapter" id="definisjoner">{word}</h2>'
            f"{section}</section>"
        )
    return section


def _source_tables(fragments: Iterable[str]) -> list[str]:
    tables: list[str] = []
    for frag in fragments:
        for m in _SOURCE.finditer(frag):
            for t in _TABLE_ID.findall(_plain(m.group(1))):
                if t not in tables:
                    tables.append(t)
    return tables


def _footer(lang: str, run_info: Mapping[str, Any], tables: Sequence[str] = ()) -> str:
    lines = [
        f'<p>{html.escape(LICENCE[lang])}. <a href="{LICENCE_URL}">Om lisensen CC BY 4.0</a></p>'
    ]
    if tables:
        links = ", ".join(f'<a href="{STATBANK_URL.format(table=t)}">{t}</a>' for t in tables)
        lines.append(
            f"<p>{_t(lang, 'SSB-tabeller i rapporten', 'SSB-tabellar i rapporten')}: {links}.</p>"
        )
    lines.append(f"<p>{html.escape(data_sentence(run_info, lang, tables))}.</p>")
    lines.append(f"<p>{html.escape(_version_line(run_info, lang))}</p>")
    return '<footer class="kg-footer">' + "".join(lines) + "</footer>"


def render_county_report(
    params: CountyParameters,
    executed: Sequence[tuple[ChapterSpec, Path | Mapping[str, Any]]],
    run_info: Mapping[str, Any],
) -> str:
    """Return the county's report as one self-contained HTML page (see :func:`build_county_report`)."""
    lang = params.written_standard
    code = params.county_code
    who = f"county {code} {params.county_name}"
    counters = {"figure": 0, "table": 0}
    light: list[str] = []  # the fragments with embedded pictures stubbed out, for scanning
    taken: set[str] = set(_RESERVED_IDS)
    entries: list[tuple[int, str, str]] = []
    sections: list[str] = []
    for spec, source in executed:
        where = f"{who}, chapter {spec.id}" + (
            f" ({source})" if isinstance(source, str | Path) else ""
        )
        fragments = chapter_fragments(read_notebook(source), lang, where)
        if not any("kg-chapter" in f and "<h2" in f for f in fragments):
            title = html.escape(spec.title(lang))
            fragments.insert(0, f'<h2 class="kg-heading kg-chapter" id="{spec.id}">{title}</h2>')
        shown = []
        for frag in fragments:
            stub = _stub_data_uris(frag)
            light.append(stub)
            cap = _CAPTION.search(stub)
            check_images(stub, where + (f", «{_plain(cap.group(1))}»" if cap else ""))
            if frag.startswith("<figure"):
                shown.append(_number(frag, stub, counters, where))
            else:
                shown.append(_headings(frag, taken, entries))
        sections.append(
            f'<section class="kg-chapter-section" data-kg-chapter="{html.escape(spec.id)}">\n'
            + "\n".join(shown)
            + "\n</section>"
        )
    definitions = _definitions(indicator_ids(light), lang, who)
    if definitions:
        sections.append(_headings(definitions, taken, entries))
    main = "\n".join(sections)

    tables = _source_tables(light)
    council = council_name(code)
    title = f"{council} — {DOC_TITLE}"
    county = COUNTIES[code]
    official = (
        f'<p class="kg-official">{html.escape(county.official_name)}</p>'
        if county.official_name != county.name
        else ""
    )
    live = run_info.get("data_source", "snapshot") == "live"
    note = (
        ""
        if live
        else '<p class="kg-data-note">'
        + _t(
            lang,
            "Tallene kommer fra datauttaket som følger med analysemalen, ikke fra et nytt oppslag i SSBs statistikkbank.",
            "Tala kjem frå datauttaket som følgjer med analysemalen, ikkje frå eit nytt oppslag i statistikkbanken til SSB.",
        )
        + "</p>"
    )
    front = (
        '<header class="kg-front">'
        f'<h1><span class="kg-council">{html.escape(council)}</span> <span class="kg-dash">—</span> '
        f'<span class="kg-doc">{DOC_TITLE}</span></h1>{official}'
        '<dl class="kg-meta">'
        f"<dt>{_t(lang, 'Bygget', 'Bygd')}</dt><dd>{html.escape(format_date(_build_date(run_info), lang))}</dd>"
        f"<dt>Data</dt><dd>{html.escape(data_sentence(run_info, lang, tables))}</dd>"
        f"</dl>{note}</header>"
    )
    skip = f'<a class="kg-skip" href="#hovedinnhold">{_t(lang, "Hopp til innholdet", "Hopp til innhaldet")}</a>'
    body = (
        f'{skip}\n<div class="kg-page">\n{front}\n{_toc(entries, lang)}\n'
        f'<main id="hovedinnhold">\n{main}\n</main>\n'
        f"{_footer(lang, run_info, tables)}\n</div>"
    )
    page = _page(lang=lang, title=title, body=body, body_class=f"kg-report kg-county-{code}")
    stub = _stub_data_uris(page)
    check_images(stub, who)
    check_self_contained(stub, who)
    # UTF-8 takes at most 4 bytes a character: encode only when the page could be too big.
    size = len(page.encode("utf-8")) if len(page) * 4 > MAX_BYTES else 0
    if size > MAX_BYTES:
        raise ReportError(
            f"{who}: the report is {size / 1024 / 1024:.1f} MB, more than {MAX_BYTES // 1024 // 1024} MB; "
            "use fewer or smaller figures (lower dpi)"
        )
    return page


def build_county_report(
    params: CountyParameters,
    executed: list[tuple[ChapterSpec, Path]],
    out_path: Path,
    run_info: dict[str, Any],
) -> Path:
    """Build one county's self-contained HTML report and write it atomically.

    Args:
        params: the county's parameters (written standard, name, code).
        executed: ``(chapter, executed notebook path)`` pairs in report order.
        out_path: where to write the page (the old file stays if anything fails).
        run_info: ``date`` (build date), ``data_date`` (date, ISO string or ``(first, last)``;
            default: the snapshot's date), ``data_source`` (``"snapshot"``/``"live"``),
            ``version``, ``commit``.

    Returns:
        *out_path*.

    Raises:
        ReportError: an image lacks real alt text, a figure lacks caption or source, an
            indicator is not in the registry, the page would load anything external, or it
            exceeds :data:`MAX_BYTES`.
    """
    page = render_county_report(params, executed, run_info)
    paths.atomic_write_text(Path(out_path), page)
    return Path(out_path)


# --------------------------------------------------------------------------- portal
def _headline(entry: Mapping[str, Any], code: str, lang: str) -> list[tuple[str, str]]:
    if "headline" in entry and entry["headline"] is not None:
        return [(str(a), str(b)) for a, b in entry["headline"]]
    try:
        from kunnskapsgrunnlag.population import headline_figures
    except ImportError:
        return []
    try:
        return [(str(a), str(b)) for a, b in headline_figures(code, lang)]
    except Exception as err:  # noqa: BLE001 - one county's figures must not take the portal down
        log.warning("portal: no headline figures for county %s: %s", code, err)
        return []


def _href(report: Path, out_dir: Path) -> str:
    rel = os.path.relpath(Path(report).resolve(), Path(out_dir).resolve())
    return quote(Path(rel).as_posix())


def _card(entry: Mapping[str, Any], out_dir: Path, run_info: Mapping[str, Any]) -> tuple[str, str]:
    params = entry["params"]
    code, lang = params.county_code, params.written_standard
    status = entry.get("status", "ok")
    report = entry.get("report")
    exists = report is not None and Path(report).is_file()
    name = html.escape(params.county_name)
    built = format_date(entry.get("date") or _build_date(run_info))
    if status == "failed":
        text = (
            "Bygget feilet i denne kjøringen – lenken viser forrige rapport"
            if exists
            else "Bygget feilet i denne kjøringen – ingen rapport ennå"
        )
        cls = "kg-failed"
    elif not exists:
        text, cls, status = "Ikke bygget ennå", "kg-missing", "missing"
    elif status == "skipped":
        text, cls = "Uendret siden forrige kjøring", "kg-skipped"
    else:
        text, cls = f"Oppdatert {built}", "kg-ok"
    link = f'<a href="{_href(report, out_dir)}">{name}</a>' if exists else name
    parts = [
        f'<li class="kg-card {cls}" data-kg-county="{code}" data-kg-status="{html.escape(status)}">',
        f'<h2><span class="kg-code">{code}</span> {link}</h2>',
        f'<p class="kg-status">{html.escape(text)}</p>',
    ]
    figures = _headline(entry, code, lang)
    if figures:
        rows = "".join(f"<dt>{html.escape(a)}</dt><dd>{html.escape(b)}</dd>" for a, b in figures)
        parts.append(f'<dl class="kg-headline" lang="{lang}">{rows}</dl>')
    info = dict(run_info)
    if entry.get("data_date") is not None:
        info["data_date"] = entry["data_date"]
    written = "nynorsk" if lang == "nn" else "bokmål"
    parts.append(f'<p class="kg-card-date">{html.escape(_data_short(info))} · {written}</p>')
    parts.append("</li>")
    return "".join(parts), status


def render_portal(
    entries: Sequence[Mapping[str, Any]], out_dir: Path, run_info: Mapping[str, Any]
) -> str:
    """Return the portal page (see :func:`build_portal`); links are relative to *out_dir*."""
    cards, statuses = [], []
    for entry in entries:
        card, status = _card(entry, Path(out_dir), run_info)
        cards.append(card)
        statuses.append(status)
    n_failed = statuses.count("failed")
    summary = f"{len(entries)} fylker"
    if statuses.count("ok"):
        summary += f" · {statuses.count('ok')} oppdatert"
    if statuses.count("skipped"):
        summary += f" · {statuses.count('skipped')} uendret"
    if n_failed:
        summary += f" · {n_failed} feilet"
    if statuses.count("missing"):
        summary += f" · {statuses.count('missing')} ikke bygget ennå"
    front = (
        '<header class="kg-front">'
        '<p class="kg-kicker">Fylkeskommunenes felles analysemal</p>'
        f"<h1>{PORTAL_TITLE}</h1>"
        '<dl class="kg-meta">'
        f"<dt>Bygget</dt><dd>{html.escape(format_date(_build_date(run_info)))}</dd>"
        f"<dt>Data</dt><dd>{html.escape(data_sentence(run_info, 'nb'))}</dd>"
        "</dl></header>"
    )
    body = (
        f'<div class="kg-page">\n{front}\n<main>\n<p class="kg-summary">{html.escape(summary)}</p>\n'
        f'<ul class="kg-cards">\n' + "\n".join(cards) + "\n</ul>\n</main>\n"
        f"{_footer('nb', run_info)}\n</div>"
    )
    page = _page(lang="nb", title=PORTAL_TITLE, body=body, body_class="kg-portal")
    check_self_contained(page, "portal")
    return page


def build_portal(entries: list[dict[str, Any]], out_path: Path, run_info: dict[str, Any]) -> Path:
    """Write the portal page (``outputs/reports/index.html``) linking every county's report.

    Args:
        entries: one dict per county: ``params`` (CountyParameters), ``status`` (``"ok"``,
            ``"failed"`` or ``"skipped"``), ``report`` (path of the county's page or ``None``),
            optional ``headline`` (list of ``(label, formatted value)``; default:
            ``population.headline_figures``), ``data_date`` and ``date`` (when its report was
            built). A failed county keeps a link to its previous report when that file exists; a
            county without a report file is shown as «Ikke bygget ennå» (not as failed).
        out_path: the portal file; links are relative to its folder.
        run_info: as for :func:`build_county_report`.

    Returns:
        *out_path*.
    """
    out_path = Path(out_path)
    paths.atomic_write_text(out_path, render_portal(entries, out_path.parent, run_info))
    return out_path
