"""The indicator registry: shared names, definitions, units and sources of every indicator.

One data file, ``indicators.yaml`` beside this module, holds one entry per indicator that any
chapter shows or writes to ``outputs/indicators.csv``: its id, name and definition in bokmål and
nynorsk, unit, SSB table and query, polarity and caveats (the schema is documented at the top of
the YAML file and enforced by :class:`Indicator`). Chapters never re-type these texts; they call
:func:`get` and show ``ind.name(lang)``, ``ind.unit(lang)`` and so on.

Also here:

* :func:`definitions_html`: the «Definisjoner»/«Definisjonar» appendix of a report, for the
  indicators it shows (called by the report builder);
* :func:`write_csv`: ``outputs/indicators.csv``, built from every chapter's ``indicator_rows``
  function (see :mod:`kunnskapsgrunnlag.contents`) and checked against the registry and SSB's
  region classifications.
"""

from __future__ import annotations

import html
import importlib
import io
import math
import re
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kunnskapsgrunnlag import paths

REGISTRY_FILE: Path = Path(__file__).with_name("indicators.yaml")
"""The registry data file."""

Lang = Literal["nb", "nn"]
Polarity = Literal["higher_is_better", "higher_is_worse", "neither"]
ComparisonSet = Literal[
    "norway", "counties", "comparison_set", "landet_uten_oslo", "municipalities"
]

CSV_COLUMNS: tuple[str, ...] = (
    "indicator",
    "region_code",
    "region_name",
    "year",
    "value",
    "status",
    "unit",
    "source",
)
"""Columns of ``outputs/indicators.csv``, in order."""

SSB_SYMBOLS: frozenset[str] = frozenset({".", "..", ":", "-"})

AGGREGATE_CODE = re.compile(r"^(EAK|EAKUO|EAFK|EAFKUO|EKA\d{2}|EKG\d{2}|EAFK0[1-6])$")
"""SSB's KOSTRA aggregate region codes (landet, landet uten Oslo, county and KOSTRA groups)."""

_ID = re.compile(r"^[a-z][a-z0-9_]*$")

