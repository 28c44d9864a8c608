"""The chapter's tables as ``TableSpec``s: the age groups 2022–2040 and the backcast's accuracy."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag.chapters.framskriving.backcast import backcast_table
from kunnskapsgrunnlag.chapters.framskriving.constants import (
    BACKCAST_YEARS,
    BAND_LABELS,
    BASE_YEARS,
    INDICATOR_PREFIX,
    JUMP_OFF_YEAR,
    LAST_YEAR,
    MAIN_WINDOW,
    MEASURES,
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
    ctx: CountyContext, years: Sequence[int] = (JUMP_OFF_YEAR, 2030, LAST_YEAR)
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


def _backcast_columns(lang: str) -> tuple[Column, ...]:
    pct = lambda key, nb, nn, sign=False: Column(key, T(nb, nn)(lang), "percent", 1, sign)  # noqa: E731
    return (
        Column("region", "Region", "text"),
        pct("mape_total", "Folketall, metoden", "Folketal, metoden"),
        pct("baseline_mape_total", "Folketall, naiv", "Folketal, naiv"),
        pct("mpe_total", "Snittavvik, metoden", "Snittavvik, metoden", True),
        pct("mape_groups", "Alder × kjønn, metoden", "Alder × kjønn, metoden"),
        pct("baseline_mape_groups", "Alder × kjønn, naiv", "Alder × kjønn, naiv"),
    )


def backcast_display(ctx: CountyContext, window: str = MAIN_WINDOW) -> TableSpec:
    """The backcast's accuracy for Norway and every county, the county marked with ◀."""
    lang, name, y0 = ctx.lang, ctx.name, JUMP_OFF_YEAR
    t0, t1, b0, b1 = BACKCAST_YEARS[0], BACKCAST_YEARS[-1], BASE_YEARS[0], BASE_YEARS[-1]
    keys = ("mape_total", "baseline_mape_total", "mpe_total", "mape_groups", "baseline_mape_groups")
    rows = tuple(
        {"region": region_name(r["region"], lang) + (" ◀" if r["region"] == ctx.county_code else ""),
         **{k: float(r[k]) for k in keys}}
        for r in backcast_table(window).to_dict("records")
    )  # fmt: skip
    note = T(
        f"Gjennomsnittlig absolutt avvik i prosent (MAPE), {t0}–{t1}, for framskrivingen "
        f"(«metoden») og den naive videreføringen av veksten {b0}–{b1} («naiv»); snittavviket "
        f"har fortegn (negativt = for lavt). Alder × kjønn: 0–9, 10–19 … 80–89 og 90 år og eldre, "
        f"for menn og kvinner. ◀ markerer {name}.",
        f"Gjennomsnittleg absolutt avvik i prosent (MAPE), {t0}–{t1}, for framskrivinga "
        f"(«metoden») og den naive vidareføringa av veksten {b0}–{b1} («naiv»); snittavviket har "
        f"forteikn (negativt = for lågt). Alder × kjønn: 0–9, 10–19 … 80–89 og 90 år og eldre, "
        f"for menn og kvinner. ◀ markerer {name}.",
    )(lang)
    title = T(
        f"Kontrollframskriving {y0}–{t1} mot faktiske tall",
        f"Kontrollframskriving {y0}–{t1} mot faktiske tal",
    )(lang)
    return TableSpec(title, _backcast_columns(lang), rows, source_line(lang), lang,
                     ("framskrevet_tilbakeskriving_mape",), note)  # fmt: skip
