"""Constants of the Framskriving projection: base years, windows, caps, measures, labels."""

from __future__ import annotations

from kunnskapsgrunnlag.chapters.befolkning.data import AGE_GROUPS

TABLE = "07459"
"""SSB table the projection is built from."""

OFFICIAL_TABLE = "14746"
"""Default official table on the live path: SSB's 2026 round (parameter ``official_table``)."""

OFFICIAL_SOURCES: dict[str, str] = {"14746": "14746-framskriving", "14288": "14288-framskriving"}
"""Official table → live snapshot id (full shape: alternatives, sex, age, year)."""

OFFICIAL_SOURCE = "14288-fylker-2050"
"""The bundled official figures: SSB 14288 (2024 round), MMMM, the counties in 2024 and 2050."""

OFFICIAL_BUNDLED_TABLE = "14288"

OFFICIAL_ALTERNATIVE = "MMMM"
"""SSB's main alternative (medium fertility, life expectancy, internal and net immigration)."""

OFFICIAL_TOLERANCE_PCT = 5.0
"""Where our 2050 total differs from SSB's by more, SSB's figure is the chapter's main line."""

COUNTY_SOURCE = "07459-b2024-fylker"
"""Snapshot id of Norway and the counties by sex × single age, 2010–2026, on the 2024 borders."""

MUNICIPAL_SOURCE = "07459-b2024-kommuner-2026"
"""Snapshot id of the 357 municipalities by sex × single age on 1 January 2026."""

FIRST_DATA_YEAR, LAST_DATA_YEAR = 2010, 2026
"""Years of the county file; before 2024 the figures are FHI's re-districting (derived)."""

DERIVED_BEFORE = 2024
"""Years before this are derived (re-districted to the 2024 borders by FHI)."""

JUMP_OFF_YEAR = 2026
"""The projection starts from the population on 1 January of this year."""

LAST_YEAR = 2050
"""Last projected year (1 January)."""

BASE_YEARS: tuple[int, ...] = tuple(range(2016, 2027))
"""The main method's base period (ten one-year intervals), shown as the observed line."""

MUNICIPAL_SOURCES: dict[int, str] = {JUMP_OFF_YEAR: MUNICIPAL_SOURCE}
"""Snapshot ids of the municipal files, by year (the jump-off population only)."""

MAX_AGE = 105
"""Oldest single year; ``105`` is the open group 105+."""

CANDIDATES: dict[str, dict[str, object]] = {
    "kort": {"kind": "ratios", "intervals": 2, "damp": 1.0},
    "lang": {"kind": "ratios", "intervals": 10, "damp": 1.0},
    "dempet": {"kind": "ratios", "intervals": 10, "damp": 0.5},
    "flytting": {"kind": "migration", "intervals": 10, "share": 0.5},
}
"""The candidate methods, each backcast (:mod:`.backcast`) and compared with SSB:

* ``kort``: each county's own cohort ratios over the last two intervals;
* ``lang``: the same over the last ten intervals;
* ``dempet``: ten intervals, the county's deviation from Norway's ratio halved;
* ``flytting``: Norway's ratios over ten intervals for everyone, plus half the county's own
  net gain beyond them (its net migration, in persons per year and cohort, not as a rate).
"""

CANDIDATE_LABELS: dict[str, dict[str, str]] = {
    "kort": {"nb": "Kort basisperiode (2 år)", "nn": "Kort basisperiode (2 år)"},
    "lang": {"nb": "Lang basisperiode (10 år)", "nn": "Lang basisperiode (10 år)"},
    "dempet": {"nb": "10 år, fylkets avvik fra landet halvert",
               "nn": "10 år, avviket frå landet halvert"},
    "flytting": {"nb": "10 år, landets rater og halve nettoflyttingen",
                 "nn": "10 år, ratane for landet og halve nettoflyttinga"},
}  # fmt: skip

MAIN_METHOD = "dempet"
"""The method the chapter uses, chosen on the backcast and SSB comparison (see
:func:`.backcast.choose_method`, which a test checks gives this name)."""

WINDOWS = CANDIDATES
MAIN_WINDOW = MAIN_METHOD
"""Old names (the band is spanned by the candidates)."""

BACKCAST_JUMP_OFF = 2020
"""Jump-off of the backcast: ratios from the years up to it, scored on the years after."""

NAIVE_YEARS: tuple[int, ...] = (5, 10)
"""Naive baselines: the total's (or cell's) average growth over the last 5 or 10 years."""

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

BACKCAST_YEARS: tuple[int, ...] = tuple(range(BACKCAST_JUMP_OFF + 1, LAST_DATA_YEAR + 1))
"""Years the backcast is scored against (real figures; before 2024 re-districted)."""

BACKCAST_GROUPS: tuple[str, ...] = (*AGE_GROUPS[:-2], "90+")
"""Age groups scored in the backcast: the county file's 10-year groups, 90–99 and 100+ joined
(the 100+ cells are a handful of persons in small counties, where one death is a 20 % error)."""

INDICATOR_PREFIX = "framskrevet_"

SOURCE_TEXT = "Kohortframskriving, basisperiode 2016–2026, startår 2026, SSB tabell 07459"
"""The csv ``source`` of the projected indicators (must equal the registry's ``source.text``)."""


class ProjectionDataError(RuntimeError):
    """The input population cannot be projected (symbols, gaps or negative counts)."""
