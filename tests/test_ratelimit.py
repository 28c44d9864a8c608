"""The throttle's window is shared by every process on the machine (SSB counts per IP address)."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

from kunnskapsgrunnlag.data.ratelimit import STATE_FILE_NAME, Throttle, default_state_file

LIMIT, WINDOW, PER_PROCESS = 5, 2.0, 4


def _send_all(state_file: str, start, stamps) -> None:
    """One process of a batch: wait for the others, then ask for PER_PROCESS sends."""
    throttle = Throttle(LIMIT, WINDOW, state_file=state_file)
    start.wait()
    for _ in range(PER_PROCESS):
        throttle.acquire()
    stamps.extend(throttle.history)


def max_in_window(stamps: list[float], window: float) -> int:
    return max(sum(1 for t in stamps if start <= t < start + window) for start in stamps)


def test_two_processes_together_stay_within_the_limit(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager:
        start = manager.Barrier(2)
        stamps = manager.list()
        procs = [
            ctx.Process(target=_send_all, args=(str(tmp_path / "state.json"), start, stamps))
            for _ in range(2)
        ]
        for p in procs:
            p.start()
        for p in procs:
            p.join(timeout=30)
        assert [p.exitcode for p in procs] == [0, 0]
        together = sorted(stamps)
    assert len(together) == 2 * PER_PROCESS
    # each process alone keeps to 5 per 2 s; together they must too (8 sends need a wait)
    assert max_in_window(together, WINDOW) <= LIMIT
    assert together[-1] - together[0] >= WINDOW


def test_state_file_location(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KG_RATELIMIT_FILE", str(tmp_path / "x.json"))
    assert default_state_file() == tmp_path / "x.json"
    monkeypatch.delenv("KG_RATELIMIT_FILE")
    assert default_state_file().name == STATE_FILE_NAME


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_throttles_sharing_a_file_share_the_window(tmp_path: Path) -> None:
    fake = FakeTime()
    first, second = (
        Throttle(2, 10.0, clock=fake.clock, sleep=fake.sleep, state_file=tmp_path / "s.json")
        for _ in range(2)
    )
    first.acquire()
    first.acquire()
    assert second.acquire() == 10.0  # the window is full of the first one's sends
    assert second.history == [110.0]


def test_damaged_state_file_is_read_as_empty(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text("[1, 2, ")
    fake = FakeTime()
    throttle = Throttle(2, 10.0, clock=fake.clock, sleep=fake.sleep, state_file=state)
    for _ in range(3):
        throttle.acquire()
    assert throttle.history == [100.0, 100.0, 110.0]
    assert json.loads(state.read_text()) == [110.0]  # the current window, for the next process


def test_times_from_a_clock_set_back_do_not_block(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text(json.dumps([1e12] * 5))
    fake = FakeTime()
    throttle = Throttle(2, 10.0, clock=fake.clock, sleep=fake.sleep, state_file=state)
    assert throttle.acquire() == 0.0
