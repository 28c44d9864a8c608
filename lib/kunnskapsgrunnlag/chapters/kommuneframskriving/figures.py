"""Figures and the table of Telemark's chapter «Framskrevet folkemengde i kommunene» (specs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag.chapters.common import change_map as change_map_spec
from kunnskapsgrunnlag.chapters.kommuneframskriving import (
    IDS,
    TABLE,
    county_path,
    municipalities,
    years,
)
from kunnskapsgrunnlag.charts import Column, FigureSpec, TableSpec, style

if TYPE_CHECKING:
    from kunnskapsgrunnlag.context import CountyContext


def _labels(ctx: CountyContext) -> dict[str, str]:
    return {
        "MMMM": ctx.t("Hovedalternativet (MMMM)", "Hovudalternativet (MMMM)"),
        "LLML": ctx.t("Lav nasjonal vekst (LLML)", "Låg nasjonal vekst (LLML)"),
        "HHMH": ctx.t("Høy nasjonal vekst (HHMH)", "Høg nasjonal vekst (HHMH)"),
    }


def source(ctx: CountyContext, map_data: bool = False) -> str:
    """SSB's table (and Kartverket for a map)."""
    return style.source_line(TABLE, ctx.lang, map_data)


def county_figure(ctx: CountyContext) -> FigureSpec:
    """Telemark's population to the last year in the three alternatives."""
    y0, y1 = years(ctx)
    rows = []
    for alt, label in _labels(ctx).items():
        role, line = {
            "MMMM": ("county", "-"),
            "LLML": ("peers", "--"),
            "HHMH": ("reference", "--"),
        }[alt]
        rows += [(label, role, y, v, line) for y, v in county_path(alt, ctx).items()]
    data = pd.DataFrame(rows, columns=["series", "role", "year", "value", "linestyle"])
    main = county_path("MMMM", ctx)
    return FigureSpec(
        "lines",
        data,
        ctx.t(
            f"Framskrevet folkemengde i Telemark, {y0}–{y1}",
            f"Framskriven folkemengd i Telemark, {y0}–{y1}",
        ),
        ctx.t(
            f"Linjediagram over folkemengden i Telemark fra {y0} til {y1} i tre alternativer fra SSB. I hovedalternativet går den fra {fmt.number(main[y0])} til {fmt.number(main[y1])}.",
            f"Linjediagram over folkemengda i Telemark frå {y0} til {y1} i tre alternativ frå SSB. I hovudalternativet går ho frå {fmt.number(main[y0], lang='nn')} til {fmt.number(main[y1], lang='nn')}.",
        ),
        source(ctx),
        IDS,
        {"ylabel": ctx.t("Innbyggere", "Innbyggjarar"), "decimals": 0},
        ctx.lang,
    )


def change_map(ctx: CountyContext) -> FigureSpec:
    """A municipality map of the change to the last year in the main alternative (%, derived)."""
    y0, y1 = years(ctx)
    m = municipalities(ctx)
    top = m.index[0]
    texts = (
        ctx.t(
            f"Endring i folkemengden etter kommune, {y0}–{y1}",
            f"Endring i folketalet etter kommune, {y0}–{y1}",
        ),
        ctx.t(
            f"Kart over Telemarks 17 kommuner farget etter endringen i folkemengden fra {y0} til {y1} i hovedalternativet til SSB. {m.loc[top, 'name']} vokser mest, med {fmt.percent(m.loc[top, 'change'], 1, 'nb', sign=True)}.",
            f"Kart over dei 17 kommunane i Telemark farga etter endringa i folketalet frå {y0} til {y1} i hovudalternativet til SSB. {m.loc[top, 'name']} veks mest, med {fmt.percent(m.loc[top, 'change'], 1, 'nn', sign=True)}.",
        ),
        source(ctx, map_data=True),
    )
    return change_map_spec(ctx, m, top, (y0, y1), texts, IDS)


def municipality_table(ctx: CountyContext) -> TableSpec:
    """Every municipality: first year, the last year in the three alternatives, the change."""
    y0, y1 = years(ctx)
    m = municipalities(ctx)
    labels = _labels(ctx)
    rows = tuple(
        {
            "name": r["name"],
            "first": r["first"],
            "MMMM": r["MMMM"],
            "LLML": r["LLML"],
            "HHMH": r["HHMH"],
            "change": r["change"],
        }  # fmt: skip
        for _, r in m.iterrows()
    )
    return TableSpec(
        ctx.t(
            f"Framskrevet folkemengde etter kommune, {y0} og {y1}",
            f"Framskriven folkemengd etter kommune, {y0} og {y1}",
        ),
        (
            Column("name", ctx.t("Kommune", "Kommune"), "text"),
            Column("first", str(y0)),
            Column("MMMM", f"{y1}, {labels['MMMM'].split(' (')[0].lower()}"),
            Column("LLML", f"{y1}, {ctx.t('lav', 'låg')}"),
            Column("HHMH", f"{y1}, {ctx.t('høy', 'høg')}"),
            Column("change", ctx.t(f"Endring {y0}–{y1}", f"Endring {y0}–{y1}"), "percent", 1, True),
        ),
        rows,
        source(ctx),
        ctx.lang,
        IDS,
        ctx.t(
            "Endringen er beregnet i hovedalternativet. Lav og høy: lav og høy nasjonal vekst.",
            "Endringa er rekna ut i hovudalternativet. Låg og høg: låg og høg nasjonal vekst.",
        ),
    )
