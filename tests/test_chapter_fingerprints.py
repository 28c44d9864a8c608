"""Per-chapter fingerprints: what re-runs a chapter of a county (publish/run/plan.py, worker.py).

Fast tests of the plan (no kernel): which chapters' fingerprints a change moves. The end-to-end
reuse of stored executed notebooks is in ``tests/test_runner.py`` (slow).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.contents import ChapterSpec
from kunnskapsgrunnlag.publish.run import plan as run_plan
from kunnskapsgrunnlag.publish.run.inputs import validate
from kunnskapsgrunnlag.publish.run.worker import stored_fingerprint

FIXTURE = Path(__file__).parent / "fixtures" / "notebooks" / "ok.ipynb"


@pytest.fixture
def chapters(tmp_path, monkeypatch) -> list[ChapterSpec]:
    """Two chapters (befolkning, kostra) whose notebooks are copies in *tmp_path*."""
    monkeypatch.setattr(run_plan, "library_hash", lambda: "pinned")
    monkeypatch.setattr(run_plan, "data_hash", lambda: "data-1")
    out = []
    for order, cid in ((10, "befolkning"), (20, "kostra")):
        nb = tmp_path / f"{cid}.ipynb"
        nb.write_text(
            FIXTURE.read_text(encoding="utf-8").replace(
                'Chapter(\\"befolkning\\"', f'Chapter(\\"{cid}\\"'
            ),
            encoding="utf-8",
        )
        out.append(ChapterSpec(cid, order, str(nb), cid.capitalize(), cid.capitalize()))
    return out


def fingerprints(chapters, tmp_path, parameters=None) -> dict[str, str]:
    """The chapter fingerprints of county 46."""
    cfg = validate(["46"], 1, False, False, chapters, tmp_path / "out", parameters, None, False)
    cp = run_plan.make_plan(cfg).counties[0]
    return {cid: run_plan.chapter_fingerprint(cp.parts, cid) for cid, _ in cp.parts["chapters"]}


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_editing_one_notebook_moves_that_chapters_fingerprint_only(chapters, tmp_path):
    before = fingerprints(chapters, tmp_path)
    assert before == fingerprints(chapters, tmp_path)  # nothing changed: nothing moves
    edit(chapters[1].path, "Testkapittel som", "Endra testkapittel som")
    after = fingerprints(chapters, tmp_path)
    assert after["befolkning"] == before["befolkning"]
    assert after["kostra"] != before["kostra"]


@pytest.mark.parametrize("what", ["data", "library"])
def test_a_changed_data_file_or_library_module_moves_every_chapter(
    chapters, tmp_path, monkeypatch, what
):
    before = fingerprints(chapters, tmp_path)
    monkeypatch.setattr(run_plan, f"{what}_hash", lambda: "changed")
    after = fingerprints(chapters, tmp_path)
    assert all(after[c] != before[c] for c in before)


def test_the_data_hash_covers_every_snapshot_file(tmp_path, monkeypatch):
    snapshot = tmp_path / "snapshot"
    shutil.copytree(paths.SNAPSHOT, snapshot)
    monkeypatch.setattr(paths, "SNAPSHOT", snapshot)
    monkeypatch.setattr(paths, "SNAPSHOT_MANIFEST", snapshot / "manifest.json")
    before = run_plan.data_hash()
    data = sorted(snapshot.rglob("*.csv"))[-1]
    data.write_bytes(data.read_bytes() + b"\n")
    assert run_plan.data_hash() != before


def test_a_changed_parameter_file_moves_every_chapter_of_that_county_only(chapters, tmp_path):
    params = tmp_path / "parameters"
    shutil.copytree(paths.PARAMETERS, params)
    before = fingerprints(chapters, tmp_path, params)
    edit(params / "46-vestland.yaml", "\n", "\n# kommentar\n")
    after = fingerprints(chapters, tmp_path, params)
    assert all(after[c] != before[c] for c in before)
    cfg = validate(["03"], 1, False, False, chapters, tmp_path / "out", params, None, False)
    oslo = run_plan.make_plan(cfg).counties[0].parts
    assert oslo["parameters"] == run_plan.sha((paths.PARAMETERS / "03-oslo.yaml").read_bytes())


def test_a_per_chapter_input_is_one_more_item_and_moves_that_chapter_only(
    chapters, tmp_path, monkeypatch
):
    assessment = tmp_path / "kostra-vurdering.md"
    assessment.write_text("Vurderinga vår.", encoding="utf-8")
    original = run_plan.chapter_inputs

    def with_assessment(spec, params, param_dir):
        extra = [("assessment", assessment)] if spec.id == "kostra" else []
        return original(spec, params, param_dir) + extra

    monkeypatch.setattr(run_plan, "chapter_inputs", with_assessment)
    before = fingerprints(chapters, tmp_path)
    assessment.write_text("Ei anna vurdering.", encoding="utf-8")
    after = fingerprints(chapters, tmp_path)
    assert after["befolkning"] == before["befolkning"]
    assert after["kostra"] != before["kostra"]
    assessment.unlink()  # a missing input counts too
    assert fingerprints(chapters, tmp_path)["kostra"] not in {before["kostra"], after["kostra"]}


def test_the_reason_names_the_changed_chapter(chapters, tmp_path):
    cfg = validate(["46"], 1, False, False, chapters, tmp_path / "out", None, None, False)
    cp = run_plan.make_plan(cfg).counties[0]
    report = tmp_path / "report.html"
    report.write_text("x", encoding="utf-8")
    prev = {"status": "ok", "fingerprint": cp.fingerprint, "fingerprint_parts": cp.parts}
    assert run_plan.why_run(prev, cp.parts, cp.fingerprint, report, force=False) is None
    edit(chapters[1].path, "Testkapittel som", "Endra testkapittel som")
    cp2 = run_plan.make_plan(cfg).counties[0]
    why = run_plan.why_run(prev, cp2.parts, cp2.fingerprint, report, force=False)
    assert why == "changed: chapter kostra"


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"status": "ok", "fingerprint": "abc"}, "abc"),
        ({"status": "failed", "fingerprint": "abc"}, None),  # a failed chapter always runs again
        ({"status": "ok"}, None),  # written before chapters had fingerprints
        (None, None),
    ],
)
def test_only_a_notebook_that_ran_to_the_end_has_a_reusable_fingerprint(tmp_path, meta, expected):
    nb = tmp_path / "x.ipynb"
    metadata = {} if meta is None else {"kunnskapsgrunnlag": meta}
    nb.write_text(json.dumps({"cells": [], "metadata": metadata}), encoding="utf-8")
    assert stored_fingerprint(nb) == expected
    assert stored_fingerprint(tmp_path / "missing.ipynb") is None
