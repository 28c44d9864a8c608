"""Shared test setup: the SSB throttle's machine-wide state stays out of the tests.

Every test gets its own throttle state file (``$KG_RATELIMIT_FILE``), so tests on a fake clock
never share request times with each other, with other test runs on the machine, or with a real
``kg fetch``.
"""

import pytest


@pytest.fixture(autouse=True)
def _own_ratelimit_file(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory):
    monkeypatch.setenv(
        "KG_RATELIMIT_FILE", str(tmp_path_factory.mktemp("ratelimit") / "state.json")
    )
