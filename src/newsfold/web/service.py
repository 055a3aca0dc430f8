"""The web app's service layer: what the pages and the JSON API both show, as plain dicts.

:class:`Service` opens the store once per thread (SQLite connections are not shared across
threads; WAL lets readers run while an ingest job writes) and answers:

* :meth:`Service.stories`: stories with full-text search (FTS5 over the member articles' titles
  and texts, best match first), filters (date range, outlet, language, minimum size) and paging;
* :meth:`Service.story`: a story's report (summary with citations, facts, quotations, reuse
  tree, sources, timeline), read from the store when stored, built and stored when not;
* :meth:`Service.articles` / :meth:`Service.article`: articles, and one article with its text
  cut into segments marked as number claims, quotations and sentences reused with other
  articles, and the articles it copies or is copied by;
* :meth:`Service.compare`: two articles aligned sentence by sentence, with word diffs;
* :meth:`Service.claims`: an article's claims.

Nothing here renders HTML: templates escape what they show, the API serialises the same dicts.
"""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from newsfold.relations import DERIVED
from newsfold.store import Store, quote_terms

__all__ = ["PER_PAGE", "Filters", "NotFound", "Service"]

PER_PAGE = 20
MAX_PER_PAGE = 100


class NotFound(LookupError):
    """No story or article has this id."""


@dataclass(frozen=True, slots=True)
class Filters:
    """What the stories list is narrowed to; every field is optional."""

    q: str = ""
    since: date | None = None
    until: date | None = None
    source: str | None = None
    language: str | None = None
    min_size: int = 1


