"""Offline file checks for pre-commit (``.pre-commit-config.yaml``); standard library + PyYAML.

Usage::

    python tools/check_files.py syntax FILE...        # YAML, JSON (.json/.geojson/.ipynb), TOML parse
    python tools/check_files.py large [--max-kb N] [--allow GLOB]... FILE...
    python tools/check_files.py conflicts FILE...     # leftover merge-conflict markers
    python tools/check_files.py private-keys FILE...  # committed private keys

Exit status 1 with one line per problem (``path: what is wrong``), 0 when all files pass.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import re
import sys
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

MAX_KB = 1024
"""Default size limit: files above 1 MB need an entry in the allow-list."""

_CONFLICT = re.compile(rb"^(?:<{7}|>{7})(?: |\r?$)", re.MULTILINE)
_PRIVATE_KEY = re.compile(
    rb"-----BEGIN (?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY( BLOCK)?-----"
)


def _check_syntax(path: Path) -> str | None:
    suffix = path.suffix.lower()
    try:
        if suffix in {".yaml", ".yml"}:
            with open(path, encoding="utf-8") as fh:
                for _ in yaml.safe_load_all(fh):
                    pass
        elif suffix in {".json", ".geojson", ".ipynb"}:
            with open(path, encoding="utf-8") as fh:
                json.load(fh)
        elif suffix == ".toml":
            with open(path, "rb") as fh:
                tomllib.load(fh)
    except UnicodeDecodeError as err:
        return f"not UTF-8 ({err.reason} at byte {err.start})"
    except (yaml.YAMLError, json.JSONDecodeError, tomllib.TOMLDecodeError) as err:
        return f"invalid {suffix.lstrip('.').upper()}: {' '.join(str(err).split())}"
    return None


def _check_conflicts(path: Path) -> str | None:
    data = path.read_bytes()
    m = _CONFLICT.search(data)
    if m:
        line = data[: m.start()].count(b"\n") + 1
        return f"merge-conflict marker on line {line}"
    return None


def _check_private_key(path: Path) -> str | None:
    if _PRIVATE_KEY.search(path.read_bytes()):
        return "contains a private key; remove it and rotate the key"
    return None


def _large(max_kb: int, allow: Sequence[str]) -> Callable[[Path], str | None]:
    def check(path: Path) -> str | None:
        size = path.stat().st_size
        if size <= max_kb * 1024:
            return None
        name = path.as_posix()
        if any(fnmatch.fnmatch(name, pattern) for pattern in allow):
            return None
        return (
            f"{size / 1024:.0f} KB is over the {max_kb} KB limit; large files belong in data/ "
            "with a SOURCE.md (and an --allow entry in .pre-commit-config.yaml)"
        )

    return check


def main(argv: Sequence[str] | None = None) -> int:
    """Run one check over the files named on the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="check_files", description=__doc__.split("\n")[0])
    parser.add_argument("check", choices=["syntax", "large", "conflicts", "private-keys"])
    parser.add_argument("--max-kb", type=int, default=MAX_KB, help="size limit for 'large'")
    parser.add_argument(
        "--allow", action="append", default=[], metavar="GLOB", help="'large': allowed path glob"
    )
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_intermixed_args(argv)
    check = {
        "syntax": _check_syntax,
        "large": _large(args.max_kb, args.allow),
        "conflicts": _check_conflicts,
        "private-keys": _check_private_key,
    }[args.check]
    problems = 0
    for path in args.files:
        if not path.is_file():
            continue
        message = check(path)
        if message:
            print(f"{path.as_posix()}: {message}", file=sys.stderr)
            problems += 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
