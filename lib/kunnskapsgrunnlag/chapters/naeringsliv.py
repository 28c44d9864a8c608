"""Næringsliv: value added and employment by industry from SSB 11713, on the 2024 counties.

Registry entries with ``provider: …naeringsliv:series``; exhibits from ``chapters.standard``.
Special: 11713 is on the pre-2020 counties (2008–2019 bundled). Each old county is summed whole
into the 2024 county holding most of its 2019 population (07459), derived from KLASS 131
(``regions.compositions``): exact where the old counties cover the county exactly, else
approximate, labelled, with the population share that changed county; nothing is apportioned
(``docs/regions.md``). Reference «fylkene samlet» (``FYLKENE``): «Hele landet» includes the
continental shelf, and 11713 has no «Fastlands-Norge» row.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from kunnskapsgrunnlag import indicators, regions, status
from kunnskapsgrunnlag.analysis import history
from kunnskapsgrunnlag.chapters import standard
from kunnskapsgrunnlag.charts import Column, TableSpec
from kunnskapsgrunnlag.context import CountyContext
from kunnskapsgrunnlag.data import accounts as accounts_data
from kunnskapsgrunnlag.data import snapshot
from kunnskapsgrunnlag.text import T

CHAPTER = "naeringsliv"
SOURCE, POPULATION, DIVISION_YEAR = "11713-fylkesfordelt", "07459-kommuner-2019", 2019
TOTAL = "Totalt for næringer"
GOVERNMENT = ("¬¬ Statsforvaltning", "¬¬ Kommuneforvaltning")
"""Sector breakdowns across industries (general government), not industries of their own."""
KEYS = ["region", "year"]
COLS = ["region", "industry", "measure", "year", "value", "status"]
SPECS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "bruttoprodukt": ("level", "bruttoprodukt", (TOTAL,)),
    "sysselsatte": ("level", "sysselsatte", (TOTAL,)),
    "bruttoprodukt_per_sysselsatt": ("ratio", "bruttoprodukt", (TOTAL,)),
    "bruttoprodukt_endring": ("growth", "bruttoprodukt", (TOTAL,)),
    "sysselsatte_endring": ("growth", "sysselsatte", (TOTAL,)),
    "andel_bruttoprodukt_industri": ("share", "bruttoprodukt", ("Industri",)),
    "andel_sysselsatte_industri": ("share", "sysselsatte", ("Industri",)),
    "andel_sysselsatte_offentlig_forvaltning": ("share", "sysselsatte", GOVERNMENT),
}
"""Indicator id → (derivation, measure, industries summed)."""


def indicator_ids() -> list[str]:
    """The chapter's indicators, in registry order."""
    return [i.id for i in indicators.for_chapter(CHAPTER)]


MERGED = {"16": "50", "17": "50"}
"""Sør- and Nord-Trøndelag (2008–2017 in 11713) became Trøndelag 50 in 2018, borders unchanged."""


@lru_cache(maxsize=2)
def border_policy(year: int = DIVISION_YEAR) -> dict[str, regions.Composition]:
    """How each 2024 county is made up of the counties of *year* (2018 or 2019), by 2019 population.

    Codes of 2018 that changed on 1 January 2019 (Rindal 1567 → 5061) take their 2019 population.
    """
    pop = snapshot.load(POPULATION).groupby("region")["value"].sum().to_dict()
    ch = regions.code_changes()
    ch = ch[ch["date"] == pd.Timestamp(year + 1, 1, 1)] if year < DIVISION_YEAR else ch[:0]
    pop |= {o: pop[n] for o, n in zip(ch["old_code"], ch["new_code"], strict=True) if n in pop}
    return regions.compositions(year, pop)


@lru_cache(maxsize=2)
def accounts(data_source: str = "snapshot") -> pd.DataFrame:
    """11713 on the 2024 counties (exact or approximate sums), «fylkene samlet» and Hele landet.

    Years to 2018 are on the 2018 counties (16 and 17 read as 50), 2019 on the 2019 counties;
    later years (none on these counties) are left out.
    """
    raw = snapshot.load(SOURCE, data_source)
    raw = raw[~(raw["region"].isin(MERGED) & (raw["year"] > 2017))]
    raw = raw.assign(region=raw["region"].replace(MERGED))
    policies = {y: border_policy(y) for y in (DIVISION_YEAR - 1, DIVISION_YEAR)}
    norway = raw[(raw["region"] == regions.NORWAY) & (raw["year"] <= DIVISION_YEAR)]
    return pd.concat([regions.sum_to_2024(raw, policies, ["industry", "measure"]), norway[COLS]])


def _cells(measure: str, industries: tuple[str, ...], data_source: str) -> pd.DataFrame:
    df = accounts(data_source)
    rows = df[(df["measure"] == measure) & df["industry"].isin(industries)]
    return status.group_sum(rows, KEYS)


