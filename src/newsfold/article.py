"""Article and Sentence: the one container that owns an article's text, and views onto it.

An :class:`Article` owns its normalised text; a :class:`Sentence` is a view (start and end
character offsets) into that text, so every later judgment (an aligned pair, a quote, a number) can
point back to the exact characters it came from. Articles are built from raw reader output by
:func:`build_article`, which normalises the text, strips boilerplate (keeping a record of what
was removed), detects the language when absent, splits sentences and derives a stable id.

Ids: a record's own ``id`` is kept when it has one (users script against their ids); otherwise the
id is 16 hex digits of a SHA-256 over the case- and space-folded text and the outlet, so
re-ingesting the same article gives the same id.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from newsfold import dates, langid
from newsfold.datelines import dateline_end
from newsfold.normalize import clean_text
from newsfold.sentences import split_sentences

__all__ = ["Article", "ArticleError", "Sentence", "article_id", "build_article", "lead_text"]

#: Fields of the interchange record (see docs/formats.md); everything else is kept in ``extra``.
RECORD_FIELDS = ("id", "text", "title", "source", "url", "published", "language", "author")

_TITLE_MAX_CHARS = 120
#: Characters of an article's lead (its title and opening): what encoders read to place it.
LEAD_CHARS = 600


class ArticleError(ValueError):
    """A record cannot become an article (no text, text only boilerplate, ...)."""


@dataclass(frozen=True, slots=True)
class Sentence:
    """A view of one sentence of an article: character offsets into ``article.text``."""

    article: Article
    index: int
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.article.text[self.start : self.end]

    def __repr__(self) -> str:
        return f"Sentence({self.index}, {self.start}:{self.end}, {self.text[:40]!r})"


@dataclass(slots=True)
class Article:
    """One news article: normalised text, metadata and sentence spans.

    ``spans`` holds ``(start, end)`` character offsets of each sentence in ``text``;
    ``boilerplate`` the lines that normalisation removed, with why; ``extra`` the input fields that
    are not part of the interchange record, kept as given.
    """

    id: str
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: datetime | None = None
    language: str | None = None
    author: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)
    boilerplate: list[dict[str, str]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    origin: str | None = None

    @property
    def sentences(self) -> list[Sentence]:
        return [Sentence(self, i, s, e) for i, (s, e) in enumerate(self.spans)]

    def __iter__(self) -> Iterator[Sentence]:
        return iter(self.sentences)

    def __len__(self) -> int:
        return len(self.spans)

    @property
    def lead(self) -> str:
        """The article's lead: :func:`lead_text` of its text and title."""
        return lead_text(self.text, self.title)

    @property
    def content_hash(self) -> str:
        return content_hash(self.text, self.source)

    def to_record(self) -> dict[str, Any]:
        """The interchange record (JSON-ready): the guide's fields, then ``extra`` unchanged."""
        record: dict[str, Any] = {
            "id": self.id,
            "text": self.text,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "language": self.language,
            "author": self.author,
        }
        for key, value in self.extra.items():
            record.setdefault(key, value)
        return record


def lead_text(text: str, title: str | None = None) -> str:
    """The one definition of a lead: the title, then the text, cut to :data:`LEAD_CHARS`
    characters (an encoder reads about 128 tokens of it)."""
    lead = f"{title}. {text}" if title else text
    return lead[:LEAD_CHARS]


def _id_text(text: str) -> str:
    """The form of the text that ids are computed from: case and whitespace folded."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.casefold().split())


def content_hash(text: str, source: str | None) -> str:
    """A hex digest of the normalised text and the (case-folded) source."""
    h = hashlib.sha256()
    h.update((source or "").strip().casefold().encode("utf-8"))
    h.update(b"\x00")
    h.update(_id_text(text).encode("utf-8"))
    return h.hexdigest()


def article_id(text: str, source: str | None) -> str:
    """The stable id of an article without a given id: 16 hex digits of :func:`content_hash`."""
    return content_hash(text, source)[:16]


def source_from_url(url: str | None) -> str | None:
    """The outlet a URL names: its host without ``www.`` (``https://www.x.com/a`` → ``x.com``)."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")


def derive_title(text: str, spans: list[tuple[int, int]]) -> str | None:
    """A title for an article that has none: its first sentence without its dateline
    (:func:`newsfold.datelines.dateline_end`), cut at a word boundary."""
    if not spans:
        return None
    first = text[spans[0][0] : spans[0][1]].strip()
    skip = dateline_end(first)
    if skip and len(first) - skip >= 20:
        first = first[skip:].strip()
        first = first[:1].upper() + first[1:]
    if len(first) <= _TITLE_MAX_CHARS:
        return first
    cut = first[:_TITLE_MAX_CHARS].rsplit(" ", 1)[0].rstrip(",;:—–- ")
    return cut + "…"


def _clean_str(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    value = re.sub(r"\s+", " ", unicodedata.normalize("NFC", value)).strip()
    return value or None


def build_article(
    raw: Mapping[str, Any],
    *,
    origin: str | None = None,
    default_source: str | None = None,
    default_language: str | None = None,
    markdown: bool = False,
) -> Article:
    """Build an :class:`Article` from a raw record (the interchange fields plus extras).

    ``raw["text"]`` is required. ``published`` may be a datetime or a date string in any common
    form; it becomes timezone-aware (UTC when the input names no zone). ``source`` falls back to the
    URL's domain, then to ``default_source`` (a reader passes the parent folder's name).
    Raises :class:`ArticleError` when the record holds no usable text or an unreadable date.
    """
    text_in = raw.get("text")
    if text_in is None or (isinstance(text_in, str) and not text_in.strip()):
        raise ArticleError(
            "no text: the 'text' field is missing or empty "
            "(map another field with --field text=NAME)"
        )
    if not isinstance(text_in, str):
        raise ArticleError(f"'text' must be a string, not {type(text_in).__name__}")

    title = _clean_str(raw.get("title"))
    cleaned = clean_text(text_in, title=title, markdown=markdown)
    if not cleaned.text:
        raise ArticleError("no text left after removing boilerplate")

    url = _clean_str(raw.get("url"))
    source = _clean_str(raw.get("source")) or source_from_url(url) or _clean_str(default_source)

    published_raw = raw.get("published")
    published = dates.parse_datetime(published_raw)
    if published_raw not in (None, "") and published is None:
        raise ArticleError(f"unreadable date in 'published': {published_raw!r}")
    published = published or cleaned.published

    title = title or cleaned.title
    author = _clean_str(raw.get("author")) or cleaned.author
    spans = split_sentences(cleaned.text)
    if not title:
        title = derive_title(cleaned.text, spans)

    language = _clean_str(raw.get("language")) or _clean_str(default_language)
    language = language.lower() if language else langid.detect(cleaned.text)

    given_id = _clean_str(raw.get("id"))
    extra = {k: v for k, v in raw.items() if k not in RECORD_FIELDS}
    return Article(
        id=given_id or article_id(cleaned.text, source),
        text=cleaned.text,
        title=title,
        source=source,
        url=url,
        published=published,
        language=language,
        author=author,
        spans=spans,
        boilerplate=cleaned.removed,
        extra=extra,
        origin=origin,
    )
