"""Reuse trees: who copies whom, as trees grown from the derived relations of a group.

:func:`reuse_trees` turns derived relations (``newsfold.relations``: copies, rewrites,
translations) into trees, one per group of articles they join: each derived article points to
its most likely source, the root being the likely original.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsfold.relations import DERIVED

__all__ = ["reuse_trees"]


def reuse_trees(relations: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reuse trees from derived relations: one tree per group of articles joined by them.

    The root is the likely original: of the members that no directed relation names a copy, the
    one most similar to the rest in its own language (copies are edited from their source, so it
    sits at their centre). Each other member points to its source: the one a directed relation
    names (highest confidence), else its closest neighbour already in the tree (a maximum
    spanning tree grown from the root), marked ``assumed``.
    """
    derived = [r for r in relations if r["relation"] in DERIVED]
    weight: dict[str, dict[str, dict[str, Any]]] = {}
    directed: dict[str, dict[str, Any]] = {}
    for r in derived:
        weight.setdefault(r["a"], {})[r["b"]] = r
        weight.setdefault(r["b"], {})[r["a"]] = r
        if r["source"] is not None:
            copy = r["b"] if r["source"] == r["a"] else r["a"]
            best = directed.get(copy)
            rank = (r["direction"]["confidence"], r["similarity"])
            if best is None or rank > (best["direction"]["confidence"], best["similarity"]):
                directed[copy] = r
    trees: list[dict[str, Any]] = []
    seen: set[str] = set()
    for start in sorted(weight):
        if start in seen:
            continue
        group: set[str] = set()
        stack = [start]
        while stack:
            node = stack.pop()
            if node not in group:
                group.add(node)
                stack.extend(set(weight[node]) - group)
        seen |= group
        trees.append(_tree(group, weight, directed))
    trees.sort(key=lambda t: (-len(t["members"]), t["root"]))
    return trees


def _tree_weight(relation: dict[str, Any]) -> float:
    """Similarity, with translations ranked just below same-language reuse of equal strength."""
    return float(relation["similarity"]) * (0.9 if relation["relation"] == "translation" else 1.0)


def _tree(
    group: set[str],
    weight: dict[str, dict[str, dict[str, Any]]],
    directed: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    free = [m for m in group if m not in directed or directed[m]["source"] not in group]
    candidates = free or sorted(group)
    # Same-language reuse names the original; translations (scored from order and length
    # alone when no sentence vectors cross languages) only break ties.
    root = max(
        sorted(candidates),
        key=lambda m: (
            sum(r["similarity"] for r in weight[m].values() if r["relation"] != "translation"),
            sum(r["similarity"] for r in weight[m].values()),
        ),
    )
    placed = {root}
    edges: list[dict[str, Any]] = []
    while len(placed) < len(group):
        best: tuple[float, str, str, dict[str, Any]] | None = None
        for member in sorted(group - placed):
            rel = directed.get(member)
            if rel is not None and rel["source"] in placed:
                option = (2.0 + rel["similarity"], rel["source"], member, rel)
            else:
                links = [
                    (_tree_weight(r), other, r)
                    for other, r in weight[member].items()
                    if other in placed
                ]
                if not links:
                    continue
                sim, other, r = max(links, key=lambda x: (x[0], x[1]))
                option = (sim, other, member, r)
            if best is None or option[0] > best[0]:
                best = option
        if best is None:  # unreachable in a connected group; guards against bad input
            break
        _, source, copy, rel = best
        placed.add(copy)
        edges.append(
            {
                "source": source,
                "copy": copy,
                "relation": rel["relation"],
                "similarity": rel["similarity"],
                "confidence": rel["direction"]["confidence"] if rel["source"] == source else 0.0,
                "direction": "evidence" if rel["source"] == source else "assumed",
            }
        )
    return {"root": root, "members": sorted(group), "edges": edges}
