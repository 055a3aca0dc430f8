"""Pair judgment: the relation of two articles from their cached sentence vectors.

:class:`Judge` aligns the sentences of each candidate pair (:mod:`newsfold.align`) with the
sentence vectors the sketch stage cached, reads the relation (:func:`newsfold.relations.compare`)
and its direction (:func:`newsfold.direction.judge_direction`: from the pair's own evidence, or
unknown; no model, under a millisecond a pair) and returns them with their evidence as character
offsets. No encoder runs here: similarity is numpy
over vectors computed once per article. Pairs in different languages use their multilingual
vectors (``cross_a``/``cross_b``) when given; without them, their sentences are aligned by
wording alone and their leads' multilingual cosine decides whether they tell one story. Pairs
in a language the sentence encoder does not read (empty sentence vectors) align by wording.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from newsfold.align import SentenceAligner
from newsfold.article import Article
from newsfold.direction import FluencyScorer
from newsfold.embed import Encoders
from newsfold.relations import compare
from newsfold.stages.base import Batch, Stage

__all__ = ["Judge"]


class Judge(Stage):
    """Relations of candidate pairs (see the module docstring).

    Input columns, one row per pair: ``a``, ``b`` (:class:`~newsfold.article.Article`, ``a.id <
    b.id``), ``sentences_a``, ``sentences_b`` (sentence vectors), ``lead_a``, ``lead_b`` (lead
    vectors) and, optionally, ``cross_a``, ``cross_b`` (multilingual lead vectors or None).
    Output: ``relation``, the relation as a dict with its evidence (``Relation.to_dict``), or
    None where the articles are unrelated (unless the optional column ``keep_unrelated`` says
    to keep it). ``encoders`` only tells the aligner the thresholds of
    the encoders whose vectors it reads; nothing is encoded. ``fluency``: also score the changed
    sentences of same-language pairs nothing cheaper directs with a language model (see
    :meth:`setup`).
    """

    name = "judge"
    loaded = ("_fluency",)

    def __init__(self, encoders: Encoders, fluency: bool = False) -> None:
        self.encoders = encoders
        self.fluency = fluency
        self._fluency: FluencyScorer | None = None

    def setup(self) -> None:
        """With ``fluency``: the language model that scores changed sentences for direction
        (:class:`newsfold.fluency.SmolLM2Fluency`, loaded on its first use; slow, so it is
        off by default and asked only about same-language pairs nothing cheaper directs)."""
        if self.fluency and self._fluency is None:
            from newsfold.fluency import SmolLM2Fluency

            self._fluency = SmolLM2Fluency()

    def process_batch(self, batch: Batch) -> Batch:
        if self.fluency and self._fluency is None:
            self.setup()
        same = SentenceAligner.for_encoder(None, **self.encoders.sentence.thresholds)
        cross = SentenceAligner.for_encoder(None, **self.encoders.cross.thresholds)
        crosses = batch.get("cross_a"), batch.get("cross_b")
        keep = batch.get("keep_unrelated")
        out: list[dict[str, Any] | None] = []
        for k, (a, b) in enumerate(zip(batch["a"], batch["b"], strict=True)):
            out.append(
                self._judge(
                    a, b, batch, k, same, cross, crosses, bool(keep and keep[k]), self._fluency
                )
            )
        return {"relation": out}

    @staticmethod
    def _judge(
        a: Article,
        b: Article,
        batch: Batch,
        k: int,
        same: SentenceAligner,
        cross: SentenceAligner,
        crosses: tuple[list[Any] | None, list[Any] | None],
        keep_unrelated: bool,
        fluency: FluencyScorer | None = None,
    ) -> dict[str, Any] | None:
        if a.language and b.language and a.language != b.language:
            ca = crosses[0][k] if crosses[0] is not None else None
            cb = crosses[1][k] if crosses[1] is not None else None
            lead = float(np.dot(ca, cb)) if ca is not None and cb is not None else None
            relation = compare(a, b, cross, lead_cosine=lead)
        else:
            va, vb = batch["sentences_a"][k], batch["sentences_b"][k]
            read = va.shape[1] > 0 and vb.shape[1] > 0  # else a language no encoder reads
            lead = float(np.dot(batch["lead_a"][k], batch["lead_b"][k]))
            relation = compare(
                a,
                b,
                same,
                vectors=(va, vb) if read else None,
                lead_cosine=lead,
                fluency=fluency,
            )
        if relation.kind == "unrelated" and not keep_unrelated:
            return None
        return relation.to_dict(a, b)
