"""Charts and tables as specs, then rendered: chapter code says *what*, this layer draws it.

A chapter returns a :class:`FigureSpec` (a chart kind and tidy data with a ``role`` column:
county, norway, reference, peers, other) or a :class:`TableSpec` (raw values and column formats);
``Chapter.figure(spec)`` / ``Chapter.table(spec)`` render them. Tests assert values, titles and
alt text on the spec without drawing. Kinds: ``lines`` (over time, broken at new county
divisions, optional bands), ``ranking`` (the 15 counties ranked), and kinds registered by the
modules ``pyramid`` and ``maps``. ``style`` is the house style.
"""

from __future__ import annotations

from kunnskapsgrunnlag.charts.spec import ROLES, FigureSpec
from kunnskapsgrunnlag.charts.table import Column, TableSpec

__all__ = ["ROLES", "Column", "FigureSpec", "TableSpec"]
