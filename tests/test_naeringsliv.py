"""Næringsliv (SSB 11713): loaded values, the border policy per county, the population shares, a
chapter run. Expected values are read from the bundled source files here (openpyxl, csv), not
through the loader under test."""

from __future__ import annotations

import csv
import math
import re
from html import unescape

import openpyxl
import pandas as pd
import pytest

from kunnskapsgrunnlag import paths, regions
from kunnskapsgrunnlag.chapters import naeringsliv
from kunnskapsgrunnlag.context import CountyContext
from kunnskapsgrunnlag.data import snapshot
from kunnskapsgrunnlag.indicators import series
from test_indicators import run_chapter_fast

XLSX = paths.SNAPSHOT / "ssb-11713-fylkesfordelt-nasjonalregnskap" / "FNB_SSB_11713.xlsx"
POP_CSV = (
    paths.SNAPSHOT / "ssb-07459-kommuner-2019-2022" / "07459-befolkning-kommune-alder-2019.csv"
)
NOTEBOOK = paths.NOTEBOOKS / "80_naeringsliv.ipynb"
TOTAL = "Totalt for næringer"


@pytest.fixture(scope="module")
def cells() -> dict[tuple[str, str, int, str], object]:
    """(region code, industry, year, measure) → the cell as in the workbook (number or symbol)."""
    ws = openpyxl.load_workbook(XLSX, read_only=True).active
    out, region, industry = {}, None, None
    for row in ws.iter_rows(min_row=4, values_only=True):
        if not re.fullmatch(r"\d{4}", str(row[2] or "")):
            continue  # header, footnotes
        region = row[0].split()[0] if row[0] else region
        industry = row[1].strip() if row[1] else industry
        for measure, v in zip(("bruttoprodukt", "sysselsatte"), row[3:5], strict=True):
            out[(region, industry, int(row[2]), measure)] = v
    return out


@pytest.fixture(scope="module")
def population() -> dict[str, int]:
    """Municipality code (2019) → inhabitants 1 January 2019, summed over ages from the CSV."""
    pop: dict[str, int] = {}
    with POP_CSV.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            code = r["region"].split()[0]
            pop[code] = pop.get(code, 0) + int(r["Persons 2019"])
    return pop


def _v(x: object) -> float:
    return float(x) if isinstance(x, int | float) else math.nan


def test_loaded_values_equal_the_workbook(cells) -> None:
    df = snapshot.load("11713-fylkesfordelt")
    assert len(df) == len(cells) == 21 * 27 * 12 * 2
    got = {(r.region, r.industry, r.year, r.measure): (r.value, r.status) for r in df.itertuples()}
    for key, raw in cells.items():
        value, status = got[key]
        if isinstance(raw, str):
            assert status == raw.strip() and math.isnan(value), key
        else:
            assert status is None and value == raw, key
    assert got[("0", TOTAL, 2019, "bruttoprodukt")][0] == 3164843


def test_exact_and_approximate_counties_are_derived_from_klass() -> None:
    m = regions.mapping_to_2024(2019)
    policy = naeringsliv.border_policy(2019)
    for code, c in policy.items():
        olds = set(m.loc[m["county"].isin(c.old_counties), "code"])
        now = set(m.loc[m["county_2024"] == code, "code"])
        assert c.exact == (olds == now), code
        assert set(c.moved_in) == now - olds and set(c.moved_out) == olds - now, code
    exact = {code: c.old_counties for code, c in policy.items() if c.exact}
    assert exact == {"03": ("03",), "11": ("11",), "40": ("08",), "42": ("09", "10"), "56": ("20",)}
    # Østfold is not exact: Rømskog (0121) went to Aurskog-Høland in Akershus in 2020
    assert policy["31"].old_counties == ("01",) and policy["31"].moved_out == ("0121",)
    assert policy["34"].old_counties == ("04", "05") and policy["46"].old_counties == ("12", "14")
    assert sorted(o for c in policy.values() for o in c.old_counties) == sorted(set(m["county"]))


def test_population_shares_are_computed_from_07459(population) -> None:
    m = regions.mapping_to_2024(2019)
    for code, c in naeringsliv.border_policy(2019).items():
        total = sum(population.get(k, 0) for k in m.loc[m["county_2024"] == code, "code"])
        assert c.population == total
        assert c.moved_in_share == pytest.approx(sum(population[k] for k in c.moved_in) / total)
        assert c.moved_out_share == pytest.approx(sum(population[k] for k in c.moved_out) / total)
    bus = naeringsliv.border_policy(2019)["33"]
    assert bus.names == {"0711": "Svelvik", "0627": "Røyken", "0628": "Hurum"}


def test_unweighted_policy_can_differ_and_needs_an_owner_for_every_county() -> None:
    by_count = regions.compositions(2019)  # every municipality weighs 1
    assert by_count["42"].exact and not by_count["33"].exact
    with pytest.raises(regions.KlassDataError, match="2024 county"):
        regions.compositions(2019, {"0101": 1.0})  # nothing else weighs: counties get no owner


def test_county_figures_are_sums_of_their_old_counties(cells) -> None:
    va = series("bruttoprodukt").set_index(["region", "year"])["value"]
    old = lambda r, y: _v(cells[(r, TOTAL, y, "bruttoprodukt")])  # noqa: E731
    assert va[("42", 2019)] == old("09", 2019) + old("10", 2019)
    assert va[("50", 2010)] == old("16", 2010) + old("17", 2010) + old("50", 2010)
    assert va[("46", 2019)] == old("12", 2019) + old("14", 2019)
    counties = [c for c in {k[0] for k in cells} if c not in ("0", "16", "17")]
    assert va[(regions.FYLKENE_SAMLET, 2019)] == sum(old(c, 2019) for c in counties) == 2724305
    per = series("bruttoprodukt_per_sysselsatt").set_index(["region", "year"])["value"]
    ss = _v(cells[("03", TOTAL, 2019, "sysselsatte")])
    assert per[("03", 2019)] == pytest.approx(old("03", 2019) / ss / 1000)  # mill. kr


