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

import bisect
import contextlib
import itertools
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from newsfold.article import Article
from newsfold.dates import date_check
from newsfold.relations import DERIVED
from newsfold.store import Store

__all__ = ["PER_PAGE", "Filters", "ListEntry", "NotFound", "Service"]

PER_PAGE = 20
MAX_PER_PAGE = 100
#: Story reports kept parsed in memory (a report holds its articles' texts: megabytes).
REPORT_CACHE = 32


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


@dataclass(frozen=True, slots=True)
class ListEntry:
    """A story as the stories list shows it, with what its filters look at."""

    id: str
    headline: str
    articles: int
    outlets: int
    independent_sources: int | None
    first: str | None
    last: str | None
    sources: frozenset[str]
    languages: frozenset[str]
    dates: tuple[str, ...]  # the members' publication times (UTC, ISO), sorted
    suspect_dates: int = 0  # members whose publication date their own text contradicts

    def matches(
        self, since: str | None, until: str | None, source: str | None, language: str | None,
        min_size: int,
    ) -> bool:  # fmt: skip
        """Whether the story passes the filters (``until``: exclusive)."""
        if self.articles < min_size:
            return False
        if (source and source not in self.sources) or (language and language not in self.languages):
            return False
        if since is None and until is None:
            return True
        k = bisect.bisect_left(self.dates, since) if since else 0
        return k < len(self.dates) and (until is None or self.dates[k] < until)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "headline": self.headline,
            "articles": self.articles,
            "outlets": self.outlets,
            "independent_sources": self.independent_sources,
            "first": self.first,
            "last": self.last,
            "sources": sorted(self.sources),
            "languages": sorted(self.languages),
            "suspect_dates": self.suspect_dates,
        }


@dataclass(frozen=True, slots=True)
class _Index:
    """Every story's list entry, the story of each article (by ``seq``), the default order."""

    version: tuple[Any, ...]
    stories: dict[str, ListEntry]
    story_of: dict[int, str]
    order: list[str]

    @classmethod
    def build(cls, store: Store, version: tuple[Any, ...]) -> _Index:
        members: dict[str, list[tuple[Any, ...]]] = {}
        story_of: dict[int, str] = {}
        for story, seq, source, language, published, title, article in store.story_index_rows():
            members.setdefault(story, []).append((source, language, published, title, article))
            story_of[seq] = story
        reports = {
            story: (headline, independent, outlets)
            for story, headline, independent, outlets in store.report_headlines()
        }
        from newsfold.engines.local import REPORT_VERSION

        # A stored report knows the story's dates with suspect publication dates set aside.
        checked = store.report_dates(REPORT_VERSION)
        spans = {story: (first, last) for story, first, last, _ in checked}
        suspect = {a for _, _, _, ids in checked for a in ids}
        stories = {}
        for story, rows in members.items():
            headline, independent, outlets = reports.get(story, (None, None, None))
            sources = frozenset(r[0] for r in rows if r[0])
            dates = tuple(sorted(r[2] for r in rows if r[2] and r[4] not in suspect))
            first, last = spans.get(story) or ((dates[0], dates[-1]) if dates else (None, None))
            if story in spans:  # filters see the days the texts point to as well
                dates = tuple(sorted({*dates, *(d for d in (first, last) if d)}))
            title = next((r[3] for r in rows if r[3]), None)
            stories[story] = ListEntry(
                story, headline or title or story, len(rows),
                outlets if outlets is not None else len(sources), independent,
                first, last, sources, frozenset(r[1] for r in rows if r[1]), dates,
                sum(r[4] in suspect for r in rows),
            )  # fmt: skip
        # Largest first; among stories of one size, the most recent first (undated last).
        order = sorted(stories)
        order.sort(key=lambda s: stories[s].last or "", reverse=True)
        order.sort(key=lambda s: (-stories[s].articles, stories[s].last is None))
        return cls(version, stories, story_of, order)


