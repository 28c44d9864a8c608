"""SSBClient against the local fake SSB server (tests/fakessb.py): no request leaves 127.0.0.1."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fakessb import BadJSONStat, Corrupt, Fail, FakeClock, FakeSSB, Hangup, Slow
from kunnskapsgrunnlag.data import (
    JSONStatError,
    Query,
    SSBCellLimitError,
    SSBClient,
    SSBConnectionError,
    SSBNotFoundError,
    SSBQueryError,
    SSBRateLimitError,
    SSBResponseError,
    SSBTimeoutError,
    SSBUnavailableError,
    Throttle,
    V1Query,
    default_base_url,
    read_jsonstat,
    snapshot,
)
from kunnskapsgrunnlag.regions import COUNTIES

pytestmark = pytest.mark.filterwarnings("error")

ROOT = Path(__file__).resolve().parents[1]
F07221 = (
    ROOT
    / "tests"
    / "fixtures"
    / "jsonstat"
    / "ssb-jsonstat-pxwebpy"
    / "07221-boligprisindeks-response.json"
)
F07459 = (
    ROOT / "data" / "snapshot" / "ssb-07459-jsonstat-2022" / "07459-befolkning-kommuner-2022.json"
)
V1_BODY = ROOT / "data" / "snapshot" / "ssb-07459-jsonstat-2022" / "07459-query-body.json"


@pytest.fixture(scope="module")
def server():
    with FakeSSB() as srv:
        yield srv


@pytest.fixture
def fake(server: FakeSSB) -> FakeSSB:
    server.reset()
    server.max_cells = 800_000
    yield server
    server.reset()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make_client(fake: FakeSSB, cache: Path | None, clock: FakeClock, **kw) -> SSBClient:
    kw.setdefault("timeout", (2.0, 5.0))
    kw.setdefault("max_retries", 3)
    kw.setdefault("backoff", 2.0)
    return SSBClient(base_url=fake.base_url, cache_dir=cache, clock=clock, sleep=clock.sleep, **kw)


def q07221(*regions: str) -> Query:
    return Query.from_dict(
        {
            "table": "07221",
            "selection": [
                {"variableCode": "Region", "valueCodes": list(regions) or ["*"]},
                {"variableCode": "Boligtype", "valueCodes": ["*"]},
                {"variableCode": "ContentsCode", "valueCodes": ["Boligindeks"]},
                {"variableCode": "Tid", "valueCodes": ["from(2022K1)"]},
            ],
        }
    )


def cache_files(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*") if p.is_file() and p.name != ".lock")


# --------------------------------------------------------------------------------------------
# Requests, GET/POST, caching
# --------------------------------------------------------------------------------------------


def test_get_url_shape_and_decoding(fake: FakeSSB, tmp_path: Path, clock: FakeClock) -> None:
    client = make_client(fake, tmp_path, clock)
    query = Query.from_dict(
        {
            "table": "07459",
            "selection": [
                {"variableCode": "Region", "codelist": "vs_Kommun", "valueCodes": ["*"]},
                {"variableCode": "ContentsCode", "valueCodes": ["Personer1"]},
                {"variableCode": "Tid", "valueCodes": ["2022"]},
            ],
        }
    )
    req = client.request_for(query)
    assert req.method == "GET"
    assert "valueCodes[Region]=*" in req.url and "codelist[Region]=vs_Kommun" in req.url
    assert "outputFormat=json-stat2" in req.url and "lang=no" in req.url
    df = client.get_table(query)
    pd.testing.assert_frame_equal(df, read_jsonstat(F07459), check_like=True)
    assert client.requests_sent == 1 and fake.request_count == 1
    assert fake.requests[0].method == "GET"


def test_long_selection_goes_as_post(fake: FakeSSB, tmp_path: Path, clock: FakeClock) -> None:
    client = make_client(fake, tmp_path, clock)
    codes = [f"K-{3000 + i:04d}" for i in range(400)]
    query = Query.from_dict(
        {
            "table": "07459",
            "selection": [
                {
                    "variableCode": "Region",
                    "codelist": "agg_KommSummer",
                    "valueCodes": codes,
                    "outputValues": "aggregated",
                },
                {"variableCode": "ContentsCode", "valueCodes": ["Personer1"]},
                {"variableCode": "Tid", "valueCodes": ["2022"]},
            ],
        }
    )
    req = client.request_for(query)
    assert req.method == "POST" and len(req.url) < 200
    assert "outputValues[Region]=aggregated" in req.url
    client.get_table(query)
    sent = fake.requests[-1]
    assert sent.method == "POST"
    body = json.loads(sent.body)
    assert body["selection"][0] == {
        "variableCode": "Region",
        "valueCodes": codes,
        "codelist": "agg_KommSummer",
    }


def test_memo_and_disk_cache(fake: FakeSSB, tmp_path: Path, clock: FakeClock) -> None:
    client = make_client(fake, tmp_path, clock)
    first = client.get_table(q07221())
    first.loc[0, "value"] = -1.0  # callers get copies
    again = client.get_table(q07221())
    assert again.loc[0, "value"] != -1.0
    assert fake.request_count == 1
    # a second client (another process of the batch) finds the answer on disk
    other = make_client(fake, tmp_path, clock)
    pd.testing.assert_frame_equal(other.get_table(q07221()), again)
    assert fake.request_count == 1 and other.requests_sent == 0 and other.cache_hits == 1
    # refresh bypasses both
    other.get_table(q07221(), refresh=True)
    assert fake.request_count == 2
    files = cache_files(tmp_path)
    assert [p.name.endswith(".json") for p in files] == [True, True]
    meta = json.loads(next(p for p in files if p.name.endswith(".meta.json")).read_text())
    assert meta["table"] == "07221" and meta["method"] == "GET"


def test_damaged_cache_file_is_fetched_again(
    fake: FakeSSB, tmp_path: Path, clock: FakeClock
) -> None:
    make_client(fake, tmp_path, clock).get_table(q07221())
    body = next(p for p in cache_files(tmp_path) if not p.name.endswith(".meta.json"))
    body.write_bytes(body.read_bytes()[:100])
    make_client(fake, tmp_path, clock).get_table(q07221())
    assert fake.request_count == 2
    json.loads(body.read_bytes())


def test_kg_cache_env_is_honoured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KG_CACHE", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("KG_SSB_BASE_URL", "http://127.0.0.1:9/api/pxwebapi/v2")
    client = SSBClient(base_url=default_base_url())
    assert Path(client.cache_dir) == tmp_path / "elsewhere"
    assert client.base_url == "http://127.0.0.1:9/api/pxwebapi/v2"
    assert client.v1_base_url == "http://127.0.0.1:9/api/v0"


def test_saved_v1_query(fake: FakeSSB, tmp_path: Path, clock: FakeClock) -> None:
    client = make_client(fake, tmp_path, clock)
    query = V1Query.from_saved(V1_BODY)
    assert query.table == "07459" and query.lang == "no"
    assert query.body()["response"]["format"] == "json-stat2"
    df = client.get_table(query)
    pd.testing.assert_frame_equal(df, read_jsonstat(F07459), check_like=True)
    sent = fake.requests[-1]
    assert (sent.method, sent.path) == ("POST", "/api/v0/no/table/07459")
    assert json.loads(sent.body)["query"][0]["selection"]["filter"] == "agg:KommSummer"


# --------------------------------------------------------------------------------------------
# Throttle, retries, timeouts
# --------------------------------------------------------------------------------------------


def max_in_window(stamps: list[float], window: float = 60.0) -> int:
    return max(sum(1 for t in stamps if start <= t < start + window) for start in stamps)


def test_throttle_sliding_window_unit(clock: FakeClock) -> None:
    throttle = Throttle(clock=clock, sleep=clock.sleep)
    for _ in range(100):
        throttle.acquire()
    assert len(throttle.history) == 100
    assert max_in_window(throttle.history) <= 29 < 30
    assert clock.now - 1000.0 >= 180.0  # three full windows had to pass


def test_throttle_holds_for_a_batch_against_the_server(fake: FakeSSB, clock: FakeClock) -> None:
    client = make_client(fake, None, clock)
    regions = ["TOTAL", "001", "002", "003", "004", "005", "006", "007", "008", "009", "010", "011"]
    queries = (
        [q07221(a, b) for a in regions for b in regions if a < b] + [q07221(a) for a in regions]
    )[:70]
    for q in queries:
        client.get_table(q)
    assert fake.request_count == 70 == client.requests_sent
    assert max_in_window(client.throttle.history) < 30
    assert sum(clock.sleeps) >= 120.0


def test_429_with_retry_after_then_success(fake: FakeSSB, tmp_path: Path, clock: FakeClock) -> None:
    fake.enqueue(Fail(429, "Too many requests", headers={"Retry-After": "7"}))
    client = make_client(fake, tmp_path, clock)
    df = client.get_table(q07221())
    assert len(df) == 288
    assert clock.sleeps == [7.0]
    assert client.requests_sent == 2 == fake.request_count


def test_429_forever_gives_up(fake: FakeSSB, tmp_path: Path, clock: FakeClock) -> None:
    fake.enqueue(*[Fail(429) for _ in range(4)])
    client = make_client(fake, tmp_path, clock, max_retries=3)
    with pytest.raises(SSBRateLimitError, match="30 requests per 60 s"):
        client.get_table(q07221())
    assert fake.request_count == 4
    assert cache_files(tmp_path) == []


def test_503_then_success_with_backoff(fake: FakeSSB, tmp_path: Path, clock: FakeClock) -> None:
    fake.enqueue(Fail(503, "Service unavailable"), Fail(503))
    client = make_client(fake, tmp_path, clock, backoff=1.5)
    client.get_table(q07221())
    assert clock.sleeps == [1.5, 3.0]
    assert fake.request_count == 3


def test_503_forever(fake: FakeSSB, tmp_path: Path, clock: FakeClock) -> None:
    fake.enqueue(*[Fail(503) for _ in range(3)])
    client = make_client(fake, tmp_path, clock, max_retries=2)
    with pytest.raises(SSBUnavailableError, match="503"):
        client.get_table(q07221())
    assert fake.request_count == 3 and cache_files(tmp_path) == []


def test_timeout_then_success(fake: FakeSSB, tmp_path: Path, clock: FakeClock) -> None:
    fake.enqueue(Slow(1.5))
    client = make_client(fake, tmp_path, clock, timeout=(2.0, 0.3))
    assert len(client.get_table(q07221())) == 288
    assert client.requests_sent == 2 and len(clock.sleeps) == 1


def test_timeout_every_time(fake: FakeSSB, tmp_path: Path, clock: FakeClock) -> None:
    fake.enqueue(Slow(1.0), Slow(1.0))
    client = make_client(fake, tmp_path, clock, timeout=(2.0, 0.2), max_retries=1)
    with pytest.raises(SSBTimeoutError, match="07221"):
        client.get_table(q07221())
    assert client.requests_sent == 2 and cache_files(tmp_path) == []


def test_dropped_connection_is_retried(fake: FakeSSB, tmp_path: Path, clock: FakeClock) -> None:
    fake.enqueue(Hangup())
    client = make_client(fake, tmp_path, clock)
    assert len(client.get_table(q07221())) == 288
    assert client.requests_sent == 2


def test_refused_connection_gives_up_after_retries(tmp_path: Path, clock: FakeClock) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = SSBClient(
        base_url=f"http://127.0.0.1:{port}/api/pxwebapi/v2",
        cache_dir=tmp_path,
        clock=clock,
        sleep=clock.sleep,
        max_retries=2,
    )
    with pytest.raises(SSBConnectionError, match=r"cannot reach SSB at 127\.0\.0\.1"):
        client.get_table(q07221())
    assert client.requests_sent == 3


def test_unknown_host_fails_fast(tmp_path: Path, clock: FakeClock) -> None:
    client = SSBClient(
        base_url="http://kg-test-offline.invalid/api/pxwebapi/v2",
        cache_dir=tmp_path,
        clock=clock,
        sleep=clock.sleep,
    )
    with pytest.raises(SSBConnectionError, match="kg-test-offline.invalid"):
        client.get_table(q07221())
    assert client.requests_sent == 1 and clock.sleeps == []


# --------------------------------------------------------------------------------------------
# Bad answers and client errors: clear messages, nothing cached
# --------------------------------------------------------------------------------------------


def test_corrupt_json_is_not_cached(fake: FakeSSB, tmp_path: Path, clock: FakeClock) -> None:
    fake.enqueue(Corrupt())
    client = make_client(fake, tmp_path, clock)
    with pytest.raises(SSBResponseError, match="corrupt or truncated.*07221.*Nothing was cached"):
        client.get_table(q07221())
    assert cache_files(tmp_path) == []
    assert not list(tmp_path.rglob("*.tmp"))
    assert len(client.get_table(q07221())) == 288  # the next try works and is cached
    assert len(cache_files(tmp_path)) == 2


def test_invalid_jsonstat_is_not_cached(fake: FakeSSB, tmp_path: Path, clock: FakeClock) -> None:
    fake.enqueue(BadJSONStat())
    client = make_client(fake, tmp_path, clock)
    with pytest.raises(JSONStatError, match="not usable JSON-stat"):
        client.get_table(q07221())
    assert cache_files(tmp_path) == []


def test_403_cell_limit_names_the_query_size(
    fake: FakeSSB, tmp_path: Path, clock: FakeClock
) -> None:
    fake.enqueue(Fail(403, "Too many cells selected"))
    client = make_client(fake, tmp_path, clock)
    query = Query.from_dict(
        {
            "table": "07221",
            "selection": [
                {"variableCode": "Region", "valueCodes": ["TOTAL", "001", "002"]},
                {"variableCode": "Boligtype", "valueCodes": ["01", "02"]},
                {"variableCode": "Tid", "valueCodes": ["2023K1"]},
            ],
        }
    )
    with pytest.raises(SSBCellLimitError) as info:
        client.get_table(query)
    msg = str(info.value)
    assert "800 000" in msg and "07221" in msg
    assert "Region 3 × Boligtype 2 × Tid 1 = 6 cells" in msg
    assert client.requests_sent == 1 and cache_files(tmp_path) == []


def test_cell_limit_from_the_server(fake: FakeSSB, tmp_path: Path, clock: FakeClock) -> None:
    fake.max_cells = 100
    client = make_client(fake, tmp_path, clock)
    with pytest.raises(SSBCellLimitError, match=r"Region \? \(\*\)"):
        client.get_table(q07221())
    assert fake.request_count == 1


def test_400_names_variable_and_value(fake: FakeSSB, tmp_path: Path, clock: FakeClock) -> None:
    client = make_client(fake, tmp_path, clock)
    with pytest.raises(SSBQueryError) as info:
        client.get_table(q07221("001", "999"))
    err = info.value
    assert (err.table, err.variable, err.value, err.status_code) == ("07221", "Region", "999", 400)
    assert "table 07221" in str(err) and "variable 'Region' has no value '999'" in str(err)
    kinds = [r.kind for r in fake.requests]
    assert kinds == ["data", "metadata"]  # one metadata request to find the culprit, no retry
    assert cache_files(tmp_path) == []


def test_400_unknown_variable(fake: FakeSSB, tmp_path: Path, clock: FakeClock) -> None:
    client = make_client(fake, tmp_path, clock)
    query = Query.from_dict(
        {"table": "07221", "selection": [{"variableCode": "Fylke", "valueCodes": ["46"]}]}
    )
    with pytest.raises(
        SSBQueryError, match="variable 'Fylke' does not exist in table 07221"
    ) as info:
        client.get_table(query)
    assert info.value.variable == "Fylke"


def test_400_problem_detail_names_the_value(
    fake: FakeSSB, tmp_path: Path, clock: FakeClock
) -> None:
    body = json.dumps(
        {"title": "Non-existent value", "status": 400, "detail": "Value K-9999 not found"}
    ).encode()
    fake.enqueue(Fail(400, body=body))
    client = make_client(fake, tmp_path, clock, diagnose=False)
    query = Query.from_dict(
        {
            "table": "07459",
            "selection": [
                {
                    "variableCode": "Region",
                    "codelist": "agg_KommSummer",
                    "valueCodes": ["K-3103", "K-9999"],
                },
                {"variableCode": "Tid", "valueCodes": ["2022"]},
            ],
        }
    )
    with pytest.raises(SSBQueryError, match="variable 'Region' has no value 'K-9999'"):
        client.get_table(query)
    assert fake.request_count == 1


def test_404_names_the_table(fake: FakeSSB, tmp_path: Path, clock: FakeClock) -> None:
    client = make_client(fake, tmp_path, clock)
    query = Query.from_dict(
        {"table": "99999", "selection": [{"variableCode": "Tid", "valueCodes": ["2024"]}]}
    )
    with pytest.raises(SSBNotFoundError, match="SSB table 99999 was not found"):
        client.get_table(query)
    assert client.requests_sent == 1 and cache_files(tmp_path) == []


# --------------------------------------------------------------------------------------------
# A full live batch: 15 counties, one request per distinct table query
# --------------------------------------------------------------------------------------------


def test_live_batch_for_all_counties_sends_each_query_once(
    fake: FakeSSB, tmp_path: Path, clock: FakeClock
) -> None:
    client = make_client(fake, tmp_path, clock)
    sources = snapshot.live_sources()
    distinct = {
        json.dumps(q, sort_keys=True)
        for sid in sources
        for q in snapshot.source_info(sid)["queries"]
    }
    sliced = {}
    county_of: dict[str, np.ndarray] = {}
    for code in COUNTIES:
        for sid in sources:
            df = snapshot.load(sid, "live", client=client)
            if sid not in county_of:  # where each row belongs (computed once per table)
                if "county" in df.columns:
                    where = df["county"]
                elif sid.startswith("07459-kommuner"):
                    where = df["region"].map({r: r[:2] for r in df["region"].unique()})
                else:
                    where = df["region"]
                county_of[sid] = where.to_numpy(dtype=object)
            sliced[(code, sid)] = len(df[county_of[sid] == code])
        for sid in sources:  # the raw tables too: memoised per query
            for q in snapshot.source_info(sid)["queries"]:
                client.get_table(q)
    assert (
        fake.request_count == len(distinct) == 22
    )  # 9 + 07459 on 2024 borders (4), 14288 counties, 14746, 11713, county indicators (6)
    assert fake.distinct_queries == len(distinct)
    assert client.requests_sent == len(distinct)
    assert sliced[("46", "07459-fylker-2023-2025")] == 2 * 11 * 3
    assert sliced[("46", "12163-fylker")] > 0
    # the next run (a fresh process) is served from the disk cache
    again = make_client(fake, tmp_path, clock)
    assert snapshot.prefetch(client=again) == 0
    assert fake.request_count == len(distinct)
