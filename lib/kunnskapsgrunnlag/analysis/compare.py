"""One comparison for every indicator: the county against a reference, its rank, a verdict.

``compare(ctx, indicator_id)`` reads the indicator's series (:func:`kunnskapsgrunnlag.indicators.
series`) and returns a :class:`Comparison`: the county's value and status, the reference («hele
landet», «landet uten Oslo» or the median of the comparison set), the difference in the units of
the indicator's ``notable`` threshold (per cent of the reference, percentage points or units), the
rank among the 15 counties (1 = highest value), the direction at the indicator's decimals and a
verdict chosen by the registry's ``polarity``:

* ``higher_is_better`` / ``higher_is_worse``: ``better``, ``similar`` or ``worse`` — «bedre enn»,
  «om lag som», «svakere enn»;
* ``neither`` (spending, population): ``higher``, ``similar_neutral`` or ``lower`` — never a
  judgement;
* ``none`` when the county's or the reference's value carries an SSB status symbol or is missing:
  no verdict on a symbol.

A difference is *notable* when it is at least the registry's threshold; below it the verdict is
«om lag som». When a relative difference has no meaning (a negative value, or a reference ≤ 0) the
difference in per cent is NaN and any difference in sign counts as notable. Status symbols travel
with the values; nothing here does bare arithmetic on a symbol.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kunnskapsgrunnlag.formatting import round_half_up
from kunnskapsgrunnlag.indicators import get, series
from kunnskapsgrunnlag.regions import COUNTIES, FYLKENE_SAMLET, NORWAY

if TYPE_CHECKING:
    import pandas as pd

    from kunnskapsgrunnlag.context import CountyContext
    from kunnskapsgrunnlag.indicators import Indicator

LANDET_UTEN_OSLO = "EAFKUO"
PEERS = "peers"
"""Reference code for the median of the county's comparison set."""

AGAINST = {
    "norway": NORWAY,
    "landet_uten_oslo": LANDET_UTEN_OSLO,
    "fylkene_samlet": FYLKENE_SAMLET,
    "peers": PEERS,
}
VERDICTS = ("better", "similar", "worse", "higher", "similar_neutral", "lower", "none")
MAX_SCORE = 10.0
"""Cap on |score| (a difference in sign has an infinite relative size)."""


@dataclass(frozen=True)
class Comparison:
    """The county against a reference for one indicator and year (see the module docstring)."""

    indicator: str
    region: str
    year: int
    value: float
    status: str | None
    reference_code: str
    reference: float
    reference_status: str | None
    diff: float
    pct: float
    size: float
    rank: int | None
    n: int
    direction: int
    notable: bool
    verdict: str
    score: float

    @property
    def has_verdict(self) -> bool:
        """Whether the comparison says anything (no status symbol, both values present)."""
        return self.verdict != "none"


def default_reference(ind: Indicator) -> str:
    """The reference an indicator is compared with by default (its series' reference aggregate)."""
    if ind.series is not None:
        return ind.series.reference
    if "fylkene_samlet" in ind.comparison:
        return FYLKENE_SAMLET
    return LANDET_UTEN_OSLO if "landet_uten_oslo" in ind.comparison else NORWAY


def latest_year(data: pd.DataFrame, county_code: str, reference: str) -> int:
    """The last year with a row (value or symbol) for both the county and the reference."""
    county_years = set(data.loc[data["region"] == county_code, "year"])
    ref_years = (
        county_years if reference == PEERS else set(data.loc[data["region"] == reference, "year"])
    )
    both = county_years & ref_years
    if not both:
        raise ValueError(f"no year has figures for both {county_code} and {reference}")
    return int(max(both))


def _cell(data: pd.DataFrame, region: str, year: int) -> tuple[float, str | None]:
    hit = data[(data["region"] == region) & (data["year"] == year)]
    if hit.empty:
        return float("nan"), ".."
    return float(hit["value"].iloc[0]), hit["status"].iloc[0]


