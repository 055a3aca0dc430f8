"""Direction of reuse: which of two related articles is the source, how sure, and why.

A derived relation (a copy, an edit, a rewrite, a translation) has a source and a copy, but
which is which must be found, never assumed: where no signal decides, the direction is unknown
and every view says so (:mod:`newsfold.trees` draws such a relation as an undirected edge, the
facts never call either side "a copy").

:func:`judge_direction` reads a pair's own data (both articles, the relation's kind and its
sentence alignment) and weighs these signals, each a :class:`Signal` naming the side it takes
for the source, a weight, and a reason that cites the evidence (character offsets where there
are any):

* **publication times** (:func:`time_signal`): one article published clearly
  (:data:`MIN_GAP`) before the other;
* **wire marks** (:func:`wire_signal`): one side opens with a wire dateline or an agency credit
  ("WASHINGTON, May 21 (Reuters) —") or closes with one ("— NNN-AGENCIES") and the other has
  none: a rewrite drops the agency's marks, the agency's own copy keeps them;
* **containment** (:func:`containment_signal`): a copy of a part is covered by its source more
  than it covers it (partial and near-duplicate copies only: a rewrite adds text of its own);
* **foreign letters** (:func:`letters_signal`, translations): a translation keeps the names of
  its source's country in their own spelling ("Þórólfur" in an English text, "Müller" in a
  French one), letters the original's language has and the translation's lacks;
* **explicitation** (:func:`length_signal`, translations): a translation is longer than its
  source once the two languages' usual lengths are allowed for (translators spell out what the
  source implies; Baker 1993, Blum-Kulka 1986). :data:`LENGTH_FACTORS` holds each language's
  length per unit of content, fitted on half the WMT21 development pairs
  (``bench/direction_quality.py``); a language without a factor gives no vote.

* **fluency** (:func:`fluency_signal`, same language, optional: a language model scores the
  changed sentences, only of pairs nothing above decided): the side that reads worse is the copy
  (a machine translation or a spun copy garbles its source: "broken by Egypt").

The signed weights are summed; below :data:`MIN_VOTES` the direction is unknown. Third
articles (:mod:`newsfold.corroborate`) add their vote where a relation's neighbourhood is read
(the engine's direction step), for undirected same-language relations only.

Dates: :func:`published` is where a pair's dates are read; it takes ``Article.published`` at
face value today (a suspect-date check, when ``newsfold.dates`` offers one, plugs in there).
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Literal

from newsfold.align import Alignment
from newsfold.article import Article
from newsfold.datelines import wire_mark
from newsfold.dates import effective_date

__all__ = [
    "LENGTH_FACTORS",
    "MIN_VOTES",
    "FluencyScorer",
    "Signal",
    "containment_signal",
    "fluency_signal",
    "judge_direction",
    "length_signal",
    "letters_signal",
    "published",
    "time_signal",
    "wire_signal",
]

Side = Literal["a", "b"]
#: Relation kinds that have a direction.
DIRECTED_KINDS: frozenset[str] = frozenset(
    {"duplicate", "near_duplicate", "partial", "rewrite", "translation"}
)

#: Smallest gap between two publication times that tells which came first (seconds): clocks,
#: time zones and feed delays blur anything closer.
MIN_GAP = 3600.0
#: Weight of a clear gap in publication times.
TIME_WEIGHT = 2.0
#: Weight of a wire mark on one side only.
WIRE_WEIGHT = 1.5
#: Weight of containment (a copy of a part).
CONTAINMENT_WEIGHT = 1.0
#: Smallest difference of the two coverages that tells the contained side.
CONTAINMENT_GAP = 0.15
#: Weight of foreign letters on one side only.
LETTERS_WEIGHT = 1.5
#: Log-length excess (translation over source, languages allowed for) worth one vote; the
#: length vote grows with the excess up to :data:`LENGTH_CAP`.
LENGTH_UNIT = 0.02
LENGTH_CAP = 1.5
#: Fewest matched sentences' share of both sides for the lengths to compare whole texts.
LENGTH_COVERAGE = 0.5
#: Summed weight from which a side is named the source; below it the direction is unknown.
MIN_VOTES = 1.0
#: Fluency (same language, only where the cheaper signals leave the direction unknown): at most
#: this many edited sentence pairs are scored.
FLUENCY_PAIRS = 8
#: Fewest changed sentence pairs worth scoring.
FLUENCY_MIN_PAIRS = 2
#: Mean difference of per-token losses (nats) from which one side reads worse.
FLUENCY_MARGIN = 0.25
#: Share of the scored pairs that must agree with the mean.
FLUENCY_AGREE = 0.6
#: Weight of a fluency vote (alone it decides: it is asked only when nothing else did).
FLUENCY_WEIGHT = 1.0

#: Each language's log length in characters (spaces left out) per unit of content, relative to
#: German, fitted (with the explicitation of translation, a translation's log-length excess over
#: its source: 0.086 there) by
#: least squares on the fit half of the WMT21 development pairs (clusters whose CRC-32 is even;
#: ``python -m bench.direction_quality --fit`` prints them again). A translation from ``x`` to
#: ``y`` has ``log(len y / len x) = F[y] - F[x] + e``, its reverse ``F[y] - F[x] - e``.
LENGTH_FACTORS: dict[str, float] = {
    "de": 0.0,
    "en": 0.181,
    "fr": 0.021,
    "is": 0.169,
    "ja": -0.603,
    "ru": 0.252,
}

#: Letters a language's own words use and English does not (names keep them across languages);
#: a language not listed has none that tell.
LETTERS: dict[str, frozenset[str]] = {
    "cs": frozenset("áčďéěíňóřšťúůýžÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ"),
    "da": frozenset("æøåÆØÅ"),
    "de": frozenset("äöüßÄÖÜ"),
    "es": frozenset("áéíñóúüÁÉÍÑÓÚÜ"),
    "fi": frozenset("äöåÄÖÅ"),
    "fr": frozenset("éèêàçùâîôûëïœÉÈÊÀÇÙÂÎÔÛËÏŒ"),
    "hu": frozenset("áéíóöőúüűÁÉÍÓÖŐÚÜŰ"),
    "is": frozenset("ðþæáíóúýéöÐÞÆÁÍÓÚÝÉÖ"),
    "it": frozenset("àèéìíòóùÀÈÉÌÒÙ"),
    "nb": frozenset("æøåÆØÅ"),
    "nl": frozenset("ëïéèËÏÉ"),
    "no": frozenset("æøåÆØÅ"),
    "pl": frozenset("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"),
    "pt": frozenset("ãõáâàéêíóôúçÃÕÁÂÀÉÊÍÓÔÚÇ"),
    "ro": frozenset("ăâîșțşţĂÂÎȘȚŞŢ"),
    "sv": frozenset("åäöÅÄÖ"),
    "tr": frozenset("çğıöşüİÇĞÖŞÜ"),
    "ru": frozenset(chr(c) for c in range(0x0400, 0x0500)),
    "uk": frozenset(chr(c) for c in range(0x0400, 0x0500)),
    "bg": frozenset(chr(c) for c in range(0x0400, 0x0500)),
    "el": frozenset(chr(c) for c in range(0x0370, 0x0400)),
    "ja": frozenset(chr(c) for c in (*range(0x3040, 0x3100), *range(0x4E00, 0xA000))),
    "zh": frozenset(chr(c) for c in range(0x4E00, 0xA000)),
    "ko": frozenset(chr(c) for c in range(0xAC00, 0xD7A4)),
    "ar": frozenset(chr(c) for c in range(0x0600, 0x0700)),
    "he": frozenset(chr(c) for c in range(0x0590, 0x0600)),
}
#: Foreign-letter words shown in a reason.
SHOWN = 3

# News agencies whose credit marks a wire story.


@dataclass(frozen=True, slots=True)
class Signal:
    """One signal's vote: the side it takes for the source, its weight, and why."""

    name: str
    source: Side
    weight: float
    reason: str


