"""Bounded, strict YAML reading of county parameter files (used by :mod:`kunnskapsgrunnlag.params`).

A parameter file is a few hundred bytes of plain keys and values, so everything a hostile or
broken file could use to make ``kg validate`` slow, hungry or crash is refused before it costs
anything, each as a :class:`ParameterError` naming the file and, where known, the field:

* files larger than :data:`MAX_FILE_BYTES` (checked on the size, then at most that much is read);
* anything in ``parameters/`` that is not a regular file (directories, symbolic links, FIFOs …);
* YAML anchors and aliases (``&a`` / ``*a``): parameter files need none, and aliases are what
  makes a «billion laughs» file expand exponentially;
* nesting deeper than :data:`MAX_DEPTH` levels (the schema needs 4);
* numbers written with more than :data:`MAX_NUMBER_CHARS` characters (refused before conversion).

Values echoed in messages are cut to :data:`MAX_ECHO` characters (:func:`short`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 16 * 1024
MAX_DEPTH = 10
MAX_NUMBER_CHARS = 30
MAX_ECHO = 80
_MAX_MESSAGE = 400


class ParameterError(Exception):
    """An invalid parameter file. ``str(err)`` is the message for the user: file, field, expectation."""

    def __init__(self, path: Path | str, field: str | None, message: str) -> None:
        self.path = Path(path)
        self.field = field
        message = " ".join(message.split())
        if len(message) > _MAX_MESSAGE:
            message = message[:_MAX_MESSAGE] + "…"
        self.message = message
        where = f"{display(self.path)}: {field}: " if field else f"{display(self.path)}: "
        super().__init__(where + message)


def display(path: Path) -> str:
    """*path* relative to the working directory when it is below it (symbolic links not followed)."""
    try:
        return str(path.absolute().relative_to(Path.cwd().absolute()))
    except ValueError:
        return str(path)


def short(value: Any) -> str:
    """``repr(value)`` cut to :data:`MAX_ECHO` characters (``…`` marks the cut)."""
    if isinstance(value, list | dict | tuple | set) and len(value) > MAX_ECHO:
        return f"a {type(value).__name__} of {len(value)} items"
    text = repr(value)
    return text if len(text) <= MAX_ECHO else text[:MAX_ECHO] + "…"


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
                    f"duplicate key {short(key)} (first on line {first}, again on line "
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


class _BoundedLoader(_StrictLoader):
    """:class:`_StrictLoader` without anchors or aliases, with a depth and a number-length cap."""

    yaml_constructors = dict(_StrictLoader.yaml_constructors)
    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                "YAML anchors and aliases (&name, *name) are not allowed in parameter files",
                event.start_mark,
            )
        if self._depth >= MAX_DEPTH:
            raise yaml.constructor.ConstructorError(
                None, None, f"nested more than {MAX_DEPTH} levels deep", event.start_mark
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def _number(self, node: yaml.ScalarNode) -> Any:
        if len(node.value) > MAX_NUMBER_CHARS:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"a number of {len(node.value)} characters is too long "
                f"(at most {MAX_NUMBER_CHARS}); {short(node.value)}",
                node.start_mark,
            )
        constructor = _StrictLoader.yaml_constructors[node.tag]
        return constructor(self, node)


for _tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
    _BoundedLoader.yaml_constructors[_tag] = _BoundedLoader._number


def check_entry(path: Path) -> None:
    """Refuse *path* unless it is a regular file (a symbolic link is refused, not followed)."""
    if path.is_symlink():
        raise ParameterError(
            path,
            None,
            "is a symbolic link; parameter files must be regular files (copy the file instead)",
        )
    if path.is_dir():
        raise ParameterError(
            path, None, "is a directory; parameters/ holds only NN-slug.yaml files (and README.md)"
        )
    if path.exists() and not path.is_file():
        raise ParameterError(path, None, "is not a regular file; expected an NN-slug.yaml file")


def read_text(path: Path) -> str:
    """Read a parameter file as UTF-8 text, refusing non-regular and oversized files."""
    check_entry(path)
    too_big = (
        f"the file is larger than {MAX_FILE_BYTES // 1024} KiB; a parameter file is a few lines"
    )
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ParameterError(path, None, too_big)
        with path.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise ParameterError(path, None, f"cannot read the file ({err.strerror})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ParameterError(path, None, too_big)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ParameterError(
            path,
            None,
            f"the file is not UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start}); save it as UTF-8",
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def load_yaml(path: Path) -> dict[str, Any]:
    """Read *path* as strict, safe, bounded YAML and return its top-level mapping.

    Raises:
        ParameterError: the file is missing, not a regular file, too large, not UTF-8, empty,
            not valid YAML, uses a tag, an anchor or an alias, nests too deep, holds an
            over-long number, repeats a key, or is not a mapping.
    """
    path = Path(path)
    text = read_text(path)
    empty = "the file is empty; expected the keys documented in parameters/README.md"
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise ParameterError(path, None, empty)
    try:
        data = yaml.load(text, Loader=_BoundedLoader)  # noqa: S506 - strict subclass of SafeLoader
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
        raise ParameterError(path, None, empty)
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
