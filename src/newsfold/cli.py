"""The ``newsfold`` command line (Typer + Rich).

Exit codes: 0 the run succeeded; 1 the run failed (some input could not be read, a store error);
2 a usage error (unknown option, bad value). Tables and messages go to the terminal; ``--json``
writes data to standard output and nothing else there.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from newsfold import __version__
from newsfold.article import Article
from newsfold.dataset import write_jsonl
from newsfold.readers import READERS, Problem, ReadOptions
from newsfold.store import Store, StoreError, default_db_path

if TYPE_CHECKING:
    from newsfold.engines.local import LocalEngine

app = typer.Typer(
    name="newsfold",
    help="Fold a pile of news articles into stories: ingest, store, search and export articles.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)
# Piped output is not cut to 80 columns: tables stay readable in files and CI logs.
_PIPED_WIDTH = None if sys.stdout.isatty() else 160
out = Console(width=_PIPED_WIDTH)
err = Console(stderr=True, width=None if sys.stderr.isatty() else 160)

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        envvar="NEWSFOLD_DB",
        help="The store file (default: newsfold.db in the working directory).",
        show_default=False,
    ),
]
EngineOption = Annotated[
    str,
    typer.Option(
        "--engine", help="local (this process, the store as cache) or spark (Spark stages)."
    ),
]
MasterOption = Annotated[
    str | None,
    typer.Option("--master", help="With --engine spark: the Spark master URL (default local[2])."),
]
PartitionsOption = Annotated[
    int,
    typer.Option(
        "--partitions", min=1, help="With --engine spark: partitions the work is split into."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Write the result as JSON to stdout.")]
OutOption = Annotated[
    Path | None, typer.Option("--out", "-o", help="Write here (default: stdout).")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress, no messages.")]
SourceFilter = Annotated[str | None, typer.Option("--source", help="Only this outlet.")]
LanguageFilter = Annotated[
    str | None, typer.Option("--language", help="Only this language (ISO 639-1).")
]
SinceFilter = Annotated[
    str | None, typer.Option("--since", help="Published on or after this date (YYYY-MM-DD).")
]
UntilFilter = Annotated[
    str | None, typer.Option("--until", help="Published on or before this date (YYYY-MM-DD).")
]


def _progress(label: str, *, disabled: bool, extra: str = "") -> Progress:
    """The progress bar every long command shows on stderr (gone when it ends)."""
    return Progress(
        SpinnerColumn(),
        TextColumn(f"[bold]{label}[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        *([TextColumn(extra)] if extra else []),
        TimeElapsedColumn(),
        console=err,
        disable=disabled,
        transient=True,
    )


def _fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[bold red]error:[/] {escape(message)}")
    raise typer.Exit(code)


def _open(db: Path | None) -> Store:
    try:
        return Store(db if db is not None else default_db_path())
    except StoreError as exc:
        _fail(str(exc))


def _write_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _write_json_array(items: Iterable[dict[str, Any]]) -> None:
    """A JSON array written item by item, so that large stores stream."""
    first = True
    sys.stdout.write("[")
    for item in items:
        sys.stdout.write(("\n  " if first else ",\n  ") + json.dumps(item, ensure_ascii=False))
        first = False
    sys.stdout.write("\n]\n" if not first else "]\n")


def _date(value: datetime | None) -> str:
    return value.date().isoformat() if value else "—"


def _cut(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _checked_filters(since: str | None, until: str | None) -> None:
    from newsfold.dates import parse_datetime

    for name, value in (("--since", since), ("--until", until)):
        if value is not None and parse_datetime(value) is None:
            raise typer.BadParameter(f"not a date: {value!r}", param_hint=name)


def _version(value: bool) -> None:
    if value:
        out.print(f"newsfold {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = None,
) -> None:
    """newsfold: news articles in, stories people can trust out."""


# --------------------------------------------------------------------------- ingest


def _parse_fields(values: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    allowed = {"id", "text", "title", "source", "url", "published", "language", "author"}
    for value in values:
        name, sep, key = value.partition("=")
        if not sep or not name or not key:
            raise typer.BadParameter(f"expected FIELD=KEY, got {value!r}", param_hint="--field")
        if name not in allowed:
            raise typer.BadParameter(
                f"unknown article field {name!r}; one of {', '.join(sorted(allowed))}",
                param_hint="--field",
            )
        mapping[name] = key
    return mapping


@app.command()
def ingest(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files or folders to read (folders recursively); '-' reads standard input.",
            show_default=False,
        ),
    ],
    db: DbOption = None,
    include: Annotated[
        list[str] | None,
        typer.Option("--include", "-i", help="In folders, read only files matching this glob."),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", "-x", help="In folders, skip files matching this glob."),
    ] = None,
    field: Annotated[
        list[str] | None,
        typer.Option(
            "--field",
            "-f",
            help="Map an article field to a JSON key: --field text=body --field published=date.",
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help=f"Force a reader instead of detecting by content: {', '.join(READERS)}.",
        ),
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Outlet name for inputs that name none.")
    ] = None,
    language: Annotated[
        str | None,
        typer.Option("--language", help="Language (ISO 639-1) for inputs that name none."),
    ] = None,
    max_size: Annotated[
        float,
        typer.Option("--max-size", help="Largest file read whole, in MB (JSONL/WARC stream)."),
    ] = 64.0,
    as_json: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Read articles from text, Markdown, HTML, JSON, JSON Lines, RSS/Atom, WARC and Parquet
    inputs.

    The format is recognised by content. Every file is stored in one transaction: all of it or
    nothing. Articles already stored are recognised and counted, not stored twice. Inputs that
    cannot be read are listed at the end; the exit code is 1 when any failed. The data folder of
    a Spark run (OUT/data) is read whole into a new store: articles, relations, stories, claims
    and reports, ready for `newsfold serve`.
    """
    from newsfold.output import OutputError, import_output, is_output

    if any(Path(p).is_dir() and is_output(Path(p)) for p in paths):
        if len(paths) != 1:
            _fail("a newsfold output folder is read alone (one path), into a new store")
        try:
            with _open(db) as store:
                counts = import_output(store, Path(paths[0]))
        except OutputError as exc:
            _fail(str(exc))
        if as_json:
            _write_json(counts)
        elif not quiet:
            out.print(", ".join(f"{n} {table}" for table, n in counts.items()) + " read")
        return
    if fmt is not None and fmt not in READERS:
        raise typer.BadParameter(f"choose from {', '.join(READERS)}", param_hint="--format")
    if max_size <= 0:
        raise typer.BadParameter("must be positive", param_hint="--max-size")
    options = ReadOptions(
        field_map=_parse_fields(field or []),
        source=source,
        language=language,
        max_file_bytes=int(max_size * 1_048_576),
    )
    store = _open(db)
    with store:
        before = len(store)
        progress = _progress(
            "ingest",
            disabled=quiet or as_json,
            extra="files · {task.fields[articles]} articles",
        )
        with progress:
            task = progress.add_task("ingest", total=None, articles=0)
            counts = {"file": 0, "article": 0}

            def on_progress(event: str, n: int) -> None:
                counts[event] += n
                progress.update(task, completed=counts["file"], articles=counts["article"])

            report = store.ingest(
                paths,
                options,
                fmt=fmt,
                include=include or (),
                exclude=exclude or (),
                on_progress=on_progress,
            )
        total = len(store)
    if as_json:
        _write_json({**report.to_dict(), "db": str(store.path), "stored_total": total})
    elif not quiet:
        _print_ingest(report, store.path, before, total)
    if report.interrupted:
        raise typer.Exit(130)
    if not report.ok:
        raise typer.Exit(1)


