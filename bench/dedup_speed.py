"""Dedup speed, memory and quality: ``newsfold dedup`` beside a datasketch peer, same corpora.

For each size a planted-copy corpus is generated under ``bench/.work/`` (:mod:`bench.planted`:
unrelated articles, originals, and exact, lightly edited, sentence-shuffled and partial copies
with known labels). Both tools run on it as subprocesses under ``/usr/bin/time -v`` (wall clock
and peak resident memory of the whole process, start-up included):

* ``newsfold dedup IN --out OUT --quiet`` (lexical mode, default settings);
* ``python bench/peer_datasketch.py IN OUT`` (:mod:`bench.peer_datasketch`: word 5-gram MinHash
  with 128 permutations and ``MinHashLSH(threshold=0.5)``, every candidate taken as a match, the
  first member of each group kept): the peer the targets name;
* the same with ``--check`` (candidates kept only at an estimated Jaccard ≥ 0.5), for reference.

Each output is scored against the planted labels (:mod:`bench.dedup_quality`), and the copies
newsfold missed are measured (similarity to their original). Corpora and outputs are deleted.

The targets (from the issue): at least :data:`TARGET_SPEEDUP` times datasketch's records/s at
equal or better pairwise F1, peak memory no more than datasketch's, and near-linear growth from
10k to 100k records (time ratio at most :data:`TARGET_GROWTH` for 10 times the records).
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench import planted, report
from bench.dedup_quality import (
    Candidates,
    Missed,
    Quality,
    evaluate,
    missed_similarity,
    newsfold_candidates,
    spread,
)
from bench.ingest_speed import (
    WORK,
    IngestFailed,
    TooSlow,
    newsfold_command,
    parse_time_v,
    timed_run,
)
from newsfold.dedup import Deduper

_OURS = Deduper()  # the defaults `newsfold dedup` runs with

__all__ = ["run"]

PEER = Path(__file__).with_name("peer_datasketch.py")
TARGET_SPEEDUP = 3.0
TARGET_GROWTH = 12.0
#: Any run is stopped after this long.
HARD_LIMIT_S = 45 * 60
#: Sizes up to SMALL records are timed REPEATS_SMALL times per tool (the median is reported).
SMALL = 10_000
REPEATS_SMALL = 3
#: A 1-minute load average above this before a run is noted: with 2 cores, the benchmark's own
#: back-to-back runs keep it near 1-2, so more means another process competed for the CPUs.
BUSY_LOAD = 2.5

Argv = Callable[[Path, Path], list[str]]


def newsfold_argv(inp: Path, out: Path) -> list[str]:
    return [*newsfold_command(), "dedup", str(inp), "--out", str(out), "--quiet"]


def peer_argv(inp: Path, out: Path) -> list[str]:
    return [sys.executable, str(PEER), str(inp), str(out)]


def checked_peer_argv(inp: Path, out: Path) -> list[str]:
    return [sys.executable, str(PEER), "--check", str(inp), str(out)]


#: The peer the targets are measured against, and the careful variant shown for reference.
PEER_NAME = "datasketch"
CHECKED_NAME = "datasketch+check"
TOOLS: dict[str, Argv] = {
    "newsfold": newsfold_argv,
    PEER_NAME: peer_argv,
    CHECKED_NAME: checked_peer_argv,
}
COMMANDS: dict[str, str] = {
    "newsfold": "newsfold dedup IN.jsonl --out OUT.jsonl --quiet",
    PEER_NAME: "python bench/peer_datasketch.py IN.jsonl OUT.jsonl",
    CHECKED_NAME: "python bench/peer_datasketch.py --check IN.jsonl OUT.jsonl",
}


class RunFailed(Exception):
    """A tool exited with an error."""


@dataclass(frozen=True, slots=True)
class Run:
    """One tool on one corpus: time, memory and quality (None when it failed: see ``problem``)."""

    tool: str
    records: int
    seconds: float = 0.0
    rss_kb: int = 0
    quality: Quality | None = None
    problem: str | None = None

    @property
    def rate(self) -> float:
        return self.records / self.seconds if self.seconds else float("inf")


@dataclass(slots=True)
class Results:
    runs: list[Run] = field(default_factory=list)
    missed: dict[int, list[Missed]] = field(default_factory=dict)
    candidates: dict[int, Candidates] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def get(self, tool: str, records: int) -> Run | None:
        found = [r for r in self.runs if r.tool == tool and r.records == records and r.quality]
        return found[0] if found else None

    def sizes(self) -> list[int]:
        return sorted({r.records for r in self.runs})


def sizes(quick: bool) -> list[int]:
    return [2_000] if quick else [10_000, 100_000]


# --------------------------------------------------------------------------- running


def timed(argv: list[str], limit_s: float) -> tuple[float, int]:
    """Run ``argv`` under ``/usr/bin/time -v``: wall seconds and peak RSS (kB). The process group
    is killed after ``limit_s`` (:class:`TooSlow`); a non-zero exit raises :class:`RunFailed`."""
    _, stderr, status = timed_run(argv, limit_s)
    if status != 0:
        raise RunFailed(f"exit status {status}; stderr ends: {stderr[-600:]!r}")
    return parse_time_v(stderr)


def repeats(n: int) -> int:
    """Timed runs per tool at ``n`` records (the median is reported): a stray process on a
    2-core machine can double a run of a few seconds."""
    return REPEATS_SMALL if n <= SMALL else 1


def _load_note(tool: str, n: int, notes: list[str]) -> None:
    load = os.getloadavg()[0]
    if load > BUSY_LOAD:
        notes.append(
            f"The 1-minute load average was {load:.1f} before a {tool} run at {n:,} records: "
            "another process may have competed for the CPUs."
        )


def measure(tool: str, corpus: planted.PlantedCorpus, folder: Path, notes: list[str]) -> Run:
    """Run ``tool`` on the corpus (``repeats`` times: median time and peak RSS) and score its
    first output (outputs are deleted)."""
    n = corpus.records
    print(f"bench:   {tool}: {n:,} records …", file=sys.stderr, flush=True)
    out = folder / f"{tool}.jsonl"
    times, peaks, quality = [], [], None
    try:
        for _ in range(repeats(n)):
            _load_note(tool, n, notes)
            seconds, rss_kb = timed(TOOLS[tool](corpus.path, out), HARD_LIMIT_S)
            times.append(seconds)
            peaks.append(rss_kb)
            quality = quality or evaluate(out)
            out.unlink()
    except (RunFailed, TooSlow, IngestFailed) as exc:
        return Run(tool, n, problem=str(exc))
    finally:
        out.unlink(missing_ok=True)
    return Run(tool, n, statistics.median(times), int(statistics.median(peaks)), quality)


def diagnose(corpus: planted.PlantedCorpus, results: Results) -> None:
    """After the timed runs: newsfold's candidate pairs on the corpus, and its missed copies."""
    n = corpus.records
    ours = results.get("newsfold", n)
    missed = ours.quality.missed if ours is not None and ours.quality is not None else {}
    probes = [pair for pairs in missed.values() for pair in pairs]
    candidates = newsfold_candidates(corpus.path, probes)
    if candidates is not None:
        results.candidates[n] = candidates
    if ours is not None and ours.quality is not None:
        probed = None if candidates is None else set(candidates.probed)
        results.missed[n] = missed_similarity(corpus.path, missed, probed)


