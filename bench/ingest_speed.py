"""Ingest speed and memory: ``newsfold ingest`` on generated corpora of each format and size.

Each corpus is generated under ``bench/.work/`` (see :mod:`bench.corpus`), ingested into a new
store by ``newsfold ingest CORPUS --db DB --quiet --json`` run under ``/usr/bin/time -v`` (wall
clock and peak resident memory of the whole process, start-up included), checked (the JSON report
must count every article as added), and deleted. The JSONL corpus of 10k is also ingested a second
time into the same store: the idempotent path, where every article is already present.

The target (from the issue): at least 1,000 articles/s for JSONL on 2 cores, with memory flat in
the corpus size (peak RSS at 100k no more than :data:`FLAT_RATIO` times that at 10k).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import corpus, report

__all__ = ["run"]

WORK = Path(__file__).with_name(".work")
TIME = "/usr/bin/time"
TARGET_RATE = 1_000.0
TARGET_CPUS = 2
FLAT_RATIO = 1.25
#: A run with a fallback size that takes longer than this is stopped and measured at that size.
SLOW_LIMIT_S = 8 * 60
#: Any run is stopped after this long.
HARD_LIMIT_S = 60 * 60


class IngestFailed(Exception):
    """The ingest command failed outright (no JSON report)."""


class TooSlow(Exception):
    """The ingest command ran past its time limit and was stopped."""


@dataclass(frozen=True, slots=True)
class Case:
    """One corpus to measure: ``fallback`` is the smaller size used if the run is too slow."""

    fmt: str
    n: int
    reingest: bool = False
    fallback: int | None = None


@dataclass(frozen=True, slots=True)
class Measurement:
    label: str
    fmt: str
    articles: int
    input_bytes: int
    seconds: float
    rss_kb: int
    db_bytes: int
    fresh: bool
    problems: tuple[str, ...] = ()

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds else float("inf")


@dataclass(slots=True)
class Results:
    measurements: list[Measurement] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def cases(quick: bool) -> list[Case]:
    if quick:
        return [Case("jsonl", 1_000, reingest=True), Case("text", 1_000), Case("html", 1_000)]
    return [
        Case("jsonl", 10_000, reingest=True),
        Case("jsonl", 100_000),
        Case("text", 10_000, fallback=5_000),
        Case("html", 10_000, fallback=5_000),
    ]


# --------------------------------------------------------------------------- running


def newsfold_command() -> list[str]:
    """The ``newsfold`` entry point of the interpreter running the benchmark."""
    script = Path(sys.executable).with_name("newsfold")
    return [str(script)] if script.exists() else [sys.executable, "-m", "newsfold"]


def parse_elapsed(value: str) -> float:
    """Seconds of a ``time -v`` wall clock: ``0:01.38``, ``12:03.04`` or ``1:02:03``."""
    seconds = 0.0
    for part in value.strip().split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def parse_time_v(stderr: str) -> tuple[float, int]:
    """Wall-clock seconds and peak RSS (kB) from the report ``/usr/bin/time -v`` appends."""
    elapsed = re.search(r"Elapsed \(wall clock\) time \([^)]*\):\s*([\d:.]+)", stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\):\s*(\d+)", stderr)
    if not elapsed or not rss:
        raise IngestFailed(f"no /usr/bin/time -v report in: {stderr[-500:]!r}")
    return parse_elapsed(elapsed.group(1)), int(rss.group(1))


def timed_run(argv: list[str], limit_s: float) -> tuple[str, str, int]:
    """Run ``argv`` under ``/usr/bin/time -v``: stdout, stderr and exit status; the whole process
    group is killed (and :class:`TooSlow` raised) after ``limit_s`` seconds."""
    with subprocess.Popen(
        [TIME, "-v", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as proc:
        try:
            stdout, stderr = proc.communicate(timeout=limit_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise TooSlow(f"stopped after {limit_s / 60:.0f} min") from None
    return stdout, stderr, proc.returncode


def ingest(path: Path, db: Path, limit_s: float) -> tuple[float, int, dict[str, Any]]:
    """Seconds, peak RSS (kB) and the JSON report of one ``newsfold ingest`` run."""
    argv = [*newsfold_command(), "ingest", str(path), "--db", str(db), "--quiet", "--json"]
    stdout, stderr, _status = timed_run(argv, limit_s)  # the JSON report says what failed
    seconds, rss_kb = parse_time_v(stderr)
    try:
        data = json.loads(stdout)
    except json.JSONDecodeError:
        raise IngestFailed(f"no JSON report; stderr ends: {stderr[-800:]!r}") from None
    return seconds, rss_kb, data


def db_bytes(db: Path) -> int:
    """The store's size on disk, its WAL and shared-memory files included."""
    files = (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"))
    return sum(f.stat().st_size for f in files if f.exists())


def check(data: dict[str, Any], added: int, present: int) -> tuple[str, ...]:
    """What is wrong with an ingest report that should count ``added`` and ``present``."""
    problems = []
    if data.get("added") != added or data.get("already_present") != present:
        problems.append(
            f"expected {added:,} added and {present:,} already present, got "
            f"{data.get('added')} and {data.get('already_present')}"
        )
    if not data.get("ok", False):
        reasons = [f"{p['location']}: {p['reason']}" for p in data.get("problems", [])[:3]]
        problems.append(f"the run failed ({data.get('failed')} failures): {'; '.join(reasons)}")
    return tuple(problems)


def measure(label: str, c: corpus.Corpus, db: Path, *, fresh: bool, limit_s: float) -> Measurement:
    print(f"bench:   {label}: {c.articles:,} articles …", file=sys.stderr, flush=True)
    seconds, rss_kb, data = ingest(c.path, db, limit_s)
    problems = check(data, c.articles if fresh else 0, 0 if fresh else c.articles)
    return Measurement(
        label=label,
        fmt=c.format,
        articles=c.articles,
        input_bytes=c.bytes,
        seconds=seconds,
        rss_kb=rss_kb,
        db_bytes=db_bytes(db),
        fresh=fresh,
        problems=problems,
    )


def measure_case(case: Case, n: int, limit_s: float, results: Results) -> None:
    """Generate the corpus, ingest it (and again, for ``reingest``), delete it all."""
    WORK.mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{case.fmt}-{n}-", dir=WORK))
    try:
        c = corpus.write(case.fmt, n, folder / "corpus")
        results.notes.append(
            f"Generating the {case.fmt} corpus of {n:,} took {c.seconds:.1f} s (not counted)."
        )
        db = folder / "store.db"
        results.measurements.append(measure(case.fmt, c, db, fresh=True, limit_s=limit_s))
        if case.reingest:
            label = f"{case.fmt}, re-ingest (all already present)"
            results.measurements.append(measure(label, c, db, fresh=False, limit_s=limit_s))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_case(case: Case, results: Results) -> None:
    """Measure ``case``; when it has a fallback size and runs too long, measure that instead."""
    if case.fallback is None:
        measure_case(case, case.n, HARD_LIMIT_S, results)
        return
    try:
        measure_case(case, case.n, SLOW_LIMIT_S, results)
    except TooSlow:
        results.notes.append(
            f"**{case.fmt} at {case.n:,} articles took longer than {SLOW_LIMIT_S // 60} min and "
            f"was stopped; it is measured at {case.fallback:,} instead.**"
        )
        measure_case(case, case.fallback, HARD_LIMIT_S, results)


# --------------------------------------------------------------------------- reporting


def row(m: Measurement) -> list[str]:
    mb_in = m.input_bytes / report.MB
    return [
        m.label + (" ⚠" if m.problems else ""),
        f"{m.articles:,}",
        f"{mb_in:,.1f}",
        f"{m.seconds:,.1f}",
        f"{m.rate:,.0f}",
        f"{mb_in / m.seconds:,.2f}" if m.seconds else "∞",
        f"{m.rss_kb / 1024:,.0f}",
        f"{m.db_bytes / report.MB:,.1f}",
    ]


HEADERS = (
    "format",
    "articles",
    "input MB",
    "seconds",
    "articles/s",
    "MB/s",
    "peak RSS MB",
    "DB size MB",
)


def verdict(measurements: list[Measurement]) -> str:
    """Whether the target is met, computed from the fresh JSONL runs."""
    jsonl = sorted(
        (m for m in measurements if m.fmt == "jsonl" and m.fresh), key=lambda m: m.articles
    )
    if not jsonl:
        return "**Target:** not assessed (no JSONL run)."
    fast, speed = _speed_verdict(jsonl)
    flat, memory = _memory_verdict(jsonl[0], jsonl[-1])
    outcome = "" if flat is None else (" met" if fast and flat else " NOT met")
    return f"**Target{outcome}:** {speed}; {memory}." + _checks_note(measurements)


def _speed_verdict(jsonl: list[Measurement]) -> tuple[bool, str]:
    slowest = min(jsonl, key=lambda m: m.rate)
    fast = slowest.rate >= TARGET_RATE
    cpus = os.cpu_count() or 0
    cpu_note = "" if cpus == TARGET_CPUS else f" on {cpus} CPUs (the target is for {TARGET_CPUS})"
    return fast, (
        f"JSONL ingest runs at {slowest.rate:,.0f} articles/s at its slowest "
        f"({slowest.articles:,} articles){cpu_note}, which "
        f"{'meets' if fast else 'misses'} the ≥ {TARGET_RATE:,.0f} articles/s target"
    )


def _memory_verdict(small: Measurement, large: Measurement) -> tuple[bool | None, str]:
    if large.articles == small.articles:
        return None, "memory flatness not assessed (one JSONL size only)"
    ratio = large.rss_kb / small.rss_kb
    flat = ratio <= FLAT_RATIO
    return flat, (
        f"peak RSS at {large.articles:,} articles is {ratio:.2f}× that at {small.articles:,} "
        f"({large.rss_kb / 1024:,.0f} vs {small.rss_kb / 1024:,.0f} MB): "
        f"{'flat' if flat else 'not flat'} (flat means ≤ {FLAT_RATIO}×)"
    )


def _checks_note(measurements: list[Measurement]) -> str:
    """A warning when a JSONL run, which the verdict rests on, failed its checks."""
    if any(m.problems for m in measurements if m.fmt == "jsonl"):
        return " A JSONL run failed its checks (⚠ above), so this verdict is suspect."
    return ""


def problems_text(measurements: list[Measurement]) -> str:
    lines = [f"- ⚠ {m.label} ({m.articles:,}): {p}" for m in measurements for p in m.problems]
    if lines:
        return "Checks failed:\n\n" + "\n".join(lines) + "\n"
    return (
        "Checks: every run's JSON report counted exactly the articles expected (all added on a "
        "fresh store; none added, all already present on re-ingest), with no failures.\n"
    )


def render(results: Results, quick: bool) -> str:
    command = "newsfold ingest CORPUS --db DB --quiet --json"
    parts = [
        "## Ingest speed\n",
        report.facts(quick=quick)
        + f"- Measured: `/usr/bin/time -v {command}` on a new store per corpus; seconds are the "
        "wall clock of the whole process (start-up included), peak RSS its maximum resident set "
        "size; MB are 2^20 bytes; the DB size includes the WAL.\n",
        report.table(HEADERS, [row(m) for m in results.measurements]),
        verdict(results.measurements) + "\n",
        problems_text(results.measurements),
    ]
    if results.notes:
        parts.append("\n".join(f"- {note}" for note in results.notes) + "\n")
    return "\n".join(parts)


def run(quick: bool) -> str:
    """Measure every case and return the Markdown section."""
    results = Results()
    for case in cases(quick):
        try:
            run_case(case, results)
        except (IngestFailed, TooSlow) as exc:
            results.notes.append(f"**{case.fmt} at {case.n:,} articles: not measured: {exc}**")
    return render(results, quick)
