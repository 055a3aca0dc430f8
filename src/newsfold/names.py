"""Names in running text: runs of capitalised words ("Antony Blinken", "Gaza Strip").

No model: a name is a run of capitalised words (joined by particles such as "al", "de", "van"),
leading function words dropped ("The Gaza Strip" → "Gaza Strip"). Each run says whether it opens
a sentence, where any word is capitalised: callers decide whether a lone sentence-opening word
("Critics") counts. Used for a story's key names (:mod:`newsfold.fold`), to tell a rewrite
from a template twin (:mod:`newsfold.relations`), and for the names signal of story folding
(:func:`key_names`, :mod:`newsfold.stories`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from newsfold.corroborate import STOPWORDS

__all__ = ["CALENDAR", "key_names", "name_runs", "name_words", "names"]

#: Capitalised words that name a day or a month, not a person, place or organisation.
CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december today yesterday".split()
)

_NAME_RUN = re.compile(
    r"\b[A-Z][\w'’.-]*[\w](?:\s+(?:(?:al|el|de|la|van|von|bin|of)[\s-]+)?[A-Z][\w'’.-]*[\w])*"
)
# The same runs in any script with case ("Élysée Palace", "Владимир Путин"): every upper-case
# letter below U+3000 (scripts without case have no names to read this way).
_UPPER = re.escape("".join(c for c in map(chr, range(0x3000)) if c.isupper()))
_NAME_RUN_ANY_SCRIPT = re.compile(
    rf"\b[{_UPPER}][\w'’.-]*[\w]"
    rf"(?:\s+(?:(?:al|el|de|la|van|von|bin|of)[\s-]+)?[{_UPPER}][\w'’.-]*[\w])*"
)
# Numbers as written: "23", "4,075", "5.8".
_NUMBER = re.compile(r"\d(?:[\d,.]*\d)?")
# What may stand between a sentence's end and its first word: spaces, quotes, brackets.
_BEFORE_WORD = " \t\"'“”‘’()"


def name_runs(text: str, *, any_script: bool = False) -> Iterator[tuple[str, bool]]:
    """Runs of capitalised words, leading function words dropped, each with whether it opens
    a sentence. ``any_script``: capitals of any script with case, not only A-Z."""
    for m in (_NAME_RUN_ANY_SCRIPT if any_script else _NAME_RUN).finditer(text):
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


_FACT_NUMBER = re.compile(r"\d[\d,.]*")
_CALENDAR_WORD = re.compile(r"\b(?:" + "|".join(sorted(CALENDAR)) + r")\b", re.IGNORECASE)


def fact_words(text: str) -> set[str]:
    """What a report fills in about its own event: the words of its names
    (:func:`name_words`), its numbers (separators dropped) and its days and months. Two reports
    written from one template differ exactly there; a copy keeps them."""
    numbers = {re.sub(r"\D", "", n) for n in _FACT_NUMBER.findall(text)}
    days = {m.group(0).casefold() for m in _CALENDAR_WORD.finditer(text)}
    return name_words(text) | {n for n in numbers if n} | days


def key_names(text: str) -> set[str]:
    """What a report names its event by, case-folded: whole names ("harbour city", "lindsay
    lohan"; single words only where they do not open a sentence, days and months left out), the
    last word of each name of several words (the surname a later mention uses alone:
    "lohan"), and the numbers of two digits or more as written ("23", "4,075"); any script with
    case.

    Whole names, not their words: two reports written from one template about two events share
    first names, common surnames and the template's capitalised words ("Officials", "Critics")
    by chance, but seldom a whole name; a report of the same event keeps its names."""
    # A lone digit ("3-1", "2 dead") is shared by chance too often to name an event.
    out = {n for n in _NUMBER.findall(text) if sum(c.isdigit() for c in n) >= 2}
    for name, opens in name_runs(text, any_script=True):
        key = name.casefold()
        words = key.split()
        if len(words) == 1:
            if not opens and len(key) > 2 and key not in CALENDAR:
                out.add(key)
            continue
        out.add(key)
        last = words[-1]
        if len(last) > 2 and last not in STOPWORDS and last not in CALENDAR:
            out.add(last)
    return out
