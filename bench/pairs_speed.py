"""``newsfold pairs`` throughput: MRPC sentence pairs and SemEval-2022 article pairs.

Each file is judged whole by one ``newsfold pairs IN --out OUT -q`` process under
``/usr/bin/time -v`` (wall clock, start-up and model loading included; peak RSS). The figures
before the stage kernels (commit 04a8439, which compared pair by pair and called its encoders
per pair) are those the issue measured: 3 to 8 MRPC pairs a second, about 2 SemEval pairs a
second.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import report

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
FILES = (
    ("MRPC", "mrpc.jsonl", "sentence pairs"),
    ("SemEval-2022 task 8", "semeval2022_task8.jsonl", "article pairs, 10 languages"),
)
NEWSFOLD = Path(sys.executable).with_name("newsfold")


def _lines(path: Path) -> int:
    with path.open(encoding="utf-8") as f:
        return sum(1 for line in f if line.strip())


def run(quick: bool) -> str:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, file, what in FILES:
            src = DATA / file
            if not src.is_file():
                rows.append([name, what, "-", "absent", "-", "-"])
                continue
            if quick:
                small = Path(tmp) / file
                with src.open(encoding="utf-8") as f:
                    small.write_text("".join(next(f) for _ in range(200)), encoding="utf-8")
                src = small
            out = Path(tmp) / f"out-{file}"
            done = subprocess.run(
                ["/usr/bin/time", "-v", str(NEWSFOLD), "pairs", str(src), "--out", str(out), "-q"],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            wall = _elapsed(done.stderr)
            rss = int(
                re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1)
            )  # type: ignore[union-attr]
            n = _lines(src)
            judged = _lines(out) if out.is_file() else 0
            rows.append(
                [name, what, f"{n:,}", f"{wall:.1f}", f"{judged / wall:,.0f}", f"{rss / 1024:,.0f}"]
            )
    return "\n".join(
        [
            "## `newsfold pairs` throughput\n",
            report.facts(quick=quick),
            "",
            __doc__.split("\n", 2)[2].strip().replace("\n", " ") + "\n",
            report.table(
                ["file", "what", "pairs", "seconds", "pairs/s", "peak RSS MB"], rows, right=2
            ),
            "",
        ]
    )


def _elapsed(stderr: str) -> float:
    """Wall seconds from ``/usr/bin/time -v`` ("h:mm:ss" or "m:ss.ss")."""
    found = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", stderr)
    if found is None:
        raise RuntimeError(f"newsfold pairs failed: {stderr[-1500:]}")
    seconds = 0.0
    for part in found.group(1).split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


if __name__ == "__main__":
    print(run("--quick" in sys.argv))
