"""Dataset-mode inputs and outputs on Spark: records with their location in, results out.

:func:`read_inputs` reads JSON Lines files (plain or gzip, as the local readers do; a bzip2, xz
or zstd file, or any binary file, is rejected whole with its kind named) and Parquet files or
folders into one DataFrame of :data:`INPUT_SCHEMA`:

- JSON Lines files are read on the executors, one task per file, by the same code as locally
  (:func:`newsfold.dataset.open_dataset` and its JSON Lines reader: field aliases and ``--field``
  mappings apply, and a malformed line is reported the same way);
- Parquet is read by ``spark.read.parquet``; each row becomes the JSON object of its columns
  and is mapped the same way. A Parquet folder counts as its part files, sorted by name.

Every record keeps its location: ``file_index`` (the position of its file among the inputs, in
argument order), ``file`` (its name as given), ``line`` (JSON Lines line or Parquet row, from 1)
and a stable ``key`` = ``file_index`` · 2⁴⁰ + ``line``, so keys follow input order and never
depend on partitions or executors. ``record`` is the input record as JSON text (what outputs
reproduce), ``fields`` its interchange fields after mapping (JSON text) and ``text`` its text.
A row that cannot be used has a ``reason`` instead: a malformed line, a record without text, an
unreadable or undecodable file (one row for the file, ``line`` null). Nothing is dropped silently:
:meth:`SparkInputs.records` and :meth:`SparkInputs.rejects` split the rows.

:func:`write_results` writes results as JSON Lines (one file, input order, the input record plus
the result columns, as the local commands write) or as Parquet (a folder: ``records/`` and
``rejects/``), and the rejects beside them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsfold.readers import Problem, ReaderError, ReadOptions
from newsfold.readers.base import binary_kind
from newsfold.readers.jsonl import map_record

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame, SparkSession

__all__ = [
    "INPUT_SCHEMA",
    "KEY_LINES",
    "SparkInputs",
    "is_parquet_output",
    "read_inputs",
    "record_key",
    "rejects_path",
    "write_results",
]

#: Lines (or rows) per file in the key space: ``key = file_index * KEY_LINES + line``.
KEY_LINES = 1 << 40
INPUT_SCHEMA = (
    "key long, file_index int, file string, line long, record string, fields string, "
    "text string, reason string"
)
_PARQUET_SUFFIXES = (".parquet", ".parq")


def record_key(file_index: int, line: int) -> int:
    """The stable key of line (or row) ``line`` of the ``file_index``-th input file."""
    return file_index * KEY_LINES + line


@dataclass
class SparkInputs:
    """What :func:`read_inputs` read: every row, and the files in key order."""

    rows: DataFrame
    files: list[str]

    def records(self) -> DataFrame:
        """The usable records (``reason`` is null)."""
        return self.rows.where("reason is null").drop("reason")

    def rejects(self) -> DataFrame:
        """What could not be used: ``file_index, file, line, location, reason``."""
        from pyspark.sql import functions as F

        location = F.when(F.col("line").isNull(), F.col("file")).otherwise(
            F.concat_ws(":", F.col("file"), F.col("line").cast("string"))
        )
        return self.rows.where("reason is not null").select(
            "file_index", "file", "line", location.alias("location"), "reason"
        )


def _line_of(problem: Problem, name: str) -> int | None:
    head, _, tail = problem.location.rpartition(":")
    return int(tail) if head == name and tail.isdigit() else None


def _text_or_none(fields: dict[str, Any]) -> str | None:
    text = fields.get("text")
    return text if isinstance(text, str) and text.strip() else None


def read_jsonl_file(file_index: int, path: str, options: ReadOptions) -> Iterator[tuple[Any, ...]]:
    """The rows (:data:`INPUT_SCHEMA`) of one JSON Lines file, read by the local reader.

    Runs on an executor; never raises for bad data: an unreadable file is one reject row."""
    from newsfold.dataset import open_dataset

    def reject(line: int | None, reason: str) -> tuple[Any, ...]:
        key = record_key(file_index, line or 0)
        return (key, file_index, path, line, None, None, None, reason)

    try:
        with open_dataset(path, options) as data:
            kind = binary_kind(data.inp.head)
            if kind is not None:
                yield reject(None, f"{kind}, not JSON Lines (plain or gzip)")
                return
            raw = data.raw_lines()
            raw_line, raw_record = 0, None
            for lineno, fields in data.records():
                while raw_line < lineno:  # both walk the file in line order
                    found = next(raw, None)
                    if found is None:
                        raw_line, raw_record = lineno, fields
                        break
                    raw_line, raw_record = found
                text = _text_or_none(fields)
                if text is None:
                    yield reject(lineno, "no text")
                    continue
                record = raw_record if raw_line == lineno else fields
                yield (
                    record_key(file_index, lineno),
                    file_index,
                    path,
                    lineno,
                    json.dumps(record, ensure_ascii=False),
                    json.dumps(fields, ensure_ascii=False, default=str),
                    text,
                    None,
                )
            for problem in data.problems:
                yield reject(_line_of(problem, path), problem.reason)
    except (ReaderError, OSError) as exc:
        yield reject(None, f"cannot read: {exc}")


def _parquet_mapper(
    options: ReadOptions,
) -> Callable[[Iterator[pd.DataFrame]], Iterator[pd.DataFrame]]:
    def mapped(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        import pandas as pd

        for batch in batches:
            fields_col: list[str | None] = []
            texts: list[str | None] = []
            reasons: list[str | None] = []
            for record in batch["record"]:
                fields = map_record(json.loads(record), options.field_map)
                text = _text_or_none(fields)
                fields_col.append(json.dumps(fields, ensure_ascii=False, default=str))
                texts.append(text)
                reasons.append(None if text is not None else "no text")
            yield batch.assign(
                fields=pd.Series(fields_col, dtype=object),
                text=pd.Series(texts, dtype=object),
                reason=pd.Series(reasons, dtype=object),
            )[["key", "file_index", "file", "line", "record", "fields", "text", "reason"]]

    return mapped


def _is_parquet_input(path: str) -> bool:
    local = Path(path)
    return path.lower().endswith(_PARQUET_SUFFIXES) or local.is_dir()


def _parquet_rows(table: DataFrame, first_index: int, options: ReadOptions) -> DataFrame:
    """The rows of one Parquet input (a file or a folder of part files), read once: a part's
    file index is ``first_index`` plus its rank among the input's parts sorted by path, its
    ``line`` the row's position in the part (from 1)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    columns = [F.col(f"`{c}`") for c in table.columns]
    located = table.select(
        F.col("_metadata.file_path").alias("file"),
        (F.col("_metadata.row_index") + 1).alias("line"),
        F.to_json(F.struct(*columns)).alias("record"),
    )
    ranks = (
        located.select("file")
        .distinct()
        .select(
            "file",
            (F.row_number().over(Window.orderBy("file")) - 1 + first_index).alias("file_index"),
        )
    )
    rows = located.join(F.broadcast(ranks), "file").select(
        (F.col("file_index").cast("long") * KEY_LINES + F.col("line")).alias("key"),
        F.col("file_index").cast("int").alias("file_index"),
        "file",
        "line",
        "record",
        F.lit(None).cast("string").alias("fields"),
        F.lit(None).cast("string").alias("text"),
        F.lit(None).cast("string").alias("reason"),
    )
    return rows.mapInPandas(_parquet_mapper(options), INPUT_SCHEMA)


