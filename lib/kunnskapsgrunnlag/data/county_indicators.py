"""SSB's answers for 09280, 11842, 11844, 11961 and 12971 in the ``county_indicators`` shape.

The bundled long file (``ssb-andre-fylkesindikatorer``) was made by a third-party script; this
module is its live path: :func:`from_jsonstat` turns the manifest's queries' JSON-stat answers
into the same rows (``region``, ``region_name``, ``indicator``, ``table``, ``year``, ``value``,
``status``, ``unit``; see :mod:`kunnskapsgrunnlag.data.snapshot`).

The content codes of 11842, 11844 and 11961 are the ones the origin script confirmed. The other
categories (09280's area type, 11961's patient group, 12971's completion categories, programme,
sex and measure) were never seen in an answer here, so the queries ask for ``*`` and the
categories are picked **by label**, as the origin script did; an answer without exactly the
expected label is an error that names the table, the dimension and the labels it has.

Values are kept as SSB publishes them (the bundled file has some rounded to whole numbers), with
one exception: ``vgs_fullfort_studie_yrkeskompetanse`` is **derived**, the sum of 12971's
percentages of the categories «fullført med studie- eller yrkeskompetanse» (within and beyond the
normal time), rounded half-up to one decimal, dated the cohort's first year + 5, exactly as the
bundled file documents it. A symbol in a summed cell makes the sum that symbol.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from kunnskapsgrunnlag.data.csvfiles import INDICATOR_COLUMNS, REFERENCE_REGIONS
from kunnskapsgrunnlag.data.errors import SnapshotError
from kunnskapsgrunnlag.data.shape import nfc
from kunnskapsgrunnlag.data.tidy import _check_single, _dims
from kunnskapsgrunnlag.data.tidy import _label as _labels
from kunnskapsgrunnlag.formatting import round_half_up
from kunnskapsgrunnlag.regions import COUNTIES, NORWAY
from kunnskapsgrunnlag.status import group_sum

CONTENTS: dict[str, dict[str, tuple[str, str]]] = {
    "11842": {
        "KOSfylkesveier0000": ("fylkesvei_km", "km"),
        "KOSbruertotalt0000": ("bruer_totalt", "antall"),
        "KOSkmtunneler0000": ("tunneler_km", "km"),
        "KOSandeldaarligd0000": ("andel_fylkesvei_darlig_dekke", "prosent"),
    },
    "11844": {"KOSpassasjerbuss0000": ("busspassasjerer", "antall")},
    "11961": {"KOSandelundersok0000": ("tannhelse_andel_undersokt_behandlet", "prosent")},
}
"""Content code → (indicator, unit) of the KOSTRA tables (codes confirmed by the origin script)."""

LAND_AREA = ("landareal_km2", "km²")
COMPLETION = ("vgs_fullfort_studie_yrkeskompetanse", "prosent")
COMPLETED = "fullført med studie- eller yrkeskompetanse"
"""12971's completion categories summed: every one whose label contains this text."""
AGES_3_18 = r"\b3\s*[-–]\s*18\b"
"""11961's patient group (the origin script's regex also took «barn og ung», used as a fallback)."""
YEARS_TO_COMPLETION = 5
"""12971's year is the cohort's first year + 5 (the origin file's convention)."""

_NAMES = {code: name for name, code in REFERENCE_REGIONS.items()}
_WHOLE_COUNTRY = {nfc(t) for t in ("Landet", "Hele landet", "Heile landet", "I alt")}


def _dim(js: pd.DataFrame, table: str, pattern: str, *, required: bool = True) -> str | None:
    """The one dimension whose id matches *pattern* (``None`` when eliminated and not required)."""
    hits = [d for d in _dims(js) if re.search(pattern, d, re.IGNORECASE)]
    if len(hits) == 1:
        return hits[0]
    if not hits and not required:
        return None
    raise SnapshotError(
        f"table {table}: expected one dimension matching {pattern!r} in SSB's answer, "
        f"found {hits or 'none'} (dimensions: {', '.join(_dims(js))})"
    )


