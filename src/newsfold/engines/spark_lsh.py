"""LSH buckets on Spark: the pairs of rows that share a band key, as the local rule gives them.

:func:`bucket_pairs` reads one row per (row, band) with the band's key and returns the distinct
pairs of rows that agree on a band, by joins and a window, without collecting anything: a
bucket of up to ``max_bucket`` rows gives all its pairs; a bigger one (boilerplate shared by
thousands) gives each member paired with the bucket's first row and with the row before it, in
the rows' order (the rule of :func:`newsfold.signatures.bucket_pairs`, so that both engines
judge the same pairs). The window over a big bucket is sorted and spilled by Spark: memory
stays bounded however large the bucket. Both Spark engines use it: dataset dedup
(:mod:`newsfold.engines.spark_dataset`, rows ordered by input position) and the whole job
(:mod:`newsfold.engines.spark`, rows ordered as the local store orders articles).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["bucket_pairs"]


def bucket_pairs(banded: DataFrame, max_bucket: int) -> DataFrame:
    """Distinct pairs ``(a, b)``, ``a < b``, of ``key`` values sharing a ``(band, bucket)``
    (``banded``: columns ``key`` (long, the rows' order), ``band``, ``bucket``)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    sizes = banded.groupBy("band", "bucket").agg(
        F.count("*").alias("n"), F.min("key").alias("first")
    )
    members = banded.join(sizes.where("n > 1"), ["band", "bucket"])
    small = members.where(F.col("n") <= max_bucket).select("band", "bucket", "key")
    all_pairs = (
        small.alias("x")
        .join(small.alias("y"), ["band", "bucket"])
        .where(F.col("x.key") < F.col("y.key"))
        .select(F.col("x.key").alias("a"), F.col("y.key").alias("b"))
    )
    big = members.where(F.col("n") > max_bucket)
    star = big.where(F.col("key") != F.col("first")).select(
        F.col("first").alias("a"), F.col("key").alias("b")
    )
    previous = F.lag("key").over(Window.partitionBy("band", "bucket").orderBy("key"))
    chain = big.select(previous.alias("a"), F.col("key").alias("b")).where(F.col("a").isNotNull())
    return all_pairs.union(star).union(chain).distinct()
