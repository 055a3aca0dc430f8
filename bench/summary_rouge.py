"""The story summary against human ones: ROUGE on the Multi-News development clusters.

Each of the 116 clusters of ``../shared/data/multinews_dev.jsonl`` (2-9 articles written
independently by different outlets about one story) is summarised by newsfold's
:class:`~newsfold.summary.Summarizer` and by sumy's LexRank and TextRank (0.11.0, English
stemmer and stop words), all at the word count of the cluster's human summary
(``multinews_dev_summaries.jsonl``), and scored against that summary with Google's
``rouge-score`` (ROUGE-1, ROUGE-2, ROUGE-L F1, Porter stemming on), mean over clusters, in one
run.

The same for every system:

* input: every article of the cluster (those marked ``boilerplate_suspect`` too: a user's
  pile holds its noise), split by newsfold's sentence splitter; candidate sentences are those of
  6 to 60 words (:data:`~newsfold.summary.MIN_WORDS`, :data:`~newsfold.summary.MAX_WORDS`);
* length: sentences in each system's order of preference, each taken when it still fits in the
  word budget (the first always), never cut; a sentence that would overflow is passed over for a
  shorter one further down (newsfold's own rule, applied to sumy's ratings here);
* the summary is the chosen sentences in document order (article order, then position).

Published for reference (not comparable one to one): on this 200-cluster LongBench subset
zero-shot LLMs of 6-7B parameters reach ROUGE-L 25.8-27.9 (LongBench, its own ROUGE); on the full
Multi-News test set LexRank reaches ROUGE-1 38.3 and the fine-tuned PRIMERA 49.9.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from bench import report
from newsfold.article import Article, ArticleError, build_article
from newsfold.embed import default_encoders
from newsfold.summary import MAX_WORDS, MIN_WORDS, Summarizer

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
ARTICLES = "multinews_dev.jsonl"
SUMMARIES = "multinews_dev_summaries.jsonl"
METRICS = ("rouge1", "rouge2", "rougeL")
#: Mean ROUGE F1 (x100) per system and metric.
Scores = dict[str, dict[str, float]]


class _Words:
    """The tokenizer sumy's document model asks for (its own needs NLTK data downloads)."""

    language = "english"

    def to_words(self, text: str) -> list[str]:
        return [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]


def load(data: Path = DATA) -> list[tuple[str, list[Article], str]]:
    """(cluster, its articles in file order, the human summary) of every cluster."""
    by_cluster: dict[str, list[Article]] = {}
    with (data / ARTICLES).open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            try:
                art = build_article({"id": row["id"], "text": row["text"], "language": "en"})
            except ArticleError:  # nothing but boilerplate: no article for any system
                continue
            by_cluster.setdefault(str(row["cluster"]), []).append(art)
    out = []
    with (data / SUMMARIES).open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            cluster = str(row["cluster"])
            if cluster in by_cluster:
                out.append((cluster, by_cluster[cluster], row["summary"]))
    return out


def candidates(articles: Sequence[Article]) -> list[tuple[int, int, str]]:
    """(article order, sentence index, text) of the candidate sentences, each text once."""
    seen: set[str] = set()
    out = []
    for k, a in enumerate(articles):
        for s in a.sentences:
            if MIN_WORDS <= len(s.text.split()) <= MAX_WORDS and s.text not in seen:
                seen.add(s.text)
                out.append((k, s.index, s.text))
    return out


def fit(ranked: Sequence[tuple[int, int, str]], words: int) -> str:
    """The budget rule shared by all systems: in order of preference, take each sentence that
    still fits in ``words`` (the first always); return them in document order."""
    chosen: list[tuple[int, int, str]] = []
    total = 0
    for item in ranked:
        n = len(item[2].split())
        if chosen and total + n > words:
            continue
        chosen.append(item)
        total += n
    chosen.sort(key=lambda x: (x[0], x[1]))
    return "\n".join(t for _, _, t in chosen)


