"""Samferdsel and Tannhelse: figures equal the bundled SSB file, the missing-county path, one county.

Expected values are read from the source file with the standard library's csv module (not
through the data layer), so a loader or mapping error cannot hide itself. Population (for the
derived bus figure) comes from the population loader, which test_population checks.
"""

from __future__ import annotations

import csv
import re

import nbformat
import pytest

from kunnskapsgrunnlag import contents, indicators, paths
from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag.analysis.compare import compare
from kunnskapsgrunnlag.chapters import samferdsel, standard, tannhelse
from kunnskapsgrunnlag.context import CountyContext
from kunnskapsgrunnlag.data import snapshot
from kunnskapsgrunnlag.publish import report
from kunnskapsgrunnlag.regions import COUNTIES
from test_indicators import run_chapter_fast

FILE = paths.SNAPSHOT / "ssb-12163-kostra-fylker" / "ssb-andre-fylkesindikatorer.csv"
NOTEBOOKS = {
    "samferdsel": paths.NOTEBOOKS / "50_samferdsel.ipynb",
    "tannhelse": paths.NOTEBOOKS / "60_tannhelse.ipynb",
}
NATIONAL = {"Hele landet": "0", "Landet uten Oslo": "EAFKUO"}
RECREATED_2024 = {"31", "32", "33", "39", "40", "55", "56"}


def source(indicator: str) -> dict[tuple[str, int | None], float]:
    """{(region, year): value} of one indicator, straight from the bundled file."""
    with open(FILE, encoding="utf-8", newline="") as fh:
        return {
            (r["fylke_code"] or NATIONAL[r["region_name"]], int(r["year"]) if r["year"] else None): float(r["value"])
            for r in csv.DictReader(fh)
            if r["indicator"] == indicator
        }  # fmt: skip


def as_dict(indicator_id: str) -> dict[tuple[str, int], float]:
    df = indicators.series(indicator_id)
    return dict(zip(zip(df["region"], df["year"], strict=True), df["value"], strict=True))


def ctx(code: str, lang: str = "nb") -> CountyContext:
    return CountyContext.from_notebook(code, written_standard=lang)


# --------------------------------------------------------------------------- data equals the file
@pytest.mark.parametrize(
    "indicator",
    ["andel_fylkesvei_darlig_dekke", "fylkesvei_km", "bruer_totalt", "tunneler_km",
     "busspassasjerer", "tannhelse_andel_undersokt_behandlet"],
)  # fmt: skip
def test_published_series_equal_the_file(indicator: str) -> None:
    assert as_dict(indicator) == source(indicator)
    rows = indicators.indicator_rows(indicator)  # indicators.csv: every published value, as is
    assert len(rows) == len(source(indicator))
    assert dict(zip(zip(rows["region_code"], rows["year"], strict=True), rows["value"], strict=True)) == source(indicator)  # fmt: skip


def test_road_density_is_km_over_land_area_and_labelled_derived() -> None:
    km, area = source("fylkesvei_km"), source("landareal_km2")
    got = as_dict("fylkesvei_km_per_1000_km2")
    for (region, year), v in km.items():
        assert got[(region, year)] == pytest.approx(v / area[(region, None)] * 1000)
    counties = [r for r, _ in km]
    assert "03" not in counties and len(counties) == 14
    total = sum(km.values()) / sum(area[(r, None)] for r in counties) * 1000
    assert got[("EAFKUO", 2025)] == pytest.approx(total)
    ind = indicators.get("fylkesvei_km_per_1000_km2")
    assert "(beregnet)" in ind.name("nb") and "(berekna)" in ind.name("nn")
    assert ind.source_text.startswith("Beregnet")


def test_bus_per_inhabitant_is_passengers_over_population_on_1_january() -> None:
    bus = source("busspassasjerer")
    pop = snapshot.load("07459-fylker-2023-2025").groupby(["region", "year"])["value"].sum()
    got = as_dict("busspassasjerer_per_innbygger")
    years = {y for _, y in pop.index}
    expected = {(r, y): v / pop[(r, y)] for (r, y), v in bus.items() if y in years}
    for y in years:
        rest = (bus[("0", y)] - bus[("03", y)]) / (pop[("0", y)] - pop[("03", y)])
        expected[("EAFKUO", y)] = rest
    assert got.keys() == expected.keys()
    for k, v in expected.items():
        assert got[k] == pytest.approx(v)
    assert "(beregnet)" in indicators.get("busspassasjerer_per_innbygger").name("nb")


def test_comparison_uses_the_file_values_and_the_polarity() -> None:
    c = compare(ctx("46"), "andel_fylkesvei_darlig_dekke")
    surface = source("andel_fylkesvei_darlig_dekke")
    assert c.year == max(y for r, y in surface if r == "46")
    assert (c.value, c.reference) == (surface[("46", c.year)], surface[("EAFKUO", c.year)])
    diff, t = c.value - c.reference, indicators.get(c.indicator).notable.threshold
    assert c.verdict == ("worse" if diff >= t else "better" if -diff >= t else "similar")
    d = compare(ctx("46"), "tannhelse_andel_undersokt_behandlet")
    dental = source("tannhelse_andel_undersokt_behandlet")
    assert (d.value, d.reference) == (dental[("46", 2024)], dental[("EAFKUO", 2024)])
    assert indicators.get(d.indicator).polarity == "higher_is_better"


