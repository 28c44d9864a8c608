"""The chapter's key sentences and its cautious sentences on the county council's services.

Generic facts — a change over the projection period beside Norway's — are said by the phrase bank
(:func:`kunnskapsgrunnlag.analysis.sentences.outlook_sentence`); what only a projection has (the
band of the base windows, the backcast's accuracy, what the numbers may mean for services) is
said here. Every number is computed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag.analysis.sentences import outlook_sentence
from kunnskapsgrunnlag.chapters.framskriving.backcast import backcast_table
from kunnskapsgrunnlag.chapters.framskriving.constants import (
    BACKCAST_JUMP_OFF,
    BACKCAST_YEARS,
    JUMP_OFF_YEAR,
    LAST_YEAR,
)
from kunnskapsgrunnlag.chapters.framskriving.facts import county_outlook, pct
from kunnskapsgrunnlag.regions import NORWAY
from kunnskapsgrunnlag.text import T

if TYPE_CHECKING:
    from kunnskapsgrunnlag.context import CountyContext

KEY_MEASURES: tuple[str, ...] = ("folkemengde", "16_19", "80_og_eldre", "forsorgerbrok_eldre")
"""The measures of the key sentences, in order (each beside Norway)."""


def _signed_pct(x: float, lang: str) -> str:
    return fmt.percent(x, 1, lang, sign=True)


def band_sentence(ctx: CountyContext) -> str:
    """Where the other candidate methods put the county's population in the last year."""
    o, y1, lang = county_outlook(ctx.county_code), LAST_YEAR, ctx.lang
    low = fmt.number(o.get(ctx.county_code, "folkemengde", y1, "low"), 0, lang)
    high = fmt.number(o.get(ctx.county_code, "folkemengde", y1, "high"), 0, lang)
    return T(
        f"Med de andre metodene i kontrollen ligger tallet for {y1} mellom {low} og {high}.",
        f"Med dei andre metodane i kontrollen ligg talet for {y1} mellom {low} og {high}.",
    )(lang)


def _accuracy_word(mape: float, base_mape: float) -> T:
    a, b = fmt.round_half_up(mape, 1), fmt.round_half_up(base_mape, 1)
    if a < b:
        return T("bedre enn", "betre enn")
    if a > b:
        return T("dårligere enn", "dårlegare enn")
    return T("like godt som")


def backcast_sentence(ctx: CountyContext) -> str:
    """How far off the method was from 2020 against the real figures, beside the naive baseline."""
    bt = backcast_table().set_index("region")
    c, lang, name = ctx.county_code, ctx.lang, ctx.name
    mape, base_mape = float(bt.loc[c, "mape_total"]), float(bt.loc[c, "naive5_mape_total"])
    compare = _accuracy_word(mape, base_mape)(lang)
    m, bm = (fmt.percent(x, 1, lang) for x in (mape, base_mape))
    y0, t0, t1 = BACKCAST_JUMP_OFF, BACKCAST_YEARS[0], BACKCAST_YEARS[-1]
    return T(
        f"Framskrevet fra {y0} og testet mot de faktiske tallene for {t0}–{t1} var avviket i "
        f"snitt {m} på folketallet i {name}; det er {compare} en enkel videreføring av veksten "
        f"de fem årene før ({bm}).",
        f"Framskrive frå {y0} og testa mot dei faktiske tala for {t0}–{t1} var avviket i snitt "
        f"{m} på folketalet i {name}; det er {compare} ei enkel vidareføring av veksten dei fem "
        f"åra før ({bm}).",
    )(lang)


def key_sentences(ctx: CountyContext) -> list[str]:
    """Return the chapter's five key sentences (nb/nn), every number computed from the data.

    Total population (with the band of the other methods), 16–19-year-olds, 80+ and the
    old-age dependency ratio, each from 2026 to 2050 beside Norway; then how well the method did
    in the backcast.
    """
    o = county_outlook(ctx.county_code)
    out = [
        outlook_sentence(ctx, o.trend(ctx.county_code, m), o.trend(NORWAY, m)) for m in KEY_MEASURES
    ]
    out[0] = f"{out[0]} {band_sentence(ctx)}"
    return [*out, backcast_sentence(ctx)]


def _vgo_sentence(ctx: CountyContext) -> str:
    o, c, y0, y1 = county_outlook(ctx.county_code), ctx.county_code, JUMP_OFF_YEAR, LAST_YEAR
    v0, v30, v1 = (fmt.number(o.get(c, "16_19", y), 0, ctx.lang) for y in (y0, 2030, y1))
    return T(
        f"Videregående opplæring: antallet 16–19-åringer er {v0} i {y0}, {v30} i 2030 og {v1} i "
        f"{y1} ifølge framskrivingen. Hvor mange som faktisk søker og gjennomfører, avhenger også "
        f"av søkemønster, voksne elever og flytting, så tallene gir retning, ikke et "
        f"dimensjoneringsgrunnlag for den enkelte skole.",
        f"Vidaregåande opplæring: talet på 16–19-åringar er {v0} i {y0}, {v30} i 2030 og {v1} i "
        f"{y1} etter framskrivinga. Kor mange som faktisk søkjer og fullfører, heng også saman "
        f"med søkjarmønster, vaksne elevar og flytting, så tala gir retning, ikkje eit "
        f"dimensjoneringsgrunnlag for den einskilde skulen.",
    )(ctx.lang)


