"""NAV's monthly statistics (registered unemployment, reduced work capacity) in the tidy shape.

NAV is not an SSB table: the bundled files are the long CSVs Telemark fylkeskommune keeps from
NAV's monthly workbooks (``data/snapshot/nav-ledighet-nedsatt-arbeidsevne/SOURCE.md``), and the
refresh path is a new NAV workbook (:mod:`kunnskapsgrunnlag.data.nav_import`, ``kg import-nav``).

Regions are named, not coded, and the names vary (``"Troms "`` with a trailing space,
``"18 Nordland - Nordlánnda"`` in the workbooks). :func:`county_code` maps a name to its 2024
county code strictly: an unknown name is an error naming the file and the value. NAV's rows for
persons with unknown residence (``Ukjent``) and for Svalbard are not counties; they are left out
of the tidy frame (from 2025 the county rows plus these two sum exactly to Norway; 2011–2024 the
county rows sum to 94–100 % of Norway).

Tidy shapes (one row per cell; ``month`` 1–12 beside ``year``):

* ``nav_ledighet``: ``region`` (``"0"`` or a 2024 county code), ``year``, ``month``,
  ``labour_status`` (``helt_ledige`` | ``delvis_ledige`` | ``tiltak``), ``sex`` (``"0"`` begge
  kjønn, ``"1"`` menn, ``"2"`` kvinner), ``measure`` (``antall`` persons | ``andel`` per cent of
  the labour force, NAV's published figure with one decimal), ``value``, ``status``.
* ``nav_nedsatt``: ``region``, ``year``, ``month``, ``age_group`` (``"18-29"`` | ``"18-66"``),
  ``sex``, ``measure`` (``antall`` | ``andel`` per cent of the population), ``value``,
  ``status``.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pandas as pd

from kunnskapsgrunnlag.data.errors import SnapshotError

NON_COUNTY_NAMES: frozenset[str] = frozenset({"Ukjent", "Svalbard og øvrige områder"})
"""NAV's region rows that are not counties (unknown residence, Svalbard): not in the tidy frame."""

LABOUR_STATUS: dict[str, str] = {
    "Helt ledige": "helt_ledige",
    "Delvis ledige": "delvis_ledige",
    "Arbeidssøkere på tiltak": "tiltak",
}
SEX: dict[str, str] = {"Begge kjønn": "0", "Menn": "1", "Kvinner": "2"}
AGE: dict[str, str] = {"18 - 29 år": "18-29", "18 - 66 år": "18-66"}

LEDIGHET_COLUMNS: tuple[str, ...] = (
    "Nivå",
    "Geografisk enhet",
    "Arbeidsmarkedsstatus",
    "Kjønn",
    "Antall personer",
    "Andel av arbeidsstyrken",
    "Dato",
)
NEDSATT_COLUMNS: tuple[str, ...] = (
    "Nivå",
    "Geografisk enhet",
    "Kjønn",
    "Alder",
    "Antall personer",
    "Andel av befolkningen",
    "Dato",
)
_CODE_PREFIX = re.compile(r"^(\d{2}) +(.*)$")


class NavFileError(SnapshotError):
    """A NAV file does not have the expected layout or names a region we do not know."""


@functools.cache
def _county_names() -> dict[str, str]:
    from kunnskapsgrunnlag.regions import COUNTIES

    names = {}
    for c in COUNTIES.values():
        names[c.name] = c.code
        names[c.official_name] = c.code
    return names


def county_code(name: object, file: str | Path) -> str | None:
    """The 2024 county code of a NAV region name, ``None`` for Ukjent/Svalbard.

    Accepts ``"Troms "`` (spaces stripped), ``"Nordland - Nordlánnda"`` and ``"18 Nordland -
    Nordlánnda"`` (the code must then agree with the name).

    Raises:
        NavFileError: an unknown name, or a code that does not match the name (names the file).
    """
    text = " ".join(str(name).split())
    code = None
    m = _CODE_PREFIX.match(text)
    if m:
        code, text = m.groups()
    if text in NON_COUNTY_NAMES:
        return None
    found = _county_names().get(text)
    if found is None or (code is not None and code != found):
        raise NavFileError(
            f"{file}: unknown county name {name!r} (expected one of the 15 counties of 2024, "
            f"e.g. 'Troms' or '55 Troms - Romsa - Tromssa', or {', '.join(sorted(NON_COUNTY_NAMES))})"
        )
    return found


