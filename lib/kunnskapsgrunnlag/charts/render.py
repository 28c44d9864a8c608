"""Draw a :class:`~.spec.FigureSpec`: a registry of chart kinds, one drawing function each.

``render(spec)`` returns a matplotlib Figure laid out in house style; ``png(spec)`` its bytes.
A kind registers itself with ``@kind("name")``; the standard kinds are imported on first use
(``lines``, ``ranking``, ``pyramid``, ``map``), so a chapter can add its own without editing here.
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from kunnskapsgrunnlag.charts.spec import FigureSpec

_KINDS: dict[str, Callable[[FigureSpec], Figure]] = {}
_STANDARD = {
    "lines": "kunnskapsgrunnlag.charts.lines",
    "ranking": "kunnskapsgrunnlag.charts.bars",
    "pyramid": "kunnskapsgrunnlag.charts.pyramid",
    "map": "kunnskapsgrunnlag.charts.maps",
}


def kind(name: str) -> Callable[[Callable[[FigureSpec], Any]], Callable[[FigureSpec], Any]]:
    """Register a drawing function for the chart kind *name*."""

    def register(func: Callable[[FigureSpec], Any]) -> Callable[[FigureSpec], Any]:
        _KINDS[name] = func
        return func

    return register


def drawer(name: str) -> Callable[[FigureSpec], Figure]:
    """The drawing function of a kind (imports the standard kinds' modules on first use)."""
    if name not in _KINDS and name in _STANDARD:
        importlib.import_module(_STANDARD[name])
    try:
        return _KINDS[name]
    except KeyError:
        known = ", ".join(sorted(set(_KINDS) | set(_STANDARD)))
        raise ValueError(f"unknown chart kind {name!r}; known kinds: {known}") from None


def render(spec: FigureSpec) -> Figure:
    """Draw *spec* and return the figure (laid out; close it when done)."""
    return drawer(spec.kind)(spec)


def png(spec: FigureSpec, dpi: int = 110) -> bytes:
    """Draw *spec* and return it as PNG bytes (the figure is closed)."""
    import matplotlib.pyplot as plt

    fig = render(spec)
    buf = io.BytesIO()
    # A figure laid out by style.finish is saved as is; "tight" would draw it twice.
    tight = None if getattr(fig, "_kg_finished", False) else "tight"
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches=tight, facecolor="white")
    plt.close(fig)
    return buf.getvalue()
