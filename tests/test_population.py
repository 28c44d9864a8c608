"""Befolkning chapter: harmonised population, indicators, key sentences, the chapter itself.

Every expected number here is either SSB's published figure (named as such) or computed in the
test straight from the snapshot files (``snapshot.load``), independently of the chapter's code (``kunnskapsgrunnlag.chapters.befolkning``).

What the bundled data allows to cross-check, and what it does not:

* 2019–2022: the municipal files summed to 2024 counties; Norway = the sum of every row of the
  file and must equal SSB's published total. Oslo 0301 is county 03 on its own, so the county
  total must equal the raw municipality row every year. For 2022 there is a second, independent
  SSB file (the JSON-stat response ``07459-kommuner-2022-jsonstat``): every county total must
  come out the same from both.
* 2023–2026: the county file on the 2024 borders (FHI csdata, ``07459-b2024-fylker``). For 2024
  and 2025 it is compared cell by cell with SSB's own county figures (``07459-fylker-2023-2025``,
  sex × 10-year group); 2023 is FHI's re-districting (derived). The municipalities 2020–2026
  (``07459-b2024-kommuner-aldersgrupper``) must sum to the county file where both are SSB's.
"""

from __future__ import annotations

import json
import re
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from kunnskapsgrunnlag import indicators, paths, publish, regions
from kunnskapsgrunnlag.analysis import compare as compare_module
from kunnskapsgrunnlag.analysis import trend as trend_module
from kunnskapsgrunnlag.chapters import befolkning as population
from kunnskapsgrunnlag.chapters.befolkning import data as population_data
from kunnskapsgrunnlag.context import CountyContext
from kunnskapsgrunnlag.data import snapshot

NB = "\u00a0"
SSB_NORWAY = {
    2019: 5_328_212,
    2020: 5_367_580,
    2021: 5_391_369,
    2022: 5_425_270,
    2023: 5_488_984,
    2024: 5_550_203,
    2025: 5_594_340,
    2026: 5_627_400,
}
"""SSB's published population of Norway on 1 January (statbank table 07459; 2026 = the base year of
SSB table 14746 in tests/fixtures/projection, as in the SOURCE.md of the FHI file)."""

FHI_2023_COUNTY_SUM = SSB_NORWAY[2023] - 4
"""FHI's 2023 counties sum to 4 less than SSB's national figure (Ålesund's weighted split;
``../shared/data/fhi-csdata-befolkning-b2024/SOURCE.md``)."""

COUNTIES = list(regions.COUNTIES)


@pytest.fixture(scope="module")
def pop() -> pd.DataFrame:
    return population.county_population()


@pytest.fixture(scope="module")
def muni() -> pd.DataFrame:
    return population.municipal_population()


def value(df: pd.DataFrame, region: str, year: int) -> float:
    hit = df.loc[(df["region"] == region) & (df["year"] == year), "value"]
    assert len(hit) == 1, (region, year, len(hit))
    return float(hit.iloc[0])


# --------------------------------------------------------------------------- harmonised totals
@pytest.mark.parametrize("year", sorted(SSB_NORWAY))
def test_norway_equals_ssbs_published_figure(pop, year):
    assert value(pop, "0", year) == SSB_NORWAY[year]


@pytest.mark.parametrize("year", sorted(SSB_NORWAY))
def test_norway_equals_the_sum_of_the_15_counties(pop, year):
    counties = pop[(pop["year"] == year) & (pop["region"] != "0")]
    assert sorted(counties["region"]) == sorted(COUNTIES)
    assert counties["value"].sum() == (FHI_2023_COUNTY_SUM if year == 2023 else SSB_NORWAY[year])
    assert counties["status"].isna().all()


def test_every_county_and_year_is_there_and_tells_its_source(pop):
    assert len(pop) == 16 * 8 and pop["year"].max() == 2026
    assert set(pop.loc[pop["year"] == 2019, "source_id"]) == {"07459-kommuner-2019"}
    assert set(pop.loc[pop["year"] >= 2023, "source_id"]) == {"07459-b2024-fylker"}


@pytest.mark.parametrize("year", [2019, 2020, 2021, 2022])
def test_oslo_county_equals_the_oslo_municipality_row_of_the_file(pop, year):
    raw = snapshot.load(f"07459-kommuner-{year}")
    assert value(pop, "03", year) == raw.loc[raw["region"] == "0301", "value"].sum()


