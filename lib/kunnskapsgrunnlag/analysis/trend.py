"""One trend for every indicator: change over a period that never crosses a break in the series.

A series read by a ``series:`` block has *breaks* (first years of a new county division, 2020 and
2024 by default): a county code's figures before and after are for a county with other borders
and organisation, so no change is computed across them — :func:`trend` starts at the first year of
the last unbroken run instead, and says so (``Trend.shortened``). Series from a provider are
harmonised to 2024 borders by their chapter and have no breaks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kunnskapsgrunnlag.formatting import round_half_up
from kunnskapsgrunnlag.indicators import get, series
from kunnskapsgrunnlag.regions import segments

if TYPE_CHECKING:
    from kunnskapsgrunnlag.context import CountyContext


@dataclass(frozen=True)
class Trend:
    """Change of one region's figures from ``start_year`` to ``end_year``."""

    indicator: str
    region: str
    start_year: int
    end_year: int
    start: float
    end: float
    change: float
    pct: float
    direction: int
    shortened: bool
    """True when the period asked for crossed a break and was shortened to the last run."""


def breaks_of(indicator_id: str, region: str | None = None) -> tuple[int, ...]:
    """The break years of an indicator's series (none for a harmonised provider series).

    With a county *region*, only the breaks where that county changed (its code or its
    municipalities, :func:`kunnskapsgrunnlag.regions.division_breaks`); Norway and aggregates
    such as «landet uten Oslo» never break.
    """
    from kunnskapsgrunnlag import regions

    ind = get(indicator_id)
    breaks = tuple(ind.series.breaks) if ind.series is not None else ()
    if region is None or not breaks:
        return breaks
    return regions.division_breaks(region, breaks) if region in regions.COUNTIES else ()


def trend(
    ctx: CountyContext,
    indicator_id: str,
    *,
    region: str | None = None,
    since: int | None = None,
    until: int | None = None,
) -> Trend:
    """Return the change of *region* (default: the county) from *since* to *until*.

    Years default to the first and last year with a value. Raises ValueError when the period
    holds fewer than two years with values.
    """
    region = ctx.county_code if region is None else region
    data = series(indicator_id, ctx.data_source)
    rows = data[(data["region"] == region) & data["value"].notna()]
    if since is not None:
        rows = rows[rows["year"] >= since]
    if until is not None:
        rows = rows[rows["year"] <= until]
    years = sorted(int(y) for y in rows["year"])
    if len(years) < 2:
        raise ValueError(f"{indicator_id}: fewer than two years with figures for {region}")
    last_run = segments(years, breaks_of(indicator_id, region))[-1]
    if len(last_run) < 2:
        raise ValueError(
            f"{indicator_id}: {region} has only {last_run[0]} after the last break in the series"
        )
    shortened = last_run[0] != years[0]
    y0, y1 = last_run[0], last_run[-1]
    start = float(rows.loc[rows["year"] == y0, "value"].iloc[0])
    end = float(rows.loc[rows["year"] == y1, "value"].iloc[0])
    pct = (end / start - 1.0) * 100.0 if start > 0 and end >= 0 else math.nan
    d = get(indicator_id).decimals
    rounded = round_half_up(end, d) - round_half_up(start, d)
    direction = (rounded > 0) - (rounded < 0)
    return Trend(indicator_id, region, y0, y1, start, end, end - start, pct, direction, shortened)
