"""Dataset mode on Spark: ``newsfold dedup`` and ``newsfold cluster`` with ``--engine spark``.

The results equal the local engine's (:class:`newsfold.dedup.Deduper`,
:class:`newsfold.stories.StoryClusterer`) record for record: the same groups, numbered the same
way, the same kept record, ``dup_of``, relation and similarity; the same stories. The same code
decides on both engines: the per-record, per-pair and per-group functions of
:mod:`newsfold.dedup` and :mod:`newsfold.signatures` run inside ``mapInPandas`` and
``applyInPandas``.

**Dedup** (:class:`SparkDeduper`), lexical mode:

1. signatures per record on the executors (``mapInPandas``: MinHash of word 5-grams, word-set
   MinHash, exact-text key, shingle count, publication date, 42 LSH band keys);
2. candidate pairs by exploding the band keys and grouping by (band, key). A bucket of up to
   ``max_bucket`` (50) records gives all its pairs; a bigger one (boilerplate shared by thousands)
   gives 2·(m−1) pairs: each member with the bucket's first record and with the record before it
   in input order (a window over the bucket, which Spark sorts and spills to disk: memory stays
   bounded however large the bucket). This is the local rule (:func:`~newsfold.signatures.
   candidate_pairs`), so both engines verify the same pairs. What the cap costs in recall: a
   member of a big bucket is only compared with the first member and its neighbour, so a member
   that links to neither (but would to another member) can be missed. Exact and near-exact copies
   lose nothing (a copy links to the first member directly); ``bench/spark_dedup.py`` measures
   the loss on mixed boilerplate;
3. verification of the pairs (``mapInPandas`` over pairs joined with both signatures:
   :func:`~newsfold.dedup.link_pairs`);
4. groups: connected components of the linked pairs on DataFrames
   (:mod:`newsfold.engines.components`), labelled by their first record; groups are numbered
   0, 1, ... in the order of their first record, as locally;
5. the kept record of each group of two or more: ``applyInPandas`` per group
   (:func:`~newsfold.dedup.choose_kept`) for groups of up to 10,000 members (about 1 KB each
   held at once); bigger groups (a skewed one of millions) row by row, against a ~200-member
   reference sample of the group, with the same order of reasons and the same result;
6. relation and similarity of every record to its group's kept record (``mapInPandas`` over
   records joined with the kept record's signatures: :func:`~newsfold.dedup.relations_to_kept`).

Record identity is the stable key of :mod:`newsfold.engines.spark_io` (file index and line),
never ``monotonically_increasing_id``: results do not depend on partitions, executors or AQE.
``mode="semantic"`` (nearest leads by embedding) is refused: its exact nearest-neighbour search
over all records is not distributed here.

**Cluster** (:func:`cluster_spark`): story placement is order-dependent (each record is placed
against the stories formed by the records before it), so it runs on the driver, as the local
command runs it. The per-record work that dominates its cost, reading the inputs and encoding
the leads, runs on the executors (``mapInPandas``); the driver then streams the records in input
order with ``toLocalIterator`` (one partition in memory at a time): key, text, mapped fields and
lead vector, and places them in batches of 256 with :class:`~newsfold.stories.StoryClusterer`
(which reads the key names and dates from the text). The placed labels return to Spark as
``(key, story, probability)`` rows, one small tuple per record held on the driver, and are
written by the same writers as dedup's.

Submitting to a cluster (the module is its own entry point)::

    spark-submit --master spark://host:7077 \\
        "$(python -c 'import newsfold.engines.spark_dataset as m; print(m.__file__)')" \\
        dedup in.jsonl.gz more.parquet --out out.parquet --partitions 200

``python -m newsfold.engines.spark_dataset dedup|cluster IN... --out OUT [--master URL]`` runs
the same locally. The exit code is 0 when the job ran, rejects or not; they are counted in the
summary line and written beside the output.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from newsfold.dedup import (
    Deduper,
    centrality,
    choose_kept,
    date_stamps,
    link_pairs,
    relations_to_kept,
    shingle_counts,
)
from newsfold.engines.spark_lsh import bucket_pairs
from newsfold.readers import ReadOptions
from newsfold.signatures import MAX_BUCKET, MinHasher, band_keys, has_shingles

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame, SparkSession

    from newsfold.embed import Encoder

__all__ = [
    "DEDUP_COLUMNS",
    "STORY_COLUMNS",
    "SparkDeduper",
    "cluster_spark",
    "dedup_spark",
    "main",
]

DEDUP_COLUMNS = ("dup_group", "kept", "dup_of", "relation", "similarity")
STORY_COLUMNS = ("story", "story_probability")
_SKETCH_SCHEMA = (
    "key long, sig binary, vocab binary, size long, exact long, date long, ref string, "
    "bands array<long>"
)
_Batches = Callable[[Iterator["pd.DataFrame"]], Iterator["pd.DataFrame"]]


def _ref(fields: dict[str, Any], line: int) -> str:
    """How ``dup_of`` names a record (as JSON): its id, else its line number (as locally)."""
    return json.dumps(fields.get("id", line), ensure_ascii=False)


def _rows(column: Any, num_perm: int) -> np.ndarray:
    """Signatures stored as bytes back to a ``(n, num_perm)`` uint32 array."""
    joined = b"".join(column)
    return np.frombuffer(joined, dtype=np.uint32).reshape(-1, num_perm)


@dataclass
class SparkDeduper:
    """:class:`newsfold.dedup.Deduper` on Spark DataFrames (see the module docstring).

    Parameters mean what they mean locally; ``max_bucket``: LSH buckets with more records give a
    star and a chain of pairs instead of all pairs (the local rule and size); ``in_memory_group``:
    groups of up to this many members choose their kept record on one executor (about 1 KB per
    member), bigger ones row by row (see :meth:`_kept_distributed`), with the same result.
    """

    # The local Deduper's defaults, read from it: the two engines must not drift apart.
    threshold: float = Deduper.threshold
    containment: float = Deduper.containment
    near_threshold: float = Deduper.near_threshold
    num_perm: int = Deduper.num_perm
    ngram: int = Deduper.ngram
    bands: int = Deduper.bands
    seed: int = Deduper.seed
    mode: str = "lexical"
    max_bucket: int = MAX_BUCKET
    in_memory_group: int = 10_000

    def __post_init__(self) -> None:
        if self.mode == "semantic":
            raise ValueError(
                "--engine spark runs --mode lexical only: the semantic mode's nearest-lead search "
                "is not distributed; use --engine local for --mode semantic"
            )
        if self.mode != "lexical":
            raise ValueError(f"mode must be 'lexical' or 'semantic', not {self.mode!r}")
        for name in ("threshold", "containment", "near_threshold"):
            value = getattr(self, name)
            if not 0 < value <= 1:
                raise ValueError(f"{name} must be in (0, 1], not {value}")
        if self.in_memory_group < 1:
            raise ValueError(f"in_memory_group must be at least 1, not {self.in_memory_group}")
        if self.max_bucket < 2:
            raise ValueError(f"max_bucket must be at least 2, not {self.max_bucket}")
        MinHasher(self.num_perm, self.ngram, self.seed)  # validates num_perm and ngram
        if not 1 <= self.bands <= self.num_perm:
            raise ValueError(f"bands must be in 1..num_perm, not {self.bands}")

    # -- per record
    def _sketcher(self) -> _Batches:
        hasher_args = (self.num_perm, self.ngram, self.seed)
        bands, ngram = self.bands, self.ngram

        def sketch(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
            import pandas as pd

            from newsfold.dates import parse_datetime

            hasher = MinHasher(*hasher_args)
            for batch in batches:
                texts = batch["text"].tolist()
                fields = [json.loads(f) for f in batch["fields"]]
                sig, words, exact, vocab = hasher.sketch(texts)
                dates = date_stamps(
                    [parse_datetime(f.get("published")) for f in fields], len(texts)
                )
                keys = band_keys(sig, bands).view(np.int64)
                shingled = has_shingles(sig)
                yield pd.DataFrame(
                    {
                        "key": batch["key"].to_numpy(),
                        "sig": [row.tobytes() for row in sig],
                        "vocab": [row.tobytes() for row in vocab],
                        "size": shingle_counts(words, ngram),
                        "exact": exact.view(np.int64),
                        "date": dates,
                        "ref": [
                            _ref(f, int(n)) for f, n in zip(fields, batch["line"], strict=True)
                        ],
                        "bands": [
                            list(k) if ok else [] for k, ok in zip(keys, shingled, strict=True)
                        ],
                    }
                )

        return sketch

    def sketch(self, records: DataFrame) -> DataFrame:
        """Per record (``key``, ``line``, ``text``, ``fields``): signatures and band keys."""
        return records.select("key", "line", "text", "fields").mapInPandas(
            self._sketcher(), _SKETCH_SCHEMA
        )

    # -- candidates
    def candidate_pairs(self, sketch: DataFrame) -> DataFrame:
        """Distinct pairs ``(a, b)``, ``a < b``, of records sharing an LSH bucket (big buckets:
        a star on the first member and a chain in input order; see the module docstring)."""
        from pyspark.sql import functions as F

        banded = sketch.select("key", F.posexplode("bands").alias("band", "bucket"))
        return bucket_pairs(banded, self.max_bucket)

    # -- verification
    def linked_pairs(self, sketch: DataFrame, pairs: DataFrame) -> DataFrame:
        """The candidate pairs that are copies (:func:`~newsfold.dedup.link_pairs`)."""
        from pyspark.sql import functions as F

        side = sketch.select("key", "sig", "size", "exact")
        joined = (
            pairs.join(
                side.select([F.col(c).alias(f"{c}_a") for c in side.columns]),
                F.col("a") == F.col("key_a"),
            )
            .join(
                side.select([F.col(c).alias(f"{c}_b") for c in side.columns]),
                F.col("b") == F.col("key_b"),
            )
            .select("a", "b", "sig_a", "sig_b", "size_a", "size_b", "exact_a", "exact_b")
        )
        num_perm, threshold, containment = self.num_perm, self.threshold, self.containment

        def verify(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
            for batch in batches:
                _, linked = link_pairs(
                    _rows(batch["sig_a"], num_perm),
                    _rows(batch["sig_b"], num_perm),
                    batch["size_a"].to_numpy(),
                    batch["size_b"].to_numpy(),
                    batch["exact_a"].to_numpy(),
                    batch["exact_b"].to_numpy(),
                    threshold,
                    containment,
                )
                yield batch.loc[linked, ["a", "b"]]

        return joined.mapInPandas(verify, "a long, b long")

    # -- groups, kept records, relations
    def _kept(self, assigned: DataFrame) -> DataFrame:
        """``(component, kept)`` for every group of two or more: groups of up to
        ``in_memory_group`` members by :func:`~newsfold.dedup.choose_kept` on one executor,
        bigger ones by :meth:`_kept_distributed`."""
        from pyspark.sql import functions as F

        num_perm = self.num_perm

        def choose(group: pd.DataFrame) -> pd.DataFrame:
            import pandas as pd

            group = group.sort_values("key")  # members in input order
            best = choose_kept(
                _rows(group["sig"], num_perm), group["size"].to_numpy(), group["date"].to_numpy()
            )
            return pd.DataFrame(
                {
                    "component": [int(group["component"].iloc[0])],
                    "kept": [int(group["key"].iloc[best])],
                }
            )

        multi = assigned.where("n > 1")
        small = multi.where(F.col("n") <= self.in_memory_group)
        kept_small = (
            small.select("component", "key", "sig", "size", "date")
            .groupBy("component")
            .applyInPandas(choose, "component long, kept long")
        )
        return kept_small.union(
            self._kept_distributed(multi.where(F.col("n") > self.in_memory_group))
        )

    def _kept_distributed(self, members: DataFrame) -> DataFrame:
        """The kept member of big groups without holding a group anywhere: each group's
        reference sample (every :func:`~newsfold.dedup.reference_step`-th member in input
        order, about 200 signatures) becomes one value, every member's
        :func:`~newsfold.dedup.centrality` is computed against it row by row, and the kept member
        is the smallest (date, -centrality, -size, key): :func:`~newsfold.dedup.choose_kept`'s
        order of reasons."""
        from pyspark.sql import Window
        from pyspark.sql import functions as F

        num_perm = self.num_perm
        position = F.row_number().over(Window.partitionBy("component").orderBy("key")) - 1
        ranked = members.select("component", "key", "sig", "size", "date", "n").withColumn(
            "pos", position
        )
        step = F.expr("greatest(1, n div 200)")  # reference_step, in integers
        sample = ranked.where(F.col("pos") % step == 0).select("component", "pos", "sig")

        def pack(group: pd.DataFrame) -> pd.DataFrame:
            import pandas as pd

            group = group.sort_values("pos")
            return pd.DataFrame(
                {
                    "component": [int(group["component"].iloc[0])],
                    "reference": [b"".join(group["sig"])],
                }
            )

        references = sample.groupBy("component").applyInPandas(
            pack, "component long, reference binary"
        )

        def score(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
            for batch in batches:
                central = np.empty(len(batch), dtype=np.float64)
                for _, rows in batch.groupby("component", sort=False).indices.items():
                    reference = _rows([batch["reference"].iloc[rows[0]]], num_perm)
                    central[rows] = centrality(_rows(batch["sig"].iloc[rows], num_perm), reference)
                yield batch[["component", "key", "size", "date"]].assign(central=central)

        scored = (
            ranked.select("component", "key", "sig", "size", "date")
            .join(references, "component")
            .mapInPandas(score, "component long, key long, size long, date long, central double")
        )
        order = F.struct(
            F.col("date"), (-F.col("central")).alias("c"), (-F.col("size")).alias("s"), "key"
        )
        return (
            scored.groupBy("component")
            .agg(F.min(order).alias("best"))
            .select("component", F.col("best.key").alias("kept"))
        )

    def _relations(self, joined: DataFrame) -> DataFrame:
        num_perm, near = self.num_perm, self.near_threshold

        def relate(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
            import pandas as pd

            for batch in batches:
                sig = _rows(batch["sig"], num_perm)
                kept_sig = _rows(batch["kept_sig"], num_perm)
                kept = (batch["key"] == batch["kept"]).to_numpy()
                lexical = np.where(kept, 1.0, np.mean(sig == kept_sig, axis=1))
                words = np.mean(
                    _rows(batch["vocab"], num_perm) == _rows(batch["kept_vocab"], num_perm), axis=1
                )
                relations = relations_to_kept(
                    kept,
                    (batch["n"] > 1).to_numpy(),
                    lexical,
                    words,
                    batch["size"].to_numpy(),
                    batch["kept_size"].to_numpy(),
                    batch["exact"].to_numpy(),
                    batch["kept_exact"].to_numpy(),
                    near,
                )
                yield pd.DataFrame(
                    {
                        "key": batch["key"].to_numpy(),
                        "component": batch["component"].to_numpy(),
                        "kept": kept,
                        "dup_of": [
                            None if k else r for k, r in zip(kept, batch["kept_ref"], strict=True)
                        ],
                        "relation": relations.tolist(),
                        "similarity": [
                            None if k else round(float(s), 4)
                            for k, s in zip(kept, lexical, strict=True)
                        ],
                    }
                )

        return joined.mapInPandas(
            relate,
            "key long, component long, kept boolean, dup_of string, relation string, "
            "similarity double",
        )

    def transform(self, records: DataFrame) -> DataFrame:
        """The dedup result of every record: ``key``, then :data:`DEDUP_COLUMNS` (``dup_of``
        as JSON text: the kept record's id, else its line)."""
        from pyspark import StorageLevel
        from pyspark.sql import functions as F

        from newsfold.engines.components import connected_components

        sketch = self.sketch(records).persist(StorageLevel.MEMORY_AND_DISK)
        linked = self.linked_pairs(sketch, self.candidate_pairs(sketch))
        components = connected_components(linked, "a", "b")
        assigned = sketch.join(components, sketch["key"] == components["id"], "left").select(
            "key",
            F.coalesce("component", "key").alias("component"),
            "sig",
            "vocab",
            "size",
            "exact",
            "date",
            "ref",
        )
        counts = assigned.groupBy("component").agg(F.count("*").alias("n"))
        assigned = assigned.join(counts, "component").persist(StorageLevel.MEMORY_AND_DISK)
        kept = self._kept(assigned)
        with_kept = assigned.join(kept, "component", "left").withColumn(
            "kept", F.coalesce("kept", "key")
        )
        kept_side = sketch.select(
            F.col("key").alias("kept"),
            F.col("sig").alias("kept_sig"),
            F.col("vocab").alias("kept_vocab"),
            F.col("size").alias("kept_size"),
            F.col("exact").alias("kept_exact"),
            F.col("ref").alias("kept_ref"),
        )
        related = self._relations(with_kept.join(kept_side, "kept"))
        # Groups numbered in the order of their first record (the component label).
        firsts = counts.select("component").orderBy("component")
        numbers = firsts.rdd.map(lambda r: r[0]).zipWithIndex().toDF(["component", "dup_group"])
        return related.join(numbers, "component").select("key", *DEDUP_COLUMNS)


# --------------------------------------------------------------------------- commands


@dataclass(frozen=True)
class Summary:
    """What a dataset command did, for its summary line."""

    records: int
    written: int
    rejects: int
    detail: str

    def line(self, output: str | None) -> str:
        from newsfold.engines.spark_io import rejects_path

        where = f" to {output}" if output else ""
        rejected = f"; {self.rejects} reject(s)" if self.rejects else ""
        if self.rejects and output:
            rejected += f" in {rejects_path(output)}"
        wrote = f"wrote {self.written} record(s){where}"
        return f"{self.records} record(s), {self.detail}; {wrote}{rejected}"


def _check_partitions(partitions: int) -> None:
    if partitions < 1:
        raise ValueError(f"partitions must be at least 1, not {partitions}")


def _session(
    master: str | None, partitions: int, checkpoint_dir: str | None = None
) -> SparkSession:
    """The session. Connected components checkpoint reliably into ``checkpoint_dir`` (a folder
    every executor reaches), else locally (executor storage, gone with the session: nothing
    left behind, but a lost executor means recomputing from the start)."""
    from newsfold.engines.spark_session import spark_session

    return spark_session(master, partitions=partitions, checkpoint_dir=checkpoint_dir)


def dedup_spark(
    inputs: Sequence[str],
    output: str | None,
    deduper: SparkDeduper,
    *,
    options: ReadOptions | None = None,
    drop: bool = False,
    spark: SparkSession | None = None,
    master: str | None = None,
    partitions: int = 8,
) -> Summary:
    """``newsfold dedup --engine spark``: read ``inputs``, dedup, write ``output`` and rejects."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    from newsfold.engines.spark_io import read_inputs, write_results

    _check_partitions(partitions)
    spark = spark or _session(master, partitions)
    read = read_inputs(spark, inputs, options)
    rows = read.rows.repartition(partitions, "key").persist(StorageLevel.MEMORY_AND_DISK)
    read.rows = rows
    records = read.records()
    results = deduper.transform(records).persist(StorageLevel.MEMORY_AND_DISK)
    joined = records.select("key", "file", "line", "record").join(results, "key")
    shown = joined.where("kept") if drop else joined
    stats = results.agg(
        F.count("*").alias("n"),
        F.countDistinct("dup_group").alias("groups"),
        F.sum(F.when(F.col("kept"), 0).otherwise(1)).alias("dups"),
    ).first()
    written, rejected = write_results(
        shown, read.rejects(), output, DEDUP_COLUMNS, json_columns=("dup_of",)
    )
    n, groups, dups = (int(stats["n"]), int(stats["groups"]), int(stats["dups"] or 0))
    results.unpersist()
    rows.unpersist()
    return Summary(
        n,
        written,
        rejected,
        f"{groups} group(s), {dups} duplicate(s) {'dropped' if drop else 'marked'}",
    )


def _encoder_batches(encoder: Encoder | None) -> _Batches:
    def encode(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        import pandas as pd

        from newsfold.dates import parse_datetime
        from newsfold.embed import default_encoders
        from newsfold.stories import StoryRecord

        model = encoder if encoder is not None else default_encoders().lead
        for batch in batches:
            fields = [json.loads(f) for f in batch["fields"]]
            leads = []
            for text, f in zip(batch["text"], fields, strict=True):
                title = f.get("title")
                record = StoryRecord(
                    text,
                    title if isinstance(title, str) and title.strip() else None,
                    parse_datetime(f.get("published")),
                )
                leads.append(record.lead)
            vectors = np.asarray(model.encode(leads), dtype=np.float32)
            yield pd.DataFrame(
                {"key": batch["key"].to_numpy(), "vector": [v.tobytes() for v in vectors]}
            )

    return encode


def cluster_spark(
    inputs: Sequence[str],
    output: str | None,
    threshold: float = 0.5,
    *,
    encoder: Encoder | None = None,
    options: ReadOptions | None = None,
    spark: SparkSession | None = None,
    master: str | None = None,
    partitions: int = 8,
) -> Summary:
    """``newsfold cluster --engine spark``: leads encoded on the executors, stories placed on the
    driver in input order (see the module docstring), results written like dedup's."""
    from pyspark import StorageLevel

    from newsfold.dates import parse_datetime
    from newsfold.engines.spark_io import read_inputs, write_results
    from newsfold.stories import StoryClusterer, StoryRecord

    clusterer = StoryClusterer(threshold=threshold, encoder=encoder)  # validates below
    if not 0 < threshold < 1:
        raise ValueError(f"threshold must be in (0, 1), not {threshold}")
    _check_partitions(partitions)
    spark = spark or _session(master, partitions)
    read = read_inputs(spark, inputs, options)
    rows = read.rows.repartition(partitions, "key").persist(StorageLevel.MEMORY_AND_DISK)
    read.rows = rows
    records = read.records()
    vectors = records.select("key", "text", "fields").mapInPandas(
        _encoder_batches(encoder), "key long, vector binary"
    )
    stream = records.select("key", "text", "fields").join(vectors, "key").orderBy("key")
    keys: list[int] = []
    batch: list[StoryRecord] = []
    batch_vectors: list[np.ndarray] = []

    def flush() -> None:
        if batch:
            clusterer.partial_fit(batch, vectors=np.stack(batch_vectors))
            batch.clear()
            batch_vectors.clear()

    for row in stream.toLocalIterator():
        f = json.loads(row["fields"])
        title = f.get("title")
        keys.append(int(row["key"]))
        batch.append(
            StoryRecord(
                row["text"],
                title if isinstance(title, str) and title.strip() else None,
                parse_datetime(f.get("published")),
            )
        )
        batch_vectors.append(np.frombuffer(row["vector"], dtype=np.float32))
        if len(batch) >= 256:
            flush()
    flush()
    placed = spark.createDataFrame(
        [
            (k, int(s), round(float(p), 4))
            for k, s, p in zip(keys, clusterer.labels_, clusterer.probability_, strict=True)
        ],
        "key long, story long, story_probability double",
    )
    joined = records.select("key", "file", "line", "record").join(placed, "key")
    written, rejected = write_results(joined, read.rejects(), output, STORY_COLUMNS)
    rows.unpersist()
    return Summary(len(keys), written, rejected, f"{clusterer.n_stories_} story(ies)")


# --------------------------------------------------------------------------- spark-submit


def main(argv: Sequence[str] | None = None) -> int:
    """``spark-submit …/spark_dataset.py dedup|cluster IN... --out OUT``: see the docstring."""
    parser = argparse.ArgumentParser(
        prog="newsfold.engines.spark_dataset",
        description="newsfold dataset mode on Spark (exit code 0 when the job ran, even with "
        "rejects: they are counted and written beside the output).",
    )
    parser.add_argument("command", choices=("dedup", "cluster"))
    parser.add_argument("inputs", nargs="+", help="JSON Lines (plain or gzip) or Parquet inputs")
    parser.add_argument("--out", "-o", help="OUT.jsonl, or OUT.parquet / a folder for Parquet")
    parser.add_argument("--master", help="Spark master URL (default: the submitted one)")
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument(
        "--checkpoint-dir", help="a folder all executors reach (HDFS, S3...) for checkpoints"
    )
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--drop", action="store_true", help="dedup: write only kept records")
    parser.add_argument("--field", "-f", action="append", default=[], help="text=body")
    args = parser.parse_args(argv)
    field_map = dict(item.split("=", 1) for item in args.field if "=" in item)
    options = ReadOptions(field_map=field_map)
    try:
        _check_partitions(args.partitions)
        spark = _session(args.master, args.partitions, args.checkpoint_dir)
        if args.command == "dedup":
            deduper = SparkDeduper(threshold=0.5 if args.threshold is None else args.threshold)
            summary = dedup_spark(
                args.inputs,
                args.out,
                deduper,
                options=options,
                drop=args.drop,
                spark=spark,
                partitions=args.partitions,
            )
        else:
            summary = cluster_spark(
                args.inputs,
                args.out,
                0.5 if args.threshold is None else args.threshold,
                options=options,
                spark=spark,
                partitions=args.partitions,
            )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(summary.line(args.out), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