def test_2022_county_totals_agree_with_the_independent_jsonstat_file(pop):
    js = snapshot.load("07459-kommuner-2022-jsonstat")
    js = js[js["region"].str.fullmatch(r"\d{4}")]
    m22 = regions.mapping_to_2024(2022)
    county_of = dict(zip(m22["code"], m22["county_2024"], strict=True))
    totals = js.assign(county=js["region"].map(county_of)).groupby("county")["value"].sum()
    assert sorted(totals.index) == sorted(COUNTIES)
    for code in COUNTIES:
        assert value(pop, code, 2022) == totals[code], code


def test_2019_counts_moved_municipalities_in_their_2024_county(pop):
    """Halsa 1571 (Møre og Romsdal in 2019) is in Trøndelag now; Hornindal 1444 came the other way."""
    raw = snapshot.load("07459-kommuner-2019")
    by_code = raw.groupby("region")["value"].sum()
    naive_15 = by_code[by_code.index.str.startswith("15")].sum()
    expected = naive_15 - by_code["1571"] + by_code["1444"]
    assert by_code["1571"] > 0 and by_code["1444"] > 0
    assert value(pop, "15", 2019) == expected != naive_15


@pytest.mark.parametrize("year", [2024, 2025])
def test_the_2024_border_file_equals_ssbs_own_county_figures_in_every_cell(year):
    """Where SSB's county file and FHI's overlap (2024, 2025), every sex × 10-year cell is equal."""
    ssb = snapshot.load("07459-fylker-2023-2025")
    ssb = ssb[ssb["year"] == year]
    for region in ["0", *COUNTIES]:
        got = population.pyramid(region, years=(year,))
        got = dict(
            zip(
                zip(got["sex"], got["age_group"].astype(str), strict=True),
                got["value"],
                strict=True,
            )
        )
        own = ssb[ssb["region"] == region]
        want = dict(zip(zip(own["sex"], own["age_group"], strict=True), own["value"], strict=True))
        assert len(got) == 22 and got == want, region


def test_no_year_after_2026_is_used():
    assert population.county_population()["year"].max() == 2026
    assert population.municipal_population()["year"].max() == 2026
    with pytest.raises(ValueError, match="not in"):
        population.pyramid("46", years=(2027,))


# --------------------------------------------------------------------------- municipalities
@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_municipalities_of_each_county_sum_to_the_county(pop, muni, year):
    m = muni[muni["year"] == year]
    for code in COUNTIES:
        assert m.loc[m["county"] == code, "value"].sum() == value(pop, code, year), code


def test_municipalities_are_the_357_of_2024_with_the_split_ones_dot_before_2024(muni):
    klass_2024 = set(regions.municipalities(2024)["code"])
    assert set(muni["region"]) == klass_2024 and len(klass_2024) == 357
    assert sorted(muni["year"].unique()) == list(range(2020, 2027))
    split = muni[muni["region"].isin(["1508", "1580"])]
    before = split[split["year"] < 2024]
    assert before["value"].isna().all() and before["status"].eq(".").all()
    assert split.loc[split["year"] >= 2024, "value"].notna().all()


def test_municipal_table_growth_and_shares_follow_the_file():
    tab = population.municipal_table("46").set_index("region")
    raw = pd.read_csv(
        paths.SNAPSHOT
        / "fhi-csdata-befolkning-b2024"
        / "befolkning-kommuner-aldersgrupper-2020-2026.csv.gz",
        dtype={"region": str},
    )
    bergen = raw[raw["region"] == "4601"]
    b20 = bergen.loc[bergen["year"] == 2020, "value"].sum()
    b26 = bergen.loc[bergen["year"] == 2026, "value"].sum()
    old26 = bergen.loc[(bergen["year"] == 2026) & (bergen["age"] >= 67), "value"].sum()
    assert tab.index[0] == "4601"  # largest first
    assert tab.loc["4601", "pop_2026"] == b26
    assert tab.loc["4601", "growth_pct"] == pytest.approx((b26 / b20 - 1) * 100)
    assert tab.loc["4601", "andel_67_og_eldre"] == pytest.approx(old26 / b26 * 100)
    assert tab["share_of_county_2026"].sum() == pytest.approx(100)


