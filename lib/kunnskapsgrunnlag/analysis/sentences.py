"""The phrase bank: one way to say each fact, in bokmål and nynorsk, for every chapter and county.

Key sentences are built from a :class:`~.compare.Comparison` or a :class:`~.trend.Trend` and the
indicator's registry entry (name, unit, decimals, polarity), so all 15 counties get the same
words for the same facts. The words follow the polarity: «bedre/svakere enn» only for
indicators with a good direction, «høyere/lavere enn» for neutral ones such as spending.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag.indicators import get
from kunnskapsgrunnlag.regions import NORWAY
from kunnskapsgrunnlag.status import SYMBOLS
from kunnskapsgrunnlag.text import T, join_words

if TYPE_CHECKING:
    from kunnskapsgrunnlag.analysis.compare import Comparison
    from kunnskapsgrunnlag.analysis.trend import Trend
    from kunnskapsgrunnlag.context import CountyContext
    from kunnskapsgrunnlag.indicators import Indicator

VERDICT_WORDS: dict[str, T] = {
    "better": T("bedre enn", "betre enn"),
    "similar": T("om lag som"),
    "worse": T("svakere enn", "svakare enn"),
    "higher": T("høyere enn", "høgare enn"),
    "similar_neutral": T("om lag som"),
    "lower": T("lavere enn", "lågare enn"),
}
"""What a verdict says before the reference («… enn landet»)."""

REFERENCE_NAMES: dict[str, T] = {
    NORWAY: T("landet"),
    "EAFKUO": T("landet uten Oslo", "landet utanom Oslo"),
    "FYLKENE": T("fylkene samlet", "fylka samla"),
    "peers": T("sammenligningsfylkene (median)", "samanlikningsfylka (median)"),
}
"""The reference as it stands inside a sentence («… enn i landet uten Oslo»)."""


def lower_first(text: str) -> str:
    """«Folkemengde» → «folkemengde» (keeps acronyms such as «KOSTRA» as they are)."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def reference_name(code: str, lang: str) -> str:
    """The reference for use inside a sentence, e.g. «landet uten Oslo»."""
    return REFERENCE_NAMES[code](lang)


def value_text(
    ind: Indicator,
    value: float,
    status: str | None,
    lang: str,
    short: bool = False,
    compact: bool = False,
) -> str:
    """A value as a reader sees it, with its unit: «7 753 kr per innbygger», «12,3 %», the symbol.

    *short* drops what the indicator's name already says: «7 753 kr» for a unit «kr per …».
    *compact* (table cells under a header naming the indicator) keeps only «%», «kr» and
    «mill. kr».
    """
    if status:
        return status
    if ind.csv_unit == "prosent":
        return fmt.percent(value, ind.decimals, lang, sign=ind.change)
    unit = ind.unit(lang)
    for money in ("mill. kr", "kr"):  # «kr per innbygger» → «kr» where the name says per whom
        if (short or compact) and unit.startswith(money + " "):
            unit = money
            break
    number = fmt.number(value, ind.decimals, lang)
    return number if compact and unit not in ("kr", "mill. kr") else f"{number}{fmt.NBSP}{unit}"


def difference_text(ind: Indicator, cmp: Comparison, lang: str) -> str:
    """The size of a difference in the indicator's notable measure: «11 %», «1,2 prosentpoeng»."""
    measure = ind.notable.measure if ind.notable else "units"
    if measure == "percent" and cmp.pct == cmp.pct:  # not NaN
        return fmt.percent(abs(cmp.pct), 0, lang)
    if measure == "points":
        return f"{fmt.number(abs(cmp.diff), ind.decimals, lang)}{fmt.NBSP}" + T("prosentpoeng")(
            lang
        )
    return value_text(ind, abs(cmp.diff), None, lang, short=True)


def rank_text(cmp: Comparison, lang: str, name: str = "") -> str:
    """«høyest av de 15 fylkene», «lavest …» or «Vestland er nummer 3 av 15 fylker (1 = høyest)».

    *name* (the county) is the subject of «er nummer …», so the referent is never unclear.
    """
    if cmp.rank is None:
        return ""
    if cmp.rank == 1:
        return T(f"høyest av de {cmp.n} fylkene", f"høgast av dei {cmp.n} fylka")(lang)
    if cmp.rank == cmp.n:
        return T(f"lavest av de {cmp.n} fylkene", f"lågast av dei {cmp.n} fylka")(lang)
    who = f"{name} er " if name else ""
    return T(
        f"{who}nummer {cmp.rank} av {cmp.n} fylker (1 = høyest)",
        f"{who}nummer {cmp.rank} av {cmp.n} fylke (1 = høgast)",
    )(lang)


