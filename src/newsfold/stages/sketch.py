"""Per-article signals, computed once and cached: MinHash signature, lead and sentence vectors.

:class:`Sketch` reads a batch of articles and returns, per article, what every later stage
compares: the MinHash signature of its word 5-grams (:mod:`newsfold.signatures`) and its shingle
count, the vector of its lead (:attr:`newsfold.article.Article.lead`, by the ``lead`` encoder)
and one vector per sentence (by the ``sentence`` encoder). Every encoder is called once per
batch on all its texts.

:class:`CrossLead` embeds leads with the multilingual (``cross``) encoder: slow, so the engine
runs it only on the articles that cheap signals pair across languages
(:mod:`newsfold.stages.candidates`).
"""

from __future__ import annotations

import numpy as np

from newsfold.article import Article
from newsfold.embed import Encoders
from newsfold.signatures import MinHasher
from newsfold.stages.base import Batch, Stage

__all__ = ["CrossLead", "Sketch"]


class Sketch(Stage):
    """Signature, lead vector and sentence vectors of each article (see the module docstring).

    Input columns: ``id``, ``article`` (:class:`~newsfold.article.Article`). Output columns:
    ``id``, ``signature`` (uint32 array), ``shingles`` (int), ``lead`` (float32 vector),
    ``sentences`` (float32 matrix, one row per sentence).
    """

    name = "sketch"

    def __init__(self, encoders: Encoders) -> None:
        self.encoders = encoders

    def process_batch(self, batch: Batch) -> Batch:
        articles: list[Article] = batch["article"]
        hasher = MinHasher()
        sig = hasher.signatures([a.text for a in articles])
        leads = self.encoders.lead.encode([a.lead for a in articles]).astype(np.float32)
        texts = [s.text for a in articles for s in a.sentences]
        flat = self.encoders.sentence.encode(texts).astype(np.float32)
        bounds = np.cumsum([0] + [len(a.spans) for a in articles])
        return {
            "id": list(batch["id"]),
            "signature": [row.copy() for row in sig],
            "shingles": [len(a.text.split()) for a in articles],
            "lead": list(leads),
            "sentences": [flat[bounds[k] : bounds[k + 1]] for k in range(len(articles))],
        }


class CrossLead(Stage):
    """Lead vectors by the multilingual encoder. Input columns: ``id``, ``article``; output:
    ``id``, ``cross_lead`` (float32 vector)."""

    name = "cross_lead"

    def __init__(self, encoders: Encoders) -> None:
        self.encoders = encoders

    def process_batch(self, batch: Batch) -> Batch:
        articles: list[Article] = batch["article"]
        vectors = self.encoders.cross.encode([a.lead for a in articles]).astype(np.float32)
        return {"id": list(batch["id"]), "cross_lead": list(vectors)}
