"""Samferdsel: county roads (SSB 11842, 09280), bus passengers (11844) and FGF4 spending (12163).

Special here: two derived indicators (road km per 1 000 km² of land, bus passengers per
inhabitant; :func:`series` is their registry provider), the table of the road network as it is
(no reference: a national total says nothing about one county), and Oslo without 11842 figures.
"""

from __future__ import annotations

import pandas as pd

from kunnskapsgrunnlag import indicators
from kunnskapsgrunnlag.analysis import history
from kunnskapsgrunnlag.analysis.compare import LANDET_UTEN_OSLO, rank_of
from kunnskapsgrunnlag.chapters import standard
from kunnskapsgrunnlag.charts import Column, FigureSpec, TableSpec
from kunnskapsgrunnlag.context import CountyContext
from kunnskapsgrunnlag.data import snapshot
from kunnskapsgrunnlag.regions import NORWAY
from kunnskapsgrunnlag.text import T

CHAPTER = "samferdsel"
SOURCE_ID = "ssb-andre-fylkesindikatorer"
POPULATION = "07459-fylker-2023-2025"
OSLO = "03"
OSLO_MARK = {OSLO: "*"}
SPENDING = "netto_driftsutgifter_per_innbygger_fgf4"
"""The KOSTRA chapter's entry for FGF4, shown here too (its barometer row stays in KOSTRA)."""
COMPARED = ["andel_fylkesvei_darlig_dekke", "fylkesvei_km_per_1000_km2", "busspassasjerer_per_innbygger"]  # fmt: skip
STOCK = ["fylkesvei_km", "bruer_totalt", "tunneler_km", "busspassasjerer"]


# --------------------------------------------------------------------------- derived series
def _raw(indicator: str, data_source: str) -> pd.DataFrame:
    """The cells of one indicator that have a value (a ratio over a symbol cell has none)."""
    df = snapshot.load(SOURCE_ID, data_source)
    return df.loc[(df["indicator"] == indicator) & df["value"].notna(), ["region", "year", "value"]]


def road_density(data_source: str = "snapshot") -> pd.DataFrame:
    """Km of county road per 1 000 km² of land: each county, and the 14 counties summed (EAFKUO)."""
    km = _raw("fylkesvei_km", data_source)
    area = _raw("landareal_km2", data_source).drop(columns="year").rename(columns={"value": "area"})
    both = km.merge(area, on="region", how="inner")
    total = both.groupby("year", as_index=False)[["value", "area"]].sum()
    out = pd.concat([both, total.assign(region=LANDET_UTEN_OSLO)], ignore_index=True)
    return out.assign(value=out["value"] / out["area"] * 1000.0)


def bus_per_inhabitant(data_source: str) -> pd.DataFrame:
    """Bus passengers in the year / population on 1 January; «landet uten Oslo» = Norway − Oslo."""
    bus = _raw("busspassasjerer", data_source)
    pop = snapshot.load(POPULATION, data_source)
    pop = pop.groupby(["region", "year"], as_index=False)["value"].sum()
    both = bus.merge(pop.rename(columns={"value": "pop"}), on=["region", "year"], how="inner")
    wide = both.set_index(["region", "year"])
    rest = (wide.loc[NORWAY] - wide.loc[OSLO]).dropna().reset_index()
    out = pd.concat([both, rest.assign(region=LANDET_UTEN_OSLO)], ignore_index=True)
    return out.assign(value=out["value"] / out["pop"])


def series(indicator_id: str, data_source: str) -> pd.DataFrame:
    """Registry provider of the chapter's derived indicators (region, year, value, status)."""
    if indicator_id not in ("fylkesvei_km_per_1000_km2", "busspassasjerer_per_innbygger"):
        raise KeyError(f"samferdsel provides no indicator {indicator_id!r}")
    derive = road_density if indicator_id.startswith("fylkesvei") else bus_per_inhabitant
    df = derive(data_source)
    df = df.assign(year=df["year"].astype(int), status=None)
    return df[["region", "year", "value", "status"]].reset_index(drop=True)


# --------------------------------------------------------------------------- the chapter
def compared(ctx: CountyContext) -> list[str]:
    """The compared indicators with figures for the county, then the spending (FGF4)."""
    return history.with_figures(ctx, [*COMPARED, SPENDING])


