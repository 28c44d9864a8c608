"""Tests of the Framskriving chapter (kunnskapsgrunnlag.chapters.framskriving, 30_framskriving.ipynb).

Every expected figure is recomputed here from the bundled snapshot by a route independent of the
module: the county file on the 2024 borders (``07459-b2024-fylker``, read with pandas), the
municipalities of 2026 (``07459-b2024-kommuner-2026``) and SSB's 14288 county file.
"""

from __future__ import annotations

import csv
import re
import warnings
from html import escape as html_escape

import nbformat
import numpy as np
import pandas as pd
import pytest
import yaml

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag import indicators, paths
from kunnskapsgrunnlag.chapters import framskriving as fr
from kunnskapsgrunnlag.context import CountyContext
from kunnskapsgrunnlag.data import snapshot
from kunnskapsgrunnlag.regions import COUNTIES, NORWAY

NOTEBOOK = paths.NOTEBOOKS / "30_framskriving.ipynb"
ALL = [NORWAY, *sorted(COUNTIES)]
SSB_14288 = paths.SNAPSHOT / "ssb-14288-framskriving-fylker" / "NorwayPopulation.csv"


# --------------------------------------------------------------------------- independent data
@pytest.fixture(scope="module")
def county_file() -> pd.DataFrame:
    path = (
        paths.SNAPSHOT
        / "fhi-csdata-befolkning-b2024"
        / "befolkning-fylker-kjonn-alder-2010-2026.csv.gz"
    )
    return pd.read_csv(path, dtype={"region": str, "sex": str})


def _cells(cf: pd.DataFrame, year: int) -> pd.DataFrame:
    return cf[(cf["year"] == year) & (cf["region"] != "0")].set_index(["region", "sex", "age"])[
        "value"
    ]


def _ssb_2050() -> dict[str, float]:
    with SSB_14288.open(encoding="utf-8") as fh:
        return {
            r["region"][:2]: float(r["Hovedalternativet (MMMM) 2050"]) for r in csv.DictReader(fh)
        }


# --------------------------------------------------------------------------- conservation
def test_municipalities_sum_exactly_to_their_county_every_year():
    munis = fr.project_municipalities()
    counties = fr.project_counties(include_norway=False)
    assert munis["region"].nunique() == 357 and "1508+1580" not in set(munis["region"])
    got = munis.groupby(["county", "year", "sex", "age"])["value"].sum()
    want = counties.set_index(["region", "year", "sex", "age"])["value"]
    want.index = want.index.set_names(["county", "year", "sex", "age"])
    assert np.allclose(got.sort_index().to_numpy(), want.sort_index().to_numpy(), rtol=1e-9)


def test_norway_is_the_sum_of_the_counties():
    df = fr.project_counties()
    tot = df.groupby(["region", "year"])["value"].sum().unstack()
    assert np.allclose(tot.loc[NORWAY], tot.drop(index=NORWAY).sum())


@pytest.mark.parametrize("method", list(fr.CANDIDATES))
def test_no_negative_or_missing_populations_to_2050(method):
    df = fr.project_counties(method)
    assert df["year"].min() == 2026 and df["year"].max() == 2050
    assert np.isfinite(df["value"]).all() and (df["value"] >= 0).all()


def test_projection_jumps_off_from_the_real_2026_population_and_first_projects_2027(county_file):
    df = fr.project_counties(include_norway=False)
    start = df[df["year"] == 2026].set_index(["region", "sex", "age"])["value"]
    assert (start.sort_index() == _cells(county_file, 2026).sort_index()).all()
    m = fr.measures()
    assert m.loc[m["kind"] == "framskrevet", "year"].min() == 2027
    assert m.loc[m["kind"] == "observert", "year"].max() == 2026


def test_municipal_jump_off_equals_the_bundled_2026_file():
    base = fr.base_population().set_index(["region", "sex", "age"])["value"]
    raw = pd.read_csv(paths.SNAPSHOT / "fhi-csdata-befolkning-b2024" /
                      "befolkning-kommuner-kjonn-alder-2026.csv.gz", dtype={"region": str, "sex": str})  # fmt: skip
    raw = raw.set_index(["region", "sex", "age"])["value"]
    assert (base.sort_index() == raw.sort_index()).all()


# --------------------------------------------------------------------------- ratios by hand
def _pooled(cf: pd.DataFrame, county: str, sex: str, age: int, years: range) -> tuple[float, float]:
    num = den = 0.0
    for y in years:
        p0, p1 = _cells(cf, y), _cells(cf, y + 1)
        num += p1[(county, sex, age)]
        den += p0[(county, sex, age - 1)]
    return num, den


