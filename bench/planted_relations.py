"""Relation labels per kind of planted copy: precision and recall of each relation newsfold names.

A planted-copy corpus (:mod:`bench.planted`, 10,000 records; quick: 2,000) has a known relation
for every record: an ``exact`` copy is a ``duplicate`` of its original, a ``light`` copy a
``near_duplicate``, a ``shuffled`` copy a ``rewrite``, a ``partial`` copy a ``partial``, and
originals and unrelated articles have none (kept, or alone). Two paths are scored against that:

* **dedup**: ``newsfold dedup IN.jsonl --out OUT.jsonl --quiet`` (lexical mode, defaults), the
  CLI as ``dedup_speed`` runs it. A record's predicted relation is its output ``relation`` (to
  its ``dup_of``); a kept record (``dup_of`` null: ``original`` or ``unique``) has none. A copy
  is right only with the expected relation *and* ``dup_of`` its planted original; an original
  or unrelated article is right when it is kept.
* **compare**: the pairwise API, ``newsfold.compare(build_article(original),
  build_article(copy))`` (sentence alignment with MiniLM), on up to :data:`SAMPLE_PER_KIND`
  copies per kind (the first in file order), its ``kind`` against the expected relation. Only
  copies are compared (no pairs of unrelated articles), so its precision is over copies.

Per relation: support (records expected to have it), predicted (records given it), precision,
recall and F1, against the target (from the issue) of precision and recall ≥ :data:`TARGET`
for each relation; then the confusion of planted kind by predicted label, examples of each wrong
cell with the numbers the rules read, and how the two paths agree on the sampled copies.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import planted, report
from bench.ingest_speed import IngestFailed, TooSlow, newsfold_command, parse_time_v, timed_run

__all__ = ["run"]

WORK = Path(__file__).with_name(".work")
TARGET = 0.95
#: The relation each planted kind should get; ``None``: no relation (kept, or alone).
EXPECTED: dict[str, str | None] = {
    "original": None,
    "unrelated": None,
    "exact": "duplicate",
    "light": "near_duplicate",
    "shuffled": "rewrite",
    "partial": "partial",
}
RELATIONS: tuple[str, ...] = ("duplicate", "near_duplicate", "rewrite", "partial")
NONE = "none"
#: The labels each path can give, in the order of the confusion columns (others seen are added).
DEDUP_LABELS: tuple[str, ...] = (
    "original", "unique", "duplicate", "near_duplicate", "rewrite", "partial",
)  # fmt: skip
COMPARE_LABELS: tuple[str, ...] = (
    "duplicate", "near_duplicate", "rewrite", "partial", "translation", "same_story", "unrelated",
)  # fmt: skip
#: dedup labels of a kept record (``dup_of`` null): no relation.
KEPT_LABELS = frozenset({"original", "unique"})
SAMPLE_PER_KIND = 100
QUICK_SAMPLE_PER_KIND = 20
#: The compare path stops after this long (kinds are interleaved, so each gets its share).
COMPARE_BUDGET_S = 40 * 60
HARD_LIMIT_S = 10 * 60
EXAMPLES = 3


# --------------------------------------------------------------------------- judgments


@dataclass(frozen=True, slots=True)
class Judged:
    """One record's predicted relation beside its planted kind."""

    id: str
    kind: str  # planted kind
    of: str | None  # planted original (None for originals and unrelated articles)
    label: str  # what the path said: dedup's ``relation`` or compare's ``kind``
    linked: str | None  # the record it is related to (dedup's ``dup_of``; compare: the original)
    detail: str = ""  # the numbers behind the label, for examples

    @property
    def expected(self) -> str:
        return EXPECTED[self.kind] or NONE

    @property
    def predicted(self) -> str:
        """The relation predicted (``none`` when kept)."""
        return NONE if self.linked is None or self.label in KEPT_LABELS else self.label

    @property
    def wrong_record(self) -> bool:
        """A copy related to another record than its planted original."""
        return self.of is not None and self.linked is not None and self.linked != self.of

    @property
    def correct(self) -> bool:
        return self.predicted == self.expected and not self.wrong_record


