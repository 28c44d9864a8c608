"""Tests of the Framskriving chapter (kunnskapsgrunnlag.projection and 30_framskriving.ipynb).

Every expected figure is recomputed here from the real snapshot (SSB table 07459) by a route
independent of the module: the municipal files summed to counties with
``regions.aggregate_to_counties``, and the real 2023–2025 county file.
"""

from __future__ import annotations

import re
import warnings
from html import escape as html_escape

import nbformat
import numpy as np
import pandas as pd
import pytest
import yaml

from kunnskapsgrunnlag import indicators, paths, projection, regions
from kunnskapsgrunnlag.data import snapshot
from kunnskapsgrunnlag.regions import COUNTIES, NORWAY

NOTEBOOK = paths.NOTEBOOKS / "30_framskriving.ipynb"
ALL = [NORWAY, *sorted(COUNTIES)]


# --------------------------------------------------------------------------- independent data
def _county_single_years(year: int) -> pd.DataFrame:
    """County × sex × age for *year* from the snapshot, via regions.aggregate_to_counties."""
    df = snapshot.load(f"07459-kommuner-{year}")
    df = df[["region", "sex", "age", "value", "status"]].copy()
    df.attrs = {}
    return regions.aggregate_to_counties(df, year, by=["sex", "age"], name=None)


@pytest.fixture(scope="module")
def single_years() -> dict[int, pd.DataFrame]:
    return {y: _county_single_years(y) for y in (2020, 2021, 2022)}


@pytest.fixture(scope="module")
def county_file() -> pd.DataFrame:
    return snapshot.load("07459-fylker-2023-2025")


def _cell(df: pd.DataFrame, county: str, sex: str, age: int) -> float:
    hit = df[(df["region"] == county) & (df["sex"] == sex) & (df["age"] == age)]
    assert len(hit) == 1
    return float(hit["value"].iloc[0])


# --------------------------------------------------------------------------- conservation
def test_county_is_the_sum_of_its_municipalities():
    munis = projection.project_municipalities()
    counties = projection.project_counties(include_norway=False)
    assert "1508+1580" in set(munis["region"])  # Ålesund + Haram stay one unit
    summed = munis.groupby(["county", "year", "sex", "age"])["value"].sum()
    mine = counties.set_index(["region", "year", "sex", "age"])["value"]
    mine.index.names = summed.index.names
    pd.testing.assert_series_equal(
        summed.sort_index(),
        mine.sort_index(),
        check_exact=False,
        rtol=1e-12,
        check_index_type=False,
    )


def test_norway_is_the_sum_of_the_counties():
    df = projection.project_counties()
    norway = df[df["region"] == NORWAY].set_index(["year", "sex", "age"])["value"]
    summed = df[df["region"] != NORWAY].groupby(["year", "sex", "age"])["value"].sum()
    pd.testing.assert_series_equal(
        norway.sort_index(),
        summed.sort_index(),
        check_exact=False,
        rtol=1e-12,
        check_names=False,
        check_index_type=False,
    )


@pytest.mark.parametrize("window", list(projection.WINDOWS))
def test_no_negative_or_missing_populations_to_the_last_year(window):
    df = projection.project_municipalities(window)
    assert df["value"].notna().all()
    assert (df["value"] >= 0).all()
    assert df["year"].max() == projection.LAST_YEAR >= 2040
    assert set(df["age"]) == set(range(106))


def test_projection_starts_from_the_observed_2022_population(single_years):
    df = projection.project_counties(include_norway=False)
    start = df[df["year"] == 2022].groupby("region")["value"].sum()
    observed = single_years[2022].groupby("region")["value"].sum()
    pd.testing.assert_series_equal(
        start.sort_index(), observed.sort_index(), check_names=False, check_index_type=False
    )
    # the municipal files sum to SSB's published national total for 1 January 2022
    assert start.sum() == 5_425_270


# --------------------------------------------------------------------------- ratios
def _expected_ratio(num: float, den: float, nat_num: float, nat_den: float) -> float:
    return (num + projection.SHRINKAGE_WEIGHT * nat_num / nat_den) / (
        den + projection.SHRINKAGE_WEIGHT
    )