def _pick(
    js: pd.DataFrame, table: str, dim: str | None, pattern: str, *, many: bool = False
) -> pd.DataFrame:
    """The rows of *js* whose *dim* category label matches *pattern* (one category unless *many*)."""
    if dim is None:  # eliminated by SSB: the answer is already the total
        return js
    labels = _labels(js, dim)
    hits = sorted(set(labels[labels.str.contains(pattern, case=False, regex=True)]))
    if not hits or (len(hits) > 1 and not many):
        seen = "; ".join(f"«{t}»" for t in dict.fromkeys(labels))
        raise SnapshotError(
            f"table {table}: expected {'a category' if many else 'one category'} of {dim} "
            f"matching {pattern!r}, found {len(hits)} (categories: {seen})"
        )
    return js[labels.isin(hits)]


def region_code(code: str, label: str) -> str | None:
    """A region of an answer as the engine's code: 2024 county, ``"0"``, ``"EAFKUO"`` or ``None``.

    KOSTRA county councils ``XX00`` and standard two-digit counties give ``XX`` when it is a 2024
    county; ``EAFKUO`` / «Landet uten Oslo» stays ``EAFKUO``; ``0``, ``EAFK`` and the whole-country
    labels («Landet», «Hele landet», «I alt») give ``"0"``. Anything else (counties of earlier
    divisions) is ``None``.
    """
    m = re.fullmatch(r"(\d{2})(?:00)?", code)
    if m and m.group(1) in COUNTIES:
        return m.group(1)
    if code == "EAFKUO" or nfc(label) == nfc(_NAMES["EAFKUO"]):
        return "EAFKUO"
    if code in (NORWAY, "EAFK") or nfc(label) in _WHOLE_COUNTRY:
        return NORWAY
    return None


def _rows(js: pd.DataFrame, rdim: str, indicator: pd.Series, unit: pd.Series, table: str,
          year: pd.Series) -> pd.DataFrame:  # fmt: skip
    region = pd.Series(
        [region_code(c, t) for c, t in zip(js[rdim].astype(str), _labels(js, rdim), strict=True)],
        index=js.index,
        dtype=object,
    )
    df = pd.DataFrame(
        {
            "region": region,
            "indicator": indicator.to_numpy(),
            "table": table,
            "year": year.to_numpy(),
            "value": js["value"].astype(float).to_numpy(),
            "status": js["status"].to_numpy(dtype=object),
            "unit": unit.to_numpy(),
        },
        index=js.index,
    )
    df.attrs["dropped_regions"] = sorted(set(_labels(js, rdim)[region.isna()]))
    return df[df["region"].notna()]


def _patient_group(js: pd.DataFrame, table: str) -> pd.DataFrame:
    """11961's patient group of children and young people 3–18 years (by label, as the origin)."""
    group = _dim(js, table, r"pasient|gruppe", required=False)
    if group is None:
        return js
    has_ages = _labels(js, group).str.contains(AGES_3_18, regex=True).any()
    return _pick(js, table, group, AGES_3_18 if has_ages else r"barn og ung")


def _kostra(js: pd.DataFrame, table: str) -> pd.DataFrame:
    """11842, 11844, 11961: county councils by content code (11961: patient group 3–18 years)."""
    rdim = _dim(js, table, r"region")
    if table == "11961":
        js = _patient_group(js, table)
    contents = CONTENTS[table]
    known = js["ContentsCode"].astype(str).isin(list(contents))
    if not known.any():
        raise SnapshotError(
            f"table {table}: none of the content codes {', '.join(contents)} in SSB's answer "
            f"(found {', '.join(sorted(set(js['ContentsCode'].astype(str))))})"
        )
    js = js[known]
    _check_single(js, (rdim, "ContentsCode", "Tid"), table)
    spec = js["ContentsCode"].astype(str).map(contents)
    return _rows(js, rdim, spec.str[0], spec.str[1], table, js["Tid"].astype(int))


def _land_area(js: pd.DataFrame, table: str) -> pd.DataFrame:
    """09280: area type «Landareal» (km²), each region's latest year asked for."""
    js = _pick(js, table, _dim(js, table, r"areal", required=False), r"landareal")
    if js["ContentsCode"].nunique() > 1:
        js = _pick(js, table, "ContentsCode", r"areal")
    rdim = _dim(js, table, r"region")
    _check_single(js, (rdim, "Tid"), table)
    n = len(js)
    return _rows(js, rdim, pd.Series([LAND_AREA[0]] * n), pd.Series([LAND_AREA[1]] * n),
                 table, js["Tid"].astype(int))  # fmt: skip


