"""Scoring claims and reconciliation against the labelled fixture stories.

``tests/fixtures/facts/stories.json`` holds small fictional stories written for newsfold, each
with its articles and the fact groups a reader would draw: numbers (agree, compatible, update,
conflict), quotations (exact, altered, different) and name aliases, each member a span of its
article. :func:`score` runs claims and reconciliation on every story and compares:

* flags: precision and recall of ``conflict`` and ``altered``. A predicted flagged group is right
  when at least two of its claims fall in the members of one gold group with that status; a gold
  flagged group is found when a predicted group with its status covers two of its members;
* statuses: for every gold group, the predicted group covering most of its members, and whether
  its status is the gold one (a confusion count).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsfold.article import Article, build_article
from newsfold.claims import ClaimExtractor
from newsfold.reconcile import FLAGS, FactGroup, Reconciler

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "facts" / "stories.json"


@dataclass(slots=True)
class GoldGroup:
    story: str
    kind: str
    status: str
    members: list[tuple[str, int, int]]  # article, start, end


@dataclass(slots=True)
class Outcome:
    """What :func:`score` found."""

    flags: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # status: tp, fp, fn
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    false_flags: list[tuple[str, FactGroup]] = field(default_factory=list)
    missed: list[GoldGroup] = field(default_factory=list)
    predicted: dict[str, list[FactGroup]] = field(default_factory=dict)

    def precision(self, status: str) -> float:
        tp, fp, _ = self.flags[status]
        return tp / (tp + fp) if tp + fp else 1.0

    def recall(self, status: str) -> float:
        tp, _, fn = self.flags[status]
        return tp / (tp + fn) if tp + fn else 1.0


def load(path: Path = FIXTURE) -> tuple[dict[str, list[Article]], list[GoldGroup]]:
    """The fixture's articles per story and its gold groups (spans located in the texts)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    stories: dict[str, list[Article]] = {}
    gold: list[GoldGroup] = []
    for story in data["stories"]:
        articles = [
            build_article({**a, "language": a.get("language", "en")}) for a in story["articles"]
        ]
        by_name = {a["id"]: art for a, art in zip(story["articles"], articles, strict=True)}
        stories[story["id"]] = articles
        for g in story["groups"]:
            members = []
            for m in g["members"]:
                art = by_name[m["article"]]
                start = art.text.index(m["span"])
                members.append((art.id, start, start + len(m["span"])))
            gold.append(GoldGroup(story["id"], g["kind"], g["status"], members))
    return stories, gold


def _covered(group: FactGroup, gold: GoldGroup) -> int:
    """How many of the gold group's members a predicted group's claims fall in."""
    hits = 0
    for article, start, end in gold.members:
        if any(c.article == article and c.start < end and start < c.end for c in group.claims):
            hits += 1
    return hits


def predict(
    stories: dict[str, list[Article]],
    reconciler: Reconciler | None = None,
    extractor: ClaimExtractor | None = None,
    cache: dict[str, Any] | None = None,
) -> dict[str, list[FactGroup]]:
    """The fact groups newsfold finds in each fixture story (claims cached in ``cache``)."""
    extractor = extractor or ClaimExtractor()
    reconciler = reconciler or Reconciler()
    out = {}
    for name, articles in stories.items():
        if cache is not None and name in cache:
            claims = cache[name]
        else:
            claims = extractor.transform(articles)
            if cache is not None:
                cache[name] = claims
        texts = {a.id: a.text for a in articles}
        out[name] = reconciler.transform(claims, texts, {})
    return out


def score(
    predicted: dict[str, list[FactGroup]], gold: Sequence[GoldGroup], statuses: Sequence[str] = ()
) -> Outcome:
    """Compare predicted groups with the gold ones (see the module docstring)."""
    outcome = Outcome(predicted=predicted)
    for status in statuses or sorted(FLAGS):
        tp = fp = fn = 0
        for story, groups in predicted.items():
            golds = [g for g in gold if g.story == story and g.status == status]
            for group in groups:
                if group.status != status:
                    continue
                if any(_covered(group, g) >= 2 for g in golds):
                    tp += 1
                else:
                    fp += 1
                    outcome.false_flags.append((story, group))
        for g in gold:
            if g.status != status:
                continue
            found = any(
                p.status == status and _covered(p, g) >= 2 for p in predicted.get(g.story, [])
            )
            if not found:
                fn += 1
                outcome.missed.append(g)
        outcome.flags[status] = (tp, fp, fn)
    for g in gold:
        groups = [p for p in predicted.get(g.story, []) if p.kind == g.kind]
        best = max(groups, key=lambda p: _covered(p, g), default=None)
        got = best.status if best is not None and _covered(best, g) >= 2 else "(not grouped)"
        outcome.confusion[(g.status, got)] += 1
    return outcome
