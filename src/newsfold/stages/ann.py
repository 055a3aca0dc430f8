"""An inverted-file index over unit vectors: nearest leads without an all-by-all product.

:class:`LeadIndex` splits the vectors into ``cells`` by a few rounds of spherical k-means
(seeded: the same vectors give the same cells) and answers a query from the ``probe`` cells whose
centres are nearest to it, as IVF indexes do (faiss's ``IndexIVFFlat``). Searching ``n`` queries
costs about ``n · (cells + probe · n / cells)`` dot products instead of ``n²``: at 100,000 leads
and 316 cells, a few hundred times fewer. Exact products stay cheaper below some 20,000 vectors
(:class:`newsfold.stages.candidates.Candidates` switches at ``exact_below``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["LeadIndex"]


class LeadIndex:
    """IVF index of unit vectors (see the module docstring). ``cells``: None for ``√n``;
    ``probe``: cells searched per query; ``rounds``: k-means iterations; ``seed``: the
    initial centres' draw. Learned: ``centres_``, ``cell_`` (each vector's cell)."""

    def __init__(
        self, cells: int | None = None, probe: int = 8, rounds: int = 6, seed: int = 0
    ) -> None:
        self.cells = cells
        self.probe = probe
        self.rounds = rounds
        self.seed = seed

    def fit(self, vectors: NDArray[np.float32]) -> LeadIndex:
        n = vectors.shape[0]
        cells = max(1, min(n, self.cells or int(np.sqrt(n))))
        rng = np.random.default_rng(self.seed)
        centres = vectors[np.sort(rng.choice(n, size=cells, replace=False))].copy()
        for _ in range(self.rounds):
            cell = self._assign(vectors, centres)
            sums = np.zeros_like(centres)
            np.add.at(sums, cell, vectors)
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            filled = norms[:, 0] > 0
            centres[filled] = sums[filled] / norms[filled]
        self.vectors_ = vectors
        self.centres_ = centres
        self.cell_ = self._assign(vectors, centres)
        order = np.argsort(self.cell_, kind="stable")
        self.members_ = np.split(order, np.cumsum(np.bincount(self.cell_, minlength=cells))[:-1])
        return self

    @staticmethod
    def _assign(vectors: NDArray[np.float32], centres: NDArray[np.float32]) -> NDArray[np.int64]:
        out = np.empty(vectors.shape[0], dtype=np.int64)
        for start in range(0, vectors.shape[0], 4096):
            out[start : start + 4096] = np.argmax(vectors[start : start + 4096] @ centres.T, axis=1)
        return out

    def pairs(self, rows: NDArray[np.int64], top_k: int, floor: float) -> set[tuple[int, int]]:
        """Pairs ``(i, j)``, ``i < j``, where ``j`` is among the ``top_k`` indexed vectors
        nearest to the indexed vector ``i`` (for ``i`` in ``rows``) with cosine ≥ ``floor``."""
        found: set[tuple[int, int]] = set()
        probe = min(self.probe, self.centres_.shape[0])
        for start in range(0, rows.size, 1024):
            block = rows[start : start + 1024]
            near = np.argpartition(-(self.vectors_[block] @ self.centres_.T), probe - 1, axis=1)
            for row, cells in zip(block.tolist(), near[:, :probe], strict=True):
                pool = np.concatenate([self.members_[c] for c in cells])
                pool = pool[pool != row]
                if pool.size == 0:
                    continue
                sims = self.vectors_[pool] @ self.vectors_[row]
                k = min(top_k, pool.size)
                top = np.argpartition(-sims, k - 1)[:k]
                for j in pool[top[sims[top] >= floor]].tolist():
                    found.add((min(row, j), max(row, j)))
        return found