# --------------------------------------------------------------------------- age shares
def test_age_shares_are_exact_for_every_year_2019_2026():
    sh = population.age_shares()
    years = {ind: set(g["year"]) for ind, g in sh.groupby("indicator")}
    assert years["andel_67_og_eldre"] == years["andel_70_og_eldre"] == set(SSB_NORWAY)
    assert years["andel_80_og_eldre"] == set(SSB_NORWAY)
    assert sh["value"].notna().all()

    raw22 = snapshot.load("07459-kommuner-2022")
    expected67 = raw22.loc[raw22["age"] >= 67, "value"].sum() / SSB_NORWAY[2022] * 100
    got67 = sh.query("indicator == 'andel_67_og_eldre' and region == '0' and year == 2022")
    assert got67["value"].iloc[0] == pytest.approx(expected67)

    cf = snapshot.load("07459-b2024-fylker")
    cf = cf[(cf["region"] == "46") & (cf["year"] == 2026)]
    old = cf.loc[cf["age"] >= 80, "value"].sum()
    got80 = sh.query("indicator == 'andel_80_og_eldre' and region == '46' and year == 2026")
    assert got80["value"].iloc[0] == pytest.approx(old / cf["value"].sum() * 100)
    old67 = cf.loc[cf["age"] >= 67, "value"].sum()
    got67 = sh.query("indicator == 'andel_67_og_eldre' and region == '46' and year == 2026")
    assert got67["value"].iloc[0] == pytest.approx(old67 / cf["value"].sum() * 100)


def test_comparison_set_is_summed_not_averaged():
    codes = ["55", "56"]
    pop = population.county_population()
    got = population.comparison_population(codes)
    for year in (2019, 2025):
        assert value(got, "set", year) == value(pop, "55", year) + value(pop, "56", year)


# --------------------------------------------------------------------------- caching
def test_loaders_are_cached_but_hand_out_copies():
    a = population.county_population()
    a.loc[:, "value"] = 0
    assert population.county_population()["value"].sum() > 0
    info = population_data._county_totals.cache_info()
    population.county_population()
    assert population_data._county_totals.cache_info().hits > info.hits


# --------------------------------------------------------------------------- indicators.csv
@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    return indicators.collect_rows(population.INDICATOR_IDS)


def test_indicator_rows_have_the_csv_columns_and_registry_units(rows):
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
    assert set(rows["indicator"]) == set(population.INDICATOR_IDS)
    for ind, g in rows.groupby("indicator"):
        entry = indicators.get(ind)
        assert set(g["unit"]) == {entry.csv_unit}
        assert set(g["source"]) == {entry.source_text}


def test_folkemengde_covers_norway_and_15_counties_2019_2026(rows):
    f = rows[rows["indicator"] == "folkemengde"]
    top = f[f["region_code"].str.len() <= 2]
    assert len(top) == 16 * 8
    norway = top[top["region_code"] == "0"].set_index("year")["value"]
    assert norway.to_dict() == {y: float(v) for y, v in SSB_NORWAY.items()}
    assert top["status"].eq("").all()


def test_split_municipalities_get_the_dot_symbol_not_a_guess(rows):
    f = rows[(rows["indicator"] == "folkemengde") & rows["region_code"].isin(["1508", "1580"])]
    f = f[f["year"] < 2024]
    assert len(f) == 8
    assert f["value"].isna().all() and f["status"].eq(".").all()
    assert set(f["region_name"]) == {"Ålesund", "Haram"}
    assert not rows["region_code"].str.contains("+", regex=False).any()
    munis = rows[(rows["indicator"] == "folkemengde") & (rows["region_code"].str.len() == 4)]
    assert munis["region_code"].nunique() == 357


