"""One county's report page: chapters in order, numbering, headings, contents, front page.

The builder numbers figures («Figur 1.») and tables («Tabell 1.») across chapters, gives every
``h2``/``h3`` a unique id and links it from the table of contents («Innhold»/«Innhald»), never lets
a heading skip a level (a markdown ``####`` right under a chapter title becomes an ``h3``), puts
the barometer «Utfordringer og muligheter» first when any chapter emitted rows, appends the
definitions appendix from the indicator registry (ids collected from ``data-kg-indicators`` and
the barometer rows), and wraps it all in a front page and a footer with sources, licence, version
and commit.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.formatting import by_lang as _t
from kunnskapsgrunnlag.publish.report import assessment, barometer
from kunnskapsgrunnlag.publish.report.checks import check_images, check_self_contained, check_size
from kunnskapsgrunnlag.publish.report.fragments import (
    CAPTION,
    SOURCE,
    ReportError,
    attrs,
    barometer_rows,
    chapter_fragments,
    headlines,
    indicator_ids,
    is_data_only,
    period,
    plain,
    read_notebook,
    source_tables,
    stub_data_uris,
)
from kunnskapsgrunnlag.publish.report.runinfo import (
    build_date,
    council_name,
    data_sentence,
    format_date,
)
from kunnskapsgrunnlag.publish.report.shell import DOC_TITLE_LOWER, footer, page_parts
from kunnskapsgrunnlag.regions import COUNTIES

if TYPE_CHECKING:
    from kunnskapsgrunnlag.analysis.barometer import BarometerRow
    from kunnskapsgrunnlag.contents import ChapterSpec
    from kunnskapsgrunnlag.params import CountyParameters

_FIGURE_OPEN = re.compile(r'^<figure class="kg-(figure|table)"')
_ANY_HEADING = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1>", re.S | re.I)
_HEADING = re.compile(r"<h([23])\b([^>]*)>(.*?)</h\1>", re.S | re.I)
_ID_ATTR = re.compile(r'\bid\s*=\s*"[^"]*"')
_ID = re.compile(r'\bid="([^"]+)"')
_RESERVED_IDS = frozenset({"innhold", "hovedinnhold", barometer.SECTION_ID})
_NUMBERED_ID = re.compile(r"^(?:figur|tabell)-\d+$")  # ids of numbered figures and tables
_BOX_TITLE = "kg-box-title"  # the title of a box (key points): not in the contents list


@dataclass
class _Build:
    """What a report collects while its chapters are read, in order."""

    lang: str
    who: str
    counters: dict[str, int] = field(default_factory=lambda: {"figure": 0, "table": 0})
    light: list[str] = field(default_factory=list)  # fragments with pictures stubbed out
    taken: set[str] = field(default_factory=lambda: set(_RESERVED_IDS))
    entries: list[tuple[int, str, str]] = field(default_factory=list)  # contents list
    rows: list[BarometerRow] = field(default_factory=list)
    headlines: list[tuple[str, str]] = field(default_factory=list)  # the portal's key figures
    periods: list[tuple[str, str]] = field(default_factory=list)  # (chapter title, period)
    level: int = 1  # level of the last heading (the front page's h1)
    assessments: Mapping[str, Path] = field(default_factory=dict)  # chapter id -> markdown file
    tables: list[str] = field(default_factory=list)  # the SSB tables shown (front page, footer)


def _number(fragment: str, stub: str, counters: dict[str, int], where: str) -> str:
    """Add «Figur N.»/«Tabell N.» to a figure or table fragment; check its caption and source.

    *stub* is the fragment with its pictures stubbed out (:func:`stub_data_uris`), for the checks.
    """
    m = _FIGURE_OPEN.match(fragment)
    if not m:
        return fragment
    kind = m.group(1)
    counters[kind] += 1
    n = counters[kind]
    label, anchor = ("Figur", "figur") if kind == "figure" else ("Tabell", "tabell")
    cap = CAPTION.search(stub)
    if cap is None or not plain(cap.group(1)):
        raise ReportError(f"{where}: {label.lower()} {n} has no caption")
    if not SOURCE.search(stub):
        raise ReportError(
            f"{where}: {label.lower()} {n} ({plain(cap.group(1))!r}) has no source line"
        )
    start = fragment.index('<span class="kg-caption">') + len('<span class="kg-caption">')
    fragment = fragment[:start] + f'<span class="kg-number">{label} {n}.</span> ' + fragment[start:]
    return fragment.replace(
        f'<figure class="kg-{kind}"', f'<figure class="kg-{kind}" id="{anchor}-{n}"', 1
    )


def _anchor(text: str) -> str:
    s = plain(text).lower()
    for a, b in (("æ", "ae"), ("ø", "o"), ("å", "a")):
        s = s.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-") or "del"


def _even_levels(text: str, build: _Build) -> str:
    """Lift any heading that would skip a level (an h4 right after an h2 becomes an h3)."""

    def repl(m: re.Match[str]) -> str:
        level = min(int(m.group(1)), build.level + 1)
        build.level = level
        return f"<h{level}{m.group(2)}>{m.group(3)}</h{level}>"

    return _ANY_HEADING.sub(repl, text) if "<h" in text else text


def _headings(text: str, build: _Build) -> str:
    """Give every h2/h3 in *text* a unique id and list it in the contents (box titles excepted)."""

    def repl(m: re.Match[str]) -> str:
        level, tag_attrs, inner = int(m.group(1)), m.group(2), m.group(3)
        if _BOX_TITLE in attrs(tag_attrs).get("class", "").split():
            return m.group(0)
        base = attrs(tag_attrs).get("id") or _anchor(inner)
        hid, k = base, 2
        while hid in build.taken or _NUMBERED_ID.match(hid):
            hid, k = f"{base}-{k}", k + 1
        build.taken.add(hid)
        if _ID_ATTR.search(tag_attrs):
            tag_attrs = _ID_ATTR.sub(f'id="{hid}"', tag_attrs, count=1)
        else:
            tag_attrs = f'{tag_attrs} id="{hid}"'
        build.entries.append((level, hid, html.escape(plain(inner))))
        return f"<h{level}{tag_attrs}>{inner}</h{level}>"

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


def _chapter_section(spec: ChapterSpec, source: Path | Mapping[str, Any], build: _Build) -> str:
    """One chapter as the reader sees it: checked, numbered, headings with ids; rows collected."""
    where = f"{build.who}, chapter {spec.id}" + (
        f" ({source})" if isinstance(source, str | Path) else ""
    )
    fragments = chapter_fragments(read_notebook(source), build.lang, where)
    if not any("kg-chapter" in f and "<h2" in f for f in fragments):
        title = html.escape(spec.title(build.lang))
        fragments.insert(0, f'<h2 class="kg-heading kg-chapter" id="{spec.id}">{title}</h2>')
    build.rows.extend(barometer_rows(fragments, where))
    build.headlines.extend(headlines(fragments))
    if (when := period(fragments)) is not None:
        build.periods.append((spec.title(build.lang), when))
    shown, first_entry = [], len(build.entries)
    for frag in fragments:
        if is_data_only(frag):
            continue
        stub = stub_data_uris(frag)
        build.light.append(stub)
        cap = CAPTION.search(stub)
        check_images(stub, where + (f", «{plain(cap.group(1))}»" if cap else ""))
        if frag.startswith("<figure"):
            shown.append(_number(frag, stub, build.counters, where))
        else:
            shown.append(_headings(_even_levels(frag, build), build))
    if getattr(spec, "own", False):
        assessment.mark_own(build.entries, first_entry, build.lang)
    if spec.id in build.assessments:
        shown.append(assessment.box(build.assessments[spec.id], build.lang, where))
    return (
        f'<section class="kg-chapter-section" data-kg-chapter="{html.escape(spec.id)}">\n'
        + "\n".join(shown)
        + "\n</section>"
    )


def periods_text(periods: Sequence[tuple[str, str]]) -> str:
    """«Befolkning: 1. januar 2025 · Fylkeskommunen i KOSTRA: 2025» (the statistics year per theme)."""
    return " · ".join(f"{title}: {when}" for title, when in periods)


def _front(params: CountyParameters, run_info: Mapping[str, Any], build: _Build) -> str:
    lang, council = params.written_standard, council_name(params.county_code)
    county = COUNTIES[params.county_code]
    official = (
        f'<p class="kg-official">{html.escape(county.official_name)}</p>'
        if county.official_name != county.name
        else ""
    )
    themes = (
        f"<dt>Statistikkår</dt><dd>{html.escape(periods_text(build.periods))}</dd>"
        if build.periods
        else ""
    )
    links = _t(
        lang,
        '<a href="index.html">Alle fylkenes rapporter</a> · '
        '<a href="../indicators.csv" download>Tallene i rapporten (CSV)</a>',
        '<a href="index.html">Rapportane for alle fylka</a> · '
        '<a href="../indicators.csv" download>Tala i rapporten (CSV)</a>',
    )
    return (
        '<header class="kg-front">'
        f'<h1><span class="kg-council">{html.escape(council)}</span> <span class="kg-dash">–</span> '
        f'<span class="kg-doc">{DOC_TITLE_LOWER}</span></h1>{official}'
        '<dl class="kg-meta">'
        f"{themes}"
        f"<dt>Oppdatert</dt><dd>{html.escape(format_date(build_date(run_info), lang))}</dd>"
        f"<dt>Data</dt><dd>{html.escape(data_sentence(run_info, lang, build.tables))}</dd>"
        f'</dl><p class="kg-links">{links}</p></header>'
    )


def _main(params: CountyParameters, sections: list[str], build: _Build) -> str:
    """The main content: barometer (when there are rows), chapters, definitions appendix."""
    ids = indicator_ids(build.light)
    ids += [i for i in dict.fromkeys(r.indicator for r in build.rows) if i not in ids]
    definitions = _definitions(ids, build.lang, build.who)
    if definitions:
        sections.append(_headings(definitions, build))
    if build.rows:
        top = barometer.section(build.rows, params.county_name, build.lang)
        sections.insert(0, top)
        build.entries.insert(0, (2, barometer.SECTION_ID, html.escape(barometer.title(build.lang))))
    main = "\n".join(sections)
    if build.rows:
        barometer.check_anchors(build.rows, set(_ID.findall(stub_data_uris(main))), build.who)
    return main


def render_parts(
    params: CountyParameters,
    executed: Sequence[tuple[ChapterSpec, Path | Mapping[str, Any]]],
    run_info: Mapping[str, Any],
) -> tuple[dict[str, str], _Build]:
    """What the page template shows for the county, and what was collected from its chapters."""
    lang, code = params.written_standard, params.county_code
    build = _Build(lang=lang, who=f"county {code} {params.county_name}")
    build.assessments = getattr(params, "assessment_files", dict)()
    sections = [_chapter_section(spec, source, build) for spec, source in executed]
    main = _main(params, sections, build)
    tables = build.tables = source_tables(build.light)
    skip = f'<a class="kg-skip" href="#hovedinnhold">{_t(lang, "Hopp til innholdet", "Hopp til innhaldet")}</a>'
    body = (
        f'{skip}\n<div class="kg-page">\n{_front(params, run_info, build)}\n'
        f'{_toc(build.entries, lang)}\n<main id="hovedinnhold">\n{main}\n</main>\n'
        f"{footer(lang, run_info, tables)}\n</div>"
    )
    title = f"{council_name(code)} – {DOC_TITLE_LOWER}"
    return page_parts(
        lang=lang, title=title, body=body, body_class=f"kg-report kg-county-{code}",
        commit=str(run_info.get("commit") or ""),
    ), build  # fmt: skip


def check_page(html_page: str, who: str) -> None:
    """Refuse a page without real alt text, loading anything external, or too big."""
    stub = stub_data_uris(html_page)
    check_images(stub, who)
    check_self_contained(stub, who)
    check_size(html_page, who)


def _render(
    params: CountyParameters,
    executed: Sequence[tuple[ChapterSpec, Path | Mapping[str, Any]]],
    run_info: Mapping[str, Any],
) -> tuple[str, list[tuple[str, str]]]:
    """The county's page through the nbconvert exporter, and its key figures."""
    from kunnskapsgrunnlag.publish.report.exporter import export_county

    return export_county(params, executed, run_info)


def render_county_report(
    params: CountyParameters,
    executed: Sequence[tuple[ChapterSpec, Path | Mapping[str, Any]]],
    run_info: Mapping[str, Any],
) -> str:
    """Return the county's report as one self-contained HTML page (see :func:`build_county_report`)."""
    return _render(params, executed, run_info)[0]


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
            indicator is not in the registry, a barometer row is malformed or links to no id in
            the page, the page would load anything external, or it exceeds
            :data:`~.checks.MAX_BYTES`.
    """
    publish_county_report(params, executed, out_path, run_info)
    return Path(out_path)


def publish_county_report(
    params: CountyParameters,
    executed: list[tuple[ChapterSpec, Path]],
    out_path: Path,
    run_info: dict[str, Any],
) -> list[tuple[str, str]]:
    """Build and write the report as :func:`build_county_report` does; return its key figures.

    The key figures are the ``Chapter.headline`` fragments of the chapters, read in the same pass
    that builds the page (the runner puts them on the portal).
    """
    html_page, key_figures = _render(params, executed, run_info)
    paths.atomic_write_text(Path(out_path), html_page)
    return key_figures
