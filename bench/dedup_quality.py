"""Scoring deduplication output against the planted labels of a :mod:`bench.planted` corpus.

A deduplicator's output is the corpus, record for record, with ``dup_group`` and ``kept`` added
(``planted`` passes through). The truth: a planted original and its copies form one cluster;
every other record is alone. Scores:

* pairwise precision, recall and F1 over "same group" pairs: a pair of records is predicted when
  they share a ``dup_group``, true when they share a planted cluster;
* recall per kind of copy: the share of copies found in their original's group;
* the original-kept rate: of the groups that join a planted original with at least one of its
  copies, the share whose kept record is the original;
* false merges: unrelated records put in a group with anything, groups mixing clusters.

:func:`missed_similarity` then measures the copies a tool did not group with their original:
exact Jaccard similarity of their word 5-gram sets and, through newsfold's own signatures
(``newsfold.signatures.MinHasher``, the ``Deduper`` defaults), the estimated Jaccard similarity
and containment newsfold compares with its thresholds, and whether the pair was an LSH candidate.
:func:`newsfold_candidates` counts the candidate pairs newsfold's LSH yields on a whole corpus.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.planted import ALL_COPY_KINDS, COPY_KINDS, similarity

__all__ = [
    "Candidates",
    "Missed",
    "Quality",
    "evaluate",
    "missed_similarity",
    "newsfold_candidates",
]

#: Missed copies measured per kind (the first in file order).
MISSED_SAMPLE = 200

Pair = tuple[str, str]  # (copy id, original id)


@dataclass(slots=True)
class Quality:
    """The scores of one output file."""

    records: int
    precision: float
    recall: float
    f1: float
    kept_original: float
    original_groups: int
    copies: dict[str, int]
    found: dict[str, int]
    unrelated_grouped: int
    mixed_groups: int
    missed: dict[str, list[Pair]] = field(default_factory=dict)

    def recall_of(self, kind: str) -> float:
        return self.found[kind] / self.copies[kind] if self.copies[kind] else float("nan")


@dataclass(frozen=True, slots=True)
class Missed:
    """Similarity of a sample of the missed copies of one kind."""

    kind: str
    pairs: int
    jaccard: list[float]
    estimated: list[float]
    contained: list[float]
    candidates: int | None


@dataclass(slots=True)
class _Labels:
    ids: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    truth: list[str] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)
    kept: list[bool] = field(default_factory=list)
    of: list[str | None] = field(default_factory=list)


def _records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _labels(path: Path) -> _Labels:
    labels = _Labels()
    for record in _records(path):
        planted = record["planted"]
        labels.ids.append(record["id"])
        labels.kinds.append(planted["kind"])
        labels.of.append(planted["of"])
        labels.truth.append(planted["of"] or record["id"])
        labels.groups.append(int(record["dup_group"]))
        labels.kept.append(bool(record["kept"]))
    return labels


def _pairs(counts: Iterable[int]) -> int:
    return sum(c * (c - 1) // 2 for c in counts)


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def _pairwise(labels: _Labels) -> tuple[float, float, float]:
    together = _pairs(Counter(zip(labels.truth, labels.groups, strict=True)).values())
    predicted = _pairs(Counter(labels.groups).values())
    true = _pairs(Counter(labels.truth).values())
    precision, recall = _ratio(together, predicted), _ratio(together, true)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _per_kind(
    labels: _Labels, index: dict[str, int]
) -> tuple[Counter[str], Counter[str], dict[str, list[Pair]]]:
    copies: Counter[str] = Counter()
    found: Counter[str] = Counter()
    missed: dict[str, list[Pair]] = defaultdict(list)
    for i, kind in enumerate(labels.kinds):
        of = labels.of[i]
        if of is None:
            continue
        copies[kind] += 1
        if labels.groups[i] == labels.groups[index[of]]:
            found[kind] += 1
        elif len(missed[kind]) < MISSED_SAMPLE:
            missed[kind].append((labels.ids[i], of))
    return copies, found, dict(missed)


def _kept_original(labels: _Labels, index: dict[str, int]) -> tuple[float, int]:
    kept_of = {g: i for i, g in enumerate(labels.groups) if labels.kept[i]}
    joined = {
        index[of]
        for i, of in enumerate(labels.of)
        if of is not None and labels.groups[i] == labels.groups[index[of]]
    }
    hits = sum(kept_of.get(labels.groups[o]) == o for o in joined)
    return _ratio(hits, len(joined)), len(joined)


def _false_merges(labels: _Labels) -> tuple[int, int]:
    sizes = Counter(labels.groups)
    unrelated = sum(
        k == "unrelated" and sizes[g] > 1 for k, g in zip(labels.kinds, labels.groups, strict=True)
    )
    clusters: dict[int, set[str]] = defaultdict(set)
    for truth, g in zip(labels.truth, labels.groups, strict=True):
        if sizes[g] > 1:
            clusters[g].add(truth)
    return unrelated, sum(len(c) > 1 for c in clusters.values())


def evaluate(path: Path) -> Quality:
    """Score the deduplicated corpus at ``path`` against its planted labels."""
    labels = _labels(path)
    index = {id_: i for i, id_ in enumerate(labels.ids)}
    precision, recall, f1 = _pairwise(labels)
    copies, found, missed = _per_kind(labels, index)
    kept_rate, original_groups = _kept_original(labels, index)
    unrelated, mixed = _false_merges(labels)
    # the optional kinds (paraphrase) only where the corpus has them
    kinds = [k for k in ALL_COPY_KINDS if k in COPY_KINDS or copies[k]]
    return Quality(
        records=len(labels.ids),
        precision=precision,
        recall=recall,
        f1=f1,
        kept_original=kept_rate,
        original_groups=original_groups,
        copies={k: copies[k] for k in kinds},
        found={k: found[k] for k in kinds},
        unrelated_grouped=unrelated,
        mixed_groups=mixed,
        missed=missed,
    )


# --------------------------------------------------------------------------- missed copies


def _texts(path: Path, wanted: set[str]) -> dict[str, str]:
    return {r["id"]: r["text"] for r in _records(path) if r["id"] in wanted}


def _sketch(hasher: Any, texts: list[str], ngram: int) -> tuple[Any, list[int]]:
    """Signatures and shingle-set sizes as newsfold's ``Deduper`` computes them (its own word
    counts where ``MinHasher.sketch`` gives them, else whitespace-separated words)."""
    sketch = getattr(hasher, "sketch", None)
    if sketch is not None:
        sig, words = sketch(texts)[:2]
        counts = [int(w) for w in words]
    else:
        sig, counts = hasher.signatures(texts), [len(t.split()) for t in texts]
    return sig, [max(c - ngram + 1, 1) for c in counts]


def _newsfold_estimates(pairs: Sequence[tuple[str, str]]) -> tuple[list[float], list[float]]:
    """newsfold's estimated Jaccard and containment of each (copy, original) text pair, with the
    ``Deduper`` defaults (empty lists when newsfold cannot be imported)."""
    try:
        import numpy as np

        from newsfold.dedup import Deduper
        from newsfold.signatures import MinHasher
    except Exception:  # newsfold not importable: report exact similarities only
        return [], []
    d = Deduper()
    hasher = MinHasher(d.num_perm, d.ngram, d.seed)
    estimated, contained = [], []
    for copy, original in pairs:
        sig, sizes = _sketch(hasher, [copy, original], d.ngram)
        j = float(np.mean(sig[0] == sig[1]))
        estimated.append(j)
        contained.append(j * sum(sizes) / (1 + j) / min(sizes))
    return estimated, contained


def missed_similarity(
    corpus: Path, missed: dict[str, list[Pair]], candidates: set[Pair] | None = None
) -> list[Missed]:
    """Similarity of each sampled missed (copy, original) pair, per kind, from the corpus texts;
    ``candidates``: those of the pairs that newsfold's LSH made candidates, when known."""
    wanted = {x for pairs in missed.values() for pair in pairs for x in pair}
    texts = _texts(corpus, wanted) if wanted else {}
    out = []
    for kind in ALL_COPY_KINDS:
        ids = missed.get(kind, [])
        if not ids:
            continue
        pairs = [(texts[c], texts[o]) for c, o in ids]
        jaccard = [similarity(c, o)[0] for c, o in pairs]
        estimated, contained = _newsfold_estimates(pairs)
        count = None if candidates is None else sum(pair in candidates for pair in ids)
        out.append(Missed(kind, len(pairs), jaccard, estimated, contained, count))
    return out


