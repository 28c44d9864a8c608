"""``CountyContext``: who the report is for, built and validated once, passed as one object.

Every chapter function takes a context instead of loose ``county_code, lang, comparison,
data_source`` arguments. It is built from a parameter file (:meth:`CountyContext.from_parameters`)
or from a notebook's injected parameters (:meth:`CountyContext.from_notebook`, which validates
them with the parameter schema of :mod:`kunnskapsgrunnlag.params`, so a notebook run by hand gets
the same checks and messages as ``kg validate``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kunnskapsgrunnlag.regions import COUNTIES, comparison_set
from kunnskapsgrunnlag.text import by_lang, check_lang, join_words

if TYPE_CHECKING:
    from kunnskapsgrunnlag.params import CountyParameters

DATA_SOURCES = ("snapshot", "live")
NOTEBOOK_PARAMETERS = Path("notebook parameters")
"""Shown in place of a file name when a notebook's own parameters are invalid."""
OSLO = "03"


@dataclass(frozen=True)
class CountyContext:
    """The county of a report, its written standard, comparison set and data source."""

    county_code: str
    lang: str = "nb"
    comparison: dict[str, Any] = field(default_factory=lambda: {"kind": "all_counties"})
    data_source: str = "snapshot"

    def __post_init__(self) -> None:
        if self.county_code not in COUNTIES:
            raise ValueError(f"county_code {self.county_code!r} is not a 2024 county")
        check_lang(self.lang)
        if self.data_source not in DATA_SOURCES:
            raise ValueError(f"data_source must be 'snapshot' or 'live', got {self.data_source!r}")

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_parameters(
        cls, params: CountyParameters, data_source: str = "snapshot"
    ) -> CountyContext:
        """Build the context from a validated parameter file."""
        p = params.notebook_parameters()
        return cls(p["county_code"], p["written_standard"], p["comparison"], data_source)

    @classmethod
    def from_notebook(
        cls,
        county_code: str,
        county_name: str | None = None,
        written_standard: str = "nb",
        comparison: dict[str, Any] | None = None,
        data_source: str = "snapshot",
    ) -> CountyContext:
        """Build the context from a notebook's parameters, checked by the parameter schema.

        Raises:
            kunnskapsgrunnlag.params.ParameterError: naming the parameter and what was expected.
        """
        from pydantic import ValidationError

        from kunnskapsgrunnlag.params import CountyParameters, _format_validation_error

        county = COUNTIES.get(str(county_code))
        raw: dict[str, Any] = {
            "county_code": county_code,
            "county_name": county_name or (county.name if county else ""),
            "written_standard": written_standard,
            "comparison": comparison or {"kind": "all_counties"},
        }
        try:
            params = CountyParameters.model_validate(raw)
        except ValidationError as err:
            raise _format_validation_error(NOTEBOOK_PARAMETERS, err) from None
        return cls.from_parameters(params, data_source)

    # ------------------------------------------------------------------ facts
    @property
    def name(self) -> str:
        """The county's name (e.g. «Vestland»)."""
        return COUNTIES[self.county_code].name

    @property
    def is_oslo(self) -> bool:
        """Oslo is both municipality and county: its county figures are a special case."""
        return self.county_code == OSLO

    @property
    def peers(self) -> list[str]:
        """Codes of the counties in the comparison set (never the county itself)."""
        return comparison_set(self.county_code, self.comparison)

    def t(self, nb: str, nn: str | None = None) -> str:
        """Return *nb* or *nn* by the county's written standard (*nn* defaults to *nb*)."""
        return by_lang(self.lang, nb, nb if nn is None else nn)

    def peers_label(self) -> str:
        """A short Norwegian description of the comparison set."""
        kind = self.comparison.get("kind", "all_counties")
        if kind == "all_counties":
            return self.t("alle andre fylker", "alle andre fylke")
        if kind == "all_counties_without_oslo":
            return self.t("alle andre fylker utenom Oslo", "alle andre fylke utanom Oslo")
        return join_words([COUNTIES[c].name for c in self.peers])