def test_csv_has_2025_and_2026_for_all_357_municipalities_equal_to_the_source_file(rows):
    """indicators.csv: folkemengde 2025 and 2026 of every 2024 municipality = the FHI extract, and
    2026 for the 15 counties = the county file (both read here with pandas, not the chapter)."""
    raw = pd.read_csv(
        paths.SNAPSHOT
        / "fhi-csdata-befolkning-b2024"
        / "befolkning-kommuner-aldersgrupper-2020-2026.csv.gz",
        dtype={"region": str},
    )
    want = raw[raw["year"].isin([2025, 2026])].groupby(["region", "year"])["value"].sum()
    f = rows[(rows["indicator"] == "folkemengde") & (rows["region_code"].str.len() == 4)]
    got = f[f["year"].isin([2025, 2026])].set_index(["region_code", "year"])["value"]
    assert len(got) == 2 * 357 and got.notna().all()
    assert (got.sort_index().to_numpy() == want.sort_index().to_numpy()).all()
    cf = pd.read_csv(
        paths.SNAPSHOT
        / "fhi-csdata-befolkning-b2024"
        / "befolkning-fylker-kjonn-alder-2010-2026.csv.gz",
        dtype={"region": str},
    )
    c26 = cf[cf["year"] == 2026].groupby("region")["value"].sum()
    top = rows[(rows["indicator"] == "folkemengde") & (rows["year"] == 2026)]
    top = top[top["region_code"].str.len() <= 2].set_index("region_code")["value"]
    assert set(top.index) == {"0", *COUNTIES}
    for code in COUNTIES:
        assert top[code] == c26[code]


def test_registry_names_the_chapter_provider_for_every_befolkning_indicator(rows):
    ids = [i.id for i in indicators.for_chapter("befolkning")]
    assert sorted(ids) == sorted(population.INDICATOR_IDS)
    for i in ids:
        assert indicators.get(i).provider == "kunnskapsgrunnlag.chapters.befolkning:series"
        got = indicators.series(i)
        mine = rows[rows["indicator"] == i]
        assert len(got) == len(mine) and got["value"].sum() == pytest.approx(mine["value"].sum())


def test_provider_refuses_an_indicator_of_another_chapter():
    with pytest.raises(KeyError, match="Befolkning"):
        population.series("netto_driftsutgifter_per_innbygger_fgf7")


# --------------------------------------------------------------------------- key sentences
def ctx_of(code: str, lang: str | None = None) -> CountyContext:
    """The county's context as its parameter file gives it (written standard, comparison)."""
    import yaml

    params = yaml.safe_load(next(paths.PARAMETERS.glob(f"{code}-*.yaml")).read_text("utf-8"))
    return CountyContext(code, lang or params["written_standard"], params["comparison"])


def patch_series(monkeypatch, indicator: str, change) -> None:
    """Let compare/trend read *indicator* changed by *change(frame)* (the others unchanged)."""
    real = indicators.series

    def fake(i, data_source="snapshot"):
        frame = real(i, data_source)
        return change(frame) if i == indicator else frame

    monkeypatch.setattr(compare_module, "series", fake)
    monkeypatch.setattr(trend_module, "series", fake)


def test_key_sentences_follow_the_data(monkeypatch):
    ctx = ctx_of("46")
    before = population.key_sentences(ctx)
    assert f"1,6{NB}prosentpoeng lågare enn i landet (+5,6{NB}%)" in before[1]
    assert "Vestland er nummer 9 av 15 fylke" in before[1]

    def faster(frame):
        m = (frame["region"] == "46") & (frame["year"] == 2026)
        return frame.assign(value=frame["value"].mask(m, 15.0))

    patch_series(monkeypatch, "befolkningsvekst_siden_2019_prosent", faster)
    after = population.key_sentences(ctx)
    assert "høgare enn i landet" in after[1] and "høgast av dei 15 fylka" in after[1]
    assert after[0] == before[0] and after[2:] == before[2:]


def test_population_sentence_says_the_latest_population():
    s = population.key_sentences(ctx_of("46", "nb"))[0]
    assert (
        s
        == f"Folkemengde 1. januar i Vestland økte med 4,0{NB}% fra 2019 til 2026, til 658{NB}342{NB}personer."
    )


def test_municipal_sentence_follows_the_data(monkeypatch):
    ctx = ctx_of("46", "nb")
    assert population.key_sentences(ctx)[-1].startswith("11 av 43 kommuner")
    from kunnskapsgrunnlag.chapters.befolkning import text

    muni = population.municipal_population()
    m = (muni["county"] == "46") & (muni["year"] == 2026)
    prev = muni[(muni["county"] == "46") & (muni["year"] == 2020)].set_index("region")["value"]
    muni.loc[m, "value"] = muni.loc[m, "region"].map(prev) - 1
    monkeypatch.setattr(text, "municipal_population", lambda ds: muni)
    assert population.key_sentences(ctx)[-1].startswith("43 av 43 kommuner")


