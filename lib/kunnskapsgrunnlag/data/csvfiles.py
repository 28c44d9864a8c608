"""Readers of the bundled CSV files into the tidy shape.

StatBank exports, Data Commons input and KOSTRA (see :mod:`kunnskapsgrunnlag.data.snapshot`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kunnskapsgrunnlag.data.errors import SnapshotError
from kunnskapsgrunnlag.data.shape import (
    COUNTY_COLUMNS,
    KOSTRA_COLUMNS,
    age_group,
    age_int,
    by_unique,
    county_lookup,
    finish,
    klass_names,
    municipal,
    names_2024,
    nfc,
    sex_code,
    status_col,
)
from kunnskapsgrunnlag.regions import COUNTIES, NORWAY, region_name


def _decode(cat: pd.Series, func: Any) -> pd.Series:
    """Apply *func* once per category of a categorical column; return the per-row results."""
    values = np.asarray([func(c) for c in cat.cat.categories], dtype=object)
    return pd.Series(values[cat.cat.codes.to_numpy()], index=cat.index)


def read_statbank_csv(path: Path, fmt: str) -> pd.DataFrame:
    """Read a StatBank CSV export (municipality × age, with or without sex) of table 07459."""
    dims = {"region": "category", "sex": "category", "age": "category"}
    if fmt == "statbank-csv":
        raw = pd.read_csv(path, sep=";", skiprows=2, encoding="latin-1", dtype=dims)
    elif fmt == "statbank-csv-resaved":
        raw = pd.read_csv(path, encoding="utf-8", dtype=dims)
    else:  # pragma: no cover - guarded by the caller
        raise SnapshotError(f"unknown format {fmt}")
    value_col = next(c for c in raw.columns if re.match(r"Persons \d{4}$", c))
    year = int(value_col.split()[-1])

    def split(label: str) -> tuple[str, str]:
        m = re.match(r"^(?:K-)?(\S+)\s+(.*)$", str(label))
        if not m:
            raise SnapshotError(f"{path.name}: cannot read a region code from {label!r}")
        return m.group(1), m.group(2)

    df = pd.DataFrame(
        {
            "region": _decode(raw["region"], lambda c: split(c)[0]).astype(str),
            "label": _decode(raw["region"], lambda c: split(c)[1]),
            "year": year,
            "age": _decode(raw["age"], age_int).astype("int64"),
            "value": raw[value_col].astype(float),
        }
    )
    if "sex" in raw.columns:
        df["sex"] = _decode(raw["sex"], sex_code).astype(str)
    else:
        df["sex"] = pd.Series(np.full(len(df), None, dtype=object), dtype=object)
    df["status"] = status_col(len(df))
    return municipal(df, with_age=True)


def read_datacommons_csv(path: Path) -> pd.DataFrame:
    """Read the Data Commons county input (English labels mapped to 2024 county codes)."""
    raw = pd.read_csv(path, encoding="utf-8", dtype=str)
    lookup = county_lookup()
    labels = raw["Region"].map(nfc)
    unknown = sorted(set(raw["Region"][~labels.isin(lookup.keys())]))
    if unknown:
        raise SnapshotError(f"{path.name}: unknown region labels {unknown}")
    region = labels.map(lookup)
    df = pd.DataFrame(
        {
            "region": region.astype(str),
            "region_name": region.map(region_name),
            "year": raw["Year"].astype("int64"),
            "sex": by_unique(raw["Gender"], sex_code),
            "age_group": by_unique(raw["Age"], age_group),
            "value": pd.to_numeric(raw["Value"]).astype(float),
        }
    )
    df["status"] = status_col(len(df))
    return finish(df, COUNTY_COLUMNS, ["year", "region", "sex", "age_group"])


def read_kostra_csv(path: Path, unit: str) -> pd.DataFrame:
    """Read the bundled KOSTRA 12163 CSV (codes, names and values as given)."""
    raw = pd.read_csv(path, encoding="utf-8", dtype=str, keep_default_na=False)
    county = raw["fylke_code"].where(raw["fylke_code"] != "", None)
    df = pd.DataFrame(
        {
            "region": raw["region_code"].astype(str),
            "region_name": raw["region_name"].astype(str),
            "county": pd.Series(county.to_numpy(dtype=object), dtype=object),
            "function": raw["function_code"].astype(str),
            "function_name": raw["function_name"].astype(str),
            "year": raw["year"].astype("int64"),
            "value": pd.to_numeric(raw["value"]).astype(float),
        }
    )
    df["status"] = status_col(len(df))
    df["unit"] = unit
    df["county"] = df["county"].astype(object).where(df["county"].notna(), None)
    return finish(df, KOSTRA_COLUMNS, ["function", "region", "year"])


def read_fhi_csdata_csv(path: Path) -> pd.DataFrame:
    """Read a bundled extract of FHI csdata (SSB 07459 on the 2024 borders).

    Long CSV ``region,year,sex,age,value`` (region = ``"0"``, a 2024 county or municipality
    code; ``sex`` empty for both sexes; ``age`` a single year or a band's lower bound).
    """
    raw = pd.read_csv(path, dtype={"region": str, "sex": str}, keep_default_na=False)
    df = pd.DataFrame(
        {
            "region": raw["region"].astype(str),
            "year": raw["year"].astype("int64"),
            "sex": raw["sex"].astype(object).where(raw["sex"] != "", None),
            "age": raw["age"].astype("int64"),
            "value": raw["value"].astype(float),
        }
    )
    df["region_name"] = names_2024(df["region"])
    df["status"] = status_col(len(df))
    cols = ["region", "region_name", "year", "sex", "age", "value", "status"]
    return finish(df, cols, ["year", "region", "sex", "age"])



# --------------------------------------------------------------------------------------------


INDICATOR_COLUMNS = ["region", "region_name", "indicator", "table", "year", "value", "status", "unit"]
REFERENCE_REGIONS: dict[str, str] = {"Hele landet": NORWAY, "Landet uten Oslo": "EAFKUO"}
"""The file's national rows (no ``fylke_code``), by name, mapped to the codes the engine uses:
«Hele landet» is SSB's «Landet» (includes Oslo) = ``"0"``; «Landet uten Oslo» = ``EAFKUO``."""


def read_indicators_csv(path: Path) -> pd.DataFrame:
    """Read the bundled long file of county indicators (SSB 09280, 11842, 11844, 11961, 12971).

    Values, names and units as given. ``region`` is the file's two-digit county code, or for
    the national rows the code of :data:`REFERENCE_REGIONS`. ``year`` is a nullable integer:
    ``landareal_km2`` has no year in the file (the origin script took the latest year of 09280
    without storing it), so its year stays missing rather than guessed.
    """
    raw = pd.read_csv(path, encoding="utf-8", dtype=str, keep_default_na=False)
    national = raw["fylke_code"] == ""
    unknown = sorted(set(raw.loc[national, "region_name"]) - set(REFERENCE_REGIONS))
    if unknown:
        raise SnapshotError(f"{path.name}: rows without a county code for unknown regions {unknown}")
    bad = sorted(set(raw.loc[~national, "fylke_code"]) - set(COUNTIES))
    if bad:
        raise SnapshotError(f"{path.name}: county codes not of the 2024 division: {bad}")
    region = raw["fylke_code"].where(~national, raw["region_name"].map(REFERENCE_REGIONS))
    df = pd.DataFrame(
        {
            "region": region.astype(str),
            "region_name": raw["region_name"].astype(str),
            "indicator": raw["indicator"].astype(str),
            "table": raw["ssb_table"].astype(str),
            "year": pd.to_numeric(raw["year"].replace("", None)).astype("Int64"),
            "value": pd.to_numeric(raw["value"]).astype(float),
            "status": status_col(len(raw)),
            "unit": raw["unit"].astype(str),
        }
    )
    order = df.sort_values(["indicator", "region", "year"], kind="stable", na_position="first")
    return order[INDICATOR_COLUMNS].reset_index(drop=True)
