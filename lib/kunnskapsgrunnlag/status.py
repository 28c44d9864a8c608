"""SSB status symbols: their meaning, and arithmetic that keeps them.

A cell is a value (float, NaN when missing) plus a status (an SSB symbol or ``None``).
Symbols never become 0 and never vanish into NaN without the symbol: a sum over cells that
contains ``:`` (confidential) is ``:``, and so on by the precedence in :data:`PRECEDENCE`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

SYMBOLS: dict[str, dict[str, str]] = {
    ".": {
        "nb": "Ikke mulig å oppgi tall. Tall finnes ikke på dette tidspunktet fordi kategorien ikke var i bruk.",
        "nn": "Ikkje mogleg å oppgi tal. Tal finst ikkje på dette tidspunktet fordi kategorien ikkje var i bruk.",
    },
    "..": {
        "nb": "Tallgrunnlag mangler. Tall er ikke kommet inn eller er for usikre til å publiseres.",
        "nn": "Talgrunnlag manglar. Tal er ikkje komne inn eller er for usikre til å bli publiserte.",
    },
    ":": {
        "nb": "Vises ikke av konfidensialitetshensyn.",
        "nn": "Blir ikkje vist av omsyn til konfidensialitet.",
    },
    "-": {
        "nb": "Null. Det forekommer ikke.",
        "nn": "Null. Det førekjem ikkje.",
    },
}
"""The four SSB symbols with their meaning in bokmål and nynorsk (SSB's standard wording)."""

PRECEDENCE: tuple[str, ...] = (":", "..", ".")
"""When cells are combined, the first of these symbols present wins (confidential first)."""


def combine(statuses: Iterable[object]) -> str | None:
    """Return the status of an aggregate of cells with *statuses* (``None`` when all are plain).

    ``-`` (nil) cells count as 0 and do not make the aggregate a symbol, unless every cell is ``-``.
    """
    present = {s for s in statuses if isinstance(s, str) and s}
    for sym in PRECEDENCE:
        if sym in present:
            return sym
    if present == {"-"}:
        return "-"
    return None


def sum_cells(values: Sequence[float], statuses: Sequence[object]) -> tuple[float, str | None]:
    """Sum cells keeping symbols: a sum over a ``:``/``..``/``.`` cell is that symbol (value NaN)."""
    status = combine(statuses)
    if status in PRECEDENCE:
        return float("nan"), status
    arr = np.asarray(values, dtype=float)
    if status == "-":
        return 0.0, "-"
    return float(np.nansum(arr)) if len(arr) else float("nan"), status


def group_sum(df: pd.DataFrame, by: list[str], value: str = "value", status: str = "status") -> pd.DataFrame:
    """Group *df* by *by* and sum *value*, carrying SSB symbols in *status* (see :func:`sum_cells`).

    Returns a frame with columns ``by + [value, status]``.
    """
    if status not in df.columns:
        df = df.assign(**{status: None})
    sums = df.groupby(by, sort=True, dropna=False)[value].sum(min_count=1)
    stat = df.groupby(by, sort=True, dropna=False)[status].agg(combine)
    out = pd.DataFrame({value: sums, status: stat}).reset_index()
    symbolic = out[status].isin(PRECEDENCE)
    out.loc[symbolic, value] = np.nan
    nil = out[status].eq("-")
    out.loc[nil, value] = out.loc[nil, value].fillna(0.0)
    out[status] = out[status].astype(object).where(out[status].notna(), None)
    return out


def display(value: float, status: object, formatter) -> str:
    """Return the text a reader sees for one cell: the symbol when there is one, else *formatter(value)*."""
    if isinstance(status, str) and status in SYMBOLS:
        return status
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ".."
    return formatter(value)


def legend(symbols: Iterable[str], lang: str = "nb") -> list[str]:
    """Return legend lines (``"`:` Vises ikke …"``) for the *symbols* that occur, in a fixed order."""
    order = [".", "..", ":", "-"]
    present = set(symbols)
    return [f"{s}  {SYMBOLS[s][lang]}" for s in order if s in present]
