"""Arbeidsmarked: what is special to the chapter on NAV's monthly statistics.

Registry entries read NAV's figures (``months: latest``: the newest month and the same month in
earlier years, unemployment being seasonal; ``months: mean``: annual averages); the rest comes from
:mod:`~kunnskapsgrunnlag.chapters.standard`. Special here: the month's name, its table, its sentences.
"""

from __future__ import annotations

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag.analysis import sentences as say
from kunnskapsgrunnlag.analysis.compare import compare
from kunnskapsgrunnlag.chapters import standard
from kunnskapsgrunnlag.charts import Column, FigureSpec, TableSpec
from kunnskapsgrunnlag.context import CountyContext
from kunnskapsgrunnlag.indicators import get, series
from kunnskapsgrunnlag.indicators.series import newest_month
from kunnskapsgrunnlag.regions import COUNTIES, NORWAY
from kunnskapsgrunnlag.text import T

CHAPTER = "arbeidsmarked"
UNEMPLOYED = "helt_ledige_andel"
ANNUAL = "helt_ledige_andel_arsgjennomsnitt"
YOUNG = "nedsatt_arbeidsevne_18_29_andel"
SHARES = ("helt_ledige_andel", "delvis_ledige_andel", "tiltak_andel", YOUNG,
          "nedsatt_arbeidsevne_18_66_andel")  # fmt: skip
FULL_SUM_FROM = 2025
"""NAV's county rows sum to Norway from this year (unknown residence and Svalbard included)."""
COUNTS = ("helt_ledige_antall", "delvis_ledige_antall", "tiltak_antall",
          "nedsatt_arbeidsevne_18_29_antall")  # fmt: skip
BAROMETER = (UNEMPLOYED, YOUNG)
MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
          "oktober", "november", "desember")  # fmt: skip
"""Month names (the same in bokmål and nynorsk)."""


def period(ctx: CountyContext, indicator_id: str, years_back: int = 0) -> str:
    """«januar 2026»: the newest month of a monthly indicator (*years_back* years earlier)."""
    year, month = newest_month(indicator_id, ctx.data_source)
    return f"{MONTHS[month - 1]} {year - years_back}"


def _cell(
    indicator_id: str, ctx: CountyContext, region: str, year: int
) -> tuple[float, str | None]:
    data = series(indicator_id, ctx.data_source)
    hit = data[(data["region"] == region) & (data["year"] == year)]
    return (float(hit["value"].iloc[0]), hit["status"].iloc[0]) if len(hit) else (float("nan"), "..")  # fmt: skip


def _change(a: tuple[float, str | None], b: tuple[float, str | None]) -> tuple[float, str | None]:
    """The change from *a* to *b*; a status symbol on either side is kept (no arithmetic on it)."""
    return (b[0] - a[0], None) if a[1] is None and b[1] is None else (float("nan"), a[1] or b[1])


def month_table(ctx: CountyContext, ids: tuple[str, ...] = SHARES) -> TableSpec:
    """The newest month against the same month a year earlier, for the county and Norway."""
    lang, rows = ctx.lang, []
    share = get(ids[0]).csv_unit == "prosent"
    for i in ids:
        year = newest_month(i, ctx.data_source)[0]
        (a, b), (ra, rb) = [(_cell(i, ctx, r, year - 1), _cell(i, ctx, r, year)) for r in (ctx.county_code, NORWAY)]  # fmt: skip
        ch, rch = _change(a, b), _change(ra, rb)
        rows.append({"name": get(i).short_name(lang), "month": period(ctx, i),
                     "before": a[0], "before:status": a[1], "now": b[0], "now:status": b[1],
                     "change": ch[0], "change:status": ch[1], "ref": rb[0], "ref:status": rb[1],
                     "ref_change": rch[0], "ref_change:status": rch[1]})  # fmt: skip
    (value, diff), d = (("percent", "points"), 1) if share else (("number", "number"), 0)
    columns = (
        Column("name", T("Indikator")(lang), "text"),
        Column("month", T("Måned", "Månad")(lang), "text"),
        Column("before", T(f"{ctx.name}, ett år før", f"{ctx.name}, eitt år før")(lang), value, d),
        Column("now", ctx.name, value, d),
        Column("change", T("Endring")(lang), diff, d, sign=True),
        Column("ref", T("Landet")(lang), value, d),
        Column("ref_change", T("Landet, endring")(lang), diff, d, sign=True),
    )
    what = T("andeler", "delar") if share else T("antall personer", "talet på personar")
    title = T(f"Nyeste måned mot samme måned året før, {what('nb')}, {ctx.name} og landet",
              f"Nyaste månad mot same månad året før, {what('nn')}, {ctx.name} og landet")  # fmt: skip
    note = T("Endring i prosentpoeng.")(lang) if share else sum_note(ctx)
    return TableSpec(title(lang), columns, tuple(rows), standard.source(ctx, ids), lang, ids, note)


def county_share_of_norway(ids: tuple[str, ...], data_source: str) -> tuple[float, float] | None:
    """The counties' sum as a share (%) of Norway's figure before 2025: lowest and highest."""
    shares: list[float] = []
    for i in ids:
        d = series(i, data_source)
        d = d[(d["year"] < FULL_SUM_FROM) & d["value"].notna()]
        counties = d[d["region"].isin(list(COUNTIES))].groupby("year")["value"].sum()
        norway = d[d["region"] == NORWAY].set_index("year")["value"]
        shares += (counties / norway * 100).dropna().tolist()
    return (min(shares), max(shares)) if shares else None


