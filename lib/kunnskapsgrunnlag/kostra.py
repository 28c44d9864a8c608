"""Fylkeskommunen i KOSTRA: county-council spending per inhabitant against the other counties.

Every figure comes from SSB table 12163 (*Utgifter til tjenesteområdene, fylkeskommunekonsern*):
net operating expenditure (``KOKart0000=AGD2``, netto driftsutgifter) in kroner per inhabitant
for the consolidated county council, for five function groups (:data:`FUNCTIONS`). The bundled
snapshot (``snapshot.load("12163-fylker")``) holds the 15 counties of 2024 and SSB's aggregate
«Landet uten Oslo» (``EAFKUO``, the reference of every comparison here); ``data_source="live"``
asks SSB's API for the same query through the data layer.

Conventions of this module:

* KOSTRA county codes ``XX00`` become two-digit 2024 county codes here, at the edge; ``EAFKUO``
  is kept as it is.
* **Breaks in the series.** The county division changed on 1 January 2020 (11 counties, several
  merged) and on 1 January 2024 (15 counties, three of them split again). Each code's figures
  are for the county as it was that year, so a line is never drawn across 2020 or 2024
  (:func:`segments`; charts mark the years with «Ny fylkesinndeling»). Which municipalities
  belonged to another county in the years shown is read from KLASS 131 through
  :mod:`kunnskapsgrunnlag.regions` (:func:`border_moves`): Møre og Romsdal, Nordland and
  Trøndelag had slightly different borders before 2020.
* **Oslo** is both municipality and county: its county-council figures are not directly
  comparable with the other counties (:func:`oslo_note` is shown wherever Oslo appears).
* **Notably more or less** means at least :data:`NOTABLE_PERCENT` per cent away from «landet uten
  Oslo». Spending has polarity ``neither`` in the indicator registry, so sentences say *more* or
  *less*, never *better* or *worse*.
* Amounts are in current kroner (not adjusted for price growth).

Loading happens once per process and data source (``functools.lru_cache``); public functions
return new frames.
"""

from __future__ import annotations

import weakref
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag import indicators, regions
from kunnskapsgrunnlag.charts import style
from kunnskapsgrunnlag.formatting import by_lang as _t
from kunnskapsgrunnlag.regions import COUNTIES, DIVISION_CHANGES, border_moves, segments
from kunnskapsgrunnlag.regions import check_county as _check_county

SOURCE_ID = "12163-fylker"
"""Snapshot (manifest) id of the 12163 extract."""

TABLE = "12163"
"""The SSB table every figure of the chapter comes from."""

REFERENCE = "EAFKUO"
"""SSB's code for «Landet uten Oslo» in county-council KOSTRA tables."""

OSLO = "03"

FUNCTIONS: tuple[str, ...] = ("FGF7", "FGF4", "FGF8", "FGF1b", "FGF3")
"""KOSTRA function groups shown, in chapter order: videregående opplæring, samferdsel,
tannhelse, administrasjon (styring og fellesutgifter), kultur."""

NOTABLE_PERCENT = 10.0
"""A county spends *notably* more or less than the reference at ±10 % or more."""

MAX_KEY_SENTENCES = 6
"""At most this many key sentences; the change sentence gives way first (it is in the table)."""

CHANGE_YEARS: tuple[int, int] = (2024, 2025)
"""The two years compared in the change table (the years every one of the 15 counties has)."""


def indicator_id(function_code: str) -> str:
    """Registry id of a function group's indicator, e.g. ``netto_driftsutgifter_per_innbygger_fgf7``."""
    if function_code not in FUNCTIONS:
        raise ValueError(
            f"unknown function {function_code!r}; expected one of {', '.join(FUNCTIONS)}"
        )
    return f"netto_driftsutgifter_per_innbygger_{function_code.lower()}"


INDICATOR_IDS: tuple[str, ...] = tuple(indicator_id(f) for f in FUNCTIONS)
"""Registry ids of the chapter's indicators, in :data:`FUNCTIONS` order."""


def _check_lang(lang: str) -> None:
    if lang not in ("nb", "nn"):
        raise ValueError(f"lang must be 'nb' or 'nn', got {lang!r}")


# --------------------------------------------------------------------------- names
def reference_name(lang: str = "nb") -> str:
    """«landet uten Oslo» (nb) / «landet utanom Oslo» (nn), lower case for use inside sentences."""
    return _t(lang, "landet uten Oslo", "landet utanom Oslo")


def region_name(code: str, lang: str = "nb") -> str:
    """Return the name a reader sees for a county or for ``EAFKUO`` («Landet uten Oslo»)."""
    if code == REFERENCE:
        return _t(lang, "Landet uten Oslo", "Landet utanom Oslo")
    return regions.county_name(code)


def function_label(function_code: str, lang: str = "nb") -> str:
    """Return the function group's short name from the registry (e.g. «Samferdsel»)."""
    return indicators.get(indicator_id(function_code)).short_name(lang)


def unit(lang: str = "nb") -> str:
    """Return the unit from the registry: «kr per innbygger» / «kr per innbyggjar»."""
    return indicators.get(INDICATOR_IDS[0]).unit(lang)


def source(lang: str = "nb") -> str:
    """Return the source line printed under the chapter's figures and tables."""
    return style.source_line(indicators.get(INDICATOR_IDS[0]).tables, lang)


