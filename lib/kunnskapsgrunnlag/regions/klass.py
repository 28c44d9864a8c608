"""KLASS 131 (Standard for kommuneinndeling): the bundled versions and code changes.

Read from the files in ``data/klass/131/`` (see its ``SOURCE.md``); no network is used. Years
2017–2025 are supported: 2021 uses the 2020 version, 2025 the 2024 version (no changes happened
on 1 January 2025).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kunnskapsgrunnlag import paths

if TYPE_CHECKING:
    import pandas as pd

FIRST_YEAR = 2017
"""First year (1 January) whose municipality division is bundled."""

LAST_YEAR = 2025
"""Last year covered: the KLASS change table runs to 2025-01-02 and has no 2025 changes."""

TARGET_DATE = date(2024, 1, 1)
"""The division everything is mapped onto."""

UNKNOWN_CODE = "9999"
"""KLASS 131's "Uoppgitt" (unknown municipality); not a municipality, left out everywhere."""

_VERSION_GLOB = "kommuneinndeling-*.json"
_CHANGES_FILE = "klass-131-changes-1971-2025.json"


class KlassDataError(RuntimeError):
    """The KLASS 131 files contradict themselves or this module's assumptions."""


def _klass_dir() -> Path:
    return paths.KLASS / "131"


def _read_json(path: Path) -> Any:
    if not path.is_file():
        raise KlassDataError(f"KLASS 131 file missing: {path}")
    try:
        return paths.read_json(path)
    except paths.DataFileError as exc:
        raise KlassDataError(f"KLASS 131 file {exc}") from exc


@lru_cache(maxsize=1)
def _versions() -> dict[int, tuple[date, date | None]]:
    """Bundled versions: file year → (validFrom, validTo or None)."""
    out: dict[int, tuple[date, date | None]] = {}
    for path in sorted(_klass_dir().glob(_VERSION_GLOB)):
        meta = _load_version(path.name)
        out[int(path.stem.rsplit("-", 1)[1])] = meta[0]
    if not out:
        raise KlassDataError(f"no KLASS 131 versions ({_VERSION_GLOB}) in {_klass_dir()}")
    return out


@lru_cache(maxsize=16)
def _load_version(filename: str) -> tuple[tuple[date, date | None], dict[str, str]]:
    """Parse one version file: ((validFrom, validTo), {code: name}) without ``9999``."""
    raw = _read_json(_klass_dir() / filename)
    valid_to = raw.get("validTo")
    validity = (
        date.fromisoformat(raw["validFrom"]),
        date.fromisoformat(valid_to) if valid_to else None,
    )
    items: dict[str, str] = {}
    for item in raw["classificationItems"]:
        code = str(item["code"])
        if code == UNKNOWN_CODE:
            continue
        if len(code) != 4 or not code.isdigit():
            raise KlassDataError(f"{filename}: unexpected municipality code {code!r}")
        items[code] = item["name"]
    return validity, dict(sorted(items.items()))


def _version_items(version: int) -> dict[str, str]:
    return _load_version(f"kommuneinndeling-{version}.json")[1]


def _version_start_year(version: int) -> int:
    return _versions()[version][0].year


def _is_integer(x: object) -> bool:
    """True for an ``int`` or a NumPy integer, never for a ``bool`` (NumPy is not imported here)."""
    if isinstance(x, bool):
        return False
    numpy = sys.modules.get("numpy")  # a NumPy integer exists only once NumPy is imported
    return isinstance(x, int) or (numpy is not None and isinstance(x, numpy.integer))


def _check_year(year: int) -> None:
    if not _is_integer(year):
        raise TypeError(f"year must be an int, got {year!r}")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(
            f"year {year} is outside the bundled KLASS 131 range {FIRST_YEAR}–{LAST_YEAR}"
        )


def klass_version(year: int) -> int:
    """Return which bundled KLASS 131 version (its file year) is valid on 1 January *year*.

    Args:
        year: 2017–2025.

    Returns:
        The version's year, e.g. ``2020`` for 2021 and ``2024`` for 2025.

    Raises:
        ValueError: *year* is outside 2017–2025 or no bundled version covers it.
    """
    _check_year(year)
    day = date(int(year), 1, 1)
    hits = [
        v for v, (start, end) in _versions().items() if start <= day and (end is None or day < end)
    ]
    if len(hits) != 1:
        raise KlassDataError(f"{len(hits)} bundled KLASS 131 versions valid on {day}: {hits}")
    return hits[0]


