"""Size budgets of the library: modules ≤ 400 lines, functions ≤ 60 lines.

Usage: ``python tools/budgets.py [PATH...]`` (default ``lib/``) prints one line per excess and
exits 1 when there is any. A justified exception carries a comment ``# budget: <why>`` on the
line above the ``def`` (functions) or in the module's first 5 lines (modules).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

MODULE_LINES = 400
FUNCTION_LINES = 60
MARK = "# budget:"


def excesses(path: Path) -> list[str]:
    """Return the budget excesses of one Python file, as ``path:line: what`` strings."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    if len(lines) > MODULE_LINES and not any(MARK in line for line in lines[:5]):
        out.append(f"{path}:1: module has {len(lines)} lines (budget {MODULE_LINES})")
    for node in ast.walk(ast.parse("\n".join(lines))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        length = node.end_lineno - node.lineno + 1
        marked = first >= 2 and MARK in lines[first - 2]
        if length > FUNCTION_LINES and not marked:
            out.append(
                f"{path}:{node.lineno}: {node.name} has {length} lines (budget {FUNCTION_LINES})"
            )
    return out


def main(argv: list[str]) -> int:
    """Check every ``.py`` file under the given paths (default ``lib/``)."""
    roots = [Path(a) for a in argv] or [Path(__file__).resolve().parents[1] / "lib"]
    found = []
    for root in roots:
        files = [root] if root.is_file() else sorted(root.rglob("*.py"))
        for f in files:
            found += excesses(f)
    print("\n".join(found) if found else "budgets: ok")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
