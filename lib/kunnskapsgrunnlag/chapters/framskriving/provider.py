"""Registry provider of the Framskriving chapter: ``series(indicator_id, data_source)``.

The projected measures (``framskrevet_<measure>``, Norway and the counties, 2027–2050), the
barometer's comparable indicators derived from them (:data:`DERIVED`: a change 2026–2050 in per
cent, or a level in 2050), and SSB's official 2050 figure (``ssb_framskrevet_folkemengde_2050``,
14288 MMMM, bundled). Values are rounded half-up at the registry's decimals, as the figures
the chapter quotes. Everything is computed from the bundled snapshot (the projection has no live
variant), so *data_source* does not change the figures.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag.chapters.framskriving.constants import (
    INDICATOR_PREFIX,
    JUMP_OFF_YEAR,
    LAST_YEAR,
    MAIN_WINDOW,
    MEASURES,
)
from kunnskapsgrunnlag.chapters.framskriving.method import measures

DERIVED: dict[str, tuple[str, int | None, int]] = {
    "framskrevet_endring_folkemengde_2026_2050": ("folkemengde", JUMP_OFF_YEAR, LAST_YEAR),
    "framskrevet_endring_80_og_eldre_2026_2050": ("80_og_eldre", JUMP_OFF_YEAR, LAST_YEAR),
    "framskrevet_forsorgerbrok_eldre_2050": ("forsorgerbrok_eldre", None, LAST_YEAR),
}
"""Barometer indicator → (measure, first year or ``None`` for a level, last year)."""

BAROMETER_IDS: tuple[str, ...] = tuple(DERIVED)
"""The chapter's rows in the report's barometer «Utfordringer og muligheter»."""


OFFICIAL_ID = "ssb_framskrevet_folkemengde_2050"
"""SSB's official figure for 2050 (14288, main alternative MMMM), per county."""


def _projected(with_jump_off: bool = False) -> pd.DataFrame:
    m = measures(MAIN_WINDOW)
    keep = (m["kind"] == "framskrevet") | (with_jump_off & (m["year"] == JUMP_OFF_YEAR))
    return m[keep]


def _official_rows() -> pd.DataFrame:
    from kunnskapsgrunnlag.chapters.framskriving.official import official_projection

    off = official_projection("snapshot")
    off = off[(off["measure"] == "folkemengde") & (off["year"] == LAST_YEAR)]
    order = sorted(off["region"], key=lambda r: (r != "0", r))
    v = off.set_index("region")["value"]
    return pd.DataFrame({"region": order, "year": LAST_YEAR, "value": v.loc[order].to_numpy()})


def _measure_rows(indicator_id: str) -> pd.DataFrame:
    m = _projected()
    m = m[m["measure"] == indicator_id.removeprefix(INDICATOR_PREFIX)]
    return pd.DataFrame({"region": m["region"], "year": m["year"], "value": m["value"]})


def _derived_rows(indicator_id: str) -> pd.DataFrame:
    measure, first, last = DERIVED[indicator_id]
    m = _projected(with_jump_off=True)
    wide = m[m["measure"] == measure].pivot(index="region", columns="year", values="value")
    end = wide[last]
    value = end if first is None else (end / wide[first] - 1.0) * 100.0
    order = sorted(value.index, key=lambda r: (r != "0", r))
    return pd.DataFrame({"region": order, "year": last, "value": value.loc[order].to_numpy()})


@lru_cache(maxsize=16)
def _series(indicator_id: str) -> pd.DataFrame:
    from kunnskapsgrunnlag import indicators

    ids = {INDICATOR_PREFIX + m for m in MEASURES}
    if indicator_id in DERIVED:
        rows = _derived_rows(indicator_id)
    elif indicator_id == OFFICIAL_ID:
        rows = _official_rows()
    elif indicator_id in ids:
        rows = _measure_rows(indicator_id)
    else:
        raise KeyError(f"indicator {indicator_id!r} is not computed by this chapter")
    decimals = indicators.get(indicator_id).decimals
    return pd.DataFrame(
        {
            "region": rows["region"].astype(str).astype(object),
            "year": rows["year"].astype(int),
            "value": rows["value"].map(lambda v: fmt.round_half_up(v, decimals)).astype(float),
            "status": pd.Series([None] * len(rows), dtype=object, index=rows.index),
        }
    ).reset_index(drop=True)


def series(indicator_id: str, data_source: str = "snapshot") -> pd.DataFrame:
    """Registry provider: one indicator's figures (region, year, value, status).

    Args:
        indicator_id: ``framskrevet_<measure>``, one of :data:`DERIVED` or :data:`OFFICIAL_ID`.
        data_source: ``"snapshot"`` or ``"live"`` (the same figures: see the module docstring).
    """
    return _series(indicator_id).copy()