def spread(values: Sequence[float]) -> str:
    """``median (min–max)`` of the values, or a dash."""
    if not values:
        return "–"
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


# --------------------------------------------------------------------------- candidate pairs


@dataclass(frozen=True, slots=True)
class Candidates:
    """The LSH candidate pairs of newsfold's signatures on a corpus (``Deduper`` defaults)."""

    records: int
    pairs: int
    planted: int  # pairs within one planted cluster (an original and its copies)
    probed: frozenset[Pair]  # those of the pairs asked about that are candidates


def _signatures(corpus: Path, hasher: Any, batch: int = 2_000) -> tuple[Any, list[str], list[str]]:
    import numpy as np

    sigs, ids, truth, texts = [], [], [], []
    for record in _records(corpus):
        texts.append(record["text"])
        ids.append(record["id"])
        truth.append(record["planted"]["of"] or record["id"])
        if len(texts) == batch:
            sigs.append(hasher.signatures(texts))
            texts = []
    if texts:
        sigs.append(hasher.signatures(texts))
    return np.concatenate(sigs), ids, truth


def newsfold_candidates(corpus: Path, probes: Iterable[Pair] = ()) -> Candidates | None:
    """The pairs newsfold's LSH banding makes candidates on the whole corpus (rows in file order,
    as ``newsfold dedup`` numbers them): how many, how many planted, and which of ``probes``
    (id pairs) are among them. None if newsfold cannot be imported."""
    try:
        import numpy as np

        from newsfold.dedup import Deduper
        from newsfold.signatures import MinHasher, candidate_pairs
    except Exception:  # newsfold not importable: no count
        return None
    d = Deduper()
    sig, ids, truth = _signatures(corpus, MinHasher(d.num_perm, d.ngram, d.seed))
    pairs = candidate_pairs(sig, d.bands)
    labels = np.unique(np.asarray(truth), return_inverse=True)[1]
    planted = int(np.count_nonzero(labels[pairs[:, 0]] == labels[pairs[:, 1]]))
    n, row = len(ids), {id_: i for i, id_ in enumerate(ids)}
    probes = list(probes)
    keys = np.array(
        [min(row[a], row[b]) * n + max(row[a], row[b]) for a, b in probes], dtype=np.int64
    )
    found = np.isin(keys, pairs[:, 0] * n + pairs[:, 1])
    probed = frozenset(p for p, hit in zip(probes, found, strict=True) if hit)
    return Candidates(n, len(pairs), planted, probed)
