"""Befolkning (population): what is special to the chapter; the rest is ``chapters.standard``.

Modules: :mod:`.data` (SSB 07459 loaded and harmonised to the 2024 division), :mod:`.measures`
(growth, age shares, the comparison set, the municipal table), :mod:`.provider` (the registry's
``series`` for the chapter's indicators), :mod:`.figures` and :mod:`.tables` (specs drawn by
``Chapter.figure``/``Chapter.table``) and :mod:`.text` (key sentences, headline figures and the
chapter's own paragraphs).
"""

from kunnskapsgrunnlag.chapters.befolkning.provider import series

__all__ = ["series"]