def _reference(
    data: pd.DataFrame, code: str, year: int, peers: list[str]
) -> tuple[float, str | None]:
    if code != PEERS:
        return _cell(data, code, year)
    cells = [_cell(data, c, year) for c in peers]
    if not cells or any(s is not None or math.isnan(v) for v, s in cells):
        return float("nan"), ":" if any(s == ":" for _, s in cells) else ".."
    values = sorted(v for v, _ in cells)
    mid = len(values) // 2
    median = values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2
    return float(median), None


def rank_of(data: pd.DataFrame, county_code: str, year: int) -> tuple[int | None, int]:
    """The county's rank among the 15 counties in *year* (1 = highest value; ties share) and n."""
    rows = data[(data["year"] == year) & data["region"].isin(COUNTIES) & data["value"].notna()]
    values = dict(zip(rows["region"], rows["value"], strict=True))
    if county_code not in values:
        return None, len(values)
    mine = values[county_code]
    return 1 + sum(v > mine for v in values.values()), len(values)


def _size(ind: Indicator, value: float, reference: float) -> tuple[float, float]:
    """(difference in per cent or NaN, size in the notable measure)."""
    diff = value - reference
    pct = (value / reference - 1.0) * 100.0 if reference > 0 and value >= 0 else float("nan")
    measure = ind.notable.measure if ind.notable else "units"
    if measure != "percent":
        return pct, diff
    if math.isnan(pct):
        return pct, 0.0 if diff == 0 else math.copysign(math.inf, diff)
    return pct, pct


def _verdict(ind: Indicator, direction: int, size: float) -> tuple[bool, str, float]:
    """(notable, verdict, score) from the direction, the size and the registry's polarity."""
    threshold = ind.notable.threshold if ind.notable else 0.0
    notable = direction != 0 and abs(size) >= threshold
    if ind.polarity == "neither":
        word = ("higher" if direction > 0 else "lower") if notable else "similar_neutral"
        return notable, word, 0.0
    good = direction if ind.polarity == "higher_is_better" else -direction
    score = good * min(abs(size) / threshold, MAX_SCORE) if notable else 0.0
    return notable, ("better" if good > 0 else "worse") if notable else "similar", score


def compare(
    ctx: CountyContext,
    indicator_id: str,
    *,
    against: str | None = None,
    year: int | None = None,
) -> Comparison:
    """Compare the county of *ctx* with a reference on one indicator.

    Args:
        ctx: the county, its comparison set and data source.
        indicator_id: registry id.
        against: ``"norway"``, ``"landet_uten_oslo"`` or ``"peers"`` (median of the comparison
            set); default: the series' own reference aggregate.
        year: default: the last year with figures for both the county and the reference.
    """
    ind = get(indicator_id)
    data = series(indicator_id, ctx.data_source)
    ref_code = AGAINST[against] if against else default_reference(ind)
    year = latest_year(data, ctx.county_code, ref_code) if year is None else year
    value, status = _cell(data, ctx.county_code, year)
    reference, ref_status = _reference(data, ref_code, year, ctx.peers)
    rank, n = rank_of(data, ctx.county_code, year)
    missing = status is not None or ref_status is not None or math.isnan(value + reference)
    if missing:
        nan = float("nan")
        return Comparison(
            indicator_id, ctx.county_code, year, value, status, ref_code, reference, ref_status,
            nan, nan, nan, rank, n, 0, False, "none", 0.0,
        )  # fmt: skip
    pct, size = _size(ind, value, reference)
    d = ind.decimals
    rounded = round_half_up(value, d) - round_half_up(reference, d)
    direction = (rounded > 0) - (rounded < 0)
    notable, verdict, score = _verdict(ind, direction, size)
    return Comparison(
        indicator_id, ctx.county_code, year, value, status, ref_code, reference, ref_status,
        value - reference, pct, size, rank, n, direction, notable, verdict, score,
    )  # fmt: skip
