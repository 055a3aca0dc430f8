"""The story report: each story told once, as JSON, Markdown and static HTML.

:func:`story_report` gathers, for one story, what the reader needs: headline, attributed
summary (:mod:`newsfold.summary`), "N articles from M outlets, K independent sources", facts with
conflicts (:mod:`newsfold.facts`), the quotations compared, the reuse tree, the sources table and
the timeline (articles by publication time, and the dated events their texts mention).
:func:`assemble` puts the stories in one JSON-ready dict (schema :data:`SCHEMA`, documented in
``docs/report-schema.md``); the engine builds it (``LocalEngine.report``).
:func:`write` renders it: ``report.json``; ``index.md`` and ``stories/ID.md``; ``index.html``
and ``stories/ID.html`` (one folder, no script, no network, every article text escaped).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from newsfold.article import Article
from newsfold.dates import effective_date, mentioned_dates
from newsfold.describe import Story
from newsfold.facts import StoryFacts
from newsfold.summary import Summarizer, lead_summary
from newsfold.trees import reuse_trees

__all__ = [
    "FORMATS",
    "SCHEMA",
    "article_names",
    "assemble",
    "members_key",
    "page_name",
    "story_report",
    "write",
]

#: The report's JSON schema name and version.
SCHEMA = "newsfold.report/1"
#: Version of what a stored story report holds: older ones are built again.
VERSION = 1
FORMATS = ("html", "md", "json")


def assemble(stories: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The report of ``stories`` (each as :func:`story_report` builds it): largest first, and
    among stories of one size the most recent first (then by id: the order never depends on
    the order the stories were built in)."""
    out = sorted(stories, key=lambda s: s["id"])
    out.sort(key=lambda s: s["last"] or s["first"] or "", reverse=True)
    out.sort(key=lambda s: -s["counts"]["articles"])
    return {
        "schema": SCHEMA,
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "stories": out,
    }


def _root_note(tree: dict[str, Any]) -> str:
    """How a reuse tree's root is labelled: the likely original only with evidence."""
    return "likely original" if tree.get("original") else "direction unknown"


def _edge_text(edge: dict[str, Any], short: Mapping[str, str]) -> str:
    """A reuse edge in words: ``copy: rewrite of source`` with evidence, else undirected."""
    if edge.get("direction") == "evidence":
        return f"{short.get(edge['copy'])}: {edge['relation']} of {short.get(edge['source'])}"
    return (
        f"{short.get(edge['child'])} ↔ {short.get(edge['parent'])}: {edge['relation']}, "
        "direction unknown"
    )