def measure_size(n: int, results: Results) -> None:
    """Generate the corpus of ``n`` records, run every tool on it, delete it all."""
    WORK.mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"dedup-{n}-", dir=WORK))
    try:
        corpus = planted.write(n, folder / "planted.jsonl")
        results.notes.append(
            f"Generating the planted corpus of {n:,} records ({corpus.bytes / report.MB:,.1f} MB) "
            f"took {corpus.seconds:.1f} s (not counted)."
        )
        for tool in TOOLS:
            results.runs.append(measure(tool, corpus, folder, results.notes))
        diagnose(corpus, results)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --------------------------------------------------------------------------- reporting

HEADERS = (
    "tool",
    "records",
    "seconds",
    "records/s",
    "peak RSS MB",
    "pair precision",
    "pair recall",
    "pair F1",
    "original kept",
)


def row(r: Run) -> list[str]:
    if r.quality is None:
        return [f"{r.tool} ⚠ failed", f"{r.records:,}", *(["–"] * (len(HEADERS) - 2))]
    q = r.quality
    return [
        r.tool,
        f"{r.records:,}",
        f"{r.seconds:,.1f}",
        f"{r.rate:,.0f}",
        f"{r.rss_kb / 1024:,.0f}",
        f"{q.precision:.3f}",
        f"{q.recall:.3f}",
        f"{q.f1:.3f}",
        f"{q.kept_original:.1%}",
    ]