def test_long_ratio_recomputed_by_hand(county_file):
    r = fr.cohort_ratios("lang").set_index(["region", "sex", "age"])
    num, den = _pooled(county_file, "46", "2", 40, range(2016, 2026))
    assert (
        r.loc[("46", "2", 40), "numerator"] == num and r.loc[("46", "2", 40), "denominator"] == den
    )
    nat_num = sum(_pooled(county_file, c, "2", 40, range(2016, 2026))[0] for c in COUNTIES)
    nat_den = sum(_pooled(county_file, c, "2", 40, range(2016, 2026))[1] for c in COUNTIES)
    nat = nat_num / nat_den
    assert r.loc[("46", "2", 40), "ratio"] == pytest.approx((num + 100 * nat) / (den + 100))


def test_damped_ratio_halves_the_deviation_from_norway():
    d = fr.cohort_ratios("dempet").set_index(["region", "sex", "age"])
    lang = fr.cohort_ratios("lang").set_index(["region", "sex", "age"])
    key = ("56", "1", 25)
    nat = lang.loc[key, "national"]
    assert d.loc[key, "ratio"] == pytest.approx(nat + 0.5 * (lang.loc[key, "ratio"] - nat))


def test_migration_method_uses_norways_ratio_and_half_the_county_gain(county_file):
    f = fr.cohort_ratios("flytting").set_index(["region", "sex", "age"])
    key = ("03", "1", 30)
    num, den = _pooled(county_file, "03", "1", 30, range(2016, 2026))
    nat = f.loc[key, "national"]
    assert f.loc[key, "ratio"] == pytest.approx(nat)
    assert f.loc[key, "migration"] == pytest.approx(0.5 * (num - nat * den) / 10)


def test_short_method_uses_the_last_two_intervals(county_file):
    r = fr.cohort_ratios("kort").set_index(["region", "sex", "age"])
    num, den = _pooled(county_file, "11", "1", 60, range(2024, 2026))
    assert (
        r.loc[("11", "1", 60), "numerator"] == num and r.loc[("11", "1", 60), "denominator"] == den
    )


# --------------------------------------------------------------------------- backcast
def test_backcast_total_error_recomputed_from_the_county_file(county_file):
    bc = fr.backcast("lang")
    tot = bc[(bc["sex"] == "alle") & (bc["region"] == "50")].set_index("year")
    real = county_file[county_file["region"] == "50"].groupby("year")["value"].sum()
    assert list(tot.index) == list(range(2021, 2027))
    for y in tot.index:
        assert tot.loc[y, "observed"] == real[y]
        assert tot.loc[y, "error_pct"] == pytest.approx(
            (tot.loc[y, "projected"] / real[y] - 1) * 100
        )
    # naive: the total's average growth 2015→2020 (5 years) carried forward from 2020
    g = (real[2020] / real[2015]) ** (1 / 5)
    assert tot.loc[2026, "naive5"] == pytest.approx(real[2020] * g**6)
    g10 = (real[2020] / real[2010]) ** (1 / 10)
    assert tot.loc[2023, "naive10"] == pytest.approx(real[2020] * g10**3)


def test_backcast_uses_only_years_up_to_2020():
    """The backcast projection of a method equals a projection from 2020 made with 2010–2020 only."""
    from kunnskapsgrunnlag.chapters.framskriving.method import _ratios

    r = _ratios("lang", 2020)
    assert np.isfinite(r["ratio"]).all()
    bt = fr.backcast_table("lang")
    assert set(bt["years"]) == {"2021–2026"}


def test_candidates_table_has_every_method_county_and_the_ssb_difference():
    off = fr.official_projection()
    t = fr.candidates_table(off)
    assert set(t["method"]) == set(fr.CANDIDATES)
    assert len(t) == len(fr.CANDIDATES) * 16
    ssb = _ssb_2050()
    row = t[(t["method"] == "dempet") & (t["region"] == "56")].iloc[0]
    assert row["official_2050"] == ssb["56"]
    m = fr.measures("dempet")
    own = m[(m["region"] == "56") & (m["year"] == 2050) & (m["measure"] == "folkemengde")][
        "value"
    ].iloc[0]
    assert row["diff_2050_pct"] == pytest.approx((own / ssb["56"] - 1) * 100)


def test_candidates_table_takes_the_total_when_ssb_gives_age_groups_too():
    # a live official table in single ages (14746) also gives age-group measures per region
    off = fr.official_projection()
    older = off.assign(measure="80+", value=off["value"] / 20)
    with_ages = pd.concat([off, older], ignore_index=True)
    pd.testing.assert_frame_equal(fr.candidates_table(with_ages), fr.candidates_table(off))


