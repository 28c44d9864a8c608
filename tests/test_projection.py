"""Tests of the Framskriving chapter (kunnskapsgrunnlag.chapters.framskriving, 30_framskriving.ipynb).

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

from kunnskapsgrunnlag import indicators, paths, regions
from kunnskapsgrunnlag.chapters import framskriving as fr
from kunnskapsgrunnlag.chapters.framskriving.official import _official_measures
from kunnskapsgrunnlag.context import CountyContext
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
    munis = fr.project_municipalities()
    counties = fr.project_counties(include_norway=False)
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
    df = fr.project_counties()
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


@pytest.mark.parametrize("window", list(fr.WINDOWS))
def test_no_negative_or_missing_populations_to_the_last_year(window):
    df = fr.project_municipalities(window)
    assert df["value"].notna().all()
    assert (df["value"] >= 0).all()
    assert df["year"].max() == fr.LAST_YEAR >= 2040
    assert set(df["age"]) == set(range(106))


def test_projection_starts_from_the_observed_2022_population(single_years):
    df = fr.project_counties(include_norway=False)
    start = df[df["year"] == 2022].groupby("region")["value"].sum()
    observed = single_years[2022].groupby("region")["value"].sum()
    pd.testing.assert_series_equal(
        start.sort_index(), observed.sort_index(), check_names=False, check_index_type=False
    )
    # the municipal files sum to SSB's published national total for 1 January 2022
    assert start.sum() == 5_425_270


# --------------------------------------------------------------------------- ratios
def _expected_ratio(num: float, den: float, nat_num: float, nat_den: float) -> float:
    return (num + fr.SHRINKAGE_WEIGHT * nat_num / nat_den) / (den + fr.SHRINKAGE_WEIGHT)


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
    r = fr.cohort_ratios()
    row = r[(r["region"] == "46") & (r["sex"] == "1") & (r["age"] == 41)].iloc[0]
    num = _cell(sy[2021], "46", "1", 41) + _cell(sy[2022], "46", "1", 41)
    den = _cell(sy[2020], "46", "1", 40) + _cell(sy[2021], "46", "1", 40)
    nat_num, nat_den = _national(sy, "1", 41, [40])
    assert row["kind"] == "ccr"
    assert row["numerator"] == num and row["denominator"] == den
    assert row["ratio"] == pytest.approx(_expected_ratio(num, den, nat_num, nat_den), rel=1e-12)


def test_open_age_group_is_fed_by_104_and_105(single_years):
    sy = single_years
    r = fr.cohort_ratios()
    row = r[(r["region"] == "03") & (r["sex"] == "2") & (r["age"] == 105)].iloc[0]
    num = _cell(sy[2021], "03", "2", 105) + _cell(sy[2022], "03", "2", 105)
    den = sum(_cell(sy[y], "03", "2", a) for y in (2020, 2021) for a in (104, 105))
    assert row["numerator"] == num and row["denominator"] == den
    nat_num, nat_den = _national(sy, "2", 105, [104, 105])
    expected = min(1.0, _expected_ratio(num, den, nat_num, nat_den))
    assert row["ratio"] == pytest.approx(expected, rel=1e-12)


def test_child_woman_ratio_uses_women_15_to_49_for_each_sex_of_child(single_years):
    sy = single_years
    r = fr.cohort_ratios()
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
    r = fr.cohort_ratios()
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
    df = fr.project_counties(include_norway=False)
    r = fr.cohort_ratios()
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
    table = fr.backcast_table().set_index("region")
    assert list(table.index) == ALL
    assert set(table["years"]) == {"2023–2025"}
    proj = fr.project_counties()
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
    proj = fr.project_counties()
    proj = proj[(proj["region"] == "46") & proj["year"].isin([2023, 2024, 2025])].copy()
    proj["age_group"] = proj["age"].map(
        lambda a: "90+" if a >= 90 else f"{a // 10 * 10}-{a // 10 * 10 + 9}"
    )
    proj = proj.groupby(["year", "sex", "age_group"])["value"].sum()
    assert len(obs) == len(proj) == 3 * 2 * 10
    mape = float(((proj - obs).abs() / obs * 100).mean())
    table = fr.backcast_table().set_index("region")
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
        row = fr.backcast_table().set_index("region").loc[code]
        assert row["baseline_mape_total"] == pytest.approx(np.mean(np.abs(errs)), rel=1e-9)
        assert row["baseline_mpe_total"] == pytest.approx(np.mean(errs), rel=1e-9)


def test_backcast_error_moves_when_the_real_figures_change(county_file):
    before = fr.backcast_table().set_index("region")
    changed = county_file.copy()
    hit = (
        (changed["region"] == "46")
        & (changed["year"] == 2024)
        & (changed["sex"] == "2")
        & (changed["age_group"] == "20-29")
    )
    assert hit.sum() == 1
    changed.loc[hit, "value"] += 5000
    after = fr.backcast_table(observed=changed).set_index("region")
    assert after.loc["46", "mape_total"] != pytest.approx(before.loc["46", "mape_total"], rel=1e-6)
    assert after.loc["46", "mape_groups"] != pytest.approx(
        before.loc["46", "mape_groups"], rel=1e-6
    )
    assert after.loc["11", "mape_total"] == before.loc["11", "mape_total"]
    # and the cached default was not touched
    again = fr.backcast_table().set_index("region")
    assert again.loc["46", "mape_total"] == before.loc["46", "mape_total"]


def test_backcast_depends_on_the_base_window():
    a = fr.backcast_table("2020-2021").set_index("region")["mape_total"]
    b = fr.backcast_table("2021-2022").set_index("region")["mape_total"]
    assert not np.allclose(a, b)
    with pytest.raises(ValueError, match="unknown base window"):
        fr.backcast_table("2019-2022")


# --------------------------------------------------------------------------- band, caching
def test_band_spans_every_window_and_is_flat_in_observed_years():
    b = fr.band()
    proj = b[b["kind"] == "framskrevet"]
    cols = [f"window_{w}" for w in fr.WINDOWS]
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
    df = fr.project_counties()
    sub = df[(df["region"] == "18") & (df["year"] == 2035)].groupby("age")["value"].sum()
    expected = 100 * sub.loc[67:].sum() / sub.loc[20:66].sum()
    m = fr.measures()
    got = m[(m["region"] == "18") & (m["year"] == 2035) & (m["measure"] == "forsorgerbrok_eldre")][
        "value"
    ]
    assert float(got.iloc[0]) == pytest.approx(expected, rel=1e-12)


def test_public_functions_return_copies():
    a = fr.measures()
    a["value"] = -1.0
    assert (fr.measures()["value"] >= 0).all()
    t = fr.backcast_table()
    t["mape_total"] = 0.0
    assert fr.backcast_table()["mape_total"].gt(0).all()
    c = fr.project_counties()
    c["value"] = -1.0
    assert (fr.project_counties()["value"] >= 0).all()


# --------------------------------------------------------------------------- indicators
def test_provider_series_pass_the_csv_contract():
    ids = [f"framskrevet_{m}" for m in fr.MEASURES]
    for i in ids + list(fr.BAROMETER_IDS):
        assert indicators.get(i).provider == "kunnskapsgrunnlag.chapters.framskriving:series"
    rows = indicators.collect_rows(ids)
    assert set(rows["indicator"]) == set(ids)
    assert set(rows["region_code"]) == set(ALL)
    assert set(rows["year"]) == set(range(2023, fr.LAST_YEAR + 1))
    assert set(rows.loc[rows["region_code"] == NORWAY, "region_name"]) == {"Hele landet"}
    assert set(rows["source"]) == {
        "Kohortframskriving (Hamilton–Perry), basisår 2020–2022, SSB tabell 07459"
    }
    assert (rows["status"] == "").all()
    # values are the projection, rounded half-up (the dependency ratio to one decimal)
    m = fr.measures()
    v = m[(m["region"] == "46") & (m["year"] == 2040) & (m["measure"] == "16_19")]["value"].iloc[0]
    s = fr.series("framskrevet_16_19")
    got = s[(s["region"] == "46") & (s["year"] == 2040)]["value"].iloc[0]
    assert got == round(v)
    d = fr.series("framskrevet_forsorgerbrok_eldre")
    assert d["value"].map(lambda x: round(x, 1) == x).all()
    with pytest.raises(KeyError, match="not computed by this chapter"):
        fr.series("folkemengde")


def test_barometer_indicators_are_the_projection_in_2040():
    m = fr.measures()
    tot = m[(m["region"] == "46") & (m["measure"] == "folkemengde")].set_index("year")["value"]
    old = m[(m["region"] == "03") & (m["measure"] == "80_og_eldre")].set_index("year")["value"]
    dep = m[(m["region"] == NORWAY) & (m["measure"] == "forsorgerbrok_eldre")].set_index("year")
    cases = {
        ("framskrevet_endring_folkemengde_2025_2040", "46"): (tot[2040] / tot[2025] - 1) * 100,
        ("framskrevet_endring_80_og_eldre_2025_2040", "03"): (old[2040] / old[2025] - 1) * 100,
        ("framskrevet_forsorgerbrok_eldre_2040", NORWAY): dep.loc[2040, "value"],
    }
    for (ind_id, region), expected in cases.items():
        s = fr.series(ind_id)
        assert set(s["year"]) == {2040} and set(s["region"]) == set(ALL)
        got = float(s.loc[s["region"] == region, "value"].iloc[0])
        assert got == pytest.approx(expected, abs=0.05)
        ind = indicators.get(ind_id)
        assert ind.polarity == "neither" and ind.notable is not None
        assert "(egen framskriving)" in ind.short_name("nb")
        assert "(eiga framskriving)" in ind.short_name("nn")


def test_barometer_rows_compare_with_norway_and_link_to_the_section():
    from kunnskapsgrunnlag.chapters import standard

    ctx = CountyContext("46", "nn")
    rows = standard.barometer_rows(ctx, fr.BAROMETER_IDS, "framskriving-folketalet-fram-mot-2040")
    assert [r.indicator for r in rows] == list(fr.BAROMETER_IDS)
    s = fr.series("framskrevet_endring_folkemengde_2025_2040").set_index("region")["value"]
    first = rows[0]
    assert first.year == "2040" and first.anchor == "framskriving-folketalet-fram-mot-2040"
    assert first.value == f"{s['46']:.1f}".replace(".", ",").replace("-", "−") + "\xa0%"
    assert first.reference_name == "landet"
    assert first.verdict in ("higher", "similar_neutral", "lower")
    assert first.verdict == ("lower" if s["46"] <= s[NORWAY] - 3 else "similar_neutral")


def test_registry_states_method_base_period_and_limits():
    ind = indicators.get("framskrevet_folkemengde")
    assert ind.chapter == "framskriving"
    for lang in ("nb", "nn"):
        text = ind.definition(lang) + " " + ind.caveats(lang)
        assert "Hamilton–Perry" in text and "2020" in text and "2022" in text
        assert "105" in text and "15–49" in text
        assert str(int(fr.SHRINKAGE_WEIGHT)) in text
    assert "innvandring" in ind.caveats("nb") and "pandemi" in ind.caveats("nb")
    assert "innvandring" in ind.caveats("nn") and "pandemi" in ind.caveats("nn")


# --------------------------------------------------------------------------- official projection
def test_official_projection_is_missing_offline():
    assert snapshot.source_info(fr.OFFICIAL_SOURCE)["status"] != "ok"
    assert fr.official_projection("snapshot") is None


def test_official_projection_adapter_reads_the_14288_shape():
    """Feed the adapter our own county projection in 14288's tidy shape: measures must match."""
    ours = fr.project_counties()
    ours = ours[ours["year"].isin([2030, 2040])]
    tidy = ours.rename(columns={"name": "region_name"})
    tidy["status"] = None
    got = _official_measures(tidy)
    cmp = fr.compare_official("46", got)
    assert len(cmp) == 2 * 2 * len(fr.MEASURES)
    assert np.allclose(cmp["difference_pct"], 0.0, atol=1e-9)
    assert set(cmp["region"]) == {"46", NORWAY}


