"""Constants of the Framskriving projection: base years, windows, caps, measures, labels."""

from __future__ import annotations

TABLE = "07459"
"""SSB table the projection is built from."""

OFFICIAL_TABLE = "14288"
"""SSB's official regional population projections (live only)."""

OFFICIAL_SOURCE = "14288-framskriving"
"""Snapshot id of SSB's official projection (live-only in the bundled snapshot)."""

OFFICIAL_ALTERNATIVE = "MMMM"
"""SSB's main alternative (medium fertility, life expectancy, internal and net immigration)."""

BASE_YEARS: tuple[int, ...] = (2020, 2021, 2022)
"""Years (1 January) of the municipal single-year files the ratios come from."""

MUNICIPAL_SOURCES: dict[int, str] = {y: f"07459-kommuner-{y}" for y in BASE_YEARS}
"""Snapshot ids of the municipal files, by year."""

COUNTY_SOURCE = "07459-fylker-2023-2025"
"""Snapshot id of the real county file used for the backcast (10-year groups by sex)."""

JUMP_OFF_YEAR = 2022
"""The projection starts from the population on 1 January of this year."""

LAST_YEAR = 2040
"""Last projected year (1 January)."""

MAX_AGE = 105
"""Oldest single year; ``105`` is the open group 105+."""

WINDOWS: dict[str, tuple[tuple[int, int], ...]] = {
    "2020-2022": ((2020, 2021), (2021, 2022)),
    "2020-2021": ((2020, 2021),),
    "2021-2022": ((2021, 2022),),
}
"""Base windows: name → one-year intervals the ratios are pooled over."""

MAIN_WINDOW = "2020-2022"
"""The main alternative (both intervals)."""

SHRINKAGE_WEIGHT = 100.0
"""Pseudo-persons of the national ratio added to each county ratio (shrinkage toward Norway)."""

CCR_CAPS: tuple[tuple[int, float, float], ...] = ((1, 0.5, 1.5), (90, 0.0, 1.0))
"""(first age, lower cap, upper cap): ages 1–89 in [0.5, 1.5], 90+ in [0, 1] (no net gain)."""

MOTHER_AGES: tuple[int, int] = (15, 49)
"""Women of these ages (inclusive) at *t* are the denominator of the child–woman ratio."""

MEASURES: tuple[str, ...] = (
    "folkemengde",
    "0_15",
    "16_19",
    "20_66",
    "67_79",
    "80_og_eldre",
    "forsorgerbrok_eldre",
)
"""The measures of :func:`measures` (and, prefixed ``framskrevet_``, the indicator ids)."""

AGE_BANDS: dict[str, tuple[int, int]] = {
    "0_15": (0, 15),
    "16_19": (16, 19),
    "20_66": (20, 66),
    "67_79": (67, 79),
    "80_og_eldre": (80, MAX_AGE),
}
"""Age groups of the chapter (inclusive bounds; 105 = 105+)."""

BAND_LABELS: dict[str, dict[str, str]] = {
    "folkemengde": {"nb": "Folkemengde i alt", "nn": "Folketal i alt"},
    "0_15": {"nb": "0–15 år", "nn": "0–15 år"},
    "16_19": {"nb": "16–19 år", "nn": "16–19 år"},
    "20_66": {"nb": "20–66 år", "nn": "20–66 år"},
    "67_79": {"nb": "67–79 år", "nn": "67–79 år"},
    "80_og_eldre": {"nb": "80 år og eldre", "nn": "80 år og eldre"},
    "forsorgerbrok_eldre": {
        "nb": "Personer 67+ per 100 i alderen 20–66",
        "nn": "Personar 67+ per 100 i alderen 20–66",
    },
}
"""Reader-facing labels of the measures."""

BACKCAST_YEARS: tuple[int, ...] = (2023, 2024, 2025)
"""Years of the real county file the backcast is scored against."""

BACKCAST_GROUPS: tuple[str, ...] = (
    "0-9",
    "10-19",
    "20-29",
    "30-39",
    "40-49",
    "50-59",
    "60-69",
    "70-79",
    "80-89",
    "90+",
)
"""Age groups scored in the backcast: the county file's 10-year groups, 90–99 and 100+ joined
(the 100+ cells are a handful of persons in small counties, where one death is a 20 % error)."""

INDICATOR_PREFIX = "framskrevet_"

SOURCE_TEXT = "Kohortframskriving (Hamilton–Perry), basisår 2020–2022, SSB tabell 07459"
"""The csv ``source`` of the projected indicators (must equal the registry's ``source.text``)."""


class ProjectionDataError(RuntimeError):
    """The input population cannot be projected (symbols, gaps or negative counts)."""
