"""``kg import-nav FILE``: merge a new NAV unemployment workbook into the snapshot, atomically.

NAV publishes a monthly workbook (like the bundled ``nav-ledighet-2026-01-05.xlsx``) with sheets
``Landet`` and ``Fylker``; each has two blocks of columns (``B:I`` by sex, ``K:R`` both sexes)
under a header row ``År, År-måned, <sheet>, Nåværende Fylke Nr Navn, Arbeidsmarkedsstatus
hovedgruppe, Kjønn, Beh personer i mnd, % av arbeidsstyrken``. Three steps:

1. :func:`read_workbook` checks the layout (a missing sheet or a wrong column is an error naming
   the file and what was expected) and returns the month's rows in the snapshot CSV's format
   (share as a fraction, as in the bundled CSV; county names mapped strictly to 2024 codes).
2. :func:`merge` replaces that month's rows in the CSV (or appends them) and keeps every other
   row as it was, text for text.
3. :func:`write` writes the CSV and the manifest (new sha256, byte count, ``retrieved``, the
   workbook in ``imports``) to temporary files and moves both into place with ``os.replace``.

Nothing is written unless every check passed. The Telemark municipality sheet is not imported;
the older municipality rows stay as they were.
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
import warnings
from datetime import date
from pathlib import Path
from typing import TextIO

import pandas as pd

from kunnskapsgrunnlag.data.errors import SnapshotError
from kunnskapsgrunnlag.data.manifest import manifest, sha256_of, snapshot_folder, verify
from kunnskapsgrunnlag.data.nav import (
    LABOUR_STATUS,
    LEDIGHET_COLUMNS,
    SEX,
    _CODE_PREFIX,
    _check_columns,
    NavFileError,
    county_code,
)

SOURCE_ID = "nav-ledighet"
SHEETS: tuple[str, ...] = ("Landet", "Fylker")
HEADER: tuple[str, ...] = (
    "År",
    "År-måned",
    None,  # the sheet's level: "Landet" / "Fylker" in the first block, empty in the second
    "Nåværende Fylke Nr Navn",
    "Arbeidsmarkedsstatus hovedgruppe",
    "Kjønn",
    "Beh personer i mnd",
    "% av arbeidsstyrken",
)
BLOCKS: tuple[int, ...] = (1, 10)
"""0-based first column of each block: B and K."""


def _header_ok(row: tuple[object, ...], start: int) -> bool:
    cells = row[start : start + len(HEADER)]
    return len(cells) == len(HEADER) and all(
        want is None or cell == want for cell, want in zip(cells, HEADER, strict=True)
    )


def _expected(sheet: str) -> str:
    cols = ", ".join(h or sheet for h in HEADER)
    return f"sheet {sheet!r} with a header row in columns B:I and K:R: {cols}"


def _sheet_rows(ws: object, sheet: str, file: Path) -> list[tuple[object, ...]]:
    rows = list(ws.iter_rows(values_only=True))  # type: ignore[attr-defined]
    head = next((i for i, r in enumerate(rows[:10]) if all(_header_ok(r, b) for b in BLOCKS)), None)
    if head is None:
        raise NavFileError(f"{file}: expected {_expected(sheet)}")
    out = []
    for r in rows[head + 1 :]:
        for b in BLOCKS:
            cells = r[b : b + len(HEADER)]
            if len(cells) == len(HEADER) and cells[3] is not None:
                out.append(cells)
    if not out:
        raise NavFileError(f"{file}: sheet {sheet!r} has a header but no rows")
    return out


def _csv_row(cells: tuple[object, ...], sheet: str, file: Path) -> dict[str, str]:
    _, month, _, name, status, sex, count, share = cells
    if str(status) not in LABOUR_STATUS or str(sex) not in SEX:
        raise NavFileError(
            f"{file}: sheet {sheet!r}: unknown status/sex {status!r}/{sex!r} (expected "
            f"{', '.join(LABOUR_STATUS)} / {', '.join(SEX)})"
        )
    if not (isinstance(count, int | float) or count == "*") or not isinstance(
        share, int | float | type(None)
    ):
        raise NavFileError(
            f"{file}: sheet {sheet!r}: {name}: expected numbers (or NAV's «*»), got {count!r}, {share!r}"
        )
    if sheet == "Landet":
        region = "Landet"
    else:
        from kunnskapsgrunnlag.regions import COUNTIES

        code = county_code(name, file)
        region = COUNTIES[code].name if code else _CODE_PREFIX.sub(r"\2", " ".join(str(name).split()))
    ym = str(month)
    fraction = "" if share is None else f"{round(float(share) / 100, 6):g}"
    return {
        "Nivå": sheet,
        "Geografisk enhet": region,
        "Arbeidsmarkedsstatus": str(status),
        "Kjønn": str(sex),
        "Antall personer": "*" if count == "*" else str(int(count)),
        "Andel av arbeidsstyrken": fraction,
        "Dato": f"{ym[:4]}-{ym[4:6]}-01",
    }


def read_workbook(file: Path) -> pd.DataFrame:
    """The workbook's rows in the snapshot CSV's columns (all text), after checking the layout.

    Raises:
        NavFileError: not a workbook, a missing sheet, a wrong header, an unknown name, more than
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
        lacking = [s for s in SHEETS if s not in wb.sheetnames]
        if lacking:
            raise NavFileError(
                f"{file}: expected the sheets {', '.join(SHEETS)}; missing {', '.join(lacking)} "
                f"(found {', '.join(wb.sheetnames)})"
            )
        rows = [_csv_row(c, s, file) for s in SHEETS for c in _sheet_rows(wb[s], s, file)]
    finally:
        wb.close()
    df = pd.DataFrame(rows, columns=list(LEDIGHET_COLUMNS))
    months = sorted(df["Dato"].unique())
    if len(months) != 1:
        raise NavFileError(f"{file}: expected one month, found {', '.join(months)}")
    return df


