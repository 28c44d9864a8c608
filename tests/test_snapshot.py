"""The snapshot store: manifest, sha256 checks, tidy loaders, live loaders and ``kg fetch``."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fakessb import Fail, FakeClock, FakeSSB, Slow
from kunnskapsgrunnlag import cli, paths
from kunnskapsgrunnlag.data import snapshot
from kunnskapsgrunnlag.data.client import SSBClient
from kunnskapsgrunnlag.data.fetch import fetch_cli
from kunnskapsgrunnlag.data.query import CELL_LIMIT, Query
from kunnskapsgrunnlag.regions import COUNTIES

pytestmark = pytest.mark.filterwarnings("error")

IDS = [
    "07459-kommuner-2019",
    "07459-kommuner-2020",
    "07459-kommuner-2021",
    "07459-kommuner-2022",
    "07459-kommuner-2022-jsonstat",
    "07459-fylker-2023-2025",
    "12163-fylker",
    "ssb-andre-fylkesindikatorer",
    "14288-framskriving",
    "11713-fylkesfordelt",
    "07459-b2024-fylker",
    "07459-b2024-kommuner-2026",
    "07459-b2024-kommuner-aldersgrupper",
    "14288-fylker-2050",
    "14746-framskriving",
    "mdir-klimagassutslipp-telemark",
    "14288-telemark-kommuner",
    "14746-telemark-kommuner",
    "udir-grunnskolepoeng",
    "udir-sluttet-vgo",
    "imdi-utdanningsniva-kommuner",
]
OTHER_PRODUCERS = {
    "udir-grunnskolepoeng": "Kilde: Utdanningsdirektoratet",
    "udir-sluttet-vgo": "Kilde: Utdanningsdirektoratet",
    "imdi-utdanningsniva-kommuner": "Kilde: IMDi / SSB",
}
"""Sources that are not SSB PxWebApi tables: their own credit, NLOD 2.0, no live query."""
LIVE_ONLY = ("14288-framskriving", "14746-framskriving")
BUNDLED = [s for s in IDS if s not in LIVE_ONLY]
NAV_IDS = ["nav-ledighet", "nav-nedsatt-arbeidsevne"]
"""Not SSB tables: NAV's monthly statistics, refreshed by `kg import-nav`, read from the snapshot."""
NOT_SSB = {"mdir-klimagassutslipp-telemark": ("NLOD 2.0", "Kilde: Miljødirektoratet")}
FILE_ONLY = {
    *NOT_SSB,
    "14288-telemark-kommuner",
    "14746-telemark-kommuner",
    *OTHER_PRODUCERS,
}
"""Bundled files without an API query: a live run reads the file too."""


@pytest.fixture(scope="module")
def server():
    with FakeSSB() as srv:
        yield srv


@pytest.fixture
def fake(server: FakeSSB) -> FakeSSB:
    server.reset()
    yield server
    server.reset()


@pytest.fixture(scope="module")
def live_client(server: FakeSSB, tmp_path_factory: pytest.TempPathFactory) -> SSBClient:
    clock = FakeClock()
    return SSBClient(
        base_url=server.base_url,
        cache_dir=tmp_path_factory.mktemp("cache"),
        clock=clock,
        sleep=clock.sleep,
    )


@pytest.fixture
def snap(tmp_path: Path) -> Path:
    """A private copy of the bundled snapshot (fetch tests write here, never to data/)."""
    target = tmp_path / "snapshot"
    shutil.copytree(paths.SNAPSHOT, target, ignore=shutil.ignore_patterns("fetched"))
    return target


def tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_manifest_has_every_source_with_provenance() -> None:
    assert snapshot.source_ids() == IDS + NAV_IDS
    for sid in NAV_IDS:
        e = snapshot.source_info(sid)
        assert (e["licence"], e["credit"], e["live"], e["queries"]) == (
            "NLOD 2.0", "Kilde: NAV", "snapshot", []
        )  # fmt: skip
        assert (
            e["status"] == "ok" and e["files"] and e["origin"]["repository"] == "evensrii/Telemark"
        )
    for sid in IDS:
        e = snapshot.source_info(sid)
        for key in (
            "status",
            "kind",
            "table",
            "title",
            "queries",
            "files",
            "origin",
            "retrieved",
            "licence",
            "credit",
        ):
            assert key in e, (sid, key)
        if sid in OTHER_PRODUCERS:
            assert e["licence"] == "NLOD 2.0" and e["credit"] == OTHER_PRODUCERS[sid]
            assert (
                e["table"] is None and e["queries"] == [] and "Not an SSB PxWebApi" in e["refresh"]
            )
        else:
            licence, credit = NOT_SSB.get(sid, ("CC BY 4.0", "Kilde: Statistisk sentralbyrå (SSB)"))
            assert e["licence"] == licence and e["credit"].startswith(credit)
            assert bool(e["queries"]) or sid in FILE_ONLY or e["status"] != "ok"
        for q in e["queries"]:
            query = Query.from_dict(q)
            cells = query.cells()
            assert cells is None or cells <= CELL_LIMIT
        if sid in BUNDLED:
            assert e["status"] == "ok" and e["files"] and e["origin"]["repository"]
    live_only = snapshot.source_info("14288-framskriving")
    assert live_only["status"] == "not_in_snapshot" and live_only["files"] == []


def test_every_bundled_file_matches_its_sha256() -> None:
    checked = snapshot.verify()
    assert len(checked) == 19 + len(NAV_IDS)
    manifest_sha = {
        f["path"]: f["sha256"] for sid in BUNDLED for f in snapshot.source_info(sid)["files"]
    }
    # the manifest agrees with the sha256 recorded in SOURCE.md where SOURCE.md has one
    assert manifest_sha["ssb-07459-fylker-2023-2025/Norway_input.csv"].startswith("0e257dc53f4e")
    assert manifest_sha[
        "ssb-07459-kommuner-2019-2022/07459-befolkning-kommune-alder-2019.csv"
    ].startswith("1f834b0cc581")
    assert manifest_sha["mdir-klimagassutslipp-telemark/klimagassutslipp_telemark.csv"].startswith(
        "96ac28e92890"
    )


def test_snapshot_date_and_refresh_list() -> None:
    assert snapshot.snapshot_date() == date(2026, 9, 17)
    assert snapshot.needs_refresh() == list(LIVE_ONLY)


def test_unknown_source_lists_known_ones() -> None:
    with pytest.raises(
        snapshot.SnapshotError, match="unknown snapshot source 'nope'; known: 07459-kommuner-2019"
    ):
        snapshot.load("nope")


def test_live_only_source_says_it_needs_a_refresh() -> None:
    with pytest.raises(snapshot.NotInSnapshotError, match="kg fetch --source 14288-framskriving"):
        snapshot.load("14288-framskriving")


# --------------------------------------------------------------------------------------------
# Tidy shapes and the figures of SOURCE.md
# --------------------------------------------------------------------------------------------

MUNICIPAL_COLUMNS = ["region", "region_name", "year", "sex", "age", "value", "status"]


def test_municipal_2019_names_from_klass() -> None:
    df = snapshot.load("07459-kommuner-2019")
    assert list(df.columns) == MUNICIPAL_COLUMNS
    assert df.attrs["source_id"] == "07459-kommuner-2019"
    assert df["value"].sum() == 5_328_212
    assert df["region"].nunique() == 422 and "1567" not in set(df["region"])
    assert df["sex"].isna().all() and df["status"].isna().all()
    assert set(df["age"]) == set(range(106))
    names = df.drop_duplicates("region").set_index("region")["region_name"]
    assert names["2030"] == "Sør-Varanger"
    assert not names.str.contains("\ufffd").any()
    assert df.loc[df["region"] == "0301", "value"].sum() == 681_071


@pytest.mark.parametrize(
    ("year", "total", "males", "oslo"),
    [
        (2020, 5_367_580, 2_706_562, 693_494),
        (2021, 5_391_369, 2_719_259, 697_010),
        (2022, 5_425_270, 2_737_332, 699_827),
    ],
)
def test_municipal_by_sex(year: int, total: int, males: int, oslo: int) -> None:
    df = snapshot.load(f"07459-kommuner-{year}")
    assert list(df.columns) == MUNICIPAL_COLUMNS
    assert len(df) == 359 * 2 * 106
    assert df["value"].sum() == total
    assert df.loc[df["sex"] == "1", "value"].sum() == males
    assert df.loc[df["region"] == "0301", "value"].sum() == oslo
    assert set(df["sex"]) == {"1", "2"} and df["age"].max() == 105
    specials = df[df["region"].isin(["21-22", "23", "Rest"])]
    assert specials["region"].nunique() == 3 and (specials["value"] == 0).all()
    assert df.loc[df["region"] == "21-22", "region_name"].iloc[0] == "Svalbard og Jan Mayen"
    assert df.loc[df["region"] == "3001", "region_name"].iloc[0] == "Halden"
    assert df["region"].str.fullmatch(r"\d{4}|21-22|23|Rest").all()