def _binary(op, a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    both = a.merge(b, on=KEYS, suffixes=("_a", "_b"))
    value, st = status.apply_binary(op, both["value_a"], both["status_a"], both["value_b"], both["status_b"])  # fmt: skip
    return both[KEYS].assign(value=value, status=list(st))


def series(indicator_id: str, data_source: str = "snapshot") -> pd.DataFrame:
    """Provider for the registry: region, year, value, status of one chapter indicator."""
    kind, measure, industries = SPECS[indicator_id]
    cells = _cells(measure, industries, data_source)
    if kind == "level":
        return cells
    if kind == "ratio":  # mill. kr per 1 000 persons / 1 000 = mill. kr per person
        return _binary(
            lambda a, b: a / b / 1000, cells, _cells("sysselsatte", (TOTAL,), data_source)
        )
    if kind == "share":
        return _binary(lambda a, b: a / b * 100, cells, _cells(measure, (TOTAL,), data_source))
    first = cells[cells["year"] == cells["year"].min()].drop(columns="year")
    later = cells[cells["year"] > cells["year"].min()]
    return _binary(lambda a, b: (a / b - 1) * 100, later, later[KEYS].merge(first, on="region"))


def years(data_source: str = "snapshot") -> tuple[int, int]:
    """First and newest year in the data (2008 and 2019 in the bundled export)."""
    y = accounts(data_source)["year"]
    return int(y.min()), int(y.max())


def border_text(ctx: CountyContext) -> str:
    """Whether the county's figures are exact or approximate, and why (from KLASS and 07459)."""
    c, before = (border_policy(y)[ctx.county_code] for y in (DIVISION_YEAR, DIVISION_YEAR - 1))
    earlier = sorted(set(before.names.values()) - set(c.names.values()))
    return history.composition_text(ctx, c, earlier, (years(ctx.data_source)[0], DIVISION_YEAR - 1))


def approximate_note(ctx: CountyContext) -> str:
    """A short table note where the county's figures are approximate («» where exact)."""
    return history.approximate_note(ctx, border_policy(DIVISION_YEAR)[ctx.county_code])


def structure_table(ctx: CountyContext) -> TableSpec:
    """Shares of value added and employment by industry, county and «fylkene samlet», newest year."""
    lang, year, tag = ctx.lang, years(ctx.data_source)[1], {ctx.county_code: "c", regions.FYLKENE_SAMLET: "r"}  # fmt: skip
    df = accounts(ctx.data_source)
    df = df[(df["year"] == year) & df["region"].isin(tag) & ~df["industry"].isin(GOVERNMENT)]
    part = df[df["industry"] != TOTAL].merge(df[df["industry"] == TOTAL], on=["region", "measure"], suffixes=("", "_t"))  # fmt: skip
    share, st = status.apply_binary(lambda a, b: a / b * 100, part["value"], part["status"], part["value_t"], part["status_t"])  # fmt: skip
    part = part.assign(
        share=share,
        st=list(st.astype(object).where(st.notna(), None)),
        key=part["measure"] + "_" + part["region"].map(tag),
    )
    rows = []
    for industry, g in part.groupby("industry"):
        name = accounts_data.INDUSTRY_NN.get(industry, industry) if lang == "nn" else industry
        rows.append({"name": name} | dict(zip(g["key"], g["share"], strict=True)) | {f"{k}:status": x if isinstance(x, str) else None for k, x in zip(g["key"], g["st"], strict=True)})  # fmt: skip
    rows.sort(key=lambda r: -np.nan_to_num(r["bruttoprodukt_c"], nan=-1))
    ref = T("fylkene samlet", "fylka samla")(lang)
    cols = [Column("name", T("Næring")(lang), "text")] + [
        Column(f"{m}_{t}", f"{label}, {who}", "percent", 1)
        for m, label in (("bruttoprodukt", T("Bruttoprodukt")(lang)), ("sysselsatte", T("Sysselsatte", "Sysselsette")(lang)))
        for t, who in (("c", ctx.name), ("r", ref))
    ]  # fmt: skip
    title = T(f"Næringsstruktur i {ctx.name} og fylkene samlet, {year}: andel av bruttoproduktet og av de sysselsatte",
              f"Næringsstruktur i {ctx.name} og fylka samla, {year}: del av bruttoproduktet og av dei sysselsette")(lang)  # fmt: skip
    note = T("Prosent av summen for alle næringer. Bruttoprodukt i basisverdi, løpende priser. Fylkene samlet: summen av fylkene, uten kontinentalsokkelen. ",
             "Prosent av summen for alle næringar. Bruttoprodukt i basisverdi, løpande prisar. Fylka samla: summen av fylka, utan kontinentalsokkelen. ")(lang)  # fmt: skip
    return TableSpec(title, tuple(cols), tuple(rows), standard.source(ctx, ["bruttoprodukt"]), lang,
                     ("bruttoprodukt", "sysselsatte"), note + approximate_note(ctx))  # fmt: skip
