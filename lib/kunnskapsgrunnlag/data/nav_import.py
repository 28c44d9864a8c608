"""``kg import-nav FILE``: merge a new NAV workbook into the snapshot, atomically.

NAV publishes monthly workbooks; two layouts are read (:data:`LAYOUTS`, like the bundled files):

* unemployment (``nav-ledighet-2026-01-05.xlsx`` → source ``nav-ledighet``): sheets ``Landet`` and
  ``Fylker``, two blocks of columns (``B:I`` by sex, ``K:R`` both sexes) under a header row
  ``År, År-måned, <sheet>, Nåværende Fylke Nr Navn, Arbeidsmarkedsstatus hovedgruppe, Kjønn,
  Beh personer i mnd, % av arbeidsstyrken``;
* reduced work capacity (``nav-nedsatt-arbeidsevne-2025-12-16.xlsx`` → ``nav-nedsatt-arbeidsevne``):
  sheets ``Nedsatt 18 - 66 år fylker|landet`` and ``Nedsatt 18 - 29 år fylker|landet``, blocks
  ``A:I`` and ``K:S``, header ``Månednummer, …, Beh personer i mnd, V_Prosent…, D_År-Måned``.

Three steps: :func:`read_workbook` checks the layout (a missing sheet or a wrong column is an
error naming the file and what was expected) and returns the month's rows in the snapshot CSV's
format (county names mapped strictly to 2024 codes); :func:`merge` replaces that month's rows in
the CSV (or appends them) and keeps every other row as it was, text for text; :func:`write` writes
the CSV and the manifest (new sha256, byte count, ``retrieved``, the workbook in ``imports``) to
temporary files and moves both into place with ``os.replace``. Nothing is written unless every
check passed. The Telemark municipality sheets are not imported (older rows stay as they were).
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

import pandas as pd

from kunnskapsgrunnlag.data.errors import SnapshotError
from kunnskapsgrunnlag.data.manifest import manifest, sha256_of, snapshot_folder, verify
from kunnskapsgrunnlag.data.nav import (
    LABOUR_STATUS,
    LEDIGHET_COLUMNS,
    NEDSATT_COLUMNS,
    SEX,
    _CODE_PREFIX,
    _check_columns,
    NavFileError,
    county_code,
)

Header = tuple[str | tuple[str, ...] | None, ...]
"""A header row: the label of each column (alternatives in a tuple; ``None`` = any)."""


@dataclass(frozen=True)
class Layout:
    """One kind of NAV workbook: the sheets read, their header, the CSV it is merged into."""

    source_id: str
    what: str
    sheets: tuple[str, ...]
    header: Header
    blocks: tuple[int, ...]
    """0-based first column of each block of columns (by sex | both sexes)."""
    columns: tuple[str, ...]
    to_row: Callable[[tuple[object, ...], str, Path], dict[str, str]]


def _region(name: object, level: str, file: Path) -> str:
    if level == "Landet":
        return "Landet"
    from kunnskapsgrunnlag.regions import COUNTIES

    code = county_code(name, file)
    return COUNTIES[code].name if code else _CODE_PREFIX.sub(r"\2", " ".join(str(name).split()))


def _numbers(count: object, share: object, sheet: str, file: Path, name: object) -> tuple[str, str]:
    """NAV's count («*» = suppressed, kept) and share as CSV text; anything else is refused."""
    if not (isinstance(count, int | float) or count == "*") or not isinstance(
        share, int | float | type(None)
    ):
        raise NavFileError(
            f"{file}: sheet {sheet!r}: {name}: expected numbers (or NAV's «*»), got {count!r}, {share!r}"
        )
    return ("*" if count == "*" else str(int(count))), ("" if share is None else repr(float(share)))


def _check(value: object, allowed: dict[str, str], what: str, sheet: str, file: Path) -> None:
    if str(value) not in allowed:
        raise NavFileError(f"{file}: sheet {sheet!r}: unknown {what} {value!r} (expected "
                           f"{', '.join(allowed)})")  # fmt: skip


def _ledighet_row(cells: tuple[object, ...], sheet: str, file: Path) -> dict[str, str]:
    _, month, _, name, status, sex, count, share = cells
    _check(status, LABOUR_STATUS, "status", sheet, file)
    _check(sex, SEX, "sex", sheet, file)
    n, pct = _numbers(count, share, sheet, file, name)
    ym = str(month)
    return {"Nivå": sheet, "Geografisk enhet": _region(name, sheet, file),
            "Arbeidsmarkedsstatus": str(status), "Kjønn": str(sex), "Antall personer": n,
            "Andel av arbeidsstyrken": pct and f"{round(float(pct) / 100, 6):g}",
            "Dato": f"{ym[:4]}-{ym[4:6]}-01"}  # fmt: skip


