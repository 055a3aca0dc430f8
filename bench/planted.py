"""A planted-copy corpus: generated news with known derived copies, to score deduplication.

Of ``N`` records about 60% are unrelated articles (no copy of them anywhere), about 8% are
originals, and 32% are copies of those originals, 8% of ``N`` of each kind:

* ``exact``: the original's text unchanged (under another id, often another outlet);
* ``light``: 2-4% of the words substituted, deleted or inserted, and half the time one sentence
  dropped;
* ``shuffled``: the same sentences in another order (regrouped into new paragraphs);
* ``partial``: a contiguous run of 40-70% of the original's sentences;
* ``paraphrase`` (only when asked for: ``kinds=ALL_COPY_KINDS``, ``--paraphrase``): the article
  rewritten sentence by sentence in other words and structure, facts (numbers, names) kept (see
  :mod:`bench.paraphrase`). Without it the corpus is exactly the one of earlier versions.

An original has 1 to 7 copies (4 on average), of kinds drawn at random. Originals and unrelated
articles are those of :mod:`bench.corpus` (same seed, same article); records are written in a
shuffled order, so a copy comes before its original about as often as after it. Half the copies
carry no ``published`` date, the others one later than their original's. Every record is
``{"id", "text", "source", "published" (optional), "planted": {"kind", "of"}}`` where ``kind`` is
``original``, ``unrelated`` or a copy kind and ``of`` the id of the copied original (null for
originals and unrelated articles).

Everything is seeded: the same ``N`` and seed give the same file. Only the plan (a few small
numbers per record) is held in memory; texts are generated one at a time and streamed to disk.

Command line: ``python -m bench.planted N OUT.jsonl [--seed S] [--paraphrase]``. As a benchmark
section (``python -m bench planted``) it describes a generated corpus: its make-up, and how
similar each kind of copy is to its original (exact Jaccard similarity of word 5-gram sets, and
containment).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench import corpus, report
from bench.paraphrase import paraphrase

__all__ = [
    "ALL_COPY_KINDS",
    "COPY_KINDS",
    "KINDS",
    "PlantedCorpus",
    "derive",
    "plan",
    "records",
    "run",
    "write",
]

COPY_KINDS: tuple[str, ...] = ("exact", "light", "shuffled", "partial")
KINDS: tuple[str, ...] = ("original", "unrelated", *COPY_KINDS)
#: Every kind of copy, the optional ``paraphrase`` included.
ALL_COPY_KINDS: tuple[str, ...] = (*COPY_KINDS, "paraphrase")
#: Share of ``N`` taken by each kind of copy.
COPY_SHARE = 0.08
#: An original has 1 … MAX_COPIES copies (uniformly: 4 on average, so originals are ~8% of N).
MAX_COPIES = 7
MIN_RECORDS = 50
#: Words that light edits substitute or insert.
FILLERS: tuple[str, ...] = (
    "also", "now", "reportedly", "new", "local", "still", "officially", "already", "recently",
    "early", "late", "major", "further", "however", "several", "nearly", "regional", "public",
)  # fmt: skip

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[“\"A-Z0-9])|(?<=[.!?][”\"])\s+(?=[“\"A-Z0-9])")

Paragraphs = Sequence[str]


@dataclass(frozen=True, slots=True)
class Planned:
    """One record to write: its kind, the article it comes from, and its copy number (or -1)."""

    kind: str
    article: int
    copy: int = -1


@dataclass(frozen=True, slots=True)
class PlantedCorpus:
    """A planted corpus on disk."""

    path: Path
    records: int
    kinds: dict[str, int]
    bytes: int
    seconds: float


# --------------------------------------------------------------------------- the plan


def _copy_kinds(n: int, rng: random.Random, copy_kinds: Sequence[str]) -> list[str]:
    per_kind = round(n * COPY_SHARE)
    kinds = [kind for kind in copy_kinds for _ in range(per_kind)]
    rng.shuffle(kinds)
    return kinds


def plan(
    n: int, seed: int = corpus.DEFAULT_SEED, kinds: Sequence[str] = COPY_KINDS
) -> list[Planned]:
    """The ``n`` records of the corpus, in file order (originals, copies and unrelated, shuffled).

    Articles ``0 … k-1`` of :mod:`bench.corpus` are the originals, the next ones the unrelated;
    ``kinds``: the kinds of copy planted (8% of ``n`` each).
    """
    copy_kinds = kinds
    if n < MIN_RECORDS:
        raise ValueError(f"a planted corpus needs at least {MIN_RECORDS} records, not {n}")
    rng = random.Random(f"planted-plan:{seed}:{n}")
    kinds = _copy_kinds(n, rng, copy_kinds)
    items: list[Planned] = []
    article = 0
    while len(items) - article < len(kinds):
        items.append(Planned("original", article))
        take = rng.randint(1, MAX_COPIES)
        start = len(items) - article - 1  # copies planned so far
        for kind in kinds[start : start + take]:
            items.append(Planned(kind, article, len(items) - article - 1))
        article += 1
    items.extend(Planned("unrelated", a) for a in range(article, article + n - len(items)))
    rng.shuffle(items)
    return items


# --------------------------------------------------------------------------- derived copies


def sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph (split after . ! ? and closing quotes)."""
    return [s for s in _SENTENCE_END.split(paragraph) if s]


