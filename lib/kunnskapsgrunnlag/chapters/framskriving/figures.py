"""The chapter's figures as ``lines`` specs (drawn by :mod:`kunnskapsgrunnlag.charts.lines`).

The total as index with band, the age groups as panels, the old-age dependency ratio.

Each region gets a solid line for the observed base years 2016–2026 and a dashed line from the
jump-off year 2026 with the band of the other candidate methods (``low``/``high``). Alt texts are
written from the spec's own data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag.chapters.framskriving.constants import (
    AGE_BANDS,
    BAND_LABELS,
    BASE_YEARS,
    INDICATOR_PREFIX,
    JUMP_OFF_YEAR,
    LAST_YEAR,
    TABLE,
)
from kunnskapsgrunnlag.chapters.framskriving.method import _band_frame
from kunnskapsgrunnlag.charts import FigureSpec
from kunnskapsgrunnlag.charts.style import source_line as _source_line
from kunnskapsgrunnlag.regions import NORWAY, region_name
from kunnskapsgrunnlag.text import T

if TYPE_CHECKING:
    from kunnskapsgrunnlag.context import CountyContext

OWN_METHOD = T("Egen kohortframskriving", "Eiga kohortframskriving")
YEAR_LABEL = T("År (1. januar)")
INDEX_LABEL = T(f"Indeks ({JUMP_OFF_YEAR} = 100)")
PROJECTED = T("framskrevet", "framskrive")
OBSERVED = T("faktisk")


def source_line(lang: str) -> str:
    """Return the source line under the chapter's figures and tables."""
    return _source_line([TABLE], lang, extra=OWN_METHOD(lang))


def _roles(ctx: CountyContext) -> tuple[tuple[str, str], ...]:
    return ((ctx.county_code, "county"), (NORWAY, "norway"))


def measure_lines(
    ctx: CountyContext, region: str, role: str, measure: str, *, index: bool, label: str
) -> pd.DataFrame:
    """Observed (solid, 2016–2026) and projected (dashed, from 2026, with band) rows of a measure."""
    b = _band_frame()
    s = b[(b["region"] == region) & (b["measure"] == measure)].sort_values("year")
    scale = 1.0
    if index:
        scale = 100.0 / float(s.loc[s["year"] == JUMP_OFF_YEAR, "value"].iloc[0])
    hist, proj = s[s["year"] <= JUMP_OFF_YEAR], s[s["year"] >= JUMP_OFF_YEAR]
    b0, b1 = BASE_YEARS[0], BASE_YEARS[-1]
    solid = pd.DataFrame({"series": f"{label}, {OBSERVED(ctx.lang)} {b0}–{b1}", "role": role,
                          "year": hist["year"], "value": hist["value"] * scale, "low": float("nan"),
                          "high": float("nan"), "linestyle": "-", "points": False})  # fmt: skip
    dashed = pd.DataFrame({"series": f"{label}, {PROJECTED(ctx.lang)}", "role": role,
                           "year": proj["year"], "value": proj["value"] * scale,
                           "low": proj["low"] * scale, "high": proj["high"] * scale,
                           "linestyle": "--", "points": False})  # fmt: skip
    return pd.concat([solid, dashed], ignore_index=True)


def _at(data: pd.DataFrame, role: str, year: int, points: bool = False) -> float:
    hit = data[(data["role"] == role) & (data["year"] == year) & (data["points"] == points)]
    hit = hit[hit["linestyle"] == "--"] if not points else hit
    return float(hit["value"].iloc[0])


def total_data(ctx: CountyContext) -> pd.DataFrame:
    """Total population as index (2026 = 100), county and Norway, with band."""
    parts = []
    for region, role in _roles(ctx):
        label = region_name(region, ctx.lang)
        parts.append(measure_lines(ctx, region, role, "folkemengde", index=True, label=label))
    return pd.concat(parts, ignore_index=True)


def figure_total(ctx: CountyContext) -> FigureSpec:
    """Total population as an index (2026 = 100), county and Norway, with band."""
    lang, name, data = ctx.lang, ctx.name, total_data(ctx)
    n = lambda role: fmt.number(_at(data, role, LAST_YEAR), 1, lang)  # noqa: E731
    norway = region_name(NORWAY, lang)
    title = T(
        f"Folkemengde i {name} og {norway.lower()}, {BASE_YEARS[0]}–{LAST_YEAR}. Indeks, "
        f"{JUMP_OFF_YEAR} = 100",
        f"Folketal i {name} og {norway.lower()}, {BASE_YEARS[0]}–{LAST_YEAR}. Indeks, "
        f"{JUMP_OFF_YEAR} = 100",
    )(lang)
    alt = T(
        f"Linjediagram over folkemengden som indeks med {JUMP_OFF_YEAR} = 100. {name} går til "
        f"{n('county')} i {LAST_YEAR}, {norway.lower()} til {n('norway')}.",
        f"Linjediagram over folketalet som indeks med {JUMP_OFF_YEAR} = 100. {name} går til "
        f"{n('county')} i {LAST_YEAR}, {norway.lower()} til {n('norway')}.",
    )(lang)
    subtitle = T(
        "Heltrukket: faktisk. Stiplet: framskrevet. Bånd: de andre metodene i kontrollen.",
        "Heiltrekt: faktisk. Stipla: framskrive. Band: dei andre metodane i kontrollen.",
    )(lang)
    options = {"decimals": 0, "xlabel": YEAR_LABEL(lang), "ylabel": INDEX_LABEL(lang),
               "subtitle": subtitle}  # fmt: skip
    return FigureSpec("lines", data, title, alt, source_line(lang),
                      (INDICATOR_PREFIX + "folkemengde",), options, lang)  # fmt: skip


