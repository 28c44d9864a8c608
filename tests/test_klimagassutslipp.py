"""Telemark's own chapter «Klimagassutslipp»: figures from the bundled Miljødirektoratet file, Telemark only.

Expected values are read from the source CSV with the standard library (not through the loader).
"""

from __future__ import annotations

import csv
import html
import re
from collections import defaultdict

import pytest

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.formatting import number, percent
from kunnskapsgrunnlag.indicators import get as get_indicator
from kunnskapsgrunnlag.indicators.csv import collect_rows
from kunnskapsgrunnlag.params import load_all
from kunnskapsgrunnlag.publish.run.inputs import validate
from test_indicators import run_chapter_fast

SOURCE = paths.SNAPSHOT / "mdir-klimagassutslipp-telemark" / "klimagassutslipp_telemark.csv"
NOTEBOOK = paths.NOTEBOOKS / "fylker" / "40-telemark" / "klimagassutslipp.ipynb"
IDS = ("klimagassutslipp", "klimagassutslipp_industri", "klimagassutslipp_veitrafikk")


def raw_totals(sector: str | None = None) -> dict[tuple[str, int], float]:
    """Tonnes per municipality name and year, summed from the source file."""
    out: dict[tuple[str, int], float] = defaultdict(float)
    with SOURCE.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if sector is None or row["Sektor"] == sector:
                out[(row["Kommune"], int(row["År"]))] += float(row["Utslipp"])
    return out


def test_indicators_csv_rows_are_telemark_only_with_miljodirektoratet_as_source():
    rows = collect_rows(IDS)
    assert set(rows["indicator"]) == set(IDS)
    assert set(rows["region_code"]) == {
        "40",
        *(f"40{n:02d}" for n in (1, 3, 5, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36)),
    }
    assert set(rows["source"]) == {"Miljødirektoratet, Klimagassutslipp i kommuner"}
    assert set(rows["unit"]) == {"tonn CO2-ekvivalenter"}
    raw = raw_totals()
    porsgrunn = rows[(rows["indicator"] == "klimagassutslipp") & (rows["region_code"] == "4001")]
    assert porsgrunn.set_index("year")["value"][2024] == pytest.approx(raw[("Porsgrunn", 2024)])
    county = rows[(rows["indicator"] == "klimagassutslipp") & (rows["region_code"] == "40")]
    total_2009 = sum(v for (_, y), v in raw.items() if y == 2009)
    assert county.set_index("year")["value"][2009] == pytest.approx(total_2009)
    road = rows[
        (rows["indicator"] == "klimagassutslipp_veitrafikk") & (rows["region_code"] == "4003")
    ]
    assert road.set_index("year")["value"][2024] == pytest.approx(
        raw_totals("Veitrafikk")[("Skien", 2024)]
    )
    assert all(get_indicator(i).county == "40" for i in IDS)


def test_only_telemark_runs_the_chapter():
    cfg = validate(None, 1, False, False, None, None, None, None, None)
    own = {p.county_code: [c.id for c in cfg.county_chapters(p) if c.own] for p in cfg.counties}
    assert own.pop("40") == ["klimagassutslipp", "kommuneframskriving"]
    assert not any(own.values())
    good, _ = load_all()
    assert [p.county_code for p in good if p.extra_chapters] == ["40"]


def test_chapter_shows_figures_from_the_source_and_a_map():
    ch = run_chapter_fast(NOTEBOOK, "40")
    page = html.unescape(re.sub(r"<[^>]+>", " ", "\n".join(ch.outputs)))
    raw = raw_totals()
    t24 = sum(v for (_, y), v in raw.items() if y == 2024)
    t09 = sum(v for (_, y), v in raw.items() if y == 2009)
    assert f"utslipp på {number(t24)} tonn CO2-ekvivalenter i 2024" in page
    assert f"endring på {percent(100 * (t24 / t09 - 1), sign=True)} fra 2009" in page
    industry = sum(v for (_, y), v in raw_totals("Industri, olje og gass").items() if y == 2024)
    assert (
        f"Industri, olje og gass sto for {percent(100 * industry / t24)} av utslippene i 2024"
        in page
    )
    assert "Kartdata: © Kartverket, CC BY 4.0" in page  # the municipality map
    assert page.count("Kilde: Miljødirektoratet, Klimagassutslipp i kommuner") >= 4
    assert set(ch.indicators) >= set(IDS)
