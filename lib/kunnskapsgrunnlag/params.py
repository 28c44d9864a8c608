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

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.regions import ABOLISHED_COUNTIES, COUNTIES, comparison_set

WrittenStandard = Literal["nb", "nn"]
ComparisonKind = Literal["other_counties", "all_counties", "all_counties_without_oslo"]

_FILENAME = re.compile(r"^(?P<code>\d{2})-(?P<slug>[a-z0-9-]+)\.yaml$")
_CODE_HELP = 'a 2024 county code as a quoted string, e.g. "03" or "46"'


class ParameterError(Exception):
    """An invalid parameter file. ``str(err)`` is the message for the user: file, field, expectation."""

    def __init__(self, path: Path | str, field: str | None, message: str) -> None:
        self.path = Path(path)
        self.field = field
        self.message = message
        where = f"{_display(self.path)}: {field}: " if field else f"{_display(self.path)}: "
        super().__init__(where + message)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- YAML loading
class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader that also rejects duplicate keys.

    Keeps its own copy of the implicit resolvers so that other libraries changing
    ``yaml.SafeLoader`` globally (papermill does) cannot change how parameters are read.
    """

    yaml_implicit_resolvers = {
        k: list(v) for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    yaml_constructors = dict(yaml.SafeLoader.yaml_constructors)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                first = seen[key].start_mark.line + 1
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key {key!r} (first on line {first}, again on line "
                    f"{key_node.start_mark.line + 1}); YAML would silently keep the last one",
                    key_node.start_mark,
                )
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


# Standard tags that build something other than plain data are refused outright.
for _tag in (
    "tag:yaml.org,2002:binary",
    "tag:yaml.org,2002:set",
    "tag:yaml.org,2002:omap",
    "tag:yaml.org,2002:pairs",
):
    _StrictLoader.yaml_constructors.pop(_tag, None)


def load_yaml(path: Path) -> dict[str, Any]:
    """Read *path* as strict, safe YAML and return its top-level mapping.

    Raises:
        ParameterError: the file is missing, not UTF-8, empty, not valid YAML, uses a tag,
            repeats a key, or is not a mapping.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ParameterError(path, None, f"cannot read the file ({err.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ParameterError(
            path,
            None,
            f"the file is not UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start}); save it as UTF-8",
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise ParameterError(
            path, None, "the file is empty; expected the keys documented in parameters/README.md"
        )
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - strict subclass of SafeLoader
    except yaml.constructor.ConstructorError as err:
        mark = err.problem_mark
        line = f" (line {mark.line + 1})" if mark is not None else ""
        problem = err.problem or str(err)
        if "could not determine a constructor" in problem:
            problem = problem.replace(
                "could not determine a constructor for the tag", "YAML tags are not allowed:"
            )
        raise ParameterError(path, _key_at_line(text, mark), f"{problem}{line}") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err)
        raise ParameterError(path, None, f"YAML syntax error: {line}{problem}") from None
    if data is None:
        raise ParameterError(
            path, None, "the file is empty; expected the keys documented in parameters/README.md"
        )
    if not isinstance(data, dict):
        raise ParameterError(
            path, None, f"expected a mapping of keys (key: value), got {type(data).__name__}"
        )
    return data


def _key_at_line(text: str, mark: Any) -> str | None:
    if mark is None:
        return None
    lines = text.splitlines()
    for i in range(min(mark.line, len(lines) - 1), -1, -1):
        m = re.match(r"^([A-Za-z_][\w]*)\s*:", lines[i])
        if m:
            return m.group(1)
    return None


# --------------------------------------------------------------------------- schema
def _check_code(value: Any) -> str:
    if isinstance(value, bool) or isinstance(value, int | float):
        raise ValueError(
            f"expected {_CODE_HELP}; got the bare number {value!r}. YAML reads 03 as 3 and 0301 as "
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
    raise ValueError(f"expected {_CODE_HELP}; {value!r} is not one of the 15 counties ({valid})")


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
        codes = []
        for i, c in enumerate(v):
            try:
                codes.append(_check_code(c))
            except ValueError as err:
                raise ValueError(f"item {i + 1}: {err}") from None
        dup = sorted({c for c in codes if codes.count(c) > 1})
        if dup:
            raise ValueError(f"county listed twice: {', '.join(dup)}")
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

    @field_validator("county_code", mode="before")
    @classmethod
    def _county(cls, v: Any) -> str:
        return _check_code(v)

    @model_validator(mode="after")
    def _name_matches(self) -> CountyParameters:
        expected = COUNTIES[self.county_code].name
        if self.county_name != expected:
            raise ValueError(
                f"county_name: expected {expected!r} for county {self.county_code}, got {self.county_name!r}"
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

    def notebook_parameters(self) -> dict[str, Any]:
        """The parameters injected into chapter notebooks (plain data only)."""
        return self.model_dump(mode="python")


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
        msg = f"expected {e['ctx']['expected']}; got {e['input']!r}"
        if e["loc"][-1] == "written_standard" and e["input"] is False:
            msg += " (YAML reads an unquoted no as false: write nb or nn)"
    elif typ in {"string_type", "list_type", "model_type", "dict_type"}:
        msg = f"{msg}; got {type(e['input']).__name__} {e['input']!r}"
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


def validate_cli(files: Iterable[Path] | None = None) -> int:
    """``kg validate``: 0 when every file is valid, 2 (with one message per bad file) otherwise."""
    files = list(files or [])
    if not files and not paths.parameter_files():
        print(f"kg validate: no parameter files in {paths.PARAMETERS}", file=sys.stderr)
        return 2
    good, errors = load_all(files)
    for err in errors:
        print(f"error: {err}", file=sys.stderr)
    if errors:
        print(f"kg validate: {len(errors)} invalid file(s), {len(good)} valid", file=sys.stderr)
        return 2
    print(f"kg validate: {len(good)} file(s) valid")
    return 0
