"""Publishing layer: what a chapter notebook calls (:class:`Chapter`), the report and the batch run.

``publish.chapter`` renders a chapter's pieces (text, key points, figure and table specs) as HTML
fragments; ``publish.report`` joins the executed notebooks into one report per county and the
portal; ``publish.run`` is ``kg run``. This layer names no chapter: it reads what chapters emit.
Names are loaded lazily, so ``kg run`` stays light until it needs a kernel.
"""

from __future__ import annotations

from typing import Any

__all__ = ["GENERIC_ALT", "Chapter"]


def __getattr__(name: str) -> Any:
    if name == "GENERIC_ALT":
        from kunnskapsgrunnlag.charts.spec import GENERIC_ALT

        return GENERIC_ALT
    if name == "Chapter":
        from kunnskapsgrunnlag.publish.chapter import Chapter

        return Chapter
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
