"""Barometer rows (analysis layer): verdict words and symbols, the strict JSON contract, sentences.

The rows are shaped like the ones a chapter computes for Vestland against «landet uten Oslo»;
the words must be the same for every county, so every check is a function of the rows alone.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from kunnskapsgrunnlag.analysis import barometer
from kunnskapsgrunnlag.analysis.barometer import VERDICTS, BarometerRow


def row(indicator: str, verdict: str, score: float = 0.0, **kw) -> BarometerRow:
    base = {
        "indicator": indicator,
        "chapter": "befolkning",
        "anchor": f"befolkning-{indicator}",
        "label": indicator.replace("_", " ").capitalize(),
        "year": "2025",
        "value": "4,1 %",
        "reference": "4,8 %",
        "reference_name": "landet uten Oslo",
        "rank": "9 av 15",
        "verdict": verdict,
        "score": score,
        "status": None,
    }
    return BarometerRow(**{**base, **kw})


@pytest.mark.parametrize(
    ("verdict", "nb", "nn"),
    [
        ("better", "▲ bedre enn", "▲ betre enn"),
        ("similar", "● om lag som", "● om lag som"),
        ("worse", "▼ svakere enn", "▼ svakare enn"),
        ("higher", "↑ høyere enn", "↑ høgare enn"),
        ("lower", "↓ lavere enn", "↓ lågare enn"),
        ("similar_neutral", "= om lag som", "= om lag som"),
    ],
)
def test_every_verdict_has_a_symbol_and_words_in_nb_and_nn(verdict, nb, nn):
    r = row("andel_80_og_eldre", verdict)
    assert barometer.verdict_text(r, "nb") == f"{nb} landet uten Oslo"
    assert barometer.verdict_text(r, "nn") == f"{nn} landet uten Oslo"


def test_no_verdict_says_so_with_the_status_symbol():
    r = row("andel_67_og_eldre", "none", value="..", status="..")
    assert barometer.verdict_text(r, "nb") == "○ ingen vurdering (..)"
    assert barometer.verdict_text(r, "nn") == "○ inga vurdering (..)"
    assert barometer.verdict_text(row("x", "none"), "nb") == "○ ingen vurdering"
    assert set(VERDICTS) == {
        "better",
        "similar",
        "worse",
        "higher",
        "lower",
        "similar_neutral",
        "none",
    }
    assert len({v.symbol for v in VERDICTS.values()}) == len(VERDICTS)  # never colour alone


def test_json_round_trip_keeps_every_field():
    rows = [
        row("folkemengde", "better", 2.5, label="Folkemengd «1. januar»"),
        row("andel_67_og_eldre", "none", status=":"),
    ]
    text = barometer.to_json(rows)
    assert barometer.from_json(text) == rows
    assert "«1. januar»" in text  # readable, not \\u-escaped


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("anchor"), "missing field 'anchor'"),
        (lambda d: d.update(verdict="good"), "field 'verdict' is 'good'"),
        (lambda d: d.update(colour="green"), "unknown field 'colour'"),
        (lambda d: d.update(score="1,5"), "field 'score' must be a finite number"),
        (lambda d: d.update(score=True), "field 'score' must be a finite number"),
        (lambda d: d.update(year=2025), "field 'year' must be a string"),
        (lambda d: d.update(status=0), "field 'status' must be a string or null"),
    ],
)
def test_from_json_is_strict_and_names_the_field(change, message):
    item = dataclasses.asdict(row("folkemengde", "better", 1.0))
    change(item)
    with pytest.raises(ValueError, match=message):
        barometer.from_json(json.dumps([item]))


def test_from_json_refuses_what_is_not_a_list_of_rows():
    with pytest.raises(ValueError, match="JSON list"):
        barometer.from_json('{"indicator": "x"}')
    with pytest.raises(ValueError, match="not valid JSON"):
        barometer.from_json("[{")
    with pytest.raises(ValueError, match="row 1: expected an object"):
        barometer.from_json("[1]")


def test_threshold_rule_states_the_policy_in_both_standards():
    nb, nn = barometer.threshold_rule("nb"), barometer.threshold_rule("nn")
    assert "minst like stor som terskelen" in nb and "definisjonene bakerst" in nb
    assert "«høyere» eller «lavere»" in nb and "SSB-symbol får ingen vurdering" in nb
    assert "minst like stor som terskelen" in nn and "definisjonane bakarst" in nn
    assert "«høgare» eller «lågare»" in nn and "SSB-symbol får inga vurdering" in nn


def test_summary_names_the_clearest_strengths_and_challenges_in_order():
    rows = [
        row("a", "better", 1.2, label="Alfa", value="10,0", reference="8,0", year="2024"),
        row("b", "worse", -1.1, label="Beta"),
        row("c", "better", 3.0, label="Gamma"),
        row("d", "better", 2.0, label="Delta"),
        row("e", "better", 1.5, label="Epsilon"),
        row("f", "worse", -4.0, label="Zeta"),
        row("g", "higher", 0.0, label="Eta"),
        row("h", "similar", 0.2, label="Theta"),
    ]
    out = barometer.summary_sentences(rows, "Vestland", "nb")
    assert out == [
        "Styrke: Gamma – 4,1 % i 2025, bedre enn landet uten Oslo (4,8 %).",
        "Styrke: Delta – 4,1 % i 2025, bedre enn landet uten Oslo (4,8 %).",
        "Styrke: Epsilon – 4,1 % i 2025, bedre enn landet uten Oslo (4,8 %).",
        "Utfordring: Zeta – 4,1 % i 2025, svakere enn landet uten Oslo (4,8 %).",
        "Utfordring: Beta – 4,1 % i 2025, svakere enn landet uten Oslo (4,8 %).",
    ]
    nn = barometer.summary_sentences(rows[:2], "Vestland", "nn")
    assert nn == [
        "Av 2 indikatorar med vurdering er Vestland betre enn referansen på 1, "
        "om lag som referansen på 0 og svakare på 1.",
        "Styrke: Alfa – 10,0 i 2024, betre enn landet uten Oslo (8,0).",
        "Utfordring: Beta – 4,1 % i 2025, svakare enn landet uten Oslo (4,8 %).",
    ]


def test_summary_says_plainly_when_there_is_no_strength_or_no_challenge():
    rows = [row("a", "similar"), row("b", "higher"), row("c", "none", status="..")]
    nb = barometer.summary_sentences(rows, "Oslo", "nb")
    assert nb == [
        "Av 1 indikator med vurdering er Oslo bedre enn referansen på 0, "
        "om lag som referansen på 1 og svakere på 0.",
        "Oslo har ingen indikatorer i oversikten som er klart bedre enn referansen.",
        "Oslo har ingen indikatorer i oversikten som er klart svakere enn referansen.",
    ]
    nn = barometer.summary_sentences([row("a", "worse", -2.0, label="Alfa")], "Agder", "nn")
    assert nn[1] == "Agder har ingen indikatorar i oversikta som er klart betre enn referansen."
    assert nn[2].startswith("Utfordring: Alfa – ")
    for rows_ in ([], rows, [row(str(i), "better", i) for i in range(9)]):
        for lang in ("nb", "nn"):
            assert 3 <= len(barometer.summary_sentences(rows_, "Agder", lang)) <= 6
    with pytest.raises(ValueError, match="lang"):
        barometer.summary_sentences(rows, "Oslo", "en")


def test_summary_when_no_indicator_has_a_good_direction():
    rows = [
        row("a", "higher", label="Samferdsel", value="10 726 kr", reference="7 235 kr"),
        row("b", "similar_neutral", label="Kultur"),
        row("c", "similar_neutral", label="Tannhelse"),
        row("d", "lower", label="Folkevekst"),
    ]
    nn = barometer.summary_sentences(rows, "Vestland", "nn")
    assert nn[0].startswith("Ingen av indikatorane i oversikta har ei retning")
    assert nn[1] == (
        "Skil seg ut: Samferdsel – 10 726 kr i 2025, høgare enn landet uten Oslo (7 235 kr)."
    )
    assert nn[2].startswith("Skil seg ut: Folkevekst – ") and "lågare enn" in nn[2]
    assert nn[3] == "På 2 indikatorar ligg Vestland om lag som referansen."
    nb = barometer.summary_sentences(rows[1:3], "Oslo", "nb")
    assert nb[1] == "På 2 indikatorer ligger Oslo om lag som referansen." and len(nb) == 4
