"""Counties of an older division summed onto the 2024 counties: exact or approximate, and why.

Some statistics exist only on the counties of an older division (SSB 11713, the regional
accounts, on the 2019 counties). Such a table cannot be re-aggregated from municipalities, so
each old county is given whole to one 2024 county, derived from KLASS 131
(:func:`~kunnskapsgrunnlag.regions.mapping.mapping_to_2024`):

* An old county goes to the 2024 county that holds **most of its population** (the caller passes
  the municipal population of the old division's year as weights; without weights, most of its
  municipalities). Nothing is apportioned by population.
* A 2024 county is **exact** when the municipalities of its old counties are exactly its own
  municipalities (Oslo 03 = 03, Agder 42 = 09 + 10 …). Otherwise its figures are
  **approximate**: :class:`Composition` lists the municipalities that came from another old
  county (``moved_in``, not in the figures) and those of its old counties that are now elsewhere
  (``moved_out``, in the figures), and their population as a share of the county's.

Policy also in ``docs/regions.md`` («Tables on old counties only»).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from kunnskapsgrunnlag import status
from kunnskapsgrunnlag.regions.counties import COUNTIES
from kunnskapsgrunnlag.regions.history import _plain_name
from kunnskapsgrunnlag.regions.klass import KlassDataError
from kunnskapsgrunnlag.regions.mapping import mapping_to_2024
from kunnskapsgrunnlag.regions.names import FYLKENE_SAMLET


@dataclass(frozen=True)
class Composition:
    """How one 2024 county is made up of the counties of an older division."""

    county: str
    year: int
    old_counties: tuple[str, ...]
    moved_in: tuple[str, ...]
    moved_out: tuple[str, ...]
    population: float
    moved_in_share: float
    moved_out_share: float
    names: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)
    """Name (Norwegian part) of each moved municipality, by code."""

    @property
    def exact(self) -> bool:
        """True when the old counties cover exactly the 2024 county's municipalities."""
        return not self.moved_in and not self.moved_out


def compositions(year: int, weights: Mapping[str, float] | None = None) -> dict[str, Composition]:
    """Map the counties of *year* onto the 15 counties of 2024 (see the module docstring).

    Args:
        year: The division year of the old-county table (2017–2019 for the pre-2020 counties).
        weights: Population by municipality code of *year* (missing codes count 0); ``None``
            weighs every municipality 1.

    Raises:
        KlassDataError: A 2024 county would get no old county.
    """
    m = mapping_to_2024(year)
    w = m["code"].map(lambda c: 1.0 if weights is None else float(weights.get(c, 0.0)))
    by_pair = w.groupby([m["county"], m["county_2024"]]).sum()
    owner = {old: by_pair[old].idxmax() for old in by_pair.index.get_level_values(0).unique()}
    olds: dict[str, list[str]] = defaultdict(list)
    for old, new in sorted(owner.items()):
        olds[new].append(old)
    pop = dict(zip(m["code"], w, strict=True))
    names = dict(zip(m["code"], m["name"], strict=True))
    out = {}
    for new in COUNTIES:
        if not olds.get(new):
            raise KlassDataError(f"no county of {year} lies mostly in the 2024 county {new}")
        ins = m[(m["county_2024"] == new) & ~m["county"].isin(olds[new])]["code"]
        outs = m[(m["county_2024"] != new) & m["county"].isin(olds[new])]["code"]
        total = float(w[m["county_2024"] == new].sum())
        share = lambda codes, t=total: sum(pop[c] for c in codes) / t if t else float("nan")  # noqa: E731
        out[new] = Composition(
            new,
            year,
            tuple(olds[new]),
            tuple(ins),
            tuple(outs),
            total,
            share(ins),
            share(outs),
            {c: _plain_name(names[c]) for c in [*ins, *outs]},
        )
    return out


def sum_to_2024(
    df: pd.DataFrame, policies: Mapping[int, Mapping[str, Composition]], by: Sequence[str]
) -> pd.DataFrame:
    """Sum a tidy frame on old-county codes onto the 2024 counties and «fylkene samlet».

    Args:
        df: ``region`` (county code of the old division), ``year``, *by* columns, ``value``,
            ``status``.
        policies: The last data year each division applies to → its :func:`compositions`
            (``{2018: …, 2019: …}``: years up to 2018 on the 2018 counties, 2019 on those of 2019).
            Rows of other regions, and of years after the last key, are left out.
        by: The columns to keep apart besides ``region`` and ``year`` (e.g. industry, measure).

    Returns:
        ``region`` (2024 county or ``FYLKENE``), ``year``, *by*, ``value``, ``status``; SSB symbols
        survive the sums (a ``:`` cell makes its sum ``:``).
    """
    keys, parts, first = ["region", *by, "year"], [], None
    for last in sorted(policies):
        owner = {o: n for n, c in policies[last].items() for o in c.old_counties}
        years = (df["year"] <= last) & (df["year"] > first if first is not None else True)
        rows = df[years & df["region"].isin(owner)]
        parts.append(rows.assign(region=rows["region"].map(owner)))
        first = last
    county = status.group_sum(pd.concat(parts, ignore_index=True), keys)
    total = status.group_sum(county.assign(region=FYLKENE_SAMLET), keys)
    return pd.concat([county, total], ignore_index=True)
