"""Fylkeskommunen i KOSTRA: figures equal SSB's bundled values, sentences, charts, the notebook.

The expected values are read here straight from the bundled CSV with pandas (not through
``kunnskapsgrunnlag.data.snapshot``), so a loader or mapping error in the library cannot hide itself.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pandas as pd
import pytest

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag import indicators, kostra, paths
from kunnskapsgrunnlag.charts import style
from kunnskapsgrunnlag.data import client as ssb_client
from kunnskapsgrunnlag.publish import report
from kunnskapsgrunnlag.regions import COUNTIES
from test_indicators import KOSTRA_IDS, county_parameters, run_chapter_fast, run_chapter_plain

CSV = (
    paths.SNAPSHOT
    / "ssb-12163-kostra-fylker"
    / "kostra-12163-netto-driftsutgifter-per-innbygger.csv"
)
NOTEBOOK = paths.NOTEBOOKS / "20_fylkeskommunen_i_kostra.ipynb"
RECREATED_2024 = {"31", "32", "33", "39", "40", "55", "56"}
OSLO_NOTE = {
    "nb": "Oslo er både kommune og fylke. Tallene for Oslo gjelder",
    "nn": "Oslo er både kommune og fylke. Tala for Oslo gjeld",
}


@pytest.fixture(scope="module")
def ssb_csv() -> pd.DataFrame:
    raw = pd.read_csv(CSV, dtype=str, keep_default_na=False)
    raw["region"] = np.where(raw["region_code"] == "EAFKUO", "EAFKUO", raw["fylke_code"])
    raw["year"] = raw["year"].astype(int)
    raw["value"] = raw["value"].astype(float)
    return raw


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return kostra.load("snapshot")


def csv_value(ssb_csv: pd.DataFrame, region: str, function: str, year: int) -> float:
    hit = ssb_csv[
        (ssb_csv["region"] == region)
        & (ssb_csv["function_code"] == function)
        & (ssb_csv["year"] == year)
    ]
    assert len(hit) == 1, (region, function, year)
    return float(hit["value"].iloc[0])


# --------------------------------------------------------------------------- data equals SSB
def test_every_cell_equals_the_bundled_ssb_value(data: pd.DataFrame, ssb_csv: pd.DataFrame) -> None:
    assert len(data) == len(ssb_csv) == 475
    merged = ssb_csv.merge(
        data,
        left_on=["region", "function_code", "year"],
        right_on=["region", "function", "year"],
        how="outer",
        indicator=True,
    )
    assert (merged["_merge"] == "both").all()
    pd.testing.assert_series_equal(merged["value_x"], merged["value_y"], check_names=False)
    assert set(data["region"]) == set(COUNTIES) | {"EAFKUO"}
    assert list(dict.fromkeys(data["function"])) == ["FGF7", "FGF4", "FGF8", "FGF1b", "FGF3"]
    assert data["status"].isna().all()


@pytest.mark.parametrize("county", sorted(COUNTIES))
def test_comparison_equals_ssb_for_each_county_function_and_year(
    data: pd.DataFrame, ssb_csv: pd.DataFrame, county: str
) -> None:
    years = sorted(ssb_csv.loc[ssb_csv["region"] == county, "year"].unique())
    assert kostra.years_of(data, county) == years
    for year in years:
        cmp_ = kostra.comparison(data, county, year).set_index("function")
        for f in kostra.FUNCTIONS:
            v = csv_value(ssb_csv, county, f, year)
            ref = csv_value(ssb_csv, "EAFKUO", f, year)
            row = cmp_.loc[f]
            assert row["value"] == v and row["reference"] == ref
            assert row["diff_kr"] == v - ref
            if v >= 0:
                assert row["pct_vs_reference"] == pytest.approx((v / ref - 1) * 100)
            same_year = ssb_csv[
                (ssb_csv["function_code"] == f)
                & (ssb_csv["year"] == year)
                & (ssb_csv["region"] != "EAFKUO")
            ]
            assert row["rank"] == 1 + int((same_year["value"] > v).sum())
            assert row["n_counties"] == len(same_year)


@pytest.mark.parametrize("county", sorted(COUNTIES))
def test_change_2024_2025_equals_ssb(
    data: pd.DataFrame, ssb_csv: pd.DataFrame, county: str
) -> None:
    ch = kostra.change(data, county).set_index("function")
    for f in kostra.FUNCTIONS:
        a, b = csv_value(ssb_csv, county, f, 2024), csv_value(ssb_csv, county, f, 2025)
        ra, rb = csv_value(ssb_csv, "EAFKUO", f, 2024), csv_value(ssb_csv, "EAFKUO", f, 2025)
        assert ch.loc[f, "start"] == a and ch.loc[f, "end"] == b
        assert ch.loc[f, "reference_change_pct"] == pytest.approx((rb / ra - 1) * 100)
        if a > 0 and b >= 0:
            assert ch.loc[f, "change_pct"] == pytest.approx((b / a - 1) * 100)
        else:
            assert np.isnan(ch.loc[f, "change_pct"])


def test_indicator_rows_carry_the_ssb_values(ssb_csv: pd.DataFrame) -> None:
    rows = kostra.indicator_rows()
    assert list(rows.columns) == [
        "indicator",
        "region_code",
        "region_name",
        "year",
        "value",
        "status",
        "unit",
        "source",
    ]
    assert set(rows["indicator"]) == set(KOSTRA_IDS)
    assert set(rows["region_code"]) == set(COUNTIES) | {"EAFKUO"}
    assert set(rows["source"]) == {"SSB, tabell 12163"} and set(rows["status"]) == {""}
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


def test_latest_year_is_the_last_year_with_all_15_counties(
    data: pd.DataFrame, ssb_csv: pd.DataFrame
) -> None:
    counts = ssb_csv[ssb_csv["region"] != "EAFKUO"].groupby("year")["region"].nunique()
    assert kostra.latest_year(data) == int(counts[counts == 15].index.max())


def test_live_path_asks_ssb_for_table_12163(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, data: pd.DataFrame
) -> None:
    from fakessb import FakeClock, FakeSSB

    with FakeSSB() as srv:
        clock = FakeClock()
        client = ssb_client.SSBClient(
            base_url=srv.base_url, cache_dir=tmp_path / "cache", clock=clock, sleep=clock.sleep
        )
        monkeypatch.setattr(ssb_client, "_DEFAULT_CLIENT", client)
        kostra._load.cache_clear()
        try:
            live = kostra.load("live")
        finally:
            kostra._load.cache_clear()
        assert srv.request_count >= 1
        assert any("12163" in str(r) for r in srv.requests)
    # the fake serves the bundled numbers, with «.» where a county did not exist yet
    assert set(live.loc[live["value"].isna(), "status"]) <= {"."}
    got = live[live["value"].notna()].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, data.reset_index(drop=True), check_dtype=False)
    assert kostra.years_of(live, "31") == [2024, 2025] and not kostra.has_long_series(live, "31")
    assert kostra.latest_year(live) == kostra.latest_year(data)


# --------------------------------------------------------------------------- breaks and borders
def test_segments_never_cross_a_new_county_division() -> None:
    assert kostra.segments(list(range(2015, 2026))) == [
        list(range(2015, 2020)),
        [2020, 2021, 2022, 2023],
        [2024, 2025],
    ]
    assert kostra.segments([2018, 2019, 2021, 2022]) == [[2018, 2019], [2021, 2022]]
    assert kostra.segments([2024, 2025]) == [[2024, 2025]]


def test_border_moves_come_from_klass() -> None:
    years = list(range(2015, 2026))
    moves = {m.name: m for m in kostra.border_moves("15", years)}
    assert set(moves) == {"Halsa", "Rindal", "Hornindal"}
    assert moves["Halsa"].years == tuple(range(2015, 2020)) and moves["Halsa"].county_2024 == "50"
    assert moves["Rindal"].years == tuple(range(2015, 2019))
    assert moves["Hornindal"].county_2024 == "15"
    assert [m.name for m in kostra.border_moves("18", years)] == ["Tjeldsund"]
    assert {m.name for m in kostra.border_moves("50", list(range(2018, 2026)))} == {
        "Halsa",
        "Rindal",
    }
    for county in ("03", "11", "46", "34", "42"):
        assert (
            kostra.border_moves(
                county, years if county in ("03", "11") else list(range(2020, 2026))
            )
            == []
        )


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_border_note(data: pd.DataFrame, lang: str) -> None:
    note15 = kostra.border_note(data, "15", lang)
    assert (
        "Halsa (2015–2019" in note15
        and "Hornindal (2015–2019" in note15
        and "Rindal (2015–2018" in note15
    )
    assert "KLASS 131" in note15
    assert "Vestland hadde de" in kostra.border_note(data, "46", lang)


# --------------------------------------------------------------------------- sentences
@pytest.mark.parametrize("county", sorted(COUNTIES))
@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_key_sentences_point_out_notable_differences_neutrally(
    data: pd.DataFrame, ssb_csv: pd.DataFrame, county: str, lang: str
) -> None:
    sentences = kostra.key_sentences(county, lang, data)
    assert 3 <= len(sentences) <= 6
    text = " ".join(sentences)
    assert not re.search(r"\b(bedre|dårligere|betre|dårlegare|gunstig)\b", text)
    ref = "landet utanom Oslo" if lang == "nn" else "landet uten Oslo"
    more, less = ("meir", "mindre") if lang == "nn" else ("mer", "mindre")
    per = "per innbyggjar" if lang == "nn" else "per innbygger"
    for f in kostra.FUNCTIONS:
        v, r = csv_value(ssb_csv, county, f, 2025), csv_value(ssb_csv, "EAFKUO", f, 2025)
        label = indicators.get(kostra.indicator_id(f)).short_name(lang).lower()
        if v < 0:
            assert f"negative netto driftsutgifter til {label}" in text
            continue
        pct = (v / r - 1) * 100
        phrase = f"{fmt.percent(abs(pct), 0, lang)} {more if pct > 0 else less} {per} på {label} enn {ref}"
        if abs(pct) >= kostra.NOTABLE_PERCENT:
            assert phrase in text, phrase
            assert f"({fmt.kroner(v, 0, lang)} mot {fmt.kroner(r, 0, lang)})" in text
        else:
            assert phrase not in text
    assert (OSLO_NOTE[lang] in text) == (county == "03")


def test_vestland_sentence_in_nynorsk(data: pd.DataFrame, ssb_csv: pd.DataFrame) -> None:
    v, r = csv_value(ssb_csv, "46", "FGF4", 2025), csv_value(ssb_csv, "EAFKUO", "FGF4", 2025)
    pct = fmt.percent((v / r - 1) * 100, 0, "nn")
    assert (
        f"Vestland brukte {pct} meir per innbyggjar på samferdsel enn landet utanom Oslo i 2025"
        in kostra.key_sentences("46", "nn", data)[0]
    )


def test_threshold_is_stated(data: pd.DataFrame) -> None:
    assert (
        "minst 10\u00a0% meir eller mindre per innbyggjar enn landet utanom Oslo"
        in kostra.threshold_text("nn")
    )
    assert (
        "minst 10\u00a0% mer eller mindre per innbygger enn landet uten Oslo"
        in kostra.threshold_text("nb")
    )


def test_oslo_negative_culture_is_compared_in_kroner(
    data: pd.DataFrame, ssb_csv: pd.DataFrame
) -> None:
    table, _ = kostra.comparison_table(data, "03", "nb")
    row = table[table["Tjenesteområde"] == "Kultur"].iloc[0]
    v, r = csv_value(ssb_csv, "03", "FGF3", 2025), csv_value(ssb_csv, "EAFKUO", "FGF3", 2025)
    assert v < 0
    assert row["Forskjell"] == fmt.number(v - r, 0, "nb", sign=True) + "\u00a0kr"
    assert row["Oslo 2025"] == fmt.number(v, 0, "nb")


def test_tables_show_the_ssb_values(data: pd.DataFrame, ssb_csv: pd.DataFrame) -> None:
    table, symbols = kostra.comparison_table(data, "46", "nn")
    assert symbols == []
    assert list(table.columns) == [
        "Tenesteområde",
        "Vestland 2025",
        "Landet utanom Oslo 2025",
        "Skilnad",
        "Plass blant 15 fylke (1 = høgast)",
    ]
    assert table["Vestland 2025"].tolist() == [
        fmt.number(csv_value(ssb_csv, "46", f, 2025), 0, "nn") for f in kostra.FUNCTIONS
    ]
    change, _ = kostra.change_table(data, "46", "nn")
    assert change["Vestland 2024"].tolist() == [
        fmt.number(csv_value(ssb_csv, "46", f, 2024), 0, "nn") for f in kostra.FUNCTIONS
    ]


# --------------------------------------------------------------------------- charts
def test_ranking_chart(data: pd.DataFrame, ssb_csv: pd.DataFrame) -> None:
    fig = kostra.plot_ranking(data, "FGF4", "46", "nn", 2025, ["15", "50"])
    ax = fig.axes[0]
    bars = ax.patches[:15]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 15 and "Oslo*" in labels
    widths = {lab: b.get_width() for lab, b in zip(labels, bars, strict=True)}
    assert widths["Vestland"] == csv_value(ssb_csv, "46", "FGF4", 2025)
    assert widths == dict(sorted(widths.items(), key=lambda kv: kv[1]))  # ranked: highest on top
    colour = {lab: b.get_facecolor() for lab, b in zip(labels, bars, strict=True)}
    to_rgba = plt.matplotlib.colors.to_rgba
    assert colour["Vestland"] == to_rgba(style.COUNTY)
    assert colour["Møre og Romsdal"] == to_rgba(style.COMPARISON)
    assert colour["Agder"] == to_rgba(style.OTHER)
    ref_lines = [ln for ln in ax.get_lines() if ln.get_color() == style.REFERENCE]
    assert ref_lines and ref_lines[0].get_xdata()[0] == csv_value(ssb_csv, "EAFKUO", "FGF4", 2025)
    texts = " ".join(t.get_text() for t in fig.texts)
    assert OSLO_NOTE["nn"] in texts.replace("\n", " ")
    assert "Kjelde: Statistisk sentralbyrå (SSB), tabell 12163" in texts
    assert [t.get_text() for t in ax.get_xticklabels() if t.get_text()][1] == "2\u00a0000"
    plt.close(fig)


@pytest.mark.parametrize("county", ["03", "15", "46"])
def test_trend_chart_breaks_at_new_county_divisions(data: pd.DataFrame, county: str) -> None:
    fig = kostra.plot_trend(data, county, "nb")
    ys = kostra.years_of(data, county)
    for ax in fig.axes[:5]:
        county_lines = [ln for ln in ax.get_lines() if ln.get_color() == style.COUNTY]
        assert county_lines
        for ln in county_lines:
            xs = list(ln.get_xdata())
            assert not (2019 in xs and 2020 in xs) and not (2023 in xs and 2024 in xs)
        assert sorted(x for ln in county_lines for x in ln.get_xdata()) == ys
        markers = sorted(ln.get_xdata()[0] for ln in ax.get_lines() if ln.get_linestyle() == ":")
        assert markers == [y - 0.5 for y in (2020, 2024) if ys[0] < y]
    legend = [t.get_text() for t in fig.axes[5].get_legend().get_texts()]
    assert "Ny fylkesinndeling" in legend and "Landet uten Oslo" in legend
    notes = " ".join(t.get_text() for t in fig.texts).replace("\n", " ")
    assert (OSLO_NOTE["nb"] in notes) == (county == "03")
    assert ("litt andre grenser" in notes) == (county == "15")
    plt.close(fig)


def test_alt_texts_describe_the_figures(data: pd.DataFrame, ssb_csv: pd.DataFrame) -> None:
    alt = kostra.ranking_alt(data, "FGF7", "46", "nn", 2025)
    assert (
        fmt.kroner(csv_value(ssb_csv, "46", "FGF7", 2025), 0, "nn") in alt
        and "Oslo er både kommune og fylke" in alt
    )
    alt = kostra.trend_alt(data, "46", "nn")
    assert "2020–2025" in alt and "broten ved ny fylkesinndeling i 2024" in alt


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
    assert (
        'Chapter("kostra", county_code, written_standard, comparison, data_source)'
        in code[1].source
    )
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
    # Oslo is in every ranking chart: the note is printed under each chart (see
    # test_ranking_chart), repeated in each alt text, and in the text and the comparison table
    alts = re.findall(r'alt="([^"]*)"', html)
    assert len(alts) == html.count('<figure class="kg-figure"')
    ranking_alts = [a for a in alts if a.startswith("Liggjande" if lang == "nn" else "Liggende")]
    assert len(ranking_alts) == 5
    assert all(OSLO_NOTE[lang] in a for a in ranking_alts)
    assert OSLO_NOTE[lang] in text  # under the comparison table
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
    pngs = re.findall(r'src="data:image/png;base64,([^"]+)"', ch.html())
    assert len(pngs) == 6 and all(len(b) > 20_000 for b in pngs)


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
    assert "Vestland brukte" in page and "meir per innbyggjar på samferdsel" in page
    assert page.count("data:image/png;base64,") == 6
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
    page = "\n".join(parts)
    key_points = next(p for p in parts if "kg-key-points" in p)
    assert OSLO_NOTE["nb"] in key_points
    tables = [p for p in parts if 'class="kg-table"' in p]
    assert tables and all("Oslo er både kommune og fylke" in t for t in tables)
    assert "negative netto driftsutgifter til kultur" in page
    appendix = indicators.definitions_html(report.indicator_ids(parts), "nb")
    assert "Definisjoner" in appendix and "Oslo er både kommune og fylke" in appendix


def test_registry_source_agrees_with_the_snapshot_manifest() -> None:
    from kunnskapsgrunnlag.data import snapshot

    info = snapshot.source_info(kostra.SOURCE_ID)
    assert info["table"] == kostra.TABLE
    selection = {s["variableCode"]: s["valueCodes"] for s in info["queries"][0]["selection"]}
    for f in kostra.FUNCTIONS:
        ind = indicators.get(kostra.indicator_id(f))
        assert ind.source.source_ids == [kostra.SOURCE_ID] and ind.table == info["table"]
        assert f in selection["KOKfunksjon0000"]
        assert f"KOKfylkesregion0000={','.join(selection['KOKfylkesregion0000'])};" in ind.query
        assert f"ContentsCode={selection['ContentsCode'][0]} " in ind.query
        assert f"KOKart0000={selection['KOKart0000'][0]} " in ind.query
