"""County divisions over time: the years a new division began, and borders that moved.

The county division changed on 1 January 2020 (11 counties, several merged) and on 1 January
2024 (15 counties, three of them split again). A county code's figures are for the county as it
was that year, so a series is never drawn across 2020 or 2024 (:func:`segments`). Which
municipalities belonged to another county in the years shown is read from KLASS 131
(:func:`border_moves`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pandas as pd

from kunnskapsgrunnlag.regions.counties import check_county
from kunnskapsgrunnlag.regions.klass import FIRST_YEAR, LAST_YEAR, KlassDataError, code_changes
from kunnskapsgrunnlag.regions.mapping import mapping_to_2024

DIVISION_CHANGES: tuple[int, ...] = (2020, 2024)
"""First years of a new county division; series are broken before these years."""


def segments(years: Iterable[int], breaks: Iterable[int] = DIVISION_CHANGES) -> list[list[int]]:
    """Split consecutive *years* into runs that never cross a break year.

    The default breaks are the new county divisions of 2020 and 2024; a gap in the years also
    starts a new run.
    """
    breaks = set(breaks)
    out: list[list[int]] = []
    for y in sorted(set(years)):
        new_run = not out or y != out[-1][-1] + 1 or y in breaks
        if new_run:
            out.append([y])
        else:
            out[-1].append(y)
    return out


@dataclass(frozen=True)
class BorderMove:
    """A municipality that belonged to another county than its 2024 one in some years shown."""

    code: str
    name: str
    county_then: str
    county_2024: str
    years: tuple[int, ...]

    @property
    def moved_in(self) -> bool:
        """True when the municipality has since come *into* the county (it was elsewhere then)."""
        return self.county_then != self.county_2024 and self.county_2024 != ""


def _mapping_year(year: int) -> int:
    """Return the KLASS year used for *year*: years before the first bundled version use that version.

    Valid only because KLASS 131 has no change of county prefix between 1 January *year* and the
    first bundled version (checked here).
    """
    if year >= FIRST_YEAR:
        return year
    ch = code_changes()
    window = ch[
        (ch["date"] > pd.Timestamp(year, 1, 1)) & (ch["date"] <= pd.Timestamp(FIRST_YEAR, 1, 1))
    ]
    if (window["old_code"].str[:2] != window["new_code"].str[:2]).any():
        raise KlassDataError(f"a municipality changed county between {year} and {FIRST_YEAR}")
    return FIRST_YEAR


def border_moves(county_code: str, years: list[int]) -> list[BorderMove]:
    """Municipalities whose county in some of *years* differs from their 2024 county, for one county.

    A move is listed when the municipality was in *county_code* then but is elsewhere in 2024, or
    the other way round (e.g. Halsa, in Møre og Romsdal until 2019, now Heim in Trøndelag).

    Returns:
        Moves sorted by name, each with the years (of *years*) in which it applied.
    """
    check_county(county_code)
    found: dict[tuple[str, str, str], tuple[str, list[int]]] = {}
    for y in sorted(years):
        if y > LAST_YEAR:
            continue
        m = mapping_to_2024(_mapping_year(y))
        hit = m[(m["county"] == county_code) != (m["county_2024"] == county_code)]
        for r in hit.itertuples(index=False):
            key = (r.code, r.county, r.county_2024)
            found.setdefault(key, (_plain_name(r.name), []))[1].append(y)
    return sorted(
        (BorderMove(k[0], v[0], k[1], k[2], tuple(v[1])) for k, v in found.items()),
        key=lambda b: (b.name, b.code),
    )


@cache
def division_breaks(
    county_code: str, breaks: tuple[int, ...] = DIVISION_CHANGES
) -> tuple[int, ...]:
    """The division years of *breaks* at which the county's series really breaks.

    A county that had the same code and the same municipalities the year before a new division
    (Oslo, Rogaland, Vestland in 2024 …) continues unbroken: its figures before and after are
    for the same county council and area. Any other county breaks there (its code is new, or
    municipalities moved in or out). Cached: it is asked for every trend of every chapter.
    """
    check_county(county_code)
    out = []
    for y in sorted(set(breaks)):
        before = y - 1
        if before > LAST_YEAR:
            continue
        m = mapping_to_2024(_mapping_year(before))
        existed = bool((m["county"] == county_code).any())
        if not existed or border_moves(county_code, [before]):
            out.append(y)
    return tuple(out)


def _plain_name(name: str) -> str:
    """Return the Norwegian part of a multilingual KLASS name (``Dielddanuorri - Tjeldsund`` → ``Tjeldsund``).

    A heuristic (the last part without a Sami letter), right for the municipalities that moved
    county; :func:`kunnskapsgrunnlag.regions.names.municipality_name` names 2024 municipalities
    from a checked list instead.
    """
    parts = [p.strip() for p in name.split(" - ")]
    norwegian = [p for p in parts if not any(ch in p for ch in "áŋŧđčšž")]
    return (norwegian or parts)[-1] if len(parts) > 1 else name
