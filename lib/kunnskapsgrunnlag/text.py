"""Norwegian text in two written standards: bokmål (``nb``) and nynorsk (``nn``).

``T(nb, nn)`` holds one text in both; ``T("Befolkning")`` is the same in both. ``by_lang`` picks
by the county's written standard; ``join_words`` writes «a, b og c». Every text a reader sees is
chosen here or read from the indicator registry (which holds both standards).
"""

from __future__ import annotations

from dataclasses import dataclass

from kunnskapsgrunnlag.formatting import by_lang, join_words

__all__ = ["LANGS", "T", "by_lang", "check_lang", "join_words"]

LANGS: tuple[str, ...] = ("nb", "nn")


def check_lang(lang: str) -> str:
    """Return *lang* when it is ``nb`` or ``nn``; raise ValueError otherwise."""
    if lang not in LANGS:
        raise ValueError(f"written standard must be 'nb' or 'nn', got {lang!r}")
    return lang


@dataclass(frozen=True)
class T:
    """A text in bokmål and nynorsk (``nn`` defaults to the bokmål text: same in both)."""

    nb: str
    nn: str | None = None

    def __call__(self, lang: str) -> str:
        """Return the text in *lang*."""
        check_lang(lang)
        return self.nb if lang == "nb" or self.nn is None else self.nn


_ALPHABET = "abcdefghijklmnopqrstuvwxyzæøå"


def sort_key(word: str) -> tuple[int, ...]:
    """Norwegian alphabetical order (æ, ø, å after z), case-insensitive."""
    return tuple(_ALPHABET.index(c) if c in _ALPHABET else ord(c) + 100 for c in word.lower())
