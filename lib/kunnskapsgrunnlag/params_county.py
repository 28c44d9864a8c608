"""A county's own content named in its parameter file: assessments and its own chapter notebooks.

Used by :mod:`kunnskapsgrunnlag.params` after the schema check, so every problem is a
:class:`~kunnskapsgrunnlag.params_yaml.ParameterError` naming the parameter file, the field
(``assessments.<chapter>``, ``extra_chapters``) and the file that is wrong:

* an assessment file (``assessments:`` chapter id → markdown file, relative to the parameter
  file) must exist, be a regular file inside the project or the parameter folder (a path that
  leaves both, also through a symbolic link, is refused), be at most :data:`MAX_ASSESSMENT_BYTES`
  and be UTF-8; its optional front matter (``---`` lines around ``author:`` and ``date:``) must
  hold only those keys;
* a county chapter (``extra_chapters:``) is a notebook in ``notebooks/fylker/<code>-<slug>/``.

:func:`read_assessment` is also what the report uses to read the file (front matter and text).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.params_yaml import ParameterError, display, short

MAX_ASSESSMENT_BYTES = 64 * 1024
FRONT_MATTER_KEYS = ("author", "date")
COUNTY_FOLDER = "fylker"
CHAPTER_FILE = re.compile(r"^[a-z][a-z0-9_]*\.ipynb$")
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)


class AssessmentError(ValueError):
    """An assessment file that cannot be used (the message says why)."""


def county_folder(stem: str) -> Path:
    """The folder of a county's own chapter notebooks, ``notebooks/fylker/<code>-<slug>/``."""
    return paths.NOTEBOOKS / COUNTY_FOLDER / stem


def chapter_id(notebook: str) -> str:
    """The chapter id of a county chapter notebook file name (``klimagassutslipp.ipynb``)."""
    return notebook.removesuffix(".ipynb")


def _inside(path: Path, roots: list[Path]) -> bool:
    real = path.resolve()
    return any(real.is_relative_to(r.resolve()) for r in roots)


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    m = _FRONT.match(text)
    if not m:
        return {}, text
    try:
        data = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError as err:
        raise AssessmentError(
            f"the front matter is not valid YAML ({err.__class__.__name__})"
        ) from None
    if not isinstance(data, dict):
        raise AssessmentError("the front matter must be key: value lines (author, date)")
    unknown = [str(k) for k in data if k not in FRONT_MATTER_KEYS]
    if unknown:
        raise AssessmentError(
            f"unknown front matter key(s) {', '.join(unknown)}; allowed: author, date"
        )
    meta: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dt.date):
            value = value.isoformat()
        if not isinstance(value, str) or not value.strip():
            raise AssessmentError(f"front matter {key}: expected text, got {value!r}")
        if key == "date" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            raise AssessmentError(f"front matter date: expected YYYY-MM-DD, got {value!r}")
        meta[key] = value.strip()
    return meta, text[m.end() :]


def read_assessment(path: Path) -> tuple[dict[str, str], str]:
    """Return the front matter (``author``, ``date``) and the markdown text of an assessment file.

    Raises:
        AssessmentError: missing, not a regular file, too large, not UTF-8, bad front matter.
    """
    if not path.exists():
        raise AssessmentError("the file does not exist")
    if not path.is_file():
        raise AssessmentError("is not a regular file")
    raw = path.read_bytes()[: MAX_ASSESSMENT_BYTES + 1]
    if len(raw) > MAX_ASSESSMENT_BYTES:
        raise AssessmentError(f"the file is larger than {MAX_ASSESSMENT_BYTES // 1024} KiB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise AssessmentError(
            f"the file is not UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start}); "
            "save it as UTF-8"
        ) from None
    meta, body = _front_matter(text.removeprefix("\ufeff"))
    if not body.strip():
        raise AssessmentError("the file has no text")
    return meta, body


def resolve_assessments(
    param_file: Path, assessments: dict[str, str], chapter_ids: list[str]
) -> dict[str, Path]:
    """Check every assessment file named in *param_file*; return chapter id → absolute path."""
    folder = param_file.parent
    roots = [paths.ROOT, folder]
    out: dict[str, Path] = {}
    for cid, rel in assessments.items():
        field = f"assessments.{cid}"
        if cid not in chapter_ids:
            raise ParameterError(
                param_file,
                field,
                f"unknown chapter id {cid!r}; this county's report has the chapters "
                f"{', '.join(chapter_ids)}",
            )
        target = folder / rel
        if Path(rel).is_absolute() or not _inside(target, roots):
            raise ParameterError(
                param_file,
                field,
                f"{rel}: the path leads outside the project; give a file relative to the "
                "parameter file, inside the project",
            )
        try:
            read_assessment(target)
        except AssessmentError as err:
            raise ParameterError(param_file, field, f"{display(target)}: {err}") from None
        out[cid] = target.resolve()
    return out


