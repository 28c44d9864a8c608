"""SSB's official projection (table 14288, main alternative MMMM) beside this one — live path.

Offline (the bundled snapshot has no 14288) :func:`official_projection` returns ``None`` and the
chapter says the official projection needs a refresh.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag.chapters.framskriving.constants import (
    BAND_LABELS,
    BASE_YEARS,
    INDICATOR_PREFIX,
    JUMP_OFF_YEAR,
    LAST_YEAR,
    MAIN_WINDOW,
    MAX_AGE,
    MEASURES,
    OFFICIAL_SOURCE,
    OFFICIAL_TABLE,
    TABLE,
)
from kunnskapsgrunnlag.chapters.framskriving.figures import OWN_METHOD, YEAR_LABEL, measure_lines
from kunnskapsgrunnlag.chapters.framskriving.method import _measures_from, measures
from kunnskapsgrunnlag.charts import Column, FigureSpec, TableSpec
from kunnskapsgrunnlag.charts.style import source_line
from kunnskapsgrunnlag.regions import COUNTIES, NORWAY
from kunnskapsgrunnlag.text import T

if TYPE_CHECKING:
    from kunnskapsgrunnlag.context import CountyContext

THIS = T("Denne framskrivingen", "Denne framskrivinga")
SSB_MAIN = T("SSB, hovedalternativet (MMMM)", "SSB, hovudalternativet (MMMM)")


def official_projection(data_source: str = "snapshot") -> pd.DataFrame | None:
    """Return SSB's official projection (table 14288, main alternative) by county, or ``None``.

    Args:
        data_source: ``"snapshot"`` or ``"live"``.

    Returns:
        ``None`` when the table is not available; otherwise a new frame with columns ``region``
        (Norway and the 15 counties), ``year``, ``measure`` (:data:`MEASURES`) and ``value``.
    """
    from kunnskapsgrunnlag.data import snapshot
    from kunnskapsgrunnlag.data.errors import SSBError

    try:
        df = snapshot.load(OFFICIAL_SOURCE, source=data_source)
    except (snapshot.SnapshotError, SSBError):
        return None
    if df is None or len(df) == 0:
        return None
    return _official_measures(df)


def _official_measures(df: pd.DataFrame) -> pd.DataFrame | None:
    """Turn the tidy 14288 frame (Norway and counties, sex × single-year age) into measures.

    Norway is SSB's own ``"0"`` when the frame has it, else the sum of the counties.
    """
    need = {"region", "year", "age", "value"}
    if not need <= set(df.columns):
        return None
    work = df[df["value"].notna()].copy()
    work["region"] = work["region"].astype(str)
    work["age"] = pd.to_numeric(work["age"], errors="coerce")
    work = work[work["age"].notna()]
    work["age"] = work["age"].astype(int).clip(upper=MAX_AGE)
    work = work[work["region"].isin([NORWAY, *COUNTIES])]
    if work.empty:
        return None
    both = work.groupby(["region", "year", "age"], as_index=False)["value"].sum()
    if NORWAY not in set(both["region"]):
        norway = both.groupby(["year", "age"], as_index=False)["value"].sum().assign(region=NORWAY)
        both = pd.concat([norway, both], ignore_index=True)
    rows = []
    for (code, year), g in both.groupby(["region", "year"]):
        by_age = g.set_index("age")["value"].reindex(range(MAX_AGE + 1), fill_value=0.0).to_numpy()
        m = _measures_from(by_age.reshape(1, 1, MAX_AGE + 1, 1))
        for key in MEASURES:
            rows.append((code, int(year), key, float(m[key][0, 0])))
    return pd.DataFrame(rows, columns=["region", "year", "measure", "value"]).astype(
        {"region": object, "measure": object}
    )


def compare_official(
    county_code: str, official: pd.DataFrame, years: Sequence[int] = (2030, 2040)
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
    """Say how this projection differs from SSB's main alternative for the county's population."""
    lang, name = ctx.lang, ctx.name
    cmp = compare_official(ctx.county_code, official, range(JUMP_OFF_YEAR + 1, LAST_YEAR + 1))
    tot = cmp[(cmp["region"] == ctx.county_code) & (cmp["measure"] == "folkemengde")]
    if tot.empty:
        return T(
            "SSBs framskriving har ingen år til og med 2040 som kan sammenlignes med denne.",
            "Framskrivinga til SSB har ingen år til og med 2040 som kan samanliknast med denne.",
        )(lang)
    last = tot.sort_values("year").iloc[-1]
    d = float(last["difference_pct"])
    r = fmt.round_half_up(d, 1)
    word = (
        T("lavere", "lågare")
        if r < 0
        else T("høyere", "høgare")
        if r > 0
        else T("like høy", "like høg")
    )
    year, ours, theirs = (
        int(last["year"]),
        fmt.number(last["value"], 0, lang),
        fmt.number(last["official"], 0, lang),
    )
    diff = fmt.percent(abs(d), 1, lang)
    return T(
        f"For {name} i {year} gir denne framskrivingen {ours} innbyggere og SSBs hovedalternativ "
        f"{theirs}: denne er {diff} {word(lang)}.",
        f"For {name} i {year} gir denne framskrivinga {ours} innbyggjarar og hovudalternativet til "
        f"SSB {theirs}: denne er {diff} {word(lang)}.",
    )(lang)  # fmt: skip


def official_source_line(lang: str) -> str:
    """The source line under a figure or table that shows SSB's projection beside this one."""
    return source_line([TABLE, OFFICIAL_TABLE], lang, extra=OWN_METHOD(lang))


