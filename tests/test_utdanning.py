"""Utdanning: Udir and IMDi files loaded as they are, aggregated to 2024 counties, and the chapter.

Expected values are read from the bundled files in this test with their own plain readers
(openpyxl for the workbook, the csv module for the text files), never typed in.
"""

from __future__ import annotations

import csv
import math
import re
from html import unescape
from pathlib import Path

import openpyxl
import pytest

from kunnskapsgrunnlag import indicators, paths
from kunnskapsgrunnlag.analysis.compare import compare
from kunnskapsgrunnlag.chapters import utdanning
from kunnskapsgrunnlag.chapters.utdanning import provider
from kunnskapsgrunnlag.context import CountyContext
from kunnskapsgrunnlag.data import snapshot
from kunnskapsgrunnlag.regions import COUNTIES
from test_indicators import run_chapter_fast

UDIR = paths.SNAPSHOT / "udir-grunnskolepoeng-frafall-vgo"
XLSX = UDIR / "grunnskolepoeng-udir-2015-2021.xlsx"
SLUTTA = UDIR / "20220505-1453_Slutta_VGO.csv"
IMDI = paths.SNAPSHOT / "imdi-utdanningsniva" / "utdanningsniva-kommuner-2011-2020.csv"
OTHER = paths.SNAPSHOT / "ssb-12163-kostra-fylker" / "ssb-andre-fylkesindikatorer.csv"
NOTEBOOK = paths.NOTEBOOKS / "40_utdanning.ipynb"
POINTS, PUPILS = (
    "Alle eierformer.Begge kjønn.Grunnskolepoeng",
    "Alle eierformer.Begge kjønn.Antall elever",
)


def ctx(code: str, lang: str = "nb") -> CountyContext:
    return CountyContext.from_notebook(code, None, lang, {"kind": "all_counties"}, "snapshot")


def value(indicator_id: str, region: str, year: int) -> float:
    s = indicators.series(indicator_id)
    return float(s.loc[(s["region"] == region) & (s["year"] == year), "value"].iloc[0])


@pytest.fixture(scope="module")
def workbook() -> list[dict]:
    rows = openpyxl.load_workbook(XLSX, read_only=True).worksheets[0].iter_rows(values_only=True)
    head = next(rows)
    return [dict(zip(head, r, strict=False)) for r in rows]


def _number(cell: object) -> float | None:
    """A published Udir number (``None`` for an empty or hidden ``*`` cell)."""
    text = str(cell).strip().replace(",", ".") if cell is not None else ""
    return float(text) if re.fullmatch(r"[\d.]+", text) else None


# --------------------------------------------------------------------------- loaded as in the files
def test_udir_points_and_pupils_are_the_workbook_cells(workbook: list[dict]) -> None:
    tidy = snapshot.load("udir-grunnskolepoeng")
    cells: dict[tuple, list] = {}
    for r in tidy.itertuples():
        cells.setdefault((r.region, r.year, r.measure), []).append((r.value, r.status))
    checked = 0
    for row in workbook:
        if str(row["EnhetNivaa"]) not in ("1", "2", "3"):
            continue
        code = {"1": "0", "2": str(row["Fylkekode"]).zfill(2)}.get(
            str(row["EnhetNivaa"]), str(row["Kommunekode"]).zfill(4)
        )
        for y in range(2016, 2022):
            for col, measure in ((POINTS, "grunnskolepoeng"), (PUPILS, "antall_elever")):
                cell = row[f"{y - 1}-{str(y)[2:]}.{col}"]
                if cell is None:  # no row for it (the count below finds any extra row)
                    continue
                hit = cells[(code, y, measure)]  # Svalbard (2100) has two rows
                if str(cell).strip() == "*":
                    assert any(st == ":" and math.isnan(v) for v, st in hit)
                else:
                    assert (_number(cell), None) in hit, (code, y, measure)
                checked += 1
    assert checked == len(tidy) > 6000