@dataclass(frozen=True, slots=True)
class Score:
    relation: str
    support: int
    predicted: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else float("nan")

    @property
    def recall(self) -> float:
        return self.correct / self.support if self.support else float("nan")

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r > 0 else 0.0

    @property
    def met(self) -> bool:
        return self.precision >= TARGET and self.recall >= TARGET


def scores(judged: Sequence[Judged], relations: Sequence[str]) -> list[Score]:
    support = Counter(j.expected for j in judged)
    predicted = Counter(j.predicted for j in judged)
    correct = Counter(j.expected for j in judged if j.correct)
    return [Score(r, support[r], predicted[r], correct[r]) for r in relations]


@dataclass(slots=True)
class Outcome:
    """What one path (dedup or compare) said about its records."""

    name: str
    labels: tuple[str, ...]
    judged: list[Judged] = field(default_factory=list)
    seconds: float = 0.0
    problem: str | None = None
    note: str = ""


@dataclass(slots=True)
class Results:
    corpus: planted.PlantedCorpus | None = None
    code: str = ""
    dedup: Outcome = field(default_factory=lambda: Outcome("dedup", DEDUP_LABELS))
    compare: Outcome = field(default_factory=lambda: Outcome("compare", COMPARE_LABELS))
    dedup_numbers: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    compare_numbers: dict[str, dict[str, list[float]]] = field(default_factory=dict)


def code_state() -> str:
    """The commit measured and any uncommitted changes to ``src/`` (newsfold is edited while
    benchmarks run, so a section says what code it saw); "" outside a git checkout."""
    root = Path(__file__).resolve().parents[1]

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
        )
        return done.stdout if done.returncode == 0 else ""

    head = git("rev-parse", "--short", "HEAD").strip()
    if not head:
        return ""
    changed = [line[3:] for line in git("status", "--porcelain", "--", "src").splitlines()]
    if not changed:
        return f"commit {head}, no uncommitted changes in `src/`"
    files = ", ".join(f"`{f}`" for f in changed)
    return f"commit {head} with uncommitted changes in {files}"


def _records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


# --------------------------------------------------------------------------- the dedup path


def _shingle_counts(texts: Sequence[str]) -> list[int]:
    """Shingle-set sizes as ``Deduper`` counts them (``max(words - ngram + 1, 1)``)."""
    from newsfold.dedup import Deduper
    from newsfold.signatures import MinHasher

    d = Deduper()
    words = MinHasher(d.num_perm, d.ngram, d.seed).sketch(list(texts)).words
    return [max(int(w) - d.ngram + 1, 1) for w in words]


def _fmt(x: float | None, digits: int = 2) -> str:
    return "–" if x is None or x != x else f"{x:.{digits}f}"


def _dedup_details(records: list[dict[str, Any]], judged: list[Judged]) -> list[Judged]:
    """The wrong judgments with their numbers: newsfold's similarity, the length ratio of the
    record to its ``dup_of`` (shingle counts; dedup calls a pair ``partial`` below 0.75), and
    exact Jaccard / containment against the planted original."""
    text = {r["id"]: r["text"] for r in records}
    similarity = {r["id"]: r.get("similarity") for r in records}
    wrong = [j for j in judged if not j.correct]
    ids = sorted({x for j in wrong for x in (j.id, j.linked, j.of) if x is not None})
    counts = dict(zip(ids, _shingle_counts([text[i] for i in ids]), strict=True)) if ids else {}
    out = []
    for j in judged:
        if j.correct:
            out.append(j)
            continue
        parts = []
        if j.linked is not None:
            ratio = counts[j.id] / counts[j.linked]
            parts.append(f"similarity {_fmt(similarity[j.id])}")
            parts.append(f"length ratio {min(ratio, 1 / ratio):.2f}")
        elif j.of is not None:
            parts.append(f"kept ({j.label}), not linked to its original")
        if j.of is not None:
            jac, con = planted.similarity(text[j.id], text[j.of])
            parts.append(f"vs its original: Jaccard {jac:.2f}, containment {con:.2f}")
        if j.wrong_record or (j.of is None and j.linked is not None):
            parts.append(f"`dup_of` {j.linked}")
        out.append(Judged(j.id, j.kind, j.of, j.label, j.linked, ", ".join(parts)))
    return out


