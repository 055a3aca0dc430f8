"""WARC and WARC.gz web archives: each archived HTML page an article, its URL kept.

Only ``response`` records with an HTML body and a 2xx status are read; the page goes through the
HTML extractor. Pages without article text (home pages, tag pages) are listed as skipped, which
does not fail the run. The archive is streamed: its size does not matter, only each record's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from newsfold.readers.base import (
    STREAM_ERRORS,
    Input,
    Problem,
    Raw,
    Reader,
    ReadOptions,
    decode_bytes,
)
from newsfold.readers.html import declared_charset, extract_html

__all__ = ["WarcReader"]


class WarcReader(Reader):
    name: ClassVar[str] = "warc"
    streaming: ClassVar[bool] = True
    suffixes: ClassVar[tuple[str, ...]] = (".warc", ".arc")

    def sniff(self, text_head: str, inp: Input) -> int:
        return 100 if inp.head.startswith(b"WARC/") else 0

    def read(self, inp: Input, options: ReadOptions) -> Iterator[Raw | Problem]:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed

        pages = 0
        with inp.path.open("rb") as fh:
            try:
                for record in ArchiveIterator(fh):
                    if record.rec_type != "response" or record.http_headers is None:
                        continue
                    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                    where = f"{inp.name}#{uri}"
                    status = record.http_headers.get_statuscode() or ""
                    ctype = (record.http_headers.get_header("Content-Type") or "").lower()
                    if "html" not in ctype:
                        continue
                    if not status.startswith("2"):
                        yield Problem(where, f"HTTP status {status}: skipped", fatal=False)
                        continue
                    body = record.content_stream().read(options.max_record_bytes + 1)
                    if len(body) > options.max_record_bytes:
                        yield Problem(where, "record larger than the record limit")
                        continue
                    if getattr(record.raw_stream, "limit", 0) > 0:
                        # The record ends before its declared length: the archive was cut short.
                        yield Problem(where, f"damaged web archive after {pages} pages: truncated")
                        break
                    pages += 1
                    html = decode_bytes(body, _charset(ctype) or declared_charset(body))
                    fields = extract_html(html, url=uri or None)
                    if fields is None:
                        yield Problem(where, "no article text on this page: skipped", fatal=False)
                        continue
                    canonical = fields.get("url")
                    if uri:
                        fields["url"] = uri  # the address it was archived from
                    if canonical and canonical != uri:
                        fields["canonical_url"] = canonical
                    crawled = record.rec_headers.get_header("WARC-Date")
                    if crawled:
                        fields["crawled"] = crawled
                    yield Raw(fields, where, default_source=inp.parent_name)
            except (ArchiveLoadFailed, *STREAM_ERRORS) as exc:
                # Keep the pages read so far; report the damage.
                yield Problem(inp.name, f"damaged web archive after {pages} pages: {exc}")
        if pages == 0:
            yield Problem(inp.name, "the web archive holds no HTML pages", fatal=False)


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";"):
        key, _, value = part.strip().partition("=")
        if key == "charset" and value:
            return value.strip("\"'")
    return None
