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
  raises :class:`KlassDataError` if a split ever crosses a 2024 county border.
* **Municipality-level series across a split are marked, never guessed.** A municipality that was
  later split is not apportioned (no population weights). It is summed, together with every other
  municipality of that year that shares one of its successors, into one *combined unit* whose
  region code joins the 2024 successors with ``+`` (``"1508+1580"``) and whose name says so
  (``"Ålesund og Haram (samla før 2024)"``). See :func:`split_units`.
* Boundary adjustments that change no code (grensejusteringer) are not in the KLASS change table
  and are ignored. Name-only changes keep the code.

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

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.status import group_sum


@dataclass(frozen=True)
class County:
    """A county (fylke) of the 2024 division."""

    code: str
    name: str
    official_name: str
    slug: str

    @property
    def kostra_code(self) -> str:
        """The county council's code in KOSTRA tables (``KOKfylkesregion0000``), e.g. ``4600``."""
        return f"{self.code}00"


COUNTIES: dict[str, County] = {
    c.code: c
    for c in [
        County("03", "Oslo", "Oslo - Oslove", "oslo"),
        County("11", "Rogaland", "Rogaland", "rogaland"),
        County("15", "Møre og Romsdal", "Møre og Romsdal", "more-og-romsdal"),
        County("18", "Nordland", "Nordland - Nordlánnda", "nordland"),
        County("31", "Østfold", "Østfold", "ostfold"),
        County("32", "Akershus", "Akershus", "akershus"),
        County("33", "Buskerud", "Buskerud", "buskerud"),
        County("34", "Innlandet", "Innlandet", "innlandet"),
        County("39", "Vestfold", "Vestfold", "vestfold"),
        County("40", "Telemark", "Telemark", "telemark"),
        County("42", "Agder", "Agder", "agder"),
        County("46", "Vestland", "Vestland", "vestland"),
        County("50", "Trøndelag", "Trøndelag - Trööndelage", "trondelag"),
        County("55", "Troms", "Troms - Romsa - Tromssa", "troms"),
        County("56", "Finnmark", "Finnmark - Finnmárku - Finmarkku", "finnmark"),
    ]
}
"""The 15 counties in force from 1 January 2024, keyed by two-digit code."""

NORWAY = "0"
"""SSB's region code for the whole country."""

ABOLISHED_COUNTIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "01": ("Østfold (til 2019)", ("31", "32")),
    "02": ("Akershus (til 2019)", ("32",)),
    "04": ("Hedmark (til 2019)", ("34",)),
    "05": ("Oppland (til 2019)", ("32", "34")),
    "06": ("Buskerud (til 2019)", ("32", "33")),
    "07": ("Vestfold (til 2019)", ("33", "39")),
    "08": ("Telemark (til 2019)", ("40",)),
    "09": ("Aust-Agder (til 2019)", ("42",)),
    "10": ("Vest-Agder (til 2019)", ("42",)),
    "12": ("Hordaland (til 2019)", ("46",)),
    "14": ("Sogn og Fjordane (til 2019)", ("15", "46")),
    "16": ("Sør-Trøndelag (til 2017)", ("50",)),
    "17": ("Nord-Trøndelag (til 2017)", ("50",)),
    "19": ("Troms (til 2019)", ("55",)),
    "20": ("Finnmark (til 2019)", ("56",)),
    "30": ("Viken (2020–2023)", ("31", "32", "33")),
    "38": ("Vestfold og Telemark (2020–2023)", ("39", "40")),
    "54": ("Troms og Finnmark (2020–2023)", ("55", "56")),
}
"""Counties that no longer exist: code → (name with period, 2024 counties now covering its area).

The successors are those of :func:`successors_of_abolished` (derived from KLASS 131; a test keeps
the two equal): the 2024 counties of the county's municipalities in the last KLASS version in
which it existed, in code order (e.g. Oppland 05 → 32, 34: Jevnaker and Lunner are in Akershus;
Vestfold 07 → 33, 39: Svelvik is part of Drammen, Buskerud).
"""