def _young_old(ctx: CountyContext) -> tuple[float, float, float, float]:
    o, c, y0, y1 = county_outlook(ctx.county_code), ctx.county_code, JUMP_OFF_YEAR, LAST_YEAR
    young0 = o.get(c, "0_15", y0) + o.get(c, "16_19", y0)
    young1 = o.get(c, "0_15", y1) + o.get(c, "16_19", y1)
    return young0, young1, o.get(c, "80_og_eldre", y0), o.get(c, "80_og_eldre", y1)


def _dental_sentence(ctx: CountyContext) -> str:
    lang, y1 = ctx.lang, LAST_YEAR
    young0, young1, old0, old1 = _young_old(ctx)
    n = lambda v: fmt.number(v, 0, lang)  # noqa: E731
    dy, do = _signed_pct(pct(young1, young0), lang), _signed_pct(pct(old1, old0), lang)
    return T(
        f"Tannhelse: den offentlige tannhelsetjenesten gir tilbud til barn og unge og til eldre "
        f"i institusjon og hjemmesykepleie. Barn og unge 0–19 år går fra {n(young0)} til "
        f"{n(young1)} ({dy}) fram til {y1}, mens antallet 80 år og eldre går fra {n(old0)} til "
        f"{n(old1)} ({do}). Bare en del av de eldste har rett til tilbudet, men flere eldre kan "
        f"gi flere pasienter i denne gruppen.",
        f"Tannhelse: den offentlege tannhelsetenesta gir tilbod til barn og unge og til eldre "
        f"på institusjon og i heimesjukepleia. Barn og unge 0–19 år går frå {n(young0)} til "
        f"{n(young1)} ({dy}) fram til {y1}, medan talet på personar 80 år og eldre går frå "
        f"{n(old0)} til {n(old1)} ({do}). Berre ein del av dei eldste har rett til tilbodet, men "
        f"fleire eldre kan gi fleire pasientar i denne gruppa.",
    )(lang)


def _transport_sentence(ctx: CountyContext) -> str:
    young0, young1, _, _ = _young_old(ctx)
    dy, y1 = _signed_pct(pct(young1, young0), ctx.lang), LAST_YEAR
    return T(
        f"Transport: skoleskyss følger antallet barn og unge ({dy} for 0–19 år fram til {y1}), "
        f"mens flere eldre kan øke behovet for tilrettelagt transport og kollektivtilbud utenom "
        f"rushtid. Hvor folk bor i fylket, betyr like mye som hvor mange de er, og det viser ikke "
        f"fylkestallene.",
        f"Transport: skuleskyss følgjer talet på barn og unge ({dy} for 0–19 år fram til {y1}), "
        f"medan fleire eldre kan auke behovet for tilrettelagd transport og kollektivtilbod "
        f"utanom rushtida. Kvar folk bur i fylket, tyder like mykje som kor mange dei er, og det "
        f"viser ikkje fylkestala.",
    )(ctx.lang)


def service_sentences(ctx: CountyContext) -> list[str]:
    """Cautious sentences on what the projection may mean for the county council's services.

    Videregående opplæring (16–19), the public dental service (children and young people, and
    older people in institutions or with home nursing) and transport. Every number is computed.
    """
    return [_vgo_sentence(ctx), _dental_sentence(ctx), _transport_sentence(ctx)]


def targets_sentence(official: object, lang: str) -> str:
    """How the chosen method did against the two targets, counted over the 15 counties.

    Targets: beat the naive 5-year baseline on the total in at least 12 counties, and a 2050
    total within ±5 % of SSB's main alternative in all 15. Said whatever the result.
    """
    from kunnskapsgrunnlag.chapters.framskriving.backcast import candidates_table, within_tolerance
    from kunnskapsgrunnlag.chapters.framskriving.constants import MAIN_METHOD

    all_ = candidates_table(official)  # type: ignore[arg-type]
    all_ = all_[all_["region"] != NORWAY].assign(inside=all_["diff_2050_pct"].map(within_tolerance))
    g = all_.groupby("method")
    reached = ((g["beats_naive5_total"].sum() >= 12) & g["inside"].all()).any()
    t = all_[all_["method"] == MAIN_METHOD]
    beats, inside = int(t["beats_naive5_total"].sum()), int(t["inside"].sum())
    last_nb = ("Minst én av de fire metodene nådde begge målene." if reached
               else "Ingen av de fire metodene nådde begge målene.")  # fmt: skip
    last_nn = ("Minst éin av dei fire metodane nådde begge måla." if reached
               else "Ingen av dei fire metodane nådde begge måla.")  # fmt: skip
    return T(
        f"Målene var at metoden skulle slå den naive framskrivingen (5 år) på folkemengden i minst "
        f"12 av 15 fylker, og at tallet for {LAST_YEAR} skulle ligge innenfor ±5 prosent av SSBs "
        f"hovedalternativ i alle fylkene. Metoden kapittelet bruker, slår den naive i {beats} av 15 "
        f"fylker og ligger innenfor ±5 prosent i {inside} av 15. {last_nb}",
        f"Måla var at metoden skulle slå den naive framskrivinga (5 år) på folketalet i minst 12 av "
        f"15 fylke, og at talet for {LAST_YEAR} skulle liggje innanfor ±5 prosent av "
        f"hovudalternativet til SSB i alle fylka. Metoden kapittelet bruker, slår den naive i "
        f"{beats} av 15 fylke og ligg innanfor ±5 prosent i {inside} av 15. {last_nn}",
    )(lang)
