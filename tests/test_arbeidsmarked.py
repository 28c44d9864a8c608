"""Arbeidsmarked (NAV): values equal NAV's files, strict county names, `kg import-nav`, the chapter.

Expected values are read here straight from NAV's workbooks (openpyxl) and the bundled CSVs
(pandas), not through :mod:`kunnskapsgrunnlag.data.nav`, so a mapping error cannot hide itself.
"""

from __future__ import annotations

import os
import re
import shutil
import warnings
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kunnskapsgrunnlag import indicators, paths
from kunnskapsgrunnlag.cli import main
from kunnskapsgrunnlag.data import manifest, nav, nav_import, snapshot
from kunnskapsgrunnlag.regions import COUNTIES
from test_indicators import run_chapter_fast

FOLDER = paths.SNAPSHOT / "nav-ledighet-nedsatt-arbeidsevne"
WORKBOOK = FOLDER / "nav-ledighet-2026-01-05.xlsx"
NEDSATT_WORKBOOK = FOLDER / "nav-nedsatt-arbeidsevne-2025-12-16.xlsx"
CSV = FOLDER / "arbeidsledighet.csv"
NOTEBOOK = paths.NOTEBOOKS / "70_arbeidsmarked.ipynb"
# the test's own name -> code table (the county's short name is the first part of NAV's label)
CODE_OF = {c.name: c.code for c in COUNTIES.values()}


def _book(path: Path) -> openpyxl.Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path, data_only=True)


def _both_sexes(path: Path, sheet: str, first_col: int) -> list[tuple]:
    """The both-sexes block (columns K:R or K:S) of a NAV sheet, below its header row."""
    ws = _book(path)[sheet]
    return [r[first_col:] for r in ws.iter_rows(min_row=3, values_only=True) if r[first_col + 3]]


def _code(label: str) -> str:
    name = re.sub(r"^\d\d ", "", label.strip()).split(" - ")[0]
    return "0" if name == "Landet" else CODE_OF[name]


def _cell(indicator_id: str, region: str, year: int, month: int | None = None) -> float:
    if month is not None:  # any month, straight from the tidy source frame
        spec = indicators.get(indicator_id).series
        df = snapshot.load(spec.source)
        for k, v in spec.select.items():
            df = df[df[k] == v]
        df = df[(df["region"] == region) & (df["year"] == year) & (df["month"] == month)]
    else:
        df = indicators.series(indicator_id)
        df = df[(df["region"] == region) & (df["year"] == year)]
    assert len(df) == 1
    return float(df["value"].iloc[0])


# --------------------------------------------------------------------------- values = NAV's files
def test_december_2025_equals_navs_workbook() -> None:
    rows = _both_sexes(WORKBOOK, "Fylker", 10) + _both_sexes(WORKBOOK, "Landet", 10)
    seen = set()
    for _year, ym, _lvl, label, status, sex, count, share in rows:
        if label.strip() in ("Ukjent", "97 Svalbard og øvrige områder"):
            continue
        assert (ym, sex) == (202512, "Begge kjønn")
        ind = {"Helt ledige": "helt_ledige", "Delvis ledige": "delvis_ledige"}.get(status, "tiltak")
        region = _code(label)
        seen.add(region)
        assert _cell(f"{ind}_antall", region, 2025, 12) == count
        assert _cell(f"{ind}_andel", region, 2025, 12) == pytest.approx(share, abs=1e-9)
    assert seen == {"0", *COUNTIES}


def test_young_people_equal_navs_workbook() -> None:
    rows = _both_sexes(NEDSATT_WORKBOOK, "Nedsatt 18 - 29 år fylker", 10)
    rows += _both_sexes(NEDSATT_WORKBOOK, "Nedsatt 18 - 29 år landet", 10)
    assert len(rows) == 16
    for _m, year, _lvl, label, _sex, _age, count, share, ym in rows:
        region = "0" if label == "Landet" else _code(label)
        assert (year, ym) == (2025, 202511)
        assert _cell("nedsatt_arbeidsevne_18_29_antall", region, 2025) == count
        assert _cell("nedsatt_arbeidsevne_18_29_andel", region, 2025) == pytest.approx(
            share, abs=0.05
        )