def _regroup(items: Sequence[str], rng: random.Random) -> str:
    """Sentences joined into paragraphs of 1-3 sentences, separated by blank lines."""
    paragraphs: list[str] = []
    i = 0
    while i < len(items):
        size = rng.randint(1, 3)
        paragraphs.append(" ".join(items[i : i + size]))
        i += size
    return "\n\n".join(paragraphs)


def _exact(paragraphs: Paragraphs, rng: random.Random) -> str:
    return "\n\n".join(paragraphs)


def _drop_a_sentence(paragraphs: Paragraphs, rng: random.Random) -> list[list[str]]:
    split = [sentences(p) for p in paragraphs]
    places = [(i, j) for i, ss in enumerate(split) for j in range(len(ss)) if i > 0]
    if places and rng.random() < 0.5:
        i, j = rng.choice(places)
        del split[i][j]
    return [ss for ss in split if ss]


def _edit_words(words: list[list[str]], rng: random.Random) -> None:
    """Substitute, delete or insert 2-4% of the words (in place; paragraphs never emptied)."""
    places = [(i, j) for i, ws in enumerate(words) for j in range(len(ws))]
    k = max(1, round(rng.uniform(0.02, 0.04) * len(places)))
    for i, j in sorted(rng.sample(places, k), reverse=True):
        op = rng.choice(("substitute", "delete", "insert"))
        if op == "substitute":
            words[i][j] = rng.choice(FILLERS)
        elif op == "delete" and len(words[i]) > 1:
            del words[i][j]
        else:
            words[i].insert(j, rng.choice(FILLERS))


def _light(paragraphs: Paragraphs, rng: random.Random) -> str:
    kept = _drop_a_sentence(paragraphs, rng)
    words = [" ".join(ss).split(" ") for ss in kept]
    _edit_words(words, rng)
    return "\n\n".join(" ".join(ws) for ws in words)


def _all_sentences(paragraphs: Paragraphs) -> list[str]:
    return [s for p in paragraphs for s in sentences(p)]


def _shuffled(paragraphs: Paragraphs, rng: random.Random) -> str:
    items = _all_sentences(paragraphs)
    original = list(items)
    while len(items) > 1 and items == original:
        rng.shuffle(items)
    return _regroup(items, rng)


def _partial(paragraphs: Paragraphs, rng: random.Random) -> str:
    items = _all_sentences(paragraphs)
    length = max(1, round(rng.uniform(0.4, 0.7) * len(items)))
    start = rng.randint(0, len(items) - length)
    return _regroup(items[start : start + length], rng)


def _paraphrase(paragraphs: Paragraphs, rng: random.Random) -> str:
    return paraphrase(paragraphs, rng, sentences)


DERIVE: dict[str, Callable[[Paragraphs, random.Random], str]] = {
    "exact": _exact,
    "light": _light,
    "shuffled": _shuffled,
    "partial": _partial,
    "paraphrase": _paraphrase,
}


