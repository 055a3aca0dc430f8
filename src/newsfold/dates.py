"""Dates: publication dates from any common form, always timezone-aware.

* :func:`parse_datetime` reads a field value: a ``datetime``, ISO 8601, RFC 822 (feeds, e-mail),
  a Unix timestamp or free text ("3 March 2026 10:32 GMT"). A value without a zone is taken as UTC;
  a date without a time is midnight UTC.
* :func:`mentioned_dates` finds the full dates (day, month and year) written in running text
  ("on March 3, 2026", "le 3 mars 2026", "2026-03-03").
* :func:`parse_date_line` reads a line of an article that is a date and nothing else ("November 30,
  2023", "Updated: 4 March 2026 09:30 GMT"), the form text files carry their date in.

The fast paths are the standard library's; ``dateparser`` (slow to import, ~1 ms a parse) is only
asked when they fail.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any

__all__ = ["mentioned_dates", "parse_date_line", "parse_datetime", "to_utc_iso"]

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


def mentioned_dates(text: str, limit: int = 5) -> list[datetime]:
    """The first ``limit`` full dates written in ``text``, in order (midnight UTC): "March 3,
    2026", "3 March 2026", "3 de marzo de 2026", "2026-03-03". Dates without a year and
    relative ones ("Thursday") are not read: they need the article's own date."""
    out: list[datetime] = []
    for m in _IN_TEXT.finditer(text):
        if m["y3"]:
            year, month, day = int(m["y3"]), int(m["m3"]), int(m["d3"])
        else:
            number = _MONTH_NUMBERS.get((m["m1"] or m["m2"]).lower())
            if number is None:
                continue
            year, month, day = int(m["y1"] or m["y2"]), number, int(m["d1"] or m["d2"])
        try:
            out.append(datetime(year, month, day, tzinfo=UTC))
        except ValueError:
            continue
        if len(out) >= limit:
            break
    return out
