"""Befolkning's figures as specs: growth, the counties ranked, elderly shares, pyramid and map.

Each function takes the county's :class:`~kunnskapsgrunnlag.context.CountyContext` and returns a
:class:`~kunnskapsgrunnlag.charts.FigureSpec` (drawn by ``Chapter.figure``); the alt text is
built from the spec's own data. Roles: the county, Norway, the comparison set summed (``peers``)
and every other county as a thin grey line (``other``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag.chapters import standard
from kunnskapsgrunnlag.chapters.befolkning.data import (
    FHI_CREDIT,
    FIRST_YEAR,
    LAST_YEAR,
    MUNICIPAL_YEARS,
    PYRAMID_BASE_YEAR,
    pyramid,
)
from kunnskapsgrunnlag.chapters.befolkning.measures import (
    age_shares,
    comparison_population,
    comparison_shares,
    county_growth,
    municipal_table,
)
from kunnskapsgrunnlag.charts import FigureSpec
from kunnskapsgrunnlag.charts.style import source_line
from kunnskapsgrunnlag.indicators import get
from kunnskapsgrunnlag.regions import NORWAY, region_name
from kunnskapsgrunnlag.text import T

if TYPE_CHECKING:
    from kunnskapsgrunnlag.context import CountyContext

TABLE = "07459"
SET = "set"
"""Region code of the comparison set summed."""

PEERS_LABEL = T("Sammenligningsfylkene", "Samanlikningsfylka")
OTHERS_LABEL = T("Andre fylker", "Andre fylke")
JAN1 = T("År (per 1. januar)")


def _pct(x: float, lang: str, sign: bool = False) -> str:
    return fmt.percent(x, 1, lang, sign=sign)


def _role(ctx: CountyContext, code: str) -> str:
    return {ctx.county_code: "county", NORWAY: "norway", SET: "peers"}.get(code, "other")


def _series_label(ctx: CountyContext, code: str) -> str:
    if code == SET:
        return PEERS_LABEL(ctx.lang)
    if code not in (ctx.county_code, NORWAY):
        return OTHERS_LABEL(ctx.lang)
    return region_name(code, ctx.lang)


def _lines(ctx: CountyContext, frame: pd.DataFrame, value: str) -> pd.DataFrame:
    """Tidy ``lines`` data (others first, the county last) from region × year rows."""
    out = pd.DataFrame(
        {
            "region": frame["region"].astype(object),
            "series": frame["region"].map(lambda c: _series_label(ctx, c)),
            "role": frame["region"].map(lambda c: _role(ctx, c)),
            "year": frame["year"].astype(int),
            "value": frame[value].astype(float),
        }
    )
    order = {"other": 0, "peers": 1, "norway": 2, "county": 3}
    out = out.assign(_o=out["role"].map(order)).sort_values(["_o", "region", "year"], kind="stable")
    return out.drop(columns="_o").reset_index(drop=True)


def _at(data: pd.DataFrame, role: str, year: int) -> float:
    hit = data[(data["role"] == role) & (data["year"] == year)]
    return float(hit["value"].iloc[0])


# --------------------------------------------------------------------------- growth over time
def growth_data(ctx: CountyContext) -> pd.DataFrame:
    """Growth since 1 January 2019 (%, 0 in 2019): every county, Norway and the comparison set."""
    df = county_growth(ctx.data_source)
    peers = comparison_population(ctx.peers, ctx.data_source).assign(region=SET)
    frame = pd.concat([df, peers], ignore_index=True)
    frame.loc[frame["year"] == FIRST_YEAR, "since_pct"] = 0.0
    return _lines(ctx, frame, "since_pct")


def growth_alt(ctx: CountyContext, data: pd.DataFrame) -> str:
    """Alt text of :func:`growth_figure`, from its data: the change to the last year per line."""
    lang, y = ctx.lang, int(data["year"].max())
    mine, nor, peers = (_pct(_at(data, r, y), lang, True) for r in ("county", "norway", "peers"))
    return T(
        f"Linjediagram over endringen i folkemengden fra 1. januar {FIRST_YEAR} til hvert år fram "
        f"til {y}. {ctx.name} endret seg med {mine}, hele landet med {nor} og "
        f"sammenligningsfylkene samlet med {peers}. De andre fylkene er vist som tynne grå linjer.",
        f"Linjediagram over endringa i folketalet frå 1. januar {FIRST_YEAR} til kvart år fram "
        f"til {y}. {ctx.name} endra seg med {mine}, heile landet med {nor} og samanlikningsfylka "
        f"samla med {peers}. Dei andre fylka er viste som tynne grå linjer.",
    )(lang)


def growth_figure(ctx: CountyContext) -> FigureSpec:
    """Line chart: growth since 1 January 2019 for the county, Norway, the comparison set."""
    data = growth_data(ctx)
    title = T(
        f"Befolkningsendring siden {FIRST_YEAR}: {ctx.name} mot landet og de andre fylkene",
        f"Befolkningsendring sidan {FIRST_YEAR}: {ctx.name} mot landet og dei andre fylka",
    )(ctx.lang)
    ylabel = T(f"Endring fra 1. januar {FIRST_YEAR} (%)", f"Endring frå 1. januar {FIRST_YEAR} (%)")
    return FigureSpec(
        "lines", data, title, growth_alt(ctx, data), source_line([TABLE], ctx.lang, extra=FHI_CREDIT(ctx.lang)),
        ("befolkningsvekst_siden_2019_prosent", "folkemengde"),
        {"decimals": 0, "unit": "%", "ylabel": ylabel(ctx.lang), "xlabel": JAN1(ctx.lang)},
        ctx.lang,
    )  # fmt: skip


def ranking_figure(ctx: CountyContext) -> FigureSpec:
    """The 15 counties ranked by growth since 2019 (the generic ranking)."""
    title = T(
        f"Befolkningsendring {FIRST_YEAR}–{LAST_YEAR} i de 15 fylkene",
        f"Befolkningsendring {FIRST_YEAR}–{LAST_YEAR} i dei 15 fylka",
    )(ctx.lang)
    return standard.ranking(ctx, "befolkningsvekst_siden_2019_prosent", title=title)


# --------------------------------------------------------------------------- elderly shares
ELDERLY = ("andel_67_og_eldre", "andel_80_og_eldre")


def elderly_data(ctx: CountyContext) -> pd.DataFrame:
    """Shares 67+ and 80+ (one panel each, the years with figures): counties, Norway, the set."""
    shares = age_shares(ctx.data_source)
    peers = comparison_shares(ctx.peers, ctx.data_source).assign(region=SET)
    frames = []
    for ind in ELDERLY:
        d = pd.concat([shares, peers], ignore_index=True)
        d = d[(d["indicator"] == ind)]
        d = d[d["year"].isin(d.loc[d["value"].notna(), "year"].unique())]
        years = f"{int(d['year'].min())}–{int(d['year'].max())}"
        frames.append(
            _lines(ctx, d, "value").assign(panel=f"{get(ind).short_name(ctx.lang)} ({years})")
        )
    return pd.concat(frames, ignore_index=True)


def _panel_text(ctx: CountyContext, data: pd.DataFrame) -> tuple[int, str]:
    y0, y1 = int(data["year"].min()), int(data["year"].max())
    a, b = (_pct(_at(data, "county", y), ctx.lang) for y in (y0, y1))
    n0, n1 = (_pct(_at(data, "norway", y), ctx.lang) for y in (y0, y1))
    return y1, T(
        f"{ctx.name} gikk fra {a} til {b}, hele landet fra {n0} til {n1}",
        f"{ctx.name} gjekk frå {a} til {b}, heile landet frå {n0} til {n1}",
    )(ctx.lang)


def elderly_alt(ctx: CountyContext, data: pd.DataFrame) -> str:
    """Alt text of :func:`elderly_figure`, from its data: first and last share per panel."""
    panels = list(dict.fromkeys(data["panel"]))
    (y67, left), (y80, right) = (_panel_text(ctx, data[data["panel"] == p]) for p in panels)
    return T(
        f"To linjediagram. Til venstre andelen innbyggere som er 67 år og eldre, "
        f"{FIRST_YEAR}–{y67}: {left}. Til høyre andelen 80 år og eldre, {FIRST_YEAR}–{y80}: "
        f"{right}. De andre fylkene er grå linjer.",
        f"To linjediagram. Til venstre delen innbyggjarar som er 67 år og eldre, "
        f"{FIRST_YEAR}–{y67}: {left}. Til høgre delen 80 år og eldre, {FIRST_YEAR}–{y80}: "
        f"{right}. Dei andre fylka er grå linjer.",
    )(ctx.lang)


def elderly_figure(ctx: CountyContext) -> FigureSpec:
    """Two panels: share aged 67+ (2019–2022) and 80+ (2019–2025), county vs Norway vs the set."""
    data = elderly_data(ctx)
    title = T(
        f"Andelen eldre i {ctx.name}, hele landet og sammenligningsfylkene",
        f"Delen eldre i {ctx.name}, heile landet og samanlikningsfylka",
    )(ctx.lang)
    ylabel = T("Andel av innbyggerne (%)", "Del av innbyggjarane (%)")(ctx.lang)
    return FigureSpec("lines", data, title, elderly_alt(ctx, data), source_line([TABLE], ctx.lang, extra=FHI_CREDIT(ctx.lang)),
                      ELDERLY, {"decimals": 0, "unit": "%", "ylabel": ylabel, "size": (9.0, 4.6)},
                      ctx.lang)  # fmt: skip


# --------------------------------------------------------------------------- pyramid and map
def pyramid_figure(ctx: CountyContext) -> FigureSpec:
    """Population by sex and 10-year age group: the latest year (bars) against 2023 (outline)."""
    from kunnskapsgrunnlag.chapters.befolkning.text import age_moves

    df = pyramid(ctx.county_code, data_source=ctx.data_source)
    data = pd.DataFrame({"age_group": df["age_group"].astype(str).str.replace("-", "–"),
                         "sex": df["sex"].map({"1": "men", "2": "women"}),
                         "year": df["year"], "value": df["value"], "status": df["status"]})  # fmt: skip
    lang, name = ctx.lang, ctx.name
    title = T(
        f"Befolkningen i {name} etter kjønn og alder, {PYRAMID_BASE_YEAR} og {LAST_YEAR}",
        f"Folketalet i {name} etter kjønn og alder, {PYRAMID_BASE_YEAR} og {LAST_YEAR}",
    )(lang)
    alt = T(
        f"Befolkningspyramide for {name} med menn til venstre og kvinner til høyre i tiårige "
        f"aldersgrupper. Fylte stolper viser {LAST_YEAR}, svarte omriss {PYRAMID_BASE_YEAR}. ",
        f"Befolkningspyramide for {name} med menn til venstre og kvinner til høgre i tiårige "
        f"aldersgrupper. Fylte stolpar viser {LAST_YEAR}, svarte omriss {PYRAMID_BASE_YEAR}. ",
    )(lang) + age_moves(ctx)
    options = {
        "year": LAST_YEAR, "base_year": PYRAMID_BASE_YEAR,
        "labels": {"men": f"{T('Menn')(lang)} {LAST_YEAR}", "women": f"{T('Kvinner')(lang)} {LAST_YEAR}",
                   "base": f"{PYRAMID_BASE_YEAR} (omriss)"},
        "xlabel": T("Antall personer (menn til venstre, kvinner til høyre)",
                    "Talet på personar (menn til venstre, kvinner til høgre)")(lang),
        "ylabel": T("Aldersgruppe (år)")(lang),
    }  # fmt: skip
    return FigureSpec("pyramid", data, title, alt, source_line([TABLE], lang, extra=FHI_CREDIT(lang)), ("folkemengde",),
                      options, lang)  # fmt: skip


def _short_name(name: str) -> str:
    """A map label: the first form of a multilingual name, without a parenthesis."""
    short = name.split(" - ")[0]
    return short.split(" (")[0] if "+" not in short else short


def map_alt(ctx: CountyContext, data: pd.DataFrame) -> str:
    """Alt text of :func:`map_figure`, from its data: how many declined, strongest and weakest."""
    lang, (m0, m1) = ctx.lang, (MUNICIPAL_YEARS[0], MUNICIPAL_YEARS[-1])
    best, worst = data.loc[data["value"].idxmax()], data.loc[data["value"].idxmin()]
    n_down = int((data["value"] < 0).sum())
    b, w = _pct(best["value"], lang, True), _pct(worst["value"], lang, True)
    return T(
        f"Kart over kommunene i {ctx.name} farget etter endringen i folkemengden fra 1. januar "
        f"{m0} til 1. januar {m1}. Blå kommuner vokste, røde fikk færre innbyggere; {n_down} av "
        f"{len(data)} gikk ned. Sterkest vekst hadde {best['name']} ({b}), svakest "
        f"{worst['name']} ({w}).",
        f"Kart over kommunane i {ctx.name} farga etter endringa i folketalet frå 1. januar {m0} "
        f"til 1. januar {m1}. Blå kommunar voks, raude fekk færre innbyggjarar; {n_down} av "
        f"{len(data)} gjekk ned. Sterkast vekst hadde {best['name']} ({b}), svakast "
        f"{worst['name']} ({w}).",
    )(lang)


def map_figure(ctx: CountyContext) -> FigureSpec:
    """Map of the municipalities' growth 2020→2022; Ålesund and Haram one area (``1508+1580``)."""
    tab = municipal_table(ctx.county_code, ctx.data_source)
    m0, m1, lang = MUNICIPAL_YEARS[0], MUNICIPAL_YEARS[-1], ctx.lang
    data = pd.DataFrame({"region": tab["region"], "name": tab["name"], "value": tab["growth_pct"],
                         "label": ""})  # fmt: skip
    data.loc[0, "label"] = _short_name(tab["name"].iloc[0])  # the largest only: labels overlap
    title = T(f"Befolkningsendring {m0}–{m1} i kommunene i {ctx.name}",
              f"Befolkningsendring {m0}–{m1} i kommunane i {ctx.name}")(lang)  # fmt: skip
    options = {"legend_label": f"Endring 1.1.{m0}–1.1.{m1} (%)", "unit": "%", "decimals": 1,
               "diverging": True, "missing_label": T("Ikke tilgjengelig", "Ikkje tilgjengeleg")(lang)}  # fmt: skip
    return FigureSpec("map", data, title, map_alt(ctx, data),
                      source_line([TABLE], lang, extra=FHI_CREDIT(lang), map_data=True),
                      ("befolkningsvekst_2020_2026_prosent",), options, lang)  # fmt: skip


def municipal_figures(ctx: CountyContext) -> list[FigureSpec]:
    """The map, unless the county is one municipality (a map of Oslo would be one colour)."""
    if len(municipal_table(ctx.county_code, ctx.data_source)) < 2:
        return []
    return [map_figure(ctx)]
