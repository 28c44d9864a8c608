"""Sanitising the ``kg-*`` fragments and markdown cells a report reads, by an allow-list.

A notebook's HTML output reaches every reader's browser, so what the report takes from a notebook
is cut down to the elements and attributes the report itself uses, by `nh3`_ (the Python binding
of the Rust sanitiser ammonia, which parses like a browser, html5ever). Everything else goes: a
``<meta http-equiv=refresh>`` (sends the reader elsewhere), comments (an unclosed ``<!--`` would
swallow the rest of the page), ``<style>`` and ``<script>`` with their content, iframes, forms,
event handlers (``onerror=``), ``style`` attributes, and every URL but an embedded WebP or PNG
(``data:image/webp;base64,``, ``data:image/png;base64,``) in ``<img src>`` and an in-page anchor
(``#…``) or a figure's embedded CSV (``data:text/csv``, «Tall bak figuren», with ``download``) in
``<a href>``. Each
fragment is parsed on its own, so an unclosed element or a stray ``</main>`` cannot reach past it.

The allow-list is what :mod:`kunnskapsgrunnlag.publish.chapter` emits — ``h2``–``h4``, ``p``,
``div``, ``section``, ``aside``, ``figure``/``figcaption``, ``img``, tables (``th``/``td`` with
``scope``), lists, ``strong``, ``em``, ``small``, ``br``, ``span``, ``details``/``summary`` (a
figure's table alternative); ``class`` and ``id`` on any of
them, the hidden data attributes (``data-kg-*`` and ``hidden``) — plus what the markdown cells
render to (``h5``, ``h6``, ``code``, ``pre``, ``blockquote``, ``hr``, ``del``, ``ol start``).
An image whose picture is not embedded loses its ``src``, so the report's image check refuses it.

.. _nh3: https://nh3.readthedocs.io/
"""

from __future__ import annotations

from functools import cache
from typing import Any

TAGS = frozenset(
    {
        # what publish.Chapter emits
        *("h2", "h3", "h4", "p", "div", "section", "aside", "figure", "figcaption", "img"),
        *("table", "thead", "tbody", "tr", "th", "td", "ul", "ol", "li"),
        *("strong", "em", "small", "br", "span", "a", "details", "summary"),
        # what markdown cells render to (mistune, headings shifted one level down)
        *("h5", "h6", "code", "pre", "blockquote", "hr", "del"),
    }
)
"""The elements a fragment may contain; any other element is removed (its text kept)."""

DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "textarea"})
"""Elements removed together with everything inside them."""

ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"class", "id"}),
    "div": frozenset({"hidden"}),
    "span": frozenset({"hidden"}),
    "img": frozenset({"src", "alt"}),
    "th": frozenset({"scope"}),
    "a": frozenset({"href", "download"}),
    "ol": frozenset({"start"}),
}
"""Attributes allowed per element (``*``: on every allowed element); ``data-kg-*`` on all."""

DATA_PREFIX = "data-kg-"
"""Prefix of the data attributes the report reads (indicators, barometer rows, key figures)."""

IMAGE_PREFIXES = ("data:image/webp;base64,", "data:image/png;base64,")
"""The only pictures an ``<img src>`` may hold: an embedded WebP (the figures) or PNG."""

CSV_PREFIX = "data:text/csv;charset=utf-8;base64,"
"""The only embedded link target: the data of a figure («Tall bak figuren», a download)."""


def _url_filter(element: str, attribute: str, value: str) -> str | None:
    """Keep only embedded WebP/PNG pictures in ``img src``, in-page anchors and figure CSVs in ``a href``."""
    if attribute == "src":
        return value if element == "img" and value.strip().startswith(IMAGE_PREFIXES) else None
    if attribute == "href":
        return value if element == "a" and value.strip().startswith(("#", CSV_PREFIX)) else None
    return value


@cache
def _cleaner() -> Any:
    import nh3

    return nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        attribute_filter=_url_filter,
        generic_attribute_prefixes={DATA_PREFIX},
        url_schemes={"data"},
        strip_comments=True,
        link_rel=None,
    )


def sanitise(fragment: str) -> str:
    """Return *fragment* cut down to the allow-list (see the module docstring)."""
    return _cleaner().clean(fragment)