def test_ranks_count_only_the_counties_with_figures() -> None:
    table = standard.comparison_table(ctx("46"), samferdsel.compared(ctx("46")), title="x")
    n_surface = sum(1 for r, y in source("andel_fylkesvei_darlig_dekke") if r in COUNTIES and y == 2025)  # fmt: skip
    assert table.rows[0]["rank"].endswith(f" av {n_surface}") and n_surface == 14
    fig = standard.ranking(ctx("46"), "andel_fylkesvei_darlig_dekke")
    assert fig.options["subtitle"] == "14 fylker med tall" and "i fylkene, 2025" in fig.title
    assert "de 14 fylkene med tall" in fig.alt


# --------------------------------------------------------------------------- missing figures
def test_oslo_has_no_county_roads_and_says_so_once() -> None:
    oslo = ctx("03")
    assert samferdsel.compared(oslo) == ["busspassasjerer_per_innbygger", samferdsel.SPENDING]
    sentence = "For Oslo har datauttaket fra SSB ingen tall for fylkesveier, bruer og tunneler."
    assert samferdsel.missing_text(oslo) == sentence
    assert samferdsel.missing_text(ctx("46")) == ""
    ch = run_chapter_fast(NOTEBOOKS["samferdsel"], "03")
    text = re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", ch.html()))
    assert text.count(sentence) == 1
    assert "andel_fylkesvei_darlig_dekke" not in ch.indicators
    assert fmt.number(source("busspassasjerer")[("03", 2025)], 0, "nb") in text


@pytest.mark.parametrize("chapter", ["samferdsel", "tannhelse"])
def test_a_county_recreated_in_2024_shows_what_exists_and_says_why(chapter: str) -> None:
    ch = run_chapter_fast(NOTEBOOKS[chapter], "31")
    text = re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", ch.html()))
    assert "Østfold fylkeskommune ble opprettet på nytt" in text and "en del av Viken" in text
    rankings = 4 if chapter == "samferdsel" else 2  # no trend: the series starts in 2024
    assert ch.html().count('<figure class="kg-figure"') == rankings


# --------------------------------------------------------------------------- one county, in nynorsk
@pytest.mark.parametrize("chapter", ["samferdsel", "tannhelse"])
def test_vestland_chapter_in_nynorsk(chapter: str) -> None:
    ch = run_chapter_fast(NOTEBOOKS[chapter], "46")
    html = ch.html()
    text = re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html))
    title = contents.get(chapter).title("nn")
    assert f'<h2 class="kg-heading kg-chapter" id="{chapter}">{title}</h2>' in html
    assert text.strip().startswith(f"{title} Fylkeskommunen har ansvaret for")
    rows = report.barometer_rows(ch.outputs)
    spending = samferdsel.SPENDING if chapter == "samferdsel" else tannhelse.SPENDING
    compared = samferdsel.COMPARED if chapter == "samferdsel" else [tannhelse.COVERAGE]
    assert [r.indicator for r in rows] == compared  # the spending row stays in KOSTRA
    assert spending in ch.indicators and {r.chapter for r in rows} == {chapter}
    for r in rows:
        polarity = indicators.get(r.indicator).polarity
        allowed = {"higher", "lower", "similar_neutral"} if polarity == "neither" else {"better", "similar", "worse"}  # fmt: skip
        assert r.verdict in allowed
    appendix = indicators.definitions_html(report.indicator_ids(ch.outputs), "nn")
    for i in [*compared, spending]:
        assert indicators.get(i).name("nn") in appendix
    if chapter == "tannhelse":
        value = source("tannhelse_andel_undersokt_behandlet")[("46", 2024)]
        assert fmt.percent(value, 1, "nn") in text and "tannhelsetenestelova § 1-3" in text
    else:
        assert fmt.number(source("bruer_totalt")[("46", 2025)], 0, "nn") in text
        assert "skuleskyss" in text and "fylkesvegane" in text
    alts = " ".join(re.findall(r'alt="([^"]*)"', html))
    assert not re.search(r"\b(innbygger|ikke|fylkene|tallene)\b", text + alts)


@pytest.mark.parametrize("chapter", ["samferdsel", "tannhelse"])
def test_notebook_is_committed_without_outputs(chapter: str) -> None:
    nb = nbformat.read(NOTEBOOKS[chapter], as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].metadata["tags"] == ["parameters"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert all("kg-skip" in c.metadata.get("tags", []) for c in nb.cells if c.cell_type == "markdown")  # fmt: skip
    assert f'Chapter("{chapter}", ctx)' in code[1].source
    numbers = set(re.findall(r"\b\d{3,}\b", "\n".join(c.source for c in code)))
    assert numbers <= {"000", "07459", "09280", "11842", "11844", "11961", "12163"}, numbers


@pytest.mark.parametrize("code", ["11", "15", "46"])
def test_a_trend_note_says_the_line_breaks_only_where_this_county_changed(code: str) -> None:
    coverage = tannhelse.trend_figure(ctx(code)).options.get("note") or ""
    roads = samferdsel.trend_figure(ctx(code)).options.get("note") or ""
    assert "brutt" not in coverage  # 11961 starts in 2020: no county changed since
    # Møre og Romsdal's 11842 series runs from 2015, across the 2020 reform; Rogaland's held
    assert ("brutt før 2020 (ny fylkesinndeling)" in roads) == (code == "15")