# --------------------------------------------------------------------------- sentences
def test_key_sentences_quote_computed_numbers():
    from kunnskapsgrunnlag import formatting as fmt

    m = fr.measures()
    v = m[(m["region"] == "46") & (m["year"] == 2040) & (m["measure"] == "folkemengde")][
        "value"
    ].iloc[0]
    nn = fr.key_sentences(CountyContext("46", "nn"))
    nb = fr.key_sentences(CountyContext("03", "nb"))
    assert len(nn) == len(nb) == 5
    assert fmt.number(v, 0, "nn") in nn[0]
    assert (
        nn[0].startswith("Frå 2022 til 2040 aukar framskrive folketal")
        and "innbyggjar" not in nn[0]
    )
    assert nb[0].startswith("Fra 2022 til 2040 øker framskrevet folkemengde")
    assert "Med dei andre basisperiodane ligg talet for 2040 mellom" in nn[0]
    o = fr.county_outlook("46")
    assert (
        f"(landet: {fmt.percent(o.change_pct(NORWAY, 'folkemengde', 2040), 1, 'nn', sign=True)})"
        in nn[0]
    )
    assert "minkar framskrive tal på 16–19-åringar i Vestland" in nn[1]
    d22, d40 = (o.get("46", "forsorgerbrok_eldre", y) for y in (2022, 2040))
    assert f"med {fmt.number(d40 - d22, 1, 'nn')}, til {fmt.number(d40, 1, 'nn')}" in nn[3]
    mape = fr.backcast_table().set_index("region").loc["46", "mape_total"]
    assert fmt.percent(mape, 1, "nn") in nn[4]
    for s in (
        nn
        + nb
        + fr.service_sentences(CountyContext("46", "nn"))
        + fr.service_sentences(CountyContext("42", "nb"))
    ):
        assert "nan" not in s.lower() and ".." not in s