def _region_codes(df: pd.DataFrame, file: str | Path) -> pd.Series:
    names = df["Geografisk enhet"].astype(str)
    mapping = {n: county_code(n, file) for n in names[df["Nivå"] == "Fylker"].unique()}
    return pd.Series(
        [
            "0" if lvl == "Landet" else mapping.get(n) if lvl == "Fylker" else None
            for lvl, n in zip(df["Nivå"], names, strict=True)
        ],
        index=df.index,
        dtype=object,
    )


def _check_columns(df: pd.DataFrame, expected: tuple[str, ...], file: str | Path) -> None:
    if tuple(df.columns) != expected:
        raise NavFileError(
            f"{file}: expected the columns {', '.join(expected)}; found {', '.join(df.columns)}"
        )


def _codes(series: pd.Series, mapping: dict[str, str], what: str, file: str | Path) -> pd.Series:
    odd = sorted(set(series.astype(str)) - set(mapping))
    if odd:
        raise NavFileError(f"{file}: unknown {what} {odd[:3]} (expected {', '.join(mapping)})")
    return series.astype(str).map(mapping)


def _tidy(
    df: pd.DataFrame, dims: dict[str, pd.Series], share: str, scale: float, file: str | Path
) -> pd.DataFrame:
    """Melt count and share into ``measure`` rows.

    NAV's ``*`` (suppressed small number) becomes status ``:`` and an empty cell ``..``; neither is
    ever turned into a number.
    """
    date = pd.to_datetime(df["Dato"], format="%Y-%m-%d")
    base = pd.DataFrame(
        {"region": df["region"], "year": date.dt.year, "month": date.dt.month, **dims}
    )
    frames = []
    for measure, col, factor in (("antall", "Antall personer", 1.0), ("andel", share, scale)):
        text = df[col].astype(str).str.strip()
        number = pd.to_numeric(text.where(~text.isin(["", "*", "nan"])), errors="coerce")
        bad = number.isna() & ~text.isin(["", "*", "nan"])
        if bad.any():
            raise NavFileError(f"{file}: column {col!r}: not a number: {text[bad].iloc[0]!r}")
        value = (number.astype(float) * factor).round(6)
        status = pd.Series(None, index=df.index, dtype=object)
        status[text == "*"], status[text.isin(["", "nan"])] = ":", ".."
        frames.append(base.assign(measure=measure, value=value, status=status))
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["region", "year", "month"], kind="stable").reset_index(drop=True)


def _read(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    """The CSV's rows of Norway and the 2024 counties, its layout checked, with ``region``."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    _check_columns(df, columns, path)
    df = df.assign(region=_region_codes(df, path))
    return df[df["region"].notna()]


def read_ledighet_csv(path: Path) -> pd.DataFrame:
    """The unemployment CSV in the ``nav_ledighet`` tidy shape (share in per cent)."""
    df = _read(path, LEDIGHET_COLUMNS)
    dims = {
        "labour_status": _codes(df["Arbeidsmarkedsstatus"], LABOUR_STATUS, "status", path),
        "sex": _codes(df["Kjønn"], SEX, "sex", path),
    }
    return _tidy(df, dims, "Andel av arbeidsstyrken", 100.0, path)


def read_nedsatt_csv(path: Path) -> pd.DataFrame:
    """The reduced-work-capacity CSV in the ``nav_nedsatt`` tidy shape (share in per cent)."""
    df = _read(path, NEDSATT_COLUMNS)
    dims = {
        "age_group": _codes(df["Alder"], AGE, "age group", path),
        "sex": _codes(df["Kjønn"], SEX, "sex", path),
    }
    return _tidy(df, dims, "Andel av befolkningen", 1.0, path)