_LABELS = {
    "heading": {"nb": "Definisjoner", "nn": "Definisjonar"},
    "intro": {
        "nb": "Definisjoner, enheter og kilder for indikatorene som er vist i rapporten. "
        "Tallene er hentet fra Statistisk sentralbyrå (SSB), lisens CC BY 4.0.",
        "nn": "Definisjonar, einingar og kjelder for indikatorane som er viste i rapporten. "
        "Tala er henta frå Statistisk sentralbyrå (SSB), lisens CC BY 4.0.",
    },
    "definition": {"nb": "Definisjon", "nn": "Definisjon"},
    "unit": {"nb": "Enhet", "nn": "Eining"},
    "source": {"nb": "Kilde", "nn": "Kjelde"},
    "query": {"nb": "uttrekk", "nn": "uttrekk"},
    "caveats": {"nb": "Merknader", "nn": "Merknader"},
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

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _ID.fullmatch(v):
            raise ValueError(f"expected lower_snake_case (a-z, 0-9, _), got {v!r}")
        return v

    @field_validator("chapter")
    @classmethod
    def _chapter(cls, v: str) -> str:
        from kunnskapsgrunnlag.contents import CHAPTERS

        ids = [c.id for c in CHAPTERS]
        if v not in ids:
            raise ValueError(f"unknown chapter {v!r}; registered chapters: {', '.join(ids)}")
        return v

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
        return self

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
        """SSB tables, as a list for :func:`kunnskapsgrunnlag.style.source_line`."""
        return [self.source.table] if self.source.table else []

    def source_description(self, lang: str) -> str:
        """Return the source as a reader sees it in the definitions appendix: table and query."""
        label = _LABELS["query"][lang]
        if self.source.table:
            return (
                f"Statistisk sentralbyrå (SSB), {_LABELS['table'][lang]} {self.source.table}; "
                f"{label}: {self.source.query}"
            )
        return f"{self.source.text}; {self.source.query}"


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


# --------------------------------------------------------------------------- definitions appendix
def definitions_html(ids: list[str], lang: str) -> str:
    """Render the definitions appendix for the indicators a report shows.

    Args:
        ids: registry ids, in the order they first appear in the report (repeats are dropped).
        lang: ``"nb"`` or ``"nn"``.

    Returns:
        ``<section class="kg-definitions">`` with the heading «Definisjoner» (nb) or
        «Definisjonar» (nn) (``id="definisjoner"``) and one ``<dl>`` per indicator: name,
        definition, unit, source (table and query) and caveats (when there are any).

    Raises:
        ValueError: *lang* is not nb/nn.
        KeyError: an id has no registry entry.
    """
    if lang not in ("nb", "nn"):
        raise ValueError(f"lang must be 'nb' or 'nn', got {lang!r}")
    seen: list[str] = []
    for i in ids:
        if i not in seen:
            seen.append(i)
    parts = [
        '<section class="kg-definitions">',
        f'<h2 class="kg-heading kg-chapter" id="definisjoner">{_LABELS["heading"][lang]}</h2>',
        f'<p class="kg-definitions-intro">{html.escape(_LABELS["intro"][lang])}</p>',
    ]
    e = html.escape
    for i in seen:
        ind = get(i)
        rows = [
            f'<dt class="kg-definition-name">{e(ind.name(lang))}</dt>',
            f"<dd>{e(ind.definition(lang))}</dd>",
            f"<dt>{_LABELS['unit'][lang]}</dt><dd>{e(ind.unit(lang))}</dd>",
            f"<dt>{_LABELS['source'][lang]}</dt><dd>{e(ind.source_description(lang))}</dd>",
        ]
        if ind.caveats(lang):
            rows.append(f"<dt>{_LABELS['caveats'][lang]}</dt><dd>{e(ind.caveats(lang))}</dd>")
        parts.append(
            f'<dl class="kg-definition" id="definisjon-{e(ind.id.replace("_", "-"))}" '
            f'data-kg-indicator="{e(ind.id)}">' + "".join(rows) + "</dl>"
        )
    parts.append("</section>")
    return "\n".join(parts)


# --------------------------------------------------------------------------- indicators.csv
class IndicatorsCsvError(ValueError):
    """A chapter's indicator rows break the contract of ``outputs/indicators.csv``."""


@lru_cache(maxsize=1)
def _municipality_codes_2024() -> frozenset[str]:
    from kunnskapsgrunnlag.regions import municipalities

    return frozenset(municipalities(2024)["code"])


def region_code_kind(code: str) -> str | None:
    """Classify a region code by SSB's standard classifications (``None`` when it is not one).

    Returns ``"norway"`` (``0``), ``"county"`` (two-digit 2024 county), ``"municipality"``
    (four-digit 2024 municipality, KLASS 131), ``"aggregate"`` (SSB aggregate such as ``EAFKUO``)
    or ``"combined"``: 2024 municipalities joined by ``+`` (``"1508+1580"``), the unit
    :mod:`kunnskapsgrunnlag.regions` uses for a municipality that was later split (never
    apportioned); each part must itself be a 2024 municipality.
    """
    from kunnskapsgrunnlag.regions import COUNTIES, NORWAY

    if not isinstance(code, str):
        return None
    if code == NORWAY:
        return "norway"
    if code in COUNTIES:
        return "county"
    if re.fullmatch(r"\d{4}", code) and code in _municipality_codes_2024():
        return "municipality"
    if AGGREGATE_CODE.fullmatch(code):
        return "aggregate"
    parts = code.split("+")
    if len(parts) > 1 and all(p in _municipality_codes_2024() for p in parts):
        return "combined"
    return None


_KIND_ORDER = {"norway": 0, "county": 1, "municipality": 2, "combined": 3, "aggregate": 4}


def _format_value(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return np.format_float_positional(float(v), trim="-")


def collect_rows(chapter_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Call every chapter's ``indicator_rows`` and return the checked, sorted rows.

    A chapter whose module does not exist yet is skipped with a printed warning line (stderr).
    ``unit`` and ``source`` are filled from the registry (``csv_unit``, ``source.text``) when a
    chapter leaves them out; when it gives them they must match the registry.

    Raises:
        IndicatorsCsvError: missing columns, an id without registry entry, a region code outside
            SSB's standard classifications, a value without a symbol, duplicate rows.
    """
    from kunnskapsgrunnlag import contents as chapters

    frames = []
    for spec in chapters.CHAPTERS:
        if chapter_ids is not None and spec.id not in chapter_ids:
            continue
        if not spec.indicator_rows:
            continue
        module = spec.indicator_rows.split(":")[0]
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as err:
            if err.name != module:
                raise
            print(
                f"warning: chapter {spec.id!r}: module {module} does not exist yet; "
                f"its rows are left out of indicators.csv",
                file=sys.stderr,
            )
            continue
        func = spec.rows_function()
        assert func is not None
        df = func()
        frames.append(_check_rows(spec.id, df))
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in CSV_COLUMNS})
    out = pd.concat(frames, ignore_index=True)
    dup = out.duplicated(["indicator", "region_code", "year"], keep=False)
    if dup.any():
        r = out[dup].iloc[0]
        raise IndicatorsCsvError(
            f"indicator {r['indicator']!r}, region {r['region_code']}, year {r['year']}: "
            f"{int(dup.sum())} rows for the same cell"
        )
    out["_kind"] = out["region_code"].map(lambda c: _KIND_ORDER[region_code_kind(c)])
    out = out.sort_values(["indicator", "_kind", "region_code", "year"], kind="stable")
    return out.drop(columns="_kind").reset_index(drop=True)


def _check_rows(chapter_id: str, df: pd.DataFrame) -> pd.DataFrame:
    where = f"chapter {chapter_id!r} (indicator_rows)"
    need = ["indicator", "region_code", "region_name", "year", "value", "status"]
    lacking = [c for c in need if c not in df.columns]
    if lacking:
        raise IndicatorsCsvError(f"{where}: missing column(s) {', '.join(lacking)}")
    df = df.copy()
    unknown = missing(df["indicator"].unique())
    if unknown:
        raise IndicatorsCsvError(
            f"{where}: indicator id(s) without an entry in {_display(REGISTRY_FILE)}: {', '.join(unknown)}"
        )
    reg = registry()
    bad = [c for c in df["region_code"].unique() if region_code_kind(c) is None]
    if bad:
        raise IndicatorsCsvError(
            f"{where}: region code(s) outside SSB's standard classifications "
            f"('0', 2-digit 2024 counties, 4-digit 2024 municipalities, aggregates such as EAFKUO, "
            f"combined 2024 municipalities such as 1508+1580): "
            f"{', '.join(map(repr, bad[:5]))}"
        )
    if df["region_name"].isna().any() or (df["region_name"].astype(str).str.strip() == "").any():
        raise IndicatorsCsvError(f"{where}: empty region_name")
    years = pd.to_numeric(df["year"], errors="coerce")
    if years.isna().any() or (years % 1 != 0).any():
        raise IndicatorsCsvError(f"{where}: year must be a whole number")
    df["year"] = years.astype(int)
    df["value"] = pd.to_numeric(df["value"], errors="raise").astype(float)
    status = df["status"].astype(object).where(df["status"].notna(), "")
    status = status.map(lambda s: "" if s is None else str(s))
    odd = sorted(set(status) - SSB_SYMBOLS - {""})
    if odd:
        raise IndicatorsCsvError(f"{where}: status must be an SSB symbol or empty, got {odd}")
    bare = df["value"].isna() & (status == "")
    if bare.any():
        r = df[bare].iloc[0]
        raise IndicatorsCsvError(
            f"{where}: {r['indicator']} {r['region_code']} {r['year']}: value missing without an SSB symbol"
        )
    df["status"] = status
    for col, attr in (("unit", "csv_unit"), ("source", "source_text")):
        expected = df["indicator"].map(lambda i, a=attr: getattr(reg[i], a))
        if col in df.columns:
            given = df[col].astype(object).where(df[col].notna(), "").astype(str)
            clash = (given != "") & (given != expected)
            if clash.any():
                r = df[clash].iloc[0]
                raise IndicatorsCsvError(
                    f"{where}: {r['indicator']}: {col} {given[clash].iloc[0]!r} differs from the "
                    f"registry's {expected[clash].iloc[0]!r}"
                )
        df[col] = expected
    return df[list(CSV_COLUMNS)]


def write_csv(path: Path | None = None) -> Path:
    """Build ``outputs/indicators.csv`` from every chapter's ``indicator_rows`` (atomic write).

    UTF-8, comma-separated, dot decimals, ``status`` = SSB symbol or empty, sorted by indicator,
    region (Norway, counties, municipalities, aggregates) and year.

    Args:
        path: where to write (default: :data:`kunnskapsgrunnlag.paths.INDICATORS_CSV`).

    Returns:
        The path written.
    """
    path = Path(path) if path is not None else paths.INDICATORS_CSV
    df = collect_rows()
    out = df.copy()
    out["value"] = out["value"].map(_format_value)
    out["year"] = out["year"].astype(str)
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\n")
    paths.atomic_write_text(path, buf.getvalue())
    return path
