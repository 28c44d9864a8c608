"""The 14288/14746 adapter: the full shape (alternatives, ages, years) read from real Telemark files."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from fakessb import encode_cube
from kunnskapsgrunnlag.data import projection
from kunnskapsgrunnlag.data.jsonstat import read_jsonstat

FIX = Path(__file__).parent / "fixtures" / "projection"
F2026 = FIX / "telemark-Framskrevet_folkemengde_2026-2050.csv"
F2024 = FIX / "telemark-Framskrevet_folkemengde_2024-2050.csv"


def _raw_total(path: Path, region: str, alt_label: str, year: str) -> float:
    with path.open(encoding="utf-8") as fh:
        return sum(
            float(r["value"])
            for r in csv.DictReader(fh)
            if r["region"] == region and r["statistikkvariabel"] == alt_label and r["år"] == year
        )


@pytest.mark.parametrize(
    ("path", "table", "first"), [(F2026, "14746", 2026), (F2024, "14288", 2024)]
)
def test_long_csv_has_the_full_shape(path: Path, table: str, first: int) -> None:
    df = projection.read_long_csv(path)
    assert set(df["table"]) == {table}
    assert set(df["alternative"]) == {"MMMM", "LLML", "HHMH"}
    assert sorted(df["year"].unique()) == list(range(first, 2051))
    assert set(df["region"]) == {"0", "40", "4036"}
    assert list(df[df["region"] == "40"]["age_group"].drop_duplicates()) == [
        "0-0", "1-5", "6-12", "13-15", "16-19", "20-44", "45-66", "67-79", "80-89", "90+"
    ]  # fmt: skip
    assert df[df["region"] == "40"]["region_name"].iloc[0] == "Telemark"
    assert df[df["region"] == "4036"]["region_name"].iloc[0] == "Vinje"


@pytest.mark.parametrize(
    ("alt", "label"),
    [("MMMM", "Hovedalternativet (MMMM)"), ("LLML", "Lav nasjonal vekst (LLML)"),
     ("HHMH", "Høy nasjonal vekst (HHMH)")],
)  # fmt: skip
def test_totals_equal_the_file(alt: str, label: str) -> None:
    t = projection.totals(projection.read_long_csv(F2026), alt).set_index(["region", "year"])
    for region, name in (("0", "Hele landet"), ("40", "Telemark"), ("4036", "Vinje")):
        for year in (2026, 2040, 2050):
            assert t.loc[(region, year), "value"] == _raw_total(F2026, name, label, str(year))


def test_base_year_of_14746_is_the_registered_population() -> None:
    t = projection.totals(projection.read_long_csv(F2026)).set_index(["region", "year"])
    # SOURCE.md: Norway 2026 = 5 627 400 (= FHI csdata 2026); Telemark 2026 = 177 923.
    assert t.loc[("0", 2026), "value"] == _raw_total(
        F2026, "Hele landet", "Hovedalternativet (MMMM)", "2026"
    )
    assert t.loc[("40", 2026), "value"] == 177_923


def test_statbank_wide_csv_of_14288_counties() -> None:
    path = (
        Path(__file__).parents[1]
        / "data"
        / "snapshot"
        / "ssb-14288-framskriving-fylker"
        / "NorwayPopulation.csv"
    )
    df = projection.read_statbank_wide_csv(path, "14288")
    assert len(set(df["region"])) == 15 and set(df["year"]) == {2024, 2050}
    with path.open(encoding="utf-8") as fh:
        rows = {r["region"][:2]: r for r in csv.DictReader(fh)}
    got = df[df["year"] == 2050].set_index("region")["value"]
    for code, r in rows.items():
        assert got[code] == float(r["Hovedalternativet (MMMM) 2050"])
    # the same 14288 figure for Telemark 2050 as the long Telemark file
    assert got["40"] == _raw_total(F2024, "Telemark", "Hovedalternativet (MMMM)", "2050")


def _cube_from_fixture(region_codes: list[str], prefix: str = "") -> bytes:
    """A 14746 json-stat2 answer in SSB's shape, with the fixture's real values."""
    df = projection.read_long_csv(F2026)
    regions, ages = ["0", "40"], list(df["age_group"].drop_duplicates())
    codes = {"MMMM": "Personer", "LLML": "Personer1", "HHMH": "Personer2"}
    years = [str(y) for y in range(2026, 2051)]
    key = df.set_index(["region", "age_group", "alternative", "year"])["value"]
    values = np.array([key[(r, a, alt, int(y))] for r in regions for a in ages
                       for alt in codes for y in years])  # fmt: skip
    age_codes = [f"{int(a.split('-')[0]):03d}" if a.endswith(a.split("-")[0]) and "-" in a
                 and a.split("-")[0] == a.split("-")[1] else
                 (f"{int(a[:-1]):03d}+" if a.endswith("+") else
                  "-".join(f"{int(x):03d}" for x in a.split("-"))) for a in ages]  # fmt: skip
    age_labels = [a.replace("-", "–") + " år" if "+" not in a else f"{a[:-1]} år eller eldre"
                  for a in ages]  # fmt: skip
    dims = [
        ("Region", "region", [prefix + c for c in region_codes], ["Hele landet", "Telemark"]),
        ("Alder", "alder", age_codes, age_labels),
        ("ContentsCode", "statistikkvariabel", list(codes.values()),
         ["Hovedalternativet (MMMM)", "Lav nasjonal vekst (LLML)", "Høy nasjonal vekst (HHMH)"]),
        ("Tid", "år", years, years),
    ]  # fmt: skip
    return encode_cube(
        table="14746", label="14746: Framskrevet folkemengde", dims=dims, values=values
    )


@pytest.mark.parametrize("prefix", ["", "F-"])
def test_jsonstat_answer_of_14746(prefix: str) -> None:
    js = read_jsonstat(_cube_from_fixture(["0", "40"], prefix))
    df = projection.tidy_projection_js([js], "14746")
    assert set(df["region"]) == {"0", "40"}
    assert set(df["alternative"]) == {"MMMM", "LLML", "HHMH"}
    t = projection.totals(df, "HHMH").set_index(["region", "year"])["value"]
    assert t[("40", 2050)] == _raw_total(F2026, "Telemark", "Høy nasjonal vekst (HHMH)", "2050")
    assert t[("0", 2026)] == _raw_total(F2026, "Hele landet", "Høy nasjonal vekst (HHMH)", "2026")
