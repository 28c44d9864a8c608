"""House style for every chart in the knowledge base (one look across chapters and counties).

Colours are from the Okabe–Ito palette (readable with colour-vision deficiencies): the county in
focus is always :data:`COUNTY`, Norway :data:`NORWAY`, the reference (e.g. «landet uten Oslo»)
:data:`REFERENCE`, other regions :data:`OTHER`. Every chart gets a title, axis labels with units,
Norwegian tick labels and a source line (``Kilde:``/``Kjelde:``) printed on the figure itself.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from kunnskapsgrunnlag.formatting import axis_formatter

# The backend is not forced here: batch runs set MPLBACKEND=Agg, JupyterLab keeps inline charts.

COUNTY = "#0072B2"  # blue: the county the report is about
NORWAY = "#D55E00"  # vermillion: Norway
REFERENCE = "#E69F00"  # orange: reference aggregate (landet uten Oslo)
COMPARISON = "#56B4E9"  # sky blue: the county's comparison set
OTHER = "#BBBBBB"  # grey: other regions
MEN = "#0072B2"
WOMEN = "#CC79A7"
POSITIVE = "#009E73"
NEGATIVE = "#D55E00"
SEQUENTIAL = "Blues"
DIVERGING = "RdBu"

RC = {
    "figure.figsize": (8.0, 4.5),
    "figure.dpi": 100,
    "savefig.dpi": 110,
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#e3e3e3",
    "grid.linewidth": 0.8,
    "axes.axisbelow": True,
    "legend.frameon": False,
    "axes.formatter.use_locale": False,
}


def source_line(
    tables: Sequence[str] | str | None = None,
    lang: str = "nb",
    map_data: bool = False,
    extra: str = "",
) -> str:
    """Return the source line printed under a figure.

    Example: ``Kilde: Statistisk sentralbyrå (SSB), tabell 07459`` (``Kjelde:`` in nynorsk).
    """
    word = "Kjelde" if lang == "nn" else "Kilde"
    if isinstance(tables, str):
        tables = [tables]
    parts = []
    if tables:
        label = "tabell" if len(tables) == 1 else "tabellane" if lang == "nn" else "tabellene"
        parts.append(f"Statistisk sentralbyrå (SSB), {label} {', '.join(tables)}")
    if extra:
        parts.append(extra)
    if map_data:
        parts.append("Kartdata: © Kartverket, CC BY 4.0")
    return f"{word}: " + ". ".join(parts)


@contextmanager
def house_style() -> Iterator[None]:
    """Apply the house style inside a ``with`` block, restoring matplotlib's settings after."""
    with plt.rc_context(RC):
        yield


def new_figure(
    width: float = 8.0, height: float = 4.5, ncols: int = 1, nrows: int = 1, **kw
) -> tuple[Figure, Axes]:
    """Create a figure in house style (``rc_context`` is applied to the figure's artists)."""
    with plt.rc_context(RC):
        fig, ax = plt.subplots(nrows, ncols, figsize=(width, height), **kw)
    return fig, ax


def finish(
    fig: Figure,
    ax: Axes | None,
    *,
    title: str,
    source: str,
    xlabel: str | None = None,
    ylabel: str | None = None,
    subtitle: str | None = None,
) -> Figure:
    """Give a chart its title, axis labels and source line; tighten the layout.

    Long titles and subtitles are wrapped to the figure's width (never clipped).
    """
    width_in = fig.get_size_inches()[0]
    title = textwrap.fill(title, width=max(30, int(width_in * 8.2)))
    if subtitle:
        subtitle = textwrap.fill(subtitle, width=max(40, int(width_in * 11)))
    with plt.rc_context(RC):
        if ax is not None:
            ax.set_title(
                title, loc="left", fontsize=12, fontweight="bold", pad=18 if subtitle else 8
            )
            if subtitle:
                ax.text(
                    0,
                    1.02,
                    subtitle,
                    transform=ax.transAxes,
                    fontsize=9.5,
                    color="#444444",
                    va="bottom",
                )
            if xlabel is not None:
                ax.set_xlabel(xlabel)
            if ylabel is not None:
                ax.set_ylabel(ylabel)
        else:
            fig.suptitle(title, x=0.01, ha="left", fontsize=12, fontweight="bold")
        fig.text(0.01, 0.005, source, fontsize=8, color="#555555", ha="left", va="bottom")
        fig.tight_layout(rect=(0, 0.04, 1, 1))
    drop_layout_engine(fig)
    fig._kg_finished = True  # laid out: publish can save without a second 'tight' pass
    return fig


def drop_layout_engine(fig: Figure) -> None:
    """Remove the placeholder layout engine ``tight_layout`` leaves on *fig*.

    With any layout engine set, ``savefig`` lays the figure out by drawing it once before the
    real draw; the placeholder does no layout, so that first draw is wasted (≈10 % of a report's
    time). Without an engine the saved picture is the same, pixel for pixel.
    """
    with plt.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)


def number_axis(
    ax: Axes, axis: str = "y", decimals: int = 0, unit: str = "", lang: str = "nb"
) -> None:
    """Write Norwegian tick labels on *axis* (``1 000``, ``2,5 %``).

    With decimals, ticks fall on steps of 1, 2 or 5 at that precision, so no label is rounded
    (a tick at 2,25 would read «2,3 %»).
    """
    from matplotlib.ticker import MaxNLocator

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(axis_formatter(decimals, unit, lang))
    if decimals > 0:
        target.set_major_locator(MaxNLocator(steps=[1, 2, 5, 10]))


def add_note(fig: Figure, note: str) -> None:
    """Print *note* above the source line, making room by moving the axes up (no re-layout)."""
    lines = textwrap.wrap(note, 125)
    height_in = fig.get_figheight()
    line = 8 * 1.35 / 72 / height_in  # one 8 pt line as a fraction of the figure height
    fig.text(0.01, 0.038, "\n".join(lines), fontsize=8, color="#333333", ha="left", va="bottom")
    fig.subplots_adjust(bottom=fig.subplotpars.bottom + line * len(lines) + 0.01)