def _cohort_year(code: str, table: str) -> int:
    m = re.match(r"\s*(\d{4})", code)
    if not m:
        raise SnapshotError(f"table {table}: cannot read a cohort's first year from {code!r}")
    return int(m.group(1)) + YEARS_TO_COMPLETION


def _completion(js: pd.DataFrame, table: str) -> pd.DataFrame:
    """12971 (DERIVED): the completion categories' percentages summed, all programmes, both sexes."""
    js = _pick(js, table, _dim(js, table, r"fullf"), re.escape(COMPLETED), many=True)
    js = _pick(js, table, _dim(js, table, r"utdprogram|program", required=False), r"^alle")
    js = _pick(js, table, _dim(js, table, r"kj[oø]nn", required=False), r"^begge")
    if js["ContentsCode"].nunique() > 1:
        js = _pick(js, table, "ContentsCode", r"^prosent$|andel|prosent")
    fdim, rdim = _dim(js, table, r"fullf"), _dim(js, table, r"region")
    _check_single(js, (rdim, fdim, "Tid"), table)
    n = len(js)
    rows = _rows(js, rdim, pd.Series([COMPLETION[0]] * n), pd.Series([COMPLETION[1]] * n),
                 table, js["Tid"].astype(str).map(lambda c: _cohort_year(c, table)))  # fmt: skip
    summed = group_sum(rows, by=["region", "indicator", "table", "year", "unit"])
    # round(…, 6) first: a float sum of published decimals (44.85 + 44.5) is 89.35 ± 1e-14
    summed["value"] = [v if pd.isna(v) else round_half_up(round(v, 6), 1) for v in summed["value"]]
    summed.attrs["dropped_regions"] = rows.attrs["dropped_regions"]
    return summed


_READERS = {"09280": _land_area, "11842": _kostra, "11844": _kostra, "11961": _kostra,
            "12971": _completion}  # fmt: skip


def from_jsonstat(entry: Mapping[str, Any], frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The ``county_indicators`` rows of SSB's answers to *entry*'s queries (one frame each).

    Raises:
        SnapshotError: An answer is for another table than its query, lacks an expected
            dimension, category or content code, or two answers give the same cell.
    """
    queries = entry.get("queries") or []
    if len(queries) != len(frames):
        raise SnapshotError(
            f"source {entry.get('id')!r}: {len(frames)} answers for {len(queries)} queries"
        )
    parts, dropped = [], set()
    for query, js in zip(queries, frames, strict=True):
        table = str(query["table"])
        said = js.attrs.get("table_id")
        if said and str(said) != table:
            raise SnapshotError(f"the answer to the query for table {table} is table {said}")
        if table not in _READERS:
            raise SnapshotError(f"table {table} has no county-indicator mapping")
        part = _READERS[table](js, table)
        dropped |= set(part.attrs.get("dropped_regions", []))
        parts.append(part)
    return _finish(pd.concat(parts, ignore_index=True), sorted(dropped))


def _finish(df: pd.DataFrame, dropped: list[str]) -> pd.DataFrame:
    twice = df.duplicated(["region", "indicator", "year"])
    if twice.any():
        first = df[twice].iloc[0]
        raise SnapshotError(
            f"{int(twice.sum())} cells given twice by SSB's answers (first: {first['indicator']} "
            f"{first['region']} {first['year']})"
        )
    df = df.assign(
        region_name=[_NAMES.get(r) or COUNTIES[r].name for r in df["region"]],
        year=df["year"].astype("Int64"),
        status=df["status"].astype(object).where(df["status"].notna(), None),
    )
    order = df.sort_values(["indicator", "region", "year"], kind="stable", na_position="first")
    out = order[INDICATOR_COLUMNS].reset_index(drop=True)
    for col in ("region", "region_name", "indicator", "table", "unit"):
        out[col] = out[col].astype(str)
    out["value"] = out["value"].astype(float)
    out.attrs["dropped_regions"] = dropped
    return out
