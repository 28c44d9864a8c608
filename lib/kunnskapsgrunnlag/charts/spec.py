"""``FigureSpec``: what a figure shows, as plain data — drawn later by :mod:`.render`.

``data`` is a tidy frame whose columns depend on the kind (see :mod:`.lines`, :mod:`.bars`); a
``role`` column says what each row is: ``county`` (the county of the report), ``norway``,
``reference`` (e.g. «landet uten Oslo»), ``peers`` (the comparison set), ``other``. Colours follow
the role (:mod:`.style`), so every chapter and county looks the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

ROLES: tuple[str, ...] = ("county", "norway", "reference", "peers", "other")

GENERIC_ALT = {"", "figure", "figur", "chart", "image", "bilde", "graf"}


def check_alt(alt: str, title: str) -> None:
    """Refuse an alt text that does not say what the figure shows."""
    if not alt or alt.strip().lower() in GENERIC_ALT or len(alt.strip()) < 15:
        raise ValueError(f"figure {title!r}: give alt text that says what the figure shows")


@dataclass(frozen=True)
class FigureSpec:
    """A figure as data: kind, tidy data, caption, alt text, source and drawing options.

    Attributes:
        kind: a registered chart kind (``lines``, ``ranking``, ``pyramid``, ``map``).
        data: tidy frame; columns per kind, with ``role`` where rows are regions.
        title: the caption (the report adds «Figur N.»).
        alt: what the figure shows, in words, with its key figures.
        source: the source line (``Kilde: …``).
        indicators: registry ids shown (the definitions appendix lists them).
        options: per-kind drawing options (unit, decimals, breaks, note, labels, size …).
        lang: the written standard of every text on the figure.
    """

    kind: str
    data: pd.DataFrame
    title: str
    alt: str
    source: str
    indicators: tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    lang: str = "nb"

    def __post_init__(self) -> None:
        check_alt(self.alt, self.title)
        if not self.source.strip():
            raise ValueError(f"figure {self.title!r}: every figure needs a source line")
        if "role" in self.data.columns:
            odd = set(self.data["role"]) - set(ROLES)
            if odd:
                raise ValueError(f"figure {self.title!r}: unknown role(s) {sorted(odd)}")

    def option(self, name: str, default: Any = None) -> Any:
        """One drawing option (``default`` when not given)."""
        return self.options.get(name, default)