def oslo_note(lang: str = "nb") -> str:
    """Return the caveat shown wherever Oslo is compared with the other counties."""
    return _t(
        lang,
        "Oslo er både kommune og fylke. Tallene for Oslo gjelder de fylkeskommunale oppgavene i "
        "Oslo kommune og er ikke direkte sammenlignbare med de andre fylkeskommunene.",
        "Oslo er både kommune og fylke. Tala for Oslo gjeld dei fylkeskommunale oppgåvene i "
        "Oslo kommune og er ikkje direkte samanliknbare med dei andre fylkeskommunane.",
    )


# --------------------------------------------------------------------------- data
def _to_region(code: Any) -> str:
    code = str(code)
    if code == REFERENCE:
        return code
    if len(code) == 4 and code.endswith("00") and code[:2] in COUNTIES:
        return code[:2]
    if code in COUNTIES:
        return code
    raise ValueError(f"table {TABLE}: unexpected region code {code!r}")


@lru_cache(maxsize=2)
def _load(data_source: str) -> pd.DataFrame:
    from kunnskapsgrunnlag.data import snapshot

    raw = snapshot.load(SOURCE_ID, source=data_source)
    df = pd.DataFrame(
        {
            "region": raw["region"].map(_to_region).astype(object),
            "function": raw["function"].astype(str).astype(object),
            "year": raw["year"].astype(int),
            "value": pd.to_numeric(raw["value"]).astype(float),
            "status": raw["status"].astype(object).where(raw["status"].notna(), None),
        }
    )
    df = df[df["function"].isin(FUNCTIONS)]
    df = df.assign(indicator=df["function"].map(indicator_id))
    dup = df.duplicated(["region", "function", "year"])
    if dup.any():
        raise ValueError(f"table {TABLE}: {int(dup.sum())} repeated region/function/year cells")
    order = {f: i for i, f in enumerate(FUNCTIONS)}
    df = df.sort_values(
        ["function", "region", "year"], key=lambda s: s.map(order) if s.name == "function" else s
    )
    return df.reset_index(drop=True)[["region", "function", "indicator", "year", "value", "status"]]


def load(data_source: str = "snapshot") -> pd.DataFrame:
    """Net operating expenditure per inhabitant, table 12163, tidy.

    Args:
        data_source: ``"snapshot"`` (bundled data) or ``"live"`` (SSB's API via the data layer).

    Returns:
        A new frame with columns ``region`` (two-digit 2024 county or ``"EAFKUO"``),
        ``function`` (e.g. ``"FGF7"``), ``indicator`` (registry id), ``year``, ``value``
        (kr per inhabitant, NaN where SSB has a symbol) and ``status`` (symbol or ``None``).
    """
    if data_source not in ("snapshot", "live"):
        raise ValueError(f"data_source must be 'snapshot' or 'live', got {data_source!r}")
    return _load(data_source).copy()


def latest_year(data: pd.DataFrame) -> int:
    """Return the last year with figures for every one of the 15 counties."""
    counties = data[data["region"].isin(COUNTIES) & data["value"].notna()]
    per_year = counties.groupby("year")["region"].nunique()
    full = per_year[per_year == len(COUNTIES)]
    if full.empty:
        raise ValueError(f"table {TABLE}: no year has figures for all 15 counties")
    return int(full.index.max())


_INDEX: dict[int, tuple[tuple[Any, ...], dict[tuple[str, str, int], tuple[float, str | None]]]] = {}


def _index(data: pd.DataFrame) -> dict[tuple[str, str, int], tuple[float, str | None]]:
    """(region, function, year) → (value, status), built once per frame (frames are read often).

    Keyed on the frame's identity and a fingerprint of its contents, so a frame changed in place
    is indexed again; entries go when the frame is garbage-collected.
    """
    fingerprint = (
        len(data),
        float(np.nansum(data["value"].to_numpy(dtype=float))),
        tuple(data.columns),
    )
    hit = _INDEX.get(id(data))
    if hit is not None and hit[0] == fingerprint:
        return hit[1]
    idx = {
        (r, f, int(y)): (float(v), s if isinstance(s, str) else None)
        for r, f, y, v, s in zip(
            data["region"],
            data["function"],
            data["year"],
            data["value"],
            data["status"],
            strict=True,
        )
    }
    if id(data) not in _INDEX:
        weakref.finalize(data, _INDEX.pop, id(data), None)
    _INDEX[id(data)] = (fingerprint, idx)
    return idx


def _cell(data: pd.DataFrame, region: str, function: str, year: int) -> tuple[float, str | None]:
    return _index(data).get((region, function, int(year)), (float("nan"), ".."))


def value(data: pd.DataFrame, region: str, function: str, year: int) -> float:
    """One figure (NaN when the cell is missing or has an SSB symbol)."""
    return _cell(data, region, function, year)[0]


def years_of(data: pd.DataFrame, region: str) -> list[int]:
    """Return the years with figures for *region* (any function).

    Cells with only a symbol, such as ``.`` for a county that did not exist yet, do not count.
    """
    rows = data[(data["region"] == region) & data["value"].notna()]
    return sorted(int(y) for y in rows["year"].unique())


def has_long_series(data: pd.DataFrame, county_code: str) -> bool:
    """Whether the county has figures before :data:`CHANGE_YEARS` (a trend to show)."""
    _check_county(county_code)
    ys = years_of(data, county_code)
    return bool(ys) and ys[0] < CHANGE_YEARS[0]


