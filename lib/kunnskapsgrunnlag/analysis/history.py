"""What a county's figures cover over time: borders that moved, counties re-created in 2024.

County-coded SSB series (KOSTRA and other county tables) give each year's figure for the county
as it was then. These sentences say so plainly, from KLASS 131 through
:func:`kunnskapsgrunnlag.regions.border_moves`, for any indicator with a ``series:`` block; they
are the same words in every chapter and county. Tables that exist only on old counties (SSB
11713) get :func:`composition_text`: exact or approximate, with the population that moved.
"""

from __future__ import annotations

from collections.abc import Sequence

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag import indicators, regions
from kunnskapsgrunnlag.analysis.sentences import lower_first
from kunnskapsgrunnlag.context import CountyContext
from kunnskapsgrunnlag.text import T, join_words

NEW_DIVISION = 2024


def years(ctx: CountyContext, indicator_id: str) -> list[int]:
    """The years with figures for the county (a symbol such as «.» does not count)."""
    data = indicators.series(indicator_id, ctx.data_source)
    return sorted(
        int(y)
        for y in data.loc[(data["region"] == ctx.county_code) & data["value"].notna(), "year"]
    )


def has_long_series(ctx: CountyContext, indicator_id: str) -> bool:
    """Whether the county has figures before 2024 (a trend to show)."""
    ys = years(ctx, indicator_id)
    return bool(ys) and ys[0] < NEW_DIVISION


def border_note(ctx: CountyContext, indicator_id: str) -> str:
    """A sentence on the county's borders over the years with figures (from KLASS 131)."""
    ys, lang = years(ctx, indicator_id), ctx.lang
    moves = regions.border_moves(ctx.county_code, ys)
    if not moves:
        return T(
            f"{ctx.name} hadde de samme grensene i hele perioden {ys[0]}–{ys[-1]} som tallene dekker.",
            f"{ctx.name} hadde dei same grensene i heile perioden {ys[0]}–{ys[-1]} som tala dekkjer.",
        )(lang)
    span = lambda y: str(y[0]) if len(y) == 1 else f"{y[0]}–{y[-1]}"  # noqa: E731
    into = [
        f"{m.name} ({span(m.years)}, {T('da i', 'då i')(lang)} {regions.county_name(m.county_then).split(' (')[0]})"
        for m in moves
        if m.county_2024 == ctx.county_code
    ]
    out = [
        f"{m.name} ({span(m.years)}, {T('nå i', 'no i')(lang)} {regions.county_name(m.county_2024)})"
        for m in moves
        if m.county_2024 != ctx.county_code
    ]
    bits = (
        [
            T(
                f"tallene omfatter da også {join_words(out)}",
                f"tala omfattar då også {join_words(out)}",
            )(lang)
        ]
        if out
        else []
    ) + (
        [T(f"de omfatter ikke {join_words(into)}", f"dei omfattar ikkje {join_words(into)}")(lang)]
        if into
        else []
    )
    head = T(
        f"Noen år gjelder tallene for {ctx.name} litt andre grenser enn i dag (etter SSBs kommuneklassifikasjon, KLASS 131): ",
        f"Nokre år gjeld tala for {ctx.name} litt andre grenser enn i dag (etter kommuneklassifikasjonen til SSB, KLASS 131): ",
    )
    return head(lang) + "; ".join(bits) + "."


def short_series_text(ctx: CountyContext, indicator_id: str) -> str:
    """Why a county re-created in 2024 has no longer series (names the merged county it left)."""
    ys = years(ctx, indicator_id)
    span = f"{ys[0]}–{ys[-1]}" if len(ys) > 1 else str(ys[0])
    before = next(
        (
            regions.county_name(code).split(" (")[0]
            for code, (name, succ) in regions.ABOLISHED_COUNTIES.items()
            if "2020" in name and ctx.county_code in succ and len(succ) > 1
        ),
        None,
    )
    if before is None:
        return T(
            f"For {ctx.name} finnes tall bare for {span}.",
            f"For {ctx.name} finst tal berre for {span}.",
        )(ctx.lang)
    return T(
        f"{ctx.name} fylkeskommune ble opprettet på nytt ved den nye fylkesinndelingen 1. januar 2024. I 2020–2023 var "
        f"{ctx.name} en del av {before}, og tallene for den sammenslåtte fylkeskommunen kan ikke deles på dagens fylker. "
        f"Derfor finnes bare tall for {span}.",
        f"{ctx.name} fylkeskommune vart oppretta på nytt ved den nye fylkesinndelinga 1. januar 2024. I 2020–2023 var "
        f"{ctx.name} ein del av {before}, og tala for den samanslåtte fylkeskommunen kan ikkje delast på dagens fylke. "
        f"Difor finst det berre tal for {span}.",
    )(ctx.lang)


