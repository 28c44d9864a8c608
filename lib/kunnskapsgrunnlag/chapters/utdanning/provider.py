"""Utdanning's registry provider: Udir and IMDi figures on the 15 counties of 2024.

* ``grunnskolepoeng``: Udir's municipality figures (codes of each school year, KLASS 131)
  aggregated to the 2024 counties as a mean weighted by the number of pupils — derived. A
  municipality whose value Udir hides (``*``, few pupils) is left out of its county's mean.
  School years from 2016–17 (the first year the bundled KLASS versions cover); Norway is Udir's
  own national figure.
* ``andel_sluttet_vgo``: Udir's county shares, only where the county of that school year had the
  same borders as the 2024 county (shares without denominators cannot be re-aggregated);
  Norway as published.
* ``utdanningsniva_*``: IMDi's persons by highest education level, municipalities of 2020
  summed to the 2024 counties, and the share of all persons — derived; Norway is the sum.

Years are the spring a school year ends (2020–21 → 2021). These files are not SSB PxWebApi
tables: a live run reads the same bundled files (a refresh is a new file, see the manifest).
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from kunnskapsgrunnlag import regions, status
from kunnskapsgrunnlag.data import snapshot

COLUMNS = ["region", "year", "value", "status"]
IMDI_LEVELS = {
    "utdanningsniva_universitet_hogskole": "Universitet og høgskole",
    "utdanningsniva_grunnskole": "Grunnskole",
}


def _bundled(source_id: str) -> pd.DataFrame:
    return snapshot.load(source_id, "snapshot")


def same_borders(county: str, year: int) -> bool:
    """Whether county code *county* covered exactly the area of the 2024 county in *year*."""
    m = regions.mapping_to_2024(year)
    then, now = (
        set(m.loc[m["county"] == county, "code"]),
        set(m.loc[m["county_2024"] == county, "code"]),
    )
    return bool(then) and then == now


def _to_counties(rows: pd.DataFrame, year: int, by: str) -> pd.DataFrame:
    """Sum municipality *rows* (codes of *year*) to the 2024 counties, one sum per *by* value."""
    return regions.aggregate_to_counties(rows, year, by=by, complete=False, name=None)


def pupil_weighted(raw: pd.DataFrame, year: int) -> pd.DataFrame:
    """One school year's county means of grunnskolepoeng weighted by pupils (see module doc)."""
    valid = set(regions.municipalities(year)["code"])
    muni = raw[(raw["level"] == "municipality") & (raw["year"] == year) & raw["region"].isin(valid)]
    wide = muni.pivot(index="region", columns="measure", values="value").dropna().reset_index()
    long = pd.concat([
        wide.assign(part="w", value=wide["grunnskolepoeng"] * wide["antall_elever"]),
        wide.assign(part="n", value=wide["antall_elever"]),
    ])[["region", "part", "value"]]  # fmt: skip
    sums = _to_counties(long.assign(status=None), year, "part")
    sums = sums.pivot(index="region", columns="part", values="value").reset_index()
    return sums.assign(year=year, value=sums["w"] / sums["n"], pupils=sums["n"], status=None)


@lru_cache(maxsize=1)
def grunnskolepoeng() -> pd.DataFrame:
    """Norway (Udir) and the 15 counties (pupil-weighted), 2017–2021."""
    raw = _bundled("udir-grunnskolepoeng")
    norway = raw[(raw["level"] == "national") & (raw["measure"] == "grunnskolepoeng")]
    years = sorted(y for y in raw["year"].unique() if y >= regions.FIRST_YEAR)
    counties = [pupil_weighted(raw, int(y)) for y in years]
    out = pd.concat([norway[norway["year"].isin(years)], *counties], ignore_index=True)
    return out[COLUMNS]


@lru_cache(maxsize=1)
def andel_sluttet() -> pd.DataFrame:
    """Norway and the counties whose borders that school year were those of 2024."""
    raw = _bundled("udir-sluttet-vgo")
    held = [
        c in regions.COUNTIES and y >= regions.FIRST_YEAR and same_borders(c, int(y))
        for c, y in zip(raw["region"], raw["year"], strict=True)
    ]
    keep = raw["level"].eq("national") | pd.Series(held, index=raw.index)
    return raw[keep & (raw["year"] >= regions.FIRST_YEAR)][COLUMNS].reset_index(drop=True)