def read_inputs(
    spark: SparkSession, paths: Sequence[str], options: ReadOptions | None = None
) -> SparkInputs:
    """Read ``paths`` (JSON Lines files, Parquet files or folders) as one DataFrame of
    :data:`INPUT_SCHEMA` rows (see the module docstring)."""

    if "-" in paths:
        raise ValueError("the Spark engine reads files, not standard input: give a path")
    options = options or ReadOptions()
    files: list[str] = []  # every input file, in key order
    frames: list[DataFrame] = []
    jsonl: list[tuple[int, str]] = []
    bad: list[tuple[Any, ...]] = []
    for path in paths:
        index = len(files)
        if not _is_parquet_input(path):
            jsonl.append((index, path))
            files.append(path)
            continue
        try:
            table = spark.read.parquet(path)
            parts = sorted(table.inputFiles())
        except Exception as exc:  # an unreadable Parquet input is a reject, not a failure
            reason = f"cannot read as Parquet: {exc}".split("\n")[0]
            bad.append((record_key(index, 0), index, path, None, None, None, None, reason))
            files.append(path)
            continue
        files.extend(parts)
        frames.append(_parquet_rows(table, index, options))
    if jsonl:
        rdd = spark.sparkContext.parallelize(jsonl, len(jsonl)).flatMap(
            lambda item: read_jsonl_file(item[0], item[1], options)
        )
        frames.insert(0, spark.createDataFrame(rdd, INPUT_SCHEMA))
    if bad:
        frames.append(spark.createDataFrame(bad, INPUT_SCHEMA))
    if not frames:
        return SparkInputs(spark.createDataFrame([], INPUT_SCHEMA), [])
    rows = frames[0]
    for frame in frames[1:]:
        rows = rows.unionByName(frame)
    return SparkInputs(rows, files)


