"""The Framskriving chapter: an open cohort projection of every county from 2026 to 2050.

The method is specific to this chapter and lives here, split by step: :mod:`.constants`,
:mod:`.base` (the harmonised base population), :mod:`.method` (ratios, projection, measures,
band), :mod:`.backcast` (every candidate from 2020 against the real 2021–2026 figures),
:mod:`.official` (SSB's projection: 14288 bundled, 14746 live) and :mod:`.provider` (the registry provider ``series``). Its presentation
is generic: :mod:`.figures` and :mod:`.tables` return ``FigureSpec``/``TableSpec``, and
:mod:`.sentences` says generic facts through :mod:`kunnskapsgrunnlag.analysis.sentences`.
See ``docs/framskriving.md``.
"""

from __future__ import annotations

from kunnskapsgrunnlag.chapters.framskriving.backcast import (
    backcast,
    backcast_table,
    candidates_table,
    choose_method,
    observed_totals,
)
from kunnskapsgrunnlag.chapters.framskriving.base import base_population
from kunnskapsgrunnlag.chapters.framskriving.constants import (
    AGE_BANDS,
    BACKCAST_GROUPS,
    BACKCAST_JUMP_OFF,
    BACKCAST_YEARS,
    BAND_LABELS,
    BASE_YEARS,
    CANDIDATE_LABELS,
    CANDIDATES,
    CCR_CAPS,
    COUNTY_SOURCE,
    INDICATOR_PREFIX,
    JUMP_OFF_YEAR,
    LAST_YEAR,
    MAIN_METHOD,
    MAIN_WINDOW,
    MAX_AGE,
    MEASURES,
    MOTHER_AGES,
    MUNICIPAL_SOURCES,
    OFFICIAL_ALTERNATIVE,
    OFFICIAL_SOURCE,
    OFFICIAL_SOURCES,
    OFFICIAL_TABLE,
    OFFICIAL_TOLERANCE_PCT,
    SHRINKAGE_WEIGHT,
    SOURCE_TEXT,
    TABLE,
    WINDOWS,
    ProjectionDataError,
)
from kunnskapsgrunnlag.chapters.framskriving.facts import CountyOutlook, county_outlook
from kunnskapsgrunnlag.chapters.framskriving.figures import (
    figure_dependency,
    figure_groups,
    figure_total,
    source_line,
)
from kunnskapsgrunnlag.chapters.framskriving.method import (
    band,
    cohort_ratios,
    measures,
    project_counties,
    project_municipalities,
)
from kunnskapsgrunnlag.chapters.framskriving.official import (
    compare_official,
    figure_official,
    official_2050,
    official_comparison_display,
    official_projection,
    official_sentence,
    official_source_line,
    outside_tolerance,
)
from kunnskapsgrunnlag.chapters.framskriving.provider import (
    BAROMETER_IDS,
    DERIVED,
    OFFICIAL_ID,
    series,
)
from kunnskapsgrunnlag.chapters.framskriving.sentences import (
    key_sentences,
    service_sentences,
    targets_sentence,
)
from kunnskapsgrunnlag.chapters.framskriving.tables import (
    backcast_display,
    backcast_groups_display,
    candidates_official_display,
    summary_table,
)

__all__ = [
    "AGE_BANDS", "BACKCAST_GROUPS", "BACKCAST_JUMP_OFF", "BACKCAST_YEARS", "BAND_LABELS",
    "BAROMETER_IDS", "BASE_YEARS", "CANDIDATES", "CANDIDATE_LABELS", "CCR_CAPS", "COUNTY_SOURCE",
    "DERIVED", "INDICATOR_PREFIX", "JUMP_OFF_YEAR", "LAST_YEAR", "MAIN_METHOD", "MAIN_WINDOW",
    "MAX_AGE", "MEASURES", "MOTHER_AGES", "MUNICIPAL_SOURCES", "OFFICIAL_ALTERNATIVE",
    "OFFICIAL_ID", "OFFICIAL_SOURCE", "OFFICIAL_SOURCES", "OFFICIAL_TABLE",
    "OFFICIAL_TOLERANCE_PCT", "SHRINKAGE_WEIGHT", "SOURCE_TEXT", "TABLE", "WINDOWS",
    "CountyOutlook", "ProjectionDataError", "backcast", "backcast_display",
    "backcast_groups_display", "backcast_table", "band", "base_population", "candidates_table",
    "candidates_official_display", "choose_method", "cohort_ratios", "compare_official",
    "county_outlook", "figure_dependency", "figure_groups", "figure_official", "figure_total",
    "key_sentences", "measures", "observed_totals", "official_2050",
    "official_comparison_display", "official_projection", "official_sentence",
    "official_source_line", "outside_tolerance", "project_counties", "project_municipalities",
    "series", "service_sentences", "source_line", "summary_table", "targets_sentence",
]  # fmt: skip