def pct_difference(county: float, reference: float) -> float:
    """``county`` against ``reference`` in per cent.

    NaN when either is missing, when ``reference`` ≤ 0 or ``county`` < 0 (negative net spending,
    e.g. Oslo's culture: a percentage would mislead; compare in kroner instead).
    """
    if np.isnan(county) or np.isnan(reference) or reference <= 0 or county < 0:
        return float("nan")
    return (county / reference - 1.0) * 100.0


def ranking(data: pd.DataFrame, function: str, year: int) -> pd.DataFrame:
    """Return the 15 counties by spending on *function* in *year*, highest first.

    Returns:
        A new frame with columns ``region``, ``name``, ``value``, ``status``, ``rank`` (1 =
        highest; ties share the best rank), ``pct_vs_reference``.
    """
    ref = value(data, REFERENCE, function, year)
    rows = []
    for code in COUNTIES:
        v, s = _cell(data, code, function, year)
        rows.append({"region": code, "name": region_name(code), "value": v, "status": s})
    out = pd.DataFrame(rows)
    out["rank"] = out["value"].rank(ascending=False, method="min").astype("Int64")
    out["pct_vs_reference"] = [pct_difference(v, ref) for v in out["value"]]
    return out.sort_values(
        ["value", "region"], ascending=[False, True], na_position="last"
    ).reset_index(drop=True)


def comparison(data: pd.DataFrame, county_code: str, year: int | None = None) -> pd.DataFrame:
    """Return the county against «landet uten Oslo» and its rank among the 15 counties, per function.

    Returns:
        A new frame, one row per function in :data:`FUNCTIONS` order, with ``function``,
        ``indicator``, ``year``, ``value``, ``status``, ``reference``, ``diff_kr``,
        ``pct_vs_reference``, ``rank``, ``n_counties`` and ``notable`` (``+1`` at least
        :data:`NOTABLE_PERCENT` % more, ``-1`` at least that much less, ``0`` otherwise).
    """
    _check_county(county_code)
    year = latest_year(data) if year is None else year
    rows = []
    for f in FUNCTIONS:
        v, s = _cell(data, county_code, f, year)
        ref = value(data, REFERENCE, f, year)
        rk = ranking(data, f, year)
        rank = rk.loc[rk["region"] == county_code, "rank"].iloc[0]
        pct = pct_difference(v, ref)
        notable = 0
        if not np.isnan(pct) and abs(pct) >= NOTABLE_PERCENT:
            notable = 1 if pct > 0 else -1
        elif np.isnan(pct) and not np.isnan(v) and not np.isnan(ref) and v < ref:
            notable = -1  # negative net spending against a positive reference
        rows.append(
            {
                "function": f,
                "indicator": indicator_id(f),
                "year": year,
                "value": v,
                "status": s,
                "reference": ref,
                "diff_kr": v - ref,
                "pct_vs_reference": pct,
                "rank": None if pd.isna(rank) else int(rank),
                "n_counties": int(rk["value"].notna().sum()),
                "notable": notable,
            }
        )
    return pd.DataFrame(rows)


