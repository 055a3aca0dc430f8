"""Readers: one module per input format, chosen by content (the file name only breaks ties).

:func:`pick_reader` sniffs an input's first bytes: web archives by their ``WARC/`` header, Parquet
by its magic bytes, feeds by their ``<rss>``/``<feed>`` root, HTML by its opening tags, JSON Lines
by a first line that is a whole object, JSON by a leading brace or bracket; anything else that is
text is a text article. Binary inputs (images, PDFs, archives) are refused with what they are.
"""

from __future__ import annotations

from newsfold.readers.base import (
    STREAM_ERRORS,
    Input,
    Problem,
    Raw,
    Reader,
    ReaderError,
    ReadOptions,
    binary_kind,
)
from newsfold.readers.feed import FeedReader
from newsfold.readers.html import HtmlReader
from newsfold.readers.jsonl import JsonLinesReader, JsonReader
from newsfold.readers.parquet import MAGIC as PARQUET_MAGIC
from newsfold.readers.parquet import ParquetReader
from newsfold.readers.text import TextReader
from newsfold.readers.warc import WarcReader

__all__ = [
    "READERS",
    "STREAM_ERRORS",
    "Input",
    "Problem",
    "Raw",
    "ReadOptions",
    "Reader",
    "ReaderError",
    "get_reader",
    "pick_reader",
]

READERS: dict[str, Reader] = {
    r.name: r
    for r in (
        WarcReader(),
        ParquetReader(),
        FeedReader(),
        HtmlReader(),
        JsonLinesReader(),
        JsonReader(),
        TextReader(),
    )
}


def get_reader(name: str) -> Reader:
    """The reader called ``name`` (``text``, ``html``, ``json``, ``jsonl``, ``feed``, ``warc``,
    ``parquet``)."""
    try:
        return READERS[name]
    except KeyError:
        raise ValueError(f"unknown format {name!r}; choose from {', '.join(READERS)}") from None


def pick_reader(inp: Input) -> Reader:
    """The reader for ``inp``, by content; raises :class:`ReaderError` for binary or empty input."""
    if inp.head.startswith(b"WARC/"):
        return READERS["warc"]
    if inp.head.startswith(PARQUET_MAGIC):
        return READERS["parquet"]
    if not inp.head.strip():
        raise ReaderError("empty file")
    kind = binary_kind(inp.head)
    if kind:
        raise ReaderError(f"binary file ({kind}), not an article")
    # Sniffing looks at markup and braces: a lenient decode of the head is enough.
    text_head = inp.head[:8192].decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    suffix = inp.path.suffix.lower()
    best, best_score = READERS["text"], 0
    for reader in READERS.values():
        score = reader.sniff(text_head, inp)
        if score and suffix in reader.suffixes:
            score += 5
        if score > best_score:
            best, best_score = reader, score
    return best