# --------------------------------------------------------------------------- specs (not drawn)
def test_total_figure_is_an_index_with_band_and_observed_points():
    ctx = CountyContext("46", "nn")
    spec = fr.figure_total(ctx)
    assert spec.kind == "lines" and spec.indicators == ("framskrevet_folkemengde",)
    d = spec.data
    assert set(d["role"]) == {"county", "norway"}
    assert set(d["series"]) == {
        "Vestland, faktisk 2020–2022", "Vestland, framskrive", "Vestland, faktisk 2023–2025",
        "Heile landet, faktisk 2020–2022", "Heile landet, framskrive", "Heile landet, faktisk 2023–2025",
    }  # fmt: skip
    proj = d[(d["series"] == "Vestland, framskrive")].set_index("year")
    assert proj.loc[2022, "value"] == pytest.approx(100.0)
    assert (proj["low"] <= proj["value"] + 1e-9).all() and (
        proj["high"] >= proj["value"] - 1e-9
    ).all()
    o = fr.county_outlook("46")
    assert proj.loc[2040, "value"] == pytest.approx(o.change_pct("46", "folkemengde", 2040) + 100)
    pts = d[d["points"].astype(bool) & (d["role"] == "county")].set_index("year")["value"]
    obs = fr.observed_totals().query("region == '46'").set_index("year")["value"]
    assert list(pts.index) == [2023, 2024, 2025]
    assert pts[2025] == pytest.approx(obs[2025] / obs[2022] * 100)
    assert spec.title == "Folketal i Vestland og heile landet, 2020–2040. Indeks, 2022 = 100"
    assert f"Vestland går til {proj.loc[2040, 'value']:.1f}".replace(".", ",") in spec.alt
    assert "Kjelde:" in spec.source and "07459" in spec.source


