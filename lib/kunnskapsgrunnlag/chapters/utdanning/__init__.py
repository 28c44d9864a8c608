"""Utdanning: what is special to the chapter on upper-secondary education (videregående).

Registry entries (``chapter: utdanning``; figures from :mod:`.provider` or a ``series:`` block)
drawn by :mod:`kunnskapsgrunnlag.chapters.standard`. Special here: which indicators a county has
figures for, one sentence for those it lacks, Udir's breaks, and the outlook from the projection's
16–19-year-olds (registry id ``framskrevet_16_19``, reused as it is).
"""

from __future__ import annotations

from dataclasses import replace

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag import indicators
from kunnskapsgrunnlag.analysis import sentences as say
from kunnskapsgrunnlag.analysis.trend import trend
from kunnskapsgrunnlag.chapters import standard
from kunnskapsgrunnlag.chapters.framskriving.facts import OUTLOOK_YEARS  # the projection's years
from kunnskapsgrunnlag.charts import Column, FigureSpec, TableSpec
from kunnskapsgrunnlag.context import CountyContext
from kunnskapsgrunnlag.regions import NORWAY, border_moves
from kunnskapsgrunnlag.text import T, join_words

CHAPTER = "utdanning"
OUTLOOK = "framskrevet_16_19"
BREAKS: dict[str, tuple[int, ...]] = {"grunnskolepoeng": (2020,), "andel_sluttet_vgo": (2019,)}
"""Udir's breaks: no exams from 2019–20; pupils with unknown status counted anew from 2018–19."""


def indicator_ids() -> list[str]:
    """The chapter's indicators, in registry order."""
    return [i.id for i in indicators.for_chapter(CHAPTER)]


def years(ctx: CountyContext, indicator_id: str) -> list[int]:
    """The years with a value for the county."""
    data = indicators.series(indicator_id, ctx.data_source)
    return sorted(data.loc[(data["region"] == ctx.county_code) & data["value"].notna(), "year"])


def shown_ids(ctx: CountyContext) -> list[str]:
    """The indicators with figures for the county on its 2024 borders."""
    return [i for i in indicator_ids() if years(ctx, i)]


def _short(ctx: CountyContext, ids: list[str]) -> str:
    return join_words([say.lower_first(indicators.get(i).short_name(ctx.lang)) for i in ids])


def missing_text(ctx: CountyContext) -> str:
    """One plain sentence on the indicators the county has no figures for ("" when none)."""
    lacking = _short(ctx, [i for i in indicator_ids() if not years(ctx, i)])
    return lacking and T(
        f"For {ctx.name} med dagens grenser finnes det ikke tall for {lacking} i datagrunnlaget, "
        "og vi anslår dem ikke.",
        f"For {ctx.name} med dagens grenser finst det ikkje tal for {lacking} i datagrunnlaget, "
        "og vi anslår dei ikkje.",
    )(ctx.lang)


def outlook_years(ctx: CountyContext) -> tuple[int, ...]:
    """The projection's outlook years that its 16–19 series has (from the first projected year)."""
    have = set(int(y) for y in indicators.series(OUTLOOK, ctx.data_source)["year"])
    return tuple(sorted({min(have), *(y for y in OUTLOOK_YEARS if y in have)}))


def outlook_sentence(ctx: CountyContext) -> str:
    """The projected change in 16–19-year-olds over the projection, with Norway's beside it."""
    y0, y1 = outlook_years(ctx)[0], outlook_years(ctx)[-1]
    own = trend(ctx, OUTLOOK, since=y0, until=y1)
    return say.outlook_sentence(ctx, own, trend(ctx, OUTLOOK, region=NORWAY, since=y0, until=y1))


def key_sentences(ctx: CountyContext) -> list[str]:
    """Notable differences from the country, then the 16–19 outlook."""
    return standard.key_sentences(ctx, shown_ids(ctx)) + [outlook_sentence(ctx)]


