"""Candidate pairs: the few pairs of articles worth judging, found by cheap signals.

:class:`Candidates` reads the cached per-article signals of the whole store (``new`` marks the
articles not yet linked) and returns the pairs that touch a new article and that either

1. **share wording**: their MinHash signatures agree on every row of an LSH band
   (:func:`newsfold.signatures.candidate_pairs`; boilerplate buckets are capped), or
2. **share meaning**: each is among the other's ``top_k`` nearest leads with a lead cosine of at
   least ``lead_cosine`` (an exact blocked matrix product below ``exact_below`` articles, an
   inverted-file index over k-means cells above it: :class:`newsfold.stages.ann.LeadIndex`).

:class:`CrossCandidates` pairs articles in different languages by what survives translation:
their numbers and the names written alike (a TF-IDF overlap of :func:`fact_keys`); the engine
then embeds only those articles' leads with the multilingual encoder and keeps the pairs whose
lead cosine reaches the encoder's translation threshold.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

import numpy as np
from numpy.typing import NDArray

from newsfold.signatures import candidate_pairs, fact_tokens
from newsfold.stages.base import Batch, Stage

__all__ = ["Candidates", "CrossCandidates", "fact_keys", "nearest_pairs"]


def nearest_pairs(
    vectors: NDArray[np.float32], new: NDArray[np.int64], top_k: int, floor: float, block: int = 512
) -> set[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, where ``j`` is among the ``top_k`` rows nearest to the new row
    ``i`` (or the reverse) with cosine ≥ ``floor``: blocks of new rows against all rows."""
    found: set[tuple[int, int]] = set()
    n = vectors.shape[0]
    k = min(top_k, n - 1)
    if k <= 0 or new.size == 0:
        return found
    for start in range(0, new.size, block):
        rows = new[start : start + block]
        sims = vectors[rows] @ vectors.T
        sims[np.arange(rows.size), rows] = -1.0
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        hit_row, hit_col = np.nonzero(np.take_along_axis(sims, top, axis=1) >= floor)
        a, b = rows[hit_row], top[hit_row, hit_col]
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        found.update(zip(lo.tolist(), hi.tolist(), strict=True))
    return found


class Candidates(Stage):
    """Lexical and lead-meaning candidate pairs (see the module docstring).

    Input columns (the whole store, in a fixed order): ``id``, ``signature``, ``lead``, ``new``
    (bool). Output columns, one row per pair: ``a``, ``b`` (ids, ``a < b``). With
    ``lexical=False`` only the meaning pairs are found (``signature`` is not read): an engine
    that buckets band keys itself (the Spark engine) adds the lexical ones.
    """

    name = "candidates"

    def __init__(
        self,
        *,
        bands: int = 42,
        max_bucket: int = 50,
        lead_cosine: float = 0.5,
        top_k: int = 20,
        exact_below: int = 20_000,
        lexical: bool = True,
    ) -> None:
        self.bands = bands
        self.max_bucket = max_bucket
        self.lead_cosine = lead_cosine
        self.top_k = top_k
        self.exact_below = exact_below
        self.lexical = lexical

    def process_batch(self, batch: Batch) -> Batch:
        ids: list[str] = batch["id"]
        new = np.flatnonzero(np.asarray(batch["new"], dtype=bool))
        if not ids or new.size == 0:
            return {"a": [], "b": []}
        is_new = np.zeros(len(ids), dtype=bool)
        is_new[new] = True
        pairs: set[tuple[int, int]] = set()
        if self.lexical:
            sig = np.stack(batch["signature"]).astype(np.uint32)
            lexical = candidate_pairs(sig, self.bands, max_bucket=self.max_bucket)
            keep = is_new[lexical[:, 0]] | is_new[lexical[:, 1]]
            pairs.update(zip(lexical[keep, 0].tolist(), lexical[keep, 1].tolist(), strict=True))
        leads = np.stack(batch["lead"]).astype(np.float32)
        if len(ids) < self.exact_below:
            pairs |= nearest_pairs(leads, new, self.top_k, self.lead_cosine)
        else:
            from newsfold.stages.ann import LeadIndex

            index = LeadIndex().fit(leads)
            pairs |= index.pairs(new, self.top_k, self.lead_cosine)
        ordered = sorted(
            (ids[i], ids[j]) if ids[i] < ids[j] else (ids[j], ids[i]) for i, j in pairs
        )
        return {"a": [a for a, _ in ordered], "b": [b for _, b in ordered]}


