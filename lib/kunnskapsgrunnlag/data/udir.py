"""Readers of the bundled Udir and IMDi exports (not SSB PxWebApi tables) into tidy frames.

* ``udir-xlsx`` (grunnskolepoeng): ``region`` (``"0"``, the county code of that year or the
  4-digit municipality code), ``level`` (``national``/``county``/``municipality``; schools are
  left out), ``region_name``, ``year`` (the spring the school year ends: ``2020-21`` → 2021),
  ``measure`` (``grunnskolepoeng`` or ``antall_elever``), ``value``, ``status``.
* ``udir-csv`` (andel sluttet i videregående): ``region`` (``"0"`` or the county code of that
  year; «Utlandet» and schools are left out), ``level``, ``region_name``, ``year``, ``value``
  (per cent), ``status``.
* ``imdi-csv`` (utdanningsnivå by municipality): ``region`` (4 digits), ``region_name``,
  ``level``, ``background``, ``sex``, ``unit``, ``year``, ``value``, ``status`` — one row per
  non-empty cell (an empty cell means the municipality did not exist that year).

Udir marks a hidden value with ``*``; it becomes SSB's ``:`` (not shown for confidentiality), the
same meaning, with the value NaN. Nothing is ever turned into a number.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from kunnskapsgrunnlag.data.errors import SnapshotError

LEVELS = {"1": "national", "2": "county", "3": "municipality"}
_UDIR_COLUMN = re.compile(r"^(\d{4})-(\d{2})\.Alle eierformer\.(?:Alle trinn\.)?Begge kjønn\.(.+)$")
MEASURES = {"Grunnskolepoeng": "grunnskolepoeng", "Antall elever": "antall_elever"}


def _cells(raw: pd.Series) -> tuple[np.ndarray, list[str | None]]:
    """(values, statuses) of Udir cells: ``*`` → ``:``, decimal comma read, empty → ``..``."""
    text = raw.astype(object).map(lambda v: v.strip().replace(",", ".") if isinstance(v, str) else "")
    status = [":" if t == "*" else ".." if t == "" else None for t in text]
    values = pd.to_numeric(text.where(text.ne("*") & text.ne("")), errors="raise").to_numpy(float)
    return values, status


def _region(df: pd.DataFrame) -> pd.Series:
    county = df["Fylkekode"].astype("string").str.zfill(2)
    muni = df.get("Kommunekode", pd.Series(pd.NA, index=df.index)).astype("string").str.zfill(4)
    lvl = df["EnhetNivaa"]
    return pd.Series(np.where(lvl == "1", "0", np.where(lvl == "2", county, muni)), index=df.index)


def _melt_udir(df: pd.DataFrame, path: Path, measures: dict[str, str]) -> pd.DataFrame:
    frames = []
    for col in df.columns:
        m = _UDIR_COLUMN.match(str(col))
        if not m or m.group(3) not in measures:
            continue
        values, status = _cells(df[col])
        frames.append(
            pd.DataFrame({"region": _region(df), "level": df["EnhetNivaa"].map(LEVELS),
                          "region_name": df["EnhetNavn"], "year": int(m.group(1)) + 1,
                          "measure": measures[m.group(3)], "value": values,
                          "status": pd.Series(status, index=df.index, dtype=object)})
        )  # fmt: skip
    if not frames:
        raise SnapshotError(f"{path.name}: no Udir value columns found")
    out = pd.concat(frames, ignore_index=True)
    return out[out["status"].ne("..")].reset_index(drop=True)


def read_udir_xlsx(path: Path) -> pd.DataFrame:
    """Grunnskolepoeng and pupils (first sheet of Udir's export); see the module docstring."""
    raw = pd.read_excel(path, sheet_name=0, dtype=str)
    raw = raw[raw["EnhetNivaa"].isin(list(LEVELS))]
    return _melt_udir(raw, path, MEASURES)


def read_udir_csv(path: Path) -> pd.DataFrame:
    """Andel sluttet (UTF-16 Udir CSV with a ``sep=`` line); see the module docstring."""
    text = path.read_bytes().decode("utf-16").split("\n", 1)[1]
    raw = pd.read_csv(io.StringIO(text), sep="\t", dtype=str)
    raw = raw[raw["EnhetNivaa"].isin(["1", "2"]) & raw["Nasjonaltkode"].eq("I")]
    out = _melt_udir(raw, path, {"Andel sluttet": "andel_sluttet"})
    return out.drop(columns="measure")


def read_imdi_csv(path: Path, header_rows: int = 5) -> pd.DataFrame:
    """IMDi's wide CSV (latin-1, ``;``, one header row per dimension); see the module docstring."""
    lines = path.read_bytes().decode("latin-1").splitlines()
    head = [line.split(";") for line in lines[:header_rows]]
    keys = {}
    for j in range(2, len(head[0])):
        keys[j] = {c.split(": ", 1)[0]: c.split(": ", 1)[1] for c in (h[j] for h in head)}
    rows = []
    for line in lines[header_rows:]:
        cells = line.split(";")
        code, name = cells[0].removeprefix("K"), cells[1]
        for j, cell in enumerate(cells[2:], start=2):
            if cell.strip():
                k = keys[j]
                rows.append((code, name, k["Utdanningsnivå"], k["Bakgrunn"], k["Kjønn"],
                             k["Enhet"], int(k["År"]), float(cell)))  # fmt: skip
    cols = ["region", "region_name", "level", "background", "sex", "unit", "year", "value"]
    out = pd.DataFrame(rows, columns=cols)
    out["status"] = None
    return out
