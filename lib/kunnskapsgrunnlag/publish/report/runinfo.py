"""Dates and run information as the reader sees them: build date, data date, version line.

``run_info`` (from the runner) may carry ``date`` (build date), ``data_date`` (date, ISO string or
``(first, last)``; default: the snapshot's retrieval dates), ``data_source`` (``"snapshot"``/
``"live"``), ``snapshot`` (the snapshot manifest entries), ``version`` and ``commit``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.formatting import by_lang as _t
from kunnskapsgrunnlag.regions import COUNTIES


def council_name(county_code: str) -> str:
    """Name of the body the report is for: ``Vestland fylkeskommune``, but ``Oslo kommune``.

    Oslo is a municipality that also carries the county council's duties; there is no
    «Oslo fylkeskommune».
    """
    name = COUNTIES[county_code].name
    return f"{name} kommune" if county_code == "03" else f"{name} fylkeskommune"


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def format_date(value: Any, lang: str = "nb") -> str:
    """Format a date the Norwegian way (``4. mars 2025``); an unparseable string is returned as is.

    A pair ``(first, last)`` of different dates gives ``mellom 9. juni 2022 og 4. mars 2025``.
    """
    if isinstance(value, list | tuple):
        dates = [d for d in (_as_date(v) for v in value) if d is not None]
        if not dates:
            return ""
        lo, hi = min(dates), max(dates)
        if lo == hi:
            return format_date(lo, lang)
        return f"mellom {format_date(lo, lang)} og {format_date(hi, lang)}"
    d = _as_date(value)
    if d is None:
        return "" if value is None else str(value)
    from babel.dates import format_date as babel_date

    return babel_date(d, format="d. MMMM y", locale="nn_NO" if lang == "nn" else "nb_NO")


# --------------------------------------------------------------------------- run information
def _snapshot_entries(run_info: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    entries = run_info.get("snapshot")
    if entries:
        return [e for e in entries if isinstance(e, Mapping)]
    try:
        from kunnskapsgrunnlag.data.snapshot import manifest as snapshot_manifest
    except ImportError:
        snapshot_manifest = None
    try:
        if snapshot_manifest is not None:
            sources = snapshot_manifest()["sources"]
        else:
            sources = json.loads(paths.SNAPSHOT_MANIFEST.read_text(encoding="utf-8"))["sources"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return [{"id": sid, **e} for sid, e in sources.items() if isinstance(e, Mapping)]


def snapshot_dates(
    run_info: Mapping[str, Any] | None = None, tables: Iterable[str] = ()
) -> tuple[tuple[date, date] | None, bool]:
    """When the bundled data the report uses was taken from SSB.

    Reads the ``retrieved`` dates of the snapshot sources (``run_info["snapshot"]`` as the runner
    passes it, else the snapshot manifest), keeping the sources of SSB *tables* when given.

    Returns:
        ``((first, last), some_unknown)``: the earliest and latest retrieval date (``None`` when
        no date is known) and whether some used source has no recorded date.
    """
    entries = [e for e in _snapshot_entries(run_info or {}) if e.get("status", "ok") == "ok"]
    wanted = set(tables)
    if wanted and any(str(e.get("table")) in wanted for e in entries):
        entries = [e for e in entries if str(e.get("table")) in wanted]
    dates = [d for d in (_as_date(e.get("retrieved")) for e in entries) if d is not None]
    unknown = len(dates) < len(entries)
    return ((min(dates), max(dates)) if dates else None), unknown


def _data_date(run_info: Mapping[str, Any], tables: Iterable[str]) -> tuple[Any, bool]:
    raw = run_info.get("data_date")
    if raw is not None or run_info.get("data_source", "snapshot") == "live":
        return raw, False
    return snapshot_dates(run_info, tables)


def data_sentence(run_info: Mapping[str, Any], lang: str, tables: Iterable[str] = ()) -> str:
    """«Basert på datauttaket fra SSB, sist oppdatert <dato>» (nb/nn), or «Hentet direkte fra …» (live).

    Uses ``run_info["data_date"]`` (date, ISO string or a ``(first, last)`` pair), else the
    retrieval dates of the snapshot sources of *tables* when ``run_info["data_source"]`` is
    ``"snapshot"`` (the default); a span of dates reads «hentet mellom … og …».
    """
    live = run_info.get("data_source", "snapshot") == "live"
    raw, unknown = _data_date(run_info, tables)
    when = format_date(raw, lang) if raw is not None else ""
    if live:
        if not when:
            return _t(
                lang,
                "Hentet direkte fra SSBs statistikkbank",
                "Henta direkte frå statistikkbanken til SSB",
            )
        return _t(
            lang,
            f"Hentet direkte fra SSBs statistikkbank {when}",
            f"Henta direkte frå statistikkbanken til SSB {when}",
        )
    if not when:
        return _t(
            lang,
            "Basert på datauttaket fra SSB (uttaksdato ikke registrert)",
            "Basert på datauttaket frå SSB (uttaksdato ikkje registrert)",
        )
    if isinstance(raw, tuple | list):
        # A span of retrieval dates: the reader needs the newest one (how fresh the data is).
        dates = [d for d in (_as_date(v) for v in raw) if d is not None]
        when = format_date(max(dates), lang) if dates else when
    return _t(
        lang,
        f"Basert på datauttaket fra SSB, sist oppdatert {when}",
        f"Basert på datauttaket frå SSB, sist oppdatert {when}",
    )


def data_short(run_info: Mapping[str, Any], lang: str = "nb") -> str:
    """The data line of a portal card: «Datauttak fra SSB, sist oppdatert <dato>» (the newest date).

    Never a span of retrieval dates: «hentet mellom 2022 og 2026» made current data look old.
    """
    live = run_info.get("data_source", "snapshot") == "live"
    raw, _ = _data_date(run_info, ())
    if isinstance(raw, tuple | list):
        dates = [d for d in (_as_date(v) for v in raw) if d is not None]
        raw = max(dates) if dates else None
    when = format_date(raw, lang) if raw is not None else ""
    if live:
        return _t(
            lang,
            f"Hentet fra SSBs statistikkbank {when}",
            f"Henta frå statistikkbanken til SSB {when}",
        ).strip()
    if not when:
        return _t(lang, "Datauttak fra SSB", "Datauttak frå SSB")
    return _t(
        lang,
        f"Datauttak fra SSB, sist oppdatert {when}",
        f"Datauttak frå SSB, sist oppdatert {when}",
    )


def build_date(run_info: Mapping[str, Any]) -> Any:
    """The build date: ``run_info["date"]``, else today."""
    return run_info.get("date") or date.today()


def version_line(run_info: Mapping[str, Any], lang: str) -> str:
    """«Laget med kunnskapsgrunnlag <versjon> 1. desember 2026.» (nb; nn «Laga …»).

    The git commit is developer information: it goes in the page's ``generator`` metadata.
    """
    from kunnskapsgrunnlag import __version__

    version = run_info.get("version") or __version__
    when = format_date(build_date(run_info), lang)
    return _t(
        lang,
        f"Laget med analysemalen kunnskapsgrunnlag {version}, {when}.",
        f"Laga med analysemalen kunnskapsgrunnlag {version}, {when}.",
    )
