"""A county's own content: assessments, its choice of chapters, its own chapters (issue 15).

Each refusal exits 2 naming the parameter file, the field and the wrong file; the assessment is
shown in its own box at the end of its chapter with raw HTML escaped; a changed assessment or
county notebook makes the county run again; only Telemark has its own chapter.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kunnskapsgrunnlag import contents, paths
from kunnskapsgrunnlag.cli import main
from kunnskapsgrunnlag.params import load_all, load_parameters

TELEMARK = (
    'county_code: "40"\ncounty_name: Telemark\nwritten_standard: nb\n'
    "comparison:\n  kind: all_counties\n"
)
VESTLAND = (
    'county_code: "46"\ncounty_name: Vestland\nwritten_standard: nn\n'
    "comparison:\n  kind: all_counties\n"
)
HOSTILE = (
    "---\nauthor: Analyseavdelinga\ndate: 2026-11-30\n---\n"
    "Vi meiner at **tala** viser ei utfordring.\n\n"
    "<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n"
    "## Tiltak\n\n- betre [kollektivtilbod](https://example.org)\n"
)


def folder(tmp_path: Path, text: str, files: dict[str, bytes] | None = None) -> Path:
    """A private parameter folder with one file (46-vestland.yaml or 40-telemark.yaml)."""
    d = tmp_path / "params"
    d.mkdir()
    name = "40-telemark.yaml" if '"40"' in text else "46-vestland.yaml"
    (d / name).write_text(text, encoding="utf-8")
    for rel, data in (files or {}).items():
        target = d / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return d


def validate(capsys, d: Path) -> tuple[int, str]:
    rc = main(["validate", "--parameters", str(d)])
    return rc, capsys.readouterr().err


REFUSALS = {
    # name: (extra yaml, files beside the parameter file, field named, words in the message)
    "missing-file": (
        "assessments:\n  befolkning: vurderingar/finst-ikkje.md\n",
        {},
        "assessments.befolkning",
        "finst-ikkje.md: the file does not exist",
    ),
    "outside-the-project": (
        "assessments:\n  befolkning: ../../../../../../../etc/hostname\n",
        {},
        "assessments.befolkning",
        "outside the project",
    ),
    "absolute-path": (
        "assessments:\n  befolkning: /etc/hostname\n",
        {},
        "assessments.befolkning",
        "outside the project",
    ),
    "unknown-chapter": (
        "assessments:\n  havbruk: vurderinger/v.md\n",
        {"vurderinger/v.md": b"Tekst.\n"},
        "assessments.havbruk",
        "unknown chapter id 'havbruk'",
    ),
    "chapter-not-chosen": (
        "chapters: [befolkning]\nassessments:\n  kostra: vurderinger/v.md\n",
        {"vurderinger/v.md": b"Tekst.\n"},
        "assessments.kostra",
        "unknown chapter id 'kostra'",
    ),
    "not-utf-8": (
        "assessments:\n  befolkning: vurderinger/v.md\n",
        {"vurderinger/v.md": "Vi meiner at tala er gode for Møre.\n".encode("latin-1")},
        "assessments.befolkning",
        "v.md: the file is not UTF-8",
    ),
    "bad-front-matter": (
        "assessments:\n  befolkning: vurderinger/v.md\n",
        {"vurderinger/v.md": b"---\nauthor: A\nsignatur: B\n---\nTekst.\n"},
        "assessments.befolkning",
        "unknown front matter key(s) signatur",
    ),
    "empty-assessment": (
        "assessments:\n  befolkning: vurderinger/v.md\n",
        {"vurderinger/v.md": b"---\nauthor: A\n---\n\n"},
        "assessments.befolkning",
        "has no text",
    ),
    "unknown-standard-chapter": (
        "chapters: [befolkning, klima]\n",
        {},
        "chapters",
        "unknown chapter 'klima'",
    ),
    "chapter-twice": ("chapters: [kostra, kostra]\n", {}, "chapters", "listed twice"),
    "no-chapters": ("chapters: []\n", {}, "chapters", "lists no chapter"),
    "county-notebook-missing": (
        "extra_chapters: [havbruk.ipynb]\n",
        {},
        "extra_chapters",
        "no notebook notebooks/fylker/46-vestland/havbruk.ipynb",
    ),
    "county-notebook-name": (
        "extra_chapters: [../10_befolkning.ipynb]\n",
        {},
        "extra_chapters",
        "expected a notebook file name",
    ),
    "county-notebook-standard-name": (
        "extra_chapters: [kostra.ipynb]\n",
        {},
        "extra_chapters",
        "the name of a standard chapter",
    ),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_each_refusal_exits_2_naming_file_and_field(case, tmp_path, capsys, monkeypatch):
    extra, files, field, words = REFUSALS[case]
    monkeypatch.chdir(tmp_path)
    d = folder(tmp_path, VESTLAND + extra, files)
    rc, err = validate(capsys, d)
    assert rc == 2
    assert f"46-vestland.yaml: {field}: " in err
    assert words in err


def test_an_assessment_outside_through_a_symbolic_link_is_refused(tmp_path, capsys):
    outside = tmp_path / "elsewhere.md"
    outside.write_text("Tekst.\n", encoding="utf-8")
    d = folder(tmp_path, VESTLAND + "assessments:\n  befolkning: vurderinger/v.md\n")
    (d / "vurderinger").mkdir()
    (d / "vurderinger" / "v.md").symlink_to(outside)
    rc, err = validate(capsys, d)
    assert rc == 2 and "assessments.befolkning" in err and "outside the project" in err


def test_a_good_assessment_resolves_and_is_not_a_notebook_parameter(tmp_path, capsys):
    d = folder(
        tmp_path,
        VESTLAND + "chapters: [kostra, befolkning]\nassessments:\n  befolkning: vurderinger/b.md\n",
        {"vurderinger/b.md": HOSTILE.encode()},
    )
    assert validate(capsys, d)[0] == 0
    p = load_parameters(d / "46-vestland.yaml")
    assert p.assessment_file("befolkning") == (d / "vurderinger/b.md").resolve()
    assert p.chapter_ids() == ["kostra", "befolkning"]
    assert set(p.notebook_parameters()) == {
        "county_code",
        "county_name",
        "written_standard",
        "comparison",
    }


def test_the_shipped_files_give_only_telemark_a_chapter_of_its_own_and_no_assessment():
    good, errors = load_all()
    assert not errors
    own = {p.county_code: p.extra_chapters for p in good if p.extra_chapters}
    assert own == {"40": ["klimagassutslipp.ipynb", "kommuneframskriving.ipynb"]}
    assert not any(p.assessments for p in good)  # no invented assessment is shipped
    assert all(p.chapters is None for p in good)


def test_documented_example_assessment_is_valid(capsys):
    example = paths.DOCS / "eksempel-vurdering"
    assert validate(capsys, example)[0] == 0
    p = load_parameters(example / "40-telemark.yaml")
    assert p.assessment_files()


# --------------------------------------------------------------------------- the report
def _report(tmp_path: Path, params_text: str, files: dict[str, bytes], extra_spec=None) -> str:
    from kunnskapsgrunnlag.publish import report
    from test_report import RUN_INFO, demo_chapter, executed_notebook

    d = folder(tmp_path, params_text, files)
    p = load_parameters(next(d.glob("*.yaml")))
    executed = []
    specs = [contents.get("befolkning"), contents.get("kostra")]
    if extra_spec is not None:
        specs.append(extra_spec)
    for spec in specs:
        ch = demo_chapter(spec.id if not spec.own else "kostra", p.county_code, p.lang)
        executed.append((spec, executed_notebook(ch, tmp_path / f"{spec.id}.ipynb")))
    out = tmp_path / "r.html"
    report.build_county_report(p, executed, out, dict(RUN_INFO))
    return out.read_text(encoding="utf-8")


def _section(page: str, chapter: str) -> str:
    start = page.index(f'data-kg-chapter="{chapter}"')
    end = page.index("</section>\n", page.index('<section class="kg-chapter-section"', start - 80))
    return page[start:end]


def test_assessment_box_is_at_the_end_of_its_chapter_with_raw_html_escaped(tmp_path):
    page = _report(
        tmp_path,
        VESTLAND + "assessments:\n  befolkning: vurderinger/v.md\n",
        {"vurderinger/v.md": HOSTILE.encode()},
    )
    assert page.count('<aside class="kg-assessment">') == 1
    sec = page[page.index('data-kg-chapter="befolkning"') : page.index('data-kg-chapter="kostra"')]
    box = sec[sec.index('<aside class="kg-assessment">') :]
    assert '<h3 class="kg-box-title">Fylkeskommunen si vurdering</h3>' in box
    assert "<strong>tala</strong>" in box and "<h4>Tiltak</h4>" in box  # rendered, heading inside
    # raw HTML is shown as text, never passed through
    assert "&lt;script&gt;alert(" in box and "&lt;img src=x onerror=alert(1)&gt;" in box
    assert "<script" not in page.lower() and "onerror=alert" not in page.replace(
        "&lt;img src=x onerror=alert(1)&gt;", ""
    )
    assert "https://example.org" not in page  # links keep in-page anchors only
    # the box comes after every computed fragment of the chapter, the front matter under it
    assert "kg-figure" not in box and "kg-key-points" not in box
    assert "Skriven av Analyseavdelinga, 30. november 2026." in box
    assert box.index("</aside>") < box.index("Skriven av")
    # not in the contents list
    toc = page[page.index('<nav class="kg-toc"') : page.index("</nav>")]
    assert "vurdering" not in toc


def test_the_county_own_chapter_is_marked_in_the_contents(tmp_path):
    spec = contents.ChapterSpec("eige", 1000, "", "Eige", "Eige", own=True)
    page = _report(tmp_path, TELEMARK, {}, extra_spec=spec)
    toc = page[page.index('<nav class="kg-toc"') : page.index("</nav>")]
    assert toc.count("(fylkeskommunens eget kapittel)") == 1
    assert '<aside class="kg-assessment">' not in page  # no assessment named: no box


# --------------------------------------------------------------------------- the run
def test_changed_assessment_or_county_notebook_makes_the_county_run_again(tmp_path, monkeypatch):
    from kunnskapsgrunnlag.publish.run import plan as plan_mod
    from kunnskapsgrunnlag.publish.run.inputs import validate as run_validate

    monkeypatch.setattr(plan_mod, "library_hash", lambda: "pinned")
    d = folder(
        tmp_path,
        TELEMARK + "extra_chapters: [klimagassutslipp.ipynb]\nassessments:\n"
        "  klimagassutslipp: vurderinger/v.md\n",
        {"vurderinger/v.md": b"Fyrste versjon.\n"},
    )
    report = tmp_path / "out" / "reports" / "40-telemark.html"
    report.parent.mkdir(parents=True)
    report.write_text("x")

    def plan_now():
        cfg = run_validate(None, 1, False, False, None, tmp_path / "out", d, None, False)
        return cfg, plan_mod.make_plan(cfg).counties[0]

    cfg, first = plan_now()
    names = [c.id for c in cfg.county_chapters(first.params)]
    assert names[-1] == "klimagassutslipp" and cfg.county_chapters(first.params)[-1].own
    prev = {"status": "ok", "fingerprint": first.fingerprint, "fingerprint_parts": first.parts}
    assert plan_mod.why_run(prev, first.parts, first.fingerprint, report, False) is None
    (d / "vurderinger" / "v.md").write_text("Andre versjon.\n", encoding="utf-8")
    _, second = plan_now()
    assert second.fingerprint != first.fingerprint
    why = plan_mod.why_run(prev, second.parts, second.fingerprint, report, False)
    assert why == "changed: assessment"
    for c in names:  # the county runs again, but every chapter's executed notebook is reused
        assert plan_mod.chapter_fingerprint(second.parts, c) == plan_mod.chapter_fingerprint(
            first.parts, c
        )
    nb = paths.NOTEBOOKS / "fylker" / "40-telemark" / "klimagassutslipp.ipynb"
    monkeypatch.setattr(plan_mod, "sha", _sha_with_changed(nb.read_bytes()))
    _, third = plan_now()
    why = plan_mod.why_run(prev, third.parts, third.fingerprint, report, False)
    assert "chapter klimagassutslipp" in why


def _sha_with_changed(data: bytes):
    import hashlib

    def sha(b: bytes) -> str:
        return hashlib.sha256(b + (b"changed" if b == data else b"")).hexdigest()

    return sha


def test_new_chapter_command_makes_a_county_notebook_from_the_template(tmp_path, monkeypatch):
    from kunnskapsgrunnlag import params_county

    monkeypatch.setattr(paths, "NOTEBOOKS", tmp_path / "notebooks")
    (tmp_path / "notebooks").mkdir()
    template = json.loads((paths.ROOT / "notebooks" / "_kapittelmal.ipynb").read_text("utf-8"))
    (tmp_path / "notebooks" / "_kapittelmal.ipynb").write_text(json.dumps(template), "utf-8")
    assert main(["new-chapter", "--county", "15", "havbruk", "--title", "Havbruk"]) == 0
    made = tmp_path / "notebooks" / "fylker" / "15-more-og-romsdal" / "havbruk.ipynb"
    nb = json.loads(made.read_text("utf-8"))
    code = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "Chapter(\"havbruk\", ctx, title=('Havbruk', 'Havbruk'))" in code
    assert nb["cells"][1]["metadata"]["tags"] == ["parameters"]
    assert nb["metadata"]["kunnskapsgrunnlag"]["title"] == {"nb": "Havbruk", "nn": "Havbruk"}
    assert main(["new-chapter", "--county", "15", "havbruk", "--title", "Havbruk"]) == 2
    assert main(["new-chapter", "--county", "30", "x", "--title", "X"]) == 2
    spec = contents.county_chapter("15-more-og-romsdal", "havbruk.ipynb", 1000)
    assert (
        spec.own
        and spec.title("nn") == "Havbruk"
        and params_county.chapter_id(made.name) == "havbruk"
    )


@pytest.mark.slow
@pytest.mark.xdist_group("kg-run-kernels")
def test_kg_run_with_private_parameters_shows_the_box_and_rebuilds_on_a_changed_assessment(
    tmp_path, monkeypatch
):
    import io

    from kunnskapsgrunnlag.publish import run as runner
    from kunnskapsgrunnlag.publish.run import plan as plan_mod
    from test_runner import OK

    monkeypatch.setattr(plan_mod, "library_hash", lambda: "pinned")
    d = folder(
        tmp_path,
        VESTLAND + "assessments:\n  befolkning: vurderinger/v.md\n",
        {"vurderinger/v.md": b"Fyrste <em>versjon</em>.\n"},
    )
    out = tmp_path / "elsewhere"

    def kg_run():
        log = io.StringIO()
        result = runner.run(
            ["46"], 1, chapters=[OK], outputs=out, parameters=d, stdout=log, stderr=log
        )
        return result, log.getvalue()

    result, _ = kg_run()
    assert result.exit_code == 0
    page = (out / "reports" / "46-vestland.html").read_text(encoding="utf-8")
    assert "Fylkeskommunen si vurdering" in page and "Fyrste &lt;em&gt;versjon&lt;/em&gt;." in page
    assert "<em>versjon</em>" not in page
    result, log = kg_run()
    assert "up to date, not run: 46 Vestland" in log
    (d / "vurderinger" / "v.md").write_text("Andre versjon.\n", encoding="utf-8")
    result, log = kg_run()
    assert result.exit_code == 0 and result.county("46").reason == "changed: assessment"
    assert "Andre versjon." in (out / "reports" / "46-vestland.html").read_text(encoding="utf-8")


def test_kg_run_passes_parameters_and_outputs_folders(monkeypatch, tmp_path):
    from kunnskapsgrunnlag.publish.run import batch

    seen = {}

    class Result:
        exit_code = 0

    def fake_run(**kw):
        seen.update(kw)
        return Result()

    monkeypatch.setattr(batch, "run", fake_run)
    args = ["run", "--parameters", str(tmp_path / "p"), "--outputs", str(tmp_path / "o")]
    assert main([*args, "--county", "40"]) == 0
    assert seen["parameters"] == tmp_path / "p" and seen["outputs"] == tmp_path / "o"
    assert seen["counties"] == ["40"]