def _national(
    sy: dict[int, pd.DataFrame],
    sex: str,
    age_num: int,
    ages_den: list[int],
    den_sex: str | None = None,
):
    num = sum(
        float(sy[y][(sy[y]["sex"] == sex) & (sy[y]["age"] == age_num)]["value"].sum())
        for y in (2021, 2022)
    )
    ds = den_sex or sex
    den = sum(
        float(sy[y][(sy[y]["sex"] == ds) & (sy[y]["age"].isin(ages_den))]["value"].sum())
        for y in (2020, 2021)
    )
    return num, den


def test_cohort_change_ratio_recomputed_by_hand(single_years):
    sy = single_years
    r = projection.cohort_ratios()
    row = r[(r["region"] == "46") & (r["sex"] == "1") & (r["age"] == 41)].iloc[0]
    num = _cell(sy[2021], "46", "1", 41) + _cell(sy[2022], "46", "1", 41)
    den = _cell(sy[2020], "46", "1", 40) + _cell(sy[2021], "46", "1", 40)
    nat_num, nat_den = _national(sy, "1", 41, [40])
    assert row["kind"] == "ccr"
    assert row["numerator"] == num and row["denominator"] == den
    assert row["ratio"] == pytest.approx(_expected_ratio(num, den, nat_num, nat_den), rel=1e-12)


def test_open_age_group_is_fed_by_104_and_105(single_years):
    sy = single_years
    r = projection.cohort_ratios()
    row = r[(r["region"] == "03") & (r["sex"] == "2") & (r["age"] == 105)].iloc[0]
    num = _cell(sy[2021], "03", "2", 105) + _cell(sy[2022], "03", "2", 105)
    den = sum(_cell(sy[y], "03", "2", a) for y in (2020, 2021) for a in (104, 105))
    assert row["numerator"] == num and row["denominator"] == den
    nat_num, nat_den = _national(sy, "2", 105, [104, 105])
    expected = min(1.0, _expected_ratio(num, den, nat_num, nat_den))
    assert row["ratio"] == pytest.approx(expected, rel=1e-12)


def test_child_woman_ratio_uses_women_15_to_49_for_each_sex_of_child(single_years):
    sy = single_years
    r = projection.cohort_ratios()
    for sex in ("1", "2"):
        row = r[(r["region"] == "56") & (r["sex"] == sex) & (r["age"] == 0)].iloc[0]
        num = _cell(sy[2021], "56", sex, 0) + _cell(sy[2022], "56", sex, 0)
        women = sy[2020], sy[2021]
        den = sum(
            float(
                w[(w["region"] == "56") & (w["sex"] == "2") & w["age"].between(15, 49)][
                    "value"
                ].sum()
            )
            for w in women
        )
        assert row["kind"] == "cwr"
        assert row["numerator"] == num and row["denominator"] == den
        nat_num, nat_den = _national(sy, sex, 0, list(range(15, 50)), den_sex="2")
        assert row["ratio"] == pytest.approx(_expected_ratio(num, den, nat_num, nat_den), rel=1e-12)


def test_ratios_are_capped_and_thin_cohorts_shrunk():
    r = projection.cohort_ratios()
    ccr = r[r["kind"] == "ccr"]
    assert ccr["ratio"].between(0.0, 1.5).all()
    assert (ccr.loc[ccr["age"] >= 90, "ratio"] <= 1.0).all()
    assert (ccr.loc[ccr["age"] < 90, "ratio"] >= 0.5).all()
    # Finnmark has a handful of people aged 100+: its raw ratios jump, the applied ones do not
    thin = r[(r["region"] == "56") & (r["age"].between(100, 104))]
    assert thin["raw"].isna().any() or (thin["raw"] - thin["national"]).abs().max() > 0.2
    assert (thin["ratio"] - thin["national"]).abs().max() < 0.15


def test_one_step_moves_each_cohort_one_year(single_years):
    """2023 (projected) at age a+1 = ratio × 2022 at age a, checked for one county cell."""
    df = projection.project_counties(include_norway=False)
    r = projection.cohort_ratios()
    ratio = float(r[(r["region"] == "11") & (r["sex"] == "2") & (r["age"] == 31)]["ratio"].iloc[0])
    got = float(
        df[(df["region"] == "11") & (df["year"] == 2023) & (df["sex"] == "2") & (df["age"] == 31)][
            "value"
        ].iloc[0]
    )
    assert got == pytest.approx(ratio * _cell(single_years[2022], "11", "2", 30), rel=1e-12)


