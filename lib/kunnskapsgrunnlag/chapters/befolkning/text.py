"""Befolkning's words: key sentences, headline figures and the chapter's own paragraphs.

The key sentences are built from :func:`~kunnskapsgrunnlag.analysis.compare.compare`,
:func:`~kunnskapsgrunnlag.analysis.trend.trend` and the phrase bank
(:mod:`kunnskapsgrunnlag.analysis.sentences`), so they use the same words as every other chapter
for the same kind of fact. Only what is special to Befolkning is worded here: the pressure on
county services when the number 80+ rises, the municipalities with decline and the concentration in
the largest municipality, and the paragraphs on how the figures got onto the 2024 borders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag.analysis import sentences as say
from kunnskapsgrunnlag.analysis.compare import compare
from kunnskapsgrunnlag.analysis.trend import trend
from kunnskapsgrunnlag.chapters.befolkning.data import (
    FIRST_YEAR,
    MUNICIPAL_YEARS,
    municipal_population,
)
from kunnskapsgrunnlag.chapters.befolkning.notes import age_moves, municipal_note
from kunnskapsgrunnlag.text import T

if TYPE_CHECKING:
    from kunnskapsgrunnlag.context import CountyContext

GROWTH = "befolkningsvekst_siden_2019_prosent"
BAROMETER_GROWTH: tuple[str, ...] = (GROWTH, "befolkningsvekst_prosent")
"""Barometer rows of the section «Folkemengde og vekst» (comparable with Norway's)."""
BAROMETER_AGE: tuple[str, ...] = ("andel_80_og_eldre", "andel_67_og_eldre")
"""Barometer rows of the section «Alderssammensetning»."""
USES: tuple[str, ...] = ("folkemengde", GROWTH, "andel_80_og_eldre", "andel_67_og_eldre")

__all__ = ["age_moves", "age_text", "data_note", "headline_figures", "key_sentences",
           "municipal_note"]  # fmt: skip


def _pct(x: float, lang: str, sign: bool = False) -> str:
    return fmt.percent(x, 1, lang, sign=sign)


# --------------------------------------------------------------------------- key sentences
def ageing_sentence(ctx: CountyContext) -> str:
    """80+ from 2019 to the latest year against Norway; a rising number means more county services.

    The consequence follows the increase, not the level against Norway, and names the county
    council's own services (transport, dental care), not the municipalities' health and care.
    """
    tr = trend(ctx, "andel_80_og_eldre", since=FIRST_YEAR)
    text = say.trend_comparison_sentence(ctx, tr, compare(ctx, tr.indicator, year=tr.end_year))
    if tr.direction > 0:
        text += T(
            " Flere eldre øker behovet for blant annet tilrettelagt transport og "
            "tannhelsetjenester til eldre i institusjon og hjemmesykepleie.",
            " Fleire eldre aukar behovet for mellom anna tilrettelagd transport og "
            "tannhelsetenester til eldre i institusjon og heimesjukepleie.",
        )(ctx.lang)
    return text


def municipal_facts(ctx: CountyContext) -> dict[str, float | int | str]:
    """Decline and concentration among the county's municipalities, 2020→2026.

    Municipalities without a figure in both years (split in 2024) are left out.
    """
    m = municipal_population(ctx.data_source)
    m = m[m["county"] == ctx.county_code]
    m0, m1 = MUNICIPAL_YEARS[0], MUNICIPAL_YEARS[-1]
    wide = m.groupby(["region", "name", "year"])["value"].sum(min_count=1).unstack("year")
    wide = wide.dropna(subset=[m0, m1])
    if len(wide) < 2:
        return {"n_units": len(wide)}
    idx = wide[m1].idxmax()
    rest = wide.drop(index=idx)
    return {
        "n_units": len(wide),
        "n_declining": int((wide[m1] < wide[m0]).sum()),
        "largest": idx[1],
        "share0": wide.loc[idx, m0] / wide[m0].sum() * 100,
        "share1": wide.loc[idx, m1] / wide[m1].sum() * 100,
        "growth": (wide.loc[idx, m1] / wide.loc[idx, m0] - 1) * 100,
        "rest_growth": (rest[m1].sum() / rest[m0].sum() - 1) * 100,
    }


CONCENTRATION_POINTS = 0.5
"""Smallest change (percentage points) in the largest municipality's share worth a word."""


def municipal_sentence(ctx: CountyContext) -> str:
    """How many municipalities declined, and whether the largest gathers more of the people."""
    f, lang, (m0, m1) = municipal_facts(ctx), ctx.lang, (MUNICIPAL_YEARS[0], MUNICIPAL_YEARS[-1])
    if f["n_declining"] == 0:
        head = T(f"Alle de {f['n_units']} kommunene i fylket fikk flere innbyggere fra {m0} til {m1}",
                 f"Alle dei {f['n_units']} kommunane i fylket fekk fleire innbyggjarar frå {m0} til {m1}")  # fmt: skip
    else:
        head = T(f"{f['n_declining']} av {f['n_units']} kommuner i fylket fikk færre innbyggere fra {m0} til {m1}",
                 f"{f['n_declining']} av {f['n_units']} kommunar i fylket fekk færre innbyggjarar frå {m0} til {m1}")  # fmt: skip
    rates = T(
        f"{_pct(f['growth'], lang, True)} mot {_pct(f['rest_growth'], lang, True)} i resten av fylket"
    )
    conc = fmt.round_half_up(f["share1"], 1) - fmt.round_half_up(f["share0"], 1)
    tail = (
        T("befolkningen blir mer konsentrert i den største kommunen", "folketalet blir meir konsentrert i den største kommunen")
        if conc >= CONCENTRATION_POINTS else
        T("veksten er høyere utenfor den største kommunen", "veksten er høgare utanfor den største kommunen")
        if conc <= -CONCENTRATION_POINTS else
        T("andelen i den største kommunen er om lag uendret", "delen i den største kommunen er om lag uendra")
    )  # fmt: skip
    s0, s1 = _pct(f["share0"], lang), _pct(f["share1"], lang)
    return T(
        f"{head(lang)}; {f['largest']} hadde {s1} av innbyggerne i {m1} (mot {s0} i {m0}): "
        f"{tail(lang)} ({rates(lang)}).",
        f"{head(lang)}; {f['largest']} hadde {s1} av innbyggjarane i {m1} (mot {s0} i {m0}): "
        f"{tail(lang)} ({rates(lang)}).",
    )(lang)


def key_sentences(ctx: CountyContext) -> list[str]:
    """5–6 key sentences, in the phrase bank's words wherever the fact is generic.

    Population and growth against Norway and the counties, the latest year, ageing (80+ and
    67+), and the municipalities (not for Oslo, a single municipality).
    """
    out = [
        say.trend_sentence(ctx, trend(ctx, "folkemengde", since=FIRST_YEAR)),
        say.comparison_sentence(ctx, compare(ctx, GROWTH)),
        say.comparison_sentence(ctx, compare(ctx, "befolkningsvekst_prosent"), rank=False),
        ageing_sentence(ctx),
        say.comparison_sentence(ctx, compare(ctx, "andel_67_og_eldre")),
    ]
    if municipal_facts(ctx)["n_units"] > 1:
        out.append(municipal_sentence(ctx))
    return out


def headline_figures(ctx: CountyContext) -> list[tuple[str, str]]:
    """3 label/value pairs for the portal, e.g. ``("Folkemengde 1. januar 2025", "651 299")``."""
    pop, growth, old = (compare(ctx, i) for i in ("folkemengde", GROWTH, "andel_80_og_eldre"))
    return [
        (T(f"Folkemengde 1. januar {pop.year}", f"Folketal 1. januar {pop.year}")(ctx.lang),
         fmt.number(pop.value, 0, ctx.lang)),
        (T(f"Befolkningsendring {FIRST_YEAR}–{growth.year}")(ctx.lang),
         fmt.percent(growth.value, 1, ctx.lang, sign=True)),
        (T(f"Andel 80 år og eldre, {old.year}", f"Delen 80 år og eldre, {old.year}")(ctx.lang),
         fmt.percent(old.value, 1, ctx.lang)),
    ]  # fmt: skip


# --------------------------------------------------------------------------- paragraphs
DATA_NOTE = T(
    "Alle tall er folkemengden 1. januar fra SSBs tabell 07459, vist på fylkes- og "
    "kommuneinndelingen fra 2024. For 2019–2022 er tallene for kommunene summert til "
    "dagens fylker (2019: 422 kommuner, 2020–2022: 356 kommuner). For 2023–2026 er SSBs tall "
    "på 2024-inndelingen brukt, slik Folkehelseinstituttet (FHI) har summert dem; for "
    "2024–2026 er de like SSBs egne fylkestall, mens 2023 er omregnet til 2024-inndelingen. "
    "Fylkestallene er eksakte, fordi ingen kommune er delt mellom to fylker.",
    "Alle tal er folketalet 1. januar frå tabell 07459 hos SSB, viste på fylkes- og "
    "kommuneinndelinga frå 2024. For 2019–2022 er tala for kommunane summerte til dei "
    "noverande fylka (2019: 422 kommunar, 2020–2022: 356 kommunar). For 2023–2026 er tala til "
    "SSB på 2024-inndelinga brukte, slik Folkehelseinstituttet (FHI) har summert dei; for "
    "2024–2026 er dei like dei eigne fylkestala til SSB, medan 2023 er rekna om til "
    "2024-inndelinga. Fylkestala er eksakte, fordi ingen kommune er delt mellom to fylke.",
)
"""Where the figures come from and how they got onto 2024 borders."""

AGE_67_NOTE = T(
    "Alle årene har tall for hver alder, så andelene 67 år og eldre, 70 år og eldre og 80 år og "
    "eldre kan regnes ut for hele perioden 2019–2026.",
    "Alle åra har tal for kvar alder, så delane 67 år og eldre, 70 år og eldre og 80 år og eldre "
    "kan reknast ut for heile perioden 2019–2026.",
)


def data_note(ctx: CountyContext) -> str:
    """A paragraph on where the figures come from and how they got onto 2024 borders."""
    return DATA_NOTE(ctx.lang)


def age_text(ctx: CountyContext) -> str:
    """What moved in the age structure since 2024, and what the data allows for 67+."""
    return age_moves(ctx) + "\n\n" + AGE_67_NOTE(ctx.lang)