def _print_ingest(report: Any, path: Path, before: int, total: int) -> None:
    problems = report.problems
    if problems:
        table = Table(title="Not stored", title_justify="left", show_lines=False)
        table.add_column("input", overflow="fold")
        table.add_column("reason", overflow="fold")
        for p in problems[:50]:
            reason = escape(p.reason) if p.fatal else f"[dim]{escape(p.reason)}[/]"
            table.add_row(escape(p.location), reason)
        err.print(table)
        if len(problems) > 50:
            err.print(f"… and {len(problems) - 50} more (use --json for all)")
    fmts: dict[str, int] = {}
    for f in report.files:
        if f.format and (f.added or f.present):
            fmts[f.format] = fmts.get(f.format, 0) + 1
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(fmts.items())) or "none"
    failed = len(report.failures)
    colour = "red" if failed else "green"
    err.print(
        f"[{colour}]Stored {report.added} new article(s)[/], {report.present} already present, "
        f"from {len(report.files)} input(s) ({kinds}); "
        f"{failed} failed, {len(problems) - failed} skipped."
    )
    err.print(f"The store {escape(str(path))} now holds {total} article(s) (was {before}).")


# --------------------------------------------------------------------------- reading


def _article_row(a: Article, *, text: bool = True) -> dict[str, Any]:
    record = a.to_record()
    if not text:
        record.pop("text")
    return record


