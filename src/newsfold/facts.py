"""Facts of stored articles and stories: claims read once and kept, reconciled per story.

:func:`article_claims` returns the claims of stored articles, reading (with
:class:`~newsfold.claims.ClaimExtractor`) only those the store does not hold yet for the current
extractor version, and storing them. :func:`story_facts` reconciles a stored story's claims
(:class:`~newsfold.reconcile.Reconciler`), telling it which articles copy which (the stored
reuse relations), and returns a :class:`StoryFacts` view.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsfold.claims import VERSION, ArticleClaims, ClaimExtractor
from newsfold.links import reuse_trees
from newsfold.reconcile import FactGroup, Reconciler
from newsfold.relations import DERIVED
from newsfold.store import Store

__all__ = ["StoryFacts", "article_claims", "story_facts"]


def article_claims(
    store: Store, ids: Sequence[str], extractor: ClaimExtractor | None = None
) -> list[ArticleClaims]:
    """The claims of the articles ``ids`` (in order), read and stored where missing."""
    articles = {i: store.get(i) for i in ids}
    missing = [i for i in ids if articles[i] is None]
    if missing:
        raise KeyError(missing[0])
    stored = store.claims(list(ids), VERSION)
    todo = [articles[i] for i in ids if i not in stored]
    if todo:
        read = (extractor or ClaimExtractor()).transform(todo)  # type: ignore[arg-type]
        rows = [(c.article, json.dumps(c.to_dict(), ensure_ascii=False)) for c in read]
        store.put_claims(VERSION, rows)
        stored.update(rows)
    return [
        ArticleClaims.from_dict(json.loads(stored[i]), articles[i].published)  # type: ignore[union-attr]
        for i in ids
    ]


@dataclass(slots=True)
class StoryFacts:
    """The fact groups of one story, with the texts their claims point into."""

    story: str
    articles: list[str]
    groups: list[FactGroup]
    texts: dict[str, str]
    sources: dict[str, str | None]
    claims: list[ArticleClaims]

    @property
    def skipped(self) -> dict[str, list[str]]:
        return {c.article: c.skipped for c in self.claims}

    @property
    def flags(self) -> list[FactGroup]:
        return [g for g in self.groups if g.flagged]

    def to_dict(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for g in self.groups:
            counts[g.status] = counts.get(g.status, 0) + 1
        return {
            "story": self.story,
            "articles": self.articles,
            "sources": self.sources,
            "statuses": counts,
            "skipped": {a: s for a, s in self.skipped.items() if s},
            "groups": [g.to_dict(self.texts) for g in self.groups],
        }


def story_facts(
    store: Store,
    story_id: str,
    reconciler: Reconciler | None = None,
    extractor: ClaimExtractor | None = None,
) -> StoryFacts:
    """Reconcile the claims of the stored story ``story_id`` (see the module docstring)."""
    ids = [a for a, s, _ in store.story_members() if s == story_id]
    if not ids:
        raise KeyError(story_id)
    claims = article_claims(store, ids, extractor)
    articles = {i: store.get(i) for i in ids}
    texts = {i: a.text for i, a in articles.items() if a is not None}
    members = set(ids)
    relations = [
        r
        for a in ids
        for r in store.relations(a)
        if r["relation"] in DERIVED and r["a"] == a and r["b"] in members
    ]
    copies = {e["copy"]: e["source"] for t in reuse_trees(relations) for e in t["edges"]}
    groups = (reconciler or Reconciler()).transform(claims, texts, copies)
    order = {"conflict": 0, "altered": 1, "update": 2, "compatible": 3, "different": 4}
    kinds = {"number": 0, "quote": 1, "entity": 2}
    groups.sort(key=lambda g: (order.get(g.status, 5), kinds[g.kind], -len(g.claims), g.label))
    return StoryFacts(
        story_id,
        ids,
        groups,
        texts,
        {i: a.source if a else None for i, a in articles.items()},
        claims,
    )
