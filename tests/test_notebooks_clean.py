"""Committed notebooks are clean, and chapter notebooks start with papermill's parameters cell.

Rules (CONTRIBUTING.md, docs/ny-kapittel.md):

* every committed notebook under ``notebooks/`` has no outputs and no execution counts
  (``nbstripout`` in pre-commit does this for you);
* every registered chapter (``contents.CHAPTERS``) and the chapter template
  ``notebooks/_kapittelmal.ipynb`` has, as its first code cell, a cell tagged ``parameters``
  that assigns exactly the five notebook parameters, with the documented defaults;
* the template is never a registered chapter (chapters come only from the registry).
"""

from __future__ import annotations

import ast
import json
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kunnskapsgrunnlag import contents, paths

TEMPLATE = "_kapittelmal.ipynb"
TUTORIAL = "00_kom_i_gang.ipynb"

PARAMETER_DEFAULTS: dict[str, Any] = {
    "county_code": "03",
    "county_name": "Oslo",
    "written_standard": "nb",
    "comparison": {"kind": "all_counties"},
    "data_source": "snapshot",
}
"""The parameters cell of every chapter: the parameter-file keys plus ``data_source``."""


# ----------------------------------------------------------------------------- checks
def committed_notebooks(root: Path = paths.ROOT) -> list[Path]:
    """Notebooks under ``notebooks/`` known to git (or, with no git or none tracked, on disk)."""
    folder = root / "notebooks"
    found: list[Path] = []
    git = shutil.which("git")
    if git and (root / ".git").exists():
        proc = subprocess.run(
            [git, "ls-files", "-z", "--", "notebooks"],
            cwd=root,
            capture_output=True,
            timeout=60,
            check=False,
        )
        if proc.returncode == 0:
            names = [n for n in proc.stdout.decode("utf-8").split("\0") if n.endswith(".ipynb")]
            found = [root / n for n in names if (root / n).is_file()]
    if not found:
        found = sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    return sorted(found)


def _source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def output_problems(nb: dict[str, Any]) -> list[str]:
    """What keeps *nb* (a notebook as JSON) from being committed: outputs, execution counts."""
    problems = []
    for i, cell in enumerate(nb.get("cells", []), start=1):
        if cell.get("cell_type") != "code":
            continue
        if cell.get("outputs"):
            problems.append(f"cell {i} has {len(cell['outputs'])} output(s)")
        if cell.get("execution_count") is not None:
            problems.append(f"cell {i} has execution_count {cell['execution_count']}")
    return problems


