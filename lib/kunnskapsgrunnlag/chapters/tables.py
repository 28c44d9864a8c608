"""The generic tables: the county against its reference, and the change between two years.

Re-exported by :mod:`kunnskapsgrunnlag.chapters.standard` (``standard.comparison_table``,
``standard.change_table``), where chapters find every generic exhibit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from kunnskapsgrunnlag.analysis import sentences as say
from kunnskapsgrunnlag.analysis.compare import compare
from kunnskapsgrunnlag.chapters.common import capital as _capital
from kunnskapsgrunnlag.chapters.common import reference_code as _reference_code
from kunnskapsgrunnlag.chapters.common import source
from kunnskapsgrunnlag.charts import Column, TableSpec
from kunnskapsgrunnlag.indicators import get, series
from kunnskapsgrunnlag.regions import COUNTIES
from kunnskapsgrunnlag.text import T

if TYPE_CHECKING:
    from kunnskapsgrunnlag.context import CountyContext


def comparison_table(
    ctx: CountyContext,
    indicator_ids: Sequence[str],
    *,
    title: str,
    note: str | None = None,
    year: int | None = None,
    rank: bool = True,
) -> TableSpec:
    """One row per indicator: county, reference, difference (in its notable measure), rank.

    *rank* False drops the place among the 15 (where figures are not comparable).
    """
    lang, rows, counts = ctx.lang, [], []
    for i in indicator_ids:
        ind, cmp = get(i), compare(ctx, i, year=year)
        counts.append(cmp.n)
        diff = say.difference_text(ind, cmp, lang) if cmp.has_verdict else ".."
        sign = "+" if cmp.direction > 0 else "−" if cmp.direction < 0 else "±"
        rows.append({
            "name": ind.short_name(lang), "year": cmp.year,
            "value": say.value_text(ind, cmp.value, cmp.status, lang, short=True),
            "reference": say.value_text(ind, cmp.reference, cmp.reference_status, lang, short=True),
            "diff": f"{sign}{diff}" if cmp.has_verdict and cmp.direction else diff,
            "rank": cmp.rank, "value:status": cmp.status, "reference:status": cmp.reference_status,
        })  # fmt: skip
    ref = say.reference_name(_reference_code(indicator_ids[0]), lang)
    place = Column("rank", T("Plass blant 15 fylker (1 = høyest)", "Plass blant 15 fylke (1 = høgast)")(lang), "rank")  # fmt: skip
    if set(counts) != {len(COUNTIES)}:  # not every indicator has all 15 counties: «3 av 14»
        place = Column("rank", T("Plass (1 = høyest)", "Plass (1 = høgast)")(lang), "text")
        for r, n in zip(rows, counts, strict=True):
            r["rank"] = "" if r["rank"] is None else T(f"{r['rank']} av {n}")(lang)
    columns = (
        Column("name", T("Indikator")(lang), "text"),
        Column("year", T("År")(lang), "rank"),
        Column("value", ctx.name, "text"),
        Column("reference", _capital(ref), "text"),
        Column("diff", T("Forskjell", "Skilnad")(lang), "text"),
        place,
    )[: 6 if rank else 5]  # fmt: skip
    return TableSpec(title, columns, tuple(rows), source(ctx, indicator_ids), lang,
                     tuple(indicator_ids), note)  # fmt: skip


def _cell(data: pd.DataFrame, region: str, year: int) -> tuple[float, str | None]:
    hit = data[(data["region"] == region) & (data["year"] == year)]
    return (
        (float(hit["value"].iloc[0]), hit["status"].iloc[0]) if len(hit) else (float("nan"), "..")
    )


def _change_cell(ind_unit: str, start: float, end: float, lang: str) -> str:
    """Change in per cent; in the unit where a percentage has no meaning (negative amounts)."""
    from kunnskapsgrunnlag import formatting as fmt

    if start != start or end != end:
        return ".."
    if start > 0 and end >= 0:
        return fmt.percent((end / start - 1) * 100, 1, lang, sign=True)
    return fmt.number(end - start, 0, lang, sign=True) + fmt.NBSP + ind_unit


def change_table(
    ctx: CountyContext,
    indicator_ids: Sequence[str],
    years: tuple[int, int],
    *,
    title: str,
    note: str | None = None,
) -> TableSpec:
    """Change from ``years[0]`` to ``years[1]`` for the county and its reference, per indicator."""
    lang, (y0, y1), rows = ctx.lang, years, []
    ref_code = _reference_code(indicator_ids[0])
    for i in indicator_ids:
        ind, data = get(i), series(i, ctx.data_source)
        (a, sa), (b, sb) = _cell(data, ctx.county_code, y0), _cell(data, ctx.county_code, y1)
        ra, rb = _cell(data, ref_code, y0)[0], _cell(data, ref_code, y1)[0]
        unit = "kr" if ind.unit(lang).startswith("kr ") else ind.unit(lang)
        rows.append({"name": ind.short_name(lang), "start": a, "start:status": sa, "end": b,
                     "end:status": sb, "change": _change_cell(unit, a, b, lang),
                     "ref_change": _change_cell(unit, ra, rb, lang)})  # fmt: skip
    ref = _capital(say.reference_name(ref_code, lang))
    word = T("endring")(lang)
    unit = "kr" if get(indicator_ids[0]).unit(lang).startswith("kr ") else ""
    columns = (
        Column("name", T("Indikator")(lang), "text"),
        Column("start", f"{ctx.name} {y0}", "number", get(indicator_ids[0]).decimals, unit=unit),
        Column("end", f"{ctx.name} {y1}", "number", get(indicator_ids[0]).decimals, unit=unit),
        Column("change", f"{ctx.name}, {word}", "text"),
        Column("ref_change", f"{ref}, {word}", "text"),
    )
    return TableSpec(title, columns, tuple(rows), source(ctx, indicator_ids), lang,
                     tuple(indicator_ids), note)  # fmt: skip
