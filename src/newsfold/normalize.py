"""Text normalisation: Unicode, whitespace, paragraphs, header lines and boilerplate.

:func:`clean_text` turns the body text that a reader found into the text an article stores:

* Unicode NFC, invisible characters dropped, every kind of space made a plain space; curly quotes
  and dashes are kept as they are (quotes matter when sources are compared);
* header lines read as metadata and taken out of the body: a title line, a date line ("November 30,
  2023"), a byline ("By Jane Doe");
* boilerplate lines removed and recorded with the reason: photo credits ("Alex Brandon | AFP | Getty
  Images") and the caption just above one, reading times ("2 min read"), the headline repeated in
  the body, share / subscribe / advertisement lines;
* paragraphs: lines hard-wrapped inside a paragraph are joined; paragraphs are separated by one
  blank line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from newsfold import dates

__all__ = ["Cleaned", "clean_text", "fold"]

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\f\v\u2028\u2029\x85]")
_SPACE_CHARS = "\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_ODD_SPACE = re.compile(f"[{_SPACE_CHARS}]")
_SPACE_RUN = re.compile(f"[ {_SPACE_CHARS}]+")
_DOUBLE_SPACE = re.compile(" {2,}")
_TERMINAL = re.compile(r"[.!?…:;]['\"”’)\]]*$")

_CREDIT_WORDS = (
    r"getty images|afp|reuters|associated press|ap photo|shutterstock|epa|efe|anadolu|"
    r"xinhua|bloomberg|stock images|pool|photograph|photo|image|handout|via|credit|file"
)
_CREDIT_PIPES = re.compile(r"^[^|.!?]{2,60}(?:\s*\|\s*[^|.!?]{2,60}){1,4}$")
_CREDIT_WORD = re.compile(rf"\b(?:{_CREDIT_WORDS})\b", re.IGNORECASE)
_CREDIT_PREFIX = re.compile(
    r"^(?:\(?(?:photo|image|photograph|picture|credit|file photo|illustration)s?"
    r"\s*(?:by|:|/|credit)"
    r"|photo credit|image source|\(?photo by)\b",
    re.IGNORECASE,
)
# A caption that ends with its credit in brackets: "Blinken leaves for Cairo [Getty]".
_BRACKET_CREDIT = re.compile(
    r"[\[(](?:getty(?: images)?|afp|reuters|ap|epa|anadolu|file photo|file|pool)"
    r"(?:\s*/\s*[\w .-]+)?[\])]$",
    re.IGNORECASE,
)
_READING_TIME = re.compile(
    r"^(?:(?:estimated\s+)?reading time:?\s*)?\d+\s*(?:-\s*\d+\s*)?(?:min|mins|minutes?)\b"
    r"(?:\s+read)?\.?$|^reading time:?\s*\d+",
    re.IGNORECASE,
)
# Site furniture, not prose. Words such as "Share", "Advertising" or "Copyright" also start real
# sentences ("Share prices fell ..."), so each form is anchored to what only furniture looks like:
# the whole line, a label with a colon, or a call to action naming its target.
_SOCIAL = re.compile(
    r"^(?:"
    r"(?:advertisement|advertising|sponsored(?: content)?|"
    r"share(?: this(?: article| story| page)?)?|tweet|email|print|comments?(?: \(\d+\))?|"
    r"related(?: articles| stories| coverage| content)?|"
    r"recommended(?: for you)?|most read|most popular|read more|read next|read also|"
    r"skip to (?:main )?content|listen to this article|more on this story|top stories)\W*$"
    r"|(?:read more|read also|see also|related(?: articles| stories| coverage| content)?|more|"
    r"watch|listen|also read|recommended)\s*:\s*\S.*"
    r"|(?:share|follow us|like us|find us)\s+(?:on|via)\s+\w+.*"
    r"|(?:subscribe|sign up|join|get)\b.{0,80}\b(?:newsletters?|mailing list|alerts|podcasts?|"
    r"subscription|updates)\b.*"
    r"|(?:click|tap) here\b.*"
    r"|download (?:our|the) app\b.*"
    r"|copyright\s*(?:©|\(c\)|\d{4}).*|©.*|\(c\)\s*\d{4}.*|.*\ball rights reserved\b.*"
    r"|leave a comment\b.*"
    r"|\((?:additional )?(?:reporting|writing|editing|compiled) by\b.*\)"
    r")$",
    re.IGNORECASE,
)
_NAME_WORD = (
    r"[A-Z][\w.'’-]*|de|van|von|der|la|le|del|da|dos|bin|al|and|et|y|und|e|&|staff|reporters?|"
    r"correspondents?|writers?|editors?|desk|in|with"
)
# "By Jane Doe", "Par Claire Dubreuil", "Von Hans Weber", "Por Ana Ruiz", "Di Marco Rossi".
_BYLINE = re.compile(
    rf"^(?:[Bb][Yy]|[Pp]ar|[Vv]on|[Pp]or|[Dd]i|[Dd]oor|[Aa]v):?\s+((?:{_NAME_WORD})"
    rf"(?:\s+(?:{_NAME_WORD}|,)){{0,7}})\s*(?:[,|—–-]\s*.{{0,60}})?$",
)
_MD_HEADING = re.compile(r"^#{1,6}\s+")


@dataclass(slots=True)
class Cleaned:
    """The result of :func:`clean_text`."""

    text: str
    title: str | None = None
    published: datetime | None = None
    author: str | None = None
    removed: list[dict[str, str]] = field(default_factory=list)


def fold(line: str) -> str:
    """A line folded for comparison: case, quotes and spacing ignored."""
    return " ".join(re.sub(r"[\"'“”‘’]", "", line).casefold().split())


def _is_credit(line: str) -> bool:
    if len(line) > 160:
        return False
    if _CREDIT_PREFIX.match(line):
        return True
    return bool(_CREDIT_PIPES.match(line) and _CREDIT_WORD.search(line))


def _boilerplate_reason(line: str, title_key: str | None) -> str | None:
    # Folding is the costly test: only lines about as long as the title can repeat it.
    if title_key is not None and abs(len(line) - len(title_key)) <= 12 and fold(line) == title_key:
        return "repeated headline"
    if len(line) > 200:
        return None
    if len(line) > 160 and line[-1] in '.!?"”’':
        return None  # prose: longer than any credit, site line or reading time
    if _is_credit(line):
        return "photo credit"
    if _BRACKET_CREDIT.search(line):
        return "photo caption"
    if _READING_TIME.match(line):
        return "reading time"
    if len(line) <= 120 and _SOCIAL.match(line):
        return "share, subscribe or site line"
    return None


def _looks_like_title(line: str, gap_after: int, usual_gap: int) -> bool:
    words = line.split()
    if not words or len(words) > 30 or len(line) > 200:
        return False
    if _BYLINE.match(line):
        return False
    if not _TERMINAL.search(line) or line.rstrip("'\"”’").endswith(("?", "!")):
        return True
    # A sentence-like first line is a title only when set off by a wider gap than paragraphs are.
    return line.endswith(".") and line.count(". ") == 0 and gap_after > usual_gap


def _blocks(lines: list[str]) -> list[tuple[list[str], int]]:
    """Split lines into blocks separated by blank lines, each with the blank count after it."""
    blocks: list[tuple[list[str], int]] = []
    current: list[str] = []
    gap = 0
    for line in lines:
        if line:
            if current and gap:
                blocks.append((current, gap))
                current = []
            current.append(line)
            gap = 0
        else:
            gap += 1
    if current:
        blocks.append((current, gap))
    return blocks


_WRAP_MIN = 50


def _join_wrapped(lines: list[str]) -> list[str]:
    """Join lines of one block that were hard-wrapped inside a paragraph."""
    paragraphs: list[str] = []
    for line in lines:
        if paragraphs:
            prev = paragraphs[-1]
            # A line cut mid-sentence: no closing punctuation, and the next line goes on in
            # lower case, or the line is as long as wrapped lines are (a heading is shorter).
            wrapped = not _TERMINAL.search(prev) and (
                line[0].islower() or prev.endswith((",", "-")) or len(prev) >= _WRAP_MIN
            )
            if wrapped:
                sep = "" if prev.endswith("-") and line[0].islower() else " "
                paragraphs[-1] = prev + sep + line
                continue
        paragraphs.append(line)
    return paragraphs


def _normalise(text: str, markdown: bool) -> list[str]:
    """Unicode NFC, spaces and invisible characters, then the stripped lines."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    # Most texts hold only single plain spaces: test cheaply before rewriting.
    if _ODD_SPACE.search(text):
        text = _SPACE_RUN.sub(" ", text)
    elif "  " in text:
        text = _DOUBLE_SPACE.sub(" ", text)
    text = _INVISIBLE.sub("", text)
    lines = [line.strip() for line in _LINE_BREAKS.split(text)]
    return [_strip_markdown(line) for line in lines] if markdown else lines