@dataclass(frozen=True, slots=True)
class Verdict:
    """The combined direction: the source side (None: unknown), a confidence and the reasons
    (every signal's, for and against, or why none spoke)."""

    source: Side | None
    confidence: float
    reasons: tuple[str, ...]
    signals: tuple[Signal, ...] = ()


def _other(side: Side) -> Side:
    return "b" if side == "a" else "a"


def published(article: Article) -> datetime | None:
    """The publication time a direction may rely on: none when the text's own dates make the
    stored one suspect (:func:`newsfold.dates.effective_date`)."""
    return effective_date(article)


def time_signal(a: Article, b: Article) -> Signal | None:
    """The earlier side, when both times are known and :data:`MIN_GAP` or more apart."""
    ta, tb = published(a), published(b)
    if ta is None or tb is None:
        return None
    try:
        gap = (tb - ta).total_seconds()
    except TypeError:  # one aware, one naive: not comparable
        return None
    if abs(gap) < MIN_GAP:
        return None
    first: Side = "a" if gap > 0 else "b"
    t_first, t_second = (ta, tb) if first == "a" else (tb, ta)
    hours = abs(gap) / 3600
    span = f"{hours:.0f} hours" if hours < 48 else f"{hours / 24:.0f} days"
    return Signal(
        "time",
        first,
        TIME_WEIGHT,
        f"{first} was published first ({t_first:%Y-%m-%d %H:%M}, {span} before "
        f"{_other(first)}: {t_second:%Y-%m-%d %H:%M})",
    )


