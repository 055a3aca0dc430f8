"""Fit the story model's weights (``newsfold.stories.WEIGHTS``) on ECB+ development pairs.

Every pair of articles is labelled same event or not; its features are those the clusterer
computes for an article against a one-article story (``story_features``): the cosine of the lead
embeddings and the TF-IDF cosine of the names. A logistic regression (Newton's method, light L2)
is fitted on odd topics and scored on even ones, then the reverse, then on all topics. The time
weight cannot be learned here (ECB+ has no dates) and keeps its prior.

Command line: ``python -m bench.story_weights [DATA]`` prints held-out accuracy and the weights.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer

from newsfold.embed import default_encoder
from newsfold.stories import WEIGHTS, StoryRecord, _names

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def names_matrix(texts: list[str]) -> NDArray[np.float64]:
    """Pairwise TF-IDF cosine of the texts' names: binary term weights, smoothed IDF, as
    ``newsfold.stories.tfidf_cosine`` computes it for one-article stories."""
    vectors = TfidfVectorizer(analyzer=lambda t: sorted(_names(t))).fit_transform(texts)
    return np.asarray((vectors @ vectors.T).toarray())


def pair_features(
    rows: list[dict[str, object]],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]]:
    """Features ``[1, meaning, names]``, labels and topic of every pair."""
    records = [StoryRecord(str(r["text"]), str(r.get("title") or "") or None) for r in rows]
    vec = default_encoder().encode([r.lead for r in records])
    meaning = vec @ vec.T
    names = names_matrix([r.text for r in records])
    i, j = np.triu_indices(len(rows), 1)
    events = np.array([str(r["event"]) for r in rows])
    topics = np.array([int(str(r["topic"])) for r in rows])
    x = np.column_stack([np.ones(i.size), meaning[i, j], names[i, j]])
    y = (events[i] == events[j]).astype(np.float64)
    # A pair across topics is held out with its first article's topic.
    return x, y, topics[i]


def fit(x: NDArray[np.float64], y: NDArray[np.float64], l2: float = 1e-3) -> NDArray[np.float64]:
    w = np.zeros(x.shape[1])
    for _ in range(40):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - y) + l2 * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(x.shape[1])
        w -= np.linalg.solve(hess, grad)
    return w


def main(argv: list[str]) -> None:
    data = Path(argv[0]) if argv else DATA
    with (data / "ecbplus.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    x, y, topics = pair_features(rows)
    odd = topics % 2 == 1
    for name, train in (("odd", odd), ("even", ~odd)):
        w = fit(x[train], y[train])
        held = ~train & (y == 1)
        recall = float(np.mean(x[held] @ w >= 0))
        precision_den = (x[~train] @ w >= 0).sum()
        precision = float(((x[~train] @ w >= 0) & (y[~train] == 1)).sum() / max(precision_den, 1))
        print(f"trained on {name} topics: held-out pairs P {precision:.3f}, R {recall:.3f}")
    w = fit(x, y)
    print("WEIGHTS =", (*(round(float(v), 2) for v in w), WEIGHTS[3]))


if __name__ == "__main__":
    main(sys.argv[1:])
