"""What every benchmark section shares: how it was produced, on what, and Markdown tables."""

from __future__ import annotations

import os
import platform
import shlex
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["MB", "ROOT", "facts", "invocation", "shown", "table"]

#: Sizes are reported in MB of 2**20 bytes (as newsfold's ``--max-size`` counts them).
MB = 1_048_576
#: The repository: results name paths relative to it (``../shared/data``), never a machine's.
ROOT = Path(__file__).resolve().parents[1]


def shown(path: Path | str) -> str:
    """``path`` as results write it: relative to the repository (``../shared/data``)."""
    return os.path.relpath(Path(path).resolve(), ROOT)


def invocation() -> str:
    """The command line that started this run: ``.venv/bin/python -m bench --quick``."""
    python = os.path.relpath(sys.executable)
    if python.startswith(".."):
        python = sys.executable
    return shlex.join([python, "-m", "bench", *sys.argv[1:]])


def machine() -> str:
    """CPU count, Python version and platform, in one line."""
    return (
        f"{os.cpu_count()} CPUs, Python {platform.python_version()} "
        f"({platform.python_implementation()}), {platform.platform()}"
    )


def facts(*, quick: bool) -> str:
    """The lines that open every section: command, date (UTC) and machine."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    mode = " (quick mode: small sizes, a smoke run, not a measurement)" if quick else ""
    return f"- Command: `{invocation()}`{mode}\n- Date: {when}\n- Machine: {machine()}\n"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: int = 1) -> str:
    """A Markdown table; columns from index ``right`` on are right-aligned (numbers)."""
    align = ["---" if i < right else "---:" for i in range(len(headers))]
    lines = [headers, align, *rows]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines) + "\n"
