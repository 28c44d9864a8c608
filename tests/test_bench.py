"""`make bench`: the plain-Python floor stays in step with the chapter notebooks; targets are judged right."""

import pytest

from kunnskapsgrunnlag import bench


@pytest.mark.slow
def test_floor_runs_every_chapter_of_a_county_without_kernels(tmp_path):
    result = bench.measure_floor(tmp_path, ["46"])
    assert result["floor_exit"] == 0
    page = (tmp_path / "floor" / "46-vestland.html").read_text(encoding="utf-8")
    for chapter in ("befolkning", "kostra", "framskriving"):
        assert f'data-kg-chapter="{chapter}"' in page
    assert page.count("<img ") >= 10  # the same figures are drawn and saved


def test_verdict_checks_each_target():
    good = {
        "batch_s": 70.0,
        "naive_s": 640.0,
        "floor_s": 110.0,
        "noop_s": 0.8,
        "peak_rss_mb": 970.0,
        "live_requests": 9,
        "distinct_queries": 9,
    }
    assert all(bench.verdict(good).values())
    slow = dict(good, batch_s=200.0, live_requests=10)
    v = bench.verdict(slow)
    assert v["batch_vs_naive"] is False and v["batch_vs_floor"] is False and v["live"] is False
    assert bench.verdict({})["noop_s"] is None
    assert "naive / batch = 9.1×" in bench.table(dict(good, verdict=bench.verdict(good)))
