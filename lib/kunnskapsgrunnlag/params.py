"""County parameter files: safe YAML loading, a strict schema and ``kg validate``.

One file per county of the 2024 division, ``parameters/<code>-<slug>.yaml``. Its keys are the
parameters the chapter notebooks receive (``papermill -f parameters/46-vestland.yaml`` works).
Every error names the file and the field and says what was expected; nothing raises a traceback
at the user. Checks happen before any notebook runs.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from kunnskapsgrunnlag import params_county as own
from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.params_yaml import (  # noqa: F401 - re-exported (registry uses _StrictLoader)
    MAX_FILE_BYTES,
    ParameterError,
    _StrictLoader,
    check_entry,
    load_yaml,
    short,
)
from kunnskapsgrunnlag.regions import ABOLISHED_COUNTIES, COUNTIES, comparison_set

WrittenStandard = Literal["nb", "nn"]
ComparisonKind = Literal["other_counties", "all_counties", "all_counties_without_oslo"]

_FILENAME = re.compile(r"^(?P<code>\d{2})-(?P<slug>[a-z0-9-]+)\.yaml$")
MAX_PEERS = len(COUNTIES) - 1  # comparison.counties: the other counties, each once
_CODE_HELP = 'a 2024 county code as a quoted string, e.g. "03" or "46"'


# --------------------------------------------------------------------------- schema
def _check_code(value: Any) -> str:
    if isinstance(value, bool) or isinstance(value, int | float):
        raise ValueError(
            f"expected {_CODE_HELP}; got the bare number {short(value)}. YAML reads 03 as 3 and 0301 as "
            "octal, so write the code in quotes"
        )
    if not isinstance(value, str):
        raise ValueError(f"expected {_CODE_HELP}; got {type(value).__name__}")
    if value in COUNTIES:
        return value
    if value in ABOLISHED_COUNTIES:
        name, successors = ABOLISHED_COUNTIES[value]
        names = ", ".join(f"{c} {COUNTIES[c].name}" for c in successors)
        raise ValueError(
            f"{value} {name} is not a county of the 2024 division; its area is now in {names}"
        )
    valid = ", ".join(COUNTIES)
    raise ValueError(
        f"expected {_CODE_HELP}; {short(value)} is not one of the 15 counties ({valid})"
    )


class Comparison(BaseModel):
    """Which regions the county is compared with."""

    model_config = ConfigDict(extra="forbid", strict=True)

    kind: ComparisonKind = Field(
        description="other_counties | all_counties | all_counties_without_oslo"
    )
    counties: list[Any] = Field(
        default_factory=list, description="peer county codes (other_counties)"
    )

    @field_validator("counties")
    @classmethod
    def _codes(cls, v: list[Any]) -> list[str]:
        if len(v) > MAX_PEERS:
            raise ValueError(
                f"comparison.counties: lists {len(v)} counties; at most {MAX_PEERS} "
                "(the other counties of the 2024 division), each once"
            )
        codes: list[str] = []
        seen: set[str] = set()
        dup: set[str] = set()
        for i, c in enumerate(v):
            try:
                code = _check_code(c)
            except ValueError as err:
                raise ValueError(f"item {i + 1}: {err}") from None
            (dup if code in seen else seen).add(code)
            codes.append(code)
        if dup:
            raise ValueError(f"county listed twice: {', '.join(sorted(dup))}")
        return codes

    @model_validator(mode="after")
    def _need_counties(self) -> Comparison:
        if self.kind == "other_counties" and not self.counties:
            raise ValueError(
                "kind is other_counties, so counties must list at least one county code"
            )
        if self.kind != "other_counties" and self.counties:
            raise ValueError(
                f"counties is only used with kind: other_counties (kind is {self.kind})"
            )
        return self


class CountyParameters(BaseModel):
    """The parameters of one county's report (the keys of ``parameters/<code>-<slug>.yaml``)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    county_code: Any = Field(description='2024 county code as a quoted string, e.g. "46"')
    county_name: str = Field(description="the county's Norwegian short name, e.g. Vestland")
    written_standard: WrittenStandard = Field(description="nb (bokmål) or nn (nynorsk)")
    comparison: Comparison = Field(
        description="a mapping with kind (other_counties | all_counties | all_counties_without_oslo) and, for other_counties, counties"
    )

    chapters: list[Any] | None = Field(
        default=None, description="standard chapter ids in report order (default: all)"
    )
    extra_chapters: list[Any] = Field(
        default_factory=list,
        description="the county's own chapter notebooks in notebooks/fylker/<code>-<slug>/",
    )
    assessments: dict[str, Any] = Field(
        default_factory=dict,
        description="chapter id -> markdown file, relative to the parameter file",
    )
    _assessment_files: dict[str, Path] = PrivateAttr(default_factory=dict)

    @field_validator("chapters")
    @classmethod
    def _chapters(cls, v: list[Any] | None) -> list[str] | None:
        if v is None:
            return None
        from kunnskapsgrunnlag.contents import CHAPTERS

        known = [c.id for c in CHAPTERS]
        if not v:
            raise ValueError("lists no chapter; leave the key out to get every standard chapter")
        return own.unique_names(v, known, "a standard chapter id")

    @field_validator("extra_chapters")
    @classmethod
    def _extra(cls, v: list[Any]) -> list[str]:
        from kunnskapsgrunnlag.contents import CHAPTERS

        names = own.unique_names(v, None, "a notebook file name such as klimagassutslipp.ipynb")
        for name in names:
            if not own.CHAPTER_FILE.match(name):
                raise ValueError(
                    f"{short(name)}: expected a notebook file name in lower case such as "
                    "klimagassutslipp.ipynb (letters a-z, digits, _)"
                )
            if own.chapter_id(name) in {c.id for c in CHAPTERS}:
                raise ValueError(f"{name}: the name of a standard chapter; choose another")
        return names

    @field_validator("assessments")
    @classmethod
    def _assessments(cls, v: dict[str, Any]) -> dict[str, str]:
        for key, value in v.items():
            if not isinstance(key, str) or not isinstance(value, str) or not value.strip():
                raise ValueError(
                    f"{short(key)}: expected chapter id: markdown file (text), got {short(value)}"
                )
        return v

    @field_validator("county_code", mode="before")
    @classmethod
    def _county(cls, v: Any) -> str:
        return _check_code(v)

    @model_validator(mode="after")
    def _name_matches(self) -> CountyParameters:
        expected = COUNTIES[self.county_code].name
        if self.county_name != expected:
            raise ValueError(
                f"county_name: expected {expected!r} for county {self.county_code}, got {short(self.county_name)}"
            )
        if self.county_code in self.comparison.counties:
            raise ValueError(f"comparison.counties: lists the county itself ({self.county_code})")
        return self

    @property
    def lang(self) -> str:
        """The written standard as an HTML language code (``nb`` or ``nn``)."""
        return self.written_standard

    @property
    def slug(self) -> str:
        """The county's file-name slug, e.g. ``more-og-romsdal``."""
        return COUNTIES[self.county_code].slug

    @property
    def stem(self) -> str:
        """``<code>-<slug>``, the name used for the county's outputs."""
        return f"{self.county_code}-{self.slug}"

    def comparison_counties(self) -> list[str]:
        """Return the codes of the counties this county is compared with (never itself)."""
        return comparison_set(self.county_code, self.comparison.model_dump())

    def chapter_ids(self, standard: list[str] | None = None) -> list[str]:
        """The ids of the county's chapters in report order: standard ones, then its own."""
        if standard is None:
            from kunnskapsgrunnlag.contents import CHAPTERS

            standard = [c.id for c in sorted(CHAPTERS, key=lambda c: c.order)]
        chosen = self.chapters if self.chapters is not None else standard
        return [*chosen, *(own.chapter_id(n) for n in self.extra_chapters)]

    def assessment_file(self, chapter_id: str) -> Path | None:
        """The checked assessment file of *chapter_id* (absolute), or ``None``."""
        return self._assessment_files.get(chapter_id)

    def assessment_files(self) -> dict[str, Path]:
        """Every checked assessment file, by chapter id."""
        return dict(self._assessment_files)

    def notebook_parameters(self) -> dict[str, Any]:
        """The parameters injected into chapter notebooks (plain data only).

        The county's choice of chapters and its assessments are for the runner and the report,
        not for the notebooks.
        """
        return self.model_dump(mode="python", exclude=set(_REPORT_KEYS))