def missing_text(ctx: CountyContext) -> str:
    """One plain sentence when 11842 has no figures for the county ("" otherwise: Oslo)."""
    return history.no_figures_text(ctx, STOCK[:3])


def thresholds(ctx: CountyContext) -> str:
    """The «om lag som» thresholds of the compared indicators, each stated once."""
    return " ".join(dict.fromkeys(standard.threshold_text(ctx, i) for i in compared(ctx)))


def stock_table(ctx: CountyContext) -> TableSpec | None:
    """The county's road network and bus passengers as published, with the county's place."""
    lang, rows, ids = ctx.lang, [], tuple(history.with_figures(ctx, STOCK))
    for i in ids:  # the last year of each, with the county's place
        ind, data = indicators.get(i), indicators.series(i, ctx.data_source)
        year = max(history.years(ctx, i))
        hit = data[(data["region"] == ctx.county_code) & (data["year"] == year)].iloc[0]
        rank, n = rank_of(data, ctx.county_code, year)
        rows.append({"name": ind.short_name(lang), "year": year, "unit": ind.unit(lang),
                     "value": hit["value"], "value:status": hit["status"],
                     "rank": T(f"{rank} av {n}")(lang)})  # fmt: skip
    if not rows:
        return None  # no figures at all for the county
    columns = (
        Column("name", T("Indikator")(lang), "text"),
        Column("year", T("År")(lang), "rank"),
        Column("value", ctx.name, "number"),
        Column("unit", T("Enhet", "Eining")(lang), "text"),
        Column("rank", T("Plass (1 = høyest)", "Plass (1 = høgast)")(lang), "text"),
    )
    title = T(f"Fylkesveier og busspassasjerer i {ctx.name}", f"Fylkesvegar og busspassasjerar i {ctx.name}")  # fmt: skip
    note = T("Tall slik SSB publiserer dem; plass blant fylkene med tall.", "Tal slik SSB publiserer dei; plass blant fylka med tal.")  # fmt: skip
    return TableSpec(title(lang), columns, tuple(rows), standard.source(ctx, ids), lang, ids, note(lang))  # fmt: skip


def oslo_note(ctx: CountyContext) -> str:
    """Oslo's caveat, once per chapter."""
    return T(
        "Oslo er både kommune og fylke, og mange av reisene i Oslo går med T-bane og trikk, som "
        "ikke er med i busstallene.",
        "Oslo er både kommune og fylke, og mange av reisene i Oslo går med T-bane og trikk, som "
        "ikkje er med i busstala.",
    )(ctx.lang)


def key_sentences(ctx: CountyContext) -> list[str]:
    """Notable differences from «landet uten Oslo», and Oslo's caveat."""
    out = standard.key_sentences(ctx, compared(ctx))
    return out + ([oslo_note(ctx)] if ctx.is_oslo else [])


def rankings(ctx: CountyContext) -> list[FigureSpec]:
    """The counties ranked on each compared indicator (Oslo marked on bus and spending)."""
    mark = {"busspassasjerer_per_innbygger", SPENDING}
    note = "* " + T("Oslo er både kommune og fylke.")(ctx.lang)
    return [
        standard.ranking(ctx, i, marks=OSLO_MARK, note=note) if i in mark else standard.ranking(ctx, i)
        for i in compared(ctx)
    ]  # fmt: skip


def trend_figure(ctx: CountyContext) -> FigureSpec | None:
    """Poor road surface and spending over time against «landet uten Oslo» (None: too short)."""
    ids = [i for i in compared(ctx) if i in (COMPARED[0], SPENDING)]
    if not history.has_long_series(ctx, ids[0]):
        return None
    ys = history.years(ctx, ids[0])
    title = T(
        f"Utviklingen i {ctx.name} og landet uten Oslo, {ys[0]}–{ys[-1]}",
        f"Utviklinga i {ctx.name} og landet utanom Oslo, {ys[0]}–{ys[-1]}",
    )
    note = T("Et år uten tall gir brudd i linjen. Løpende kroner.",
             "Eit år utan tal gir brot i linja. Løpande kroner.")(ctx.lang)  # fmt: skip
    note = " ".join(filter(None, [standard.break_note(ctx, ids[0]), note]))
    return standard.trend(ctx, ids, title=title(ctx.lang), note=note)
