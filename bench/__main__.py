"""Run the benchmarks and write ``bench/RESULTS.md``.

``python -m bench`` runs every benchmark; ``python -m bench NAME ...`` only those named, keeping the
other sections of the previous ``RESULTS.md`` as they were; ``--quick`` uses small sizes (a smoke
run). Each benchmark is a module of this package with ``run(quick: bool) -> str``, which returns
its Markdown section; sections are kept between ``<!-- section:NAME -->`` markers.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
import time
import traceback
from pathlib import Path

#: The benchmark modules, in the order their sections appear.
BENCHMARKS: tuple[str, ...] = (
    "ingest_speed",
    "planted",
    "dedup_speed",
    "dedup_semantic",
    "planted_relations",
    "reuse_quality",
    "direction_quality",
    "story_quality",
    "story_speed",
    "facts_quality",
    "report_quality",
    "summary_rouge",
    "date_check",
    "report_render",
    "report_screens",
    "web_speed",
    "claims_speed",
    "dev_pile",
    "run_scale",
    "pairs_speed",
    "spark_run",
    "spark_dedup",
)
RESULTS = Path(__file__).with_name("RESULTS.md")

HEADER = """# newsfold benchmarks

Written by `make bench` (`.venv/bin/python -m bench`); `python -m bench NAME` re-runs one section
and keeps the others; `--quick` is a smoke run with small sizes. Corpora are generated, fictional
news (`bench/corpus.py`). Each section says when, how and on what machine it was measured.
"""

_SECTION = re.compile(r"<!-- section:([\w-]+) -->\n(.*?)\n?<!-- /section:\1 -->", re.DOTALL)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help=f"benchmarks to run (default: all): {', '.join(BENCHMARKS)}",
    )
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument(
        "--output", type=Path, default=RESULTS, help=f"where to write (default: {RESULTS})"
    )
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    return args


def read_sections(path: Path) -> dict[str, str]:
    """The sections of an earlier results file, by name (empty when there is none)."""
    if not path.is_file():
        return {}
    return {m.group(1): m.group(2) for m in _SECTION.finditer(path.read_text(encoding="utf-8"))}


def compose(sections: dict[str, str]) -> str:
    """The results file: the header, then the sections (known benchmarks first, in order)."""
    names = [n for n in BENCHMARKS if n in sections]
    names += [n for n in sections if n not in BENCHMARKS]
    parts = [HEADER]
    for name in names:
        parts.append(
            f"<!-- section:{name} -->\n{sections[name].strip()}\n<!-- /section:{name} -->\n"
        )
    return "\n".join(parts)


def run_benchmark(name: str, *, quick: bool) -> str | None:
    """The section benchmark ``name`` produced, or None when it failed (reported on stderr)."""
    print(f"bench: {name}{' (quick)' if quick else ''} …", file=sys.stderr, flush=True)
    started = time.perf_counter()
    try:
        section = importlib.import_module(f"bench.{name}").run(quick)
    except Exception:
        traceback.print_exc()
        print(f"bench: {name} failed; its previous section is kept", file=sys.stderr)
        return None
    print(f"bench: {name} done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return str(section)


def write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    names = args.names or list(BENCHMARKS)
    sections = read_sections(args.output)
    failed = False
    for name in names:
        section = run_benchmark(name, quick=args.quick)
        if section is None:
            failed = True
        else:
            sections[name] = section
    write_atomically(args.output, compose(sections))
    print(f"bench: wrote {args.output}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
