"""The bundled long file of county indicators (SSB 09280, 11842, 11844, 11961, 12971).

Expected values are read from the source file itself with the standard library's csv module, so
the tests compare the loader with the file, never with typed-in numbers.
"""

from __future__ import annotations

import csv
import math

import pandas as pd
import pytest

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.data import snapshot
from kunnskapsgrunnlag.data.query import CELL_LIMIT, Query
from kunnskapsgrunnlag.indicators.series import SeriesError, _from_spec
from kunnskapsgrunnlag.indicators.spec import SeriesSpec

SID = "ssb-andre-fylkesindikatorer"
FILE = paths.SNAPSHOT / "ssb-12163-kostra-fylker" / "ssb-andre-fylkesindikatorer.csv"
NATIONAL = {"Hele landet": "0", "Landet uten Oslo": "EAFKUO"}


def source_rows() -> list[dict[str, str]]:
    with open(FILE, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_row_of_the_file_loads_with_its_value() -> None:
    rows = source_rows()
    df = snapshot.load(SID)
    assert len(df) == len(rows) == 328
    loaded = {
        (r.region, r.indicator, None if pd.isna(r.year) else int(r.year)): r
        for r in df.itertuples()
    }
    for row in rows:
        region = row["fylke_code"] or NATIONAL[row["region_name"]]
        year = int(row["year"]) if row["year"] else None
        got = loaded[(region, row["indicator"], year)]
        assert got.value == float(row["value"]), row
        assert got.unit == row["unit"] and got.table == row["ssb_table"]
        assert got.region_name == row["region_name"] and got.status is None
    assert df.attrs["credit"].startswith("Kilde: Statistisk sentralbyrå (SSB)")


def test_land_area_keeps_its_missing_year() -> None:
    df = snapshot.load(SID)
    area = df[df["indicator"] == "landareal_km2"]
    assert len(area) == 15 and area["year"].isna().all()
    assert df.loc[df["indicator"] != "landareal_km2", "year"].notna().all()


@pytest.mark.parametrize(
    ("indicator", "reference"),
    [("tannhelse_andel_undersokt_behandlet", "EAFKUO"), ("busspassasjerer", "0")],
)
def test_a_registry_series_spec_selects_one_indicator(indicator: str, reference: str) -> None:
    spec = SeriesSpec(source=SID, select={"indicator": indicator}, reference=reference)
    got = _from_spec("x", spec, "snapshot")
    want = {
        (r["fylke_code"] or NATIONAL[r["region_name"]], int(r["year"])): float(r["value"])
        for r in source_rows()
        if r["indicator"] == indicator
    }
    keys = zip(got["region"], got["year"], strict=True)
    assert dict(zip(keys, got["value"], strict=True)) == want
    assert reference in set(got["region"])


def test_an_unknown_indicator_name_is_an_error() -> None:
    spec = SeriesSpec(source=SID, select={"indicator": "nope"})
    with pytest.raises(SeriesError, match="no rows"):
        _from_spec("x", spec, "snapshot")


def test_the_queries_name_every_table_and_fit_the_cell_limit() -> None:
    entry = snapshot.source_info(SID)
    queries = [Query.from_dict(q) for q in entry["queries"]]
    assert sorted({q.table for q in queries}) == sorted(entry["tables"])
    assert sorted({r["ssb_table"] for r in source_rows()}) == sorted(entry["tables"])
    for q in queries:
        cells = q.cells()
        assert cells is None or cells <= CELL_LIMIT
    assert entry["unverified"] and SID in snapshot.live_sources()
    assert "refresh_queries" not in entry


def test_no_value_is_nan() -> None:
    assert not any(math.isnan(v) for v in snapshot.load(SID)["value"])
