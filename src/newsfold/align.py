"""Sentence alignment of two articles: which sentence of one reuses which sentence of the other.

:class:`SentenceAligner` scores every pair of sentences with two signals, both computed as matrix
products rather than pair by pair:

* **lexical**: Dice overlap of the sentences' word sets (case and punctuation ignored), and the
  share of the shorter sentence's word bigrams found in the other (word order);
* **semantic** (when an encoder is given): cosine similarity of sentence embeddings, which catches
  paraphrases and, with a multilingual encoder, translations.

Pairs are then matched one to one, best first. Each match has a kind: ``verbatim`` (same words),
``edited`` (mostly the same words: a word-level diff shows the changes), ``paraphrase`` (same
meaning, other words) or ``translation`` (the articles are in different languages), and a score in
[0, 1]: how surely the sentence is derived from the other (1 for verbatim, lower as more changes).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from newsfold.article import Article
from newsfold.embed import Encoder

__all__ = [
    "Alignment",
    "SentenceAligner",
    "SentencePair",
    "mark_changes",
    "word_diff",
    "word_ops",
]

MatchKind = Literal["verbatim", "edited", "paraphrase", "translation"]
_WORD = re.compile(r"\w+(?:['’]\w+)*")


@dataclass(frozen=True, slots=True)
class SentencePair:
    """Sentence ``i`` of the first article matched to sentence ``j`` of the second."""

    i: int
    j: int
    span_a: tuple[int, int]
    span_b: tuple[int, int]
    kind: MatchKind
    score: float
    lexical: float
    semantic: float | None


@dataclass(slots=True)
class Alignment:
    """The matched sentence pairs of two articles and how much of each they cover."""

    pairs: list[SentencePair] = field(default_factory=list)
    coverage_a: float = 0.0
    coverage_b: float = 0.0
    derived_a: float = 0.0
    derived_b: float = 0.0

    def kinds(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for p in self.pairs:
            counts[p.kind] = counts.get(p.kind, 0) + 1
        return counts


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


@lru_cache(maxsize=8192)
def _units(sentences: tuple[str, ...]) -> tuple[NDArray[np.int64], ...]:
    """The sentences' distinct words and word bigrams as hashes, each with its sentence's index
    (a sentence of one word stands as its own bigram). Memoised: an article's sentences are
    read once however many pairs it is in. Hashes only ever meet hashes of the same process."""
    words: list[int] = []
    word_row: list[int] = []
    grams: list[int] = []
    gram_row: list[int] = []
    for k, sentence in enumerate(sentences):
        found = _words(sentence)
        own = {hash(w) for w in found}
        pairs = {hash((x, y)) for x, y in pairwise(found)} or own
        words.extend(own)
        word_row.extend([k] * len(own))
        grams.extend(pairs)
        gram_row.extend([k] * len(pairs))
    return (
        np.array(words, dtype=np.int64),
        np.array(word_row, dtype=np.int64),
        np.array(grams, dtype=np.int64),
        np.array(gram_row, dtype=np.int64),
    )


def _overlap(
    a: NDArray[np.int64],
    rows_a: NDArray[np.int64],
    n_a: int,
    b: NDArray[np.int64],
    rows_b: NDArray[np.int64],
    n_b: int,
) -> tuple[NDArray[np.float32], NDArray[np.float32], NDArray[np.float32]]:
    """Shared units of every sentence pair, and each sentence's count of units."""  # fmt: skip
    _, ids = np.unique(np.concatenate([a, b]), return_inverse=True)
    width = int(ids.max()) + 1 if ids.size else 1
    ma = np.zeros((n_a, width), dtype=np.float32)
    mb = np.zeros((n_b, width), dtype=np.float32)
    ma[rows_a, ids[: a.size]] = 1.0
    mb[rows_b, ids[a.size :]] = 1.0
    return ma @ mb.T, ma.sum(axis=1), mb.sum(axis=1)