def _key(df: pd.DataFrame, file: Path) -> pd.Series:
    names = df["Geografisk enhet"].map(lambda n: " ".join(str(n).split()))
    county = [
        (county_code(n, file) or n) if lvl == "Fylker" else n
        for lvl, n in zip(df["Nivå"], names, strict=True)
    ]
    parts = [df["Nivå"], pd.Series(county, index=df.index), df["Arbeidsmarkedsstatus"]]
    return parts[0].str.cat([parts[1], parts[2], df["Kjønn"], df["Dato"]], sep="|")


def merge(old: pd.DataFrame, new: pd.DataFrame, csv_path: Path) -> tuple[pd.DataFrame, int]:
    """Replace *new*'s cells in *old* (same level, county, status, sex, month), append the rest.

    Returns the merged frame (sorted by month, stable) and how many old rows were replaced.
    """
    old_keys, new_keys = _key(old, csv_path), _key(new, csv_path)
    replaced = old_keys.isin(set(new_keys))
    merged = pd.concat([old[~replaced], new], ignore_index=True)
    return merged.sort_values("Dato", kind="stable").reset_index(drop=True), int(replaced.sum())


def write(snap: Path, merged: pd.DataFrame, workbook: Path, today: date) -> Path:
    """Write the merged CSV and the updated manifest: temp files first, then ``os.replace``."""
    man = manifest(snap)
    entry = man["sources"][SOURCE_ID]
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
            {"workbook": workbook.name, "sha256": sha256_of(workbook), "imported": today.isoformat(),
             "month": str(merged["Dato"].max())[:7]}  # fmt: skip
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
        new = read_workbook(Path(file))
        entry = manifest(snap)["sources"].get(SOURCE_ID)
        if entry is None:
            raise SnapshotError(f"snapshot manifest has no source {SOURCE_ID!r}")
        verify(SOURCE_ID, snap)
        csv_path = snap / entry["files"][0]["path"]
        old = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
        _check_columns(old, LEDIGHET_COLUMNS, csv_path)
        merged, replaced = merge(old, new, csv_path)
        target = write(snap, merged, Path(file), today or date.today())
    except (SnapshotError, OSError) as exc:
        print(f"kg import-nav: {exc}", file=err, flush=True)
        return 2
    month = new["Dato"].iloc[0][:7]
    print(f"kg import-nav: {month}: {len(new)} rows ({replaced} replaced, "
          f"{len(new) - replaced} new) -> {target}", file=out, flush=True)  # fmt: skip
    return 0
