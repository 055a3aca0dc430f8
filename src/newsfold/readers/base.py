"""What every reader shares: the input it reads, what it yields, and how bytes become text.

A reader turns one :class:`Input` (a file, or standard input spooled to a file) into a stream of
:class:`Raw` records (the interchange fields of an article, not yet normalised) and
:class:`Problem` entries (a record or a whole input that could not be read, with the location and
the reason). Readers never touch the store and never raise for bad data: they report it.
"""

from __future__ import annotations

import gzip
import re
import zlib
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, ClassVar

#: What a damaged or truncated compressed stream raises while being read.
STREAM_ERRORS = (EOFError, OSError, zlib.error)

__all__ = [
    "STREAM_ERRORS",
    "Input",
    "Problem",
    "Raw",
    "ReadOptions",
    "Reader",
    "ReaderError",
    "binary_kind",
    "decode_bytes",
]

HEAD_BYTES = 64 * 1024


class ReaderError(Exception):
    """A whole input cannot be read; the message says why (without the file name)."""


@dataclass(slots=True)
class Problem:
    """Something that could not be read: ``location`` is ``file``, ``file:line`` or ``file#item``.

    ``fatal`` problems fail the run (exit code 1); others are inputs skipped on purpose (a page of a
    web archive that holds no article) and are only reported.
    """

    location: str
    reason: str
    fatal: bool = True

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"


@dataclass(slots=True)
class Raw:
    """An article as a reader found it: interchange fields plus extras, and where it came from."""

    fields: dict[str, Any]
    location: str
    default_source: str | None = None
    markdown: bool = False


@dataclass(slots=True)
class ReadOptions:
    """Options a user gives the readers.

    ``field_map`` maps an article field to a record key (``{"text": "body"}``; dotted keys reach
    into nested objects); ``source`` and ``language`` are used where an input names none.
    ``max_file_bytes`` bounds inputs read whole; ``max_record_bytes`` one line or archive record.
    """

    field_map: dict[str, str] = field(default_factory=dict)
    source: str | None = None
    language: str | None = None
    max_file_bytes: int = 64 * 1024 * 1024
    max_record_bytes: int = 16 * 1024 * 1024


@dataclass(slots=True)
class Input:
    """One input: a file on disk (``path``) shown to the user as ``name``.

    ``head`` holds the first bytes (decompressed when the file is gzip), for sniffing.
    """

    name: str
    path: Path
    size: int
    head: bytes
    compressed: bool = False

    @classmethod
    def from_path(cls, path: Path, name: str | None = None) -> Input:
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
        compressed = head[:2] == b"\x1f\x8b"
        if compressed:
            # Decompress only the head; a file cut short later is the reader's to report.
            try:
                head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, HEAD_BYTES)
            except zlib.error as exc:
                raise ReaderError(f"damaged gzip file ({exc})") from exc
        return cls(name or str(path), path, path.stat().st_size, head, compressed)

    def open(self) -> IO[bytes]:
        """The content as a binary stream (decompressed when the file is gzip)."""
        return gzip.open(self.path, "rb") if self.compressed else self.path.open("rb")

    def read_bytes(self, limit: int) -> bytes:
        with self.open() as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:
            raise ReaderError(
                f"file too large ({_mb(len(data))} or more; the limit is {_mb(limit)}, "
                "raise it with --max-size)"
            )
        return data

    @property
    def parent_name(self) -> str | None:
        parent = self.path.parent.name
        return parent or None


def _mb(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB"


class Reader(ABC):
    """One input format. ``sniff`` scores how sure it is that ``head`` is its format (0 = no)."""

    name: ClassVar[str]
    #: Streaming readers read any size; the others read the input whole, within max_file_bytes.
    streaming: ClassVar[bool] = False
    suffixes: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def sniff(self, text_head: str, inp: Input) -> int:
        """0 when ``text_head`` is not this format, up to 100 when it surely is."""

    @abstractmethod
    def read(self, inp: Input, options: ReadOptions) -> Iterator[Raw | Problem]:
        """Yield the articles of ``inp`` and the problems met on the way."""


# --------------------------------------------------------------------------- bytes and text

_MAGIC = (
    (b"%PDF", "PDF document"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"PK\x03\x04", "ZIP archive (also .docx/.xlsx/.epub)"),
    (b"\x7fELF", "executable"),
    (b"MZ", "Windows executable"),
    (b"SQLite format 3", "SQLite database"),
    (b"\xd0\xcf\x11\xe0", "Microsoft Office document"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ", "xz archive"),
    (b"7z\xbc\xaf", "7-zip archive"),
    (b"RIFF", "audio/video file"),
    (b"OggS", "audio file"),
    (b"ID3", "MP3 audio"),
    (b"\x00\x00\x00", "binary data"),
)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def _bom(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def binary_kind(head: bytes) -> str | None:
    """What a binary input is ("PNG image", "binary data"), or None when it looks like text."""
    if _bom(head):
        return None
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    sample = head[:8192]
    if b"\x00" in sample:
        return "binary data"
    if sample and len(_CONTROL.findall(sample)) > len(sample) * 0.05:
        return "binary data"
    return None


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Text from bytes: a BOM, then a declared charset, then UTF-8, then charset detection.

    Raises :class:`ReaderError` when no encoding reads the bytes as plausible text.
    """
    bom = _bom(data)
    if bom:
        return data.decode(bom, errors="replace")
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 4 * 1024 * 1024]).best()
    # A guess that recognises no language at all (coherence 0) is a guess at noise.
    if best is None or best.chaos > 0.25 or best.coherence < 0.01:
        raise ReaderError(
            f"undecodable bytes: not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) "
            "and no other character encoding fits"
        )
    return data.decode(best.encoding, errors="replace")
