"""«Tall bak figuren»: the data of a figure as an embedded CSV download and a table alternative.

Generic for every chart kind: the columns of a :class:`~kunnskapsgrunnlag.charts.FigureSpec`'s
tidy data are shown by name (``series``, ``region``/``label``, ``age_group``, ``sex``, ``year``,
``value``, ``low``/``high`` …) with Norwegian headers; drawing-only columns (``role``,
``linestyle``, ``points``) are left out and a status symbol replaces a missing value. The CSV is
what Norwegian spreadsheets open directly (UTF-8 with BOM, ``;`` between fields, decimal comma)
and is embedded as a ``data:`` link with a ``download`` name, so it works offline and under the
report's Content-Security-Policy (a download is not a fetch). The table sits in a closed
``<details>`` under the figure, for screen readers and anyone who wants the numbers; print hides
it (the PDF shows the figure).
"""

from __future__ import annotations

import base64
import html
import math
from typing import TYPE_CHECKING, Any

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag.publish.report.sanitise import CSV_PREFIX

if TYPE_CHECKING:
    import pandas as pd

    from kunnskapsgrunnlag.charts import FigureSpec

_HIDDEN = frozenset({"role", "linestyle", "points", "status"})
_HEADERS: dict[str, tuple[str, str]] = {
    "panel": ("Del av figuren", "Del av figuren"),
    "series": ("Serie", "Serie"),
    "label": ("Navn", "Namn"),
    "region": ("Region", "Region"),
    "age_group": ("Aldersgruppe", "Aldersgruppe"),
    "sex": ("Kjønn", "Kjønn"),
    "year": ("År", "År"),
    "value": ("Verdi", "Verdi"),
    "low": ("Nedre grense", "Nedre grense"),
    "high": ("Øvre grense", "Øvre grense"),
}
_SEX = {"men": ("Menn", "Menn"), "women": ("Kvinner", "Kvinner")}
_NUMERIC = ("value", "low", "high")


def _columns(data: pd.DataFrame) -> list[str]:
    """Columns to show: the known ones in a fixed order, then any others; region only unnamed."""
    cols = [c for c in _HEADERS if c in data.columns]
    if "label" in cols and "region" in cols:
        cols.remove("region")  # the label names the region
    return cols + [c for c in data.columns if c not in _HEADERS and c not in _HIDDEN]


def _text(column: str, value: Any, lang: str) -> str:
    """A non-numeric cell as the reader sees it (region codes named, sexes in words)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if column == "region":
        from kunnskapsgrunnlag.regions import region_name

        try:
            return region_name(str(value), lang)
        except (ValueError, KeyError):
            return str(value)
    if column == "sex" and value in _SEX:
        return _SEX[value][lang == "nn"]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _raw(value: Any) -> str:
    """A number for the CSV: full precision, decimal comma, empty when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    v = float(value)
    return str(int(v)) if v.is_integer() else repr(round(v, 6)).replace(".", ",")


def _decimals(spec: FigureSpec) -> int:
    """The table's decimals: the figure's, at least one for values that are not whole."""
    values = spec.data["value"].dropna() if "value" in spec.data.columns else ()
    whole = all(float(v).is_integer() for v in values)
    given = spec.option("decimals")
    return (given or 0) if whole else max(1, given or 0)


def _drop_repeats(headers: list[str], *tables: list[list[str]]) -> None:
    """Drop a column that repeats an earlier one on every row (a series named by its region)."""
    shown = tables[0]
    for j in range(len(headers) - 1, 0, -1):
        if any(all(r[j] == r[k] for r in shown) for k in range(j)):
            del headers[j]
            for table in tables:
                for r in table:
                    del r[j]


def rows(spec: FigureSpec) -> tuple[list[str], list[list[str]], list[list[str]]]:
    """Headers, table cells (formatted) and CSV cells (raw) of *spec*'s data."""
    data, lang = spec.data, spec.lang
    cols = _columns(data)
    decimals = _decimals(spec)
    status = list(data["status"]) if "status" in data.columns else None
    headers = [fmt.by_lang(lang, *_HEADERS.get(c, (c, c))) for c in cols]
    unit = spec.option("unit")
    if unit and "value" in cols:
        headers[cols.index("value")] += f" ({unit.strip()})"
    shown, raw = [], []
    for i, rec in enumerate(data[cols].itertuples(index=False)):
        symbol = None if status is None else status[i]
        cells, plain = [], []
        for c, v in zip(cols, rec, strict=True):
            if c in _NUMERIC:
                sym = symbol if c == "value" and isinstance(symbol, str) and symbol else None
                cells.append(fmt.cell(v, sym, decimals, lang) if sym or v == v else "")
                plain.append(sym or _raw(v))
            else:
                cells.append(_text(c, v, lang))
                plain.append(cells[-1])
        shown.append(cells)
        raw.append(plain)
    if shown:
        _drop_repeats(headers, shown, raw)
    return headers, shown, raw


def _csv(headers: list[str], raw: list[list[str]]) -> str:
    def field(s: str) -> str:
        return f'"{s.replace(chr(34), chr(34) * 2)}"' if (";" in s or '"' in s or "\n" in s) else s

    return "\ufeff" + "".join(";".join(map(field, r)) + "\r\n" for r in [headers, *raw])


def _filename(spec: FigureSpec, stem: str) -> str:
    from kunnskapsgrunnlag.publish.chapter import _slug

    return f"{stem}-{_slug(spec.title)[:60].rstrip('-')}.csv"


def figure_data_html(spec: FigureSpec, stem: str) -> str:
    """The «Tall bak figuren» link (CSV download) and the table alternative for *spec*.

    Args:
        spec: the figure.
        stem: start of the file name (the county code), e.g. ``"46"`` → ``46-folketal-….csv``.
    """
    lang = spec.lang
    headers, shown, raw = rows(spec)
    e = html.escape
    numeric = tuple(fmt.by_lang(lang, *_HEADERS[c]) for c in _NUMERIC)
    cls = [' class="num"' if h.startswith(numeric) else "" for h in headers]
    head = "".join(f'<th scope="col"{c}>{e(h)}</th>' for h, c in zip(headers, cls, strict=True))
    body = "".join(
        "<tr>" + "".join(f"<td{c}>{e(v)}</td>" for v, c in zip(r, cls, strict=True)) + "</tr>"
        for r in shown
    )
    href = CSV_PREFIX + base64.b64encode(_csv(headers, raw).encode("utf-8")).decode("ascii")
    link_text = fmt.by_lang(lang, "Tall bak figuren", "Tal bak figuren")
    summary = fmt.by_lang(lang, "Tallene i figuren som tabell", "Tala i figuren som tabell")
    return (
        f'<p class="kg-figure-data"><a class="kg-csv" download="{e(_filename(spec, stem))}" '
        f'href="{href}">{link_text}</a> <span class="kg-csv-kind">(CSV)</span></p>'
        f'<details class="kg-figure-table"><summary>{summary}</summary>'
        f'<table class="kg-data"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        "</details>"
    )
