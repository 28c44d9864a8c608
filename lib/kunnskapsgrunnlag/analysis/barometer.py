"""The barometer «Utfordringer og muligheter»: one row per indicator, the same words for every county.

Each chapter computes, for the indicators it covers, a :class:`BarometerRow`: the county's latest
value against a reference (e.g. «landet uten Oslo»), its rank among the 15 counties, and a
verdict. The chapter emits the rows with :meth:`kunnskapsgrunnlag.publish.Chapter.barometer`; the
report gathers every chapter's rows into one table, the first section after the front page.

Verdict policy. For an indicator with a good direction (``higher_is_better``/``higher_is_worse``)
the county is «bedre enn»/«svakere enn» the reference only when the difference is at least the
indicator's notable threshold (given in the definitions appendix), else «om lag som». A neutral
indicator (spending, for instance, where more is neither better nor worse) gets «høyere
enn»/«lavere enn»/«om lag som» and never a judgement. A value carrying an SSB status symbol, or a
missing value, gets no verdict at all («ingen vurdering»). Meaning is never carried by colour
alone: every verdict has a symbol and words.

The sentences under the table (:func:`summary_sentences`) are pure functions of the rows, so all
15 counties get the same wording, computed from their own numbers.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields

__all__ = [
    "VERDICTS",
    "BarometerRow",
    "Verdict",
    "from_json",
    "summary_sentences",
    "threshold_rule",
    "to_json",
    "verdict_text",
]


@dataclass(frozen=True)
class BarometerRow:
    """One indicator in the barometer (every text already formatted, in the reader's language).

    Attributes:
        indicator: registry id.
        chapter: chapter id.
        anchor: HTML id of the section the row links to.
        label: the indicator's short name.
        year: the year of the values.
        value: the county's value, formatted, with its SSB status symbol if any.
        reference: the reference value, formatted.
        reference_name: the reference, lower case for inside a sentence («landet uten Oslo»).
        rank: «2 av 15», or ``""``.
        verdict: one of :data:`VERDICTS`.
        score: signed strength: > 0 is better for the county; magnitude = |difference| / the
            indicator's notable threshold; 0 for neutral indicators and ``none``.
        status: SSB status symbol on the county's value, or ``None``.
    """

    indicator: str
    chapter: str
    anchor: str
    label: str
    year: str
    value: str
    reference: str
    reference_name: str
    rank: str
    verdict: str
    score: float
    status: str | None


@dataclass(frozen=True)
class Verdict:
    """How a verdict reads: a symbol (never colour alone) and words in nb and nn."""

    symbol: str
    nb: str
    nn: str

    def words(self, lang: str) -> str:
        """The words in the written standard *lang*."""
        return self.nn if lang == "nn" else self.nb


VERDICTS: dict[str, Verdict] = {
    "better": Verdict("▲", "bedre enn", "betre enn"),
    "similar": Verdict("●", "om lag som", "om lag som"),
    "worse": Verdict("▼", "svakere enn", "svakare enn"),
    "higher": Verdict("↑", "høyere enn", "høgare enn"),
    "lower": Verdict("↓", "lavere enn", "lågare enn"),
    "similar_neutral": Verdict("=", "om lag som", "om lag som"),
    "none": Verdict("○", "ingen vurdering", "inga vurdering"),
}
"""Every verdict a row can have: symbol and words (``none``: no verdict, see the module text)."""

_TEXT_FIELDS = frozenset(f.name for f in fields(BarometerRow) if f.name not in {"score", "status"})


def verdict_text(row: BarometerRow, lang: str) -> str:
    """Symbol and words of the row's verdict: «▲ bedre enn landet uten Oslo», «○ ingen vurdering (..)»."""
    v = VERDICTS[row.verdict]
    if row.verdict == "none":
        return f"{v.symbol} {v.words(lang)}" + (f" ({row.status})" if row.status else "")
    return f"{v.symbol} {v.words(lang)} {row.reference_name}"


# --------------------------------------------------------------------------- JSON contract
def to_json(rows: Sequence[BarometerRow]) -> str:
    """The rows as a JSON list of objects (one per row, the dataclass fields as keys)."""
    return json.dumps([asdict(r) for r in rows], ensure_ascii=False, separators=(",", ":"))


def _row(item: object, index: int) -> BarometerRow:
    if not isinstance(item, dict):
        raise ValueError(f"barometer row {index}: expected an object, got {type(item).__name__}")
    names = [f.name for f in fields(BarometerRow)]
    for name in names:
        if name not in item:
            raise ValueError(f"barometer row {index}: missing field {name!r}")
    extra = sorted(set(item) - set(names))
    if extra:
        raise ValueError(f"barometer row {index}: unknown field {extra[0]!r}")
    for name in _TEXT_FIELDS:
        if not isinstance(item[name], str):
            raise ValueError(f"barometer row {index}: field {name!r} must be a string")
    if item["verdict"] not in VERDICTS:
        raise ValueError(
            f"barometer row {index}: field 'verdict' is {item['verdict']!r}, "
            f"not one of {', '.join(VERDICTS)}"
        )
    score = item["score"]
    if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score):
        raise ValueError(f"barometer row {index}: field 'score' must be a finite number")
    if item["status"] is not None and not isinstance(item["status"], str):
        raise ValueError(f"barometer row {index}: field 'status' must be a string or null")
    return BarometerRow(**{**item, "score": float(score)})


def from_json(text: str) -> list[BarometerRow]:
    """Parse :func:`to_json` output strictly.

    Raises:
        ValueError: the text is not a JSON list of rows, or a row misses a field, has an unknown
            one, a value of the wrong type or an unknown verdict (the message names the field).
    """
    try:
        data = json.loads(text)
    except ValueError as err:
        raise ValueError(f"barometer rows are not valid JSON ({err})") from None
    if not isinstance(data, list):
        raise ValueError("barometer rows must be a JSON list")
    return [_row(item, i + 1) for i, item in enumerate(data)]


