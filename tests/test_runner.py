"""`kg run`: validation first, failure isolation, kernel reuse without leaks, incremental runs.

Fixture chapters (``tests/fixtures/notebooks``) are tiny notebooks, one per failure mode; they
fail for one county only, so each test also shows that the other counties still publish. The
end-to-end test runs the real chapters for Vestland (nynorsk) and Oslo (bokmål) through the
``kg`` command line, as ``make reports`` does.
"""

from __future__ import annotations

import html
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.contents import ChapterSpec
from kunnskapsgrunnlag.contents import chapters as registered_chapters
from kunnskapsgrunnlag.contents import get as get_chapter
from kunnskapsgrunnlag.publish import run as runner
from kunnskapsgrunnlag.publish.report import headlines
from kunnskapsgrunnlag.publish.run import plan as run_plan
from kunnskapsgrunnlag.publish.run import pool as run_pool
from kunnskapsgrunnlag.publish.run import progress as run_progress

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
KG = [sys.executable, "-m", "kunnskapsgrunnlag"]

# The library's source hash is part of every county's fingerprint. Tests of incremental runs pin
# it, so that someone editing lib/ while the suite runs does not make "nothing changed" false.
PIN_LIBRARY = (
    "from kunnskapsgrunnlag.publish.run import plan; plan.library_hash = lambda: 'pinned'\n"
)
KG_PINNED = [
    sys.executable,
    "-c",
    PIN_LIBRARY
    + "import sys\nfrom kunnskapsgrunnlag.cli import main\nsys.exit(main(sys.argv[1:]))",
]


@pytest.fixture
def pinned_library(monkeypatch):
    monkeypatch.setattr(run_plan, "library_hash", lambda: "pinned")


# Every kernel-starting test is slow and in one xdist group (they would fight for the cores).


def spec(name: str, chapter_id: str, order: int) -> ChapterSpec:
    """A fixture chapter: *chapter_id* must be the id the fixture passes to ``Chapter``."""
    return ChapterSpec(
        id=chapter_id,
        order=order,
        notebook=str(FIXTURES / f"{name}.ipynb"),
        title_nb=chapter_id.capitalize(),
        title_nn=chapter_id.capitalize(),
    )


OK = spec("ok", "befolkning", 10)


def run(tmp: Path, chapters: list[ChapterSpec], counties: list[str], **kw):
    """Run in-process with outputs in *tmp*; return (result, stdout text, stderr text)."""
    out, err = io.StringIO(), io.StringIO()
    kw.setdefault("jobs", 1)
    result = runner.run(
        counties=counties,
        chapters=chapters,
        outputs=tmp,
        stdout=out,
        stderr=err,
        **kw,
    )
    return result, out.getvalue(), err.getvalue()


def load_nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def stderr_outputs(nb: dict) -> list[str]:
    return [
        o["text"] if isinstance(o["text"], str) else "".join(o["text"])
        for c in nb["cells"]
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "stream" and o.get("name") == "stderr"
    ]


# ============================================================================ no kernel needed
def test_invalid_parameter_file_exits_2_and_nothing_runs(tmp_path):
    params = tmp_path / "parameters"
    params.mkdir()
    for f in paths.parameter_files():
        shutil.copy(f, params / f.name)
    bad = params / "46-vestland.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace('"46"', "46"), encoding="utf-8")
    out = tmp_path / "out"

    result, stdout, stderr = run(out, [OK], [], parameters=params)

    assert result.exit_code == 2
    assert "46-vestland.yaml: county_code:" in stderr
    assert "in quotes" in stderr
    assert "nothing was run" in stderr
    assert result.counties == []
    assert not out.exists(), "an invalid parameter file must stop the run before any output"


def test_cli_exits_2_on_an_invalid_parameter_file(tmp_path):
    root = tmp_path / "project"
    (root / "parameters").mkdir(parents=True)
    (root / "notebooks").mkdir()
    shutil.copy(paths.PARAMETERS / "03-oslo.yaml", root / "parameters" / "03-oslo.yaml")
    (root / "parameters" / "11-rogaland.yaml").write_text(
        'county_code: "11"\ncounty_name: Rogaland\nwritten_standard: no\n'
        "comparison:\n  kind: all_counties\n",
        encoding="utf-8",
    )
    env = {**os.environ, "KG_ROOT": str(root), "KG_OUTPUTS": str(root / "outputs")}

    proc = subprocess.run(
        [*KG, "run", "--county", "03"], env=env, capture_output=True, text=True, timeout=120
    )

    assert proc.returncode == 2, proc.stderr
    assert "11-rogaland.yaml: written_standard:" in proc.stderr
    assert not (root / "outputs").exists()


