"""The «Definisjoner»/«Definisjonar» appendix of a report, for the indicators it shows."""

from __future__ import annotations

import html

from kunnskapsgrunnlag.indicators.registry import get

_LABELS = {
    "heading": {"nb": "Definisjoner", "nn": "Definisjonar"},
    "intro": {
        "nb": "Definisjoner, enheter og kilder for indikatorene som er vist i rapporten. "
        "Tallene er hentet fra Statistisk sentralbyrå (SSB), lisens CC BY 4.0.",
        "nn": "Definisjonar, einingar og kjelder for indikatorane som er viste i rapporten. "
        "Tala er henta frå Statistisk sentralbyrå (SSB), lisens CC BY 4.0.",
    },
    "unit": {"nb": "Enhet", "nn": "Eining"},
    "source": {"nb": "Kilde", "nn": "Kjelde"},
    "caveats": {"nb": "Merknader", "nn": "Merknader"},
}


def _see(name: str, lang: str) -> str:
    """A note said once: «Som for …» instead of the same paragraph again."""
    return {"nb": f"Som for «{name}» over.", "nn": f"Som for «{name}» over."}[lang]


def definitions_html(ids: list[str], lang: str) -> str:
    """Render the definitions appendix for the indicators a report shows.

    Args:
        ids: registry ids, in the order they first appear in the report (repeats are dropped).
        lang: ``"nb"`` or ``"nn"``.

    Returns:
        ``<section class="kg-definitions">`` with the heading «Definisjoner» (nb) or
        «Definisjonar» (nn) (``id="definisjoner"``) and one ``<dl>`` per indicator: name,
        definition, unit, source (the table; the query is in ``data-kg-query``) and caveats
        (when there are any; a caveat already shown for an earlier indicator is referred to, not
        repeated).

    Raises:
        ValueError: *lang* is not nb/nn.
        KeyError: an id has no registry entry.
    """
    if lang not in ("nb", "nn"):
        raise ValueError(f"lang must be 'nb' or 'nn', got {lang!r}")
    seen: list[str] = []
    for i in ids:
        if i not in seen:
            seen.append(i)
    parts = [
        '<section class="kg-definitions">',
        f'<h2 class="kg-heading kg-chapter" id="definisjoner">{_LABELS["heading"][lang]}</h2>',
        f'<p class="kg-definitions-intro">{html.escape(_LABELS["intro"][lang])}</p>',
    ]
    e = html.escape
    first_with: dict[str, str] = {}  # caveat text -> name of the first indicator carrying it
    for i in seen:
        ind = get(i)
        rows = [
            f'<dt class="kg-definition-name">{e(ind.name(lang))}</dt>',
            f"<dd>{e(ind.definition(lang))}</dd>",
            f"<dt>{_LABELS['unit'][lang]}</dt><dd>{e(ind.unit(lang))}</dd>",
            f"<dt>{_LABELS['source'][lang]}</dt><dd>{e(ind.source_reader(lang))}</dd>",
        ]
        caveat = ind.caveats(lang)
        if caveat:
            shown = caveat if caveat not in first_with else _see(first_with[caveat], lang)
            first_with.setdefault(caveat, ind.name(lang))
            rows.append(f"<dt>{_LABELS['caveats'][lang]}</dt><dd>{e(shown)}</dd>")
        parts.append(
            f'<dl class="kg-definition" id="definisjon-{e(ind.id.replace("_", "-"))}" '
            f'data-kg-indicator="{e(ind.id)}" data-kg-query="{e(ind.source.query, quote=True)}">'
            + "".join(rows)
            + "</dl>"
        )
    parts.append("</section>")
    return "\n".join(parts)