def _dedup_numbers(records: list[dict[str, Any]], judged: list[Judged]) -> dict[str, Any]:
    """Per copy kind, of the copies linked to their original: dedup's similarity and length
    ratio (the two numbers its relation rules read)."""
    linked = [j for j in judged if j.of is not None and j.linked == j.of]
    text = {r["id"]: r["text"] for r in records}
    similarity = {r["id"]: r.get("similarity") for r in records}
    wanted = sorted({x for j in linked for x in (j.id, j.of) if x is not None})
    counts = dict(zip(wanted, _shingle_counts([text[i] for i in wanted]), strict=True))
    numbers: dict[str, dict[str, list[float]]] = {
        k: {"similarity": [], "length ratio": []} for k in planted.COPY_KINDS
    }
    for j in linked:
        assert j.of is not None
        sim = similarity[j.id]
        if sim is not None:
            numbers[j.kind]["similarity"].append(float(sim))
        ratio = counts[j.id] / counts[j.of]
        numbers[j.kind]["length ratio"].append(min(ratio, 1 / ratio))
    return numbers


def run_dedup(corpus: Path, folder: Path, results: Results) -> list[dict[str, Any]]:
    """``newsfold dedup`` on the corpus; every record judged. Returns the output records."""
    out = folder / "dedup.jsonl"
    argv = [*newsfold_command(), "dedup", str(corpus), "--out", str(out), "--quiet"]
    print("bench:   newsfold dedup …", file=sys.stderr, flush=True)
    path = results.dedup
    try:
        _, stderr, status = timed_run(argv, HARD_LIMIT_S)
        if status != 0:
            path.problem = f"exit status {status}; stderr ends: {stderr[-600:]!r}"
            return []
        path.seconds = parse_time_v(stderr)[0]
        records = list(_records(out))
    except (TooSlow, IngestFailed) as exc:
        path.problem = str(exc)
        return []
    finally:
        out.unlink(missing_ok=True)
    judged = [
        Judged(
            id=str(r["id"]),
            kind=r["planted"]["kind"],
            of=r["planted"]["of"],
            label=str(r["relation"]),
            linked=None if r.get("dup_of") is None else str(r["dup_of"]),
        )
        for r in records
    ]
    path.judged = _dedup_details(records, judged)
    results.dedup_numbers = _dedup_numbers(records, judged)
    return records


# --------------------------------------------------------------------------- the compare path


def _article(record: dict[str, Any]) -> Any:
    import newsfold

    return newsfold.build_article(
        {k: record[k] for k in ("id", "text", "source", "published") if k in record}
    )


def _sample(records: Sequence[dict[str, Any]], per_kind: int) -> list[dict[str, Any]]:
    """The first ``per_kind`` copies of each kind in file order, interleaved kind by kind (so a
    run cut short by the budget still has as many of each)."""
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        kind = r["planted"]["kind"]
        if r["planted"]["of"] is not None and len(by_kind[kind]) < per_kind:
            by_kind[kind].append(r)
    lists = [by_kind[k] for k in planted.COPY_KINDS]
    return [lst[i] for i in range(per_kind) for lst in lists if i < len(lst)]


def _alignment_numbers(relation: Any) -> dict[str, float]:
    """The quantities ``relations._classify`` reads, from the relation's alignment: the smaller
    and larger coverage, the smaller 'derived' share, the share of aligned pairs verbatim or
    edited, and the mean pair score (nan where the alignment lacks one)."""
    al = relation.alignment
    pairs = list(getattr(al, "pairs", []))
    close = [p for p in pairs if getattr(p, "kind", "") in ("verbatim", "edited")]
    derived = (getattr(al, "derived_a", float("nan")), getattr(al, "derived_b", float("nan")))
    return {
        "coverage of original": float(relation.coverage_a),
        "coverage of copy": float(relation.coverage_b),
        "min derived": float(min(derived)),
        "close share": len(close) / max(len(pairs), 1),
        "mean pair score": statistics.fmean(float(p.score) for p in pairs) if pairs else 0.0,
    }


def _compare_detail(relation: Any, numbers: dict[str, float]) -> str:
    return (
        f"similarity {relation.similarity:.2f}, coverage original "
        f"{numbers['coverage of original']:.2f} / copy {numbers['coverage of copy']:.2f}, "
        f"min derived {numbers['min derived']:.2f}, close share {numbers['close share']:.2f}, "
        f"mean pair score {numbers['mean pair score']:.2f}"
    )