def change(
    data: pd.DataFrame, county_code: str, years: tuple[int, int] = CHANGE_YEARS
) -> pd.DataFrame:
    """Change from ``years[0]`` to ``years[1]`` for the county and «landet uten Oslo», per function.

    Returns:
        A new frame with ``function``, ``indicator``, ``start``, ``end``, ``change_pct``,
        ``reference_start``, ``reference_end``, ``reference_change_pct`` (per cent, current kroner)
        and the statuses ``start_status``/``end_status``.
    """
    _check_county(county_code)
    y0, y1 = years
    rows = []
    for f in FUNCTIONS:
        a, sa = _cell(data, county_code, f, y0)
        b, sb = _cell(data, county_code, f, y1)
        ra, rb = value(data, REFERENCE, f, y0), value(data, REFERENCE, f, y1)
        rows.append(
            {
                "function": f,
                "indicator": indicator_id(f),
                "start": a,
                "end": b,
                "start_status": sa,
                "end_status": sb,
                "change_pct": pct_difference(b, a),
                "reference_start": ra,
                "reference_end": rb,
                "reference_change_pct": pct_difference(rb, ra),
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- borders (KLASS 131)
def _span(years: tuple[int, ...], lang: str) -> str:
    if len(years) == 1:
        return str(years[0])
    return f"{years[0]}–{years[-1]}"


def border_note(data: pd.DataFrame, county_code: str, lang: str = "nb") -> str:
    """Return a sentence on the county's borders over the years with figures (from KLASS 131)."""
    _check_lang(lang)
    name = region_name(county_code)
    ys = years_of(data, county_code)
    if not ys:
        return ""
    moves = border_moves(county_code, ys)
    period = f"{ys[0]}–{ys[-1]}"
    if not moves:
        return _t(
            lang,
            f"{name} hadde de samme grensene i hele perioden {period} som tallene dekker.",
            f"{name} hadde dei same grensene i heile perioden {period} som tala dekkjer.",
        )
    into, out_of = [], []
    for mv in moves:
        span = _span(mv.years, lang)
        if mv.county_2024 == county_code:
            other = regions.county_name(mv.county_then).split(" (")[0]
            into.append(f"{mv.name} ({span}, {_t(lang, 'da i', 'då i')} {other})")
        else:
            other = regions.county_name(mv.county_2024)
            out_of.append(f"{mv.name} ({span}, {_t(lang, 'nå i', 'no i')} {other})")
    bits = []
    if out_of:
        bits.append(
            _t(
                lang,
                f"tallene omfatter da også {fmt.join_words(out_of)}",
                f"tala omfattar då også {fmt.join_words(out_of)}",
            )
        )
    if into:
        bits.append(
            _t(
                lang,
                f"de omfatter ikke {fmt.join_words(into)}",
                f"dei omfattar ikkje {fmt.join_words(into)}",
            )
        )
    return (
        _t(
            lang,
            f"Noen år gjelder tallene for {name} litt andre grenser enn i dag (etter SSBs "
            f"kommuneklassifikasjon, KLASS 131): ",
            f"Nokre år gjeld tala for {name} litt andre grenser enn i dag (etter "
            f"kommuneklassifikasjonen til SSB, KLASS 131): ",
        )
        + "; ".join(bits)
        + "."
    )


# --------------------------------------------------------------------------- csv rows
def indicator_rows() -> pd.DataFrame:
    """Return this chapter's rows of ``outputs/indicators.csv``: every county and ``EAFKUO``, every year.

    Returns:
        A new frame with columns ``indicator, region_code, region_name, year, value, status,
        unit, source``; counties as two-digit codes, ``EAFKUO`` as is, ``source`` naming
        table 12163, ``status`` the SSB symbol or empty.
    """
    df = load("snapshot")
    reg = {i: indicators.get(i) for i in INDICATOR_IDS}
    return pd.DataFrame(
        {
            "indicator": df["indicator"],
            "region_code": df["region"],
            "region_name": df["region"].map(lambda c: region_name(c, "nb")),
            "year": df["year"].astype(int),
            "value": df["value"],
            "status": df["status"].map(lambda s: s if isinstance(s, str) else ""),
            "unit": df["indicator"].map(lambda i: reg[i].csv_unit),
            "source": df["indicator"].map(lambda i: reg[i].source_text),
        }
    ).reset_index(drop=True)


# --------------------------------------------------------------------------- sentences
def _kr(x: float, lang: str) -> str:
    return fmt.kroner(x, 0, lang)


def _more_less(pct: float, lang: str, polarity: str) -> str:
    """«23 % meir» / «12 % mindre» (neutral words: spending has polarity ``neither``)."""
    amount = fmt.percent(abs(pct), 0, lang)
    if polarity == "neither":
        word = _t(lang, "mer", "meir") if pct > 0 else _t(lang, "mindre", "mindre")
    else:  # pragma: no cover - no KOSTRA indicator has a direction
        word = _t(lang, "høyere", "høgare") if pct > 0 else _t(lang, "lavere", "lågare")
    return f"{amount} {word}"


def key_sentences(
    county_code: str,
    lang: str = "nb",
    data: pd.DataFrame | None = None,
    year: int | None = None,
) -> list[str]:
    """Return key sentences (3–6) on where the county spends notably more or less than the reference.

    One sentence per function at least :data:`NOTABLE_PERCENT` % away from «landet uten Oslo»
    (negative net spending is compared in kroner), one for the functions near it, the largest
    change from 2024 to 2025 (dropped first when there would be more than
    :data:`MAX_KEY_SENTENCES`), and for Oslo the Oslo caveat. The threshold is stated to readers
    by :func:`threshold_text`. Wording follows the registry's polarity: ``neither`` for spending,
    so «more»/«less», never «better»/«worse».
    """
    _check_lang(lang)
    _check_county(county_code)
    data = load() if data is None else data
    year = latest_year(data) if year is None else year
    name = region_name(county_code)
    ref = reference_name(lang)
    u = _t(lang, "per innbygger", "per innbyggjar")
    cmp_ = comparison(data, county_code, year)
    out: list[str] = []
    calm: list[str] = []
    for r in cmp_.itertuples(index=False):
        ind = indicators.get(r.indicator)
        label = ind.short_name(lang).lower()
        if np.isnan(r.value) or np.isnan(r.reference):
            continue
        if r.value < 0:
            out.append(
                _t(
                    lang,
                    f"{name} hadde negative netto driftsutgifter til {label} i {year} "
                    f"({_kr(r.value, lang)} {u}), mot {_kr(r.reference, lang)} i {ref}.",
                    f"{name} hadde negative netto driftsutgifter til {label} i {year} "
                    f"({_kr(r.value, lang)} {u}), mot {_kr(r.reference, lang)} i {ref}.",
                )
            )
        elif r.notable != 0:
            rank_txt = ""
            if r.rank == 1:
                rank_txt = _t(lang, " – mest av alle fylkene", " – mest av alle fylka")
            elif r.rank == r.n_counties:
                rank_txt = _t(lang, " – minst av alle fylkene", " – minst av alle fylka")
            out.append(
                _t(
                    lang,
                    f"{name} brukte {_more_less(r.pct_vs_reference, lang, ind.polarity)} {u} på "
                    f"{label} enn {ref} i {year} ({_kr(r.value, lang)} mot "
                    f"{_kr(r.reference, lang)}){rank_txt}.",
                    f"{name} brukte {_more_less(r.pct_vs_reference, lang, ind.polarity)} {u} på "
                    f"{label} enn {ref} i {year} ({_kr(r.value, lang)} mot "
                    f"{_kr(r.reference, lang)}){rank_txt}.",
                )
            )
        else:
            calm.append(label)
    if calm:
        out.append(
            _t(
                lang,
                f"På {fmt.join_words(calm)} lå {name} nær {ref} i {year} (mindre enn "
                f"{fmt.number(NOTABLE_PERCENT, 0, lang)} % forskjell).",
                f"På {fmt.join_words(calm)} låg {name} nær {ref} i {year} (mindre enn "
                f"{fmt.number(NOTABLE_PERCENT, 0, lang)} % skilnad).",
            ).replace(" %", fmt.NBSP + "%")
        )
    room = MAX_KEY_SENTENCES - len(out) - (county_code == OSLO)
    ch = change(data, county_code)
    ch = ch[ch["change_pct"].notna()]
    if not ch.empty and room > 0:
        big = ch.loc[ch["change_pct"].abs().idxmax()]
        label = function_label(big["function"], lang).lower()
        direction = (
            _t(lang, "økte", "auka") if big["change_pct"] > 0 else _t(lang, "gikk ned", "gjekk ned")
        )
        y0, y1 = CHANGE_YEARS
        out.append(
            _t(
                lang,
                f"Størst endring fra {y0} til {y1}: utgiftene {u} til {label} {direction} med "
                f"{fmt.percent(abs(big['change_pct']), 1, lang)} ({ref}: "
                f"{fmt.percent(big['reference_change_pct'], 1, lang, sign=True)}).",
                f"Størst endring frå {y0} til {y1}: utgiftene {u} til {label} {direction} med "
                f"{fmt.percent(abs(big['change_pct']), 1, lang)} ({ref}: "
                f"{fmt.percent(big['reference_change_pct'], 1, lang, sign=True)}).",
            )
        )
    if county_code == OSLO:
        out.append(oslo_note(lang))
    return out


def threshold_text(lang: str = "nb") -> str:
    """Return the stated meaning of «notably»: ±10 % from the reference."""
    p = fmt.percent(NOTABLE_PERCENT, 0, lang)
    return _t(
        lang,
        f"Vi kaller en forskjell markert når fylket bruker minst {p} mer eller mindre per "
        f"innbygger enn {reference_name(lang)}.",
        f"Vi kallar ein skilnad markert når fylket brukar minst {p} meir eller mindre per "
        f"innbyggjar enn {reference_name(lang)}.",
    )


# --------------------------------------------------------------------------- tables
def comparison_table(
    data: pd.DataFrame, county_code: str, lang: str = "nb", year: int | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """Return the county against «landet uten Oslo» and its rank, formatted for ``Chapter.table``.

    Returns:
        (the table with formatted text cells, the SSB symbols that occur).
    """
    _check_lang(lang)
    cmp_ = comparison(data, county_code, year)
    name = region_name(county_code)
    yr = int(cmp_["year"].iloc[0])
    col_area = _t(lang, "Tjenesteområde", "Tenesteområde")
    col_diff = _t(lang, "Forskjell", "Skilnad")
    col_rank = _t(lang, "Plass blant 15 fylker (1 = høyest)", "Plass blant 15 fylke (1 = høgast)")
    rows = []
    symbols = []
    for r in cmp_.itertuples(index=False):
        if r.status:
            symbols.append(r.status)
        rows.append(
            {
                col_area: function_label(r.function, lang),
                f"{name} {yr}": fmt.cell(r.value, r.status, 0, lang),
                f"{region_name(REFERENCE, lang)} {yr}": fmt.cell(r.reference, None, 0, lang),
                col_diff: fmt.percent(r.pct_vs_reference, 0, lang, sign=True)
                if not np.isnan(r.pct_vs_reference)
                else fmt.number(r.diff_kr, 0, lang, sign=True) + fmt.NBSP + "kr",
                col_rank: f"{r.rank}" if r.rank is not None else "..",
            }
        )
    return pd.DataFrame(rows), symbols


def _change_cell(start: float, end: float, pct: float, lang: str) -> str:
    """Return a change in per cent, or in kroner where a percentage has no meaning (negative amounts)."""
    if not np.isnan(pct):
        return fmt.percent(pct, 1, lang, sign=True)
    if np.isnan(start) or np.isnan(end):
        return ".."
    return fmt.number(end - start, 0, lang, sign=True) + fmt.NBSP + "kr"


def change_table(
    data: pd.DataFrame, county_code: str, lang: str = "nb"
) -> tuple[pd.DataFrame, list[str]]:
    """Change from 2024 to 2025 for the county and «landet uten Oslo», formatted text cells."""
    _check_lang(lang)
    ch = change(data, county_code)
    y0, y1 = CHANGE_YEARS
    name = region_name(county_code)
    ref = region_name(REFERENCE, lang)
    col_change = _t(lang, "endring", "endring")
    rows, symbols = [], []
    for r in ch.itertuples(index=False):
        symbols += [s for s in (r.start_status, r.end_status) if s]
        rows.append(
            {
                _t(lang, "Tjenesteområde", "Tenesteområde"): function_label(r.function, lang),
                f"{name} {y0}": fmt.cell(r.start, r.start_status, 0, lang),
                f"{name} {y1}": fmt.cell(r.end, r.end_status, 0, lang),
                f"{name}, {col_change}": _change_cell(r.start, r.end, r.change_pct, lang),
                f"{ref}, {col_change}": _change_cell(
                    r.reference_start, r.reference_end, r.reference_change_pct, lang
                ),
            }
        )
    return pd.DataFrame(rows), symbols


# --------------------------------------------------------------------------- figures
def _oslo_label(code: str) -> str:
    return "Oslo*" if code == OSLO else region_name(code)


def _add_note(fig: Figure, note: str) -> None:
    """Print *note* above the source line, making room by moving the axes up (no re-layout)."""
    import textwrap

    lines = textwrap.wrap(note, 125)
    height_in = fig.get_figheight()
    line = 8 * 1.35 / 72 / height_in  # one 8 pt line as a fraction of the figure height
    fig.text(0.01, 0.038, "\n".join(lines), fontsize=8, color="#333333", ha="left", va="bottom")
    fig.subplots_adjust(bottom=fig.subplotpars.bottom + line * len(lines) + 0.01)


def plot_ranking(
    data: pd.DataFrame,
    function: str,
    county_code: str,
    lang: str = "nb",
    year: int | None = None,
    comparison_counties: list[str] | None = None,
) -> Figure:
    """Plot a ranked bar chart of the 15 counties for one function, the county highlighted.

    The county is :data:`style.COUNTY`, its comparison counties :data:`style.COMPARISON`, other
    counties :data:`style.OTHER`; «landet uten Oslo» is a vertical line in :data:`style.REFERENCE`.
    Oslo is marked with an asterisk and a note under the chart.
    """
    _check_lang(lang)
    year = latest_year(data) if year is None else year
    rk = ranking(data, function, year).iloc[::-1].reset_index(drop=True)  # highest on top
    comp = set(comparison_counties or [])
    ref = value(data, REFERENCE, function, year)
    fig, ax = style.new_figure(8.0, 5.6)
    colors = [
        style.COUNTY if c == county_code else style.COMPARISON if c in comp else style.OTHER
        for c in rk["region"]
    ]
    vals = rk["value"].fillna(0.0)
    ax.barh(range(len(rk)), vals, color=colors, height=0.7)
    ax.set_yticks(range(len(rk)), [_oslo_label(c) for c in rk["region"]])
    for tick, code in zip(ax.get_yticklabels(), rk["region"], strict=True):
        if code == county_code:
            tick.set_fontweight("bold")
    span = float(np.nanmax(np.abs(rk["value"]))) if rk["value"].notna().any() else 1.0
    for i, (v, s) in enumerate(zip(rk["value"], rk["status"], strict=True)):
        text = fmt.cell(v, s, 0, lang)
        ax.text(
            v + span * 0.01 if v >= 0 else span * 0.01,
            i,
            text,
            va="center",
            fontsize=8,
            zorder=4,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6, "alpha": 0.85},
        )
    if not np.isnan(ref):
        ax.axvline(ref, color=style.REFERENCE, linewidth=2, linestyle="--", zorder=3)
    ax.grid(axis="x", color="#e3e3e3")
    ax.grid(axis="y", visible=False)
    ax.set_xlim(min(0.0, float(np.nanmin(rk["value"])) * 1.15), span * 1.15)
    style.number_axis(ax, "x", 0, "", lang)
    handles = [Patch(color=style.COUNTY, label=region_name(county_code))]
    if comp:
        handles.append(
            Patch(
                color=style.COMPARISON, label=_t(lang, "Sammenligningsfylker", "Samanlikningsfylke")
            )
        )
    if set(COUNTIES) - comp - {county_code}:
        handles.append(Patch(color=style.OTHER, label=_t(lang, "Andre fylker", "Andre fylke")))
    handles.append(
        Line2D(
            [],
            [],
            color=style.REFERENCE,
            linestyle="--",
            linewidth=2,
            label=region_name(REFERENCE, lang),
        )
    )
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.45, -0.13),
        ncol=len(handles),
        fontsize=8,
        frameon=False,
    )
    label = function_label(function, lang)
    style.finish(
        fig,
        ax,
        title=f"{label}: {_t(lang, 'netto driftsutgifter per innbygger', 'netto driftsutgifter per innbyggjar')}, {year}",
        subtitle=_t(lang, "Alle 15 fylkeskommuner, kroner", "Alle dei 15 fylkeskommunane, kroner"),
        xlabel=unit(lang),
        source=source(lang),
    )
    _add_note(fig, "* " + oslo_note(lang))
    return fig


