"""SSB's official projection beside this one: 14288 (bundled, 2050) or the live table.

Offline the bundled figures are SSB 14288 (2024 round), main alternative MMMM, for the 15
counties in 2024 and 2050 (snapshot ``14288-fylker-2050``). Live, the configurable official
table (default **14746**, the 2026 round; parameter ``official_table``) is read in its full
shape (:mod:`kunnskapsgrunnlag.data.projection`); when the live table cannot be had, the
bundled 14288 figures are used and the frame says so (``attrs["table"]``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag.chapters.framskriving.backcast import within_tolerance
from kunnskapsgrunnlag.chapters.framskriving.constants import (
    BASE_YEARS,
    INDICATOR_PREFIX,
    LAST_YEAR,
    MAIN_WINDOW,
    MAX_AGE,
    MEASURES,
    OFFICIAL_BUNDLED_TABLE,
    OFFICIAL_SOURCE,
    OFFICIAL_SOURCES,
    OFFICIAL_TABLE,
    TABLE,
)
from kunnskapsgrunnlag.chapters.framskriving.figures import OWN_METHOD, YEAR_LABEL, measure_lines
from kunnskapsgrunnlag.chapters.framskriving.method import _measures_from, measures
from kunnskapsgrunnlag.charts import Column, FigureSpec, TableSpec
from kunnskapsgrunnlag.charts.style import source_line
from kunnskapsgrunnlag.regions import COUNTIES, NORWAY, region_name
from kunnskapsgrunnlag.text import T

if TYPE_CHECKING:
    from kunnskapsgrunnlag.context import CountyContext

THIS = T("Denne framskrivingen", "Denne framskrivinga")
SSB_MAIN = T("SSB, hovedalternativet (MMMM)", "SSB, hovudalternativet (MMMM)")
IF_CONTINUES = T("hvis den siste utviklingen fortsetter", "dersom den siste utviklinga held fram")
WHY = T(
    "SSB regner med egne forutsetninger om fruktbarhet, dødelighet, flytting og innvandring, "
    "mens denne framskrivingen fører videre hvordan årskullene endret seg i 2016–2026.",
    "SSB reknar med eigne føresetnader om fruktbarheit, dødelegheit, flytting og innvandring, "
    "medan denne framskrivinga fører vidare korleis årskulla endra seg i 2016–2026.",
)
"""The one plain sentence on why the two differ."""


def official_projection(
    data_source: str = "snapshot", table: str = OFFICIAL_TABLE
) -> pd.DataFrame | None:
    """Return SSB's official projection (main alternative) by county as measures.

    Args:
        data_source: ``"snapshot"`` (the bundled 14288 counties, 2024 and 2050) or ``"live"``
            (*table*, default 14746; the bundled figures when it fails).
        table: the official table on the live path (``"14746"`` or ``"14288"``).

    Returns:
        A new frame with columns ``region``, ``year``, ``measure`` and ``value``;
        ``attrs["table"]`` names the table the figures came from. ``None`` if nothing loads.
    """
    from kunnskapsgrunnlag.data import snapshot
    from kunnskapsgrunnlag.data.errors import SSBError

    if table not in OFFICIAL_SOURCES:
        raise ValueError(f"official_table must be one of {', '.join(OFFICIAL_SOURCES)}")
    if data_source == "live":
        try:
            out = _official_measures(snapshot.load(OFFICIAL_SOURCES[table], source="live"))
        except (snapshot.SnapshotError, SSBError):
            out = None
        if out is not None:
            out.attrs["table"] = table
            return out
    try:
        df = snapshot.load(OFFICIAL_SOURCE)
    except snapshot.SnapshotError:
        return None
    out = _official_measures(df)
    if out is not None:
        out.attrs["table"] = OFFICIAL_BUNDLED_TABLE
    return out


def _official_measures(df: pd.DataFrame) -> pd.DataFrame | None:
    """The main alternative as measures: totals always; age groups where ages are single years."""
    from kunnskapsgrunnlag.data.projection import MAIN_ALTERNATIVE

    work = df[(df["alternative"] == MAIN_ALTERNATIVE) & df["value"].notna()]
    work = work[work["region"].astype(str).isin([NORWAY, *COUNTIES])]
    if work.empty:
        return None
    tot = work.groupby(["region", "year"], as_index=False)["value"].sum()
    if NORWAY not in set(tot["region"]):
        nat = tot.groupby("year", as_index=False)["value"].sum().assign(region=NORWAY)
        tot = pd.concat([nat, tot], ignore_index=True)
    rows = [(r.region, int(r.year), "folkemengde", float(r.value)) for r in tot.itertuples()]
    single = work[work["age_group"].str.fullmatch(r"(\d+)-\1|105\+")]
    if len(single) and single["age_group"].nunique() == MAX_AGE + 1:
        rows = _age_measures(single)
    return pd.DataFrame(rows, columns=["region", "year", "measure", "value"]).astype(
        {"region": object, "measure": object}
    )


def _age_measures(single: pd.DataFrame) -> list[tuple[str, int, str, float]]:
    age = single["age_group"].map(lambda g: MAX_AGE if g.endswith("+") else int(g.split("-")[0]))
    both = single.assign(age=age).groupby(["region", "year", "age"], as_index=False)["value"].sum()
    rows = []
    for (code, year), g in both.groupby(["region", "year"]):
        by_age = g.set_index("age")["value"].reindex(range(MAX_AGE + 1), fill_value=0.0).to_numpy()
        m = _measures_from(by_age.reshape(1, 1, MAX_AGE + 1, 1))
        rows += [(str(code), int(year), key, float(m[key][0, 0])) for key in MEASURES]
    return rows


def official_table_of(official: pd.DataFrame) -> str:
    """The SSB table the official figures came from (``"14288"`` or ``"14746"``)."""
    return str(official.attrs.get("table", OFFICIAL_BUNDLED_TABLE))


def official_2050(official: pd.DataFrame, county_code: str) -> tuple[float, float, float] | None:
    """(ours, SSB's, difference in %) for the county's population in 2050, or ``None``."""
    cmp = compare_official(county_code, official, (LAST_YEAR,))
    tot = cmp[(cmp["region"] == county_code) & (cmp["measure"] == "folkemengde")]
    if tot.empty:
        return None
    r = tot.iloc[0]
    return float(r["value"]), float(r["official"]), float(r["difference_pct"])


def outside_tolerance(official: pd.DataFrame, county_code: str) -> bool:
    """True when our 2050 total differs from SSB's by more than ±5 % (SSB is then the main line)."""
    got = official_2050(official, county_code)
    return got is not None and not within_tolerance(got[2])


def compare_official(
    county_code: str, official: pd.DataFrame, years: Sequence[int] = (LAST_YEAR,)
) -> pd.DataFrame:
    """Set this projection beside SSB's official one for a county and Norway.

    Returns:
        A new frame with columns ``region``, ``year``, ``measure``, ``value`` (this projection),
        ``official`` and ``difference_pct`` ((this − official) / official × 100).
    """
    ours = measures(MAIN_WINDOW)
    ours = ours[ours["region"].isin([county_code, NORWAY]) & ours["year"].isin(list(years))]
    merged = ours.merge(official, on=["region", "year", "measure"], suffixes=("", "_official"))
    merged = merged.rename(columns={"value_official": "official"})
    merged["difference_pct"] = (merged["value"] - merged["official"]) / merged["official"] * 100.0
    return merged[["region", "year", "measure", "value", "official", "difference_pct"]].reset_index(
        drop=True
    )


def official_sentence(ctx: CountyContext, official: pd.DataFrame) -> str:
    """SSB's 2050 figure beside ours, the difference in per cent, and why they differ."""
    lang, name = ctx.lang, ctx.name
    got = official_2050(official, ctx.county_code)
    table = official_table_of(official)
    if got is None:
        return T(
            f"SSBs tabell {table} har ikke noe tall for {name} i {LAST_YEAR}.",
            f"Tabell {table} frå SSB har ikkje noko tal for {name} i {LAST_YEAR}.",
        )(lang)
    ours, theirs, d = got
    r = fmt.round_half_up(d, 1)
    o, t = fmt.number(ours, 0, lang), fmt.number(theirs, 0, lang)
    diff = fmt.percent(abs(d), 1, lang)
    if r == 0:
        cmp_nb, cmp_nn = "om lag som SSBs", "om lag som talet til SSB"
    else:
        cmp_nb = f"{diff} {'lavere' if r < 0 else 'høyere'} enn SSBs"
        cmp_nn = f"{diff} {'lågare' if r < 0 else 'høgare'} enn talet til SSB"
    return T(
        f"For {name} i {LAST_YEAR} gir SSBs hovedalternativ (tabell {table}) {t} innbyggere og "
        f"denne framskrivingen {o}, altså {cmp_nb}. {WHY('nb')}",
        f"For {name} i {LAST_YEAR} gir hovudalternativet til SSB (tabell {table}) {t} "
        f"innbyggjarar og denne framskrivinga {o}, altså {cmp_nn}. {WHY('nn')}",
    )(lang)  # fmt: skip


def official_source_line(lang: str, table: str = OFFICIAL_BUNDLED_TABLE) -> str:
    """The source line under a figure or table that shows SSB's projection beside this one."""
    return source_line([TABLE, table], lang, extra=OWN_METHOD(lang))


def official_data(ctx: CountyContext, official: pd.DataFrame) -> pd.DataFrame:
    """The county's population in this projection (with band) and in SSB's main alternative.

    Where the two differ by more than ±5 % in 2050, SSB's line is the main one (role
    ``county``) and ours is «hvis den siste utviklingen fortsetter» (role ``reference``).
    """
    lang = ctx.lang
    ours = measure_lines(ctx, ctx.county_code, "county", "folkemengde", index=False, label=ctx.name)
    ours.loc[ours["linestyle"] == "--", "series"] = THIS(lang)
    off = official[(official["region"] == ctx.county_code) & (official["measure"] == "folkemengde")
                   & official["year"].between(BASE_YEARS[0], LAST_YEAR)].sort_values("year")  # fmt: skip
    theirs = pd.DataFrame({"series": SSB_MAIN(lang), "role": "reference", "year": off["year"],
                           "value": off["value"], "linestyle": "-", "points": len(off) < 4})  # fmt: skip
    if outside_tolerance(official, ctx.county_code):
        dashed = ours["linestyle"] == "--"
        ours.loc[dashed, "series"] = f"{THIS(lang)}, {IF_CONTINUES(lang)}"
        ours.loc[dashed, "role"] = "reference"
        ours.loc[dashed, ["low", "high"]] = float("nan")
        theirs["role"] = "county"
    return pd.concat([ours, theirs], ignore_index=True)


def figure_official(ctx: CountyContext, official: pd.DataFrame) -> FigureSpec:
    """The county's population in this projection and in SSB's main alternative."""
    lang, name, table = ctx.lang, ctx.name, official_table_of(official)
    title = T(
        f"Folkemengde i {name}: SSBs framskriving og denne, {BASE_YEARS[0]}–{LAST_YEAR}",
        f"Folketal i {name}: framskrivinga til SSB og denne, {BASE_YEARS[0]}–{LAST_YEAR}",
    )(lang)
    alt = T(
        f"Linjediagram over folkemengden i {name} i SSBs hovedalternativ og i denne "
        f"framskrivingen. ",
        f"Linjediagram over folketalet i {name} i hovudalternativet til SSB og i denne "
        f"framskrivinga. ",
    )(lang) + official_sentence(ctx, official)
    options = {"decimals": 0, "xlabel": YEAR_LABEL(lang), "ylabel": T("Personer", "Personar")(lang)}
    return FigureSpec("lines", official_data(ctx, official), title, alt,
                      official_source_line(lang, table), (INDICATOR_PREFIX + "folkemengde",),
                      options, lang)  # fmt: skip


def _measure_order(col: pd.Series) -> pd.Series:
    if col.name == "measure":
        return col.map({m: i for i, m in enumerate(MEASURES)})
    return col


def official_comparison_display(ctx: CountyContext, official: pd.DataFrame) -> TableSpec:
    """SSB's main alternative beside this projection for Norway and every county, 2050."""
    lang, table = ctx.lang, official_table_of(official)
    rows = []
    for code in (NORWAY, *sorted(COUNTIES)):
        got = official_2050(official, code)
        if got is None:
            continue
        label = region_name(code, lang)
        rows.append({"region": label + (" ◀" if code == ctx.county_code else ""),
                     "official": fmt.number(got[1], 0, lang), "ours": fmt.number(got[0], 0, lang),
                     "diff": got[2]})  # fmt: skip
    columns = (
        Column("region", "Region", "text"),
        Column("official", f"SSB ({table}, MMMM)", "text"),
        Column("ours", THIS(lang), "text"),
        Column("diff", T("Forskjell", "Skilnad")(lang), "percent", 1, True),
    )
    title = T(
        f"Folkemengde {LAST_YEAR}: SSBs hovedalternativ og denne framskrivingen",
        f"Folketal {LAST_YEAR}: hovudalternativet til SSB og denne framskrivinga",
    )(lang)
    note = T(
        f"Forskjell = (denne − SSB) / SSB. Utenfor ±5 % viser kapittelet SSBs tall som "
        f"hovedlinje. ◀ markerer {ctx.name}. " + WHY("nb"),
        f"Skilnad = (denne − SSB) / SSB. Utanfor ±5 % viser kapittelet talet til SSB som "
        f"hovudlinje. ◀ markerer {ctx.name}. " + WHY("nn"),
    )(lang)
    return TableSpec(title, columns, tuple(rows), official_source_line(lang, table), lang,
                     (INDICATOR_PREFIX + "folkemengde", "ssb_framskrevet_folkemengde_2050"),
                     note)  # fmt: skip