def _names(year: int) -> dict[str, str]:
    return _version_items(klass_version(year))


@lru_cache(maxsize=1)
def _changes() -> tuple[tuple[str, str, str, str, date], ...]:
    """All KLASS 131 code changes as (old_code, old_name, new_code, new_name, date)."""
    raw = _read_json(_klass_dir() / _CHANGES_FILE)["codeChanges"]
    rows = []
    for r in raw:
        if not r.get("oldCode") or not r.get("newCode"):
            # KLASS: no oldCode = code created, no newCode = code ceased. None since 2017.
            raise KlassDataError(f"code change without old or new code: {r}")
        rows.append(
            (
                str(r["oldCode"]),
                r["oldName"],
                str(r["newCode"]),
                r["newName"],
                date.fromisoformat(r["changeOccurred"]),
            )
        )
    return tuple(sorted(rows, key=lambda r: (r[4], r[0], r[2])))


def municipalities(year: int) -> pd.DataFrame:
    """Return the municipalities valid on 1 January *year* (KLASS 131, without ``9999``).

    Args:
        year: 2017–2025 (2021 uses the 2020 version, 2025 the 2024 version).

    Returns:
        A new frame with columns ``code`` (4-digit str) and ``name``, sorted by code.

    Raises:
        ValueError: *year* is outside 2017–2025.
    """
    import pandas as pd

    names = _names(year)
    return pd.DataFrame(
        {"code": list(names), "name": list(names.values())}, dtype=object
    ).reset_index(drop=True)


def code_changes() -> pd.DataFrame:
    """Return KLASS 131's code changes (all 1972–2024 records, name-only changes included).

    A split is several rows with the same ``old_code``, a merge several rows with the same
    ``new_code``; a name change has ``old_code == new_code``.

    Returns:
        A new frame with columns ``old_code``, ``old_name``, ``new_code``, ``new_name`` and
        ``date`` (``datetime64``, the ``changeOccurred`` day), sorted by date and codes.
    """
    import pandas as pd

    df = pd.DataFrame(
        list(_changes()), columns=["old_code", "old_name", "new_code", "new_name", "date"]
    ).astype({c: object for c in ["old_code", "old_name", "new_code", "new_name"]})
    df["date"] = pd.to_datetime(df["date"])
    return df


def _forward(year: int) -> tuple[dict[str, frozenset[str]], dict[str, int]]:
    """Follow the code changes from 1 January *year* to 2024-01-01.

    Returns (code → set of 2024 codes, code → year of the latest split in its chain or 0).
    Each step is checked: the changes of a date may only name codes valid just before it, and
    applying them to the codes valid before it must give exactly the codes valid on it.
    """
    start = date(int(year), 1, 1)
    by_date: dict[date, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for old, _, new, _, day in _changes():
        if start < day <= TARGET_DATE:
            by_date[day][old].add(new)
    current: dict[str, frozenset[str]] = {c: frozenset([c]) for c in _names(year)}
    split_year: dict[str, int] = dict.fromkeys(current, 0)
    valid_before = set(_names(year))
    for day in sorted(by_date):
        steps = by_date[day]
        unknown = sorted(set(steps) - valid_before)
        if unknown:
            raise KlassDataError(f"changes on {day} name codes not valid before it: {unknown}")
        for code, now in current.items():
            nxt: set[str] = set()
            for c in now:
                targets = steps.get(c, {c})
                if len(targets) > 1:
                    split_year[code] = day.year
                nxt |= targets
            current[code] = frozenset(nxt)
        valid_now = set(_names(day.year))
        produced = set().union(*(steps.get(c, {c}) for c in valid_before))
        if produced != valid_now:
            raise KlassDataError(
                f"applying the {day} changes does not give KLASS version {klass_version(day.year)}: "
                f"extra {sorted(produced - valid_now)}, missing {sorted(valid_now - produced)}"
            )
        valid_before = valid_now
    if year < TARGET_DATE.year and valid_before != set(_names(TARGET_DATE.year)):
        raise KlassDataError(f"the change chain from {year} does not end in the 2024 division")
    return current, split_year