def ranking_colours_text(county_code: str, comparison_counties: list[str], lang: str = "nb") -> str:
    """Explain what the colours of :func:`plot_ranking` mean, for the text before the charts."""
    name = region_name(county_code)
    others = set(COUNTIES) - set(comparison_counties) - {county_code}
    text = _t(
        lang,
        f"{name} er mørk blå, fylkene {name} sammenligner seg med er lyseblå",
        f"{name} er mørkeblå, fylka {name} samanliknar seg med er lyseblå",
    )
    if others:
        text += _t(lang, ", de andre fylkene er grå", ", dei andre fylka er grå")
    return text + _t(
        lang,
        f", og den stiplede linjen er {reference_name(lang)}.",
        f", og den stipla linja er {reference_name(lang)}.",
    )


def ranking_alt(
    data: pd.DataFrame, function: str, county_code: str, lang: str = "nb", year: int | None = None
) -> str:
    """Alt text for :func:`plot_ranking`: what the chart shows, with the county's figures."""
    year = latest_year(data) if year is None else year
    rk = ranking(data, function, year)
    row = rk[rk["region"] == county_code].iloc[0]
    ref = value(data, REFERENCE, function, year)
    top, bottom = rk.iloc[0], rk[rk["value"].notna()].iloc[-1]
    label = function_label(function, lang).lower()
    name = region_name(county_code)
    return _t(
        lang,
        f"Liggende stolper for de 15 fylkeskommunenes netto driftsutgifter per innbygger til {label} "
        f"i {year}, sortert fra høyest til lavest. {name} har {_kr(row['value'], lang)} og er nummer "
        f"{row['rank']}; landet uten Oslo har {_kr(ref, lang)} (stiplet linje). Høyest er "
        f"{top['name']} med {_kr(top['value'], lang)}, lavest {bottom['name']} med "
        f"{_kr(bottom['value'], lang)}. {oslo_note(lang)}",
        f"Liggjande stolpar for netto driftsutgifter per innbyggjar til {label} i dei 15 "
        f"fylkeskommunane i {year}, sorterte frå høgast til lågast. {name} har "
        f"{_kr(row['value'], lang)} og er nummer {row['rank']}; landet utanom Oslo har "
        f"{_kr(ref, lang)} (stipla linje). Høgast er {top['name']} med {_kr(top['value'], lang)}, "
        f"lågast {bottom['name']} med {_kr(bottom['value'], lang)}. {oslo_note(lang)}",
    )


