"""Per-story work: the story's view, its reconciled facts and its attributed summary.

:class:`StoryReport` reads one row per story (its members, their articles, the derived relations
among them, their claims and cached vectors) and returns that story's part of the report
(:func:`newsfold.report.stories.story_report`). Facts and the summary are built only for stories
of two or more articles: a story of one article has nothing to compare or to attribute.
"""

from __future__ import annotations

from typing import Any

from newsfold.claims import ArticleClaims
from newsfold.describe import describe_story
from newsfold.embed import Encoders
from newsfold.facts import story_facts
from newsfold.reconcile import Reconciler
from newsfold.report.stories import story_report
from newsfold.stages.base import Batch, Stage
from newsfold.summary import Summarizer

__all__ = ["StoryReport"]


class StoryReport(Stage):
    """Input columns, one row per story: ``story`` (id), ``members`` (``(article id,
    probability)`` pairs), ``articles`` (id → Article), ``relations`` (derived relations among
    the members, columns only), ``claims`` (id → ArticleClaims; may be empty for one-article
    stories), ``leads`` (lead vectors, rows in member order), ``sentences`` (id → sentence
    vectors). Output: ``story``, ``report`` (a dict). ``summary_sentences`` and
    ``summary_words`` bound the summary; ``encoders.sentence`` is the encoder whose vectors
    ``sentences`` holds (its thresholds are read; it encodes only sentences given no vector).
    """

    name = "story_report"

    def __init__(
        self,
        encoders: Encoders,
        *,
        summary_sentences: int = 5,
        summary_words: int | None = None,
    ) -> None:
        self.encoders = encoders
        self.summary_sentences = summary_sentences
        self.summary_words = summary_words

    def process_batch(self, batch: Batch) -> Batch:
        summarizer = Summarizer(
            self.summary_sentences, self.summary_words, encoder=self.encoders.sentence
        )
        reconciler = Reconciler(encoder=self.encoders.sentence)
        out: list[dict[str, Any]] = []
        for k, story_id in enumerate(batch["story"]):
            members = batch["members"][k]
            articles = batch["articles"][k]
            relations = batch["relations"][k]
            view = describe_story(story_id, members, articles, relations, batch["leads"][k])
            ordered = {m.article: articles[m.article] for m in view.members}
            if len(ordered) < 2:
                out.append(story_report(view, ordered, None, relations, None))
                continue
            claims: dict[str, ArticleClaims] = batch["claims"][k]
            facts = story_facts(
                story_id, ordered, [claims[i] for i in ordered], relations, reconciler
            )
            out.append(
                story_report(view, ordered, facts, relations, summarizer, batch["sentences"][k])
            )
        return {"story": list(batch["story"]), "report": out}
