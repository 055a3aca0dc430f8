"""Reuse trees: who copies whom, as trees grown from the derived relations of a group.

:func:`reuse_trees` turns derived relations (``newsfold.relations``: copies, rewrites,
translations) into trees, one per group of articles they join. An edge whose relation has a
direction points from the source to the copy; an edge whose relation has none is undirected
(``"direction": "unknown"``): it only says the two articles share text, and its ``source`` and
``copy`` are None, so no view, note or count can take either side for the original. The tree's
``original`` is its root only when evidence names the root a source and nothing names it a
copy; otherwise None (the root is then only where the drawing starts).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsfold.relations import DERIVED

__all__ = ["reuse_trees"]


def reuse_trees(relations: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reuse trees from derived relations: one tree per group of articles joined by them.

    The root: of the members that no directed relation names a copy, the one most similar to
    the rest in its own language (copies are edited from their source, so it sits at their
    centre). Each other member hangs from its source where a directed relation names one
    (highest confidence), else from its closest neighbour already in the tree (a maximum
    spanning tree grown from the root). Each edge has ``parent`` and ``child`` (the drawing),
    ``source`` and ``copy`` (the relation's direction, both None when it has none),
    ``direction`` (``"evidence"`` or ``"unknown"``), ``confidence``, ``relation`` and
    ``similarity``. Each tree has ``root``, ``original`` (see the module docstring),
    ``members`` and ``edges``.
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
        _, parent, child, rel = best
        placed.add(child)
        edges.append(_edge(parent, child, rel))
    sources = {e["source"] for e in edges if e["source"] is not None}
    copies = {e["copy"] for e in edges if e["copy"] is not None}
    original = root if root in sources and root not in copies else None
    return {"root": root, "original": original, "members": sorted(group), "edges": edges}


def _edge(parent: str, child: str, rel: dict[str, Any]) -> dict[str, Any]:
    """A drawn edge; its direction is the relation's, whichever way the drawing hangs it."""
    source = rel["source"]
    known = source is not None and source in (parent, child)
    return {
        "parent": parent,
        "child": child,
        "source": source if known else None,
        "copy": (child if source == parent else parent) if known else None,
        "relation": rel["relation"],
        "similarity": rel["similarity"],
        "confidence": rel["direction"]["confidence"] if known else 0.0,
        "direction": "evidence" if known else "unknown",
    }