def check_extra_chapters(param_file: Path, stem: str, notebooks: list[str]) -> None:
    """Refuse a county chapter whose notebook is not in ``notebooks/fylker/<stem>/``."""
    folder = county_folder(stem)
    for name in notebooks:
        nb = folder / name
        if not nb.is_file() or nb.is_symlink():
            raise ParameterError(
                param_file,
                "extra_chapters",
                f"{name}: no notebook notebooks/{COUNTY_FOLDER}/{stem}/{name} "
                "(make one with kg new-chapter)",
            )


def unique_names(v: list[Any], known: list[str] | None, what: str) -> list[str]:
    """Check a list of names: text, known (when *known* is given), each once."""
    seen: list[str] = []
    for i, item in enumerate(v):
        if not isinstance(item, str):
            raise ValueError(f"item {i + 1}: expected {what}, got {short(item)}")
        if known is not None and item not in known:
            raise ValueError(
                f"item {i + 1}: unknown chapter {short(item)}; the standard chapters are "
                f"{', '.join(known)}"
            )
        if item in seen:
            raise ValueError(f"{item} is listed twice")
        seen.append(item)
    return seen


# --------------------------------------------------------------------------- kg new-chapter
_NOTE = """# {title_nb}

Developer note (tagged `kg-skip`, not shown in the report). The county's own chapter of
{name}, made with `kg new-chapter` from `notebooks/_kapittelmal.ipynb`; the steps are in
`docs/ny-kapittel.md` («Et eget kapittel for fylket»).

1. Name it in `parameters/{stem}.yaml` under `extra_chapters:` (`- {notebook}`); only this
   county's report runs it, after the standard chapters.
2. Its indicators go in `lib/kunnskapsgrunnlag/indicators/indicators.yaml` with
   `chapter: {cid}` and `county: "{code}"`.
3. Keep the `parameters` cell as it is: the runner injects the county's parameters."""


def _source(text: str) -> list[str]:
    lines = text.split("\n")
    return [ln + "\n" for ln in lines[:-1]] + [lines[-1]]


def new_chapter(code: str, notebook: str, title_nb: str, title_nn: str) -> Path:
    """Create ``notebooks/fylker/<code>-<slug>/<notebook>`` from the chapter template.

    Raises:
        ValueError: an unknown county, a bad file name or a notebook that exists already.
    """
    import json

    from kunnskapsgrunnlag.regions import COUNTIES

    if code not in COUNTIES:
        raise ValueError(f"{code!r} is not a county code of the 2024 division")
    notebook = notebook if notebook.endswith(".ipynb") else f"{notebook}.ipynb"
    if not CHAPTER_FILE.match(notebook):
        raise ValueError(f"{notebook}: use lower case letters a-z, digits and _ (e.g. havbruk)")
    county = COUNTIES[code]
    stem, cid = f"{code}-{county.slug}", chapter_id(notebook)
    target = county_folder(stem) / notebook
    if target.exists():
        raise ValueError(f"{display(target)} exists already")
    nb = json.loads((paths.NOTEBOOKS / "_kapittelmal.ipynb").read_text(encoding="utf-8"))
    note = _NOTE.format(title_nb=title_nb, name=county.name, stem=stem, notebook=notebook,
                        cid=cid, code=code)  # fmt: skip
    nb["cells"][0]["source"] = _source(note)
    for cell in nb["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "code" and 'Chapter("kostra", ctx)' in text:
            new = f'Chapter("{cid}", ctx, title=({title_nb!r}, {title_nn!r}))'
            cell["source"] = _source(text.replace('Chapter("kostra", ctx)', new))
    nb["metadata"]["kunnskapsgrunnlag"] = {"title": {"nb": title_nb, "nn": title_nn}}
    target.parent.mkdir(parents=True, exist_ok=True)
    paths.atomic_write_text(target, json.dumps(nb, ensure_ascii=False, indent=1) + "\n")
    return target


def new_chapter_cli(code: str, notebook: str, title_nb: str, title_nn: str | None) -> int:
    """``kg new-chapter``: 0 and the next steps, or 2 and the reason."""
    import sys

    code = code.zfill(2) if code.isdigit() else code
    try:
        target = new_chapter(code, notebook, title_nb, title_nn or title_nb)
    except ValueError as err:
        print(f"kg new-chapter: {err}", file=sys.stderr)
        return 2
    print(
        f"kg new-chapter: made {display(target)}. Next: add `- {target.name}` under "
        f"extra_chapters: in the county's parameter file and run kg validate."
    )
    return 0
