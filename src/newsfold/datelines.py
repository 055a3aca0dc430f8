"""Wire marks: the dateline and agency credit a wire story carries, and copies often drop.

One definition for every module that reads them: a dateline opening a line ("WASHINGTON, May
21 (NNN-AGENCIES) —", "BERLIN (dpa) -", "PARIS —"), an agency credit among the first words
("(Reuters)"; a Japanese dateline's "【モスクワ共同】") or closing the text ("— NNN-AGENCIES",
"(Reporting by ...)"). Direction reads them as evidence of the wire original
(:mod:`newsfold.direction`); titles and summaries leave the dateline out (it says where a
reporter filed, not what happened).
"""

from __future__ import annotations

import re

__all__ = ["TOP_CHARS", "dateline_end", "wire_mark"]

_AGENCIES = (
    r"AP|AFP|Reuters|REUTERS|dpa|DPA|EFE|ANSA|Xinhua|XINHUA|Kyodo|KYODO|PTI|IANS|UPI|TASS|"
    r"ТАСС|РИА Новости|Интерфакс|Interfax|INTERFAX|Bloomberg|Yonhap|Anadolu|APA|SDA|Belga|"
    r"ANP|NTB|AAP|CNA|PA|KNA|Lusa|LUSA|Agencies|AGENCIES|[A-Z]{2,}(?:-[A-Z]{2,})+"
)
#: A dateline opening a line: a place in capitals, maybe a date, maybe an agency, then a dash:
#: "WASHINGTON, May 21 (NNN-AGENCIES) —", "BERLIN (dpa) -", "PARIS —"; or an agency alone:
#: "(AFP) -".
_DATELINE = re.compile(
    r"\W{0,3}(?:"
    r"(?P<place>[A-ZÀ-ÞА-Я][A-ZÀ-ÞА-Я.'’ /-]{1,40}[A-ZÀ-ÞА-Я.])"
    r"(?:,[^\n()—–]{1,40}?)?\s*(?:\((?P<agency>[^()\n]{2,40})\))?"
    r"|\((?P<credit>" + _AGENCIES + r")\))"
    r"\s*(?:—|–|--|-)\s"
)
#: An agency credit among the first words: "(Reuters)", "(AP)"; a Japanese dateline names its
#: agency in lenticular brackets: "【モスクワ共同】".
_CREDIT = re.compile(
    r"\((?:" + _AGENCIES + r")\)"
    r"|【[^】\n]{0,20}(?:共同|時事|ロイター|AFP|AP|新華社|聯合|dpa|ブルームバーグ)[^】\n]{0,6}】"
)
#: An agency credit closing the text: "— NNN-AGENCIES", "(Reporting by ...)".
_CLOSING = re.compile(
    r"(?:[—–]\s*(?:" + _AGENCIES + r")\s*\.?"
    r"|\((?:Reporting|Additional reporting|Writing) by [^)]+\)\.?)\s*\Z"
)
#: Characters of the top of a text searched for an agency credit.
TOP_CHARS = 250


def wire_mark(text: str) -> tuple[int, int] | None:
    """The character span of a wire mark in ``text``: a dateline or agency credit at the top,
    or an agency credit closing it; None when there is none."""
    # At the top of the text, or of a line among its first characters (after a headline).
    starts = [0] + [m.end() for m in re.finditer(r"\n\s*", text[:TOP_CHARS])]
    for start in starts:
        m = _DATELINE.match(text, start)
        if m and (m.group("agency") or m.group("credit") or _is_place(m.group("place"))):
            return m.start(), m.end()
    m = _CREDIT.search(text, 0, TOP_CHARS)
    if m:
        return m.start(), m.end()
    tail = max(0, len(text) - TOP_CHARS)
    m = _CLOSING.search(text, tail)
    if m:
        return m.start(), m.end()
    return None


def _is_place(place: str | None) -> bool:
    """A dateline's place: capitals, letters, at most four words (not a shouted headline)."""
    if not place:
        return False
    words = place.replace("/", " ").split()
    return 1 <= len(words) <= 4 and sum(c.isalpha() for c in place) >= 3


def dateline_end(text: str) -> int:
    """Where the dateline opening ``text`` ends (0: it opens with none)."""
    m = _DATELINE.match(text)
    if m and (m.group("agency") or m.group("credit") or _is_place(m.group("place"))):
        return m.end()
    return 0