def comparison_sentence(ctx: CountyContext, cmp: Comparison, *, rank: bool = True) -> str:
    """One sentence on the county against the reference.

    For example «Netto driftsutgifter til samferdsel per innbygger var 5 213 kr per innbygger i Vestland i
    2025, 23 % høyere enn i landet uten Oslo (4 240 kr per innbygger) – nummer 4 av 15 fylker
    (1 = høyest).»
    """
    ind, lang = get(cmp.indicator), ctx.lang
    name, ref = ind.name(lang), reference_name(cmp.reference_code, lang)
    if not cmp.has_verdict:
        symbol = cmp.status or cmp.reference_status or ".."
        return T(
            f"{name} i {ctx.name} i {cmp.year} kan ikke sammenlignes med {ref}: "
            f"{SYMBOLS[symbol]['nb'].rstrip('.').lower()} («{symbol}»).",
            f"{name} i {ctx.name} i {cmp.year} kan ikkje samanliknast med {ref}: "
            f"{SYMBOLS[symbol]['nn'].rstrip('.').lower()} («{symbol}»).",
        )(lang)
    words = VERDICT_WORDS[cmp.verdict](lang)
    amount = f"{difference_text(ind, cmp, lang)} " if cmp.notable else ""
    value = value_text(ind, cmp.value, cmp.status, lang, short=True)
    reference = value_text(ind, cmp.reference, cmp.reference_status, lang, short=True)
    ranked = rank_text(cmp, lang, ctx.name) if rank else ""
    tail = f" – {ranked}" if ranked else ""
    return (
        f"{name} var {value} i {ctx.name} i {cmp.year}, {amount}{words} i {ref} ({reference})"
        f"{tail}."
    )


def trend_with_reference_sentence(ctx: CountyContext, tr: Trend, ref: Trend) -> str:
    """The county's change with the reference's beside it.

    For example «Netto driftsutgifter til samferdsel per innbygger i Oslo økte med 5,9 % fra 2024
    til 2025, til 6 124 kr (landet uten Oslo: +5,5 %).»
    """
    where = reference_name(ref.region, ctx.lang)
    change = (
        fmt.percent(ref.pct, 1, ctx.lang, sign=True)
        if ref.pct == ref.pct
        else value_text(get(ref.indicator), ref.change, None, ctx.lang, short=True)
    )
    return trend_sentence(ctx, tr)[:-1] + f" ({where}: {change})."


def change_words(direction: int, lang: str) -> str:
    """«økte» / «gikk ned» / «var uendret» (nynorsk «auka» / «gjekk ned» / «var uendra»)."""
    if direction > 0:
        return T("økte", "auka")(lang)
    if direction < 0:
        return T("gikk ned", "gjekk ned")(lang)
    return T("var uendret", "var uendra")(lang)


def trend_sentence(ctx: CountyContext, tr: Trend) -> str:
    """One sentence on a change over time.

    For example «Folkemengde 1. januar i Oslo økte med 6,3 % fra 2019 til 2025, til 724 290
    personer.»
    """
    ind, lang = get(tr.indicator), ctx.lang
    where = ctx.name if tr.region == ctx.county_code else reference_name(tr.region, lang)
    period = T(f"fra {tr.start_year} til {tr.end_year}", f"frå {tr.start_year} til {tr.end_year}")
    verb = change_words(tr.direction, lang)
    end = value_text(ind, tr.end, None, lang, short=True)
    if tr.direction == 0:
        return f"{ind.name(lang)} i {where} {verb} {period(lang)} ({end})."
    if tr.pct == tr.pct and ind.csv_unit != "prosent":
        by = fmt.percent(abs(tr.pct), 1, lang)
    elif ind.csv_unit == "prosent":
        by = f"{fmt.number(abs(tr.change), ind.decimals, lang)}{fmt.NBSP}" + T("prosentpoeng")(lang)
    else:
        by = value_text(ind, abs(tr.change), None, lang, short=True)
    return f"{ind.name(lang)} i {where} {verb} {T('med')(lang)} {by} {period(lang)}, {T('til')(lang)} {end}."


