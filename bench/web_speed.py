"""The web app under load: page and search latency on 10,000 articles, 50 concurrent clients.

The store is :func:`bench.report_render.analysed_store` (10,000 generated articles: a real
1,000-article analysis replicated ten times under distinct ids; see that module). The server is
what a user starts: ``newsfold serve --db DB --port P`` in its own process (uvicorn, one worker),
on 127.0.0.1; a copy of the store is served, so the benchmark never changes the cached one.

Measured, one request at a time (after one warm-up request of each kind):

* **story page**: ``GET /stories/ID`` for 100 stories drawn at random (seeded) among all;
* **search**: ``GET /?q=WORD`` (the stories page, searching the member articles' titles and
  texts) for 100 words drawn from article titles, and the same through ``GET /api/stories``;
* **article page** and **stories list** (first page, no search).

Then **50 concurrent clients** (threads, one HTTP connection each) request a mix of those pages
for 10 seconds: requests served, errors (any status other than 200, or a failed connection),
throughput and latency. Finally headless Chromium (Debian's, driven by Playwright) saves
screenshots of the pages at desktop and phone widths to ``bench/screens/web-*.jpg``.
"""

from __future__ import annotations

import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from bench import report
from bench.report_render import analysed_store

SIZE = 10_000
QUICK_SIZE = 1_000
SAMPLES = 100
QUICK_SAMPLES = 20
CLIENTS = 50
SECONDS = 10.0
QUICK_SECONDS = 3.0
SCREENS = Path(__file__).with_name("screens")
CHROMIUM = Path("/usr/bin/chromium")
WIDTHS = {"desktop": 1280, "phone": 390}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``newsfold serve`` in a subprocess, on a free loopback port."""

    def __init__(self, db: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "newsfold", "serve", "--db", str(db), "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip

    def __enter__(self) -> Server:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"newsfold serve exited: {self.proc.stderr.read().decode()}")  # type: ignore[union-attr]
            try:
                if httpx.get(f"{self.url}/api/csrf", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.2)
        raise RuntimeError("newsfold serve did not answer within 60 s")

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)


def _timed(client: httpx.Client, paths: Sequence[str]) -> list[float]:
    """Milliseconds per request, one at a time; a non-200 answer fails the benchmark."""
    out = []
    for path in paths:
        started = time.perf_counter()
        r = client.get(path)
        out.append((time.perf_counter() - started) * 1000)
        if r.status_code != 200:
            raise RuntimeError(f"GET {path}: {r.status_code} {r.text[:200]}")
    return out


def _pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _samples(db: Path, n: int) -> tuple[list[str], list[str], list[str]]:
    """Story ids, article ids and search words drawn at random (seed 7)."""
    rng = random.Random(7)
    with sqlite3.connect(db) as conn:
        stories = [r[0] for r in conn.execute("SELECT DISTINCT story FROM story_members")]
        articles = [r[0] for r in conn.execute("SELECT id FROM articles")]
        titles = [r[0] for r in conn.execute("SELECT title FROM articles WHERE title IS NOT NULL")]
    words = sorted({w for t in titles for w in re.findall(r"[A-Za-z]{5,}", t)})
    return (
        rng.sample(stories, min(n, len(stories))),
        rng.sample(articles, min(n, len(articles))),
        rng.sample(words, min(n, len(words))),
    )


def _load(url: str, paths: Sequence[str], clients: int, seconds: float) -> dict[str, Any]:
    """``clients`` threads requesting ``paths`` in turn for ``seconds``."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(k: int) -> None:
        mine: list[float] = []
        with httpx.Client(base_url=url, timeout=30) as client:
            i = k
            while time.monotonic() < stop:
                path = paths[i % len(paths)]
                i += clients
                started = time.perf_counter()
                try:
                    r = client.get(path)
                    ok = r.status_code == 200
                    why = f"{r.status_code} {path}"
                except httpx.HTTPError as exc:
                    ok, why = False, f"{type(exc).__name__} {path}"
                mine.append((time.perf_counter() - started) * 1000)
                if not ok:
                    with lock:
                        errors.append(why)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "per_second": len(latencies) / wall,
        "median": statistics.median(latencies),
        "p95": _pct(latencies, 0.95),
        "max": max(latencies),
        "wall": wall,
        "first_error": errors[0] if errors else "",
    }


