"""What a county's figures cover over time: borders that moved, counties re-created in 2024.

County-coded SSB series (KOSTRA and other county tables) give each year's figure for the county
as it was then. These sentences say so plainly, from KLASS 131 through
:func:`kunnskapsgrunnlag.regions.border_moves`, for any indicator with a ``series:`` block; they
are the same words in every chapter and county.
"""

from __future__ import annotations

from kunnskapsgrunnlag import indicators, regions
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
