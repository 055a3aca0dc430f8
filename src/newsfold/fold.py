"""Folding the store into stories, and what a story is made of.

:func:`fold` places every article not yet in a story, oldest first, continuing from the stories
already stored (:class:`~newsfold.stories.StoryClusterer` is restored from them, so one fold of
everything and many folds of increments give the same stories). Articles that reuse each other
(stored derived relations, see :mod:`newsfold.links`) always share a story. A story's id is its
first article's id with an ``s`` prefix: stable across runs.

:func:`describe` builds the :class:`Story` views: a label, the time span, the languages, each
member's role (the original of a reuse tree, a copy, or an independent report) and the number of
independent sources (all copies of one wire story count once).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from newsfold.article import Article
from newsfold.corroborate import STOPWORDS
from newsfold.links import Linker, reuse_trees
from newsfold.names import CALENDAR, name_runs
from newsfold.relations import DERIVED
from newsfold.store import Store
from newsfold.stories import StoryClusterer, StoryRecord

__all__ = ["FoldReport", "Member", "Story", "clean_title", "describe", "fold", "key_entities"]


@dataclass(slots=True)
class FoldReport:
    """What one fold did."""

    new_articles: int = 0
    new_stories: int = 0
    joined: int = 0


@dataclass(frozen=True, slots=True)
class Member:
    """An article of a story and its part in it."""

    article: str
    title: str | None
    source: str | None
    published: datetime | None
    language: str | None
    role: str  # "original", "copy" or "independent"
    copy_of: str | None
    relation: str | None
    probability: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.article,
            "title": self.title,
            "source": self.source,
            "published": self.published.isoformat() if self.published else None,
            "language": self.language,
            "role": self.role,
            "copy_of": self.copy_of,
            "relation": self.relation,
            "probability": round(self.probability, 4),
        }


@dataclass(slots=True)
class Story:
    """A story: the articles that report one event."""

    id: str
    label: str
    entities: list[str]
    first: datetime | None
    last: datetime | None
    languages: list[str]
    sources: int
    members: list[Member] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.members)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "entities": self.entities,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "languages": self.languages,
            "articles": self.size,
            "independent_sources": self.sources,
            "members": [m.to_dict() for m in self.members],
        }


def _records(store: Store, ids: Sequence[str]) -> list[StoryRecord]:
    out = []
    for article_id in ids:
        article = store.get(article_id)
        if article is None:  # deleted while folding: the caller holds the store, so a bug
            raise KeyError(article_id)
        out.append(StoryRecord(article.text, article.title, article.published))
    return out


def fold(
    store: Store,
    clusterer: StoryClusterer | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> FoldReport:
    """Place the articles not yet in a story (see the module docstring)."""
    notify = on_progress or (lambda _stage, _done, _total: None)
    report = FoldReport()
    new_ids = store.unfolded_ids()
    if not new_ids:
        return report
    clusterer = clusterer or StoryClusterer()
    linker = Linker(store)
    stored = store.story_members()
    numbers: dict[str, int] = {}
    for _, story, _ in stored:
        numbers.setdefault(story, len(numbers))
    old_ids = [a for a, _, _ in stored]
    notify("restore", 0, len(old_ids))
    for start in range(0, len(old_ids), 1000):
        chunk = stored[start : start + 1000]
        ids = [a for a, _, _ in chunk]
        clusterer.restore(
            _records(store, ids),
            [numbers[s] for _, s, _ in chunk],
            [p for _, _, p in chunk],
            linker.lead_vectors(ids),
        )
        notify("restore", start + len(chunk), len(old_ids))
    index = {a: k for k, a in enumerate(old_ids)}
    names = list(numbers)
    placed: list[tuple[str, str, float]] = []
    for start in range(0, len(new_ids), 256):
        ids = new_ids[start : start + 256]
        links: list[int | None] = []
        for offset, article_id in enumerate(ids):
            index[article_id] = len(old_ids) + start + offset
            links.append(_linked(store, article_id, index))
        first = len(clusterer.labels_)
        clusterer.partial_fit(_records(store, ids), links, linker.lead_vectors(ids))
        for k, article_id in enumerate(ids):
            label = clusterer.labels_[first + k]
            if label == len(names):
                names.append(f"s{article_id}")
                report.new_stories += 1
            else:
                report.joined += 1
            placed.append((article_id, names[label], clusterer.probability_[first + k]))
        notify("place", start + len(ids), len(new_ids))
    store.put_story_members(placed)
    report.new_articles = len(new_ids)
    return report


def _linked(store: Store, article_id: str, index: dict[str, int]) -> int | None:
    """The earliest-placed article this one reuses or is reused by, if any is placed."""
    placed = [
        index[other]
        for r in store.relations(article_id)
        if r["relation"] in DERIVED
        for other in (r["a"], r["b"])
        if other != article_id and other in index and index[other] < index[article_id]
    ]
    return min(placed) if placed else None


def describe(store: Store, story_ids: Sequence[str] | None = None) -> list[Story]:
    """The stored stories (all, or those named), largest first."""
    groups: dict[str, list[tuple[str, float]]] = {}
    wanted = None if story_ids is None else set(story_ids)
    for article_id, story, prob in store.story_members():
        if wanted is None or story in wanted:
            groups.setdefault(story, []).append((article_id, prob))
    stories = [_story(store, sid, members) for sid, members in groups.items()]
    stories.sort(key=lambda s: (-s.size, s.first.timestamp() if s.first else float("inf"), s.id))
    return stories


def _story(store: Store, story_id: str, members: list[tuple[str, float]]) -> Story:
    articles = {a: store.get(a) for a, _ in members}
    relations = store.relations_among(list(articles), sorted(DERIVED))
    copy_of: dict[str, tuple[str, str]] = {}
    roots: set[str] = set()
    for tree in reuse_trees(relations):
        roots.add(tree["root"])
        for edge in tree["edges"]:
            copy_of[edge["copy"]] = (edge["source"], edge["relation"])
    out: list[Member] = []
    for article_id, prob in members:
        art = articles[article_id]
        if art is None:
            continue
        source, relation = copy_of.get(article_id, (None, None))
        role = "copy" if source else ("original" if article_id in roots else "independent")
        out.append(
            Member(
                article_id,
                art.title,
                art.source,
                art.published,
                art.language,
                role,
                source,
                relation,
                prob,
            )
        )
    dates = [m.published for m in out if m.published]
    vectors = Linker(store).lead_vectors([m.article for m in out])
    centre = vectors.mean(axis=0)
    medoid = out[int(np.argmax(vectors @ centre))] if len(out) else None
    texts = [a.text for a in articles.values() if a is not None]
    entities = key_entities(texts)
    if medoid is not None and medoid.title:
        label = clean_title(medoid.title, medoid.source)
    else:
        lead = _first_words(articles, [medoid] if medoid else out)
        label = f"{', '.join(entities[:3])}: {lead}" if entities else lead
    return Story(
        id=story_id,
        label=label,
        entities=entities,
        first=min(dates) if dates else None,
        last=max(dates) if dates else None,
        languages=sorted({m.language for m in out if m.language}),
        sources=sum(m.role != "copy" for m in out),
        members=out,
    )


def _first_words(articles: dict[str, Article | None], members: list[Member]) -> str:
    for m in members:
        art = articles.get(m.article)
        if art is not None and art.text:
            words = art.text.split()
            return " ".join(words[:12]) + (" …" if len(words) > 12 else "")
    return "(empty story)"


# " - Reuters", " | BBC News", " — Le Monde": a site name after the headline.
_TITLE_TAIL = re.compile(r"\s+[-|–—]\s+([^-|–—]{2,40})$")


def key_entities(texts: Sequence[str], k: int = 5) -> list[str]:
    """The names most of ``texts`` mention (people, places, organisations, as runs of
    capitalised words, a person also by surname), by how many texts name them, longest form
    first on ties, one form per entity. A single word that the texts also write in lower case
    ("Officials said") is a sentence start, not a name."""
    lowered = Counter(w for t in texts for w in re.findall(r"\b[a-z][\w'-]*", t))
    found = [list(name_runs(text)) for text in texts]
    # A single word never met capitalised inside a sentence only opens sentences ("Critics").
    inside = Counter(name for runs in found for name, opens in runs if not opens)
    seen: Counter[str] = Counter()
    first: dict[str, int] = {}
    for runs in found:
        names: dict[str, None] = {}  # in order of appearance
        for name, _ in runs:
            words = name.split()
            if len(words) == 1 and (
                name.casefold() in STOPWORDS
                or name.casefold() in CALENDAR
                or lowered[name.casefold()] > 0
                or not inside[name]
                or len(name) < 3
            ):
                continue
            names[name] = None
            if len(words) > 1 and words[-1][:1].isupper():  # "Antony Blinken" names "Blinken"
                names.setdefault(words[-1], None)
        for name in names:
            seen[name] += 1
            first.setdefault(name, len(first))
    for name in [n for n in seen if n.isupper() and n.title() in seen]:  # "TARSK —" datelines
        seen[name.title()] = min(len(texts), seen[name.title()] + seen.pop(name))
    # One entity per list: "Blinken" and "Antony Blinken", "Gaza" and "Gaza Strip" share words.
    ranked = sorted(seen, key=lambda n: (-seen[n], -len(n.split()), first[n]))
    out: list[str] = []
    for name in ranked:
        words = set(name.split())
        if any(words & set(chosen.split()) for chosen in out):
            continue
        out.append(name)
        if len(out) == k:
            break
    return out


def clean_title(title: str, source: str | None = None) -> str:
    """A headline without the site name after it ("Quake kills 23 - Daily Post" → "Quake kills
    23"), when that tail is the source's name or a short name."""
    title = " ".join(title.split())
    m = _TITLE_TAIL.search(title)
    if m:
        tail = m.group(1).strip()
        squeezed = re.sub(r"\W", "", tail.casefold())
        site = re.sub(r"\W", "", source.casefold()) if source else ""
        named = bool(squeezed) and squeezed in site
        short = len(tail.split()) <= 3 and tail[:1].isupper()
        if named or (short and m.start() > 15):
            title = title[: m.start()].rstrip()
    return title
