"""SSB table 11713 (fylkesfordelt nasjonalregnskap): the StatBank xlsx and JSON-stat answers.

Tidy shape (``kind`` ``regional_accounts_11713``), one row per cell: ``region`` (SSB's code as
given: ``"0"``, the pre-2020 counties ``"01"``–``"20"`` and ``"50"``), ``region_name`` (SSB's
label without the code), ``industry`` (SSB's label, e.g. ``"Industri"``, ``"Totalt for
næringer"``), ``measure`` (``"bruttoprodukt"``: value added at basic prices, current prices, mill.
kr; ``"sysselsatte"``: employed persons, 1 000), ``year``, ``value`` (NaN where SSB has a symbol),
``status``. Industries and measures are taken by label, so the bundled export and a live answer
(whose codes were not checked, see the manifest) give the same frame.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from kunnskapsgrunnlag.data.errors import SnapshotError
from kunnskapsgrunnlag.data.jsonstat import SYMBOLS
from kunnskapsgrunnlag.data.shape import finish, nfc
from kunnskapsgrunnlag.data.tidy import _dims, _label

COLUMNS = ["region", "region_name", "industry", "measure", "year", "value", "status"]
MEASURES: dict[str, str] = {
    "bruttoprodukt": "Bruttoprodukt i basisverdi. Løpende priser",
    "sysselsatte": "Sysselsatte personer",
}
"""Measure key → the start of SSB's label for it."""
INDUSTRY_NN: dict[str, str] = {
    "Utvinning av råolje og naturgass, inkl. tjenester": "Utvinning av råolje og naturgass, inkl. tenester",
    "Elektrisitets-, gass- og varmtvannsforsyning": "Elektrisitets-, gass- og varmtvassforsyning",
    "Vannforsyning, avløp og renovasjon": "Vassforsyning, avløp og renovasjon",
    "Bygge- og anleggsvirksomhet": "Bygge- og anleggsverksemd",
    "Utenriks sjøfart": "Utanriks sjøfart",
    "Transport utenom utenriks sjøfart": "Transport utanom utanriks sjøfart",
    "Post og distribusjonsvirksomhet": "Post- og distribusjonsverksemd",
    "Overnattings- og serveringsvirksomhet": "Overnattings- og serveringsverksemd",
    "Finansierings- og forsikringsvirksomhet": "Finansierings- og forsikringsverksemd",
    "Omsetning og drift av fast eiendom": "Omsetjing og drift av fast eigedom",
    "Boligtjenester, egen bolig": "Bustadtenester, eigen bustad",
    "Faglig, vitenskapelig og teknisk tjenesteyting": "Fagleg, vitskapleg og teknisk tenesteyting",
    "Forretningsmessig tjenesteyting": "Forretningsmessig tenesteyting",
    "Offentlig administrasjon og forsvar": "Offentleg administrasjon og forsvar",
    "Helse- og omsorgstjenester": "Helse- og omsorgstenester",
    "Kultur, underholdning og annen tjenesteyting": "Kultur, underhaldning og anna tenesteyting",
    "Totalt for næringer": "Totalt for næringar",
}  # fmt: skip
"""Nynorsk forms of SSB's bokmål industry labels, for nynorsk reports (written here: SSB's
nynorsk labels were not at hand). Labels not listed are the same in both."""


def measure_of(label: str) -> str | None:
    """The measure key of an SSB ContentsCode label (``None`` for another measure)."""
    return next((k for k, start in MEASURES.items() if nfc(label).startswith(nfc(start))), None)


def _text(s: object) -> str:
    return unicodedata.normalize("NFC", str(s)).strip()


def _split_region(label: str) -> tuple[str, str]:
    m = re.match(r"^(\d{1,2})\s+(.*)$", _text(label))
    if not m:
        raise SnapshotError(f"table 11713: cannot read a region code from {label!r}")
    return m.group(1), m.group(2)


def _cells(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = raw.astype(object).map(lambda v: str(v).strip() if isinstance(v, str) else None)
    status = text.where(text.isin(SYMBOLS), None)
    value = pd.to_numeric(raw.where(status.isna()), errors="coerce").astype(float)
    return value, status


def _done(parts: list[pd.DataFrame]) -> pd.DataFrame:
    out = finish(pd.concat(parts, ignore_index=True), COLUMNS, ["measure", "region", "industry", "year"])
    return out.astype({c: object for c in ("region", "region_name", "industry", "measure")})


def read_11713_xlsx(path: Path) -> pd.DataFrame:
    """Read the StatBank xlsx export of 11713 (header rows, forward-filled blocks, footnotes)."""
    sheet = pd.read_excel(path, header=None, dtype=object)
    measures = [measure_of(str(c)) for c in sheet.iloc[2, 3:5]]
    if measures != ["bruttoprodukt", "sysselsatte"]:
        raise SnapshotError(f"{path.name}: row 3 does not name the two measures of 11713")
    data = sheet.iloc[3:]
    is_year = pd.to_numeric(data[2], errors="coerce").between(1900, 2100)
    first_footnote = is_year.idxmin() if not is_year.all() else len(sheet)
    block = data.loc[: first_footnote - 1]
    block = block.assign(**{"0": block[0].ffill(), "1": block[1].ffill()})[is_year[block.index]]
    codes = block["0"].map(_split_region)
    parts = []
    for col, measure in zip((3, 4), measures, strict=True):
        value, status = _cells(block[col])
        parts.append(
            pd.DataFrame({
                "region": codes.str[0], "region_name": codes.str[1],
                "industry": block["1"].map(_text), "measure": measure,
                "year": pd.to_numeric(block[2]).astype("int64"), "value": value, "status": status,
            })  # fmt: skip
        )
    return _done(parts)


def from_jsonstat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The tidy shape from decoded JSON-stat answers of 11713 (industry dimension found by name)."""
    parts = []
    for js in frames:
        dims = _dims(js)
        industry = next((d for d in dims if re.search("nace|n.ring", d, re.I)), None)
        if "Region" not in dims or industry is None or "ContentsCode" not in dims:
            raise SnapshotError(f"table 11713: unexpected dimensions in SSB's answer ({dims})")
        measure = _label(js, "ContentsCode").map(measure_of)
        keep = measure.notna()
        parts.append(
            pd.DataFrame({
                "region": js["Region"].astype(str), "region_name": _label(js, "Region").map(_text),
                "industry": _label(js, industry).map(_text), "measure": measure,
                "year": js["Tid"].astype("int64"), "value": js["value"], "status": js["status"],
            })[keep]  # fmt: skip
        )
    return _done(parts)