class Service:
    """Read views of the store at ``db`` (see the module docstring)."""

    def __init__(self, db: str | Path) -> None:
        self.db = Path(db)
        self._local = threading.local()
        self._opened: list[Store] = []
        self._lock = threading.Lock()
        self._story_index: _Index | None = None
        self._reports: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()
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
        index = self._index()
        if filters.q.strip():
            rank = self._search(filters.q.strip(), index)
            ids = sorted(rank, key=lambda s: (rank[s], s))
        else:
            ids = index.order
        since = filters.since.isoformat() if filters.since else None
        until = (filters.until + timedelta(days=1)).isoformat() if filters.until else None
        kept = [
            index.stories[s]
            for s in ids
            if index.stories[s].matches(since, until, filters.source, filters.language,
                                        filters.min_size)
        ]  # fmt: skip
        shown = kept[(page - 1) * per_page : page * per_page]
        return {
            "total": len(kept),
            "page": page,
            "per_page": per_page,
            "pages": max(1, -(-len(kept) // per_page)),
            "items": [s.to_dict() for s in shown],
        }

    def _search(self, query: str, index: _Index) -> dict[str, float]:
        """Story → best BM25 rank among its articles matching ``query`` (FTS5 syntax when
        valid, else its words)."""
        rank: dict[str, float] = {}
        for seq, r in self.store.fts_ranks(query):
            story = index.story_of.get(seq)
            if story is not None and r < rank.get(story, float("inf")):
                rank[story] = r
        return rank

    def _index(self) -> _Index:
        """The stories' list entries, rebuilt when the store's stories or reports changed."""
        version = self.store.change_marker()
        index = self._story_index
        if index is not None and index.version == version:
            return index
        with self._lock:
            if self._story_index is None or self._story_index.version != version:
                self._story_index = _Index.build(self.store, version)
            return self._story_index

    def facets(self) -> dict[str, list[str]]:
        """The outlets and languages stored, for the filter menus."""
        return {
            "sources": self.store.distinct_sources(),
            "languages": self.store.distinct_languages(),
        }

    def story_id(self, ref: str) -> str:
        """The story named by ``ref``: a story id, or the id of one of its articles."""
        story = self.store.find_story(ref)
        if story is None:
            raise NotFound(f"no story {ref!r}")
        return story

    def story(self, ref: str, summary_words: int | None = None) -> dict[str, Any]:
        """The story's report (schema ``newsfold.report/1``, article texts included), with
        each summary citation's supporting sentence as ``text``; ``summary_words``: the
        summary's length in words (default: five sentences at most)."""
        from newsfold.engines.local import LocalEngine

        story_id = self.story_id(ref)
        key = (story_id, summary_words, self._index().version)
        with self._lock:
            cached = self._reports.get(key)
            if cached is not None:
                self._reports.move_to_end(key)
                return cached
        engine = LocalEngine(self.store, summary_words=summary_words)
        report = engine.report([story_id])["stories"][0]
        texts = report.get("texts", {})
        for sentence in report["summary"]:
            for c in sentence["citations"]:
                c["text"] = " ".join(texts.get(c["article"], "")[c["start"] : c["end"]].split())
        with self._lock:  # the last few reports read, until the store changes
            self._reports[key] = report
            while len(self._reports) > REPORT_CACHE:
                self._reports.popitem(last=False)
        return report

    # -- articles
    def articles(
        self, q: str = "", source: str | None = None, language: str | None = None,
        page: int = 1, per_page: int = PER_PAGE,
    ) -> dict[str, Any]:  # fmt: skip
        """One page of articles, newest first, or best match first when searching."""
        per_page = max(1, min(per_page, MAX_PER_PAGE))
        page = max(1, page)
        rows, total = self.store.article_page(
            query=q.strip(), source=source, language=language,
            limit=per_page, offset=(page - 1) * per_page,
        )  # fmt: skip
        keys = ("id", "title", "source", "published", "language", "story")
        dated = self.store.get_many([r[0] for r in rows if r[3]])
        suspect = {i for i, a in dated.items() if date_check(a).suspect}
        return {
            "total": total,
            "page": page,
            "per_page": per_page,
            "pages": max(1, -(-total // per_page)),
            "items": [
                {**dict(zip(keys, r, strict=True)), "published_suspect": r[0] in suspect}
                for r in rows
            ],
        }

    def article(self, ref: str) -> dict[str, Any]:
        """One article: fields, story, reuse relations with the other articles, its claims and
        its text cut into marked segments (see :func:`segments`)."""
        article = self.store.get(ref)
        if article is None:
            raise NotFound(f"no article {ref!r}")
        story = self.store.story_of(article.id)
        claims = self.claims(article.id)
        relations = []
        marks: list[tuple[int, int, str, str]] = []
        titles = self.store.related_titles(article.id)
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
            "published_check": _published_check(article),
            "language": article.language,
            "author": article.author,
            "story": story,
            "text": article.text,
            "segments": list(segments(article.text, marks)),
            "relations": relations,
            "claims": claims,
        }

    def claims(self, ref: str) -> dict[str, Any]:
        """The article's claims (numbers, quotes, people, dates), read once and then stored."""
        from newsfold.engines.local import LocalEngine

        article = self.store.get(ref)
        if article is None:
            raise NotFound(f"no article {ref!r}")
        return LocalEngine(self.store).claims([article.id])[0].to_dict()

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
        """How many articles and stories the store holds."""
        return {"articles": self.store.count(), "stories": len(self._index().stories)}


def _published_check(article: Article) -> dict[str, Any] | None:
    """The check of an article's publication date (:func:`newsfold.dates.date_check`), each
    piece of evidence with the words it was read from (``text``: the date; ``context``: its
    line or sentence, for a removed caption the whole line)."""
    if article.published is None:
        return None
    check = date_check(article).to_dict()
    for e in check["evidence"]:
        source = article.text if e["in"] == "text" else article.boilerplate[e["line"]]["line"]
        left = max(source.rfind("\n", 0, e["start"]), source.rfind(". ", 0, e["start"]))
        right = min(x for x in (source.find("\n", e["end"]), len(source)) if x >= 0)
        e["text"] = source[e["start"] : e["end"]]
        e["context"] = " ".join(source[left + 1 : right].split())
    return check


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
