"""Parquet files: one article per row, the columns named as in JSON Lines (``text``, ``title``,
``published``, ``url``, ...; ``--field`` maps others), read a row group at a time with pyarrow.

A row's location is ``file:row N`` (counted from 1). Newsfold's own Parquet output (the
``articles`` table of ``newsfold run --engine spark``) reads back this way, its ``story`` and
``story_probability`` columns kept as extras.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from newsfold.readers.base import Input, Problem, Raw, Reader, ReaderError, ReadOptions
from newsfold.readers.jsonl import map_record

__all__ = ["MAGIC", "ParquetReader"]

#: The first (and last) bytes of every Parquet file.
MAGIC = b"PAR1"


def _plain(value: Any) -> Any:
    """A Parquet value as JSON would hold it (timestamps as ISO text)."""
    iso = getattr(value, "isoformat", None)
    return iso() if iso is not None else value


class ParquetReader(Reader):
    name: ClassVar[str] = "parquet"
    streaming: ClassVar[bool] = True
    suffixes: ClassVar[tuple[str, ...]] = (".parquet", ".pq")

    def sniff(self, text_head: str, inp: Input) -> int:
        return 100 if inp.head.startswith(MAGIC) else 0

    def read(self, inp: Input, options: ReadOptions) -> Iterator[Raw | Problem]:
        try:
            import pyarrow.parquet as pq
        except ImportError as exc:  # pragma: no cover - pyarrow is a dependency
            raise ReaderError("reading Parquet needs pyarrow (pip install pyarrow)") from exc
        try:
            table = pq.ParquetFile(inp.path)
        except Exception as exc:  # pyarrow raises its own errors for damaged files
            raise ReaderError(f"not a readable Parquet file ({exc})") from exc
        row = 0
        batches = table.iter_batches(batch_size=1024)
        while True:
            try:
                batch = next(batches, None)
            except Exception as exc:  # a damaged page: pyarrow's own errors
                raise ReaderError(f"damaged Parquet file after row {row} ({exc})") from exc
            if batch is None:
                break
            for record in batch.to_pylist():
                row += 1
                fields = {k: _plain(v) for k, v in record.items() if v is not None}
                yield Raw(map_record(fields, options.field_map), f"{inp.name}:row {row}",
                          inp.parent_name)  # fmt: skip
