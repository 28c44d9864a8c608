"""Every path of the project, resolved from the project root in one place.

The root is the folder holding ``pyproject.toml`` above this package (``lib/kunnskapsgrunnlag``),
or ``$KG_ROOT`` when set (used by tests that build a project in a temporary folder).
Outputs can be redirected with ``$KG_OUTPUTS`` and the HTTP cache with ``$KG_CACHE``.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def _find_root() -> Path:
    env = os.environ.get("KG_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "lib").is_dir():
            return parent
    return here.parents[2]


ROOT: Path = _find_root()
LIB: Path = ROOT / "lib"
DATA: Path = ROOT / "data"
SNAPSHOT: Path = DATA / "snapshot"
SNAPSHOT_MANIFEST: Path = SNAPSHOT / "manifest.json"
KLASS: Path = DATA / "klass"
KART: Path = DATA / "kart"
CACHE: Path = Path(os.environ.get("KG_CACHE", DATA / "cache"))
PARAMETERS: Path = ROOT / "parameters"
NOTEBOOKS: Path = ROOT / "notebooks"
OUTPUTS: Path = Path(os.environ.get("KG_OUTPUTS", ROOT / "outputs"))
REPORTS: Path = OUTPUTS / "reports"
EXECUTED: Path = OUTPUTS / "notebooks"
RUN_MANIFEST: Path = OUTPUTS / "manifest.json"
INDICATORS_CSV: Path = OUTPUTS / "indicators.csv"
BENCH_JSON: Path = OUTPUTS / "bench.json"
DOCS: Path = ROOT / "docs"


class DataFileError(ValueError):
    """A data file that cannot be read or is not valid JSON; the message names the file."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


def read_json(path: str | os.PathLike[str]) -> Any:
    """Return the parsed JSON of the file at *path* (UTF-8, a byte-order mark is allowed).

    Raises:
        DataFileError: «<path>: not valid JSON (line L, column C: reason)», «<path>: not valid
            UTF-8 …» or «<path>: cannot be read (…)»; always naming the file.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataFileError(f"{path}: cannot be read ({exc.strerror or exc})", path) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{path}: not valid UTF-8 (byte {exc.start})", path) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})", path
        ) from exc
    except RecursionError as exc:
        raise DataFileError(f"{path}: not valid JSON (nested too deeply)", path) from exc


def parameter_files(folder: Path | None = None) -> list[Path]:
    """Return every entry of *folder* except ``README.md``, dotfiles and ``vurderinger/``, sorted.

    Nothing is skipped silently: an entry that is not a regular ``NN-slug.yaml`` file (a ``.yml``
    file, a directory, a symbolic link, any other name) is listed so that
    :func:`kunnskapsgrunnlag.params.load_parameters` refuses it by name.
    """
    folder = PARAMETERS if folder is None else folder
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.name != "README.md"
        and not p.name.startswith(".")
        and not (p.name == ASSESSMENTS_FOLDER and p.is_dir() and not p.is_symlink())
    )


ASSESSMENTS_FOLDER = "vurderinger"
"""The one folder a parameter folder may hold: the counties' assessment files (markdown)."""


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside *target*; rename it onto *target* only on success.

    An interrupted or failed write never leaves a truncated *target*: the old file stays.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp creates 0600 files; give the result the usual permissions (readable by a web server)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_path, 0o666 & ~umask)
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def atomic_write_text(target: Path, text: str, encoding: str = "utf-8") -> None:
    """Write *text* to *target* atomically (temporary file, fsync, rename)."""
    with atomic_path(target) as tmp:
        with open(tmp, "w", encoding=encoding, newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Write *data* to *target* atomically."""
    with atomic_path(target) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())


def atomic_write_json(target: Path, obj: Any) -> None:
    """Write *obj* as pretty UTF-8 JSON to *target* atomically."""
    atomic_write_text(target, json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False) + "\n")