def story_report(
    story: Story,
    articles: Mapping[str, Article],
    facts: StoryFacts | None,
    relations: Sequence[dict[str, Any]],
    summarizer: Summarizer | None,
    vectors: Mapping[str, NDArray[np.float32]] | None = None,
    *,
    lead_words: int | None = None,
) -> dict[str, Any]:
    """One story's part of the report. ``articles``: its members; ``facts``: its reconciled
    facts and ``summarizer`` its summariser (both None for a one-article story: nothing to
    compare: its lead is its summary, of ``lead_words`` words when given, else three
    sentences); ``relations``: the derived relations among the members; ``vectors``: their
    cached sentence vectors, for the summary."""
    trees = reuse_trees(relations)
    # All articles of one reuse tree are one source (whatever is known of its direction).
    root_of = {e["child"]: t["root"] for t in trees for e in t["edges"]}
    when = {i: effective_date(a) for i, a in articles.items()}
    ordered = sorted(
        articles.values(),
        key=lambda a: (when[a.id] is None, when[a.id] or datetime.min.replace(tzinfo=UTC)),
    )
    groups = facts.groups if facts is not None else []
    conflicts = [g for g in groups if g.status == "conflict"]
    if summarizer is not None:
        summary = summarizer.summarize(ordered, root_of, conflicts, vectors)
    else:  # one article: its lead, as its writer chose it
        summary = [
            s
            for a in ordered
            for s in (
                lead_summary(a)
                if lead_words is None
                else lead_summary(a, len(a.spans), words=lead_words)
            )
        ]
    outlets = {m.source for m in story.members if m.source}
    # A suspect publication date is left out, and so are the dates resolved against it
    # ("Monday"): only the full dates its text writes are kept.
    suspect = {m.article for m in story.members if m.date_suspect}
    timeline: list[dict[str, Any]] = [
        {"when": m.published.isoformat(), "kind": "published", "article": m.article,
         "text": m.title or ""}
        for m in story.members
        if m.effective
    ]  # fmt: skip
    seen_days = set()
    for claims in facts.claims if facts is not None else []:
        for d in claims.dates:
            if d.resolved is None or (d.resolved, d.text.casefold()) in seen_days:
                continue
            if claims.article in suspect and not mentioned_dates(d.text, limit=1):
                continue
            seen_days.add((d.resolved, d.text.casefold()))
            text = articles[claims.article].text[d.sentence[0] : d.sentence[1]]
            timeline.append(
                {"when": d.resolved.isoformat(), "kind": "mentioned", "article": claims.article,
                 "text": " ".join(text.split())}
            )  # fmt: skip
    timeline.sort(key=lambda e: (e["when"], e["kind"] != "published", e["article"]))
    shown = [g.to_dict(facts.texts) for g in groups] if facts is not None else []
    return {
        "id": story.id,
        "headline": story.label,
        "entities": story.entities,
        "first": story.first.isoformat() if story.first else None,
        "last": story.last.isoformat() if story.last else None,
        "suspect_dates": [
            {"article": m.article, "published": m.published.isoformat(), **m.dates.to_dict()}
            for m in story.members
            if m.date_suspect and m.published and m.dates
        ],
        "languages": story.languages,
        "counts": {
            "articles": story.size,
            "outlets": len(outlets),
            "independent_sources": story.sources,
        },
        "summary": [s.to_dict() for s in summary],
        "facts": [g for g in shown if g["kind"] != "quote"],
        "quotes": [g for g in shown if g["kind"] == "quote"],
        "reuse": trees,
        "sources": [m.to_dict() for m in story.members],
        "timeline": timeline,
        "texts": {i: a.text for i, a in articles.items()},
    }


def page_name(story_id: str) -> str:
    """The file name (without extension) of a story's page: its id when the id is a plain
    name, else the id's safe characters and a digest of it (ids come from users' records and may
    hold ``/``, ``..`` or characters a file system refuses)."""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,100}", story_id) and ".." not in story_id:
        return story_id
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", story_id).strip("-")[:60]
    return f"{safe}-{hashlib.sha1(story_id.encode('utf-8')).hexdigest()[:10]}"


def members_key(ids: Iterable[str], summary_words: int | None = None) -> str:
    """The key a stored story report is kept under: a digest of its members' ids and of the
    summary's length in words (a story whose members changed, or asked for at another length,
    is reported anew)."""
    text = "\n".join(sorted(ids))
    if summary_words is not None:  # the default length keeps the key reports were stored under
        text += f"\n\x00words={summary_words}"
    return hashlib.sha1(text.encode()).hexdigest()


def write(report: dict[str, Any], out: Path, formats: Iterable[str] = FORMATS) -> Path:
    """Render ``report`` into the folder ``out``; returns the entry file (``index.html`` when
    HTML is written, else ``index.md``, else ``report.json``)."""
    formats = set(formats)
    unknown = formats - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown report format(s): {', '.join(sorted(unknown))}")
    (out / "stories").mkdir(parents=True, exist_ok=True)
    entry = out / "report.json"
    if "json" in formats:
        public = {**report, "stories": [_public(s) for s in report["stories"]]}
        entry.write_text(json.dumps(public, ensure_ascii=False, indent=1), encoding="utf-8")
    if "md" in formats:
        (out / "index.md").write_text(_md_index(report), encoding="utf-8")
        for story in report["stories"]:
            page = out / "stories" / f"{page_name(story['id'])}.md"
            page.write_text(_md_story(story), encoding="utf-8")
        entry = out / "index.md"
    if "html" in formats:
        (out / "index.html").write_text(_html_index(report), encoding="utf-8")
        for story in report["stories"]:
            page = out / "stories" / f"{page_name(story['id'])}.html"
            page.write_text(_html_story(story), encoding="utf-8")
        entry = out / "index.html"
    return entry