# --------------------------------------------------------------------------- backcast
def _observed_totals(cf: pd.DataFrame) -> pd.Series:
    return cf[cf["year"].isin([2023, 2024, 2025])].groupby(["region", "year"])["value"].sum()


def test_backcast_mape_recomputed_independently_from_the_county_file(county_file):
    table = projection.backcast_table().set_index("region")
    assert list(table.index) == ALL
    assert set(table["years"]) == {"2023–2025"}
    proj = projection.project_counties()
    proj = proj[proj["year"].isin([2023, 2024, 2025])].groupby(["region", "year"])["value"].sum()
    obs = _observed_totals(county_file)
    ape = ((proj - obs) / obs * 100).rename("e").reset_index()
    for code in ALL:
        e = ape[ape["region"] == code]["e"]
        assert table.loc[code, "mape_total"] == pytest.approx(e.abs().mean(), rel=1e-9)
        assert table.loc[code, "mpe_total"] == pytest.approx(e.mean(), rel=1e-9)
        assert table.loc[code, "error_total_2025"] == pytest.approx(
            float(ape[(ape["region"] == code) & (ape["year"] == 2025)]["e"].iloc[0]), rel=1e-9
        )


def test_backcast_group_mape_recomputed_independently(county_file):
    cf = county_file.copy()
    cf["age_group"] = cf["age_group"].replace({"90-99": "90+", "100+": "90+"})
    obs = cf[cf["region"] == "46"].groupby(["year", "sex", "age_group"])["value"].sum()
    proj = projection.project_counties()
    proj = proj[(proj["region"] == "46") & proj["year"].isin([2023, 2024, 2025])].copy()
    proj["age_group"] = proj["age"].map(
        lambda a: "90+" if a >= 90 else f"{a // 10 * 10}-{a // 10 * 10 + 9}"
    )
    proj = proj.groupby(["year", "sex", "age_group"])["value"].sum()
    assert len(obs) == len(proj) == 3 * 2 * 10
    mape = float(((proj - obs).abs() / obs * 100).mean())
    table = projection.backcast_table().set_index("region")
    assert table.loc["46", "mape_groups"] == pytest.approx(mape, rel=1e-9)


def test_baseline_is_constant_growth_2020_2022(single_years, county_file):
    p20 = single_years[2020].groupby("region")["value"].sum()
    p22 = single_years[2022].groupby("region")["value"].sum()
    obs = _observed_totals(county_file)
    for code in ("03", "56"):
        g = (p22[code] / p20[code]) ** 0.5
        errs = [
            (p22[code] * g**k - obs[(code, 2022 + k)]) / obs[(code, 2022 + k)] * 100
            for k in (1, 2, 3)
        ]
        row = projection.backcast_table().set_index("region").loc[code]
        assert row["baseline_mape_total"] == pytest.approx(np.mean(np.abs(errs)), rel=1e-9)
        assert row["baseline_mpe_total"] == pytest.approx(np.mean(errs), rel=1e-9)


def test_backcast_error_moves_when_the_real_figures_change(county_file):
    before = projection.backcast_table().set_index("region")
    changed = county_file.copy()
    hit = (
        (changed["region"] == "46")
        & (changed["year"] == 2024)
        & (changed["sex"] == "2")
        & (changed["age_group"] == "20-29")
    )
    assert hit.sum() == 1
    changed.loc[hit, "value"] += 5000
    after = projection.backcast_table(observed=changed).set_index("region")
    assert after.loc["46", "mape_total"] != pytest.approx(before.loc["46", "mape_total"], rel=1e-6)
    assert after.loc["46", "mape_groups"] != pytest.approx(
        before.loc["46", "mape_groups"], rel=1e-6
    )
    assert after.loc["11", "mape_total"] == before.loc["11", "mape_total"]
    # and the cached default was not touched
    again = projection.backcast_table().set_index("region")
    assert again.loc["46", "mape_total"] == before.loc["46", "mape_total"]


def test_backcast_depends_on_the_base_window():
    a = projection.backcast_table("2020-2021").set_index("region")["mape_total"]
    b = projection.backcast_table("2021-2022").set_index("region")["mape_total"]
    assert not np.allclose(a, b)
    with pytest.raises(ValueError, match="unknown base window"):
        projection.backcast_table("2019-2022")


