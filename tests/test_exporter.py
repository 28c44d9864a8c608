"""The nbconvert exporter ``kunnskapsgrunnlag``: a chapter page, the report through it, the CLI."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
import tomllib

import nbformat
import pytest

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.publish import report
from kunnskapsgrunnlag.publish.report import exporter as kg_exporter
from test_report import RUN_INFO, SECRET_CODE, executed_chapters, params_for

ENTRY = "kunnskapsgrunnlag.publish.report.exporter:KunnskapsgrunnlagExporter"


def test_pyproject_registers_the_exporter_under_nbconverts_entry_point():
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    entry = project["entry-points"]["nbconvert.exporters"]["kunnskapsgrunnlag"]
    assert entry == ENTRY
    module, cls = entry.split(":")
    assert getattr(importlib.import_module(module), cls) is kg_exporter.KunnskapsgrunnlagExporter


def _chapter_with_papermill_parameters(tmp_path):
    spec, path = executed_chapters(tmp_path, "46")[0]
    nb = nbformat.read(path, as_version=4)
    nb.metadata["papermill"] = {"parameters": {"county_code": "46", "written_standard": "nn"}}
    nbformat.write(nb, path)
    return spec, path


def test_one_chapter_becomes_a_self_contained_page_without_code(tmp_path):
    spec, path = _chapter_with_papermill_parameters(tmp_path)
    page, resources = kg_exporter.KunnskapsgrunnlagExporter().from_filename(str(path))
    assert resources["output_extension"] == ".html"
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="nn">' in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert f'<h2 class="kg-heading kg-chapter" id="{spec.id}">' in page
    assert "Figur 1." in page and "Tabell 1." in page
    for hidden in (SECRET_CODE, "SECRET STDOUT", "SECRET WARNING", "STRAY", "INJECTED PARAMS"):
        assert hidden not in page
    assert "<script" not in page and "mathjax" not in page.lower()
    assert re.findall(r'\bsrc="(?!data:)', page) == []


def test_a_notebook_without_county_parameters_is_refused_with_a_reason(tmp_path):
    _, path = executed_chapters(tmp_path, "46")[0]  # no papermill or kg run metadata
    with pytest.raises(report.ReportError, match="no county parameters"):
        kg_exporter.KunnskapsgrunnlagExporter().from_filename(str(path))


def test_the_report_is_the_joined_chapters_through_the_exporter(tmp_path):
    p, executed = params_for("03"), executed_chapters(tmp_path, "03")
    joined = kg_exporter.join_chapters(p, executed, RUN_INFO | {"date": "2025-03-04"})
    order = [spec.id for spec, _ in executed]
    cells = [c["metadata"]["kunnskapsgrunnlag"]["chapter"] for c in joined["cells"]]
    assert list(dict.fromkeys(cells)) == order  # every cell tagged, the chapters in report order
    assert len(cells) == sum(len(nbformat.read(path, 4)["cells"]) for _, path in executed)
    via_exporter, _ = kg_exporter.exporter().from_notebook_node(nbformat.from_dict(joined))
    # each chapter's section, in order, from the joined notebook through the exporter
    assert (
        re.findall(r'<section class="kg-chapter-section" data-kg-chapter="([^"]+)"', via_exporter)
        == order
    )
    assert (
        report.render_county_report(p, executed, RUN_INFO | {"date": "2025-03-04"}) == via_exporter
    )


@pytest.mark.slow
def test_jupyter_nbconvert_command_converts_an_executed_chapter(tmp_path):
    _, path = _chapter_with_papermill_parameters(tmp_path)
    # The class by name: the entry point needs the package installed; same exporter.
    to = ENTRY.replace(":", ".")
    proc = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", to, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    page = path.with_suffix(".html").read_text(encoding="utf-8")
    assert '<html lang="nn">' in page and "Figur 1." in page and SECRET_CODE not in page