def wire_signal(a: Article, b: Article) -> Signal | None:
    """The side carrying a wire mark (:func:`wire_mark`) when the other carries none."""
    ma, mb = wire_mark(a.text), wire_mark(b.text)
    if (ma is None) == (mb is None):
        return None
    side: Side = "a" if ma is not None else "b"
    start, end = ma or mb  # type: ignore[misc]
    text = (a if side == "a" else b).text[start:end].strip()
    return Signal(
        "wire",
        side,
        WIRE_WEIGHT,
        f"{side} carries the wire mark {text!r} (chars {start}-{end}) that {_other(side)} "
        "lacks: a rewrite drops the agency's dateline and credit",
    )


def containment_signal(kind: str, al: Alignment) -> Signal | None:
    """For a copy of a part (``partial``, ``near_duplicate``): the side that covers the other
    less is the source (the copy is contained in it)."""
    if kind not in ("partial", "near_duplicate"):
        return None
    gap = al.coverage_b - al.coverage_a
    if abs(gap) < CONTAINMENT_GAP:
        return None
    copy: Side = "b" if gap > 0 else "a"
    return Signal(
        "containment",
        _other(copy),
        CONTAINMENT_WEIGHT,
        f"{copy} is largely contained in {_other(copy)} "
        f"({max(al.coverage_a, al.coverage_b):.0%} of it matched, against "
        f"{min(al.coverage_a, al.coverage_b):.0%})",
    )


@lru_cache(maxsize=256)
def _letters_pattern(source: str, target: str) -> re.Pattern[str] | None:
    """A pattern of the words holding letters of ``source``'s own that ``target``'s lacks."""
    letters = LETTERS.get(source, frozenset()) - LETTERS.get(target, frozenset())
    if not letters:
        return None
    chars = "".join(re.escape(c) for c in sorted(letters))
    return re.compile(rf"\w*[{chars}]\w*")


def _foreign_words(text: str, source: str, target: str) -> list[tuple[int, int]]:
    """Spans of the words of ``text`` (in ``target``) holding letters of ``source``'s own."""
    pattern = _letters_pattern(source, target)
    return [] if pattern is None else [m.span() for m in pattern.finditer(text)]


