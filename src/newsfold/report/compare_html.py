"""A comparison of two articles as one self-contained HTML page.

Every piece of article text goes through :func:`html.escape`: an article holding ``<script>``
renders as text. The page has no external resources (styles inline, no scripts), so it works
opened from disk and offline, and reads on a phone (the two columns stack on narrow screens).
"""

from __future__ import annotations

from html import escape

from newsfold.align import mark_changes
from newsfold.article import Article
from newsfold.relations import Relation

__all__ = ["render_comparison"]

_STYLE = """
body{font:16px/1.5 system-ui,sans-serif;margin:1rem auto;max-width:72rem;padding:0 1rem;color:#222}
h1{font-size:1.3rem}.meta{color:#555}
.pairs{display:grid;grid-template-columns:1fr 7rem 1fr;gap:.5rem}
.pairs>div{padding:.4rem;border-bottom:1px solid #ddd}.kind{color:#555;font-size:.85rem}
del{background:#fdd;text-decoration:line-through}ins{background:#dfd;text-decoration:none}
@media (max-width:40rem){.pairs{grid-template-columns:1fr}.kind{font-weight:bold}}
"""


def _diff(a: str, b: str) -> tuple[str, str]:
    return mark_changes(
        a, b, lambda w: f"<del>{escape(w)}</del>", lambda w: f"<ins>{escape(w)}</ins>", escape
    )


def _head(label: str, article: Article) -> str:
    when = article.published.date().isoformat() if article.published else "undated"
    return (
        f"<p><b>{label}</b> {escape(article.title or article.id)}<br>"
        f"<span class=meta>{escape(article.source or '?')} · {when} · "
        f"{escape(article.language or '?')} · {escape(article.id)}</span></p>"
    )


def render_comparison(relation: Relation, a: Article, b: Article) -> str:
    """The HTML page comparing ``a`` and ``b``."""
    d = relation.direction
    source = {"a": "A", "b": "B"}.get(d.source or "", "unknown")
    rows = []
    for p in relation.alignment.pairs:
        ta, tb = a.text[p.span_a[0] : p.span_a[1]], b.text[p.span_b[0] : p.span_b[1]]
        left, right = _diff(ta, tb) if p.kind == "edited" else (escape(ta), escape(tb))
        rows.append(
            f"<div>{left}</div><div class=kind>{escape(p.kind)}<br>{p.score:.2f}</div>"
            f"<div>{right}</div>"
        )
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width,initial-scale=1">'
        f"<title>newsfold: {escape(relation.kind)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{escape(relation.kind)} · similarity {relation.similarity:.2f}</h1>"
        f"{_head('A', a)}{_head('B', b)}"
        f"<p>A covered {relation.coverage_a:.0%} · B covered {relation.coverage_b:.0%} · "
        f"likely source: {source} ({escape('; '.join(d.reasons) or 'no evidence')})</p>"
        f"<div class=pairs>{''.join(rows)}</div></body></html>\n"
    )
