"""The page shell shared by the county reports and the portal: template, stylesheet, footer.

One template for every page: ``templates/kunnskapsgrunnlag/index.html.j2`` (Jinja, the template
of the nbconvert exporter ``kunnskapsgrunnlag``, :mod:`.exporter`) with a ~9 KiB stylesheet of
its own (``report.css``, system fonts) and the Content-Security-Policy. County reports go through
the exporter; the portal renders the same template with Jinja directly (no nbconvert import).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from kunnskapsgrunnlag.formatting import by_lang as _t
from kunnskapsgrunnlag.publish.report.runinfo import data_sentence, version_line

TEMPLATES = Path(__file__).with_name("templates")
TEMPLATE_DIR = TEMPLATES / "kunnskapsgrunnlag"
"""The template of the exporter and the portal (``index.html.j2``, ``report.css``, ``conf.json``)."""

LICENCE = {
    "nb": "Kilde: Statistisk sentralbyrå (SSB), CC BY 4.0. Kartdata: © Kartverket, CC BY 4.0",
    "nn": "Kjelde: Statistisk sentralbyrå (SSB), CC BY 4.0. Kartdata: © Kartverket, CC BY 4.0",
}
DOC_TITLE = "Regionalt kunnskapsgrunnlag"
DOC_TITLE_LOWER = "regionalt kunnskapsgrunnlag"  # after «Vestland fylkeskommune –»
PORTAL_TITLE = "Regionalt kunnskapsgrunnlag for fylkene"
STATBANK_URL = "https://www.ssb.no/statbank/table/{table}"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.no"


@cache
def _jinja_template() -> Any:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=False)  # noqa: S701
    return env.get_template("index.html.j2")


def page_parts(
    *, lang: str, title: str, body: str, body_class: str, commit: str = ""
) -> dict[str, str]:
    """What the page template shows (``resources["kunnskapsgrunnlag"]`` in the exporter).

    The git *commit* goes in the ``generator`` metadata, for developers; readers never see it.
    """
    from kunnskapsgrunnlag import __version__

    safe = "".join(c for c in str(commit or "").strip() if c.isalnum())[:40]
    return {
        "lang": lang,
        "title": title,
        "body": body,
        "body_class": body_class,
        "generator": f"kunnskapsgrunnlag {__version__}" + (f" (git {safe})" if safe else ""),
    }


def page(*, lang: str, title: str, body: str, body_class: str, commit: str = "") -> str:
    """The whole HTML page: *body* in the template with the stylesheet inlined (the portal)."""
    parts = page_parts(lang=lang, title=title, body=body, body_class=body_class, commit=commit)
    return _jinja_template().render(resources={"kunnskapsgrunnlag": parts})


def footer(lang: str, run_info: Mapping[str, Any], tables: Sequence[str] = ()) -> str:
    """Licence, the SSB tables used (linked), the data sentence and the version line."""
    lines = [
        f'<p>{html.escape(LICENCE[lang])}. <a href="{LICENCE_URL}">Om lisensen CC BY 4.0</a></p>'
    ]
    if tables:
        links = ", ".join(f'<a href="{STATBANK_URL.format(table=t)}">{t}</a>' for t in tables)
        lines.append(
            f"<p>{_t(lang, 'SSB-tabeller i rapporten', 'SSB-tabellar i rapporten')}: {links}.</p>"
        )
    lines.append(f"<p>{html.escape(data_sentence(run_info, lang, tables))}.</p>")
    lines.append(f"<p>{html.escape(version_line(run_info, lang))}</p>")
    return '<footer class="kg-footer">' + "".join(lines) + "</footer>"