def letters_signal(a: Article, b: Article) -> Signal | None:
    """For two languages: the side whose text holds words in the other language's own letters
    (those its own language lacks) is the translation, when the other side holds none of its
    letters in return."""
    la, lb = (a.language or "").split("-")[0], (b.language or "").split("-")[0]
    if not la or not lb or la == lb:
        return None
    in_b = _foreign_words(b.text, la, lb)  # a's letters in b: b translates a
    in_a = _foreign_words(a.text, lb, la)
    if bool(in_a) == bool(in_b):
        return None
    translation: Side = "b" if in_b else "a"
    art, found = (b, in_b) if in_b else (a, in_a)
    source_lang = la if translation == "b" else lb
    shown = ", ".join(f"{art.text[s:e]!r} (chars {s}-{e})" for s, e in found[:SHOWN])
    more = f" and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
    return Signal(
        "letters",
        _other(translation),
        LETTERS_WEIGHT,
        f"{translation} keeps words in {source_lang} letters: {shown}{more}; "
        f"{_other(translation)} has none in {art.language}'s: names keep their source's spelling",
    )


def _content_chars(text: str) -> int:
    """Characters other than white space (``str.split`` splits on exactly those)."""
    return sum(map(len, text.split()))


def length_signal(a: Article, b: Article, al: Alignment | None = None) -> Signal | None:
    """For two languages with :data:`LENGTH_FACTORS`: the side longer than the other once the
    languages' usual lengths are allowed for is the translation (explicitation). Whole texts
    only: when the alignment matched less than :data:`LENGTH_COVERAGE` of either side, one
    may translate a part of the other and lengths tell nothing."""
    la, lb = (a.language or "").split("-")[0], (b.language or "").split("-")[0]
    if la == lb or la not in LENGTH_FACTORS or lb not in LENGTH_FACTORS:
        return None
    if al is not None and al.pairs and min(al.coverage_a, al.coverage_b) < LENGTH_COVERAGE:
        return None
    na, nb = _content_chars(a.text), _content_chars(b.text)
    if not na or not nb:
        return None
    excess = math.log(nb / na) - (LENGTH_FACTORS[lb] - LENGTH_FACTORS[la])  # > 0: b is longer
    weight = min(LENGTH_CAP, abs(excess) / LENGTH_UNIT)
    if weight < 0.25:
        return None
    translation: Side = "b" if excess > 0 else "a"
    return Signal(
        "length",
        _other(translation),
        weight,
        f"{translation} is {math.expm1(abs(excess)):.0%} longer than {_other(translation)} "
        f"beyond the usual {la}/{lb} ratio ({na} and {nb} characters): translations spell out "
        "more than their source",
    )


#: Scores how badly sentences read where they changed: for each sentence and its changed
#: character spans, one value (a language model's mean loss over the tokens in those spans, or
#: over the whole sentence when none are given: higher reads worse). Injected:
#: :class:`newsfold.fluency.SmolLM2Fluency`.
FluencyScorer = Callable[[Sequence[str], Sequence[Sequence[tuple[int, int]]]], Sequence[float]]