def test_udir_dropout_is_the_csv_cells() -> None:
    text = SLUTTA.read_bytes().decode("utf-16").split("\n", 1)[1]
    rows = list(csv.DictReader(text.splitlines(), delimiter="\t"))
    tidy = snapshot.load("udir-sluttet-vgo")
    for row in rows:
        if row["EnhetNivaa"] not in ("1", "2") or row["Nasjonaltkode"] != "I":
            continue
        code = "0" if row["EnhetNivaa"] == "1" else row["Fylkekode"].zfill(2)
        for y in range(2012, 2022):
            cell = row[f"{y - 1}-{str(y)[2:]}.Alle eierformer.Alle trinn.Begge kjønn.Andel sluttet"]
            hit = tidy[(tidy["region"] == code) & (tidy["year"] == y)]
            assert (hit["value"].tolist() == [_number(cell)]) if cell else hit.empty, (code, y)


def test_imdi_persons_are_the_csv_cells() -> None:
    lines = IMDI.read_bytes().decode("latin-1").splitlines()
    head = [line.split(";") for line in lines[:5]]
    want = [
        "Utdanningsnivå: alle",
        "Bakgrunn: Hele befolkningen",
        "Kjønn: Alle",
        "Enhet: Personer",
        "År: 2019",
    ]
    col = next(j for j in range(2, len(head[0])) if [h[j] for h in head] == want)
    oslo = next(line.split(";") for line in lines if line.startswith("K0301;"))
    tidy = snapshot.load("imdi-utdanningsniva-kommuner")
    hit = tidy[(tidy["region"] == "0301") & (tidy["year"] == 2019) & (tidy["level"] == "alle")
               & (tidy["background"] == "Hele befolkningen") & (tidy["sex"] == "Alle")
               & (tidy["unit"] == "Personer")]  # fmt: skip
    assert hit["value"].tolist() == [float(oslo[col])]
    non_empty = sum(1 for line in lines[5:] for c in line.split(";")[2:] if c.strip())
    assert len(tidy) == non_empty


def test_completion_is_the_file_as_published_and_only_where_12971_has_the_county() -> None:
    with OTHER.open(encoding="utf-8") as fh:
        rows = [
            r for r in csv.DictReader(fh) if r["indicator"] == "vgs_fullfort_studie_yrkeskompetanse"
        ]
    s = indicators.series("vgs_fullfort_studie_yrkeskompetanse")
    assert set(s["region"]) == {"0", "03", "11", "15", "18", "50"}
    for r in rows:
        code = "0" if r["region_name"] == "Hele landet" else r["fylke_code"]
        assert value("vgs_fullfort_studie_yrkeskompetanse", code, int(r["year"])) == float(
            r["value"]
        )
    assert len(s) == len(rows)


# --------------------------------------------------------------------------- pupil-weighted counties
def _by_hand(workbook: list[dict], year: int, prefix: str) -> tuple[float, float]:
    """Σ points × pupils / Σ pupils over the municipalities whose code starts with *prefix*."""
    col = f"{year - 1}-{str(year)[2:]}."
    w = n = 0.0
    for row in workbook:
        if str(row["EnhetNivaa"]) == "3" and str(row["Kommunekode"]).zfill(4).startswith(prefix):
            p, k = _number(row[col + POINTS]), _number(row[col + PUPILS])
            if p is not None and k is not None:
                w, n = w + p * k, n + k
    return w / n, n


def _udir_county(workbook: list[dict], year: int, code: str) -> float:
    row = next(r for r in workbook if str(r["EnhetNivaa"]) == "2" and str(r["Fylkekode"]).zfill(2) == code
               and r[f"{year - 1}-{str(year)[2:]}.{POINTS}"] is not None)  # fmt: skip
    return _number(row[f"{year - 1}-{str(year)[2:]}.{POINTS}"])


def test_vestland_2021_is_the_pupil_weighted_mean_of_its_municipalities(
    workbook: list[dict],
) -> None:
    mean, pupils = _by_hand(workbook, 2021, "46")
    assert value("grunnskolepoeng", "46", 2021) == pytest.approx(mean, abs=1e-9)
    # Udir's own county figure (same borders) agrees at its one decimal
    assert round(mean, 1) == _udir_county(workbook, 2021, "46")
    assert pupils < float(
        _number(next(r for r in workbook if str(r["EnhetNivaa"]) == "1")[f"2020-21.{PUPILS}"])
    )


