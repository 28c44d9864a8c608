"""HTML report building: one self-contained page per county, and the portal page (flat face).

:func:`build_county_report` turns a county's executed chapter notebooks into one HTML file for
county leaders; :func:`build_portal` writes ``outputs/reports/index.html`` linking every county.

How a report is made. Chapter notebooks show everything through
:class:`kunnskapsgrunnlag.publish.Chapter`, which displays small HTML fragments (``text/html``
display data whose root element has a ``kg-*`` class). The builder reads each executed notebook as
JSON and keeps, in order, exactly those fragments and the markdown cells; it drops the code, the
``parameters`` and ``injected-parameters`` cells, stdout/stderr, warnings, errors and any other
output (a stray ``df`` or ``plt.show()`` is logged, never shown). It then numbers figures
(«Figur 1.») and tables («Tabell 1.») across chapters, gives every ``h2``/``h3`` a unique id and
links it from the table of contents («Innhold»/«Innhald»), appends the definitions appendix from
the indicator registry (ids collected from ``data-kg-indicators``), and wraps it all in a front
page and a footer with sources, licence, version and commit.

Through nbconvert, with a template of our own. The page is published by the nbconvert exporter
``kunnskapsgrunnlag`` (:mod:`.exporter`; ``jupyter nbconvert --to kunnskapsgrunnlag`` for one
executed chapter): ``kg run`` joins a county's chapter notebooks into one notebook and exports it
in process. nbconvert's own HTML templates are not used: they show code, add ~270 KiB of CSS,
load require.js and MathJax from a CDN unless blanked, default to ``lang="en"`` and generic alt
text, and do no contents list, numbering or captions. So the exporter's template
(``templates/kunnskapsgrunnlag/index.html.j2``) is only the page shell with a ~9 KiB stylesheet
(``report.css``, system fonts), and the body is built here from the fragments. Notebooks are read
with :mod:`json` (``nbformat`` only for a notebook that is not format v4). The worker imports the
exporter while its kernel warms up, so nbconvert's import (0.5–1.5 s) costs a batch nothing. The
page carries a Content-Security-Policy that forbids loading anything but embedded ``data:``
images, and the builder refuses (:class:`ReportError`) any page that would load an external
resource, any image without real alt text, and any page over :data:`MAX_BYTES`. Every figure
carries «Tall bak figuren» (:mod:`kunnskapsgrunnlag.publish.figdata`); ``kg run --pdf`` prints
each page to a PDF (:mod:`.pdf`).

Markdown cells are shown (headings shifted one level down, raw HTML escaped) unless tagged
``remove-cell``/``kg-skip``; a markdown cell whose metadata has ``"lang": "nb"`` or ``"nn"`` is
shown only in reports in that written standard.

When chapters emit barometer rows (``Chapter.barometer``), the report's first section after the
front page is «Utfordringer og muligheter»: one table of every chapter's rows, the rule for the
verdicts and computed summary sentences. The portal shows the key figures chapters emit with
``Chapter.headline`` (read by :func:`headlines`); this layer never imports a chapter.

Modules: ``fragments`` (reading notebooks, the ``kg-*`` fragments and the data they carry),
``checks`` (self-contained, alt text, size), ``runinfo`` (dates, data and version lines),
``shell`` (template, stylesheet, footer), ``page`` (the county report), ``barometer`` (its first
section), ``portal`` (``index.html``).
"""

from __future__ import annotations

from kunnskapsgrunnlag.publish.report.checks import (
    MAX_BYTES,
    NBCONVERT_ALT,
    check_images,
    check_self_contained,
    check_size,
)
from kunnskapsgrunnlag.publish.report.fragments import (
    SKIP_TAGS,
    ReportError,
    barometer_rows,
    chapter_fragments,
    headlines,
    indicator_ids,
    read_notebook,
    source_tables,
)
from kunnskapsgrunnlag.publish.report.page import (
    build_county_report,
    publish_county_report,
    render_county_report,
)
from kunnskapsgrunnlag.publish.report.portal import build_portal, render_portal
from kunnskapsgrunnlag.publish.report.runinfo import (
    council_name,
    data_sentence,
    format_date,
    snapshot_dates,
)
from kunnskapsgrunnlag.publish.report.shell import (
    DOC_TITLE,
    LICENCE,
    LICENCE_URL,
    PORTAL_TITLE,
    STATBANK_URL,
    TEMPLATES,
)

__all__ = [
    "DOC_TITLE",
    "LICENCE",
    "LICENCE_URL",
    "MAX_BYTES",
    "NBCONVERT_ALT",
    "PORTAL_TITLE",
    "SKIP_TAGS",
    "STATBANK_URL",
    "TEMPLATES",
    "ReportError",
    "barometer_rows",
    "build_county_report",
    "build_portal",
    "chapter_fragments",
    "check_images",
    "check_self_contained",
    "check_size",
    "council_name",
    "data_sentence",
    "format_date",
    "headlines",
    "publish_county_report",
    "indicator_ids",
    "read_notebook",
    "render_county_report",
    "render_portal",
    "snapshot_dates",
    "source_tables",
]