def test_group_and_dependency_figures():
    ctx = CountyContext("03", "nb")
    g = fr.figure_groups(ctx)
    assert list(dict.fromkeys(g.data["panel"])) == [fr.BAND_LABELS[k]["nb"] for k in fr.AGE_BANDS]
    assert g.option("ncols") == 3
    assert g.alt.startswith("Fem små linjediagram, ett per aldersgruppe, med Oslo og hele landet")
    o = fr.county_outlook("03")
    from kunnskapsgrunnlag import formatting as fmt

    assert (
        f"80 år og eldre {fmt.percent(o.change_pct('03', '80_og_eldre', 2040), 1, 'nb', sign=True)}"
        in g.alt
    )
    dep = fr.figure_dependency(ctx)
    v = dep.data[(dep.data["role"] == "norway") & (dep.data["linestyle"] == "--")]
    assert float(v.loc[v["year"] == 2040, "value"].iloc[0]) == pytest.approx(
        o.get(NORWAY, "forsorgerbrok_eldre", 2040)
    )
    assert "Hele landet: " in dep.alt and dep.title.startswith("Personer 67 år og eldre per 100")


def test_tables_are_specs_with_the_county_marked():
    ctx = CountyContext("46", "nn")
    t = fr.summary_table(ctx)
    assert t.headers == [
        "Mål",
        "2022",
        "2030",
        "2040",
        "Endring 2022–2040",
        "Heile landet, endring",
    ]
    cells = t.cells()
    assert [r[0] for r in cells][0] == "Folketal i alt" and len(cells) == len(fr.MEASURES)
    b = fr.backcast_display(ctx)
    cells = b.cells()
    assert cells[0][0] == "Heile landet" and sum(r[0] == "Vestland ◀" for r in cells) == 1
    bt = fr.backcast_table().set_index("region")
    from kunnskapsgrunnlag import formatting as fmt

    row = next(r for r in cells if r[0] == "Vestland ◀")
    assert row[1] == fmt.percent(bt.loc["46", "mape_total"], 1, "nn")
    assert row[3] == fmt.percent(bt.loc["46", "mpe_total"], 1, "nn", sign=True)
    assert "◀ markerer Vestland." in b.note


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
    for s in fr.key_sentences(CountyContext(code, lang)) + fr.service_sentences(
        CountyContext(code, lang)
    ):
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
    alt = fr.project_counties("2021-2022")
    alt = alt[alt["year"] > 2022].rename(columns={"name": "region_name"})
    alt["status"] = None
    return _official_measures(alt)


def test_chapter_draws_both_projections_when_the_official_one_is_there(monkeypatch):
    official = _stand_in_official()
    seen = []
    monkeypatch.setattr(fr, "official_projection", lambda ds: seen.append(ds) or official)
    html = _run_plain("46", data_source="live")
    assert seen == ["live"]
    assert "kg-needs-refresh" not in html
    assert html.count('<figure class="kg-figure"') == 4
    assert html.count('<figure class="kg-table"') == 3
    sentence = fr.official_sentence(CountyContext("46", "nn"), official)
    assert html_escape(sentence) in html
    assert "tabellane 07459, 14288" in html
    cmp = fr.compare_official("46", official, years=[2040])
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
    assert fr.key_sentences(CountyContext(code, lang))[0] in html
    assert 'data-kg-source-id="14288-framskriving"' in html
    assert html.count('<figure class="kg-figure"') == 3
    if lang == "nn":
        assert "Kor godt treffer metoden?" in html
    else:
        assert "Hvor godt treffer metoden?" in html
