"""What a chapter notebook calls to show things to the reader.

A chapter notebook creates one :class:`Chapter` from its parameters and then calls
``heading``, ``text``, ``key_points``, ``figure``, ``table``, ``needs_refresh``. Each call renders
a small piece of HTML (Norwegian, in the county's written standard) that is displayed in the
notebook and collected in ``Chapter.outputs``; the report builder (``publish.report``) numbers the
figures, builds the table of contents and the definitions appendix from the ``data-kg-*``
attributes. ``barometer`` and ``headline`` emit hidden data fragments (nothing visible in the
chapter): the rows of the report's «Utfordringer og muligheter» table and the portal's key
figures. Nothing here needs a kernel, so the same code runs in plain Python (benchmark floor).
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from kunnskapsgrunnlag import contents as chapter_registry
from kunnskapsgrunnlag.regions import COUNTIES, comparison_set
from kunnskapsgrunnlag.status import legend as status_legend

if TYPE_CHECKING:
    from kunnskapsgrunnlag.analysis.barometer import BarometerRow

GENERIC_ALT = {"", "figure", "figur", "chart", "image", "bilde", "graf"}


def _slug(text: str) -> str:
    s = text.lower()
    for a, b in (("æ", "ae"), ("ø", "o"), ("å", "a")):
        s = s.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-") or "del"


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return False
    ip = get_ipython()
    return ip is not None and getattr(ip, "kernel", None) is not None


class Chapter:
    """One chapter of a county's report, in the county's written standard.

    Args:
        chapter_id: id in :mod:`kunnskapsgrunnlag.contents` (e.g. ``"befolkning"``).
        county_code: two-digit 2024 county code.
        written_standard: ``"nb"`` or ``"nn"``.
        comparison: the ``comparison`` mapping of the parameter file.
        data_source: ``"snapshot"`` (default) or ``"live"``.
        display: show outputs in the notebook (default: when running in a kernel).
        title: ``(bokmål, nynorsk)`` title for a draft chapter not yet in the registry.
    """

    def __init__(
        self,
        chapter_id: str,
        county_code: str,
        written_standard: str = "nb",
        comparison: dict[str, Any] | None = None,
        data_source: str = "snapshot",
        display: bool | None = None,
        title: tuple[str, str] | None = None,
        **_ignored: Any,
    ) -> None:
        if county_code not in COUNTIES:
            raise ValueError(f"county_code {county_code!r} is not a 2024 county")
        if written_standard not in {"nb", "nn"}:
            raise ValueError(f"written_standard must be 'nb' or 'nn', got {written_standard!r}")
        try:
            self.spec = chapter_registry.get(chapter_id)
        except KeyError:
            if title is None:
                raise KeyError(
                    f"chapter {chapter_id!r} is not registered in kunnskapsgrunnlag/contents.py; "
                    "register it, or give title=(bokmål, nynorsk) for a draft chapter"
                ) from None
            self.spec = chapter_registry.ChapterSpec(
                id=chapter_id, order=999, notebook="", title_nb=title[0], title_nn=title[1]
            )
        self.county = COUNTIES[county_code]
        self.county_code = county_code
        self.lang = written_standard
        self.comparison = comparison or {"kind": "all_counties"}
        self.data_source = data_source
        self.outputs: list[str] = []
        self.indicators: list[str] = []
        self._display = _in_kernel() if display is None else display
        self._emit(
            f'<section class="kg-chapter-start" data-kg-chapter="{self.spec.id}"></section>'
            f'<h2 class="kg-heading kg-chapter" id="{self.spec.id}">{html.escape(self.spec.title(self.lang))}</h2>'
        )

    # ------------------------------------------------------------------ language
    def t(self, nb: str, nn: str) -> str:
        """Return *nb* or *nn* by the county's written standard."""
        return nn if self.lang == "nn" else nb

    @property
    def source_word(self) -> str:
        """``Kilde`` (nb) or ``Kjelde`` (nn)."""
        return self.t("Kilde", "Kjelde")

    def comparison_counties(self) -> list[str]:
        """Codes of the counties in the comparison set (never the county itself)."""
        return comparison_set(self.county_code, self.comparison)

    def comparison_label(self) -> str:
        """A short Norwegian description of the comparison set."""
        kind = self.comparison.get("kind", "all_counties")
        if kind == "all_counties":
            return self.t("alle andre fylker", "alle andre fylke")
        if kind == "all_counties_without_oslo":
            return self.t("alle andre fylker utenom Oslo", "alle andre fylke utanom Oslo")
        from kunnskapsgrunnlag.formatting import join_words

        return join_words([COUNTIES[c].name for c in self.comparison_counties()])

    # ------------------------------------------------------------------ output
    def _emit(self, fragment: str) -> None:
        self.outputs.append(fragment)
        if self._display:
            from IPython.display import HTML, display

            display(HTML(fragment))

    def uses(self, *indicator_ids: str) -> None:
        """Record that the chapter shows these registry indicators (for the definitions appendix)."""
        for i in indicator_ids:
            if i not in self.indicators:
                self.indicators.append(i)
        self._emit(
            f'<span class="kg-uses" data-kg-indicators="{html.escape(",".join(indicator_ids))}" hidden></span>'
        )

    def heading(self, nb: str, nn: str, level: int = 3) -> None:
        """Show a section heading (level 3 under the chapter title; level 4 below that)."""
        title = self.t(nb, nn)
        hid = f"{self.spec.id}-{_slug(title)}"
        self._emit(f'<h{level} class="kg-heading" id="{hid}">{html.escape(title)}</h{level}>')

    def text(self, nb: str, nn: str) -> None:
        """Show a paragraph. ``**bold**`` is honoured; everything else is escaped."""
        body = html.escape(self.t(nb, nn))
        body = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", body)
        paras = "".join(f"<p>{p.strip()}</p>" for p in body.split("\n\n") if p.strip())
        self._emit(f'<div class="kg-text">{paras}</div>')

    def key_points(self, sentences: Sequence[str], title: str | None = None) -> None:
        """Show the chapter's key sentences (3–6), computed from the data, in a highlighted box.

        The box title is an ``h3`` (it follows the chapter's ``h2``, so no heading level is
        skipped); as a box title (``kg-box-title``) it is not listed in the contents.
        """
        if not sentences:
            raise ValueError("key_points needs at least one sentence")
        head = html.escape(title or self.t("Dette peker seg ut", "Dette peikar seg ut"))
        items = "".join(f"<li>{html.escape(s)}</li>" for s in sentences)
        self._emit(
            f'<aside class="kg-key-points"><h3 class="kg-box-title">{head}</h3>'
            f"<ul>{items}</ul></aside>"
        )

    def barometer(self, rows: Sequence[BarometerRow]) -> None:
        """Hand the chapter's barometer rows to the report (a hidden fragment, nothing shown here).

        The report gathers every chapter's rows, in chapter order, into its first section
        «Utfordringer og muligheter» (see :mod:`kunnskapsgrunnlag.analysis.barometer`).
        """
        from kunnskapsgrunnlag.analysis.barometer import to_json

        data = html.escape(to_json(rows), quote=True)
        self._emit(f'<div class="kg-barometer-rows" data-kg-barometer="{data}" hidden></div>')

    def headline(self, label: str, value: str) -> None:
        """Hand one key figure to the portal page (a hidden fragment, nothing shown here).

        Args:
            label: what the figure is, in the reader's language («Innbyggjarar 1. januar 2025»).
            value: the formatted value («651 299»).
        """
        e = html.escape
        self._emit(
            f'<span class="kg-headline" data-kg-label="{e(label, quote=True)}" '
            f'data-kg-value="{e(value, quote=True)}" hidden></span>'
        )

    def figure(
        self,
        fig: Any,
        *,
        title: str,
        alt: str,
        source: str,
        indicators: Iterable[str] = (),
        dpi: int = 110,
    ) -> None:
        """Show a matplotlib figure with a numbered caption, a source line and real alt text.

        Args:
            fig: the matplotlib Figure (closed after rendering).
            title: caption text (the report adds "Figur N.").
            alt: what the figure shows, in words, for readers who cannot see it.
            source: the source line, e.g. from ``style.source_line(["07459"], lang)``.
            indicators: registry ids of the indicators the figure shows.
            dpi: resolution of the embedded PNG.
        """
        if not alt or alt.strip().lower() in GENERIC_ALT or len(alt.strip()) < 15:
            raise ValueError(f"figure {title!r}: give alt text that says what the figure shows")
        if not source.strip():
            raise ValueError(f"figure {title!r}: every figure needs a source line")
        import matplotlib.pyplot as plt

        buf = io.BytesIO()
        # A figure laid out by style.finish is saved as is; "tight" would draw it twice.
        tight = None if getattr(fig, "_kg_finished", False) else "tight"
        fig.savefig(buf, format="png", dpi=dpi, bbox_inches=tight, facecolor="white")
        plt.close(fig)
        self._figure_html(
            buf.getvalue(), "image/png", title=title, alt=alt, source=source, indicators=indicators
        )

    def _figure_html(
        self,
        data: bytes,
        mime: str,
        *,
        title: str,
        alt: str,
        source: str,
        indicators: Iterable[str],
    ) -> None:
        ids = [i for i in indicators]
        for i in ids:
            if i not in self.indicators:
                self.indicators.append(i)
        b64 = base64.b64encode(data).decode("ascii")
        self._emit(
            f'<figure class="kg-figure" data-kg-indicators="{html.escape(",".join(ids))}">'
            f'<img src="data:{mime};base64,{b64}" alt="{html.escape(alt, quote=True)}">'
            f'<figcaption><span class="kg-caption">{html.escape(title)}</span> '
            f'<span class="kg-source">{html.escape(source)}</span></figcaption></figure>'
        )

    def table(
        self,
        df: pd.DataFrame,
        *,
        title: str,
        source: str,
        indicators: Iterable[str] = (),
        symbols: Iterable[str] = (),
        numeric: Iterable[str] | None = None,
        note: str | None = None,
    ) -> None:
        """Show a table whose cells are already formatted text (see :mod:`kunnskapsgrunnlag.formatting`).

        Args:
            df: the table; the index is not shown (reset it first if it matters).
            title: caption text (the report adds "Tabell N.").
            source: the source line.
            indicators: registry ids of the indicators shown.
            symbols: SSB status symbols that occur; a legend explains them.
            numeric: columns to right-align (default: every column but the first).
            note: an extra line under the table.
        """
        ids = list(indicators)
        for i in ids:
            if i not in self.indicators:
                self.indicators.append(i)
        cols = list(df.columns)
        right = set(cols[1:] if numeric is None else numeric)
        head = "".join(
            f'<th scope="col"{" class=num" if c in right else ""}>{html.escape(str(c))}</th>'
            for c in cols
        )
        rows = []
        for rec in df.itertuples(index=False):
            cells = []
            for c, v in zip(cols, rec, strict=True):
                cls = ' class="num"' if c in right else ""
                cells.append(f"<td{cls}>{html.escape('' if v is None else str(v))}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        foot = []
        present = [s for s in symbols if s]
        if present:
            foot.extend(html.escape(line) for line in status_legend(present, self.lang))
        if note:
            foot.append(html.escape(note))
        foot.append(f'<span class="kg-source">{html.escape(source)}</span>')
        self._emit(
            f'<figure class="kg-table" data-kg-indicators="{html.escape(",".join(ids))}">'
            f'<figcaption><span class="kg-caption">{html.escape(title)}</span></figcaption>'
            f'<table class="kg-data"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
            f'<p class="kg-table-foot">{"<br>".join(foot)}</p></figure>'
        )

    def needs_refresh(self, what_nb: str, what_nn: str, source_id: str) -> None:
        """Say plainly that part of the chapter needs live data that the snapshot does not hold."""
        msg = self.t(
            f"{what_nb} er ikke med i denne utgaven av rapporten: det medfølgende datauttaket "
            "fra SSB har ikke disse tallene, og de må hentes på nytt.",
            f"{what_nn} er ikkje med i denne utgåva av rapporten: det medfølgjande datauttaket "
            "frå SSB har ikkje desse tala, og dei må hentast på nytt.",
        )
        hint = self.t(
            f"For analytikere: kjør «kg fetch --source {source_id}» med nettilgang, deretter «kg run».",
            f"For analytikarar: køyr «kg fetch --source {source_id}» med nettilgang, deretter «kg run».",
        )
        label = self.t("Trenger oppdatering", "Treng oppdatering")
        self._emit(
            f'<aside class="kg-needs-refresh" data-kg-source-id="{html.escape(source_id)}">'
            f"<strong>{label}:</strong> {html.escape(msg)}"
            f'<br><small class="kg-analyst-hint">{html.escape(hint)}</small></aside>'
        )

    def html(self) -> str:
        """All the chapter's output as one HTML fragment (used outside a kernel)."""
        return "\n".join(self.outputs)