def derive(kind: str, paragraphs: Paragraphs, rng: random.Random) -> str:
    """The text of a ``kind`` copy of an article given as paragraphs."""
    return DERIVE[kind](paragraphs, rng)


# --------------------------------------------------------------------------- records


def _original(item: Planned, seed: int) -> dict[str, Any]:
    a = corpus.make_article(item.article, seed)
    return {
        "id": a.id,
        "text": a.text,
        "source": a.outlet.name,
        "published": a.published.isoformat(),
        "planted": {"kind": item.kind, "of": None},
    }


def _copy(item: Planned, seed: int) -> dict[str, Any]:
    a = corpus.make_article(item.article, seed)
    rng = random.Random(f"planted-copy:{seed}:{item.copy}")
    outlet = rng.choice(corpus.OUTLETS)
    record: dict[str, Any] = {
        "id": f"{outlet.slug}-copy-{item.copy:07d}",
        "text": derive(item.kind, a.paragraphs, rng),
        "source": outlet.name,
    }
    if rng.random() < 0.5:
        later = a.published + timedelta(minutes=rng.randint(30, 14 * 24 * 60))
        record["published"] = later.isoformat()
    record["planted"] = {"kind": item.kind, "of": a.id}
    return record


def records(
    n: int, seed: int = corpus.DEFAULT_SEED, kinds: Sequence[str] = COPY_KINDS
) -> Iterator[dict[str, Any]]:
    """The ``n`` records of the corpus, in file order, generated one at a time."""
    for item in plan(n, seed, kinds):
        yield _copy(item, seed) if item.kind in DERIVE else _original(item, seed)


def write(
    n: int, path: Path, seed: int = corpus.DEFAULT_SEED, kinds: Sequence[str] = COPY_KINDS
) -> PlantedCorpus:
    """Write the planted corpus of ``n`` records to ``path`` (JSON Lines), streaming;
    ``kinds``: the kinds of copy planted (:data:`ALL_COPY_KINDS` adds paraphrases)."""
    started = time.perf_counter()
    counted: Counter[str] = Counter()
    size = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        for record in records(n, seed, kinds):
            counted[record["planted"]["kind"]] += 1
            size += fh.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
    extra = [k for k in ALL_COPY_KINDS if k not in KINDS and counted[k]]
    counts = {kind: counted[kind] for kind in (*KINDS, *extra)}
    return PlantedCorpus(path, n, counts, size, time.perf_counter() - started)


# --------------------------------------------------------------------------- similarity


def shingle_set(text: str, ngram: int = 5) -> set[str]:
    """Word ``ngram``-grams of the lower-cased text, words cut at non-alphanumeric characters
    (as both deduplicators do; see :mod:`bench.peer_datasketch`)."""
    words = [w for w in re.split(r"[\W_]+", text.lower()) if w]
    if len(words) < ngram:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + ngram]) for i in range(len(words) - ngram + 1)}


def similarity(copy: str, original: str) -> tuple[float, float]:
    """Exact Jaccard similarity of the two shingle sets, and the share of the copy's shingles
    found in the original (containment)."""
    a, b = shingle_set(copy), shingle_set(original)
    shared = len(a & b)
    union = len(a | b)
    return (shared / union if union else 1.0), (shared / len(a) if a else 1.0)


# --------------------------------------------------------------------------- the section

WORK = Path(__file__).with_name(".work")
SAMPLE_PER_KIND = 300


def _sampled_by_kind() -> dict[str, list[float]]:
    return {kind: [] for kind in ALL_COPY_KINDS}


@dataclass(slots=True)
class Survey:
    """What one pass over a corpus file tells: copy order, dates, and sampled similarities."""

    copies: int = 0
    before_original: int = 0
    dated_copies: int = 0
    jaccard: dict[str, list[float]] = field(default_factory=_sampled_by_kind)
    containment: dict[str, list[float]] = field(default_factory=_sampled_by_kind)
    unrelated_jaccard: list[float] = field(default_factory=list)


