"""Attributed multi-document summary of one story: what most independent sources report.

:class:`Summarizer` aligns every sentence of a story's articles with every other (the reuse
stage's :class:`~newsfold.align.SentenceAligner`: shared wording or the same meaning), and counts
for each sentence the articles that carry it and the independent sources among them (a wire
story and its copies are one source: ``source_of`` maps each article to its source). It then
picks sentences greedily, most independent sources first, never two that align with each other,
and cites for each every article holding an aligned sentence, with that sentence's span. A
sentence that only one source reports is marked. Where a sentence carries a number that the
sources dispute (a ``conflict`` group of :mod:`newsfold.reconcile`), the sentence says so and
states the range instead of silently picking one value. Deterministic: ties break on article
order and sentence position.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from newsfold.align import SentenceAligner
from newsfold.article import Article
from newsfold.datelines import dateline_end
from newsfold.dates import parse_date_line
from newsfold.embed import Encoder, default_encoders, reads
from newsfold.reconcile import FactGroup

__all__ = ["Citation", "Summarizer", "SummarySentence"]

#: Sentences shorter than this many words (datelines, captions) are not summary material.
MIN_WORDS = 6
#: Sentences longer than this are run-ons or lists.
MAX_WORDS = 60
#: Sentences compared at once (a tile of TILE x TILE pairs): bounds memory on long stories.
TILE = 1024
#: Two summary sentences whose cosine is this much above the encoder's paraphrase threshold say
#: the same thing (0.8 for MiniLM).
CLOSE = 0.02


@dataclass(frozen=True, slots=True)
class Citation:
    """An article supporting a summary sentence, and the span of its supporting sentence."""

    article: str
    start: int
    end: int


@dataclass(slots=True)
class SummarySentence:
    """One sentence of the summary: its words (from ``article``), who reports it, and notes."""

    text: str
    article: str
    start: int
    end: int
    citations: list[Citation] = field(default_factory=list)
    sources: int = 1
    note: str | None = None

    @property
    def single_source(self) -> bool:
        return self.sources <= 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "article": self.article,
            "start": self.start,
            "end": self.end,
            "sources": self.sources,
            "single_source": self.single_source,
            "note": self.note,
            "citations": [
                {"article": c.article, "start": c.start, "end": c.end} for c in self.citations
            ],
        }


class Summarizer:
    """Summarise a story (see the module docstring). ``sentences``: at most this many (None: no
    limit); ``words``: at most this many words in all (None: no limit); ``encoder``: the sentence
    encoder (the pipeline's unless given); ``aligner``: which sentence pairs count as support."""

    def __init__(
        self,
        sentences: int | None = 5,
        words: int | None = None,
        encoder: Encoder | None = None,
        aligner: SentenceAligner | None = None,
    ) -> None:
        self.sentences = sentences
        self.words = words
        self.encoder = encoder
        self.aligner = aligner

    def summarize(
        self,
        articles: Sequence[Article],
        source_of: Mapping[str, str] | None = None,
        conflicts: Sequence[FactGroup] = (),
        vectors: Mapping[str, NDArray[np.float32]] | None = None,
    ) -> list[SummarySentence]:
        """The summary of the story told by ``articles`` (in the order given: earlier articles
        win ties). ``source_of``: each article's independent source (itself when absent);
        ``conflicts``: the story's disputed numbers; ``vectors``: each article's cached
        sentence vectors (from ``encoder``), else the sentences are encoded here."""
        source_of = source_of or {}
        language = _main_language(articles)
        units = [
            (a, s)
            for a in articles
            if (a.language or language) == language
            for s in a.sentences
            if MIN_WORDS <= len(s.text.split()) <= MAX_WORDS and _whole(s.text)
        ]
        if not units:
            return []
        texts = [s.text for _, s in units]
        encoder = self.encoder or default_encoders().sentence
        matrix: NDArray[np.float32] | None = None
        if not reads(encoder, language):  # vectors would say nothing: wording alone
            pass
        elif vectors is not None and all(vectors.get(a.id) is not None for a, _ in units):
            matrix = np.stack([vectors[a.id][s.index] for a, s in units])
        else:
            matrix = encoder.encode(texts)
        # The vectors are all computed above: the aligner encodes nothing itself.
        aligner = self.aligner or SentenceAligner.for_encoder(None, **encoder.thresholds)
        index = {a.id: k for k, a in enumerate(articles)}
        owner = np.array([index[a.id] for a, _ in units])
        # Every sentence against every other, tile by tile: a story of thousands of sentences
        # never holds an n-by-n matrix (nor the dense word incidence behind it).
        support: list[dict[str, int]] = [{units[i][0].id: i} for i in range(len(units))]
        best_score: list[dict[str, float]] = [{} for _ in units]
        centrality = np.zeros(len(units), dtype=np.float64)
        for r0 in range(0, len(units), TILE):
            rows = slice(r0, r0 + TILE)
            for c0 in range(0, len(units), TILE):
                cols = slice(c0, c0 + TILE)
                score, lex, cos = aligner.score_matrix(
                    texts[rows],
                    texts[cols],
                    None if matrix is None else matrix[rows],
                    None if matrix is None else matrix[cols],
                )
                centrality[rows] += (cos if cos is not None else lex).sum(axis=1)
                match = aligner.match_matrix(lex, cos)
                match &= owner[rows, None] != owner[None, cols]  # support from other articles
                for di, dj in zip(*np.nonzero(match), strict=True):
                    i, j = r0 + int(di), c0 + int(dj)
                    aid = units[j][0].id
                    if aid not in best_score[i] or score[di, dj] > best_score[i][aid]:
                        best_score[i][aid] = float(score[di, dj])
                        support[i][aid] = j
        centrality /= len(units)
        sources = [len({source_of.get(a, a) for a in best}) for best in support]
        order = sorted(
            range(len(units)),
            key=lambda i: (
                -sources[i],
                -len(support[i]),
                units[i][1].index,
                -float(centrality[i]),
                index[units[i][0].id],
            ),
        )

        def repeats(i: int, chosen: list[int]) -> bool:
            """Whether sentence ``i`` says what a chosen sentence says."""
            if not chosen:
                return False
            picked = [texts[j] for j in chosen]
            mine = None if matrix is None else matrix[[i]]
            theirs = None if matrix is None else matrix[chosen]
            _, lex, cos = aligner.score_matrix([texts[i]], picked, mine, theirs)
            close = cos is not None and bool((cos >= aligner.paraphrase + CLOSE).any())
            return bool(aligner.match_matrix(lex, cos).any()) or close

        chosen: list[int] = []
        total_words = 0
        for i in order:
            if self.sentences is not None and len(chosen) >= self.sentences:
                break
            if repeats(i, chosen):
                continue
            n_words = len(texts[i].split())
            if self.words is not None and chosen and total_words + n_words > self.words:
                continue
            chosen.append(i)
            total_words += n_words
        # Read in story order: lead sentences first, then by article order.
        chosen.sort(key=lambda i: (units[i][1].index, index[units[i][0].id]))
        out = []
        for i in chosen:
            article, sentence = units[i]
            skip = _dateline(sentence.text)  # "VALMORA, March 3 (Meridian) — " is no news
            citations = [
                Citation(aid, units[j][1].start, units[j][1].end)
                for aid, j in sorted(support[i].items(), key=lambda x: index[x[0]])
            ]
            out.append(
                SummarySentence(
                    sentence.text[skip:],
                    article.id,
                    sentence.start + skip,
                    sentence.end,
                    citations,
                    sources[i],
                    _disputed(citations, conflicts),
                )
            )
        return out


def lead_summary(
    article: Article, sentences: int = 3, words: int | None = None
) -> list[SummarySentence]:
    """The summary of a one-article story: its opening news sentences (a lead is what its
    writer chose to say first), each cited to the article itself; nothing is compared."""
    out: list[SummarySentence] = []
    total = 0
    for sentence in article.sentences:
        if len(out) >= sentences:
            break
        text = sentence.text
        if not MIN_WORDS <= len(text.split()) <= MAX_WORDS or not _whole(text):
            continue
        skip = _dateline(text)
        n_words = len(text[skip:].split())
        if words is not None and out and total + n_words > words:
            break
        total += n_words
        citation = Citation(article.id, sentence.start, sentence.end)
        out.append(
            SummarySentence(
                text[skip:], article.id, sentence.start + skip, sentence.end, [citation]
            )
        )
    return out


_STAMP = re.compile(r"^\W*(?:first )?(?:published|updated|posted|last modified)\b", re.I)
# Not news in a summary: a sentence introducing what follows ("He said:"), a photo caption
# ("FILE - In this May 4, 2001 file photo, ...", "... (AP Photo/Jane Roe)"), a site's own line
# ("Have a tip?", "click here", "follow us on Twitter").
_NOT_NEWS = re.compile(
    r":\s*$|\b(?:AP|Reuters|AFP|Getty|EPA)\s+(?:Photo|Images)\b|^\W*FILE\b\s*[-–—:]|"
    r"\bfile (?:photo|image|picture)\b|^\W*(?:In )?this\b[^.]{0,60}\bphoto(?:graph)?\b|"
    r"\btips?@|\bhave a tip\b|\bsign up for\b[^.]{0,30}\bnewsletter|\bclick here\b|"
    r"\bfollow us\b",
    re.IGNORECASE,
)


def _dateline(text: str) -> int:
    """Where a sentence's opening dateline ends (0: none, or the sentence is little else)."""
    end = dateline_end(text)
    return end if end < len(text) // 2 else 0


def _whole(text: str) -> bool:
    """A sentence of news: its quotation marks paired (not the tail of a quote cut by the
    splitter), not a page's date line ("Published time: March 12, 2013 02:03"), and not an
    introduction, a photo caption or a site's own line (:data:`_NOT_NEWS`)."""
    if _STAMP.match(text) or parse_date_line(text) is not None or _NOT_NEWS.search(text):
        return False
    return text.count("“") == text.count("”") and text.count('"') % 2 == 0


def _main_language(articles: Sequence[Article]) -> str:
    counts: dict[str, int] = {}
    for a in articles:
        counts[a.language or "en"] = counts.get(a.language or "en", 0) + 1
    return max(sorted(counts), key=lambda lang: counts[lang]) if counts else "en"


def _disputed(citations: Sequence[Citation], conflicts: Sequence[FactGroup]) -> str | None:
    """A note when a cited sentence holds a number the sources dispute: the range they give."""
    notes = []
    for group in conflicts:
        if group.kind != "number":
            continue
        inside = any(
            c.article == cite.article and cite.start <= c.start < cite.end
            for c in group.claims
            for cite in citations
        )
        if not inside:
            continue
        values = sorted({c.quantity.value for c in group.claims})
        shown = {c.quantity.value: c.quantity.display() for c in group.claims}
        notes.append(
            f"sources differ on {group.label}: {shown[values[0]]} to {shown[values[-1]]} "
            "(see the facts table)"
        )
    return "; ".join(notes) or None