def with_figures(ctx: CountyContext, indicator_ids: list[str]) -> list[str]:
    """The indicators that have at least one figure for the county (in the order given)."""
    return [i for i in indicator_ids if years(ctx, i)]


def no_figures_text(ctx: CountyContext, indicator_ids: list[str]) -> str:
    """One plain sentence naming the indicators without any figure for the county ("" if none)."""
    lacking = [i for i in indicator_ids if not years(ctx, i)]
    if not lacking:
        return ""
    what = join_words(
        [lower_first(indicators.get(i).short_name(ctx.lang).split(" (")[0]) for i in lacking]
    )
    return T(
        f"For {ctx.name} har datauttaket fra SSB ingen tall for {what}.",
        f"For {ctx.name} har datauttaket frå SSB ingen tal for {what}.",
    )(ctx.lang)


# --------------------------------------------------------------------------- old-county tables
def _pct(share: float, lang: str) -> str:
    return fmt.percent(share * 100, 1, lang)


def composition_text(
    ctx: CountyContext,
    c: regions.Composition,
    earlier: Sequence[str] = (),
    earlier_years: tuple[int, int] | None = None,
) -> str:
    """Exact or approximate: a table on old counties summed onto the county (:func:`regions.compositions`).

    *earlier* names municipalities that also lay in another county in *earlier_years* (an older
    division used for those years, such as Rindal before 2019).
    """
    lang, name = ctx.lang, ctx.name
    olds = join_words([regions.region_name(o) for o in c.old_counties])
    if c.exact and c.old_counties == (ctx.county_code,):
        return T(f"{name} hadde de samme grensene før 2020, så tallene er eksakte.",
                 f"{name} hadde dei same grensene før 2020, så tala er eksakte.")(lang)  # fmt: skip
    if c.exact:
        return T(f"Tallene for {name} er summen av de tidligere fylkene {olds}, som utgjør nøyaktig det samme området. Tallene er eksakte.",
                 f"Tala for {name} er summen av dei tidlegare fylka {olds}, som utgjer nøyaktig det same området. Tala er eksakte.")(lang)  # fmt: skip
    text = T(f"Tallene for {name} er omtrentlige. De er summen av {olds} slik fylket var før 2020, men grensene er ikke de samme som i dag.",
             f"Tala for {name} er omtrentlege. Dei er summen av {olds} slik fylket var før 2020, men grensene er ikkje dei same som i dag.")(lang)  # fmt: skip
    if c.moved_in:
        ins = join_words([c.names[m] for m in c.moved_in])
        text += T(f" {ins} hører nå til {name}, men er ikke med i tallene; der bodde {_pct(c.moved_in_share, lang)} av innbyggerne i fylket 1. januar {c.year}.",
                  f" {ins} høyrer no til {name}, men er ikkje med i tala; der budde {_pct(c.moved_in_share, lang)} av innbyggjarane i fylket 1. januar {c.year}.")(lang)  # fmt: skip
    if c.moved_out:
        outs = join_words([c.names[m] for m in c.moved_out])
        text += T(f" {outs} er med i tallene, men hører nå til et annet fylke; innbyggerne der tilsvarte {_pct(c.moved_out_share, lang)} av innbyggerne i {name} 1. januar {c.year}.",
                  f" {outs} er med i tala, men høyrer no til eit anna fylke; innbyggjarane der svarte til {_pct(c.moved_out_share, lang)} av innbyggjarane i {name} 1. januar {c.year}.")(lang)  # fmt: skip
    if earlier and earlier_years:
        y0, y1 = earlier_years
        text += T(f" For {y0}–{y1} ligger også {join_words(earlier)} i tallene for fylket kommunen hørte til før {y1 + 1}.",
                  f" For {y0}–{y1} ligg også {join_words(earlier)} i tala for fylket kommunen høyrde til før {y1 + 1}.")(lang)  # fmt: skip
    return text + T(" Tallene er ikke fordelt etter folketall.", " Tala er ikkje fordelte etter folketal.")(lang)  # fmt: skip


def approximate_note(ctx: CountyContext, c: regions.Composition) -> str:
    """A short table note where the county's figures are approximate («» where exact)."""
    if c.exact:
        return ""
    return T(f"Tallene for {ctx.name} er omtrentlige; se teksten om grensene.",
             f"Tala for {ctx.name} er omtrentlege; sjå teksten om grensene.")(ctx.lang)  # fmt: skip
