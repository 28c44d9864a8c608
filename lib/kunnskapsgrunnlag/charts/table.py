"""``TableSpec``: a table as raw values and column formats, rendered once to text cells.

Rows hold raw values (floats, ints, text); a cell's SSB status symbol sits beside it under the key
``"<column>:status"`` and is shown *instead of* the number, never turned into one. ``cells()``
formats every value the Norwegian way (:mod:`kunnskapsgrunnlag.formatting`) and returns the
symbols that occur, so the renderer can write their legend. Tests read ``cells()`` without HTML.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from kunnskapsgrunnlag import formatting as fmt

Format = Literal["text", "number", "percent", "points", "kroner", "rank"]
SYMBOLS = (".", "..", ":", "-")


@dataclass(frozen=True)
class Column:
    """One column: the row key, the header a reader sees, and how its values are written."""

    key: str
    label: str
    format: Format = "number"
    decimals: int = 0
    sign: bool = False
    unit: str = ""
    """Written after a number (``kr``); percent and points carry their own."""

    @property
    def numeric(self) -> bool:
        """Numbers are right-aligned."""
        return self.format != "text"


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_cell(col: Column, value: Any, status: str | None, lang: str) -> str:
    """Write one cell: the symbol where SSB has one, «..» for a missing number, else the value."""
    if status in SYMBOLS:
        return str(status)
    if col.format == "text":
        return "" if value is None else str(value)
    if _missing(value):
        return ".."
    if col.format == "percent":
        return fmt.percent(value, col.decimals, lang, sign=col.sign)
    if col.format == "points":
        return fmt.percentage_points(value, col.decimals, lang, sign=col.sign)
    if col.format == "kroner":
        return fmt.number(value, col.decimals, lang, sign=col.sign) + fmt.NBSP + "kr"
    if col.format == "rank":
        return str(int(value))
    text = fmt.number(value, col.decimals, lang, sign=col.sign)
    return f"{text}{fmt.NBSP}{col.unit}" if col.unit else text


@dataclass(frozen=True)
class TableSpec:
    """A table: caption, columns, rows of raw values, source, note and the indicators shown."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[Mapping[str, Any], ...]
    source: str
    lang: str = "nb"
    indicators: tuple[str, ...] = ()
    note: str | None = None
    extra_symbols: tuple[str, ...] = field(default=())
    """Symbols to explain although no cell shows them (e.g. in the note)."""

    def __post_init__(self) -> None:
        if not self.source.strip():
            raise ValueError(f"table {self.title!r}: every table needs a source line")
        keys = {c.key for c in self.columns}
        for i, row in enumerate(self.rows):
            lacking = keys - set(row)
            if lacking:
                raise ValueError(f"table {self.title!r}: row {i} lacks {sorted(lacking)}")

    @property
    def headers(self) -> list[str]:
        """The column headers."""
        return [c.label for c in self.columns]

    def cells(self) -> list[list[str]]:
        """Every row as formatted text cells, in column order."""
        return [
            [
                format_cell(c, row[c.key], row.get(f"{c.key}:status"), self.lang)
                for c in self.columns
            ]
            for row in self.rows
        ]

    def symbols(self) -> list[str]:
        """The SSB symbols that occur in the cells (and :attr:`extra_symbols`), in SSB's order."""
        found = {row.get(f"{c.key}:status") for row in self.rows for c in self.columns} | set(
            self.extra_symbols
        )
        return [s for s in SYMBOLS if s in found]


def table_from_records(
    title: str,
    columns: Sequence[Column],
    rows: Sequence[Mapping[str, Any]],
    source: str,
    lang: str,
    **kw: Any,
) -> TableSpec:
    """Build a :class:`TableSpec` from lists (a convenience for chapter code)."""
    return TableSpec(title, tuple(columns), tuple(dict(r) for r in rows), source, lang, **kw)
