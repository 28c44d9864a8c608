"""The tutorial (`notebooks/00_kom_i_gang.ipynb`) and the chapter template run top to bottom.

Both are executed from a temporary working copy, as a new analyst would run them. The tutorial
must leave `data/`, `outputs/` and the indicator registry alone: the kernel gets `KG_OUTPUTS`
pointing at a trap folder (anything written to the default outputs would land there) and
`TMPDIR` inside the test's folder, and `data/` and `indicators.yaml` are compared before/after.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from kunnskapsgrunnlag import indicators, params, paths

pytestmark = pytest.mark.slow

TUTORIAL = paths.NOTEBOOKS / "00_kom_i_gang.ipynb"
TEMPLATE = paths.NOTEBOOKS / "_kapittelmal.ipynb"


def _tree_state(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _outputs(nb: Any) -> list[dict[str, Any]]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def _text(nb: Any) -> str:
    parts = []
    for o in _outputs(nb):
        if o.output_type == "stream":
            parts.append(o.text)
        elif "data" in o:
            parts.append(o.data.get("text/html") or o.data.get("text/plain", ""))
    return "\n".join(parts)


def _reader_problems(nb: Any) -> list[str]:
    problems = []
    for i, cell in enumerate(nb.cells, start=1):
        for o in cell.get("outputs", []):
            if o.output_type == "error":
                problems.append(f"cell {i}: {o.ename}: {o.evalue}")
            elif o.output_type == "stream" and o.name == "stderr":
                problems.append(f"cell {i} wrote to stderr: {o.text[:300]!r}")
    return problems


@pytest.fixture(scope="module")
def tutorial_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("tutorial")
    work, trap, tmp = root / "arbeid", root / "trap-outputs", root / "tmp"
    work.mkdir()
    tmp.mkdir()
    shutil.copy2(TUTORIAL, work / TUTORIAL.name)
    data_before = _tree_state(paths.DATA)
    registry_before = _sha(indicators.REGISTRY_FILE)

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KG_OUTPUTS", str(trap))
        mp.setenv("TMPDIR", str(tmp))
        nb = nbformat.read(work / TUTORIAL.name, as_version=4)
        client = NotebookClient(
            nb, kernel_name="python3", timeout=900, resources={"metadata": {"path": str(work)}}
        )
        client.execute()
    return {
        "nb": nb,
        "tmp": tmp,
        "trap": trap,
        "data_before": data_before,
        "registry_before": registry_before,
    }


def test_tutorial_runs_without_errors_or_stderr(tutorial_run):
    assert _reader_problems(tutorial_run["nb"]) == []


def test_tutorial_publishes_one_county_report_in_a_temporary_folder(tutorial_run):
    text = _text(tutorial_run["nb"])
    m = re.search(r"^Rapporten: (.+\.html)$", text, re.MULTILINE)
    assert m, "the tutorial prints the report's path"
    report = Path(m.group(1))
    assert report.is_file()
    assert report.is_relative_to(tutorial_run["tmp"])
    assert report.name == "46-vestland.html"
    html = report.read_text(encoding="utf-8")
    assert 'lang="nn"' in html
    assert "Vestland" in html
    assert "46 Vestland: ok" in text


def test_tutorial_leaves_data_outputs_and_registry_alone(tutorial_run):
    assert not tutorial_run["trap"].exists(), "something was written to the default outputs/"
    assert _tree_state(paths.DATA) == tutorial_run["data_before"]
    assert _sha(indicators.REGISTRY_FILE) == tutorial_run["registry_before"]


def test_tutorial_shows_what_it_teaches(tutorial_run):
    nb = tutorial_run["nb"]
    text = _text(nb)
    # status symbols: a sum over confidential cells stays ':' (pandas would say 0)
    assert "funksjon 100–120 samlet, riktig: : (1000 kr)" in text
    assert "Ikke mulig å oppgi tall" in text and "konfidensialitetshensyn" in text
    # the 2019 municipalities summed to the 15 counties of 2024, Halsa moved to Trøndelag
    assert "Heim, Hitra og Orkland (samla før 2020)" in text
    # the registry check names the missing nynorsk name
    assert "name.nn: missing" in text
    assert "Det ekte registeret er uendret." in text
    # a chart and a map, drawn as images
    images = [o for o in _outputs(nb) if "data" in o and "image/png" in o.data]
    assert len(images) == 2


def test_template_runs_as_a_chapter_for_a_nynorsk_county(tmp_path):
    import papermill

    county = params.load_parameters(params.file_for("46"))
    out = tmp_path / "kapittelmal-46.ipynb"
    papermill.execute_notebook(
        str(TEMPLATE),
        str(out),
        parameters={**county.notebook_parameters(), "data_source": "snapshot"},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp_path),
    )
    nb = nbformat.read(out, as_version=4)
    assert _reader_problems(nb) == []
    text = _text(nb)
    assert "Samanlikna med landet" in text  # nynorsk heading
    assert "kg-barometer-rows" in text  # the chapter feeds the barometer
    assert 'class="kg-key-points"' in text
    assert 'class="kg-figure"' in text and 'class="kg-table"' in text
    assert "Vestland" in text