def run_compare(records: Sequence[dict[str, Any]], per_kind: int, results: Results) -> None:
    """``newsfold.compare(original, copy)`` on the sampled copies, within the time budget."""
    import newsfold

    originals = {r["id"]: r for r in records if r["planted"]["kind"] == "original"}
    sample = _sample(records, per_kind)
    path = results.compare
    print(f"bench:   newsfold.compare on {len(sample):,} pairs …", file=sys.stderr, flush=True)
    newsfold.compare(_article({"text": "The model loads."}), _article({"text": "It loads."}))
    numbers: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    started = time.perf_counter()
    for n, copy in enumerate(sample):
        if time.perf_counter() - started > COMPARE_BUDGET_S:
            path.note = (
                f"**cut short**: the {COMPARE_BUDGET_S / 60:.0f}-minute budget ran out after "
                f"{n:,} of {len(sample):,} pairs (kinds interleaved, so each has its share)"
            )
            break
        of = copy["planted"]["of"]
        relation = newsfold.compare(_article(originals[of]), _article(copy))
        values = _alignment_numbers(relation)
        kind = copy["planted"]["kind"]
        for key, value in values.items():
            numbers[kind][key].append(value)
        path.judged.append(
            Judged(
                str(copy["id"]), kind, of, str(relation.kind), of, _compare_detail(relation, values)
            )
        )
    path.seconds = time.perf_counter() - started
    results.compare_numbers = {k: dict(v) for k, v in numbers.items()}


# --------------------------------------------------------------------------- the section


def _p(x: float) -> str:
    return "–" if x != x else f"{x:.3f}"


def _relation_name(relation: str) -> str:
    return "no relation (kept)" if relation == NONE else f"`{relation}`"


def _kinds_of(relation: str) -> str:
    kinds = [k for k, r in EXPECTED.items() if (r or NONE) == relation]
    return ", ".join(kinds)


def score_table(path: Outcome, *, with_none: bool) -> str:
    relations = [*RELATIONS, NONE] if with_none else list(RELATIONS)
    rows = []
    for s in scores(path.judged, relations):
        target = "(not a target)" if s.relation == NONE else ("met" if s.met else "**not met**")
        rows.append(
            [
                _relation_name(s.relation),
                _kinds_of(s.relation),
                f"{s.support:,}",
                f"{s.predicted:,}",
                f"{s.correct:,}",
                _p(s.precision),
                _p(s.recall),
                _p(s.f1),
                target,
            ]
        )
    headers = (
        "relation", "planted kind", "support", "predicted", "correct", "precision", "recall",
        "F1", f"target ≥ {TARGET}",
    )  # fmt: skip
    return report.table(headers, rows, right=2)


def verdict(path: Outcome, what: str) -> str:
    if path.problem is not None or not path.judged:
        return f"**Target (precision and recall ≥ {TARGET} per relation), {what}:** not assessed.\n"
    found = scores(path.judged, RELATIONS)
    head = "met" if all(s.met for s in found) else "NOT met"
    missing = [
        f"{s.relation} (precision {_p(s.precision)}, recall {_p(s.recall)})"
        for s in found
        if not s.met
    ]
    tail = f": below the target for {'; '.join(missing)}" if missing else " for every relation"
    return f"**Target (precision and recall ≥ {TARGET} per relation), {what}: {head}**{tail}.\n"


def _columns(path: Outcome) -> list[str]:
    seen = {j.label for j in path.judged}
    return [*path.labels, *sorted(seen - set(path.labels))]


def confusion_table(path: Outcome, kinds: Sequence[str], links: bool) -> str:
    """Planted kind by predicted label, the expected cells in bold; ``links``: a last column
    counts the copies related to another record than their original (dedup)."""
    columns = _columns(path)
    cells = Counter((j.kind, j.label) for j in path.judged)
    wrong = Counter(j.kind for j in path.judged if j.wrong_record)
    rows = []
    for kind in kinds:
        total = sum(cells[(kind, c)] for c in columns)
        expected = EXPECTED[kind]
        row = [f"{kind} (→ {expected or 'none'})", f"{total:,}"]
        for c in columns:
            count = f"{cells[(kind, c)]:,}"
            right = c == expected or (expected is None and c in KEPT_LABELS)
            row.append(f"**{count}**" if right and cells[(kind, c)] else count)
        if links:
            row.append("–" if expected is None else f"{wrong[kind]:,}")
        rows.append(row)
    last = ("related to another record",) if links else ()
    headers = ("planted kind (→ expected)", "records", *columns, *last)
    return report.table(headers, rows)


