"""The whole job as the store grows: newsfold run on 1,000, 10,000 and 100,000 generated articles.

Corpus: the planted-copy corpus (:mod:`bench.planted`: originals, their copies, unrelated
articles written from one template per topic); a planted original and its copies are one true
story, each unrelated article a story of its own. Each size runs as a new process on a new store
under ``/usr/bin/time -v`` (wall clock, peak RSS), stage seconds from the command's own report.
Measured: time per article overall and per stage (flat cost: from 1k to 100k per-article time
grows at most 1.5×, peak RSS at 100k ≤ 2 GB), and the fold's quality against the planted events
(ARI ≥ 0.95, no story more than twice its planted size), with the stories' sizes.

Command line: ``python -m bench run_scale`` (``--quick``: 1,000 and 3,000 only); ``python -m
bench.run_scale N ...`` runs the sizes given and prints the section.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench import planted, report

SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 3_000)
ROOT = Path(__file__).resolve().parents[1]
NEWSFOLD = Path(sys.executable).with_name("newsfold")
_STAGE = re.compile(r"(\w+) ([\d.]+) s")


def _truth(corpus: Path) -> dict[str, str]:
    """The planted story of each record: an original and its copies share one."""
    out = {}
    with corpus.open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            of = r["planted"]["of"]
            out[r["id"]] = of if of else r["id"]
    return out


def one(n: int, work: Path) -> dict[str, Any]:
    """Generate ``n`` records, run the whole job on them, score the stories."""
    corpus = work / f"planted-{n}.jsonl"
    planted.write(n, corpus)
    db, out = work / f"run-{n}.db", work / f"report-{n}"
    env = {**os.environ, "COLUMNS": "1000"}
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-v", str(NEWSFOLD), "run", str(corpus), "--db", str(db),
         "--out", str(out), "--format", "json"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"newsfold run on {n:,} articles failed: {done.stderr[-2000:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1))  # type: ignore[union-attr]
    line = next(x for x in done.stderr.splitlines() if "new article(s)" in x)
    stages = {name: float(s) for name, s in _STAGE.findall(line.split(";", 2)[-1])}
    from newsfold.store import Store

    with Store(db) as store:
        pred = {a: s for a, s, _ in store.story_members()}
    truth = _truth(corpus)
    ids = sorted(truth)
    from sklearn.metrics import adjusted_rand_score

    ari = adjusted_rand_score([truth[i] for i in ids], [pred[i] for i in ids])
    true_size = Counter(truth.values())
    found = Counter(pred.values())
    worst = 0.0
    for story, size in found.items():
        members = [i for i in ids if pred[i] == story]
        main = Counter(truth[i] for i in members).most_common(1)[0][0]
        worst = max(worst, size / true_size[main])
    return {
        "n": n,
        "wall": wall,
        "rss_mb": rss / 1024,
        "stages": stages,
        "ari": ari,
        "stories": len(found),
        "true_stories": len(true_size),
        "largest": max(found.values()),
        "worst_ratio": worst,
    }


def index_rows(sizes: tuple[int, ...] = (20_000, 100_000), queries: int = 2_000) -> list[list[str]]:
    """Nearest leads for new articles: the exact blocked product against the IVF index
    (``newsfold.stages.ann.LeadIndex``), on seeded clustered unit vectors of the lead encoder's
    width (512), ``queries`` new rows against all; recall = the exact pairs the index finds."""
    import numpy as np

    from newsfold.stages.ann import LeadIndex
    from newsfold.stages.candidates import nearest_pairs

    rows = []
    for n in sizes:
        rng = np.random.default_rng(0)
        centres = rng.standard_normal((n // 5, 512)).astype(np.float32)
        vectors = centres[rng.integers(0, len(centres), n)]
        vectors += 0.6 * rng.standard_normal((n, 512)).astype(np.float32) / np.sqrt(512) * 8
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        new = np.sort(rng.choice(n, size=queries, replace=False))
        started = time.perf_counter()
        exact = nearest_pairs(vectors, new, 20, 0.5)
        exact_s = time.perf_counter() - started
        started = time.perf_counter()
        index = LeadIndex().fit(vectors)
        fit_s = time.perf_counter() - started
        started = time.perf_counter()
        found = index.pairs(new, 20, 0.5)
        query_s = time.perf_counter() - started
        recall = len(exact & found) / max(1, len(exact))
        per_exact, per_index = exact_s / queries, query_s / queries
        rows.append(
            [f"{n:,}", f"{1e3 * per_exact:.2f}", f"{1e3 * per_index:.2f}", f"{fit_s:.1f}",
             f"{recall:.3f}", f"{n * per_exact:.0f} s vs {fit_s + n * per_index:.0f} s"]
        )  # fmt: skip
    return rows


def section(results: list[dict[str, Any]], quick: bool) -> str:
    stages = list(results[0]["stages"])
    rows = []
    for r in results:
        per = 1e3 * r["wall"] / r["n"]
        rows.append(
            [f"{r['n']:,}", f"{r['wall']:.1f}", f"{r['n'] / r['wall']:.1f}", f"{per:.1f}",
             *(f"{1e3 * r['stages'].get(s, 0.0) / r['n']:.2f}" for s in stages),
             f"{r['rss_mb']:,.0f}"]
        )  # fmt: skip
    table = report.table(
        ["articles", "seconds", "articles/s", "ms/article", *(f"{s} ms/art." for s in stages),
         "peak RSS MB"],
        rows,
    )  # fmt: skip
    quality = report.table(
        ["articles", "stories found / planted", "ARI", "largest story", "worst story / planted"],
        [
            [f"{r['n']:,}", f"{r['stories']:,} / {r['true_stories']:,}", f"{r['ari']:.3f}",
             str(r["largest"]), f"{r['worst_ratio']:.1f}×"]
            for r in results
        ],
    )  # fmt: skip
    first, last = results[0], results[-1]
    growth = (last["wall"] / last["n"]) / (first["wall"] / first["n"])
    verdicts = [
        f"- Time per article from {first['n']:,} to {last['n']:,} articles: "
        f"{1e3 * first['wall'] / first['n']:.1f} → {1e3 * last['wall'] / last['n']:.1f} ms "
        f"({growth:.2f}×; target ≤ 1.5×: **{'met' if growth <= 1.5 else 'not met'}**).",
        f"- Peak RSS at {last['n']:,} articles: {last['rss_mb']:,.0f} MB (target ≤ 2,048 MB at "
        f"100,000: **{'met' if last['rss_mb'] <= 2048 else 'not met'}**"
        + ("" if last["n"] >= 100_000 else "; 100,000 not run in this mode")
        + ").",
        f"- Fold on {first['n']:,} planted articles: ARI {first['ari']:.3f} (target ≥ 0.95: "
        f"**{'met' if first['ari'] >= 0.95 else 'not met'}**), worst story "
        f"{first['worst_ratio']:.1f}× its planted size (target ≤ 2×: "
        f"**{'met' if first['worst_ratio'] <= 2 else 'not met'}**).",
    ]
    return "\n".join(
        [
            "## The whole job as the store grows\n",
            report.facts(quick=quick),
            "",
            "`newsfold run CORPUS --db DB --out DIR --format json` on the planted-copy corpus "
            "(`bench.planted`; originals, copies and unrelated articles written from one template "
            "per topic) of each size, a new process and store each, under `/usr/bin/time -v`. "
            "Stage milliseconds per article from the command's own report; the whole process "
            "counts start-up and model loading too.\n",
            table,
            "",
            "Stories against the planted events (an original and its copies are one event, every "
            "unrelated article its own):\n",
            quality,
            "",
            *verdicts,
            "",
            "Where the lead index pays: nearest leads of new articles by the exact blocked "
            "product (below 20,000 articles) and by the IVF index over k-means cells (above), "
            "on seeded clustered 512-d unit vectors, 2,000 new rows against all (top 20, cosine "
            "≥ 0.5):\n",
            report.table(
                [
                    "articles",
                    "exact ms/new article",
                    "index ms/new article",
                    "index build s",
                    "recall of exact pairs",
                    "all articles new: exact vs index",
                ],
                index_rows((3_000, 20_000) if quick else (20_000, 100_000)),
            ),
            "",
        ]
    )


def run(quick: bool) -> str:
    sizes = QUICK_SIZES if quick else SIZES
    with tempfile.TemporaryDirectory(dir=ROOT / "bench") as tmp:
        results = []
        for n in sizes:
            print(f"bench: run_scale {n:,} …", file=sys.stderr)
            results.append(one(n, Path(tmp)))
    return section(results, quick)


if __name__ == "__main__":
    sizes = [int(x) for x in sys.argv[1:]] or list(QUICK_SIZES)
    with tempfile.TemporaryDirectory() as tmp:
        print(section([one(n, Path(tmp)) for n in sizes], quick=False))
