"""Fylkeskommunen i KOSTRA: what is special to the chapter on county-council spending (SSB 12163).

The five indicators (net operating expenditure per inhabitant on five function groups) are
registry entries with a ``series:`` block; ranking, trend, tables, key sentences and barometer rows
come from :mod:`kunnskapsgrunnlag.chapters.standard`, the border sentences from
:mod:`kunnskapsgrunnlag.analysis.history`. Special here: Oslo is both municipality and county (an
asterisk and a caveat wherever Oslo appears), the change table's two years and the biggest change.
"""

from __future__ import annotations

from kunnskapsgrunnlag import indicators, regions
from kunnskapsgrunnlag.analysis import history
from kunnskapsgrunnlag.analysis import sentences as say
from kunnskapsgrunnlag.analysis.compare import compare
from kunnskapsgrunnlag.analysis.trend import breaks_of, trend
from kunnskapsgrunnlag.chapters import standard
from kunnskapsgrunnlag.charts import FigureSpec, TableSpec
from kunnskapsgrunnlag.context import CountyContext
from kunnskapsgrunnlag.text import T, join_words

CHAPTER = "kostra"
CHANGE_YEARS: tuple[int, int] = (2024, 2025)
"""The two years of the change table (the years every one of the 15 counties has)."""
MAX_KEY_SENTENCES = 6
OSLO_MARK = {"03": "*"}


def indicator_ids() -> list[str]:
    """The chapter's indicators, in registry order."""
    return [i.id for i in indicators.for_chapter(CHAPTER)]


def oslo_note(ctx: CountyContext) -> str:
    """What Oslo's differences reflect: the last of Oslo's key points.

    The chapter's intro says once that Oslo is both municipality and county.
    """
    return T(
        "Forskjellene speiler blant annet at Oslo fører mange fylkeskommunale oppgaver på "
        "kommunale funksjoner; tallene er ikke direkte sammenlignbare med fylkeskommunene.",
        "Skilnadene speglar mellom anna at Oslo fører mange fylkeskommunale oppgåver på "
        "kommunale funksjonar; tala er ikkje direkte samanliknbare med fylkeskommunane.",
    )(ctx.lang)


def _oslo_negative(ctx: CountyContext, cmp) -> str:
    """Oslo's negative spending on a function: what it reflects, not a finding."""
    ind = indicators.get(cmp.indicator)
    value = say.value_text(ind, cmp.value, cmp.status, ctx.lang, short=True)
    area = say.lower_first(ind.short_name(ctx.lang))
    return T(
        f"Oslo hadde negative netto driftsutgifter til {area} i {cmp.year} ({value} per innbygger): "
        f"Oslo fører nesten all innsats på dette området som kommune.",
        f"Oslo hadde negative netto driftsutgifter til {area} i {cmp.year} ({value} per innbyggjar): "
        f"Oslo fører nesten all innsats på dette området som kommune.",
    )(ctx.lang)


def functions_text(ctx: CountyContext) -> str:
    """The five function groups as prose («videregående opplæring, …og kultur»)."""
    return join_words(
        [say.lower_first(indicators.get(i).short_name(ctx.lang)) for i in indicator_ids()]
    )


def biggest_change(ctx: CountyContext) -> str:
    """The largest change from 2024 to 2025, against the reference's change."""
    y0, y1 = CHANGE_YEARS
    trends = [trend(ctx, i, since=y0, until=y1) for i in indicator_ids()]
    big = max((t for t in trends if t.pct == t.pct), key=lambda t: abs(t.pct))
    ref = trend(ctx, big.indicator, region="EAFKUO", since=y0, until=y1)
    return say.trend_with_reference_sentence(ctx, big, ref)


def key_sentences(ctx: CountyContext) -> list[str]:
    """Notable differences from «landet uten Oslo» and the biggest change (3–6).

    Oslo gets no place among the 15 (its figures are not comparable), no finding from a negative
    amount, and the caveat once, last.
    """
    if not ctx.is_oslo:
        out = standard.key_sentences(ctx, indicator_ids())
        return out + ([biggest_change(ctx)] if len(out) < MAX_KEY_SENTENCES else [])
    negative = [c for c in (compare(ctx, i) for i in indicator_ids()) if c.value < 0]
    ids = [i for i in indicator_ids() if i not in {c.indicator for c in negative}]
    out = standard.key_sentences(ctx, ids, rank=False)
    return out + [_oslo_negative(ctx, c) for c in negative] + [oslo_note(ctx)]


def rankings(ctx: CountyContext) -> list[FigureSpec]:
    """The 15 counties ranked, one chart per function group; Oslo marked with an asterisk."""
    return [
        standard.ranking(ctx, i, marks=OSLO_MARK, ranked=not ctx.is_oslo) for i in indicator_ids()
    ]


