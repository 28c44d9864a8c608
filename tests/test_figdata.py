"""«Tall bak figuren»: every figure's numbers as a CSV download and a table alternative."""

from __future__ import annotations

import base64
import html
import re

import pandas as pd
import pytest

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag.charts import FigureSpec
from kunnskapsgrunnlag.publish import Chapter, figdata
from kunnskapsgrunnlag.publish.report.sanitise import sanitise
from kunnskapsgrunnlag.regions import COUNTIES, municipalities


def _ranking(lang: str) -> FigureSpec:
    """Municipalities per county in 2024 (bundled KLASS 131), Oslo with the status «..»."""
    counts = municipalities(2024)["code"].str[:2].value_counts()
    rows = [
        {"region": c, "label": COUNTIES[c].name, "value": float(counts.get(c, 0)),
         "status": ".." if c == "03" else None, "role": "county" if c == "46" else "other"}
        for c in COUNTIES
    ]  # fmt: skip
    return FigureSpec("ranking", pd.DataFrame(rows), "Kommunar per fylke, 2024",
                      "Stolpediagram over talet på kommunar i kvart fylke i 2024.",
                      "Kjelde: SSB, KLASS 131", lang=lang, options={"decimals": 0})  # fmt: skip


def _csv_of(fragment: str) -> tuple[str, str]:
    m = re.search(r'download="([^"]+)" href="data:text/csv;charset=utf-8;base64,([^"]+)"', fragment)
    assert m, fragment[:300]
    return m.group(1), base64.b64decode(m.group(2)).decode("utf-8")


def test_csv_holds_every_row_with_norwegian_headers_and_symbols():
    spec = _ranking("nn")
    name, text = _csv_of(figdata.figure_data_html(spec, "46"))
    assert name == "46-kommunar-per-fylke-2024.csv"
    assert text.startswith("\ufeff")  # spreadsheets read æøå
    lines = text[1:].split("\r\n")[:-1]
    assert lines[0] == "Namn;Verdi"  # region named by the label, drawing columns left out
    counts = municipalities(2024)["code"].str[:2].value_counts()
    assert f"Vestland;{counts['46']}" in lines
    assert "Oslo;.." in lines  # the symbol, never a number
    assert len(lines) == 1 + len(COUNTIES)


def test_table_alternative_is_a_real_table_in_a_details_element():
    spec = _ranking("nb")
    frag = figdata.figure_data_html(spec, "03")
    assert (
        '<details class="kg-figure-table"><summary>Tallene i figuren som tabell</summary>' in frag
    )
    assert ">Tall bak figuren</a>" in frag
    cells = re.findall(r"<tr><td>([^<]*)</td><td class=\"num\">([^<]*)</td></tr>", frag)
    assert len(cells) == len(COUNTIES)
    assert ("Oslo", "..") in cells
    assert '<th scope="col" class="num">Verdi</th>' in frag


def test_decimals_unit_sex_and_region_names_are_shown_as_the_reader_reads_them():
    data = pd.DataFrame({"region": ["0", "46"], "sex": ["men", "women"], "year": [2024, 2024],
                         "value": [12.345, 7.0], "role": ["norway", "county"]})  # fmt: skip
    spec = FigureSpec("lines", data, "Ein test", "Ein figur med to liner for testen.", "Kjelde: SSB",
                      lang="nn", options={"unit": "%"})  # fmt: skip
    headers, shown, raw = figdata.rows(spec)
    assert headers == ["Region", "Kjønn", "År", "Verdi (%)"]
    assert shown[0] == ["Heile landet", "Menn", "2024", fmt.cell(12.345, None, 1, "nn")]
    assert raw[0][-1] == "12,345"


@pytest.mark.parametrize("lang,word", [("nb", "Tall bak figuren"), ("nn", "Tal bak figuren")])
def test_every_spec_figure_of_a_chapter_carries_its_data_through_the_sanitiser(lang, word):
    ch = Chapter("befolkning", "46", lang, display=False)
    ch.figure(_ranking(lang))
    clean = sanitise(ch.outputs[-1])
    assert f">{word}</a>" in clean
    name, text = _csv_of(clean)
    assert name.endswith(".csv") and "Vestland" in text
    assert "<details" in clean and "<summary>" in clean


def test_sanitiser_keeps_only_csv_data_links():
    out = sanitise('<a href="data:text/html,&lt;script&gt;">x</a><a href="https://e.org">y</a>')
    assert "href" not in out
    assert html.unescape(out) == "<a>x</a><a>y</a>"


def test_a_drawn_figure_without_its_numbers_is_refused():
    import matplotlib.pyplot as plt

    ch = Chapter("befolkning", "46", "nb", display=False)
    fig, ax = plt.subplots()
    ax.plot([2020, 2021], [1, 2])
    with pytest.raises(ValueError, match="Tall bak figuren"):
        ch.figure(fig, title="To år", alt="Ei linje som stig frå 1 til 2.", source="Kilde: SSB")
    plt.close(fig)
