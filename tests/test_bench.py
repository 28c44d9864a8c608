"""`make bench`: the floor does the batch's work, figures are min/median of rounds, targets judged right."""

import json

import pytest

from kunnskapsgrunnlag import bench, contents, paths
from kunnskapsgrunnlag.bench import measure, rounds
from kunnskapsgrunnlag.publish.run import plan as run_plan


def figures(**medians):
    return {k: {"min": v * 0.9, "median": v, "max": v * 1.1, "runs": 3} for k, v in medians.items()}


GOOD = {
    "counties": 15,
    "chapters": 3,
    "naive_counties": 2,
    "naive_all_s": 400.0,
    "figures": figures(
        batch_s=30.0,
        batch_cpu_s=45.0,
        floor_s=27.0,
        noop_s=0.8,
        one_chapter_s=11.0,
        naive_s=53.0,
        peak_rss_mb=990.0,
    ),
    "report_mb": 0.71,
    "ten_chapter_mb": 2.4,
    "live_exit": 0,
    "live_requests": 9,
    "distinct_queries": 9,
    "changed_chapter": "kostra",
    "report_bytes": {"03-oslo": 611_580, "46-vestland": 708_902},
}


def test_verdict_checks_each_target_on_the_medians():
    assert all(bench.verdict(GOOD).values())
    slow = dict(
        GOOD,
        naive_all_s=140.0,  # 4.7× the batch
        figures=figures(
            batch_s=30.0, floor_s=24.0, noop_s=1.2, one_chapter_s=13.0, peak_rss_mb=1600.0
        ),
        report_mb=3.2,
        ten_chapter_mb=5.5,
        live_requests=10,
    )
    v = bench.verdict(slow)
    assert bench.verdict(dict(GOOD, live_exit=1))["live"] is False  # a failed live batch
    assert {k for k, ok in v.items() if ok is False} == set(bench.TARGETS)
    assert bench.verdict({})["noop_s"] is None


def test_summarise_gives_min_median_and_max_of_the_rounds():
    got = bench.summarise([{"batch_s": 31.0}, {"batch_s": 29.0}, {"batch_s": 40.0}, {}])
    assert got == {"batch_s": {"min": 29.0, "median": 31.0, "max": 40.0, "runs": 3}}


def test_a_figure_whose_command_failed_is_left_out():
    got = bench.summarise(
        [
            {"naive_s": 120.0, "naive_failures": 0, "noop_s": 0.7, "noop_exit": 0},
            {"naive_s": 45.0, "naive_failures": 6, "noop_s": 0.4, "noop_exit": 1},
        ]
    )
    assert got["naive_s"]["runs"] == 1 and got["naive_s"]["median"] == 120.0
    assert got["noop_s"]["runs"] == 1 and got["noop_s"]["median"] == 0.7


def test_table_shows_min_median_ratios_sizes_and_targets():
    r = dict(GOOD, targets=bench.TARGETS, verdict=bench.verdict(GOOD))
    r["machine_before"] = {"cores": 2, "load_average": [7.1, 6.0, 5.2]}
    r["verdict"]["noop_s"] = False
    text = bench.table(r)
    assert "batch_s" in text and "27.00s" in text and "30.00s" in text  # min and median
    assert "naive / batch = 13.33×" in text and "batch / floor = 1.11×" in text
    assert "one chapter / batch = 0.37× (changed: kostra)" in text
    assert "naive loop for all 15 counties: 400.0 s (median of 2 counties × 7.5" in text
    assert "report MB per county: 03 0.61, 46 0.71" in text
    assert "per-unit cost: 3.00 CPU-s per county, 1.00 per county × chapter" in text
    assert "  met     naive_s / batch_s >= 5" in text
    assert "  MISSED  noop_s <= 1" in text
    assert "load average before [7.1, 6.0, 5.2]" in text


def test_touching_a_chapter_changes_its_fingerprint_and_keeps_it_a_notebook(tmp_path):
    root = measure.project_copy(tmp_path)
    nb = root / "notebooks" / "20_fylkeskommunen_i_kostra.ipynb"
    before = run_plan.file_hash(nb)
    measure.touch_chapter(root, nb.name, "round 1")
    data = json.loads(nb.read_text(encoding="utf-8"))
    last = [c for c in data["cells"] if c["cell_type"] == "code"][-1]
    assert last["source"].endswith("\n# kg bench: round 1")
    assert run_plan.file_hash(nb) != before
    assert run_plan.file_hash(paths.NOTEBOOKS / nb.name) == before  # the working tree untouched
    assert (root / "data" / "snapshot" / "manifest.json").is_file()


def test_the_changed_chapter_is_the_one_of_median_cost(tmp_path):
    cost = {"befolkning": 2.0, "kostra": 1.0, "framskriving": 5.0}
    county = {"chapters": [{"id": k, "duration_s": v} for k, v in cost.items()]}
    (tmp_path / "manifest.json").write_text(json.dumps({"counties": {"46": county}}))
    assert rounds.median_chapter(tmp_path).id == "befolkning"


@pytest.mark.slow
@pytest.mark.xdist_group("kg-run-kernels")
def test_a_one_round_bench_measures_every_figure(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "BENCH_JSON", tmp_path / "bench.json")
    r = bench.run_bench(counties=1, runs=1, jobs=1, skip_naive=True, skip_live=True)
    assert r["exits_ok"], r["rounds"]
    assert set(r["figures"]) == {
        *("batch_s", "batch_cpu_s", "noop_s", "one_chapter_s", "floor_s", "floor_cpu_s"),
        "peak_rss_mb",
    }
    assert r["figures"]["batch_cpu_s"]["median"] > 1  # the kernels' CPU time is counted
    # only the touched chapter ran again; every other chapter of the county was reused
    assert r["rounds"][0]["one_chapter_reused"] == len(contents.chapters()) - 1
    assert list(r["report_bytes"]) == ["03-oslo"] and 0 < r["report_mb"] < 3
    assert json.loads((tmp_path / "bench.json").read_text())["verdict"] == r["verdict"]


@pytest.mark.slow
def test_floor_does_the_batchs_work_without_kernels(tmp_path):
    root = measure.project_copy(tmp_path)
    result = measure.floor(root, tmp_path / "floor", ["46"], 1)
    assert result["floor_exit"] == 0
    out = tmp_path / "floor"
    page = (out / "reports" / "46-vestland.html").read_text(encoding="utf-8")
    registered = contents.chapters()
    for chapter in registered:
        assert f'data-kg-chapter="{chapter.id}"' in page
    assert page.count("<img ") >= 10  # the same figures are drawn and saved
    executed = sorted(p.name for p in (out / "notebooks" / "46-vestland").glob("*.ipynb"))
    assert executed == sorted(c.path.name for c in registered)
    assert "46-vestland.html" in (out / "reports" / "index.html").read_text(encoding="utf-8")
    assert (out / "indicators.csv").stat().st_size > 100_000


def test_kg_bench_passes_every_option_through(monkeypatch):
    from kunnskapsgrunnlag.cli import build_parser

    seen = {}
    monkeypatch.setattr(bench, "bench_cli", lambda **kw: seen.update(kw) or 0)
    argv = ["bench", "--quick", "--counties", "3", "--runs", "2", "--jobs", "4"]
    args = build_parser().parse_args([*argv, "--naive-counties", "1", "--chapter", "kostra"])
    assert args.func(args) == 0
    assert seen == {
        "quick": True,
        "counties": 3,
        "runs": 2,
        "jobs": 4,
        "chapter": "kostra",
        "naive_counties": 1,
    }