def groups_data(ctx: CountyContext) -> pd.DataFrame:
    """The five age groups as index (2026 = 100), county and Norway, one panel per group."""
    parts = []
    for key in AGE_BANDS:
        for region, role in _roles(ctx):
            rows = measure_lines(ctx, region, role, key, index=True,
                                 label=region_name(region, ctx.lang))  # fmt: skip
            parts.append(rows.assign(panel=BAND_LABELS[key][ctx.lang], measure=key))
    return pd.concat(parts, ignore_index=True)


def figure_groups(ctx: CountyContext) -> FigureSpec:
    """Five age groups as index (2026 = 100), county against Norway, one panel per group."""
    lang, name, data = ctx.lang, ctx.name, groups_data(ctx)
    norway = region_name(NORWAY, lang).lower()
    parts = []
    for key in AGE_BANDS:
        change = _at(data[data["measure"] == key], "county", LAST_YEAR) - 100.0
        parts.append(f"{BAND_LABELS[key][lang]} {fmt.percent(change, 1, lang, sign=True)}")
    title = T(
        f"Aldersgrupper i {name} og {norway}, {BASE_YEARS[0]}–{LAST_YEAR}. Indeks, {JUMP_OFF_YEAR} = 100"
    )(lang)
    alt = (
        T(
            f"Fem små linjediagram, ett per aldersgruppe, med {name} og {norway} som indeks "
            f"({JUMP_OFF_YEAR} = 100). Endring i {name} fra {JUMP_OFF_YEAR} til {LAST_YEAR}: ",
            f"Fem små linjediagram, eitt per aldersgruppe, med {name} og {norway} som indeks "
            f"({JUMP_OFF_YEAR} = 100). Endring i {name} frå {JUMP_OFF_YEAR} til {LAST_YEAR}: ",
        )(lang)
        + "; ".join(parts)
        + "."
    )
    options = {"decimals": 0, "ncols": 3, "size": (9.0, 5.6), "ylabel": INDEX_LABEL(lang)}
    ids = tuple(INDICATOR_PREFIX + k for k in AGE_BANDS)
    return FigureSpec("lines", data.drop(columns="measure"), title, alt, source_line(lang), ids,
                      options, lang)  # fmt: skip


def dependency_data(ctx: CountyContext) -> pd.DataFrame:
    """Persons 67+ per 100 aged 20–66, county and Norway, observed and projected with band."""
    return pd.concat(
        [measure_lines(ctx, region, role, "forsorgerbrok_eldre", index=False,
                       label=region_name(region, ctx.lang)) for region, role in _roles(ctx)],
        ignore_index=True,
    )  # fmt: skip


def figure_dependency(ctx: CountyContext) -> FigureSpec:
    """Old-age dependency ratio (67+ per 100 aged 20–66), county and Norway, with band."""
    lang, name, data = ctx.lang, ctx.name, dependency_data(ctx)
    norway = region_name(NORWAY, lang)
    v = lambda role, y: fmt.number(_at(data, role, y), 1, lang)  # noqa: E731
    y0, y1 = JUMP_OFF_YEAR, LAST_YEAR
    title = T(
        f"Personer 67 år og eldre per 100 i alderen 20–66 år, {name} og {norway.lower()}, "
        f"{BASE_YEARS[0]}–{y1}",
        f"Personar 67 år og eldre per 100 i alderen 20–66 år, {name} og {norway.lower()}, "
        f"{BASE_YEARS[0]}–{y1}",
    )(lang)
    alt = T(
        f"Linjediagram over antall personer 67 år og eldre per 100 i alderen 20–66. {name}: "
        f"{v('county', y0)} i {y0}, {v('county', y1)} i {y1}. {norway}: {v('norway', y0)} og "
        f"{v('norway', y1)}.",
        f"Linjediagram over talet på personar 67 år og eldre per 100 i alderen 20–66. {name}: "
        f"{v('county', y0)} i {y0}, {v('county', y1)} i {y1}. {norway}: {v('norway', y0)} og "
        f"{v('norway', y1)}.",
    )(lang)
    options = {"decimals": 0, "xlabel": YEAR_LABEL(lang),
               "ylabel": T("Per 100 i alderen 20–66")(lang)}  # fmt: skip
    return FigureSpec("lines", data, title, alt, source_line(lang),
                      (INDICATOR_PREFIX + "forsorgerbrok_eldre",), options, lang)  # fmt: skip
