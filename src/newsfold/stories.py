"""Story folding: which articles report the same event.

:class:`StoryClusterer` is a component in the scikit-learn manner. It reads articles one at a
time, in arrival order, and places each in the story it most likely belongs to, or starts a new
story (single-pass, "online" clustering). Placing an article never moves an earlier one, so
folding a corpus in one batch or in increments (in the same order) gives the same stories.

Whether an article belongs to a story is a probability from three signals, combined by a logistic
model whose weights (:data:`WEIGHTS`) were fitted on labelled stories, not hand-set per data set:

* **meaning**: cosine of the article's lead embedding (title and first 600 characters, MiniLM)
  with the story's centroid;
* **names**: TF-IDF cosine of the article's key names (:func:`~newsfold.names.key_names`: whole
  names such as "Harbour City" or "Lindsay Lohan", the surname of a name of several words, and
  the numbers) with the story's, each weighted by its rarity (inverse document frequency,
  learned as articles arrive). Two earthquakes in one week differ here: place, toll, magnitude.
  Whole names, not capitalised words one by one: reports written from one template about
  different events (league results, earnings, court reports) share first names, common
  surnames and the template's sentence-opening words ("Officials", "Critics") by chance, and a
  story that had gathered a few such reports overlapped every new one; they seldom share a
  whole name.
  Lower-cased text has no names to read: there all content words stand in for them (a TF-IDF
  overlap);
* **time**: how far the article's date lies from the story's span, decaying with a scale of
  :data:`TIME_SCALE_DAYS` (neutral when either side has no date). An article's date is its
  publication date, else the first full date its text mentions (:attr:`StoryRecord.when`).

Articles that reuse each other (a copy and its source, see :mod:`newsfold.stages.judge`) are
always one story: pass ``links`` to :meth:`StoryClusterer.partial_fit`.

Placing an article weighs the ``candidates`` stories nearest in meaning among those active around
its date (``window_days``; undated stories always count), found by one matrix product over the
story centroids: the cost grows with the stories of the month, not with all stories.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from newsfold.align import _words
from newsfold.article import Article, lead_text
from newsfold.corroborate import STOPWORDS
from newsfold.dates import mentioned_dates
from newsfold.embed import Encoder, default_encoders
from newsfold.names import key_names
from newsfold.signatures import fact_tokens

__all__ = [
    "PAIR_WEIGHTS",
    "WEIGHTS",
    "WEIGHTS_WORDS",
    "StoryClusterer",
    "StoryRecord",
    "pair_names",
    "probability",
    "same_story_of_pairs",
    "story_features",
    "tfidf_cosine",
]

#: Logistic weights of the story model: intercept, meaning, names, time, for the lead encoder's
#: cosines (``newsfold.embed.default_encoders().lead``, the multilingual Universal Sentence
#: Encoder), meaning being the mean cosine with a story's articles. Fitted by
#: ``python -m bench.story_weights`` on the clusterer's own decisions replayed with the true
#: stories, classes balanced (0.5: more likely this story than not):
#: names (key names) and time on ECB+ (time from the dates its texts mention; held out: 0.989
#: and 0.995 right), words, for text without case, on Google News titles and snippets (0.966 and
#: 0.984; its time weight is a prior: those texts have no dates).
WEIGHTS: tuple[float, float, float, float] = (-6.82, 6.43, 20.82, 1.74)
WEIGHTS_WORDS: tuple[float, float, float, float] = (-6.43, 4.15, 33.86, 1.74)
#: The same model for two single articles (``newsfold pairs``' ``same_story``), fitted on every
#: pair of ECB+ articles (held-out pair precision 0.85-0.88, recall 0.79-0.83), with the same
#: (multilingual) lead encoder for every language pair.
PAIR_WEIGHTS: tuple[float, float, float, float] = (-10.63, 10.33, 21.12, 1.74)
#: Days over which the time signal decays by a factor e (a story a week away still counts).
TIME_SCALE_DAYS = 3.0


@dataclass(frozen=True, slots=True)
class StoryRecord:
    """The parts of an article that story folding reads."""

    text: str
    title: str | None = None
    published: datetime | None = None

    @property
    def when(self) -> datetime | None:
        """When the record's event happened, as far as it says: its publication date, else the
        first full date its text mentions ("on March 3, 2026")."""
        if self.published is not None:
            return self.published
        found = mentioned_dates(self.text, limit=1)
        return found[0] if found else None

    @property
    def lead(self) -> str:
        return lead_text(self.text, self.title)


def _names(text: str) -> set[str]:
    """Capitalised words and numbers one by one: what the pair model (:data:`PAIR_WEIGHTS`,
    ``newsfold pairs``) was fitted on. The clusterer reads :func:`~newsfold.names.key_names`."""
    return {t.casefold() for t in fact_tokens(text) if t.casefold() not in STOPWORDS}


def _content(text: str) -> set[str]:
    return {w for w in _words(text) if len(w) > 2 and w not in STOPWORDS}


def _terms(record: StoryRecord) -> tuple[set[str], set[str]]:
    """The key names and the content words of a record, read once per record."""
    return key_names(record.text), _content(record.text)


def _stamp(record: StoryRecord) -> float | None:
    when = record.when
    return when.timestamp() if when is not None else None


@dataclass(slots=True)
class _Story:
    centroid: NDArray[np.float64]
    names: Counter[str] = field(default_factory=Counter)
    words: Counter[str] = field(default_factory=Counter)
    first: float | None = None
    last: float | None = None
    size: int = 0
    # Squared TF-IDF lengths of the names and words vectors, kept up to date as articles join
    # (with the rarities of the moment), recomputed exactly when the articles seen doubled.
    sumsq: dict[str, float] = field(default_factory=lambda: {"names": 0.0, "words": 0.0})
    exact_at: int = 0


def story_norm(story: Counter[str], idf: Callable[[str], float]) -> float:
    """Length of a story's TF-IDF vector (see :func:`tfidf_cosine`)."""
    return math.sqrt(math.fsum((idf(x) * n) ** 2 for x, n in story.items()))


