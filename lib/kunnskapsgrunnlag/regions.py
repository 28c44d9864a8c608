"""Regions: the 15 counties of 2024 and municipalities across the 2018/2020/2024 reforms.

(First part: county constants. Municipality mapping follows below.)
"""

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

NORWAY = "0"
"""SSB's region code for the whole country."""

# Counties that no longer exist, with the 2024 counties that now cover their area.
ABOLISHED_COUNTIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "01": ("Østfold (til 2019)", ("31", "32")),
    "02": ("Akershus (til 2019)", ("32",)),
    "04": ("Hedmark (til 2019)", ("34",)),
    "05": ("Oppland (til 2019)", ("34", "32", "33")),
    "06": ("Buskerud (til 2019)", ("33", "32")),
    "07": ("Vestfold (til 2019)", ("39", "40")),
    "08": ("Telemark (til 2019)", ("40",)),
    "09": ("Aust-Agder (til 2019)", ("42",)),
    "10": ("Vest-Agder (til 2019)", ("42",)),
    "12": ("Hordaland (til 2019)", ("46",)),
    "14": ("Sogn og Fjordane (til 2019)", ("46", "15")),
    "16": ("Sør-Trøndelag (til 2017)", ("50",)),
    "17": ("Nord-Trøndelag (til 2017)", ("50",)),
    "19": ("Troms (til 2019)", ("55", "18")),
    "20": ("Finnmark (til 2019)", ("56",)),
    "30": ("Viken (2020–2023)", ("31", "32", "33")),
    "38": ("Vestfold og Telemark (2020–2023)", ("39", "40")),
    "54": ("Troms og Finnmark (2020–2023)", ("55", "56")),
}
