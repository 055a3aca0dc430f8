"""Per-article signals, computed once and cached: MinHash signature, lead and sentence vectors.

:class:`Sketch` reads a batch of articles and returns, per article, what every later stage
compares: the MinHash signature of its word 5-grams (:mod:`newsfold.signatures`) and its shingle
count, the vector of its lead (:attr:`newsfold.article.Article.lead`, by the ``lead`` encoder)
and one vector per sentence (by the ``sentence`` encoder). Every encoder is called once per
batch on all its texts, and only on text in a language it reads (:func:`newsfold.embed.reads`):
other leads get hashed-word vectors, other sentences none.

:class:`CrossLead` embeds leads with the multilingual (``cross``) encoder: slow, so the engine
runs it only on the articles that cheap signals pair across languages
(:mod:`newsfold.stages.candidates`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from newsfold.article import Article
from newsfold.embed import Encoders, FakeEncoder, reads
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

    def setup(self) -> None:
        for encoder in (self.encoders.sentence, self.encoders.lead):
            load = getattr(encoder, "setup", None)
            if load is not None:
                load()

    def process_batch(self, batch: Batch) -> Batch:
        articles: list[Article] = batch["article"]
        hasher = MinHasher()
        sig = hasher.signatures([a.text for a in articles])
        return {
            "id": list(batch["id"]),
            "signature": [row.copy() for row in sig],
            "shingles": [len(a.text.split()) for a in articles],
            "lead": self._leads(articles),
            "sentences": self._sentences(articles),
        }

    def _leads(self, articles: list[Article]) -> list[NDArray[np.float32]]:
        """Lead vectors: the lead encoder's where it reads the language, else hashed words (a
        lexical vector of the same size: leads in a language no model reads still find their
        copies and their story by shared words)."""
        lead = self.encoders.lead
        known = [k for k, a in enumerate(articles) if reads(lead, a.language)]
        other = [k for k, a in enumerate(articles) if not reads(lead, a.language)]
        found = lead.encode([articles[k].lead for k in known])  # loads the model: dim known
        out = np.zeros((len(articles), lead.dim), dtype=np.float32)
        out[known] = found
        if other:
            out[other] = FakeEncoder(lead.dim).encode([articles[k].lead for k in other])
        return list(out)

    def _sentences(self, articles: list[Article]) -> list[NDArray[np.float32]]:
        """Sentence vectors where the sentence encoder reads the language; elsewhere an empty
        matrix (one row per sentence, no columns): those sentences align by wording alone."""
        encoder = self.encoders.sentence
        known = [a for a in articles if reads(encoder, a.language)]
        flat = encoder.encode([s.text for a in known for s in a.sentences]).astype(np.float32)
        out, start = [], 0
        for a in articles:
            if reads(encoder, a.language):
                out.append(flat[start : start + len(a.spans)])
                start += len(a.spans)
            else:
                out.append(np.zeros((len(a.spans), 0), dtype=np.float32))
        return out


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