def comparison_table(ctx: CountyContext) -> TableSpec:
    """The county against «landet uten Oslo», with rank; a percentage only where it has meaning."""
    year = compare(ctx, indicator_ids()[0]).year
    title = T(
        f"Netto driftsutgifter per innbygger i {ctx.name} og landet uten Oslo, {year}",
        f"Netto driftsutgifter per innbyggjar i {ctx.name} og landet utanom Oslo, {year}",
    )
    note = T(
        "Forskjell: i prosent av landet uten Oslo (i kroner der utgiftene er negative). ",
        "Skilnad: i prosent av landet utanom Oslo (i kroner der utgiftene er negative). ",
    )
    return standard.comparison_table(
        ctx,
        indicator_ids(),
        title=title(ctx.lang),
        note=note(ctx.lang).strip(),
        rank=not ctx.is_oslo,
    )


def change_table(ctx: CountyContext) -> TableSpec:
    """Change from 2024 to 2025 for the county and «landet uten Oslo»."""
    y0, y1 = CHANGE_YEARS
    title = T(
        f"Netto driftsutgifter per innbygger i {ctx.name}, {y0} og {y1}, og endring",
        f"Netto driftsutgifter per innbyggjar i {ctx.name}, {y0} og {y1}, og endring",
    )
    note = T(
        "Løpende kroner, ikke justert for prisvekst. Endring i kroner der beløpene er negative.",
        "Løpande kroner, ikkje justerte for prisvekst. Endring i kroner der beløpa er negative.",
    )
    return standard.change_table(
        ctx, indicator_ids(), CHANGE_YEARS, title=title(ctx.lang), note=note(ctx.lang)
    )


def trend_figure(ctx: CountyContext) -> FigureSpec:
    """The county against «landet uten Oslo» over time, one panel per function group."""
    ys = history.years(ctx, indicator_ids()[0])
    title = T(
        f"Netto driftsutgifter per innbygger i {ctx.name} og landet uten Oslo, {ys[0]}–{ys[-1]}",
        f"Netto driftsutgifter per innbyggjar i {ctx.name} og landet utanom Oslo, {ys[0]}–{ys[-1]}",
    )
    notes = [T("Løpende kroner.", "Løpande kroner.")(ctx.lang)]
    if brutt := standard.break_note(ctx, indicator_ids()[0]):
        notes.insert(0, brutt)
    moved = [y for m in regions.border_moves(ctx.county_code, ys) for y in m.years]
    if moved:
        notes.append(
            T(
                f"Tallene for {min(moved)}–{max(moved)} gjelder litt andre grenser enn i dag.",
                f"Tala for {min(moved)}–{max(moved)} gjeld litt andre grenser enn i dag.",
            )(ctx.lang)
        )
    return standard.trend(ctx, indicator_ids(), title=title(ctx.lang), note=" ".join(notes))


def trend_breaks(ctx: CountyContext) -> tuple[int, ...]:
    """The years before which the county's line breaks (a new county or new borders)."""
    return breaks_of(indicator_ids()[0], ctx.county_code)


def trend_text(ctx: CountyContext) -> str:
    """Why the county's line breaks where it does — or that it does not — and the price note."""
    ys = history.years(ctx, indicator_ids()[0])
    cut = [b for b in trend_breaks(ctx) if ys[0] < b <= ys[-1]]
    prices = T(
        "Beløpene er i løpende kroner, slik at en del av økningen over tid er prisvekst.",
        "Beløpa er i løpande kroner, slik at ein del av auken over tid er prisvekst.",
    )(ctx.lang)
    if not cut:
        return (
            T(
                f"Fylkesinndelingen ble endret 1. januar 2020 og 1. januar 2024, men {ctx.name} hadde samme fylkeskommune og "
                f"de samme grensene i hele perioden {ys[0]}–{ys[-1]}, så linjen er sammenhengende. ",
                f"Fylkesinndelinga vart endra 1. januar 2020 og 1. januar 2024, men {ctx.name} hadde same fylkeskommune og "
                f"dei same grensene i heile perioden {ys[0]}–{ys[-1]}, så linja er samanhengande. ",
            )(ctx.lang)
            + prices
        )
    years = join_words([f"1. januar {b}" for b in cut])
    return (
        T(
            f"Linjen for {ctx.name} er brutt ved {years}: da ble fylkeskommunen ny, eller grensene endret seg, så tallene "
            f"før og etter gjelder ikke helt det samme. Landet uten Oslo er ikke brutt, fordi summen dekker de samme "
            f"fylkeskommunene hele tiden. {history.border_note(ctx, indicator_ids()[0])} ",
            f"Linja for {ctx.name} er broten ved {years}: då vart fylkeskommunen ny, eller grensene endra seg, så tala "
            f"før og etter gjeld ikkje heilt det same. Landet utanom Oslo er ikkje brote, fordi summen dekkjer dei same "
            f"fylkeskommunane heile tida. {history.border_note(ctx, indicator_ids()[0])} ",
        )(ctx.lang)
        + prices
    )
