"""The pip lock file, pyproject.toml and environment.yml name the same packages and versions."""

import re
import subprocess
import tomllib

import yaml

from kunnskapsgrunnlag import paths


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lock() -> dict[str, str]:
    out = {}
    for line in (paths.ROOT / "requirements.lock").read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)$", line)
        if m:
            out[_norm(m.group(1))] = m.group(2)
    return out


def _pyproject_names() -> list[str]:
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    return [_norm(n) for n in project["dependencies"] + project["optional-dependencies"]["dev"]]


def _conda() -> dict[str, str]:
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for p in dep["pip"]:
                if p == "-e .":
                    continue
                name, version = p.split("==")
                pins[_norm(name)] = version
        else:
            name, _, version = dep.partition("=")
            pins[_norm(name)] = version
    assert "-e ." in next(d for d in env["dependencies"] if isinstance(d, dict))["pip"]
    return pins


def test_every_dependency_is_pinned_in_the_lock():
    lock = _lock()
    missing = [n for n in _pyproject_names() if n not in lock]
    assert missing == []


def test_environment_yml_names_the_same_packages_and_versions():
    lock, conda = _lock(), _conda()
    names = set(_pyproject_names())
    assert set(conda) - {"python", "pip"} == names
    assert {n: conda[n] for n in names} == {n: lock[n] for n in names}


def test_core_stack_is_there():
    names = set(_pyproject_names())
    for core in [
        "jupyterlab",
        "pandas",
        "geopandas",
        "matplotlib",
        "papermill",
        "nbconvert",
        "pyjstat",
    ]:
        assert core in names


# Declared for what they do without an import of their own name: the kernel and JupyterLab,
# the engines geopandas (pyogrio: files, pyproj: CRS) and pandas.read_excel (openpyxl) use, tools.
_NOT_IMPORTED = {"ipykernel", "jupyterlab", "pyogrio", "pyproj", "openpyxl", "nbstripout",
                 "pre-commit", "pytest-xdist", "ruff"}  # fmt: skip
_IMPORT_NAME = {
    "pillow": "PIL",
    "pyyaml": "yaml",
    "ipython": "IPython",
    "jupyter-client": "jupyter_client",
}


def _sources() -> str:
    files = [*paths.ROOT.glob("lib/**/*.py"), *paths.ROOT.glob("tests/**/*.py"),
             *paths.ROOT.glob("notebooks/**/*.ipynb"), *paths.ROOT.glob("tools/*.py")]  # fmt: skip
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


def test_no_declared_dependency_is_unused():
    text = _sources()
    unused = []
    for name in _pyproject_names():
        if name in _NOT_IMPORTED:
            continue
        module = _IMPORT_NAME.get(name, name.replace("-", "_"))
        if not re.search(rf"^\s*(?:import|from)\s+{re.escape(module)}\b", text, re.M):
            unused.append(name)
    assert unused == []


def test_lib_is_tracked_by_git():
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "lib/kunnskapsgrunnlag/__init__.py"],
        cwd=paths.ROOT,
        check=False,
    )
    assert ignored.returncode == 1, "lib/ must not be git-ignored"
