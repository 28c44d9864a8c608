"""The 15 counties (fylker) of the 2024 division and the counties abolished since 2017."""

from __future__ import annotations

from dataclasses import dataclass


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


def check_county(code: str) -> None:
    """Raise ``ValueError`` unless *code* is a two-digit county code of the 2024 division."""
    if code not in COUNTIES:
        raise ValueError(f"{code!r} is not a 2024 county code; valid codes: {', '.join(COUNTIES)}")