def test_jsonstat_2022_equals_csv_2022_summed() -> None:
    js = snapshot.load("07459-kommuner-2022-jsonstat")
    assert list(js.columns) == ["region", "region_name", "year", "value", "status"]
    csv = snapshot.load("07459-kommuner-2022").groupby("region")["value"].sum()
    merged = js.set_index("region")["value"]
    pd.testing.assert_series_equal(merged.sort_index(), csv.sort_index(), check_names=False)


def test_county_2023_2025() -> None:
    df = snapshot.load("07459-fylker-2023-2025")
    assert list(df.columns) == [
        "region",
        "region_name",
        "year",
        "sex",
        "age_group",
        "value",
        "status",
    ]
    assert set(df["region"]) == {"0", *COUNTIES}
    assert df.loc[df["region"] == "46", "region_name"].iloc[0] == "Vestland"
    groups = list(dict.fromkeys(df["age_group"]))
    assert groups == [f"{a}-{a + 9}" for a in range(0, 100, 10)] + ["100+"]
    totals = df[df["region"] == "0"].groupby("year")["value"].sum()
    assert totals.to_dict() == {2023: 5_488_984, 2024: 5_550_203, 2025: 5_594_340}
    counties = df[df["region"] != "0"].groupby(["year", "sex", "age_group"])["value"].sum()
    country = df[df["region"] == "0"].set_index(["year", "sex", "age_group"])["value"]
    pd.testing.assert_series_equal(counties.sort_index(), country.sort_index(), check_names=False)
    assert df.loc[(df["region"] == "03") & (df["year"] == 2024), "value"].sum() == 717_710


def test_kostra_12163() -> None:
    df = snapshot.load("12163-fylker")
    assert list(df.columns) == [
        "region",
        "region_name",
        "county",
        "function",
        "function_name",
        "year",
        "value",
        "status",
        "unit",
    ]
    assert len(df) == 475
    assert set(df["unit"]) == {"kr per innbygger"} and df.attrs["unit"] == "kr per innbygger"
    assert df.loc[df["region"] == "EAFKUO", "county"].isna().all()
    assert df.loc[df["region"] == "0300", "county"].eq("03").all()
    assert set(df["county"].dropna()) == set(COUNTIES)
    assert df.loc[df["region"] == "3100", "year"].min() == 2024


def test_loads_are_independent_copies() -> None:
    a = snapshot.load("12163-fylker")
    a.loc[0, "value"] = -1.0
    a["region"] = "x"
    b = snapshot.load("12163-fylker")
    assert b.loc[0, "value"] != -1.0 and b.loc[0, "region"] == "0300"


def test_edited_snapshot_file_is_named(snap: Path) -> None:
    target = snap / "ssb-07459-kommuner-2019-2022" / "07459-befolkning-kommune-kjonn-alder-2021.csv"
    target.write_bytes(target.read_bytes().replace(b";134\n", b";135\n", 1))
    with pytest.raises(
        snapshot.SnapshotIntegrityError,
        match="07459-befolkning-kommune-kjonn-alder-2021.csv .*was changed",
    ):
        snapshot.load("07459-kommuner-2021", snapshot_dir=snap)
    (
        snap / "ssb-12163-kostra-fylker" / "kostra-12163-netto-driftsutgifter-per-innbygger.csv"
    ).unlink()
    with pytest.raises(
        snapshot.SnapshotIntegrityError,
        match="kostra-12163-netto-driftsutgifter-per-innbygger.csv .*missing",
    ):
        snapshot.load("12163-fylker", snapshot_dir=snap)


# --------------------------------------------------------------------------------------------
# Live: the same tidy shape through the client
# --------------------------------------------------------------------------------------------


