"""The claims stage on real articles: the code before against the code now, same articles.

**Articles**: a seeded sample of the dev pile's records (``bench.dev_pile.load_sources``: ECB+,
Multi-News and WMT21 articles of ``../shared/data``, all six languages, built into articles with
``newsfold.article.build_article``); the section says so and stops when the data is absent.

**Codes**: *before* is the source of commit :data:`BASELINE_COMMIT` (the branch point of this
change; ``git archive`` into ``bench/.work/claims-baseline``, nothing registered in git),
*now* is this tree. Both run the same call, ``ClaimExtractor(n_process=N).transform(articles)``:
before, spaCy's ``nlp.pipe(n_process=N)`` parsed the blanked texts and shipped every parsed
document back to the calling process, which read the claims; now the calling process and
``N - 1`` workers each parse a share and read its claims (see ``newsfold.claims``).

**Measured**, each code and process count in a fresh ``python -m bench.claims_speed --measure``
process: the model is loaded and warmed on :data:`WARM` articles outside the sample (not
timed), then the sample is read once. CPU seconds are the process's own plus its reaped
children's (``resource.getrusage(RUSAGE_CHILDREN)``): the machine is shared, so wall seconds
are noisy and CPU seconds are the figure to compare. Claims are compared article by article
(the JSON the stage stores): the identical share, and the counts of numbers, quotes, quotes
with a speaker, entities and dates of each code.

Also reported: the share of the English articles' parsed sentences (characters) that repeat a
sentence of an earlier article of the pile (what a per-sentence parse cache could skip), and
the claims read in the other languages (numbers and quotes by pattern: the English model is not
run on them).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench import report

ROOT = Path(__file__).resolve().parents[1]
WORK = Path(__file__).with_name(".work")
#: The commit this change started from: the claims stage before it.
BASELINE_COMMIT = "176c701"
BASELINE_DIR = WORK / "claims-baseline"
SEED = 29
ARTICLES = 300
QUICK_ARTICLES = 40
WARM = 16
PROCESSES = 2

__all__ = ["BASELINE_COMMIT", "measure", "run", "sample_records"]


def sample_records(n: int, seed: int = SEED) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``WARM`` records to warm up on and ``n`` sampled records, from the dev pile's sources
    (raises ``bench.dev_pile.DataMissing`` when the data is absent)."""
    from bench.dev_pile import load_sources

    records, _, _ = load_sources()
    records = sorted(records, key=lambda r: r["id"])
    random.Random(seed).shuffle(records)
    records = [r for r in records if _article(r) is not None]
    return records[:WARM], records[WARM : WARM + n]


def _article(record: dict[str, Any]) -> Any:
    """The article of a record, or None when ingest would reject it (only boilerplate)."""
    from newsfold.article import ArticleError, build_article

    try:
        return build_article(record)
    except ArticleError:
        return None


def _articles(records: list[dict[str, Any]]) -> list[Any]:
    return [a for a in map(_article, records) if a is not None]


def measure(records_path: Path, processes: int, out_path: Path) -> None:
    """In a fresh process: warm up, then read the sample's claims once; write the CPU and wall
    seconds and each article's claims (JSON text) to ``out_path``."""
    from newsfold.claims import ClaimExtractor, load_english

    data = json.loads(records_path.read_text(encoding="utf-8"))
    warm, articles = _articles(data["warm"]), _articles(data["sample"])
    load_english()
    ClaimExtractor().transform(warm)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu, wall = time.process_time(), time.perf_counter()
    found = ClaimExtractor(n_process=processes).transform(articles)
    import multiprocessing

    multiprocessing.active_children()  # reap finished workers: their CPU counts below
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    children = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    result = {
        "cpu": time.process_time() - cpu + children,
        "wall": time.perf_counter() - wall,
        "claims": {c.article: c.to_dict() for c in found},
        "languages": {a.id: a.language or "en" for a in articles},
    }
    out_path.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


def baseline_source() -> Path:
    """The ``src`` folder of :data:`BASELINE_COMMIT`, extracted once."""
    src = BASELINE_DIR / "src"
    if not (src / "newsfold" / "claims.py").is_file():
        BASELINE_DIR.mkdir(parents=True, exist_ok=True)
        archive = BASELINE_DIR / "src.tar"
        with archive.open("wb") as fh:
            subprocess.run(
                ["git", "archive", "--format=tar", BASELINE_COMMIT, "src"],
                cwd=ROOT, stdout=fh, check=True,
            )  # fmt: skip
        with tarfile.open(archive) as tar:
            tar.extractall(BASELINE_DIR, filter="data")
        archive.unlink()
    return src


def _run_measure(src: Path, records: Path, processes: int, tmp: Path) -> dict[str, Any]:
    out = tmp / f"out-{src.parent.name}-{processes}.json"
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{ROOT}"}
    command = [sys.executable, "-m", "bench.claims_speed", "--measure"]
    command += ["--records", str(records), "--processes", str(processes), "--output", str(out)]
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    return dict(json.loads(out.read_text(encoding="utf-8")))


def _counts(claims: dict[str, dict[str, Any]]) -> dict[str, int]:
    out: Counter[str] = Counter()
    for c in claims.values():
        out["numbers"] += len(c["numbers"])
        out["quotes"] += len(c["quotes"])
        out["speakers"] += sum(1 for q in c["quotes"] if q["speaker"])
        out["entities"] += len(c["entities"])
        out["dates"] += len(c["dates"])
    return dict(out)


