"""The library's shape: imports point down the layers, publishing names no chapter, budgets hold.

Layers, lowest first (``docs/architecture.md``): base → regions → data → params/context →
indicators → analysis → charts → chapters → publish → cli/bench/lab. A module may import its own
layer and the layers below, never above — also inside functions (lazy imports count). The
package face ``kunnskapsgrunnlag/__init__.py`` re-exports names lazily and is exempt.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from kunnskapsgrunnlag import paths

PACKAGE = paths.LIB / "kunnskapsgrunnlag"
LAYERS: list[set[str]] = [
    {"paths", "status", "formatting", "text", "contents", "language"},
    {"regions"},
    {"data"},
    {"params", "params_yaml", "params_county", "context"},
    {"indicators"},
    {"analysis"},
    {"charts"},
    {"chapters"},
    {"publish"},
    {"cli", "bench", "lab", "__main__"},
]
LAYER_OF = {name: i for i, names in enumerate(LAYERS) for name in names}


def _top(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "kunnskapsgrunnlag" and len(parts) > 1 else None


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "kunnskapsgrunnlag":
                found += [(node.lineno, f"kunnskapsgrunnlag.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
    return [(line, m) for line, m in found if _top(m)]


def _modules() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if p != PACKAGE / "__init__.py"]


def test_every_module_is_in_a_layer():
    tops = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in _modules()}
    assert tops <= set(LAYER_OF), f"modules outside the layer map: {sorted(tops - set(LAYER_OF))}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down(path: Path):
    own = LAYER_OF[path.relative_to(PACKAGE).parts[0].removesuffix(".py")]
    upward = [
        f"line {line}: {module}"
        for line, module in _imports(path)
        if _top(module) in LAYER_OF and LAYER_OF[_top(module)] > own
    ]
    assert not upward, f"{path.relative_to(PACKAGE)} imports a higher layer: {upward}"


def test_the_publishing_layer_names_no_chapter():
    named = [
        f"{p.relative_to(PACKAGE)}:{line}: {m}"
        for p in sorted((PACKAGE / "publish").rglob("*.py"))
        for line, m in _imports(p)
        if _top(m) == "chapters"
    ]
    assert not named


def test_size_budgets_hold():
    proc = subprocess.run(
        [sys.executable, str(paths.ROOT / "tools" / "budgets.py"), str(PACKAGE)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout
