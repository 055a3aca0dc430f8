"""RSS and Atom feed files: each entry an article.

The entry's full content (``content:encoded``, Atom ``content``) is preferred over its summary;
HTML in it becomes paragraphs. Dates keep their zone; the outlet is the entry link's domain, else
the feed's title. A feed that holds no entries is reported, not silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar

from newsfold.readers.base import Input, Problem, Raw, Reader, ReaderError, ReadOptions
from newsfold.readers.html import fragment_text

__all__ = ["FeedReader"]

_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)
_ENTRY_KEYS = frozenset(
    [
        "title",
        "link",
        "id",
        "guid",
        "published",
        "updated",
        "created",
        "author",
        "summary",
        "content",
        "language",
    ]
)


class FeedReader(Reader):
    name: ClassVar[str] = "feed"
    suffixes: ClassVar[tuple[str, ...]] = (".rss", ".atom", ".xml")

    def sniff(self, text_head: str, inp: Input) -> int:
        m = _FEED_ROOT.search(text_head[:4096])
        if m is None:
            return 0
        before = text_head[: m.start()].lower()
        return 0 if "<html" in before else 95

    def read(self, inp: Input, options: ReadOptions) -> Iterator[Raw | Problem]:
        import feedparser

        parsed = feedparser.parse(inp.read_bytes(options.max_file_bytes))
        entries = parsed.get("entries") or []
        if not entries:
            if parsed.get("bozo") and not parsed.get("feed"):
                raise ReaderError(f"not a readable feed: {parsed.get('bozo_exception')}")
            raise ReaderError("the feed has no entries")
        feed = parsed.get("feed", {})
        feed_title = feed.get("title")
        feed_language = feed.get("language")
        for i, entry in enumerate(entries):
            where = f"{inp.name}#{i}"
            text = fragment_text(_content(entry))
            if not text.strip():
                yield Problem(where, "feed entry without text (no content or summary)")
                continue
            fields: dict[str, Any] = {"text": text, "title": entry.get("title")}
            if entry.get("link"):
                fields["url"] = entry["link"]
            fields["published"] = _date(entry)
            if entry.get("author"):
                fields["author"] = entry["author"]
            language = (entry.get("language") or feed_language or "").split("-")[0]
            if language:
                fields["language"] = language
            if not entry.get("link") and feed_title:
                fields["source"] = feed_title
            guid = entry.get("id")
            if guid:
                fields["guid"] = guid
            if feed_title:
                fields["feed"] = feed_title
            yield Raw(fields, where, default_source=feed_title or inp.parent_name)


def _content(entry: Any) -> str:
    bodies = [c.get("value", "") for c in entry.get("content") or []]
    bodies.append(entry.get("summary", "") or "")
    return max(bodies, key=len)


def _date(entry: Any) -> str | datetime | None:
    for key in ("published", "updated", "created"):
        if entry.get(key):
            return str(entry[key])
    for key in ("published_parsed", "updated_parsed"):
        if entry.get(key):
            return datetime(*entry[key][:6], tzinfo=UTC)
    return None
