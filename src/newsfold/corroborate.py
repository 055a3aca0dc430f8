"""Direction from third articles: the copy changed words that independent reports still agree on.

When one article rewrites another, the words it changed are its own: a spun copy writes "rocket
barriers" for "rocket barrages", "stability" for "security" in a quote. Independent reports of
the same event (articles that reuse neither of the two) tend to use the source's words, not the
copy's. For a derived pair ``(a, b)`` this module collects the content words each side changed in
its aligned, non-verbatim sentences, and counts how many of them occur in the third articles. The
side whose changed words the third articles share more is the likely source.

The signal is weak on its own: it votes only with enough changed words on both sides (a light
edit changes too few to tell) and a clear margin, and its confidence stays modest (see
:data:`CONFIDENCE`). It is meaningless across languages: third reports in one language always
share the words of the article in that language, so translations are left to other evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from newsfold.align import _words, word_ops

__all__ = ["Corroboration", "changed_words", "corroborate", "word_set"]

#: Words too common to tell anything (function words of English and of news copy).
STOPWORDS: frozenset[str] = frozenset(
    """a an the of to in on at by for with from as and or but not no nor so if than then that
    this these those it its is was were be been being are am has have had do does did will would
    shall should can could may might must he she they we you i his her their our your my them him
    us me who whom whose which what when where why how all any each both some such more most
    other into over after before about also just only said says say told according there here
    out up down off again still yet very""".split()
)
#: Fewest changed content words each side needs before the signal votes.
MIN_CHANGED = 10
#: Smallest difference of the two sides' corroborated shares that counts as a vote.
MARGIN = 0.05
#: Confidence given to a direction read from third articles alone.
CONFIDENCE = 0.55


@dataclass(frozen=True, slots=True)
class Corroboration:
    """Which side the third articles agree with, and the counts behind it."""

    source: Literal["a", "b"] | None
    changed_a: int
    changed_b: int
    agreed_a: int
    agreed_b: int
    third: int

    @property
    def reason(self) -> str:
        side = self.source or "neither"
        return (
            f"{self.third} independent report(s) share {self.agreed_a} of a's "
            f"{self.changed_a} changed words and {self.agreed_b} of b's {self.changed_b}: "
            f"{side} agrees with them more"
        )


def word_set(text: str) -> set[str]:
    """The case-folded words of a text."""
    return set(_words(text))


def _content(words: Iterable[str]) -> list[str]:
    return [w for w in words if len(w) > 2 and w not in STOPWORDS and not w.isdigit()]


def changed_words(pairs: Iterable[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """Content words each side of aligned sentence pairs ``(text_a, text_b)`` has that the other
    sentence lacks, taken from the changed runs of a word diff."""
    out_a: list[str] = []
    out_b: list[str] = []
    for ta, tb in pairs:
        words_a, words_b = word_set(ta), word_set(tb)
        for op, old, new in word_ops(ta, tb):
            if op == "equal":
                continue
            out_a += [w for w in _content(_words(old)) if w not in words_b]
            out_b += [w for w in _content(_words(new)) if w not in words_a]
    return out_a, out_b


def corroborate(pairs: Iterable[tuple[str, str]], third: Sequence[set[str]]) -> Corroboration:
    """Which of ``a`` and ``b`` the ``third`` articles (their word sets) agree with on the words
    that differ in the aligned sentence ``pairs``."""
    changed_a, changed_b = changed_words(pairs)
    agreed_a = sum(any(w in t for t in third) for w in changed_a)
    agreed_b = sum(any(w in t for t in third) for w in changed_b)
    source: Literal["a", "b"] | None = None
    if third and min(len(changed_a), len(changed_b)) >= MIN_CHANGED:
        share_a, share_b = agreed_a / len(changed_a), agreed_b / len(changed_b)
        if abs(share_a - share_b) >= MARGIN:
            source = "a" if share_a > share_b else "b"
    return Corroboration(source, len(changed_a), len(changed_b), agreed_a, agreed_b, len(third))
