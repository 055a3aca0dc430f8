"""Story folding speed: the cost of placing one article as the stories grow, beside peers.

Corpus: the planted-copy corpus (:mod:`bench.planted`: originals, their copies, unrelated
articles) of 1,000, 10,000 and 100,000 records, in time order (undated records last); a planted
original and its copies are one true story. The measure is placement "once embeddings exist",
so the lead vectors are **synthetic**: each true story gets a seeded random direction and each
member that direction plus noise (cosine about 0.9 within a story, about 0 across), which costs
nothing to make at 100,000 records. Quality on real embeddings is in the story_quality section;
the B-cubed F1 here only checks the run did what it should.

newsfold: ``StoryClusterer().fit(records, vectors=...)`` (defaults: a 30-day window blocks the
stories far in time). Peers on the same vectors: scikit-learn ``MiniBatchKMeans`` with k = the
true number of stories (given the answer), and SciPy average-linkage agglomerative clustering,
which needs all pairwise distances. Memory: ``tracemalloc`` peak during the fit (Python and
numpy allocations), in a second run up to 10,000 records (tracemalloc slows Python code: the
timed run is separate).
"""

from __future__ import annotations

import time
import tracemalloc
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bench import planted, report
from bench.story_quality import score
from newsfold.dates import parse_datetime
from newsfold.stories import StoryClusterer, StoryRecord

SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (500, 2_000)
DIM = 384
#: Largest size the peers are run at: MiniBatchKMeans with k near n costs O(n·k) per pass, and
#: agglomerative clustering holds n²/2 distances.
PEER_LIMIT = 10_000


@dataclass(slots=True)
class Row:
    system: str
    records: int
    seconds: float
    peak_mb: float
    f1: float
    clusters: int
    note: str = ""


def corpus(n: int) -> tuple[list[StoryRecord], list[str], NDArray[np.float32]]:
    rows: list[dict[str, Any]] = list(planted.records(n))
    far = datetime.max.replace(tzinfo=UTC)
    dated = [(parse_datetime(r.get("published")), k) for k, r in enumerate(rows)]
    order = [k for _, k in sorted(dated, key=lambda x: (x[0] or far, x[1]))]
    records = [StoryRecord(rows[k]["text"], None, dated[k][0]) for k in order]
    gold = [str(rows[k]["planted"].get("of") or rows[k]["id"]) for k in order]
    rng = np.random.default_rng(7)
    names = sorted(set(gold))
    base = {g: rng.standard_normal(DIM) for g in names}
    vec = np.stack([base[g] + 0.35 * rng.standard_normal(DIM) for g in gold])
    vec /= np.linalg.norm(vec, axis=1, keepdims=True)
    return records, gold, vec.astype(np.float32)


def timed(fn: Any, memory: bool) -> tuple[Any, float, float]:
    """Result and seconds of ``fn()``; with ``memory``, a second run under ``tracemalloc`` (it
    slows Python code, so it never times) gives the peak MB."""
    started = time.perf_counter()
    out = fn()
    seconds = time.perf_counter() - started
    peak = float("nan")
    if memory:
        tracemalloc.start()
        fn()
        peak = tracemalloc.get_traced_memory()[1] / report.MB
        tracemalloc.stop()
    return out, seconds, peak


def run_size(n: int) -> list[Row]:
    records, gold, vec = corpus(n)
    rows = []
    c, seconds, peak = timed(lambda: StoryClusterer().fit(records, vectors=vec), n <= PEER_LIMIT)
    s = score(c.labels_, gold)
    rows.append(Row("newsfold", n, seconds, peak, s.f1, s.clusters))
    k = len(set(gold))
    if n <= PEER_LIMIT:
        from scipy.cluster.hierarchy import fcluster, linkage
        from sklearn.cluster import MiniBatchKMeans

        km, seconds, peak = timed(
            lambda: MiniBatchKMeans(n_clusters=k, n_init=1, random_state=0).fit_predict(vec), True
        )
        s = score(km.tolist(), gold)
        rows.append(Row("MiniBatchKMeans (k given)", n, seconds, peak, s.f1, s.clusters))

        def agglomerative() -> Any:
            tree = linkage(vec.astype(np.float64), method="average", metric="cosine")
            return fcluster(tree, t=0.5, criterion="distance")

        ag, seconds, peak = timed(agglomerative, True)
        s = score(ag.tolist(), gold)
        rows.append(Row("agglomerative (average)", n, seconds, peak, s.f1, s.clusters))
    else:
        need = n * (n - 1) / 2 * 8 / 2**30
        rows.append(
            Row("MiniBatchKMeans (k given)", n, float("nan"), float("nan"), float("nan"), k,
                f"not run: k = {k:,} stories, each pass costs n·k distances")
        )  # fmt: skip
        rows.append(
            Row("agglomerative (average)", n, float("nan"), float("nan"), float("nan"), 0,
                f"does not fit: its {n:,}² / 2 distances need {need:,.0f} GiB")
        )  # fmt: skip
    return rows


def _cell(x: float, fmt: str) -> str:
    return "–" if x != x else format(x, fmt)


def run(quick: bool) -> str:
    sizes = QUICK_SIZES if quick else SIZES
    rows = [row for n in sizes for row in run_size(n)]
    table = [
        [
            r.system,
            f"{r.records:,}",
            _cell(r.seconds, ".2f"),
            _cell(r.records / r.seconds if r.seconds == r.seconds else float("nan"), ",.0f"),
            _cell(r.seconds / r.records * 1e6 if r.seconds == r.seconds else float("nan"), ",.0f"),
            _cell(r.peak_mb, ",.1f"),
            _cell(r.f1, ".3f"),
            f"{r.clusters:,}" if r.clusters else "–",
            r.note,
        ]
        for r in rows
    ]
    ours = [r for r in rows if r.system == "newsfold"]
    per = [r.seconds / r.records * 1e6 for r in ours]
    growth = per[-1] / per[0]
    measured = [r for r in ours if r.peak_mb == r.peak_mb]
    bytes_per = (
        (measured[-1].peak_mb - measured[0].peak_mb)
        * report.MB
        / max(measured[-1].records - measured[0].records, 1)
    )
    rate = min(r.records / r.seconds for r in ours)
    return "\n".join(
        [
            "## Story folding speed\n",
            report.facts(quick=quick),
            " ".join(__doc__.split("\n\n", 1)[1].split()).replace(":mod:", "").replace("``", "`")
            + "\n",
            report.table(
                (
                    "system",
                    "records",
                    "seconds",
                    "records/s",
                    "µs per record",
                    "peak MB (tracemalloc)",
                    "B³ F1",
                    "clusters",
                    "note",
                ),
                table,
            ),
            f"- Placement: {rate:,.0f} records/s at its slowest (target ≥ 200 once embeddings "
            f"exist): **{'met' if rate >= 200 else 'not met'}**.\n"
            f"- Time per record from {ours[0].records:,} to {ours[-1].records:,} records: "
            f"{per[0]:,.0f} → {per[-1]:,.0f} µs ({growth:.2f}×; near flat means ≤ 2×: "
            f"**{'met' if growth <= 2 else 'not met'}**).\n"
            f"- Memory: {bytes_per:,.0f} bytes per record (growth of the fit's peak allocations "
            f"from {measured[0].records:,} to {measured[-1].records:,} records, measured by "
            "tracemalloc in a second, untimed run; the story state: centroids, name and word "
            "counts).\n",
        ]
    )
