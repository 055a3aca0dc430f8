"""Facts of a story: its articles' claims reconciled, with the texts they point into.

:func:`story_facts` reconciles the claims of one story's articles
(:class:`~newsfold.reconcile.Reconciler`), telling it which articles copy which (the derived
relations among them whose direction has evidence, through their reuse trees), and returns a
:class:`StoryFacts` view. The claims themselves are read once per article by the claims stage and
cached by the engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from newsfold.article import Article
from newsfold.claims import ArticleClaims
from newsfold.reconcile import FactGroup, Reconciler
from newsfold.trees import reuse_trees

__all__ = ["StoryFacts", "story_facts"]


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
    story_id: str,
    articles: Mapping[str, Article],
    claims: Sequence[ArticleClaims],
    relations: Sequence[dict[str, Any]],
    reconciler: Reconciler,
) -> StoryFacts:
    """Reconcile the claims of one story (see the module docstring): ``articles`` its members
    (in member order), ``claims`` theirs, ``relations`` the derived relations among them."""
    ids = list(articles)
    texts = {i: a.text for i, a in articles.items()}
    # Only relations whose direction has evidence say who copied: an undirected edge names no
    # copy, so no quotation's change is put down to either side of it.
    copies = {
        e["copy"]: e["source"]
        for t in reuse_trees(relations)
        for e in t["edges"]
        if e["direction"] == "evidence"
    }
    groups = reconciler.transform(claims, texts, copies)
    order = {"conflict": 0, "altered": 1, "update": 2, "compatible": 3, "different": 4}
    kinds = {"number": 0, "quote": 1, "entity": 2}
    groups.sort(key=lambda g: (order.get(g.status, 5), kinds[g.kind], -len(g.claims), g.label))
    return StoryFacts(
        story_id, ids, groups, texts, {i: a.source for i, a in articles.items()}, list(claims)
    )