NEDSATT_AGE = {"Under 30 år": "18 - 29 år", "Alle aldre": "18 - 66 år"}
"""The workbook's age labels -> the CSV's (the sheets are 18–29 and 18–66 years)."""


def _nedsatt_row(cells: tuple[object, ...], sheet: str, file: Path) -> dict[str, str]:
    _, _, level, name, sex, age, count, share, month = cells
    _check(level, {"Fylker": "", "Landet": ""}, "level", sheet, file)
    _check(sex, SEX, "sex", sheet, file)
    _check(age, NEDSATT_AGE, "age", sheet, file)
    n, pct = _numbers(count, share, sheet, file, name)
    ym = str(month)
    return {"Nivå": str(level), "Geografisk enhet": _region(name, str(level), file),
            "Kjønn": str(sex), "Alder": NEDSATT_AGE[str(age)], "Antall personer": n,
            "Andel av befolkningen": pct and f"{float(pct):.15g}",
            "Dato": f"{ym[:4]}-{ym[4:6]}-01"}  # fmt: skip


LAYOUTS: tuple[Layout, ...] = (
    Layout("nav-ledighet", "unemployment", ("Landet", "Fylker"),
           ("År", "År-måned", None, "Nåværende Fylke Nr Navn", "Arbeidsmarkedsstatus hovedgruppe",
            "Kjønn", "Beh personer i mnd", "% av arbeidsstyrken"),
           (1, 10), LEDIGHET_COLUMNS, _ledighet_row),
    Layout("nav-nedsatt-arbeidsevne", "reduced work capacity",
           tuple(f"Nedsatt {a} år {lvl}" for a in ("18 - 66", "18 - 29") for lvl in ("fylker", "landet")),
           ("Månednummer", None, "Nivå", "Region", "Kjønn", "Alder", "Beh personer i mnd",
            ("V_Prosent_av_befolkningen", "V_Prosent av befolkningen Total"), "D_År-Måned"),
           (0, 10), NEDSATT_COLUMNS, _nedsatt_row),
)  # fmt: skip


def _header_ok(row: tuple[object, ...], start: int, header: Header) -> bool:
    cells = row[start : start + len(header)]
    return len(cells) == len(header) and all(
        want is None or cell == want or (isinstance(want, tuple) and cell in want)
        for cell, want in zip(cells, header, strict=True)
    )


def _expected(layout: Layout, sheet: str) -> str:
    cols = ", ".join(h if isinstance(h, str) else h[0] if h else "…" for h in layout.header)
    where = " and ".join(f"column {chr(65 + b)}" for b in layout.blocks)
    return f"sheet {sheet!r} with a header row of two blocks (from {where}): {cols}"


def _sheet_rows(ws: object, sheet: str, layout: Layout, file: Path) -> list[tuple[object, ...]]:
    rows = list(ws.iter_rows(values_only=True))  # type: ignore[attr-defined]
    width = len(layout.header)
    head = next((i for i, r in enumerate(rows[:10])
                 if all(_header_ok(r, b, layout.header) for b in layout.blocks)), None)  # fmt: skip
    if head is None:
        raise NavFileError(f"{file}: expected {_expected(layout, sheet)}")
    out = [r[b : b + width] for r in rows[head + 1 :] for b in layout.blocks
           if len(r[b : b + width]) == width and r[b + 3] is not None]  # fmt: skip
    if not out:
        raise NavFileError(f"{file}: sheet {sheet!r} has a header but no rows")
    return out


def _layout_of(sheetnames: list[str], file: Path) -> Layout:
    for layout in LAYOUTS:
        if set(layout.sheets) <= set(sheetnames):
            return layout
    wanted = " or ".join(f"{', '.join(x.sheets)} ({x.what})" for x in LAYOUTS)
    raise NavFileError(f"{file}: expected the sheets {wanted}; found {', '.join(sheetnames)}")