@dataclass(frozen=True, slots=True)
class Comparison:
    """newsfold against a peer at one size."""

    peer: str
    records: int
    speedup: float
    memory: float
    f1: float
    peer_f1: float

    @property
    def fast_enough(self) -> bool:
        return self.speedup >= TARGET_SPEEDUP and round(self.f1, 3) >= round(self.peer_f1, 3)

    @property
    def lean_enough(self) -> bool:
        return self.memory <= 1.0


def compare(results: Results, peer_name: str) -> list[Comparison]:
    out = []
    for n in results.sizes():
        ours, peer = results.get("newsfold", n), results.get(peer_name, n)
        if ours is None or peer is None or ours.quality is None or peer.quality is None:
            continue
        out.append(
            Comparison(
                peer_name,
                n,
                ours.rate / peer.rate,
                ours.rss_kb / peer.rss_kb,
                ours.quality.f1,
                peer.quality.f1,
            )
        )
    return out


def growth(results: Results, tool: str) -> float | None:
    """Time ratio from the smallest to the largest size (None with fewer than two sizes)."""
    runs = sorted(
        (r for r in results.runs if r.tool == tool and r.quality), key=lambda r: r.records
    )
    if len(runs) < 2 or runs[0].records == runs[-1].records:
        return None
    return runs[-1].seconds / runs[0].seconds


def comparison_lines(comparisons: list[Comparison]) -> str:
    return "\n".join(
        f"- At {c.records:,} records newsfold runs at **{c.speedup:.2f}×** {c.peer}'s "
        f"records/s with **{c.memory:.2f}×** its peak memory (pair F1 {c.f1:.3f} vs "
        f"{c.peer_f1:.3f})."
        for c in comparisons
    )


def growth_line(results: Results) -> str:
    sizes_ = results.sizes()
    parts = []
    for tool in TOOLS:
        g = growth(results, tool)
        if g is not None:
            parts.append(f"{tool} {g:.1f}×")
    if not parts:
        return "- Growth: not assessed (one size only)."
    span = f"{sizes_[0]:,} → {sizes_[-1]:,} records ({sizes_[-1] / sizes_[0]:.0f}× the records)"
    return f"- Growth in time, {span}: {', '.join(parts)}."


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def verdict(results: Results, peer_name: str) -> str:
    """Whether each target is met against ``peer_name``, computed from the measurements."""
    comparisons = compare(results, peer_name)
    if not comparisons:
        return f"**Targets vs {peer_name}:** not assessed (no size where both tools succeeded).\n"
    fast = all(c.fast_enough for c in comparisons)
    lean = all(c.lean_enough for c in comparisons)
    g = growth(results, "newsfold")
    linear = None if g is None else g <= TARGET_GROWTH
    slowest = min(comparisons, key=lambda c: c.speedup)
    fattest = max(comparisons, key=lambda c: c.memory)
    worst_f1 = min(comparisons, key=lambda c: c.f1 - c.peer_f1)
    items = [
        f"speed ≥ {TARGET_SPEEDUP:.0f}× {peer_name} at equal or better F1: {_met(fast)} (lowest "
        f"speed-up {slowest.speedup:.2f}× at {slowest.records:,}; F1 difference "
        f"{worst_f1.f1 - worst_f1.peer_f1:+.3f} at {worst_f1.records:,})",
        f"peak memory ≤ {peer_name}'s: {_met(lean)} (highest ratio {fattest.memory:.2f}× at "
        f"{fattest.records:,})",
        "near-linear growth: not assessed (one size)"
        if g is None
        else f"near-linear growth (time ratio ≤ {TARGET_GROWTH:.0f} for 10× the records): "
        f"{_met(bool(linear))} ({g:.1f}×)",
    ]
    overall = fast and lean and linear is not False
    head = "met" if overall else "NOT met"
    return f"**Targets vs {peer_name}: {head}**\n\n" + "\n".join(f"- {i}" for i in items) + "\n"


def _recall(r: Run | None, kind: str) -> str:
    return "–" if r is None or r.quality is None else f"{r.quality.recall_of(kind):.1%}"