def parameters_problems(nb: dict[str, Any]) -> list[str]:
    """Problems with the parameters cell of a chapter notebook (empty list: fine)."""
    code_cells = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    tagged = [
        i for i, c in enumerate(code_cells) if "parameters" in c.get("metadata", {}).get("tags", [])
    ]
    if not tagged:
        return ["no code cell is tagged 'parameters' (papermill needs it)"]
    problems = []
    if len(tagged) > 1:
        problems.append(f"{len(tagged)} cells are tagged 'parameters'; tag exactly one")
    if tagged[0] != 0:
        problems.append("the 'parameters' cell must be the first code cell")
    try:
        tree = ast.parse(_source(code_cells[tagged[0]]))
    except SyntaxError as err:
        return [*problems, f"the parameters cell is not valid Python: {err.msg}"]
    values: dict[str, Any] = {}
    for node in tree.body:
        if not (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            problems.append(
                f"line {node.lineno}: the parameters cell holds only `name = literal` assignments"
            )
            continue
        name = node.targets[0].id
        try:
            values[name] = ast.literal_eval(node.value)
        except ValueError:
            problems.append(f"{name}: the default must be a literal")
            values[name] = None
    missing = [k for k in PARAMETER_DEFAULTS if k not in values]
    extra = [k for k in values if k not in PARAMETER_DEFAULTS]
    if missing:
        problems.append(f"missing parameter(s): {', '.join(missing)}")
    if extra:
        problems.append(f"unexpected parameter(s): {', '.join(extra)}")
    for key, default in PARAMETER_DEFAULTS.items():
        if key in values and values[key] is not None and values[key] != default:
            problems.append(f"{key} = {values[key]!r}; the default must be {default!r}")
    return problems


def _load(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _rel(path: Path) -> str:
    return path.relative_to(paths.ROOT).as_posix()


NOTEBOOKS = committed_notebooks()
NEEDS_PARAMETERS = sorted(
    {c.path for c in contents.CHAPTERS if c.path.is_file()}
    | ({paths.NOTEBOOKS / TEMPLATE} if (paths.NOTEBOOKS / TEMPLATE).is_file() else set())
    | set(paths.NOTEBOOKS.glob("fylker/*/*.ipynb"))  # the counties' own chapters
)


# ----------------------------------------------------------------------------- the repository
def test_notebooks_are_found():
    assert NOTEBOOKS, "no notebooks found under notebooks/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_rel)
def test_committed_notebook_has_no_outputs(path):
    problems = output_problems(_load(path))
    assert not problems, (
        f"{_rel(path)}: {'; '.join(problems)}. Strip it: .venv/bin/nbstripout {_rel(path)}"
    )


@pytest.mark.parametrize("path", NEEDS_PARAMETERS, ids=_rel)
def test_chapter_has_parameters_cell(path):
    problems = parameters_problems(_load(path))
    assert not problems, f"{_rel(path)}: {'; '.join(problems)}"


def test_chapter_notebooks_are_python3():
    for path in NEEDS_PARAMETERS:
        spec = _load(path).get("metadata", {}).get("kernelspec", {})
        assert spec.get("name") == "python3", f"{_rel(path)}: kernelspec {spec!r}"


def test_template_is_not_a_chapter():
    names = {c.notebook for c in contents.CHAPTERS}
    assert TEMPLATE not in names
    assert TUTORIAL not in names
    assert all(not c.path.name.startswith("_") for c in contents.chapters(available_only=False))
    assert (paths.NOTEBOOKS / TEMPLATE) not in {c.path for c in contents.chapters()}


# ----------------------------------------------------------------------------- the checks can fail
def _nb(*cells: dict[str, Any]) -> dict[str, Any]:
    return {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def _code(source: str, tags: tuple[str, ...] = (), outputs=(), count=None) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "metadata": {"tags": list(tags)} if tags else {},
        "source": source,
        "outputs": list(outputs),
        "execution_count": count,
    }


GOOD_PARAMETERS = (
    'county_code = "03"\ncounty_name = "Oslo"\nwritten_standard = "nb"\n'
    'comparison = {"kind": "all_counties"}\ndata_source = "snapshot"\n'
)


def test_clean_notebook_passes():
    nb = _nb(_code(GOOD_PARAMETERS, tags=("parameters",)), _code("x = 1"))
    assert output_problems(nb) == []
    assert parameters_problems(nb) == []


def test_outputs_and_execution_counts_are_caught():
    out = {"output_type": "stream", "name": "stdout", "text": "hei\n"}
    nb = _nb(_code("print('hei')", outputs=[out], count=3), _code("x = 1", count=4))
    assert output_problems(nb) == [
        "cell 1 has 1 output(s)",
        "cell 1 has execution_count 3",
        "cell 2 has execution_count 4",
    ]


def test_missing_tag_is_caught():
    assert parameters_problems(_nb(_code(GOOD_PARAMETERS))) == [
        "no code cell is tagged 'parameters' (papermill needs it)"
    ]


def test_parameters_cell_must_come_first():
    nb = _nb(_code("import pandas"), _code(GOOD_PARAMETERS, tags=("parameters",)))
    assert parameters_problems(nb) == ["the 'parameters' cell must be the first code cell"]


def test_missing_wrong_and_extra_parameters_are_caught():
    source = GOOD_PARAMETERS.replace('data_source = "snapshot"\n', 'lang = "nb"\n').replace(
        '"03"', '"46"'
    )
    problems = parameters_problems(_nb(_code(source, tags=("parameters",))))
    assert "missing parameter(s): data_source" in problems
    assert "unexpected parameter(s): lang" in problems
    assert "county_code = '46'; the default must be '03'" in problems


def test_code_in_parameters_cell_is_caught():
    source = GOOD_PARAMETERS + "import os\n"
    problems = parameters_problems(_nb(_code(source, tags=("parameters",))))
    assert problems == ["line 6: the parameters cell holds only `name = literal` assignments"]


# ----------------------------------------------------------------------------- the pre-commit hooks
def _hooks() -> list[dict[str, Any]]:
    import yaml

    config = yaml.safe_load((paths.ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return [hook for repo in config["repos"] for hook in repo["hooks"]]


def test_pre_commit_hooks_are_local_and_offline():
    import yaml

    config = yaml.safe_load((paths.ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    for hook in _hooks():
        assert hook["language"] == "system", hook["id"]
        program = shlex.split(hook["entry"])[0]
        assert program.startswith(".venv/bin/"), f"{hook['id']}: {program}"
        if (paths.ROOT / ".venv").is_dir():
            assert (paths.ROOT / program).is_file(), f"{hook['id']}: {program} is not installed"


def test_nbstripout_hook_strips_outputs_and_keeps_tags(tmp_path):
    (hook,) = [h for h in _hooks() if h["id"] == "nbstripout"]
    argv = shlex.split(hook["entry"])
    program = paths.ROOT / argv[0]
    if not program.is_file():
        pytest.skip(f"{argv[0]} is not installed")
    out = {"output_type": "stream", "name": "stdout", "text": "hei\n"}
    params_cell = _code(GOOD_PARAMETERS, tags=("parameters",), outputs=[out], count=1)
    params_cell["id"] = "parametre"
    params_cell["metadata"]["papermill"] = {"duration": 0.1}
    nb = _nb(params_cell, _code("print('hei')", outputs=[out], count=2))
    nb["cells"][1]["id"] = "celle-2"
    nb["metadata"] = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
    }
    path = tmp_path / "kapittel.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")

    subprocess.run([str(program), *argv[1:], str(path)], check=True, timeout=120)

    stripped = _load(path)
    assert output_problems(stripped) == []
    assert parameters_problems(stripped) == []
    first = stripped["cells"][0]
    assert first["metadata"] == {"tags": ["parameters"]}
    assert [c["id"] for c in stripped["cells"]] == ["parametre", "celle-2"]
    assert stripped["metadata"]["kernelspec"]["name"] == "python3"


def test_chapter_markdown_never_reaches_readers_in_the_wrong_language():
    """Markdown in a chapter is a developer note (tagged kg-skip) or tagged with its language.

    Reader-facing text goes through Chapter.text(nb=..., nn=...), so that Vestland reads nynorsk.
    """
    from kunnskapsgrunnlag.contents import chapters

    offenders = []
    for spec in chapters():
        nb = json.loads(spec.path.read_text(encoding="utf-8"))
        for i, cell in enumerate(nb["cells"]):
            if cell["cell_type"] != "markdown":
                continue
            meta = cell.get("metadata", {})
            tags = set(meta.get("tags", []))
            if not (tags & {"kg-skip", "remove-cell"}) and meta.get("lang") not in {"nb", "nn"}:
                offenders.append(f"{spec.notebook} cell {i}")
    assert offenders == []
