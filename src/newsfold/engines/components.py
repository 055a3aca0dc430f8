"""Connected components of a graph held as a Spark DataFrame of edges, never collected.

:func:`connected_components` labels every vertex with the smallest vertex id of its component by
the alternating large-star / small-star rounds of Kiveris et al. (2014, "Connected Components in
MapReduce and Beyond"), on DataFrames:

- **large-star**: every vertex ``u`` finds ``m``, the smallest of itself and its neighbours, and
  each neighbour ``v > u`` is re-attached to ``m``;
- **small-star**: every vertex ``u`` finds ``m``, the smallest of itself and its neighbours below
  it, and those neighbours and ``u`` itself are attached to ``m``.

Both keep connectivity, and their fixed point is a set of stars, each centred on its component's
smallest vertex; a round is repeated until it changes no edge (O(log² n) rounds in the worst case,
about log n in practice; a long chain is the slow case). The driver only receives counts.

Each round's edges are cached and counted (that count is the convergence test) and every
``checkpoint_every`` rounds checkpointed: a reliable checkpoint when the Spark context has a
checkpoint directory, else a local one, so the lineage (and the query plan) stays short. The
result is a set computed by keyed joins and aggregations only: it does not depend on the number
of partitions, the order of rows, adaptive query execution or which executor ran what.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["ComponentsDidNotConverge", "connected_components"]


class ComponentsDidNotConverge(RuntimeError):
    """The rounds did not reach stars within the allowed number of rounds."""


def _cut(frame: DataFrame, reliable: bool) -> DataFrame:
    """``frame`` materialised with its lineage cut."""
    return frame.checkpoint(eager=True) if reliable else frame.localCheckpoint(eager=True)


def _large_star(edges: DataFrame) -> DataFrame:
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    both = edges.select("u", "v").union(edges.select(F.col("v").alias("u"), F.col("u").alias("v")))
    # The smallest of u and its neighbours, by a window over u: one shuffle, no join.
    smallest = F.least(F.col("u"), F.min("v").over(Window.partitionBy("u")))
    return (
        both.select("u", "v", smallest.alias("m"))
        .where(F.col("v") > F.col("u"))
        .select(F.col("v").alias("u"), F.col("m").alias("v"))
    )


def _small_star(edges: DataFrame) -> DataFrame:
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    # Each edge oriented from its larger end ``u`` down to its smaller end ``v``; ``m`` is the
    # smallest neighbour of ``u`` below it.
    down = edges.select(F.greatest("u", "v").alias("u"), F.least("u", "v").alias("v"))
    down = down.select("u", "v", F.min("v").over(Window.partitionBy("u")).alias("m"))
    to_min = down.where(F.col("v") != F.col("m")).select(
        F.col("v").alias("u"), F.col("m").alias("v")
    )
    return to_min.union(down.select("u", F.col("m").alias("v"))).distinct()


def connected_components(
    edges: DataFrame,
    src: str = "src",
    dst: str = "dst",
    *,
    checkpoint_every: int = 3,
    max_rounds: int = 200,
) -> DataFrame:
    """The connected components of the undirected graph of ``edges``: a DataFrame
    ``(id, component)`` with one row per vertex named in ``src`` or ``dst`` (a self loop
    ``(a, a)`` names an isolated vertex) and ``component`` the smallest id of its component.

    Ids may be strings or integers (both columns of one type; nulls are not allowed). Duplicate
    and reversed edges are harmless. Raises :class:`ComponentsDidNotConverge` after
    ``max_rounds`` rounds without reaching stars, which the algorithm's O(log² n) bound makes
    unreachable for any graph that fits a cluster.
    """
    from pyspark.sql import functions as F

    if checkpoint_every < 1:
        raise ValueError(f"checkpoint_every must be at least 1, not {checkpoint_every}")
    spark = edges.sparkSession
    reliable = spark.sparkContext.getCheckpointDir() is not None
    named = edges.select(F.col(src).alias("u"), F.col(dst).alias("v"))
    nulls = named.where(F.col("u").isNull() | F.col("v").isNull()).limit(1).count()
    if nulls:
        raise ValueError(f"connected_components: null ids in columns {src!r} or {dst!r}")
    vertices = _cut(
        named.select(F.col("u").alias("id")).union(named.select(F.col("v").alias("id"))).distinct(),
        reliable,
    )
    current = _cut(
        named.where(F.col("u") != F.col("v"))
        .select(F.least("u", "v").alias("u"), F.greatest("u", "v").alias("v"))
        .distinct(),
        reliable,
    )
    for done in range(1, max_rounds + 1):
        following = _small_star(_large_star(current)).persist()
        # One job per round: it materialises the new edges and counts those that differ from the
        # round's input (both are sets): none differ at the fixed point.
        changed = (
            following.withColumn("new", F.lit(True))
            .join(current.withColumn("old", F.lit(True)), ["u", "v"], "full_outer")
            .where(F.col("new").isNull() | F.col("old").isNull())
            .count()
        )
        if done % checkpoint_every == 0:
            cut = _cut(following, reliable)
            following.unpersist()
            following = cut
        current.unpersist()
        current = following
        if not changed:
            break
    else:
        raise ComponentsDidNotConverge(f"no fixed point after {max_rounds} rounds")
    # At the fixed point every edge joins a vertex (u) to its star's centre (v), the smallest
    # vertex of the component; centres have no edge to a smaller vertex.
    parents = current.groupBy("u").agg(F.min("v").alias("component"))
    return vertices.join(parents, vertices["id"] == parents["u"], "left").select(
        "id", F.coalesce("component", "id").alias("component")
    )
