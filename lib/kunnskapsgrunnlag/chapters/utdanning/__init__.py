"""Utdanning: what is special to the chapter on upper-secondary education (videregående).

The indicators are registry entries (``chapter: utdanning``; figures from :mod:`.provider`, or a
``series:`` block); ranking, trend, tables, key sentences and barometer rows come from
:mod:`kunnskapsgrunnlag.chapters.standard`. Special here: which indicators a county has figures
for (Udir's dropout only where the county's borders held), the one sentence for those it lacks,
the breaks in Udir's series, and the outlook from the projection's 16–19-year-olds (registry id
``framskrevet_16_19``, reused as it is).
"""

from __future__ import annotations

from dataclasses import replace

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag import indicators
from kunnskapsgrunnlag.analysis import sentences as say
from kunnskapsgrunnlag.analysis.compare import compare
from kunnskapsgrunnlag.analysis.trend import trend
from kunnskapsgrunnlag.chapters import standard
from kunnskapsgrunnlag.charts import Column, FigureSpec, TableSpec
from kunnskapsgrunnlag.context import CountyContext
from kunnskapsgrunnlag.regions import COUNTIES, NORWAY
from kunnskapsgrunnlag.text import T, join_words

CHAPTER = "utdanning"
OUTLOOK = "framskrevet_16_19"
OUTLOOK_YEARS: tuple[int, ...] = (2025, 2030, 2035, 2040)
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


def responsibility_text(ctx: CountyContext) -> str:
    """What the county council is responsible for in education (Oslo: the municipality)."""
    who = (
        T("Oslo kommune", "Oslo kommune") if ctx.is_oslo else T("Fylkeskommunen", "Fylkeskommunen")
    )
    return T(
        f"{who(ctx.lang)} har ansvaret for videregående opplæring: de offentlige videregående "
        "skolene, fagopplæringen i lærebedrift fram til fag- eller svennebrev, videregående "
        "opplæring for voksne og oppfølgingstjenesten for ungdom som verken er i opplæring eller "
        "arbeid. Grunnskolen er kommunenes ansvar, men grunnskolepoengene sier mye om hvor godt "
        "forberedt elevene er når de begynner i videregående.",
        f"{who(ctx.lang)} har ansvaret for vidaregåande opplæring: dei offentlege vidaregåande "
        "skulane, fagopplæringa i lærebedrift fram til fag- eller sveinebrev, vidaregåande "
        "opplæring for vaksne og oppfølgingstenesta for ungdom som verken er i opplæring eller "
        "arbeid. Grunnskulen er ansvaret til kommunane, men grunnskulepoenga seier mykje om kor "
        "godt førebudde elevane er når dei byrjar i vidaregåande.",
    )(ctx.lang)


def missing_text(ctx: CountyContext) -> str:
    """One plain sentence on the indicators the county has no figures for ("" when none)."""
    lacking = [i for i in indicator_ids() if not years(ctx, i)]
    if not lacking:
        return ""
    return T(
        f"For {_short(ctx, lacking)} finnes det ikke tall for {ctx.name} med dagens grenser: "
        "tallene er publisert for fylket slik det var før, og de kan ikke regnes om, så vi "
        "anslår dem ikke.",
        f"For {_short(ctx, lacking)} finst det ikkje tal for {ctx.name} med dagens grenser: "
        "tala er publiserte for fylket slik det var før, og dei kan ikkje reknast om, så vi "
        "anslår dei ikkje.",
    )(ctx.lang)


def outlook_sentence(ctx: CountyContext) -> str:
    """The projected change in 16–19-year-olds, 2025–2040, with Norway's beside it."""
    y0, y1 = OUTLOOK_YEARS[0], OUTLOOK_YEARS[-1]
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
        "Året er våren skoleåret slutter. Forskjell: grunnskolepoeng i poeng, andeler i "
        "prosentpoeng.",
        "Året er våren skuleåret sluttar. Skilnad: grunnskulepoeng i poeng, delar i prosentpoeng.",
    )
    few = [(i, compare(ctx, i).n) for i in shown_ids(ctx) if compare(ctx, i).n < len(COUNTIES)]
    ranks = [T(f" Plass for {_short(ctx, [i])}: blant de {n} fylkene som har tall.",
               f" Plass for {_short(ctx, [i])}: blant dei {n} fylka som har tal.")(ctx.lang)
             for i, n in few]  # fmt: skip
    return standard.comparison_table(
        ctx, shown_ids(ctx), title=title(ctx.lang), note=note(ctx.lang) + "".join(ranks)
    )


def trend_figures(ctx: CountyContext) -> list[FigureSpec]:
    """The county against the country over time: one figure per unit, Udir's breaks kept."""
    groups = [[i] for i in ("grunnskolepoeng", "andel_sluttet_vgo")]
    groups.append([i for i in indicator_ids() if i.startswith("utdanningsniva_")])
    out = []
    for ids in groups:
        ids = [i for i in ids if len(years(ctx, i)) >= 3]
        if not ids:
            continue
        ys = sorted({y for i in ids for y in years(ctx, i)})
        name = indicators.get(ids[0]).short_name(ctx.lang) if len(ids) == 1 else T(
            "Utdanningsnivå")(ctx.lang)  # fmt: skip
        title = f"{name}, {ctx.name} {T('og landet', 'og landet')(ctx.lang)}, {ys[0]}–{ys[-1]}"
        spec = standard.trend(ctx, ids, title=title, breaks=BREAKS.get(ids[0], ()))
        label = T("Brudd i statistikken", "Brot i statistikken")(ctx.lang)
        out.append(replace(spec, options={**spec.options, "break_label": label}))
    return out


def outlook_table(ctx: CountyContext) -> TableSpec:
    """The projected 16–19-year-olds in the county and the country, 2025–2040."""
    data = indicators.series(OUTLOOK, ctx.data_source)
    rows = []
    for code in (ctx.county_code, NORWAY):
        own = data[data["region"] == code].set_index("year")["value"]
        row = {"name": ctx.name if code == ctx.county_code else T("Landet")(ctx.lang)}
        row |= {str(y): own[y] for y in OUTLOOK_YEARS}
        change = (own[OUTLOOK_YEARS[-1]] / own[OUTLOOK_YEARS[0]] - 1) * 100
        rows.append(row | {"change": fmt.percent(change, 1, ctx.lang, sign=True)})
    y0, y1 = OUTLOOK_YEARS[0], OUTLOOK_YEARS[-1]
    columns = (
        Column("name", T("Område")(ctx.lang), "text"),
        *(Column(str(y), str(y), "number") for y in OUTLOOK_YEARS),
        Column("change", T(f"Endring {y0}–{y1}")(ctx.lang), "text"),
    )
    title = T(f"Framskrevet antall 16–19-åringer i {ctx.name} og landet, {y0}–{y1}",
              f"Framskrive tal på 16–19-åringar i {ctx.name} og landet, {y0}–{y1}")  # fmt: skip
    method = T("Framskriving: se kapittelet Befolkningsframskriving",
               "Framskriving: sjå kapittelet Befolkningsframskriving")  # fmt: skip
    source = standard.source(ctx, [OUTLOOK]) + ". " + method(ctx.lang)
    return TableSpec(title(ctx.lang), columns, tuple(rows), source, ctx.lang, (OUTLOOK,))
