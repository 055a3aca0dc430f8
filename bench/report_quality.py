"""The story summary beside sumy's LexRank: attribution, redundancy, coverage, single sources.

Stories: the ECB+ events (each true event's articles as one story; every article its own
source: ECB+ has no reuse links) and the seeds (linked and folded by newsfold, copies of one
source counted once). Both systems pick 5 sentences per story from the same sentences (newsfold's
sentence splitter); sumy's LexRank (0.11.0, English stemmer and stop words, the article texts in
story order) is the peer a user would reach for.

Measures, the same for both, with newsfold's sentence aligner deciding which sentences support
which (shared wording, or the same meaning by MiniLM):

* attribution precision (newsfold only: LexRank cites nothing): the share of (summary sentence,
  cited article) pairs where the cited span aligns with the summary sentence;
* redundancy: pairs of summary sentences that align with each other, per story;
* coverage: the share of the story's independent sources that report at least one summary
  sentence;
* single-source share: the share of summary sentences only one source reports.

Twenty (sentence, citation) pairs drawn at random are written to ``bench/report_citations.md``
for reading by hand; both summaries of the seeds story go into the section.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from bench import report
from bench.story_quality import SEEDS, folded_seeds
from bench.story_quality import load as load_data
from newsfold.align import SentenceAligner
from newsfold.article import Article, build_article
from newsfold.embed import default_encoders
from newsfold.relations import DERIVED
from newsfold.summary import MAX_WORDS, MIN_WORDS, Summarizer
from newsfold.trees import reuse_trees

SENTENCES = 5
#: What reading the drawn citations found (by a person; re-read when the summary changes).
HAND_READ = (
    "Read by hand (2026-11-22, the sample drawn by this code): the cited sentence supports the "
    "summary sentence in **17 of 20** (0.85; target 0.95: **not met**); in 13 it says all of "
    "it, in 4 only its main part (the summary sentence adds a clause: the time of an arrest, a "
    "record's figure). The 3 misses cite a sentence on the same subject that says something "
    "else: 'tied the all-time scoring record' for 'became the all-time leading scorer', a vigil "
    "for a teenager cited by the police account of his shooting, a blog aside on a contract "
    "cited by another sentence on the same team. The automatic check cannot see these: it asks "
    "the same aligner that chose the citations, whose paraphrase threshold (MiniLM cosine 0.78) "
    "admits same-topic sentences.\n"
)
#: `newsfold run` on the ECB+ articles, timed by hand (one run takes 10 minutes: not repeated here).
RUN_ECB = (
    "- `newsfold run` on the 772 ECB+ development articles (measured by hand with `time`, "
    "2026-11-22 12:21 UTC, same machine, before the template-twin test of the links stage): "
    "ingest 0.8 s, links 409.3 s, fold 0.7 s, claims 64.4 s, report of 69 stories 114.7 s; "
    "9 min 51 s wall, 18 min 8 s CPU.\n"
)
CITATIONS = Path(__file__).with_name("report_citations.md")


class _Words:
    """The tokenizer sumy's document model asks for (its own needs NLTK data downloads)."""

    language = "english"

    def to_words(self, text: str) -> list[str]:
        return [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]


