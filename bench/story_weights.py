"""Fit the story model's weights (``newsfold.stories``) on development data.

Two levels, each a logistic regression on ``[1, meaning, names, time]`` (Newton's method, light
L2):

* **story level** (``WEIGHTS``, ``WEIGHTS_WORDS``: what ``StoryClusterer`` uses). The clusterer's
  own decisions are replayed with the true stories: each article, in file order, against the
  true story its earlier members form (a positive) and the ten nearest other true stories by
  meaning (negatives), features computed as the clusterer computes them (centroid cosine, TF-IDF
  cosine of the key names, ``newsfold.names.key_names``, with rarities learned online). Classes
  are weighted to balance, so 0.5 means "more likely this story than not". Names: ECB+
  (``ecbplus.jsonl``). Words, the fallback for text without case: Google News titles and
  snippets (``googlenews_TS.jsonl``, lower-cased and stemmed). Held-out check: fitted on half
  the true stories, the other half scored.
* **pair level** (``PAIR_WEIGHTS``: what ``newsfold pairs`` uses for ``same_story``). Every
  pair of ECB+ articles, same event or not, with the lead encoder's vectors (multilingual, so
  one model serves every language pair); fitted on odd topics and scored on even ones and back.

Lead vectors come from the pipeline's lead encoder (``newsfold.embed.default_encoders().lead``):
weights fitted on one encoder's cosines do not carry to another's.

No labelled data here has publication dates; ECB+ texts mention dates (``StoryRecord.when``), from
which the story-level time weight is fitted. The words model and the pair models keep its prior.
Command line: ``python -m bench.story_weights [DATA]`` prints the checks and the weights.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer

from newsfold.embed import Encoder, default_encoders
from newsfold.names import key_names
from newsfold.stories import WEIGHTS, StoryRecord, _content, _names

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def names_matrix(
    texts: list[str], terms: Callable[[str], set[str]] = _names
) -> NDArray[np.float64]:
    """Pairwise TF-IDF cosine of the texts' names (or other ``terms``): binary term weights,
    smoothed IDF, as ``newsfold.stories.tfidf_cosine`` computes it for one-article stories."""
    vectors = TfidfVectorizer(analyzer=lambda t: sorted(terms(t))).fit_transform(texts)
    return np.asarray((vectors @ vectors.T).toarray())


def pair_features(
    rows: list[dict[str, object]], encoder: Encoder, lower: bool = False
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]]:
    """Features ``[1, meaning, names]``, labels and topic of every pair; with ``lower`` the
    texts are lower-cased first, so content words stand in for names (as in the clusterer)."""
    records = [StoryRecord(str(r["text"]), str(r.get("title") or "") or None) for r in rows]
    if lower:
        records = [
            StoryRecord(r.text.lower(), r.title.lower() if r.title else None) for r in records
        ]
    vec = encoder.encode([r.lead for r in records])
    meaning = vec @ vec.T
    names = names_matrix([r.text for r in records], _content if lower else _names)
    i, j = np.triu_indices(len(rows), 1)
    events = np.array([str(r["event"]) for r in rows])
    topics = np.array([int(str(r["topic"])) for r in rows])
    x = np.column_stack([np.ones(i.size), meaning[i, j], names[i, j]])
    y = (events[i] == events[j]).astype(np.float64)
    # A pair across topics is held out with its first article's topic.
    return x, y, topics[i]


def fit(
    x: NDArray[np.float64], y: NDArray[np.float64], *, balanced: bool = False, l2: float = 1e-3
) -> NDArray[np.float64]:
    """Logistic regression; ``balanced`` weights the classes to equal total weight."""
    weight = np.ones_like(y)
    if balanced:
        weight = np.where(y == 1, (y == 0).sum() / max((y == 1).sum(), 1), 1.0)
    w = np.zeros(x.shape[1])
    for _ in range(40):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (weight * (p - y)) + l2 * w
        hess = (x * (weight * p * (1 - p))[:, None]).T @ x + l2 * np.eye(x.shape[1])
        w -= np.linalg.solve(hess, grad)
    return w


def _rounded(w: NDArray[np.float64]) -> tuple[float, ...]:
    """The weights as printed for the source: the time weight keeps its prior when not fitted."""
    fitted = tuple(round(float(v), 2) for v in w)
    return fitted if len(fitted) == 4 else (*fitted, WEIGHTS[3])


def load(data: Path, name: str) -> list[dict[str, object]]:
    with (data / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def pair_level(rows: list[dict[str, object]]) -> None:
    for label, encoder in (("PAIR_WEIGHTS", default_encoders().lead),):
        x, y, topics = pair_features(rows, encoder)
        odd = topics % 2 == 1
        for name, train in (("odd", odd), ("even", ~odd)):
            w = fit(x[train], y[train])
            said = x[~train] @ w >= 0
            recall = float(np.mean(said[y[~train] == 1]))
            precision = float((said & (y[~train] == 1)).sum() / max(said.sum(), 1))
            print(f"{label}, trained on {name} topics: held-out P {precision:.3f}, R {recall:.3f}")
        print(label, "=", _rounded(fit(x, y)))


def story_level(
    label: str, rows: list[dict[str, object]], key: str, lower: bool, timed: bool = False
) -> None:
    """Fit and check one story-level model; ``timed``: fit the time weight too (from the dates
    the texts mention), else it keeps its prior."""
    cols = 4 if timed else 3
    records = [StoryRecord(str(r["text"]), str(r.get("title") or "") or None) for r in rows]
    gold = [str(r[key]) for r in rows]
    vectors = default_encoders().lead.encode([r.lead for r in records])
    terms = _content if lower else key_names  # as the clusterer reads them
    x, y = story_examples(records, gold, vectors, terms)
    half = set(sorted(set(gold))[::2])
    parts = []
    for keep in (True, False):
        rows_in = [k for k, g in enumerate(gold) if (g in half) == keep]
        parts.append(
            story_examples(
                [records[k] for k in rows_in], [gold[k] for k in rows_in], vectors[rows_in], terms
            )
        )
    (xa, ya), (xb, yb) = parts
    w = fit(xa[:, :cols], ya, balanced=True)
    said = xb[:, :cols] @ w >= 0
    print(
        f"{label}: fitted on half the stories, the other half: right on "
        f"{np.mean(said[yb == 1]):.3f} of their stories, {np.mean(~said[yb == 0]):.3f} of others"
    )
    print(label, "=", _rounded(fit(x[:, :cols], y, balanced=True)))


def main(argv: list[str]) -> None:
    data = Path(argv[0]) if argv else DATA
    ecb = load(data, "ecbplus.jsonl")
    story_level("WEIGHTS", ecb, "event", lower=False, timed=True)
    story_level("WEIGHTS_WORDS", load(data, "googlenews_TS.jsonl"), "cluster", lower=True)
    pair_level(ecb)


def story_examples(
    records: list[StoryRecord],
    gold: list[str],
    vectors: NDArray[np.float32],
    terms: Callable[[str], set[str]],
    negatives: int = 10,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The clusterer's own decisions, with the true stories: each record, in order, against
    the true story formed by its earlier members (a positive) and the nearest other true
    stories by meaning (negatives), features computed as ``StoryClusterer`` computes them
    (centroid cosine; TF-IDF cosine with rarities learned online)."""
    import math
    from collections import Counter

    from newsfold.stories import story_features, tfidf_cosine

    order: dict[str, int] = {}
    spans: list[tuple[float, float] | None] = []
    sums: list[NDArray[np.float64]] = []
    counts: list[int] = []
    held: list[Counter[str]] = []
    df: Counter[str] = Counter()
    feats: list[NDArray[np.float64]] = []
    labels: list[float] = []
    for seen, (record, label, vec) in enumerate(zip(records, gold, vectors, strict=True)):
        items = terms(record.text)
        when = record.when
        stamp = when.timestamp() if when is not None else None

        def idf(t: str, seen: int = seen) -> float:
            return math.log((seen + 1) / (df.get(t, 0) + 1)) + 1.0

        if sums:
            cents = np.stack(sums)
            # Retrieval by the normalised centroid, the feature the mean member cosine (as
            # StoryClusterer computes them).
            near_cos = (cents / np.linalg.norm(cents, axis=1, keepdims=True)) @ vec
            cos = (cents @ vec) / np.asarray(counts, dtype=np.float64)
            mine = order.get(label)
            near = [int(s) for s in np.argsort(-near_cos)[: negatives + 1] if s != mine]
            near = near[:negatives]
            for s in ([mine] if mine is not None else []) + near:
                span = spans[s]
                gap = None
                if stamp is not None and span is not None:
                    gap = max(span[0] - stamp, stamp - span[1], 0.0) / 86400
                x = story_features(float(cos[s]), tfidf_cosine(items, held[s], idf), gap)
                feats.append(x)
                labels.append(float(s == mine))
        if label not in order:
            order[label] = len(sums)
            sums.append(np.zeros(vec.shape[0]))
            counts.append(0)
            held.append(Counter())
            spans.append(None)
        k = order[label]
        if stamp is not None:
            span = spans[k]
            spans[k] = (
                (stamp, stamp) if span is None else (min(span[0], stamp), max(span[1], stamp))
            )
        sums[k] += vec
        counts[k] += 1
        held[k].update(items)
        df.update(items)
    return np.array(feats), np.array(labels)


if __name__ == "__main__":
    main(sys.argv[1:])