def examples(path: Outcome) -> str:
    """Up to :data:`EXAMPLES` wrong records per cell (planted kind, label)."""
    wrong: dict[tuple[str, str], list[Judged]] = defaultdict(list)
    for j in path.judged:
        if not j.correct:
            wrong[(j.kind, j.label)].append(j)
    if not wrong:
        return ""
    order = {k: i for i, k in enumerate(planted.KINDS)}
    columns = _columns(path)
    lines = []
    for kind, label in sorted(wrong, key=lambda c: (order[c[0]], columns.index(c[1]))):
        items = wrong[(kind, label)]
        shown = "; ".join(f"`{j.id}` ({j.detail})" for j in items[:EXAMPLES])
        lines.append(f"- {kind} → {label} ({len(items):,}): {shown}")
    return "\n".join(lines) + "\n"


def _spread(values: Sequence[float]) -> str:
    if not values:
        return "–"
    if len(values) == 1:
        return f"{values[0]:.2f}"
    q = statistics.quantiles(values, n=10)
    points = (min(values), q[0], statistics.median(values), q[-1], max(values))
    return " / ".join(f"{x:.2f}" for x in points)


def numbers_table(numbers: dict[str, dict[str, list[float]]], keys: Sequence[str]) -> str:
    rows = []
    for kind in planted.COPY_KINDS:
        if kind not in numbers:
            continue
        for key in keys:
            values = numbers[kind].get(key, [])
            rows.append([kind, key, f"{len(values):,}", _spread(values)])
    return report.table(("copy kind", "quantity", "pairs", "min / p10 / median / p90 / max"), rows)


def agreement_table(results: Results) -> str:
    """On the copies both paths judged: which path got each right."""
    dedup = {j.id: j.correct for j in results.dedup.judged}
    rows = []
    for kind in planted.COPY_KINDS:
        both = [j for j in results.compare.judged if j.kind == kind and j.id in dedup]
        d = sum(dedup[j.id] for j in both)
        c = sum(j.correct for j in both)
        b = sum(dedup[j.id] and j.correct for j in both)
        n = len(both)
        rows.append([kind, f"{n:,}", f"{d:,}", f"{c:,}", f"{b:,}", f"{n - d - c + b:,}"])
    headers = ("copy kind", "copies", "dedup right", "compare right", "both right", "neither")
    return report.table(headers, rows)


def _count(path: Outcome) -> Callable[[str], int]:
    counted = Counter(j.kind for j in path.judged)
    return lambda kind: counted[kind]


def method(results: Results, quick: bool, per_kind: int) -> str:
    c = results.corpus
    assert c is not None
    kinds = ", ".join(f"{c.kinds[k]:,} {k}" for k in planted.KINDS)
    return (
        report.facts(quick=quick)
        + (f"- Code: {results.code} (at the start of the run).\n" if results.code else "")
        + f"- Corpus: `python -m bench.planted {c.records} IN.jsonl` ({kinds}; "
        f"{c.bytes / report.MB:.1f} MB; see the planted-copy corpus section).\n"
        "- Expected: exact → `duplicate`, light → `near_duplicate`, shuffled → `rewrite`, "
        "partial → `partial`, original and unrelated → no relation (kept, or alone).\n"
        "- dedup: `newsfold dedup IN.jsonl --out OUT.jsonl --quiet` (lexical mode, defaults; "
        "one run). Predicted: the output `relation`, to `dup_of`; a kept record (`original`, "
        "`unique`) has none. A copy counts as right only with the expected relation **and** "
        "`dup_of` its planted original. dedup names relations with its own rules on MinHash "
        "estimates (`Deduper`), not with `compare`.\n"
        f"- compare: `newsfold.compare(build_article(original), build_article(copy))` on the "
        f"first {per_kind:,} copies of each kind in file order (fields id, text, source, "
        "published), its `kind` against the expected relation. Only copies are compared, so "
        "its precision is over copies of the four kinds (equal numbers of each), not over "
        "unrelated pairs.\n"
        "- Precision: correct / predicted with that relation; recall: correct / expected to "
        f"have it. The target (from the issue): precision and recall ≥ {TARGET} per relation.\n"
    )