def test_newest_month_and_annual_average_equal_the_csv() -> None:
    raw = pd.read_csv(CSV)
    raw = raw[(raw["Arbeidsmarkedsstatus"] == "Helt ledige") & (raw["Kjønn"] == "Begge kjønn")]
    vestland = raw[raw["Geografisk enhet"] == "Vestland"]
    jan = vestland[vestland["Dato"] == "2026-01-01"].iloc[0]
    assert _cell("helt_ledige_antall", "46", 2026) == jan["Antall personer"]
    assert _cell("helt_ledige_andel", "46", 2026) == pytest.approx(
        jan["Andel av arbeidsstyrken"] * 100
    )
    y2025 = vestland[vestland["Dato"].str.startswith("2025-")]
    assert len(y2025) == 12
    assert _cell("helt_ledige_andel_arsgjennomsnitt", "46", 2025) == pytest.approx(
        (y2025["Andel av arbeidsstyrken"] * 100).mean()
    )
    annual = indicators.series("helt_ledige_andel_arsgjennomsnitt")
    assert sorted(annual["year"].unique()) == list(range(2011, 2026))  # 2026 has one month only
    monthly = indicators.series("helt_ledige_andel")
    assert sorted(monthly["year"].unique()) == list(range(2011, 2027))  # January of every year


def test_indicators_csv_carries_every_county_and_norway() -> None:
    rows = indicators.collect_rows(["helt_ledige_antall", "helt_ledige_andel_arsgjennomsnitt"])
    jan = rows[(rows["indicator"] == "helt_ledige_antall") & (rows["year"] == 2026)]
    assert sorted(jan["region_code"]) == sorted(["0", *COUNTIES])
    assert set(rows["source"]) == {"NAV"}
    assert jan.set_index("region_code").loc["0", "value"] == 68932  # SOURCE.md's check


# --------------------------------------------------------------------------- county names
def test_county_names_map_strictly_to_2024_codes() -> None:
    assert nav.county_code("Troms ", "f.csv") == "55"
    assert nav.county_code("55 Troms - Romsa - Tromssa ", "f.xlsx") == "55"
    assert nav.county_code("Nordland - Nordlánnda", "f.xlsx") == "18"
    assert nav.county_code("Ukjent", "f.csv") is None
    with pytest.raises(nav.NavFileError, match=r"f\.csv: unknown county name 'Viken'"):
        nav.county_code("Viken", "f.csv")
    with pytest.raises(nav.NavFileError, match="'46 Troms'"):
        nav.county_code("46 Troms", "f.xlsx")  # code and name disagree


def test_unknown_name_in_the_csv_names_file_and_value(tmp_path: Path) -> None:
    bad = tmp_path / "arbeidsledighet.csv"
    text = CSV.read_text(encoding="utf-8").replace("\nFylker,Agder,", "\nFylker,Agderr,", 1)
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(
        nav.NavFileError, match=rf"{re.escape(str(bad))}: unknown county name 'Agderr'"
    ):
        nav.read_ledighet_csv(bad)


# --------------------------------------------------------------------------- kg import-nav
@pytest.fixture
def snap(tmp_path: Path) -> Path:
    """A snapshot folder with the real manifest and the real NAV files."""
    out = tmp_path / "snapshot"
    shutil.copytree(FOLDER, out / FOLDER.name)
    shutil.copy(paths.SNAPSHOT_MANIFEST, out / "manifest.json")
    return out


def _state(snap: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(snap.rglob("*")) if p.is_file()}


def _broken(tmp_path: Path, change) -> Path:
    wb = _book(WORKBOOK)
    change(wb)
    out = tmp_path / "broken.xlsx"
    wb.save(out)
    return out


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda wb: wb.remove(wb["Fylker"]),
            "expected the sheets Landet, Fylker (unemployment) or Nedsatt 18 - 66 år fylker",
        ),
        (
            lambda wb: wb["Landet"].cell(2, 8, "Antall"),
            "sheet 'Landet' with a header row of two blocks (from column B and column K)",
        ),
        (lambda wb: wb["Fylker"].cell(2, 18, "Andel"), "% av arbeidsstyrken"),
        (lambda wb: wb["Fylker"].cell(5, 5, "03 Osloo"), "unknown county name '03 Osloo'"),
        (
            lambda wb: wb["Fylker"].cell(5, 3, 202601),
            "expected one month, found 2025-12-01, 2026-01-01",
        ),
    ],
)
def test_import_refuses_a_wrong_layout_and_changes_nothing(
    tmp_path, snap, capsys, change, expected
) -> None:
    file = _broken(tmp_path, change)
    before = _state(snap)
    assert nav_import.import_nav_cli(file, snapshot_dir=snap) == 2
    err = capsys.readouterr().err
    assert str(file) in err and expected in err
    assert _state(snap) == before