def _year_ticks(years: list[int]) -> list[int]:
    """Every year for short series, every second year (ending on the last) for long ones."""
    first, last = years[0], years[-1]
    if last - first <= 6:
        return list(range(first, last + 1))
    return list(range(last, first - 1, -2))[::-1]


def plot_trend(data: pd.DataFrame, county_code: str, lang: str = "nb") -> Figure:
    """Plot the county's series against «landet uten Oslo», one panel per function.

    The county's line is broken at each new county division (2020, 2024), marked with a vertical
    line «Ny fylkesinndeling»; the reference line is drawn over the years the county has figures.
    """
    _check_lang(lang)
    _check_county(county_code)
    ys = years_of(data, county_code)
    if not ys:
        raise ValueError(f"no figures for county {county_code}")
    fig, axes = style.new_figure(8.0, 8.2, ncols=2, nrows=3)
    flat = list(np.ravel(axes))
    name = region_name(county_code)
    for ax, f in zip(flat, FUNCTIONS, strict=False):
        sub = data[data["function"] == f]
        ref = sub[(sub["region"] == REFERENCE) & sub["year"].between(ys[0], ys[-1])].sort_values(
            "year"
        )
        ax.plot(ref["year"], ref["value"], color=style.REFERENCE, linestyle="--", linewidth=1.8)
        own = sub[sub["region"] == county_code].set_index("year")["value"]
        for run in segments([y for y in ys if y in own.index]):
            ax.plot(
                run,
                own.loc[run].to_numpy(),
                color=style.COUNTY,
                linewidth=2.2,
                marker="o",
                markersize=3.5,
            )
        for y in DIVISION_CHANGES:
            if ys[0] < y <= ys[-1]:
                ax.axvline(y - 0.5, color="#777777", linestyle=":", linewidth=1.2)
                if f == FUNCTIONS[0]:
                    ax.text(
                        y - 0.4,
                        0.02,
                        "Ny fylkesinndeling",
                        transform=ax.get_xaxis_transform(),
                        rotation=90,
                        fontsize=7,
                        color="#555555",
                        va="bottom",
                        ha="left",
                    )
        ax.set_title(function_label(f, lang), fontsize=10, loc="left")
        ax.set_xticks(_year_ticks(ys))
        ax.tick_params(axis="x", labelsize=8, rotation=0)
        ax.tick_params(axis="y", labelsize=8)
        style.number_axis(ax, "y", 0, "", lang)
        lo = min(0.0, float(np.nanmin(np.r_[own.to_numpy(), ref["value"].to_numpy()])))
        ax.set_ylim(lo * 1.1 if lo < 0 else 0, None)
        if lo < 0:
            ax.axhline(0, color="#999999", linewidth=0.8)
    legend_ax = flat[len(FUNCTIONS)]
    legend_ax.axis("off")
    handles = [
        Line2D(
            [],
            [],
            color=style.COUNTY,
            linewidth=2.2,
            marker="o",
            markersize=3.5,
            label=_oslo_label(county_code),
        ),
        Line2D(
            [],
            [],
            color=style.REFERENCE,
            linestyle="--",
            linewidth=1.8,
            label=region_name(REFERENCE, lang),
        ),
    ]
    if any(ys[0] < y <= ys[-1] for y in DIVISION_CHANGES):
        handles.append(
            Line2D(
                [], [], color="#777777", linestyle=":", linewidth=1.2, label="Ny fylkesinndeling"
            )
        )
    legend_ax.legend(handles=handles, loc="center left", fontsize=9, frameon=False)
    style.finish(
        fig,
        None,
        title=_t(
            lang,
            f"{name}: netto driftsutgifter per innbygger, {ys[0]}–{ys[-1]} (kroner)",
            f"{name}: netto driftsutgifter per innbyggjar, {ys[0]}–{ys[-1]} (kroner)",
        ),
        source=source(lang),
    )
    notes = [
        _t(
            lang,
            "Linjen er brutt ved ny fylkesinndeling (2020 og 2024). Løpende kroner.",
            "Linja er broten ved ny fylkesinndeling (2020 og 2024). Løpande kroner.",
        )
    ]
    moved = [m for m in border_moves(county_code, ys) if m.years]
    if moved:
        first, last = min(min(m.years) for m in moved), max(max(m.years) for m in moved)
        notes.append(
            _t(
                lang,
                f"Tallene for {_span((first, last), lang)} gjelder litt andre grenser enn i dag.",
                f"Tala for {_span((first, last), lang)} gjeld litt andre grenser enn i dag.",
            )
        )
    if county_code == OSLO:
        notes.append("* " + oslo_note(lang))
    _add_note(fig, " ".join(notes))
    return fig


