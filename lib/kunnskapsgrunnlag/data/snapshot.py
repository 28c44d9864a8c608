"""Loading sources in the tidy shape, from the bundled snapshot or live from SSB.

Every source has one entry in ``data/snapshot/manifest.json`` (id, table, title, provenance, the
PxWebApi v2 query that refreshes it, files with sha256). :func:`load` returns the tidy shape of
``docs/architecture.md`` from the bundled files (``source="snapshot"``, checked against their
sha256) or from SSB's API (``source="live"``, through :class:`~kunnskapsgrunnlag.data.client.SSBClient`
with the manifest's query), so a notebook does not care where the data came from.

Tidy shapes (one row per cell; ``value`` is NaN where SSB has a symbol in ``status``):

* ``population_municipal`` (``07459-kommuner-YYYY``): ``region`` (4-digit municipality code valid
  that year, plus SSB's special regions ``21-22``, ``23`` and ``Rest`` as given), ``region_name``
  (KLASS 131 name of that year), ``year``, ``sex`` (``"1"`` menn / ``"2"`` kvinner, ``None`` when
  the source has no sex breakdown), ``age`` (int 0–105, 105 = 105 or older), ``value``,
  ``status``. The 2022 JSON-stat source has no ``sex``/``age`` (all ages, both sexes).
* ``population_county`` (``07459-fylker-2023-2025``): ``region`` (``"0"`` or a 2024 county
  code), ``region_name``, ``year``, ``sex``, ``age_group`` (``"0-9"`` … ``"90-99"``, ``"100+"``),
  ``value``, ``status``.
* ``kostra_12163`` (``12163-fylker``): ``region`` (KOSTRA code as given, ``"0300"`` or
  ``"EAFKUO"``), ``region_name``, ``county`` (2 digits or ``None``), ``function``,
  ``function_name``, ``year``, ``value``, ``status``, ``unit``.
* ``county_indicators`` (``ssb-andre-fylkesindikatorer``): ``region`` (two-digit 2024 county
  code, ``"0"`` for «Hele landet», ``"EAFKUO"`` for «Landet uten Oslo»), ``region_name`` (as
  given), ``indicator`` (the file's name, e.g. ``busspassasjerer``), ``table`` (SSB table),
  ``year`` (nullable integer: missing for ``landareal_km2``), ``value``, ``status``, ``unit``.
  A registry entry selects one indicator: ``select: {indicator: busspassasjerer}``.
* ``nav_ledighet`` / ``nav_nedsatt`` (``nav-ledighet``, ``nav-nedsatt-arbeidsevne``): NAV's
  monthly figures with a ``month`` column beside ``year`` (:mod:`kunnskapsgrunnlag.data.nav`).
  Such entries have ``"live": "snapshot"``: a live run reads them from the snapshot, which
  ``kg import-nav`` refreshes.
* ``regional_accounts_11713`` (``11713-fylkesfordelt``): ``region`` (SSB's code, pre-2020
  counties), ``region_name``, ``industry``, ``measure``, ``year``, ``value``, ``status``
  (:mod:`kunnskapsgrunnlag.data.accounts`).
* ``mdir_klimagass`` (``mdir-klimagassutslipp-telemark``, Miljødirektoratet, no API query: read
  from the bundled file also in a live run): see :mod:`kunnskapsgrunnlag.data.mdir`.
* ``population_single`` (``07459-b2024-*``, FHI csdata on the 2024 borders): ``region``
  (``"0"``, county or municipality code), ``region_name``, ``year``, ``sex`` (``None`` = both),
  ``age`` (single year, or a band's lower bound in ``-aldersgrupper``), ``value``, ``status``.
* ``projection_full`` (``14288-fylker-2050`` bundled; ``14746-framskriving`` and
  ``14288-framskriving`` live): the shape of :mod:`kunnskapsgrunnlag.data.projection`.

The manifest queries (:func:`source_ids`, :func:`source_info`, :func:`manifest`, :func:`verify`
…) live in :mod:`kunnskapsgrunnlag.data.manifest` and are importable from here too, so
``from kunnskapsgrunnlag.data import snapshot`` gives the whole snapshot API.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from kunnskapsgrunnlag.data.client import SSBClient, default_client
from kunnskapsgrunnlag.data.csvfiles import (
    read_datacommons_csv,
    read_indicators_csv,
    read_fhi_csdata_csv,
    read_kostra_csv,
    read_statbank_csv,
)
from kunnskapsgrunnlag.data.errors import (
    JSONStatError,
    NotInSnapshotError,
    SnapshotError,
    SnapshotIntegrityError,
)
from kunnskapsgrunnlag.data.jsonstat import read_jsonstat
from kunnskapsgrunnlag.data.manifest import (
    FETCHED_DIR,
    live_sources,
    manifest,
    needs_refresh,
    snapshot_date,
    snapshot_folder,
    source_ids,
    source_info,
    verify,
)
from kunnskapsgrunnlag.data.projection import read_statbank_wide_csv
from kunnskapsgrunnlag.data.query import Query
from kunnskapsgrunnlag.data.shape import FUNCTION_NAMES, NORWAY_NAME
from kunnskapsgrunnlag.data.tidy import tidy_from_jsonstat

_OTHER_PRODUCERS = {
    "udir-xlsx": "read_udir_xlsx",
    "udir-csv": "read_udir_csv",
    "imdi-csv": "read_imdi_csv",
}
"""Formats of files from other producers than SSB (:mod:`~.udir`): refreshed as a new file."""

_SNAPSHOT_MEMO: dict[tuple[Any, ...], pd.DataFrame] = {}
_LIVE_MEMO: weakref.WeakKeyDictionary[SSBClient, dict[str, pd.DataFrame]] = (
    weakref.WeakKeyDictionary()
)


def _load_files(entry: Mapping[str, Any], snap: Path) -> pd.DataFrame:
    fmt = entry.get("format")
    files = [snap / f["path"] for f in entry.get("files", [])]
    if fmt in ("statbank-csv", "statbank-csv-resaved"):
        return pd.concat([read_statbank_csv(p, fmt) for p in files], ignore_index=True)
    if fmt == "datacommons-csv":
        return pd.concat([read_datacommons_csv(p) for p in files], ignore_index=True)
    if fmt == "kostra-csv":
        return pd.concat(
            [read_kostra_csv(p, entry.get("unit", "kr per innbygger")) for p in files],
            ignore_index=True,
        )
    if fmt in _OTHER_PRODUCERS:
        from kunnskapsgrunnlag.data import udir

        read = getattr(udir, _OTHER_PRODUCERS[fmt])
        return pd.concat([read(p) for p in files], ignore_index=True)
    if fmt == "indicators-csv":
        return pd.concat([read_indicators_csv(p) for p in files], ignore_index=True)
    if fmt in ("nav-ledighet-csv", "nav-nedsatt-csv"):
        from kunnskapsgrunnlag.data import nav

        read = nav.read_ledighet_csv if fmt == "nav-ledighet-csv" else nav.read_nedsatt_csv
        return pd.concat([read(p) for p in files], ignore_index=True)
    if fmt == "statbank-xlsx-11713":
        from kunnskapsgrunnlag.data.accounts import read_11713_xlsx

        return pd.concat([read_11713_xlsx(p) for p in files], ignore_index=True)
    if fmt == "mdir-csv":
        from kunnskapsgrunnlag.data.mdir import read_mdir_csv

        return pd.concat([read_mdir_csv(p, entry["county"]) for p in files], ignore_index=True)
    if fmt == "projection-long-csv":
        from kunnskapsgrunnlag.data.projection import read_long_csv

        return pd.concat([read_long_csv(p) for p in files], ignore_index=True)
    if fmt == "fhi-csdata-csv":
        return pd.concat([read_fhi_csdata_csv(p) for p in files], ignore_index=True)
    if fmt == "projection-wide-csv":
        return pd.concat(
            [read_statbank_wide_csv(p, str(entry.get("table"))) for p in files], ignore_index=True
        )
    if fmt == "jsonstat2":
        try:
            frames = [read_jsonstat(p) for p in files]
        except JSONStatError as exc:
            raise SnapshotError(f"source {entry.get('id')!r}: {exc}") from None
        return tidy_from_jsonstat(entry, frames)
    raise SnapshotError(f"source {entry.get('id')!r} has unknown format {fmt!r}")


def _oldest(stamps: Iterable[str | None]) -> str | None:
    """The oldest of ISO 8601 times (``None`` when none is known)."""
    known = [s for s in stamps if s]
    return min(known, key=datetime.fromisoformat) if known else None


def _local_date(stamp: str | None) -> str:
    """The local calendar date of an ISO 8601 time (today when ``None``)."""
    if stamp is None:
        return date.today().isoformat()
    return datetime.fromisoformat(stamp).astimezone().date().isoformat()


def _attrs(
    df: pd.DataFrame, entry: Mapping[str, Any], data_source: str, fetched_at: str | None = None
) -> pd.DataFrame:
    """Set the provenance attrs; a live frame's ``retrieved`` is when its answers were fetched."""
    df.attrs.update(
        {
            "source_id": entry["id"],
            "data_source": data_source,
            "table": entry.get("table"),
            "title": entry.get("title"),
            "credit": entry.get("credit"),
            "licence": entry.get("licence"),
            "retrieved": entry.get("retrieved")
            if data_source == "snapshot"
            else _local_date(fetched_at),
            "ssb_updated": entry.get("ssb_updated"),
        }
    )
    if data_source == "live":
        df.attrs["fetched_at"] = fetched_at
    if entry.get("unit"):
        df.attrs["unit"] = entry["unit"]
    return df