def test_a_confidential_cell_stays_confidential_in_the_sum(cells) -> None:
    df = naeringsliv.accounts()
    hidden = [k for k, v in cells.items() if v == ":" and k[0] in ("09", "10") and k[2] == 2019]
    assert hidden
    r, industry, year, measure = hidden[0]
    hit = df[(df["region"] == "42") & (df["industry"] == industry) & (df["year"] == year)]
    assert hit.loc[hit["measure"] == measure, "status"].iloc[0] == ":"


@pytest.mark.parametrize(("code", "lang", "needle"), [
    ("42", "nb", "Tallene er eksakte."),
    ("03", "nn", "så tala er eksakte"),
    ("33", "nb", "Svelvik hører nå til Buskerud, men er ikke med i tallene; der bodde 2,6\u00a0%"),
    ("46", "nn", "Tala for Vestland er omtrentlege."),
    ("15", "nb", "For 2008–2018 ligger også Rindal"),
])  # fmt: skip
def test_border_text_says_exact_or_approximate(code: str, lang: str, needle: str) -> None:
    ctx = CountyContext.from_notebook(code, regions.region_name(code), lang, None, "snapshot")
    assert needle in naeringsliv.border_text(ctx)


def test_chapter_runs_for_one_county() -> None:
    ch = run_chapter_fast(NOTEBOOK, "46")
    text = unescape(re.sub(r"<[^>]+>", " ", ch.html()))
    assert "Det nyaste året i tala som følgjer med rapporten, er 2019" in text
    assert "Tala kan oppdaterast med nyare år frå tabell 11713 hos SSB" in text
    assert "kg fetch" not in text and "fylka samla" in text
    assert "Tala for Vestland er omtrentlege" in text
    assert (
        "Bruttoprodukt per sysselsett" in text
        and "Kjelde: Statistisk sentralbyrå (SSB), tabell 11713" in text
    )
    assert set(ch.indicators) >= set(naeringsliv.indicator_ids())


def test_indicator_rows_name_11713() -> None:
    from kunnskapsgrunnlag.indicators.csv import collect_rows

    rows = collect_rows(naeringsliv.indicator_ids())
    assert set(rows["source"]) == {"SSB, tabell 11713"}
    assert set(rows.loc[rows["region_code"] == "FYLKENE", "region_name"]) == {"Fylkene samlet"}
    assert isinstance(rows, pd.DataFrame) and set(rows["region_code"]) >= set(regions.COUNTIES)


def test_the_table_in_docs_regions_is_the_computed_policy() -> None:
    from kunnskapsgrunnlag import formatting as fmt

    text = (paths.ROOT / "docs" / "regions.md").read_text(encoding="utf-8")
    rows = {
        m.group(1): m.group(0)
        for m in re.finditer(r"^\| (\d{2}) [^|]+\| [^|]+\| (exact|approximate) \|.*$", text, re.M)
    }
    policy = naeringsliv.border_policy(2019)
    assert set(rows) == set(policy)
    for code, c in policy.items():
        row = rows[code]
        assert ("| exact |" in row) == c.exact, code
        assert " + ".join(c.old_counties) in row, code
        pct = lambda s: fmt.percent(s * 100, 1, "nb").replace("\u00a0", " ")  # noqa: E731
        if c.moved_in:
            assert f"{pct(c.moved_in_share)} in (" in row, code
        if c.moved_out:
            assert f"{pct(c.moved_out_share)} out (" in row, code


def test_structure_table_shows_shares_and_keeps_symbols(cells) -> None:
    ctx = CountyContext.from_notebook("42", "Agder", "nn", None, "snapshot")
    table = naeringsliv.structure_table(ctx)
    rows = {r["name"]: r for r in table.rows}
    assert "Bygge- og anleggsverksemd" in rows and "Bygge- og anleggsvirksomhet" not in rows
    industri = rows["Industri"]
    agder = [
        _v(cells[(c, i, 2019, "bruttoprodukt")]) for c in ("09", "10") for i in ("Industri", TOTAL)
    ]
    assert industri["bruttoprodukt_c"] == pytest.approx(
        (agder[0] + agder[2]) / (agder[1] + agder[3]) * 100
    )
    hidden = [r for r in table.rows if r["bruttoprodukt_r:status"] == ":"]
    assert hidden and all(math.isnan(r["bruttoprodukt_r"]) for r in hidden)
    assert "omtrentlege" not in table.note and table.source.endswith("tabell 11713")
    vestland = CountyContext.from_notebook("46", "Vestland", "nn", None, "snapshot")
    assert (
        "Tala for Vestland er omtrentlege; sjå teksten om grensene."
        in naeringsliv.structure_table(vestland).note
    )


def test_the_registry_caveat_names_the_exact_counties() -> None:
    from kunnskapsgrunnlag import indicators

    exact = [regions.region_name(c) for c, p in naeringsliv.border_policy(2019).items() if p.exact]
    ind = indicators.get("bruttoprodukt")
    for lang in ("nb", "nn"):
        listed = re.search(
            r"For (.+?) er summen eksakt", " ".join(ind.caveats(lang).split())
        ).group(1)
        assert re.split(r", | og ", listed) == exact
