"""What a report page must be: self-contained, with real alt text, and not too big.

The page carries a Content-Security-Policy that forbids loading anything but embedded ``data:``
images, and the builder refuses (:class:`~.fragments.ReportError`) any page that would load an
external resource, any image without real alt text, and any page over :data:`MAX_BYTES`.
"""

from __future__ import annotations

import html
import re

from kunnskapsgrunnlag.charts.spec import GENERIC_ALT
from kunnskapsgrunnlag.publish.report.fragments import ReportError, attrs

MAX_BYTES = 5 * 1024 * 1024
"""Largest report the builder writes (bytes); a bigger page is refused."""

NBCONVERT_ALT = "No description has been provided for this image"
"""The alt text nbconvert gives every image; never acceptable in a report."""

_IMG = re.compile(r"<img\b([^>]*)>", re.I)
_START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)\b([^>]*)>")
_BLOCKED_TAGS = frozenset(
    {
        "script",
        "link",
        "iframe",
        "frame",
        "object",
        "embed",
        "base",
        "video",
        "audio",
        "source",
        "track",
        "applet",
    }
)
_LOADING_ATTRS = frozenset(
    {"src", "srcset", "poster", "action", "formaction", "background", "data", "href", "xlink:href"}
)
_LOADING_HINT = re.compile(r"(?:src|srcset|poster|action|background|data|href|style)\s*=", re.I)
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S | re.I)
_CSS_BLOCKED = re.compile(r"@import|url\(\s*['\"]?(?!data:|#)", re.I)


def check_images(fragment: str, where: str) -> None:
    """Refuse images without real alt text, or whose picture is not embedded as ``data:``."""
    for m in _IMG.finditer(fragment):
        a = attrs(m.group(1))
        alt = html.unescape(a.get("alt", "")).strip() if "alt" in a else None
        if alt is None:
            raise ReportError(
                f"{where}: an image has no alt text; give every figure an alt that says what it shows"
            )
        if alt.lower() in GENERIC_ALT or alt == NBCONVERT_ALT:
            raise ReportError(
                f"{where}: an image has the generic alt text {alt!r}; say what the figure shows"
            )
        if not a.get("src", "").startswith("data:"):
            raise ReportError(
                f"{where}: an image is not embedded (src {a.get('src', '')[:60]!r}); reports must be self-contained"
            )


def check_self_contained(page: str, where: str) -> None:
    """Refuse a page that would make the browser fetch anything (only ``data:`` images allowed).

    Links (``<a href>``) are navigation, not resources, and are allowed.
    """
    for m in _START_TAG.finditer(page):
        name = m.group(1).lower()
        if name in _BLOCKED_TAGS:
            raise ReportError(
                f"{where}: the page contains a <{name}> element; reports must not load anything"
            )
        if name == "a" or not _LOADING_HINT.search(m.group(2)):
            continue
        for attr, value in attrs(m.group(2)).items():
            if attr in _LOADING_ATTRS and not value.strip().startswith("data:"):
                raise ReportError(
                    f"{where}: <{name} {attr}={value[:60]!r}> is not embedded; reports must not load anything"
                )
            if attr == "style" and _CSS_BLOCKED.search(value):
                raise ReportError(
                    f"{where}: inline CSS on <{name}> loads an external resource ({value[:60]!r})"
                )
    for m in _STYLE_BLOCK.finditer(page):
        bad = _CSS_BLOCKED.search(m.group(1))
        if bad:
            raise ReportError(
                f"{where}: CSS loads an external resource ({m.group(1)[bad.start() : bad.start() + 60]!r})"
            )


def check_size(page: str, where: str) -> None:
    """Refuse a page over :data:`MAX_BYTES` (encoded as UTF-8)."""
    # UTF-8 takes at most 4 bytes a character: encode only when the page could be too big.
    size = len(page.encode("utf-8")) if len(page) * 4 > MAX_BYTES else 0
    if size > MAX_BYTES:
        raise ReportError(
            f"{where}: the report is {size / 1024 / 1024:.1f} MB, more than {MAX_BYTES // 1024 // 1024} MB; "
            "use fewer or smaller figures (lower dpi)"
        )