OUTLOOK_WORDS: dict[int, T] = {
    1: T("øker", "aukar"),
    -1: T("minker", "minkar"),
    0: T("er uendret", "er uendra"),
}
"""The verb of a projected change (present tense: what the projection says will happen)."""


def _change_by(ind: Indicator, tr: Trend, lang: str, sign: bool) -> str:
    """A change in the indicator's notable measure: per cent, percentage points or units."""
    measure = ind.notable.measure if ind.notable else "percent"
    if measure == "percent" and tr.pct == tr.pct:
        return fmt.percent(tr.pct if sign else abs(tr.pct), 1, lang, sign=sign)
    amount = fmt.number(tr.change if sign else abs(tr.change), ind.decimals, lang, sign=sign)
    return amount + (f"{fmt.NBSP}" + T("prosentpoeng")(lang) if measure == "points" else "")


def outlook_sentence(ctx: CountyContext, tr: Trend, reference: Trend | None = None) -> str:
    """One sentence on a projected change, with the reference's change beside it.

    For example «Fra 2022 til 2040 øker framskrevet folkemengde 1. januar i Vestland med 7,0 %,
    til 684 214 personer (landet: +8,6 %).» The change is in the indicator's notable measure
    (per cent for counts; units for a ratio such as persons 67+ per 100 aged 20–66).
    """
    ind, lang = get(tr.indicator), ctx.lang
    name = lower_first(ind.name(lang))
    where = ctx.name if tr.region == ctx.county_code else reference_name(tr.region, lang)
    head = T(f"Fra {tr.start_year} til {tr.end_year}", f"Frå {tr.start_year} til {tr.end_year}")
    verb = OUTLOOK_WORDS[tr.direction](lang)
    end = value_text(ind, tr.end, None, lang, short=True)
    ref = ""
    if reference is not None:
        ref = (
            f" ({reference_name(reference.region, lang)}: {_change_by(ind, reference, lang, True)})"
        )
    if tr.direction == 0:
        return f"{head(lang)} {verb} {name} i {where} ({end}){ref}."
    by = _change_by(ind, tr, lang, False)
    return (
        f"{head(lang)} {verb} {name} i {where} {T('med')(lang)} {by}, {T('til')(lang)} {end}{ref}."
    )


def trend_comparison_sentence(ctx: CountyContext, tr: Trend, cmp: Comparison) -> str:
    """A change over time and where it ended against the reference, in one sentence.

    For example «Andel innbyggere 80 år og eldre i Vestland økte fra 4,5 % i 2019 til 5,0 % i
    2025, om lag som i landet (4,8 %).» *cmp* should be the comparison in ``tr.end_year``.
    """
    ind, lang = get(tr.indicator), ctx.lang
    where = ctx.name if tr.region == ctx.county_code else reference_name(tr.region, lang)
    a, b = (value_text(ind, v, None, lang, short=True) for v in (tr.start, tr.end))
    verb = change_words(tr.direction, lang)
    if tr.direction:
        head = T(f"{verb} fra {a} i {tr.start_year} til {b} i {tr.end_year}",
                 f"{verb} frå {a} i {tr.start_year} til {b} i {tr.end_year}")(lang)  # fmt: skip
    else:
        head = T(f"{verb} fra {tr.start_year} til {tr.end_year} ({b})",
                 f"{verb} frå {tr.start_year} til {tr.end_year} ({b})")(lang)  # fmt: skip
    ref = reference_name(cmp.reference_code, lang)
    reference = value_text(ind, cmp.reference, cmp.reference_status, lang, short=True)
    if not cmp.has_verdict:
        return f"{ind.name(lang)} i {where} {head}; {ref}: {reference}."
    amount = f"{difference_text(ind, cmp, lang)} " if cmp.notable else ""
    words = VERDICT_WORDS[cmp.verdict](lang)
    return f"{ind.name(lang)} i {where} {head}, {amount}{words} i {ref} ({reference})."


def breaks_words(breaks: Sequence[int], lang: str) -> str:
    """«; linjene er brutt der statistikken ble lagt om (2020)», or "" without breaks.

    Breaks by the county division are said per county by ``chapters.standard.trend``.
    """
    if not breaks:
        return ""
    years = join_words([str(y) for y in breaks])
    return T(f"; linjene er brutt der statistikken ble lagt om ({years})",
             f"; linjene er brotne der statistikken vart lagd om ({years})")(lang)  # fmt: skip