def sumy_ranked(name: str, pool: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The pool's sentences, best first by sumy's ``name`` ("lexrank" or "textrank") ratings
    (ties by document order)."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    if not pool:
        return []
    words = _Words()
    sentences = [Sentence(t, words) for _, _, t in pool]
    paragraphs = []
    k = 0
    while k < len(pool):  # one paragraph per article
        j = k
        while j < len(pool) and pool[j][0] == pool[k][0]:
            j += 1
        paragraphs.append(Paragraph(sentences[k:j]))
        k = j
    document = ObjectDocumentModel(paragraphs)
    cls = LexRankSummarizer if name == "lexrank" else TextRankSummarizer
    summarizer = cls(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    if name == "lexrank":
        # LexRank's __call__ has no public rating method: the same steps, kept as scores.
        sets = [summarizer._to_words_set(s) for s in document.sentences]
        tf, idf = summarizer._compute_tf(sets), summarizer._compute_idf(sets)
        matrix = summarizer._create_matrix(sets, summarizer.threshold, tf, idf)
        scores = list(summarizer.power_method(matrix, summarizer.epsilon))
    else:
        rating = summarizer.rate_sentences(document)
        scores = [rating[s] for s in document.sentences]
    order = sorted(range(len(pool)), key=lambda i: (-float(scores[i]), i))
    return [pool[i] for i in order]


def newsfold_summary(summarizer: Summarizer, articles: Sequence[Article]) -> str:
    """newsfold's summary text, one sentence a line, in its own (document) order."""
    return "\n".join(s.text for s in summarizer.summarize(articles))


def score_all(
    clusters: Sequence[tuple[str, list[Article], str]],
    systems: dict[str, Callable[[list[Article], int], str]],
) -> tuple[
    dict[str, dict[str, float]],
    dict[str, float],
    dict[str, float],
    dict[str, dict[str, list[float]]],
]:
    """Mean ROUGE F1 per system and metric (x100), seconds per system, mean summary words, and
    the per-cluster F1 scores."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    scores: dict[str, dict[str, list[float]]] = {s: {m: [] for m in METRICS} for s in systems}
    seconds = dict.fromkeys(systems, 0.0)
    lengths: dict[str, list[int]] = {s: [] for s in systems}
    for _cluster, articles, human in clusters:
        budget = len(human.split())
        for name, system in systems.items():
            clock = time.perf_counter()
            text = system(articles, budget)
            seconds[name] += time.perf_counter() - clock
            lengths[name].append(len(text.split()))
            result = scorer.score(human, text)
            for m in METRICS:
                scores[name][m].append(result[m].fmeasure)
    means = {s: {m: 100 * statistics.fmean(v) for m, v in ms.items()} for s, ms in scores.items()}
    words = {s: statistics.fmean(v) for s, v in lengths.items()}
    return means, seconds, words, scores


def paired(ours: Sequence[float], theirs: Sequence[float], rounds: int = 2000) -> str:
    """The mean of ``ours - theirs`` over clusters (x100) with its 95% bootstrap interval
    (clusters resampled, fixed seed) and how many clusters ours wins."""
    rng = np.random.default_rng(20261204)
    diff = np.asarray(ours) - np.asarray(theirs)
    means = diff[rng.integers(0, len(diff), size=(rounds, len(diff)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    wins = int((diff > 0).sum())
    return f"{100 * diff.mean():+.2f} [{100 * low:+.2f}, {100 * high:+.2f}], {wins}/{len(diff)}"


def systems() -> dict[str, Callable[[list[Article], int], str]]:
    encoder = default_encoders().sentence

    def ours(articles: list[Article], words: int) -> str:
        return newsfold_summary(Summarizer(None, words, encoder=encoder), articles)

    def peer(name: str) -> Callable[[list[Article], int], str]:
        return lambda articles, words: fit(sumy_ranked(name, candidates(articles)), words)

    return {
        "newsfold": ours,
        "LexRank (sumy)": peer("lexrank"),
        "TextRank (sumy)": peer("textrank"),
    }


def run(quick: bool) -> str:
    head = "## Summaries against human ones (Multi-News dev, ROUGE)\n\n" + report.facts(quick=quick)
    if not (DATA / ARTICLES).is_file():
        return head + f"\nSkipped: `../shared/data/{ARTICLES}` is absent.\n"
    clusters = load()
    if quick:
        clusters = clusters[:10]
    means, seconds, words, per = score_all(clusters, systems())
    human = statistics.fmean(len(h.split()) for _, _, h in clusters)
    rows = [
        [name, *(f"{means[name][m]:.2f}" for m in METRICS), f"{words[name]:.0f}",
         f"{seconds[name]:.1f}"]
        for name in means
    ]  # fmt: skip
    ours = means["newsfold"]
    beaten = all(ours[m] > means[p][m] for p in means if p != "newsfold" for m in METRICS)
    gaps = [
        [f"newsfold - {p}", *(paired(per["newsfold"][m], per[p][m]) for m in METRICS)]
        for p in means
        if p != "newsfold"
    ]
    return (
        head + f"- Data: `../shared/data/{ARTICLES}`, {len(clusters)} clusters, "
        f"{sum(len(a) for _, a, _ in clusters)} articles; human summaries "
        f"`../shared/data/{SUMMARIES}`, {human:.0f} words on average\n"
        "- Length: each summary at most the human summary's word count; sentences taken whole "
        "in each system's order of preference while they fit (the first always), output in "
        "document order; candidates: sentences of 6-60 words by newsfold's splitter\n"
        "- Scoring: `rouge-score` 0.1.2, F1, Porter stemming, mean over clusters (x100)\n\n"
        + report.table(["system", "ROUGE-1", "ROUGE-2", "ROUGE-L", "words", "seconds"], rows)
        + f"\nnewsfold above both peers on all three: **{'yes' if beaten else 'no'}**. "
        "Paired by cluster: mean difference, its 95% bootstrap interval, clusters won:\n\n"
        + report.table(["", "ROUGE-1", "ROUGE-2", "ROUGE-L"], gaps, right=4)
        + "\n"
        "Published for reference (other subsets or scorers, not one to one): zero-shot 6-7B "
        "LLMs on LongBench's 200-cluster Multi-News subset ROUGE-L 25.8-27.9; full Multi-News "
        "test: LexRank ROUGE-1 38.3, PRIMERA (fine-tuned) 49.9.\n"
    )


if __name__ == "__main__":
    import sys

    print(run("--quick" in sys.argv[1:]))