def _public(story: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in story.items() if k != "texts"}


# -- Markdown


def _md(text: str | None) -> str:
    """Text safe inside a Markdown table cell or line."""
    return (text or "").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def _counts(story: dict[str, Any]) -> str:
    c = story["counts"]
    return (
        f"{_n(c['articles'], 'article')} from {_n(c['outlets'], 'outlet')}, "
        f"{_n(c['independent_sources'], 'independent source')}"
    )


def _n(count: int, noun: str) -> str:
    """``1 article``, ``3 articles``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _span(story: dict[str, Any]) -> str:
    """The story's dates, saying how many suspect publication dates were set aside."""
    first, last = (story["first"] or "")[:10], (story["last"] or "")[:10]
    span = first if first == last else f"{first} to {last}"
    suspect = len(story.get("suspect_dates", []))
    if suspect:
        span += f"{' ' if span else ''}({_n(suspect, 'suspect publication date')} set aside)"
    return span


def _md_index(report: dict[str, Any]) -> str:
    lines = [
        "# Stories\n",
        f"Generated {report['generated']} by newsfold ({report['schema']}).\n",
        "| story | articles | sources | dates | languages |",
        "|---|---:|---:|---|---|",
    ]
    for s in report["stories"]:
        lines.append(
            f"| [{_md(s['headline'])}](stories/{page_name(s['id'])}.md) | "
            f"{s['counts']['articles']} | {s['counts']['independent_sources']} | {_span(s)} | "
            f"{', '.join(s['languages'])} |"
        )
    return "\n".join(lines) + "\n"


def _md_story(s: dict[str, Any]) -> str:
    short = article_names(s)
    lines = [f"# {_md(s['headline'])}\n", f"{_counts(s)}; {_span(s)}.\n"]
    lines += [f"**Suspect date:** {_md(line)}\n" for line in _suspect_lines(s, short)]
    lines.append("## Summary\n")
    for sent in s["summary"]:
        cites = ", ".join(short[c["article"]] for c in sent["citations"])
        flag = " *(one source only)*" if sent["single_source"] else ""
        note = f" **Note:** {_md(sent['note'])}." if sent["note"] else ""
        lines.append(f"- {_md(sent['text'])} [{_md(cites)}]{flag}{note}")
    lines += ["", "## Facts\n", "| fact | status | per source |", "|---|---|---|"]
    for g in s["facts"] + s["quotes"]:
        if g["kind"] == "entity" and g["status"] == "consistent":
            continue
        per = "<br>".join(
            f"{_md(short.get(c['article']))}: {_md(_value(g, c))}" for c in g["claims"]
        )
        status = f"**{g['status']}**" if g["status"] in ("conflict", "altered") else g["status"]
        note = f"<br>{_md(g['note'])}" if g["note"] else ""
        lines.append(f"| {g['kind']}: {_md(g['label'])}{note} | {status} | {per} |")
    lines += ["", "## Reuse\n"]
    for tree in s["reuse"]:
        lines.append(f"- {_md(short.get(tree['root']))} ({_root_note(tree)})")
        for e in tree["edges"]:
            lines.append(f"  - {_md(_edge_text(e, short))}, similarity {e['similarity']:.2f}")
    if not s["reuse"]:
        lines.append("No article copies another.")
    lines += ["", "## Sources\n", "| outlet | published | language | role | title |",
              "|---|---|---|---|---|"]  # fmt: skip
    for m in s["sources"]:
        role = f"{m['relation']} of {short.get(m['copy_of'])}" if m["copy_of"] else m["role"]
        lines.append(
            f"| {_md(m['source'])} | {_md(_published(m))} | {m['language'] or ''} | "
            f"{_md(role)} | {_md(m['title'])} |"
        )
    lines += ["", "## Timeline\n"]
    for e in s["timeline"]:
        what = "published" if e["kind"] == "published" else "mentioned"
        lines.append(
            f"- {e['when'][:16]} ({what}, {_md(short.get(e['article']))}): {_md(e['text'])}"
        )
    return "\n".join(lines) + "\n"


