"""Story placement: the order-dependent stage, resumable from a saved state.

:class:`Place` wraps :class:`~newsfold.stories.StoryClusterer`: batches of articles, in arrival
order (oldest first), each placed in a story or starting one. Its state (the clusterer, and the
story ids it has named) is saved by :meth:`Place.to_bytes` and restored by
:meth:`Place.from_bytes`, so that a later run continues where the last stopped without replaying
the stored stories; an engine stores that state beside the stories.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from typing import Any

import numpy as np

from newsfold.article import Article
from newsfold.dates import effective_date
from newsfold.stages.base import Batch, Stage
from newsfold.stories import StoryClusterer, StoryRecord

__all__ = ["Place"]

#: The format of :meth:`Place.to_bytes`; a saved state of another format is not read.
STATE_VERSION = 1


def record_of(article: Article) -> StoryRecord:
    """What story placement reads of an article (its effective date: a publication date its
    own text contradicts is not read, :func:`newsfold.dates.effective_date`)."""
    return StoryRecord(article.text, article.title, effective_date(article))


class Place(Stage):
    """Place articles in stories, in the order given (see the module docstring).

    Input columns: ``id``, ``article``, ``lead`` (lead vector), ``link`` (the id of an article
    placed earlier that this one reuses or is reused by, or None). Output columns: ``id``,
    ``story`` (a story's id is ``s`` + its first article's id) and ``probability``.
    ``clusterer``: the :class:`~newsfold.stories.StoryClusterer` to start from (a default one
    unless given). Learned: ``story_ids_`` (story number → id), ``index_`` (article id → its
    position among the articles placed).
    """

    name = "place"

    def __init__(self, clusterer: StoryClusterer | None = None) -> None:
        self.clusterer = clusterer if clusterer is not None else StoryClusterer()
        self.story_ids_: list[str] = []
        self.index_: dict[str, int] = {}

    def restore(self, members: Sequence[tuple[str, str, float]], batch: Batch) -> None:
        """Put stored members back (``(article, story, probability)`` in placement order, with
        their ``article`` and ``lead`` columns in ``batch``), deciding nothing: the state of a
        fold saved without :meth:`to_bytes`."""
        numbers: dict[str, int] = {s: k for k, s in enumerate(self.story_ids_)}
        labels = []
        for article_id, story, _ in members:
            if story not in numbers:
                numbers[story] = len(self.story_ids_)
                self.story_ids_.append(story)
            labels.append(numbers[story])
            self.index_[article_id] = len(self.index_)
        self.clusterer.restore(
            [record_of(a) for a in batch["article"]],
            labels,
            [p for _, _, p in members],
            np.stack(batch["lead"]) if members else None,
        )

    def process_batch(self, batch: Batch) -> Batch:
        ids: list[str] = batch["id"]
        if not ids:
            return {"id": [], "story": [], "probability": []}
        links: list[int | None] = []
        for k, article_id in enumerate(ids):
            self.index_[article_id] = len(self.index_)
            link = batch["link"][k]
            links.append(self.index_.get(link) if link is not None else None)
        first = len(self.clusterer.labels_)
        self.clusterer.partial_fit(
            [record_of(a) for a in batch["article"]], links, np.stack(batch["lead"])
        )
        stories, probs = [], []
        for k, article_id in enumerate(ids):
            label = self.clusterer.labels_[first + k]
            if label == len(self.story_ids_):
                self.story_ids_.append(f"s{article_id}")
            stories.append(self.story_ids_[label])
            probs.append(float(self.clusterer.probability_[first + k]))
        return {"id": list(ids), "story": stories, "probability": probs}

    def to_bytes(self) -> bytes:
        """The state: parameters, the clusterer's learned state, the story ids."""
        state: dict[str, Any] = {
            "version": STATE_VERSION,
            "clusterer": self.clusterer,
            "story_ids": self.story_ids_,
            "index": self.index_,
        }
        return pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def from_bytes(cls, data: bytes) -> Place | None:
        """A stage restored from :meth:`to_bytes` (None: a state of another format). Only
        read states this program wrote (the store's own): unpickling runs code."""
        state = pickle.loads(data)  # our own state, from our own store
        if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
            return None
        out = cls(state["clusterer"])
        out.story_ids_ = state["story_ids"]
        out.index_ = state["index"]
        return out