def read_workbook(file: Path) -> tuple[Layout, pd.DataFrame]:
    """The workbook's layout and its rows in the snapshot CSV's columns (all text), checked.

    Raises:
        NavFileError: not a workbook, missing sheets, a wrong header, an unknown name, more than
            one month in the file.
    """
    import openpyxl

    file = Path(file)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # NAV's workbooks have no default style
            wb = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the same refusal
        raise NavFileError(f"{file}: not a readable .xlsx workbook ({exc})") from None
    try:
        layout = _layout_of(wb.sheetnames, file)
        rows = [layout.to_row(c, s, file) for s in layout.sheets
                for c in _sheet_rows(wb[s], s, layout, file)]  # fmt: skip
    finally:
        wb.close()
    df = pd.DataFrame(rows, columns=list(layout.columns))
    months = sorted(df["Dato"].unique())
    if len(months) != 1:
        raise NavFileError(f"{file}: expected one month, found {', '.join(months)}")
    return layout, df


def _key(df: pd.DataFrame, file: Path) -> pd.Series:
    """One text per cell: every column but the two figures, the county as its 2024 code."""
    names = df["Geografisk enhet"].map(lambda n: " ".join(str(n).split()))
    codes = {n: county_code(n, file) or n for n in names[df["Nivå"] == "Fylker"].unique()}
    county = [codes[n] if lvl == "Fylker" else n for lvl, n in zip(df["Nivå"], names, strict=True)]
    dims = [c for c in df.columns if c not in ("Geografisk enhet", "Antall personer")
            and not c.startswith("Andel")]  # fmt: skip
    key = pd.Series(county, index=df.index, dtype=object)
    return key.str.cat([df[c].astype(str) for c in dims], sep="|")


def merge(old: pd.DataFrame, new: pd.DataFrame, csv_path: Path) -> tuple[pd.DataFrame, int]:
    """Replace *new*'s cells in *old* (same level, county, status or age, sex, month), append the rest.

    Returns the merged frame (sorted by month, stable) and how many old rows were replaced.
    """
    old_keys, new_keys = _key(old, csv_path), _key(new, csv_path)
    replaced = old_keys.isin(set(new_keys))
    merged = pd.concat([old[~replaced], new], ignore_index=True)
    return merged.sort_values("Dato", kind="stable").reset_index(drop=True), int(replaced.sum())


def write(snap: Path, source_id: str, merged: pd.DataFrame, workbook: Path, today: date) -> Path:
    """Write the merged CSV and the updated manifest: temp files first, then ``os.replace``."""
    man = manifest(snap)
    entry = man["sources"][source_id]
    target = snap / entry["files"][0]["path"]
    buf = io.StringIO()
    merged.to_csv(buf, index=False, lineterminator="\n")
    data = buf.getvalue().encode("utf-8")
    tmps = []
    try:
        for folder, payload in ((target.parent, data), (snap, None)):
            fd, tmp = tempfile.mkstemp(prefix=".kg-import-", suffix=".tmp", dir=folder)
            tmps.append(Path(tmp))
            with os.fdopen(fd, "wb") as fh:
                if payload is not None:
                    fh.write(payload)
        entry["files"][0].update(sha256=sha256_of(tmps[0]), bytes=len(data))
        entry["retrieved"] = today.isoformat()
        entry.setdefault("imports", []).append(
            {
                "workbook": workbook.name,
                "sha256": sha256_of(workbook),
                "imported": today.isoformat(),
                "month": str(merged["Dato"].max())[:7],
            }  # fmt: skip
        )
        tmps[1].write_text(json.dumps(man, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        for tmp in tmps:
            os.chmod(tmp, 0o644)
        os.replace(tmps[0], target)
        os.replace(tmps[1], snap / "manifest.json")
    finally:
        for tmp in tmps:
            tmp.unlink(missing_ok=True)
    return target


def import_nav_cli(
    file: Path,
    *,
    snapshot_dir: str | Path | None = None,
    today: date | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """``kg import-nav FILE``: 0 merged, 2 refused (the message says why; nothing changed)."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    snap = snapshot_folder(snapshot_dir)
    try:
        layout, new = read_workbook(Path(file))
        entry = manifest(snap)["sources"].get(layout.source_id)
        if entry is None:
            raise SnapshotError(f"snapshot manifest has no source {layout.source_id!r}")
        verify(layout.source_id, snap)
        csv_path = snap / entry["files"][0]["path"]
        old = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
        _check_columns(old, layout.columns, csv_path)
        merged, replaced = merge(old, new, csv_path)
        target = write(snap, layout.source_id, merged, Path(file), today or date.today())
    except (SnapshotError, OSError) as exc:
        print(f"kg import-nav: {exc}", file=err, flush=True)
        return 2
    month = new["Dato"].iloc[0][:7]
    print(f"kg import-nav: {month}: {len(new)} rows ({replaced} replaced, "
          f"{len(new) - replaced} new) -> {target}", file=out, flush=True)  # fmt: skip
    return 0