def _published(member: dict[str, Any]) -> str:
    """A member's publication date as the sources table shows it, marked when suspect."""
    shown = (member["published"] or "")[:16]
    return f"{shown} (suspect)" if member.get("published_suspect") else shown


def _suspect_lines(story: dict[str, Any], short: Mapping[str, str]) -> list[str]:
    """One sentence per member whose publication date its own text contradicts."""
    return [
        f"{short.get(d['article'], d['article'])} is dated {d['published'][:10]}, but "
        f"{d['reason']}; that date is not used for the story's dates, timeline or direction."
        for d in story.get("suspect_dates", [])
    ]


def article_names(story: dict[str, Any]) -> dict[str, str]:
    """How the report names each article: its outlet, with its id when outlets repeat."""
    outlets = [m["source"] for m in story["sources"]]
    return {
        m["id"]: (
            m["source"]
            if m["source"] and outlets.count(m["source"]) == 1
            else f"{m['source'] or 'article'} {m['id'][-6:]}"
        )
        for m in story["sources"]
    }


def _value(group: dict[str, Any], claim: dict[str, Any]) -> str:
    if group["kind"] == "number":
        return str(claim["quantity"]["display"])
    return f"“{claim['text']}”" if group["kind"] == "quote" else str(claim["text"])


# -- HTML

_CSS = """
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#222}
h1{font-size:1.5rem;line-height:1.25}h2{font-size:1.15rem;margin-top:2rem}
a{color:#0645ad}.meta{color:#555}.cite{font-size:.8rem;color:#555}
.single{font-size:.75rem;background:#eee;border-radius:3px;padding:0 .3rem}
.note{display:block;font-size:.85rem;color:#8a4b00}
table{border-collapse:collapse;width:100%;font-size:.9rem}
td,th{border-bottom:1px solid #ddd;padding:.35rem;text-align:left;vertical-align:top}
.conflict,.altered{color:#b00020;font-weight:600}.agree,.exact{color:#1b6e20}
.scroll{overflow-x:auto}.toc{display:flex;flex-wrap:wrap;gap:.4rem 1rem;font-size:.9rem}
.toc a{padding:.2rem 0}del{color:#b00020}ins{color:#1b6e20}.suspect{color:#8a4b00}
@media (max-width:600px){body{font-size:15px;padding:.6rem}td,th{padding:.25rem}}
"""


def _e(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _page(title: str, body: str, css_prefix: str = "") -> str:
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width,initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>{body}</body></html>\n"
    )


def _html_index(report: dict[str, Any]) -> str:
    rows = "".join(
        f'<tr><td><a href="stories/{_e(page_name(s["id"]))}.html">{_e(s["headline"])}</a></td>'
        f"<td>{s['counts']['articles']}</td><td>{s['counts']['independent_sources']}</td>"
        f"<td>{_e(_span(s))}</td><td>{_e(', '.join(s['languages']))}</td></tr>"
        for s in report["stories"]
    )
    body = (
        f"<h1>Stories</h1><p class=meta>{len(report['stories'])} stories; generated "
        f"{_e(report['generated'])} by newsfold.</p><div class=scroll><table><tr><th>story</th>"
        f"<th>articles</th><th>sources</th><th>dates</th><th>languages</th></tr>{rows}"
        "</table></div>"
    )
    return _page("newsfold stories", body)


#: The story page's sections, linked from the contents line under its headline.
_SECTIONS = ("summary", "facts", "reuse", "sources", "timeline")


