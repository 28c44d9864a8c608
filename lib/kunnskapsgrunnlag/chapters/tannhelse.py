"""Tannhelse: what is special to the chapter on the public dental service.

Figures: SSB 11961 (children and young people 3–18 examined or treated) from the bundled
``ssb-andre-fylkesindikatorer`` file, and 12163 FGF8 (the KOSTRA chapter's spending entry,
reused; its barometer row stays in KOSTRA). Everything else is the standard path; special here
is Oslo's asterisk on the spending chart.
"""

from __future__ import annotations

from kunnskapsgrunnlag.analysis import history
from kunnskapsgrunnlag.chapters import standard
from kunnskapsgrunnlag.charts import FigureSpec
from kunnskapsgrunnlag.context import CountyContext
from kunnskapsgrunnlag.text import T

CHAPTER = "tannhelse"
COVERAGE = "tannhelse_andel_undersokt_behandlet"
SPENDING = "netto_driftsutgifter_per_innbygger_fgf8"
"""The KOSTRA chapter's entry for FGF8, shown here too."""
OSLO_MARK = {"03": "*"}


def compared(ctx: CountyContext) -> list[str]:
    """The indicators compared with «landet uten Oslo» that have figures for the county."""
    return history.with_figures(ctx, [COVERAGE, SPENDING])


def oslo_note(ctx: CountyContext) -> str:
    """Oslo's caveat for the spending figure, once per chapter."""
    return T(
        "Oslo er både kommune og fylke; utgiftene til tannhelse i Oslo er ikke direkte "
        "sammenlignbare med de andre fylkeskommunenes.",
        "Oslo er både kommune og fylke; utgiftene til tannhelse i Oslo er ikkje direkte "
        "samanliknbare med utgiftene i dei andre fylkeskommunane.",
    )(ctx.lang)


def key_sentences(ctx: CountyContext) -> list[str]:
    """Notable differences from «landet uten Oslo», and Oslo's caveat."""
    out = standard.key_sentences(ctx, compared(ctx))
    return out + ([oslo_note(ctx)] if ctx.is_oslo else [])


def rankings(ctx: CountyContext) -> list[FigureSpec]:
    """The counties ranked on coverage and on spending (Oslo marked on spending)."""
    out = [standard.ranking(ctx, COVERAGE)] if COVERAGE in compared(ctx) else []
    note = "* " + oslo_note(ctx)
    return out + [standard.ranking(ctx, SPENDING, marks=OSLO_MARK, note=note)]


def trend_figure(ctx: CountyContext) -> FigureSpec:
    """Coverage against «landet uten Oslo» over the county's years."""
    ys = history.years(ctx, COVERAGE)
    title = T(
        f"Barn og ungdom 3–18 år undersøkt eller behandlet i {ctx.name} og landet uten Oslo, "
        f"{ys[0]}–{ys[-1]}",
        f"Barn og ungdom 3–18 år undersøkte eller behandla i {ctx.name} og landet utanom Oslo, "
        f"{ys[0]}–{ys[-1]}",
    )
    note = standard.break_note(ctx, COVERAGE) or None
    return standard.trend(ctx, [COVERAGE], title=title(ctx.lang), note=note)