@app.command()
def articles(
    db: DbOption = None,
    source: SourceFilter = None,
    language: LanguageFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", help="At most this many (default: all with --json, else 100)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List stored articles, oldest first, with filters."""
    _checked_filters(since, until)
    with _open(db) as store:
        filters = {"source": source, "language": language, "since": since, "until": until}
        if as_json:
            _write_json_array(_article_row(a) for a in store.articles(**filters, limit=limit))
            return
        shown = limit if limit is not None else 100
        total = store.count(**filters)
        table = Table(
            title=f"{total} article(s) in {escape(str(store.path))}",
            title_justify="left",
            box=box.SIMPLE_HEAD,
        )
        table.add_column("id", no_wrap=True)
        table.add_column("published", no_wrap=True)
        table.add_column("source", no_wrap=True, max_width=22, overflow="ellipsis")
        table.add_column("lang", no_wrap=True)
        table.add_column("title", no_wrap=True, min_width=20, ratio=1, overflow="ellipsis")
        for a in store.articles(**filters, limit=shown):
            table.add_row(
                a.id,
                _date(a.published),
                escape(a.source or "?"),
                a.language or "?",
                escape(_cut(a.title, 120)),
            )
        out.print(table)
        if total > shown:
            out.print(f"… {total - shown} more (use --limit, or --json for all)")


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(help="An article id (a unique prefix is enough).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one article: metadata, its sentences with offsets, and the boilerplate removed."""
    with _open(db) as store:
        article = store.get(article_id)
    if article is None:
        _fail(f"no article with id {article_id!r} (newsfold articles lists them)")
    if as_json:
        _write_json(
            {
                **article.to_record(),
                "sentences": [{"start": s, "end": e} for s, e in article.spans],
                "boilerplate": article.boilerplate,
                "origin": article.origin,
            }
        )
        return
    out.print(f"[bold]{escape(article.title or '(untitled)')}[/]")
    meta = [
        ("id", article.id),
        ("source", article.source),
        ("published", article.published.isoformat() if article.published else None),
        ("language", article.language),
        ("author", article.author),
        ("url", article.url),
        ("from", article.origin),
    ]
    for key, value in meta:
        if value:
            out.print(f"[dim]{key:>9}[/] {escape(str(value))}")
    out.print()
    for s in article.sentences:
        out.print(f"[dim]{s.index:>3} {s.start:>6}-{s.end:<6}[/] {escape(s.text)}")
    if article.boilerplate:
        out.print("\n[dim]removed:[/]")
        for item in article.boilerplate:
            out.print(f"[dim]  {escape(item['reason'])}: {escape(item['line'])}[/]")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Words to find, e.g. "ceasefire Egypt".')],
    db: DbOption = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many results.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Full-text search over titles and texts (SQLite FTS5, best matches first)."""
    with _open(db) as store:
        hits = store.search(query, limit=limit)
    if as_json:
        _write_json(
            [
                {**_article_row(h.article, text=False), "snippet": h.snippet, "rank": h.rank}
                for h in hits
            ]
        )
        return
    if not hits:
        err.print(f"No article matches {query!r}.")
        return
    table = Table(title=f"{len(hits)} match(es) for {escape(query)!r}", title_justify="left")
    for column in ("id", "published", "source", "title / snippet"):
        table.add_column(column, no_wrap=column != "title / snippet")
    for h in hits:
        snippet = escape(_cut(h.snippet, 160))
        table.add_row(
            h.article.id,
            _date(h.article.published),
            escape(_cut(h.article.source, 24)),
            f"[bold]{escape(_cut(h.article.title, 90))}[/]\n[dim]{snippet}[/]",
        )
    out.print(table)


@app.command()
def export(
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="Output format: jsonl.")] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file (default: stdout).")
    ] = None,
    source: SourceFilter = None,
    language: LanguageFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    quiet: QuietOption = False,
) -> None:
    """Export stored articles as interchange records (JSON Lines); ingest reads them back."""
    if fmt != "jsonl":
        raise typer.BadParameter("only 'jsonl' is supported", param_hint="--format")
    _checked_filters(since, until)
    filters = {"source": source, "language": language, "since": since, "until": until}
    with _open(db) as store:
        progress = _progress("export", disabled=quiet or output is None)
        with progress:
            task = progress.add_task("export", total=store.count(**filters))
            records = (a.to_record() for a in store.articles(**filters))
            try:
                n = write_jsonl(output, records, lambda: progress.advance(task))
            except OSError as exc:
                _fail(f"{output}: cannot write ({exc.strerror or exc})")
    if output is not None and not quiet:
        err.print(f"Wrote {n} article(s) to {escape(str(output))}.")


def _text_records(data: Any) -> Iterator[tuple[int, dict[str, Any], str]]:
    """``(line, record, text)`` of a dataset's records; a record without text is a problem."""
    for lineno, record in data.records():
        text = record.get("text")
        if not isinstance(text, str) or not text.strip():
            data.problems.append(Problem(f"{data.inp.name}:{lineno}", "no text"))
            continue
        yield lineno, record, text


def _dataset_done(
    summary: str, written: int, output: Path | None, problems: list[Problem], quiet: bool
) -> None:
    """The end of a dataset command: its problems and one summary line; exit 1 on problems."""
    if not quiet:
        for p in problems[:50]:
            err.print(f"[red]{escape(str(p))}[/]")
        err.print(
            f"{summary}; wrote {written} record(s)"
            + (f" to {escape(str(output))}" if output else "")
            + (f"; {len(problems)} line(s) could not be read" if problems else "")
        )
    if problems:
        raise typer.Exit(1)


EngineOption = Annotated[
    str,
    typer.Option(
        "--engine",
        help="local: in this process; spark: on Spark (dataset mode at scale; exit code 0 when "
        "the job ran, even with rejects, which are counted and written to OUT.rejects.jsonl or "
        "OUT/rejects; OUT ending in .parquet or a folder writes Parquet; inputs may be Parquet).",
    ),
]
MasterOption = Annotated[
    str | None,
    typer.Option("--master", help="With --engine spark: the Spark master URL (default local[2])."),
]
PartitionsOption = Annotated[
    int, typer.Option("--partitions", help="With --engine spark: shuffle partitions.")
]


def _spark_dataset(command: str, run: Any, output: Path | None, quiet: bool) -> None:
    """Run a dataset command on Spark (:mod:`newsfold.engines.spark_dataset`): its summary line,
    exit 0 (rejects are counted, not failures), 2 for a bad option, 1 when Spark cannot start."""
    from newsfold.engines.spark_session import SparkUnavailable

    try:
        summary = run()
    except ValueError as exc:
        err.print(f"[red]{command}: {escape(str(exc))}[/]")
        raise typer.Exit(2) from None
    except SparkUnavailable as exc:
        _fail(str(exc))
    if not quiet:
        err.print(escape(summary.line(str(output) if output else None)))


@app.command()
def dedup(
    input_path: Annotated[
        str, typer.Argument(metavar="IN.jsonl", help="JSON Lines records with 'text' ('-': stdin).")
    ],
    output: OutOption = None,
    mode: Annotated[
        str,
        typer.Option(
            "--mode",
            help="lexical: shared wording (MinHash of word 5-grams); semantic: also paraphrased "
            "copies (MiniLM embeddings of the leads; slower).",
        ),
    ] = "lexical",
    drop: Annotated[bool, typer.Option("--drop", help="Write only the kept records.")] = False,
    threshold: Annotated[
        float, typer.Option("--threshold", help="Jaccard similarity that makes a duplicate.")
    ] = 0.5,
    semantic_threshold: Annotated[
        float,
        typer.Option(
            "--semantic-threshold",
            help="With --mode semantic: lead cosine from which a text that shares its names and "
            "numbers is a paraphrased copy (lower finds more paraphrases and more false links).",
        ),
    ] = 0.8,
    field: Annotated[
        list[str] | None,
        typer.Option("--field", "-f", help="Map a field to a key: --field text=body."),
    ] = None,
    quiet: QuietOption = False,
    engine: EngineOption = "local",
    master: MasterOption = None,
    partitions: PartitionsOption = 8,
) -> None:
    """Find near-duplicate records and keep the likely original of each group (dataset mode).

    Every record gains dup_group, kept, dup_of (the id, or else the line number, of the kept
    record it matched), relation (original, unique, duplicate, near_duplicate, partial, rewrite)
    and similarity. The kept record is the earliest published, else the one most similar to the
    rest of its group, else the longest, not the first seen. Malformed lines are reported by
    file:line and left out; the exit code is then 1 (with --engine spark they are written to the
    rejects output and the exit code stays 0).
    """
    from newsfold.dataset import open_dataset
    from newsfold.dates import parse_datetime
    from newsfold.dedup import Deduper
    from newsfold.readers import ReaderError

    if engine == "spark":
        from newsfold.engines.spark_dataset import SparkDeduper, dedup_spark

        _spark_dataset(
            "dedup",
            lambda: dedup_spark(
                [input_path],
                str(output) if output else None,
                SparkDeduper(threshold=threshold, mode=mode),
                options=ReadOptions(field_map=_parse_fields(field or [])),
                drop=drop,
                master=master,
                partitions=partitions,
            ),
            output,
            quiet,
        )
        return
    if engine != "local":
        raise typer.BadParameter("choose local or spark", param_hint="--engine")
    if mode not in ("lexical", "semantic"):
        raise typer.BadParameter("choose lexical or semantic", param_hint="--mode")
    if not 0 < threshold <= 1:
        raise typer.BadParameter("must be in (0, 1]", param_hint="--threshold")
    options = ReadOptions(field_map=_parse_fields(field or []))
    if not 0 < semantic_threshold <= 1:
        raise typer.BadParameter("must be in (0, 1]", param_hint="--semantic-threshold")
    deduper = Deduper(
        threshold=threshold,
        mode=mode,  # type: ignore[arg-type]
        semantic_threshold=semantic_threshold,
    )
    lines: list[int] = []
    keys: list[Any] = []
    try:
        with open_dataset(input_path, options) as data:
            texts: list[str] = []
            dates: list[Any] = []
            for lineno, record, text in _text_records(data):
                lines.append(lineno)
                keys.append(record.get("id", lineno))
                texts.append(text)
                dates.append(parse_datetime(record.get("published")))
                if len(texts) >= 500:  # signatures are kept, texts are not
                    deduper.partial_fit(texts, dates)
                    texts, dates = [], []
            if texts or not lines:
                deduper.partial_fit(texts, dates)
            position = {lineno: i for i, lineno in enumerate(lines)}

            def annotated() -> Iterator[dict[str, Any]]:
                for lineno, record in data.raw_lines():
                    i = position.get(lineno)
                    if i is None:
                        continue
                    r = deduper.result(i)
                    if drop and not r.kept:
                        continue
                    yield {
                        **record,
                        "dup_group": r.group,
                        "kept": r.kept,
                        "dup_of": None if r.dup_of is None else keys[r.dup_of],
                        "relation": r.relation,
                        "similarity": r.similarity,
                    }

            written = write_jsonl(output, annotated())
            problems = data.problems
    except ReaderError as exc:
        _fail(f"{input_path}: {exc}")
    groups = int(deduper.groups_.max()) + 1 if lines else 0
    removed = len(lines) - int(deduper.kept_.sum()) if lines else 0
    _dataset_done(
        f"{len(lines)} record(s), {groups} group(s), {removed} duplicate(s) "
        f"{'dropped' if drop else 'marked'}",
        written,
        output,
        problems,
        quiet,
    )


@app.command()
def cluster(
    input_path: Annotated[
        Path, typer.Argument(help="JSON lines (or JSON, .gz) with a text field.")
    ],
    output: OutOption = None,
    threshold: Annotated[
        float,
        typer.Option("--threshold", help="Probability from which a record joins a story."),
    ] = 0.5,
    field: Annotated[
        list[str] | None,
        typer.Option("--field", "-f", help="Map a field to a key: --field text=body."),
    ] = None,
    quiet: QuietOption = False,
    engine: EngineOption = "local",
    master: MasterOption = None,
    partitions: PartitionsOption = 8,
) -> None:
    """Fold records into stories (dataset mode, no store needed).

    Records are placed in input order (put them in time order for a news stream); each output
    record is the input plus story (0, 1, ... in order of first appearance) and story_probability
    (how surely it joined; 1 for a story's first record). Reads title and published when present.
    Malformed lines are reported by file:line and left out; the exit code is then 1 (with
    --engine spark they are written to the rejects output and the exit code stays 0).
    """
    from newsfold.dataset import open_dataset
    from newsfold.dates import parse_datetime
    from newsfold.readers import ReaderError
    from newsfold.stories import StoryClusterer, StoryRecord

    if engine == "spark":
        from newsfold.engines.spark_dataset import cluster_spark

        _spark_dataset(
            "cluster",
            lambda: cluster_spark(
                [str(input_path)],
                str(output) if output else None,
                threshold,
                options=ReadOptions(field_map=_parse_fields(field or [])),
                master=master,
                partitions=partitions,
            ),
            output,
            quiet,
        )
        return
    if engine != "local":
        raise typer.BadParameter("choose local or spark", param_hint="--engine")
    if not 0 < threshold < 1:
        raise typer.BadParameter("must be in (0, 1)", param_hint="--threshold")
    options = ReadOptions(field_map=_parse_fields(field or []))
    clusterer = StoryClusterer(threshold=threshold)
    position: dict[int, int] = {}
    try:
        with open_dataset(input_path, options) as data:
            batch: list[StoryRecord] = []
            for lineno, record, text in _text_records(data):
                position[lineno] = len(position)
                title = record.get("title")
                batch.append(
                    StoryRecord(
                        text,
                        title if isinstance(title, str) and title.strip() else None,
                        parse_datetime(record.get("published")),
                    )
                )
                if len(batch) >= 256:  # encoded in batches; only the story state is kept
                    clusterer.partial_fit(batch)
                    batch = []
            clusterer.partial_fit(batch)

            def annotated() -> Iterator[dict[str, Any]]:
                for lineno, record in data.raw_lines():
                    i = position.get(lineno)
                    if i is not None:
                        yield {
                            **record,
                            "story": clusterer.labels_[i],
                            "story_probability": round(clusterer.probability_[i], 4),
                        }

            written = write_jsonl(output, annotated())
            problems = data.problems
    except ReaderError as exc:
        _fail(f"{input_path}: {exc}")
    _dataset_done(
        f"{len(position)} record(s), {clusterer.n_stories_} story(ies)",
        written,
        output,
        problems,
        quiet,
    )


def _load_article(ref: str, store: Store | None) -> Article:
    """An article named by a stored id (or unique prefix), or read from a file."""
    from newsfold.article import ArticleError, build_article
    from newsfold.readers import Input, Raw, ReaderError, pick_reader

    path = Path(ref)
    if path.is_file():
        try:
            inp = Input.from_path(path)
            for item in pick_reader(inp).read(inp, ReadOptions()):
                if isinstance(item, Raw):
                    return build_article(
                        item.fields,
                        origin=item.location,
                        default_source=item.default_source,
                        markdown=item.markdown,
                    )
        except (ReaderError, ArticleError) as exc:
            _fail(f"{ref}: {exc}")
        _fail(f"{ref}: no article in this file")
    article = store.get(ref) if store is not None else None
    if article is None:
        _fail(f"{ref}: neither a file nor a stored article id")
    return article


def _diff_markup(a: str, b: str) -> tuple[str, str]:
    """Both sentences as Rich markup: words only in ``a`` red, words only in ``b`` green."""
    from newsfold.align import mark_changes

    return mark_changes(
        a, b, lambda w: f"[bold red]{escape(w)}[/]", lambda w: f"[bold green]{escape(w)}[/]", escape
    )


@app.command()
def compare(
    a: Annotated[str, typer.Argument(help="An article id or a file.")],
    b: Annotated[str, typer.Argument(help="An article id or a file.")],
    db: DbOption = None,
    as_json: JsonOption = False,
    html_out: Annotated[
        Path | None,
        typer.Option("--html", help="Also write a side-by-side HTML page (one file, no network)."),
    ] = None,
) -> None:
    """Compare two articles: relation, direction and the aligned sentences, changes highlighted."""
    from newsfold.relations import compare as compare_articles

    needs_store = not (Path(a).is_file() and Path(b).is_file())
    store = _open(db) if needs_store else None
    try:
        art_a, art_b = _load_article(a, store), _load_article(b, store)
    finally:
        if store is not None:
            store.close()
    relation = compare_articles(art_a, art_b)
    if html_out is not None:
        from newsfold.report.compare_html import render_comparison

        try:
            html_out.write_text(render_comparison(relation, art_a, art_b), encoding="utf-8")
        except OSError as exc:
            _fail(f"{html_out}: cannot write ({exc.strerror or exc})")
        if not as_json:
            err.print(f"Wrote {escape(str(html_out))}")
    if as_json:
        _write_json(relation.to_dict(art_a, art_b))
        return
    d = relation.direction
    where = {"a": art_a.title, "b": art_b.title}
    out.print(f"[bold]A[/] {escape(art_a.id)}  {escape(_cut(art_a.title, 100))}")
    out.print(f"[bold]B[/] {escape(art_b.id)}  {escape(_cut(art_b.title, 100))}")
    out.print(
        f"\n[bold]{relation.kind}[/]  similarity {relation.similarity:.2f} · "
        f"A covered {relation.coverage_a:.0%} · B covered {relation.coverage_b:.0%}"
    )
    if d.source:
        out.print(
            f"likely source: [bold]{d.source.upper()}[/] ({escape(_cut(where[d.source], 60))}), "
            f"confidence {d.confidence:.0%}: {escape('; '.join(d.reasons))}"
        )
    elif relation.derived:
        out.print("likely source: unknown (" + escape("; ".join(d.reasons)) + ")")
    if not relation.alignment.pairs:
        return
    table = Table(box=box.SIMPLE_HEAD, show_lines=True)
    table.add_column("A", ratio=1)
    table.add_column("match", no_wrap=True)
    table.add_column("B", ratio=1)
    for p in relation.alignment.pairs:
        ta = art_a.text[p.span_a[0] : p.span_a[1]]
        tb = art_b.text[p.span_b[0] : p.span_b[1]]
        left, right = _diff_markup(ta, tb) if p.kind == "edited" else (escape(ta), escape(tb))
        table.add_row(f"[dim]{p.i}[/] {left}", f"{p.kind}\n{p.score:.2f}", f"[dim]{p.j}[/] {right}")
    out.print(table)


@app.command()
def links(
    db: DbOption = None,
    as_json: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Find which stored articles copy, rewrite or translate which (incremental).

    Articles added since the last run are compared with the whole store; earlier pairs are
    kept. Prints the reuse trees: each derived article under its most likely source.
    """
    from newsfold.trees import reuse_trees

    with _open(db) as store:
        progress = _progress("links", disabled=quiet or as_json, extra="{task.fields[stage]}")
        with progress:
            task = progress.add_task("links", total=None, stage="")

            def on_progress(_stage: str, step: str, done: int, total: int) -> None:
                progress.update(task, stage=step, completed=done, total=total)

            report = _engine(store, on_progress).link()
        relations = store.relations()
        trees = reuse_trees(relations)
        titles = {
            a: (store.get(a) or Article(id=a, text="")).title for t in trees for a in t["members"]
        }
    if as_json:
        _write_json(
            {
                "new_articles": report.new_articles,
                "candidates": report.candidates,
                "relations_found": report.relations,
                "relations": [{k: v for k, v in r.items() if k != "pairs"} for r in relations],
                "trees": trees,
            }
        )
        return
    if quiet:
        return
    err.print(
        f"Linked {report.new_articles} new article(s): {report.candidates} candidate pair(s), "
        + (", ".join(f"{n} {k}" for k, n in sorted(report.relations.items())) or "no relations")
    )
    for tree in trees:
        _print_tree(tree, titles)


@app.command()
def stories(
    db: DbOption = None,
    as_json: JsonOption = False,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only stories with an article on or after this date."),
    ] = None,
    min_size: Annotated[
        int, typer.Option("--min-size", min=1, help="Only stories of at least N articles.")
    ] = 1,
    quiet: QuietOption = False,
) -> None:
    """Fold the stored articles into stories (incremental) and list them.

    Links new articles first (see `newsfold links`: a copy is always in its source's story),
    then places each article not yet in a story, oldest first; earlier articles never move.
    Each story shows its articles, its independent sources (copies of one wire story count
    once), its time span and languages.
    """
    from newsfold.dates import parse_datetime

    _checked_filters(since, None)
    floor = parse_datetime(since) if since else None
    with _open(db) as store:
        progress = _progress("stories", disabled=quiet or as_json, extra="{task.fields[stage]}")
        with progress:
            task = progress.add_task("stories", total=None, stage="")

            def on_progress(_stage: str, step: str, done: int, total: int) -> None:
                progress.update(task, stage=step, completed=done, total=total)

            engine = _engine(store, on_progress)
            engine.link()
            report = engine.fold()
        found = [
            s
            for s in engine.describe()
            if s.size >= min_size and (floor is None or (s.last is not None and s.last >= floor))
        ]
    if as_json:
        _write_json(
            {
                "new_articles": report.new_articles,
                "new_stories": report.new_stories,
                "stories": [s.to_dict() for s in found],
            }
        )
        return
    if quiet:
        return
    err.print(
        f"Folded {report.new_articles} new article(s): {report.new_stories} new story(ies), "
        f"{report.joined} joined existing ones"
    )
    table = Table(title=f"{len(found)} story(ies)", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("id", no_wrap=True)
    table.add_column("articles", justify="right", min_width=8)
    table.add_column("sources", justify="right")
    table.add_column("span", no_wrap=True)
    table.add_column("lang", no_wrap=True)
    table.add_column("label", no_wrap=True, min_width=20, ratio=1, overflow="ellipsis")
    for s in found:
        span = _date(s.first) if s.first == s.last else f"{_date(s.first)}..{_date(s.last)}"
        table.add_row(
            s.id,
            str(s.size),
            str(s.sources),
            span,
            ",".join(s.languages) or "?",
            escape(_cut(s.label, 100)),
        )
    out.print(table)


@app.command()
def story(
    story_id: Annotated[str, typer.Argument(help="A story id (or a unique prefix of one).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one story: its articles, their roles (original, copy, independent) and sources."""
    with _open(db) as store:
        found = _engine(store).describe([_story_id(store, story_id)])[0]
    if as_json:
        _write_json(found.to_dict())
        return
    span = (
        _date(found.first)
        if found.first == found.last
        else (f"{_date(found.first)} to {_date(found.last)}")
    )
    out.print(f"[bold]{escape(found.label)}[/]")
    out.print(
        f"{found.id}: {found.size} article(s), {found.sources} independent source(s), "
        f"{span}, {', '.join(found.languages) or 'language unknown'}"
    )
    if found.entities:
        out.print(f"[dim]names:[/] {escape(', '.join(found.entities))}")
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("id", no_wrap=True)
    table.add_column("published", no_wrap=True)
    table.add_column("source", no_wrap=True, max_width=22, overflow="ellipsis")
    table.add_column("role", no_wrap=True)
    table.add_column("title", no_wrap=True, min_width=20, ratio=1, overflow="ellipsis")
    for m in found.members:
        role = f"{m.relation} of {m.copy_of}" if m.role == "copy" else m.role
        when = _date(m.published) + (" [yellow](suspect)[/]" if m.date_suspect else "")
        table.add_row(m.article, when, escape(m.source or "?"), role, escape(_cut(m.title, 90)))
    out.print(table)
    for m in found.members:
        if m.dates is not None and m.date_suspect:
            out.print(f"[yellow]suspect date:[/] {m.article}: {escape(m.dates.reason)}")


def _engine(store: Store, on_progress: Any = None, summary_words: int | None = None) -> LocalEngine:
    """The local engine over ``store`` (see :mod:`newsfold.engines.local`)."""
    from newsfold.engines.local import LocalEngine

    return LocalEngine(store, on_progress=on_progress, summary_words=summary_words)


def _story_id(store: Store, ref: str) -> str:
    """The stored story a reference names: its id or a unique prefix of one."""
    ids = sorted({s for _, s, _ in store.story_members() if s.startswith(ref)})
    if not ids:
        _fail(f"{ref}: no such story (run `newsfold stories` first)")
    if len(ids) > 1 and ref not in ids:
        _fail(f"{ref}: ambiguous, matches {', '.join(ids[:5])}", 2)
    return ref if ref in ids else ids[0]


_STATUS_STYLE = {
    "conflict": "bold red",
    "altered": "bold red",
    "update": "yellow",
    "compatible": "green",
    "agree": "green",
    "exact": "green",
    "alias": "cyan",
}


@app.command()
def facts(
    story_id: Annotated[str, typer.Argument(help="A story id (or a unique prefix of one).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Compare a story's facts across its articles: numbers, quotations and names, each group
    with its status (agree, compatible, update, conflict; exact, altered, different; consistent,
    alias) and the sentences behind it."""
    with _open(db) as store:
        found = _engine(store).story_facts(_story_id(store, story_id))
    if as_json:
        _write_json(found.to_dict())
        return
    flags = len(found.flags)
    out.print(
        f"[bold]{found.story}[/]: {len(found.articles)} article(s), {len(found.groups)} fact "
        f"group(s), {flags} flagged"
    )
    table = Table(box=box.SIMPLE_HEAD, show_lines=True)
    table.add_column("fact", max_width=28)
    table.add_column("status", no_wrap=True)
    table.add_column("per source", ratio=1)
    for g in found.groups:
        if g.kind == "entity" and g.status == "consistent":
            continue
        style = _STATUS_STYLE.get(g.status, "")
        rows = []
        for c in g.claims:
            source = found.sources.get(c.article) or "?"
            value = c.quantity.display() if g.kind == "number" else _cut(c.text, 90)
            s, e = c.sentence
            line = f"[bold]{escape(c.article[:8])}[/] {escape(source)}: {escape(value)}"
            if g.kind != "entity":
                line += f"\n  [dim]{escape(_cut(found.texts[c.article][s:e], 160))}[/]"
            for change in g.diffs.get(c.article, []):
                line += f"\n  [red]- {escape(change['from'])}[/] [green]+ {escape(change['to'])}[/]"
            rows.append(line)
        label = f"{g.kind}: {g.label}" + (f"\n[dim]{escape(g.note)}[/]" if g.note else "")
        table.add_row(
            escape(label) if not g.note else label,
            f"[{style}]{g.status}[/]" if style else g.status,
            "\n".join(rows),
        )
    out.print(table)
    skipped = {a: s for a, s in found.skipped.items() if s}
    for article, what in skipped.items():
        out.print(f"[dim]{article[:8]}: not English, skipped {', '.join(what)}[/]")


@app.command()
def claims(
    article_id: Annotated[str, typer.Argument(help="An article id (a unique prefix is enough).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List an article's claims: numbers, quotations with speakers, names and dates, each with
    its character span."""
    with _open(db) as store:
        article = store.get(article_id)
        if article is None:
            _fail(f"no article with id {article_id!r} (newsfold articles lists them)")
        found = _engine(store).claims([article.id])[0]
    if as_json:
        _write_json(found.to_dict())
        return
    out.print(f"[bold]{escape(article.title or article.id)}[/] ({article.id})")
    if found.skipped:
        out.print(f"[dim]not English ({found.language}): skipped {', '.join(found.skipped)}[/]")
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("kind", no_wrap=True)
    table.add_column("span", no_wrap=True)
    table.add_column("claim", ratio=1)
    for n in found.numbers:
        what = " ".join(x for x in (n.predicate, n.thing) if x) or "?"
        extra = f"; per {n.attribution}" if n.attribution else ""
        extra += f"; part of #{n.part_of}" if n.part_of is not None else ""
        table.add_row(
            "number", f"{n.start}-{n.end}", escape(f"{n.quantity.display()} ({what}{extra})")
        )
    for q in found.quotes:
        kind = "quote" if q.direct else "reported"
        table.add_row(
            kind, f"{q.start}-{q.end}", escape(f"{q.speaker or '?'}: {_cut(q.text, 120)}")
        )
    for e in found.entities:
        role = f" ({e.role})" if e.role else ""
        table.add_row(e.label, f"{e.start}-{e.end}", escape(e.text + role))
    for d in found.dates:
        resolved = f" = {d.resolved.isoformat()}" if d.resolved else ""
        table.add_row("date", f"{d.start}-{d.end}", escape(d.text + resolved))
    out.print(table)


FormatsOption = Annotated[
    str,
    typer.Option("--format", help="Comma-separated report formats: html, md, json."),
]
SummaryWordsOption = Annotated[
    int | None,
    typer.Option(
        "--summary-words",
        min=1,
        help="Length of each story's summary in words (whole sentences while they fit); "
        "default: five sentences at most.",
    ),
]


def _formats(value: str) -> list[str]:
    from newsfold.report.stories import FORMATS

    chosen = [f.strip() for f in value.split(",") if f.strip()]
    bad = [f for f in chosen if f not in FORMATS]
    if bad or not chosen:
        _fail(
            f"--format: unknown {', '.join(bad) or '(none)'}; choose from {', '.join(FORMATS)}", 2
        )
    return chosen


def _write_report(store: Store, out_dir: Path, formats: list[str], ids: list[str] | None,
                  quiet: bool, refresh: bool = False,
                  summary_words: int | None = None) -> Path:  # fmt: skip
    from newsfold.report.stories import write

    progress = _progress("report", disabled=quiet)
    with progress:
        task = progress.add_task("report", total=None)

        def step(_stage: str, _step: str, done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        data = _engine(store, step, summary_words).report(ids, refresh=refresh)
    return write(data, out_dir, formats)


@app.command()
def report(
    db: DbOption = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the report into.")] = Path(
        "newsfold-report"
    ),
    formats: FormatsOption = "html,md,json",
    story_id: Annotated[
        str | None, typer.Option("--story", help="Only this story (id or unique prefix).")
    ] = None,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Analyse every story again, stored or not.")
    ] = False,
    summary_words: SummaryWordsOption = None,
    quiet: QuietOption = False,
) -> None:
    """Write the report of the stored stories (HTML, Markdown, JSON): summary with citations,
    facts, quotations, reuse tree, sources and timeline per story, and an index. Stories
    reported before and unchanged since are rendered from the store."""
    chosen = _formats(formats)
    with _open(db) as store:
        if not store.story_members():
            _fail("no stories stored yet (run `newsfold stories` or `newsfold run` first)")
        ids = [_story_id(store, story_id)] if story_id else None
        entry = _write_report(store, out_dir, chosen, ids, quiet, refresh, summary_words)
    out.print(f"report: {entry}")


@app.command()
def run(
    paths: Annotated[list[str], typer.Argument(help="Files, folders or - (stdin) to ingest.")],
    db: DbOption = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the report into.")] = Path(
        "newsfold-report"
    ),
    formats: FormatsOption = "html,md,json",
    summary_words: SummaryWordsOption = None,
    quiet: QuietOption = False,
    engine: EngineOption = "local",
    master: MasterOption = None,
    partitions: PartitionsOption = 8,
) -> None:
    """The whole job in one command: ingest, link, fold into stories, compare facts, and write
    the report; the last line names its entry file.

    With --engine spark the same stages run on Spark (--master, default local[2]) over the
    inputs as one pile: Parquet tables of articles (with their story), relations, stories,
    claims and rejects go to OUT/data beside the report, and --db, when given, receives the
    results (a new store). Rejected records are counted and listed in OUT/data/rejects; they
    do not fail the run."""
    from newsfold.engines.local import STAGES
    from newsfold.report.stories import write

    chosen = _formats(formats)
    if engine == "spark":
        _run_spark(paths, db, out_dir, chosen, quiet, master, partitions, summary_words)
        return
    if engine != "local":
        raise typer.BadParameter("choose local or spark", param_hint="--engine")
    with _open(db) as store:
        clock = time.perf_counter()
        progress = _progress("ingest", disabled=quiet)
        with progress:
            progress.add_task("ingest", total=None)
            result = store.ingest(paths)
        for problem in result.problems:
            err.print(f"[yellow]skipped:[/] {escape(str(problem))}")
        if not result.ok and not len(store):
            _fail("nothing could be read")
        seconds = {"ingest": time.perf_counter() - clock}
        progress = _progress("{task.description}", disabled=quiet, extra="{task.fields[step]}")
        with progress:
            tasks = {s: progress.add_task(s, total=None, step="", visible=False) for s in STAGES}

            def on_progress(stage: str, step: str, done: int, total: int) -> None:
                progress.update(tasks[stage], step=step, completed=done, total=total, visible=True)

            analysis = _engine(store, on_progress, summary_words).run()
        clock = time.perf_counter()
        entry = write(analysis.report, out_dir, chosen)
        seconds.update(analysis.seconds)
        seconds["report"] += time.perf_counter() - clock
        stored = len(store)
    if not quiet:
        times = ", ".join(f"{stage} {s:.1f} s" for stage, s in seconds.items())
        err.print(
            f"{result.added} new article(s), {stored} stored; {analysis.new_stories} new "
            f"story(ies); {times}"
        )
    out.print(f"report: {entry}")
    if not result.ok:
        raise typer.Exit(1)


def _run_spark(
    paths: list[str],
    db: Path | None,
    out_dir: Path,
    formats: list[str],
    quiet: bool,
    master: str | None,
    partitions: int,
    summary_words: int | None,
) -> None:
    from newsfold.engines.spark import SparkEngine
    from newsfold.engines.spark_session import SparkUnavailable, spark_session
    from newsfold.output import OutputError, import_output

    if db is not None:  # opened (made) before the job: a bad path fails now, not after it
        with _open(db) as store:
            if len(store):
                _fail(
                    f"{db} already holds {len(store)} article(s): the Spark engine analyses a "
                    "pile from scratch into a new store (or run without --engine spark to add "
                    "to this one)"
                )
    try:
        session = spark_session(master, partitions=partitions)
    except SparkUnavailable as exc:
        _fail(str(exc))
    progress = _progress("{task.description}", disabled=quiet, extra="{task.fields[step]}")
    with progress:
        tasks: dict[str, Any] = {}

        def on_progress(stage: str, step: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=None, step="")
            progress.update(tasks[stage], step=step, completed=done, total=total)

        engine = SparkEngine(
            session, partitions=partitions, summary_words=summary_words, on_progress=on_progress
        )
        result = engine.run(paths)
        clock = time.perf_counter()
        entry = result.write(out_dir, formats)
        result.analysis.seconds["write"] = time.perf_counter() - clock
    analysis = result.analysis
    if db is not None:
        try:
            with _open(db) as store:
                import_output(store, out_dir / "data")
        except OutputError as exc:
            _fail(str(exc))
    if not quiet:
        times = ", ".join(f"{stage} {s:.1f} s" for stage, s in analysis.seconds.items())
        err.print(
            f"{analysis.articles} article(s), {analysis.stories} story(ies), "
            f"{sum(analysis.relations.values())} relation(s), {analysis.rejects} rejected "
            f"(listed in {escape(str(out_dir / 'data' / 'rejects'))}); {times}"
        )
    out.print(f"report: {entry}")
    if not analysis.articles:
        _fail("nothing could be read")


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (loopback unless a token is set).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8765,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="NEWSFOLD_TOKEN",
            help="Secret every request must carry; required for a non-loopback --host.",
        ),
    ] = None,
) -> None:
    """Open the store as a local web app: stories with search and filters, story pages with
    their evidence, articles, comparisons and uploads, and a JSON API (/api/docs)."""
    import uvicorn

    from newsfold.web.app import create_app
    from newsfold.web.security import is_loopback

    loopback = is_loopback(host)
    if not loopback and not token:
        _fail(f"--host {host} is reachable from other machines: give --token (or NEWSFOLD_TOKEN)",
              2)  # fmt: skip
    path = db if db is not None else default_db_path()
    try:
        application = create_app(path, token=token, loopback_only=loopback)
    except StoreError as exc:
        _fail(str(exc))
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown}:{port}/"
    err.print(f"newsfold: serving {escape(str(path))} at {address} (Ctrl-C to stop)")
    if token:
        err.print("open it once with ?token=YOUR_TOKEN (kept in a cookie), or send "
                  "Authorization: Bearer YOUR_TOKEN")  # fmt: skip
    uvicorn.run(application, host=host, port=port, log_level="warning")