# --------------------------------------------------------------------------- band, caching
def test_band_spans_every_window_and_is_flat_in_observed_years():
    b = projection.band()
    proj = b[b["kind"] == "framskrevet"]
    cols = [f"window_{w}" for w in projection.WINDOWS]
    assert (proj["low"] <= proj["value"] + 1e-9).all() and (
        proj["value"] <= proj["high"] + 1e-9
    ).all()
    assert np.allclose(proj["low"], proj[cols].min(axis=1))
    late = proj[
        (proj["region"] == NORWAY) & (proj["year"] == 2040) & (proj["measure"] == "folkemengde")
    ]
    assert float(late["high"].iloc[0] - late["low"].iloc[0]) > 0
    obs = b[b["kind"] == "observert"]
    assert set(obs["year"]) == {2020, 2021, 2022}
    assert np.allclose(obs["low"], obs["value"]) and np.allclose(obs["high"], obs["value"])


def test_dependency_ratio_is_67_plus_per_100_aged_20_66():
    df = projection.project_counties()
    sub = df[(df["region"] == "18") & (df["year"] == 2035)].groupby("age")["value"].sum()
    expected = 100 * sub.loc[67:].sum() / sub.loc[20:66].sum()
    m = projection.measures()
    got = m[(m["region"] == "18") & (m["year"] == 2035) & (m["measure"] == "forsorgerbrok_eldre")][
        "value"
    ]
    assert float(got.iloc[0]) == pytest.approx(expected, rel=1e-12)


def test_public_functions_return_copies():
    a = projection.measures()
    a["value"] = -1.0
    assert (projection.measures()["value"] >= 0).all()
    t = projection.backcast_table()
    t["mape_total"] = 0.0
    assert projection.backcast_table()["mape_total"].gt(0).all()
    c = projection.project_counties()
    c["value"] = -1.0
    assert (projection.project_counties()["value"] >= 0).all()


# --------------------------------------------------------------------------- indicators
def test_indicator_rows_pass_the_csv_contract():
    rows = projection.indicator_rows()
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
    assert rows["indicator"].str.startswith("framskrevet_").all()
    assert set(rows["indicator"]) == {f"framskrevet_{m}" for m in projection.MEASURES}
    assert set(rows["region_code"]) == set(ALL)
    assert set(rows["year"]) == set(range(2023, projection.LAST_YEAR + 1))
    assert not rows.duplicated(["indicator", "region_code", "year"]).any()
    assert set(rows["source"]) == {
        "Kohortframskriving (Hamilton–Perry), basisår 2020–2022, SSB tabell 07459"
    }
    checked = indicators.collect_rows(i.id for i in indicators.for_chapter("framskriving"))
    assert len(checked) == len(rows)
    # values are the projection, rounded half-up
    m = projection.measures()
    v = m[(m["region"] == "46") & (m["year"] == 2040) & (m["measure"] == "16_19")]["value"].iloc[0]
    r = rows[
        (rows["indicator"] == "framskrevet_16_19")
        & (rows["region_code"] == "46")
        & (rows["year"] == 2040)
    ]
    assert float(r["value"].iloc[0]) == round(v)


def test_registry_states_method_base_period_and_limits():
    ind = indicators.get("framskrevet_folkemengde")
    assert ind.chapter == "framskriving"
    for lang in ("nb", "nn"):
        text = ind.definition(lang) + " " + ind.caveats(lang)
        assert "Hamilton–Perry" in text and "2020" in text and "2022" in text
        assert "105" in text and "15–49" in text
        assert str(int(projection.SHRINKAGE_WEIGHT)) in text
    assert "innvandring" in ind.caveats("nb") and "pandemi" in ind.caveats("nb")
    assert "innvandring" in ind.caveats("nn") and "pandemi" in ind.caveats("nn")


# --------------------------------------------------------------------------- official projection
def test_official_projection_is_missing_offline():
    assert snapshot.source_info(projection.OFFICIAL_SOURCE)["status"] != "ok"
    assert projection.official_projection("snapshot") is None


