"""Telemark's own chapter «Framskrevet folkemengde i kommunene»: SSB 14746 (and 14288) by municipality.

SSB's official regional projections for Telemark's 17 municipalities, in three alternatives
(main MMMM, low national growth LLML, high national growth HHMH), from the files Telemark
fylkeskommune fetched (``14746-telemark-kommuner``, 2026 round; ``14288-telemark-kommuner``,
2024 round), read by :func:`kunnskapsgrunnlag.data.projection.read_long_csv`. The figures are
SSB's; changes and shares are derived here. :func:`series` is the registry's provider; figures
and the table are in :mod:`.figures`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from kunnskapsgrunnlag import formatting as fmt

if TYPE_CHECKING:
    from kunnskapsgrunnlag.context import CountyContext

COUNTY = "40"
SOURCES = {"14746": "14746-telemark-kommuner", "14288": "14288-telemark-kommuner"}
TABLE = "14746"  # the current round (2026)
ALTERNATIVES = ("MMMM", "LLML", "HHMH")
IDS = ("framskrevet_folkemengde_kommune",)
OLDEST = ("80-89", "90+")


def projection(table: str = TABLE, data_source: str = "snapshot") -> pd.DataFrame:
    """The bundled projection rows of one table (tidy projection shape)."""
    from kunnskapsgrunnlag.data import snapshot

    return snapshot.load(SOURCES[table], data_source)


def totals(
    alternative: str = "MMMM", table: str = TABLE, ctx_source: str = "snapshot"
) -> pd.DataFrame:
    """Population per region (Telemark, its municipalities) and year, summed over age groups."""
    from kunnskapsgrunnlag.data.projection import totals as sum_totals

    df = sum_totals(projection(table, ctx_source), alternative)
    return df[df["region"] != "0"].reset_index(drop=True)


def series(indicator_id: str, data_source: str = "snapshot") -> pd.DataFrame:
    """Registry provider: 14746 main alternative, every municipality and Telemark, every year."""
    return totals("MMMM", TABLE, data_source)[["region", "year", "value", "status"]]


def years(ctx: CountyContext) -> tuple[int, int]:
    """The first and the last year of the current projection."""
    t = totals(ctx_source=ctx.data_source)
    return int(t["year"].min()), int(t["year"].max())


def county_path(alternative: str, ctx: CountyContext, table: str = TABLE) -> pd.Series:
    """Telemark's population by year in one alternative."""
    t = totals(alternative, table, ctx.data_source)
    return t[t["region"] == COUNTY].set_index("year")["value"]


def municipalities(ctx: CountyContext) -> pd.DataFrame:
    """Per municipality: first year, last year in each alternative, change (%) in the main one."""
    y0, y1 = years(ctx)
    out = None
    for alt in ALTERNATIVES:
        t = totals(alt, ctx_source=ctx.data_source)
        t = t[t["region"] != COUNTY].pivot(index="region", columns="year", values="value")
        if out is None:
            names = totals(ctx_source=ctx.data_source).drop_duplicates("region")
            out = pd.DataFrame({"first": t[y0]})
            out["name"] = names.set_index("region")["region_name"].reindex(out.index)
        out[alt] = t[y1]
    out["change"] = 100 * (out["MMMM"] / out["first"] - 1)
    return out.sort_values("change", ascending=False)


def oldest_change(ctx: CountyContext) -> tuple[float, float]:
    """Telemark's population aged 80 or older in the first and the last year (main alternative)."""
    y0, y1 = years(ctx)
    df = projection(TABLE, ctx.data_source)
    df = df[(df["region"] == COUNTY) & (df["alternative"] == "MMMM") & df["age_group"].isin(OLDEST)]
    by_year = df.groupby("year")["value"].sum()
    return float(by_year[y0]), float(by_year[y1])


def key_sentences(ctx: CountyContext) -> list[str]:
    """Computed sentences: Telemark's path, the alternatives' range, municipalities, the oldest."""
    y0, y1 = years(ctx)
    main = county_path("MMMM", ctx)
    low, high = county_path("LLML", ctx)[y1], county_path("HHMH", ctx)[y1]
    m, (old0, old1) = municipalities(ctx), oldest_change(ctx)
    growing = int((m["change"] > 0).sum())
    n = lambda x: fmt.number(x, 0, ctx.lang)  # noqa: E731
    p = lambda x: fmt.percent(x, 1, ctx.lang, sign=True)  # noqa: E731
    change = 100 * (main[y1] / main[y0] - 1)
    return [
        ctx.t(
            f"I hovedalternativet til SSB får Telemark {n(main[y1])} innbyggere i {y1}, en endring på {p(change)} fra {n(main[y0])} i {y0}.",
            f"I hovudalternativet til SSB får Telemark {n(main[y1])} innbyggjarar i {y1}, ei endring på {p(change)} frå {n(main[y0])} i {y0}.",
        ),
        ctx.t(
            f"Med lav nasjonal vekst blir det {n(low)} og med høy nasjonal vekst {n(high)} innbyggere i {y1}.",
            f"Med låg nasjonal vekst blir det {n(low)} og med høg nasjonal vekst {n(high)} innbyggjarar i {y1}.",
        ),
        ctx.t(
            f"{growing} av de 17 kommunene vokser fra {y0} til {y1} i hovedalternativet.",
            f"{growing} av dei 17 kommunane veks frå {y0} til {y1} i hovudalternativet.",
        ),
        ctx.t(
            f"Antallet som er 80 år og eldre, {'øker' if old1 > old0 else 'går ned'} fra {n(old0)} til {n(old1)} ({p(100 * (old1 / old0 - 1))}).",
            f"Talet på dei som er 80 år og eldre, {'aukar' if old1 > old0 else 'går ned'} frå {n(old0)} til {n(old1)} ({p(100 * (old1 / old0 - 1))}).",
        ),
    ]


def round_sentence(ctx: CountyContext) -> str:
    """How the 2026 round differs from the 2024 round for Telemark in the last year (main)."""
    y1 = years(ctx)[1]
    new, old = county_path("MMMM", ctx)[y1], county_path("MMMM", ctx, "14288")[y1]
    n = lambda x: fmt.number(x, 0, ctx.lang)  # noqa: E731
    return ctx.t(
        f"I framskrivingen fra 2024 (tabell 14288) var tallet for Telemark i {y1} {n(old)} i hovedalternativet; i den fra 2026 (tabell 14746) er det {n(new)}, en forskjell på {fmt.number(new - old, 0, ctx.lang, sign=True)} personer.",
        f"I framskrivinga frå 2024 (tabell 14288) var talet for Telemark i {y1} {n(old)} i hovudalternativet; i den frå 2026 (tabell 14746) er det {n(new)}, ein skilnad på {fmt.number(new - old, 0, ctx.lang, sign=True)} personar.",
    )