# 2020 and 2021 take the same code path as 2022 (the batch test in test_ssb_client loads them live);
# ssb-andre-fylkesindikatorer: the fake's 12971 is synthetic and its 09280 has a year the bundled
# file lacks (tests/test_county_indicators_live.py compares the rest cell by cell);
# 14288-fylker-2050: the fake server's 14288 is synthetic (no real full answer is bundled)
@pytest.mark.parametrize(
    "sid",
    [
        s
        for s in BUNDLED
        if s
        not in (
            "07459-kommuner-2020",
            "07459-kommuner-2021",
            "ssb-andre-fylkesindikatorer",
            "14288-fylker-2050",
        )
        and s not in FILE_ONLY
    ],
)
def test_live_equals_snapshot(sid: str, live_client: SSBClient) -> None:
    live = snapshot.load(sid, "live", client=live_client)
    bundled = snapshot.load(sid)
    assert live.attrs["data_source"] == "live" and live.attrs["source_id"] == sid
    if sid == "12163-fylker":
        # SSB answers the cells the snapshot lacks (counties before they existed) with "."
        assert set(live["status"].dropna()) == {"."}
        assert live.loc[live["status"].notna(), "value"].isna().all()
        live = live[live["status"].isna()].reset_index(drop=True)
    pd.testing.assert_frame_equal(live, bundled)


def test_a_source_without_an_api_is_the_bundled_file_also_in_a_live_run(
    live_client: SSBClient,
) -> None:
    before = live_client.requests_sent
    live = snapshot.load("mdir-klimagassutslipp-telemark", "live", client=live_client)
    assert live_client.requests_sent == before
    assert live.attrs["data_source"] == "snapshot"  # says truthfully where it came from
    pd.testing.assert_frame_equal(live, snapshot.load("mdir-klimagassutslipp-telemark"))


@pytest.mark.parametrize("sid", ["14288-framskriving", "14746-framskriving", "14288-fylker-2050"])
def test_live_projection_shape(sid: str, live_client: SSBClient) -> None:
    df = snapshot.load(sid, "live", client=live_client)
    assert list(df.columns) == [
        "region", "region_name", "table", "alternative", "year", "sex", "age_group", "value",
        "status",
    ]  # fmt: skip
    assert set(df["region"]) >= set(COUNTIES)
    assert np.isfinite(df["value"]).all()
    if sid == "14746-framskriving":  # plain codes, three alternatives, single years 0–105+
        assert set(df["alternative"]) == {"MMMM", "LLML", "HHMH"}
        assert {"0-0", "104-104", "105+"} <= set(df["age_group"])


def test_live_07459_aggregations_strip_prefixes(live_client: SSBClient) -> None:
    """agg_KommFylker answers F-03 … F-56, agg_KommSummer K-xxxx: the tidy frame has plain codes."""
    raw_f = live_client.get_table(
        Query.from_dict(snapshot.source_info("07459-b2024-fylker")["queries"][1])
    )
    assert set(raw_f["Region"]) == {f"F-{c}" for c in COUNTIES}
    raw_k = live_client.get_table(
        Query.from_dict(snapshot.source_info("07459-b2024-kommuner-2026")["queries"][0])
    )
    assert raw_k["Region"].str.match(r"^K-\d{4}$").all() and raw_k["Region"].nunique() == 357
    counties = snapshot.load("07459-b2024-fylker", "live", client=live_client)
    assert set(counties["region"]) == {"0", *COUNTIES}
    mun = snapshot.load("07459-b2024-kommuner-2026", "live", client=live_client)
    assert mun["region"].str.fullmatch(r"\d{4}").all() and mun["region"].nunique() == 357
    assert mun.loc[mun["region"] == "4036", "region_name"].iloc[0] == "Vinje"


# --------------------------------------------------------------------------------------------
# kg fetch
# --------------------------------------------------------------------------------------------


def fake_client(fake: FakeSSB, tmp_path: Path, **kw) -> SSBClient:
    clock = FakeClock()
    return SSBClient(
        base_url=fake.base_url, cache_dir=tmp_path / "cache", clock=clock, sleep=clock.sleep, **kw
    )


def test_fetch_dry_run_sends_and_writes_nothing(fake: FakeSSB, snap: Path, tmp_path: Path) -> None:
    before = tree(snap)
    out = io.StringIO()
    rc = fetch_cli(
        None, True, None, snapshot_dir=snap, client=fake_client(fake, tmp_path), stdout=out
    )
    assert rc == 0
    text = out.getvalue()
    assert (
        "GET " in text
        and "/tables/07459/data?lang=no&outputFormat=json-stat2&valueCodes[Region]=*" in text
    )
    assert "14288-framskriving" in text and "nothing was fetched" in text
    assert fake.requests == [] and tree(snap) == before