def repeated_sentences() -> tuple[float, int, int]:
    """Over the English articles of the whole pile: the share of the characters of sentences
    worth parsing that repeat such a sentence of an earlier article, the articles whose parsed
    text repeats an earlier one's, and the English articles."""
    from bench.dev_pile import load_sources
    from newsfold.claims import worth_parsing

    records, _, _ = load_sources()
    articles = [a for a in _articles(records) if (a.language or "en") == "en"]
    seen: set[str] = set()
    total = repeated = 0
    texts: set[str] = set()
    copies = 0
    for a in articles:
        parsed = worth_parsing(a)
        copies += parsed in texts
        texts.add(parsed)
        for start, end in a.spans:
            sentence = a.text[start:end]
            if not parsed[start:end].strip():
                continue
            total += len(sentence)
            repeated += len(sentence) * (sentence in seen)
            seen.add(sentence)
    return repeated / max(1, total), copies, len(articles)


def run(quick: bool) -> str:
    head = "## Claims stage speed (before and after, same articles)\n\n" + report.facts(quick=quick)
    from bench.dev_pile import DataMissing

    n = QUICK_ARTICLES if quick else ARTICLES
    try:
        warm, sample = sample_records(n)
    except DataMissing as missing:
        return head + f"\nSkipped: the dev pile's data is absent ({missing}).\n"
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        records = tmp / "records.json"
        records.write_text(json.dumps({"warm": warm, "sample": sample}), encoding="utf-8")
        now_src, before_src = ROOT / "src", baseline_source()
        runs = {
            ("before", PROCESSES): _run_measure(before_src, records, PROCESSES, tmp),
            ("now", PROCESSES): _run_measure(now_src, records, PROCESSES, tmp),
            ("now", 1): _run_measure(now_src, records, 1, tmp),
        }
        if not quick:
            runs[("before", 1)] = _run_measure(before_src, records, 1, tmp)
    languages = runs[("now", 1)]["languages"]
    english = sum(1 for lang in languages.values() if lang == "en")
    rows = []
    for (code, processes), r in sorted(runs.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        rows.append(
            [
                code,
                str(processes),
                f"{r['cpu']:.1f}",
                f"{n / r['cpu']:.1f}",
                f"{r['wall']:.1f}",
                f"{n / r['wall']:.1f}",
            ]
        )
    old, new = runs[("before", PROCESSES)]["claims"], runs[("now", PROCESSES)]["claims"]
    same = sum(1 for k in old if old[k] == new.get(k))
    differing = sorted(k for k in old if old[k] != new.get(k))
    old_counts, new_counts = _counts(old), _counts(new)
    count_rows = [
        [kind, f"{old_counts.get(kind, 0):,}", f"{new_counts.get(kind, 0):,}"]
        for kind in ("numbers", "quotes", "speakers", "entities", "dates")
    ]
    other = Counter()
    for article, claims in new.items():
        lang = languages[article]
        if lang != "en":
            other[(lang, "articles")] += 1
            other[(lang, "numbers")] += len(claims["numbers"])
            other[(lang, "quotes")] += len(claims["quotes"])
    other_rows = [
        [lang, str(other[(lang, "articles")]), str(other[(lang, "numbers")]),
         str(other[(lang, "quotes")])]
        for lang in sorted({lang for lang, _ in other})
    ]  # fmt: skip
    share, copies, english_all = repeated_sentences()
    before_cpu, now_cpu = runs[("before", PROCESSES)]["cpu"], runs[("now", PROCESSES)]["cpu"]
    return "\n".join(
        [
            head,
            f"{n} articles of the dev pile ({english} English; seed {SEED}), read by the code "
            f"before (commit `{BASELINE_COMMIT}`) and now, each in a fresh process, model loaded "
            f"and warmed outside the clock. CPU seconds include the worker processes.\n",
            report.table(
                ["code", "processes", "CPU s", "articles / CPU s", "wall s", "articles / s"],
                rows,
            ),
            f"CPU with {PROCESSES} processes: {before_cpu:.1f} s before, {now_cpu:.1f} s now "
            f"({before_cpu / now_cpu:.2f}× less). Identical claims (the stored JSON, article "
            f"by article): {same} of {len(old)} ({same / max(1, len(old)):.1%})"
            + (f"; differing: {', '.join(differing[:10])}" if differing else "")
            + ".\n",
            report.table(["claims", "before", "now"], count_rows),
            "Other languages (numbers and quotes found by pattern; no entities, dates or "
            "speakers: the English model is not run on them):\n",
            report.table(["language", "articles", "numbers", "quotes"], other_rows),
            f"A per-sentence parse cache: over the pile's {english_all:,} English articles, "
            f"{share:.1%} of the characters of sentences worth parsing repeat a sentence of an "
            f"earlier article; {copies} articles repeat an earlier article's parsed text (these "
            f"are parsed once when they fall in one window).\n",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.claims_speed", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--measure", action="store_true", help="one measurement (internal)")
    parser.add_argument("--records", type=Path)
    parser.add_argument("--processes", type=int, default=PROCESSES)
    parser.add_argument("--output", type=Path)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    if args.measure:
        measure(args.records, args.processes, args.output)
    else:
        text = run(args.quick).replace(" -m bench ", " -m bench.claims_speed ", 1)
        if args.output:
            args.output.write_text(text, encoding="utf-8")
        else:
            print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
