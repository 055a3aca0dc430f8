"""Near-duplicate detection for datasets, keeping the likely original of each group.

:class:`Deduper` is a component in the scikit-learn manner: ``fit`` (or ``partial_fit`` batch by
batch) takes texts with optional publication dates and learns, per text, its duplicate group, the
member kept, the relation to it and the similarity. Only signatures and a few numbers per text are
held, never the texts, so memory grows with the number of texts, not their length.

How a group's kept member is chosen (where other tools keep the first or a random one):

1. the earliest publication date, when members have one;
2. otherwise the member most similar to the rest of its group (the medoid): copies are edited
   independently from their source, so the source sits at their centre;
3. then the longer text (a partial copy is shorter than what it copies), then input order.

Relations (of a text to the kept member of its group): ``duplicate`` (the same words in the same
order: case, spacing and punctuation aside),
``near_duplicate`` (estimated Jaccard ≥ ``near_threshold``, the words in their order),
``partial`` (one text much shorter than the other: a part of it), ``rewrite`` (the rest of a group:
much shared text, much changed or reordered); the kept member itself is ``original``, a text alone
is ``unique``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from newsfold.embed import Encoder, MiniLM
from newsfold.signatures import MinHasher, candidate_pairs, fact_signatures

__all__ = [
    "NO_DATE",
    "DedupResult",
    "Deduper",
    "centrality",
    "choose_kept",
    "date_stamps",
    "link_pairs",
    "reference_step",
    "relations_to_kept",
    "shingle_counts",
]

#: The date stamp of a text without a publication date (sorts after every date).
NO_DATE = np.iinfo(np.int64).max
_NO_DATE = NO_DATE
_LEAD_CHARS = 400
#: The signature of a text without names or numbers (every bin empty).
_NO_FACTS = np.uint32(0xFFFFFFFF)
#: Lead cosine that makes a paraphrased copy on its own, when facts cannot confirm it.
_LEAD_ALONE = 0.96
#: Share of the expected shingle similarity below which a copy counts as reordered.
_REORDERED = 0.72


@lru_cache(maxsize=1)
def _lead_encoder() -> Encoder:
    """MiniLM reading the first 64 tokens (about two sentences): twice as fast as 128, and a
    paraphrased copy keeps its source's lead facts."""
    return MiniLM(max_tokens=64, batch=16)


@dataclass(frozen=True, slots=True)
class DedupResult:
    """What the deduper learned about one text."""

    group: int
    kept: bool
    dup_of: int | None
    relation: str
    similarity: float | None


def _agreement(
    sig: NDArray[np.uint32], a: NDArray[np.int64], b: NDArray[np.int64], chunk: int = 8192
) -> NDArray[np.float64]:
    """Share of equal bins of signature rows ``a[k]`` and ``b[k]``, in chunks (bounded memory)."""
    out = np.empty(len(a), dtype=np.float64)
    for start in range(0, len(a), chunk):
        stop = start + chunk
        out[start:stop] = np.mean(sig[a[start:stop]] == sig[b[start:stop]], axis=1)
    return out


def _cosines(
    vec: NDArray[np.float32], a: NDArray[np.int64], b: NDArray[np.int64], chunk: int = 8192
) -> NDArray[np.float64]:
    """Cosine of unit vectors ``a[k]`` and ``b[k]``, in chunks."""
    out = np.empty(len(a), dtype=np.float64)
    for start in range(0, len(a), chunk):
        stop = start + chunk
        out[start:stop] = np.einsum("ij,ij->i", vec[a[start:stop]], vec[b[start:stop]])
    return out


def _nearest_pairs(vec: NDArray[np.float32], k: int, floor: float) -> NDArray[np.int64]:
    """Pairs of texts among each other's ``k`` nearest by cosine, at ``floor`` or above
    (exact search by blocked matrix products)."""
    n = vec.shape[0]
    k = min(k, n - 1)
    if k <= 0:
        return np.empty((0, 2), dtype=np.int64)
    found: list[NDArray[np.int64]] = []
    for start in range(0, n, 1024):  # blocks of rows against all rows
        sims = vec[start : start + 1024] @ vec.T
        rows = np.arange(start, start + sims.shape[0])
        sims[np.arange(sims.shape[0]), rows] = -1.0
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        hit_row, hit_col = np.nonzero(np.take_along_axis(sims, top, axis=1) >= floor)
        found.append(np.stack([rows[hit_row], top[hit_row, hit_col]], axis=1))
    return np.concatenate(found)