def lexrank(articles: Sequence[Article], count: int) -> list[tuple[str, int]]:
    """sumy LexRank's choice among the stories' sentences: (article id, sentence index)."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    words = _Words()
    where: dict[str, tuple[str, int]] = {}
    paragraphs = []
    for a in articles:
        sentences = []
        for s in a.sentences:
            if MIN_WORDS <= len(s.text.split()) <= MAX_WORDS and s.text not in where:
                where[s.text] = (a.id, s.index)
                sentences.append(Sentence(s.text, words))
        if sentences:
            paragraphs.append(Paragraph(sentences))
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    chosen = summarizer(ObjectDocumentModel(paragraphs), count)
    return [where[str(s)] for s in chosen]


def measures(
    picked: Sequence[tuple[str, int]],
    articles: Sequence[Article],
    source_of: Mapping[str, str],
    aligner: SentenceAligner,
    vectors: dict[str, np.ndarray],
) -> tuple[int, float, float]:
    """(redundant pairs, source coverage, single-source share) of one summary."""
    by_id = {a.id: a for a in articles}
    texts = [by_id[a].sentences[i].text for a, i in picked]
    pool = [(a.id, s.text) for a in articles for s in a.sentences]
    pool_vec = np.stack([vectors[t] for _, t in pool])
    mine = np.stack([vectors[t] for t in texts]) if texts else np.zeros((0, pool_vec.shape[1]))
    _, lex, cos = aligner.score_matrix(texts, [t for _, t in pool], mine, pool_vec)
    match = aligner.match_matrix(lex, cos)
    sources_all = {source_of.get(a.id, a.id) for a in articles}
    covered: set[str] = set()
    single = 0
    for k, (aid, _) in enumerate(picked):
        supporters = {aid} | {pool[j][0] for j in np.flatnonzero(match[k])}
        srcs = {source_of.get(a, a) for a in supporters}
        covered |= srcs
        single += len(srcs) == 1
    _, lex2, cos2 = aligner.score_matrix(texts, texts, mine, mine)
    inner = aligner.match_matrix(lex2, cos2)
    redundant = int(np.triu(inner, 1).sum())
    return redundant, len(covered) / len(sources_all), single / max(1, len(picked))


def _stories() -> list[tuple[str, list[Article], dict[str, str], dict[str, str]]]:
    """(name, articles, source of each copy, short names) of every story."""
    rows = load_data("ecbplus.jsonl")
    by_event: dict[str, list[Article]] = {}
    for r in rows:
        art = build_article({"id": r["id"], "text": r["text"], "language": "en"})
        by_event.setdefault(str(r["event"]), []).append(art)
    stories = [(f"ECB+ {e}", arts, {}, {}) for e, arts in sorted(by_event.items())]
    if SEEDS.is_dir():
        with folded_seeds() as store:
            ids = store.ids()
            arts = [a for a in (store.get(i) for i in ids) if a is not None]
            rel = [r for r in store.relations() if r["relation"] in DERIVED]
            root = {e["child"]: t["root"] for t in reuse_trees(rel) for e in t["edges"]}
            names = {a.id: Path(a.origin or a.id).name[:3] for a in arts}
        stories.append(("seeds", arts, root, names))
    return stories


def run(quick: bool) -> str:
    stories = _stories()
    if quick:
        stories = stories[:5] + stories[-1:]
    encoder = default_encoders().sentence
    aligner = SentenceAligner.for_encoder(encoder)
    summarizer = Summarizer(sentences=SENTENCES, encoder=encoder)
    totals: dict[str, list[float]] = {"newsfold": [0, 0, 0, 0], "LexRank": [0, 0, 0, 0]}
    cited = right = 0
    drawn: list[str] = []
    seeds_text: dict[str, list[str]] = {}
    rng = random.Random(20261122)
    samples: list[tuple[str, str, str]] = []
    for name, articles, source_of, names in stories:
        texts = sorted({s.text for a in articles for s in a.sentences})
        vectors = dict(zip(texts, encoder.encode(texts), strict=True))
        ours = summarizer.summarize(articles, source_of)
        cut = [s.text for s in ours if s.text not in vectors]  # a sentence without its dateline
        vectors.update(zip(cut, encoder.encode(cut), strict=True) if cut else ())
        by_id = {a.id: a for a in articles}
        for s in ours:
            for c in s.citations:
                if c.article == s.article:
                    continue
                span = by_id[c.article].text[c.start : c.end]
                _, lex, cos = aligner.score_matrix(
                    [s.text], [span], vectors[s.text][None, :], vectors[span][None, :]
                )
                ok = bool(aligner.match_matrix(lex, cos)[0, 0])
                cited += 1
                right += ok
                samples.append((name, s.text, span))
        picked_ours = [
            (s.article, next(x.index for x in by_id[s.article].sentences if x.end == s.end))
            for s in ours
        ]
        picked_lex = lexrank(articles, SENTENCES)
        for system, picked in (("newsfold", picked_ours), ("LexRank", picked_lex)):
            red, cov, single = measures(picked, articles, source_of, aligner, vectors)
            t = totals[system]
            t[0] += red
            t[1] += cov
            t[2] += single
            t[3] += 1
        if name == "seeds":
            seeds_text["newsfold"] = [
                f"{s.text} [{', '.join(names.get(c.article, c.article[:6]) for c in s.citations)}]"
                + (" (one source)" if s.single_source else "")
                + (f" Note: {s.note}." if s.note else "")
                for s in ours
            ]
            seeds_text["LexRank"] = [by_id[a].sentences[i].text for a, i in picked_lex]
    for name, sentence, span in rng.sample(samples, min(20, len(samples))):
        drawn.append(f"- **{name}**: {sentence}\n  - cited: {' '.join(span.split())}")
    CITATIONS.write_text(
        "# Summary citations drawn for reading by hand\n\n" + "\n".join(drawn) + "\n",
        encoding="utf-8",
    )
    rows = []
    for system, t in totals.items():
        n = max(1, int(t[3]))
        rows.append([system, f"{t[0] / n:.2f}", f"{t[1] / n:.3f}", f"{t[2] / n:.3f}"])
    precision = right / max(1, cited)
    ours_t, lex_t = totals["newsfold"], totals["LexRank"]
    beats = ours_t[0] <= lex_t[0] and ours_t[1] >= lex_t[1] and ours_t[2] <= lex_t[2]
    seeds_part = ""
    if seeds_text:
        seeds_part = (
            "\n### The seeds story, both summaries\n\nnewsfold:\n\n"
            + "\n".join(f"{k + 1}. {t}" for k, t in enumerate(seeds_text["newsfold"]))
            + "\n\nLexRank (sumy):\n\n"
            + "\n".join(f"{k + 1}. {t}" for k, t in enumerate(seeds_text["LexRank"]))
            + "\n"
        )
    return (
        "## Story summary beside LexRank\n\n"
        + report.facts(quick=quick)
        + f"\n{len(stories)} stories ({len(stories) - 1} ECB+ events and the seeds), "
        f"{SENTENCES} sentences each.\n\n"
        + report.table(
            ("system", "redundant pairs per story", "source coverage", "single-source share"),
            rows,
        )
        + f"\n- Attribution precision (cited span aligns with the summary sentence): "
        f"{right:,} of {cited:,} = **{precision:.3f}** (target ≥ 0.95: "
        f"**{'met' if precision >= 0.95 else 'not met'}**). Twenty drawn at random are in "
        f"`bench/{CITATIONS.name}`.\n- "
        + HAND_READ
        + RUN_ECB
        + f"- Beats LexRank on all three (fewer redundant pairs, more coverage, fewer "
        f"single-source sentences): **{'yes' if beats else 'no'}**.\n" + seeds_part
    )
