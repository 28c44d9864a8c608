"""kunnskapsgrunnlag: the shared library of the counties' regional knowledge base.

Chapter notebooks import this package; ``kg`` (see :mod:`kunnskapsgrunnlag.cli`) runs the batch.
The library is in layers, imports pointing down only (``docs/architecture.md``)::

    paths status formatting text contents        base
    regions/                                     counties, KLASS, aggregation, one name per region
    data/                                        SSB's API, JSON-stat, the bundled snapshot
    params context                               the county's parameters, validated once
    indicators/                                  the registry, series, indicators.csv
    analysis/                                    compare, trend, phrase bank, barometer
    charts/                                      figure and table specs, drawn once
    chapters/                                    standard exhibits + what is special per chapter
    publish/                                     Chapter, the report and portal, kg run
    cli bench lab

The names below are the flat public face: ``from kunnskapsgrunnlag import Chapter, CountyContext,
compare``. They load lazily, so ``import kunnskapsgrunnlag`` stays light.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("kunnskapsgrunnlag")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

_FACE: dict[str, str] = {
    "Chapter": "kunnskapsgrunnlag.publish.chapter",
    "CountyContext": "kunnskapsgrunnlag.context",
    "T": "kunnskapsgrunnlag.text",
    "compare": "kunnskapsgrunnlag.analysis.compare",
    "Comparison": "kunnskapsgrunnlag.analysis.compare",
    "trend": "kunnskapsgrunnlag.analysis.trend",
    "Trend": "kunnskapsgrunnlag.analysis.trend",
    "BarometerRow": "kunnskapsgrunnlag.analysis.barometer",
    "series": "kunnskapsgrunnlag.indicators",
    "registry": "kunnskapsgrunnlag.indicators",
    "FigureSpec": "kunnskapsgrunnlag.charts.spec",
    "TableSpec": "kunnskapsgrunnlag.charts.table",
    "Column": "kunnskapsgrunnlag.charts.table",
    "region_name": "kunnskapsgrunnlag.regions",
    "COUNTIES": "kunnskapsgrunnlag.regions",
}

__all__ = ["__version__", *_FACE]


def __getattr__(name: str) -> Any:
    if name in _FACE:
        return getattr(importlib.import_module(_FACE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
