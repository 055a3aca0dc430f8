"""JSON Lines and JSON documents of article records.

Records follow the interchange format (``{"text": ..., "title": ..., "source": ..., "url": ...,
"published": ..., "language": ..., "id": ...}``; only ``text`` is required, other keys are kept as
extras). Other schemas are read with a field map (``--field text=body --field published=date``,
dotted keys reach into nested objects) or, when a field is missing, through common aliases
("body", "content", "headline", "date", "outlet", ...).

JSON Lines are streamed: a malformed line is reported as ``file:line`` and the good lines are kept.
A JSON document may be one record, a list of records, or an object holding the list under
``articles``, ``items``, ``records``, ``data``, ``entries`` or ``results``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from newsfold.readers.base import (
    STREAM_ERRORS,
    Input,
    Problem,
    Raw,
    Reader,
    ReaderError,
    ReadOptions,
    decode_bytes,
)

__all__ = ["JsonLinesReader", "JsonReader", "map_record"]

ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("body", "content", "article", "maintext", "article_text", "full_text", "story"),
    "title": ("headline", "heading"),
    "published": (
        "date",
        "pubdate",
        "pub_date",
        "published_at",
        "publish_date",
        "date_publish",
        "datetime",
        "timestamp",
        "created_at",
    ),
    "source": ("outlet", "publisher", "site", "source_domain", "domain", "media", "sitename"),
    "url": ("link", "href", "uri", "permalink"),
    "language": ("lang", "locale"),
    "author": ("authors", "byline", "creator"),
}
_LIST_KEYS = ("articles", "items", "records", "data", "entries", "results", "documents")
_MISSING = object()


def _lookup(record: Mapping[str, Any], key: str) -> Any:
    value: Any = record
    for part in key.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return _MISSING
        value = value[part]
    return value


def map_record(record: Mapping[str, Any], field_map: Mapping[str, str]) -> dict[str, Any]:
    """The interchange fields of ``record``: the field map first, then the names, then aliases.

    Keys consumed by the map or an alias are not kept as extras; everything else is.
    """
    out: dict[str, Any] = {}
    used: set[str] = set()
    for name, aliases in ALIASES.items():
        if name in field_map:
            value = _lookup(record, field_map[name])
            if value is not _MISSING:
                out[name] = value
                used.add(field_map[name].split(".")[0])
            continue
        if name in record:
            out[name] = record[name]
            used.add(name)
            continue
        for alias in aliases:
            if alias in record and record[alias] not in (None, "", []):
                out[name] = record[alias]
                used.add(alias)
                break
    if "id" in field_map:
        value = _lookup(record, field_map["id"])
        if value is not _MISSING:
            out["id"] = value
            used.add(field_map["id"].split(".")[0])
    elif "id" in record:
        out["id"] = record["id"]
        used.add("id")
    if isinstance(out.get("author"), list):
        out["author"] = ", ".join(str(a) for a in out["author"])
    if "id" in out and out["id"] is not None:
        out["id"] = str(out["id"])
    for key, value in record.items():
        if key not in used and key not in out:
            out[key] = value
    return out


class JsonLinesReader(Reader):
    name: ClassVar[str] = "jsonl"
    streaming: ClassVar[bool] = True
    suffixes: ClassVar[tuple[str, ...]] = (".jsonl", ".ndjson", ".jsonlines")

    def sniff(self, text_head: str, inp: Input) -> int:
        suffixes = {s.lower() for s in inp.path.suffixes}
        if suffixes & set(self.suffixes):
            return 95
        if not text_head.startswith("{"):
            return 0
        lines = [line for line in text_head.split("\n")[:3] if line.strip()]
        try:
            json.loads(lines[0])
        except (ValueError, IndexError):
            return 0
        return 85 if len(lines) > 1 and lines[1].lstrip().startswith("{") else 0

    def read(self, inp: Input, options: ReadOptions) -> Iterator[Raw | Problem]:
        limit = options.max_record_bytes
        lineno = 0
        with inp.open() as fh:
            try:
                for lineno, line in enumerate(fh, start=1):
                    yield from self._line(inp, options, lineno, line, limit)
            except STREAM_ERRORS as exc:
                yield Problem(inp.name, f"damaged or truncated file after line {lineno} ({exc})")

    @staticmethod
    def _line(
        inp: Input, options: ReadOptions, lineno: int, line: bytes, limit: int
    ) -> Iterator[Raw | Problem]:
        where = f"{inp.name}:{lineno}"
        if len(line) > limit:
            yield Problem(where, f"line longer than the record limit ({limit} bytes)")
            return
        if not line.strip():
            return
        try:
            record = json.loads(line.decode("utf-8-sig" if lineno == 1 else "utf-8"))
        except UnicodeDecodeError as exc:
            yield Problem(where, f"not UTF-8 ({exc.reason} at byte {exc.start})")
            return
        except json.JSONDecodeError as exc:
            yield Problem(where, f"malformed JSON: {exc.msg} (column {exc.colno})")
            return
        if not isinstance(record, dict):
            yield Problem(where, f"a line must be a JSON object, not {_kind(record)}")
            return
        yield Raw(map_record(record, options.field_map), where, inp.parent_name)


class JsonReader(Reader):
    name: ClassVar[str] = "json"
    suffixes: ClassVar[tuple[str, ...]] = (".json",)

    def sniff(self, text_head: str, inp: Input) -> int:
        if text_head.startswith(("{", "[")):
            return 70
        return 0

    def read(self, inp: Input, options: ReadOptions) -> Iterator[Raw | Problem]:
        text = decode_bytes(inp.read_bytes(options.max_file_bytes))
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ReaderError(
                f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            ) from exc
        records = _records_of(doc)
        if records is None:
            raise ReaderError(
                "no article records: expected an object with 'text', a list of them, or an "
                f"object holding the list under one of {', '.join(_LIST_KEYS)}"
            )
        for i, record in enumerate(records):
            where = f"{inp.name}#{i}"
            if not isinstance(record, dict):
                yield Problem(where, f"a record must be a JSON object, not {_kind(record)}")
                continue
            yield Raw(map_record(record, options.field_map), where, inp.parent_name)


def _records_of(doc: Any) -> list[Any] | None:
    if isinstance(doc, list):
        return doc
    if not isinstance(doc, dict):
        return None
    for key in _LIST_KEYS:
        if isinstance(doc.get(key), list):
            return doc[key]
    return [doc]


def _kind(value: Any) -> str:
    return {list: "an array", str: "a string", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )
