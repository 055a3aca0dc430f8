"""Lexical signatures: word shingles, one-permutation MinHash and LSH banding, all in numpy.

Every step is vectorised over whole texts (and batches of texts); there is no Python loop over
tokens or shingles:

* **tokens** are runs of letters, digits or non-ASCII characters of the lower-cased text, cut by
  ``bytes.split`` and hashed by ``zlib.crc32`` through ``map`` (C code, no bytecode per word);
* **shingles** are runs of ``ngram`` consecutive tokens, each hashed to 64 bits;
* **signatures** use one-permutation hashing (Li, Owen & Zhang 2012) with densification by
  rotation (Shrivastava & Li 2014): each shingle hash picks one of ``num_perm`` bins by its top
  bits and the bin keeps the smallest remaining bits; an empty bin borrows from the next filled
  one. Two signatures agree in a bin with probability equal to the Jaccard similarity of the
  shingle sets, as with ``num_perm`` independent permutations, at the cost of one hash per shingle
  instead of ``num_perm``;
* **LSH** splits signatures into ``bands`` of ``rows`` bins; texts that agree on all rows of any
  band are candidate pairs (:func:`candidate_pairs`).

All hashing is seeded and independent of the process (no use of Python's salted ``hash``), so
signatures are identical across runs, machines and engines.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "MAX_BUCKET",
    "MinHasher",
    "Sketch",
    "band_keys",
    "batch_shingles",
    "bucket_pairs",
    "candidate_pairs",
    "fact_signatures",
    "fact_tokens",
    "has_shingles",
    "jaccard",
    "shingle_hashes",
    "token_hashes",
]

U64 = np.uint64
_BASE = 0x100000001B3
_EMPTY = np.uint32(0xFFFFFFFF)
#: LSH buckets with more texts than this contribute a star and a chain, not all their pairs.
MAX_BUCKET = 50
_POSITION_WEIGHTS = (np.arange(1, 65, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)) | np.uint64(
    1
)

# Bytes that belong to words: ASCII letters and digits, and every byte of a multi-byte character.
_WORD_BYTE = np.zeros(256, dtype=bool)
_WORD_BYTE[ord("0") : ord("9") + 1] = True
_WORD_BYTE[ord("a") : ord("z") + 1] = True
_WORD_BYTE[128:] = True


def _mix(x: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """The splitmix64 finaliser, elementwise: spreads every input bit over the output."""
    with np.errstate(over="ignore"):
        x = x ^ (x >> U64(30))
        x = x * U64(0xBF58476D1CE4E5B9)
        x = x ^ (x >> U64(27))
        x = x * U64(0x94D049BB133111EB)
        return x ^ (x >> U64(31))


# Bytes that separate words: every ASCII byte but letters and digits (multi-byte characters are
# always part of a word). Translating them to spaces lets ``bytes.split`` cut the words in C.
_SEPARATORS = bytes(b for b in range(128) if not chr(b).isalnum())
_TO_SPACE = bytes.maketrans(_SEPARATORS, b" " * len(_SEPARATORS))
# Punctuation and spaces outside ASCII that news text uses: curly quotes, dashes, ellipsis,
# guillemets, bullets, non-breaking and thin spaces. They separate words like ASCII punctuation.
_UNICODE_MARK = re.compile(
    b"|".join(
        re.escape(c.encode("utf-8"))
        for c in "“”‘’„‚«»‹›—–‒―…•·′″\u00a0\u2009\u202f\u200b\u3000、。，"
    )
)


def token_hashes(text: str) -> NDArray[np.uint64]:
    """64-bit hashes of the words of ``text`` (case-folded), in order.

    Words are cut and hashed (CRC-32, then mixed to 64 bits) by C code called through ``map``:
    no Python bytecode runs per word.
    """
    return _mix(_word_crcs(text).astype(U64))


def _word_crcs(text: str) -> NDArray[np.uint32]:
    data = text.lower().encode("utf-8").translate(_TO_SPACE)
    if not data.isascii():
        data = _UNICODE_MARK.sub(b" ", data)  # one regex pass, only for non-ASCII texts
    words = data.split()
    return np.fromiter(map(zlib.crc32, words), dtype=np.uint32, count=len(words))


def _sequence_key(words: NDArray[np.uint32]) -> int:
    """64 bits of a hash of a word sequence: equal for texts with the same words in the same
    order, whatever their case, spacing or punctuation."""
    return int.from_bytes(hashlib.blake2b(words.tobytes(), digest_size=8).digest(), "little")


def batch_shingles(
    texts: Sequence[str],
    ngram: int = 5,
    *,
    distinct: bool = True,
    words: list[NDArray[np.uint32]] | None = None,
) -> tuple[NDArray[np.int64], NDArray[np.uint64]]:
    """The word ``ngram``-gram hashes of many texts at once, as ``(text index, hash)`` arrays.

    A text with fewer than ``ngram`` words has one shingle (all its words); an empty text has none.
    With ``distinct`` the pairs are deduplicated and sorted by text, then hash; MinHash does not
    need that (a minimum ignores repeats), so signatures skip it.
    """
    n_texts = len(texts)
    per_text = words if words is not None else [_word_crcs(t) for t in texts]
    counts = np.fromiter((a.size for a in per_text), dtype=np.int64, count=n_texts)
    if counts.sum() == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=U64)
    tokens = _mix(np.concatenate(per_text).astype(U64))
    doc = np.repeat(np.arange(n_texts, dtype=np.int64), counts)
    total = tokens.size
    # Full-width shingles: token i .. i+ngram-1, kept when all of them are in one text.
    m = max(total - ngram + 1, 0)
    with np.errstate(over="ignore"):
        acc = tokens[:m].copy()
        for i in range(1, ngram):  # a loop over the n-gram width, not over shingles
            acc = acc * U64(_BASE) + tokens[i : i + m]
    valid = doc[:m] == doc[ngram - 1 : ngram - 1 + m]
    hashes, doc_of = acc[valid], doc[:m][valid]
    # Texts with fewer words than ngram: one shingle of all their words.
    short = np.flatnonzero((counts > 0) & (counts < ngram))
    if short.size:
        in_short = np.isin(doc, short)
        first = np.concatenate(([0], np.cumsum(counts)[:-1]))
        rank = (np.arange(total) - first[doc])[in_short]
        with np.errstate(over="ignore"):
            weighted = tokens[in_short] * _POSITION_WEIGHTS[rank]
        sums = np.zeros(n_texts, dtype=U64)
        np.add.at(sums, doc[in_short], weighted)
        hashes = np.concatenate((hashes, sums[short]))
        doc_of = np.concatenate((doc_of, short))
    hashes = _mix(hashes)
    if not distinct:
        return doc_of, hashes
    order = np.lexsort((hashes, doc_of))
    hashes, doc_of = hashes[order], doc_of[order]
    keep = np.ones(hashes.size, dtype=bool)
    keep[1:] = (hashes[1:] != hashes[:-1]) | (doc_of[1:] != doc_of[:-1])
    return doc_of[keep], hashes[keep]


def shingle_hashes(text: str, ngram: int = 5) -> NDArray[np.uint64]:
    """The distinct 64-bit hashes of the word ``ngram``-grams of one text (sorted)."""
    return batch_shingles([text], ngram)[1]


class Sketch(NamedTuple):
    """What :meth:`MinHasher.sketch` learns about each text (one row each)."""

    signatures: NDArray[np.uint32]
    """MinHash of the word ``ngram``-grams."""
    words: NDArray[np.int64]
    """Number of words."""
    keys: NDArray[np.uint64]
    """Exact-text keys: equal for the same words in the same order."""
    vocabulary: NDArray[np.uint32]
    """MinHash of the set of words (order ignored): with the shingle signature it tells a
    reordered copy (same words, broken shingles) from an edited one."""


@dataclass
class MinHasher:
    """One-permutation MinHash signatures of word shingles; see the module docstring.

    ``num_perm`` is the signature length (a power of two); ``ngram`` the shingle width in words.
    """

    num_perm: int = 128
    ngram: int = 5
    seed: int = 1
    _shift: int = field(init=False, repr=False)
    _salt: np.uint64 = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.num_perm < 2 or self.num_perm & (self.num_perm - 1):
            raise ValueError(f"num_perm must be a power of two >= 2, not {self.num_perm}")
        if self.ngram < 1:
            raise ValueError("ngram must be at least 1")
        self._shift = 64 - (self.num_perm.bit_length() - 1)
        self._salt = _mix(np.array([self.seed], dtype=U64))[0]

    def signatures(
        self, texts: Sequence[str], *, batch_bytes: int = 1_000_000
    ) -> NDArray[np.uint32]:
        """Signatures (one row per text, ``num_perm`` uint32 columns), computed in batches."""
        return self.sketch(texts, batch_bytes=batch_bytes)[0]

    def sketch(self, texts: Sequence[str], *, batch_bytes: int = 1_000_000) -> Sketch:
        """Signatures, word counts, exact-text keys and word-set signatures, words cut once."""
        n = len(texts)
        out = np.empty((n, self.num_perm), dtype=np.uint32)
        vocab = np.empty((n, self.num_perm), dtype=np.uint32)
        counts = np.empty(n, dtype=np.int64)
        keys = np.empty(n, dtype=np.uint64)
        start = 0
        while start < n:
            stop, size = start, 0
            while stop < n and (size < batch_bytes or stop == start):
                size += len(texts[stop])
                stop += 1
            words = [_word_crcs(t) for t in texts[start:stop]]
            counts[start:stop] = [w.size for w in words]
            keys[start:stop] = [_sequence_key(w) for w in words]
            doc, hashes = batch_shingles(texts[start:stop], self.ngram, distinct=False, words=words)
            out[start:stop] = self.signatures_of_shingles(doc, hashes, stop - start)
            doc = np.repeat(np.arange(stop - start, dtype=np.int64), counts[start:stop])
            flat = np.concatenate(words) if words else np.empty(0, dtype=np.uint32)
            vocab[start:stop] = self.signatures_of_shingles(
                doc, _mix(flat.astype(U64)), stop - start
            )
            start = stop
        return Sketch(out, counts, keys, vocab)

    def signatures_of_shingles(
        self, doc: NDArray[np.int64], hashes: NDArray[np.uint64], n: int
    ) -> NDArray[np.uint32]:
        """Signatures (``n`` × ``num_perm``) of shingles given as ``(text index, hash)`` arrays.
        A text without shingles gets an all-empty signature (it matches nothing)."""
        sig = np.full((n, self.num_perm), _EMPTY, dtype=np.uint32)
        if hashes.size == 0:
            return sig
        values = _mix(hashes ^ self._salt)
        bins = (values >> U64(self._shift)).astype(np.int64)
        low = (values & U64(0xFFFFFFFE)).astype(np.uint32)  # 0xFFFFFFFF marks an empty bin
        np.minimum.at(sig, (doc, bins), low)
        return self._densify(sig)

    def _densify(self, sig: NDArray[np.uint32]) -> NDArray[np.uint32]:
        """Fill empty bins from the nearest non-empty bin to the right (circularly), salted by
        the distance, so that two signatures still agree in a bin with probability = Jaccard."""
        empty = sig == _EMPTY
        rows = np.flatnonzero(empty.any(axis=1) & ~empty.all(axis=1))
        if rows.size == 0:
            return sig
        k = self.num_perm
        sub = sig[rows]
        sub_empty = empty[rows]
        # Index of the next non-empty bin to the right, circularly: scan a doubled row backwards.
        filled = np.where(~sub_empty, np.arange(k), 2 * k)
        doubled = np.concatenate([filled, filled + k], axis=1)
        nxt = np.minimum.accumulate(doubled[:, ::-1], axis=1)[:, ::-1][:, :k]
        source = nxt % k
        distance = (nxt - np.arange(k)).astype(np.uint64)
        donor = np.take_along_axis(sub, source, axis=1).astype(np.uint64)
        salted = (_mix(donor ^ (distance * U64(0x9E3779B97F4A7C15))) >> U64(33)).astype(np.uint32)
        sig[rows] = np.where(sub_empty, salted, sub)
        return sig


#: Names and numbers: capitalised words (any script with case) and digit runs.
_FACT = re.compile(r"\d(?:[\d,.]*\d)?|[^\W\d_][\w’'-]*")


def fact_tokens(text: str) -> list[str]:
    """The names and numbers of a text: its capitalised words and its numbers, as written.

    A paraphrase rewords a story but keeps its facts (who, where, how many), while two stories
    told from one template (two earthquakes, two product launches) differ exactly there."""
    return [t for t in _FACT.findall(text) if t[0].isdigit() or t[0].isupper()]


def fact_signatures(texts: Sequence[str], num_perm: int = 128, seed: int = 7) -> NDArray[np.uint32]:
    """One-permutation MinHash signatures of the sets of :func:`fact_tokens` of ``texts``: their
    bin agreement estimates the Jaccard similarity of the texts' names and numbers."""
    tokens = [fact_tokens(t) for t in texts]
    doc = np.repeat(np.arange(len(texts), dtype=np.int64), [len(t) for t in tokens])
    words = itertools.chain.from_iterable(tokens)
    crcs = np.fromiter(map(zlib.crc32, map(str.encode, words)), dtype=np.uint32, count=doc.size)
    hasher = MinHasher(num_perm=num_perm, ngram=1, seed=seed)
    return hasher.signatures_of_shingles(doc, _mix(crcs.astype(U64)), len(texts))


