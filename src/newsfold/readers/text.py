"""Plain text and Markdown articles: one file, one article.

Header lines (a title line, a date line such as "November 30, 2023", a "By NAME" byline) become
metadata during normalisation (:mod:`newsfold.normalize`); the outlet defaults to the parent
folder's name.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from newsfold.readers.base import Input, Problem, Raw, Reader, ReadOptions, decode_bytes

__all__ = ["TextReader"]

_MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown")


class TextReader(Reader):
    name: ClassVar[str] = "text"
    suffixes: ClassVar[tuple[str, ...]] = (".txt", ".text", *_MARKDOWN_SUFFIXES)

    def sniff(self, text_head: str, inp: Input) -> int:
        return 10  # anything textual that no other reader claims

    def read(self, inp: Input, options: ReadOptions) -> Iterator[Raw | Problem]:
        text = decode_bytes(inp.read_bytes(options.max_file_bytes))
        markdown = inp.path.suffix.lower() in _MARKDOWN_SUFFIXES or text.lstrip().startswith("# ")
        yield Raw({"text": text}, inp.name, default_source=inp.parent_name, markdown=markdown)