def _print_tree(tree: dict[str, Any], titles: dict[str, str | None]) -> None:
    from rich.tree import Tree

    children: dict[str, list[dict[str, Any]]] = {}
    for edge in tree["edges"]:
        children.setdefault(edge["parent"], []).append(edge)

    def label(article_id: str) -> str:
        return f"[bold]{article_id}[/] {escape(_cut(titles.get(article_id), 70))}"

    note = "likely original" if tree.get("original") else "direction unknown"
    root = Tree(label(tree["root"]) + f" [dim]({note})[/]")
    stack = [(root, tree["root"])]
    while stack:
        parent_node, article = stack.pop()
        for edge in children.get(article, []):
            if edge["direction"] != "evidence":
                how = "direction unknown"
            elif edge["source"] == article:
                how = f"copied from above, confidence {edge['confidence']:.0%}"
            else:
                how = f"source of the above, confidence {edge['confidence']:.0%}"
            child = parent_node.add(
                f"{label(edge['child'])} [dim]{edge['relation']} {edge['similarity']:.2f}, {how}[/]"
            )
            stack.append((child, edge["child"]))
    out.print(root)


@app.command()
def pairs(
    input_path: Annotated[
        str, typer.Argument(metavar="IN.jsonl", help="Records with text1 and text2 ('-': stdin).")
    ],
    output: OutOption = None,
    quiet: QuietOption = False,
) -> None:
    """Judge text pairs (dataset mode): one output record per input record, in input order.

    Each record gains relation, similarity (0..1: how much of one text is derived from the
    other), coverage1, coverage2, source (1, 2 or null) and same_story (0..1: how likely both
    report the same event, whether or not one copies the other). Optional lang1/lang2 fields
    name the languages; otherwise they are detected. Malformed lines are reported by file:line.
    """
    from newsfold.article import ArticleError, build_article
    from newsfold.dataset import open_dataset, write_jsonl
    from newsfold.engines.local import judge_pairs
    from newsfold.readers import ReaderError
    from newsfold.relations import DERIVED

    problems: list[Problem] = []
    try:
        with open_dataset(input_path) as data:
            built: dict[int, tuple[Article, Article]] = {}
            for lineno, record in data.raw_lines():
                try:
                    built[lineno] = (
                        build_article(
                            {"text": record.get("text1"), "language": record.get("lang1")}
                        ),
                        build_article(
                            {"text": record.get("text2"), "language": record.get("lang2")}
                        ),
                    )
                except ArticleError as exc:
                    problems.append(Problem(f"{data.inp.name}:{lineno}", f"text1/text2: {exc}"))
            progress = _progress("pairs", disabled=quiet)
            with progress:
                task = progress.add_task("judging", total=None)
                relations, chances = judge_pairs(list(built.values()))
            judgment = dict(zip(built, zip(relations, chances, strict=True), strict=True))

            def judged() -> Iterator[dict[str, Any]]:
                for lineno, record in data.raw_lines():
                    if lineno not in built:
                        continue
                    r, chance = judgment[lineno]
                    progress.advance(task)
                    derived = r["relation"] in DERIVED
                    yield {
                        **record,
                        "relation": r["relation"],
                        "similarity": r["similarity"],
                        "coverage1": r["coverage_a"],
                        "coverage2": r["coverage_b"],
                        "source": {"a": 1, "b": 2}.get(r["direction"]["source"] or ""),
                        # A copy, rewrite or translation always tells the same story.
                        "same_story": round(max(chance, 0.95 if derived else 0.0), 4),
                    }

            progress = _progress("pairs", disabled=quiet)
            with progress:
                task = progress.add_task("writing", total=len(built))
                written = write_jsonl(output, judged())
            problems.extend(data.malformed())
    except ReaderError as exc:
        _fail(f"{input_path}: {exc}")
    if not quiet:
        for p in problems[:50]:
            err.print(f"[red]{escape(str(p))}[/]")
        err.print(
            f"Judged {written} pair(s)" + (f"; {len(problems)} line(s) failed" if problems else "")
        )
    if problems:
        raise typer.Exit(1)


@app.command()
def stats(db: DbOption = None, as_json: JsonOption = False) -> None:
    """What the store holds: articles by outlet and language, and the span of dates."""
    with _open(db) as store:
        data = store.stats()
        data["db"] = str(store.path)
    if as_json:
        _write_json(data)
        return
    out.print(
        f"[bold]{data['articles']}[/] article(s) in {escape(data['db'])}, published "
        f"{(data['first_published'] or '?')[:10]} … {(data['last_published'] or '?')[:10]}"
    )
    for key in ("sources", "languages"):
        table = Table(key, "articles", title_justify="left")
        for name, n in data[key].items():
            table.add_row(escape(name), str(n))
        out.print(table)


def main() -> None:
    """The console entry point."""
    try:
        app()
    except StoreError as exc:  # raised mid-command (e.g. the file was locked too long)
        err.print(f"[bold red]error:[/] {escape(str(exc))}")
        sys.exit(1)