def per_kind_table(results: Results) -> str:
    rows = []
    for n in results.sizes():
        runs = [results.get(tool, n) for tool in TOOLS]
        some = next((r for r in runs if r is not None and r.quality is not None), None)
        if some is None or some.quality is None:
            continue
        for kind in planted.COPY_KINDS:
            count = f"{some.quality.copies[kind]:,}"
            rows.append([kind, f"{n:,}", count, *(_recall(r, kind) for r in runs)])
    headers = ("copy kind", "records", "copies", *(f"{tool} recall" for tool in TOOLS))
    return report.table(headers, rows)


def false_merge_lines(results: Results) -> str:
    lines = []
    for r in results.runs:
        if r.quality is not None:
            q = r.quality
            lines.append(
                f"- {r.tool} at {r.records:,}: {q.unrelated_grouped:,} unrelated records put in "
                f"a group; {q.mixed_groups:,} groups join records of different planted clusters; "
                f"{q.original_groups:,} groups hold an original with its copies."
            )
    return "\n".join(lines)


def missed_table(results: Results) -> str:
    rows = []
    for n, missed in results.missed.items():
        ours = results.get("newsfold", n)
        assert ours is not None and ours.quality is not None
        for m in missed:
            lost = ours.quality.copies[m.kind] - ours.quality.found[m.kind]
            candidates = "–" if m.candidates is None else f"{m.candidates}/{m.pairs}"
            rows.append(
                [
                    m.kind,
                    f"{n:,}",
                    f"{lost:,} ({m.pairs} measured)",
                    spread(m.jaccard),
                    spread(m.estimated),
                    spread(m.contained),
                    candidates,
                ]
            )
    if not rows:
        return "newsfold grouped every planted copy with its original.\n"
    headers = (
        "kind",
        "records",
        "missed copies",
        "exact Jaccard",
        "newsfold est. Jaccard",
        "est. containment",
        "LSH candidates",
    )
    return (
        "Copies newsfold did **not** group with their original, and how similar they are to it "
        "(median (min–max)): exact Jaccard of the word 5-gram sets (the peer's tokens); "
        "newsfold's estimate from its "
        f"own signatures (it links at ≥ {_OURS.threshold}) and its containment estimate (it "
        f"links at ≥ {_OURS.containment}); "
        "LSH candidates: how many of the measured pairs were among the candidate pairs "
        f"newsfold's {_OURS.bands} bands yield on the whole corpus (only candidates are "
        "compared at all).\n\n" + report.table(headers, rows)
    )


def _datasketch_version() -> str:
    try:
        from importlib.metadata import version

        return version("datasketch")
    except Exception:  # not installed: the peer runs will have failed
        return "not installed"


def _datasketch_bands() -> str:
    try:
        from datasketch import MinHashLSH

        lsh = MinHashLSH(threshold=0.5, num_perm=128)
        return f"{lsh.b} bands of {lsh.r} rows"
    except Exception:  # not installed: the peer runs will have failed
        return "its own bands"


def candidate_lines(results: Results) -> str:
    """How many pairs newsfold's LSH hands to its comparison step, and how many are planted."""
    if not results.candidates:
        return ""
    lines = []
    for c in results.candidates.values():
        chance = c.pairs - c.planted
        lines.append(
            f"- At {c.records:,} records: {c.pairs:,} candidate pairs "
            f"({c.pairs / c.records:.1f} per record), {c.planted:,} of them within a planted "
            f"cluster and {chance:,} ({chance / max(c.pairs, 1):.0%}) chance pairs across "
            "clusters."
        )
    sizes_ = sorted(results.candidates)
    if len(sizes_) > 1:
        small, large = results.candidates[sizes_[0]], results.candidates[sizes_[-1]]
        lines.append(
            f"- Candidate pairs grow {large.pairs / max(small.pairs, 1):.1f}× for "
            f"{large.records / small.records:.0f}× the records."
        )
    return (
        "newsfold's LSH candidates (its signatures and banding recomputed in the benchmark "
        "process with the `Deduper` defaults, after the timed runs; not timed):\n\n"
        + "\n".join(lines)
        + "\n"
    )


