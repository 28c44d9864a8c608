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

_RANK = {sym: len(PRECEDENCE) - i for i, sym in enumerate(PRECEDENCE)}
_UNRANK = {v: k for k, v in _RANK.items()}


def combine(statuses: Iterable[object]) -> str | None:
    """Return the status of an aggregate of cells with *statuses* (``None`` when all are plain).

    ``-`` (nil) cells count as 0 and do not make the aggregate a symbol, unless every cell is ``-``.
    """
    cells = [s if isinstance(s, str) and s else None for s in statuses]
    present = {s for s in cells if s is not None}
    for sym in PRECEDENCE:
        if sym in present:
            return sym
    if cells and all(s == "-" for s in cells):
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


def group_sum(
    df: pd.DataFrame, by: list[str], value: str = "value", status: str = "status"
) -> pd.DataFrame:
    """Group *df* by *by* and sum *value*, carrying SSB symbols in *status* (see :func:`sum_cells`).

    A NaN value without a symbol counts as ``..`` (not available), so a gap never vanishes
    into a sum.

    Returns a frame with columns ``by + [value, status]``.
    """
    # Vectorised: rank each cell's symbol, take the group maximum, map back. Attributes are
    # dropped first (pandas deep-copies df.attrs into every intermediate frame).
    work = pd.DataFrame({k: df[k] for k in by})
    work.attrs = {}
    work["_v"] = df[value].astype(float)
    st = df[status] if status in df.columns else pd.Series(None, index=df.index, dtype=object)
    # A NaN value without a symbol is missing data: it counts as ".." (never silently skipped).
    st = st.astype(object).where(~(work["_v"].isna() & st.isna()), "..")
    work["_rank"] = st.map(_RANK).fillna(0).astype("int8")
    work["_nil"] = st.eq("-").fillna(False).astype(bool)
    g = work.groupby(by, sort=True, dropna=False)
    out = pd.DataFrame(
        {value: g["_v"].sum(min_count=1), "_rank": g["_rank"].max(), "_allnil": g["_nil"].all()}
    ).reset_index()
    out.attrs = {}
    labels = out["_rank"].map(_UNRANK)
    labels = labels.where(~((out["_rank"] == 0) & out["_allnil"]), "-")
    symbolic = out["_rank"] > 0
    out.loc[symbolic, value] = np.nan
    nil = labels.eq("-")
    out.loc[nil, value] = out.loc[nil, value].fillna(0.0)
    out[status] = labels.astype(object).where(labels.notna(), None)
    return out.drop(columns=["_rank", "_allnil"])


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


def normalise(statuses: Iterable[object]) -> pd.Series:
    """Return *statuses* as an object series holding a symbol string or ``None`` per cell.

    NaN, ``None`` and empty or blank strings become ``None``; surrounding blanks are stripped.
    """
    s = statuses if isinstance(statuses, pd.Series) else pd.Series(list(statuses), dtype=object)
    out = s.astype(object).map(lambda x: x.strip() or None if isinstance(x, str) else None)
    return out.astype(object).where(out.notna(), None)


def counts(statuses: Iterable[object]) -> dict[str, int]:
    """Return how many cells carry each symbol, in the order ``. .. : -`` (others after)."""
    found: dict[str, int] = {}
    for s in statuses:
        if isinstance(s, str) and s:
            found[s] = found.get(s, 0) + 1
    order = [".", "..", ":", "-"]
    return {
        k: found[k] for k in sorted(found, key=lambda k: (order.index(k) if k in order else 99, k))
    }


def combine_pairwise(a: Iterable[object], b: Iterable[object]) -> pd.Series:
    """Return the status of cell-wise combinations of two status columns (see :func:`combine`)."""
    left = normalise(a).to_numpy(dtype=object)
    right = normalise(b).to_numpy(dtype=object)
    if len(left) != len(right):
        raise ValueError("status columns differ in length")
    return pd.Series([combine((x, y)) for x, y in zip(left, right, strict=True)], dtype=object)


def apply_binary(
    op,
    a: Sequence[float] | pd.Series,
    a_status: Iterable[object],
    b: Sequence[float] | pd.Series,
    b_status: Iterable[object],
) -> tuple[np.ndarray, pd.Series]:
    """Apply a cell-wise arithmetic *op* (e.g. ``numpy.divide``) and carry the symbols.

    A result is NaN with the winning symbol when either input is ``:``, ``..`` or ``.`` (by
    :data:`PRECEDENCE`); a ``-`` (nil) input counts as 0. A result that is not a finite number
    (division by zero) becomes NaN with ``.`` ("not possible to give a figure").

    Args:
        op: A vectorised function of two float arrays, such as ``numpy.subtract``.
        a: Left values.
        a_status: Left statuses.
        b: Right values.
        b_status: Right statuses.

    Returns:
        ``(values, statuses)``: a float array and an object series (symbol or ``None``).
    """
    sa = normalise(a_status).to_numpy(dtype=object)
    sb = normalise(b_status).to_numpy(dtype=object)
    va = np.asarray(a, dtype=float).copy()
    vb = np.asarray(b, dtype=float).copy()
    va[sa == "-"] = np.where(np.isnan(va[sa == "-"]), 0.0, va[sa == "-"])
    vb[sb == "-"] = np.where(np.isnan(vb[sb == "-"]), 0.0, vb[sb == "-"])
    status = np.array(combine_pairwise(sa, sb).tolist(), dtype=object)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.asarray(op(va, vb), dtype=float)
    symbolic = np.isin(status, list(PRECEDENCE))
    values[symbolic] = np.nan
    bad = ~symbolic & ~np.isfinite(values)
    status[bad] = "."
    values[bad] = np.nan
    nil = np.equal(status, "-")
    status[nil & (values != 0)] = None
    return values, pd.Series(status, dtype=object)
