"""The figures and the table of Telemark's chapter «Klimagassutslipp» (specs, drawn by charts)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag.chapters.common import change_map as change_map_spec
from kunnskapsgrunnlag.chapters.klimagassutslipp import (
    COUNTY,
    IDS,
    INDUSTRY,
    by_sector,
    municipalities,
    series,
    source,
    years,
)
from kunnskapsgrunnlag.charts import Column, FigureSpec, TableSpec

if TYPE_CHECKING:
    from kunnskapsgrunnlag.context import CountyContext


def _unit(ctx: CountyContext) -> str:
    return ctx.t("Tonn CO2-ekvivalenter", "Tonn CO2-ekvivalentar")


def sector_figure(ctx: CountyContext) -> FigureSpec:
    """The last year's emissions by sector, largest first."""
    y1 = years(ctx)[1]
    sectors = by_sector(y1, ctx.data_source)
    data = pd.DataFrame(
        {
            "region": list(sectors.index),
            "label": [s[:1].upper() + s[1:] for s in sectors.index],
            "value": sectors.to_numpy(),
            "status": None,
            "role": ["county"] * len(sectors),
        }
    )
    top = sectors.index[0]
    return FigureSpec(
        "ranking",
        data,
        ctx.t(
            f"Klimagassutslipp i Telemark etter sektor, {y1}",
            f"Klimagassutslepp i Telemark etter sektor, {y1}",
        ),
        ctx.t(
            f"Liggende stolpediagram over utslippene i Telemark i {y1} etter sektor, i tonn CO2-ekvivalenter. {top} har de største utslippene.",
            f"Liggjande stolpediagram over utsleppa i Telemark i {y1} etter sektor, i tonn CO2-ekvivalentar. {top} har dei største utsleppa.",
        ),
        source(ctx),
        (IDS[0],),
        {"xlabel": _unit(ctx), "decimals": 0, "size": (8.0, 4.8)},
        ctx.lang,
    )


def trend_figure(ctx: CountyContext) -> FigureSpec:
    """Emissions since the first year: industry, oil and gas, and the other sectors (tonnes)."""
    total = series(IDS[0], ctx.data_source)
    total = total[total["region"] == COUNTY].set_index("year")["value"]
    industry = series("klimagassutslipp_industri", ctx.data_source)
    industry = industry[industry["region"] == COUNTY].set_index("year")["value"]
    other = ctx.t("Andre sektorer", "Andre sektorar")
    rows = [(INDUSTRY, "county", y, v) for y, v in industry.items()]
    rows += [(other, "peers", y, total[y] - v) for y, v in industry.items()]
    data = pd.DataFrame(rows, columns=["series", "role", "year", "value"])
    y0, y1 = years(ctx)
    return FigureSpec(
        "lines",
        data,
        ctx.t(f"Klimagassutslipp i Telemark, {y0}–{y1}", f"Klimagassutslepp i Telemark, {y0}–{y1}"),
        ctx.t(
            f"Linjediagram over utslippene fra industri, olje og gass og fra andre sektorer i Telemark fra {y0} til {y1}, i tonn CO2-ekvivalenter.",
            f"Linjediagram over utsleppa frå industri, olje og gass og frå andre sektorar i Telemark frå {y0} til {y1}, i tonn CO2-ekvivalentar.",
        ),
        source(ctx),
        IDS[:2],
        {
            "ylabel": _unit(ctx),
            "zero": True,
            "decimals": 0,
            "note": ctx.t(
                f"Miljødirektoratet har tall for {fmt.years_text(total.index)}.",
                f"Miljødirektoratet har tal for {fmt.years_text(total.index)}.",
            ),  # fmt: skip
        },
        ctx.lang,
    )


def change_map(ctx: CountyContext) -> FigureSpec:
    """A municipality map of the change since the first year (%), derived from the tonnes."""
    y0, y1 = years(ctx)
    m = municipalities(ctx)
    biggest = m.index[0]
    texts = (
        ctx.t(
            f"Endring i klimagassutslipp etter kommune, {y0}–{y1}",
            f"Endring i klimagassutslepp etter kommune, {y0}–{y1}",
        ),
        ctx.t(
            f"Kart over Telemarks 17 kommuner farget etter endringen i utslippene fra {y0} til {y1} i prosent. Endringen i {m.loc[biggest, 'name']}, kommunen med de største utslippene, var {_pct(m.loc[biggest, 'change'], ctx)}.",
            f"Kart over dei 17 kommunane i Telemark farga etter endringa i utsleppa frå {y0} til {y1} i prosent. Endringa i {m.loc[biggest, 'name']}, kommunen med dei største utsleppa, var {_pct(m.loc[biggest, 'change'], ctx)}.",
        ),
        source(ctx, map_data=True),
    )
    return change_map_spec(ctx, m, biggest, (y0, y1), texts, (IDS[0],))


def _pct(x: float, ctx: CountyContext) -> str:
    from kunnskapsgrunnlag import formatting as fmt

    return fmt.percent(x, 1, ctx.lang, sign=True)


def municipality_table(ctx: CountyContext) -> TableSpec:
    """Every municipality: the last year's tonnes, its share of the county and the change."""
    y0, y1 = years(ctx)
    m = municipalities(ctx)
    rows = tuple(
        {"name": r["name"], "last": r["last"], "share": r["share"], "change": r["change"]}
        for _, r in m.iterrows()
    )
    return TableSpec(
        ctx.t(f"Klimagassutslipp etter kommune, {y1}", f"Klimagassutslepp etter kommune, {y1}"),
        (
            Column("name", ctx.t("Kommune", "Kommune"), "text"),
            Column("last", ctx.t(f"Tonn CO2-ekvivalenter {y1}", f"Tonn CO2-ekvivalentar {y1}")),
            Column("share", ctx.t("Andel av fylket", "Del av fylket"), "percent", 1),
            Column("change", ctx.t(f"Endring {y0}–{y1}", f"Endring {y0}–{y1}"), "percent", 1, True),
        ),
        rows,
        source(ctx),
        ctx.lang,
        (IDS[0],),
        ctx.t(
            "Andel og endring er beregnet fra Miljødirektoratets tall.",
            "Del og endring er rekna ut frå tala til Miljødirektoratet.",
        ),
    )