def tfidf_cosine(
    items: set[str],
    story: Counter[str],
    idf: Callable[[str], float],
    norm: float | None = None,
) -> float:
    """Cosine of an article's terms (each weighted by its rarity ``idf``) with a story's terms
    (each weighted by rarity and by how many of the story's articles have it): the TF-IDF
    cosine of the article with the story's centroid. ``norm``: the story's
    :func:`story_norm`, when the caller keeps it."""
    if not items or not story:
        return 0.0
    dot = math.fsum(idf(x) ** 2 * story[x] for x in items if x in story)
    if dot == 0:
        return 0.0
    norm_a = math.sqrt(math.fsum(idf(x) ** 2 for x in items))
    return dot / (norm_a * (norm if norm is not None else story_norm(story, idf)))


def story_features(cosine: float, names: float, gap_days: float | None) -> NDArray[np.float64]:
    """The model's inputs: ``[1, meaning, names, time]`` (time 0 when a date is missing)."""
    time = 0.0 if gap_days is None else math.exp(-gap_days / TIME_SCALE_DAYS) - 0.5
    return np.array([1.0, cosine, names, time])


def probability(features: NDArray[np.float64], weights: Sequence[float]) -> float:
    """The logistic model: how likely an article belongs to a story, from its features."""
    z = float(np.asarray(weights, dtype=np.float64) @ features)
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def pair_names(texts: Sequence[str]) -> tuple[list[set[str]], Callable[[str], float]]:
    """The names of each text and a rarity function learned from all of them (for judging
    pairs of texts outside a store: ``newsfold pairs``)."""
    names = [_names(t) for t in texts]
    df: Counter[str] = Counter()
    for n in names:
        df.update(n)
    total = len(texts)

    def idf(term: str) -> float:
        return math.log((total + 1) / (df.get(term, 0) + 1)) + 1.0

    return names, idf


@dataclass
class StoryClusterer:
    """Fold articles into stories (see the module docstring).

    Parameters are stored as given: ``threshold`` is the probability from which an article joins
    a story; ``candidates`` how many stories (nearest by meaning) are weighed for each article;
    ``window_days``: a dated article is weighed only against stories with no date or dated
    within this many days of it (blocking: placing an article costs the stories active around
    its date, not all stories; None weighs all); ``weights`` and ``word_weights`` the logistic
    models (with names, and with words for text without case); ``encoder`` the lead encoder
    (MiniLM unless given).

    Learned state: ``labels_`` (the story of every article seen, in order), ``n_stories_``, and
    ``probability_`` (how surely each article joined its story; 1 for a story's first article).
    """

    threshold: float = 0.5
    candidates: int = 10
    window_days: float | None = 30.0
    weights: Sequence[float] = WEIGHTS
    word_weights: Sequence[float] = WEIGHTS_WORDS
    encoder: Encoder | None = None
    labels_: list[int] = field(default_factory=list, init=False)
    probability_: list[float] = field(default_factory=list, init=False)
    _stories: list[_Story] = field(default_factory=list, init=False, repr=False)
    _capacity: NDArray[np.float32] = field(
        default_factory=lambda: np.zeros((0, 0), dtype=np.float32), init=False, repr=False
    )
    _centroids: NDArray[np.float32] = field(
        default_factory=lambda: np.zeros((0, 0), dtype=np.float32), init=False, repr=False
    )
    # Each story's first and last publication time (NaN: no dated article), grown with them.
    _spans: NDArray[np.float64] = field(
        default_factory=lambda: np.zeros((0, 2)), init=False, repr=False
    )
    _df: Counter[str] = field(default_factory=Counter, init=False, repr=False)
    _encoder: Encoder | None = field(default=None, init=False, repr=False)
    _seen: int = field(default=0, init=False, repr=False)

    @property
    def n_stories_(self) -> int:
        return len(self._stories)

    # -- learning
    def fit(
        self,
        records: Sequence[StoryRecord],
        links: Sequence[int | None] | None = None,
        vectors: NDArray[np.float32] | None = None,
    ) -> StoryClusterer:
        """Fold ``records`` alone (forgetting earlier calls)."""
        self.labels_, self.probability_ = [], []
        self._stories, self._df, self._seen = [], Counter(), 0
        self._centroids = self._capacity = np.zeros((0, 0), dtype=np.float32)
        self._spans = np.zeros((0, 2))
        return self.partial_fit(records, links, vectors)

    def partial_fit(
        self,
        records: Sequence[StoryRecord],
        links: Sequence[int | None] | None = None,
        vectors: NDArray[np.float32] | None = None,
    ) -> StoryClusterer:
        """Place ``records`` after those seen so far. ``links[k]``, when given and not None, is
        the index (among all articles seen, this batch included) of an earlier article that
        record ``k`` reuses or is reused by: it then joins that article's story. ``vectors``:
        the records' lead embeddings, when the caller has them (from ``encoder``)."""
        if not records:
            return self
        if vectors is None:
            vectors = self._encode([r.lead for r in records])
        for k, (record, vec) in enumerate(zip(records, vectors, strict=True)):
            linked = links[k] if links is not None else None
            self._place(record, vec, linked)
        return self

    def restore(
        self,
        records: Sequence[StoryRecord],
        labels: Sequence[int],
        probabilities: Sequence[float] | None = None,
        vectors: NDArray[np.float32] | None = None,
    ) -> StoryClusterer:
        """Put ``records`` back in the stories ``labels`` name (numbered from 0 in order of
        first appearance), as an earlier run placed them, deciding nothing: the state a stored
        fold is continued from."""
        if not records:
            return self
        if vectors is None:
            vectors = self._encode([r.lead for r in records])
        probs = probabilities if probabilities is not None else [1.0] * len(records)
        for record, vec, label, prob in zip(records, vectors, labels, probs, strict=True):
            if not 0 <= label <= len(self._stories):
                raise ValueError(f"story {label} restored before stories 0..{label - 1}")
            self._place(record, vec, None, (label, prob))
        return self

    def predict(self, records: Sequence[StoryRecord]) -> list[int]:
        """The story each record would join (-1: a new story), learning nothing."""
        vectors = self._encode([r.lead for r in records])
        out = []
        for record, vec in zip(records, vectors, strict=True):
            terms = _terms(record)
            rarities = self._rarities(terms)
            story, prob = self._best(record, _stamp(record), vec, terms, rarities)
            out.append(story if story is not None and prob >= self.threshold else -1)
        return out

    # -- internals
    def _encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        if self._encoder is None:  # the given one, else the one the weights were fitted for
            self._encoder = self.encoder or default_encoders().lead
        return np.asarray(self._encoder.encode(list(texts)), dtype=np.float32)

    def _idf(self, term: str) -> float:
        """Rarity of a term among the articles seen (smoothed, as scikit-learn's TF-IDF)."""
        return math.log((self._seen + 1) / (self._df.get(term, 0) + 1)) + 1.0

    def _rarities(self, terms: tuple[set[str], set[str]]) -> dict[str, float]:
        """The squared rarity of each of a record's terms, read once per record."""
        names, words = terms
        return {x: self._idf(x) ** 2 for x in names | words}

    def _best(
        self,
        record: StoryRecord,
        stamp: float | None,
        vec: NDArray[np.float32],
        terms: tuple[set[str], set[str]],
        idf2: dict[str, float],
    ) -> tuple[int | None, float]:
        if not self._stories:
            return None, 0.0
        n = len(self._stories)
        posted = record.published.timestamp() if record.published else None
        if posted is not None and self.window_days is not None:
            reach = self.window_days * 86400
            spans = self._spans[:n]
            active = np.isnan(spans[:, 0]) | (
                (spans[:, 1] >= posted - reach) & (spans[:, 0] <= posted + reach)
            )
            ids = np.flatnonzero(active)
            if ids.size == 0:
                return None, 0.0
            lo, hi = int(ids[0]), int(ids[-1]) + 1
            if hi - lo <= 2 * ids.size:  # stories come in time order: a slice, not a copy
                near = (self._centroids[lo:hi] @ vec)[active[lo:hi]]
            else:
                near = self._centroids[ids] @ vec
        else:
            ids = np.arange(n)
            near = self._centroids @ vec
        k = min(self.candidates, len(near))
        top_local = np.argpartition(-near, k - 1)[:k]
        cos = dict(zip(ids[top_local].tolist(), near[top_local].tolist(), strict=True))
        names, words = terms
        # Lower-cased text has no names to read: its words stand in for them.
        which, items = ("names", names) if names else ("words", words)
        weights = np.asarray(self.weights if names else self.word_weights, dtype=np.float64)
        mine = {x: idf2[x] for x in items}  # the article's TF-IDF, squared
        # Sums over sets are exact (math.fsum): a set's order changes from one process to
        # the next, and a probability must not change with it.
        length = math.sqrt(math.fsum(mine.values()))
        best, best_p = None, -1.0
        for s in sorted(cos, key=lambda s: (-cos[s], s)):
            story = self._stories[s]
            gap = None
            if stamp is not None and story.first is not None and story.last is not None:
                gap = max(story.first - stamp, stamp - story.last, 0.0) / 86400
            held = story.names if which == "names" else story.words
            dot = math.fsum(v * held[x] for x, v in mine.items() if x in held)
            key = dot / (length * math.sqrt(story.sumsq[which])) if dot > 0 else 0.0
            # Meaning: the mean cosine with the story's articles (its summed vectors over its
            # size), not the cosine with its normalised centroid, which rises with the story's
            # size (averaging removes the members' own noise) until a large story of one
            # template draws in every article written from it.
            meaning = float(story.centroid @ vec) / max(story.size, 1)
            p = probability(story_features(meaning, key, gap), weights)
            if p > best_p:
                best, best_p = s, p
        return best, best_p

    def _place(
        self,
        record: StoryRecord,
        vec: NDArray[np.float32],
        linked: int | None,
        given: tuple[int, float] | None = None,
    ) -> None:
        terms = _terms(record)
        idf2 = self._rarities(terms)
        stamp = _stamp(record)
        if given is not None:
            story_id, prob = given
            if story_id == len(self._stories):
                story_id = -1
        elif linked is not None and 0 <= linked < len(self.labels_):
            story_id, prob = self.labels_[linked], 1.0
        else:
            story_id_or_none, prob = self._best(record, stamp, vec, terms, idf2)
            if story_id_or_none is None or prob < self.threshold:
                story_id_or_none, prob = None, 1.0
            story_id = story_id_or_none if story_id_or_none is not None else -1
        if story_id < 0:
            story_id = len(self._stories)
            self._stories.append(_Story(centroid=np.zeros(vec.shape[0], dtype=np.float64)))
            if story_id >= self._capacity.shape[0]:  # grow by doubling: amortised O(1)
                size = max(64, 2 * story_id)
                grown = np.zeros((size, vec.shape[0]), dtype=np.float32)
                spans = np.full((size, 2), np.nan)
                if story_id:
                    grown[:story_id] = self._capacity[:story_id]
                    spans[:story_id] = self._spans[:story_id]
                self._capacity, self._spans = grown, spans
            self._centroids = self._capacity[: story_id + 1]
        story = self._stories[story_id]
        story.centroid += vec
        story.size += 1
        norm = float(np.linalg.norm(story.centroid)) or 1.0
        self._centroids[story_id] = story.centroid / norm
        names, words = terms
        for which, items, held in (("names", names, story.names), ("words", words, story.words)):
            # (n + 1)² - n² = 2n + 1: each term's count in the story grows by one.
            story.sumsq[which] += math.fsum(idf2[x] * (2 * held[x] + 1) for x in items)
            held.update(items)
        self._df.update(names | words)
        self._seen += 1
        if self._seen >= 2 * story.exact_at:  # rarities drifted: recompute exactly
            story.sumsq = {
                "names": story_norm(story.names, self._idf) ** 2,
                "words": story_norm(story.words, self._idf) ** 2,
            }
            story.exact_at = self._seen
        if stamp is not None:
            story.first = stamp if story.first is None else min(story.first, stamp)
            story.last = stamp if story.last is None else max(story.last, stamp)
        if record.published is not None:  # blocking reads publication dates only
            posted = record.published.timestamp()
            first, last = self._spans[story_id]
            self._spans[story_id] = (
                posted if np.isnan(first) else min(first, posted),
                posted if np.isnan(last) else max(last, posted),
            )
        self.labels_.append(story_id)
        self.probability_.append(prob)


def same_story_of_pairs(
    pairs: Sequence[tuple[Article, Article]],
    encoder: Encoder | None = None,
    leads: tuple[NDArray[np.float32], NDArray[np.float32]] | None = None,
) -> list[float]:
    """How likely each pair of articles reports one event: the pair model
    (:data:`PAIR_WEIGHTS`) on the pair's lead meaning (``leads``: the two sides' lead vectors,
    row by row, when the caller has them; else encoded by ``encoder``, the pipeline's
    multilingual lead encoder unless given) and names, their rarity learned from all the texts
    given."""
    if not pairs:
        return []
    names, idf = pair_names([t.text for a, b in pairs for t in (a, b)])
    if leads is None:
        vec = (encoder or default_encoders().lead).encode(
            [t.lead for a, b in pairs for t in (a, b)]
        )
        leads = (vec[0::2], vec[1::2])
    meaning = np.einsum("ij,ij->i", leads[0], leads[1])
    out = []
    for k in range(len(pairs)):
        shared = tfidf_cosine(names[2 * k], Counter(names[2 * k + 1]), idf)
        out.append(probability(story_features(float(meaning[k]), shared, None), PAIR_WEIGHTS))
    return out