def lexical_matrix(sents_a: list[str], sents_b: list[str]) -> NDArray[np.float32]:
    """Lexical similarity of every sentence pair: the mean of word-set Dice and bigram
    containment (share of the shorter sentence's bigrams found in the other)."""
    wa, ra, ga, gra = _units(tuple(sents_a))
    wb, rb, gb, grb = _units(tuple(sents_b))
    inter, size_a, size_b = _overlap(wa, ra, len(sents_a), wb, rb, len(sents_b))
    dice = 2 * inter / np.maximum(size_a[:, None] + size_b[None, :], 1)
    binter, bsize_a, bsize_b = _overlap(ga, gra, len(sents_a), gb, grb, len(sents_b))
    contain = binter / np.maximum(np.minimum(bsize_a[:, None], bsize_b[None, :]), 1)
    return ((dice + contain) / 2).astype(np.float32)


def word_ops(a: str, b: str) -> list[tuple[str, str, str]]:
    """Word-level runs from ``a`` to ``b``: ``(op, words of a, words of b)``, op one of
    ``equal``, ``replace``, ``delete``, ``insert``."""
    wa, wb = a.split(), b.split()
    ops = difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).get_opcodes()
    return [(op, " ".join(wa[i1:i2]), " ".join(wb[j1:j2])) for op, i1, i2, j1, j2 in ops]


def word_diff(a: str, b: str) -> list[tuple[str, str, str]]:
    """The changes of :func:`word_ops` (equal runs left out)."""
    return [op for op in word_ops(a, b) if op[0] != "equal"]


def mark_changes(
    a: str,
    b: str,
    removed: Callable[[str], str],
    added: Callable[[str], str],
    same: Callable[[str], str],
) -> tuple[str, str]:
    """Both texts with their changed words wrapped by ``removed`` (in ``a``) and ``added`` (in
    ``b``) and the rest by ``same``: the one diff every renderer (terminal, HTML) shows."""
    left: list[str] = []
    right: list[str] = []
    for op, old, new in word_ops(a, b):
        if op == "equal":
            left.append(same(old))
            right.append(same(new))
            continue
        if old:
            left.append(removed(old))
        if new:
            right.append(added(new))
    return " ".join(left), " ".join(right)