def _html_story(s: dict[str, Any]) -> str:
    short = article_names(s)
    parts = [
        '<p><a href="../index.html">All stories</a></p>',
        f"<h1>{_e(s['headline'])}</h1><p class=meta>{_e(_counts(s))}; {_e(_span(s))}</p>",
        *(
            f"<p class=suspect><b>Suspect date:</b> {_e(line)}</p>"
            for line in _suspect_lines(s, short)
        ),
        "<nav class=toc>"
        + " ".join(f'<a href="#{k}">{k.title()}</a>' for k in _SECTIONS)
        + "</nav>",
        "<h2 id=summary>Summary</h2><ul>",
    ]
    for sent in s["summary"]:
        cites = ", ".join(f'<a href="#a-{_e(c["article"])}">{_e(short[c["article"]])}</a>'
                          for c in sent["citations"])  # fmt: skip
        single = " <span class=single>one source</span>" if sent["single_source"] else ""
        note = f"<span class=note>{_e(sent['note'])}</span>" if sent["note"] else ""
        parts.append(f"<li>{_e(sent['text'])} <span class=cite>[{cites}]</span>{single}{note}</li>")
    parts.append("</ul><h2 id=facts>Facts</h2><div class=scroll><table><tr><th>fact</th>"
                 "<th>status</th><th>per source</th></tr>")  # fmt: skip
    for g in s["facts"] + s["quotes"]:
        if g["kind"] == "entity" and g["status"] == "consistent":
            continue
        cells = []
        for c in g["claims"]:
            line = f"<b>{_e(short.get(c['article']))}</b>: {_e(_value(g, c))}"
            if c.get("sentence_text") and g["kind"] != "entity":
                line += f"<br><small>{_e(' '.join(c['sentence_text'].split()))}</small>"
            for d in c.get("diff", []):
                line += f"<br><del>{_e(d['from'])}</del> <ins>{_e(d['to'])}</ins>"
            cells.append(line)
        note = f"<span class=note>{_e(g['note'])}</span>" if g["note"] else ""
        parts.append(
            f"<tr><td>{_e(g['kind'])}: {_e(g['label'])}{note}</td>"
            f"<td class={_e(g['status'])}>{_e(g['status'])}</td><td>{'<br>'.join(cells)}</td></tr>"
        )
    parts.append("</table></div><h2 id=reuse>Reuse</h2><ul>")
    for tree in s["reuse"]:
        parts.append(f"<li>{_e(short.get(tree['root']))} ({_e(_root_note(tree))})<ul>")
        for e in tree["edges"]:
            parts.append(f"<li>{_e(_edge_text(e, short))}, similarity {e['similarity']:.2f}</li>")
        parts.append("</ul></li>")
    if not s["reuse"]:
        parts.append("<li>No article copies another.</li>")
    parts.append("</ul><h2 id=sources>Sources</h2><div class=scroll><table><tr><th>outlet</th>"
                 "<th>published</th><th>language</th><th>role</th><th>title</th></tr>")  # fmt: skip
    for m in s["sources"]:
        role = f"{m['relation']} of {short.get(m['copy_of'])}" if m["copy_of"] else m["role"]
        parts.append(
            f'<tr id="a-{_e(m["id"])}"><td>{_e(m["source"])}</td>'
            f"<td{' class=suspect' if m.get('published_suspect') else ''}>"
            f"{_e(_published(m))}</td><td>{_e(m['language'])}</td>"
            f"<td>{_e(role)}</td><td>{_e(m['title'])}</td></tr>"
        )
    parts.append("</table></div><h2 id=timeline>Timeline</h2><ul>")
    for e in s["timeline"]:
        parts.append(
            f"<li><b>{_e(e['when'][:16])}</b> ({_e(e['kind'])}, {_e(short.get(e['article']))}): "
            f"{_e(e['text'])}</li>"
        )
    parts.append("</ul>")
    return _page(s["headline"], "".join(parts))
