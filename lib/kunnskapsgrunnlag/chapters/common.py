"""Small pieces the generic exhibits share: the source line and the reference of an indicator."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kunnskapsgrunnlag.analysis.compare import default_reference
from kunnskapsgrunnlag.charts.style import source_line
from kunnskapsgrunnlag.indicators import get

if TYPE_CHECKING:
    import pandas as pd

    from kunnskapsgrunnlag.charts import FigureSpec
    from kunnskapsgrunnlag.context import CountyContext


def source(ctx: CountyContext, indicator_ids: Sequence[str]) -> str:
    """The source line: SSB's tables, and other producers by their credit («NAV», «Utdanningsdirektoratet»)."""
    tables = list(dict.fromkeys(t for i in indicator_ids for t in get(i).tables))
    others = dict.fromkeys(
        get(i).source_reader(ctx.lang) for i in indicator_ids if not get(i).tables
    )
    return source_line(tables, ctx.lang, extra=". ".join(others))


def reference_code(indicator_id: str) -> str:
    """The reference an indicator is compared with (no data needed: the registry says)."""
    return default_reference(get(indicator_id))


def capital(text: str) -> str:
    """«landet uten Oslo» → «Landet uten Oslo» (a table header or a legend)."""
    return text[:1].upper() + text[1:]


def change_map(
    ctx: CountyContext,
    m: pd.DataFrame,
    labelled: str,
    period: tuple[int, int],
    texts: tuple[str, str, str],
    ids: Sequence[str],
) -> FigureSpec:
    """A map of the county's municipalities coloured by a change in per cent (derived).

    *m* has one row per municipality (index: code) with ``change`` and ``name``; *labelled* is
    the municipality named on the map; *texts* are (title, alt text, source line).
    """
    import pandas as pd

    from kunnskapsgrunnlag.charts import FigureSpec

    y0, y1 = period
    data = pd.DataFrame(
        {
            "region": list(m.index),
            "value": m["change"].to_numpy(),
            "label": [m.loc[r, "name"] if r == labelled else "" for r in m.index],
        }  # fmt: skip
    )
    options = {
        "legend_label": ctx.t(f"Endring {y0}–{y1} (%), beregnet", f"Endring {y0}–{y1} (%), rekna ut"),
        "unit": "%", "decimals": 0, "diverging": True, "outline_county": ctx.county_code,
    }  # fmt: skip
    return FigureSpec("map", data, *texts, tuple(ids), options, ctx.lang)


def break_note(ctx: CountyContext, indicator_id: str) -> str:
    """«Linjen for Vestland er brutt før 2020 (ny fylkesinndeling).», or "" where it is whole."""
    from kunnskapsgrunnlag.analysis import history
    from kunnskapsgrunnlag.analysis.trend import breaks_of
    from kunnskapsgrunnlag.text import T, join_words

    ys = history.years(ctx, indicator_id)
    cut = [str(b) for b in breaks_of(indicator_id, ctx.county_code) if ys and ys[0] < b <= ys[-1]]
    if not cut:
        return ""
    return T(f"Linjen for {ctx.name} er brutt før {join_words(cut)} (ny fylkesinndeling).",
             f"Linja for {ctx.name} er broten før {join_words(cut)} (ny fylkesinndeling).")(ctx.lang)  # fmt: skip
