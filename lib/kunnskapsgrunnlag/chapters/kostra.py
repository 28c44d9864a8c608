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
from kunnskapsgrunnlag.analysis.trend import trend
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
    """The caveat shown wherever Oslo is compared with the other counties."""
    return T(
        "Oslo er både kommune og fylke. Tallene for Oslo gjelder de fylkeskommunale oppgavene i "
        "Oslo kommune og er ikke direkte sammenlignbare med de andre fylkeskommunene.",
        "Oslo er både kommune og fylke. Tala for Oslo gjeld dei fylkeskommunale oppgåvene i "
        "Oslo kommune og er ikkje direkte samanliknbare med dei andre fylkeskommunane.",
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
    """Notable differences from «landet uten Oslo», the biggest change, and Oslo's caveat (3–6)."""
    out = standard.key_sentences(ctx, indicator_ids())
    if len(out) < MAX_KEY_SENTENCES - ctx.is_oslo:
        out.append(biggest_change(ctx))
    return out + ([oslo_note(ctx)] if ctx.is_oslo else [])


def rankings(ctx: CountyContext) -> list[FigureSpec]:
    """The 15 counties ranked, one chart per function group; Oslo marked and explained."""
    return [
        standard.ranking(
            ctx, i, marks=OSLO_MARK, note="* " + oslo_note(ctx), extra_alt=oslo_note(ctx)
        )
        for i in indicator_ids()
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
        ctx, indicator_ids(), title=title(ctx.lang), note=note(ctx.lang) + oslo_note(ctx)
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
    extra = " " + oslo_note(ctx) if ctx.is_oslo else ""
    return standard.change_table(
        ctx, indicator_ids(), CHANGE_YEARS, title=title(ctx.lang), note=note(ctx.lang) + extra
    )


def trend_figure(ctx: CountyContext) -> FigureSpec:
    """The county against «landet uten Oslo» over time, one panel per function group."""
    ys = history.years(ctx, indicator_ids()[0])
    title = T(
        f"Netto driftsutgifter per innbygger i {ctx.name} og landet uten Oslo, {ys[0]}–{ys[-1]}",
        f"Netto driftsutgifter per innbyggjar i {ctx.name} og landet utanom Oslo, {ys[0]}–{ys[-1]}",
    )
    notes = [
        T(
            "Linjen er brutt ved ny fylkesinndeling (2020 og 2024). Løpende kroner.",
            "Linja er broten ved ny fylkesinndeling (2020 og 2024). Løpande kroner.",
        )(ctx.lang)
    ]
    moved = [y for m in regions.border_moves(ctx.county_code, ys) for y in m.years]
    if moved:
        notes.append(
            T(
                f"Tallene for {min(moved)}–{max(moved)} gjelder litt andre grenser enn i dag.",
                f"Tala for {min(moved)}–{max(moved)} gjeld litt andre grenser enn i dag.",
            )(ctx.lang)
        )
    oslo = oslo_note(ctx) if ctx.is_oslo else ""
    return standard.trend(
        ctx,
        indicator_ids(),
        title=title(ctx.lang),
        note=" ".join(notes + ([oslo] if oslo else [])),
        extra_alt=oslo,
    )