def method(quick: bool) -> str:
    n = sizes(quick)
    return (
        report.facts(quick=quick) + f"- Corpora: `python -m bench.planted N IN.jsonl` for N in "
        f"{', '.join(f'{x:,}' for x in n)} (see the planted-copy corpus section); both tools "
        "run on the same file.\n"
        f"- newsfold: `/usr/bin/time -v {COMMANDS['newsfold']}` (lexical mode, defaults).\n"
        f"- {PEER_NAME} (version {_datasketch_version()}): "
        f"`/usr/bin/time -v {COMMANDS[PEER_NAME]}`; {CHECKED_NAME}: "
        f"`/usr/bin/time -v {COMMANDS[CHECKED_NAME]}` (see below).\n"
        "- Seconds are the wall clock of the whole process (start-up, reading and writing the "
        "JSONL included), peak RSS its maximum resident set size (MB of 2^20 bytes); runs one "
        f"at a time, the median of {REPEATS_SMALL} runs per tool up to {SMALL:,} records, one "
        "run above.\n"
        "- Quality is scored from each output file against the planted labels: pairwise "
        "precision/recall/F1 over same-group pairs (an original and its copies form one true "
        "cluster, everything else is alone); original kept: of the groups joining a planted "
        "original with its copies, the share keeping the original.\n"
    )


def caveats() -> tuple[str, ...]:
    """What differs between the tools, beyond speed."""
    return (
        "- Not the same MinHash: newsfold uses one-permutation hashing with densification (one "
        "hash per shingle into 128 bins, empty bins filled from their neighbours), datasketch "
        "128 independent permutations (128 hashes per shingle). Both estimate Jaccard similarity "
        "without bias; one-permutation signatures are cheaper, not more accurate.",
        "- Not the same decision: newsfold checks each LSH candidate pair (estimated Jaccard "
        "≥ 0.5, or estimated containment ≥ 0.8, or the same words), with "
        f"{_OURS.bands} bands of {_OURS.num_perm // _OURS.bands} rows; the {PEER_NAME} peer "
        "unions every `MinHashLSH` candidate unchecked, as its "
        f"`query` returns them (datasketch picks {_datasketch_bands()} for threshold 0.5), so "
        "chains of chance candidates between unrelated articles merge groups; "
        f"{CHECKED_NAME} keeps a candidate only at an estimated Jaccard ≥ 0.5 (it has no "
        "containment rule), and keeps every record's MinHash values for that.",
        "- Tokens differ slightly: newsfold counts every non-ASCII character as part of a word "
        "(a curly quote sticks to its word: `“we` is not `we`; an em dash is a word), the peer "
        "and the exact Jaccard figures above cut words at every non-alphanumeric character.",
        "- Not the same kept record: newsfold keeps the earliest published, else the medoid; the "
        "peer keeps the first in file order. Every planted original has a date and every copy "
        "has a later one or none, so the earliest date always points at the original here.",
        f"- The {PEER_NAME} peer streams (query, then insert, record by record) and keeps no "
        "MinHash objects: the leanest way to use `MinHashLSH` for this. newsfold writes two more "
        "fields per record (`relation`, `similarity`).",
    )


def render(results: Results, quick: bool) -> str:
    parts = [
        "## Dedup speed and quality: newsfold vs datasketch\n",
        method(quick),
        report.table(HEADERS, [row(r) for r in results.runs]),
        comparison_lines([*compare(results, PEER_NAME), *compare(results, CHECKED_NAME)])
        + "\n"
        + growth_line(results)
        + "\n",
        verdict(results, PEER_NAME),
        verdict(results, CHECKED_NAME),
        "Recall per kind of planted copy (share of copies put in their original's group):\n",
        per_kind_table(results),
        missed_table(results),
        candidate_lines(results),
        "False merges:\n\n" + false_merge_lines(results) + "\n",
        "\n".join(caveats()) + "\n",
    ]
    failed = [f"- ⚠ {r.tool} at {r.records:,}: {r.problem}" for r in results.runs if r.problem]
    if failed:
        parts.append("Failed runs:\n\n" + "\n".join(failed) + "\n")
    if results.notes:
        parts.append("\n".join(f"- {note}" for note in results.notes) + "\n")
    return "\n".join(part for part in parts if part)


def run(quick: bool) -> str:
    """Measure both tools at every size and return the Markdown section."""
    results = Results()
    for n in sizes(quick):
        measure_size(n, results)
    return render(results, quick)
