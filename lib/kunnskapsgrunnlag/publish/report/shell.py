"""The page shell shared by the county reports and the portal: template, stylesheet, footer.

The builder uses a ~9 KiB stylesheet of its own (``templates/report.css``, system fonts) in a
:class:`string.Template` page shell (``templates/page.html``) that carries the
Content-Security-Policy.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from string import Template
from typing import Any

from kunnskapsgrunnlag.formatting import by_lang as _t
from kunnskapsgrunnlag.publish.report.runinfo import data_sentence, version_line

TEMPLATES = Path(__file__).with_name("templates")

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
def _template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def page(*, lang: str, title: str, body: str, body_class: str, commit: str = "") -> str:
    """The whole HTML page: *body* in the template with the stylesheet inlined.

    The git *commit* goes in the ``generator`` metadata, for developers; readers never see it.
    """
    from kunnskapsgrunnlag import __version__

    safe = "".join(c for c in str(commit or "").strip() if c.isalnum())[:40]

    return Template(_template("page.html")).substitute(
        lang=lang,
        title=html.escape(title),
        css=_template("report.css").strip(),
        body=body,
        body_class=body_class,
        generator=f"kunnskapsgrunnlag {__version__}" + (f" (git {safe})" if safe else ""),
    )


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