def _load_live(entry: Mapping[str, Any], client: SSBClient) -> pd.DataFrame:
    """The live frame of *entry* (memoised per client; ``retrieved`` = its oldest answer's date)."""
    memo = _LIVE_MEMO.setdefault(client, {})
    queries = entry.get("queries") or []
    if not queries:
        raise SnapshotError(f"source {entry['id']!r} has no query to fetch it live")
    memo_key = f"{entry['id']}\n{json.dumps(queries, sort_keys=True)}"
    if memo_key not in memo:
        frames = [client.get_table(Query.from_dict(q)) for q in queries]
        fetched = _oldest(f.attrs.get("fetched_at") for f in frames)
        memo[memo_key] = _attrs(tidy_from_jsonstat(entry, frames), entry, "live", fetched)
    return memo[memo_key].copy(deep=False)


def load(
    source_id: str,
    source: str = "snapshot",
    *,
    client: SSBClient | None = None,
    snapshot_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Return a source in the tidy shape (see the module docstring).

    Args:
        source_id: A manifest id, e.g. ``"07459-kommuner-2022"``.
        source: ``"snapshot"`` (bundled files, sha256-checked) or ``"live"`` (SSB's API with the
            manifest's v2 query; memoised per client, so a batch asks once per query).
        client: The client for ``"live"`` (default: the process-wide
            :func:`~kunnskapsgrunnlag.data.client.default_client`).
        snapshot_dir: Snapshot folder (default ``data/snapshot``).

    Returns:
        A new frame (callers may modify it); ``df.attrs["source_id"]`` names the entry.

    Raises:
        NotInSnapshotError: ``source="snapshot"`` for a live-only source.
        SnapshotIntegrityError: A bundled file is missing or was edited.
        kunnskapsgrunnlag.data.errors.SSBError: A live request failed.
    """
    snap = snapshot_folder(snapshot_dir)
    entry = source_info(source_id, snap)
    if source == "live" and entry.get("live") == "snapshot":
        source = "snapshot"  # not an SSB table (NAV): its refresh is a new file in the snapshot
    if source == "live" and entry.get("queries"):
        return _load_live(entry, client or default_client())
    # a source without an API query (not from SSB's statistics bank) is always the bundled file
    if source not in ("snapshot", "live"):
        raise ValueError(f"source must be 'snapshot' or 'live', not {source!r}")
    if entry.get("status", "ok") != "ok" or not entry.get("files"):
        raise NotInSnapshotError(
            f"source {source_id!r} (table {entry.get('table')}) is not in the snapshot: it needs a refresh "
            f"with `kg fetch --source {source_id}` or data_source='live'"
        )
    stamp = []
    for f in entry["files"]:
        p = snap / f["path"]
        try:
            st = p.stat()
        except FileNotFoundError:
            raise SnapshotIntegrityError(
                f"snapshot file {f['path']} of source {source_id!r} is missing ({p})"
            ) from None
        stamp.append((f["path"], f["sha256"], st.st_mtime_ns, st.st_size))
    key = (source_id, str(snap.resolve()), tuple(stamp))
    if key not in _SNAPSHOT_MEMO:
        verify(source_id, snap)
        _SNAPSHOT_MEMO[key] = _attrs(_load_files(entry, snap), entry, "snapshot")
    return _SNAPSHOT_MEMO[key].copy(deep=False)


def prefetch(
    source_ids: Iterable[str] | None = None,
    *,
    client: SSBClient | None = None,
    snapshot_dir: str | Path | None = None,
) -> int:
    """Fetch the live queries of *source_ids* once (warming memo and disk cache) before a batch.

    A runner calls this in the parent process; worker processes then find every answer in the
    disk cache, so the batch sends each distinct query once.

    Returns:
        The number of HTTP requests sent.
    """
    client = client or default_client()
    before = client.requests_sent
    for sid in source_ids or live_sources(snapshot_dir):
        load(sid, "live", client=client, snapshot_dir=snapshot_dir)
    return client.requests_sent - before


def live_data_date(client: SSBClient | None = None) -> str | None:
    """Return the local date of the oldest answer behind the live sources loaded so far.

    A runner calls this after :func:`prefetch`: a live report's data date is when the answers it
    uses were fetched from SSB (from the disk cache, maybe yesterday), not the day it was built.
    ``None`` when nothing was loaded live through *client*.
    """
    frames = _LIVE_MEMO.get(client or default_client(), {}).values()
    if not frames:
        return None
    return _local_date(_oldest(f.attrs.get("fetched_at") for f in frames))


__all__ = [
    "FETCHED_DIR",
    "FUNCTION_NAMES",
    "NORWAY_NAME",
    "NotInSnapshotError",
    "SnapshotError",
    "SnapshotIntegrityError",
    "live_data_date",
    "live_sources",
    "load",
    "manifest",
    "needs_refresh",
    "prefetch",
    "snapshot_date",
    "source_ids",
    "source_info",
    "tidy_from_jsonstat",
    "verify",
]
