"""Chart kind ``lines``: values over time, one line per series, broken at new county divisions.

``data`` columns: ``series`` (the label in the legend), ``role`` (colour), ``year``, ``value``;
optional ``panel`` (one small chart per panel, in order of appearance), ``low``/``high`` (a band),
``linestyle`` (``-`` drawn, ``--`` projected) and ``points`` (True: markers only, e.g. observed
values beside a projection). Options: ``breaks`` (years a line never crosses), ``mark_breaks``
(a dotted line «Ny fylkesinndeling»; Norway and reference aggregates are never broken; with
``break_label`` the break is in the statistics: every line breaks and the label names it), ``decimals``, ``unit`` (tick unit, e.g. ``%``),
``xlabel``/``ylabel``/``subtitle``/``note``, ``zero`` (y axis from 0), ``ncols``, ``size``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from kunnskapsgrunnlag.charts import style
from kunnskapsgrunnlag.charts.render import kind
from kunnskapsgrunnlag.regions import segments

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from kunnskapsgrunnlag.charts.spec import FigureSpec

COLOUR = {
    "county": style.COUNTY,
    "norway": style.NORWAY,
    "reference": style.REFERENCE,
    "peers": style.COMPARISON,
    "other": style.OTHER,
}
WIDTH = {"county": 2.4, "norway": 2.0, "reference": 2.0, "peers": 1.8, "other": 0.9}
DIVISION_LABEL = "Ny fylkesinndeling"


def _draw_series(
    ax: Axes, rows: pd.DataFrame, breaks: tuple[int, ...], labelled: set, every: bool = False
) -> None:
    role = rows["role"].iloc[0]
    label = rows["series"].iloc[0]
    colour, width = COLOUR[role], WIDTH[role]
    style_ = rows["linestyle"].iloc[0] if "linestyle" in rows else "-"
    show = label if (role != "other" or label not in labelled) else None
    labelled.add(label)
    by_year = rows.set_index("year")
    if "low" in rows and rows["low"].notna().any():
        band = rows[rows["low"].notna()]
        ax.fill_between(band["year"], band["low"], band["high"], color=colour, alpha=0.18, lw=0)
    if "points" in rows and bool(rows["points"].iloc[0]):
        ax.scatter(rows["year"], rows["value"], color=colour, s=28, zorder=3, edgecolor="white",
                   label=show)  # fmt: skip
        return
    # Norway and aggregates such as «landet uten Oslo» keep their borders: no break for them.
    own_breaks = () if role in ("norway", "reference") and not every else breaks
    for run in segments([int(y) for y in rows.loc[rows["value"].notna(), "year"]], own_breaks):
        ax.plot(run, by_year.loc[run, "value"].to_numpy(), color=colour, linewidth=width,
                linestyle=style_, marker="o" if len(run) < 4 and role != "other" else None,
                markersize=3.5, label=show, zorder=3 if role != "other" else 1)  # fmt: skip
        show = None


def _mark_breaks(
    ax: Axes, years: list[int], breaks: tuple[int, ...], first: bool, label: str = DIVISION_LABEL
) -> bool:
    marked = False
    for y in breaks:
        if years and years[0] < y <= years[-1]:
            ax.axvline(y - 0.5, color="#777777", linestyle=":", linewidth=1.2)
            marked = True
            if first:
                ax.text(y - 0.4, 0.02, label, transform=ax.get_xaxis_transform(),
                        rotation=90, fontsize=7, color="#555555", va="bottom")  # fmt: skip
    return marked


def _axes(ax: Axes, data: pd.DataFrame, spec: FigureSpec) -> None:
    years = sorted(int(y) for y in data["year"].unique())
    step = 1 if years[-1] - years[0] <= 8 else 2 if years[-1] - years[0] <= 16 else 5
    ax.set_xticks([y for y in years if (years[-1] - y) % step == 0])
    ax.xaxis.set_major_formatter(lambda x, _pos=None: f"{int(round(x))}")
    style.number_axis(ax, "y", spec.option("decimals", 0), spec.option("unit", ""), spec.lang)
    values = data[["value"] + [c for c in ("low", "high") if c in data]].to_numpy(dtype=float)
    lo = float(np.nanmin(values)) if np.isfinite(values).any() else 0.0
    if spec.option("zero", False) or lo < 0:
        ax.set_ylim(min(0.0, lo * 1.1), None)
        if lo < 0:
            ax.axhline(0, color="#999999", linewidth=0.8)


@kind("lines")
def draw(spec: FigureSpec) -> Figure:
    """Draw a ``lines`` spec (see the module docstring)."""
    data = spec.data
    panels = list(dict.fromkeys(data["panel"])) if "panel" in data else [None]
    ncols = spec.option("ncols", 1 if len(panels) == 1 else 2)
    nrows = math.ceil(len(panels) / ncols)
    size = spec.option("size", (8.0, 4.5 if nrows == 1 else 2.7 * nrows + 0.6))
    fig, axes = style.new_figure(size[0], size[1], ncols=ncols, nrows=nrows, squeeze=False)
    flat = list(np.ravel(axes))
    breaks = tuple(spec.option("breaks", ()))
    label, every = (
        spec.option("break_label", DIVISION_LABEL),
        spec.option("break_label") is not None,
    )
    marked = False
    for i, (ax, panel) in enumerate(zip(flat, panels, strict=False)):
        sub = data if panel is None else data[data["panel"] == panel]
        labelled: set = set()
        order = sorted(sub["role"].unique(), key=lambda r: 0 if r == "other" else 1)
        for role in order:
            # «other» regions share one legend label: one line per region, not one merged line
            keys = ["series", "region"] if "region" in sub else "series"
            for _, rows in sub[sub["role"] == role].groupby(keys, sort=False):
                _draw_series(ax, rows.sort_values("year"), breaks, labelled, every)
        if spec.option("mark_breaks", True):
            marked |= _mark_breaks(ax, sorted(sub["year"].unique()), breaks, i == 0, label)
        if panel is not None:
            ax.set_title(str(panel), fontsize=10, loc="left")
        _axes(ax, sub, spec)
        if i + ncols < len(panels):  # a panel below shows the same years: no repeated labels
            ax.tick_params(axis="x", labelbottom=False)
    for ax in flat[len(panels) :]:
        ax.axis("off")
    _legend(fig, flat, panels, marked, label)
    return _finish(fig, flat[0] if len(panels) == 1 else None, spec)


def _legend(
    fig: Figure, flat: list, panels: list, marked: bool, label: str = DIVISION_LABEL
) -> None:
    from matplotlib.lines import Line2D

    handles, labels = flat[0].get_legend_handles_labels()
    if marked:
        handles.append(Line2D([], [], color="#777777", linestyle=":", linewidth=1.2))
        labels.append(label)
    if len(panels) == 1:
        flat[0].legend(handles, labels, loc="best", fontsize=8.5)
    elif len(flat) > len(panels):
        flat[len(panels)].legend(handles, labels, loc="center left", fontsize=9, frameon=False)
    else:
        fig.legend(handles, labels, loc="lower center", ncol=min(4, len(labels)), fontsize=8.5)


def _finish(fig: Figure, ax: Any, spec: FigureSpec) -> Figure:
    style.finish(
        fig,
        ax,
        title=spec.option("chart_title", spec.title),
        source=spec.source,
        xlabel=spec.option("xlabel"),
        ylabel=spec.option("ylabel"),
        subtitle=spec.option("subtitle"),
    )
    if spec.option("note"):
        style.add_note(fig, spec.option("note"))
    return fig
