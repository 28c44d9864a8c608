"""Language checks for what a reader sees: words of the other written standard, faulty sentences.

Bokmål words in nynorsk text and the other way round, and the sentence faults the language
review (``docs/sprak.md``) found in the shared templates.

The word lists are ours to maintain: a word goes on a list when it is unambiguous — a form that
belongs to one written standard only and is no place name or SSB title a report quotes. Use
:func:`scan` on the text of a report (``tests/test_language.py`` scans all 15 reports and the
portal after every build); a county analyst can run it on their own chapter's text too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BOKMAL_ONLY: frozenset[str] = frozenset(
    """
    ikke bare hvor hva hvordan hvilke hver hvert noen noe mye fra uten sammen sammenlignet
    sammenligner sammenligning kommuner fylker fylkene kommunene innbyggere innbyggerne tallene
    disse skole skoler grunnskolealder framskrevet framskrevne kohorter økte økende økning
    bygget mellomtiden tjenester tjenesten tjenestene ble deres lavere høyere lavest høyest
    svakere sterkere vokste ungdomsskolen grunnskolen
    """.split()
)
"""Bokmål-only forms (nynorsk: ikkje, berre, kor, kva, korleis, kvar, nokon, mykje, frå …)."""

NYNORSK_ONLY: frozenset[str] = frozenset(
    """
    ikkje berre korleis kva kvar nokon noko mykje frå utan saman samanlikna samanliknar
    kommunar fylka kommunane innbyggjar innbyggjarar innbyggjarane tala desse skule skular
    grunnskulealder kohortar auka aukande auke dei eit ein høgare lågare
    høgast lågast svakare sterkare tenester tenesta tenestene vart blei sidan utanom teikn
    noverande heile
    """.split()
)
"""Nynorsk-only forms (bokmål: ikke, bare, hvordan, hva, hver, noen, mye, fra …)."""


@dataclass(frozen=True)
class Fault:
    """A sentence pattern the review found wrong, with what to write instead."""

    pattern: re.Pattern[str]
    why: str


FAULTS: tuple[Fault, ...] = tuple(
    Fault(re.compile(p, re.IGNORECASE), why)
    for p, why in (
        (r"behov for helse- og omsorgst[je]*enester", "health and care are municipal, not county tasks (T3)"),
        (r"(vekst|folketall|folketal|befolkning)\w*[^.]{0,80}\b(svakere|sterkere|svakare|sterkare) enn",
         "growth is neither good nor bad: «høyere/lavere» (T1)"),
        (r"\bvege gjennomsnitt", "«vekta gjennomsnitt» (V7)"),
        (r"\b(ikke bedre|ikkje betre) enn", "say «dårligere/dårlegare» when worse (V9)"),
        (r"\bbomm(a|et|ar|er|e)\b", "«avviket var» / «treffer» (T11)"),
        (r"\bSetning(ene|ane) under pe(ker|ikar)", "«Punktene under viser» (T23)"),
        (r"kilder for (hvert|kvart) tal", "«Definisjoner og kilder står bakerst» (T32)"),
        (r" — ", "Norwegian uses the spaced en dash «–» (T21)"),
        (r"\bfylkeskommunen i Oslo\b", "Oslo has no county council: «Oslo kommune» (O3)"),
        (r"\bmørk blå\b", "«mørkeblå» (T8)"),
        (r"\bBygd\b|\bBygget\b", "«Laget/Oppdatert» — «Bygd» reads as a rural community (T26)"),
        (r"\bgit [0-9a-f]{7,40}\b", "no git hash in a leaders' text (I7)"),
        (r"\bkg (fetch|run)\b", "no command line in a leaders' text (T14)"),
        (r"Data hentet mellom", "the reader needs the statistics year, not fetch dates (I2)"),
        (r"\b\d\d år eller eldre", "«80 år og eldre», as SSB writes it (T18)"),
        (r"samle[rs] (seg )?mer om|samlar seg meir om", "«blir mer konsentrert», and only when it is (T5)"),
        (r"– nummer \d+ av", "give «nummer» a subject: «Vestland er nummer 9 av 15» (T2)"),
        (r"\bDel \d\d år", "«Delen 80 år og eldre» (I3)"),
        (r"Befolkningsvekst[^.]{0,40}−\d", "a decline is «Befolkningsendring» (I5, T22)"),
        (r"Troms og Finnmark\.", "a list ending «Troms og Finnmark» reads as the former county (T27)"),
        (r"(Linjen|Linja|linjene) er (brutt|broten|brotne) ved ny fylkesinndeling \(2020 og 2024\)",
         "break only where the county changed, and say why (T28)"),
    )
)  # fmt: skip

_WORD = re.compile(r"[A-Za-zÆØÅæøåÉé]+(?:-[A-Za-zÆØÅæøå]+)*")


@dataclass(frozen=True)
class Finding:
    """One fault found in a text: what, where (a snippet) and why."""

    kind: str  # "bokmål i nynorsk" | "nynorsk i bokmål" | "setning"
    match: str
    context: str
    why: str


def _context(text: str, start: int, end: int, width: int = 60) -> str:
    return text[max(0, start - width) : end + width].replace("\n", " ")


def scan(text: str, lang: str) -> list[Finding]:
    """Return the faults in *text*, written in *lang* (``"nb"`` or ``"nn"``)."""
    if lang not in ("nb", "nn"):
        raise ValueError(f"lang must be 'nb' or 'nn', got {lang!r}")
    wrong = BOKMAL_ONLY if lang == "nn" else NYNORSK_ONLY
    kind = "bokmål i nynorsk" if lang == "nn" else "nynorsk i bokmål"
    out = [
        Finding(kind, m.group(0), _context(text, m.start(), m.end()), "word of the other standard")
        for m in _WORD.finditer(text)
        if m.group(0).lower() in wrong
    ]
    for fault in FAULTS:
        for m in fault.pattern.finditer(text):
            out.append(
                Finding("setning", m.group(0), _context(text, m.start(), m.end()), fault.why)
            )
    return out
