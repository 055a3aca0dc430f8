"""Profile one ``newsfold ingest`` of a generated corpus with cProfile (not a benchmark section).

``python -m bench.profile_ingest [--format jsonl] [-n 10000] [--top 25]`` generates the corpus
under ``bench/.work/``, runs the ingest in this process (``newsfold.cli.main``) under cProfile,
prints the top functions by own time and by cumulative time, and deletes the corpus and the store.
``--keep PATH`` also saves the raw profile (for ``snakeviz`` or ``pstats``).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import sys
import tempfile
from contextlib import redirect_stdout
from pathlib import Path

from bench import corpus
from bench.ingest_speed import WORK


def profile_ingest(path: Path, db: Path) -> cProfile.Profile:
    """Ingest ``path`` into ``db`` in this process under cProfile."""
    from newsfold.cli import main

    argv = sys.argv
    sys.argv = ["newsfold", "ingest", str(path), "--db", str(db), "--quiet", "--json"]
    profiler = cProfile.Profile()
    try:
        with redirect_stdout(io.StringIO()):
            profiler.runcall(main)
    except SystemExit as exc:
        if exc.code not in (0, None):
            print(f"newsfold ingest exited with {exc.code}", file=sys.stderr)
    finally:
        sys.argv = argv
    return profiler


def print_top(profiler: cProfile.Profile, top: int) -> None:
    for key in ("tottime", "cumulative"):
        print(f"\n=== top {top} by {key} ===")
        pstats.Stats(profiler).strip_dirs().sort_stats(key).print_stats(top)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_ingest", description=__doc__)
    parser.add_argument("--format", default="jsonl", choices=sorted(corpus.FORMATS))
    parser.add_argument("-n", type=int, default=10_000, help="articles (default 10,000)")
    parser.add_argument("--top", type=int, default=25, help="functions to list")
    parser.add_argument("--keep", type=Path, help="save the raw profile here")
    args = parser.parse_args(argv)
    WORK.mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"profile-{args.format}-", dir=WORK))
    try:
        c = corpus.write(args.format, args.n, folder / "corpus")
        profiler = profile_ingest(c.path, folder / "store.db")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if args.keep:
        profiler.dump_stats(args.keep)
    print_top(profiler, args.top)


if __name__ == "__main__":
    main()