def test_official_projection_adapter_reads_the_14288_shape():
    """Feed the adapter our own county projection in 14288's tidy shape: measures must match."""
    ours = projection.project_counties()
    ours = ours[ours["year"].isin([2030, 2040])]
    tidy = ours.rename(columns={"name": "region_name"})
    tidy["status"] = None
    got = projection._official_measures(tidy)
    cmp = projection.compare_official("46", got)
    assert len(cmp) == 2 * 2 * len(projection.MEASURES)
    assert np.allclose(cmp["difference_pct"], 0.0, atol=1e-9)
    assert set(cmp["region"]) == {"46", NORWAY}


# --------------------------------------------------------------------------- sentences
def test_key_sentences_quote_computed_numbers():
    from kunnskapsgrunnlag import formatting as fmt

    m = projection.measures()
    v = m[(m["region"] == "46") & (m["year"] == 2040) & (m["measure"] == "folkemengde")][
        "value"
    ].iloc[0]
    nn = projection.key_sentences("46", "nn")
    nb = projection.key_sentences("03", "nb")
    assert len(nn) == len(nb) == 5
    assert fmt.number(v, 0, "nn") in nn[0]
    assert nn[0].startswith("Framskrivinga gir") and "innbyggjarar" in nn[0]
    assert nb[0].startswith("Framskrivingen gir") and "innbyggere" in nb[0]
    mape = projection.backcast_table().set_index("region").loc["46", "mape_total"]
    assert fmt.percent(mape, 1, "nn") in nn[4]
    for s in (
        nn
        + nb
        + projection.service_sentences("46", "nn")
        + projection.service_sentences("42", "nb")
    ):
        assert "nan" not in s.lower() and ".." not in s


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


@pytest.mark.parametrize("code", sorted(COUNTIES))
def test_chapter_renders_for_every_county(code):
    html = _run_plain(code)
    lang = _parameters(code)["written_standard"]
    name = COUNTIES[code].name
    assert html.count('<figure class="kg-figure"') == 3
    assert html.count('<figure class="kg-table"') == 2
    assert (
        'data-kg-source-id="14288-framskriving"' in html
    )  # offline: official projection needs refresh
    assert "kg-key-points" in html
    for s in projection.key_sentences(code, lang) + projection.service_sentences(code, lang):
        assert html_escape(s) in html
    assert f"{name} ◀" in html
    text = re.sub(r"<img[^>]*>", "", html)
    assert "NaN" not in text and ">..<" not in text
    if lang == "nn":
        assert "Framskrivinga" in text and "Treng oppdatering" in text and "Kjelde" in text
        assert "Framskrivingen" not in text and "ikke" not in text
    else:
        assert "Framskrivingen" in text and "Trenger oppdatering" in text and "Kilde" in text
        assert "ikkje" not in text


def _stand_in_official() -> pd.DataFrame:
    """A frame in 14288's tidy shape, made from the 2021–2022 window (real data, not SSB's numbers)."""
    alt = projection.project_counties("2021-2022")
    alt = alt[alt["year"] > 2022].rename(columns={"name": "region_name"})
    alt["status"] = None
    return projection._official_measures(alt)


def test_chapter_draws_both_projections_when_the_official_one_is_there(monkeypatch):
    official = _stand_in_official()
    seen = []
    monkeypatch.setattr(projection, "official_projection", lambda ds: seen.append(ds) or official)
    html = _run_plain("46", data_source="live")
    assert seen == ["live"]
    assert "kg-needs-refresh" not in html
    assert html.count('<figure class="kg-figure"') == 4
    assert html.count('<figure class="kg-table"') == 3
    sentence = projection.official_sentence("46", "nn", official)
    assert html_escape(sentence) in html
    assert "tabellane 07459, 14288" in html
    cmp = projection.compare_official("46", official, years=[2040])
    d = float(
        cmp[(cmp["region"] == "46") & (cmp["measure"] == "folkemengde")]["difference_pct"].iloc[0]
    )
    assert abs(d) > 0.05
    from kunnskapsgrunnlag import formatting as fmt

    assert fmt.percent(abs(d), 1, "nn") in sentence


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
    assert projection.key_sentences(code, lang)[0] in html
    assert 'data-kg-source-id="14288-framskriving"' in html
    assert html.count('<figure class="kg-figure"') == 3
    if lang == "nn":
        assert "Kor godt treffer metoden?" in html
    else:
        assert "Hvor godt treffer metoden?" in html