FIRST_YEAR = 2017
"""First year (1 January) whose municipality division is bundled."""

LAST_YEAR = 2025
"""Last year covered: the KLASS change table runs to 2025-01-02 and has no 2025 changes."""

TARGET_DATE = date(2024, 1, 1)
"""The division everything is mapped onto."""

UNKNOWN_CODE = "9999"
"""KLASS 131's "Uoppgitt" (unknown municipality); not a municipality, left out everywhere."""

KINDS: tuple[str, ...] = ("unchanged", "renumbered", "merged", "split")
"""The values of ``kind`` in :func:`mapping_to_2024`."""

_VERSION_GLOB = "kommuneinndeling-*.json"
_CHANGES_FILE = "klass-131-changes-1971-2025.json"


class KlassDataError(RuntimeError):
    """The KLASS 131 files contradict themselves or this module's assumptions."""


# --------------------------------------------------------------------------------------------
# Counties
# --------------------------------------------------------------------------------------------


def counties() -> list[County]:
    """Return the 15 counties of 2024 in code order.

    Returns:
        A new list of :class:`County` objects (the objects themselves are immutable).
    """
    return [COUNTIES[c] for c in sorted(COUNTIES)]


def county_name(code: str, official: bool = False) -> str:
    """Return the name of a county: a 2024 county, or an abolished one with its period.

    Args:
        code: Two-digit county code, e.g. ``"46"`` or ``"30"``.
        official: Return the official (multilingual) name of a 2024 county,
            e.g. ``"Troms - Romsa - Tromssa"`` instead of ``"Troms"``.

    Returns:
        The name, e.g. ``"Vestland"`` or ``"Viken (2020–2023)"``.

    Raises:
        ValueError: *code* is neither a 2024 county nor an abolished county.
    """
    if code in COUNTIES:
        county = COUNTIES[code]
        return county.official_name if official else county.name
    if code in ABOLISHED_COUNTIES:
        return ABOLISHED_COUNTIES[code][0]
    raise ValueError(
        f"unknown county code {code!r}: 2024 counties are {', '.join(sorted(COUNTIES))}; "
        f"abolished counties are {', '.join(sorted(ABOLISHED_COUNTIES))}"
    )


def county_by_slug(slug: str) -> County:
    """Return the 2024 county with this slug (as in the parameter file names, e.g. ``"vestland"``).

    Args:
        slug: Lower-case ASCII slug, e.g. ``"more-og-romsdal"``.

    Returns:
        The :class:`County`.

    Raises:
        ValueError: No county has this slug.
    """
    for county in COUNTIES.values():
        if county.slug == slug:
            return county
    valid = ", ".join(c.slug for c in counties())
    raise ValueError(f"unknown county slug {slug!r}; valid slugs: {valid}")


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
    for version in sorted(_versions(), reverse=True):
        members = [m for m in _version_items(version) if m[:2] == code]
        if members:
            lookup = _lookup(_version_start_year(version))
            return tuple(sorted({lookup[m][0] for m in members}))
    raise ValueError(
        f"county {code!r} has no municipalities in any bundled KLASS 131 version "
        f"({FIRST_YEAR}–{LAST_YEAR})"
    )


# --------------------------------------------------------------------------------------------
# KLASS 131 files
# --------------------------------------------------------------------------------------------


def _klass_dir() -> Path:
    return paths.KLASS / "131"