# --------------------------------------------------------------------------- outputs


def is_parquet_output(output: str) -> bool:
    """Whether results go to a Parquet folder: a path ending in ``.parquet``, ``/`` or naming
    an existing folder; anything else is one JSON Lines file."""
    return (
        output.lower().endswith(_PARQUET_SUFFIXES) or output.endswith("/") or Path(output).is_dir()
    )


def rejects_path(output: str) -> str:
    """Where the rejects of ``output`` go: ``OUT.rejects.jsonl``, or ``OUT/rejects`` (Parquet)."""
    if is_parquet_output(output):
        return output.rstrip("/") + "/rejects"
    return output + ".rejects.jsonl"


def write_results(
    results: DataFrame,
    rejects: DataFrame,
    output: str | None,
    columns: Sequence[str],
    json_columns: Sequence[str] = (),
) -> tuple[int, int]:
    """Write ``results`` (rows with ``key``, ``file``, ``line``, ``record`` and ``columns``) and
    ``rejects``; return how many of each were written.

    JSON Lines (``output`` a file, or None for standard output): the input record plus
    ``columns``, in key (input) order, streamed through the driver one partition at a time and
    renamed into place when complete; the rejects as ``{"location", "reason"}`` lines in
    ``OUT.rejects.jsonl`` (with standard output they are only counted). Parquet: ``OUT/records``
    (``file``, ``line``, ``record`` and ``columns``) and ``OUT/rejects``, written by the
    executors. ``json_columns`` (among ``columns``) hold JSON text: JSON Lines get the value,
    Parquet its text (a string as itself, a number written out).
    """
    from pyspark.sql import functions as F

    from newsfold.dataset import write_jsonl

    ordered_rejects = rejects.orderBy("file_index", "line", "reason")
    if output is not None and is_parquet_output(output):
        base = output.rstrip("/")
        plain = [F.get_json_object(c, "$").alias(c) if c in json_columns else c for c in columns]
        results.select("key", "file", "line", "record", *plain).orderBy("key").write.mode(
            "overwrite"
        ).parquet(base + "/records")
        ordered_rejects.select("location", "reason").write.mode("overwrite").parquet(
            base + "/rejects"
        )
        spark = results.sparkSession
        return (
            spark.read.parquet(base + "/records").count(),
            spark.read.parquet(base + "/rejects").count(),
        )

    def lines() -> Iterator[dict[str, Any]]:
        for row in results.select("record", *columns).orderBy("key").toLocalIterator():
            added = {c: row[c] for c in columns}
            for c in json_columns:
                added[c] = None if added[c] is None else json.loads(added[c])
            yield {**json.loads(row["record"]), **added}

    written = write_jsonl(Path(output) if output is not None else None, lines())
    if output is None:
        return written, rejects.count()
    rejected = write_jsonl(
        Path(rejects_path(output)),
        (
            {"location": r["location"], "reason": r["reason"]}
            for r in ordered_rejects.select("location", "reason").toLocalIterator()
        ),
    )
    return written, rejected
