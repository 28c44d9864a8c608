"""The ``series:`` and ``notable:`` blocks of a registry entry: where figures come from, what counts.

A ``series:`` block names the snapshot source of an indicator and how to read it::

    series:
      source: 12163-fylker          # snapshot manifest id (data/snapshot/manifest.json)
      select: {function: FGF7}      # column = value of the source's tidy frame
      regions: kostra               # region convention: "ssb" (codes as they are) or
                                    # "kostra" (county XX00 -> XX, aggregates such as EAFKUO kept)
      reference: EAFKUO             # the reference aggregate in the same series ("0" = Norway)
      breaks: [2020, 2024]          # first years of new county divisions: lines never cross them
      months: latest                # monthly sources only: "latest" = the newest month of the
                                    # source and the same calendar month in every earlier year;
                                    # "mean" = the mean of the twelve months (complete years only)

A derived indicator names a Python ``provider: module:function`` instead — called as
``function(indicator_id, data_source)`` and returning the same tidy frame (region, year, value,
status). An escape hatch, so the YAML never becomes a programming language.

``notable:`` gives the smallest difference from the reference that sentences and the barometer
call a real difference, in exactly one measure: ``{percent: 10}`` (relative to the reference),
``{points: 1}`` (percentage points, for shares) or ``{units: 500}`` (in the indicator's unit).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

RegionConvention = Literal["ssb", "kostra"]
MonthRule = Literal["latest", "mean"]


class SeriesSpec(BaseModel):
    """Where an indicator's series is read from (the registry's ``series:`` block)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    source: str = Field(description="snapshot manifest id")
    select: dict[str, str] = Field(default_factory=dict)
    regions: RegionConvention = "ssb"
    reference: str = "0"
    breaks: tuple[int, ...] = (2020, 2024)
    months: MonthRule | None = None

    @field_validator("source")
    @classmethod
    def _source(cls, v: str) -> str:
        if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z_.-]*", v):
            raise ValueError(f"expected a snapshot manifest id such as 12163-fylker, got {v!r}")
        return v

    @field_validator("breaks", mode="before")
    @classmethod
    def _breaks(cls, v: object) -> object:
        return tuple(v) if isinstance(v, list) else v


class Notable(BaseModel):
    """The smallest difference that counts as notable, in exactly one measure."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    percent: float | None = Field(default=None, gt=0)
    points: float | None = Field(default=None, gt=0)
    units: float | None = Field(default=None, gt=0)

    @field_validator("percent", "points", "units", mode="before")
    @classmethod
    def _number(cls, v: object) -> object:
        return float(v) if isinstance(v, int) and not isinstance(v, bool) else v

    @model_validator(mode="after")
    def _exactly_one(self) -> Notable:
        given = [k for k in ("percent", "points", "units") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of percent, points or units, e.g. {percent: 10}")
        return self

    @property
    def measure(self) -> str:
        """``"percent"``, ``"points"`` or ``"units"``."""
        return next(k for k in ("percent", "points", "units") if getattr(self, k) is not None)

    @property
    def threshold(self) -> float:
        """The threshold in :attr:`measure`."""
        return float(getattr(self, self.measure))


PROVIDER = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")
"""``module.path:function``."""
