"""Telemark's own chapter on SSB's municipal projections (14746/14288): values from the source files."""

from __future__ import annotations

import csv
import html
import re
from collections import defaultdict

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.formatting import number, percent
from kunnskapsgrunnlag.indicators.csv import collect_rows
from test_indicators import run_chapter_fast

FOLDER = paths.SNAPSHOT / "ssb-telemark-framskriving-14288-14746"
NOTEBOOK = paths.NOTEBOOKS / "fylker" / "40-telemark" / "kommuneframskriving.ipynb"


def raw(name: str) -> dict[tuple[str, str, int], float]:
    """Persons per region name, alternative label and year, summed over age, from the source."""
    out: dict[tuple[str, str, int], float] = defaultdict(float)
    with (FOLDER / name).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            alt = re.search(r"\((\w{4})\)", row["statistikkvariabel"]).group(1)
            out[(row["region"], alt, int(row["år"]))] += float(row["value"])
    return out


NEW = "Framskrevet_folkemengde_2026-2050.csv"
OLD = "Framskrevet_folkemengde_2024-2050.csv"


def test_indicators_csv_rows_are_telemark_municipalities_from_14746():
    rows = collect_rows(["framskrevet_folkemengde_kommune"])
    assert set(rows["source"]) == {"SSB, tabell 14746"}
    assert rows["region_code"].str.startswith("40").all() and rows["region_code"].nunique() == 18
    assert rows["year"].min() == 2026 and rows["year"].max() == 2050
    r = raw(NEW)
    skien = rows[(rows["region_code"] == "4003") & (rows["year"] == 2050)]["value"].item()
    assert skien == r[("Skien", "MMMM", 2050)]
    county = rows[(rows["region_code"] == "40") & (rows["year"] == 2026)]["value"].item()
    assert county == r[("Telemark", "MMMM", 2026)]


def test_chapter_shows_the_three_alternatives_from_the_source():
    ch = run_chapter_fast(NOTEBOOK, "40")
    page = html.unescape(re.sub(r"<[^>]+>", " ", "\n".join(ch.outputs)))
    r, old = raw(NEW), raw(OLD)
    main0, main1 = r[("Telemark", "MMMM", 2026)], r[("Telemark", "MMMM", 2050)]
    assert f"får Telemark {number(main1)} innbyggere i 2050" in page
    assert f"endring på {percent(100 * (main1 / main0 - 1), sign=True)} fra {number(main0)}" in page
    assert f"lav nasjonal vekst blir det {number(r[('Telemark', 'LLML', 2050)])}" in page
    assert f"høy nasjonal vekst {number(r[('Telemark', 'HHMH', 2050)])}" in page
    assert (
        f"(tabell 14288) var tallet for Telemark i 2050 {number(old[('Telemark', 'MMMM', 2050)])}"
        in page
    )
    assert (
        "Kilde: Statistisk sentralbyrå (SSB), tabell 14746. Kartdata: © Kartverket, CC BY 4.0"
        in page
    )
    assert "framskrevet_folkemengde_kommune" in ch.indicators
