"""The client's overall deadline per download, and the disk cache's maximum age (issue 17)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fakessb import Drip, FakeClock, FakeSSB
from kunnskapsgrunnlag.data import Query, SSBClient, SSBTimeoutError

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def server():
    with FakeSSB() as srv:
        yield srv


@pytest.fixture
def fake(server: FakeSSB) -> FakeSSB:
    server.reset()
    yield server
    server.reset()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def q07221() -> Query:
    return Query.from_dict(
        {
            "table": "07221",
            "selection": [
                {"variableCode": "Region", "valueCodes": ["*"]},
                {"variableCode": "Boligtype", "valueCodes": ["*"]},
                {"variableCode": "ContentsCode", "valueCodes": ["Boligindeks"]},
                {"variableCode": "Tid", "valueCodes": ["from(2022K1)"]},
            ],
        }
    )


def make_client(fake: FakeSSB, cache: Path | None, clock: FakeClock, **kw) -> SSBClient:
    kw.setdefault("timeout", (2.0, 5.0))
    return SSBClient(base_url=fake.base_url, cache_dir=cache, clock=clock, sleep=clock.sleep, **kw)


def test_a_dripping_server_is_given_up_at_the_deadline(
    fake: FakeSSB, tmp_path: Path, clock: FakeClock
) -> None:
    # A byte every 0.2 s: the read timeout (5 s) never fires, only the overall deadline does.
    fake.enqueue(Drip(0.2))
    client = make_client(fake, tmp_path, clock, deadline=1.0)
    started = time.monotonic()
    with pytest.raises(SSBTimeoutError, match=r"table 07221 within the deadline of 1 s"):
        client.get_table(q07221())
    assert time.monotonic() - started < 3.0
    assert client.requests_sent == 1  # not retried: a second attempt would drip as well
    assert not [p for p in tmp_path.rglob("*.json")]  # nothing cached


def test_the_deadline_does_not_cut_a_normal_answer(
    fake: FakeSSB, tmp_path: Path, clock: FakeClock
) -> None:
    client = make_client(fake, tmp_path, clock, deadline=1.0)
    assert len(client.get_table(q07221())) == 288
    assert SSBClient().deadline == 120.0


# --------------------------------------------------------------------------------------------
# The disk cache's maximum age, and the data date of a live report
# --------------------------------------------------------------------------------------------

NOON_20_NOV = datetime(2026, 11, 20, 12, 0, tzinfo=UTC).timestamp()


def test_the_cache_has_a_stated_maximum_age(monkeypatch) -> None:
    monkeypatch.delenv("KG_CACHE_MAX_AGE", raising=False)
    assert SSBClient(cache_dir=None).cache_max_age == 24 * 3600
    monkeypatch.setenv("KG_CACHE_MAX_AGE", "600")
    assert SSBClient(cache_dir=None).cache_max_age == 600
    monkeypatch.setenv("KG_CACHE_MAX_AGE", "a day")
    with pytest.raises(ValueError, match="KG_CACHE_MAX_AGE"):
        SSBClient(cache_dir=None)


def test_an_entry_older_than_the_maximum_age_is_fetched_again(
    fake: FakeSSB, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.delenv("KG_CACHE_MAX_AGE", raising=False)
    clock = FakeClock(NOON_20_NOV)
    first = make_client(fake, tmp_path, clock).get_table(q07221())
    assert fake.request_count == 1 and first.attrs["fetched_at"] == "2026-11-20T12:00:00+00:00"
    clock.now += 23 * 3600  # next morning: the cached answer is used, with its own fetch time
    again = make_client(fake, tmp_path, clock)
    assert again.get_table(q07221()).attrs["fetched_at"] == "2026-11-20T12:00:00+00:00"
    assert fake.request_count == 1 and again.cache_hits == 1
    clock.now += 2 * 3600  # 25 hours old: older than the maximum age, so SSB is asked again
    late = make_client(fake, tmp_path, clock)
    assert late.get_table(q07221()).attrs["fetched_at"] == "2026-11-21T13:00:00+00:00"
    assert fake.request_count == 2 and late.cache_hits == 0
    clock.now += 3 * 3600  # a shorter maximum age set by the caller
    assert make_client(fake, tmp_path, clock, cache_max_age=3600).get_table(q07221()) is not None
    assert fake.request_count == 3


def test_a_live_run_on_cached_answers_reports_when_they_were_fetched(
    fake: FakeSSB, tmp_path: Path, monkeypatch
) -> None:
    from kunnskapsgrunnlag.data import client as client_module
    from kunnskapsgrunnlag.data import snapshot
    from kunnskapsgrunnlag.publish.report.runinfo import data_sentence
    from kunnskapsgrunnlag.publish.run.manifest import run_info

    monkeypatch.delenv("KG_CACHE_MAX_AGE", raising=False)
    clock = FakeClock(NOON_20_NOV)
    assert snapshot.prefetch(["12163-fylker"], client=make_client(fake, tmp_path, clock)) == 1
    clock.now += 20 * 3600  # the next day's `kg run --live`: everything comes from the cache
    today = make_client(fake, tmp_path, clock)
    monkeypatch.setattr(client_module, "_DEFAULT_CLIENT", today)
    assert snapshot.prefetch(["12163-fylker"]) == 0
    assert snapshot.load("12163-fylker", "live").attrs["retrieved"] == "2026-11-20"
    info = run_info("2026-11-21T08:00:00+00:00", "1.0", "abc", "live", [])
    assert info["data_date"] == "2026-11-20"
    assert "Hentet direkte fra SSBs statistikkbank 20. november 2026" in data_sentence(info, "nb")