def _read_header(blocks: list[tuple[list[str], int]], title: str | None, out: Cleaned) -> int:
    """Read the leading lines that are a title, a date line, a byline or boilerplate into
    ``out``; return how many lines the header took."""
    # The usual gap between paragraphs, not counting the one after the first block (a title's).
    gaps = sorted(gap for _, gap in blocks[1:-1]) or [1]
    usual_gap = gaps[(len(gaps) - 1) // 2]
    flat: list[tuple[str, int]] = []  # (line, blank lines after it)
    for block, gap in blocks:
        flat.extend((line, 0) for line in block[:-1])
        flat.append((block[-1], gap))
    taken = 0
    for line, gap in flat[:8]:
        # Metadata lines are read from a header only: the last line is always the text's own.
        more = taken + 1 < len(flat)
        if (reason := _boilerplate_reason(line, None)) is not None:
            out.removed.append({"line": line, "reason": reason})
        elif (
            more
            and out.published is None
            and len(line) <= 48
            and (when := dates.parse_date_line(line))
        ):
            out.published = when
            out.removed.append({"line": line, "reason": "date line"})
        elif more and out.author is None and (m := _BYLINE.match(line)):
            out.author = m.group(1).strip(" ,&")
            out.removed.append({"line": line, "reason": "byline"})
        elif (
            more and title is None and out.title is None and _looks_like_title(line, gap, usual_gap)
        ):
            out.title = line
            out.removed.append({"line": line, "reason": "title"})
        else:
            break
        taken += 1
    return taken


def clean_text(text: str, *, title: str | None = None, markdown: bool = False) -> Cleaned:
    """Normalise an article's body text; see the module docstring for what is done.

    ``title`` is the title a reader already knows (from HTML or a JSON field): then no line is
    taken as title, and a line repeating it is removed. With ``markdown`` heading marks, emphasis
    and links are reduced to their text.
    """
    out = Cleaned(text="")
    blocks = _blocks(_normalise(text, markdown))
    start = _read_header(blocks, title, out)

    title_key = fold(title or out.title or "") or None
    body_blocks: list[list[str]] = []
    consumed = 0
    for block, _gap in blocks:
        keep: list[str] = []
        for line in block:
            consumed += 1
            if consumed <= start:
                continue
            # A title given from outside may be the body's own first line (a lead sentence that
            # became the title): keep that line, drop only later repeats.
            first_line = consumed == start + 1 and title is not None
            reason = _boilerplate_reason(line, None if first_line else title_key)
            if reason is None:
                keep.append(line)
                continue
            if reason == "photo credit":
                _drop_caption(keep, body_blocks, out.removed)
            out.removed.append({"line": line, "reason": reason})
        if keep:
            body_blocks.append(keep)

    paragraphs = [p for block in body_blocks for p in _join_wrapped(block)]
    out.text = "\n\n".join(paragraphs)
    return out


def _drop_caption(
    keep: list[str], body_blocks: list[list[str]], removed: list[dict[str, str]]
) -> None:
    """Remove the photo caption standing just above a credit line (one short sentence)."""
    holder = keep if keep else (body_blocks[-1] if body_blocks else None)
    if not holder:
        return
    line = holder[-1]
    if len(line.split()) <= 40 and line.count(". ") == 0 and _TERMINAL.search(line):
        holder.pop()
        if not holder and holder is not keep:
            body_blocks.pop()
        removed.append({"line": line, "reason": "photo caption"})


_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_EMPH = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")


def _strip_markdown(line: str) -> str:
    line = _MD_IMAGE.sub("", line)
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_EMPH.sub(r"\2", line)
    line = _MD_HEADING.sub("", line)
    if re.fullmatch(r"[-*_=]{3,}", line):
        return ""
    return line.strip()