def changed_spans(a: str, b: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Character spans of the words each of two sentences changed (a word diff)."""
    wa, wb = list(re.finditer(r"\S+", a)), list(re.finditer(r"\S+", b))
    ops = difflib.SequenceMatcher(
        a=[m.group() for m in wa], b=[m.group() for m in wb], autojunk=False
    ).get_opcodes()
    out_a: list[tuple[int, int]] = []
    out_b: list[tuple[int, int]] = []
    for op, i1, i2, j1, j2 in ops:
        if op == "equal":
            continue
        if i2 > i1:
            out_a.append((wa[i1].start(), wa[i2 - 1].end()))
        if j2 > j1:
            out_b.append((wb[j1].start(), wb[j2 - 1].end()))
    return out_a, out_b


def fluency_signal(a: Article, b: Article, al: Alignment, scorer: FluencyScorer) -> Signal | None:
    """Same language: the side whose changed words read worse is the copy (a machine
    translation or a spun copy garbles its source: "broken by Egypt" for "brokered by Egypt").
    Only the words that differ in lightly edited sentence pairs are scored (in their sentence:
    :data:`FLUENCY_PAIRS` pairs at most, the least changed first, where a change is most likely
    a slip rather than a rewording; pairs where one side only deletes are left out); the vote
    needs a mean gap of :data:`FLUENCY_MARGIN` and :data:`FLUENCY_AGREE` of the pairs on its
    side."""
    if a.language and b.language and a.language != b.language:
        return None
    chosen = []
    for p in sorted(al.pairs, key=lambda p: -p.lexical):
        if p.kind != "edited":
            continue
        ta, tb = a.text[p.span_a[0] : p.span_a[1]], b.text[p.span_b[0] : p.span_b[1]]
        sa, sb = changed_spans(ta, tb)
        if sa and sb:
            chosen.append((p, ta, tb, sa, sb))
        if len(chosen) == FLUENCY_PAIRS:
            break
    if len(chosen) < FLUENCY_MIN_PAIRS:
        return None
    texts = [c[1] for c in chosen] + [c[2] for c in chosen]
    spans = [c[3] for c in chosen] + [c[4] for c in chosen]
    scores = list(scorer(texts, spans))
    n = len(chosen)
    gaps = [scores[k + n] - scores[k] for k in range(n)]  # > 0: b reads worse
    mean = sum(gaps) / n
    if abs(mean) < FLUENCY_MARGIN:
        return None
    agree = sum(1 for g in gaps if (g > 0) == (mean > 0)) / n
    if agree < FLUENCY_AGREE:
        return None
    copy: Side = "b" if mean > 0 else "a"
    k = max(range(n), key=lambda i: gaps[i] if copy == "b" else -gaps[i])
    p, ta, tb, sa, sb = chosen[k]
    base, (s0, e0) = (p.span_b[0], sb[0]) if copy == "b" else (p.span_a[0], sa[0])
    words = (tb if copy == "b" else ta)[s0:e0]
    return Signal(
        "fluency",
        _other(copy),
        FLUENCY_WEIGHT,
        f"{copy}'s changed words read worse ({n} edited sentences scored, {agree:.0%} of them "
        f"agree, by {abs(mean):.2f} nats a token on average; most: {words!r} at chars "
        f"{base + s0}-{base + e0}): a copy garbles its source",
    )


def combine(signals: Sequence[Signal], min_votes: float = MIN_VOTES) -> Verdict:
    """The side the weighted signals favour, or None below ``min_votes``; the confidence grows
    with the margin and shrinks with dissent."""
    if not signals:
        return Verdict(None, 0.0, ("direction unknown: no signal of direction",), ())
    votes = sum(s.weight if s.source == "a" else -s.weight for s in signals)
    reasons = tuple(s.reason for s in signals)
    if abs(votes) < min_votes:
        undecided = f"direction unknown: the signals do not decide (net weight {abs(votes):.2f})"
        return Verdict(None, 0.0, (undecided, *reasons), tuple(signals))
    source: Side = "a" if votes > 0 else "b"
    against = sum(s.weight for s in signals if s.source != source)
    confidence = min(0.95, 0.5 + 0.15 * abs(votes)) * (1 - 0.3 * min(1.0, against))
    ordered = sorted(signals, key=lambda s: (s.source != source, -s.weight))
    return Verdict(source, round(confidence, 3), tuple(s.reason for s in ordered), tuple(signals))


def judge_direction(
    a: Article,
    b: Article,
    kind: str,
    al: Alignment | None = None,
    fluency: FluencyScorer | None = None,
) -> Verdict:
    """Which of ``a`` and ``b`` is the source of a relation of ``kind`` (see the module
    docstring); unknown for relations that derive nothing. ``fluency``: a sentence scorer
    (:data:`FluencyScorer`), asked only for same-language pairs that the cheap signals leave
    undecided (it is slow)."""
    if kind not in DIRECTED_KINDS:
        return Verdict(None, 0.0, (), ())
    found: list[Signal | None] = [time_signal(a, b), wire_signal(a, b)]
    if al is not None:
        found.append(containment_signal(kind, al))
    if kind == "translation":
        found += [letters_signal(a, b), length_signal(a, b, al)]
    signals = [s for s in found if s is not None]
    verdict = combine(signals)
    if verdict.source is None and fluency is not None and al is not None and kind != "translation":
        more = fluency_signal(a, b, al, fluency)
        if more is not None:
            verdict = combine([*signals, more])
    return verdict
