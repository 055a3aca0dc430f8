"""Names in running text: runs of capitalised words ("Antony Blinken", "Gaza Strip").

No model: a name is a run of capitalised words (joined by particles such as "al", "de", "van"),
leading function words dropped ("The Gaza Strip" → "Gaza Strip"). Each run says whether it opens
a sentence, where any word is capitalised: callers decide whether a lone sentence-opening word
("Critics") counts. Used for a story's key names (:mod:`newsfold.fold`) and to tell a rewrite
from a template twin (:mod:`newsfold.relations`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from newsfold.corroborate import STOPWORDS

__all__ = ["CALENDAR", "name_runs", "name_words", "names"]

#: Capitalised words that name a day or a month, not a person, place or organisation.
CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december today yesterday".split()
)

_NAME_RUN = re.compile(
    r"\b[A-Z][\w'’.-]*[\w](?:\s+(?:(?:al|el|de|la|van|von|bin|of)[\s-]+)?[A-Z][\w'’.-]*[\w])*"
)
# What may stand between a sentence's end and its first word: spaces, quotes, brackets.
_BEFORE_WORD = " \t\"'“”‘’()"


def name_runs(text: str) -> Iterator[tuple[str, bool]]:
    """Runs of capitalised words, leading function words dropped, each with whether it opens
    a sentence."""
    for m in _NAME_RUN.finditer(text):
        words = m.group(0).rstrip(".").split()
        dropped = 0
        while words and words[0].casefold() in STOPWORDS:  # "The Gaza Strip", "In Cairo"
            words.pop(0)
            dropped += 1
        if not words:
            continue
        before = text[max(0, m.start() - 8) : m.start()].rstrip(_BEFORE_WORD)
        opens = not dropped and (not before or before[-1] in ".!?\n:—–")
        yield " ".join(words), opens


def names(text: str) -> set[str]:
    """The names in ``text``: multi-word runs, and single words that do not open a sentence
    (at least three letters long, not a day or a month)."""
    return {
        name
        for name, opens in name_runs(text)
        if len(name) > 2 and (" " in name or not opens) and name.casefold() not in CALENDAR
    }


def name_words(text: str) -> set[str]:
    """The words of the names in ``text``, case-folded, function words left out: "Port
    Authority" and "Valmora Port Authority" share theirs."""
    return {
        w.casefold()
        for name in names(text)
        for w in name.split()
        if w.casefold() not in STOPWORDS and w.casefold() not in CALENDAR
    }
