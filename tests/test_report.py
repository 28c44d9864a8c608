"""Report builder: what a county leader sees in the HTML page built from executed chapters.

Chapters are synthetic but realistic: fragments come from ``publish.Chapter`` in plain Python,
wrapped in nbformat notebooks shaped like papermill's output (parameters and injected-parameters
cells, stdout/stderr/warnings, a stray execute_result). The figures and tables show a real figure
from the bundled data: the number of municipalities per county in 2024 (KLASS 131).
"""

from __future__ import annotations

import functools
import html
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from kunnskapsgrunnlag import contents, paths, regions
from kunnskapsgrunnlag.charts import style
from kunnskapsgrunnlag.formatting import number
from kunnskapsgrunnlag.params import Comparison, CountyParameters
from kunnskapsgrunnlag.publish import Chapter, report

RUN_INFO = {
    "date": date(2025, 3, 4),
    "data_date": "2024-12-02",
    "data_source": "snapshot",
    "version": "0.1.0",
    "commit": "0123456789abcdef0123",
}
SECRET_CODE = "print('SECRET CODE LINE')"


def params_for(code: str) -> CountyParameters:
    county = regions.COUNTIES[code]
    lang = "nn" if code == "46" else "nb"
    return CountyParameters(
        county_code=code,
        county_name=county.name,
        written_standard=lang,
        comparison=Comparison(kind="all_counties"),
    )


@functools.cache
def municipality_counts() -> list[tuple[str, int]]:
    """Number of municipalities per 2024 county, from the bundled KLASS 131 file."""
    df = regions.municipalities(2024)
    counts = df["code"].str[:2].value_counts()
    return [(c.name, int(counts.get(c.code, 0))) for c in regions.counties()]


def demo_chapter(
    chapter_id: str, code: str, lang: str, figures: int = 1, tables: int = 1
) -> Chapter:
    """A chapter with headings, text, key points, figures, a table and a needs-refresh note (fresh copy)."""
    cached = _demo_chapter(chapter_id, lang, figures, tables)  # nothing in it depends on the county
    ch = Chapter(chapter_id, code, lang, display=False)
    ch.outputs = list(cached.outputs)
    ch.indicators = list(cached.indicators)
    return ch


@functools.cache
def _demo_chapter(chapter_id: str, lang: str, figures: int, tables: int) -> Chapter:
    ch = Chapter(chapter_id, "46" if lang == "nn" else "03", lang, display=False)
    counts = municipality_counts()
    names = [n for n, _ in counts]
    values = [v for _, v in counts]
    src = ch.t(
        "Kilde: Statistisk sentralbyrå (SSB), KLASS 131 Standard for kommuneinndeling",
        "Kjelde: Statistisk sentralbyrå (SSB), KLASS 131 Standard for kommuneinndeling",
    )
    ch.uses("folkemengde")
    ch.heading("Kommuner i fylket", "Kommunar i fylket")
    ch.text(
        "Fylkene har **svært ulikt** antall kommuner etter reformen i 2024.",
        "Fylka har **svært ulikt** tal på kommunar etter reforma i 2024.",
    )
    most = max(counts, key=lambda x: x[1])
    ch.key_points(
        [
            ch.t(
                f"{most[0]} har flest kommuner: {number(most[1], lang=lang)}.",
                f"{most[0]} har flest kommunar: {number(most[1], lang=lang)}.",
            ),
            ch.t(
                f"Til sammen er det {number(sum(values), lang=lang)} kommuner.",
                f"Til saman er det {number(sum(values), lang=lang)} kommunar.",
            ),
        ]
    )
    import pandas as pd

    for i in range(figures):
        fig, ax = style.new_figure(7, 3.6)
        ax.barh(names[::-1], values[::-1], color=style.COUNTY)
        style.number_axis(ax, "x", lang=lang)
        title = ch.t("Kommuner per fylke, 2024", "Kommunar per fylke, 2024") + (
            f" ({i + 1})" if figures > 1 else ""
        )
        style.finish(
            fig, ax, title=title, source=src, xlabel=ch.t("Antall kommuner", "Talet på kommunar")
        )
        ch.figure(
            fig,
            title=title,
            alt=ch.t(
                f"Liggende stolpediagram over antall kommuner i hvert av de 15 fylkene i 2024. {most[0]} har flest.",
                f"Liggjande stolpediagram over talet på kommunar i kvart av dei 15 fylka i 2024. {most[0]} har flest.",
            ),
            source=src,
            indicators=["andel_80_og_eldre"],
            data=pd.DataFrame({"label": names, "value": values}),
        )
    ch.heading("Oversikt", "Oversyn")

    for i in range(tables):
        df = pd.DataFrame(
            {
                ch.t("Fylke", "Fylke"): names,
                ch.t("Kommuner", "Kommunar"): [number(v, lang=lang) for v in values],
            }
        )
        ch.table(
            df,
            title=ch.t("Kommuner per fylke", "Kommunar per fylke") + f" {i + 1}",
            source=src,
            symbols=[".."],
        )
    ch.needs_refresh("Tall for 2025", "Tal for 2025", "07459-fylker-2023-2025")
    return ch