def path_part(path: Outcome, title: str, kinds: Sequence[str], *, links: bool) -> list[str]:
    if path.problem is not None:
        return [f"### {title}\n", f"⚠ Failed: {path.problem}\n"]
    count = _count(path)
    scored = ", ".join(f"{count(k):,} {k}" for k in kinds)
    rate = len(path.judged) / path.seconds if path.seconds else float("inf")
    unit = "records" if path.name == "dedup" else "pairs"
    parts = [
        f"### {title}\n",
        f"Scored: {scored} ({len(path.judged):,} {unit} in {path.seconds:,.1f} s, "
        f"{rate:,.{0 if rate >= 10 else 2}f} {unit}/s"
        + (", building the articles included" if path.name == "compare" else "")
        + ")"
        + (f"; {path.note}" if path.note else "")
        + ".\n",
        score_table(path, with_none=links),
        verdict(path, f"newsfold {path.name}"),
        "Confusion (rows: planted kind and the relation expected; columns: the label given; "
        "expected cells in bold"
        + (
            "; last column: copies given a `dup_of` other than their original, whatever the "
            "label):\n"
            if links
            else "):\n"
        ),
        confusion_table(path, kinds, links),
    ]
    shown = examples(path)
    if shown:
        parts.append(f"Wrong records, up to {EXAMPLES} per cell (planted kind → label):\n")
        parts.append(shown)
    return parts


def render(results: Results, quick: bool, per_kind: int) -> str:
    parts = [
        "## Relations per kind of planted copy\n",
        method(results, quick, per_kind),
        *path_part(results.dedup, "newsfold dedup (every record)", planted.KINDS, links=True),
    ]
    if results.dedup_numbers:
        parts += [
            "What dedup's relation rules read, for the copies it linked to their original: "
            "`similarity` (estimated Jaccard; `near_duplicate` from 0.6 unless the word order "
            "changed: 5-gram similarity below 0.72 of what the changed words explain) and the "
            "length ratio (shorter / longer, in shingles; `partial` below 0.75, whatever the "
            "similarity):\n",
            numbers_table(results.dedup_numbers, ("similarity", "length ratio")),
        ]
    parts += path_part(
        results.compare,
        "newsfold.compare (pairwise API, sampled copies)",
        planted.COPY_KINDS,
        links=False,
    )
    if results.compare_numbers:
        parts += [
            "What `compare`'s rules read (from each relation's alignment): coverage of each "
            "article (share of its characters in aligned sentences; `near_duplicate` needs both "
            "≥ 0.8 and the sentences in order, `partial` the larger ≥ 0.85 and the smaller "
            "< 0.8), the smaller 'derived' share (`near_duplicate` ≥ 0.8), the share of aligned "
            "pairs verbatim or edited (both ≥ 0.9) and the mean pair score (both ≥ 0.85):\n",
            numbers_table(
                results.compare_numbers,
                (
                    "coverage of original",
                    "coverage of copy",
                    "min derived",
                    "close share",
                    "mean pair score",
                ),
            ),
        ]
    if results.dedup.judged and results.compare.judged:
        parts += [
            "Both paths on the same sampled copies (right: the expected relation, and for "
            "dedup the planted original as `dup_of`):\n",
            agreement_table(results),
        ]
    return "\n".join(part for part in parts if part)


def run(quick: bool) -> str:
    """Generate the corpus, score both paths, delete it all, return the Markdown section."""
    n = 2_000 if quick else 10_000
    per_kind = QUICK_SAMPLE_PER_KIND if quick else SAMPLE_PER_KIND
    results = Results(code=code_state())
    WORK.mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"planted-relations-{n}-", dir=WORK))
    try:
        results.corpus = planted.write(n, folder / "planted.jsonl")
        records = run_dedup(results.corpus.path, folder, results)
        run_compare(records or list(_records(results.corpus.path)), per_kind, results)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return render(results, quick, per_kind)