def test_fetch_refreshes_the_snapshot(fake: FakeSSB, snap: Path, tmp_path: Path) -> None:
    ids = ["07459-kommuner-2022-jsonstat", "07459-fylker-2023-2025", "14288-framskriving"]
    originals = {k: v for k, v in tree(snap).items() if k != "manifest.json"}
    client = fake_client(fake, tmp_path)
    out, err = io.StringIO(), io.StringIO()
    rc = fetch_cli(
        ids,
        False,
        None,
        snapshot_dir=snap,
        client=client,
        today=date(2026, 11, 23),
        stdout=out,
        stderr=err,
    )
    assert rc == 0, err.getvalue()
    assert fake.request_count == 4  # one request per query, no more
    after = tree(snap)
    assert all(after[k] == v for k, v in originals.items())  # bundled originals untouched
    fetched = sorted(k for k in after if k.startswith("fetched/"))
    assert len(fetched) == 4
    assert snapshot.needs_refresh(snap) == ["14746-framskriving"]  # not among the ids
    assert snapshot.snapshot_date(snap) == date(2026, 11, 23)
    for sid in ids:
        e = snapshot.source_info(sid, snap)
        assert e["status"] == "ok" and e["format"] == "jsonstat2" and e["retrieved"] == "2026-11-23"
        for f in e["files"]:
            assert after[f["path"]] == f["sha256"]
        assert e["origin"]["requests"][0]["url"].startswith(fake.base_url)
    assert (
        snapshot.source_info("07459-fylker-2023-2025", snap)["history"][0]["format"]
        == "datacommons-csv"
    )
    snapshot.verify(snapshot_dir=snap)
    # the refreshed files load to the same tidy shape as before
    pd.testing.assert_frame_equal(
        snapshot.load("07459-fylker-2023-2025", snapshot_dir=snap),
        snapshot.load("07459-fylker-2023-2025"),
    )
    proj = snapshot.load("14288-framskriving", snapshot_dir=snap)
    assert proj.attrs["data_source"] == "snapshot" and len(proj) > 0
    # fetching again with identical answers reuses the same files
    rc = fetch_cli(
        ids,
        False,
        None,
        snapshot_dir=snap,
        client=client,
        today=date(2026, 11, 23),
        stdout=out,
        stderr=err,
    )
    assert rc == 0
    assert sorted(k for k in tree(snap) if k.startswith("fetched/")) == fetched


def test_fetch_offline_fails_cleanly(
    snap: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_CACHE", str(tmp_path / "cache"))
    before = tree(snap)
    rc = fetch_cli(
        ["12163-fylker"], False, "http://kg-offline.invalid/api/pxwebapi/v2", snapshot_dir=snap
    )
    assert rc == 1
    captured = capsys.readouterr()
    assert "kg-offline.invalid" in captured.err and "snapshot is unchanged" in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert tree(snap) == before


def test_fetch_failure_halfway_changes_nothing(fake: FakeSSB, snap: Path, tmp_path: Path) -> None:
    before = tree(snap)
    fake.enqueue(Slow(0), Fail(503), Fail(503), Fail(503))
    err = io.StringIO()
    client = fake_client(fake, tmp_path, max_retries=2)
    rc = fetch_cli(
        ["07459-kommuner-2022-jsonstat", "12163-fylker"],
        False,
        None,
        snapshot_dir=snap,
        client=client,
        stderr=err,
        stdout=io.StringIO(),
    )
    assert rc == 1
    assert "503" in err.getvalue() and "12163" in err.getvalue() and "unchanged" in err.getvalue()
    assert tree(snap) == before


def test_fetch_unknown_source(snap: Path) -> None:
    err = io.StringIO()
    assert fetch_cli(["nope"], False, None, snapshot_dir=snap, stderr=err) == 2
    assert "unknown source id(s) nope" in err.getvalue()


def test_cli_fetch_dry_run(capsys: pytest.CaptureFixture[str]) -> None:
    before = json.loads((paths.SNAPSHOT / "manifest.json").read_text(encoding="utf-8"))
    assert cli.main(["fetch", "--dry-run", "--source", "12163-fylker"]) == 0
    out = capsys.readouterr().out
    assert "/tables/12163/data?" in out and "valueCodes[KOKfylkesregion0000]=0300,1100" in out
    assert json.loads((paths.SNAPSHOT / "manifest.json").read_text(encoding="utf-8")) == before
