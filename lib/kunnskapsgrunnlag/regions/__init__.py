"""Regions: the 15 counties of 2024 and municipalities across the 2018/2020/2024 reforms.

Every county and municipality figure in the reports is shown on the **2024 division**: the 15
counties (fylker) in force from 1 January 2024 and the 357 municipalities (kommuner) of KLASS 131
"Kommuneinndeling 2024". Data published on an older division (2017–2023 codes) is moved onto it
by following SSB's KLASS 131 code changes forward, read from the bundled files in
``data/klass/131/`` (see its ``SOURCE.md``). Years 2017–2025 are supported: 2021 uses the 2020
version, 2025 the 2024 version (no changes happened on 1 January 2025).

Policy (also in ``docs/regions.md``):

* **Counties are re-aggregated from municipalities.** A municipality counts in the 2024 county
  its territory belongs to, in every year. Municipalities that changed county (Rindal 1567 →
  5061 in 2019, Halsa 1571 → Heim 5055 in 2020, both Møre og Romsdal → Trøndelag; also e.g.
  Hornindal → Volda and Tjeldsund → Troms og Finnmark in 2020) are counted in their 2024 county
  also for the years before the move.
* **County totals are exact because every split stayed inside one county** (Snillfjord 5012 and
  Tysfjord 1850 in 2020, Ålesund 1507 in 2024). This is checked in code: building a mapping
  raises :class:`~kunnskapsgrunnlag.regions.klass.KlassDataError` if a split ever crosses a 2024 county border.
* **Municipality-level series across a split are marked, never guessed.** A municipality that was
  later split is not apportioned (no population weights). It is summed, together with every other
  municipality of that year that shares one of its successors, into one *combined unit* whose
  region code joins the 2024 successors with ``+`` (``"1508+1580"``) and whose name says so
  (``"Ålesund og Haram (samla før 2024)"``). See :func:`split_units`.
* Boundary adjustments that change no code (grensejusteringer) are not in the KLASS change table
  and are ignored. Name-only changes keep the code.

Modules: :mod:`~.counties` (the 2024 and abolished counties), :mod:`~.klass` (the bundled KLASS
131 versions and code changes), :mod:`~.mapping` (any 2017–2025 municipality code onto the 2024
division), :mod:`~.aggregate` (tables summed to 2024 counties or municipalities, symbols kept),
:mod:`~.composition` (tables on old counties only, summed onto 2024 counties: exact or
approximate), :mod:`~.history` (division years, :func:`segments`, border moves), :mod:`~.names` (one name per
region code) and :mod:`~.peers` (comparison sets, reference aggregates).

This face is flat: ``from kunnskapsgrunnlag.regions import COUNTIES`` and
``regions.aggregate_to_counties(...)`` work. The pandas-based modules (mapping, aggregate,
history) are imported on first use of one of their names, so importing the package stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from kunnskapsgrunnlag.regions.counties import (
    ABOLISHED_COUNTIES,
    COUNTIES,
    County,
    check_county,
    counties,
    county_by_slug,
    county_name,
)
from kunnskapsgrunnlag.regions.klass import (
    FIRST_YEAR,
    LAST_YEAR,
    TARGET_DATE,
    UNKNOWN_CODE,
    KlassDataError,
    code_changes,
    klass_version,
    municipalities,
)
from kunnskapsgrunnlag.regions.names import (
    FYLKENE_SAMLET,
    LANDET_UTEN_OSLO,
    NORWAY,
    NORWAY_NAME,
    municipality_name,
    region_name,
)
from kunnskapsgrunnlag.regions.peers import OSLO, REFERENCE_AGGREGATES, comparison_set

if TYPE_CHECKING:
    from kunnskapsgrunnlag.regions.aggregate import (
        aggregate_to_counties,
        aggregate_to_municipalities_2024,
    )
    from kunnskapsgrunnlag.regions.composition import Composition, compositions, sum_to_2024
    from kunnskapsgrunnlag.regions.history import (
        DIVISION_CHANGES,
        BorderMove,
        border_moves,
        division_breaks,
        segments,
    )
    from kunnskapsgrunnlag.regions.mapping import (
        KINDS,
        county_2024,
        mapping_to_2024,
        municipality_2024,
        split_units,
        successors_of_abolished,
    )

_LAZY: dict[str, str] = {
    "aggregate_to_counties": "aggregate",
    "aggregate_to_municipalities_2024": "aggregate",
    "Composition": "composition",
    "compositions": "composition",
    "sum_to_2024": "composition",
    "DIVISION_CHANGES": "history",
    "BorderMove": "history",
    "border_moves": "history",
    "division_breaks": "history",
    "segments": "history",
    "KINDS": "mapping",
    "county_2024": "mapping",
    "mapping_to_2024": "mapping",
    "municipality_2024": "mapping",
    "split_units": "mapping",
    "successors_of_abolished": "mapping",
}
"""Public names of the pandas-based modules → their module, imported on first use."""

__all__ = [
    "ABOLISHED_COUNTIES",
    "COUNTIES",
    "DIVISION_CHANGES",
    "FIRST_YEAR",
    "FYLKENE_SAMLET",
    "KINDS",
    "LANDET_UTEN_OSLO",
    "LAST_YEAR",
    "NORWAY",
    "NORWAY_NAME",
    "OSLO",
    "REFERENCE_AGGREGATES",
    "TARGET_DATE",
    "UNKNOWN_CODE",
    "BorderMove",
    "Composition",
    "County",
    "KlassDataError",
    "aggregate_to_counties",
    "aggregate_to_municipalities_2024",
    "border_moves",
    "division_breaks",
    "check_county",
    "code_changes",
    "comparison_set",
    "compositions",
    "counties",
    "county_2024",
    "county_by_slug",
    "county_name",
    "klass_version",
    "mapping_to_2024",
    "municipalities",
    "municipality_2024",
    "municipality_name",
    "region_name",
    "segments",
    "split_units",
    "successors_of_abolished",
    "sum_to_2024",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
