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
from kunnskapsgrunnlag.analysis.compare import Comparison, compare, default_reference
from kunnskapsgrunnlag.analysis.trend import breaks_of
from kunnskapsgrunnlag.charts import Column, FigureSpec, TableSpec
from kunnskapsgrunnlag.charts.style import source_line
from kunnskapsgrunnlag.indicators import get, series
from kunnskapsgrunnlag.regions import COUNTIES, region_name
from kunnskapsgrunnlag.text import T, join_words

if TYPE_CHECKING:
    from kunnskapsgrunnlag.analysis.barometer import BarometerRow
    from kunnskapsgrunnlag.context import CountyContext


def source(ctx: CountyContext, indicator_ids: Sequence[str]) -> str:
    """The source line of the indicators' SSB tables (``Kilde: Statistisk sentralbyrå …``)."""
    tables = list(dict.fromkeys(t for i in indicator_ids for t in get(i).tables))
    return source_line(tables, ctx.lang)


def latest_year(ctx: CountyContext, indicator_id: str) -> int:
    """The newest year the county has a comparison for (the chapter's statistics year)."""
    return compare(ctx, indicator_id).year


def _reference_code(indicator_id: str) -> str:
    """The reference an indicator is compared with (no data needed: the registry says)."""
    return default_reference(get(indicator_id))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


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


