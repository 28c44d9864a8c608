"""The indicator registry: one entry per indicator, read from ``indicators.yaml`` beside this module.

Every indicator any chapter shows or writes to ``outputs/indicators.csv`` has one entry: its id,
name and definition in bokmål and nynorsk, unit, decimals, source (SSB table and query), polarity
(which direction is better, if any), the threshold for a *notable* difference, caveats, and where
its figures come from — a ``series:`` block (:mod:`kunnskapsgrunnlag.indicators.spec`) or, for a
derived indicator, a Python ``provider``. The schema is documented at the top of the YAML file and
enforced here (strict pydantic models: errors name the file, the entry and the field). Chapters
never re-type these texts; they call :func:`get` and show ``ind.name(lang)``, ``ind.unit(lang)``…
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.indicators.spec import PROVIDER, Notable, SeriesSpec

REGISTRY_FILE: Path = Path(__file__).with_name("indicators.yaml")
"""The registry data file."""

Lang = Literal["nb", "nn"]
Polarity = Literal["higher_is_better", "higher_is_worse", "neither"]
ComparisonSet = Literal[
    "norway", "counties", "comparison_set", "landet_uten_oslo", "fylkene_samlet", "municipalities"
]

_ID = re.compile(r"^[a-z][a-z0-9_]*$")

_LABELS = {
    "query": {"nb": "uttrekk", "nn": "uttrekk"},
    "table": {"nb": "tabell", "nn": "tabell"},
}


class RegistryError(Exception):
    """The registry file is invalid. ``str(err)`` names the file, the entry and the field."""

    def __init__(self, path: Path, entry: str | None, field: str | None, message: str) -> None:
        self.path = Path(path)
        self.entry = entry
        self.field = field
        self.message = message
        where = [_display(self.path)]
        if entry:
            where.append(entry)
        if field:
            where.append(field)
        super().__init__(": ".join(where) + ": " + message)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- schema
class Text(BaseModel):
    """A text in both written standards."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    nb: str
    nn: str

    def get(self, lang: str) -> str:
        """Return the text in *lang* (``nb`` or ``nn``)."""
        if lang not in ("nb", "nn"):
            raise ValueError(f"written standard must be 'nb' or 'nn', got {lang!r}")
        return self.nn if lang == "nn" else self.nb