def test_ageing_sentence_says_what_the_shares_say(monkeypatch):
    ctx = ctx_of("46", "nb")
    rising = population.key_sentences(ctx)[3]
    assert f"økte fra 4,5{NB}% i 2019 til 5,2{NB}% i 2026" in rising and "behov" in rising

    def lower(frame):
        m = (frame["region"] == "46") & (frame["year"] == 2026)
        return frame.assign(value=frame["value"].mask(m, 3.0))  # below 2019 and below Norway

    patch_series(monkeypatch, "andel_80_og_eldre", lower)
    s = population.key_sentences(ctx)[3]
    assert f"gikk ned fra 4,5{NB}% i 2019 til 3,0{NB}% i 2026" in s
    assert f"2,1{NB}prosentpoeng lavere enn i landet" in s and "behov" not in s


@pytest.mark.parametrize("code", COUNTIES)
def test_three_to_six_sentences_for_every_county(code):
    s = population.key_sentences(ctx_of(code))
    assert 3 <= len(s) <= 6
    assert all(x.endswith(".") for x in s)
    assert all(re.search(r"\d", x) for x in s)
    if code == "03":
        assert not any("kommuner i fylket" in x for x in s)


BOKMAL_ONLY = re.compile(
    r"\b(ikke|innbyggere|innbyggerne|folketallet|kommuner|kommunene|fylker|fylkene|økte|mens|fra|"
    r"hvor|hvordan|hele|høyere|lavere|andelen|vokste|gikk|samlet|svakere|sterkere|bare|vises|"
    r"tallene|personer|endret)\b",
    re.IGNORECASE,
)


def specs(ctx: CountyContext) -> list:
    return [
        population.growth_figure(ctx),
        population.ranking_figure(ctx),
        population.pyramid_figure(ctx),
        population.elderly_figure(ctx),
        population.map_figure(ctx),
    ]


def nn_texts() -> list[str]:
    ctx = ctx_of("46")
    texts = list(population.key_sentences(ctx))
    texts += [population.age_text(ctx), population.municipal_note(ctx), population.data_note(ctx)]
    texts += [*sum(population.headline_figures(ctx), ())]
    for fig in specs(ctx):
        texts += [fig.title, fig.alt, fig.source]
        texts += [str(v) for v in fig.options.values() if isinstance(v, str)]
        texts += [str(s) for s in fig.data.get("series", pd.Series(dtype=object)).unique()]
        texts += [str(s) for s in fig.data.get("panel", pd.Series(dtype=object)).unique()]
    for tab in (
        population.population_table(ctx),
        population.age_share_table(ctx),
        population.municipal_table_spec(ctx),
    ):
        texts += [tab.title, tab.note or "", *tab.headers]
    return list(texts)


def test_vestland_key_sentences_are_nynorsk():
    s = " ".join(population.key_sentences(ctx_of("46")))
    assert "folketal" in s.lower() and "kommunar" in s and "innbyggjarar" in s
    assert not BOKMAL_ONLY.search(s)


def test_vestland_reads_nynorsk():
    texts = nn_texts()
    joined = " ".join(texts)
    assert "folketal" in joined.lower() and "kommunar" in joined
    assert "Kjelde: Statistisk sentralbyrå (SSB)" in joined
    hits = sorted({m.group(0) for t in texts for m in BOKMAL_ONLY.finditer(t)})
    assert hits == [], f"bokmål words in the nynorsk chapter: {hits}"


def test_bokmal_check_would_catch_bokmal():
    assert BOKMAL_ONLY.search(population.key_sentences(ctx_of("46", "nb"))[0])


def test_headline_figures():
    nb = population.headline_figures(ctx_of("46", "nb"))
    nn = population.headline_figures(ctx_of("46", "nn"))
    assert 2 <= len(nb) <= 4 and len(nn) == len(nb)
    assert nb[0] == ("Folkemengde 1. januar 2026", f"658{NB}342")
    assert nn[0][0] == "Folketal 1. januar 2026"
    assert nb[1] == ("Befolkningsendring 2019–2026", f"+4,0{NB}%")
    assert nb[2] == ("Andel 80 år og eldre, 2026", f"5,2{NB}%")
    assert nn[2][0] == "Delen 80 år og eldre, 2026"


