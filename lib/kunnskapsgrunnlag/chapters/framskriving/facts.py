"""The figures the chapter quotes for one county: 2026 observed, later years projected, with band."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kunnskapsgrunnlag.analysis.trend import Trend
from kunnskapsgrunnlag.chapters.framskriving.constants import (
    INDICATOR_PREFIX,
    JUMP_OFF_YEAR,
    LAST_YEAR,
)
from kunnskapsgrunnlag.chapters.framskriving.method import _band_frame
from kunnskapsgrunnlag.formatting import round_half_up
from kunnskapsgrunnlag.regions import COUNTIES, NORWAY
from kunnskapsgrunnlag.regions import check_county as _check_county

OUTLOOK_YEARS: tuple[int, ...] = (JUMP_OFF_YEAR, 2030, 2035, 2040, LAST_YEAR)


def pct(new: float, old: float) -> float:
    """Percentage change from *old* to *new*."""
    return (new - old) / old * 100.0


@dataclass(frozen=True)
class CountyOutlook:
    """The figures the chapter's sentences quote for one county (main window, with band)."""

    county: str
    name: str
    values: dict[tuple[str, str, int], dict[str, float]]
    """(region, measure, year) → {"value", "low", "high"} for the county and Norway."""

    def get(self, region: str, measure: str, year: int, what: str = "value") -> float:
        """Look one figure up."""
        return self.values[(region, measure, year)][what]

    def change_pct(
        self, region: str, measure: str, year: int, base: int = JUMP_OFF_YEAR, what: str = "value"
    ) -> float:
        """Percentage change from *base* (observed) to *year*."""
        return pct(self.get(region, measure, year, what), self.get(region, measure, base))

    def trend(
        self, region: str, measure: str, start: int = JUMP_OFF_YEAR, end: int = LAST_YEAR
    ) -> Trend:
        """The change *start* → *end* as an :class:`~kunnskapsgrunnlag.analysis.trend.Trend`.

        The registry series holds only the projected years; the chapter's changes start from the
        observed jump-off population, so the Trend is built here (direction at the registry's
        decimals, as :func:`kunnskapsgrunnlag.analysis.trend.trend` does).
        """
        from kunnskapsgrunnlag.indicators import get

        ind_id = INDICATOR_PREFIX + measure
        a, b = self.get(region, measure, start), self.get(region, measure, end)
        d = get(ind_id).decimals
        rounded = round_half_up(b, d) - round_half_up(a, d)
        direction = (rounded > 0) - (rounded < 0)
        return Trend(ind_id, region, start, end, a, b, b - a, pct(b, a), direction, False)


@lru_cache(maxsize=16)
def county_outlook(county_code: str) -> CountyOutlook:
    """Collect the county's and Norway's measures (2026 observed; 2030–2050 projected)."""
    _check_county(county_code)
    b = _band_frame()
    sub = b[b["region"].isin([county_code, NORWAY]) & b["year"].isin(list(OUTLOOK_YEARS))]
    values = {
        (r.region, r.measure, int(r.year)): {
            "value": float(r.value),
            "low": float(r.low),
            "high": float(r.high),
        }
        for r in sub.itertuples(index=False)
    }
    return CountyOutlook(county_code, COUNTIES[county_code].name, values)
