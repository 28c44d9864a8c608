"""One name per region: the name a reader sees for any region code of the reports.

:func:`region_name` names Norway (``"0"``), SSB's «Landet uten Oslo» (``"EAFKUO"``), the 2024
counties (and the abolished ones, with their period), the 2024 municipalities and the combined
units of split municipalities (``"1508+1580"``).
"""

from __future__ import annotations

from collections.abc import Sequence

from kunnskapsgrunnlag.regions import klass
from kunnskapsgrunnlag.regions.counties import ABOLISHED_COUNTIES, COUNTIES, county_name

NORWAY = "0"
"""SSB's region code for the whole country."""

NORWAY_NAME = "Hele landet"
"""SSB's own label for :data:`NORWAY` (bokmål; what the snapshot and ``indicators.csv`` carry)."""

NORWAY_NAME_NN = "Heile landet"
"""SSB's nynorsk label for :data:`NORWAY` (its nynorsk StatBank), for nynorsk reports."""

LANDET_UTEN_OSLO = "EAFKUO"
"""SSB's code for «Landet uten Oslo» (all counties but Oslo) in county-council KOSTRA tables."""

FYLKENE_SAMLET = "FYLKENE"
"""The sum of the counties (not an SSB code): the reference where «Hele landet» holds figures no
county has, such as the continental shelf in the regional accounts (SSB 11713)."""

LANGS: tuple[str, ...] = ("nb", "nn")
"""The written standards a name can be asked for."""

_NORWEGIAN_PART: dict[str, str] = {
    "1826": "Hattfjelldal",
    "1833": "Rana",
    "1841": "Fauske",
    "1845": "Sørfold",
    "1853": "Evenes",
    "1870": "Sortland",
    "1875": "Hamarøy",
    "5001": "Trondheim",
    "5007": "Namsos",
    "5025": "Røros",
    "5037": "Levanger",
    "5041": "Snåsa",
    "5043": "Røyrvik",
    "5503": "Harstad",
    "5512": "Tjeldsund",
    "5516": "Gratangen",
    "5518": "Lavangen",
    "5538": "Storfjord",
    "5540": "Kåfjord",
    "5544": "Nordreisa",
    "5603": "Hammerfest",
    "5610": "Karasjok",
    "5612": "Kautokeino",
    "5622": "Porsanger",
    "5628": "Tana",
    "5636": "Nesseby",
}
"""The Norwegian part of each multilingual 2024 KLASS name (``"Rana - Raane"`` → ``"Rana"``).

Listed, not guessed: the order of the parts varies (``"Dielddanuorri - Tjeldsund"``) and a Sami
or Kven name need not carry a diacritic (``"Raane"``, ``"Tråante"``). :func:`municipality_name`
checks each entry against the KLASS name, and a multilingual name missing here is an error.
"""


def _join_names(names: Sequence[str]) -> str:
    """Join names as Norwegian prose: ``"Ålesund og Haram"``, ``"Heim, Hitra og Orkland"``."""
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} og {names[-1]}"


def _municipalities_2024() -> dict[str, str]:
    return klass._names(klass.TARGET_DATE.year)


def municipality_name(code: str) -> str:
    """Return the 2024 name of a 2024 municipality, the Norwegian part of a multilingual name.

    Args:
        code: Four-digit municipality code of the 2024 division, e.g. ``"1833"``.

    Returns:
        The name, e.g. ``"Rana"`` (KLASS: ``"Rana - Raane"``) or ``"Bergen"``.

    Raises:
        ValueError: *code* is not a municipality of the 2024 division.
        KlassDataError: A multilingual KLASS name has no (or a wrong) entry in the list of
            Norwegian parts.
    """
    name = _municipalities_2024().get(code)
    if name is None:
        raise ValueError(f"{code!r} is not a municipality code of the 2024 division (KLASS 131)")
    if " - " not in name:
        return name
    plain = _NORWEGIAN_PART.get(code)
    if plain is None or plain not in name.split(" - "):
        raise klass.KlassDataError(
            f"no Norwegian part listed for the multilingual 2024 name {code} {name!r}"
        )
    return plain


def _combined_name(code: str) -> str | None:
    """Name of a combined unit such as ``"1508+1580"``; ``None`` if *code* is not one."""
    parts = code.split("+")
    known = _municipalities_2024()
    if len(parts) < 2 or len(set(parts)) != len(parts) or not all(p in known for p in parts):
        return None
    return _join_names([municipality_name(p) for p in parts])


def region_name(code: str, lang: str = "nb") -> str:
    """Return the name a reader sees for a region code, in nb or nn.

    Args:
        code: ``"0"`` (Norway), ``"EAFKUO"`` (Landet uten Oslo), a two-digit county code (2024
            or abolished), a four-digit 2024 municipality code, or a combined unit of 2024
            municipalities joined with ``+`` (``"1508+1580"``).
        lang: ``"nb"`` or ``"nn"``.

    Returns:
        ``"Hele landet"`` / ``"Heile landet"`` (SSB's labels), ``"Landet uten Oslo"`` /
        ``"Landet utanom Oslo"``, the county name (``"Vestland"``, ``"Viken (2020–2023)"``), the
        municipality's 2024 name (Norwegian part, ``"Rana"``) or the joined names of a combined
        unit (``"Ålesund og Haram"``).

    Raises:
        ValueError: *code* is none of these, or *lang* is neither ``"nb"`` nor ``"nn"``.
        TypeError: *code* is not a str.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be 'nb' or 'nn', got {lang!r}")
    if not isinstance(code, str):
        raise TypeError(f"a region code is a str such as '46', got {code!r}")
    if code == NORWAY:
        return NORWAY_NAME_NN if lang == "nn" else NORWAY_NAME
    if code == LANDET_UTEN_OSLO:
        return "Landet utanom Oslo" if lang == "nn" else "Landet uten Oslo"
    if code == FYLKENE_SAMLET:
        return "Fylka samla" if lang == "nn" else "Fylkene samlet"
    if code in COUNTIES or code in ABOLISHED_COUNTIES:
        return county_name(code)
    if code in _municipalities_2024():
        return municipality_name(code)
    combined = _combined_name(code) if "+" in code else None
    if combined is None:
        raise ValueError(
            f"unknown region code {code!r}: not {NORWAY!r} (Norway), {LANDET_UTEN_OSLO!r}, a "
            f"county, a 2024 municipality or a '+'-joined unit of 2024 municipalities"
        )
    return combined
