"""Sentence splitting for news text, as character spans.

A rule-based splitter tuned to news copy (fast, no model): a line break always ends a sentence;
inside a paragraph a sentence ends at ``.``, ``!``, ``?`` or ``…`` (with any closing quotes or
brackets that follow) when the next word starts a sentence. It survives

* abbreviations and titles: "Mr.", "Gen.", "Sen.", "St.", "No. 5", "Jan.", "approx.";
* initials and initialisms: "J. R. Smith", "U.S. officials" (an initialism ends a sentence only
  when a word that usually starts one follows: "... in the U.S. The talks ...");
* quotes: "“It is over.” He left." splits after the closing quote; ``"Why?" he asked`` does not;
* datelines: "WASHINGTON, May 21 (NNN-AGENCIES) — ..." stays one sentence with what follows.
"""

from __future__ import annotations

import re

__all__ = ["split_sentences"]

_TITLES = frozenset(
    "mr mrs ms mx dr prof gen lt col maj capt cpt sgt cmdr adm brig gov sen rep rev fr hon pres "
    "supt insp det st sr jr mt ft atty amb messrs mme mlle sra ste".split()
)
_ABBREVIATIONS = frozenset(
    "no nos nr vs v etc approx est ca cf al fig figs vol vols pp ed eds dept univ assn bros ave "
    "blvd rd hwy apt jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur "
    "thurs fri sat sun e.g i.e a.m p.m u.s u.k u.n e.u op cit ibid min max mln bn tel ext".split()
)
# Abbreviations that often end a sentence too ("... of Acme Corp. The firm ...").
_MAY_END = frozenset("inc corp ltd co plc llc etc u.s u.k u.n e.u a.m p.m".split())
_STARTERS = frozenset(
    "the a an he she it they we i you his her its their our this that these those there here "
    "but and or so yet in on at for from by with after before when while if as however meanwhile "
    "officials police authorities some many most one two three no mr mrs ms dr".split()
)
# A possible end: stop marks, closing quotes or brackets, space, and then no lower-case ASCII
# letter (the cheap rejection; _should_split decides the rest).
_CANDIDATE = re.compile(r"([.!?…]+)([\"'”’»)\]]*)(\s+)(?=[^a-z])")
_OPENERS = "\"'“‘«([-—–"
_INITIALISM = re.compile(r"(?:[A-Za-z]\.){2,}$")
_TOKEN_BEFORE_REVERSED = re.compile(r"\w[\w.'’-]*")
_TOKEN_WINDOW = 40  # how far back the word before a full stop is looked for


def _next_word(text: str, pos: int) -> str:
    m = re.match(r"[\"'“‘«(\[—–-]*\s*([\w’'-]+)", text[pos:])
    return m.group(1) if m else ""


def _should_split(paragraph: str, m: re.Match[str]) -> bool:
    nxt = paragraph[m.end()]
    if nxt.islower():
        return False
    if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
        return False
    if nxt in _OPENERS:
        after = paragraph[m.end() + 1 : m.end() + 3].lstrip()
        if not after or after[0].islower():
            return False
    punct = m.group(1)
    if punct != "." or m.group(2):
        return True
    end = m.start(1)
    # The word before the stop, found by matching the reversed text just before it.
    before = _TOKEN_BEFORE_REVERSED.match(paragraph[max(0, end - _TOKEN_WINDOW) : end][::-1])
    if before is None:
        return True
    token = before.group(0)[::-1]
    key = token.lower()
    is_initial = len(token) == 1 and token.isupper()
    may_end = key in _MAY_END or _INITIALISM.search(token + ".") is not None
    if not (may_end or is_initial or key in _TITLES or key in _ABBREVIATIONS):
        return True  # an ordinary word: the common case, decided without looking ahead
    next_word = _next_word(paragraph, m.end())
    starts = next_word.lower() in _STARTERS
    if may_end:
        return starts
    if key in _TITLES or key in _ABBREVIATIONS:
        # "No. 5" continues; a sentence-final "No." does not.
        return key == "no" and not next_word[:1].isdigit()
    # A single capital letter is an initial ("John F. Kennedy"), unless a pronoun-like word follows.
    return starts


def split_sentences(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` character spans of the sentences of ``text``, in order.

    Spans never include leading or trailing whitespace and never cross a line break.
    """
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", text):
        paragraph = para.group()
        base = para.start()
        last = 0
        for m in _CANDIDATE.finditer(paragraph):
            if m.end() >= len(paragraph) or not _should_split(paragraph, m):
                continue
            spans.append((base + last, base + m.end(2)))
            last = m.end()
        spans.append((base + last, base + len(paragraph)))
    # Spans are cut at non-space characters of stripped lines; trim only text that was not.
    if any(text[s].isspace() or text[e - 1].isspace() for s, e in spans):
        spans = [t for t in (_trim(text, s, e) for s, e in spans) if t[0] < t[1]]
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