@dataclass
class SentenceAligner:
    """Align the sentences of two articles (see the module docstring).

    Parameters: ``verbatim`` is the lexical similarity from which a pair counts as the same
    sentence; ``edited`` the lexical similarity from which it is an edited copy; ``related`` the
    lexical similarity from which a pair is matched at all; ``paraphrase`` the cosine from which
    two sentences of one language mean the same; ``translation`` the cosine of multilingual
    vectors from which two sentences of different languages render each other; ``meaning_weight``
    the share of meaning (cosine) in a pair's score, the rest being its wording (lexical);
    ``same_story`` the cosine of two articles' leads from which they tell one story.
    The cosine thresholds suit MiniLM; :meth:`for_encoder` takes an encoder's own.
    """

    encoder: Encoder | None = None
    verbatim: float = 0.97
    edited: float = 0.5
    related: float = 0.35
    paraphrase: float = 0.78
    translation: float = 0.80
    meaning_weight: float = 0.5
    same_story: float = 0.55

    @classmethod
    def for_encoder(cls, encoder: Encoder | None, **params: float) -> SentenceAligner:
        """An aligner whose cosine thresholds are those the encoder states (its
        ``thresholds`` mapping: ``paraphrase``, ``same_story``, ``translation``), when it
        states them; ``params`` override. The encoder is kept for texts given without
        vectors."""
        given = dict(getattr(encoder, "thresholds", {}) or {})
        given.update(params)
        return cls(encoder=encoder, **given)

    def score_matrix(
        self,
        sents_a: list[str],
        sents_b: list[str],
        emb_a: NDArray[np.float32] | None = None,
        emb_b: NDArray[np.float32] | None = None,
        *,
        cross_language: bool = False,
    ) -> tuple[NDArray[np.float32], NDArray[np.float32], NDArray[np.float32] | None]:
        """``(score, lexical, cosine)`` matrices for every sentence pair.

        The score is how surely one sentence derives from the other. Within one language it
        blends meaning and wording (``meaning_weight``): a verbatim copy scores 1, a light edit
        about 0.9, a heavy paraphrase about 0.6, a sentence of the same topic about 0.3 (the
        weight was chosen on MRPC news paraphrases; see ``bench/RESULTS.md``). Across languages
        words are not shared, so meaning alone scores 0.35 at the translation threshold, rising
        to 0.75, and falls off below it.
        """
        lex = lexical_matrix(sents_a, sents_b)
        cos: NDArray[np.float32] | None = None
        if emb_a is None and self.encoder is not None and sents_a and sents_b:
            emb_a, emb_b = self.encoder.encode(sents_a), self.encoder.encode(sents_b)
        if emb_a is not None and emb_b is not None:
            cos = (emb_a @ emb_b.T).astype(np.float32)
        if cos is None:
            return lex, lex, None
        if cross_language:
            span = 1 - self.translation
            para = np.clip(0.35 + 0.4 * (cos - self.translation) / span, 0.0, 0.75)
            return np.maximum(lex, para).astype(np.float32), lex, cos
        w = self.meaning_weight
        score = w * np.clip(cos, 0.0, 1.0) + (1 - w) * lex
        score = np.maximum(score, np.where(lex >= self.verbatim, lex, 0.0))
        return score.astype(np.float32), lex, cos

    def match_matrix(
        self,
        lex: NDArray[np.float32],
        cos: NDArray[np.float32] | None,
        *,
        cross_language: bool = False,
    ) -> NDArray[np.bool_]:
        """Which sentence pairs count as reuse: shared wording, or the same meaning."""
        matches = lex >= self.related
        if cos is not None:
            matches |= cos >= (self.translation if cross_language else self.paraphrase)
        return matches

    def align(
        self,
        a: Article,
        b: Article,
        emb_a: NDArray[np.float32] | None = None,
        emb_b: NDArray[np.float32] | None = None,
    ) -> Alignment:
        """Match the sentences of ``a`` and ``b`` one to one, best first."""
        sents_a = [s.text for s in a.sentences]
        sents_b = [s.text for s in b.sentences]
        if not sents_a or not sents_b:
            return Alignment()
        cross = bool(a.language and b.language and a.language != b.language)
        score, lex, cos = self.score_matrix(sents_a, sents_b, emb_a, emb_b, cross_language=cross)
        pairs: list[SentencePair] = []
        used_a = np.zeros(len(sents_a), dtype=bool)
        used_b = np.zeros(len(sents_b), dtype=bool)
        matches = self.match_matrix(lex, cos, cross_language=cross)
        flat = np.argsort(-np.where(matches, score, -1.0), axis=None, kind="stable")
        for k in flat[: np.count_nonzero(matches)]:  # a loop over matching pairs only
            i, j = divmod(int(k), len(sents_b))
            if used_a[i] or used_b[j]:
                continue
            used_a[i] = used_b[j] = True
            lexical = float(lex[i, j])
            semantic = None if cos is None else float(cos[i, j])
            if lexical >= self.verbatim:
                kind: MatchKind = "verbatim"
            elif lexical >= self.edited:
                kind = "edited"
            else:
                kind = "translation" if cross else "paraphrase"
            pairs.append(
                SentencePair(
                    i,
                    j,
                    a.spans[i],
                    b.spans[j],
                    kind,
                    round(float(score[i, j]), 4),
                    lexical,
                    semantic,
                )
            )
        pairs.sort(key=lambda p: (p.i, p.j))
        return _with_coverage(pairs, a, b, score)


def _digits(text: str) -> frozenset[str]:
    return frozenset(re.sub(r"\D", "", m) for m in re.findall(r"\d[\d.,]*\d|\d", text))