def _survey(path: Path, sample_per_kind: int = SAMPLE_PER_KIND) -> Survey:
    """Scan the corpus: order and dates of all copies; similarity of the first copies of each
    kind (their originals' texts are kept: originals are 8% of the corpus)."""
    survey = Survey()
    seen: set[str] = set()
    originals: dict[str, str] = {}
    sample: list[tuple[str, str, str]] = []  # (kind, copy text, original id)
    sampled: Counter[str] = Counter()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            kind, of = record["planted"]["kind"], record["planted"]["of"]
            seen.add(record["id"])
            if kind == "original":
                originals[record["id"]] = record["text"]
            if of is None:
                continue
            survey.copies += 1
            survey.before_original += of not in seen
            survey.dated_copies += "published" in record
            if sampled[kind] < sample_per_kind:
                sampled[kind] += 1
                sample.append((kind, record["text"], of))
    for kind, text, of in sample:
        j, c = similarity(text, originals[of])
        survey.jaccard[kind].append(j)
        survey.containment[kind].append(c)
    texts = list(originals.values())[: 2 * SAMPLE_PER_KIND]
    pairs = zip(texts[::2], texts[1::2], strict=False)
    survey.unrelated_jaccard = [similarity(a, b)[0] for a, b in pairs]
    return survey


def _spread(values: Sequence[float]) -> str:
    if not values:
        return "–"
    q = statistics.quantiles(values, n=10) if len(values) > 1 else [values[0]] * 9
    return (
        f"{min(values):.2f} / {q[0]:.2f} / {statistics.median(values):.2f} / {q[-1]:.2f} / "
        f"{max(values):.2f}"
    )


def render(c: PlantedCorpus, survey: Survey, quick: bool) -> str:
    composition = report.table(
        ("kind", "records", "share"),
        [[k, f"{c.kinds[k]:,}", f"{c.kinds[k] / c.records:.1%}"] for k in KINDS],
    )
    rows = [
        [k, str(len(survey.jaccard[k])), _spread(survey.jaccard[k]), _spread(survey.containment[k])]
        for k in COPY_KINDS
    ]
    rows.append(
        ["two different originals", str(len(survey.unrelated_jaccard)),
         _spread(survey.unrelated_jaccard), "–"]
    )  # fmt: skip
    similarity_table = report.table(
        ("pair", "pairs", "Jaccard: min / p10 / median / p90 / max", "containment: same"), rows
    )
    return "\n".join(
        [
            "## Planted-copy corpus\n",
            report.facts(quick=quick)
            + f"- Generated: `python -m bench.planted {c.records} OUT.jsonl` "
            f"({c.records:,} records, {c.bytes / report.MB:,.1f} MB, in {c.seconds:.1f} s, "
            f"{c.records / c.seconds:,.0f} records/s); the corpus `dedup_speed` scores against.\n",
            composition,
            f"{survey.before_original / survey.copies:.0%} of the copies come before their "
            f"original in the file; {survey.dated_copies / survey.copies:.0%} carry a "
            "`published` date (later than their original's).\n",
            "How similar copies are to their original (sampled, the first "
            f"{SAMPLE_PER_KIND} of each kind in file order): exact Jaccard similarity of the "
            "word 5-gram sets, and containment (share of the copy's 5-grams found in the "
            "original). For scale, pairs of different originals are shown too.\n",
            similarity_table,
        ]
    )


def run(quick: bool) -> str:
    """Generate a corpus (10k records; quick: 2k), describe it, and delete it."""
    n = 2_000 if quick else 10_000
    WORK.mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"planted-{n}-", dir=WORK))
    try:
        c = write(n, folder / "planted.jsonl")
        return render(c, _survey(c.path), quick)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.planted", description=__doc__.split("\n")[0]
    )
    parser.add_argument("n", type=int, help="how many records")
    parser.add_argument("out", type=Path, help="the JSON Lines file to write")
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    parser.add_argument(
        "--paraphrase", action="store_true", help="also plant paraphrased copies (8%% of N)"
    )
    args = parser.parse_args(argv)
    c = write(args.n, args.out, args.seed, ALL_COPY_KINDS if args.paraphrase else COPY_KINDS)
    kinds = ", ".join(f"{n:,} {k}" for k, n in c.kinds.items())
    print(
        f"{c.records:,} records ({kinds}), {c.bytes / report.MB:.1f} MB, in {c.path} "
        f"({c.seconds:.1f} s)"
    )


if __name__ == "__main__":
    main()
