"""Befolkning's tables as :class:`~kunnskapsgrunnlag.charts.TableSpec`: raw values, formats, symbols.

A population cell keeps its SSB status symbol beside it (``"<column>:status"``); the renderer
shows the symbol instead of the number and writes the legend. Growth in the first year has no
meaning and is left empty, and ranks are written «9 av 15».
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag.chapters.befolkning.data import (
    FHI_CREDIT,
    FIRST_YEAR,
    LAST_YEAR,
    MUNICIPAL_YEARS,
    SHARE_INDICATORS,
    YEARS,
)
from kunnskapsgrunnlag.chapters.befolkning.measures import (
    age_shares,
    comparison_population,
    comparison_shares,
    county_growth,
    municipal_table,
)
from kunnskapsgrunnlag.charts import Column, TableSpec
from kunnskapsgrunnlag.charts.style import source_line
from kunnskapsgrunnlag.regions import COUNTIES, NORWAY, region_name
from kunnskapsgrunnlag.text import T, join_words

if TYPE_CHECKING:
    from kunnskapsgrunnlag.context import CountyContext

TABLE = "07459"
PEERS = T("Sammenligningsfylkene", "Samanlikningsfylka")
YEAR = T("År (1. januar)")


def _growth(frame: pd.DataFrame, year: int, lang: str) -> str:
    """Growth from the year before as text («+0,5 %»), empty in the first year."""
    return (
        "" if year == FIRST_YEAR else fmt.percent(frame.loc[year, "growth_pct"], 1, lang, sign=True)
    )


def peers_note(ctx: CountyContext) -> str:
    """«Sammenligningsfylkene (summert): …» — the counties the comparison set sums.

    In alphabetical order (Norwegian: Æ, Ø, Å last), so a list never ends in «…, Troms og
    Finnmark», which reads as the former county.
    """
    from kunnskapsgrunnlag.text import sort_key

    names = join_words(
        sorted((COUNTIES[c].name for c in ctx.peers if c in COUNTIES), key=sort_key), ctx.lang
    )
    return T(f"Sammenligningsfylkene (summert): {names}.",
             f"Samanlikningsfylka (summerte): {names}.")(ctx.lang)  # fmt: skip


def population_table(ctx: CountyContext) -> TableSpec:
    """Population and growth per year: the county, Norway and the comparison set, with rank."""
    lang, name = ctx.lang, ctx.name
    df = county_growth(ctx.data_source)
    mine = df[df["region"] == ctx.county_code].set_index("year")
    nor = df[df["region"] == NORWAY].set_index("year")
    peers = comparison_population(ctx.peers, ctx.data_source).set_index("year")
    rows = tuple(
        {"year": str(y), "pop": mine.loc[y, "value"], "pop:status": mine.loc[y, "status"],
         "county": _growth(mine, y, lang), "norway": _growth(nor, y, lang),
         "peers": _growth(peers, y, lang),
         "rank": "" if y == FIRST_YEAR else f"{int(mine.loc[y, 'rank_since'])} av 15"}
        for y in YEARS
    )  # fmt: skip
    growth = T("vekst fra året før", "vekst frå året før")(lang)
    columns = (
        Column("year", YEAR(lang), "text"),
        Column("pop", f"{T('Folkemengde', 'Folketal')(lang)} {name}", "number"),
        Column("county", f"{name}, {growth}", "text"),
        Column("norway", f"{region_name(NORWAY, lang)}, {growth}", "text"),
        Column("peers", f"{PEERS(lang)}, {growth}", "text"),
        Column("rank", T(f"Plass {name} (vekst siden {FIRST_YEAR})",
                         f"Plass {name} (vekst sidan {FIRST_YEAR})")(lang), "text"),
    )  # fmt: skip
    title = T(
        f"Folkemengde 1. januar og årlig vekst {FIRST_YEAR}–{LAST_YEAR}: {name}, hele landet "
        "og sammenligningsfylkene",
        f"Folketal 1. januar og årleg vekst {FIRST_YEAR}–{LAST_YEAR}: {name}, heile landet "
        "og samanlikningsfylka",
    )(lang)
    ids = ("folkemengde", "befolkningsvekst_prosent", "befolkningsvekst_siden_2019_prosent")
    return TableSpec(
        title,
        columns,
        rows,
        source_line([TABLE], lang, extra=FHI_CREDIT(lang)),
        lang,
        ids,
        peers_note(ctx),
    )


def _rank(d: pd.DataFrame, county_code: str, year: int) -> int:
    dy = d[(d["year"] == year) & d["region"].isin(list(COUNTIES))]
    ranks = dy.set_index("region")["value"].rank(ascending=False, method="min")
    return int(ranks[county_code])


def _value(d: pd.DataFrame, region: str, year: int) -> float:
    return float(d.loc[(d["region"] == region) & (d["year"] == year), "value"].iloc[0])


def age_share_table(ctx: CountyContext) -> TableSpec:
    """Shares aged 67+, 70+ and 80+ in the first and last year each can be read, with rank."""
    lang, name, code = ctx.lang, ctx.name, ctx.county_code
    shares = age_shares(ctx.data_source)
    peers = comparison_shares(ctx.peers, ctx.data_source)
    rows = []
    for ind, low in SHARE_INDICATORS.items():
        d = shares[(shares["indicator"] == ind) & shares["value"].notna()]
        p = peers[peers["indicator"] == ind]
        years = sorted(d["year"].unique())
        for y in (years[0], years[-1]):
            rows.append({"group": T(f"{low} år og eldre")(lang), "year": str(y),
                         "county": _value(d, code, y), "norway": _value(d, NORWAY, y),
                         "peers": _value(p, "set", y), "rank": f"{_rank(d, code, y)} av 15"})  # fmt: skip
    columns = (
        Column("group", T("Aldersgruppe")(lang), "text"),
        Column("year", YEAR(lang), "text"),
        Column("county", name, "percent", 1),
        Column("norway", region_name(NORWAY, lang), "percent", 1),
        Column("peers", PEERS(lang), "percent", 1),
        Column("rank", T("Plass (1 = høyest andel)", "Plass (1 = høgast del)")(lang), "text"),
    )
    title = T(
        f"Andelen eldre i {name}, hele landet og sammenligningsfylkene, første og siste år "
        "med tall",
        f"Delen eldre i {name}, heile landet og samanlikningsfylka, første og siste år med tal",
    )(lang)
    note = (
        peers_note(ctx)
        + " "
        + T(
            "Fylkestallene for 2023 er omregnet til 2024-inndelingen av FHI.",
            "Fylkestala for 2023 er rekna om til 2024-inndelinga av FHI.",
        )(lang)
    )
    return TableSpec(title, columns, tuple(rows), source_line([TABLE], lang, extra=FHI_CREDIT(lang)), lang,
                     tuple(SHARE_INDICATORS), note)  # fmt: skip


def municipal_table_spec(ctx: CountyContext) -> TableSpec:
    """The county's municipalities (2024 units), largest first."""
    lang, (m0, m1) = ctx.lang, (MUNICIPAL_YEARS[0], MUNICIPAL_YEARS[-1])
    tab = municipal_table(ctx.county_code, ctx.data_source)
    rows = tuple(
        {"name": r["name"], "pop0": r[f"pop_{m0}"], "pop1": r[f"pop_{m1}"], "pop1:status": r["status"],
         "pop0:status": "." if pd.isna(r[f"pop_{m0}"]) else None,
         "growth:status": "." if pd.isna(r["growth_pct"]) else None,
         "growth": r["growth_pct"], "share": r[f"share_of_county_{m1}"],
         "a67": r["andel_67_og_eldre"], "a80": r["andel_80_og_eldre"]}
        for _, r in tab.iterrows()
    )  # fmt: skip
    pop = T("Folkemengde", "Folketal")(lang)
    columns = (
        Column("name", T("Kommune (2024-inndeling)")(lang), "text"),
        Column("pop0", f"{pop} {m0}", "number"),
        Column("pop1", f"{pop} {m1} ▼", "number"),
        Column("growth", f"{T('Endring')(lang)} {m0}–{m1}", "percent", 1, sign=True),
        Column("share", T(f"Andel av fylket {m1}", f"Del av fylket {m1}")(lang), "percent", 1),
        Column("a67", f"67 {T('år og eldre')(lang)} {m1}", "percent", 1),
        Column("a80", f"80 {T('år og eldre')(lang)} {m1}", "percent", 1),
    )
    title = T(
        f"Kommunene i {ctx.name} (inndelingen fra 2024), sortert etter folkemengde {m1}",
        f"Kommunane i {ctx.name} (inndelinga frå 2024), sorterte etter folketal {m1}",
    )(lang)
    ids = ("folkemengde", "befolkningsvekst_2020_2026_prosent", "andel_67_og_eldre",
           "andel_80_og_eldre")  # fmt: skip
    return TableSpec(
        title, columns, rows, source_line([TABLE], lang, extra=FHI_CREDIT(lang)), lang, ids
    )
