"""The store: idempotence, conflicts, filters, search, migrations and crash consistency."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import newsfold
from newsfold import build_article
from newsfold.store import MIGRATIONS, Store, StoreError, migrate

TEXT = "The council approved the budget on Tuesday. The vote was 21 to 14."


def test_wal_mode_and_schema_version(store: Store) -> None:
    mode = store._conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    assert store.schema_version == len(MIGRATIONS)
    assert store.integrity_check() == "ok"


def test_add_is_idempotent_and_conflicts_are_refused(store: Store) -> None:
    a = build_article({"text": TEXT, "source": "ledger"})
    assert store.add(a) == "added"
    assert store.add(a) == "present"
    clash = build_article({"id": a.id, "text": "Something else entirely. Really.", "source": "x"})
    assert store.add(clash) == "conflict"
    assert len(store) == 1
    got = store.get(a.id)
    assert got is not None and got.text == TEXT and got.spans == a.spans


def test_reingest_reports_already_present(store: Store, fixtures: Path) -> None:
    first = store.ingest([fixtures / "feed_rss.xml"])
    second = store.ingest([fixtures / "feed_rss.xml"])
    assert (first.added, first.present) == (3, 0)
    assert (second.added, second.present) == (0, 3)
    assert len(store) == 3


def test_get_by_unique_prefix(store: Store) -> None:
    a = build_article({"text": TEXT})
    store.add(a)
    got = store.get(a.id[:6])
    assert got is not None and got.id == a.id
    assert store.get("zzzz") is None


def test_filters_and_order(store: Store) -> None:
    records = [
        {
            "text": "Alpha story one. Done.",
            "source": "A",
            "published": "2026-03-01",
            "language": "en",
        },
        {"text": "Beta story two. Done.", "source": "B", "published": "2026-03-05T10:00:00+02:00"},
        {
            "text": "Gamma story three. Done.",
            "source": "A",
            "published": "2026-03-09",
            "language": "de",
        },
        {"text": "Delta story undated. Done.", "source": "B"},
    ]
    for r in records:
        store.add(build_article(r))
    titles = [a.title for a in store.articles()]
    assert titles[-1] == "Delta story undated."  # undated last
    assert [a.title for a in store.articles(source="a")] == [
        "Alpha story one.",
        "Gamma story three.",
    ]
    assert store.count(since="2026-03-02", until="2026-03-09") == 2
    assert store.count(until="2026-03-05") == 2  # a date as upper bound covers the whole day
    assert store.count(language="DE") == 1
    assert [a.title for a in store.articles(limit=1, offset=1)] == ["Beta story two."]
    with pytest.raises(ValueError, match="not a date"):
        store.count(since="whenever")


def test_search(store: Store) -> None:
    store.add(build_article({"text": "The ceasefire was brokered by Egypt on Thursday. It held."}))
    store.add(build_article({"text": "Egypt won the football match. The crowd cheered."}))
    store.add(build_article({"text": "A café reopened. Its owner was happy."}))
    hits = store.search("ceasefire Egypt")
    assert len(hits) == 1 and "«ceasefire»" in hits[0].snippet
    assert len(store.search("egypt")) == 2
    assert len(store.search("cafe")) == 1  # diacritics folded
    assert len(store.search('"football match"')) == 1
    assert store.search('unbalanced "quote AND (') == []
    assert store.search("   ") == []


def test_migrations_upgrade_an_old_store(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, MIGRATIONS[:1])  # a store written before full-text search existed
    conn.execute(
        "INSERT INTO articles (id, content_hash, title, text, spans, ingested_at) "
        "VALUES ('a1', 'h', 'Old', 'Harbour bridge reopened.', '[[0, 24]]', '2026-01-01')"
    )
    conn.close()
    with Store(path) as s:
        assert s.schema_version == len(MIGRATIONS)
        assert [h.article.id for h in s.search("bridge")] == ["a1"]
        s.add(build_article({"text": "The new bridge opened. Cars crossed."}))
        assert len(s.search("bridge")) == 2
        assert s.integrity_check() == "ok"


def test_newer_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this newsfold"):
        Store(path)


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("just some notes, not SQLite " * 100)
    with pytest.raises(StoreError, match="cannot open"):
        Store(path)
    assert path.read_text().startswith("just some notes")


def test_failed_file_leaves_nothing_behind(store: Store, tmp_path: Path) -> None:
    """A reader error after some records were read rolls the whole file back."""
    path = tmp_path / "half.json"
    path.write_text(json.dumps([{"text": "Good one. Fine."}]) + " trailing garbage")
    report = store.ingest([path])
    assert not report.ok and len(store) == 0


def test_python_api_mirrors_cli(tmp_path: Path, fixtures: Path) -> None:
    with newsfold.open(tmp_path / "api.db") as s:
        report = s.ingest([fixtures / "articles.json"])
        assert report.ok
        assert len(list(s.articles())) == 2
        assert s.search("bridge")
        assert isinstance(next(s.articles()), newsfold.Article)


def test_default_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFOLD_DB", str(tmp_path / "env.db"))
    with newsfold.open() as s:
        assert s.path == tmp_path / "env.db"


_WRITER = """
import sys
from newsfold.store import Store
with Store(sys.argv[1]) as s:
    s.ingest(sys.argv[2:])
"""


def _write_corpus(folder: Path, files: int, per_file: int) -> None:
    folder.mkdir()
    for f in range(files):
        with (folder / f"part{f:03d}.jsonl").open("w") as fh:
            for i in range(per_file):
                record = {
                    "text": f"File {f} article {i}. The council met on day {i} and voted again.",
                    "source": f"outlet{f % 7}",
                }
                fh.write(json.dumps(record) + "\n")


def test_killed_ingest_leaves_store_consistent(tmp_path: Path) -> None:
    """Kill a child process mid-ingest: the store opens, passes the integrity check, and every
    input file is either wholly stored or not at all."""
    corpus = tmp_path / "corpus"
    files, per_file = 40, 400
    _write_corpus(corpus, files, per_file)
    db = tmp_path / "killed.db"
    child = subprocess.Popen([sys.executable, "-c", _WRITER, str(db), str(corpus)])
    deadline = time.monotonic() + 60
    # Wait until some, but not all, files are committed, then kill without warning.
    while time.monotonic() < deadline:
        time.sleep(0.05)
        if db.exists():
            try:
                conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
                n = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
                conn.close()
            except sqlite3.OperationalError:
                continue
            if n >= per_file:
                break
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    with Store(db) as s:
        assert s.integrity_check() == "ok"
        rows = s._conn.execute("SELECT origin FROM articles").fetchall()
    per_origin: dict[str, int] = {}
    for (origin,) in rows:
        name = origin.rsplit(":", 1)[0]
        per_origin[name] = per_origin.get(name, 0) + 1
    assert per_origin, "nothing was stored before the kill"
    assert len(per_origin) < files, "the child finished before it was killed"
    assert set(per_origin.values()) == {per_file}
    # Ingesting again completes the store without duplicates.
    with Store(db) as s:
        report = s.ingest([corpus])
        assert report.ok and len(s) == files * per_file
        assert report.present == len(per_origin) * per_file