def official_data(ctx: CountyContext, official: pd.DataFrame) -> pd.DataFrame:
    """The county's population in this projection (with band) and in SSB's main alternative."""
    ours = measure_lines(ctx, ctx.county_code, "county", "folkemengde", index=False, label=ctx.name)
    ours.loc[ours["linestyle"] == "--", "series"] = THIS(ctx.lang)
    off = official[(official["region"] == ctx.county_code) & (official["measure"] == "folkemengde")
                   & official["year"].between(BASE_YEARS[0], LAST_YEAR)].sort_values("year")  # fmt: skip
    theirs = pd.DataFrame({"series": SSB_MAIN(ctx.lang), "role": "reference", "year": off["year"],
                           "value": off["value"], "linestyle": "-", "points": False})  # fmt: skip
    return pd.concat([ours, theirs], ignore_index=True)


def figure_official(ctx: CountyContext, official: pd.DataFrame) -> FigureSpec:
    """The county's population in this projection (with band) and in SSB's main alternative."""
    lang, name = ctx.lang, ctx.name
    title = T(
        f"Folkemengde i {name}: denne framskrivingen og SSBs, {BASE_YEARS[0]}–{LAST_YEAR}",
        f"Folketal i {name}: denne framskrivinga og framskrivinga til SSB, {BASE_YEARS[0]}–{LAST_YEAR}",
    )(lang)
    alt = T(
        f"Linjediagram over folkemengden i {name} i denne framskrivingen, med bånd for andre "
        f"basisperioder, og i SSBs hovedalternativ. ",
        f"Linjediagram over folketalet i {name} i denne framskrivinga, med band for andre "
        f"basisperiodar, og i hovudalternativet til SSB. ",
    )(lang) + official_sentence(ctx, official)
    options = {"decimals": 0, "xlabel": YEAR_LABEL(lang), "ylabel": T("Personer", "Personar")(lang)}
    return FigureSpec("lines", official_data(ctx, official), title, alt,
                      official_source_line(lang), (INDICATOR_PREFIX + "folkemengde",), options,
                      lang)  # fmt: skip


def _measure_order(col: pd.Series) -> pd.Series:
    if col.name == "measure":
        return col.map({m: i for i, m in enumerate(MEASURES)})
    return col


def official_comparison_display(ctx: CountyContext, official: pd.DataFrame) -> TableSpec:
    """Set this projection beside SSB's main alternative for the county, 2030 and 2040."""
    lang = ctx.lang
    cmp = compare_official(ctx.county_code, official)
    cmp = cmp[cmp["region"] == ctx.county_code].sort_values(["year", "measure"], key=_measure_order)
    rows = []
    for r in cmp.itertuples(index=False):
        dec = 1 if r.measure == "forsorgerbrok_eldre" else 0
        rows.append({"year": int(r.year), "measure": BAND_LABELS[r.measure][lang],
                     "ours": fmt.number(r.value, dec, lang),
                     "official": fmt.number(r.official, dec, lang), "diff": r.difference_pct})  # fmt: skip
    columns = (
        Column("year", T("År")(lang), "rank"),
        Column("measure", T("Mål")(lang), "text"),
        Column("ours", THIS(lang), "text"),
        Column("official", "SSB (MMMM)", "text"),
        Column("diff", T("Forskjell", "Skilnad")(lang), "percent", 1, True),
    )
    title = T(
        f"Denne framskrivingen og SSBs hovedalternativ, {ctx.name}",
        f"Denne framskrivinga og hovudalternativet til SSB, {ctx.name}",
    )(lang)
    ids = tuple(INDICATOR_PREFIX + m for m in MEASURES)
    return TableSpec(title, columns, tuple(rows), official_source_line(lang), lang, ids)
