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
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from kunnskapsgrunnlag import contents as chapter_registry
from kunnskapsgrunnlag.regions import COUNTIES
from kunnskapsgrunnlag.status import legend as status_legend

if TYPE_CHECKING:
    from kunnskapsgrunnlag.analysis.barometer import BarometerRow
    from kunnskapsgrunnlag.charts import FigureSpec, TableSpec
    from kunnskapsgrunnlag.context import CountyContext


def _slug(text: str) -> str:
    s = text.lower()
    for a, b in (("æ", "ae"), ("ø", "o"), ("å", "a")):
        s = s.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-") or "del"


def _chapter_spec(chapter_id: str, title: tuple[str, str] | None) -> chapter_registry.ChapterSpec:
    try:
        return chapter_registry.get(chapter_id)
    except KeyError:
        if title is None:
            raise KeyError(
                f"chapter {chapter_id!r} is not registered in kunnskapsgrunnlag/contents.py; "
                "register it, or give title=(bokmål, nynorsk) for a draft chapter"
            ) from None
        return chapter_registry.ChapterSpec(
            id=chapter_id, order=999, notebook="", title_nb=title[0], title_nn=title[1]
        )


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
        context: the county's :class:`~kunnskapsgrunnlag.context.CountyContext` — or, for
            notebooks written before it, the two-digit county code followed by
            ``written_standard``, ``comparison`` and ``data_source`` (validated the same way).
        display: show outputs in the notebook (default: when running in a kernel).
        title: ``(bokmål, nynorsk)`` title for a draft chapter not yet in the registry.
    """

    def __init__(
        self,
        chapter_id: str,
        context: CountyContext | str,
        written_standard: str = "nb",
        comparison: dict[str, Any] | None = None,
        data_source: str = "snapshot",
        display: bool | None = None,
        title: tuple[str, str] | None = None,
        **_ignored: Any,
    ) -> None:
        from kunnskapsgrunnlag.context import CountyContext

        if not isinstance(context, CountyContext):
            context = CountyContext(str(context), written_standard, comparison or
                                    {"kind": "all_counties"}, data_source)  # fmt: skip
        self.ctx = context
        self.spec = _chapter_spec(chapter_id, title)
        self.county = COUNTIES[context.county_code]
        self.county_code = context.county_code
        self.lang = context.lang
        self.comparison = context.comparison
        self.data_source = context.data_source
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
        return self.ctx.peers

    def comparison_label(self) -> str:
        """A short Norwegian description of the comparison set."""
        return self.ctx.peers_label()

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

    def heading(self, nb: str, nn: str, level: int = 3) -> str:
        """Show a section heading (level 3 under the chapter title; level 4 below that).

        Returns:
            The heading's id, for links to the section (e.g. the barometer's rows).
        """
        title = self.t(nb, nn)
        hid = f"{self.spec.id}-{_slug(title)}"
        self._emit(f'<h{level} class="kg-heading" id="{hid}">{html.escape(title)}</h{level}>')
        return hid

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
            f'<div class="kg-key-points"><h3 class="kg-box-title">{head}</h3><ul>{items}</ul></div>'
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

    def period(self, text: str) -> None:
        """Hand the chapter's statistics period to the front page (a hidden fragment).

        The front page lists it beside the chapter's title, so a reader sees how new each theme's
        figures are («Befolkning: 1. januar 2025 · Fylkeskommunen i KOSTRA: 2025»).

        Args:
            text: the period in the reader's language («1. januar 2025», «2025»).
        """
        e = html.escape
        self._emit(f'<span class="kg-period" data-kg-value="{e(text, quote=True)}" hidden></span>')

    def figure(
        self, fig: FigureSpec | Any, *, dpi: int = 110, image_format: str = "webp", **texts: Any
    ) -> None:
        """Show a figure with a numbered caption, a source line and real alt text.

        Args:
            fig: a :class:`~kunnskapsgrunnlag.charts.FigureSpec` (drawn here; it carries its
                caption, alt text, source and indicators) — or, for a county's own chart, a
                matplotlib Figure with the texts below.
            dpi: resolution of the embedded picture.
            image_format: ``"webp"`` (lossless, ≈0.4× the size of a PNG; every current browser
                and Chromium's PDF printing show it) or ``"png"``.
            **texts: for a matplotlib Figure: ``title``, ``alt``, ``source``, ``indicators``
                and ``data`` (a tidy frame of the numbers drawn, for «Tall bak figuren»).

        Under the caption every figure gets the «Tall bak figuren» CSV link and its numbers as a
        table (:mod:`.figdata`): a spec's data, or ``data`` for a matplotlib Figure.
        """
        from kunnskapsgrunnlag.charts import FigureSpec
        from kunnskapsgrunnlag.charts.render import FORMATS, picture, render
        from kunnskapsgrunnlag.charts.spec import check_alt

        if isinstance(fig, FigureSpec):
            title, alt, source, ids = fig.title, fig.alt, fig.source, fig.indicators
            data, spec = picture(render(fig), dpi, image_format), fig
        else:
            title, alt, source = texts["title"], texts["alt"], texts["source"]
            ids = tuple(texts.get("indicators", ()))
            check_alt(alt, title)
            if texts.get("data") is None:
                raise ValueError(
                    f"figure {title!r}: give data= (the numbers drawn, a frame) for «Tall bak figuren»"
                )
            data = picture(fig, dpi, image_format)
            spec = FigureSpec(
                "custom", texts["data"], title, alt, source or "-", ids, lang=self.lang
            )
        if not source.strip():
            raise ValueError(f"figure {title!r}: every figure needs a source line")
        self._note_indicators(ids)
        b64 = base64.b64encode(data).decode("ascii")
        self._emit(
            f'<figure class="kg-figure" data-kg-indicators="{html.escape(",".join(ids))}">'
            f'<img src="data:{FORMATS[image_format]};base64,{b64}" alt="{html.escape(alt, quote=True)}">'
            f'<figcaption><span class="kg-caption">{html.escape(title)}</span> '
            f'<span class="kg-source">{html.escape(source)}</span></figcaption>'
            f"{self._figure_data(spec)}</figure>"
        )

    def _figure_data(self, spec: FigureSpec) -> str:
        from kunnskapsgrunnlag.publish.figdata import figure_data_html

        return figure_data_html(spec, self.county_code)

    def _note_indicators(self, ids: Iterable[str]) -> None:
        for i in ids:
            if i not in self.indicators:
                self.indicators.append(i)

    def table(self, table: TableSpec | pd.DataFrame | None = None, **texts: Any) -> None:
        """Show a table: SSB symbols kept in their cells and explained under the table.

        Args:
            table: a :class:`~kunnskapsgrunnlag.charts.TableSpec` (raw values, formatted here)
                — or a frame of formatted text cells with the texts below.
            **texts: for a frame: ``title``, ``source``, ``indicators``, ``symbols``,
                ``numeric`` (columns to right-align; default all but the first), ``note``.
        """
        from kunnskapsgrunnlag.charts import TableSpec

        table = texts.pop("df") if table is None else table
        if isinstance(table, TableSpec):
            right = [c.numeric for c in table.columns]
            self._table_html(table.title, table.headers, table.cells(), right, table.symbols(),
                             table.note, table.source, table.indicators)  # fmt: skip
            return
        cols = [str(c) for c in table.columns]
        numeric = set(cols[1:] if texts.get("numeric") is None else texts["numeric"])
        cells = [
            ["" if v is None else str(v) for v in rec] for rec in table.itertuples(index=False)
        ]
        self._table_html(texts["title"], cols, cells, [c in numeric for c in cols],
                         [s for s in texts.get("symbols", ()) if s], texts.get("note"),
                         texts["source"], tuple(texts.get("indicators", ())))  # fmt: skip

    def _table_html(
        self,
        title: str,
        headers: Sequence[str],
        cells: Sequence[Sequence[str]],
        right: Sequence[bool],
        symbols: Sequence[str],
        note: str | None,
        source: str,
        ids: Sequence[str],
    ) -> None:
        """The one table renderer: header, cells, status legend, note and source line."""
        self._note_indicators(ids)
        num = [' class="num"' if r else "" for r in right]
        head = "".join(
            f'<th scope="col"{n}>{html.escape(h)}</th>' for h, n in zip(headers, num, strict=True)
        )
        rows = "".join(
            "<tr>" + "".join(f"<td{n}>{html.escape(v)}</td>" for v, n in zip(row, num, strict=True)) + "</tr>"
            for row in cells
        )  # fmt: skip
        foot = [html.escape(line) for line in status_legend(symbols, self.lang)] if symbols else []
        if note:
            foot.append(html.escape(note))
        foot.append(f'<span class="kg-source">{html.escape(source)}</span>')
        self._emit(
            f'<figure class="kg-table" data-kg-indicators="{html.escape(",".join(ids))}">'
            f'<figcaption><span class="kg-caption">{html.escape(title)}</span></figcaption>'
            f'<table class="kg-data"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
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
            f'<div class="kg-needs-refresh" data-kg-source-id="{html.escape(source_id)}">'
            f"<strong>{label}:</strong> {html.escape(msg)}"
            f'<br><small class="kg-analyst-hint">{html.escape(hint)}</small></div>'
        )

    def html(self) -> str:
        """All the chapter's output as one HTML fragment (used outside a kernel)."""
        return "\n".join(self.outputs)
