"""What a reader of a report sees, as plain lines: the golden-backtest view of a report.

Headings, paragraphs, list items, captions, source lines, table cells (one row a line) and alt
texts, in document order, without styles, scripts or image bytes. The build date and the git
commit (which change on every build) are replaced by placeholders, so two builds of the same code
and data give the same lines.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK = {"h1", "h2", "h3", "h4", "h5", "p", "li", "figcaption", "caption", "dt", "dd", "th", "td"}
_ROW_CELLS = {"th", "td"}
_SKIP = {"style", "script", "head"}
_VOLATILE = [
    (re.compile(r"git [0-9a-f]{7,40}"), "git <commit>"),
    (re.compile(r"(bygget|bygd|laget|laga) \d{1,2}\. \w+ \d{4}", re.IGNORECASE), r"\1 <dato>"),
    (re.compile(r"(kunnskapsgrunnlag [\w.]+), \d{1,2}\. \w+ \d{4}"), r"\1, <dato>"),
    (re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}"), "<tidspunkt>"),
]


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    for pattern, repl in _VOLATILE:
        text = pattern.sub(repl, text)
    return text


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._stack: list[tuple[str, list[str]]] = []
        self._skip = 0
        self._row: list[str] | None = None
        self._after_build_label = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
            return
        a = dict(attrs)
        if tag == "img":
            self.lines.append(f"alt: {_clean(a.get('alt') or '')}")
        elif tag == "tr":
            self._row = []
        elif tag in _BLOCK:
            self._stack.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
            return
        if tag == "tr" and self._row is not None:
            self.lines.append("row: " + " | ".join(self._row))
            self._row = None
            return
        if tag in _BLOCK and self._stack:
            # close up to the matching tag (tolerates unclosed <p>/<li>)
            while self._stack:
                t, parts = self._stack.pop()
                text = _clean("".join(parts))
                if t in _ROW_CELLS and self._row is not None:
                    self._row.append(text)
                elif text:
                    if t == "dd" and self._after_build_label:
                        text = "<dato>"  # the front page's build date
                    self._after_build_label = t == "dt" and text in {"Bygget", "Bygd", "Oppdatert"}
                    self.lines.append(f"{t}: {text}")
                if t == tag:
                    break

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._stack:
            self._stack[-1][1].append(data)


def reader_lines(page: str) -> list[str]:
    """Return the lines a reader sees in *page* (see the module docstring)."""
    p = _Reader()
    p.feed(page)
    p.close()
    return p.lines
