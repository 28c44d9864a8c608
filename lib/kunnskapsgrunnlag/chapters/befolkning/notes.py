"""Befolkning's paragraphs computed from the data: the age moves and the municipal note."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from kunnskapsgrunnlag import formatting as fmt
from kunnskapsgrunnlag import regions
from kunnskapsgrunnlag.chapters.befolkning.data import LAST_YEAR, MUNICIPAL_YEARS, PYRAMID_BASE_YEAR
from kunnskapsgrunnlag.chapters.befolkning.measures import age_group_change, municipal_table
from kunnskapsgrunnlag.formatting import by_lang as _t

if TYPE_CHECKING:
    from kunnskapsgrunnlag.context import CountyContext


def _pct_text(x: float, lang: str, sign: bool = False) -> str:
    return fmt.percent(x, 1, lang, sign=sign)


def _group_label(group: str) -> str:
    return group.replace("-", "–")


def age_moves(ctx: CountyContext) -> str:
    """The sentence on which 10-year age group grew most and which fell most since 2023."""
    ch = age_group_change(ctx.county_code, ctx.data_source)
    up, down = ch.iloc[0], ch.iloc[-1]
    name, lang = ctx.name, ctx.lang

    def fig(row: pd.Series) -> str:
        people = _t(lang, "personer", "personar")
        return (
            f"{fmt.number(row['change'], 0, lang, sign=True)} {people}, "
            f"{_pct_text(row['change_pct'], lang, True)}"
        )

    first = _t(
        lang,
        f"Fra {PYRAMID_BASE_YEAR} til {LAST_YEAR} økte aldersgruppen "
        f"{_group_label(up['age_group'])} år mest i {name} ({fig(up)})",
        f"Frå {PYRAMID_BASE_YEAR} til {LAST_YEAR} auka aldersgruppa "
        f"{_group_label(up['age_group'])} år mest i {name} ({fig(up)})",
    )
    if up["change"] <= 0:
        first = _t(
            lang,
            f"Fra {PYRAMID_BASE_YEAR} til {LAST_YEAR} økte ingen aldersgruppe i {name}",
            f"Frå {PYRAMID_BASE_YEAR} til {LAST_YEAR} auka inga aldersgruppe i {name}",
        )
    if down["change"] < 0:
        second = _t(
            lang,
            f"mens gruppen {_group_label(down['age_group'])} år gikk mest ned ({fig(down)})",
            f"medan gruppa {_group_label(down['age_group'])} år gjekk mest ned ({fig(down)})",
        )
    else:
        second = _t(lang, "og ingen aldersgruppe gikk ned", "og inga aldersgruppe gjekk ned")
    return f"{first}, {second}."


def municipal_note(ctx: CountyContext) -> str:
    """Where the municipal figures 2020–2026 come from, and the combined units (if any)."""
    county_code, lang = ctx.county_code, ctx.lang
    tab = municipal_table(county_code, ctx.data_source)
    text = _t(
        lang,
        "Kommunene vises med inndelingen og kodene fra 2024 for 2020–2026. Tallene for 2024–2026 "
        "er SSBs egne; tallene for 2020–2023 er SSBs kommunetall omregnet til 2024-inndelingen av "
        "Folkehelseinstituttet (FHI), også for kommuner som ble delt eller slått sammen i 2024.",
        "Kommunane er viste med inndelinga og kodane frå 2024 for 2020–2026. Tala for 2024–2026 "
        "er dei eigne tala til SSB; tala for 2020–2023 er kommunetala til SSB rekna om til "
        "2024-inndelinga av Folkehelseinstituttet (FHI), også for kommunar som vart delte eller "
        "slått saman i 2024.",
    )
    units = regions.split_units(MUNICIPAL_YEARS[0])
    units = units[units["county_2024"] == county_code]
    for succ in units["successors_2024"]:
        names = fmt.join_words([_name_2024(c) for c in succ], lang)
        text += " " + _t(
            lang,
            f"{names} ble delt fra én kommune 1. januar 2024. Tallene fra før delingen kan ikke "
            f"fordeles på dem, så de har ingen tall før 2024 («.»).",
            f"{names} vart delte frå éin kommune 1. januar 2024. Tala frå før delinga kan ikkje "
            f"fordelast på dei, så dei har ingen tal før 2024 («.»).",
        )
    changes = regions.code_changes()
    for _, unit in units.iterrows():
        label = tab.loc[tab["region"] == unit["unit_2024"], "name"]
        if label.empty:
            continue
        members = fmt.join_words(
            [f"{n} ({c})" for c, n in zip(unit["members"], unit["member_names"], strict=True)], lang
        )
        successors = fmt.join_words([_name_2024(c) for c in unit["successors_2024"]], lang)
        split = changes[
            changes["old_code"].isin(list(unit["split"]))
            & changes["new_code"].isin(list(unit["successors_2024"]))
        ]
        when = split["date"].max()
        day = (
            f"1. januar {when.year}"
            if when.month == 1 and when.day == 1
            else when.strftime("%d.%m.%Y")
        )
        text += " " + _t(
            lang,
            f"Tallene for {members} i 2020–2022 gjelder kommunen slik den var før den ble delt i "
            f"{successors} {day}. De vises som «{label.iloc[0]}» og blir ikke fordelt på de nye "
            "kommunene; kartet viser området samlet.",
            f"Tala for {members} i 2020–2022 gjeld kommunen slik han var før han vart delt i "
            f"{successors} {day}. Dei er viste som «{label.iloc[0]}» og blir ikkje fordelte på dei "
            "nye kommunane; kartet viser området samla.",
        )
    if len(tab) == 1:
        text += " " + _t(
            lang,
            "Oslo er både fylke og kommune, så kommunetallet er det samme som fylkestallet.",
            "Oslo er både fylke og kommune, så kommunetalet er det same som fylkestalet.",
        )
    return text


def _name_2024(code: str) -> str:
    """Return the 2024 name of a municipality code (KLASS 131), e.g. ``"1580"`` → ``"Haram"``."""
    frame = regions.municipalities(2024)
    return str(frame.loc[frame["code"] == code, "name"].iloc[0])