def ranking_alt(ctx: CountyContext, cmp: Comparison, data: pd.DataFrame) -> str:
    """Alt text of a ranking: the county's value and rank, the reference, the top and bottom."""
    ind, lang = get(cmp.indicator), ctx.lang
    v = lambda x, s=None: say.value_text(ind, x, s, lang, short=True)  # noqa: E731
    valued = data[data["value"].notna()]
    ref = say.reference_name(cmp.reference_code, lang)
    rank = f" og er nummer {cmp.rank}" if cmp.rank is not None else ""
    return T(
        f"Liggende stolper for {say.lower_first(ind.name(lang))} i de 15 fylkene i {cmp.year}, "
        f"sortert fra høyest til lavest. {ctx.name} har {v(cmp.value, cmp.status)}{rank}; "
        f"{ref} har {v(cmp.reference)} (stiplet linje). ",
        f"Liggjande stolpar for {say.lower_first(ind.name(lang))} i dei 15 fylka i {cmp.year}, "
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
    ranked: bool = True,
) -> FigureSpec:
    """The 15 counties ranked on one indicator, the county and its comparison set marked.

    *ranked* False: the alt text gives no place for the county (figures not comparable).
    """
    ind, lang = get(indicator_id), ctx.lang
    cmp = compare(ctx, indicator_id, year=year)
    shown = cmp if ranked else replace(cmp, rank=None)
    data = ranking_data(ctx, indicator_id, cmp.year)
    data = data.assign(label=data["region"].map(lambda c: _label(ctx, c, marks or {})))
    name = ind.short_name(lang)
    return FigureSpec(
        "ranking",
        data[["region", "label", "value", "status", "role"]].reset_index(drop=True),
        title or T(f"{name} i alle fylkene, {cmp.year}", f"{name} i alle fylka, {cmp.year}")(lang),
        (ranking_alt(ctx, shown, data) + (" " + extra_alt if extra_alt else "")).strip(),
        source(ctx, [indicator_id]),
        (indicator_id,),
        {
            "reference": None if cmp.reference != cmp.reference else cmp.reference,
            "reference_label": _capital(say.reference_name(cmp.reference_code, lang)),
            "decimals": ind.decimals,
            "unit": "%" if ind.csv_unit == "prosent" else "",
            "xlabel": ind.unit(lang),
            "chart_title": f"{ind.name(lang)}, {cmp.year}",
            "subtitle": T("Alle 15 fylker", "Alle dei 15 fylka")(lang),
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


def trend_alt(ctx: CountyContext, indicator_ids: Sequence[str], data: pd.DataFrame) -> str:
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
    cut = [
        str(b) for b in breaks_of(indicator_ids[0], ctx.county_code) if years[0] < b <= years[-1]
    ]
    broken = T(
        f"; linjen for {ctx.name} er brutt før {join_words(cut)} (ny fylkesinndeling)",
        f"; linja for {ctx.name} er broten før {join_words(cut)} (ny fylkesinndeling)",
    )(ctx.lang) if cut else ""  # fmt: skip
    return T(
        f"Linjediagram, ett per indikator, for {ctx.name} og {ref} {years[0]}–{years[-1]}{broken}. "
        f"{ctx.name}: {'; '.join(parts)}.",
        f"Linjediagram, eitt per indikator, for {ctx.name} og {ref} {years[0]}–{years[-1]}{broken}. "
        f"{ctx.name}: {'; '.join(parts)}.",
    )(ctx.lang)


def trend(
    ctx: CountyContext,
    indicator_ids: Sequence[str],
    *,
    since: int | None = None,
    title: str,
    note: str | None = None,
    extra_alt: str = "",
) -> FigureSpec:
    """The county against its reference over time, one small chart per indicator."""
    data = trend_data(ctx, indicator_ids, since)
    ind = get(indicator_ids[0])
    return FigureSpec(
        "lines",
        data,
        title,
        (trend_alt(ctx, indicator_ids, data) + (" " + extra_alt if extra_alt else "")).strip(),
        source(ctx, indicator_ids),
        tuple(indicator_ids),
        {
            "breaks": breaks_of(indicator_ids[0], ctx.county_code),
            "decimals": ind.decimals,
            "note": note,
            "unit": "%" if ind.csv_unit == "prosent" else "",
            "chart_title": title,
        },  # fmt: skip
        ctx.lang,
    )


# --------------------------------------------------------------------------- the comparison table
def comparison_table(
    ctx: CountyContext,
    indicator_ids: Sequence[str],
    *,
    title: str,
    note: str | None = None,
    year: int | None = None,
    rank: bool = True,
) -> TableSpec:
    """One row per indicator: county, reference, difference (in its notable measure), rank.

    *rank* False drops the place among the 15 (where figures are not comparable).
    """
    lang, rows = ctx.lang, []
    for i in indicator_ids:
        ind, cmp = get(i), compare(ctx, i, year=year)
        diff = say.difference_text(ind, cmp, lang) if cmp.has_verdict else ".."
        sign = "+" if cmp.direction > 0 else "−" if cmp.direction < 0 else "±"
        rows.append({
            "name": ind.short_name(lang), "year": cmp.year,
            "value": say.value_text(ind, cmp.value, cmp.status, lang, short=True),
            "reference": say.value_text(ind, cmp.reference, cmp.reference_status, lang, short=True),
            "diff": f"{sign}{diff}" if cmp.has_verdict and cmp.direction else diff,
            "rank": cmp.rank, "value:status": cmp.status, "reference:status": cmp.reference_status,
        })  # fmt: skip
    ref = say.reference_name(_reference_code(indicator_ids[0]), lang)
    columns = (
        Column("name", T("Indikator")(lang), "text"),
        Column("year", T("År")(lang), "rank"),
        Column("value", ctx.name, "text"),
        Column("reference", _capital(ref), "text"),
        Column("diff", T("Forskjell", "Skilnad")(lang), "text"),
        Column("rank", T("Plass blant 15 fylker (1 = høyest)", "Plass blant 15 fylke (1 = høgast)")(lang), "rank"),
    )[: 6 if rank else 5]  # fmt: skip
    return TableSpec(title, columns, tuple(rows), source(ctx, indicator_ids), lang,
                     tuple(indicator_ids), note)  # fmt: skip


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


def barometer_row(ctx: CountyContext, indicator_id: str, anchor: str) -> BarometerRow:
    """The barometer row of one indicator (its comparison with the default reference)."""
    from kunnskapsgrunnlag.analysis.barometer import BarometerRow

    ind, cmp, lang = get(indicator_id), compare(ctx, indicator_id), ctx.lang
    return BarometerRow(
        indicator=indicator_id,
        chapter=ind.chapter,
        anchor=anchor,
        label=ind.short_name(lang),
        year=str(cmp.year),
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


# --------------------------------------------------------------------------- change and explanations
def _cell(data: pd.DataFrame, region: str, year: int) -> tuple[float, str | None]:
    hit = data[(data["region"] == region) & (data["year"] == year)]
    return (
        (float(hit["value"].iloc[0]), hit["status"].iloc[0]) if len(hit) else (float("nan"), "..")
    )


def _change_cell(ind_unit: str, start: float, end: float, lang: str) -> str:
    """Change in per cent; in the unit where a percentage has no meaning (negative amounts)."""
    from kunnskapsgrunnlag import formatting as fmt

    if start != start or end != end:
        return ".."
    if start > 0 and end >= 0:
        return fmt.percent((end / start - 1) * 100, 1, lang, sign=True)
    return fmt.number(end - start, 0, lang, sign=True) + fmt.NBSP + ind_unit


def change_table(
    ctx: CountyContext,
    indicator_ids: Sequence[str],
    years: tuple[int, int],
    *,
    title: str,
    note: str | None = None,
) -> TableSpec:
    """Change from ``years[0]`` to ``years[1]`` for the county and its reference, per indicator."""
    lang, (y0, y1), rows = ctx.lang, years, []
    ref_code = _reference_code(indicator_ids[0])
    for i in indicator_ids:
        ind, data = get(i), series(i, ctx.data_source)
        (a, sa), (b, sb) = _cell(data, ctx.county_code, y0), _cell(data, ctx.county_code, y1)
        ra, rb = _cell(data, ref_code, y0)[0], _cell(data, ref_code, y1)[0]
        unit = "kr" if ind.unit(lang).startswith("kr ") else ind.unit(lang)
        rows.append({"name": ind.short_name(lang), "start": a, "start:status": sa, "end": b,
                     "end:status": sb, "change": _change_cell(unit, a, b, lang),
                     "ref_change": _change_cell(unit, ra, rb, lang)})  # fmt: skip
    ref = _capital(say.reference_name(ref_code, lang))
    word = T("endring")(lang)
    unit = "kr" if get(indicator_ids[0]).unit(lang).startswith("kr ") else ""
    columns = (
        Column("name", T("Indikator")(lang), "text"),
        Column("start", f"{ctx.name} {y0}", "number", get(indicator_ids[0]).decimals, unit=unit),
        Column("end", f"{ctx.name} {y1}", "number", get(indicator_ids[0]).decimals, unit=unit),
        Column("change", f"{ctx.name}, {word}", "text"),
        Column("ref_change", f"{ref}, {word}", "text"),
    )
    return TableSpec(title, columns, tuple(rows), source(ctx, indicator_ids), lang,
                     tuple(indicator_ids), note)  # fmt: skip


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