def test_telemark_2019_is_made_from_the_municipalities_of_old_telemark(
    workbook: list[dict],
) -> None:
    # 2018–19: Telemark had the code 08 and the borders of the 2024 county 40
    mean, _ = _by_hand(workbook, 2019, "08")
    assert value("grunnskolepoeng", "40", 2019) == pytest.approx(mean, abs=1e-9)
    assert round(mean, 1) == _udir_county(workbook, 2019, "08")


def test_every_county_where_udir_has_the_same_borders_is_within_rounding_of_udir(workbook) -> None:
    s = indicators.series("grunnskolepoeng")
    checked = 0
    for (code, year), v in s.set_index(["region", "year"])["value"].items():
        if code in COUNTIES and provider.same_borders(code, int(year)):
            # municipalities are published with one decimal: at most 0.05 + Udir's own 0.05 off
            assert abs(v - _udir_county(workbook, int(year), code)) <= 0.1 + 1e-9, (code, year)
            checked += 1
    assert checked >= 20 and set(s["region"]) == {"0", *COUNTIES}
    assert value("grunnskolepoeng", "0", 2021) == _number(
        next(r for r in workbook if str(r["EnhetNivaa"]) == "1")[f"2020-21.{POINTS}"]
    )


def test_imdi_shares_sum_the_2020_municipalities_of_vestland() -> None:
    lines = IMDI.read_bytes().decode("latin-1").splitlines()
    head = [line.split(";") for line in lines[:5]]
    cols = {lvl: next(j for j in range(2, len(head[0])) if [h[j] for h in head] == [
        f"Utdanningsnivå: {lvl}", "Bakgrunn: Hele befolkningen", "Kjønn: Alle", "Enhet: Personer", "År: 2020"])
        for lvl in ("alle", "Universitet og høgskole")}  # fmt: skip
    rows = [line.split(";") for line in lines[5:] if line.startswith("K46")]
    total = sum(float(r[cols["alle"]]) for r in rows if r[cols["alle"]])
    high = sum(float(r[cols["Universitet og høgskole"]]) for r in rows if r[cols["alle"]])
    assert value("utdanningsniva_universitet_hogskole", "46", 2020) == pytest.approx(
        100 * high / total
    )


def test_a_county_missing_a_municipality_gets_no_total() -> None:
    # Time (1121) has no 2020 cells in IMDi's file: Rogaland 2020 is «..», never a partial sum
    s = indicators.series("utdanningsniva_grunnskole")
    row = s[(s["region"] == "11") & (s["year"] == 2020)]
    assert row["status"].tolist() == [".."] and row["value"].isna().all()
    assert 2020 not in set(s.loc[s["region"] == "0", "year"])
    assert compare(ctx("46"), "utdanningsniva_grunnskole").year == 2019


# --------------------------------------------------------------------------- not on 2024 borders
def test_dropout_is_shown_only_where_the_borders_held() -> None:
    s = indicators.series("andel_sluttet_vgo")
    raw = snapshot.load("udir-sluttet-vgo")
    assert set(raw.loc[(raw["region"] == "15") & (raw["year"] >= 2017), "year"]) == {
        2017,
        2018,
        2019,
        2020,
        2021,
    }
    assert sorted(s.loc[s["region"] == "15", "year"]) == [2020, 2021]  # Halsa, Hornindal, Rindal
    assert sorted(s.loc[s["region"] == "03", "year"]) == [2017, 2018, 2019, 2020, 2021]
    assert set(s["region"]) == {"0", "03", "11", "15", "18", "34", "42", "46", "50"}
    assert not provider.same_borders("15", 2019) and provider.same_borders("15", 2021)


@pytest.mark.parametrize(
    ("code", "lang", "says", "not_says"),
    [
        ("40", "nb", "sluttet i løpet av skoleåret og fullført videregående", None),
        ("46", "nn", "fullført vidaregåande", "slutta"),
        ("03", "nb", None, None),
    ],
)
def test_a_county_without_figures_on_its_borders_is_told_so_once(
    code, lang, says, not_says
) -> None:
    text = utdanning.missing_text(ctx(code, lang))
    if says is None:
        assert text == ""
        return
    assert says in text and "anslår" in text and (not_says is None or not_says not in text)


