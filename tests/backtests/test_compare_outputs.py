"""Golden backtests: the reports of 03 Oslo (nb) and 46 Vestland (nn) and ``indicators.csv``.

What a reader sees (headings, text, captions, table cells, alt texts — not PNG bytes) and every
row of ``indicators.csv`` must equal the recorded files in ``tests/backtests/golden/``. An intended
change is re-recorded with ``make golden`` in the same commit, the reason in the commit message.
"""

from __future__ import annotations

import csv
import difflib
import io
import math

import pytest
from backtest_record import GOLDEN, build, views

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("kg-run-kernels")]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("golden") / "outputs"
    build(out)
    return views(out)


def _diff(expected: str, actual: str, name: str) -> str:
    lines = difflib.unified_diff(
        expected.splitlines(), actual.splitlines(), f"golden/{name}", f"built/{name}", lineterm=""
    )
    return "\n".join(list(lines)[:80])


@pytest.mark.parametrize("name", ["03-oslo.txt", "46-vestland.txt"])
def test_report_text_equals_the_golden_record(built, name):
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    diff = _diff(expected, built[name], name) if built[name] != expected else ""
    assert not diff, "report text changed (make golden if intended):\n" + diff


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    except ValueError:
        return False


def test_indicators_csv_equals_the_golden_record(built):
    expected = _rows((GOLDEN / "indicators.csv").read_text(encoding="utf-8"))
    actual = _rows(built["indicators.csv"])
    assert list(actual[0]) == list(expected[0]), "columns changed"
    key = ("indicator", "region_code", "year")
    exp = {tuple(r[k] for k in key): r for r in expected}
    act = {tuple(r[k] for k in key): r for r in actual}
    assert sorted(act) == sorted(exp), (
        f"rows missing: {sorted(set(exp) - set(act))[:10]}; new: {sorted(set(act) - set(exp))[:10]}"
    )
    changed = [
        (k, col, exp[k][col], act[k][col])
        for k in exp
        for col in exp[k]
        if not _same(exp[k][col], act[k][col])
    ]
    assert not changed, f"{len(changed)} cells changed, e.g. {changed[:10]}"