def test_barometer_rows_are_the_comparable_indicators():
    from kunnskapsgrunnlag.chapters import standard

    ctx = ctx_of("46", "nb")
    rows = standard.barometer_rows(ctx, population.BAROMETER_GROWTH + population.BAROMETER_AGE, "a")
    assert "folkemengde" not in [r.indicator for r in rows]
    growth = rows[0]
    assert (growth.indicator, growth.year, growth.rank) == (
        "befolkningsvekst_siden_2019_prosent",
        "2026",
        "9 av 15",
    )
    # a change always carries its sign (language review T19)
    assert (growth.value, growth.reference, growth.verdict) == (f"+4,0{NB}%", f"+5,6{NB}%", "lower")
    assert rows[-1].year == "2026"  # 67+ has single years of age to 2026


# --------------------------------------------------------------------------- figures (specs)
def test_growth_figure_has_every_county_norway_and_the_summed_set():
    ctx = ctx_of("46", "nb")
    fig = population.growth_figure(ctx)
    d = fig.data
    assert fig.kind == "lines" and set(d["role"]) == {"county", "norway", "peers", "other"}
    last = d[d["year"] == 2026].set_index("region")["value"]
    pop = population.county_population().pivot(index="region", columns="year", values="value")
    assert last["46"] == pytest.approx((pop.loc["46", 2026] / pop.loc["46", 2019] - 1) * 100)
    peers = ctx.peers
    expected = pop.loc[peers, 2026].sum() / pop.loc[peers, 2019].sum() * 100 - 100
    assert last["set"] == pytest.approx(expected)
    assert (d.loc[d["year"] == 2019, "value"] == 0).all()
    assert d["region"].nunique() == 15 + 2  # 15 counties, Norway, the set
    assert f"Vestland endret seg med +4,0{NB}%, hele landet med +5,6{NB}%" in fig.alt
    assert fig.title == "Befolkningsendring siden 2019: Vestland mot landet og de andre fylkene"


def test_ranking_is_the_15_counties_with_norway_as_reference():
    fig = population.ranking_figure(ctx_of("46", "nn"))
    assert fig.kind == "ranking" and len(fig.data) == 15
    assert fig.data["region"].iloc[0] == "32"  # Akershus grew most
    assert fig.option("reference") == pytest.approx(SSB_NORWAY[2026] / SSB_NORWAY[2019] * 100 - 100)
    assert f"Vestland har +4,0{NB}%" in fig.alt and "nummer 9" in fig.alt
    assert fig.title == "Befolkningsendring 2019–2026 i dei 15 fylka"
    low = fig.data.dropna(subset=["value"]).iloc[-1]
    if low["value"] < 0:  # a decline is no «lowest growth» (language review T22)
        assert "størst nedgang" in fig.alt


def test_pyramid_figure_holds_both_years_by_sex_from_the_county_file():
    fig = population.pyramid_figure(ctx_of("15", "nb"))
    d = fig.data
    assert fig.kind == "pyramid" and set(d["year"]) == {2024, 2026}
    assert set(d["sex"]) == {"men", "women"} and d["age_group"].iloc[0] == "0–9"
    cf = snapshot.load("07459-b2024-fylker")
    cf = cf[(cf["region"] == "15") & (cf["year"] == 2026)]
    assert d.loc[d["year"] == 2026, "value"].sum() == cf["value"].sum()
    assert "Møre og Romsdal" in fig.alt and "Fylte stolper viser 2026" in fig.alt


def test_elderly_figure_has_one_panel_per_share_with_its_own_years():
    fig = population.elderly_figure(ctx_of("46", "nb"))
    panels = {p: set(g["year"]) for p, g in fig.data.groupby("panel")}
    assert panels == {"67 år og eldre (2019–2026)": set(SSB_NORWAY),
                      "80 år og eldre (2019–2026)": set(SSB_NORWAY)}  # fmt: skip
    assert f"Vestland gikk fra 15,0{NB}% til 17,1{NB}%" in fig.alt


