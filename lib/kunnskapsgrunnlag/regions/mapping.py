"""Mapping municipality codes of 2017–2025 onto the 2024 division (KLASS 131 changes followed).

Counties are re-aggregated from municipalities, exactly (every split stayed inside one county,
checked when a mapping is built); municipality series across a split become combined units,
never apportioned (policy in :mod:`kunnskapsgrunnlag.regions` and ``docs/regions.md``).

``kind`` in :func:`mapping_to_2024` (from the municipality of *year* to 2024):

* ``"unchanged"``: same code, and no other municipality of *year* went into it (the name may
  have changed, e.g. 1833 Rana → "Rana - Raane").
* ``"renumbered"``: one-to-one onto a 2024 municipality with a new code (0101 Halden → 3101).
* ``"merged"``: the 2024 municipality it lies in also covers other municipalities of *year*
  (wholly or, for split neighbours, partly), e.g. Halsa 1571 (2019) → Heim 5055.
* ``"split"``: its area is now in two or more 2024 municipalities (1507 Ålesund, 2022 →
  1508 + 1580). ``municipality_2024`` is ``None``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from functools import lru_cache

import pandas as pd

from kunnskapsgrunnlag.regions import klass
from kunnskapsgrunnlag.regions.counties import COUNTIES
from kunnskapsgrunnlag.regions.klass import (
    FIRST_YEAR,
    LAST_YEAR,
    KlassDataError,
    _check_year,
    klass_version,
)
from kunnskapsgrunnlag.regions.names import _join_names

KINDS: tuple[str, ...] = ("unchanged", "renumbered", "merged", "split")
"""The values of ``kind`` in :func:`mapping_to_2024`."""


# --------------------------------------------------------------------------------------------
# Mapping to 2024
# --------------------------------------------------------------------------------------------


def _check_counties(successors: Mapping[str, frozenset[str]], year: int) -> None:
    """Raise unless every municipality of *year* lies in exactly one 2024 county."""
    names = klass._names(year)
    for code, succ in successors.items():
        found = {s[:2] for s in succ}
        if len(found) != 1:
            raise KlassDataError(
                f"municipality {code} ({names[code]}, {year}) was split across 2024 counties "
                f"{sorted(found)} (successors {sorted(succ)}); county totals would not be exact"
            )
        (county,) = found
        if county not in COUNTIES:
            raise KlassDataError(f"{code} ({year}) maps to {sorted(succ)}, not a 2024 county")


def _predecessors(successors: Mapping[str, frozenset[str]]) -> dict[str, set[str]]:
    """Predecessors of each 2024 municipality among the codes of the year mapped."""
    preds: dict[str, set[str]] = defaultdict(set)
    for code, succ in successors.items():
        for s in succ:
            preds[s].add(code)
    return preds


def _combined_units(
    successors: Mapping[str, frozenset[str]],
    preds: Mapping[str, set[str]],
    split_year: Mapping[str, int],
) -> dict[str, tuple[str, str]]:
    """Code of the year → (unit code, unit name): components of the code ↔ 2024-code graph."""
    names_2024 = klass._version_items(klass.klass_version(klass.TARGET_DATE.year))
    unit_of: dict[str, tuple[str, str]] = {}
    for code in successors:
        if code in unit_of:
            continue
        members, targets, todo = {code}, set(successors[code]), [code]
        while todo:
            for s in successors[todo.pop()]:
                for p in preds[s] - members:
                    members.add(p)
                    targets |= successors[p]
                    todo.append(p)
        ordered = sorted(targets)
        if len(ordered) == 1:
            unit = (ordered[0], names_2024[ordered[0]])
        else:
            when = max(split_year[m] for m in members)
            label = _join_names([names_2024[t] for t in ordered])
            unit = ("+".join(ordered), f"{label} (samla før {when})")
        for m in members:
            unit_of[m] = unit
    return unit_of


def _kind(
    code: str, succ: tuple[str, ...], preds: Mapping[str, set[str]]
) -> tuple[str, str | None]:
    """Return (kind, municipality_2024) of a code whose sorted 2024 successors are *succ*."""
    if len(succ) > 1:
        return "split", None
    if len(preds[succ[0]]) > 1:
        return "merged", succ[0]
    if succ[0] != code:
        return "renumbered", succ[0]
    return "unchanged", succ[0]


@lru_cache(maxsize=16)
def _mapping_frame(year: int) -> pd.DataFrame:
    """Build the cached mapping of :func:`mapping_to_2024` (never hand it out uncopied)."""
    names_2024 = klass._version_items(klass.klass_version(klass.TARGET_DATE.year))
    successors, split_year = klass._forward(year)
    _check_counties(successors, year)
    preds = _predecessors(successors)
    unit_of = _combined_units(successors, preds, split_year)
    rows = []
    for code, name in klass._names(year).items():
        succ = tuple(sorted(successors[code]))
        kind, target = _kind(code, succ, preds)
        rows.append(
            {
                "code": code,
                "name": name,
                "county": code[:2],
                "county_2024": succ[0][:2],
                "municipality_2024": target,
                "name_2024": names_2024[target] if target else None,
                "successors_2024": succ,
                "kind": kind,
                "unit_2024": unit_of[code][0],
                "unit_name_2024": unit_of[code][1],
            }
        )
    return pd.DataFrame(rows, dtype=object)


def mapping_to_2024(year: int) -> pd.DataFrame:
    """Map every municipality valid on 1 January *year* onto the 2024 division.

    The KLASS 131 changes after 1 January *year* up to 2024-01-01 are followed in date order
    (a code can change several times: 0101 Halden → 3001 (2020) → 3101 (2024)).

    Args:
        year: 2017–2025.

    Returns:
        A new frame, one row per municipality code of *year*, sorted by code, with columns:

        * ``code``, ``name``: the municipality in *year*; ``county``: its county then
          (first two digits, e.g. ``"15"`` for Halsa 1571 in 2019).
        * ``county_2024``: two-digit 2024 county (always exactly one, checked).
        * ``municipality_2024``: the 2024 municipality it lies in (4-digit str), ``None`` if it
          was split; ``name_2024``: that municipality's 2024 name (``None`` if split).
        * ``successors_2024``: tuple of the 2024 codes covering its area.
        * ``kind``: ``"unchanged"``, ``"renumbered"``, ``"merged"`` or ``"split"`` (see the
          module docstring).
        * ``unit_2024``, ``unit_name_2024``: the unit :func:`aggregate_to_municipalities_2024`
          sums it into: the 2024 code and name, or for anything linked to a split a combined
          unit such as ``"1508+1580"`` / ``"Ålesund og Haram (samla før 2024)"``.

    Raises:
        ValueError: *year* is outside 2017–2025.
        KlassDataError: The KLASS files are inconsistent, or a split crosses a 2024 county.
    """
    _check_year(year)
    return _mapping_frame(int(year)).copy()


@lru_cache(maxsize=16)
def _lookup(year: int) -> dict[str, tuple[str, str | None, str]]:
    """Map each code of *year* to (county_2024, municipality_2024, unit_2024)."""
    df = _mapping_frame(year)
    return {
        c: (k, m, u)
        for c, k, m, u in zip(
            df["code"], df["county_2024"], df["municipality_2024"], df["unit_2024"], strict=True
        )
    }


def _entry(code: str, year: int) -> tuple[str, str | None, str]:
    _check_year(year)
    found = _lookup(int(year)).get(code)
    if found is None:
        version = klass_version(year)
        raise ValueError(
            f"{code!r} is not a municipality code valid on 1 January {year} "
            f"(KLASS 131, Kommuneinndeling {version}; {len(_lookup(int(year)))} codes)"
        )
    return found


def county_2024(code: str, year: int) -> str:
    """Return the 2024 county of a municipality code valid on 1 January *year*.

    Args:
        code: 4-digit municipality code as a string, e.g. ``"1571"``.
        year: The year whose division *code* belongs to (2017–2025).

    Returns:
        Two-digit county code, e.g. ``"50"`` for Halsa 1571 in 2019.

    Raises:
        ValueError: *code* is not a municipality of *year*, or *year* is out of range.
    """
    return _entry(code, year)[0]


def municipality_2024(code: str, year: int) -> str | None:
    """Return the 2024 municipality a municipality code of *year* lies in.

    Args:
        code: 4-digit municipality code as a string, e.g. ``"0101"``.
        year: The year whose division *code* belongs to (2017–2025).

    Returns:
        The 4-digit 2024 code (``"3101"`` for 0101 Halden in 2019), or ``None`` when the
        municipality was later split (1507 Ålesund in 2022 → 1508 + 1580).

    Raises:
        ValueError: *code* is not a municipality of *year*, or *year* is out of range.
    """
    return _entry(code, year)[1]


def split_units(year: int) -> pd.DataFrame:
    """Return the combined units that splits force on municipality series from *year*.

    A chapter can use this to explain why e.g. ``"1508+1580"`` appears instead of Ålesund and
    Haram: figures for *year* exist only for the municipality before the split, and splitting
    them would be a guess.

    Args:
        year: 2017–2025.

    Returns:
        A new frame, one row per combined unit, with columns ``unit_2024`` (e.g.
        ``"1508+1580"``), ``unit_name_2024``, ``county_2024``, ``successors_2024`` (tuple of
        2024 codes), ``members`` and ``member_names`` (tuples: the municipalities of *year*
        summed into it) and ``split`` (tuple of the members that were themselves split).
        Empty (same columns) when no split happened after *year*.
    """
    df = mapping_to_2024(year)
    combined = df[df["unit_2024"].str.contains("+", regex=False)]
    rows = []
    for unit, group in combined.groupby("unit_2024", sort=True):
        rows.append(
            {
                "unit_2024": unit,
                "unit_name_2024": group["unit_name_2024"].iloc[0],
                "county_2024": group["county_2024"].iloc[0],
                "successors_2024": tuple(str(unit).split("+")),
                "members": tuple(group["code"]),
                "member_names": tuple(group["name"]),
                "split": tuple(group.loc[group["kind"] == "split", "code"]),
            }
        )
    columns = [
        "unit_2024",
        "unit_name_2024",
        "county_2024",
        "successors_2024",
        "members",
        "member_names",
        "split",
    ]
    return pd.DataFrame(rows, columns=columns, dtype=object)


def successors_of_abolished(code: str) -> tuple[str, ...]:
    """Return the 2024 counties that now cover the area of an abolished county, from KLASS 131.

    Takes the municipalities whose code starts with *code* in the latest bundled KLASS version in
    which the county existed (2017 for 16/17, 2019 for 01–20, 2023 for 30/38/54) and maps them to
    their 2024 county.

    Args:
        code: Two-digit code of an abolished county, e.g. ``"30"`` (Viken) or ``"05"`` (Oppland).

    Returns:
        The 2024 county codes in code order, e.g. ``("31", "32", "33")`` for Viken.

    Raises:
        ValueError: *code* is a 2024 county, or no bundled KLASS version has it.
    """
    if code in COUNTIES:
        raise ValueError(f"county {code!r} ({COUNTIES[code].name}) exists in 2024; not abolished")
    for version in sorted(klass._versions(), reverse=True):
        members = [m for m in klass._version_items(version) if m[:2] == code]
        if members:
            lookup = _lookup(klass._version_start_year(version))
            return tuple(sorted({lookup[m][0] for m in members}))
    raise ValueError(
        f"county {code!r} has no municipalities in any bundled KLASS 131 version "
        f"({FIRST_YEAR}–{LAST_YEAR})"
    )