def test_unknown_county_exits_2(tmp_path):
    result, _, stderr = run(tmp_path / "out", [OK], ["99"])
    assert result.exit_code == 2
    assert "--county 99" in stderr
    assert not (tmp_path / "out").exists()


def test_jobs_must_be_positive(tmp_path):
    result, _, stderr = run(tmp_path / "out", [OK], ["46"], jobs=0)
    assert result.exit_code == 2
    assert "--jobs" in stderr


def test_cell_timeout_from_argument_environment_or_default(monkeypatch):
    monkeypatch.delenv("KG_CELL_TIMEOUT", raising=False)
    assert runner.resolve_cell_timeout() == runner.DEFAULT_CELL_TIMEOUT
    monkeypatch.setenv("KG_CELL_TIMEOUT", "42")
    assert runner.resolve_cell_timeout() == 42
    assert runner.resolve_cell_timeout(7) == 7
    monkeypatch.setenv("KG_CELL_TIMEOUT", "forever")
    with pytest.raises(runner.RunInputError, match="KG_CELL_TIMEOUT"):
        runner.resolve_cell_timeout()
    with pytest.raises(runner.RunInputError, match="positive"):
        runner.resolve_cell_timeout(0)


def test_warm_up_modules_are_read_from_the_chapters():
    mods = runner.notebook_imports(FIXTURES / "leak_set.ipynb")
    assert {"matplotlib.pyplot", "numpy", "pandas", "kunnskapsgrunnlag.publish"} <= set(mods)
    assert (
        "kunnskapsgrunnlag.publish.Chapter" in mods
    )  # a guess at a submodule; failures are ignored


