"""Ingest: inputs → readers → articles → store, one transaction per input file.

:func:`ingest` expands the paths it is given (folders recursively, with include and exclude
globs; ``-`` is standard input), picks a reader for each file by content, builds articles and
stores them. Bad input never stops the run: every file or record that could not be read becomes a
:class:`~newsfold.readers.Problem` in the :class:`IngestReport`, and a file whose reading fails
as a whole leaves nothing behind in the store.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsfold.article import Article, ArticleError, build_article
from newsfold.readers import (
    STREAM_ERRORS,
    Input,
    Problem,
    Raw,
    ReaderError,
    ReadOptions,
    get_reader,
    pick_reader,
)

if TYPE_CHECKING:
    from newsfold.store import Store

__all__ = [
    "FileResult",
    "IngestReport",
    "file_problem",
    "ingest",
    "iter_inputs",
    "read_articles",
    "spool_stdin",
]

STDIN = "-"


@dataclass(slots=True)
class FileResult:
    """What became of one input file."""

    name: str
    format: str | None = None
    added: int = 0
    present: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(p.fatal for p in self.problems)


@dataclass(slots=True)
class IngestReport:
    """The outcome of one ingest run; ``ok`` is False when anything failed."""

    files: list[FileResult] = field(default_factory=list)
    interrupted: bool = False

    @property
    def added(self) -> int:
        return sum(f.added for f in self.files)

    @property
    def present(self) -> int:
        return sum(f.present for f in self.files)

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems]

    @property
    def failures(self) -> list[Problem]:
        return [p for p in self.problems if p.fatal]

    @property
    def ok(self) -> bool:
        return not self.failures and not self.interrupted

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "added": self.added,
            "already_present": self.present,
            "files": len(self.files),
            "failed": len(self.failures),
            "skipped": len(self.problems) - len(self.failures),
            "interrupted": self.interrupted,
            "problems": [
                {"location": p.location, "reason": p.reason, "fatal": p.fatal}
                for p in self.problems
            ],
            "by_file": [
                {"file": f.name, "format": f.format, "added": f.added, "already_present": f.present}
                for f in self.files
            ],
        }


def _matches(rel: str, patterns: Sequence[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in patterns)


def iter_inputs(
    paths: Sequence[str | os.PathLike[str]],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    skip: Sequence[Path] = (),
) -> Iterator[Path | Problem]:
    """The files named by ``paths``, folders walked recursively in name order.

    Hidden files and folders (``.name``) inside folders are passed over, as are the ``skip`` paths
    (the store's own files). ``include`` and ``exclude`` are globs matched against the path relative
    to the folder given, or against the file name. A path that does not exist is a :class:`Problem`.
    """
    skipped = {p.resolve() for p in skip}
    for given in paths:
        path = Path(given)
        if str(given) == STDIN:
            yield path
        elif path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    file = Path(root, name)
                    rel = file.relative_to(path).as_posix()
                    if include and not _matches(rel, include):
                        continue
                    if exclude and _matches(rel, exclude):
                        continue
                    if file.resolve() in skipped:
                        continue
                    yield file
        elif path.is_file():
            yield path
        elif path.exists():
            yield Problem(str(given), "not a regular file (a device, socket or pipe)")
        else:
            yield Problem(str(given), "no such file or directory")


def spool_stdin() -> Path:
    """Standard input copied to a temporary file (the caller removes it)."""
    fd, name = tempfile.mkstemp(prefix="newsfold-stdin-")
    with os.fdopen(fd, "wb") as out:
        shutil.copyfileobj(sys.stdin.buffer, out)
    return Path(name)


def read_articles(
    inp: Input, options: ReadOptions, fmt: str | None = None
) -> Iterator[Article | Problem]:
    """The articles of one input, in the order read, and the problems of its records (a line
    that is not JSON, a record without text, ...). Raises :class:`ReaderError` (or a stream
    error: see :func:`file_problem`) when the file as a whole cannot be read: callers keep
    nothing of such a file. Both engines read files through this."""
    reader = get_reader(fmt) if fmt else pick_reader(inp)
    if not reader.streaming and inp.size > options.max_file_bytes and not inp.compressed:
        raise ReaderError(
            f"file too large ({inp.size / 1_048_576:.1f} MB; the limit is "
            f"{options.max_file_bytes / 1_048_576:.1f} MB, raise it with --max-size)"
        )
    for item in reader.read(inp, options):
        if isinstance(item, Problem):
            yield item
            continue
        try:
            yield _build(item, options)
        except ArticleError as exc:
            yield Problem(item.location, str(exc))


def file_problem(name: str, exc: BaseException) -> Problem | None:
    """The problem that ends the reading of file ``name`` (None: not a reading error)."""
    if isinstance(exc, ReaderError):
        return Problem(name, str(exc))
    if isinstance(exc, PermissionError):
        return Problem(name, "permission denied")
    if isinstance(exc, (*STREAM_ERRORS, UnicodeError)):
        return Problem(name, f"cannot read: {exc}")
    return None


def _read_file(
    store: Store,
    inp: Input,
    options: ReadOptions,
    fmt: str | None,
    result: FileResult,
    on_article: Callable[[], None],
) -> None:
    result.format = (get_reader(fmt) if fmt else pick_reader(inp)).name
    added = present = 0
    problems: list[Problem] = []
    with store.transaction():
        for item in read_articles(inp, options, fmt):
            if isinstance(item, Problem):
                problems.append(item)
                continue
            status = store.add(item)
            if status == "added":
                added += 1
            elif status == "present":
                present += 1
            else:
                problems.append(
                    Problem(
                        item.origin or inp.name, f"id {item.id!r} is stored with a different text"
                    )
                )
            on_article()
    # Counted only once the file's transaction has committed.
    result.added, result.present = added, present
    result.problems.extend(problems)


def _build(raw: Raw, options: ReadOptions) -> Article:
    return build_article(
        raw.fields,
        origin=raw.location,
        default_source=options.source or raw.default_source,
        default_language=options.language,
        markdown=raw.markdown,
    )


def ingest(
    store: Store,
    paths: Sequence[str | os.PathLike[str]],
    options: ReadOptions | None = None,
    *,
    fmt: str | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    on_progress: Callable[[str, int], None] | None = None,
) -> IngestReport:
    """Read ``paths`` into ``store`` and report what happened; see the module docstring.

    ``fmt`` forces a reader (``text``, ``html``, ``json``, ``jsonl``, ``feed``, ``warc``) instead
    of sniffing. ``on_progress(event, n)`` is called with ``("file", 1)`` after each file and
    ``("article", 1)`` after each stored article.
    """
    options = options or ReadOptions()
    report = IngestReport()
    if fmt is not None:
        get_reader(fmt)  # fail early on an unknown name
    notify = on_progress or (lambda _event, _n: None)
    own = [store.path, Path(f"{store.path}-wal"), Path(f"{store.path}-shm")]
    try:
        for item in iter_inputs(paths, include=include, exclude=exclude, skip=own):
            if isinstance(item, Problem):
                report.files.append(FileResult(item.location, problems=[item]))
                notify("file", 1)
                continue
            result = FileResult("<stdin>" if str(item) == STDIN else str(item))
            report.files.append(result)
            spooled = spool_stdin() if str(item) == STDIN else None
            try:
                inp = Input.from_path(spooled or item, name=result.name)
                _read_file(store, inp, options, fmt, result, lambda: notify("article", 1))
            except (ReaderError, PermissionError, *STREAM_ERRORS, UnicodeError) as exc:
                problem = file_problem(result.name, exc)
                assert problem is not None
                result.problems.append(problem)
            finally:
                if spooled is not None:
                    spooled.unlink(missing_ok=True)
            notify("file", 1)
    except KeyboardInterrupt:
        report.interrupted = True
    return report
