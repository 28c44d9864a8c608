"""Who a county is compared with: the comparison set of a parameter file and SSB's aggregates."""

from __future__ import annotations

from typing import Any

from kunnskapsgrunnlag.regions.counties import COUNTIES
from kunnskapsgrunnlag.regions.names import FYLKENE_SAMLET, LANDET_UTEN_OSLO, NORWAY

OSLO = "03"
"""Oslo, both municipality and county; left out of «Landet uten Oslo»."""

REFERENCE_AGGREGATES: dict[str, tuple[str, ...]] = {
    NORWAY: tuple(COUNTIES),
    LANDET_UTEN_OSLO: tuple(c for c in COUNTIES if c != OSLO),
    FYLKENE_SAMLET: tuple(COUNTIES),
}
"""SSB's reference aggregates → the 2024 counties each covers: «Hele landet» (``"0"``) all 15,
«Landet uten Oslo» (``"EAFKUO"``, county-council KOSTRA tables) all but Oslo, «Fylkene samlet»
(``"FYLKENE"``, the sum of the counties, not an SSB code) all 15."""


def comparison_set(county_code: str, comparison: dict[str, Any] | None) -> list[str]:
    """Return the county codes a county is compared with, never the county itself.

    Args:
        county_code: The county of the report.
        comparison: The ``comparison`` mapping of its parameter file (``kind`` and, for
            ``other_counties``, ``counties``); ``None`` means all other counties.
    """
    kind = (comparison or {}).get("kind", "all_counties")
    if kind == "other_counties":
        return [c for c in (comparison or {}).get("counties", []) if c != county_code]
    codes = [c for c in COUNTIES if c != county_code]
    if kind == "all_counties_without_oslo":
        codes = [c for c in codes if c != OSLO]
    return codes