def test_map_spec_credits_kartverket_and_has_every_2024_municipality():
    fig = population.map_figure(ctx_of("15", "nn"))
    assert fig.kind == "map" and "Kartdata: © Kartverket, CC BY 4.0" in fig.source
    assert {"1508", "1580"} <= set(fig.data["region"]) and len(fig.data) == 27
    assert fig.data.loc[fig.data["region"] == "1580", "value"].isna().all()  # split in 2024
    assert (fig.data["label"] != "").sum() == 1
    assert "Kart over kommunane i Møre og Romsdal" in fig.alt


@pytest.mark.parametrize("index", range(5))
def test_figures_draw_with_norwegian_ticks_and_the_source_on_the_figure(index):
    from kunnskapsgrunnlag.charts.render import render

    spec = specs(ctx_of("15", "nb"))[index]
    fig = render(spec)
    try:
        assert len(spec.alt) > 80 and "Møre og Romsdal" in spec.alt
        assert spec.source.startswith("Kilde: Statistisk sentralbyrå (SSB), tabell 07459")
        texts = [t.get_text() for t in fig.findobj(plt.Text) if t.get_text()]
        assert spec.source in texts
        fig.canvas.draw()
        ticks = [t.get_text() for ax in fig.axes if ax.axison
                 for t in ax.get_xticklabels() + ax.get_yticklabels()]  # fmt: skip
        numeric = [t for t in ticks if re.search(r"\d", t)]
        assert numeric
        assert not any(re.search(r"\d,\d{3}\b|\d\.\d", t) for t in numeric)  # no 1,000 / 2.5
        assert spec.indicators and not indicators.missing(spec.indicators)
    finally:
        plt.close(fig)


def test_oslo_gets_no_one_colour_map():
    assert population.municipal_figures(ctx_of("03")) == []
    assert len(population.municipal_figures(ctx_of("46"))) == 1


# --------------------------------------------------------------------------- tables (specs)
def test_population_table_keeps_raw_values_and_ranks():
    tab = population.population_table(ctx_of("46", "nb"))
    assert [r["pop"] for r in tab.rows] == [
        value(population.county_population(), "46", y) for y in sorted(SSB_NORWAY)
    ]
    cells = tab.cells()
    assert cells[0][1:] == [f"633{NB}117", "", "", "", ""]
    assert cells[-1][-1] == "9 av 15" and cells[1][3] == f"+0,7{NB}%"
    # alphabetical: the list never ends «…, Troms og Finnmark» (language review T27)
    assert tab.note.startswith("Sammenligningsfylkene (summert): Agder, Akershus")
    assert tab.note.endswith("Vestfold og Østfold.")


def test_age_share_and_municipal_tables():
    ages = population.age_share_table(ctx_of("46", "nn"))
    assert ages.cells()[0] == ["67 år og eldre", "2019", f"15,0{NB}%", f"15,1{NB}%", f"15,8{NB}%",
                               "12 av 15"]  # fmt: skip
    muni = population.municipal_table_spec(ctx_of("46", "nn"))
    assert muni.cells()[0] == ["Bergen", f"283{NB}929", f"294{NB}860", f"+3,8{NB}%", f"44,8{NB}%",
                               f"15,1{NB}%", f"4,7{NB}%"]  # fmt: skip
    assert len(muni.rows) == 43 and muni.symbols() == []
    m15 = population.municipal_table_spec(ctx_of("15", "nb"))
    alesund = next(c for c in m15.cells() if c[0] == "Ålesund")
    assert alesund[1] == "." and alesund[3] == "."


