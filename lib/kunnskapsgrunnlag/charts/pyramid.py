"""Chart kind ``pyramid``: population by sex and age group, men left and women right.

``data`` columns: ``age_group`` (label, youngest first in order of appearance), ``sex``
(``"men"`` or ``"women"``), ``year``, ``value``. The year ``options["year"]`` is drawn as filled
bars, ``options["base_year"]`` (optional) as a black outline over them, so the change is seen at
a glance. Options: ``labels`` (``men``, ``women``, ``base``: legend texts), ``xlabel``, ``ylabel``,
``size``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag.charts import style
from kunnskapsgrunnlag.charts.render import kind

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from kunnskapsgrunnlag.charts.spec import FigureSpec

OUTLINE = "#222222"


def _values(data: pd.DataFrame, groups: list[str], sex: str, year: int) -> np.ndarray:
    rows = data[(data["sex"] == sex) & (data["year"] == year)].set_index("age_group")
    return rows["value"].reindex(groups).to_numpy(dtype=float)


@kind("pyramid")
def draw(spec: FigureSpec) -> Figure:
    """Draw a ``pyramid`` spec (see the module docstring)."""
    from matplotlib.ticker import FuncFormatter

    data, labels = spec.data, spec.option("labels", {})
    groups = list(dict.fromkeys(data["age_group"]))
    year, base = spec.option("year"), spec.option("base_year")
    y = np.arange(len(groups))
    fig, ax = style.new_figure(*spec.option("size", (8.0, 5.4)))
    men, women = _values(data, groups, "men", year), _values(data, groups, "women", year)
    ax.barh(y, -men, color=style.MEN, height=0.8, label=labels.get("men"))
    ax.barh(y, women, color=style.WOMEN, height=0.8, label=labels.get("women"))
    spans = [np.nanmax(men), np.nanmax(women)]
    if base is not None:
        men0, women0 = _values(data, groups, "men", base), _values(data, groups, "women", base)
        ax.barh(y, -men0, fill=False, edgecolor=OUTLINE, linewidth=1.0, height=0.8,
                label=labels.get("base"))  # fmt: skip
        ax.barh(y, women0, fill=False, edgecolor=OUTLINE, linewidth=1.0, height=0.8)
        spans += [np.nanmax(men0), np.nanmax(women0)]
    ax.set_yticks(y)
    ax.set_yticklabels(groups)
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    span = float(np.nanmax(spans))
    ax.set_xlim(-span * 1.1, span * 1.1)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _p: fmt.number(abs(x), 0, spec.lang)))
    ax.legend(loc="upper right", fontsize=8.5)
    return style.finish(fig, ax, title=spec.option("chart_title", spec.title), source=spec.source,
                        xlabel=spec.option("xlabel"), ylabel=spec.option("ylabel"))  # fmt: skip