class RequiredText(Text):
    """A text that must be non-empty in both written standards."""

    @field_validator("nb", "nn")
    @classmethod
    def _not_empty(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be empty (write the text in both bokmål nb and nynorsk nn)")
        return v.strip()


class Source(BaseModel):
    """Where an indicator's figures come from."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    table: str | None = Field(description='SSB table id as a quoted string, e.g. "12163", or null')
    source_ids: list[str] = Field(default_factory=list, description="snapshot manifest ids")
    query: str = Field(description="the SSB query (dimension=selection, …) or the method")
    text: str = Field(description="short source text for the csv 'source' column")

    @field_validator("table")
    @classmethod
    def _table(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"\d{5}", v):
            raise ValueError(
                f'expected a five-digit SSB table id in quotes, e.g. "12163"; got {v!r}'
            )
        return v

    @field_validator("query", "text")
    @classmethod
    def _not_empty(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be empty")
        return v.strip()


class Indicator(BaseModel):
    """One registry entry. Text fields are read through the methods (``name(lang)`` …)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)

    id: str
    chapter: str
    county: str | None = None
    """A county's own indicator: its 2024 code; ``chapter`` is then that county's own chapter."""
    names: RequiredText = Field(alias="name")
    short_names: RequiredText | None = Field(default=None, alias="short_name")
    definitions: RequiredText = Field(alias="definition")
    units: RequiredText = Field(alias="unit")
    csv_unit: str
    decimals: int = Field(ge=0, le=6)
    source: Source
    polarity: Polarity
    comparison: list[ComparisonSet] = Field(min_length=1)
    caveat_texts: Text = Field(alias="caveats")
    notable: Notable | None = None
    series: SeriesSpec | None = None
    provider: str | None = None
    change: bool = False  # the value is a change (growth): always shown with its sign

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _ID.fullmatch(v):
            raise ValueError(f"expected lower_snake_case (a-z, 0-9, _), got {v!r}")
        return v

    @model_validator(mode="after")
    def _chapter(self) -> Indicator:
        from kunnskapsgrunnlag.contents import CHAPTERS
        from kunnskapsgrunnlag.regions import COUNTIES

        ids = [c.id for c in CHAPTERS]
        if self.county is None:
            if self.chapter not in ids:
                raise ValueError(
                    f"chapter: unknown chapter {self.chapter!r}; registered chapters: "
                    f'{", ".join(ids)} (a county\'s own chapter also needs county: "NN")'
                )
            return self
        if self.county not in COUNTIES:
            raise ValueError(f"county: expected a 2024 county code in quotes, got {self.county!r}")
        stem = f"{self.county}-{COUNTIES[self.county].slug}"
        notebook = paths.NOTEBOOKS / "fylker" / stem / f"{self.chapter}.ipynb"
        if not notebook.is_file():
            raise ValueError(
                f"chapter: {self.chapter!r} is not a chapter of county {self.county} "
                f"(no notebook notebooks/fylker/{stem}/{self.chapter}.ipynb)"
            )
        return self

    @field_validator("csv_unit")
    @classmethod
    def _csv_unit(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be empty")
        return v.strip()

    @model_validator(mode="after")
    def _caveat_pairs(self) -> Indicator:
        if bool(self.caveat_texts.nb.strip()) != bool(self.caveat_texts.nn.strip()):
            raise ValueError("caveats: give the text in both nb and nn, or leave both empty")
        if self.series is not None and self.provider is not None:
            raise ValueError("give either series: or provider:, not both")
        if self.provider is not None and not PROVIDER.fullmatch(self.provider):
            raise ValueError(f"provider: expected module.path:function, got {self.provider!r}")
        if self.polarity != "neither" and self.notable is None:
            raise ValueError(
                "notable: an indicator with a good direction needs the threshold of a notable "
                "difference, e.g. notable: {percent: 10} or {points: 1}"
            )
        return self

    @property
    def has_series(self) -> bool:
        """Whether the indicator has figures (a ``series:`` block or a ``provider``)."""
        return self.series is not None or self.provider is not None

    # ------------------------------------------------------------------ texts
    def name(self, lang: str) -> str:
        """Return the indicator's full name in *lang*."""
        return self.names.get(lang)

    def short_name(self, lang: str) -> str:
        """Return a short label for charts (the full name when the entry gives none)."""
        return (self.short_names or self.names).get(lang)

    def definition(self, lang: str) -> str:
        """Return the definition in *lang*."""
        return self.definitions.get(lang)

    def unit(self, lang: str) -> str:
        """Return the unit as readers see it, in *lang* (e.g. ``kr per innbyggjar``)."""
        return self.units.get(lang)

    def caveats(self, lang: str) -> str:
        """Caveats in *lang* (may be empty)."""
        return self.caveat_texts.get(lang).strip()

    @property
    def table(self) -> str | None:
        """The SSB table id (``None`` when the figure is computed by a method)."""
        return self.source.table

    @property
    def query(self) -> str:
        """The SSB query (or method) the figures come from."""
        return self.source.query

    @property
    def source_text(self) -> str:
        """The short source text written to the csv's ``source`` column (e.g. ``SSB, tabell 12163``)."""
        return self.source.text

    @property
    def tables(self) -> list[str]:
        """SSB tables, as a list for :func:`kunnskapsgrunnlag.charts.style.source_line`."""
        return [self.source.table] if self.source.table else []

    def source_reader(self, lang: str) -> str:
        """The source as a reader sees it: «Statistisk sentralbyrå (SSB), tabell 12163».

        Another producer is named by the credit line in the snapshot manifest («NAV»,
        «Utdanningsdirektoratet»), the same in both written standards; a method by its text.
        """
        if self.source.table:
            return f"Statistisk sentralbyrå (SSB), {_LABELS['table'][lang]} {self.source.table}"
        from kunnskapsgrunnlag.data.errors import SnapshotError
        from kunnskapsgrunnlag.data.manifest import source_info

        credits = []
        for sid in self.source.source_ids:
            try:
                credits.append(str(source_info(sid)["credit"]).split(": ", 1)[-1])
            except (KeyError, SnapshotError):
                continue
        return ", ".join(dict.fromkeys(credits)) or self.source.text


# --------------------------------------------------------------------------- loading
def _load_yaml(path: Path) -> Any:
    from kunnskapsgrunnlag.params import _StrictLoader  # duplicate-key-refusing safe loader

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise RegistryError(path, None, None, f"cannot read the file ({err.strerror})") from None
    except UnicodeDecodeError:
        raise RegistryError(path, None, None, "the file is not UTF-8") from None
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - strict subclass of SafeLoader
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err)
        raise RegistryError(path, None, None, f"YAML error: {line}{problem}") from None


