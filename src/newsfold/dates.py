"""Dates: publication dates from any common form, always timezone-aware.

* :func:`parse_datetime` reads a field value: a ``datetime``, ISO 8601, RFC 822 (feeds, e-mail),
  a Unix timestamp or free text ("3 March 2026 10:32 GMT"). A value without a zone is taken as UTC;
  a date without a time is midnight UTC.
* :func:`mentioned_dates` finds the full dates (day, month and year) written in running text
  ("on March 3, 2026", "le 3 mars 2026", "2026-03-03").
* :func:`parse_date_line` reads a line of an article that is a date and nothing else ("November 30,
  2023", "Updated: 4 March 2026 09:30 GMT"), the form text files carry their date in.
* :func:`check_published` decides whether an article's publication date (or date line) is
  *suspect*: far from the dates its own text states (see there); :func:`date_check` and
  :func:`effective_date` ask it of an article. Story spans, timelines and direction use
  :func:`effective_date`, which is None for a suspect date.

The fast paths are the standard library's; ``dateparser`` (slow to import, ~1 ms a parse) is only
asked when they fail.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any, Protocol

__all__ = [
    "DateCheck",
    "StatedDate",
    "check_published",
    "date_check",
    "effective_date",
    "mentioned_dates",
    "parse_date_line",
    "parse_datetime",
    "stated_dates",
    "to_utc_iso",
]

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|"
    # French, Spanish, Portuguese, Italian, German month names for date lines of foreign articles
    r"janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|"
    r"novembre|décembre|decembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|"
    r"septiembre|setiembre|octubre|noviembre|diciembre|janeiro|fevereiro|março|maio|junho|"
    r"julho|setembro|outubro|novembro|dezembro|gennaio|febbraio|aprile|maggio|giugno|luglio|"
    r"settembre|ottobre|dicembre|januar|februar|märz|juni|juli|oktober|dezember"
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_MONTH = re.compile(rf"\b(?:{_MONTHS})\.?\b", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b")
_LINE_PREFIX = re.compile(
    r"^(?:(?:last\s+)?updated|published|posted|first published|date|dated|on)\s*:?\s*",
    re.IGNORECASE,
)
# Words allowed on a date line beside the date itself.
_DATE_WORDS = re.compile(
    rf"^(?:{_MONTHS}|mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|at|am|pm|a\.m|p\.m|gmt|utc|bst|cet|cest|est|edt|pst|pdt|et|pt|z|the|of|"
    r"de|del|le|h|um|uhr|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)$",
    re.IGNORECASE,
)
_MIN_TS, _MAX_TS = 0, 4_102_444_800  # 1970 .. 2100


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def to_utc_iso(value: datetime) -> str:
    """The ISO 8601 form in UTC, used to sort and filter dates in the store."""
    return _aware(value).astimezone(UTC).isoformat()


@lru_cache(maxsize=1)
def _dateparser() -> Any:
    import dateparser

    return dateparser


def _parse_free(text: str, *, strict: bool) -> datetime | None:
    settings = {
        "RETURN_AS_TIMEZONE_AWARE": True,
        "TIMEZONE": "UTC",
        "STRICT_PARSING": strict,
        "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": "DMY" if re.match(r"^\d{1,2}[./]\d{1,2}[./]\d{4}", text) else "MDY",
    }
    try:
        parsed = _dateparser().parse(text, settings=settings, languages=None)
    except (ValueError, OverflowError, TypeError):
        return None
    return _aware(parsed) if parsed else None


def parse_datetime(value: Any) -> datetime | None:
    """A timezone-aware datetime from a field value, or None when it cannot be read."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return _aware(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if value > _MAX_TS else value
        return datetime.fromtimestamp(seconds, UTC) if _MIN_TS <= seconds <= _MAX_TS else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    try:
        return _aware(datetime.fromisoformat(text))
    except ValueError:
        pass
    if re.match(r"^[A-Za-z]{3},? \d{1,2} [A-Za-z]{3} \d{2,4}", text):
        try:
            return _aware(parsedate_to_datetime(text))
        except (TypeError, ValueError):
            pass
    if not (_YEAR.search(text) or _NUMERIC_DATE.search(text)):
        return None
    return _parse_free(text, strict=True)


_MONTH_NUMBERS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan janvier janv enero ene janeiro gennaio gen januar",
        "february feb février fevrier févr fevr febrero fevereiro fev febbraio februar",
        "march mar mars marzo março marco märz maerz",
        "april apr avril abril aprile",
        "may mai mayo maio maggio",
        "june jun juin junio junho giugno juni",
        "july jul juillet juil julio julho luglio lug juli",
        "august aug août aout agosto ago",
        "september sep sept septembre septiembre setiembre setembro set settembre",
        "october oct octobre octubre outubro out ottobre ott oktober okt",
        "november nov novembre noviembre novembro",
        "december dec décembre decembre déc diciembre dic dezembro dez dicembre dezember",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTH_NUMBERS.setdefault(_name, _number)

_M = r"(?P<{}>[^\W\d_]{{3,10}})\.?"
_FAST_DATE = re.compile(
    r"^(?:[^\W\d_]+,?\s+)?"  # a weekday
    r"(?:" + _M.format("m1") + r"\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+)?" + _M.format("m2") + r",?\s+(?:de\s+)?"
    r"(?P<y2>\d{4}))"
    r"(?:,?\s+(?:at\s+|à\s+|um\s+)?(?P<h>\d{1,2})[:.h](?P<mi>\d{2})\s*(?P<ap>[ap]\.?m\.?)?)?"
    r"(?:\s*(?:GMT|UTC|Z))?$",
    re.IGNORECASE,
)


def _fast_date_line(text: str) -> datetime | None:
    """The common date-line forms without dateparser ("March 3, 2026", "3 mars 2026 10:30")."""
    m = _FAST_DATE.match(text)
    if m is None:
        return None
    month = _MONTH_NUMBERS.get((m["m1"] or m["m2"]).lower())
    if month is None:
        return None
    day, year = int(m["d1"] or m["d2"]), int(m["y1"] or m["y2"])
    hour, minute = int(m["h"] or 0), int(m["mi"] or 0)
    if m["ap"]:
        hour = hour % 12 + (12 if m["ap"].lower().startswith("p") else 0)
    try:
        return datetime(year, month, day, hour, minute, tzinfo=UTC)
    except ValueError:
        return None


def parse_date_line(line: str) -> datetime | None:
    """The date of a line that is a full date and nothing else (day, month and year), or None."""
    text = _LINE_PREFIX.sub("", line.strip()).strip(" .,|—–-")
    if not text or len(text) > 48 or not _YEAR.search(text):
        return None
    if not (_MONTH.search(text) or _NUMERIC_DATE.search(text)):
        return None
    words = re.findall(r"[A-Za-z][A-Za-z.]*", text)
    if any(not _DATE_WORDS.match(w.rstrip(".")) for w in words):
        return None
    if _NUMERIC_DATE.fullmatch(text):
        return parse_datetime(text)
    return _fast_date_line(text) or _parse_free(text, strict=True)


_IN_TEXT = re.compile(
    r"\b(?:" + _M.format("m1") + r"\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y1>(?:19|20)\d\d)"
    r"|(?P<d2>\d{1,2})(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+)?"
    + _M.format("m2")
    + r",?\s+(?:de\s+)?(?P<y2>(?:19|20)\d\d)"
    r"|(?P<y3>(?:19|20)\d\d)-(?P<m3>[01]\d)-(?P<d3>[0-3]\d))\b",
    re.IGNORECASE,
)


#: The most characters a full date spans before its year ("30 de septiembre de " is 20).
_BEFORE_YEAR = 32


def _in_text(text: str) -> Iterator[tuple[int, int, date]]:
    """``(start, end, day)`` of every full date written in ``text``, in order. Every full date
    holds a year: the date pattern is tried only around the years found (most words of a text
    could open a "Month day, year" date; few are followed by one)."""
    done = 0
    for y in _YEAR.finditer(text):
        window = _IN_TEXT.finditer(text, max(done, y.start() - _BEFORE_YEAR), y.end() + 6)
        for m in window:
            if m.start() > y.start() or m.end() < y.end():
                continue  # a date around another year (or none): not this year's
            done = m.end()
            day = _date_of(m)
            if day is not None:
                yield m.start(), m.end(), day
            break


def _date_of(m: re.Match[str]) -> date | None:
    """The day a match of ``_IN_TEXT`` names (None when it names no real day)."""
    if m["y3"]:
        year, month, day = int(m["y3"]), int(m["m3"]), int(m["d3"])
    else:
        number = _MONTH_NUMBERS.get((m["m1"] or m["m2"]).lower())
        if number is None:
            return None
        year, month, day = int(m["y1"] or m["y2"]), number, int(m["d1"] or m["d2"])
    try:
        return date(year, month, day)
    except ValueError:
        return None


def mentioned_dates(text: str, limit: int = 5) -> list[datetime]:
    """The first ``limit`` full dates written in ``text``, in order (midnight UTC): "March 3,
    2026", "3 March 2026", "3 de marzo de 2026", "2026-03-03". Dates without a year and
    relative ones ("Thursday") are not read: they need the article's own date."""
    out: list[datetime] = []
    for _, _, day in _in_text(text):
        out.append(datetime(day.year, day.month, day.day, tzinfo=UTC))
        if len(out) >= limit:
            break
    return out


# -- Is the publication date the text's own?

#: A stated date this close (days) to the publication date agrees with it.
NEAR_DAYS = 45
#: The stated dates that speak against a publication date lie within this many days of each
#: other (one event's dates), and at least twice their spread away from the publication date.
CLUSTER_DAYS = 60
#: How many stated dates it takes (one could be background).
MIN_STATED = 2
#: The opening characters of the text: dates there (and in photo captions) date the news itself.
LEAD_CHARS = 600
#: Words of a text looking back: its old dates are background, not its own time.
_LOOKING_BACK = re.compile(
    r"\b(?:anniversary|anniversaries|(?:years?|decades?|months?) (?:ago|after|earlier|later|"
    r"since|on)|a year on|looking back|remember(?:ed|s|ing)?|retrospective|in memoriam|"
    r"memorial|archive[sd]?|file (?:photo|picture|image)|history|historic|born|obituary)\b",
    re.IGNORECASE,
)
#: A sentence speaking of what is to come: its dates may lie after the publication date.
_FUTURE = re.compile(
    r"\b(?:will|would|shall|'ll|to be held|scheduled|due|set to|expected|plans?|planned|"
    r"upcoming|next|until|through|deadline|by)\b",
    re.IGNORECASE,
)
_BARE_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
#: Lines normalisation removed whose dates are the article's own: photo captions and credits.
_CAPTION_REASONS = frozenset({"photo caption", "photo credit"})


@dataclass(frozen=True, slots=True)
class StatedDate:
    """A full date an article states: where (``"text"``, or ``"removed"`` for a line that
    normalisation removed from the text, ``line`` its index in ``Article.boilerplate``), the
    character span in that text or line, and the day."""

    where: str
    line: int | None
    start: int
    end: int
    day: date

    def to_dict(self) -> dict[str, Any]:
        return {
            "in": self.where,
            "line": self.line,
            "start": self.start,
            "end": self.end,
            "date": self.day.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class DateCheck:
    """What :func:`check_published` found: whether the publication date is ``suspect``, why
    (``reason``, for a reader), the stated dates that decided (``evidence``) and, for a suspect
    date, the span of days the text itself points to (``likely``)."""

    suspect: bool
    reason: str
    evidence: tuple[StatedDate, ...] = ()
    likely: tuple[date, date] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "suspect": self.suspect,
            "reason": self.reason,
            "evidence": [e.to_dict() for e in self.evidence],
            "likely": [d.isoformat() for d in self.likely] if self.likely else None,
        }


_OK_UNDATED = DateCheck(False, "no publication date")


def stated_dates(text: str, removed: Sequence[Mapping[str, str]] = ()) -> list[StatedDate]:
    """The full dates ``text`` states, then those of its removed photo captions and credits
    (``removed``: ``Article.boilerplate``; a caption of a file or archive photo is skipped: it
    shows another time), in order."""
    out = [StatedDate("text", None, s, e, d) for s, e, d in _in_text(text)]
    for k, entry in enumerate(removed):
        line = entry.get("line", "")
        if entry.get("reason") not in _CAPTION_REASONS or _LOOKING_BACK.search(line):
            continue
        out.extend(StatedDate("removed", k, s, e, d) for s, e, d in _in_text(line))
    return out


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    right_dot, right_nl = text.find(". ", end), text.find("\n", end)
    rights = [r for r in (right_dot, right_nl) if r >= 0]
    return text[left + 1 : min(rights) if rights else len(text)]


def check_published(
    text: str,
    published: datetime | date | None,
    removed: Sequence[Mapping[str, str]] = (),
) -> DateCheck:
    """Whether ``published`` disagrees with the dates ``text`` (and its removed photo captions,
    ``removed``) states. Old dates cited as background are common in news, so a date is called
    suspect only when all of these hold:

    * at least :data:`MIN_STATED` full dates are stated, and none lies within
      :data:`NEAR_DAYS` days of ``published`` (a date after it in a sentence about what is to
      come, "the vote will be held on ...", says nothing and is left out);
    * they cluster: all within :data:`CLUSTER_DAYS` days of each other, on one side of
      ``published``, at least twice that spread (and :data:`NEAR_DAYS`) away from it;
    * at least one of them is in the text's opening :data:`LEAD_CHARS` characters or in a photo
      caption: where a text dates its own news, not its background;
    * the text does not look back (anniversary, "years ago", "since", archive or file photos,
      history) and names no year (outside those dates) nearer ``published`` than they are.

    Yearless dates and weekdays ("Monday") are not read: they are resolved against the
    publication date itself, so they cannot test it."""
    if published is None:
        return _OK_UNDATED
    pub = published.date() if isinstance(published, datetime) else published
    stated = stated_dates(text, removed)
    kept = [
        d
        for d in stated
        if not (
            d.day > pub
            and d.where == "text"
            and _FUTURE.search(_sentence_around(text, d.start, d.end))
        )
    ]
    if not kept:
        return DateCheck(False, "the text states no full date")
    near = [d for d in kept if abs((d.day - pub).days) <= NEAR_DAYS]
    if near:
        return DateCheck(False, "the text states a date near it", tuple(near[:3]))
    if len(kept) < MIN_STATED:
        return DateCheck(False, "the text states only one date", tuple(kept))
    days = sorted(d.day for d in kept)
    spread = (days[-1] - days[0]).days
    before = days[-1] < pub
    gap = (pub - days[-1]).days if before else (days[0] - pub).days
    evidence = tuple(kept)
    if spread > CLUSTER_DAYS or gap < 0 or gap < max(NEAR_DAYS, 2 * spread):
        return DateCheck(False, "the stated dates are spread out: background", evidence)
    if not any(d.where == "removed" or d.start < LEAD_CHARS for d in kept):
        return DateCheck(False, "the stated dates are all deep in the text", evidence)
    if _LOOKING_BACK.search(text):
        return DateCheck(False, "the text looks back", evidence)
    inside = [(d.start, d.end) for d in stated if d.where == "text"]
    for m in _BARE_YEAR.finditer(text):
        if any(s <= m.start() < e for s, e in inside):
            continue
        year = int(m.group())
        if (before and year > days[-1].year) or (not before and year < days[0].year):
            return DateCheck(False, f"the text names {year}, nearer the publication date", evidence)
    first, last = days[0], days[-1]
    around = (
        first.strftime("%B %Y")
        if (first.year, first.month) == (last.year, last.month)
        else (f"{first.isoformat()} to {last.isoformat()}")
    )
    months = max(1, round(gap / 30.44))
    unit = "month" if months == 1 else "months"
    reason = (
        f"the text's own dates ({len(kept)}) are around {around}, "
        f"{months} {unit} {'before' if before else 'after'} this date"
    )
    return DateCheck(True, reason, evidence, (first, last))


class Dated(Protocol):
    """What a date check reads of an article (:class:`newsfold.article.Article` has it)."""

    @property
    def text(self) -> str: ...

    @property
    def published(self) -> datetime | None: ...

    @property
    def boilerplate(self) -> list[dict[str, str]]: ...


def date_check(article: Dated) -> DateCheck:
    """:func:`check_published` of an article: its text, publication date and removed lines."""
    return check_published(article.text, article.published, article.boilerplate)


def effective_date(article: Dated) -> datetime | None:
    """The publication date to reason with: the article's, or None when it is suspect
    (:func:`date_check`). Story spans, timelines and direction ask this, never ``published``."""
    if article.published is None:
        return None
    return None if date_check(article).suspect else article.published
