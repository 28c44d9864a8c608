"""Norwegian number formatting for everything a reader sees (tables, sentences, chart axes).

Formatting goes through Babel's CLDR data for ``nb``/``nn`` (thin grouping space, decimal comma),
after rounding half-up as SSB does (``round_half_up``; Python's ``round`` rounds half to even).
Examples: ``5 594 340``, ``1,2 %``, ``+0,8 %``, ``12 345 kr``.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from babel.numbers import format_decimal

NBSP = "\u00a0"
MINUS = "\u2212"
_LOCALE = {"nb": "nb_NO", "nn": "nn_NO"}


def _is_missing(x: Any) -> bool:
    if x is None:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def round_half_up(x: float, decimals: int = 0) -> float:
    """Round *x* half away from zero to *decimals* places (SSB's rounding): 2.5 → 3, 0.125 → 0.13."""
    if _is_missing(x):
        return float("nan")
    q = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP))


@lru_cache(maxsize=65536)
def _format_abs(x: float, decimals: int, locale: str) -> str:
    # Babel parses the pattern on every call; tick labels repeat the same few values, so cache.
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    text = format_decimal(x, format=pattern, locale=locale)
    return text.replace("\u202f", NBSP).replace(" ", NBSP)


def number(x: float, decimals: int = 0, lang: str = "nb", sign: bool = False) -> str:
    """Format *x* the Norwegian way: ``5 594 340``, ``1,2``; *sign* adds ``+`` to positives.

    Missing values give ``..`` (SSB: not available). Negative numbers use the minus sign ``−``.
    """
    if _is_missing(x):
        return ".."
    r = round_half_up(x, decimals)
    if r == 0:
        r = 0.0  # no "-0"
    text = _format_abs(abs(r), decimals, _LOCALE.get(lang, "nb_NO"))
    if r < 0:
        return MINUS + text
    if sign and r > 0:
        return "+" + text
    return text


def percent(x: float, decimals: int = 1, lang: str = "nb", sign: bool = False) -> str:
    """Format a value already in percent units: ``1,2 %`` (with a no-break space before ``%``)."""
    if _is_missing(x):
        return ".."
    return f"{number(x, decimals, lang, sign)}{NBSP}%"


def percentage_points(x: float, decimals: int = 1, lang: str = "nb", sign: bool = True) -> str:
    """Format a difference of percentages: ``+0,4 prosentpoeng``."""
    if _is_missing(x):
        return ".."
    word = "prosentpoeng"
    return f"{number(x, decimals, lang, sign)}{NBSP}{word}"


def kroner(x: float, decimals: int = 0, lang: str = "nb") -> str:
    """Format an amount in Norwegian kroner: ``12 345 kr``."""
    if _is_missing(x):
        return ".."
    return f"{number(x, decimals, lang)}{NBSP}kr"


def cell(
    value: float, status: Any = None, decimals: int = 0, lang: str = "nb", unit: str = ""
) -> str:
    """Format one table cell: the SSB symbol when the cell has one, else the number (+ unit)."""
    if isinstance(status, str) and status in {".", "..", ":", "-"}:
        return status
    if unit == "%":
        return percent(value, decimals, lang)
    text = number(value, decimals, lang)
    return f"{text}{NBSP}{unit}" if unit and text != ".." else text


def axis_formatter(decimals: int = 0, unit: str = "", lang: str = "nb"):
    """Return a matplotlib tick formatter that writes Norwegian numbers (``1 000``, ``2,5 %``)."""
    from matplotlib.ticker import FuncFormatter

    def _fmt(x: float, _pos: int | None = None) -> str:
        if unit == "%":
            return percent(x, decimals, lang)
        text = number(x, decimals, lang)
        return f"{text}{NBSP}{unit}" if unit else text

    return FuncFormatter(_fmt)


def by_lang(lang: str, nb: str, nn: str) -> str:
    """Return *nn* for a nynorsk report, else *nb* (the written standard of the parameter file)."""
    return nn if lang == "nn" else nb


def join_words(items: list[str], lang: str = "nb") -> str:
    """Join words as Norwegian prose: ``a, b og c``."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " og " + items[-1]


def years_text(years: list[int], lang: str = "nb") -> str:
    """The years as prose, runs of three or more as spans: ``2009, 2011, 2013 og 2015–2024``."""
    runs: list[list[int]] = []
    for y in sorted({int(y) for y in years}):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    items: list[str] = []
    for r in runs:
        items += [f"{r[0]}–{r[-1]}"] if len(r) > 2 else [str(y) for y in r]
    return join_words(items, lang)