def test_rankings_of_fewer_counties_say_how_many() -> None:
    fig = next(
        f for f in utdanning.rankings(ctx("46", "nn")) if f.indicators == ("andel_sluttet_vgo",)
    )
    assert len(fig.data) == 8 and "i fylka, 2021" in fig.title and "dei 8 fylka med tal" in fig.alt
    assert fig.options["subtitle"] == "8 fylke med tal"
    assert fig.source == "Kjelde: Utdanningsdirektoratet"
    table = utdanning.comparison_table(ctx("46", "nn"))
    ranks = {r["name"]: r["rank"] for r in table.rows}
    assert ranks["Slutta i løpet av skuleåret"].endswith(" av 8")
    assert ranks["Grunnskulepoeng"].endswith(" av 15")


# --------------------------------------------------------------------------- the chapter
def test_chapter_smoke_telemark() -> None:
    ch = run_chapter_fast(NOTEBOOK, "40")
    page = unescape(ch.html())
    assert "Fylkeskommunen har ansvaret for videregående opplæring" in page
    assert page.count("For Telemark med dagens grenser finnes det ikke tall for") == 1
    assert (
        "Grunnskolepoeng i alle fylkene, 2021" in page and "Kilde: Utdanningsdirektoratet" in page
    )
    years = utdanning.outlook_years(
        ctx("40")
    )  # the projection's own years, first projected to last
    assert years[0] == 2027 and years[-1] == 2050
    assert f"Framskrevet antall 16–19-åringer i Telemark og landet, {years[0]}–{years[-1]}" in page
    assert "kg-barometer-rows" in page and "kg-key-points" in page
    assert set(ch.indicators) == {*utdanning.indicator_ids(), "framskrevet_16_19"}
    sixteen = indicators.series("framskrevet_16_19")
    v2040 = sixteen.loc[(sixteen["region"] == "40") & (sixteen["year"] == 2040), "value"].iloc[0]
    assert f"{int(v2040):,}".replace(",", "\u00a0") in ch.html()


def test_oslo_is_the_municipality_with_the_county_tasks() -> None:
    ch = run_chapter_fast(NOTEBOOK, "03")
    assert "Oslo kommune har ansvaret for videregående opplæring" in unescape(ch.html())
    assert compare(ctx("03"), "grunnskolepoeng").verdict == "better"


def test_udir_and_imdi_are_read_from_the_bundled_file_on_the_live_path() -> None:
    live = indicators.series("grunnskolepoeng", "live")
    assert live.equals(indicators.series("grunnskolepoeng"))
    for sid in ("udir-grunnskolepoeng", "udir-sluttet-vgo", "imdi-utdanningsniva-kommuner"):
        assert snapshot.source_info(sid)["queries"] == [] and sid not in snapshot.live_sources()


def test_chapter_module_is_small() -> None:
    lines = Path(utdanning.__file__).read_text(encoding="utf-8").count("\n")
    assert lines <= 150


def test_trend_in_the_statistics_breaks_every_line_and_ticks_are_not_rounded() -> None:
    from kunnskapsgrunnlag.charts.render import render

    fig_spec = next(
        f for f in utdanning.trend_figures(ctx("03")) if f.indicators == ("andel_sluttet_vgo",)
    )
    assert (
        fig_spec.options["breaks"] == (2019,)
        and fig_spec.options["break_label"] == "Brudd i statistikken"
    )
    assert "linjene er brutt der statistikken ble lagt om (2019)" in fig_spec.alt
    fig = render(fig_spec)
    fig.canvas.draw()
    ax = fig.axes[0]
    lines = [ln for ln in ax.get_lines() if len(set(ln.get_xdata())) > 1]  # not the break mark
    assert all(max(ln.get_xdata()) < 2019 or min(ln.get_xdata()) >= 2019 for ln in lines)
    assert len(lines) == 4  # Oslo and Norway, each 2017–2018 and 2019–2021
    for tick, pos in zip(ax.get_yticklabels(), ax.get_yticks(), strict=True):
        text = tick.get_text().replace("\u00a0", " ").replace("%", "").replace(",", ".").strip()
        if text:
            assert float(text.replace("−", "-")) == pytest.approx(pos), (text, pos)