# ============================================================================ kernels
@pytest.mark.slow
@pytest.mark.xdist_group("kg-run-kernels")
def test_a_failing_county_does_not_stop_the_others(tmp_path, pinned_library):
    out = tmp_path / "out"
    old_report = out / "reports" / "11-rogaland.html"
    old_report.parent.mkdir(parents=True)
    old_bytes = b"<!doctype html><title>forrige rapport for Rogaland</title>"
    old_report.write_bytes(old_bytes)
    chapters = [OK, spec("raise_for_11", "kostra", 20)]

    result, stdout, stderr = run(out, chapters, ["03", "11", "46"], jobs=2)

    # exit status and what the summary says: county, chapter, cell, error
    assert result.exit_code == 1
    assert [c.code for c in result.failed] == ["11"]
    assert "FAILED 11 Rogaland" in stdout
    assert "chapter kostra" in stdout
    assert 'cell 6 `if county_code == "11":`' in stdout
    assert "ValueError: fixture: county 11 fails on purpose" in stdout
    failure = result.county("11").chapters[1].failure
    assert (failure.kind, failure.cell_index, failure.ename) == ("error", 5, "ValueError")
    # quiet line-oriented progress when stderr is not a terminal
    assert "[1/3]" in stderr and "[3/3]" in stderr
    assert "11 Rogaland  FAILED" in stderr

    # the other counties publish
    for stem in ("03-oslo", "46-vestland"):
        page = (out / "reports" / f"{stem}.html").read_text(encoding="utf-8")
        assert "Testkapittel" in page
        assert "fixture: a line on stderr" not in page
    assert '<html lang="nn"' in (out / "reports" / "46-vestland.html").read_text(encoding="utf-8")

    # the failed county's previous report is untouched; its executed notebooks are kept
    assert old_report.read_bytes() == old_bytes
    kept = load_nb(out / "notebooks" / "11-rogaland" / "raise_for_11.ipynb")
    errors = [o for o in kept["cells"][5]["outputs"] if o["output_type"] == "error"]
    assert errors and errors[0]["ename"] == "ValueError"
    assert kept["metadata"]["kunnskapsgrunnlag"]["status"] == "failed"
    assert any("stderr before the error" in t for t in stderr_outputs(kept)), (
        "keep stderr on failure"
    )
    assert kept["cells"][6].get("execution_count") is None  # the cell after the error did not run

    # successful executed notebooks: parameters injected, stderr removed
    good = load_nb(out / "notebooks" / "46-vestland" / "ok.ipynb")
    injected = [c for c in good["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert 'county_code = "46"' in "".join(injected[0]["source"])
    assert 'written_standard = "nn"' in "".join(injected[0]["source"])
    assert stderr_outputs(good) == []

    # run manifest
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    c11 = manifest["counties"]["11"]
    assert c11["status"] == "failed"
    assert c11["chapters"][1]["failure"]["cell_number"] == 6
    assert c11["chapters"][1]["failure"]["cell_source"] == 'if county_code == "11":'
    assert manifest["counties"]["46"]["status"] == "ok"
    for key in ("parameter_hash", "fingerprint", "snapshot", "package_version", "git_commit"):
        assert manifest["counties"]["46"][key], key
    assert {s["id"] for s in manifest["counties"]["46"]["snapshot"]} >= {"07459-kommuner-2019"}
    assert manifest["last_run"]["failed"] == ["11"]

    # the portal links every report, the failed county to its previous one
    portal = (out / "reports" / "index.html").read_text(encoding="utf-8")
    for stem in ("03-oslo", "46-vestland", "11-rogaland"):
        assert f'href="{stem}.html"' in portal

    # incremental: nothing changed for 03 and 46, so only the failed county runs again
    again, stdout2, _ = run(out, chapters, ["03", "11", "46"], jobs=2)
    assert again.exit_code == 1
    assert [c.code for c in again.skipped] == ["03", "46"], [c.reason for c in again.counties]
    assert [c.code for c in again.executed] == ["11"]
    assert "skipped (nothing changed since the last run): 03 Oslo, 46 Vestland" in stdout2
    assert again.county("11").reason == "previous run failed"
    assert old_report.read_bytes() == old_bytes


FAILURE_MODES = {
    # fixture: (kind, words in the message, cell timeout)
    "sys_exit": (
        "exit",
        "sys.exit(0) stopped the notebook early; 1 later code cell(s) did not run",
        None,
    ),
    "timeout": ("timeout", "longer than the cell timeout of 2 s", 2),
    "dead_kernel": ("dead_kernel", "the kernel died", None),
}


@pytest.mark.parametrize("fixture", list(FAILURE_MODES))
@pytest.mark.slow
@pytest.mark.xdist_group("kg-run-kernels")
def test_failure_modes_fail_one_county_and_the_kernel_recovers(tmp_path, fixture):
    kind, words, cell_timeout = FAILURE_MODES[fixture]
    out = tmp_path / "out"
    chapters = [OK, spec(fixture, "kostra", 20)]

    # one worker: Vestland runs after Oslo in the same worker, so it needs a working kernel
    result, stdout, _ = run(out, chapters, ["03", "46"], jobs=1, cell_timeout=cell_timeout)

    assert result.exit_code == 1
    assert [c.code for c in result.failed] == ["03"]
    failure = result.county("03").chapters[1].failure
    assert failure.kind == kind
    assert words in failure.message
    assert failure.cell_index == 4  # markdown, parameters, injected parameters, chapter, the cell
    assert f"chapter kostra: cell 5 `{failure.cell_source}`" in stdout
    assert result.county("46").status == "ok"
    assert (out / "reports" / "46-vestland.html").is_file()
    assert not (out / "reports" / "03-oslo.html").exists()
    kept = load_nb(out / "notebooks" / "03-oslo" / f"{fixture}.ipynb")
    assert [o["output_type"] for o in kept["cells"][4]["outputs"]][-1:] == ["error"]
    assert kept["cells"][5].get("execution_count") is None


@pytest.mark.slow
@pytest.mark.xdist_group("kg-run-kernels")
def test_no_state_leaks_between_notebooks_in_one_kernel(tmp_path):
    # leak_set leaves a global, a pandas option, an rcParam, an open figure, numpy and warnings
    # settings, an environment variable, sys.argv/sys.path entries and a changed working
    # directory behind; leak_check (next notebook, same kernel: it sees leak_set's marker
    # module) asserts that none survive.
    chapters = [spec("leak_set", "befolkning", 10), spec("leak_check", "kostra", 20)]

    result, stdout, _ = run(tmp_path / "out", chapters, ["03", "46"], jobs=1)

    assert result.exit_code == 0, stdout
    assert [c.status for c in result.counties] == ["ok", "ok"]
    checked = load_nb(tmp_path / "out" / "notebooks" / "46-vestland" / "leak_check.ipynb")
    assert all(c.get("execution_count") for c in checked["cells"] if c["cell_type"] == "code")


@pytest.mark.slow
@pytest.mark.xdist_group("kg-run-kernels")
def test_an_up_to_date_run_starts_no_kernel_and_force_reruns(tmp_path, pinned_library):
    out = tmp_path / "out"
    first, _, _ = run(out, [OK], ["46"])
    assert first.exit_code == 0
    report = out / "reports" / "46-vestland.html"
    before = report.stat().st_mtime_ns

    # a fresh process, as `kg run` would be: nothing changed, so nothing heavy is imported
    script = PIN_LIBRARY + (
        "import sys\n"
        "from pathlib import Path\n"
        "from kunnskapsgrunnlag.publish import run as runner\n"
        "from kunnskapsgrunnlag.contents import ChapterSpec\n"
        f"spec = ChapterSpec(id='befolkning', order=10, notebook={str(FIXTURES / 'ok.ipynb')!r},"
        " title_nb='B', title_nn='B')\n"
        f"r = runner.run(counties=['46'], chapters=[spec], outputs=Path({str(out)!r}))\n"
        "heavy = [m for m in ('papermill', 'nbclient', 'nbconvert', 'jupyter_client') if m in sys.modules]\n"
        "print('EXIT', r.exit_code, 'SKIPPED', [c.code for c in r.skipped], 'HEAVY', heavy)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert "EXIT 0 SKIPPED ['46'] HEAVY []" in proc.stdout, proc.stdout + proc.stderr
    assert "up to date, not run: 46 Vestland" in proc.stderr
    assert report.stat().st_mtime_ns == before

    forced, _, _ = run(out, [OK], ["46"], force=True)
    assert [c.reason for c in forced.executed] == ["forced"]
    assert report.stat().st_mtime_ns != before


@pytest.mark.slow
@pytest.mark.xdist_group("kg-run-kernels")
def test_a_changed_chapter_notebook_reruns_the_county(tmp_path, pinned_library):
    out = tmp_path / "out"
    nb = tmp_path / "ok.ipynb"
    shutil.copy(FIXTURES / "ok.ipynb", nb)
    chapter = ChapterSpec(id="befolkning", order=10, notebook=str(nb), title_nb="B", title_nn="B")
    assert run(out, [chapter], ["46"])[0].exit_code == 0

    nb.write_text(
        nb.read_text(encoding="utf-8").replace("Testkapittel som", "Endra testkapittel som")
    )
    result, stdout, _ = run(out, [chapter], ["46"])

    assert result.county("46").reason == "changed: chapter befolkning"
    assert "Endra testkapittel som" in (out / "reports" / "46-vestland.html").read_text(
        encoding="utf-8"
    )


def two_chapters(tmp: Path) -> list[ChapterSpec]:
    """Copies of the ok fixture as two chapters, befolkning and kostra, in *tmp*."""
    out = []
    for order, cid in ((10, "befolkning"), (20, "kostra")):
        nb = tmp / f"{cid}.ipynb"
        text = (FIXTURES / "ok.ipynb").read_text(encoding="utf-8")
        nb.write_text(
            text.replace('Chapter(\\"befolkning\\"', f'Chapter(\\"{cid}\\"').replace(
                "Testkapittel som", f"Testkapittel {cid} som"
            ),
            encoding="utf-8",
        )
        out.append(ChapterSpec(cid, order, str(nb), cid.capitalize(), cid.capitalize()))
    return out


@pytest.mark.slow
@pytest.mark.xdist_group("kg-run-kernels")
def test_one_changed_chapter_reruns_that_chapter_only(tmp_path, pinned_library, monkeypatch):
    out, chapters = tmp_path / "out", two_chapters(tmp_path)
    first = run(out, chapters, ["46"])[0]
    assert [ch.reused for ch in first.county("46").chapters] == [False, False]
    stored = out / "notebooks" / "46-vestland" / "befolkning.ipynb"
    mtime = stored.stat().st_mtime_ns

    kostra = chapters[1].path
    kostra.write_text(
        kostra.read_text(encoding="utf-8").replace("Testkapittel kostra som", "Endra kostra som"),
        encoding="utf-8",
    )
    result, _, stderr = run(out, chapters, ["46"])
    county = result.county("46")
    assert county.reason == "changed: chapter kostra"
    assert [(ch.id, ch.status, ch.reused) for ch in county.chapters] == [
        ("befolkning", "ok", True),
        ("kostra", "ok", False),
    ]
    assert "(unchanged, not run: befolkning)" in stderr
    assert stored.stat().st_mtime_ns == mtime  # not executed, not rewritten
    page = (out / "reports" / "46-vestland.html").read_text(encoding="utf-8")
    assert "Testkapittel befolkning som alltid lukkast" in page and "Endra kostra som" in page

    monkeypatch.setattr(run_plan, "library_hash", lambda: "a library module changed")
    result = run(out, chapters, ["46"])[0]
    assert result.county("46").reason == "changed: library"
    assert [ch.reused for ch in result.county("46").chapters] == [False, False]
    assert stored.stat().st_mtime_ns != mtime

    forced = run(out, chapters, ["46"], force=True)[0]
    assert [ch.reused for ch in forced.county("46").chapters] == [False, False]


@pytest.mark.slow
@pytest.mark.xdist_group("kg-run-kernels")
def test_notebooks_gathered_from_a_part_run_are_reused_not_executed(tmp_path, pinned_library):
    # docs/runner.md, "When one machine is not enough": fan out per county, then gather
    chapters = two_chapters(tmp_path)
    for code in ("03", "46"):
        assert run(tmp_path / f"part-{code}", chapters, [code])[0].exit_code == 0
    out = tmp_path / "out"
    for code, stem in (("03", "03-oslo"), ("46", "46-vestland")):
        shutil.copytree(tmp_path / f"part-{code}" / "notebooks" / stem, out / "notebooks" / stem)
    result, _, _ = run(out, chapters, ["03", "46"])
    assert result.exit_code == 0
    assert [c.reason for c in result.executed] == ["first run", "first run"]
    assert all(ch.reused for c in result.executed for ch in c.chapters)
    assert "Testkapittel kostra som alltid lukkast" in (
        out / "reports" / "46-vestland.html"
    ).read_text(encoding="utf-8")
    assert (out / "reports" / "index.html").is_file()


def _interrupt(*args, **kwargs):
    raise KeyboardInterrupt  # Ctrl-C in the parent, at this point of the run


INTERRUPT_POINTS = {
    # where Ctrl-C hits the parent: (what is patched to raise, why the county runs again)
    "after the county was recorded": (
        (run_progress.Progress, "finished"),
        "changed: chapter befolkning",
    ),
    "before the parent heard of it": ((run_pool, "county_from_wire"), "previous run interrupted"),
}


@pytest.mark.parametrize("where", list(INTERRUPT_POINTS))
@pytest.mark.slow
@pytest.mark.xdist_group("kg-run-kernels")
def test_an_interrupted_run_then_a_revert_rebuilds_the_stale_report(
    tmp_path, pinned_library, monkeypatch, where
):
    (target, name), reason = INTERRUPT_POINTS[where]
    out = tmp_path / "out"
    nb = tmp_path / "ok.ipynb"
    shutil.copy(FIXTURES / "ok.ipynb", nb)
    original = nb.read_text(encoding="utf-8")
    chapter = ChapterSpec(id="befolkning", order=10, notebook=str(nb), title_nb="B", title_nn="B")
    oslo, vestland = out / "reports" / "03-oslo.html", out / "reports" / "46-vestland.html"
    assert run(out, [chapter], ["03", "46"])[0].exit_code == 0

    # change the notebook; Ctrl-C once Oslo (the first county of the one worker) has its report
    nb.write_text(original.replace("Testkapittel som", "Endra testkapittel som"), encoding="utf-8")
    with monkeypatch.context() as m:
        m.setattr(target, name, _interrupt)
        with pytest.raises(KeyboardInterrupt):
            run(out, [chapter], ["03", "46"])
    assert "Endra testkapittel som" in oslo.read_text(encoding="utf-8")
    assert "Endra testkapittel som" not in vestland.read_text(encoding="utf-8")

    nb.write_text(original, encoding="utf-8")  # revert the change
    result, stdout, _ = run(out, [chapter], ["03", "46"])

    assert result.exit_code == 0
    assert [(c.code, c.reason) for c in result.executed] == [("03", reason)]
    assert [c.code for c in result.skipped] == ["46"]  # never handed out: its report is as it was
    assert "Endra testkapittel som" not in oslo.read_text(encoding="utf-8")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {k: v["status"] for k, v in manifest["counties"].items()} == {"03": "ok", "46": "ok"}


@pytest.mark.slow
@pytest.mark.xdist_group("kg-run-kernels")
def test_a_changed_byte_in_a_snapshot_file_reruns_the_county(tmp_path, pinned_library, monkeypatch):
    snapshot = tmp_path / "snapshot"
    shutil.copytree(paths.SNAPSHOT, snapshot)  # never touch the real data/
    monkeypatch.setattr(paths, "SNAPSHOT", snapshot)
    monkeypatch.setattr(paths, "SNAPSHOT_MANIFEST", snapshot / "manifest.json")
    out = tmp_path / "out"
    assert run(out, [OK], ["46"])[0].exit_code == 0
    assert [c.code for c in run(out, [OK], ["46"])[0].skipped] == ["46"]

    # one digit changed, same size and same modification time: only the content tells
    data = sorted(snapshot.rglob("*.csv"))[0]
    st = data.stat()
    raw = bytearray(data.read_bytes())
    i = next(i for i in range(len(raw) - 1, 0, -1) if chr(raw[i]).isdigit())
    raw[i] = ord("7") if raw[i] != ord("7") else ord("3")
    data.write_bytes(bytes(raw))
    os.utime(data, ns=(st.st_atime_ns, st.st_mtime_ns))
    result, _, stderr = run(out, [OK], ["46"])

    assert [(c.code, c.reason) for c in result.executed] == [("46", "changed: data")]
    assert not any(ch.reused for ch in result.executed[0].chapters)
    assert "up to date" not in stderr


# ============================================================================ the real chapters
@pytest.mark.slow
@pytest.mark.xdist_group("kg-run-kernels")
def test_kg_run_builds_real_reports_for_vestland_and_oslo(tmp_path):
    available = registered_chapters()
    # every registered chapter has its notebook: the reports hold the whole standard report
    assert [c.id for c in available] == [c.id for c in registered_chapters(available_only=False)]
    out = tmp_path / "outputs"
    env = {**os.environ, "KG_OUTPUTS": str(out)}
    env.pop("KG_CELL_TIMEOUT", None)
    args = ["run", "--county", "46", "--county", "03", "--jobs", "2"]

    proc = subprocess.run([*KG_PINNED, *args], env=env, capture_output=True, text=True, timeout=900)

    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "kg run: 2 built, 0 failed, 0 up to date" in proc.stdout
    assert "kg run: 2 counties (03, 46)" in proc.stderr  # the effective configuration
    vestland = (out / "reports" / "46-vestland.html").read_text(encoding="utf-8")
    oslo = (out / "reports" / "03-oslo.html").read_text(encoding="utf-8")
    assert '<html lang="nn"' in vestland and "Vestland" in vestland
    assert '<html lang="nb"' in oslo and "Oslo" in oslo
    for spec_ in available:
        assert f'data-kg-chapter="{spec_.id}"' in vestland
        for stem in ("46-vestland", "03-oslo"):
            executed = load_nb(out / "notebooks" / stem / Path(spec_.notebook).name)
            assert stderr_outputs(executed) == []
            assert not [
                o
                for c in executed["cells"]
                for o in c.get("outputs", [])
                if o["output_type"] == "error"
            ]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {k: v["status"] for k, v in manifest["counties"].items()} == {"03": "ok", "46": "ok"}
    assert [c["id"] for c in manifest["counties"]["46"]["chapters"]] == [c.id for c in available]
    portal = (out / "reports" / "index.html").read_text(encoding="utf-8")
    assert 'href="46-vestland.html"' in portal and 'href="03-oslo.html"' in portal
    # the portal's key figures are what the Befolkning chapter emitted (no kernel evaluation)
    befolkning = load_nb(out / "notebooks" / "46-vestland" / get_chapter("befolkning").path.name)
    emitted = headlines(
        "".join(o["data"]["text/html"])
        for c in befolkning["cells"]
        for o in c.get("outputs", [])
        if "text/html" in o.get("data", {})
    )
    card = [tuple(h) for h in manifest["counties"]["46"]["headline"]]
    assert card[:-1] == emitted  # then the statistics year per theme, as on the front page
    assert card[-1][0] == "Statistikkår" and card[-1][1].startswith("Befolkning: 1. januar")
    assert len(emitted) == 3
    assert all(f"<dt>{html.escape(label)}</dt>" in portal for label, _ in emitted)
    assert (out / "indicators.csv").is_file()

    # a second run changes nothing and imports no notebook machinery
    again = subprocess.run(
        [KG_PINNED[0], "-X", "importtime", *KG_PINNED[1:], *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert "kg run: 0 built, 0 failed, 2 up to date" in again.stdout
    imported = {
        line.rsplit("|", 1)[-1].strip() for line in again.stderr.splitlines() if "|" in line
    }
    assert not imported & {"papermill", "nbclient", "nbconvert", "jupyter_client", "ipykernel"}


# ============================================================================ isolation, orphans
@pytest.mark.parametrize("fixture", ["patch_class_for_11", "patch_module_for_11"])
@pytest.mark.slow
@pytest.mark.xdist_group("kg-run-kernels")
def test_a_notebook_that_patches_the_library_does_not_reach_another_county(tmp_path, fixture):
    # one worker, one kernel: Vestland runs after Rogaland, whose notebook patched the library
    result, stdout, _ = run(tmp_path / "out", [spec(fixture, "befolkning", 10)], ["11", "46"])

    assert result.exit_code == 0, stdout
    rogaland = (tmp_path / "out" / "reports" / "11-rogaland.html").read_text(encoding="utf-8")
    vestland = (tmp_path / "out" / "reports" / "46-vestland.html").read_text(encoding="utf-8")
    assert "LEKKASJE FRA ROGALAND" in rogaland  # the patch worked where it was made
    assert "Testkapittel med eit lappa bibliotek." in vestland
    assert "LEKKASJE" not in vestland


SLOW_RUN = """
import sys
from pathlib import Path
from kunnskapsgrunnlag.publish import run as runner
from kunnskapsgrunnlag.contents import ChapterSpec
s = ChapterSpec(id="kostra", order=20, notebook={notebook!r}, title_nb="K", title_nn="K")
r = runner.run(counties=["03", "46"], chapters=[s], jobs=2, cell_timeout=600, outputs=Path({out!r}))
sys.exit(r.exit_code)
"""


def _kernels_running(proc: psutil.Process, n: int, timeout: float = 120) -> list[psutil.Process]:
    """Wait until *proc* has *n* kernel grandchildren; return every descendant."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            family = proc.children(recursive=True)
            kernels = [p for p in family if "ipykernel_launcher" in " ".join(p.cmdline())]
        except psutil.Error:
            family, kernels = [], []
        if len(kernels) >= n:
            return family
        time.sleep(0.2)
    raise AssertionError("the kernels did not start")


def _alive(processes: list[psutil.Process]) -> list[psutil.Process]:
    alive = []
    for p in processes:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                alive.append(p)
        except psutil.NoSuchProcess:
            pass
    return alive


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP", "SIGKILL"])
@pytest.mark.slow
@pytest.mark.xdist_group("kg-run-kernels")
def test_workers_kernels_and_temp_folders_die_with_kg_run(tmp_path, signame):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    script = SLOW_RUN.format(notebook=str(FIXTURES / "timeout.ipynb"), out=str(tmp_path / "out"))
    env = {**os.environ, "TMPDIR": str(tmp)}
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    family: list[psutil.Process] = []
    try:
        family = _kernels_running(psutil.Process(proc.pid), 2)
        time.sleep(3)  # Oslo's kernel is in its long cell, Vestland's may be done
        family = psutil.Process(proc.pid).children(recursive=True) or family
        assert os.listdir(tmp), "the run made its temporary folders here"

        proc.send_signal(getattr(signal, signame))
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while (_alive(family) or os.listdir(tmp)) and time.monotonic() < deadline:
            time.sleep(0.2)

        assert _alive(family) == [], f"left running after {signame}"
        assert os.listdir(tmp) == [], f"temporary folders left after {signame}"
    finally:
        for p in _alive(family):
            p.kill()
        if proc.poll() is None:
            proc.kill()
