"""The indicator registry and what flows from it: series, ``indicators.csv``, definitions.

``registry``/``get`` read ``indicators.yaml`` (no pandas needed); ``series``, ``write_csv`` and
``collect_rows`` load pandas when first used. The package's names ``registry`` and ``series`` are
the functions; the submodules of the same names are in ``sys.modules``.
"""

from __future__ import annotations

from typing import Any

from kunnskapsgrunnlag.indicators.definitions import definitions_html
from kunnskapsgrunnlag.indicators.registry import (
    REGISTRY_FILE,
    ComparisonSet,
    Indicator,
    Lang,
    Polarity,
    RegistryError,
    Source,
    Text,
    for_chapter,
    get,
    load_registry,
    missing,
    registry,
)
from kunnskapsgrunnlag.indicators.series import SeriesError, series
from kunnskapsgrunnlag.indicators.spec import Notable, SeriesSpec

_LAZY = {
    "CSV_COLUMNS": "kunnskapsgrunnlag.indicators.csv",
    "SSB_SYMBOLS": "kunnskapsgrunnlag.indicators.csv",
    "AGGREGATE_CODE": "kunnskapsgrunnlag.indicators.csv",
    "IndicatorsCsvError": "kunnskapsgrunnlag.indicators.csv",
    "collect_rows": "kunnskapsgrunnlag.indicators.csv",
    "indicator_rows": "kunnskapsgrunnlag.indicators.csv",
    "region_code_kind": "kunnskapsgrunnlag.indicators.csv",
    "write_csv": "kunnskapsgrunnlag.indicators.csv",
}

__all__ = [
    "REGISTRY_FILE",
    "ComparisonSet",
    "Indicator",
    "Lang",
    "Notable",
    "Polarity",
    "RegistryError",
    "SeriesError",
    "SeriesSpec",
    "Source",
    "Text",
    "definitions_html",
    "for_chapter",
    "get",
    "load_registry",
    "missing",
    "registry",
    "series",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