@lru_cache(maxsize=1)
def _renumberings() -> list[tuple[str, str, int]]:
    """KLASS 131's one-to-one code changes (old, new, year): renumberings, not mergers or splits."""
    ch = regions.code_changes()
    ch = ch[ch["old_code"] != ch["new_code"]]
    single = ~ch.duplicated(["old_code", "date"], keep=False) & ~ch.duplicated(
        ["new_code", "date"], keep=False
    )
    ch = ch[single]
    return list(zip(ch["old_code"], ch["new_code"], ch["date"].dt.year, strict=True))


def _codes_of(year: int, codes: pd.Series) -> pd.Series:
    """IMDi's codes as codes of *year*, following renumberings (IMDi keeps one code per area)."""
    valid, moves = set(regions.municipalities(year)["code"]), _renumberings()

    def move(code: str) -> str:
        for _ in range(4):
            if code in valid:
                break
            back = [o for o, n, y in moves if n == code and y > year]
            ahead = [n for o, n, y in moves if o == code and y <= year]
            code = (back or ahead or [code])[0]
        return code

    out = codes.map(move)
    if out.duplicated().any():
        raise ValueError(
            f"IMDi codes of {year} overlap after renumbering: {sorted(out[out.duplicated()])}"
        )
    return out


def _imdi_year(sel: pd.DataFrame, year: int) -> pd.DataFrame:
    """One year's persons by level in the 15 counties; a county lacking a municipality is «..»."""
    rows = sel[sel["year"] == year]
    rows = pd.concat(
        [r.assign(region=_codes_of(year, r["region"])) for _, r in rows.groupby("level")]
    )
    valid = regions.municipalities(year)["code"]
    full = pd.MultiIndex.from_product(
        [valid, sorted(sel["level"].unique())], names=["region", "level"]
    )
    rows = rows[rows["region"].isin(set(valid))].set_index(["region", "level"])["value"]
    rows = rows.reindex(full).reset_index().assign(status=None)
    return regions.aggregate_to_counties(rows, year, by="level", name=None).assign(year=year)


@lru_cache(maxsize=1)
def imdi_persons() -> pd.DataFrame:
    """IMDi persons by level (Hele befolkningen, alle kjønn): 15 counties and Norway, 2017–2020."""
    raw = _bundled("imdi-utdanningsniva-kommuner")
    sel = raw[(raw["background"] == "Hele befolkningen") & (raw["sex"] == "Alle")
              & (raw["unit"] == "Personer") & (raw["year"] >= regions.FIRST_YEAR)]  # fmt: skip
    counties = pd.concat([_imdi_year(sel, int(y)) for y in sorted(sel["year"].unique())])
    norway = status.group_sum(counties, by=["level", "year"], value="value", status="status")
    norway = norway[norway["status"].isna()]  # no national row for a year with a gap
    return pd.concat([counties, norway.assign(region="0")], ignore_index=True)


def imdi_share(level: str) -> pd.DataFrame:
    """Share of IMDi's population (per cent) whose highest level is *level*."""
    persons = imdi_persons()
    wide = persons.pivot(index=["region", "year"], columns="level", values="value")
    marks = persons.pivot(index=["region", "year"], columns="level", values="status")
    share = (100 * wide[level] / wide["alle"]).rename("value").reset_index()
    return share.assign(status=marks["alle"].to_numpy())[COLUMNS]


def series(indicator_id: str, data_source: str = "snapshot") -> pd.DataFrame:
    """The registry provider (*data_source* is ignored: the files are the only source)."""
    if indicator_id == "grunnskolepoeng":
        return grunnskolepoeng().copy()
    if indicator_id == "andel_sluttet_vgo":
        return andel_sluttet().copy()
    if indicator_id in IMDI_LEVELS:
        return imdi_share(IMDI_LEVELS[indicator_id])
    raise KeyError(f"provider of chapter utdanning has no indicator {indicator_id!r}")
