"""The client's overall deadline per download, and the disk cache's maximum age (issue 17)."""

from __future__ import annotations

import time
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
