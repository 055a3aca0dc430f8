"""Quoted passages in running text, and how two quotations of one statement differ.

:func:`find_quotes` returns the character spans of the words inside quotation marks: straight and
curly double quotes, curly and straight single quotes (not apostrophes), guillemets, quotes that
run over several sentences, and the wire convention of a quote that runs over paragraphs (each
paragraph opens the quote again and only the last one closes it). :func:`quote_words`,
:func:`quote_similarity` and :func:`word_diff` compare two quotations word by word. Pure
functions over strings: who is speaking is read in :mod:`newsfold.claims`.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import NamedTuple

from newsfold.numbers import NUMBER_PHRASE, quantity_of_match

__all__ = ["QuoteSpan", "find_quotes", "quote_similarity", "quote_words", "word_diff"]

_PAIRS = {"“": "”", "„": "“", "«": "»", "‘": "’", '"': '"', "'": "'"}
_WORD = re.compile(r"[\w’']+")


class QuoteSpan(NamedTuple):
    """The words inside one pair of quotation marks: ``start``..``end`` in the text, without the
    marks; ``open_end``: the closing mark was missing (the quote ran to the paragraph's end)."""

    start: int
    end: int
    open_end: bool = False


def _is_opening(text: str, i: int) -> bool:
    """A straight or single mark at ``i`` opens a quote: not inside a word (an apostrophe) and
    followed by a word."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isalnum() and (after.isalnum() or after in "…-.")


def _is_closing(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and not after.isalnum()


def find_quotes(text: str, min_words: int = 2) -> list[QuoteSpan]:
    """The quoted passages of ``text`` in order, each at least ``min_words`` words (a single
    quoted word is a term, "scare quotes", not a quotation)."""
    out: list[QuoteSpan] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch not in _PAIRS or (ch in "\"'‘" and not _is_opening(text, i)):
            i += 1
            continue
        close = _PAIRS[ch]
        j = i + 1
        end = -1
        while j < n:
            c = text[j]
            if c == "\n" and ch in '"“«' and j + 1 < n and text[j + 1] == "\n":
                break  # a paragraph break: the quote stays open (wire style) or was never closed
            if c == close and (close not in "'’\"" or _is_closing(text, j)):
                end = j
                break
            if ch in "“«" and c == ch:  # a new opening before any closing: the first one ended
                break
            j += 1
        if end < 0:
            para = text.find("\n", i + 1)
            stop = j if j < n else (para if para >= 0 else n)
            if ch in "'‘":  # an unclosed single mark is an apostrophe or a typo: skip it
                i += 1
                continue
            span = QuoteSpan(i + 1, stop, True)
            i = stop
        else:
            span = QuoteSpan(i + 1, end)
            i = end + 1
        inner = text[span.start : span.end].strip()
        if len(_WORD.findall(inner)) >= min_words:
            lead = len(text[span.start : span.end]) - len(text[span.start : span.end].lstrip())
            trail = len(text[span.start : span.end].rstrip())
            out.append(QuoteSpan(span.start + lead, span.start + trail, span.open_end))
    return out


def quote_words(text: str) -> list[str]:
    """The words of a quotation, lower-cased, apostrophes made straight, punctuation dropped,
    numbers in words as digits ("twenty-three" and "23" are one word)."""
    text = NUMBER_PHRASE.sub(_digits, text)
    return [w.replace("’", "'") for w in _WORD.findall(text.casefold())]


def _digits(m: re.Match[str]) -> str:
    q = quantity_of_match(m)
    if q is None or m["q"] or m["cur"] or m["pct"] or m["curword"]:
        return m.group(0)
    return f"{q.value:g}"


def quote_similarity(a: list[str], b: list[str]) -> float:
    """How much of two quotations is the same words in the same order (0..1); a quotation that
    quotes part of the other (a partial quote) scores 1."""
    if not a or not b:
        return 0.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    return same / min(len(a), len(b)) if _contained(a, b) else 2 * same / (len(a) + len(b))


def _contained(a: list[str], b: list[str]) -> bool:
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 3:
        return False
    k = len(short)
    return any(long[i : i + k] == short for i in range(len(long) - k + 1))


def word_diff(a: list[str], b: list[str]) -> list[dict[str, str]]:
    """The word-level changes from quotation ``a`` to ``b``: ``{"op": "replace" | "delete" |
    "insert", "from": words of a, "to": words of b}``."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return [
        {"op": op, "from": " ".join(a[i1:i2]), "to": " ".join(b[j1:j2])}
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    ]
