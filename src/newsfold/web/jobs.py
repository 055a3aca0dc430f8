"""Uploads: read into the store at once (all or nothing), analysed in the background.

:func:`store_uploads` writes each uploaded file under a name this module chooses (never one
from the request) in a private temporary folder, reads them with the CLI's readers and stores
their articles in **one** transaction: when any file cannot be read, nothing is stored and the
error names the file and the problem. Readers only read bytes: nothing is executed, extracted
to disk or followed.

:class:`JobRunner` then runs :func:`newsfold.engines.local.analyse` on one worker thread, one job
after another, with its own store connection (SQLite WAL: pages keep being served meanwhile);
each :class:`Job` records its stage and progress for the job page and ``/api/jobs/ID``.
"""

from __future__ import annotations

import queue
import re
import tempfile
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsfold.ingest import IngestReport
from newsfold.store import Store

__all__ = ["Job", "JobRunner", "Upload", "UploadError", "display_name", "store_uploads"]

#: Suffixes kept from an uploaded file's name (they help the readers pick a format).
KNOWN_SUFFIXES = (
    ".txt", ".md", ".html", ".htm", ".json", ".jsonl", ".ndjson", ".xml", ".rss", ".atom",
    ".warc", ".gz",
)  # fmt: skip


class UploadError(ValueError):
    """The upload as a whole was refused; nothing was stored."""


@dataclass(frozen=True, slots=True)
class Upload:
    """One uploaded file: the name the user gave it (shown only) and its bytes."""

    name: str
    data: bytes


def display_name(name: str) -> str:
    """An uploaded file's name as shown in messages: its last part, printable, at most 100
    characters (the name is never used as a path)."""
    last = re.split(r"[\\/]", name or "")[-1]
    clean = "".join(c for c in last if c.isprintable()).strip()
    return clean[:100] or "upload"


def _suffix(name: str) -> str:
    lowered = name.lower()
    for double in (".jsonl.gz", ".json.gz", ".warc.gz", ".txt.gz", ".html.gz"):
        if lowered.endswith(double):
            return double
    return next((s for s in KNOWN_SUFFIXES if lowered.endswith(s)), "")


class _Refused(Exception):
    """Raised inside the transaction to roll it back."""


def store_uploads(store: Store, uploads: Sequence[Upload]) -> tuple[IngestReport, list[str]]:
    """Store the articles of ``uploads`` in one transaction; raise :class:`UploadError` (and
    store nothing) when any file cannot be read or holds no article. Returns the ingest report
    (with the users' file names) and the ids of the articles added."""
    from newsfold.ingest import ingest

    if not uploads:
        raise UploadError("no file uploaded")
    with tempfile.TemporaryDirectory(prefix="newsfold-upload-") as tmp:
        folder = Path(tmp) / "upload"
        folder.mkdir()
        paths = []
        names = {}
        for k, upload in enumerate(uploads):
            path = folder / f"file{k:03d}{_suffix(display_name(upload.name))}"
            path.write_bytes(upload.data)
            paths.append(path)
            names[str(path)] = display_name(upload.name)
        last = store.last_seq()
        try:
            with store.transaction():
                report = ingest(store, paths)
                problems = []
                for result in report.files:
                    shown = names.get(result.name, result.name)
                    problems += [f"{shown}: {p.reason}" for p in result.problems if p.fatal]
                    if not result.problems and result.added + result.present == 0:
                        problems.append(f"{shown}: no article found in this file")
                if problems:
                    raise _Refused("; ".join(problems))
        except _Refused as exc:
            raise UploadError(f"nothing was stored: {exc}") from None
    for result in report.files:  # show the user's names, not the temporary ones
        result.name = names.get(result.name, result.name)
        for p in result.problems:
            p.location = p.location.replace(str(folder) + "/", "")
    return report, store.ids_after(last)


@dataclass
class Job:
    """One upload's analysis: its state (``queued``, ``running``, ``done``, ``failed``)."""

    id: str
    files: list[str]
    added: int
    state: str = "queued"
    stage: str = ""
    step: str = ""
    done: int = 0
    total: int = 0
    error: str | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    new_stories: int = 0
    stories: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    created: float = field(default_factory=time.time)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "files": self.files,
            "added": self.added,
            "state": self.state,
            "stage": self.stage,
            "step": self.step,
            "done": self.done,
            "total": self.total,
            "error": self.error,
            "seconds": {k: round(v, 2) for k, v in self.seconds.items()},
            "new_stories": self.new_stories,
            "stories": self.stories,
        }


class JobRunner:
    """Runs analysis jobs one at a time on a worker thread (see the module docstring)."""

    def __init__(self, db: str | Path, keep: int = 100) -> None:
        self.db = Path(db)
        self.keep = keep
        self._jobs: dict[str, Job] = {}
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, files: list[str], added: int, article_ids: list[str]) -> Job:
        job = Job(uuid.uuid4().hex[:12], files, added, articles=article_ids)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > self.keep:  # forget the oldest finished jobs
                oldest = next(
                    (j for j in self._jobs.values() if j.state in ("done", "failed")), None
                )
                if oldest is None:
                    break
                del self._jobs[oldest.id]
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="newsfold-jobs")
                self._thread.daemon = True
                self._thread.start()
        self._queue.put(job)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def busy(self) -> bool:
        with self._lock:
            return any(j.state in ("queued", "running") for j in self._jobs.values())

    def wait(self, job_id: str, timeout: float = 600.0) -> Job:
        """Block until the job has finished (tests, scripts)."""
        deadline = time.monotonic() + timeout
        while True:
            job = self.get(job_id)
            if job is None or job.state in ("done", "failed"):
                if job is None:
                    raise KeyError(job_id)
                return job
            if time.monotonic() > deadline:
                raise TimeoutError(f"job {job_id} still {job.state}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout=5)

    def _work(self) -> None:
        from newsfold.engines.local import analyse

        with Store(self.db) as store:
            while (job := self._queue.get()) is not None:

                def progress(stage: str, step: str, done: int, total: int, j: Job = job) -> None:
                    j.stage, j.step, j.done, j.total = stage, step, done, total

                job.state = "running"
                try:
                    analysis = analyse(store, progress)
                    if job.articles:
                        job.stories = store.stories_of(job.articles)
                    job.seconds, job.new_stories = analysis.seconds, analysis.new_stories
                    job.state = "done"
                except Exception as exc:  # shown on the job page; the server keeps serving
                    job.error = f"{type(exc).__name__}: {exc}"
                    job.state = "failed"
