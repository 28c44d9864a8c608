"""The chapter's tables as ``TableSpec``s: the age groups 2026–2050 and the backcast of every method."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag.chapters.framskriving.backcast import candidates_table
from kunnskapsgrunnlag.chapters.framskriving.constants import (
    BACKCAST_JUMP_OFF,
    BACKCAST_YEARS,
    BAND_LABELS,
    BASE_YEARS,
    CANDIDATE_LABELS,
    CANDIDATES,
    INDICATOR_PREFIX,
    JUMP_OFF_YEAR,
    LAST_YEAR,
    MAIN_METHOD,
    MEASURES,
    NAIVE_YEARS,
)
from kunnskapsgrunnlag.chapters.framskriving.facts import county_outlook
from kunnskapsgrunnlag.chapters.framskriving.figures import source_line
from kunnskapsgrunnlag.charts import Column, TableSpec
from kunnskapsgrunnlag.regions import NORWAY, region_name
from kunnskapsgrunnlag.text import T

if TYPE_CHECKING:
    from kunnskapsgrunnlag.context import CountyContext

RATIO = "forsorgerbrok_eldre"
"""The one measure that is a ratio (change in persons per 100, one decimal), not a count."""


def _change(o: Any, region: str, key: str, first: int, last: int, lang: str) -> str:
    if key == RATIO:
        d = o.get(region, key, last) - o.get(region, key, first)
        return fmt.number(d, 1, lang, sign=True)
    return fmt.percent(o.change_pct(region, key, last, first), 1, lang, sign=True)


def summary_rows(ctx: CountyContext, years: Sequence[int]) -> list[dict[str, str]]:
    """One row per measure: the county's values in *years*, its change and Norway's change."""
    o, lang, c = county_outlook(ctx.county_code), ctx.lang, ctx.county_code
    first, last = years[0], years[-1]
    rows = []
    for key in MEASURES:
        dec = 1 if key == RATIO else 0
        row = {"measure": BAND_LABELS[key][lang]}
        row.update({str(y): fmt.number(o.get(c, key, y), dec, lang) for y in years})
        row["change"] = _change(o, c, key, first, last, lang)
        row["norway"] = _change(o, NORWAY, key, first, last, lang)
        rows.append(row)
    return rows


def summary_table(
    ctx: CountyContext, years: Sequence[int] = (JUMP_OFF_YEAR, 2030, 2040, LAST_YEAR)
) -> TableSpec:
    """Each measure for the county in *years*, with the change for the county and Norway.

    Values carry their own decimals (persons; the ratio to one decimal), so the cells are
    written here and the columns are text.
    """
    lang, first, last = ctx.lang, years[0], years[-1]
    b0, b1 = BASE_YEARS[0], BASE_YEARS[-1]
    columns = (
        Column("measure", T("Mål")(lang), "text"),
        *(Column(str(y), str(y), "text") for y in years),
        Column("change", T(f"Endring {first}–{last}")(lang), "text"),
        Column("norway", f"{region_name(NORWAY, lang)}, " + T("endring")(lang), "text"),
    )
    note = T(
        f"{first}: faktiske tall. Senere år: framskrevet med basisperiode {b0}–{b1}. Endringen "
        f"for forholdstallet 67+ per 100 i alderen 20–66 er i personer per 100, ellers i prosent.",
        f"{first}: faktiske tal. Seinare år: framskrive med basisperiode {b0}–{b1}. Endringa for "
        f"forholdstalet 67+ per 100 i alderen 20–66 er i personar per 100, elles i prosent.",
    )(lang)
    title = T(
        f"Framskrevet befolkning i {ctx.name} etter aldersgruppe",
        f"Framskriven befolkning i {ctx.name} etter aldersgruppe",
    )(lang)
    ids = tuple(INDICATOR_PREFIX + m for m in MEASURES)
    return TableSpec(title, columns, tuple(summary_rows(ctx, years)), source_line(lang), lang,
                     ids, note)  # fmt: skip


def _candidate_rows(ctx: CountyContext, value: str, official: Any = None) -> tuple[dict, ...]:
    t = candidates_table(official)
    rows = []
    for code in t["region"].drop_duplicates():
        sub = t[t["region"] == code].set_index("method")
        row: dict[str, Any] = {
            "region": region_name(code, ctx.lang) + (" ◀" if code == ctx.county_code else "")
        }
        if value != "diff_2050_pct":
            for n in NAIVE_YEARS:
                row[f"naive{n}"] = float(sub[f"naive{n}_{value}"].iloc[0])
        for m in CANDIDATES:
            row[m] = float(sub.loc[m, value])
        rows.append(row)
    return tuple(rows)


def _candidate_columns(lang: str, naive: bool, sign: bool = False) -> tuple[Column, ...]:
    cols = [Column("region", "Region", "text")]
    if naive:
        cols += [Column(f"naive{n}", T(f"Naiv, {n} år")(lang), "percent", 1) for n in NAIVE_YEARS]
    labels = {m: CANDIDATE_LABELS[m][lang] + (" *" if m == MAIN_METHOD else "") for m in CANDIDATES}
    cols += [Column(m, labels[m], "percent", 1, sign) for m in CANDIDATES]
    return tuple(cols)


def _backcast_note(ctx: CountyContext, what_nb: str, what_nn: str) -> str:
    y0, t0, t1 = BACKCAST_JUMP_OFF, BACKCAST_YEARS[0], BACKCAST_YEARS[-1]
    return T(
        f"Gjennomsnittlig absolutt avvik i prosent (MAPE) {t0}–{t1} for {what_nb}, framskrevet "
        f"fra {y0} med tall fram til {y0}. Naiv: fylkets gjennomsnittlige årlige vekst de siste "
        f"5 eller 10 årene før {y0} ført videre. * markerer metoden kapittelet bruker. Tallene "
        f"før 2024 er omregnet til 2024-inndelingen. ◀ markerer {ctx.name}.",
        f"Gjennomsnittleg absolutt avvik i prosent (MAPE) {t0}–{t1} for {what_nn}, framskrive "
        f"frå {y0} med tal fram til {y0}. Naiv: den gjennomsnittlege årlege veksten i fylket dei "
        f"siste 5 eller 10 åra før {y0} ført vidare. * markerer metoden kapittelet bruker. Tala "
        f"før 2024 er rekna om til 2024-inndelinga. ◀ markerer {ctx.name}.",
    )(ctx.lang)


def backcast_display(ctx: CountyContext) -> TableSpec:
    """The backcast of every candidate against the naive baselines: the total population."""
    lang, y0, t1 = ctx.lang, BACKCAST_JUMP_OFF, BACKCAST_YEARS[-1]
    title = T(
        f"Kontrollframskriving {y0}–{t1}: avvik i folkemengden, alle metoder",
        f"Kontrollframskriving {y0}–{t1}: avvik i folketalet, alle metodar",
    )(lang)
    note = _backcast_note(ctx, "folkemengden", "folketalet")
    return TableSpec(title, _candidate_columns(lang, True), _candidate_rows(ctx, "mape_total"),
                     source_line(lang), lang, ("framskrevet_tilbakeskriving_mape",), note)  # fmt: skip


def backcast_groups_display(ctx: CountyContext) -> TableSpec:
    """The backcast of every candidate against the naive baselines: sex × 10-year age group."""
    lang, y0, t1 = ctx.lang, BACKCAST_JUMP_OFF, BACKCAST_YEARS[-1]
    title = T(
        f"Kontrollframskriving {y0}–{t1}: avvik etter kjønn og alder, alle metoder",
        f"Kontrollframskriving {y0}–{t1}: avvik etter kjønn og alder, alle metodar",
    )(lang)
    note = _backcast_note(
        ctx,
        "menn og kvinner i aldersgruppene 0–9, 10–19 … 80–89 og 90 år og eldre",
        "menn og kvinner i aldersgruppene 0–9, 10–19 … 80–89 og 90 år og eldre",
    )
    return TableSpec(title, _candidate_columns(lang, True), _candidate_rows(ctx, "mape_groups"),
                     source_line(lang), lang, ("framskrevet_tilbakeskriving_mape",), note)  # fmt: skip


def candidates_official_display(ctx: CountyContext, official: Any) -> TableSpec:
    """Every candidate's 2050 total against SSB's main alternative, in per cent."""
    from kunnskapsgrunnlag.chapters.framskriving.official import (
        official_source_line,
        official_table_of,
    )

    lang, table = ctx.lang, official_table_of(official)
    title = T(
        f"Folkemengde {LAST_YEAR}: hver metode mot SSBs hovedalternativ",
        f"Folketal {LAST_YEAR}: kvar metode mot hovudalternativet til SSB",
    )(lang)
    note = T(
        f"(metode − SSB) / SSB i prosent, SSB tabell {table} (MMMM). Målet er høyst ±5 % i "
        f"hvert fylke. * markerer metoden kapittelet bruker. ◀ markerer {ctx.name}.",
        f"(metode − SSB) / SSB i prosent, SSB tabell {table} (MMMM). Målet er høgst ±5 % i "
        f"kvart fylke. * markerer metoden kapittelet bruker. ◀ markerer {ctx.name}.",
    )(lang)
    return TableSpec(title, _candidate_columns(lang, False, True),
                     _candidate_rows(ctx, "diff_2050_pct", official),
                     official_source_line(lang, table), lang,
                     ("framskrevet_folkemengde", "ssb_framskrevet_folkemengde_2050"), note)  # fmt: skip
