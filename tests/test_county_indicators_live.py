"""The live path of the county indicators (SSB 09280, 11842, 11844, 11961, 12971), fake server.

The fake server (:mod:`fakessb_indicators`) replays the bundled file's numbers as SSB's JSON-stat
cubes, so ``kg fetch`` must give back every bundled cell, read with the csv module here. Its
12971 is synthetic; the sums are recomputed here from the cube with json and decimal, not with
the code under test.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import sys
from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest

import fakessb_indicators as cubes
from fakessb import FakeClock, FakeSSB
from kunnskapsgrunnlag import indicators, paths
from kunnskapsgrunnlag.chapters import samferdsel, tannhelse, utdanning
from kunnskapsgrunnlag.context import CountyContext
from kunnskapsgrunnlag.data import client as ssb_client
from kunnskapsgrunnlag.data import snapshot
from kunnskapsgrunnlag.data.client import SSBClient
from kunnskapsgrunnlag.data.fetch import fetch_cli
from kunnskapsgrunnlag.regions import COUNTIES

SID = "ssb-andre-fylkesindikatorer"
NATIONAL = {"Hele landet": "0", "Landet uten Oslo": "EAFKUO"}
COMPLETION = "vgs_fullfort_studie_yrkeskompetanse"


@pytest.fixture(scope="module")
def server() -> Iterator[FakeSSB]:
    with FakeSSB() as srv:
        yield srv


@pytest.fixture
def fake(server: FakeSSB) -> Iterator[FakeSSB]:
    server.reset()
    yield server
    server.reset()


@pytest.fixture
def snap(tmp_path: Path) -> Path:
    """A private copy of the bundled snapshot (never data/)."""
    target = tmp_path / "snapshot"
    shutil.copytree(paths.SNAPSHOT, target, ignore=shutil.ignore_patterns("fetched"))
    return target


def client_for(fake: FakeSSB, tmp_path: Path) -> SSBClient:
    clock = FakeClock()
    return SSBClient(
        base_url=fake.base_url, cache_dir=tmp_path / "cache", clock=clock, sleep=clock.sleep
    )


def tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def fetch(fake: FakeSSB, snap: Path, tmp_path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    rc = fetch_cli(
        [SID], False, None, snapshot_dir=snap, client=client_for(fake, tmp_path),
        today=date(2026, 12, 2), stdout=out, stderr=err,
    )  # fmt: skip
    return rc, out.getvalue(), err.getvalue()


def source_rows() -> list[dict[str, str]]:
    with open(cubes.FILE, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_kg_fetch_refreshes_the_source_with_one_request_per_query(
    fake: FakeSSB, snap: Path, tmp_path: Path
) -> None:
    rc, out, err = fetch(fake, snap, tmp_path)
    assert rc == 0, err
    assert fake.request_count == 6 == len(snapshot.source_info(SID)["queries"])
    assert f"{SID}: " in out and "rows from tables 09280, 11842, 11844, 11961, 12971" in out
    entry = snapshot.source_info(SID, snap)
    assert entry["format"] == "jsonstat2" and entry["retrieved"] == "2026-12-02"
    assert len(entry["files"]) == 6 and all(
        f["path"].startswith("fetched/") for f in entry["files"]
    )
    assert entry["history"][0]["format"] == "indicators-csv"
    snapshot.verify(snapshot_dir=snap)
    tables = [r.path.split("/")[-2] for r in fake.data_requests()]
    assert tables == ["09280", "11842", "11842", "11961", "11844", "12971"]


def test_every_bundled_ssb_cell_comes_back_from_ssb(
    fake: FakeSSB, snap: Path, tmp_path: Path
) -> None:
    assert fetch(fake, snap, tmp_path)[0] == 0
    got = snapshot.load(SID, snapshot_dir=snap)
    bundled = snapshot.load(SID)
    assert list(got.columns) == list(bundled.columns)
    assert dict(got.dtypes) == dict(bundled.dtypes)
    cells = {(r.region, r.indicator, r.year): r for r in got.itertuples()}
    want = [r for r in source_rows() if r["indicator"] != COMPLETION]
    for row in want:
        region = row["fylke_code"] or NATIONAL[row["region_name"]]
        # the bundled file lost 09280's year; SSB's answer has it (the fake's: LAND_AREA_YEAR)
        year = int(row["year"] or cubes.LAND_AREA_YEAR)
        cell = cells[(region, row["indicator"], year)]
        assert cell.value == float(row["value"]) and cell.status is None, row
        assert (cell.unit, cell.table, cell.region_name) == (
            row["unit"], row["ssb_table"], row["region_name"],
        )  # fmt: skip
    # everything else SSB answered is a «.» cell (a county before it existed), never a number
    rest = got[(got["indicator"] != COMPLETION) & got["status"].notna()]
    assert len(got[got["indicator"] != COMPLETION]) == len(want) + len(rest)
    assert set(rest["status"]) == {"."} and rest["value"].isna().all()


def _completion_expected() -> tuple[dict[tuple[str, int], tuple[float | None, str | None]], int]:
    """12971's sums from the cube itself (both completion categories, «Alle», «Begge», «Prosent»)
    and how many of them end in a half (…x5), where half-up and half-even rounding differ."""
    data = json.loads(cubes.completion_cube())
    ids, sizes = data["id"], data["size"]
    codes = {d: sorted(data["dimension"][d]["category"]["index"],
                       key=data["dimension"][d]["category"]["index"].get) for d in ids}  # fmt: skip
    fixed = {"UtdProgram": "00", "Kjonn": "0", "ContentsCode": "Prosent"}
    out: dict[tuple[str, int], tuple[float | None, str | None]] = {}
    ties = 0
    for region in codes["Region"]:
        if region not in COUNTIES and region != "0":
            continue  # Viken (30) is not a 2024 county
        for period in codes["Tid"]:
            total, symbol = Decimal(0), None
            for grade in ("1", "2"):
                at = {**fixed, "Region": region, "Fullforingsgrad": grade, "Tid": period}
                flat = 0
                for d, n in zip(ids, sizes, strict=True):
                    flat = flat * n + codes[d].index(at[d])
                if str(flat) in (data.get("status") or {}):
                    symbol = data["status"][str(flat)]
                else:
                    total += Decimal(repr(data["value"][flat]))
            value = None if symbol else float(total.quantize(Decimal("0.1"), ROUND_HALF_UP))
            ties += symbol is None and (total * 100) % 10 == 5
            out[(region, int(period[:4]) + 5)] = (value, symbol)
    return out, ties


def test_completion_is_the_sum_of_the_completion_categories_rounded_half_up(
    fake: FakeSSB, snap: Path, tmp_path: Path
) -> None:
    assert fetch(fake, snap, tmp_path)[0] == 0
    got = snapshot.load(SID, snapshot_dir=snap)
    rows = got[got["indicator"] == COMPLETION]
    have = {
        (r.region, r.year): (None if pd.isna(r.value) else r.value, r.status)
        for r in rows.itertuples()
    }
    want, ties = _completion_expected()
    assert have == want and ties > 0
    assert have[("18", 2024)] == (None, ":")  # a suppressed component makes the sum «:»
    assert set(rows["region_name"]) >= {"Hele landet", "Nordland"} and "Viken" not in set(
        rows["region_name"]
    )
    assert got.attrs["dropped_regions"] == ["Viken"]


def test_a_live_run_asks_ssb_and_gets_the_same_rows_as_a_refresh(
    fake: FakeSSB, snap: Path, tmp_path: Path
) -> None:
    assert fetch(fake, snap, tmp_path)[0] == 0
    fake.reset()
    live = snapshot.load(SID, "live", client=client_for(fake, tmp_path / "other"))
    assert live.attrs["data_source"] == "live" and fake.request_count == 6
    pd.testing.assert_frame_equal(live, snapshot.load(SID, snapshot_dir=snap))


def test_an_answer_without_the_land_area_category_stops_the_fetch(
    snap: Path, tmp_path: Path
) -> None:
    body = json.loads(cubes.land_area_cube())
    body["dimension"]["Arealtype"]["category"]["label"]["L"] = "Jordbruksareal"
    before = tree(snap)
    with FakeSSB() as srv:
        srv.add_table("09280", body)
        rc, _, err = fetch(srv, snap, tmp_path)
    assert rc == 1
    assert "table 09280" in err and "Arealtype" in err and "«Jordbruksareal»; «Ferskvann»" in err
    assert "unchanged" in err and "Traceback" not in err
    assert tree(snap) == before


def test_a_wrong_variable_code_is_refused_and_nothing_changes(
    fake: FakeSSB, snap: Path, tmp_path: Path
) -> None:
    man = json.loads((snap / "manifest.json").read_text(encoding="utf-8"))
    man["sources"][SID]["queries"][1]["selection"][0]["variableCode"] = "Region"
    (snap / "manifest.json").write_text(json.dumps(man, ensure_ascii=False), encoding="utf-8")
    before = tree(snap)
    rc, _, err = fetch(fake, snap, tmp_path)
    assert rc == 1 and "400" in err and "unchanged" in err
    assert tree(snap) == before


@pytest.fixture
def live_default(
    fake: FakeSSB, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FakeSSB]:
    """The process-wide client pointed at the fake server (what a live batch uses)."""
    import kunnskapsgrunnlag.indicators.series  # noqa: F401 - the module, not the function

    series_module = sys.modules["kunnskapsgrunnlag.indicators.series"]
    monkeypatch.setattr(ssb_client, "_DEFAULT_CLIENT", client_for(fake, tmp_path))
    series_module.cache_clear()
    yield fake
    series_module.cache_clear()


def _ctx(code: str, data_source: str) -> CountyContext:
    return CountyContext(code, "nb", {"kind": "all_counties"}, data_source)


@pytest.mark.parametrize("code", ["46", "31", "03"])
def test_the_chapters_read_ssb_in_a_live_run(live_default: FakeSSB, code: str) -> None:
    snap_ctx, live_ctx = _ctx(code, "snapshot"), _ctx(code, "live")
    # the fake serves the bundled numbers, so the texts are the same
    assert samferdsel.key_sentences(live_ctx) == samferdsel.key_sentences(snap_ctx)
    assert samferdsel.missing_text(live_ctx) == samferdsel.missing_text(snap_ctx)
    stock = samferdsel.stock_table(snap_ctx)
    assert samferdsel.stock_table(live_ctx) == stock
    assert tannhelse.key_sentences(live_ctx) == tannhelse.key_sentences(snap_ctx)
    tables = {r.path.split("/")[-2] for r in live_default.data_requests()}
    assert {"09280", "11842", "11844", "11961"} <= tables
    density = indicators.series("fylkesvei_km_per_1000_km2", "live")
    pd.testing.assert_frame_equal(density, indicators.series("fylkesvei_km_per_1000_km2"))


def test_a_suppressed_completion_figure_is_said_so_in_a_live_run(live_default: FakeSSB) -> None:
    text = " ".join(utdanning.key_sentences(_ctx("18", "live")))
    assert "fullførte videregående" in text and "(«:»)" in text


@pytest.mark.slow
@pytest.mark.xdist_group("kg-run-kernels")
def test_a_live_batch_builds_the_report_from_ssb_answers(fake: FakeSSB, tmp_path: Path) -> None:
    import os
    import subprocess

    env = {**os.environ, "KG_OUTPUTS": str(tmp_path / "out"), "KG_CACHE": str(tmp_path / "cache"),
           "KG_SSB_BASE_URL": fake.base_url, "MPLBACKEND": "Agg"}  # fmt: skip
    args = [sys.executable, "-m", "kunnskapsgrunnlag", "run", "--live", "--force", "--county", "18"]
    proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "live data ready" in proc.stderr + proc.stdout
    asked = {r.path.split("/")[-2] for r in fake.data_requests()}
    assert set(cubes.TABLES) <= asked
    page = (tmp_path / "out" / "reports" / "18-nordland.html").read_text(encoding="utf-8")
    assert "Hentet direkte fra SSBs statistikkbank" in page
    for chapter in ("utdanning", "samferdsel", "tannhelse"):
        assert f'id="{chapter}"' in page
    # the synthetic 12971 answer has Nordland 2024 suppressed: the report says so, no number
    assert "i Nordland i 2024 kan ikke sammenlignes med landet: vises ikke av " in page