def test_import_refuses_a_file_that_is_no_workbook(tmp_path, snap, capsys) -> None:
    file = tmp_path / "ledighet.xlsx"
    file.write_text("Nivå,Geografisk enhet\n", encoding="utf-8")
    before = _state(snap)
    assert main(["import-nav", str(file)]) == 2  # the real CLI; data/snapshot is never reached
    assert f"{file}: not a readable .xlsx workbook" in capsys.readouterr().err
    assert _state(snap) == before


def _as_month(tmp_path: Path, ym: int) -> Path:
    wb = _book(WORKBOOK)
    for sheet in ("Landet", "Fylker"):
        for row in wb[sheet].iter_rows(min_row=3):
            for col in (2, 11):  # År-måned of both blocks (0-based)
                if row[col].value is not None:
                    row[col].value = ym
    out = tmp_path / f"nav-{ym}.xlsx"
    wb.save(out)
    return out


def test_import_merges_a_new_month_atomically(tmp_path, snap, capsys) -> None:
    old = snapshot.load("nav-ledighet", snapshot_dir=snap)
    file = _as_month(tmp_path, 202602)
    assert nav_import.import_nav_cli(file, snapshot_dir=snap) == 0
    n = len(nav_import.read_workbook(file)[1])
    assert f"2026-02: {n} rows (0 replaced, {n} new)" in capsys.readouterr().out
    entry = manifest.source_info("nav-ledighet", snap)
    assert manifest.sha256_of(snap / entry["files"][0]["path"]) == entry["files"][0]["sha256"]
    assert (
        entry["imports"][-1]["workbook"] == file.name and entry["imports"][-1]["month"] == "2026-02"
    )
    new = snapshot.load("nav-ledighet", snapshot_dir=snap)
    feb = new[(new["year"] == 2026) & (new["month"] == 2)]
    dec = old[(old["year"] == 2025) & (old["month"] == 12)]
    key = ["region", "labour_status", "sex", "measure"]
    assert feb.set_index(key)["value"].sort_index().equals(dec.set_index(key)["value"].sort_index())
    kept = new[~((new["year"] == 2026) & (new["month"] == 2))].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept, old.reset_index(drop=True), check_like=True)
    assert not list(snap.rglob(".kg-import-*"))


def test_import_of_a_month_already_there_replaces_it_with_the_same_values(snap, capsys) -> None:
    old = snapshot.load("nav-ledighet", snapshot_dir=snap)
    assert nav_import.import_nav_cli(WORKBOOK, snapshot_dir=snap) == 0
    n = len(nav_import.read_workbook(WORKBOOK)[1])
    assert n == 159  # 15 counties, Ukjent and Norway × 3 × 3; Svalbard has no «tiltak» rows
    assert f"2025-12: {n} rows ({n} replaced, 0 new)" in capsys.readouterr().out
    new = snapshot.load("nav-ledighet", snapshot_dir=snap)
    cols = ["region", "year", "month", "labour_status", "sex", "measure"]
    pd.testing.assert_frame_equal(
        new.sort_values(cols).reset_index(drop=True), old.sort_values(cols).reset_index(drop=True)
    )


def test_import_of_the_reduced_work_capacity_workbook(snap, capsys) -> None:
    old = snapshot.load("nav-nedsatt-arbeidsevne", snapshot_dir=snap)
    assert nav_import.import_nav_cli(NEDSATT_WORKBOOK, snapshot_dir=snap) == 0
    # 15 counties + Norway × 3 sexes × 2 age groups, all already in the CSV (2025-11)
    assert "2025-11: 96 rows (96 replaced, 0 new)" in capsys.readouterr().out
    new = snapshot.load("nav-nedsatt-arbeidsevne", snapshot_dir=snap)
    cols = ["region", "year", "month", "age_group", "sex", "measure"]
    pd.testing.assert_frame_equal(
        new.sort_values(cols).reset_index(drop=True), old.sort_values(cols).reset_index(drop=True)
    )
    assert (
        manifest.source_info("nav-nedsatt-arbeidsevne", snap)["imports"][-1]["month"] == "2025-11"
    )


