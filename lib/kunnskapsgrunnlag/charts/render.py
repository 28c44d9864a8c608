"""Draw a :class:`~.spec.FigureSpec`: a registry of chart kinds, one drawing function each.

``render(spec)`` returns a matplotlib Figure laid out in house style; ``picture(fig)`` its bytes
for embedding (lossless WebP without alpha by default, or PNG, see :func:`picture`).
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


FORMATS = {"webp": "image/webp", "png": "image/png"}
"""Picture formats a figure can be embedded in, with their MIME types."""

WEBP_OPTIONS = {"lossless": True, "method": 1, "quality": 50, "exact": True}
"""Lossless WebP settings: method 1 / quality 50 encodes as fast as PNG at ≈0.38× its size
(method 4–6 saves 1–3 % more at 2–60× the time); ``exact`` keeps every pixel's value."""


def picture(fig: Figure, dpi: int = 110, image_format: str = "webp") -> bytes:
    """Save *fig* (closing it) as an opaque RGB picture in *image_format* (``webp`` or ``png``).

    The figure is drawn once by matplotlib, as before (a figure laid out by ``style.finish`` is
    saved as is; any other figure is cropped to its "tight" box); the pixels are then encoded
    by Pillow without the alpha channel (every figure has a white face), losslessly, so a WebP
    decodes to exactly the pixels the PNG did.
    """
    import matplotlib.pyplot as plt
    from PIL import Image

    if image_format not in FORMATS:
        raise ValueError(f"unknown picture format {image_format!r}; known: {', '.join(FORMATS)}")
    raw = io.BytesIO()
    tight = None if getattr(fig, "_kg_finished", False) else "tight"
    # An uncompressed PNG carries the pixels and their size; compressing it would be wasted.
    fig.savefig(
        raw,
        format="png",
        dpi=dpi,
        bbox_inches=tight,
        facecolor="white",
        pil_kwargs={"compress_level": 0},
    )
    plt.close(fig)
    raw.seek(0)
    with Image.open(raw) as img:
        rgb = img.convert("RGB")
    out = io.BytesIO()
    if image_format == "webp":
        rgb.save(out, format="WEBP", **WEBP_OPTIONS)
    else:
        rgb.save(out, format="PNG", compress_level=6)
    return out.getvalue()