def _screens(url: str, story: str, article: str, other: str, word: str) -> list[str]:
    from playwright.sync_api import sync_playwright

    pages = {
        "web-stories": f"/?q={word}",
        "web-story": f"/stories/{story}",
        "web-article": f"/articles/{article}",
        "web-compare": f"/compare?a={article}&b={other}",
        "web-ingest": "/ingest",
    }
    SCREENS.mkdir(exist_ok=True)
    saved = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        for width_name, width in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": 900})
            for name, path in pages.items():
                page.goto(url + path)
                if name == "web-story":
                    page.click("a.cite")  # the evidence of the first citation, lit
                out = SCREENS / f"{name}-{width_name}.jpg"
                page.screenshot(path=str(out), full_page=True, type="jpeg", quality=70)
                saved.append(out.name)
            page.close()
        browser.close()
    return saved


def run(quick: bool) -> str:
    n = QUICK_SIZE if quick else SIZE
    samples = QUICK_SAMPLES if quick else SAMPLES
    head = "## Web app latency and concurrency\n\n" + report.facts(quick=quick) + "\n"
    source = analysed_store(n, quick=quick)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "served.db"
        shutil.copy(source, db)
        stories, articles, words = _samples(db, samples)
        with Server(db) as server, httpx.Client(base_url=server.url, timeout=60) as client:
            kinds: dict[str, list[str]] = {
                "story page `/stories/ID`": [f"/stories/{s}" for s in stories],
                "search page `/?q=WORD`": [f"/?q={w}" for w in words],
                "search API `/api/stories?q=WORD`": [f"/api/stories?q={w}" for w in words],
                "article page `/articles/ID`": [f"/articles/{a}" for a in articles],
                "stories list `/` (first page)": ["/"] * samples,
            }
            rows = []
            for label, paths in kinds.items():
                _timed(client, paths[:1])  # warm-up
                ms = _timed(client, paths)
                rows.append([label, f"{len(ms)}", f"{statistics.median(ms):.1f}",
                             f"{_pct(ms, 0.95):.1f}", f"{max(ms):.1f}"])  # fmt: skip
            mix = [p for paths in kinds.values() for p in paths[: max(5, samples // 5)]]
            random.Random(3).shuffle(mix)
            seconds = QUICK_SECONDS if quick else SECONDS
            load = _load(server.url, mix, CLIENTS, seconds)
            shots: list[str] | str = "skipped: Chromium is absent"
            if CHROMIUM.is_file():
                shots = _screens(server.url, stories[0], articles[0], articles[1], words[0])
    lines = [
        head,
        f"Store: {n:,} articles in {_count_stories(source):,} stories "
        "(`bench/report_render.py`: a real 1,000-article analysis replicated under distinct "
        "ids); server: `newsfold serve` (uvicorn, one process) on 127.0.0.1, client in another "
        "process on the same 2 cores.\n",
        "### One request at a time (milliseconds)\n",
        report.table(["request", "n", "median", "p95", "max"], rows),
        f"### {CLIENTS} concurrent clients for {load['wall']:.0f} s\n",
        report.table(
            ["requests", "errors", "requests/s", "median ms", "p95 ms", "max ms"],
            [_load_row(load)],
            right=0,
        ),
        "The mix: the pages above in turn (story, search, API search, article, list)."
        + (f" First error: {load['first_error']}." if load["errors"] else "")
        + "\n",
        "### Screenshots\n",
        (
            "Saved to `bench/screens/` (desktop 1280 px and phone 390 px wide): "
            + ", ".join(f"`{s}`" for s in shots)
            if isinstance(shots, list)
            else shots
        )
        + ".\n",
    ]
    return "\n".join(lines)


def _load_row(load: dict[str, Any]) -> list[str]:
    return [
        f"{load['requests']:,}", f"{load['errors']}", f"{load['per_second']:.1f}",
        f"{load['median']:.0f}", f"{load['p95']:.0f}", f"{load['max']:.0f}",
    ]  # fmt: skip


def _count_stories(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(DISTINCT story) FROM story_members").fetchone()[0])


def main(argv: list[str] | None = None) -> None:
    print(run(quick="--quick" in (argv or sys.argv[1:])))


if __name__ == "__main__":
    main()