def test_a_failed_replace_leaves_the_snapshot_as_it_was(tmp_path, snap, monkeypatch) -> None:
    file = _as_month(tmp_path, 202602)
    before = _state(snap)

    def fail(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    assert nav_import.import_nav_cli(file, snapshot_dir=snap) == 2
    assert _state(snap) == before  # no temp file left, CSV and manifest untouched


# --------------------------------------------------------------------------- the chapter
def test_chapter_for_vestland() -> None:
    ch = run_chapter_fast(NOTEBOOK, "46")
    html = ch.html()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert '<h2 class="kg-heading kg-chapter" id="arbeidsmarked">Arbeidsmarknad</h2>' in html
    assert "I januar 2026 var 1,9 % av arbeidsstyrken i Vestland heilt ledige" in text.replace(
        "\xa0", " "
    )
    assert html.count('<figure class="kg-figure"') == 5
    assert html.count('<figure class="kg-table"') == 2
    assert "Kjelde: NAV" in text
    assert "Frå 2025 summerer fylka seg til landet" in text
    assert "data-kg-barometer" in html or "kg-barometer" in html
    assert not re.search(r"\b(ikke|helt ledige|måned)\b", text)  # nynorsk throughout


def test_live_runs_read_nav_from_the_snapshot_and_kg_fetch_points_to_import(capsys) -> None:
    live = snapshot.load("nav-ledighet", "live")  # no SSB request: NAV is not an SSB table
    assert live.attrs["data_source"] == "snapshot" and len(live) == len(
        snapshot.load("nav-ledighet")
    )
    assert main(["fetch", "--source", "nav-ledighet", "--dry-run"]) == 2
    assert "kg import-nav WORKBOOK" in capsys.readouterr().err


def test_months_rule_is_required_and_mean_needs_all_twelve_months() -> None:
    from kunnskapsgrunnlag.indicators import SeriesError
    from kunnskapsgrunnlag.indicators.series import _by_month
    from kunnskapsgrunnlag.indicators.spec import SeriesSpec

    raw = snapshot.load("nav-ledighet")
    raw = raw[(raw["labour_status"] == "helt_ledige") & (raw["sex"] == "0")]
    raw = raw[(raw["measure"] == "andel") & (raw["region"] == "46")]
    with pytest.raises(SeriesError, match="is monthly; give series.months: latest or mean"):
        _by_month("x", SeriesSpec(source="nav-ledighet"), raw)
    no_march = raw[~((raw["year"] == 2024) & (raw["month"] == 3))]
    mean = _by_month("x", SeriesSpec(source="nav-ledighet", months="mean"), no_march)
    assert 2024 not in set(mean["year"]) and {2023, 2025} <= set(mean["year"])
    latest = _by_month("x", SeriesSpec(source="nav-ledighet", months="latest"), raw)
    assert set(latest["month"]) == {1} and len(latest) == 16  # January 2011–2026


def test_the_counties_share_of_norway_is_computed_from_nav_s_file() -> None:
    from kunnskapsgrunnlag.chapters import arbeidsmarked

    raw = pd.read_csv(CSV)
    raw = raw[(raw["Arbeidsmarkedsstatus"] == "Helt ledige") & (raw["Kjønn"] == "Begge kjønn")]
    month = raw["Dato"].max()[5:7]  # the table compares the newest month with the same month
    raw = raw[(raw["Dato"].str[5:7] == month) & (raw["Dato"] < "2025")]
    year = raw["Dato"].str[:4]
    # NAV's county level also has «Ukjent» and «Svalbard og øvrige områder»: not counties
    names = {c.name for c in COUNTIES.values()}
    fylker = raw[(raw["Nivå"] == "Fylker") & raw["Geografisk enhet"].str.strip().isin(names)]
    counties = fylker.groupby(year)["Antall personer"].sum()
    norway = raw[raw["Nivå"] == "Landet"].groupby(year)["Antall personer"].sum()
    want = counties / norway * 100
    got = arbeidsmarked.county_share_of_norway(("helt_ledige_antall",), "snapshot")
    assert got == pytest.approx((want.min(), want.max()))
    assert got[0] < 100 and len(want) == 14