def jaccard(a: NDArray[np.uint32], b: NDArray[np.uint32]) -> NDArray[np.float64]:
    """Estimated Jaccard similarity of signature rows (broadcasting: pairs row by row)."""
    return np.mean(a == b, axis=-1)


def band_keys(sig: NDArray[np.uint32], bands: int) -> NDArray[np.uint64]:
    """One 64-bit key per band of each signature row (``n`` × ``bands``): two rows agree on
    every bin of a band exactly when their keys for that band are equal (up to hash collisions).
    Bins beyond ``bands`` × (``num_perm`` // ``bands``) are not read."""
    n, k = sig.shape
    rows = k // bands
    parts = sig[:, : bands * rows].reshape(n, bands, rows).astype(U64)
    with np.errstate(over="ignore"):
        key = np.zeros((n, bands), dtype=U64)
        for r in range(rows):  # a loop over rows per band, not over texts
            key = _mix(key * U64(_BASE) + parts[:, :, r])
    return key


def candidate_pairs(
    sig: NDArray[np.uint32], bands: int = 42, *, max_bucket: int = MAX_BUCKET
) -> NDArray[np.int64]:
    """Pairs ``(i, j)``, ``i < j``, of rows that agree on every row of at least one band.

    Bands are bucketed one at a time and their pairs merged as one int64 key per pair, so memory
    stays bounded by the distinct pairs found. A bucket holding more than ``max_bucket`` texts
    (boilerplate shared by many) contributes a star (each member paired with the first) and a
    chain (each with the next) instead of all its pairs: linear, and every member stays connected.
    """
    n = sig.shape[0]
    rows = np.flatnonzero(has_shingles(sig))  # texts without shingles match nothing
    if rows.size < 2:
        return np.empty((0, 2), dtype=np.int64)
    keys = band_keys(sig[rows], bands)
    per_band: list[NDArray[np.int64]] = []
    for band in range(bands):  # a loop over bands, not over texts
        band_pairs = _bucket_pairs(keys[:, band], rows, max_bucket)
        if band_pairs.size:
            lo, hi = band_pairs.min(axis=1), band_pairs.max(axis=1)
            per_band.append(np.unique(lo * n + hi))
    if not per_band:
        return np.empty((0, 2), dtype=np.int64)
    found = np.unique(np.concatenate(per_band))
    return np.stack([found // n, found % n], axis=1)


def has_shingles(sig: NDArray[np.uint32]) -> NDArray[np.bool_]:
    """Which signature rows come from a text with shingles (the others match nothing)."""
    return np.asarray(sig[:, 0] != _EMPTY)


def bucket_pairs(members: NDArray[np.int64], max_bucket: int) -> NDArray[np.int64]:
    """The pairs one LSH bucket contributes, its ``members`` in row order: all pairs up to
    ``max_bucket`` members; above, a star (each member with the first) and a chain (each with
    the next), so the bucket stays connected at linear cost (see :func:`candidate_pairs`)."""
    size = members.size
    if size < 2:
        return np.empty((0, 2), dtype=np.int64)
    if size <= max_bucket:
        iu, ju = np.triu_indices(size, k=1)
        return np.stack([members[iu], members[ju]], axis=1).astype(np.int64)
    star = np.stack([np.repeat(members[0], size - 1), members[1:]], axis=1)
    chain = np.stack([members[:-1], members[1:]], axis=1)
    return np.concatenate([star, chain]).astype(np.int64)


def _bucket_pairs(
    key: NDArray[np.uint64], doc: NDArray[np.int64], max_bucket: int
) -> NDArray[np.int64]:
    """The pairs of documents sharing a key (see :func:`candidate_pairs` for big buckets)."""
    order = np.argsort(key, kind="stable")
    sorted_key, sorted_doc = key[order], doc[order]
    starts = np.flatnonzero(np.diff(sorted_key, prepend=sorted_key[:1] ^ U64(1)))
    sizes = np.diff(np.append(starts, sorted_key.size))
    multi = sizes > 1
    starts, sizes = starts[multi], sizes[multi]
    pairs: list[NDArray[np.int64]] = []
    small = sizes <= max_bucket
    for size in np.unique(sizes[small]):  # a loop over distinct bucket sizes only
        group_starts = starts[small & (sizes == size)]
        members = sorted_doc[group_starts[:, None] + np.arange(size)]
        iu, ju = np.triu_indices(int(size), k=1)
        pairs.append(np.stack([members[:, iu].ravel(), members[:, ju].ravel()], axis=1))
    for start, size in zip(starts[~small], sizes[~small], strict=True):
        pairs.append(bucket_pairs(sorted_doc[start : start + size], max_bucket))
    return np.concatenate(pairs) if pairs else np.empty((0, 2), dtype=np.int64)