def _merge_pairs(x: NDArray[np.int64], y: NDArray[np.int64], n: int) -> NDArray[np.int64]:
    both = np.concatenate([x, y])
    lo, hi = both.min(axis=1), both.max(axis=1)
    keys = np.unique(lo * n + hi)
    return np.stack([keys // n, keys % n], axis=1)


def _reordered(shingles: NDArray[np.float64], words: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Whether texts share far fewer word 5-grams than their changed words explain: the same
    words in another order (a reordered or sentence-shuffled copy, a rewrite).

    With word-set Jaccard ``J1`` a share ``c = 2·J1/(1+J1)`` of the words is kept; changed
    independently, a 5-gram survives with probability ``c⁵``, so the expected 5-gram Jaccard
    is ``c⁵/(2-c⁵)``. Edited copies come close to it (0.8 to 1.1 of it on the planted corpus),
    reordered copies reach about 0.6 of it."""
    kept = 2 * words / (1 + words)
    survive = kept**5
    expected = survive / np.maximum(2 - survive, 1e-9)
    return shingles < _REORDERED * expected


def shingle_counts(words: NDArray[np.int64], ngram: int) -> NDArray[np.int64]:
    """The number of word ``ngram``-grams of texts of ``words`` words (at least 1)."""
    return np.maximum(words - ngram + 1, 1)


def date_stamps(published: Sequence[datetime | None] | None, n: int) -> NDArray[np.int64]:
    """Publication dates as POSIX seconds, :data:`NO_DATE` where missing (``n`` entries)."""
    stamps = [int(d.timestamp()) if d is not None else _NO_DATE for d in published or []]
    stamps += [_NO_DATE] * (n - len(stamps))
    return np.asarray(stamps, dtype=np.int64)


def link_pairs(
    sig_a: NDArray[np.uint32],
    sig_b: NDArray[np.uint32],
    size_a: NDArray[np.int64],
    size_b: NDArray[np.int64],
    exact_a: NDArray[np.uint64],
    exact_b: NDArray[np.uint64],
    threshold: float,
    containment: float,
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Which candidate pairs (row ``k`` of the ``_a`` and ``_b`` arrays) are lexical copies: the
    same words in the same order, an estimated shingle Jaccard of ``threshold`` or more, or the
    shorter text's shingles found in the longer one at ``containment`` or more. Returns the
    estimated Jaccard of every pair and whether it links."""
    sim = np.empty(len(size_a), dtype=np.float64)
    for start in range(0, len(sim), 8192):  # chunks: bounded memory
        stop = start + 8192
        sim[start:stop] = np.mean(sig_a[start:stop] == sig_b[start:stop], axis=1)
    # Shared shingles estimated from Jaccard and the set sizes: |A∩B| = J(|A|+|B|)/(1+J).
    shared = sim * (size_a + size_b) / (1 + sim)
    contained = shared / np.maximum(np.minimum(size_a, size_b), 1)
    linked = (exact_a == exact_b) | (sim >= threshold) | (contained >= containment)
    return sim, linked


def reference_step(members: int) -> int:
    """Every how many members (in input order) a group's reference sample takes one: at most
    about 200 members are compared with each candidate for the kept place."""
    return max(1, members // 200)


def centrality(
    candidates: NDArray[np.uint32], reference: NDArray[np.uint32]
) -> NDArray[np.float64]:
    """How central each candidate signature is in its group: its mean bin agreement with the
    ``reference`` signatures (a sample of the group, :func:`reference_step`). Ties are exact:
    every value is a count over ``len(reference)`` × ``num_perm``."""
    out = np.empty(len(candidates), dtype=np.float64)
    for start in range(0, len(candidates), 256):  # chunks of candidates: bounded memory
        agree = candidates[start : start + 256, None, :] == reference[None, :, :]
        out[start : start + 256] = agree.mean(axis=(1, 2))
    return out


def choose_kept(sig: NDArray[np.uint32], sizes: NDArray[np.int64], dates: NDArray[np.int64]) -> int:
    """The position of the kept member among the members of one group, given in input order
    (see the module docstring for the order of reasons): the earliest date, else the most
    central signature, else the longest, else the first. Equivalently: the smallest
    (date, -centrality, -size, position), as every tie of a step goes on to the next."""
    candidates = np.arange(len(sizes))
    earliest = dates.min()
    if earliest != _NO_DATE:
        candidates = candidates[dates == earliest]
    if candidates.size > 1:
        central = centrality(sig[candidates], sig[:: reference_step(len(sizes))])
        candidates = candidates[central >= central.max() - 1e-9]
    if candidates.size > 1:
        candidates = candidates[sizes[candidates] == sizes[candidates].max()]
    return int(candidates.min())


def relations_to_kept(
    kept: NDArray[np.bool_],
    in_group: NDArray[np.bool_],
    lexical: NDArray[np.float64],
    words: NDArray[np.float64],
    size: NDArray[np.int64],
    kept_size: NDArray[np.int64],
    exact: NDArray[np.uint64],
    kept_exact: NDArray[np.uint64],
    near_threshold: float,
) -> NDArray[np.str_]:
    """The relation of each text to the kept member of its group: ``original`` (kept, in a group
    of two or more), ``unique`` (alone), else ``duplicate``, ``partial``, ``near_duplicate`` or
    ``rewrite`` (see the module docstring). ``lexical`` and ``words``: estimated Jaccard of the
    shingles and of the word sets with the kept member; ``in_group``: the group has 2+ members."""
    relations = np.where(in_group, "original", "unique").astype("<U14")
    dup = ~kept
    ratio = size / np.maximum(kept_size, 1)
    lopsided = np.minimum(ratio, 1 / np.maximum(ratio, 1e-9)) < 0.75
    relations[dup] = "rewrite"
    relations[dup & (lexical >= near_threshold) & ~_reordered(lexical, words)] = "near_duplicate"
    relations[dup & lopsided] = "partial"
    relations[dup & (exact == kept_exact)] = "duplicate"
    return relations


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = np.arange(n, dtype=np.int64)

    def find_all(self) -> NDArray[np.int64]:
        """Root of every element (path compression done vectorised until stable)."""
        parent = self.parent
        while True:
            grand = parent[parent]
            if np.array_equal(grand, parent):
                return parent
            parent = grand

    def union_pairs(self, pairs: NDArray[np.int64]) -> None:
        # Repeatedly hook the larger root under the smaller one until every pair shares a root.
        while pairs.size:
            roots = self.find_all()
            self.parent = roots
            a, b = roots[pairs[:, 0]], roots[pairs[:, 1]]
            differ = a != b
            if not differ.any():
                return
            lo, hi = np.minimum(a[differ], b[differ]), np.maximum(a[differ], b[differ])
            np.minimum.at(self.parent, hi, lo)
            pairs = pairs[differ]


@dataclass
class Deduper:
    """Group near-duplicate texts and keep the likely original of each group.

    Parameters are stored as given. ``threshold``: estimated Jaccard similarity of word shingles
    above which two texts are duplicates; ``containment``: share of the shorter text's shingles
    found in the longer one above which it is a (partial) copy. With ``mode="semantic"`` the
    leads of the texts are also embedded (MiniLM on the first 64 tokens unless ``encoder`` is
    given): texts whose leads have a cosine of ``semantic_threshold`` or more (among each
    other's ``top_k`` nearest neighbours) and which share their names and numbers (estimated
    Jaccard similarity of :func:`~newsfold.signatures.fact_tokens` ≥ ``facts_threshold``) are
    paraphrased copies (``rewrite``). The lead finds the paraphrase; the facts keep apart two
    stories told alike (two earthquakes, one template). Where a text has no names or numbers
    (lower-cased data), a lead cosine of 0.96 alone decides. Learned state (computed when first
    read after ``fit`` or ``partial_fit``): ``groups_``, ``kept_``, ``dup_of_`` (-1 for kept
    texts), ``relations_``, ``similarity_``: arrays with one entry per text seen.
    """

    threshold: float = 0.5
    containment: float = 0.8
    near_threshold: float = 0.6
    num_perm: int = 128
    ngram: int = 5
    bands: int = 42
    seed: int = 1
    mode: Literal["lexical", "semantic"] = "lexical"
    semantic_threshold: float = 0.8
    facts_threshold: float = 0.45
    encoder: Encoder | None = None
    top_k: int = 20
    _sig: list[NDArray[np.uint32]] = field(default_factory=list, init=False, repr=False)
    _vec: list[NDArray[np.float16]] = field(default_factory=list, init=False, repr=False)
    _facts: list[NDArray[np.uint32]] = field(default_factory=list, init=False, repr=False)
    _vocab: list[NDArray[np.uint32]] = field(default_factory=list, init=False, repr=False)
    _sizes: list[NDArray[np.int64]] = field(default_factory=list, init=False, repr=False)
    _dates: list[NDArray[np.int64]] = field(default_factory=list, init=False, repr=False)
    _exact: list[NDArray[np.uint64]] = field(default_factory=list, init=False, repr=False)
    _state: dict[str, NDArray[np.generic]] | None = field(default=None, init=False, repr=False)

    # -- learning
    def fit(
        self, texts: Sequence[str], published: Sequence[datetime | None] | None = None
    ) -> Deduper:
        """Learn from ``texts`` alone (forgetting earlier calls)."""
        self._sig, self._sizes, self._dates, self._exact = [], [], [], []
        self._vec, self._facts, self._vocab = [], [], []
        return self.partial_fit(texts, published)

    def partial_fit(
        self, texts: Sequence[str], published: Sequence[datetime | None] | None = None
    ) -> Deduper:
        """Add ``texts`` to what was seen; the results then cover every text seen so far."""
        hasher = MinHasher(self.num_perm, self.ngram, self.seed)
        sig, words, exact, vocabulary = hasher.sketch(texts)
        self._sig.append(sig)
        self._vocab.append(vocabulary)
        self._sizes.append(shingle_counts(words, self.ngram))
        self._dates.append(date_stamps(published, len(texts)))
        self._exact.append(exact)
        if self.mode == "semantic":
            encoder = self.encoder or _lead_encoder()
            # The lead (the encoder reads 128 tokens at most): cut early to save tokenising.
            self._vec.append(encoder.encode([t[:_LEAD_CHARS] for t in texts]).astype(np.float16))
            self._facts.append(fact_signatures(texts))
        elif self.mode != "lexical":
            raise ValueError(f"mode must be 'lexical' or 'semantic', not {self.mode!r}")
        self._state = None
        return self

    @property
    def n_seen_(self) -> int:
        return sum(len(e) for e in self._exact)

    def _learned(self, name: str) -> NDArray[np.generic]:
        if not self._exact:
            raise AttributeError(f"{name} is learned by fit or partial_fit")
        if self._state is None:
            self._state = self._solve()
        return self._state[name]

    @property
    def groups_(self) -> NDArray[np.int64]:
        return self._learned("groups")  # type: ignore[return-value]

    @property
    def kept_(self) -> NDArray[np.bool_]:
        return self._learned("kept")  # type: ignore[return-value]

    @property
    def dup_of_(self) -> NDArray[np.int64]:
        return self._learned("dup_of")  # type: ignore[return-value]

    @property
    def similarity_(self) -> NDArray[np.float64]:
        return self._learned("similarity")  # type: ignore[return-value]

    @property
    def relations_(self) -> NDArray[np.str_]:
        return self._learned("relations")  # type: ignore[return-value]

    def _solve(self) -> dict[str, NDArray[np.generic]]:
        sig = np.concatenate(self._sig)
        sizes = np.concatenate(self._sizes)
        dates = np.concatenate(self._dates)
        exact = np.concatenate(self._exact)
        n = sig.shape[0]
        pairs = candidate_pairs(sig, self.bands)
        vec = np.concatenate(self._vec).astype(np.float32) if self._vec else None
        if vec is not None:
            pairs = _merge_pairs(pairs, _nearest_pairs(vec, self.top_k, self.semantic_threshold), n)
        a, b = pairs[:, 0], pairs[:, 1]
        linked = np.zeros(len(a), dtype=bool)
        for start in range(0, len(a), 8192):  # rows gathered in chunks: bounded memory
            i, j = a[start : start + 8192], b[start : start + 8192]
            linked[start : start + 8192] = link_pairs(
                sig[i],
                sig[j],
                sizes[i],
                sizes[j],
                exact[i],
                exact[j],
                self.threshold,
                self.containment,
            )[1]
        if vec is not None:
            facts = np.concatenate(self._facts)
            cos = _cosines(vec, a, b)
            # Without names or numbers on one side (lower-cased text) only the lead can tell.
            known = (facts[a, 0] != _NO_FACTS) & (facts[b, 0] != _NO_FACTS)
            confirmed = np.where(
                known, _agreement(facts, a, b) >= self.facts_threshold, cos >= _LEAD_ALONE
            )
            linked |= (cos >= self.semantic_threshold) & confirmed

        uf = _UnionFind(n)
        uf.union_pairs(pairs[linked])
        _, groups = np.unique(uf.find_all(), return_inverse=True)
        kept_of_group = self._choose_kept(sig, sizes, dates, groups)
        kept_of = kept_of_group[groups]
        kept = kept_of == np.arange(n)
        lexical = np.where(kept, 1.0, _agreement(sig, np.arange(n), kept_of))
        similarity = lexical
        if vec is not None:
            # Meaning alone: 0.35 at the threshold up to 0.75 for the same meaning (as in align).
            meaning = _cosines(vec, np.arange(n), kept_of)
            span = max(1.0 - self.semantic_threshold, 1e-9)
            scaled = np.clip(0.35 + 0.4 * (meaning - self.semantic_threshold) / span, 0.0, 0.75)
            similarity = np.where(kept, 1.0, np.maximum(lexical, scaled))

        counts = np.bincount(groups)
        words = _agreement(np.concatenate(self._vocab), np.arange(n), kept_of)
        relations = relations_to_kept(
            kept,
            counts[groups] > 1,
            lexical,
            words,
            sizes,
            sizes[kept_of],
            exact,
            exact[kept_of],
            self.near_threshold,
        )
        return {
            "groups": groups,
            "kept": kept,
            "dup_of": np.where(kept, -1, kept_of),
            "similarity": similarity,
            "relations": relations,
        }

    def _choose_kept(
        self,
        sig: NDArray[np.uint32],
        sizes: NDArray[np.int64],
        dates: NDArray[np.int64],
        groups: NDArray[np.int64],
    ) -> NDArray[np.int64]:
        """The kept member of every group (see the module docstring for the order of reasons)."""
        kept = np.arange(int(groups.max()) + 1, dtype=np.int64)
        order = np.argsort(groups, kind="stable")
        sorted_groups = groups[order]
        starts = np.flatnonzero(np.diff(sorted_groups, prepend=-1))
        ends = np.append(starts[1:], order.size)
        kept[sorted_groups[starts]] = order[starts]  # singletons: themselves
        for start, end in zip(starts[ends - starts > 1], ends[ends - starts > 1], strict=True):
            members = order[start:end]  # a loop over groups of two or more only (input order)
            best = choose_kept(sig[members], sizes[members], dates[members])
            kept[groups[members[0]]] = members[best]
        return kept

    # -- results
    def result(self, i: int) -> DedupResult:
        """What was learned about the ``i``-th text seen."""
        kept = bool(self.kept_[i])
        return DedupResult(
            group=int(self.groups_[i]),
            kept=kept,
            dup_of=None if kept else int(self.dup_of_[i]),
            relation=str(self.relations_[i]),
            similarity=None if kept else round(float(self.similarity_[i]), 4),
        )
