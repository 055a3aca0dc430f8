"""Per-story work: the story's view, its reconciled facts and its attributed summary.

:class:`StoryReport` reads one row per story (its members, their articles, the derived relations
among them, their claims and cached vectors) and returns that story's part of the report
(:func:`newsfold.report.stories.story_report`). Facts and the summary are built only for stories
of two or more articles: a story of one article has nothing to compare or to attribute.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from newsfold.claims import ArticleClaims
from newsfold.describe import describe_story
from newsfold.embed import Encoders
from newsfold.facts import story_facts
from newsfold.reconcile import Reconciler
from newsfold.report.stories import story_report
from newsfold.stages.base import Batch, Stage
from newsfold.summary import Summarizer

__all__ = ["MAX_COMPARED", "StoryReport", "compared_members"]

#: Articles of one story whose facts and sentences are compared (pairwise: the cost grows with
#: the square); a larger story is compared over those nearest its centre.
MAX_COMPARED = 100


def compared_members(ids: Sequence[str], leads: NDArray[np.float32], cap: int) -> list[str]:
    """The members of a story whose facts and summary are compared: all of them up to ``cap``,
    else the ``cap`` whose leads lie nearest the story's centroid (ties by id), in member
    order."""
    if len(ids) <= cap:
        return list(ids)
    centre = leads.mean(axis=0)
    closeness = leads @ centre
    ranked = sorted(range(len(ids)), key=lambda k: (-float(closeness[k]), ids[k]))
    keep = set(ranked[:cap])
    return [a for k, a in enumerate(ids) if k in keep]


class StoryReport(Stage):
    """Input columns, one row per story: ``story`` (id), ``members`` (``(article id,
    probability)`` pairs), ``articles`` (id → Article), ``relations`` (derived relations among
    the members, columns only), ``claims`` (id → ArticleClaims; may be empty for one-article
    stories), ``leads`` (lead vectors, rows in member order), ``sentences`` (id → sentence
    vectors). Output: ``story``, ``report`` (a dict). ``summary_words`` is the summary's length
    in words (then as many sentences as fit), else ``summary_sentences`` bounds it;
    ``encoders.sentence`` is the encoder whose vectors ``sentences`` holds (its thresholds are
    read; it encodes only sentences given no vector).
    Facts and the summary of a story of more than ``max_compared`` articles are built over the
    ``max_compared`` nearest its centre (:func:`compared_members`); its report says so
    (``compared``) and still lists every member.
    """

    name = "story_report"

    def __init__(
        self,
        encoders: Encoders,
        *,
        summary_sentences: int = 5,
        summary_words: int | None = None,
        max_compared: int = MAX_COMPARED,
    ) -> None:
        self.encoders = encoders
        self.summary_sentences = summary_sentences
        self.summary_words = summary_words
        self.max_compared = max_compared

    def process_batch(self, batch: Batch) -> Batch:
        cap = self.summary_sentences if self.summary_words is None else None
        summarizer = Summarizer(cap, self.summary_words, encoder=self.encoders.sentence)
        reconciler = Reconciler(encoder=self.encoders.sentence)
        out: list[dict[str, Any]] = []
        for k, story_id in enumerate(batch["story"]):
            members = batch["members"][k]
            articles = batch["articles"][k]
            relations = batch["relations"][k]
            view = describe_story(story_id, members, articles, relations, batch["leads"][k])
            ordered = {m.article: articles[m.article] for m in view.members}
            if len(ordered) < 2:
                out.append(
                    story_report(
                        view, ordered, None, relations, None, lead_words=self.summary_words
                    )
                )
                continue
            ids = [a for a, _ in members]
            chosen = set(compared_members(ids, batch["leads"][k], self.max_compared))
            compared = {i: a for i, a in ordered.items() if i in chosen}
            claims: dict[str, ArticleClaims] = batch["claims"][k]
            facts = story_facts(
                story_id, compared, [claims[i] for i in compared], relations, reconciler
            )
            report = story_report(
                view, compared, facts, relations, summarizer, batch["sentences"][k]
            )
            if len(compared) < len(ordered):
                report["compared"] = len(compared)  # facts and summary over these only
                report["texts"] = {i: a.text for i, a in ordered.items()}
            out.append(report)
        return {"story": list(batch["story"]), "report": out}
