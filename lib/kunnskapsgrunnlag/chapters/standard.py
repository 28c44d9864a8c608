"""What every indicator gets, for any chapter: ranking, trend, comparison table, sentences, barometer.

Each function takes the county's :class:`~kunnskapsgrunnlag.context.CountyContext` and registry
ids, and returns specs (drawn by ``Chapter.figure``/``Chapter.table``), sentences or barometer
rows — built from :func:`~kunnskapsgrunnlag.analysis.compare.compare`,
:func:`~kunnskapsgrunnlag.analysis.trend.trend` and the phrase bank, so all 15 counties get the
same words for the same facts. A chapter module holds only what is special to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

from kunnskapsgrunnlag.analysis import sentences as say
from kunnskapsgrunnlag.analysis.compare import Comparison, compare
from kunnskapsgrunnlag.analysis.trend import breaks_of
from kunnskapsgrunnlag.chapters.common import break_note, source
from kunnskapsgrunnlag.chapters.common import capital as _capital
from kunnskapsgrunnlag.chapters.common import reference_code as _reference_code
from kunnskapsgrunnlag.chapters.tables import change_table, comparison_table
from kunnskapsgrunnlag.charts import FigureSpec
from kunnskapsgrunnlag.indicators import get, series
from kunnskapsgrunnlag.regions import COUNTIES, region_name
from kunnskapsgrunnlag.text import T, join_words

__all__ = [
    "barometer_row", "barometer_rows", "break_note", "change_table", "comparison_table", "key_sentences",
    "latest_year", "ranking", "ranking_alt", "ranking_colours_text", "ranking_data", "source",
    "threshold_text", "trend", "trend_alt", "trend_data",
]  # fmt: skip

if TYPE_CHECKING:
    from kunnskapsgrunnlag.analysis.barometer import BarometerRow
    from kunnskapsgrunnlag.context import CountyContext


def latest_year(ctx: CountyContext, indicator_id: str) -> int:
    """The newest year the county has a comparison for (the chapter's statistics year)."""
    return compare(ctx, indicator_id).year


def _label(ctx: CountyContext, code: str, marks: dict[str, str]) -> str:
    return region_name(code, ctx.lang) + marks.get(code, "")


def _role(ctx: CountyContext, code: str) -> str:
    if code == ctx.county_code:
        return "county"
    return "peers" if code in ctx.peers else "other"


# --------------------------------------------------------------------------- the 15 counties ranked
def ranking_data(ctx: CountyContext, indicator_id: str, year: int) -> pd.DataFrame:
    """The 15 counties' values in *year*, highest first, with tick label, status and role."""
    data = series(indicator_id, ctx.data_source)
    rows = data[(data["year"] == year) & data["region"].isin(COUNTIES)]
    rows = rows.assign(role=rows["region"].map(lambda c: _role(ctx, c)))
    return rows.sort_values(["value", "region"], ascending=[False, True], na_position="last")


def _extremes_text(ind, top: pd.Series, bottom: pd.Series, lang: str) -> str:
    """«Høyest er A med x, lavest B med y» — for a change, «størst vekst/nedgang hadde …»."""
    v = lambda x: say.value_text(ind, x, None, lang, short=True)  # noqa: E731
    a, b = region_name(top["region"], lang), region_name(bottom["region"], lang)
    if ind.change and bottom["value"] < 0 < top["value"]:
        return T(f"Størst vekst hadde {a} ({v(top['value'])}), størst nedgang {b} ({v(bottom['value'])}).",
                 f"Størst vekst hadde {a} ({v(top['value'])}), størst nedgang {b} ({v(bottom['value'])}).")(lang)  # fmt: skip
    return T(f"Høyest er {a} med {v(top['value'])}, lavest {b} med {v(bottom['value'])}.",
             f"Høgast er {a} med {v(top['value'])}, lågast {b} med {v(bottom['value'])}.")(lang)  # fmt: skip


def ranking_alt(
    ctx: CountyContext, cmp: Comparison, data: pd.DataFrame, period: str | None = None
) -> str:
    """Alt text of a ranking: the county's value and rank, the reference, the top and bottom."""
    ind, lang, when = get(cmp.indicator), ctx.lang, period or str(cmp.year)
    v = lambda x, s=None: say.value_text(ind, x, s, lang, short=True)  # noqa: E731
    valued = data[data["value"].notna()]
    ref = say.reference_name(cmp.reference_code, lang)
    n = len(valued)
    which = (
        T("15 fylkene", "15 fylka")(lang)
        if n == 15
        else T(f"{n} fylkene med tall", f"{n} fylka med tal")(lang)
    )
    rank = f" og er nummer {cmp.rank}" if cmp.rank is not None else ""
    return T(
        f"Liggende stolper for {say.lower_first(ind.name(lang))} i de {which} i {when}, "
        f"sortert fra høyest til lavest. {ctx.name} har {v(cmp.value, cmp.status)}{rank}; "
        f"{ref} har {v(cmp.reference)} (stiplet linje). ",
        f"Liggjande stolpar for {say.lower_first(ind.name(lang))} i dei {which} i {when}, "
        f"sorterte frå høgast til lågast. {ctx.name} har {v(cmp.value, cmp.status)}{rank}; "
        f"{ref} har {v(cmp.reference)} (stipla linje). ",
    )(lang) + _extremes_text(ind, valued.iloc[0], valued.iloc[-1], lang)


def ranking(
    ctx: CountyContext,
    indicator_id: str,
    *,
    year: int | None = None,
    title: str | None = None,
    note: str | None = None,
    marks: dict[str, str] | None = None,
    extra_alt: str = "",
    period: str | None = None,
    ranked: bool = True,
) -> FigureSpec:
    """The 15 counties ranked on one indicator, the county and its comparison set marked.

    *period* names the time in titles and alt text (default the year; «januar 2026» for a month).
    *ranked* False: the alt text gives no place for the county (figures not comparable).
    """
    ind, lang = get(indicator_id), ctx.lang
    cmp = compare(ctx, indicator_id, year=year)
    when = period or str(cmp.year)
    shown = cmp if ranked else replace(cmp, rank=None)
    data = ranking_data(ctx, indicator_id, cmp.year)
    data = data.assign(label=data["region"].map(lambda c: _label(ctx, c, marks or {})))
    name, n = ind.short_name(lang), int(data["value"].notna().sum())
    every = n == len(COUNTIES)
    return FigureSpec(
        "ranking",
        data[["region", "label", "value", "status", "role"]].reset_index(drop=True),
        title
        or (
            T(f"{name} i alle fylkene, {when}", f"{name} i alle fylka, {when}")
            if every
            else T(f"{name} i fylkene, {when}", f"{name} i fylka, {when}")
        )(lang),
        (ranking_alt(ctx, shown, data, when) + (" " + extra_alt if extra_alt else "")).strip(),
        source(ctx, [indicator_id]),
        (indicator_id,),
        {
            "reference": None if cmp.reference != cmp.reference else cmp.reference,
            "reference_label": _capital(say.reference_name(cmp.reference_code, lang)),
            "decimals": ind.decimals,
            "unit": "%" if ind.csv_unit == "prosent" else "",
            "xlabel": ind.unit(lang),
            "chart_title": f"{ind.name(lang)}, {when}",
            "subtitle": T("Alle 15 fylker", "Alle dei 15 fylka")(lang)
            if every
            else T(f"{n} fylker med tall", f"{n} fylke med tal")(lang),
            "note": note,
            "labels": {
                "county": ctx.name,
                "peers": T("Sammenligningsfylker", "Samanlikningsfylke")(lang),
                "other": T("Andre fylker", "Andre fylke")(lang),
            },
        },
        lang,
    )


# --------------------------------------------------------------------------- over time
def trend_data(ctx: CountyContext, indicator_ids: Sequence[str], since: int | None) -> pd.DataFrame:
    """County and reference per indicator over the county's years (one panel per indicator)."""
    frames = []
    for i in indicator_ids:
        cmp = compare(ctx, i)
        data = series(i, ctx.data_source)
        own = data[(data["region"] == ctx.county_code) & data["value"].notna()]
        years = own["year"] if since is None else own["year"][own["year"] >= since]
        rows = data[data["region"].isin([ctx.county_code, cmp.reference_code])]
        rows = rows[rows["year"].between(int(years.min()), int(years.max()))]
        role = rows["region"].map(lambda c: "county" if c == ctx.county_code else "reference")
        frames.append(rows.assign(panel=get(i).short_name(ctx.lang), role=role,
                                  series=rows["region"].map(lambda c: region_name(c, ctx.lang))))  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def trend_alt(ctx: CountyContext, indicator_ids: Sequence[str], data: pd.DataFrame,
              breaks: Sequence[int] = (2020, 2024), division: bool = True) -> str:  # fmt: skip
    """Alt text of a trend figure: first and last value per indicator for the county."""
    parts = []
    for i in indicator_ids:
        ind = get(i)
        own = data[(data["panel"] == ind.short_name(ctx.lang)) & (data["role"] == "county")]
        own = own[own["value"].notna()].sort_values("year")
        a, b = own.iloc[0], own.iloc[-1]
        va = say.value_text(ind, a["value"], None, ctx.lang, short=True)
        vb = say.value_text(ind, b["value"], None, ctx.lang, short=True)
        parts.append(f"{say.lower_first(ind.short_name(ctx.lang))} {va} ({int(a['year'])}) → "
                     f"{vb} ({int(b['year'])})")  # fmt: skip
    years = sorted(int(y) for y in data["year"].unique())
    codes = sorted(set(data.loc[data["role"] != "county", "region"]))
    ref = join_words([say.reference_name(c, ctx.lang) for c in codes])
    if division:  # only where this county changed (regions.division_breaks)
        cut = [str(b) for b in breaks if years[0] < b <= years[-1]]
        words = T(
            f"; linjen for {ctx.name} er brutt før {join_words(cut)} (ny fylkesinndeling)",
            f"; linja for {ctx.name} er broten før {join_words(cut)} (ny fylkesinndeling)",
        )(ctx.lang) if cut else ""  # fmt: skip
    else:
        words = say.breaks_words(breaks, ctx.lang)
    return T(
        f"Linjediagram, ett per indikator, for {ctx.name} og {ref} {years[0]}–{years[-1]}"
        f"{words}. {ctx.name}: {'; '.join(parts)}.",
        f"Linjediagram, eitt per indikator, for {ctx.name} og {ref} {years[0]}–{years[-1]}"
        f"{words}. {ctx.name}: {'; '.join(parts)}.",
    )(ctx.lang)


def trend(
    ctx: CountyContext,
    indicator_ids: Sequence[str],
    *,
    since: int | None = None,
    title: str,
    note: str | None = None,
    extra_alt: str = "",
    breaks: tuple[int, ...] | None = None,
) -> FigureSpec:
    """The county against its reference over time, one small chart per indicator.

    *breaks* (default: the series' own) are years the lines are not drawn across; the alt text
    names new county divisions (the series' own breaks) or breaks in the statistics (given).
    """
    data = trend_data(ctx, indicator_ids, since)
    ind = get(indicator_ids[0])
    division = breaks is None  # the county's own division breaks, or given breaks in the statistics
    breaks = breaks_of(indicator_ids[0], ctx.county_code) if breaks is None else breaks
    return FigureSpec(
        "lines",
        data,
        title,
        f"{trend_alt(ctx, indicator_ids, data, breaks, division)} {extra_alt}".strip(),
        source(ctx, indicator_ids),
        tuple(indicator_ids),
        {
            "breaks": breaks,
            "decimals": ind.decimals,
            "note": note,
            "unit": "%" if ind.csv_unit == "prosent" else "",
            "chart_title": title,
        },  # fmt: skip
        ctx.lang,
    )


# --------------------------------------------------------------------------- sentences and barometer
def key_sentences(
    ctx: CountyContext, indicator_ids: Sequence[str], *, rank: bool = True
) -> list[str]:
    """One sentence per notable difference, then one naming the indicators near the reference.

    *rank* False leaves out the county's place among the 15 (where figures are not comparable,
    as Oslo's county tasks in KOSTRA).
    """
    out, calm = [], []
    for i in indicator_ids:
        cmp = compare(ctx, i)
        if cmp.notable or not cmp.has_verdict:
            out.append(say.comparison_sentence(ctx, cmp, rank=rank))
        else:
            calm.append(say.lower_first(get(i).short_name(ctx.lang)))
    if calm:
        ref = say.reference_name(_reference_code(indicator_ids[0]), ctx.lang)
        out.append(T(f"På {join_words(calm)} lå {ctx.name} om lag som {ref}.",
                     f"På {join_words(calm)} låg {ctx.name} om lag som {ref}.")(ctx.lang))  # fmt: skip
    return out


def barometer_row(
    ctx: CountyContext, indicator_id: str, anchor: str, period: str | None = None
) -> BarometerRow:
    """The barometer row of one indicator (its comparison with the default reference).

    *period* replaces the year in the row (e.g. «jan. 2026» for a monthly figure).
    """
    from kunnskapsgrunnlag.analysis.barometer import BarometerRow

    ind, cmp, lang = get(indicator_id), compare(ctx, indicator_id), ctx.lang
    return BarometerRow(
        indicator=indicator_id,
        chapter=ind.chapter,
        anchor=anchor,
        label=ind.short_name(lang),
        year=period or str(cmp.year),
        value=say.value_text(ind, cmp.value, cmp.status, lang, compact=True),
        reference=say.value_text(ind, cmp.reference, cmp.reference_status, lang, compact=True),
        reference_name=say.reference_name(cmp.reference_code, lang),
        rank=T(f"{cmp.rank} av {cmp.n}")(lang) if cmp.rank is not None else "",
        verdict=cmp.verdict,
        score=cmp.score,
        status=cmp.status or cmp.reference_status,
    )


def barometer_rows(
    ctx: CountyContext, indicator_ids: Sequence[str], anchor: str
) -> list[BarometerRow]:
    """Barometer rows for *indicator_ids*, each linking to the section *anchor*."""
    return [barometer_row(ctx, i, anchor) for i in indicator_ids]


def threshold_text(ctx: CountyContext, indicator_id: str) -> str:
    """The stated meaning of «om lag som» for an indicator: its notable threshold."""
    from kunnskapsgrunnlag import formatting as fmt

    ind, lang = get(indicator_id), ctx.lang
    notable = ind.notable
    if notable is None:
        return ""
    amount = {
        "percent": fmt.percent(notable.threshold, 0, lang),
        "points": f"{fmt.number(notable.threshold, 1, lang)}{fmt.NBSP}" + T("prosentpoeng")(lang),
        "units": f"{fmt.number(notable.threshold, ind.decimals, lang)}{fmt.NBSP}{ind.unit(lang)}",
    }[notable.measure]
    ref = say.reference_name(_reference_code(indicator_id), lang)
    return T(
        f"Vi kaller en forskjell markert når den er minst {amount} fra {ref}; mindre forskjeller "
        f"kaller vi «om lag som».",
        f"Vi kallar ein skilnad markert når han er minst {amount} frå {ref}; mindre skilnader "
        f"kallar vi «om lag som».",
    )(lang)


def ranking_colours_text(ctx: CountyContext, indicator_id: str) -> str:
    """What the colours of :func:`ranking` mean, for the text before the charts."""
    lang, name = ctx.lang, ctx.name
    text = T(
        f"{name} er mørkeblå, fylkene {name} sammenligner seg med, er lyseblå",
        f"{name} er mørkeblå, fylka {name} samanliknar seg med, er lyseblå",
    )(lang)
    if set(COUNTIES) - set(ctx.peers) - {ctx.county_code}:
        text += T(", de andre fylkene er grå", ", dei andre fylka er grå")(lang)
    ref = say.reference_name(_reference_code(indicator_id), lang)
    return text + T(f", og den stiplede linjen er {ref}.", f", og den stipla linja er {ref}.")(lang)