# --------------------------------------------------------------------------- the chapter
def chapter_cells() -> tuple[str, list[str]]:
    nb = json.loads((paths.NOTEBOOKS / "10_befolkning.ipynb").read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    src = ["".join(c["source"]) for c in code]
    return src[0], src[1:]


def test_notebook_is_committed_clean_with_the_standard_parameters_cell():
    nb = json.loads((paths.NOTEBOOKS / "10_befolkning.ipynb").read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code[0]["metadata"]["tags"] == ["parameters"]
    assert "".join(code[0]["source"]) == (
        'county_code = "03"\ncounty_name = "Oslo"\nwritten_standard = "nb"\n'
        'comparison = {"kind": "all_counties"}\ndata_source = "snapshot"'
    )
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    body = "".join("".join(c["source"]) for c in code[1:])
    assert "read_csv" not in body and "snapshot.load" not in body  # the notebook only calls lib


@pytest.mark.parametrize("code", COUNTIES)
def test_chapter_runs_for_every_county_in_plain_python(code):
    """Run the notebook's own code cells in plain Python (no kernel) for each county."""
    import yaml

    params_file = next(paths.PARAMETERS.glob(f"{code}-*.yaml"))
    params = yaml.safe_load(params_file.read_text(encoding="utf-8"))
    _, cells = chapter_cells()
    ns: dict = {**params, "data_source": "snapshot"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for src in cells:
            exec(compile(src, f"10_befolkning:{code}", "exec"), ns)  # noqa: S102
    ch: publish.Chapter = ns["ch"]
    html = ch.html()
    nn = params["written_standard"] == "nn"
    assert ("Kjelde:" if nn else "Kilde:") in html
    assert ("folketal" if nn else "folketall") in html.lower()
    alts = re.findall(r'<img src="data:image/webp;base64,[^"]+" alt="([^"]+)"', html)
    assert len(alts) == (4 if code == "03" else 5)
    assert all(len(a) > 80 for a in alts)
    # Oslo is one municipality: no one-row municipality table (language review O2)
    assert html.count('class="kg-table"') == (2 if code == "03" else 3)
    assert 3 <= html.count("<li>") <= 6
    assert not plt.get_fignums()  # every figure was rendered and closed


def test_live_data_source_asks_ssb_and_gives_the_same_chapter(monkeypatch, tmp_path):
    from fakessb import FakeClock, FakeSSB
    from kunnskapsgrunnlag.data import client as ssb_client

    with FakeSSB() as srv:
        clock = FakeClock()
        client = ssb_client.SSBClient(
            base_url=srv.base_url, cache_dir=tmp_path / "cache", clock=clock, sleep=clock.sleep
        )
        monkeypatch.setattr(ssb_client, "_DEFAULT_CLIENT", client)
        try:
            live = population.county_population("live")
            sentences = population.key_sentences(CountyContext("46", "nn", data_source="live"))
            live_muni = population.municipal_population("live")
        finally:
            population.cache_clear()
        asked = " ".join(str(r) for r in srv.requests)
        assert srv.request_count >= 5 and "07459" in asked
    assert live["value"].tolist() == population.county_population()["value"].tolist()
    snap_muni = population.municipal_population()
    assert live_muni["region"].tolist() == snap_muni["region"].tolist()
    assert np.array_equal(
        live_muni["value"].to_numpy(), snap_muni["value"].to_numpy(), equal_nan=True
    )
    assert sentences == population.key_sentences(CountyContext("46", "nn"))


def test_unknown_data_source_is_refused():
    with pytest.raises(ValueError, match="data_source"):
        population.county_population("somewhere")
    assert np.isfinite(population.county_population("snapshot")["value"]).all()


# --------------------------------------------------------------------------- papermill (slow)
@pytest.mark.slow
@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("46", ["Kjelde:", "Folketalet", "kommunar", "innbyggjarar", "Dette peikar seg ut"]),
        ("15", ["Kilde:", "Folkemengde", "kommuner", "Ålesund og Haram", "Dette peker seg ut"]),
    ],
)
def test_notebook_executes_with_papermill(tmp_path, code, words):
    import papermill as pm
    import yaml

    params_file = next(paths.PARAMETERS.glob(f"{code}-*.yaml"))
    params = yaml.safe_load(params_file.read_text(encoding="utf-8"))
    out = tmp_path / f"10_befolkning-{code}.ipynb"
    pm.execute_notebook(
        str(paths.NOTEBOOKS / "10_befolkning.ipynb"),
        str(out),
        parameters=params,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp_path),
    )
    nb = json.loads(out.read_text(encoding="utf-8"))
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    kinds = {o["output_type"] for o in outputs}
    assert kinds == {"display_data"}, kinds  # no error, no stream (stdout/stderr), no repr
    html = "".join("".join(o["data"].get("text/html", "")) for o in outputs)
    for word in words:
        assert word in html, word
    alts = re.findall(r'<img src="data:image/webp;base64,[^"]+" alt="([^"]+)"', html)
    assert len(alts) == 5
    assert all(len(a) > 80 and code_name(code) in a for a in alts)


def code_name(code: str) -> str:
    return regions.COUNTIES[code].name
