"""The nbconvert exporter ``kunnskapsgrunnlag``: one publishing path for a chapter and a report.

``jupyter nbconvert --to kunnskapsgrunnlag executed.ipynb`` turns one executed chapter notebook
into a self-contained page; ``kg run`` joins a county's executed chapter notebooks into one
notebook (:func:`join_chapters`) and publishes it through the same exporter and template, in
process (:func:`export_county`). The exporter is registered under the ``nbconvert.exporters``
entry point in ``pyproject.toml``; its template lives in the package
(``templates/kunnskapsgrunnlag/``: ``index.html.j2``, ``report.css``, ``conf.json``).

What is shown is what the report builder (:mod:`.page`) makes of the notebook: the chapters'
``kg-*`` fragments and markdown cells, never code, streams or the parameter cells; figures and
tables numbered, the contents list, the barometer, the definitions appendix, the front page.
The template adds the page shell with the Content-Security-Policy and the stylesheet; the page
is then checked (self-contained, real alt text, size) as every report is.

A joined notebook carries, in ``metadata.kunnskapsgrunnlag.report``, the county's parameters,
the run information and the chapters in order; each cell names its chapter in
``metadata.kunnskapsgrunnlag.chapter``. A single chapter's parameters come from the metadata
``kg run`` writes (``metadata.kunnskapsgrunnlag.parameters``) or from papermill's.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nbconvert.exporters import TemplateExporter
from traitlets import default

from kunnskapsgrunnlag.publish.report.fragments import ReportError, read_notebook
from kunnskapsgrunnlag.publish.report.shell import TEMPLATE_DIR

if TYPE_CHECKING:
    from kunnskapsgrunnlag.contents import ChapterSpec
    from kunnskapsgrunnlag.params import CountyParameters

KEY = "kunnskapsgrunnlag"
"""The metadata key (notebook and cells) and the ``resources`` key the template reads."""


class KunnskapsgrunnlagExporter(TemplateExporter):
    """Export an executed chapter notebook (or a joined county report) as one HTML page."""

    export_from_notebook = "Kunnskapsgrunnlag (HTML)"
    output_mimetype = "text/html"

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".html"

    @default("template_name")
    def _template_name_default(self) -> str:
        return KEY

    @default("template_file")
    def _template_file_default(self) -> str:
        return "index.html.j2"

    @default("template_paths")
    def _template_paths(self, prune: bool = True, root_dirs: Any = None) -> list[str]:
        return [str(TEMPLATE_DIR)]

    def from_notebook_node(
        self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        """Render *nb* (a chapter, or a notebook made by :func:`join_chapters`)."""
        import nbformat

        from kunnskapsgrunnlag.publish.report.page import check_page, render_parts

        params, executed, run_info = _report_of(nb, resources or {})
        parts, build = render_parts(params, executed, run_info)
        resources = dict(resources or {})
        resources[KEY] = {**parts, "headlines": portal_figures(build)}
        shell = nbformat.v4.new_notebook()  # the template reads resources only: skip the copy
        output, resources = super().from_notebook_node(shell, resources, **kw)
        check_page(output, build.who)
        return output, resources


def portal_figures(build: Any) -> list[tuple[str, str]]:
    """The portal card's key figures: the chapters' headlines, then the statistics year per theme."""
    from kunnskapsgrunnlag.publish.report.page import periods_text

    if not build.periods:
        return list(build.headlines)
    label = "Statistikkår"  # the same word in bokmål and nynorsk
    return [*build.headlines, (label, periods_text(build.periods))]


@cache
def exporter() -> KunnskapsgrunnlagExporter:
    """One exporter per process (its template is compiled once)."""
    return KunnskapsgrunnlagExporter()


def join_chapters(
    params: CountyParameters,
    executed: Sequence[tuple[ChapterSpec, Path | Mapping[str, Any]]],
    run_info: Mapping[str, Any],
) -> dict[str, Any]:
    """One notebook of a county's executed chapters, in order, for the exporter."""
    cells: list[dict[str, Any]] = []
    chapters = []
    for spec, source in executed:
        nb = read_notebook(source)
        chapters.append(dataclasses.asdict(spec))
        for cell in nb.get("cells", []):
            meta = {**(cell.get("metadata") or {}), KEY: {"chapter": spec.id}}
            cells.append({**cell, "metadata": meta})
    report = {
        "parameters": params.model_dump(mode="json"),
        "assessments": {k: str(v) for k, v in params.assessment_files().items()},
        "run_info": dict(run_info),
        "chapters": chapters,
    }
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {KEY: {"report": report}},
        "cells": cells,
    }


