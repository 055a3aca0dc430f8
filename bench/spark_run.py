"""The Spark engine beside the local one: throughput, memory, shuffle and parity (issue 14).

For each corpus (the demo corpus; the dev pile of real news in six languages when
``../shared/data`` is present, see :mod:`bench.dev_pile`; planted corpora of 1,000 and 10,000
generated articles, :mod:`bench.planted`), one after the other on one machine:

1. ``newsfold run CORPUS --db L.db --out L`` (the local engine), under ``/usr/bin/time -v``;
2. ``newsfold run --engine spark CORPUS --db S.db --out S`` (``local[2]``, 8 partitions), under
   ``/usr/bin/time -v``, with a ``spark-defaults.conf`` (through ``SPARK_CONF_DIR``) that turns
   Spark's event log on: shuffle bytes written, the JVM's peak heap and the Python workers' peak
   RSS are read from it;
3. **parity**: the two stores and reports compared: articles whose story differs (members and
   their placement order), relations that differ in kind or source (or exist in one only),
   stories whose report differs (facts, summary, tree: the whole JSON but its ``generated``
   time).

Also the planted 1,000 with ``local[1]`` beside ``local[2]`` (cores). Peak RSS is that of the
largest process of the run (``/usr/bin/time``: the driver's Python for the local engine, the
JVM or a Python worker for Spark).

Command line: ``python -m bench spark_run`` (``--quick``: the demo corpus only); ``python -m
bench.spark_run N ...`` runs planted sizes given.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import planted, report

ROOT = Path(__file__).resolve().parents[1]
NEWSFOLD = Path(sys.executable).with_name("newsfold")
SIZES = (1_000,)
PARTITIONS = 8


def _timed(argv: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-v", *argv], capture_output=True, text=True, env=env, check=False
    )
    wall = time.perf_counter() - started
    # The local run exits with 1 when some input was skipped (the dev pile holds one record
    # that is all boilerplate); it failed only when it wrote no report.
    if done.returncode != 0 and "report:" not in done.stdout:
        raise RuntimeError(f"{' '.join(argv[:3])} failed: {done.stderr[-3000:]}")
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    return wall, int(found.group(1)) if found else 0, done.stderr


def _events(log_dir: Path) -> dict[str, float]:
    """Shuffle bytes, peak JVM heap and peak Python worker RSS from Spark's event log."""
    shuffle = 0
    heap = python = 0
    for path in sorted(p for p in log_dir.rglob("*") if p.is_file()):
        with path.open(encoding="utf-8") as f:
            for line in f:
                event = json.loads(line)
                if event.get("Event") != "SparkListenerTaskEnd":
                    continue
                metrics = event.get("Task Metrics") or {}
                shuffle += (metrics.get("Shuffle Write Metrics") or {}).get(
                    "Shuffle Bytes Written", 0
                )
                peaks = event.get("Task Executor Metrics") or {}
                heap = max(heap, peaks.get("JVMHeapMemory", 0))
                python = max(python, peaks.get("ProcessTreePythonRSSMemory", 0))
    return {"shuffle_mb": shuffle / 1e6, "heap_mb": heap / 1e6, "python_mb": python / 1e6}


def _stored(db: Path, out: Path) -> dict[str, Any]:
    from newsfold.store import Store

    with Store(db) as store:
        members = store.story_members()
        relations = {(r["a"], r["b"]): (r["relation"], r["source"]) for r in store.relations()}
    stories = json.loads((out / "report.json").read_text(encoding="utf-8"))["stories"]
    return {
        "members": members,
        "relations": relations,
        "reports": {s["id"]: json.dumps(s, sort_keys=True) for s in stories},
    }


def compare(local: dict[str, Any], spark: dict[str, Any]) -> dict[str, int]:
    """Counts of what differs between two runs' results (all 0: identical)."""
    lm = {a: (k, s, p) for k, (a, s, p) in enumerate(local["members"])}
    sm = {a: (k, s, p) for k, (a, s, p) in enumerate(spark["members"])}
    lr, sr = local["relations"], spark["relations"]
    lp, sp = local["reports"], spark["reports"]
    return {
        "articles": len(lm),
        "members": sum(lm.get(a) != sm.get(a) for a in set(lm) | set(sm)),
        "relations": len(lr),
        "relations_differ": sum(lr.get(k) != sr.get(k) for k in set(lr) | set(sr)),
        "stories": len(lp),
        "reports_differ": sum(lp.get(k) != sp.get(k) for k in set(lp) | set(sp)),
    }


