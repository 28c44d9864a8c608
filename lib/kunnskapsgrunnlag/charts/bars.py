"""Chart kind ``ranking``: the 15 counties as horizontal bars, highest on top, the county marked.

``data`` columns (in the order to draw, highest first): ``region``, ``label`` (tick label, e.g.
«Oslo*»), ``value``, ``status`` (an SSB symbol is written instead of a number) and ``role``
(``county``, ``peers``, ``other``). Options: ``reference`` (a value drawn as a dashed line) with
``reference_label``, ``decimals``, ``unit``, ``xlabel``, ``subtitle``, ``note``, ``labels`` (legend
texts for county/peers/other).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag.charts import style
from kunnskapsgrunnlag.charts.lines import COLOUR
from kunnskapsgrunnlag.charts.render import kind

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from kunnskapsgrunnlag.charts.spec import FigureSpec


def _value_labels(ax: Axes, values: np.ndarray, statuses: list, spec: FigureSpec) -> float:
    finite = values[np.isfinite(values)]
    span = float(np.max(np.abs(finite))) if finite.size else 1.0
    for i, (v, s) in enumerate(zip(values, statuses, strict=True)):
        text = fmt.cell(v, s, spec.option("decimals", 0), spec.lang, spec.option("unit", ""))
        x = v + span * 0.01 if np.isfinite(v) and v >= 0 else span * 0.01
        ax.text(x, i, text, va="center", fontsize=8, zorder=4,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6, "alpha": 0.85})  # fmt: skip
    return span


def _legend(ax: Axes, spec: FigureSpec, roles: set[str]) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    labels = spec.option("labels", {})
    handles = [Patch(color=COLOUR[r], label=labels[r]) for r in ("county", "peers", "other")
               if r in roles and r in labels]  # fmt: skip
    if spec.option("reference") is not None:
        handles.append(Line2D([], [], color=style.REFERENCE, linestyle="--", linewidth=2,
                              label=spec.option("reference_label", "")))  # fmt: skip
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.45, -0.13),
              ncol=max(1, len(handles)), fontsize=8, frameon=False)  # fmt: skip


@kind("ranking")
def draw(spec: FigureSpec) -> Figure:
    """Draw a ``ranking`` spec (see the module docstring)."""
    data = spec.data.iloc[::-1].reset_index(drop=True)  # highest on top
    fig, ax = style.new_figure(*spec.option("size", (8.0, 5.6)))
    values = data["value"].to_numpy(dtype=float)
    ax.barh(range(len(data)), np.nan_to_num(values), height=0.7,
            color=[COLOUR[r] for r in data["role"]])  # fmt: skip
    ax.set_yticks(range(len(data)), list(data["label"]))
    for tick, role in zip(ax.get_yticklabels(), data["role"], strict=True):
        if role == "county":
            tick.set_fontweight("bold")
    span = _value_labels(ax, values, list(data["status"]), spec)
    ref = spec.option("reference")
    if ref is not None and np.isfinite(ref):
        ax.axvline(ref, color=style.REFERENCE, linewidth=2, linestyle="--", zorder=3)
    ax.grid(axis="x", color="#e3e3e3")
    ax.grid(axis="y", visible=False)
    low = float(np.nanmin(values)) if np.isfinite(values).any() else 0.0
    ax.set_xlim(min(0.0, low * 1.15), span * 1.15)
    style.number_axis(ax, "x", spec.option("decimals", 0), spec.option("unit", ""), spec.lang)
    _legend(ax, spec, set(data["role"]))
    style.finish(fig, ax, title=spec.option("chart_title", spec.title), source=spec.source,
                 xlabel=spec.option("xlabel"), subtitle=spec.option("subtitle"))  # fmt: skip
    if spec.option("note"):
        style.add_note(fig, spec.option("note"))
    return fig