def _read_json(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError as exc:
        raise KlassDataError(f"KLASS 131 file missing: {path}") from exc


@lru_cache(maxsize=1)
def _versions() -> dict[int, tuple[date, date | None]]:
    """Bundled versions: file year → (validFrom, validTo or None)."""
    out: dict[int, tuple[date, date | None]] = {}
    for path in sorted(_klass_dir().glob(_VERSION_GLOB)):
        meta = _load_version(path.name)
        out[int(path.stem.rsplit("-", 1)[1])] = meta[0]
    if not out:
        raise KlassDataError(f"no KLASS 131 versions ({_VERSION_GLOB}) in {_klass_dir()}")
    return out


@lru_cache(maxsize=16)
def _load_version(filename: str) -> tuple[tuple[date, date | None], dict[str, str]]:
    """Parse one version file: ((validFrom, validTo), {code: name}) without ``9999``."""
    raw = _read_json(_klass_dir() / filename)
    valid_to = raw.get("validTo")
    validity = (
        date.fromisoformat(raw["validFrom"]),
        date.fromisoformat(valid_to) if valid_to else None,
    )
    items: dict[str, str] = {}
    for item in raw["classificationItems"]:
        code = str(item["code"])
        if code == UNKNOWN_CODE:
            continue
        if len(code) != 4 or not code.isdigit():
            raise KlassDataError(f"{filename}: unexpected municipality code {code!r}")
        items[code] = item["name"]
    return validity, dict(sorted(items.items()))


def _version_items(version: int) -> dict[str, str]:
    return _load_version(f"kommuneinndeling-{version}.json")[1]


def _version_start_year(version: int) -> int:
    return _versions()[version][0].year


def _check_year(year: int) -> None:
    if isinstance(year, bool) or not isinstance(year, int | np.integer):
        raise TypeError(f"year must be an int, got {year!r}")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(
            f"year {year} is outside the bundled KLASS 131 range {FIRST_YEAR}–{LAST_YEAR}"
        )


def klass_version(year: int) -> int:
    """Return which bundled KLASS 131 version (its file year) is valid on 1 January *year*.

    Args:
        year: 2017–2025.

    Returns:
        The version's year, e.g. ``2020`` for 2021 and ``2024`` for 2025.

    Raises:
        ValueError: *year* is outside 2017–2025 or no bundled version covers it.
    """
    _check_year(year)
    day = date(int(year), 1, 1)
    hits = [
        v for v, (start, end) in _versions().items() if start <= day and (end is None or day < end)
    ]
    if len(hits) != 1:
        raise KlassDataError(f"{len(hits)} bundled KLASS 131 versions valid on {day}: {hits}")
    return hits[0]


def _names(year: int) -> dict[str, str]:
    return _version_items(klass_version(year))


@lru_cache(maxsize=1)
def _changes() -> tuple[tuple[str, str, str, str, date], ...]:
    """All KLASS 131 code changes as (old_code, old_name, new_code, new_name, date)."""
    raw = _read_json(_klass_dir() / _CHANGES_FILE)["codeChanges"]
    rows = []
    for r in raw:
        if not r.get("oldCode") or not r.get("newCode"):
            # KLASS: no oldCode = code created, no newCode = code ceased. None since 2017.
            raise KlassDataError(f"code change without old or new code: {r}")
        rows.append(
            (
                str(r["oldCode"]),
                r["oldName"],
                str(r["newCode"]),
                r["newName"],
                date.fromisoformat(r["changeOccurred"]),
            )
        )
    return tuple(sorted(rows, key=lambda r: (r[4], r[0], r[2])))


def municipalities(year: int) -> pd.DataFrame:
    """Return the municipalities valid on 1 January *year* (KLASS 131, without ``9999``).

    Args:
        year: 2017–2025 (2021 uses the 2020 version, 2025 the 2024 version).

    Returns:
        A new frame with columns ``code`` (4-digit str) and ``name``, sorted by code.

    Raises:
        ValueError: *year* is outside 2017–2025.
    """
    names = _names(year)
    return pd.DataFrame(
        {"code": list(names), "name": list(names.values())}, dtype=object
    ).reset_index(drop=True)


def code_changes() -> pd.DataFrame:
    """Return KLASS 131's code changes (all 1972–2024 records, name-only changes included).

    A split is several rows with the same ``old_code``, a merge several rows with the same
    ``new_code``; a name change has ``old_code == new_code``.

    Returns:
        A new frame with columns ``old_code``, ``old_name``, ``new_code``, ``new_name`` and
        ``date`` (``datetime64``, the ``changeOccurred`` day), sorted by date and codes.
    """
    df = pd.DataFrame(
        list(_changes()), columns=["old_code", "old_name", "new_code", "new_name", "date"]
    ).astype({c: object for c in ["old_code", "old_name", "new_code", "new_name"]})
    df["date"] = pd.to_datetime(df["date"])
    return df


# --------------------------------------------------------------------------------------------
# Mapping to 2024
# --------------------------------------------------------------------------------------------


def _forward(year: int) -> tuple[dict[str, frozenset[str]], dict[str, int]]:
    """Follow the code changes from 1 January *year* to 2024-01-01.

    Returns (code → set of 2024 codes, code → year of the latest split in its chain or 0).
    Each step is checked: the changes of a date may only name codes valid just before it, and
    applying them to the codes valid before it must give exactly the codes valid on it.
    """
    start = date(int(year), 1, 1)
    by_date: dict[date, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for old, _, new, _, day in _changes():
        if start < day <= TARGET_DATE:
            by_date[day][old].add(new)
    current: dict[str, frozenset[str]] = {c: frozenset([c]) for c in _names(year)}
    split_year: dict[str, int] = dict.fromkeys(current, 0)
    valid_before = set(_names(year))
    for day in sorted(by_date):
        steps = by_date[day]
        unknown = sorted(set(steps) - valid_before)
        if unknown:
            raise KlassDataError(f"changes on {day} name codes not valid before it: {unknown}")
        for code, now in current.items():
            nxt: set[str] = set()
            for c in now:
                targets = steps.get(c, {c})
                if len(targets) > 1:
                    split_year[code] = day.year
                nxt |= targets
            current[code] = frozenset(nxt)
        valid_now = set(_names(day.year))
        produced = set().union(*(steps.get(c, {c}) for c in valid_before))
        if produced != valid_now:
            raise KlassDataError(
                f"applying the {day} changes does not give KLASS version {klass_version(day.year)}: "
                f"extra {sorted(produced - valid_now)}, missing {sorted(valid_now - produced)}"
            )
        valid_before = valid_now
    if year < TARGET_DATE.year and valid_before != set(_names(TARGET_DATE.year)):
        raise KlassDataError(f"the change chain from {year} does not end in the 2024 division")
    return current, split_year


def _join_names(names: Sequence[str]) -> str:
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} og {names[-1]}"


@lru_cache(maxsize=16)
def _mapping_frame(year: int) -> pd.DataFrame:
    """Build the cached mapping of :func:`mapping_to_2024` (never hand it out uncopied)."""
    names = _names(year)
    names_2024 = _version_items(klass_version(TARGET_DATE.year))
    successors, split_year = _forward(year)

    # County check: a split must never cross a 2024 county border.
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

    # Predecessors of each 2024 municipality among the codes of `year`.
    preds: dict[str, set[str]] = defaultdict(set)
    for code, succ in successors.items():
        for s in succ:
            preds[s].add(code)

    # Combined units: connected components of the code-of-year <-> 2024-code graph.
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

    rows = []
    for code, name in names.items():
        succ = tuple(sorted(successors[code]))
        if len(succ) > 1:
            kind, target = "split", None
        elif len(preds[succ[0]]) > 1:
            kind, target = "merged", succ[0]
        elif succ[0] != code:
            kind, target = "renumbered", succ[0]
        else:
            kind, target = "unchanged", succ[0]
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


# --------------------------------------------------------------------------------------------
# Aggregation
# --------------------------------------------------------------------------------------------


def _has_symbol(s: object) -> bool:
    return isinstance(s, str) and s != ""


def _aggregate(
    df: pd.DataFrame,
    year: int,
    target: Mapping[str, str],
    labels: Mapping[str, str],
    what: str,
    region: str,
    by: str | Iterable[str],
    value: str,
    status: str,
    complete: bool,
    name: str | None,
) -> pd.DataFrame:
    by_cols = [by] if isinstance(by, str) else list(by)
    needed = [region, value, *by_cols]
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise KeyError(f"columns {missing} not in the frame (columns: {list(df.columns)})")
    clash = {region, value, status, name} & set(by_cols)
    if clash:
        raise ValueError(f"'by' must not contain the region/value/status/name columns: {clash}")

    codes = df[region]
    if isinstance(codes.dtype, pd.StringDtype):
        not_str = codes[codes.isna()]
    else:
        not_str = codes[~codes.map(lambda x: isinstance(x, str))]
    if len(not_str):
        raise TypeError(
            f"region codes in column {region!r} must be strings like '0301'; "
            f"got {not_str.iloc[0]!r} ({type(not_str.iloc[0]).__name__})"
        )
    known = codes.isin(list(target))
    values = pd.to_numeric(df[value], errors="raise")
    stray = ~known & values.notna() & values.ne(0)
    if stray.any():
        bad = sorted(set(codes[stray]))
        raise ValueError(
            f"region codes {bad[:10]}{' …' if len(bad) > 10 else ''} are not municipalities "
            f"valid on 1 January {year} (KLASS 131, Kommuneinndeling {klass_version(year)}) "
            f"and have non-zero values; only such rows with 0 or NaN (Svalbard, sokkel, "
            f"'Rest', '9999') are dropped. Filter them out or use the right year."
        )

    work = df.loc[known, [*by_cols, region, value]].copy()
    work[value] = values[known].astype(float)
    if status in df.columns:
        stat = df.loc[known, status].astype(object)
        stat = stat.where(stat.map(_has_symbol), None)
    else:
        stat = pd.Series(None, index=work.index, dtype=object)
    # A NaN without a symbol is missing data: never let it vanish from a sum.
    stat = stat.mask(work[value].isna() & stat.isna(), "..")
    work[status] = stat.astype(object)
    work["_target"] = work[region].map(target)

    if complete and len(work):
        expected: dict[str, int] = defaultdict(int)
        for t in target.values():
            expected[t] += 1
        keys = [*by_cols, "_target"]
        present = work.groupby(keys, sort=True, dropna=False)[region].nunique()
        want = present.index.get_level_values("_target").map(expected)
        short = present[present.to_numpy() != np.asarray(want)]
        if len(short):
            key = short.index[0]
            unit = key[-1] if isinstance(key, tuple) else key
            members = sorted(c for c, t in target.items() if t == unit)
            mask = work["_target"].eq(unit)
            for col, v in zip(by_cols, key[:-1] if isinstance(key, tuple) else (), strict=False):
                mask &= work[col].eq(v) if not pd.isna(v) else work[col].isna()
            lacking = sorted(set(members) - set(work.loc[mask, region]))
            where = f" in group {dict(zip(by_cols, key[:-1], strict=False))}" if by_cols else ""
            raise ValueError(
                f"incomplete input for {what} {unit!r}{where}: municipalities {lacking} of "
                f"{year} are missing ({len(short)} incomplete groups in all). A partial sum "
                f"would look like a total; pass complete=False to sum what is there."
            )

    out = group_sum(
        work.drop(columns=[region]).rename(columns={"_target": region}),
        by=[*by_cols, region],
        value=value,
        status=status,
    )
    if name is not None:
        out.insert(out.columns.get_loc(region) + 1, name, out[region].map(labels).astype(object))
    return out


def aggregate_to_counties(
    df: pd.DataFrame,
    year: int,
    region: str = "region",
    by: str | Iterable[str] = (),
    value: str = "value",
    status: str = "status",
    *,
    complete: bool = True,
    name: str | None = "name",
) -> pd.DataFrame:
    """Sum a municipality-level table (codes valid in *year*) to the 15 counties of 2024.

    Status symbols are carried by :func:`kunnskapsgrunnlag.status.group_sum`: a county with one
    ``:`` municipality is ``:`` (value NaN). A NaN value without a symbol counts as ``..``.
    Municipalities that changed county are counted in their 2024 county (Halsa 1571 in 2019 →
    50 Trøndelag); the totals are exact because every split stayed inside one county.

    Args:
        df: Tidy frame with one row per municipality (and per *by* category).
        year: The year whose municipality division the codes in *region* belong to (2017–2025).
        region: Column with 4-digit municipality codes (str).
        by: Further columns to keep (e.g. ``["year", "sex"]``); everything else is summed over.
        value: Numeric column to sum.
        status: Column with SSB symbols (``None`` for plain cells); may be absent.
        complete: Raise if a county in a *by* group lacks some of its municipalities, since the
            partial sum would look like a county total.
        name: Column for the county name (``None`` for no name column).

    Returns:
        A new frame with columns ``by + [region, name, value, status]``; *region* holds the
        two-digit 2024 county codes.

    Raises:
        ValueError: A row's region is not a municipality of *year* and its value is neither 0
            nor NaN (e.g. a county or Norway row left in), or the input is incomplete.
        TypeError: Region codes are not strings.
        KeyError: A named column is missing.
    """
    _check_year(year)
    lookup = _lookup(int(year))
    target = {c: v[0] for c, v in lookup.items()}
    labels = {c: county.name for c, county in COUNTIES.items()}
    return _aggregate(
        df, int(year), target, labels, "county", region, by, value, status, complete, name
    )


def aggregate_to_municipalities_2024(
    df: pd.DataFrame,
    year: int,
    region: str = "region",
    by: str | Iterable[str] = (),
    value: str = "value",
    status: str = "status",
    *,
    complete: bool = True,
    name: str | None = "name",
) -> pd.DataFrame:
    """Sum a municipality-level table (codes valid in *year*) to 2024 municipalities.

    Merged and renumbered municipalities are summed into their 2024 municipality. Where a
    municipality was later split, nothing is apportioned: it and every municipality of *year*
    sharing a successor with it form one combined unit, e.g. ``"1508+1580"`` named
    ``"Ålesund og Haram (samla før 2024)"`` (see :func:`split_units`). Symbols are carried as in
    :func:`aggregate_to_counties`.

    Args:
        df: Tidy frame with one row per municipality (and per *by* category).
        year: The year whose municipality division the codes in *region* belong to (2017–2025).
        region: Column with 4-digit municipality codes (str).
        by: Further columns to keep; everything else is summed over.
        value: Numeric column to sum.
        status: Column with SSB symbols (``None`` for plain cells); may be absent.
        complete: Raise if a 2024 municipality or combined unit in a *by* group lacks some of
            its municipalities of *year*.
        name: Column for the 2024 (or combined unit) name (``None`` for no name column).

    Returns:
        A new frame with columns ``by + [region, name, value, status]``; *region* holds 2024
        municipality codes or ``+``-joined combined-unit codes.

    Raises:
        ValueError: As in :func:`aggregate_to_counties`.
        TypeError: Region codes are not strings.
        KeyError: A named column is missing.
    """
    _check_year(year)
    frame = _mapping_frame(int(year))
    target = dict(zip(frame["code"], frame["unit_2024"], strict=True))
    labels = dict(zip(frame["unit_2024"], frame["unit_name_2024"], strict=False))
    return _aggregate(
        df,
        int(year),
        target,
        labels,
        "2024 municipality",
        region,
        by,
        value,
        status,
        complete,
        name,
    )


def check_county(code: str) -> None:
    """Raise ``ValueError`` unless *code* is a two-digit county code of the 2024 division."""
    if code not in COUNTIES:
        raise ValueError(f"{code!r} is not a 2024 county code; valid codes: {', '.join(COUNTIES)}")


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
        codes = [c for c in codes if c != "03"]
    return codes
