"""Saving figures: one draw pass per figure, lossless WebP without alpha (charts/render.py)."""

from __future__ import annotations

import base64
import io
import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from PIL import Image

from kunnskapsgrunnlag.charts import style
from kunnskapsgrunnlag.charts.render import picture
from kunnskapsgrunnlag.publish import Chapter

SOURCE = "Kilde: Statistisk sentralbyrå (SSB), tabell 07459"


def finished_figure() -> Figure:
    fig, ax = style.new_figure(7, 3.6)
    ax.plot([2020, 2021, 2022, 2023], [651_000, 652_500, 654_000, 651_299], color=style.COUNTY)
    ax.plot([2020, 2021, 2022, 2023], [650_000, 650_800, 652_000, 653_000], color=style.NORWAY)
    style.number_axis(ax, lang="nn")
    return style.finish(fig, ax, title="Innbyggjarar i Vestland 1. januar", source=SOURCE)


def pixels(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as img:
        return np.asarray(img.convert("RGB"))


def matplotlib_png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, facecolor="white")
    return buf.getvalue()


def count_draws(fig: Figure, monkeypatch) -> int:
    calls = []
    original = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda self, r: calls.append(1) or original(self, r))
    matplotlib_png(fig)
    monkeypatch.undo()
    return len(calls)


def leave_placeholder(fig: Figure) -> None:
    """Put back the placeholder engine ``tight_layout`` leaves (what it sets, then removes)."""
    fig.set_layout_engine("tight")
    fig.set_layout_engine("none")
    assert type(fig.get_layout_engine()).__name__ == "PlaceHolderLayoutEngine"


def test_a_finished_figure_is_drawn_once_when_saved(monkeypatch):
    fig = finished_figure()
    assert fig.get_layout_engine() is None
    assert count_draws(fig, monkeypatch) == 1
    leave_placeholder(fig)
    assert count_draws(fig, monkeypatch) == 2
    plt.close(fig)


def test_dropping_the_layout_engine_leaves_the_picture_unchanged():
    fig = finished_figure()
    lean = matplotlib_png(fig)
    leave_placeholder(fig)
    placeholder = matplotlib_png(fig)
    plt.close(fig)
    assert np.array_equal(pixels(lean), pixels(placeholder))


@pytest.mark.parametrize("image_format", ["webp", "png"])
def test_picture_is_lossless_and_opaque(image_format):
    fig = finished_figure()
    reference = pixels(matplotlib_png(fig))
    data = picture(fig, 110, image_format)
    assert not plt.fignum_exists(fig.number)  # closed
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == image_format.upper()
        assert img.mode == "RGB"  # no alpha channel
    assert np.array_equal(pixels(data), reference)


def test_webp_is_much_smaller_than_png():
    webp, png = picture(finished_figure(), 110, "webp"), picture(finished_figure(), 110, "png")
    assert len(webp) < 0.6 * len(png)


def test_an_unfinished_figure_is_cropped_to_its_tight_box():
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.text(0.5, 0.5, "Midt i figuren", transform=ax.transAxes)
    ax.set_axis_off()
    with Image.open(io.BytesIO(picture(fig, 100))) as img:
        assert img.width < 600 and img.height < 400


def test_unknown_picture_format_is_refused():
    fig = finished_figure()
    with pytest.raises(ValueError, match="unknown picture format 'gif'"):
        picture(fig, 110, "gif")
    plt.close(fig)


@pytest.mark.parametrize(("image_format", "mime"), [("webp", "image/webp"), ("png", "image/png")])
def test_chapter_embeds_the_figure_in_the_chosen_format(image_format, mime):
    ch = Chapter("befolkning", "46", "nn", display=False)
    kwargs = {} if image_format == "webp" else {"image_format": "png"}
    ch.figure(
        finished_figure(),
        title="Innbyggjarar i Vestland",
        alt="Linjediagram: innbyggjarar i Vestland 2020–2023, om lag 651 000 kvart år",
        source=SOURCE,
        data=pd.DataFrame(
            {"year": [2020, 2021, 2022, 2023], "value": [651_000, 652_500, 654_000, 651_299]}
        ),
        **kwargs,
    )
    m = re.search(r'<img src="data:([^;]+);base64,([^"]+)"', ch.html())
    assert m.group(1) == mime
    assert pixels(base64.b64decode(m.group(2))).shape[2] == 3


def test_sanitiser_keeps_embedded_webp_and_png_only():
    from kunnskapsgrunnlag.publish.report.sanitise import sanitise

    out = sanitise(
        '<img src="data:image/webp;base64,UklG" alt="a"><img src="data:image/png;base64,iVBO" '
        'alt="b"><img src="data:image/gif;base64,R0lG" alt="c">'
        '<img src="data:image/webp,rå" alt="d">'
    )
    assert out == (
        '<img src="data:image/webp;base64,UklG" alt="a"><img src="data:image/png;base64,iVBO" '
        'alt="b"><img alt="c"><img alt="d">'
    )
