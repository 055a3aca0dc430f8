"""Dataset mode: JSON Lines in, the same records out with fields added, no store needed.

Commands such as ``newsfold dedup`` read a JSON Lines file twice: once through the JSON Lines
reader (field aliases and ``--field`` mappings apply; malformed lines become problems named
``file:line``) to compute results, and once raw, to write every good input record unchanged, in
input order, with the new fields added. Standard input (``-``) is spooled to a temporary file
first. Output is written to ``OUT.part`` and renamed when complete, so a failed run never leaves
a half-written file under the requested name.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from newsfold.readers import Input, Problem, Raw, ReaderError, ReadOptions
from newsfold.readers.jsonl import JsonLinesReader

__all__ = ["Dataset", "open_dataset", "write_jsonl"]


@dataclass
class Dataset:
    """A JSON Lines input: its records (mapped to article fields) and the problems met."""

    inp: Input
    options: ReadOptions
    problems: list[Problem] = field(default_factory=list)

    def records(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """``(line number, mapped fields)`` of every readable record; problems are collected."""
        self.problems.clear()
        for item in JsonLinesReader().read(self.inp, self.options):
            if isinstance(item, Raw):
                yield int(item.location.rsplit(":", 1)[1]), item.fields
            else:
                self.problems.append(item)

    def malformed(self) -> list[Problem]:
        """The lines that are not JSON objects (read through once)."""
        for _ in self.records():
            pass
        return list(self.problems)

    def raw_lines(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """``(line number, the record exactly as given)`` of every line that is a JSON object."""
        with self.inp.open() as fh:
            for lineno, line in enumerate(fh, start=1):
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if isinstance(record, dict):
                    yield lineno, record


@contextmanager
def open_dataset(path: str, options: ReadOptions | None = None) -> Iterator[Dataset]:
    """Open ``path`` (``-`` for standard input) as a dataset; raises ReaderError if unreadable."""
    spooled: Path | None = None
    try:
        if path == "-":
            fd, name = tempfile.mkstemp(prefix="newsfold-stdin-")
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(sys.stdin.buffer, out)
            spooled = Path(name)
        file = spooled or Path(path)
        if not file.is_file():
            raise ReaderError("no such file" if not file.exists() else "not a regular file")
        yield Dataset(
            Input.from_path(file, name="<stdin>" if spooled else path), options or ReadOptions()
        )
    finally:
        if spooled is not None:
            spooled.unlink(missing_ok=True)


def write_jsonl(
    output: Path | None,
    records: Iterator[dict[str, Any]],
    on_record: Callable[[], None] | None = None,
) -> int:
    """Write records as JSON Lines to ``output`` (atomically) or to stdout; return the count."""
    n = 0
    tmp = output.with_name(output.name + ".part") if output is not None else None
    fh: IO[str] = tmp.open("w", encoding="utf-8") if tmp is not None else sys.stdout
    try:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
            if on_record is not None:
                on_record()
    except BaseException:
        if tmp is not None:
            fh.close()
            tmp.unlink(missing_ok=True)
        raise
    if tmp is not None and output is not None:
        fh.close()
        tmp.replace(output)
    return n
