"""The fake SSB server's cubes for the county indicators (09280, 11842, 11844, 11961, 12971).

Four tables are the bundled long file ``ssb-andre-fylkesindikatorer.csv`` re-encoded as the
JSON-stat cubes PxWebApi answers (real numbers, as the file has them). What the file does not
say is made up and marked here: the category codes and labels of 09280's area types and 11961's
patient groups (only the «Landareal» and «3–18 år» categories carry values; the others are null
with status ``..``), the labels of 11842's content codes, and 09280's year (the file has none:
:data:`LAND_AREA_YEAR`). Cells the file lacks are null with status ``.``, as SSB answers for a
county before it existed.

Table 12971 is **synthetic**: the file has only a derived sum, so the cube's percentages are made
up (right shape, labelled categories, one suppressed cell) and only exercise the summing.

:func:`select` applies a v2 selection to a cube as SSB does for the expressions used here
(``*``, ``top(n)``, ``from(x)``, plain codes), answering 400 for an unknown variable or value.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
FILE = ROOT / "data" / "snapshot" / "ssb-12163-kostra-fylker" / "ssb-andre-fylkesindikatorer.csv"
TABLES = ("09280", "11842", "11844", "11961", "12971")
LAND_AREA_YEAR = "2026"
"""Made up: the bundled file does not store 09280's year (the latest when it was fetched)."""

TITLES = {
    "09280": "09280: Areal (km²), etter region, arealtype, statistikkvariabel og år",
    "11842": "11842: Veier, tunneler, bruer og veisikring, etter region, statistikkvariabel og år",
    "11844": "11844: Kapasitet, tilgjengelighet og reiselengde, etter region, statistikkvariabel og år",
    "11961": "11961: Pasientbehandling i tannhelsetjenesten, etter region, pasientgruppe, statistikkvariabel og år",
    "12971": "12971: Gjennomføring i videregående opplæring, etter region, fullføringsgrad, todelt utdanningsprogram, kjønn, statistikkvariabel og intervall (år)",
}  # fmt: skip
CONTENTS = {
    "11842": [
        ("KOSfylkesveier0000", "Kilometer fylkesvei", "fylkesvei_km"),
        ("KOSbruertotalt0000", "Bruer på fylkesvei i alt", "bruer_totalt"),
        ("KOSkmtunneler0000", "Kilometer tunnel på fylkesvei", "tunneler_km"),
        ("KOSandeldaarligd0000", "Andel fylkesvei med dårlig dekke (prosent)", "andel_fylkesvei_darlig_dekke"),
    ],
    "11844": [("KOSpassasjerbuss0000", "Passasjerer, buss (antall)", "busspassasjerer")],
    "11961": [("KOSandelundersok0000", "Andel undersøkt/behandlet", "tannhelse_andel_undersokt_behandlet")],
}  # fmt: skip
KOSTRA_NATIONAL = {
    "Landet uten Oslo": ("EAFKUO", "Landet uten Oslo"),
    "Hele landet": ("EAFK", "Landet"),
}
Dim = tuple[str, str, list[str], list[str]]


def _encode(table: str, dims: list[Dim], values: np.ndarray, status: dict[int, str]) -> bytes:
    from fakessb import encode_cube

    return encode_cube(table=table, label=TITLES[table], dims=dims, values=values, status=status)


@functools.lru_cache(maxsize=1)
def _rows() -> pd.DataFrame:
    raw = pd.read_csv(FILE, dtype=str, keep_default_na=False)
    raw["value"] = pd.to_numeric(raw["value"]).astype(float)
    return raw


def _kostra_regions(rows: pd.DataFrame) -> tuple[list[str], list[str], pd.Series]:
    """KOSTRA region codes (``XX00``, ``EAFKUO``, ``EAFK``) and labels; each row's code."""
    code = rows.apply(
        lambda r: (
            f"{r['fylke_code']}00" if r["fylke_code"] else KOSTRA_NATIONAL[r["region_name"]][0]
        ),
        axis=1,
    )
    labels = dict(zip(code, rows["region_name"], strict=True))
    labels.update({c: lab for c, lab in KOSTRA_NATIONAL.values()})
    codes = sorted(set(code), key=lambda c: (not c[0].isdigit(), c))
    return codes, [labels[c] for c in codes], code


def _fill(
    rows: pd.DataFrame, keys: list[str], dims: list[Dim]
) -> tuple[np.ndarray, dict[int, str]]:
    index = pd.MultiIndex.from_product([d[2] for d in dims])
    values = rows.set_index(keys)["value"].reindex(index).to_numpy(dtype=float)
    return values, {i: "." for i in np.flatnonzero(np.isnan(values)).tolist()}


def kostra_cube(table: str) -> bytes:
    """11842, 11844 or 11961 from the bundled file (11961 with a second, empty patient group)."""
    contents = CONTENTS[table]
    by_code = {ind: code for code, _, ind in contents}
    rows = _rows()[_rows()["indicator"].isin(by_code)].copy()
    codes, labels, rows["rcode"] = _kostra_regions(rows)
    rows["content"] = rows["indicator"].map(by_code)
    years = sorted(set(rows["year"]))
    dims: list[Dim] = [("KOKfylkesregion0000", "region", codes, labels)]
    keys = ["rcode"]
    if table == "11961":
        dims.append(("Pasientgruppe", "pasientgruppe", ["A", "D"],
                     ["Barn og ungdom 3-18 år (gruppe a)", "Ungdom 19-20 år (gruppe d)"]))  # fmt: skip
        rows["group"] = "A"
        keys.append("group")
    dims += [
        ("ContentsCode", "statistikkvariabel", [c[0] for c in contents], [c[1] for c in contents]),
        ("Tid", "år", years, years),
    ]
    values, status = _fill(rows, [*keys, "content", "year"], dims)
    if table == "11961":  # the made-up group has no figures: «..», not «.»
        group_d = np.arange(values.size).reshape([len(d[2]) for d in dims])[:, 1].ravel()
        status.update({int(i): ".." for i in group_d})
    return _encode(table, dims, values, status)


def land_area_cube() -> bytes:
    """09280 «Landareal» from the bundled file (made-up codes, a second empty area type, a year)."""
    rows = _rows()[_rows()["indicator"] == "landareal_km2"].copy()
    regions = sorted(rows["fylke_code"])
    names = dict(zip(rows["fylke_code"], rows["region_name"], strict=True))
    rows["type"], rows["content"], rows["year"] = "L", "Areal", LAND_AREA_YEAR
    dims: list[Dim] = [
        ("Region", "region", regions, [names[r] for r in regions]),
        ("Arealtype", "arealtype", ["L", "F"], ["Landareal", "Ferskvann"]),
        ("ContentsCode", "statistikkvariabel", ["Areal"], ["Areal (km²)"]),
        ("Tid", "år", [LAND_AREA_YEAR], [LAND_AREA_YEAR]),
    ]
    values, status = _fill(rows, ["fylke_code", "type", "content", "year"], dims)
    status = {i: ".." for i in status}
    return _encode("09280", dims, values, status)


COMPLETION_DIMS: list[Dim] = [
    ("Region", "region", ["0", "03", "11", "15", "18", "30", "50"],
     ["I alt", "Oslo", "Rogaland", "Møre og Romsdal", "Nordland", "Viken", "Trøndelag"]),
    ("Fullforingsgrad", "fullføringsgrad", ["1", "2", "3", "4"],
     ["Fullført med studie- eller yrkeskompetanse på normert tid",
      "Fullført med studie- eller yrkeskompetanse på mer enn normert tid",
      "Fortsatt i videregående opplæring", "Sluttet underveis"]),
    ("UtdProgram", "todelt utdanningsprogram", ["00", "1", "2"],
     ["Alle utdanningsprogram", "Studieforberedende", "Yrkesfag"]),
    ("Kjonn", "kjønn", ["0", "1", "2"], ["Begge kjønn", "Menn", "Kvinner"]),
    ("ContentsCode", "statistikkvariabel", ["Elever", "Prosent"], ["Elever (antall)", "Prosent"]),
    ("Tid", "intervall (år)", ["2017-2023", "2018-2024", "2019-2025"],
     ["2017-2023", "2018-2024", "2019-2025"]),
]  # fmt: skip
SUPPRESSED = {"Region": "18", "Fullforingsgrad": "2", "UtdProgram": "00", "Kjonn": "0",
              "ContentsCode": "Prosent", "Tid": "2019-2025"}  # fmt: skip
"""The one synthetic cell with status «:» (its sum must be «:» too)."""


def completion_cube() -> bytes:
    """SYNTHETIC 12971: made-up percentages (0.05 steps, so sums test half-up rounding)."""
    shape = [len(d[2]) for d in COMPLETION_DIMS]
    values = np.round(20.0 + (np.arange(np.prod(shape)) % 97) * 0.35, 2)
    cell = [d[2].index(SUPPRESSED[d[0]]) for d in COMPLETION_DIMS]
    flat = int(np.ravel_multi_index(cell, shape))
    values[flat] = np.nan
    return _encode("12971", COMPLETION_DIMS, values, {flat: ":"})


@functools.lru_cache(maxsize=8)
def cube(table: str) -> bytes:
    """The full cube of one of :data:`TABLES`."""
    if table == "09280":
        return land_area_cube()
    if table == "12971":
        return completion_cube()
    return kostra_cube(table)


def _positions(codes: list[str], values: list[str]) -> list[int] | None:
    """Category positions a v2 selection picks (``None``: an unknown plain code)."""
    out: list[int] = []
    for v in values:
        if v == "*":
            out += range(len(codes))
        elif m := re.fullmatch(r"top\((\d+)\)", v):
            out += range(max(0, len(codes) - int(m.group(1))), len(codes))
        elif m := re.fullmatch(r"from\((.+)\)", v):
            out += [i for i, c in enumerate(codes) if c >= m.group(1)]
        elif v in codes:
            out.append(codes.index(v))
        else:
            return None
    return sorted(set(out))


def select(
    payload: bytes, sel: dict[str, tuple[str | None, list[str]]]
) -> bytes | tuple[int, bytes]:
    """The part of a cube a selection asks for (400 for an unknown variable or value code)."""
    from fakessb import _problem

    data: dict[str, Any] = json.loads(payload)
    shape = list(data["size"])
    picks = [list(range(n)) for n in shape]
    for var, (_, values) in sel.items():
        if var not in data["id"]:
            return 400, _problem(400, "Non-existent variable")
        k = data["id"].index(var)
        cat = data["dimension"][var]["category"]
        codes = sorted(cat["index"], key=cat["index"].get)
        pos = _positions(codes, values)
        if pos is None:
            return 400, _problem(400, "Non-existent value")
        picks[k] = pos
        kept = [codes[i] for i in pos]
        cat["index"] = {c: i for i, c in enumerate(kept)}
        cat["label"] = {c: cat["label"][c] for c in kept}
    flat = np.arange(int(np.prod(shape))).reshape(shape)[np.ix_(*picks)].ravel()
    status = data.get("status") or {}
    data["value"] = [data["value"][i] for i in flat]
    data["status"] = {str(j): status[str(i)] for j, i in enumerate(flat) if str(i) in status}
    data["size"] = [len(p) for p in picks]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
