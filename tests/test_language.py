"""Language in every report: no bokmål in nynorsk, no nynorsk in bokmål, none of the faulty sentences.

Builds all 15 county reports and the portal from the bundled data (``kg run``) once, and scans
what a reader sees (headings, text, captions, table cells, alt texts) with
:func:`kunnskapsgrunnlag.language.scan` — the word lists and sentence faults from the language
review (``docs/sprak.md``). Also checks the review's structural faults: Oslo's comparability
note once per chapter, no one-row municipality table for Oslo, no rank for Oslo's KOSTRA figures,
and a front page that gives the statistics year per theme and links back to the portal.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kunnskapsgrunnlag import language, regions

sys.path.insert(0, str(Path(__file__).parent / "backtests"))
from backtest_view import reader_lines  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("kg-run-kernels")]

OSLO_NOTE = {"nb": "Oslo er både kommune og fylke", "nn": "Oslo er både kommune og fylke"}


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, tuple[str, str]]:
    """``{file stem: (lang, page)}`` for the 15 reports and the portal (``index``)."""
    out = tmp_path_factory.mktemp("language") / "outputs"
    env = {**os.environ, "KG_OUTPUTS": str(out), "MPLBACKEND": "Agg"}
    proc = subprocess.run(
        [sys.executable, "-m", "kunnskapsgrunnlag", "run", "--force", "--jobs", "2"],
        env=env, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    pages = {}
    for f in sorted((out / "reports").glob("*.html")):
        page = f.read_text(encoding="utf-8")
        lang = re.search(r'<html lang="(n[bn])"', page).group(1)
        pages[f.stem] = (lang, page)
    return pages


def _text(page: str, lang: str | None = None) -> str:
    """What a reader sees; with *lang*, without the parts marked as the other written standard
    (the portal's nynorsk cards carry ``lang="nn"``)."""
    if lang is not None:
        other = "nn" if lang == "nb" else "nb"
        page = re.sub(rf'<li class="kg-card[^"]*" lang="{other}".*?</li>', "", page, flags=re.S)
    return "\n".join(line.split(": ", 1)[-1] for line in reader_lines(page))


def test_every_county_has_a_report(reports):
    stems = {f"{c}-{regions.COUNTIES[c].slug}" for c in regions.COUNTIES}
    assert stems <= set(reports)


@pytest.mark.parametrize("code", sorted(regions.COUNTIES) + ["index"])
def test_no_word_of_the_other_standard_and_no_faulty_sentence(reports, code):
    stem = code if code == "index" else f"{code}-{regions.COUNTIES[code].slug}"
    lang, page = reports[stem]
    found = language.scan(_text(page, lang), lang)
    assert not found, "\n".join(f"{f.kind}: «{f.match}» ({f.why}) … {f.context} …" for f in found)


def _sections(page: str) -> list[str]:
    return re.split(r"<h2\b", page)


def test_oslo_note_is_said_once_per_chapter_and_once_in_the_definitions(reports):
    for stem, (lang, page) in reports.items():
        if stem == "index":
            continue
        for section in _sections(page):
            text = _text("<h2" + section)
            assert text.count(OSLO_NOTE[lang]) <= 1, (stem, text[:80])


def test_oslo_has_no_one_row_municipality_table_and_no_kostra_rank(reports):
    lang, page = reports["03-oslo"]
    lines = reader_lines(page)
    assert not any(line.startswith("figcaption:") and "Kommunene i Oslo" in line for line in lines)
    start = page.index('<section class="kg-chapter-section" data-kg-chapter="kostra"')
    kostra = page[start : page.index('<section class="kg-chapter-section"', start + 1)]
    kostra_text = _text(kostra)
    assert "Plass blant 15" not in kostra_text
    assert "av de 15 fylkene" not in kostra_text and "er nummer" not in kostra_text
    assert "Oslo kommune brukte per innbygger på fylkeskommunale oppgaver" in kostra_text


def test_front_page_gives_the_statistics_year_per_theme_and_links_back(reports):
    lang, page = reports["46-vestland"]
    lines = reader_lines(page)
    i = lines.index("dt: Statistikkår")
    assert (
        "Befolkning: 1. januar" in lines[i + 1] and "Fylkeskommunen i KOSTRA: 2025" in lines[i + 1]
    )
    assert 'href="index.html"' in page and 'href="../indicators.csv"' in page
    assert not re.search(r"\bgit [0-9a-f]{7}", _text(page))
    assert re.search(
        r'<meta name="generator" content="kunnskapsgrunnlag [\w.]+ \(git [0-9a-f]+\)">', page
    )
    _, portal = reports["index"]
    assert "15 fylker, alle oppdatert" in _text(portal)
