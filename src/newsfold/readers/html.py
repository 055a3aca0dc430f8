"""HTML pages: the main text and metadata of a news page, extracted by trafilatura.

Title, author, publication date, canonical URL and site name come from the page's metadata; the
text is trafilatura's main-content extraction (navigation, comments and boilerplate left out).
:func:`extract_html` is shared with the web-archive reader; :func:`fragment_text` turns an HTML
fragment (a feed entry's content) into paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

from newsfold.dates import parse_datetime
from newsfold.normalize import fold
from newsfold.readers.base import Input, Problem, Raw, Reader, ReadOptions, decode_bytes

__all__ = ["HtmlReader", "extract_html", "fragment_text"]

_HTML_START = re.compile(
    r"^(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|div|article|p|section)\b",
    re.IGNORECASE | re.DOTALL,
)
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?\s*([A-Za-z0-9_:.-]+)", re.IGNORECASE)
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "tr",
        "section",
        "article",
        "header",
        "footer",
        "figcaption",
    ]
)


#: Fewer words than this is a page without an article (a section front, an error page).
MIN_WORDS = 25
# Titles of pages that stand in for an article: error pages and paywalls.
_ERROR_PAGE = re.compile(
    r"^\s*(?:error\s*)?40[34]\b|\b404 (?:error|not found)\b|\bpage not found\b|^\s*not found\s*$|"
    r"\baccess denied\b|^\s*forbidden\s*$|\bsubscribe to continue\b",
    re.IGNORECASE,
)


_META_PUBLISHED = re.compile(
    r"<meta\s[^>]*(?:property|name|itemprop)=[\"'](?:article:published_time|datePublished|"
    r"og:published_time|pubdate|publishdate|dc\.date\.issued)[\"'][^>]*>",
    re.IGNORECASE,
)
_CONTENT = re.compile(r"content=[\"']([^\"']+)[\"']", re.IGNORECASE)


def _meta_published(html: str) -> str | None:
    """The publication timestamp a page declares in its head (Open Graph, schema.org, DC)."""
    for tag in _META_PUBLISHED.finditer(html[:200_000]):
        content = _CONTENT.search(tag.group(0))
        if content and parse_datetime(content.group(1)) is not None:
            return content.group(1)
    return None


def declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii") if m else None


def extract_html(html: str, url: str | None = None) -> dict[str, Any] | None:
    """The article fields of an HTML page, or None when it holds no article text."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None or not (doc.text or "").strip():
        return None
    text = doc.text.strip()
    lines = text.split("\n")
    if doc.title and len(lines) > 1 and fold(lines[0]) == fold(doc.title):
        text = "\n".join(lines[1:])  # the headline repeated as the body's first line
    if len(text.split()) < MIN_WORDS or _ERROR_PAGE.search(doc.title or ""):
        return None
    fields: dict[str, Any] = {"text": text, "title": doc.title}
    page_url = doc.url or url
    if page_url and page_url.startswith(("http://", "https://")):
        fields["url"] = page_url
    if doc.author:
        fields["author"] = doc.author
    published = _meta_published(html)
    if published or doc.date:
        # The page's own timestamp keeps the time and zone; trafilatura's date is a day.
        fields["published"] = published or doc.date
    if doc.sitename and not page_url:
        fields["source"] = doc.sitename
    if doc.language:
        fields["language"] = doc.language
    return fields


def fragment_text(fragment: str) -> str:
    """The text of an HTML fragment, one paragraph per block element."""
    from lxml import html as lxml_html

    if "<" not in fragment:
        return fragment
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several types for broken markup
        return re.sub(r"<[^>]+>", " ", fragment)
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    parts: list[str] = []
    for node in root.iter():
        if isinstance(node.tag, str) and node.tag.lower() in _BLOCKS:
            parts.append("\n")
        if node.text and isinstance(node.tag, str):
            parts.append(node.text)
        if node.tail:
            parts.append(node.tail)
    return re.sub(r"[ \t]*\n\s*", "\n", "".join(parts)).strip()


class HtmlReader(Reader):
    name: ClassVar[str] = "html"
    suffixes: ClassVar[tuple[str, ...]] = (".html", ".htm", ".xhtml")

    def sniff(self, text_head: str, inp: Input) -> int:
        if _HTML_START.match(text_head):
            return 90
        if inp.path.suffix.lower() in self.suffixes and text_head.startswith("<"):
            return 60
        return 0

    def read(self, inp: Input, options: ReadOptions) -> Iterator[Raw | Problem]:
        data = inp.read_bytes(options.max_file_bytes)
        html = decode_bytes(data, declared_charset(data))
        fields = extract_html(html)
        if fields is None:
            yield Problem(inp.name, "no article text found in the HTML page")
            return
        yield Raw(fields, inp.name, default_source=inp.parent_name)