# --------------------------------------------------------------------------- words
def threshold_rule(lang: str) -> str:
    """The rule stated under the barometer table, in nb or nn."""
    if lang == "nn":
        return (
            "Ein skilnad blir rekna som tydeleg berre når han er minst like stor som terskelen "
            "for indikatoren; terskelen står i definisjonane bakarst i rapporten. Indikatorar "
            "utan ei god retning, som utgifter, får «høgare» eller «lågare» og inga vurdering. "
            "Ein verdi med eit SSB-symbol får inga vurdering."
        )
    return (
        "En forskjell regnes som tydelig bare når den er minst like stor som terskelen for "
        "indikatoren; terskelen står i definisjonene bakerst i rapporten. Indikatorer uten en "
        "god retning, som utgifter, får «høyere» eller «lavere» og ingen vurdering. En verdi "
        "med et SSB-symbol får ingen vurdering."
    )


def _about(row: BarometerRow, lang: str) -> str:
    v = VERDICTS[row.verdict]
    return (
        f"{row.label} – {row.value} i {row.year}, {v.words(lang)} "
        f"{row.reference_name} ({row.reference})."
    )


def _none_sentence(kind: str, county_name: str, lang: str) -> str:
    if kind == "better":
        return (
            f"{county_name} har ingen indikatorar i oversikta som er klart betre enn referansen."
            if lang == "nn"
            else f"{county_name} har ingen indikatorer i oversikten som er klart bedre enn referansen."
        )
    return (
        f"{county_name} har ingen indikatorar i oversikta som er klart svakare enn referansen."
        if lang == "nn"
        else f"{county_name} har ingen indikatorer i oversikten som er klart svakere enn referansen."
    )


def _count_sentence(rows: Sequence[BarometerRow], county_name: str, lang: str) -> str:
    n = {k: sum(r.verdict == k for r in rows) for k in ("better", "similar", "worse")}
    total = sum(n.values())
    word = "indikator" if total == 1 else ("indikatorar" if lang == "nn" else "indikatorer")
    if lang == "nn":
        return (
            f"Av {total} {word} med vurdering er {county_name} betre enn referansen på "
            f"{n['better']}, om lag som referansen på {n['similar']} og svakare på {n['worse']}."
        )
    return (
        f"Av {total} {word} med vurdering er {county_name} bedre enn referansen på "
        f"{n['better']}, om lag som referansen på {n['similar']} og svakere på {n['worse']}."
    )


def summary_sentences(rows: Sequence[BarometerRow], county_name: str, lang: str) -> list[str]:
    """3–6 sentences on the county's clearest strengths and challenges, computed from *rows*.

    Strengths are rows with verdict ``better``, highest score first; challenges rows with verdict
    ``worse``, lowest score first; at most 3 of each (ties keep the rows' order). Each names the
    indicator, the county's value and year, the verdict and the reference. When there is no
    strength (or no challenge), one plain sentence says so. When that gives fewer than 3
    sentences, a first sentence counts the verdicts. When no row has a good direction at all
    (every indicator neutral), the sentences say so, name the neutral indicators on which the
    county stands out (``higher``/``lower``, in the rows' order, at most 4) and count the rest.
    """
    if lang not in ("nb", "nn"):
        raise ValueError(f"lang must be 'nb' or 'nn', got {lang!r}")
    if not any(r.verdict in ("better", "similar", "worse") for r in rows):
        return _neutral_summary(rows, county_name, lang)
    strengths = sorted((r for r in rows if r.verdict == "better"), key=lambda r: -r.score)[:3]
    challenges = sorted((r for r in rows if r.verdict == "worse"), key=lambda r: r.score)[:3]
    out = []
    for kind, picked in (("better", strengths), ("worse", challenges)):
        if picked:
            word = {"better": "Styrke", "worse": "Utfordring"}[kind]
            out.extend(f"{word}: {_about(r, lang)}" for r in picked)
        else:
            out.append(_none_sentence(kind, county_name, lang))
    if len(out) < 3:
        out.insert(0, _count_sentence(rows, county_name, lang))
    return out


def _neutral_summary(rows: Sequence[BarometerRow], county_name: str, lang: str) -> list[str]:
    """The summary when no indicator of the table has a good direction (see summary_sentences)."""
    nn = lang == "nn"
    out = [
        f"Ingen av indikatorane i oversikta har ei retning der høgare er betre eller dårlegare "
        f"(som utgifter og folketal); oversikta viser berre kvar {county_name} ligg høgare eller "
        f"lågare enn referansen."
        if nn
        else f"Ingen av indikatorene i oversikten har en retning der høyere er bedre eller "
        f"dårligere (som utgifter og folketall); oversikten viser bare hvor {county_name} ligger "
        f"høyere eller lavere enn referansen."
    ]
    standing_out = [r for r in rows if r.verdict in ("higher", "lower")][:4]
    word = "Skil seg ut" if nn else "Skiller seg ut"
    out.extend(f"{word}: {_about(r, lang)}" for r in standing_out)
    similar = sum(r.verdict == "similar_neutral" for r in rows)
    if similar:
        noun = "indikator" if similar == 1 else ("indikatorar" if nn else "indikatorer")
        out.append(
            f"På {similar} {noun} ligg {county_name} om lag som referansen."
            if nn
            else f"På {similar} {noun} ligger {county_name} om lag som referansen."
        )
    if len(out) < 3:
        out += [
            _none_sentence("better", county_name, lang),
            _none_sentence("worse", county_name, lang),
        ]
    return out[:6]
