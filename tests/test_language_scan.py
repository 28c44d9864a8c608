"""The language scanner finds what it is meant to find (the report test asserts it finds nothing).

One sentence per fault in :data:`kunnskapsgrunnlag.language.FAULTS`, each written the way the
language review found it in a report, and the clean rewrite it asks for.
"""

from __future__ import annotations

import pytest

from kunnskapsgrunnlag import language

FAULTY = [
    "Flere eldre gir behov for helse- og omsorgstjenester.",
    "Befolkningsveksten var svakere enn i landet.",
    "Talet er eit vege gjennomsnitt.",
    "Vestland var ikke bedre enn landet.",
    "Framskrivinga bomma med 2 prosent.",
    "Setningene under peker på det viktigste.",
    "Se bakerst for kilder for hvert tall.",
    "Tallet steg — og falt igjen.",
    "Det er fylkeskommunen i Oslo som har ansvaret.",
    "Fylkene med høyest verdi er mørk blå.",
    "Bygd 2. desember 2026.",
    "Versjon git 7d63057.",
    "Kjør kg fetch for å oppdatere.",
    "Data hentet mellom 2022 og 2026.",
    "Andelen 80 år eller eldre øker.",
    "Befolkningen samler seg mer om byene.",
    "Andelen er 12 % – nummer 3 av 15.",
    "Del 80 år og eldre: 5 %.",
    "Befolkningsvekst 2019–2026: −1,2 %.",
    "Lavest er Nordland, Troms og Finnmark.",
    "Linjen er brutt ved ny fylkesinndeling (2020 og 2024).",
]


def test_every_fault_has_an_example_that_it_finds() -> None:
    assert len(FAULTY) == len(language.FAULTS)
    for fault, sentence in zip(language.FAULTS, FAULTY, strict=True):
        assert fault.pattern.search(sentence), (fault.why, sentence)
        assert any(f.why == fault.why for f in language.scan(sentence, "nb")), sentence


@pytest.mark.parametrize(
    ("text", "lang", "word"),
    [("Det er ikkje klart.", "nb", "ikkje"), ("Det er ikke klart.", "nn", "ikke"),
     ("Det kom frå SSB.", "nb", "frå"), ("Det kom fra SSB.", "nn", "fra")],
)  # fmt: skip
def test_a_word_of_the_other_standard_is_found(text: str, lang: str, word: str) -> None:
    found = language.scan(text, lang)
    assert [f.match for f in found] == [word] and found[0].kind.endswith(
        "nynorsk" if lang == "nn" else "bokmål"
    )


def test_clean_text_gives_nothing() -> None:
    assert language.scan("Vestland er nummer 9 av 15 fylke. Tala er frå SSB.", "nn") == []
    assert language.scan("Vestland er nummer 9 av 15 fylker. Tallene er fra SSB.", "nb") == []
