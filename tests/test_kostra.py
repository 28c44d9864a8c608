"""Fylkeskommunen i KOSTRA: figures equal SSB's bundled values, sentences, charts, the notebook.

The expected values are read here straight from the bundled CSV with pandas (not through
``kunnskapsgrunnlag.data.snapshot``), so a loader or mapping error in the library cannot hide itself.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pandas as pd
import pytest

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag import indicators, paths, regions
from kunnskapsgrunnlag.analysis import history
from kunnskapsgrunnlag.analysis.compare import compare
from kunnskapsgrunnlag.analysis.trend import trend
from kunnskapsgrunnlag.chapters import kostra, standard
from kunnskapsgrunnlag.charts import render, style
from kunnskapsgrunnlag.context import CountyContext
from kunnskapsgrunnlag.data import client as ssb_client
from kunnskapsgrunnlag.publish import report
from kunnskapsgrunnlag.regions import COUNTIES
from test_indicators import KOSTRA_IDS, county_parameters, run_chapter_fast, run_chapter_plain

CSV = (
    paths.SNAPSHOT
    / "ssb-12163-kostra-fylker"
    / "kostra-12163-netto-driftsutgifter-per-innbygger.csv"
)
SOURCE_ID = "12163-fylker"
NOTEBOOK = paths.NOTEBOOKS / "20_fylkeskommunen_i_kostra.ipynb"
RECREATED_2024 = {"31", "32", "33", "39", "40", "55", "56"}
OSLO_NOTE = {  # what Oslo's KOSTRA differences reflect: the last of Oslo's key points
    "nb": "Forskjellene speiler blant annet at Oslo fører mange fylkeskommunale oppgaver",
    "nn": "Skilnadene speglar mellom anna at Oslo fører mange fylkeskommunale oppgåver",
}
BOTH = "Oslo er både kommune og fylke"  # said once per chapter, in the intro


@pytest.fixture(scope="module")
def ssb_csv() -> pd.DataFrame:
    raw = pd.read_csv(CSV, dtype=str, keep_default_na=False)
    raw["region"] = np.where(raw["region_code"] == "EAFKUO", "EAFKUO", raw["fylke_code"])
    raw["year"] = raw["year"].astype(int)
    raw["value"] = raw["value"].astype(float)
    return raw


def ctx(code: str, lang: str = "nb") -> CountyContext:
    return CountyContext.from_notebook(code, written_standard=lang)


IDS = kostra.indicator_ids()
FUNCTIONS = ["FGF7", "FGF4", "FGF8", "FGF1b", "FGF3"]
ID_OF = dict(zip(FUNCTIONS, KOSTRA_IDS, strict=True))


def csv_value(ssb_csv: pd.DataFrame, region: str, function: str, year: int) -> float:
    hit = ssb_csv[
        (ssb_csv["region"] == region)
        & (ssb_csv["function_code"] == function)
        & (ssb_csv["year"] == year)
    ]
    assert len(hit) == 1, (region, function, year)
    return float(hit["value"].iloc[0])


# --------------------------------------------------------------------------- data equals SSB
def test_the_chapter_indicators_are_the_registry_entries() -> None:
    assert IDS == KOSTRA_IDS
    for f, i in ID_OF.items():
        spec = indicators.get(i).series
        assert spec.source == SOURCE_ID and spec.select == {"function": f}
        assert spec.regions == "kostra" and spec.reference == "EAFKUO"


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_cell_equals_the_bundled_ssb_value(ssb_csv: pd.DataFrame, function: str) -> None:
    data = indicators.series(ID_OF[function])
    expected = ssb_csv[ssb_csv["function_code"] == function]
    assert len(data) == len(expected) == 95
    merged = expected.merge(data, on=["region", "year"], how="outer", indicator=True)
    assert (merged["_merge"] == "both").all()
    pd.testing.assert_series_equal(merged["value_x"], merged["value_y"], check_names=False)
    assert set(data["region"]) == set(COUNTIES) | {"EAFKUO"}
    assert data["status"].isna().all()


@pytest.mark.parametrize("county", sorted(COUNTIES))
def test_comparison_equals_ssb_for_each_county_function_and_year(
    ssb_csv: pd.DataFrame, county: str
) -> None:
    years = sorted(ssb_csv.loc[ssb_csv["region"] == county, "year"].unique())
    assert history.years(ctx(county), IDS[0]) == years
    for year in years:
        for f in FUNCTIONS:
            c = compare(ctx(county), ID_OF[f], year=year)
            v = csv_value(ssb_csv, county, f, year)
            ref = csv_value(ssb_csv, "EAFKUO", f, year)
            assert c.value == v and c.reference == ref and c.reference_code == "EAFKUO"
            assert c.diff == v - ref
            if v >= 0:
                assert c.pct == pytest.approx((v / ref - 1) * 100)
            same_year = ssb_csv[
                (ssb_csv["function_code"] == f)
                & (ssb_csv["year"] == year)
                & (ssb_csv["region"] != "EAFKUO")
            ]
            assert c.rank == 1 + int((same_year["value"] > v).sum())
            assert c.n == len(same_year)
            notable = abs((v / ref - 1) * 100) >= 10 if v >= 0 else v != ref
            assert c.notable == notable
            assert c.verdict in ({"higher", "lower"} if notable else {"similar_neutral"})


@pytest.mark.parametrize("county", sorted(COUNTIES))
def test_change_2024_2025_equals_ssb(ssb_csv: pd.DataFrame, county: str) -> None:
    for f in FUNCTIONS:
        t = trend(ctx(county), ID_OF[f], since=2024, until=2025)
        r = trend(ctx(county), ID_OF[f], region="EAFKUO", since=2024, until=2025)
        a, b = csv_value(ssb_csv, county, f, 2024), csv_value(ssb_csv, county, f, 2025)
        ra, rb = csv_value(ssb_csv, "EAFKUO", f, 2024), csv_value(ssb_csv, "EAFKUO", f, 2025)
        assert (t.start, t.end) == (a, b) and r.pct == pytest.approx((rb / ra - 1) * 100)
        if a > 0 and b >= 0:
            assert t.pct == pytest.approx((b / a - 1) * 100)
        else:
            assert np.isnan(t.pct)


def test_a_trend_never_crosses_a_new_county_division_where_the_county_changed() -> None:
    # Møre og Romsdal lost Halsa in 2020 but kept its borders in 2024; Oslo never changed (language review T28: break only where the county changed)
    t = trend(ctx("15"), IDS[0], since=2015)
    assert (t.start_year, t.end_year, t.shortened) == (2020, 2025, True)
    t = trend(ctx("03"), IDS[0], since=2015)
    assert (t.start_year, t.end_year, t.shortened) == (2015, 2025, False)


def test_indicator_rows_carry_the_ssb_values(ssb_csv: pd.DataFrame) -> None:
    rows = pd.concat([indicators.indicator_rows(i) for i in IDS])
    assert set(rows["indicator"]) == set(KOSTRA_IDS)
    assert set(rows["region_code"]) == set(COUNTIES) | {"EAFKUO"}
    assert rows.loc[rows["region_code"] == "EAFKUO", "region_name"].unique().tolist() == [
        "Landet uten Oslo"
    ]
    assert rows.loc[rows["region_code"] == "46", "region_name"].unique().tolist() == ["Vestland"]
    ssb_csv = ssb_csv.assign(
        indicator="netto_driftsutgifter_per_innbygger_" + ssb_csv["function_code"].str.lower()
    )
    merged = rows.merge(
        ssb_csv,
        left_on=["indicator", "region_code", "year"],
        right_on=["indicator", "region", "year"],
    )
    assert len(merged) == len(rows) == len(ssb_csv)
    assert (merged["value_x"] == merged["value_y"]).all()


def test_indicators_csv_has_the_kostra_figures(tmp_path: Path, ssb_csv: pd.DataFrame) -> None:
    path = indicators.write_csv(tmp_path / "indicators.csv")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    k = df[df["indicator"] == "netto_driftsutgifter_per_innbygger_fgf4"]
    row = k[(k["region_code"] == "46") & (k["year"] == "2025")].iloc[0]
    assert float(row["value"]) == csv_value(ssb_csv, "46", "FGF4", 2025)
    assert row["source"] == "SSB, tabell 12163" and row["unit"] == "kr per innbygger"
    assert "EAFKUO" in set(k["region_code"]) and "4600" not in set(k["region_code"])


def test_the_default_year_is_the_last_year_with_all_15_counties(ssb_csv: pd.DataFrame) -> None:
    counts = ssb_csv[ssb_csv["region"] != "EAFKUO"].groupby("year")["region"].nunique()
    assert compare(ctx("31"), IDS[0]).year == int(counts[counts == 15].index.max())


def test_live_path_asks_ssb_for_table_12163(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import sys

    from fakessb import FakeClock, FakeSSB
    from kunnskapsgrunnlag.indicators import series as _  # noqa: F401

    series_module = sys.modules["kunnskapsgrunnlag.indicators.series"]
    with FakeSSB() as srv:
        clock = FakeClock()
        client = ssb_client.SSBClient(
            base_url=srv.base_url, cache_dir=tmp_path / "cache", clock=clock, sleep=clock.sleep
        )
        monkeypatch.setattr(ssb_client, "_DEFAULT_CLIENT", client)
        series_module.cache_clear()
        try:
            live = indicators.series(IDS[1], "live")
            live_ctx = CountyContext("31", "nb", {"kind": "all_counties"}, "live")
            assert not history.has_long_series(live_ctx, IDS[1])
        finally:
            series_module.cache_clear()
        assert srv.request_count >= 1
        assert any("12163" in str(r) for r in srv.requests)
    # the fake serves the bundled numbers, with «.» where a county did not exist yet
    assert set(live.loc[live["value"].isna(), "status"]) <= {"."}
    got = live[live["value"].notna()].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, indicators.series(IDS[1]), check_dtype=False)


# --------------------------------------------------------------------------- borders
@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_border_note(lang: str) -> None:
    note15 = history.border_note(ctx("15", lang), IDS[0])
    assert (
        "Halsa (2015–2019" in note15
        and "Hornindal (2015–2019" in note15
        and "Rindal (2015–2018" in note15
    )
    assert "KLASS 131" in note15
    assert "Vestland hadde de" in history.border_note(ctx("46", lang), IDS[0])


def test_recreated_counties_say_why_their_series_is_short() -> None:
    text = history.short_series_text(ctx("40"), IDS[0])
    assert "opprettet på nytt" in text and "Vestfold og Telemark" in text and "2024–2025" in text
    assert not history.has_long_series(ctx("40"), IDS[0]) and history.has_long_series(
        ctx("15"), IDS[0]
    )


# --------------------------------------------------------------------------- sentences
@pytest.mark.parametrize("county", sorted(COUNTIES))
@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_key_sentences_point_out_notable_differences_neutrally(
    ssb_csv: pd.DataFrame, county: str, lang: str
) -> None:
    sentences = kostra.key_sentences(ctx(county, lang))
    assert 3 <= len(sentences) <= 6
    text = " ".join(sentences)
    assert not re.search(r"\b(bedre|dårligere|betre|dårlegare|svakere|svakare|gunstig)\b", text)
    ref = "landet utanom Oslo" if lang == "nn" else "landet uten Oslo"
    higher, lower = ("høgare", "lågare") if lang == "nn" else ("høyere", "lavere")
    for f in FUNCTIONS:
        v, r = csv_value(ssb_csv, county, f, 2025), csv_value(ssb_csv, "EAFKUO", f, 2025)
        name = indicators.get(ID_OF[f]).name(lang)
        pct = (v / r - 1) * 100
        if v < 0 and county == "03":  # Oslo books culture as a municipality: not a finding
            assert (
                f"Oslo hadde negative netto driftsutgifter til {name.split(' til ')[1].split(' per')[0]}"
                in text
            )
            assert f"{name} var" not in text
        elif v < 0:
            amount = fmt.number(abs(v - r), 0, lang) + "\u00a0kr"
            assert f"{name} var {fmt.kroner(v, 0, lang)} i" in text
            assert f"{amount} {lower} enn i {ref}" in text
        elif abs(pct) >= 10:
            phrase = f"{fmt.percent(abs(pct), 0, lang)} {higher if pct > 0 else lower} enn i {ref}"
            assert f"{name} var {fmt.kroner(v, 0, lang)}" in text and phrase in text, phrase
            assert f"({fmt.kroner(r, 0, lang)})" in text
        else:
            assert f"{name} var" not in text
    assert (OSLO_NOTE[lang] in text) == (county == "03")
    if county == "03":  # no place among the 15 where figures are not comparable (review O4)
        assert "nummer" not in text and "av de 15" not in text and "av dei 15" not in text


def test_vestland_sentence_in_nynorsk(ssb_csv: pd.DataFrame) -> None:
    v, r = csv_value(ssb_csv, "46", "FGF4", 2025), csv_value(ssb_csv, "EAFKUO", "FGF4", 2025)
    pct = fmt.percent((v / r - 1) * 100, 0, "nn")
    assert kostra.key_sentences(ctx("46", "nn"))[0] == (
        f"Netto driftsutgifter til samferdsel per innbyggjar var {fmt.kroner(v, 0, 'nn')} i "
        f"Vestland i 2025, {pct} høgare enn i landet utanom Oslo ({fmt.kroner(r, 0, 'nn')}) – "
        "Vestland er nummer 5 av 15 fylke (1 = høgast)."
    )


def test_threshold_is_stated() -> None:
    assert "minst 10\u00a0% frå landet utanom Oslo" in standard.threshold_text(
        ctx("46", "nn"), IDS[0]
    )
    assert "minst 10\u00a0% fra landet uten Oslo" in standard.threshold_text(ctx("46"), IDS[0])


def test_oslo_negative_culture_is_compared_in_kroner(ssb_csv: pd.DataFrame) -> None:
    table = kostra.comparison_table(ctx("03"))
    cells = dict(zip([r[0] for r in table.cells()], table.cells(), strict=True))
    v, r = csv_value(ssb_csv, "03", "FGF3", 2025), csv_value(ssb_csv, "EAFKUO", "FGF3", 2025)
    assert v < 0
    assert cells["Kultur"][4] == "−" + fmt.number(abs(v - r), 0, "nb") + "\u00a0kr"
    assert cells["Kultur"][2] == fmt.kroner(v, 0, "nb")
    assert (
        BOTH not in table.note and OSLO_NOTE["nb"] not in table.note
    )  # said once, in the key points
    assert [c.key for c in table.columns][-1] == "diff"  # no rank for Oslo


def test_tables_show_the_ssb_values(ssb_csv: pd.DataFrame) -> None:
    table = kostra.comparison_table(ctx("46", "nn"))
    assert table.symbols() == []
    assert table.headers == [
        "Indikator",
        "År",
        "Vestland",
        "Landet utanom Oslo",
        "Skilnad",
        "Plass blant 15 fylke (1 = høgast)",
    ]
    assert [r[2] for r in table.cells()] == [
        fmt.kroner(csv_value(ssb_csv, "46", f, 2025), 0, "nn") for f in FUNCTIONS
    ]
    change = kostra.change_table(ctx("46", "nn"))
    assert [r[1] for r in change.cells()] == [
        fmt.kroner(csv_value(ssb_csv, "46", f, 2024), 0, "nn") for f in FUNCTIONS
    ]


# --------------------------------------------------------------------------- charts (specs, then one drawing)
def test_ranking_spec(ssb_csv: pd.DataFrame) -> None:
    c = CountyContext.from_notebook(
        "46", written_standard="nn", comparison={"kind": "other_counties", "counties": ["15", "50"]}
    )
    spec = kostra.rankings(c)[1]
    data = spec.data
    assert spec.kind == "ranking" and spec.indicators == (ID_OF["FGF4"],)
    assert len(data) == 15 and "Oslo*" in set(data["label"])
    assert list(data["value"]) == sorted(data["value"], reverse=True)  # highest first
    row = data.set_index("region")
    assert row.loc["46", "value"] == csv_value(ssb_csv, "46", "FGF4", 2025)
    assert row.loc["46", "role"] == "county" and row.loc["15", "role"] == "peers"
    assert row.loc["42", "role"] == "other"
    assert spec.option("reference") == csv_value(ssb_csv, "EAFKUO", "FGF4", 2025)
    assert spec.option("note") is None and BOTH not in spec.alt  # the text says it once
    assert spec.source == "Kjelde: Statistisk sentralbyrå (SSB), tabell 12163"
    fig = render.render(spec)  # and it draws: bars in rank order, the county in its colour
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    bars = dict(zip(labels, ax.patches[:15], strict=True))
    assert bars["Vestland"].get_width() == row.loc["46", "value"]
    to_rgba = plt.matplotlib.colors.to_rgba
    assert bars["Vestland"].get_facecolor() == to_rgba(style.COUNTY)
    assert bars["Møre og Romsdal"].get_facecolor() == to_rgba(style.COMPARISON)
    assert bars["Agder"].get_facecolor() == to_rgba(style.OTHER)
    plt.close(fig)


@pytest.mark.parametrize(
    ("county", "breaks"), [("03", ()), ("15", (2020,)), ("46", (2020,)), ("40", (2020, 2024))]
)
def test_trend_spec_breaks_where_the_county_changed(county: str, breaks: tuple) -> None:
    spec = kostra.trend_figure(ctx(county))
    assert spec.kind == "lines" and spec.option("breaks") == breaks
    own = spec.data[spec.data["role"] == "county"]
    ys = history.years(ctx(county), IDS[0])
    for _, rows in own.groupby("panel"):
        runs = regions.segments(sorted(rows["year"]), spec.option("breaks"))
        for b in breaks:
            assert all(not (b - 1 in r and b in r) for r in runs)
        assert sorted(rows["year"]) == ys
    assert set(spec.data.loc[spec.data["role"] == "reference", "region"]) == {"EAFKUO"}
    assert BOTH not in spec.option("note")
    assert ("er brutt før 2020" in spec.option("note")) == (county == "15")
    assert ("litt andre grenser" in spec.option("note")) == (county == "15")
    fig = render.render(spec)
    county_lines = [
        ln for ax in fig.axes[:5] for ln in ax.get_lines() if ln.get_color() == style.COUNTY
    ]
    for ln in county_lines:
        xs = list(ln.get_xdata())
        assert all(not (b - 1 in xs and b in xs) for b in breaks)
    if county == "03":  # one unbroken line per panel from 2015 to 2025
        assert all(len(ln.get_xdata()) == 11 for ln in county_lines)
    plt.close(fig)


def test_alt_texts_describe_the_figures(ssb_csv: pd.DataFrame) -> None:
    alt = kostra.rankings(ctx("46", "nn"))[0].alt
    assert fmt.kroner(csv_value(ssb_csv, "46", "FGF7", 2025), 0, "nn") in alt
    assert BOTH not in alt and "nummer 12" in alt
    alt = kostra.trend_figure(ctx("46", "nn")).alt
    assert "2020–2025" in alt and "broten" not in alt  # Vestland's line is unbroken
    alt = kostra.trend_figure(ctx("15", "nn")).alt
    assert "linja for Møre og Romsdal er broten før 2020 (ny fylkesinndeling)" in alt


def test_barometer_rows_are_neutral_and_link_to_the_section() -> None:
    rows = standard.barometer_rows(ctx("46", "nn"), IDS, "kostra-x")
    assert [r.indicator for r in rows] == IDS and {r.anchor for r in rows} == {"kostra-x"}
    assert {r.verdict for r in rows} <= {"higher", "lower", "similar_neutral"}
    assert rows[1].verdict == "higher" and rows[1].rank == "5 av 15"
    assert rows[1].reference_name == "landet utanom Oslo"


# --------------------------------------------------------------------------- the notebook
def test_notebook_is_committed_without_outputs_and_with_the_parameters_cell() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].metadata["tags"] == ["parameters"]
    assert code[0].source.splitlines() == [
        'county_code = "03"',
        'county_name = "Oslo"',
        'written_standard = "nb"',
        'comparison = {"kind": "all_counties"}',
        'data_source = "snapshot"',
    ]
    for c in code:
        assert c.outputs == [] and c.execution_count is None
    assert "CountyContext.from_notebook(" in code[1].source
    assert 'Chapter("kostra", ctx)' in code[1].source
    for c in nb.cells:
        if c.cell_type == "markdown":
            assert "kg-skip" in c.metadata.get(
                "tags", []
            )  # English developer notes never reach readers
    source = "\n".join(c.source for c in code)
    # no hand-typed figures: the only numbers are years (reforms, periods) and the table id
    numbers = set(re.findall(r"\b\d{3,}\b", source))
    assert numbers <= {"12163"} | {str(y) for y in range(2015, 2031)}, numbers


def _reader_text(ch) -> str:
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", ch.html())).replace("&#x27;", "'")


@pytest.mark.parametrize("county", sorted(COUNTIES))
def test_all_15_reports_carry_the_chapter_and_the_definitions(
    county: str, ssb_csv: pd.DataFrame
) -> None:
    ch = run_chapter_fast(NOTEBOOK, county)
    lang = ch.lang
    html = ch.html()
    text = _reader_text(ch)
    assert '<h2 class="kg-heading kg-chapter" id="kostra">Fylkeskommunen i KOSTRA</h2>' in html
    assert ch.indicators == KOSTRA_IDS
    assert html.count('<figure class="kg-figure"') == 5 + (county not in RECREATED_2024)
    assert html.count('<figure class="kg-table"') == 2
    assert "kg-key-points" in html
    # Oslo is in every ranking chart, marked with an asterisk; that Oslo is both municipality
    # and county is said once in the chapter (language review T25), not in every alt text
    alts = re.findall(r'alt="([^"]*)"', html)
    assert len(alts) == html.count('<figure class="kg-figure"')
    ranking_alts = [a for a in alts if a.startswith("Liggjande" if lang == "nn" else "Liggende")]
    assert len(ranking_alts) == 5
    assert not any(BOTH in a for a in ranking_alts)
    assert text.count(BOTH) == 1
    name = COUNTIES[county].name
    v = csv_value(ssb_csv, county, "FGF7", 2025)
    assert fmt.number(v, 0, lang) in text
    if county in RECREATED_2024:
        assert ("oppretta på nytt" if lang == "nn" else "opprettet på nytt") in text
    else:
        assert (
            f"Netto driftsutgifter per {'innbyggjar' if lang == 'nn' else 'innbygger'} i {name} og"
            in text
        )
    appendix = indicators.definitions_html(report.indicator_ids(ch.outputs), lang)
    assert appendix.count("<dl ") == 5
    assert ("Definisjonar" if lang == "nn" else "Definisjoner") in appendix
    for i in KOSTRA_IDS:
        assert indicators.get(i).name(lang) in appendix
    if lang == "nb":
        assert not re.search(r"\b(innbyggjar|meir|utanom|tala|fylka)\b", text)


def test_one_county_renders_real_figures() -> None:
    p = next(p for p in county_parameters() if p["county_code"] == "15")
    ch = run_chapter_plain(NOTEBOOK, p)["ch"]
    pictures = re.findall(r'src="data:image/webp;base64,([^"]+)"', ch.html())
    assert len(pictures) == 6 and all(len(b) > 8_000 for b in pictures)


# --------------------------------------------------------------------------- papermill (slow)
def _execute(tmp_path: Path, county_file: str) -> dict:
    import papermill as pm

    params = __import__("yaml").safe_load(
        (paths.PARAMETERS / county_file).read_text(encoding="utf-8")
    )
    params["data_source"] = "snapshot"
    out = tmp_path / f"{county_file}.ipynb"
    pm.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters=params,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(paths.ROOT),
    )
    return json.loads(out.read_text(encoding="utf-8"))


def _no_code_output(nb: dict) -> None:
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            assert out["output_type"] == "display_data", out
            assert list(out["data"]) in (["text/html", "text/plain"], ["text/plain", "text/html"])


@pytest.mark.slow
def test_papermill_vestland_in_nynorsk(tmp_path: Path) -> None:
    nb = _execute(tmp_path, "46-vestland.yaml")
    _no_code_output(nb)
    parts = report.chapter_fragments(nb, "nn", "46")
    page = "\n".join(parts)
    assert "Fylkeskommunen i KOSTRA" in page and "landet utanom Oslo" in page
    assert "Netto driftsutgifter til samferdsel per innbyggjar var" in page
    assert "høgare enn i landet utanom Oslo" in page
    assert "kg-barometer-rows" in page
    assert page.count("data:image/webp;base64,") == 6
    appendix = indicators.definitions_html(report.indicator_ids(parts), "nn")
    assert '<h2 class="kg-heading kg-chapter" id="definisjoner">Definisjonar</h2>' in appendix
    assert (
        appendix.count("<dl ") == 5
        and "Netto driftsutgifter til vidaregåande opplæring per innbyggjar" in appendix
    )


@pytest.mark.slow
def test_papermill_oslo_shows_the_oslo_caveat(tmp_path: Path) -> None:
    nb = _execute(tmp_path, "03-oslo.yaml")
    _no_code_output(nb)
    parts = report.chapter_fragments(nb, "nb", "03")
    key_points = next(p for p in parts if "kg-key-points" in p)
    assert OSLO_NOTE["nb"] in unescape(key_points)
    assert "Oslo hadde negative netto driftsutgifter til kultur" in unescape(key_points)
    tables = [p for p in parts if 'class="kg-table"' in p]
    assert tables and not any(BOTH in t for t in tables)
    appendix = indicators.definitions_html(report.indicator_ids(parts), "nb")
    assert "Definisjoner" in appendix and "Oslo er både kommune og fylke" in appendix


def test_registry_source_agrees_with_the_snapshot_manifest() -> None:
    from kunnskapsgrunnlag.data import snapshot

    info = snapshot.source_info(SOURCE_ID)
    assert info["table"] == "12163"
    selection = {s["variableCode"]: s["valueCodes"] for s in info["queries"][0]["selection"]}
    for f in FUNCTIONS:
        ind = indicators.get(ID_OF[f])
        assert ind.source.source_ids == [SOURCE_ID] and ind.table == info["table"]
        assert f in selection["KOKfunksjon0000"]
        assert f"KOKfylkesregion0000={','.join(selection['KOKfylkesregion0000'])};" in ind.query
        assert f"ContentsCode={selection['ContentsCode'][0]} " in ind.query
        assert f"KOKart0000={selection['KOKart0000'][0]} " in ind.query
