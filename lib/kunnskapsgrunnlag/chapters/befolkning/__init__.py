"""Befolkning (population): what is special to the chapter; the rest is ``chapters.standard``.

Modules: :mod:`.data` (SSB 07459 loaded and harmonised to the 2024 division), :mod:`.measures`
(growth, age shares, the comparison set, the municipal table), :mod:`.provider` (the registry's
``series`` for the chapter's indicators), :mod:`.figures` and :mod:`.tables` (specs drawn by
``Chapter.figure``/``Chapter.table``), :mod:`.text` and :mod:`.notes` (key sentences, headline
figures and the chapter's own paragraphs). Every chapter function takes a ``CountyContext``.
"""

from kunnskapsgrunnlag.chapters.befolkning.data import (
    AGE_GROUPS,
    FIRST_YEAR,
    INDICATOR_IDS,
    LAST_YEAR,
    MUNICIPAL_YEARS,
    PYRAMID_BASE_YEAR,
    SHARE_INDICATORS,
    YEARS,
    county_age,
    county_population,
    municipal_population,
    pyramid,
)
from kunnskapsgrunnlag.chapters.befolkning.figures import (
    elderly_figure,
    growth_figure,
    map_figure,
    municipal_figures,
    pyramid_figure,
    ranking_figure,
)
from kunnskapsgrunnlag.chapters.befolkning.measures import (
    age_group_change,
    age_shares,
    aggregate_set,
    cache_clear,
    comparison_population,
    comparison_shares,
    county_growth,
    municipal_age_shares,
    municipal_table,
)
from kunnskapsgrunnlag.chapters.befolkning.provider import series
from kunnskapsgrunnlag.chapters.befolkning.tables import (
    age_share_table,
    municipal_table_spec,
    population_table,
)
from kunnskapsgrunnlag.chapters.befolkning.text import (
    BAROMETER_AGE,
    BAROMETER_GROWTH,
    USES,
    age_text,
    data_note,
    headline_figures,
    key_sentences,
    municipal_note,
)

__all__ = [
    "AGE_GROUPS", "BAROMETER_AGE", "BAROMETER_GROWTH", "FIRST_YEAR", "INDICATOR_IDS",
    "LAST_YEAR", "MUNICIPAL_YEARS", "PYRAMID_BASE_YEAR", "SHARE_INDICATORS", "USES", "YEARS",
    "age_group_change", "age_share_table", "age_shares", "age_text", "aggregate_set",
    "cache_clear", "comparison_population", "comparison_shares", "county_age", "county_growth",
    "county_population", "data_note", "elderly_figure", "growth_figure", "headline_figures",
    "key_sentences", "map_figure", "municipal_age_shares", "municipal_figures", "municipal_note",
    "municipal_population", "municipal_table", "municipal_table_spec", "population_table",
    "pyramid", "pyramid_figure", "ranking_figure", "series",
]  # fmt: skip
