from __future__ import annotations

import random

import numpy as np
import pytest

from newsfold.signatures import (
    MinHasher,
    batch_shingles,
    candidate_pairs,
    jaccard,
    shingle_hashes,
    token_hashes,
)

WORDS = [f"w{i}" for i in range(4000)]


def text(rng: random.Random, n: int = 300) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def edit(rng: random.Random, base: str, p: float) -> str:
    return " ".join(w if rng.random() > p else rng.choice(WORDS) for w in base.split())


def true_jaccard(a: str, b: str) -> float:
    sa, sb = shingle_hashes(a), shingle_hashes(b)
    return len(np.intersect1d(sa, sb)) / len(np.union1d(sa, sb))


def test_tokens_ignore_case_and_punctuation() -> None:
    assert np.array_equal(token_hashes("The cat, sat."), token_hashes("the CAT sat"))
    assert token_hashes("Café au lait").size == 3
    curly = token_hashes("“We will rebuild,” she said — twice…")
    assert np.array_equal(curly, token_hashes('"we will rebuild," she said - twice...'))
    assert token_hashes("").size == 0 and token_hashes("... !!").size == 0


def test_shingles_are_deterministic_and_order_sensitive() -> None:
    a = shingle_hashes("one two three four five six", ngram=3)
    assert a.size == 4 and np.array_equal(a, np.unique(a))
    assert np.array_equal(a, shingle_hashes("One two three, four five six", ngram=3))
    assert not np.array_equal(a, shingle_hashes("six five four three two one", ngram=3))
    assert shingle_hashes("only two", ngram=5).size == 1  # short text: one shingle of all words


def test_batch_equals_one_by_one() -> None:
    rng = random.Random(3)
    texts = [text(rng, n) for n in (0, 1, 3, 50, 200)]
    doc, hashes = batch_shingles(texts)
    for i, t in enumerate(texts):
        assert np.array_equal(hashes[doc == i], shingle_hashes(t))
    hasher = MinHasher()
    together = hasher.signatures(texts)
    alone = np.stack([hasher.signatures([t])[0] for t in texts])
    assert np.array_equal(together, alone)


@pytest.mark.parametrize("p", [0.0, 0.02, 0.1, 0.3, 1.0])
def test_signature_agreement_estimates_jaccard(p: float) -> None:
    rng = random.Random(11)
    hasher = MinHasher(num_perm=256)
    errors = []
    for _ in range(20):
        base = text(rng)
        other = edit(rng, base, p)
        sig = hasher.signatures([base, other])
        errors.append(float(jaccard(sig[0], sig[1])) - true_jaccard(base, other))
    assert abs(np.mean(errors)) < 0.03  # unbiased
    assert np.std(errors) < 0.06


def test_empty_text_matches_nothing() -> None:
    sig = MinHasher().signatures(["", "", "a real text of some words here"])
    assert (sig[0] == np.iinfo(np.uint32).max).all()
    pairs = candidate_pairs(sig)
    assert not any(0 in p or 1 in p for p in pairs.tolist())


def test_lsh_finds_similar_pairs_and_skips_unrelated() -> None:
    rng = random.Random(5)
    bases = [text(rng) for _ in range(200)]
    copies = [edit(rng, b, 0.02) for b in bases[:50]]
    sig = MinHasher().signatures(bases + copies)
    found = {tuple(p) for p in candidate_pairs(sig).tolist()}
    expected = {(i, 200 + i) for i in range(50)}
    assert expected <= found
    assert len(found - expected) <= 2  # unrelated texts rarely collide


def test_big_buckets_stay_linear() -> None:
    sig = MinHasher().signatures(["the same boilerplate text repeated"] * 500)
    pairs = candidate_pairs(sig, max_bucket=50)
    assert len(pairs) < 1000
    # still connected: every member is paired with member 0
    assert set(pairs[pairs[:, 0] == 0][:, 1].tolist()) == set(range(1, 500))


def test_bad_parameters() -> None:
    with pytest.raises(ValueError, match="power of two"):
        MinHasher(num_perm=100)
    with pytest.raises(ValueError, match="ngram"):
        MinHasher(ngram=0)