def _field_name(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc)


def load_registry(path: Path | str | None = None) -> dict[str, Indicator]:
    """Read and validate a registry file (uncached; :func:`registry` caches the default file).

    Args:
        path: the YAML file (default: ``indicators.yaml`` beside this module).

    Returns:
        The indicators by id, in file order.

    Raises:
        RegistryError: naming the file, the entry (index and id) and the field.
    """
    path = Path(path) if path is not None else REGISTRY_FILE
    data = _load_yaml(path)
    if not isinstance(data, dict) or set(data) != {"indicators"}:
        keys = ", ".join(map(str, data)) if isinstance(data, dict) else type(data).__name__
        raise RegistryError(
            path, None, None, f"expected one top-level key 'indicators:' (a list), got {keys}"
        )
    entries = data["indicators"]
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        raise RegistryError(
            path, None, "indicators", f"expected a list of entries, got {type(entries).__name__}"
        )
    out: dict[str, Indicator] = {}
    for i, raw in enumerate(entries):
        ident = raw.get("id") if isinstance(raw, dict) else None
        entry = f"indicators[{i}]" + (f" (id {ident!r})" if isinstance(ident, str) else "")
        if not isinstance(raw, dict):
            raise RegistryError(
                path, entry, None, f"expected a mapping of fields, got {type(raw).__name__}"
            )
        try:
            ind = Indicator.model_validate(raw)
        except ValidationError as err:
            e = err.errors()[0]
            msg = e["msg"].removeprefix("Value error, ")
            if e["type"] == "extra_forbidden":
                allowed = ", ".join(
                    f.alias or n for n, f in _model_at(e["loc"]).model_fields.items()
                )
                msg = f"unknown field; allowed fields are: {allowed}"
            elif e["type"] == "missing":
                msg = "missing (every entry needs it; see the schema at the top of the file)"
            elif e["type"] in {"string_type", "int_type", "list_type", "model_type"}:
                msg = f"{msg}; got {type(e['input']).__name__} {e['input']!r}"
            if len(err.errors()) > 1:
                msg += f" (and {len(err.errors()) - 1} more problem(s))"
            raise RegistryError(path, entry, _field_name(e["loc"]) or None, msg) from None
        if ind.id in out:
            raise RegistryError(
                path, entry, "id", f"duplicate id {ind.id!r}: every indicator has one entry"
            )
        out[ind.id] = ind
    return out


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel]:
    model: type[BaseModel] = Indicator
    for part in loc[:-1]:
        if part == "source":
            model = Source
        elif part == "series":
            model = SeriesSpec
        elif part == "notable":
            model = Notable
        elif part in {"name", "short_name", "definition", "unit", "caveats"}:
            model = Text
    return model


@lru_cache(maxsize=1)
def registry() -> dict[str, Indicator]:
    """Return the registry from ``indicators.yaml`` (cached; ``registry.cache_clear()`` re-reads)."""
    return load_registry(REGISTRY_FILE)


def get(indicator_id: str) -> Indicator:
    """Return the registry entry *indicator_id*.

    Raises:
        KeyError: the id has no entry (the message names the registry file).
    """
    reg = registry()
    try:
        return reg[indicator_id]
    except KeyError:
        raise KeyError(
            f"indicator {indicator_id!r} has no entry in {_display(REGISTRY_FILE)}; "
            f"add one (see the schema at the top of the file)"
        ) from None


def missing(ids: Iterable[str]) -> list[str]:
    """Return the ids (in order, without repeats) that have no registry entry."""
    reg = registry()
    out: list[str] = []
    for i in ids:
        if i not in reg and i not in out:
            out.append(i)
    return out


def for_chapter(chapter_id: str) -> list[Indicator]:
    """Return the registry entries of one chapter, in file order."""
    return [ind for ind in registry().values() if ind.chapter == chapter_id]
