"""The analysis after ingest, in one call: links, stories, claims and story reports.

:func:`analyse` is what ``newsfold run`` does once its inputs are stored, and what the web app's
ingest job does after an upload; both show the same stages:

1. ``links``: near duplicates, reuse relations, sentence evidence (:class:`~newsfold.links.Linker`);
2. ``fold``: articles not yet in a story are placed (:func:`~newsfold.fold.fold`);
3. ``claims``: numbers, quotes, people and dates of every article, cached in the store
   (:func:`~newsfold.facts.article_claims`);
4. ``report``: each story's report (summary, facts, reuse tree, timeline) built and stored
   (:func:`~newsfold.report.stories.build`); an unchanged story's stored report is kept.

Each stage continues from what the store holds, so running it again after new articles arrive
only does the new work. ``on_progress(stage, step, done, total)`` reports progress; ``step``
names the part of a stage (``embed``, ``pairs``, ``place``) or is empty.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from newsfold.store import Store

__all__ = ["STAGES", "Analysis", "analyse"]

STAGES: tuple[str, ...] = ("links", "fold", "claims", "report")
#: Articles per claims batch (spaCy reads a batch through one ``nlp.pipe``).
CLAIMS_BATCH = 64

Progress = Callable[[str, str, int, int], None]


@dataclass(slots=True)
class Analysis:
    """What one :func:`analyse` call did: seconds per stage, new stories, and the report."""

    seconds: dict[str, float] = field(default_factory=dict)
    new_articles: int = 0
    new_stories: int = 0
    report: dict[str, Any] = field(default_factory=dict)


def analyse(store: Store, on_progress: Progress | None = None) -> Analysis:
    """Run the stages above on ``store``; see the module docstring."""
    from newsfold.facts import article_claims
    from newsfold.fold import fold
    from newsfold.links import Linker
    from newsfold.report.stories import build

    notify = on_progress or (lambda _stage, _step, _done, _total: None)
    result = Analysis()
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        result.seconds[stage] = now - clock
        clock = now

    Linker(store).run(lambda step, done, total: notify("links", step, done, total))
    lap("links")
    folded = fold(store, on_progress=lambda step, done, total: notify("fold", step, done, total))
    result.new_articles, result.new_stories = folded.new_articles, folded.new_stories
    lap("fold")
    ids = store.ids()
    notify("claims", "", 0, len(ids))
    for start in range(0, len(ids), CLAIMS_BATCH):
        article_claims(store, ids[start : start + CLAIMS_BATCH])
        notify("claims", "", min(len(ids), start + CLAIMS_BATCH), len(ids))
    lap("claims")
    if store.story_members():
        result.report = build(store, on_story=lambda done, total: notify("report", "", done, total))
    lap("report")
    return result