def trend_alt(data: pd.DataFrame, county_code: str, lang: str = "nb") -> str:
    """Alt text for :func:`plot_trend`."""
    ys = years_of(data, county_code)
    name = region_name(county_code)
    parts = []
    for f in FUNCTIONS:
        a, b = value(data, county_code, f, ys[0]), value(data, county_code, f, ys[-1])
        parts.append(f"{function_label(f, lang).lower()} {_kr(a, lang)} → {_kr(b, lang)}")
    breaks = [str(y) for y in DIVISION_CHANGES if ys[0] < y <= ys[-1]]
    br = fmt.join_words(breaks)
    text = _t(
        lang,
        f"Fem linjediagram, ett per tjenesteområde, med netto driftsutgifter per innbygger i {name} "
        f"(heltrukken linje) og landet uten Oslo (stiplet) {ys[0]}–{ys[-1]}. Linjen for {name} er "
        f"brutt ved ny fylkesinndeling i {br}. Fra {ys[0]} til {ys[-1]}: {'; '.join(parts)}.",
        f"Fem linjediagram, eitt per tenesteområde, med netto driftsutgifter per innbyggjar i {name} "
        f"(heiltrekt linje) og landet utanom Oslo (stipla) {ys[0]}–{ys[-1]}. Linja for {name} er "
        f"broten ved ny fylkesinndeling i {br}. Frå {ys[0]} til {ys[-1]}: {'; '.join(parts)}.",
    )
    if not breaks:
        text = text.replace(
            _t(
                lang,
                f" Linjen for {name} er brutt ved ny fylkesinndeling i .",
                f" Linja for {name} er broten ved ny fylkesinndeling i .",
            ),
            "",
        )
    if county_code == OSLO:
        text += " " + oslo_note(lang)
    return text


