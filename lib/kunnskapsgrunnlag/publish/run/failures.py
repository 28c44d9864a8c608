"""How a failed notebook is described: the cell, what went wrong, what did not run.

Used by :mod:`kunnskapsgrunnlag.publish.run.session` while it executes a notebook; a timeout or
a dead kernel also leaves an error output in the cell, so the executed notebook shows it.
"""

from __future__ import annotations

import re
from typing import Any

from kunnskapsgrunnlag.publish.run.results import CellFailure


def first_line(src: str) -> str:
    """The first non-empty line of *src*, at most 80 characters."""
    for line in src.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= 80 else line[:77] + "…"
    return ""


def strip_ansi(text: str) -> str:
    """*text* without terminal colour codes."""
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


def left_after(nb: Any, idx: int) -> str:
    """How many code cells come after cell *idx*, in words."""
    rest = [c for c in nb.cells[idx + 1 :] if c.cell_type == "code" and c.source.strip()]
    return f"{len(rest)} later code cell(s)" if rest else "no later code cell"


def raised(err: Any, nb: Any, idx: int) -> CellFailure:
    """A cell raised (``CellExecutionError``); ``SystemExit`` means the notebook stopped early."""
    cell = nb.cells[idx]
    ename = getattr(err, "ename", None) or "Error"
    evalue = strip_ansi(str(getattr(err, "evalue", "") or ""))
    if ename == "SystemExit":
        return CellFailure(
            "exit",
            f"sys.exit({evalue}) stopped the notebook early; {left_after(nb, idx)} did not run",
            idx,
            first_line(cell.source),
            ename,
            evalue,
        )
    return CellFailure("error", f"{ename}: {evalue}", idx, first_line(cell.source), ename, evalue)


def stopped(kind: str, ename: str, msg: str, nb: Any, idx: int) -> CellFailure:
    """The runner stopped cell *idx* (timeout, dead kernel): record the error in the cell too."""
    import nbformat

    cell = nb.cells[idx]
    cell.outputs.append(
        nbformat.v4.new_output("error", ename=ename, evalue=msg, traceback=[f"{ename}: {msg}"])
    )
    return CellFailure(kind, msg, idx, first_line(cell.source), ename, msg)


def asked_exit(nb: Any, idx: int) -> CellFailure:
    """``exit()`` or ``quit()`` in cell *idx* stopped the notebook."""
    return CellFailure(
        "exit",
        f"exit()/quit() stopped the notebook early; {left_after(nb, idx)} did not run",
        idx,
        first_line(nb.cells[idx].source),
        "SystemExit",
        None,
    )


def runnable(cell: Any, skip_tag: str) -> bool:
    """A code cell with source and without the skip tag."""
    return (
        cell.cell_type == "code"
        and bool(cell.source.strip())
        and skip_tag not in cell.metadata.get("tags", [])
    )


def incomplete(nb: Any, skip_tag: str) -> CellFailure | None:
    """The failure when code cells were left unexecuted, else ``None``."""
    missing = [
        i
        for i, c in enumerate(nb.cells)
        if runnable(c, skip_tag) and c.get("execution_count") is None
    ]
    if not missing:
        return None
    i = missing[0]
    return CellFailure(
        "incomplete",
        f"{len(missing)} code cell(s) did not run",
        i,
        first_line(nb.cells[i].source),
    )