class Service:
    """Read views of the store at ``db`` (see the module docstring)."""

    def __init__(self, db: str | Path) -> None:
        self.db = Path(db)
        self._local = threading.local()
        self._opened: list[Store] = []
        self._lock = threading.Lock()
        with self._lock:  # open (and migrate) once here, so a bad file fails at start
            self._opened.append(Store(self.db))
            self._local.store = self._opened[-1]

    @property
    def store(self) -> Store:
        """This thread's connection to the store."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.db)
            self._local.store = store
            with self._lock:
                self._opened.append(store)
        return store

    def close(self) -> None:
        with self._lock:
            for store in self._opened:
                with contextlib.suppress(sqlite3.ProgrammingError):  # another thread's
                    store.close()
            self._opened.clear()

    # -- stories
    def stories(self, filters: Filters, page: int = 1, per_page: int = PER_PAGE) -> dict[str, Any]:
        """One page of stories: ``{"total", "page", "pages", "per_page", "items"}``; items are
        ordered by search rank when searching, else by size and then most recent."""
        per_page = max(1, min(per_page, MAX_PER_PAGE))
        page = max(1, page)
        where, params = ["n >= ?"], [max(1, filters.min_size)]
        member_filters = []
        if filters.since is not None:
            member_filters.append("a.published_utc >= ?")
            params.append(filters.since.isoformat())
        if filters.until is not None:
            member_filters.append("a.published_utc < date(?, '+1 day')")
            params.append(filters.until.isoformat())
        if filters.source:
            member_filters.append("a.source = ?")
            params.append(filters.source)
        if filters.language:
            member_filters.append("a.language = ?")
            params.append(filters.language)
        if member_filters:
            where.append(
                "EXISTS (SELECT 1 FROM story_members m2 JOIN articles a ON a.id = m2.article "
                f"WHERE m2.story = agg.story AND {' AND '.join(member_filters)})"
            )
        base = (
            "WITH agg AS (SELECT m.story, count(*) AS n, min(a.published_utc) AS first, "
            "max(a.published_utc) AS last FROM story_members m JOIN articles a "
            "ON a.id = m.article GROUP BY m.story)"
        )
        query = filters.q.strip()
        if query:
            # bm25() cannot sit inside an aggregate: rank the matches first, then per story.
            hits = (
                ", fts AS MATERIALIZED (SELECT rowid, bm25(articles_fts, 5.0, 1.0) AS r "
                "FROM articles_fts WHERE articles_fts MATCH ?), "
                "hits AS (SELECT m.story, min(fts.r) AS r FROM fts JOIN articles a "
                "ON a.seq = fts.rowid JOIN story_members m ON m.article = a.id GROUP BY m.story)"
            )
            sql = f"{base}{hits} SELECT agg.story, n, first, last FROM agg JOIN hits USING (story)"
            order = "hits.r, agg.story"
        else:
            sql = f"{base} SELECT agg.story, n, first, last FROM agg"
            order = "n DESC, last IS NULL, last DESC, agg.story"
        sql += f" WHERE {' AND '.join(where)}"
        rows, total = self._page(sql, order, query, params, page, per_page)
        return {
            "total": total,
            "page": page,
            "per_page": per_page,
            "pages": max(1, -(-total // per_page)),
            "items": self._story_items(rows),
        }

    def _page(
        self, sql: str, order: str, query: str, params: list[Any], page: int, per_page: int
    ) -> tuple[list[tuple[Any, ...]], int]:
        def run(match: str | None) -> tuple[list[tuple[Any, ...]], int]:
            head = [match] if match is not None else []
            count = self.store.select(f"SELECT count(*) FROM ({sql})", [*head, *params])[0][0]
            rows = self.store.select(
                f"{sql} ORDER BY {order} LIMIT ? OFFSET ?",
                [*head, *params, per_page, (page - 1) * per_page],
            )
            return rows, int(count)

        if not query:
            return run(None)
        try:  # FTS5 syntax when the query is valid FTS5, else its words
            self.store.select("SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? LIMIT 1",
                              [query])  # fmt: skip
        except sqlite3.OperationalError:
            query = quote_terms(query)
        return run(query)

    def _story_items(self, rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
        if not rows:
            return []
        ids = [r[0] for r in rows]
        marks = ",".join("?" * len(ids))
        reports = {
            story: (headline, sources, outlets)
            for story, headline, sources, outlets in self.store.select(
                "SELECT story, json_extract(data, '$.headline'), "
                "json_extract(data, '$.counts.independent_sources'), "
                "json_extract(data, '$.counts.outlets') "
                f"FROM story_reports WHERE story IN ({marks})",
                ids,
            )
        }
        facets: dict[str, dict[str, Any]] = {i: {"sources": set(), "languages": set()} for i in ids}
        titles: dict[str, str] = {}
        for story, source, language, title in self.store.select(
            "SELECT m.story, a.source, a.language, a.title FROM story_members m "
            f"JOIN articles a ON a.id = m.article WHERE m.story IN ({marks}) ORDER BY m.seq",
            ids,
        ):
            if source:
                facets[story]["sources"].add(source)
            if language:
                facets[story]["languages"].add(language)
            if title and story not in titles:
                titles[story] = title
        items = []
        for story, n, first, last in rows:
            headline, independent, outlets = reports.get(story, (None, None, None))
            items.append(
                {
                    "id": story,
                    "headline": headline or titles.get(story) or story,
                    "articles": int(n),
                    "outlets": outlets if outlets is not None else len(facets[story]["sources"]),
                    "independent_sources": independent,
                    "first": first,
                    "last": last,
                    "sources": sorted(facets[story]["sources"]),
                    "languages": sorted(facets[story]["languages"]),
                }
            )
        return items

    def facets(self) -> dict[str, list[str]]:
        """The outlets and languages stored, for the filter menus."""
        sources = self.store.select(
            "SELECT DISTINCT source FROM articles WHERE source IS NOT NULL ORDER BY source"
        )
        languages = self.store.select(
            "SELECT DISTINCT language FROM articles WHERE language IS NOT NULL ORDER BY language"
        )
        return {"sources": [r[0] for r in sources], "languages": [r[0] for r in languages]}

    def story_id(self, ref: str) -> str:
        """The story named by ``ref``: a story id, or the id of one of its articles."""
        rows = self.store.select(
            "SELECT story FROM story_members WHERE story = ? OR article = ? LIMIT 1", [ref, ref]
        )
        if not rows:
            raise NotFound(f"no story {ref!r}")
        return str(rows[0][0])

    def story(self, ref: str) -> dict[str, Any]:
        """The story's report (schema ``newsfold.report/1``, article texts included), with
        each summary citation's supporting sentence as ``text``."""
        from newsfold.report.stories import build

        story_id = self.story_id(ref)
        report = build(self.store, [story_id])["stories"][0]
        texts = report.get("texts", {})
        for sentence in report["summary"]:
            for c in sentence["citations"]:
                c["text"] = " ".join(texts.get(c["article"], "")[c["start"] : c["end"]].split())
        return report

    # -- articles
    def articles(
        self, q: str = "", source: str | None = None, language: str | None = None,
        page: int = 1, per_page: int = PER_PAGE,
    ) -> dict[str, Any]:  # fmt: skip
        """One page of articles, newest first, or best match first when searching."""
        per_page = max(1, min(per_page, MAX_PER_PAGE))
        page = max(1, page)
        where, params = [], []
        if source:
            where.append("a.source = ?")
            params.append(source)
        if language:
            where.append("a.language = ?")
            params.append(language)
        cols = "a.id, a.title, a.source, a.published, a.language, m.story"
        join = "FROM articles a LEFT JOIN story_members m ON m.article = a.id"
        if q.strip():
            sql = (
                f"SELECT {cols} FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid "
                "LEFT JOIN story_members m ON m.article = a.id WHERE articles_fts MATCH ?"
                + "".join(f" AND {w}" for w in where)
            )
            order = "bm25(articles_fts, 5.0, 1.0), a.seq"
        else:
            sql = f"SELECT {cols} {join}" + (f" WHERE {' AND '.join(where)}" if where else "")
            order = "a.published_utc IS NULL, a.published_utc DESC, a.seq DESC"
        rows, total = self._page(sql, order, q.strip(), params, page, per_page)
        keys = ("id", "title", "source", "published", "language", "story")
        return {
            "total": total,
            "page": page,
            "per_page": per_page,
            "pages": max(1, -(-total // per_page)),
            "items": [dict(zip(keys, r, strict=True)) for r in rows],
        }

    def article(self, ref: str) -> dict[str, Any]:
        """One article: fields, story, reuse relations with the other articles, its claims and
        its text cut into marked segments (see :func:`segments`)."""
        article = self.store.get(ref)
        if article is None:
            raise NotFound(f"no article {ref!r}")
        story = self.store.select("SELECT story FROM story_members WHERE article = ?", [article.id])
        claims = self.claims(article.id)
        relations = []
        marks: list[tuple[int, int, str, str]] = []
        titles = dict(
            self.store.select(
                "SELECT id, coalesce(title, id) FROM articles WHERE id IN "
                "(SELECT b FROM relations WHERE a = ? UNION SELECT a FROM relations WHERE b = ?)",
                [article.id, article.id],
            )
        )
        for rel in self.store.relations(article.id):
            side, other_side = ("a", "b") if rel["a"] == article.id else ("b", "a")
            other = rel[other_side]
            source = rel.get("source")
            direction = (
                "copies" if source == other else "copied by" if source == article.id else "shares"
            )
            relations.append(
                {
                    "article": other,
                    "title": titles.get(other, other),
                    "relation": rel["relation"],
                    "derived": rel["relation"] in DERIVED,
                    "direction": direction,
                    "similarity": rel["similarity"],
                    "coverage": rel[f"coverage_{side}"],
                    "sentences": len(rel.get("pairs", [])),
                }
            )
            for pair in rel.get("pairs", []):
                marks.append((pair[side]["start"], pair[side]["end"], "reused", other))
        for n in claims["numbers"]:
            marks.append((n["start"], n["end"], "number", n["quantity"]["display"]))
        for quote in claims["quotes"]:
            marks.append((quote["start"], quote["end"], "quote", quote.get("speaker") or ""))
        relations.sort(key=lambda r: (not r["derived"], -r["similarity"], r["article"]))
        return {
            "id": article.id,
            "title": article.title,
            "source": article.source,
            "url": article.url,
            "published": article.published.isoformat() if article.published else None,
            "language": article.language,
            "author": article.author,
            "story": story[0][0] if story else None,
            "text": article.text,
            "segments": list(segments(article.text, marks)),
            "relations": relations,
            "claims": claims,
        }

    def claims(self, ref: str) -> dict[str, Any]:
        """The article's claims (numbers, quotes, people, dates), read once and then stored."""
        from newsfold.facts import article_claims

        article = self.store.get(ref)
        if article is None:
            raise NotFound(f"no article {ref!r}")
        return article_claims(self.store, [article.id])[0].to_dict()

    def compare(self, a: str, b: str) -> dict[str, Any]:
        """Articles ``a`` and ``b`` compared now: relation, direction, aligned sentences; an
        edited pair carries ``diff`` (the changes) and ``words`` (every word, with its op)."""
        from newsfold.align import word_ops
        from newsfold.relations import compare

        first, second = self.store.get(a), self.store.get(b)
        for ref, found in ((a, first), (b, second)):
            if found is None:
                raise NotFound(f"no article {ref!r}")
        assert first is not None and second is not None
        data = compare(first, second).to_dict(first, second)
        for pair in data["pairs"]:  # every word, changed or not, for side-by-side display
            if pair["kind"] == "edited":
                ops = word_ops(pair["a"]["text"], pair["b"]["text"])
                pair["words"] = [{"op": op, "a": old, "b": new} for op, old, new in ops]
        data["articles"] = {
            key: {"id": x.id, "title": x.title, "source": x.source, "language": x.language,
                  "published": x.published.isoformat() if x.published else None}
            for key, x in (("a", first), ("b", second))
        }  # fmt: skip
        return data

    def counts(self) -> dict[str, int]:
        articles, stories = self.store.select(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(DISTINCT story) FROM "
            "story_members)"
        )[0]
        return {"articles": int(articles), "stories": int(stories)}


def segments(text: str, marks: list[tuple[int, int, str, str]]) -> Iterator[dict[str, Any]]:
    """``text`` cut at every mark's ends into ``{"text", "kinds", "notes"}`` pieces: the kinds
    (``number``, ``quote``, ``reused``) covering each piece and their notes (the value, the
    speaker, the other article's id), so a page can highlight them without overlapping tags."""
    ends = (p for s, e, _, _ in marks for p in (s, e) if 0 <= p <= len(text))
    cuts = sorted({0, len(text), *ends})
    for start, end in itertools.pairwise(cuts):
        over = [(k, note) for s, e, k, note in marks if s <= start and end <= e]
        kinds = sorted({k for k, _ in over})
        notes = sorted({f"{k}:{note}" for k, note in over if note})
        yield {"text": text[start:end], "kinds": kinds, "notes": notes}