# --------------------------------------------------------------------------- narrative helpers
def functions_text(lang: str = "nb") -> str:
    """Return the five function groups as prose, from the registry («videregående opplæring, …og kultur»)."""
    return fmt.join_words([function_label(f, lang).lower() for f in FUNCTIONS])


def ranking_title(
    function: str, lang: str = "nb", year: int | None = None, data: pd.DataFrame | None = None
) -> str:
    """Caption of :func:`plot_ranking`."""
    year = latest_year(load() if data is None else data) if year is None else year
    return _t(
        lang,
        f"Netto driftsutgifter per innbygger til {function_label(function, lang).lower()} i alle fylkene, {year}",
        f"Netto driftsutgifter per innbyggjar til {function_label(function, lang).lower()} i alle fylka, {year}",
    )


def trend_title(data: pd.DataFrame, county_code: str, lang: str = "nb") -> str:
    """Caption of :func:`plot_trend`."""
    ys = years_of(data, county_code)
    name = region_name(county_code)
    return _t(
        lang,
        f"Netto driftsutgifter per innbygger i {name} og landet uten Oslo, {ys[0]}–{ys[-1]}",
        f"Netto driftsutgifter per innbyggjar i {name} og landet utanom Oslo, {ys[0]}–{ys[-1]}",
    )


def merged_predecessor(county_code: str) -> str | None:
    """Return the 2020–2023 merged county a re-created 2024 county was part of (e.g. ``Viken``), else ``None``."""
    _check_county(county_code)
    for code, (name, successors) in regions.ABOLISHED_COUNTIES.items():
        if "2020" in name and county_code in successors and len(successors) > 1:
            return regions.county_name(code).split(" (")[0]
    return None


def short_series_text(data: pd.DataFrame, county_code: str, lang: str = "nb") -> str:
    """Why a county re-created in 2024 has no longer series (names the merged county it left)."""
    name = region_name(county_code)
    ys = years_of(data, county_code)
    span = f"{ys[0]}–{ys[-1]}" if len(ys) > 1 else str(ys[0])
    before = merged_predecessor(county_code)
    if before:
        return _t(
            lang,
            f"{name} fylkeskommune ble opprettet på nytt ved den nye fylkesinndelingen 1. januar "
            f"2024. I 2020–2023 var {name} en del av {before}, og tallene for den sammenslåtte "
            f"fylkeskommunen kan ikke deles på dagens fylker. Derfor vises bare {span}.",
            f"{name} fylkeskommune vart oppretta på nytt ved den nye fylkesinndelinga 1. januar "
            f"2024. I 2020–2023 var {name} ein del av {before}, og tala for den samanslåtte "
            f"fylkeskommunen kan ikkje delast på dagens fylke. Difor blir berre {span} viste.",
        )
    return _t(
        lang,
        f"Datauttaket har tall for {name} bare for {span}.",
        f"Datauttaket har tal for {name} berre for {span}.",
    )
