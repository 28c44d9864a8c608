"""SSB's regional population projections (tables 14288 and 14746) in one tidy shape.

SSB publishes a new round every second year: **14288** (2024 round, 2024–2050) and **14746**
(2026 round, 2026–2050). Both have ``Region`` (plain codes ``0``, ``03`` … ``56`` and 4-digit
municipalities), ``Kjonn``, ``Alder`` (single years ``000``–``105+`` or an aggregation such as
``agg_Funksjonell4``), ``ContentsCode`` (the alternative: ``Personer`` = main alternative MMMM,
``Personer1`` = LLML, ``Personer2`` = HHMH, …) and ``Tid``.

The tidy projection shape (``projection_full``), one row per cell:
``region`` (``"0"``, a 2024 county or municipality code), ``region_name``, ``table``,
``alternative`` (``"MMMM"``, ``"LLML"``, ``"HHMH"`` …), ``year``, ``sex`` (``"1"``/``"2"``,
``None`` when both sexes), ``age_group`` (``"0-0"``, ``"1-5"`` … ``"90+"``, or ``"alle"``),
``value``, ``status``.

Readers: :func:`read_long_csv` (the long CSV a county's script writes from a json-stat2 answer:
``region,statistikkvariabel,år,alder,value,Framskriving,Tabell``, names not codes),
:func:`read_statbank_wide_csv` (a StatBank export with one column per alternative × year), and
:func:`tidy_projection_js` (decoded JSON-stat frames).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from kunnskapsgrunnlag.data.errors import SnapshotError
from kunnskapsgrunnlag.data.jsonstat import SYMBOLS
from kunnskapsgrunnlag.data.shape import (
    age_group,
    names_2024,
    by_unique,
    county_lookup,
    klass_names,
    nfc,
    sex_code,
    status_col,
)
from kunnskapsgrunnlag.data.tidy import _strip_prefix
from kunnskapsgrunnlag.regions import COUNTIES, NORWAY, region_name
from kunnskapsgrunnlag.status import group_sum

COLUMNS = ["region", "region_name", "table", "alternative", "year", "sex", "age_group",
           "value", "status"]  # fmt: skip
"""Columns of the tidy projection shape."""

CONTENTS_ALTERNATIVE: dict[str, str] = {
    "Personer": "MMMM",
    "Personer1": "LLML",
    "Personer2": "HHMH",
}
"""``ContentsCode`` → alternative (SSB-API.md: strong evidence for 14288 and 14746)."""

MAIN_ALTERNATIVE = "MMMM"


def alternative_of(label: str) -> str:
    """The alternative in a ContentsCode or its label: ``"Hovedalternativet (MMMM)"`` → ``MMMM``."""
    text = str(label).strip()
    if text in CONTENTS_ALTERNATIVE:
        return CONTENTS_ALTERNATIVE[text]
    m = re.search(r"\(([A-Z0-9]{4})\)", text)
    if not m:
        raise SnapshotError(f"cannot read a projection alternative from {label!r}")
    return m.group(1)


def _age_label(label: str) -> str:
    """``"0 år"`` → ``"0-0"``, ``"1-5 år"`` → ``"1-5"``, ``"90 år eller eldre"`` → ``"90+"``."""
    t = str(label).strip()
    if re.fullmatch(r"\d+\s*(år|years?)?", t):
        n = int(re.match(r"\d+", t).group(0))
        return f"{n}-{n}"
    return age_group(t)


def region_codes(names: pd.Series) -> pd.Series:
    """Map region names (Norway, 2024 counties or 2024 municipalities) to codes.

    Raises:
        SnapshotError: A name is none of these, or a municipality name is not unique in KLASS
            131 (2024) — names are then ambiguous and the file needs codes.
    """
    counties = county_lookup()
    municipalities: dict[str, list[str]] = {}
    for code, name in (klass_names(2024) or {}).items():
        municipalities.setdefault(nfc(name), []).append(code)

    def code_of(name: str) -> str:
        key = nfc(name)  # Norway's names are in the county lookup too
        if key in counties:
            return counties[key]
        found = municipalities.get(key, [])
        if len(found) != 1:
            raise SnapshotError(f"region name {name!r} matches {len(found)} 2024 municipalities")
        return found[0]

    return by_unique(names.astype(str), code_of).astype(str)


def _finish(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["region_name"] = names_2024(df["region"]).to_numpy(dtype=object)
    order = df.sort_values(["table", "alternative", "region", "year", "sex", "age_group"],
                           key=_sort_key, kind="stable").index  # fmt: skip
    out = df.loc[order, COLUMNS].reset_index(drop=True)
    for c in ("region", "region_name", "table", "alternative", "age_group"):
        out[c] = out[c].astype(object)
    out["year"] = out["year"].astype("int64")
    out["value"] = out["value"].astype(float)
    return out


def _sort_key(col: pd.Series) -> pd.Series:
    if col.name == "age_group":
        return col.map(lambda g: -1 if g == "alle" else int(re.match(r"\d+", g).group(0)))
    if col.name == "region":
        return col.map(lambda r: (len(r) if r != NORWAY else 0, r)).map(str)
    return col.astype(str)


def read_long_csv(path: str | Path) -> pd.DataFrame:
    """Read the long CSV of a json-stat2 answer for 14288/14746 (names, Norwegian labels).

    Header ``region,statistikkvariabel,år,alder,value,Framskriving,Tabell`` (both sexes; age
    groups of ``agg_Funksjonell4``), as written by Telemark fylkeskommune's scripts.
    """
    raw = pd.read_csv(path, dtype=str, encoding="utf-8", keep_default_na=False)
    need = {"region", "statistikkvariabel", "år", "alder", "value", "Tabell"}
    if not need <= set(raw.columns):
        raise SnapshotError(f"{Path(path).name}: columns {sorted(need - set(raw.columns))} missing")
    value = pd.to_numeric(raw["value"].replace(dict.fromkeys(SYMBOLS)))
    status = status_col(len(raw))
    symbol = raw["value"].isin(SYMBOLS)
    status[symbol] = raw["value"][symbol]
    df = pd.DataFrame({
        "region": region_codes(raw["region"]),
        "table": raw["Tabell"].astype(str),
        "alternative": by_unique(raw["statistikkvariabel"], alternative_of),
        "year": raw["år"].astype("int64"),
        "sex": pd.Series(np.full(len(raw), None, dtype=object), dtype=object),
        "age_group": by_unique(raw["alder"], _age_label),
        "value": value.astype(float),
        "status": status,
    })  # fmt: skip
    return _finish(df)


def read_statbank_wide_csv(path: str | Path, table: str) -> pd.DataFrame:
    """Read a StatBank export with ``region`` and one column per «<alternative> <year>».

    The region label starts with its code (``"31 Østfold"``); both sexes, all ages.
    """
    raw = pd.read_csv(path, dtype=str, encoding="utf-8")
    rows = []
    for col in raw.columns[1:]:
        m = re.match(r"^(.*\S)\s+(\d{4})$", col)
        if not m:
            raise SnapshotError(f"{Path(path).name}: cannot read alternative and year from {col!r}")
        alt, year = alternative_of(m.group(1)), int(m.group(2))
        for label, v in zip(raw.iloc[:, 0], raw[col], strict=True):
            code = re.match(r"^(\d+)\s", str(label))
            if not code:
                raise SnapshotError(f"{Path(path).name}: no region code in {label!r}")
            rows.append((code.group(1), table, alt, year, None, "alle", float(v), None))
    df = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "region_name"])
    df["sex"] = df["sex"].astype(object)
    df["status"] = df["status"].astype(object)
    return _finish(df)


def _js_age(js: pd.DataFrame) -> pd.Series:
    if "Alder" not in js.columns:
        return pd.Series(["alle"] * len(js), index=js.index, dtype=object)
    labels = js["Alder_label"] if "Alder_label" in js.columns else js["Alder"]
    pairs = pd.Series([f"{c}\t{lab}" for c, lab in zip(js["Alder"], labels, strict=True)])

    def one(pair: str) -> str:
        code, lab = pair.split("\t", 1)
        if re.fullmatch(r"\d{3}", code):
            return f"{int(code)}-{int(code)}"
        return age_group(lab, code) if not code.endswith("+") else f"{int(code[:-1])}+"

    return by_unique(pairs, one).set_axis(js.index)


def tidy_projection_js(frames: list[pd.DataFrame], table: str) -> pd.DataFrame:
    """Decoded JSON-stat answers of 14288/14746 (any alternatives, ages, years) → tidy shape.

    Region codes may carry SSB's aggregation prefixes (``F-03``, ``K-4001``): they are stripped.
    """
    parts = []
    for js in frames:
        region = _strip_prefix(js["Region"])
        content = js["ContentsCode"] if "ContentsCode" in js.columns else pd.Series(
            ["Personer"] * len(js), index=js.index)  # fmt: skip
        sex = (by_unique(js["Kjonn"], sex_code) if "Kjonn" in js.columns
               else pd.Series(np.full(len(js), None, dtype=object), index=js.index))  # fmt: skip
        parts.append(pd.DataFrame({
            "region": region.to_numpy(), "table": table,
            "alternative": by_unique(content.astype(str), alternative_of).to_numpy(),
            "year": js["Tid"].astype("int64").to_numpy(), "sex": sex.to_numpy(dtype=object),
            "age_group": _js_age(js).to_numpy(), "value": js["value"].to_numpy(dtype=float),
            "status": js["status"].to_numpy(dtype=object),
        }))  # fmt: skip
    return _finish(pd.concat(parts, ignore_index=True))


def totals(df: pd.DataFrame, alternative: str = MAIN_ALTERNATIVE) -> pd.DataFrame:
    """Population per region and year in one alternative (sum over sex and age).

    A sum over a cell with an SSB symbol is ``NaN`` with that symbol (never a silent 0).
    """
    work = df[df["alternative"] == alternative]
    if work.empty:
        raise SnapshotError(f"no rows for alternative {alternative!r}")
    out = group_sum(work, by=["region", "year"])
    out["region_name"] = out["region"].map(dict(zip(df["region"], df["region_name"], strict=False)))
    return out[["region", "region_name", "year", "value", "status"]]
