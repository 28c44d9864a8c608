"""Telemark's own chapter «Klimagassutslipp»: Miljødirektoratet's municipal emission statistics.

Only Telemark has the data (``mdir-klimagassutslipp-telemark``, Telemark's 17 municipalities by
sector, 2009–2024), so the chapter is Telemark's own (``notebooks/fylker/40-telemark/``) and its
registry entries carry ``county: "40"``. The county figure is the sum of the municipalities
(derived: the file has no county total). :func:`series` is the registry's provider; the figures
and the table are in :mod:`.figures`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from kunnskapsgrunnlag import formatting as fmt

if TYPE_CHECKING:
    from kunnskapsgrunnlag.context import CountyContext

SOURCE_ID = "mdir-klimagassutslipp-telemark"
COUNTY = "40"
INDUSTRY = "Industri, olje og gass"
SECTOR_OF = {"klimagassutslipp_industri": INDUSTRY, "klimagassutslipp_veitrafikk": "Veitrafikk"}
IDS = ("klimagassutslipp", "klimagassutslipp_industri", "klimagassutslipp_veitrafikk")
CREDIT = "Miljødirektoratet, Klimagassutslipp i kommuner"


def emissions(data_source: str = "snapshot") -> pd.DataFrame:
    """The bundled rows: region, region_name, year, sector, emission_source, value (tonnes)."""
    from kunnskapsgrunnlag.data import snapshot

    return snapshot.load(SOURCE_ID, data_source)


def series(indicator_id: str, data_source: str = "snapshot") -> pd.DataFrame:
    """Registry provider: tonnes per municipality and year, plus Telemark (sum of the 17)."""
    df = emissions(data_source)
    if indicator_id in SECTOR_OF:
        df = df[df["sector"] == SECTOR_OF[indicator_id]]
    by_muni = df.groupby(["region", "year"], as_index=False)["value"].sum()
    county = by_muni.groupby("year", as_index=False)["value"].sum().assign(region=COUNTY)
    out = pd.concat([by_muni, county], ignore_index=True)
    return out.assign(status=None)[["region", "year", "value", "status"]]


def source(ctx: CountyContext, map_data: bool = False) -> str:
    """The source line: Miljødirektoratet (and Kartverket for a map)."""
    from kunnskapsgrunnlag.charts import style

    return style.source_line(None, ctx.lang, map_data, CREDIT)


def by_sector(year: int, data_source: str = "snapshot") -> pd.Series:
    """Telemark's emissions in *year* by sector (tonnes), largest first."""
    df = emissions(data_source)
    return df[df["year"] == year].groupby("sector")["value"].sum().sort_values(ascending=False)


def _total(ctx: CountyContext) -> pd.DataFrame:
    df = series("klimagassutslipp", ctx.data_source)
    return df[df["region"] == COUNTY].set_index("year")["value"]


def years(ctx: CountyContext) -> tuple[int, int]:
    """The first and the last year of the statistics."""
    total = _total(ctx)
    return int(total.index.min()), int(total.index.max())


def municipalities(ctx: CountyContext) -> pd.DataFrame:
    """Per municipality: name, first and last year's tonnes, share of the county, change (%)."""
    y0, y1 = years(ctx)
    df = series("klimagassutslipp", ctx.data_source)
    wide = df[df["region"] != COUNTY].pivot(index="region", columns="year", values="value")
    names = emissions(ctx.data_source).drop_duplicates("region").set_index("region")["region_name"]
    out = pd.DataFrame({"name": names.reindex(wide.index), "first": wide[y0], "last": wide[y1]})
    out["share"] = 100 * out["last"] / out["last"].sum()
    out["change"] = 100 * (out["last"] / out["first"] - 1)
    return out.sort_values("last", ascending=False)


def key_sentences(ctx: CountyContext) -> list[str]:
    """Computed sentences: total, change since the first year, largest sector, largest places."""
    y0, y1 = years(ctx)
    total = _total(ctx)
    sectors, munis = by_sector(y1, ctx.data_source), municipalities(ctx)
    change = 100 * (total[y1] / total[y0] - 1)
    big, lang = munis.head(2), ctx.lang
    n = lambda x: fmt.number(x, 0, lang)  # noqa: E731
    p = lambda x, s=False: fmt.percent(x, 1, lang, sign=s)  # noqa: E731
    sector, share = sectors.index[0], 100 * sectors.iloc[0] / sectors.sum()
    pair = fmt.join_words(list(big["name"]), lang)
    return [
        ctx.t(
            f"Kommunene i Telemark hadde til sammen utslipp på {n(total[y1])} tonn CO2-ekvivalenter i {y1}.",
            f"Kommunane i Telemark hadde til saman utslepp på {n(total[y1])} tonn CO2-ekvivalentar i {y1}.",
        ),
        ctx.t(
            f"Det er en endring på {p(change, True)} fra {y0} ({n(total[y0])} tonn).",
            f"Det er ei endring på {p(change, True)} frå {y0} ({n(total[y0])} tonn).",
        ),
        ctx.t(
            f"{sector} sto for {p(share)} av utslippene i {y1}.",
            f"{sector} stod for {p(share)} av utsleppa i {y1}.",
        ),
        ctx.t(
            f"{pair} hadde {p(big['share'].sum())} av utslippene i fylket i {y1}.",
            f"{pair} hadde {p(big['share'].sum())} av utsleppa i fylket i {y1}.",
        ),
    ]