def sum_note(ctx: CountyContext, ids: tuple[str, ...] = COUNTS) -> str:
    """Counties sum to Norway only from 2025 (NAV's rows for unknown residence and Svalbard)."""
    note = T(
        f"Fra {FULL_SUM_FROM} summerer fylkene seg til landet sammen med personer med ukjent bosted og Svalbard.",
        f"Frå {FULL_SUM_FROM} summerer fylka seg til landet saman med personar med ukjend bustad og Svalbard.",
    )(ctx.lang)  # fmt: skip
    span = county_share_of_norway(ids, ctx.data_source)
    if span is None:
        return note
    lo, hi = (fmt.number(x, 1, ctx.lang) for x in span)
    return note + " " + T(
        f"Før {FULL_SUM_FROM} er disse ikke med i fylkestallene, som da utgjør {lo}–{hi} % av landet.",
        f"Før {FULL_SUM_FROM} er desse ikkje med i fylkestala, som då utgjer {lo}–{hi} % av landet.",
    )(ctx.lang)  # fmt: skip


def month_sentence(ctx: CountyContext, indicator_id: str) -> str:
    """«I januar 2026 var 1,9 % … helt ledige, lavere enn i landet (2,3 %). Ett år før …»."""
    ind, lang, cmp = get(indicator_id), ctx.lang, compare(ctx, indicator_id)
    v = lambda x, s=None: say.value_text(ind, x, s, lang)  # noqa: E731
    if not cmp.has_verdict:
        return say.comparison_sentence(ctx, cmp)
    word = "similar_neutral" if not cmp.notable else "higher" if cmp.direction > 0 else "lower"
    words = say.VERDICT_WORDS[word](lang)
    before = _cell(indicator_id, ctx, ctx.county_code, cmp.year - 1)
    change = _change(before, (cmp.value, cmp.status))[0]
    moved = fmt.round_half_up(change, ind.decimals) != 0
    delta = fmt.percentage_points(change, ind.decimals, lang) if moved else T("uendret", "uendra")(lang)  # fmt: skip
    now, prev = period(ctx, indicator_id), period(ctx, indicator_id, 1)
    if indicator_id == YOUNG:
        head = T(f"I {now} hadde {v(cmp.value)} av de unge 18–29 år i {ctx.name} nedsatt arbeidsevne",
                 f"I {now} hadde {v(cmp.value)} av dei unge 18–29 år i {ctx.name} nedsett arbeidsevne")  # fmt: skip
    else:
        head = T(f"I {now} var {v(cmp.value)} av arbeidsstyrken i {ctx.name} helt ledige",
                 f"I {now} var {v(cmp.value)} av arbeidsstyrken i {ctx.name} heilt ledige")  # fmt: skip
    return T(
        f"{head('nb')}, {words} i landet ({v(cmp.reference)}). I {prev} var andelen "
        f"{v(before[0], before[1])} ({delta}).",
        f"{head('nn')}, {words} i landet ({v(cmp.reference)}). I {prev} var delen "
        f"{v(before[0], before[1])} ({delta}).",
    )(lang)


def key_sentences(ctx: CountyContext) -> list[str]:
    """The newest month (unemployment, young people), then the annual average with its rank."""
    return [month_sentence(ctx, UNEMPLOYED), *standard.key_sentences(ctx, [ANNUAL]),
            month_sentence(ctx, YOUNG)]  # fmt: skip


def barometer_rows(ctx: CountyContext, anchor: str) -> list:
    """Barometer rows; a monthly figure names its month instead of the year."""
    monthly = {i for i in BAROMETER if get(i).series.months == "latest"}
    return [standard.barometer_row(ctx, i, anchor, period(ctx, i) if i in monthly else None)
            for i in BAROMETER]  # fmt: skip


def rankings(ctx: CountyContext) -> list[FigureSpec]:
    """The 15 counties ranked: the annual average, the newest month, young people."""
    return [standard.ranking(ctx, ANNUAL), standard.ranking(ctx, UNEMPLOYED, period=period(ctx, UNEMPLOYED)),
            standard.ranking(ctx, YOUNG, period=period(ctx, YOUNG))]  # fmt: skip


def trend_figures(ctx: CountyContext) -> list[FigureSpec]:
    """Annual averages since 2011, and young people in the newest month's calendar month."""
    years = series(ANNUAL, ctx.data_source)["year"]
    month = period(ctx, YOUNG).split()[0]
    title = T(f"Helt ledige i prosent av arbeidsstyrken, årsgjennomsnitt, {ctx.name} og landet, "
              f"{years.min()}–{years.max()}",
              f"Heilt ledige i prosent av arbeidsstyrken, årsgjennomsnitt, {ctx.name} og landet, "
              f"{years.min()}–{years.max()}")  # fmt: skip
    young = T(f"Unge 18–29 år med nedsatt arbeidsevne, {ctx.name} og landet, {month} hvert år",
              f"Unge 18–29 år med nedsett arbeidsevne, {ctx.name} og landet, {month} kvart år")  # fmt: skip
    return [standard.trend(ctx, [ANNUAL], title=title(ctx.lang)),
            standard.trend(ctx, [YOUNG], title=young(ctx.lang))]  # fmt: skip