_REPORT_KEYS = ("chapters", "extra_chapters", "assessments")


def _format_validation_error(path: Path, err: ValidationError) -> ParameterError:
    e = err.errors()[0]
    loc = ".".join(str(p) for p in e["loc"])
    msg = e["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    typ = e["type"]
    if typ == "extra_forbidden":
        allowed = (
            ", ".join(CountyParameters.model_fields)
            if len(e["loc"]) == 1
            else ", ".join(Comparison.model_fields)
        )
        msg = f"unknown key; allowed keys are: {allowed}"
    elif typ == "missing":
        desc = _describe(e["loc"])
        msg = f"missing; expected {desc}"
    elif typ == "literal_error":
        msg = f"expected {e['ctx']['expected']}; got {short(e['input'])}"
        if e["loc"][-1] == "written_standard" and e["input"] is False:
            msg += " (YAML reads an unquoted no as false: write nb or nn)"
    elif typ in {"string_type", "list_type", "model_type", "dict_type"}:
        msg = f"{msg}; got {type(e['input']).__name__} {short(e['input'])}"
    if ": " in msg and msg.split(": ", 1)[0] in {"county_name", "comparison.counties"}:
        loc, msg = msg.split(": ", 1)
    if len(err.errors()) > 1:
        msg += f" (and {len(err.errors()) - 1} more problem(s))"
    return ParameterError(path, loc or None, msg)


def _describe(loc: tuple[Any, ...]) -> str:
    model: type[BaseModel] = CountyParameters
    for part in loc[:-1]:
        if part == "comparison":
            model = Comparison
    field = model.model_fields.get(str(loc[-1]))
    return field.description if field and field.description else "a value"


def load_parameters(path: Path | str) -> CountyParameters:
    """Load and validate one parameter file.

    Raises:
        ParameterError: with the file, the field and what was expected.
    """
    path = Path(path)
    check_entry(path)
    if not _FILENAME.match(path.name):
        stem = path.name.removesuffix(".yml")
        hint = f" (rename it {stem}.yaml)" if path.name.endswith(".yml") else ""
        raise ParameterError(
            path,
            None,
            f"not a parameter file name; parameters/ holds only NN-slug.yaml files such as "
            f"46-vestland.yaml (and README.md){hint}",
        )
    data = load_yaml(path)
    try:
        params = CountyParameters.model_validate(data)
    except ValidationError as err:
        raise _format_validation_error(path, err) from None
    m = _FILENAME.match(path.name)
    expected = f"{params.county_code}-{params.slug}.yaml"
    if not m or path.name != expected:
        raise ParameterError(
            path,
            "county_code",
            f"the file for county {params.county_code} must be named {expected}",
        )
    own.check_extra_chapters(path, params.stem, params.extra_chapters)
    params._assessment_files = own.resolve_assessments(
        path, params.assessments, params.chapter_ids()
    )
    return params


def load_all(
    files: Sequence[Path] | None = None,
) -> tuple[list[CountyParameters], list[ParameterError]]:
    """Load every file (default: all of ``parameters/``); return the valid ones and the errors."""
    files = paths.parameter_files() if not files else [Path(f) for f in files]
    good: list[CountyParameters] = []
    errors: list[ParameterError] = []
    seen: dict[str, Path] = {}
    for f in files:
        try:
            p = load_parameters(f)
        except ParameterError as err:
            errors.append(err)
            continue
        if p.county_code in seen:
            errors.append(
                ParameterError(
                    f,
                    "county_code",
                    f"county {p.county_code} is also defined in {seen[p.county_code].name}",
                )
            )
            continue
        seen[p.county_code] = f
        good.append(p)
    return good, errors


def parameter_hash(path: Path | str) -> str:
    """Return a short sha256 of the parameter file's bytes (recorded in the run manifest)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def file_for(county_code: str, folder: Path | None = None) -> Path:
    """Return the parameter file of *county_code* (``parameters/<code>-<slug>.yaml``)."""
    code = _check_code(county_code)
    return (paths.PARAMETERS if folder is None else folder) / f"{code}-{COUNTIES[code].slug}.yaml"


def validate_cli(files: Iterable[Path] | None = None, folder: Path | None = None) -> int:
    """``kg validate``: 0 when every file is valid, 2 (with one message per bad file) otherwise.

    *folder* replaces ``parameters/`` (``kg validate --parameters DIR``).
    """
    files = list(files or [])
    where = paths.PARAMETERS if folder is None else Path(folder)
    if not files:
        files = paths.parameter_files(where)
        if not files:
            print(f"kg validate: no parameter files in {where}", file=sys.stderr)
            return 2
    good, errors = load_all(files)
    for err in errors:
        print(f"error: {err}", file=sys.stderr)
    if errors:
        print(f"kg validate: {len(errors)} invalid file(s), {len(good)} valid", file=sys.stderr)
        return 2
    print(f"kg validate: {len(good)} file(s) valid")
    return 0