def one(label: str, corpus: Path, work: Path, *, master: str = "local[2]") -> dict[str, Any]:
    """Both engines on ``corpus``; their figures and what differs."""
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "COLUMNS": "1000"}
    local_db, local_out = work / "local.db", work / "local"
    wall_l, rss_l, _ = _timed(
        [str(NEWSFOLD), "run", str(corpus), "--db", str(local_db), "--out", str(local_out),
         "--format", "json", "--quiet"], env,
    )  # fmt: skip
    conf, logs = work / "conf", work / "events"
    conf.mkdir(exist_ok=True)
    logs.mkdir(exist_ok=True)
    (conf / "spark-defaults.conf").write_text(
        f"spark.eventLog.enabled true\nspark.eventLog.dir file://{logs}\n"
        "spark.executor.processTreeMetrics.enabled true\nspark.eventLog.compress false\n"
        "spark.eventLog.rolling.enabled false\n",
        encoding="utf-8",
    )
    spark_db, spark_out = work / "spark.db", work / "spark"
    wall_s, rss_s, stderr = _timed(
        [str(NEWSFOLD), "run", "--engine", "spark", "--master", master, "--partitions",
         str(PARTITIONS), str(corpus), "--db", str(spark_db), "--out", str(spark_out),
         "--format", "json"], {**env, "SPARK_CONF_DIR": str(conf)},
    )  # fmt: skip
    # The closing line ("... rejected (...); ingest 9.4 s, sketch ...") may wrap.
    summary = stderr[stderr.find("rejected") :].split("Command being timed")[0]
    stages = dict(re.findall(r"(\w+) ([\d.]+) s", " ".join(summary.split(";", 1)[-1].split())))
    diff = compare(_stored(local_db, local_out), _stored(spark_db, spark_out))
    return {
        "label": label,
        "master": master,
        "local_s": wall_l,
        "local_rss_mb": rss_l / 1024,
        "spark_s": wall_s,
        "spark_rss_mb": rss_s / 1024,
        "spark_stages": {k: float(v) for k, v in stages.items()},
        **_events(logs),
        **diff,
    }


def _row(r: dict[str, Any]) -> list[str]:
    n = r["articles"]
    return [
        r["label"],
        r["master"],
        f"{n:,}",
        f"{n / r['local_s']:.1f} ({r['local_s']:.0f} s)",
        f"{n / r['spark_s']:.1f} ({r['spark_s']:.0f} s)",
        f"{r['local_rss_mb']:.0f}",
        f"{r['spark_rss_mb']:.0f} / {r['heap_mb']:.0f} / {r['python_mb']:.0f}",
        f"{r['shuffle_mb']:.1f}",
        f"{r['members']} / {r['relations_differ']} of {r['relations']:,} / "
        f"{r['reports_differ']} of {r['stories']:,}",
    ]


def render(results: list[dict[str, Any]], quick: bool) -> str:
    rows = [_row(r) for r in results]
    stages = [
        [r["label"], r["master"], ", ".join(f"{k} {v:.1f} s" for k, v in r["spark_stages"].items())]
        for r in results
    ]
    return "\n\n".join(
        [
            "## Spark engine beside the local engine (`spark_run`)",
            report.facts(quick=quick),
            "Each corpus is run by `newsfold run` (local engine) and by `newsfold run --engine "
            f"spark --partitions {PARTITIONS}` on new stores, one after the other, each under "
            "`/usr/bin/time -v`; the Spark run also writes its Parquet tables and loads its "
            "results into its store (`--db`). Parity compares the two stores and reports: "
            "articles whose story or placement differs, relations whose kind or source differs "
            "(or that exist in one only), stories whose report JSON differs. All must be 0.",
            report.table(
                [
                    "corpus",
                    "master",
                    "articles",
                    "local articles/s",
                    "Spark articles/s",
                    "local peak RSS MB",
                    "Spark peak RSS MB (largest process / JVM heap / Python worker)",
                    "shuffle MB",
                    "differ: members / relations / reports",
                ],
                rows,
            ),
            "Seconds per stage of the Spark runs (from the command's own report):",
            report.table(["corpus", "master", "stages"], stages),
        ]
    )


def run(quick: bool) -> str:
    work = Path(tempfile.mkdtemp(prefix="newsfold-spark-run-"))
    results = [one("demo", ROOT / "demo" / "corpus", work / "demo")]
    if not quick:
        from bench import dev_pile

        if dev_pile.DATA.is_dir():
            pile = dev_pile.build_pile()
            results.append(one("dev pile (real, 6 languages)", pile.path, work / "pile"))
        for n in SIZES:
            corpus = work / f"planted-{n}.jsonl"
            planted.write(n, corpus)
            results.append(one(f"planted {n:,}", corpus, work / f"planted-{n}"))
            if n == SIZES[0]:
                results.append(
                    one(f"planted {n:,}", corpus, work / f"planted-{n}-1", master="local[1]")
                )
    return render(results, quick)


def main(argv: list[str]) -> int:
    work = Path(tempfile.mkdtemp(prefix="newsfold-spark-run-"))
    results = []
    for arg in argv:
        if arg == "demo":
            results.append(one("demo", ROOT / "demo" / "corpus", work / "demo"))
            continue
        n = int(arg)
        corpus = work / f"planted-{n}.jsonl"
        planted.write(n, corpus)
        results.append(one(f"planted {n:,}", corpus, work / f"planted-{n}"))
    print(render(results, quick=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