def export_county(
    params: CountyParameters,
    executed: Sequence[tuple[ChapterSpec, Path | Mapping[str, Any]]],
    run_info: Mapping[str, Any],
) -> tuple[str, list[tuple[str, str]]]:
    """The county's report page through the exporter, and the key figures for the portal."""
    page, resources = exporter().from_notebook_node(join_chapters(params, executed, run_info))
    return page, resources[KEY]["headlines"]


def _report_of(nb: Mapping[str, Any], resources: Mapping[str, Any]) -> tuple[Any, list, dict]:
    """Parameters, ``(chapter, notebook)`` pairs and run information of *nb*."""
    from kunnskapsgrunnlag.contents import ChapterSpec
    from kunnskapsgrunnlag.params import CountyParameters

    meta = (nb.get("metadata") or {}).get(KEY) or {}
    report = meta.get("report")
    if report is None:
        return _single_chapter(nb, meta, resources)
    params = CountyParameters.model_validate(report["parameters"])
    # checked when the parameter file was read; a private attribute does not survive the dump
    params._assessment_files = {k: Path(v) for k, v in (report.get("assessments") or {}).items()}
    executed = []
    for chapter in report["chapters"]:
        spec = ChapterSpec(**chapter)
        cells = [
            c
            for c in nb["cells"]
            if ((c.get("metadata") or {}).get(KEY) or {}).get("chapter") == spec.id
        ]
        executed.append((spec, {"nbformat": 4, "metadata": {}, "cells": cells}))
    return params, executed, dict(report["run_info"])


_CHAPTER_START = re.compile(r'class="kg-chapter-start" data-kg-chapter="([^"]+)"')


def _chapter_id(nb: Mapping[str, Any], resources: Mapping[str, Any]) -> str:
    """The chapter a notebook shows: from its ``Chapter`` output, else from its file name."""
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            m = _CHAPTER_START.search(str((out.get("data") or {}).get("text/html", "")))
            if m:
                return m.group(1)
    return (resources.get("metadata") or {}).get("name") or "kapittel"


def _single_chapter(
    nb: Mapping[str, Any], meta: Mapping[str, Any], resources: Mapping[str, Any]
) -> tuple[Any, list, dict]:
    """One executed chapter notebook: its county's parameters and a run line for today."""
    from datetime import date

    from kunnskapsgrunnlag import __version__, contents
    from kunnskapsgrunnlag.params import file_for, load_parameters

    given = (
        meta.get("parameters")
        or ((nb.get("metadata") or {}).get("papermill") or {}).get("parameters")
        or {}
    )
    code = given.get("county_code")
    if not code:
        raise ReportError(
            "this notebook has no county parameters (metadata kunnskapsgrunnlag.parameters or "
            "papermill.parameters); execute it with kg run or papermill -f parameters/<fylke>.yaml"
        )
    params = load_parameters(file_for(str(code).zfill(2)))
    if given.get("written_standard") in {"nb", "nn"}:
        params = params.model_copy(update={"written_standard": given["written_standard"]})
    chapter_id = meta.get("chapter") or _chapter_id(nb, resources)
    try:
        spec = contents.get(chapter_id)
    except KeyError:
        spec = contents.ChapterSpec(
            id=chapter_id, order=999, notebook="", title_nb=chapter_id, title_nn=chapter_id
        )
    info = {"date": date.today().isoformat(), "data_source": given.get("data_source", "snapshot"),
            "version": __version__, "commit": ""}  # fmt: skip
    return params, [(spec, dict(nb))], info