def executed_notebook(ch: Chapter, path: Path, extra_cells: list | None = None) -> Path:
    """Write *ch*'s outputs as an executed notebook shaped like papermill's output."""
    params = new_code_cell(
        'county_code = "03"\nwritten_standard = "nb"', metadata={"tags": ["parameters"]}
    )
    params.outputs = []
    injected = new_code_cell(
        f'# Parameters\ncounty_code = "{ch.county_code}"\n',
        metadata={"tags": ["injected-parameters"]},
    )
    injected.outputs = [new_output("stream", name="stdout", text="INJECTED PARAMS OUTPUT\n")]
    imports = new_code_cell("import warnings\n" + SECRET_CODE)
    imports.outputs = [
        new_output("stream", name="stdout", text="SECRET STDOUT\n"),
        new_output("stream", name="stderr", text="/x.py:1: FutureWarning: SECRET WARNING\n"),
    ]
    show = new_code_cell("ch = Chapter(...)\nch.heading(...)")
    show.outputs = [
        new_output(
            "display_data",
            data={"text/html": frag, "text/plain": "<IPython.core.display.HTML object>"},
        )
        for frag in ch.outputs
    ]
    stray = new_code_cell("df")
    stray.outputs = [
        new_output(
            "execute_result",
            data={
                "text/plain": "STRAY REPR",
                "text/html": "<table class='dataframe'><tr><td>STRAY TABLE</td></tr></table>",
            },
            execution_count=4,
        )
    ]
    nb = new_notebook(
        cells=[params, injected, imports, show, stray, *(extra_cells or [])],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    nbformat.write(nb, path)
    return path


def executed_chapters(
    tmp: Path, code: str, figures: int = 1, tables: int = 1
) -> list[tuple[contents.ChapterSpec, Path]]:
    lang = params_for(code).written_standard
    out = []
    for spec in contents.chapters(available_only=False):
        ch = demo_chapter(spec.id, code, lang, figures=figures, tables=tables)
        out.append((spec, executed_notebook(ch, tmp / f"{code}-{spec.id}.ipynb")))
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    tmp = tmp_path_factory.mktemp("reports")
    out = {}
    for code in ("46", "03"):
        p = params_for(code)
        path = report.build_county_report(
            p, executed_chapters(tmp, code), tmp / f"{p.stem}.html", dict(RUN_INFO)
        )
        out[code] = (path, path.read_text(encoding="utf-8"))
    return out


def visible_text(page: str) -> str:
    body = page.split("<body", 1)[1]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


# --------------------------------------------------------------------------- language, front page
def test_lang_attribute_follows_the_parameter_file(built):
    assert re.search(r'<html lang="nn">', built["46"][1])
    assert re.search(r'<html lang="nb">', built["03"][1])


def test_front_page_names_the_county_build_date_and_snapshot_date(built):
    nn = visible_text(built["46"][1])
    assert "Vestland fylkeskommune – regionalt kunnskapsgrunnlag" in re.sub(r"\s+", " ", nn)
    assert "<title>Vestland fylkeskommune – regionalt kunnskapsgrunnlag</title>" in built["46"][1]
    assert "Basert på datauttaket frå SSB, sist oppdatert 2. desember 2024" in nn
    assert "Oppdatert 4. mars 2025" in re.sub(r"\s+", " ", nn)
    assert "Bygd" not in nn  # reads as «rural community» (the language review, T26)
    nb = visible_text(built["03"][1])
    assert "Basert på datauttaket fra SSB, sist oppdatert 2. desember 2024" in nb
    # Oslo is a municipality with county duties: there is no «Oslo fylkeskommune».
    assert "Oslo kommune – regionalt kunnskapsgrunnlag" in re.sub(r"\s+", " ", nb)
    assert "Oslo fylkeskommune" not in nb


def test_live_build_says_so(tmp_path):
    p = params_for("46")
    info = dict(RUN_INFO, data_source="live", data_date="2025-03-04")
    page = report.render_county_report(p, executed_chapters(tmp_path, "46")[:1], info)
    text = visible_text(page)
    assert "Henta direkte frå statistikkbanken til SSB 4. mars 2025" in text
    assert "sist oppdatert" not in text.split("Innhald")[0]


def test_snapshot_date_defaults_to_the_bundled_snapshot(tmp_path):
    p = params_for("11")
    info = {k: v for k, v in RUN_INFO.items() if k != "data_date"}
    page = report.render_county_report(p, executed_chapters(tmp_path, "11")[:1], info)
    (first, last), _ = report.snapshot_dates()
    assert first <= last
    text = visible_text(page)
    assert "Basert på datauttaket fra SSB, sist oppdatert " in text
    assert report.format_date(last, "nb") in text


def test_snapshot_dates_come_from_the_sources_of_the_tables_shown():
    snap = [
        {"id": "a", "table": "07459", "status": "ok", "retrieved": "2022-06-09"},
        {"id": "b", "table": "07459", "status": "ok", "retrieved": "2022-09-14"},
        {"id": "c", "table": "12163", "status": "ok", "retrieved": "2024-09-17"},
        {"id": "d", "table": "14288", "status": "not_in_snapshot", "retrieved": None},
    ]
    info = {"data_source": "snapshot", "snapshot": snap}
    # the newest retrieval date of the sources shown tells the reader how fresh the data is
    assert report.data_sentence(info, "nn", ["07459"]) == (
        "Basert på datauttaket frå SSB, sist oppdatert 14. september 2022"
    )
    assert report.data_sentence(info, "nb", ["12163"]) == (
        "Basert på datauttaket fra SSB, sist oppdatert 17. september 2024"
    )
    snap.append({"id": "e", "table": "12163", "status": "ok", "retrieved": None})
    assert report.data_sentence(info, "nb", ["12163"]).endswith("sist oppdatert 17. september 2024")


# --------------------------------------------------------------------------- contents, numbering
def test_contents_list_links_every_h2_and_h3(built):
    for code, word in (("46", "Innhald"), ("03", "Innhold")):
        page = built[code][1]
        toc = re.search(r'<nav class="kg-toc".*?</nav>', page, re.S).group(0)
        assert f">{word}</h2>" in toc
        main = page.split('<main id="hovedinnhold">', 1)[1]
        headings = re.findall(r'<h([23])\b[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', main, re.S)
        assert len(headings) >= 3 * 3 + 1  # 3 chapters × (title + 2 sections) + definitions
        ids = [h[1] for h in headings]
        assert len(ids) == len(set(ids)), "heading ids must be unique"
        links = re.findall(r'href="#([^"]+)"', toc)
        assert links == ids
        titles = [html.unescape(re.sub("<[^>]+>", "", t)) for _, _, t in headings]
        assert "Befolkningsframskriving" in titles
        assert ("Definisjonar" if code == "46" else "Definisjoner") in titles


def test_figures_and_tables_are_numbered_in_order_across_chapters(built):
    page = built["46"][1]
    figs = re.findall(
        r'<figure class="kg-figure" id="figur-(\d+)".*?<span class="kg-number">Figur (\d+)\.</span>',
        page,
        re.S,
    )
    one_each = list(range(1, len(contents.chapters(available_only=False)) + 1))  # 1 per chapter
    assert [int(a) for a, _ in figs] == one_each
    assert [int(b) for _, b in figs] == one_each
    tabs = re.findall(r'<span class="kg-number">Tabell (\d+)\.</span>', page)
    assert [int(t) for t in tabs] == one_each
    # Each caption keeps its text and a source line.
    for m in re.finditer(r'<figure class="kg-(?:figure|table)".*?</figure>', page, re.S):
        assert 'class="kg-caption"' in m.group(0)
        assert "Kjelde: Statistisk sentralbyrå (SSB)" in m.group(0)


def test_definitions_appendix_lists_the_indicators_shown(built):
    page = built["03"][1]
    section = re.search(r'<section class="kg-definitions">.*?</section>', page, re.S).group(0)
    assert 'data-kg-indicator="folkemengde"' in section
    assert 'data-kg-indicator="andel_80_og_eldre"' in section
    assert 'data-kg-indicator="andel_67_og_eldre"' not in section
    assert page.index('<section class="kg-definitions"') > page.rindex('class="kg-chapter-section"')


def test_unknown_indicator_fails_with_a_clear_message(tmp_path):
    ch = demo_chapter("befolkning", "46", "nn")
    ch.uses("no_such_indicator")
    nb = executed_notebook(ch, tmp_path / "x.ipynb")
    with pytest.raises(report.ReportError, match="no_such_indicator.*indicators.yaml"):
        report.render_county_report(params_for("46"), [(contents.get("befolkning"), nb)], RUN_INFO)


# --------------------------------------------------------------------------- what must never show
def test_no_code_parameters_streams_or_stray_outputs(built):
    for _, page in built.values():
        text = visible_text(page)
        for leak in (
            "SECRET CODE LINE",
            "SECRET STDOUT",
            "SECRET WARNING",
            "INJECTED PARAMS",
            "STRAY",
            "county_code",
        ):
            assert leak not in text
        assert "Warning" not in text
        assert 'class="dataframe"' not in page
        assert "jp-InputArea" not in page and "<pre" not in page


def test_every_image_has_real_alt_text(built):
    for _, page in built.values():
        imgs = re.findall(r"<img\b[^>]*>", page)
        assert len(imgs) == len(contents.chapters(available_only=False))  # one per chapter
        for tag in imgs:
            alt = html.unescape(re.search(r'alt="([^"]*)"', tag).group(1))
            assert len(alt) > 30 and alt != report.NBCONVERT_ALT
            assert re.search(r'src="data:image/webp;base64,', tag)


@pytest.mark.parametrize(
    "img",
    [
        '<img src="data:image/png;base64,AAAA">',
        '<img src="data:image/png;base64,AAAA" alt="">',
        f'<img src="data:image/png;base64,AAAA" alt="{report.NBCONVERT_ALT}">',
        '<img src="data:image/png;base64,AAAA" alt="Figur">',
    ],
)
def test_image_without_real_alt_fails_the_build(tmp_path, img):
    ch = Chapter("befolkning", "46", "nn", display=False)
    out = new_code_cell("plot()")
    out.outputs = [
        new_output(
            "display_data",
            data={
                "text/html": f'<figure class="kg-figure" data-kg-indicators="">{img}'
                '<figcaption><span class="kg-caption">Ein figur</span> <span class="kg-source">Kjelde: SSB</span>'
                "</figcaption></figure>"
            },
        )
    ]
    nb = executed_notebook(ch, tmp_path / "x.ipynb", extra_cells=[out])
    with pytest.raises(report.ReportError, match=r"(?s)befolkning.*Ein figur.*alt"):
        report.render_county_report(params_for("46"), [(contents.get("befolkning"), nb)], RUN_INFO)


def test_markdown_image_from_the_web_fails_the_build(tmp_path):
    ch = Chapter("befolkning", "03", "nb", display=False)
    md = new_markdown_cell("![Kart over Oslo med bydelene markert](https://example.org/kart.png)")
    nb = executed_notebook(ch, tmp_path / "x.ipynb", extra_cells=[md])
    with pytest.raises(report.ReportError, match="not embedded"):
        report.render_county_report(params_for("03"), [(contents.get("befolkning"), nb)], RUN_INFO)


def test_markdown_cells_are_shown_in_their_written_standard(tmp_path):
    ch = Chapter("befolkning", "46", "nn", display=False)
    cells = [
        new_markdown_cell(
            "## Om kapitlet\n\nDette er ein **merknad** <b>rå</b>.", metadata={"lang": "nn"}
        ),
        new_markdown_cell("Dette er en merknad på bokmål.", metadata={"lang": "nb"}),
        new_markdown_cell("Merknad til analytikaren.", metadata={"tags": ["remove-cell"]}),
    ]
    nb = executed_notebook(ch, tmp_path / "x.ipynb", extra_cells=cells)
    page = report.render_county_report(
        params_for("46"), [(contents.get("befolkning"), nb)], RUN_INFO
    )
    text = visible_text(page)
    assert "Dette er ein merknad" in text and "<strong>merknad</strong>" in page
    assert "<b>rå</b>" not in page  # raw HTML in markdown is escaped
    assert "Dette er en merknad på bokmål" not in text
    assert "analytikaren" not in text
    assert re.search(r'<h3 id="om-kapitlet">Om kapitlet</h3>', page)


# --------------------------------------------------------------------------- self-contained, small
def test_no_external_resource_at_all(built):
    for _, page in built.values():
        assert "<script" not in page and "<link" not in page and "@import" not in page
        assert not re.search(r"url\(\s*['\"]?(?!data:)", page)
        # The only http(s) URLs are plain links in the footer.
        urls = [m.start() for m in re.finditer(r"https?://", page)]
        assert urls
        footer = page.index('<footer class="kg-footer">')
        assert all(pos > footer for pos in urls)
        for m in re.finditer(r'(\w+)="https?://', page):
            assert m.group(1) == "href"
            assert page.rfind("<a ", 0, m.start()) > page.rfind(">", 0, m.start())
        assert "default-src 'none'" in page


def test_external_resources_are_refused():
    for bad in (
        '<script src="https://cdn.example/require.js"></script>',
        '<link rel="stylesheet" href="https://fonts.example/x.css">',
        '<style>@import url("https://fonts.example/x.css");</style>',
        '<div style="background: url(https://x.example/a.png)"></div>',
        '<img alt="Kart over fylket med kommunegrenser" src="https://x.example/a.png">',
    ):
        with pytest.raises(report.ReportError):
            report.check_self_contained(f"<html><body>{bad}</body></html>", "test")
    report.check_self_contained(
        '<a href="https://www.ssb.no/">SSB</a><img alt="x" src="data:image/png;base64,AA">', "ok"
    )


def test_report_is_small_and_lean(built):
    for path, page in built.values():
        assert path.stat().st_size < 5 * 1024 * 1024
        css = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
        assert len(css) < 20_000
        assert "@media print" in css and "break-before: page" in css


def test_oversized_report_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(report.checks, "MAX_BYTES", 20_000)
    with pytest.raises(report.ReportError, match="more than"):
        report.render_county_report(
            params_for("46"), executed_chapters(tmp_path, "46")[:1], RUN_INFO
        )


def test_footer_has_licence_version_and_commit(built):
    nn = visible_text(built["46"][1])
    assert (
        "Kjelde: Statistisk sentralbyrå (SSB), CC BY 4.0. Kartdata: © Kartverket, CC BY 4.0" in nn
    )
    assert "Laga med analysemalen kunnskapsgrunnlag 0.1.0, 4. mars 2025." in nn
    # the commit is for developers: in an HTML comment, not in the text (review I7)
    assert "git 0123456789" not in nn
    assert (
        '<meta name="generator" content="kunnskapsgrunnlag 0.1.0 (git 0123456789abcdef0123)">'
        in built["46"][1]
    )
    nb = visible_text(built["03"][1])
    assert "Kilde: Statistisk sentralbyrå (SSB), CC BY 4.0. Kartdata: © Kartverket, CC BY 4.0" in nb


def test_boxes_tables_and_norwegian_numbers_survive(built):
    page = built["46"][1]
    assert page.count('class="kg-key-points"') == len(contents.chapters(available_only=False))
    assert "Treng oppdatering:" in visible_text(page)
    assert re.search(r'<td class="num">\d+</td>', page)
    assert "Talgrunnlag manglar" in page  # the status-symbol legend under the table


# --------------------------------------------------------------------------- atomic write
def test_failed_build_leaves_the_old_report_and_no_temp_files(tmp_path, monkeypatch):
    out = tmp_path / "reports" / "46-vestland.html"
    out.parent.mkdir()
    out.write_text("OLD REPORT", encoding="utf-8")
    executed = executed_chapters(tmp_path, "46")

    # 1. An error while building (an image without alt text in the last chapter).
    ch = Chapter("framskriving", "46", "nn", display=False)
    bad = new_code_cell("plot()")
    bad.outputs = [
        new_output(
            "display_data",
            data={
                "text/html": '<figure class="kg-figure"><img src="data:image/png;base64,AA">'
                '<figcaption><span class="kg-caption">Utan alt</span><span class="kg-source">Kjelde: SSB</span></figcaption></figure>'
            },
        )
    ]
    executed[-1] = (
        executed[-1][0],
        executed_notebook(ch, tmp_path / "bad.ipynb", extra_cells=[bad]),
    )
    with pytest.raises(report.ReportError):
        report.build_county_report(params_for("46"), executed, out, RUN_INFO)
    assert out.read_text(encoding="utf-8") == "OLD REPORT"
    assert sorted(p.name for p in out.parent.iterdir()) == ["46-vestland.html"]

    # 2. An error in the middle of writing (the rename fails after the temp file is written).
    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(paths.os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        report.build_county_report(
            params_for("46"), executed_chapters(tmp_path, "46"), out, RUN_INFO
        )
    assert out.read_text(encoding="utf-8") == "OLD REPORT"
    assert sorted(p.name for p in out.parent.iterdir()) == ["46-vestland.html"]


# --------------------------------------------------------------------------- portal
def test_portal_links_every_county_and_marks_failures(tmp_path):
    reports_dir = tmp_path / "reports"
    reports_dir.mkdir()
    entries = []
    for i, county in enumerate(regions.counties()):
        p = params_for(county.code)
        path = reports_dir / f"{p.stem}.html"
        status = "ok"
        if county.code == "18":
            status = "failed"  # previous report still there
            path.write_text("previous", encoding="utf-8")
        elif county.code == "56":
            status = "failed"  # never built
        else:
            path.write_text("report", encoding="utf-8")
        if county.code == "11":
            status = "skipped"
        if county.code == "55":
            path.unlink()  # selected in no run so far: no report, not a failure
        entries.append(
            {
                "params": p,
                "status": status,
                "report": path,
                "headline": [("Kommunar" if p.written_standard == "nn" else "Kommuner", str(i))],
            }
        )
    out = report.build_portal(entries, reports_dir / "index.html", RUN_INFO)
    page = out.read_text(encoding="utf-8")
    assert '<html lang="nb">' in page
    assert "<title>Regionalt kunnskapsgrunnlag for fylkene</title>" in page
    links = re.findall(r'<a href="([^"#:]+)">', page)
    assert len(links) == 13
    assert "46-vestland.html" in links and "18-nordland.html" in links
    assert "56-finnmark.html" not in links and "55-troms.html" not in links
    for link in links:
        assert (reports_dir / link).is_file()
    cards = dict(re.findall(r'data-kg-county="(\d\d)" data-kg-status="(\w+)"', page))
    assert cards["18"] == "failed" and cards["56"] == "failed" and cards["11"] == "skipped"
    assert cards["55"] == "missing"
    text = visible_text(page)
    assert "15 fylker · 11 oppdatert · 1 uendret · 2 feilet · 1 ikke laget ennå" in text
    assert "lenken viser forrige rapport" in text and "ingen rapport ennå" in text
    # a card is in its county's written standard throughout (review I3)
    assert '<li class="kg-card kg-ok" lang="nn" data-kg-county="46"' in page
    assert "Datauttak frå SSB, sist oppdatert 2. desember 2024 · nynorsk" in text
    assert "Datauttak fra SSB, sist oppdatert 2. desember 2024 · bokmål" in text
    assert "Finnmark - Finnmárku - Finmarkku" in text  # the official name, as on the report
    assert "<script" not in page


def test_portal_shows_only_the_headline_the_chapters_emitted(tmp_path, monkeypatch):
    import sys
    import types

    # The publishing layer names no chapter: the Befolkning chapter module is never asked.
    fake = types.ModuleType("kunnskapsgrunnlag.chapters.befolkning")
    fake.headline_figures = lambda *a: pytest.fail("the portal asked the Befolkning chapter")
    monkeypatch.setitem(sys.modules, "kunnskapsgrunnlag.chapters.befolkning", fake)
    ch = Chapter("befolkning", "46", "nn", display=False)
    ch.headline("Innbyggjarar 1. januar 2025", "651 299")
    ch.headline("Vekst «2019–2025» & meir", "+3,1 %")
    assert report.headlines(ch.outputs) == [
        ("Innbyggjarar 1. januar 2025", "651 299"),
        ("Vekst «2019–2025» & meir", "+3,1 %"),
    ]
    for code in ("46", "03"):
        (tmp_path / f"{params_for(code).stem}.html").write_text("x", encoding="utf-8")
    entries = [
        {
            "params": params_for("46"),
            "status": "ok",
            "report": tmp_path / "46-vestland.html",
            "headline": report.headlines(ch.outputs),
        },
        {"params": params_for("03"), "status": "ok", "report": tmp_path / "03-oslo.html"},
    ]
    page = report.render_portal(entries, tmp_path, RUN_INFO)
    cards = dict(
        re.findall(r'data-kg-county="(\d\d)".*?</li>', page, re.S)
        and [
            (m.group(1), m.group(0))
            for m in re.finditer(r'data-kg-county="(\d\d)".*?</li>', page, re.S)
        ]
    )
    assert "<dt>Innbyggjarar 1. januar 2025</dt><dd>651 299</dd>" in cards["46"]
    assert "Vekst «2019–2025» &amp; meir" in cards["46"]
    assert "kg-headline" not in cards["03"]  # no headline emitted: no key figures


def test_headline_fragment_is_hidden_and_not_in_the_report(tmp_path):
    ch = demo_chapter("befolkning", "03", "nb")
    ch.headline("Innbyggere 1. januar 2025", "724 290")
    assert ch.outputs[-1].endswith(" hidden></span>")
    nb = executed_notebook(ch, tmp_path / "x.ipynb")
    page = report.render_county_report(
        params_for("03"), [(contents.get("befolkning"), nb)], RUN_INFO
    )
    body = page.split("<body", 1)[1]
    assert "724 290" not in body and "kg-headline" not in body


# --------------------------------------------------------------------------- heading order
def heading_levels(page: str) -> list[int]:
    return [int(h) for h in re.findall(r"<h([1-6])\b", page.split("<body", 1)[1])]


def assert_no_skipped_level(page: str) -> None:
    levels = heading_levels(page)
    assert levels[0] == 1
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"heading level skipped: h{before} then h{after}"


def test_headings_never_skip_a_level(built, tmp_path):
    for _, page in built.values():
        assert_no_skipped_level(page)
    # Key points right under the chapter title (as real chapters do), a level-4 heading right
    # after a chapter title, and a markdown ### (shifted to h4) right under a chapter title.
    ch = Chapter("kostra", "46", "nn", display=False)
    ch.key_points(["Vestland brukte meir enn landet."])
    four = Chapter("befolkning", "46", "nn", display=False)
    four.heading("Nivå fire", "Nivå fire", level=4)
    md = Chapter("framskriving", "46", "nn", display=False)
    deep = new_markdown_cell("### Djupt nede\n\nTekst.")
    executed = [
        (contents.get("befolkning"), executed_notebook(four, tmp_path / "a.ipynb")),
        (contents.get("kostra"), executed_notebook(ch, tmp_path / "b.ipynb")),
        (contents.get("framskriving"), executed_notebook(md, tmp_path / "c.ipynb", [deep])),
    ]
    page = report.render_county_report(params_for("46"), executed, RUN_INFO)
    assert_no_skipped_level(page)
    assert '<h3 class="kg-box-title">Dette peikar seg ut</h3>' in page
    assert re.search(r'<h3 id="djupt-nede">Djupt nede</h3>', page)
    assert re.search(r'<h3 class="kg-heading" id="befolkning-niva-fire">Nivå fire</h3>', page)
    toc = re.search(r'<nav class="kg-toc".*?</nav>', page, re.S).group(0)
    assert "Dette peikar seg ut" not in toc  # a box title is not a section
    assert "Djupt nede" in toc and "Nivå fire" in toc


# --------------------------------------------------------------------------- barometer
def brow(indicator: str, chapter: str, anchor: str, verdict: str, score: float, **kw):
    from kunnskapsgrunnlag.analysis.barometer import BarometerRow

    base = {
        "label": indicator.replace("_", " ").capitalize(),
        "year": "2025",
        "value": "4,1 %",
        "reference": "4,8 %",
        "reference_name": "landet uten Oslo",
        "rank": "9 av 15",
        "status": None,
    }
    return BarometerRow(
        indicator=indicator,
        chapter=chapter,
        anchor=anchor,
        verdict=verdict,
        score=score,
        **{**base, **kw},
    )


def barometer_rows_for(lang: str) -> dict[str, list]:
    """Fixture rows per chapter, linking to the demo chapters' section headings."""
    first = "kommunar-i-fylket" if lang == "nn" else "kommuner-i-fylket"
    other = "oversyn" if lang == "nn" else "oversikt"
    return {
        "befolkning": [
            brow(
                "andel_80_og_eldre",
                "befolkning",
                f"befolkning-{first}",
                "worse",
                -1.6,
                label="Andel 80 år og eldre",
                value="5,2 %",
                reference="4,6 %",
            ),
            brow(
                "befolkningsvekst_prosent",
                "befolkning",
                "befolkning",
                "better",
                1.4,
                label="Folkevekst",
                value="+0,9 %",
                reference="+0,8 %",
            ),
        ],
        "kostra": [
            brow(
                "netto_driftsutgifter_per_innbygger_fgf7",
                "kostra",
                f"kostra-{other}",
                "higher",
                0.0,
                label="Vidaregåande opplæring",
                value="11 902 kr",
                reference="11 114 kr",
                rank="",
            ),
            brow(
                "andel_67_og_eldre",
                "kostra",
                "kostra",
                "none",
                0.0,
                label="Andel 67+",
                value="..",
                status="..",
            ),
        ],
    }


def barometer_report(tmp: Path, code: str, rows: dict[str, list] | None = None) -> str:
    lang = params_for(code).written_standard
    rows = barometer_rows_for(lang) if rows is None else rows
    executed = []
    for spec in contents.chapters(available_only=False):
        ch = demo_chapter(spec.id, code, lang)
        if spec.id in rows:
            ch.barometer(rows[spec.id])
        executed.append((spec, executed_notebook(ch, tmp / f"{code}-{spec.id}.ipynb")))
    return report.render_county_report(params_for(code), executed, RUN_INFO)


def test_barometer_is_the_first_section_after_the_front_page(tmp_path):
    for code, title in (
        ("03", "Utfordringer og muligheter"),
        ("46", "Utfordringar og moglegheiter"),
    ):
        page = barometer_report(tmp_path, code)
        main = page.split('<main id="hovedinnhold">', 1)[1].lstrip()
        assert main.startswith('<section class="kg-barometer" id="utfordringer-og-muligheter">')
        section = re.search(r'<section class="kg-barometer".*?</section>', page, re.S).group(0)
        assert re.search(rf"<h2\b[^>]*>{title}</h2>", section)
        toc = re.search(r'<nav class="kg-toc".*?</nav>', page, re.S).group(0)
        first = re.search(r'<a href="#([^"]+)">([^<]+)</a>', toc)
        assert first.groups() == ("utfordringer-og-muligheter", title)
        assert "data-kg-barometer" not in page  # the data fragment itself is not shown
        assert_no_skipped_level(page)


def test_barometer_table_links_symbols_words_rule_and_sentences(tmp_path):
    from kunnskapsgrunnlag.analysis.barometer import summary_sentences, threshold_rule

    page = barometer_report(tmp_path, "46")
    section = re.search(r'<section class="kg-barometer".*?</section>', page, re.S).group(0)
    head = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', section)
    assert head == ["Indikator", "År", "Vestland", "Referanse", "Plass", "Vurdering"]
    rows = [
        visible_text("<body>" + r).lstrip("> ") for r in re.findall(r"<tr data-kg.*?</tr>", section)
    ]
    assert [r.strip() for r in rows] == [
        "Andel 80 år og eldre 2025 5,2 % 4,6 % (landet uten Oslo) 9 av 15 ▼ svakare enn landet uten Oslo",
        "Folkevekst 2025 +0,9 % +0,8 % (landet uten Oslo) 9 av 15 ▲ betre enn landet uten Oslo",
        "Vidaregåande opplæring 2025 11 902 kr 11 114 kr (landet uten Oslo) ↑ høgare enn landet uten Oslo",
        "Andel 67+ 2025 .. 4,8 % (landet uten Oslo) 9 av 15 ○ inga vurdering (..)",
    ]  # in chapter order
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    links = re.findall(r'<a href="#([^"]+)">', section)
    assert len(links) == 4 and all(link in ids for link in links)
    after_table = section.split("</table>", 1)[1]
    assert html.escape(threshold_rule("nn"), quote=False) in after_table
    fixture = [r for rs in barometer_rows_for("nn").values() for r in rs]
    items = re.findall(r"<li>(.*?)</li>", after_table.split('class="kg-barometer-summary"')[1])
    assert [html.unescape(i) for i in items] == summary_sentences(fixture, "Vestland", "nn")
    assert "Styrke: Folkevekst – +0,9 % i 2025, betre enn landet uten Oslo (+0,8 %)." in items
    # The chapters' tables keep their numbers; the barometer's indicators are defined at the back.
    n = len(contents.chapters(available_only=False))
    assert re.findall(r'<span class="kg-number">Tabell (\d+)\.</span>', page) == [
        str(i) for i in range(1, n + 1)
    ]
    defs = re.search(r'<section class="kg-definitions">.*?</section>', page, re.S).group(0)
    assert 'data-kg-indicator="netto_driftsutgifter_per_innbygger_fgf7"' in defs


def test_no_barometer_rows_no_section(built):
    for _, page in built.values():
        body = page.split("<body", 1)[1]
        assert "kg-barometer" not in body
        assert "utfordringer-og-muligheter" not in body


def test_barometer_row_linking_nowhere_or_malformed_fails_the_build(tmp_path):
    bad = {"befolkning": [brow("folkemengde", "befolkning", "ingen-slik-del", "better", 1.0)]}
    with pytest.raises(report.ReportError, match=r"'folkemengde' links to #ingen-slik-del"):
        barometer_report(tmp_path, "03", bad)
    ch = demo_chapter("befolkning", "03", "nb")
    ch.barometer([brow("folkemengde", "befolkning", "befolkning", "better", 1.0)])
    ch.outputs[-1] = ch.outputs[-1].replace("better", "splendid")
    nb = executed_notebook(ch, tmp_path / "x.ipynb")
    with pytest.raises(report.ReportError, match=r"chapter befolkning.*field 'verdict'"):
        report.render_county_report(params_for("03"), [(contents.get("befolkning"), nb)], RUN_INFO)


# --------------------------------------------------------------------------- sanitised fragments
AFTER = "Teksten etter fragmentet er med."


def browser_text(page: str) -> str:
    """The body text as a browser shows it: comments (an unclosed one runs to the end of the
    page), scripts, style blocks and tags removed."""
    body = page.split("<body", 1)[1]
    body = re.sub(r"<!--.*?(?:-->|\Z)", " ", body, flags=re.S)
    body = re.sub(r"<(script|style)\b.*?(?:</\1\s*>|\Z)", " ", body, flags=re.S | re.I)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def page_with_fragment(tmp: Path, fragment: str) -> str:
    """A 03 Oslo report whose befolkning chapter shows *fragment*, then one more paragraph."""
    ch = demo_chapter("befolkning", "03", "nb")
    cell = new_code_cell("show()")
    cell.outputs = [new_output("display_data", data={"text/html": fragment})]
    after = Chapter("befolkning", "03", "nb", display=False)
    after.text(AFTER, AFTER)
    tail = new_code_cell("ch.text(...)")
    tail.outputs = [new_output("display_data", data={"text/html": after.outputs[-1]})]
    nb = executed_notebook(ch, tmp / "x.ipynb", extra_cells=[cell, tail])
    return report.render_county_report(
        params_for("03"), [(contents.get("befolkning"), nb)], RUN_INFO
    )


@pytest.mark.parametrize(
    ("fragment", "gone"),
    [
        (
            '<div class="kg-text"><meta http-equiv="refresh" content="0; url=https://evil.example/">'
            "<p>Vanlig tekst.</p></div>",
            ("http-equiv", "evil.example", "<meta"),
        ),
        ('<div class="kg-text"><p>Vanlig tekst.</p><!-- resten forsvinner', ("<!--",)),
        (
            '<div class="kg-text"><style>main, .kg-figure { display: none }</style>'
            "<p>Vanlig tekst.</p></div>",
            ("display: none", "<style>main"),
        ),
        (
            '<div class="kg-text"><script>document.title = "hacked"</script>'
            "<p>Vanlig tekst.</p></div>",
            ("<script", "hacked"),
        ),
        (
            '<div class="kg-text"><p>Vanlig tekst.</p><img src="data:image/png;base64,AAAA" '
            'alt="Kart over Oslo med bydelene markert" onerror="alert(document.cookie)"></div>',
            ("onerror", "document.cookie"),
        ),
    ],
    ids=["meta-refresh", "unclosed-comment", "style-block", "script", "onerror"],
)
def test_hostile_fragment_is_neutralised_and_the_rest_is_shown(tmp_path, fragment, gone):
    page = page_with_fragment(tmp_path, fragment)
    body = page.split("<body", 1)[1]
    for bad in gone:
        assert bad not in body
    text = browser_text(page)
    assert "Vanlig tekst." in text and AFTER in text
    assert "Figur 1. Kommuner per fylke, 2024" in text and "Tabell 1." in text
    assert "Trenger oppdatering:" in text and "Kilde: Statistisk sentralbyrå (SSB)" in text


def test_only_embedded_pictures_and_in_page_links_survive():
    from kunnskapsgrunnlag.publish.report.sanitise import sanitise

    out = sanitise(
        '<div class="kg-text"><a href="#befolkning">Til kapitlet</a>'
        '<a href="https://evil.example/">Lenke</a><a href="javascript:alert(1)">Skript</a>'
        '<iframe src="https://evil.example/"></iframe><form action="https://evil.example/">'
        '<input name="x"></form><p style="position:fixed">Tekst</p>'
        '<img src="data:image/svg+xml;base64,AAAA" alt="Et bilde"></div></section></main>'
    )
    assert out == (
        '<div class="kg-text"><a href="#befolkning">Til kapitlet</a><a>Lenke</a><a>Skript</a>'
        '<p>Tekst</p><img alt="Et bilde"></div>'
    )


class _Tree(HTMLParser):
    """A fragment as a browser reads it: start tags (attributes resolved), end tags, text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, sorted((k, v or "") for k, v in attrs)))

    def handle_endtag(self, tag):
        self.events.append(("end", tag))

    def handle_data(self, data):
        self.events.append(("text", data))

    def handle_comment(self, data):
        self.events.append(("comment", data))


def test_sanitising_leaves_a_normal_report_unchanged(tmp_path, monkeypatch):
    sanitised = barometer_report(tmp_path, "46")
    monkeypatch.setattr(report.fragments, "sanitise", lambda fragment: fragment)
    raw = barometer_report(tmp_path, "46")
    assert sanitised != raw  # the sanitiser did run (it writes entities its own way)
    assert _Tree(sanitised).events == _Tree(raw).events
    ch = demo_chapter("befolkning", "46", "nn")
    ch.headline("Innbyggjarar 1. januar 2025", "651\u00a0299 «x» & 'y'")
    ch.barometer(barometer_rows_for("nn")["befolkning"])
    from kunnskapsgrunnlag.publish.report.sanitise import sanitise

    for frag in ch.outputs:
        assert _Tree(sanitise(frag)).events == _Tree(frag).events, frag[:80]