def test_main_method_is_the_one_the_stated_rule_picks():
    assert fr.choose_method(fr.official_projection()) == fr.MAIN_METHOD


def test_band_spans_every_candidate_and_is_flat_in_observed_years():
    b = fr.band()
    obs = b[b["kind"] == "observert"]
    assert (obs["low"] == obs["value"]).all() and (obs["high"] == obs["value"]).all()
    cols = [f"window_{m}" for m in fr.CANDIDATES]
    proj = b[b["kind"] == "framskrevet"]
    assert np.allclose(proj["low"], proj[cols].min(axis=1))
    assert np.allclose(proj["high"], proj[cols].max(axis=1))


# --------------------------------------------------------------------------- official
def test_official_projection_offline_is_ssb_14288_for_2024_and_2050():
    off = fr.official_projection()
    assert off.attrs["table"] == "14288"
    ssb = _ssb_2050()
    got = off[(off["year"] == 2050) & (off["measure"] == "folkemengde")].set_index("region")[
        "value"
    ]
    for code in COUNTIES:
        assert got[code] == ssb[code]
    assert got[NORWAY] == sum(ssb.values())


def test_official_table_is_configurable_and_defaults_to_14746():
    assert fr.OFFICIAL_TABLE == "14746"
    assert fr.OFFICIAL_SOURCES["14746"] == "14746-framskriving"
    q = snapshot.source_info("14746-framskriving")["queries"][0]["selection"]
    contents = next(s for s in q if s["variableCode"] == "ContentsCode")["valueCodes"]
    assert contents == ["Personer", "Personer1", "Personer2"]
    region = next(s for s in q if s["variableCode"] == "Region")
    assert "codelist" not in region and region["valueCodes"][:2] == ["0", "03"]
    with pytest.raises(ValueError, match="official_table"):
        fr.official_projection("snapshot", table="99999")


@pytest.mark.parametrize("code", ["56", "03", "46"])
def test_official_sentence_gives_both_figures_the_difference_and_why(code):
    off = fr.official_projection()
    ours, theirs, d = fr.official_2050(off, code)
    ssb = _ssb_2050()
    assert theirs == ssb[code]
    for lang in ("nb", "nn"):
        s = fr.official_sentence(CountyContext(code, lang), off)
        assert fmt.number(theirs, 0, lang) in s and fmt.number(ours, 0, lang) in s
        assert fmt.percent(abs(d), 1, lang) in s
        assert ("fruktbarhet" if lang == "nb" else "fruktbarheit") in s
    assert fr.outside_tolerance(off, code) == (abs(fmt.round_half_up(d, 1)) > 5)


def test_ssb_is_the_main_line_where_the_difference_is_over_five_percent():
    from kunnskapsgrunnlag.chapters.framskriving.official import official_data

    off = fr.official_projection()
    outside = [c for c in COUNTIES if fr.outside_tolerance(off, c)]
    inside = [c for c in COUNTIES if not fr.outside_tolerance(off, c)]
    assert outside and inside
    d = official_data(CountyContext(outside[0], "nb"), off)
    ssb = d[d["series"].str.startswith("SSB")]
    assert set(ssb["role"]) == {"county"}
    assert any("hvis den siste utviklingen fortsetter" in s for s in d["series"])
    d = official_data(CountyContext(inside[0], "nn"), off)
    assert set(d[d["series"].str.startswith("SSB")]["role"]) == {"reference"}


# --------------------------------------------------------------------------- registry and csv
def test_provider_series_pass_the_csv_contract():
    for ind in [*(fr.INDICATOR_PREFIX + m for m in fr.MEASURES), *fr.DERIVED, fr.OFFICIAL_ID]:
        s = fr.series(ind)
        assert list(s.columns) == ["region", "year", "value", "status"]
        assert set(s["region"]) == set(ALL), ind
        assert s["value"].notna().all()


def test_registry_entries_name_the_2026_jump_off_and_the_official_figure():
    e = indicators.get("framskrevet_folkemengde")
    assert e.source.text == fr.SOURCE_TEXT
    assert "Startår 2026" in e.definitions.nb and "Startår 2026" in e.definitions.nn
    off = indicators.get("ssb_framskrevet_folkemengde_2050")
    assert off.source.table == "14288" and off.source.source_ids == ["14288-fylker-2050"]
    s = fr.series("ssb_framskrevet_folkemengde_2050").set_index("region")["value"]
    for code, v in _ssb_2050().items():
        assert s[code] == v