def length_alignment(a: Article, b: Article, lead_cosine: float) -> Alignment:
    """Align two articles in different languages without sentence vectors: a translation keeps
    its source's sentence order and, language pair aside, its sentences' relative lengths (Gale
    & Church 1993). A dynamic programme over 1-1, 1-2, 2-1, 1-0 and 0-1 steps scores each 1-1
    step by how far its length ratio strays from the articles' overall ratio and by the numbers
    both sentences hold; ``lead_cosine`` (multilingual) scales the scores, so the alignment of
    two unrelated articles scores low even where lengths happen to agree. Each 1-1 step with
    matching lengths (and no number held by one alone) is a ``translation`` pair."""
    len_a = np.array([e - s for s, e in a.spans], dtype=np.float64)
    len_b = np.array([e - s for s, e in b.spans], dtype=np.float64)
    n, m = len(len_a), len(len_b)
    if not n or not m:
        return Alignment()
    ratio = len_b.sum() / max(len_a.sum(), 1.0)
    digits_a = [_digits(s.text) for s in a.sentences]
    digits_b = [_digits(s.text) for s in b.sentences]

    def cost(la: float, lb: float) -> float:
        return abs(float(np.log(max(lb, 1.0) / max(la * ratio, 1.0))))

    inf = float("inf")
    best = np.full((n + 1, m + 1), inf)
    step = np.zeros((n + 1, m + 1, 2), dtype=np.int64)
    best[0, 0] = 0.0
    skip = 1.0  # a sentence left out costs as much as lengths off by a factor e
    for i in range(n + 1):
        for j in range(m + 1):
            here = best[i, j]
            if here == inf:
                continue
            for di, dj in ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2)):
                ni, nj = i + di, j + dj
                if ni > n or nj > m:
                    continue
                if di and dj:
                    c = cost(len_a[i:ni].sum(), len_b[j:nj].sum()) + 0.2 * (di + dj - 2)
                    if di == dj == 1 and digits_a[i] != digits_b[j]:
                        c += 0.5
                else:
                    c = skip
                if here + c < best[ni, nj]:
                    best[ni, nj] = here + c
                    step[ni, nj] = (di, dj)
    pairs: list[SentencePair] = []
    i, j = n, m
    score = np.zeros((n, m), dtype=np.float32)
    while i or j:
        di, dj = (int(x) for x in step[i, j])
        i, j = i - di, j - dj
        if di == dj == 1:
            fit = max(0.0, 1.0 - cost(len_a[i], len_b[j]))
            sure = round(float(np.clip(lead_cosine * (0.5 + 0.5 * fit), 0.0, 1.0)), 4)
            score[i, j] = sure
            if fit >= 0.5 and digits_a[i] == digits_b[j]:
                pairs.append(
                    SentencePair(i, j, a.spans[i], b.spans[j], "translation", sure, 0.0, None)
                )
    pairs.sort(key=lambda p: (p.i, p.j))
    return _with_coverage(pairs, a, b, score)


def _with_coverage(
    pairs: list[SentencePair], a: Article, b: Article, score: NDArray[np.float32]
) -> Alignment:
    """Coverage: the share of each article's characters in matched sentences. Derived: the
    length-weighted mean, over each article's sentences, of its best score against the other
    (continuous, so that one-sentence texts still order by how much was changed)."""
    len_a = np.array([e - s for s, e in a.spans], dtype=np.float64)
    len_b = np.array([e - s for s, e in b.spans], dtype=np.float64)
    hit_a = np.zeros(len(len_a), dtype=bool)
    hit_b = np.zeros(len(len_b), dtype=bool)
    for p in pairs:
        hit_a[p.i] = hit_b[p.j] = True
    total_a, total_b = max(len_a.sum(), 1.0), max(len_b.sum(), 1.0)
    return Alignment(
        pairs=pairs,
        coverage_a=float(len_a[hit_a].sum() / total_a),
        coverage_b=float(len_b[hit_b].sum() / total_b),
        derived_a=float((len_a * score.max(axis=1)).sum() / total_a),
        derived_b=float((len_b * score.max(axis=0)).sum() / total_b),
    )
