"""Connected components on Spark DataFrames against a plain union-find."""

from __future__ import annotations

import random
from typing import Any

import pytest

from newsfold.engines.components import connected_components

PARTITIONS = (1, 2, 7)


def union_find(edges: list[tuple[str, str]]) -> dict[str, str]:
    """The smallest vertex of each vertex's component, by a textbook union-find."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            lo, hi = min(ra, rb), max(ra, rb)
            parent[hi] = lo
    return {x: find(x) for x in list(parent)}


def spark_components(spark: Any, edges: list[tuple[str, str]], partitions: int) -> dict[str, str]:
    frame = spark.createDataFrame(edges, "src string, dst string").repartition(partitions)
    rows = connected_components(frame).collect()
    found = {r["id"]: r["component"] for r in rows}
    assert len(found) == len(rows), "one row per vertex"
    return found


def random_graph(seed: int, vertices: int, edges: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    names = [f"v{rng.randrange(10**6):06d}" for _ in range(vertices)]
    out = [(rng.choice(names), rng.choice(names)) for _ in range(edges)]
    out += [(n, n) for n in names]  # every vertex present, some isolated
    return out


@pytest.mark.parametrize("partitions", PARTITIONS)
def test_random_graphs_match_union_find(spark: Any, partitions: int) -> None:
    edges = random_graph(partitions, 200, 150)
    expected = union_find(edges)
    assert spark_components(spark, edges, partitions) == expected
    sizes = sorted(list(expected.values()).count(c) for c in set(expected.values()))
    assert len(sizes) > 20 and sizes[-1] > 10  # many components, some large


@pytest.mark.parametrize("partitions", PARTITIONS)
def test_long_chain_in_shuffled_order(spark: Any, partitions: int) -> None:
    # A path whose ids are not in path order: the slow case for star contraction.
    rng = random.Random(partitions)
    names = [f"n{i:04d}" for i in range(200)]
    rng.shuffle(names)
    edges = [(names[i], names[i + 1]) for i in range(len(names) - 1)]
    found = spark_components(spark, edges, partitions)
    assert set(found.values()) == {"n0000"}
    assert len(found) == 200


def test_stars_self_loops_duplicates_and_integers(spark: Any) -> None:
    edges = [("m", f"leaf{i:02d}") for i in range(30)]  # a star centred on a large id
    edges += [("leaf05", "m")] * 3 + [("z", "z"), ("y", "x"), ("x", "y"), ("x", "x")]
    expected = union_find(edges)
    assert spark_components(spark, edges, 2) == expected
    assert expected["m"] == "leaf00" and expected["z"] == "z" and expected["y"] == "x"
    numbers = spark.createDataFrame([(5, 9), (9, 2), (7, 7), (11, 5)], "a long, b long")
    rows = connected_components(numbers, "a", "b").collect()
    assert {r["id"]: r["component"] for r in rows} == {5: 2, 9: 2, 2: 2, 11: 2, 7: 7}


def test_empty_graph_and_null_ids(spark: Any) -> None:
    empty = spark.createDataFrame([], "src string, dst string")
    assert connected_components(empty).count() == 0
    nulls = spark.createDataFrame([("a", None)], "src string, dst string")
    with pytest.raises(ValueError, match="null ids"):
        connected_components(nulls)


def test_same_result_with_adaptive_execution_off(spark: Any) -> None:
    edges = random_graph(99, 100, 70)
    spark.conf.set("spark.sql.adaptive.enabled", "false")
    try:
        off = spark_components(spark, edges, 7)
    finally:
        spark.conf.set("spark.sql.adaptive.enabled", "true")
    assert off == union_find(edges)
