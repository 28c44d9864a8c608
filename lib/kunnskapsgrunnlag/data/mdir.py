"""Miljødirektoratet's municipal greenhouse-gas statistics («Klimagassutslipp i kommuner»).

The bundled file (``mdir-klimagassutslipp-telemark``, see its ``SOURCE.md``) is a long CSV made by
Telemark fylkeskommune from Miljødirektoratet's workbook: ``Kommune,År,Sektor,Utslippskilde,Utslipp``
with municipalities by name only and emissions in tonnes CO2-equivalents. The reader gives the
tidy shape ``region`` (2024 municipality code, found by name among the municipalities of the
entry's ``county``), ``region_name``, ``year``, ``sector``, ``emission_source`` (labels stripped
of their trailing spaces), ``value`` (tonnes CO2-equivalents, as published) and ``status``
(``None``: the file has no symbols). Rows are kept as they are: a source label can occur twice in
a sector (two sub-sources of the same name), so sums are taken by the caller.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kunnskapsgrunnlag.data.errors import SnapshotError

COLUMNS = ("Kommune", "År", "Sektor", "Utslippskilde", "Utslipp")


def read_mdir_csv(path: Path, county: str) -> pd.DataFrame:
    """Read the municipal emissions CSV of *county* (a 2024 county code) into the tidy shape."""
    from kunnskapsgrunnlag.regions import municipalities

    raw = pd.read_csv(path, encoding="utf-8", dtype={"Kommune": str, "Sektor": str})
    lacking = [c for c in COLUMNS if c not in raw.columns]
    if lacking:
        raise SnapshotError(f"{path.name}: missing column(s) {', '.join(lacking)}")
    munis = municipalities(2024)
    munis = munis[munis["code"].str[:2] == county]
    code_of = dict(zip(munis["name"], munis["code"], strict=True))
    unknown = sorted(set(raw["Kommune"]) - set(code_of))
    if unknown:
        raise SnapshotError(
            f"{path.name}: municipality name(s) not in county {county} (2024): {', '.join(unknown)}"
        )
    return pd.DataFrame(
        {
            "region": raw["Kommune"].map(code_of).astype(object),
            "region_name": raw["Kommune"].astype(object),
            "year": raw["År"].astype(int),
            "sector": raw["Sektor"].str.strip().astype(object),
            "emission_source": raw["Utslippskilde"].astype(str).str.strip().astype(object),
            "value": pd.to_numeric(raw["Utslipp"], errors="raise").astype(float),
            "status": None,
        }
    )