def rankings(ctx: CountyContext) -> list[FigureSpec]:
    """The counties ranked, one chart per indicator the county has figures for."""
    return [standard.ranking(ctx, i) for i in shown_ids(ctx)]


def comparison_table(ctx: CountyContext) -> TableSpec:
    """The county against the country on every indicator it has, the latest year of each."""
    title = T(f"Utdanning i {ctx.name} og landet", f"Utdanning i {ctx.name} og landet")
    note = T(
        "For Udir-tallene er året våren skoleåret slutter. Forskjell: grunnskolepoeng i poeng, "
        "andeler i prosentpoeng.",
        "For tala frå Udir er året våren skuleåret sluttar. Skilnad: grunnskulepoeng i poeng, "
        "delar i prosentpoeng.",
    )
    return standard.comparison_table(
        ctx, shown_ids(ctx), title=title(ctx.lang), note=note(ctx.lang)
    )


def _breaks(ctx: CountyContext, indicator_id: str) -> dict:
    """Udir's breaks in the statistics, or 2020 for an SSB series where the borders moved."""
    if indicator_id in BREAKS:
        label = T("Brudd i statistikken", "Brot i statistikken")(ctx.lang)
        return {"breaks": BREAKS[indicator_id], "break_label": label}
    own = indicators.get(indicator_id).series is not None
    moved = own and border_moves(ctx.county_code, years(ctx, indicator_id))
    return {"breaks": None if moved else ()}


def trend_figures(ctx: CountyContext) -> list[FigureSpec]:
    """The county against the country over time: one figure per unit, breaks kept."""
    levels = [i for i in indicator_ids() if i.startswith("utdanningsniva_")]
    out = []
    for ids in [[i] for i in indicator_ids() if i not in levels] + [levels]:
        ids = [i for i in ids if len(years(ctx, i)) >= 3]
        if not ids:
            continue
        ys = sorted({y for i in ids for y in years(ctx, i)})
        one = indicators.get(ids[0]).short_name(ctx.lang)
        name = one if len(ids) == 1 else T("Utdanningsnivå")(ctx.lang)
        spec = standard.trend(ctx, ids, title=f"{name}, {ctx.name} og landet, {ys[0]}–{ys[-1]}",
                              breaks=_breaks(ctx, ids[0])["breaks"])  # fmt: skip
        label = _breaks(ctx, ids[0]).get("break_label")
        out.append(replace(spec, options={**spec.options, "break_label": label}) if label else spec)
    return out


def outlook_table(ctx: CountyContext) -> TableSpec:
    """The projected 16–19-year-olds in the county and the country, over the projection."""
    data, years = indicators.series(OUTLOOK, ctx.data_source), outlook_years(ctx)
    rows = []
    for code in (ctx.county_code, NORWAY):
        own = data[data["region"] == code].set_index("year")["value"]
        row = {"name": ctx.name if code == ctx.county_code else T("Landet")(ctx.lang)}
        row |= {str(y): own[y] for y in years}
        change = (own[years[-1]] / own[years[0]] - 1) * 100
        rows.append(row | {"change": fmt.percent(change, 1, ctx.lang, sign=True)})
    y0, y1 = years[0], years[-1]
    columns = (
        Column("name", T("Område")(ctx.lang), "text"),
        *(Column(str(y), str(y), "number") for y in years),
        Column("change", T(f"Endring {y0}–{y1}")(ctx.lang), "text"),
    )
    title = T(f"Framskrevet antall 16–19-åringer i {ctx.name} og landet, {y0}–{y1}",
              f"Framskrive tal på 16–19-åringar i {ctx.name} og landet, {y0}–{y1}")  # fmt: skip
    method = T("Framskriving: se kapittelet Befolkningsframskriving",
               "Framskriving: sjå kapittelet Befolkningsframskriving")  # fmt: skip
    source = standard.source(ctx, [OUTLOOK]) + ". " + method(ctx.lang)
    return TableSpec(title(ctx.lang), columns, tuple(rows), source, ctx.lang, (OUTLOOK,))