# Digits as written in any locale ("4,300", "4.300", "4 300" are all 4300).
_DIGITS = re.compile(r"\d[\d.,\u00a0\u202f ]*\d|\d")


def fact_keys(text: str) -> set[str]:
    """What survives translation: numbers of two or more digits (separators dropped, so
    "4,300" and "4.300" agree) and names of four or more letters as written (Latin, Cyrillic
    and other cased scripts keep them across the languages that share a script)."""
    keys = {re.sub(r"\D", "", m.group()) for m in _DIGITS.finditer(text)}
    keys = {k for k in keys if len(k) >= 2}
    keys |= {t.casefold() for t in fact_tokens(text) if not t[0].isdigit() and len(t) >= 4}
    return keys


class CrossCandidates(Stage):
    """Pairs in different languages that share numbers and names (see the module docstring).

    Input columns (the whole store): ``id``, ``language``, ``text`` (or ``keys``: each text's
    :func:`fact_keys`, computed where the texts are), ``new`` (bool). Output
    columns, one row per pair: ``a``, ``b`` (ids, ``a < b``). Each new article keeps its
    ``top_k`` partners in other languages by TF-IDF overlap of :func:`fact_keys`, at least
    ``min_shared`` keys shared.
    """

    name = "cross_candidates"

    def __init__(self, *, top_k: int = 5, min_shared: int = 3) -> None:
        self.top_k = top_k
        self.min_shared = min_shared

    def process_batch(self, batch: Batch) -> Batch:
        ids: list[str] = batch["id"]
        langs: list[Any] = batch["language"]
        if len({x for x in langs if x}) < 2:
            return {"a": [], "b": []}
        keys = (
            [set(k) for k in batch["keys"]]
            if "keys" in batch
            else [fact_keys(t) for t in batch["text"]]
        )
        df = Counter(k for ks in keys for k in ks)
        n = len(ids)
        idf = {k: math.log((n + 1) / (c + 1)) + 1.0 for k, c in df.items()}
        holders: dict[str, list[int]] = {}
        for row, ks in enumerate(keys):
            for k in ks:
                if df[k] <= max(50, n // 20):  # keys held by many articles tell nothing
                    holders.setdefault(k, []).append(row)
        # Sums in a fixed order (sorted keys, exact sums): a set's order changes between
        # processes, and the last bits of a score must not decide a rank.
        norm = [math.sqrt(math.fsum(idf[k] ** 2 for k in ks)) or 1.0 for ks in keys]
        found: set[tuple[str, str]] = set()
        for row in np.flatnonzero(np.asarray(batch["new"], dtype=bool)).tolist():
            score: Counter[int] = Counter()
            shared: Counter[int] = Counter()
            for k in sorted(keys[row]):
                for other in holders.get(k, ()):
                    if other != row and langs[other] != langs[row] and langs[other]:
                        score[other] += idf[k] ** 2
                        shared[other] += 1
            ranked = sorted(
                (o for o in score if shared[o] >= self.min_shared),
                key=lambda o: (-score[o] / (norm[row] * norm[o]), ids[o]),
            )
            for other in ranked[: self.top_k]:
                a, b = sorted((ids[row], ids[other]))
                found.add((a, b))
        ordered = sorted(found)
        return {"a": [a for a, _ in ordered], "b": [b for _, b in ordered]}