def test_barometer_indicators_are_the_projection_2026_to_2050():
    m = fr.measures()
    tot = m[(m["region"] == "46") & (m["measure"] == "folkemengde")].set_index("year")["value"]
    s = fr.series("framskrevet_endring_folkemengde_2026_2050").set_index("region")["value"]
    assert s["46"] == fmt.round_half_up((tot[2050] / tot[2026] - 1) * 100, 1)


# --------------------------------------------------------------------------- presentation
def test_key_sentences_and_tables_mark_the_county():
    ctx = CountyContext("46", "nn")
    sentences = fr.key_sentences(ctx)
    assert all("ikke " not in s for s in sentences)
    t = fr.backcast_display(ctx)
    names = [r["region"] for r in t.rows]
    assert "Vestland ◀" in names and len(names) == 16
    bt = fr.backcast_table("dempet").set_index("region")
    row = next(r for r in t.rows if r["region"] == "Vestland ◀")
    assert row["dempet"] == float(bt.loc["46", "mape_total"])
    assert row["naive5"] == float(bt.loc["46", "naive5_mape_total"])
    g = fr.backcast_groups_display(ctx)
    assert len(g.rows) == 16
    c = fr.candidates_official_display(ctx, fr.official_projection())
    assert "◀ markerer Vestland." in c.note and len(c.rows) == 16


# --------------------------------------------------------------------------- the chapter
def _parameters(code: str) -> dict:
    path = next(p for p in paths.parameter_files() if p.name.startswith(f"{code}-"))
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _run_plain(code: str, data_source: str = "snapshot") -> str:
    """Run the notebook's code cells in plain Python (no kernel) for one county; return the HTML."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    ns: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            exec(compile(cell.source, f"30_framskriving.ipynb[{code}]", "exec"), ns)  # noqa: S102
            if "parameters" in cell.metadata.get("tags", []):
                ns.update(_parameters(code))
                ns["data_source"] = data_source
    return ns["ch"].html()


def test_notebook_is_committed_clean_with_the_standard_parameters_cell():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert code[0].source.splitlines() == [
        'county_code = "03"',
        'county_name = "Oslo"',
        'written_standard = "nb"',
        'comparison = {"kind": "all_counties"}',
        'data_source = "snapshot"',
    ]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    assert 'Chapter("framskriving"' in code[1].source
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("code", ["03", "46", "56"])
def test_chapter_renders_with_ssbs_figure_beside_ours(code):
    html = _run_plain(code)
    lang = _parameters(code)["written_standard"]
    name = COUNTIES[code].name
    assert html.count('<figure class="kg-figure"') == 4
    assert html.count('<figure class="kg-table"') == 5
    assert "kg-needs-refresh" not in html
    off = fr.official_projection()
    assert html_escape(fr.official_sentence(CountyContext(code, lang), off)) in html
    assert f"{name} ◀" in html
    text = re.sub(r"<img[^>]*>", "", html)
    assert "NaN" not in text and ">..<" not in text
    if lang == "nn":
        assert "Framskrivinga" in text and "Kjelde" in text
        assert "Framskrivingen" not in text and "ikke" not in text
    else:
        assert "Framskrivingen" in text and "Kilde" in text and "ikkje" not in text
    if fr.outside_tolerance(off, code):
        assert ("hvis den siste utviklingen fortsetter" if lang == "nb"
                else "dersom den siste utviklinga held fram") in text  # fmt: skip


# --------------------------------------------------------------------------- papermill (slow)
@pytest.mark.slow
@pytest.mark.parametrize("code", ["46", "42"])
def test_notebook_runs_under_papermill(code, tmp_path):
    import papermill as pm

    params = _parameters(code)
    params["data_source"] = "snapshot"
    out = tmp_path / f"30_framskriving-{code}.ipynb"
    pm.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters=params,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(paths.NOTEBOOKS),
    )
    nb = nbformat.read(out, as_version=4)
    html_parts = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            assert o["output_type"] != "error"
            assert not (o["output_type"] == "stream" and o.get("name") == "stderr"), o.get("text")
            assert o["output_type"] != "execute_result", "a cell leaks a value to the reader"
            if o["output_type"] == "display_data":
                html_parts.append(o["data"].get("text/html", ""))
    html = "".join(html_parts)
    lang = params["written_standard"]
    assert fr.key_sentences(CountyContext(code, lang))[0] in html
    assert html.count('<figure class="kg-figure"') == 4
    if lang == "nn":
        assert "Kor godt treffer metodane?" in html
    else:
        assert "Hvor godt treffer metodene?" in html
