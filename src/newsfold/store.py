"""The embedded store: one SQLite file in WAL mode; the only module that writes SQL.

The schema is versioned (``PRAGMA user_version``) and brought up to date by :data:`MIGRATIONS` when
a store is opened; a database written by a newer newsfold is refused rather than damaged. Writers
group their work in :meth:`Store.transaction` (ingest uses one per input file), so a run killed
half-way leaves every file either fully stored or not at all. Readers are never blocked by a
writer (WAL).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from newsfold.article import Article
from newsfold.dates import parse_datetime, to_utc_iso

if TYPE_CHECKING:
    from newsfold.ingest import IngestReport
    from newsfold.readers import ReadOptions

__all__ = [
    "DEFAULT_DB",
    "MIGRATIONS",
    "SearchHit",
    "Store",
    "StoreError",
    "default_db_path",
    "quote_terms",
]

DEFAULT_DB = "newsfold.db"
AddStatus = Literal["added", "present", "conflict"]


class StoreError(Exception):
    """The store cannot be opened or used (not a database, too new, locked too long)."""


def default_db_path() -> Path:
    """``$NEWSFOLD_DB`` when set, else ``newsfold.db`` in the working directory."""
    return Path(os.environ.get("NEWSFOLD_DB") or DEFAULT_DB)


# --------------------------------------------------------------------------- schema

_V1 = """
CREATE TABLE articles (
    seq           INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    content_hash  TEXT NOT NULL,
    title         TEXT,
    text          TEXT NOT NULL,
    source        TEXT,
    url           TEXT,
    published     TEXT,            -- ISO 8601 with the zone it was given in
    published_utc TEXT,            -- the same instant in UTC: sorts and filters
    language      TEXT,
    author        TEXT,
    spans         TEXT NOT NULL,   -- JSON [[start, end], ...] sentence offsets into text
    boilerplate   TEXT NOT NULL DEFAULT '[]',
    extra         TEXT NOT NULL DEFAULT '{}',
    origin        TEXT,
    ingested_at   TEXT NOT NULL
);
CREATE INDEX articles_source ON articles(source);
CREATE INDEX articles_published ON articles(published_utc);
CREATE INDEX articles_language ON articles(language);
CREATE INDEX articles_hash ON articles(content_hash);
"""

_V2 = """
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
    VALUES ('delete', old.seq, old.title, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
    VALUES ('delete', old.seq, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
"""

# Version 3: new rows are indexed in bulk when their transaction commits (Store.transaction),
# which costs half as much as a trigger firing row by row.
_V3 = """
DROP TRIGGER articles_fts_insert;
"""

# Version 4: what the reuse stage learns. Signatures and vectors are caches keyed by article;
# relations hold one row per related pair (a < b by id) with its evidence as JSON.
_V4 = """
CREATE TABLE signatures (
    article  TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    minhash  BLOB NOT NULL,
    shingles INTEGER NOT NULL
);
CREATE TABLE vectors (
    article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    model   TEXT NOT NULL,
    vector  BLOB NOT NULL,
    PRIMARY KEY (article, model)
);
CREATE TABLE relations (
    a           TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    b           TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    similarity  REAL NOT NULL,
    coverage_a  REAL NOT NULL,
    coverage_b  REAL NOT NULL,
    source      TEXT,
    confidence  REAL NOT NULL DEFAULT 0,
    evidence    TEXT NOT NULL,
    PRIMARY KEY (a, b)
);
CREATE INDEX relations_b ON relations(b);
CREATE TABLE linked (
    article TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE
);
"""

# Version 5: stories. Each folded article belongs to one story; ``seq`` is the order articles were
# placed in, so a later fold continues from the same state. A story's id is that of its first
# article, prefixed (stable across runs: placing an article never moves an earlier one).
_V5 = """
CREATE TABLE story_members (
    article     TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    story       TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    probability REAL NOT NULL
);
CREATE INDEX story_members_story ON story_members(story);
"""

# Version 6: claims. Each article's claims (numbers, quotes, names, dates; see
# ``newsfold.claims``) as JSON, with the extractor's version: a newer extractor reads them again.
_V6 = """
CREATE TABLE claims (
    article TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    data    TEXT NOT NULL
);
"""

# Version 7: story reports. Each story's report (summary, facts, reuse, sources, timeline; see
# ``newsfold.report.stories``) as JSON, keyed by its members: a story that gained articles is
# reported again, one that did not is rendered from here without analysis.
_V7 = """
CREATE TABLE story_reports (
    story   TEXT PRIMARY KEY,
    members TEXT NOT NULL,
    version INTEGER NOT NULL,
    data    TEXT NOT NULL
);
"""

# Version 8: saved stage states (the story placement's clusterer, see
# ``newsfold.stages.place``), each with the count of rows it covers: a state that does not match
# the stored rows is not used (the stage is then restored from those rows).
_V8 = """
CREATE TABLE stage_states (
    name  TEXT PRIMARY KEY,
    rows  INTEGER NOT NULL,
    data  BLOB NOT NULL
);
"""

#: Schema migrations in order: migration ``i`` brings a store from version ``i`` to ``i + 1``.
MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3, _V4, _V5, _V6, _V7, _V8)


def migrate(conn: sqlite3.Connection, migrations: Sequence[str] = MIGRATIONS) -> int:
    """Apply the migrations a store lacks, each in its own transaction; return the version."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > len(migrations):
        raise StoreError(
            f"the store has schema version {version}, newer than this newsfold knows "
            f"({len(migrations)}): upgrade newsfold"
        )
    for target in range(version + 1, len(migrations) + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # executescript would commit on its own; run statement by statement instead.
            for statement in _statements(migrations[target - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {target}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return len(migrations)


def _statements(script: str) -> Iterator[str]:
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += re.sub(r"--.*$", "", line)
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer.strip()
            buffer = ""
    if buffer.strip():
        yield buffer.strip()


# --------------------------------------------------------------------------- store


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One full-text search result: the article, a highlighted snippet and the BM25 rank."""

    article: Article
    snippet: str
    rank: float


_COLUMNS = (
    "id, content_hash, title, text, source, url, published, published_utc, language, author, "
    "spans, boilerplate, extra, origin, ingested_at"
)


class Store:
    """A newsfold store: articles and (in later stages) what is learned about them.

    Open with :func:`newsfold.open` or ``Store(path)``; use as a context manager to close it.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        if self.path.is_dir():
            raise StoreError(f"{self.path}: is a directory, not a database file")
        try:
            self._conn = sqlite3.connect(self.path, isolation_level=None, timeout=30.0)
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            self.schema_version = migrate(self._conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open as a newsfold store ({exc})") from exc
        self._in_transaction = False

    # -- life cycle
    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside are stored together or not at all.

        Articles added inside are put in the full-text index in one statement just before the
        commit, in the same transaction.
        """
        if self._in_transaction:
            yield
            return
        self._conn.execute("BEGIN IMMEDIATE")
        self._in_transaction = True
        last_seq = self._conn.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0]
        try:
            yield
            self._conn.execute(
                "INSERT INTO articles_fts(rowid, title, text) "
                "SELECT seq, title, text FROM articles WHERE seq > ?",
                (last_seq,),
            )
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        else:
            self._conn.execute("COMMIT")
        finally:
            self._in_transaction = False

    def integrity_check(self) -> str:
        """SQLite's integrity check of the file and of the full-text index: ``"ok"`` or errors."""
        result = self._conn.execute("PRAGMA integrity_check").fetchall()
        message = "; ".join(row[0] for row in result)
        if message == "ok":
            try:
                self._conn.execute(
                    "INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)"
                )
            except sqlite3.DatabaseError as exc:
                return f"full-text index: {exc}"
        return message

    # -- writing
    def add(self, article: Article) -> AddStatus:
        """Store ``article``: ``added``; ``present`` when stored already (same id and text);
        ``conflict`` when another article holds the id (nothing is changed then)."""
        with self.transaction():
            cur = self._conn.execute(
                f"INSERT OR IGNORE INTO articles ({_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                _row_of(article),
            )
            if cur.rowcount == 1:
                return "added"
            row = self._conn.execute(
                "SELECT content_hash FROM articles WHERE id = ?", (article.id,)
            ).fetchone()
        return "present" if row and row[0] == article.content_hash else "conflict"

    # -- reading
    def get(self, article_id: str) -> Article | None:
        row = self._conn.execute(
            f"SELECT {_COLUMNS} FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if row is None:
            row = self._conn.execute(
                f"SELECT {_COLUMNS} FROM articles WHERE id LIKE ? ESCAPE '\\' LIMIT 2",
                (_like_prefix(article_id),),
            ).fetchall()
            row = row[0] if len(row) == 1 else None
        return _article_of(row) if row else None

    def languages(self) -> list[str]:
        """The languages of the stored articles (those known), sorted."""
        rows = self._conn.execute(
            "SELECT DISTINCT language FROM articles WHERE language IS NOT NULL ORDER BY language"
        )
        return [r[0] for r in rows]

    def language_of(self, ids: Sequence[str]) -> dict[str, str | None]:
        """The language of each stored article of ``ids`` (None: not known)."""
        out: dict[str, str | None] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(
                f"SELECT id, language FROM articles WHERE id IN ({marks})", chunk
            )
            out.update((r[0], r[1]) for r in rows)
        return out

    def get_many(self, ids: Sequence[str]) -> dict[str, Article]:
        """The stored articles of ``ids`` (exact ids; missing ones are left out)."""
        out: dict[str, Article] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for row in self._conn.execute(
                f"SELECT {_COLUMNS} FROM articles WHERE id IN ({marks})", chunk
            ):
                article = _article_of(row)
                out[article.id] = article
        return out

    def articles(
        self,
        *,
        source: str | None = None,
        language: str | None = None,
        since: datetime | str | None = None,
        until: datetime | str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Iterator[Article]:
        """Stored articles, oldest first (undated last), filtered; streamed, not loaded at once."""
        where, params = _filters(source, language, since, until)
        sql = (
            f"SELECT {_COLUMNS} FROM articles{where} "
            "ORDER BY published_utc IS NULL, published_utc, seq LIMIT ? OFFSET ?"
        )
        params += [-1 if limit is None else limit, offset]
        for row in self._conn.execute(sql, params):
            yield _article_of(row)

    def count(
        self,
        *,
        source: str | None = None,
        language: str | None = None,
        since: datetime | str | None = None,
        until: datetime | str | None = None,
    ) -> int:
        where, params = _filters(source, language, since, until)
        return int(
            self._conn.execute(f"SELECT count(*) FROM articles{where}", params).fetchone()[0]
        )

    def __len__(self) -> int:
        return self.count()

    def __contains__(self, article_id: object) -> bool:
        row = self._conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row is not None

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        """Full-text search (SQLite FTS5, BM25 ranking) over titles and texts.

        Plain words must all occur ("ceasefire Egypt"); FTS5 syntax (``"exact phrase"``, ``OR``,
        ``NOT``, ``prefix*``) is honoured when the query uses it correctly.
        """
        if not query.strip():
            return []
        sql = (
            f"SELECT {', '.join('a.' + c.strip() for c in _COLUMNS.split(','))}, "
            "snippet(articles_fts, 1, '«', '»', ' … ', 16), bm25(articles_fts, 5.0, 1.0) AS r "
            "FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY r LIMIT ?"
        )
        try:
            rows = self._conn.execute(sql, (query, limit)).fetchall()
        except sqlite3.OperationalError:
            rows = self._conn.execute(sql, (quote_terms(query), limit)).fetchall()
        return [SearchHit(_article_of(row[:-2]), row[-2], float(row[-1])) for row in rows]

    def match_query(self, query: str) -> str:
        """``query`` itself when it is valid FTS5 syntax, else its words, each quoted: what a
        ``MATCH`` can always take (user input such as ``"unbalanced`` or ``a AND``)."""
        try:
            self._conn.execute(
                "SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? LIMIT 1", (query,)
            ).fetchall()
        except sqlite3.OperationalError:
            return quote_terms(query)
        return query

    def stats(self) -> dict[str, Any]:
        """Counts: articles, by source and by language, and the span of publication dates."""
        total, first, last = self._conn.execute(
            "SELECT count(*), min(published_utc), max(published_utc) FROM articles"
        ).fetchone()

        def grouped(column: str) -> dict[str, int]:
            rows = self._conn.execute(
                f"SELECT coalesce({column}, '?'), count(*) FROM articles GROUP BY 1 "
                "ORDER BY 2 DESC, 1"
            )
            return {str(k): int(n) for k, n in rows}

        return {
            "articles": int(total),
            "sources": grouped("source"),
            "languages": grouped("language"),
            "first_published": first,
            "last_published": last,
            "schema_version": self.schema_version,
        }

    # -- what the reuse stage learns (newsfold.links computes it)
    def ids(self) -> list[str]:
        """Every stored article id, oldest first (undated last)."""
        rows = self._conn.execute(
            "SELECT id FROM articles ORDER BY published_utc IS NULL, published_utc, seq"
        )
        return [r[0] for r in rows]

    def unlinked_ids(self) -> list[str]:
        """Articles not yet compared with the rest of the store."""
        rows = self._conn.execute(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article FROM linked) "
            "ORDER BY published_utc IS NULL, published_utc, seq"
        )
        return [r[0] for r in rows]

    def mark_linked(self, ids: Sequence[str]) -> None:
        with self.transaction():
            self._conn.executemany(
                "INSERT OR IGNORE INTO linked (article) VALUES (?)", [(i,) for i in ids]
            )

    # -- stories (newsfold.fold computes them)
    def unfolded_ids(self) -> list[str]:
        """Articles not yet placed in a story, oldest first (undated last)."""
        rows = self._conn.execute(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article FROM story_members) "
            "ORDER BY published_utc IS NULL, published_utc, seq"
        )
        return [r[0] for r in rows]

    def story_members(self) -> list[tuple[str, str, float]]:
        """``(article, story, probability)`` of every folded article, in placement order."""
        rows = self._conn.execute(
            "SELECT article, story, probability FROM story_members ORDER BY seq"
        )
        return [(r[0], r[1], float(r[2])) for r in rows]

    def put_story_members(self, rows: Sequence[tuple[str, str, float]]) -> None:
        """Append placed articles ``(article, story, probability)`` after those stored."""
        with self.transaction():
            start = self._conn.execute(
                "SELECT COALESCE(MAX(seq), -1) + 1 FROM story_members"
            ).fetchone()[0]
            self._conn.executemany(
                "INSERT INTO story_members (article, story, seq, probability) VALUES (?, ?, ?, ?)",
                [(a, s, start + k, p) for k, (a, s, p) in enumerate(rows)],
            )

    def claims(self, ids: Sequence[str], version: int) -> dict[str, str]:
        """Stored claims (JSON) of the given articles, read by extractor ``version``."""
        found = self._by_ids("SELECT article, data FROM claims", ids, 1, "version = ?", (version,))
        return {k: v[0] for k, v in found.items()}

    def put_claims(self, version: int, rows: Sequence[tuple[str, str]]) -> None:
        """Store ``(article, claims JSON)`` rows read by extractor ``version``."""
        with self.transaction():
            self._conn.executemany(
                "INSERT OR REPLACE INTO claims (article, version, data) VALUES (?, ?, ?)",
                [(a, version, d) for a, d in rows],
            )

    def story_report(self, story: str, members: str, version: int) -> str | None:
        """The stored report (JSON) of ``story`` when made from the same ``members`` key by
        report ``version``, else None."""
        row = self._conn.execute(
            "SELECT data FROM story_reports WHERE story = ? AND members = ? AND version = ?",
            (story, members, version),
        ).fetchone()
        return None if row is None else str(row[0])

    def put_story_report(self, story: str, members: str, version: int, data: str) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT OR REPLACE INTO story_reports (story, members, version, data) "
                "VALUES (?, ?, ?, ?)",
                (story, members, version, data),
            )

    def signatures(self, ids: Sequence[str]) -> dict[str, tuple[bytes, int]]:
        """Cached MinHash signatures (raw bytes) and shingle counts of the given articles."""
        return self._by_ids("SELECT article, minhash, shingles FROM signatures", ids, 2)

    def put_signatures(self, rows: Sequence[tuple[str, bytes, int]]) -> None:
        with self.transaction():
            self._conn.executemany(
                "INSERT OR REPLACE INTO signatures (article, minhash, shingles) VALUES (?, ?, ?)",
                rows,
            )

    def vectors(self, ids: Sequence[str], model: str) -> dict[str, bytes]:
        """Cached embedding vectors (raw float32 bytes) of the given articles for ``model``."""
        found = self._by_ids("SELECT article, vector FROM vectors", ids, 1, "model = ?", (model,))
        return {k: v[0] for k, v in found.items()}

    def put_vectors(self, model: str, rows: Sequence[tuple[str, bytes]]) -> None:
        with self.transaction():
            self._conn.executemany(
                "INSERT OR REPLACE INTO vectors (article, model, vector) VALUES (?, ?, ?)",
                [(a, model, v) for a, v in rows],
            )

    def stage_state(self, name: str) -> tuple[int, bytes] | None:
        """A stage's saved state and the count of rows it covers (None: none saved)."""
        row = self._conn.execute(
            "SELECT rows, data FROM stage_states WHERE name = ?", (name,)
        ).fetchone()
        return (int(row[0]), bytes(row[1])) if row else None

    def put_stage_state(self, name: str, rows: int, data: bytes) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT OR REPLACE INTO stage_states (name, rows, data) VALUES (?, ?, ?)",
                (name, rows, data),
            )

    def _by_ids(
        self,
        select: str,
        ids: Sequence[str],
        width: int,
        extra: str = "",
        params: tuple[Any, ...] = (),
    ) -> dict[str, tuple[Any, ...]]:
        out: dict[str, tuple[Any, ...]] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            where = f"article IN ({','.join('?' * len(chunk))})" + (
                f" AND {extra}" if extra else ""
            )
            for row in self._conn.execute(f"{select} WHERE {where}", (*chunk, *params)):
                out[row[0]] = tuple(row[1 : 1 + width])
        return out

    def put_relations(self, rows: Sequence[dict[str, Any]]) -> None:
        """Store relations (dicts as :meth:`Relation.to_dict` makes them), replacing old ones."""
        with self.transaction():
            self._conn.executemany(
                "INSERT OR REPLACE INTO relations (a, b, kind, similarity, coverage_a, "
                "coverage_b, source, confidence, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        r["a"],
                        r["b"],
                        r["relation"],
                        r["similarity"],
                        r["coverage_a"],
                        r["coverage_b"],
                        r["source"],
                        r["direction"]["confidence"],
                        json.dumps(r, ensure_ascii=False),
                    )
                    for r in rows
                ],
            )

    def relations_among(self, ids: Sequence[str], kinds: Sequence[str]) -> list[dict[str, Any]]:
        """The relations of the given ``kinds`` with both articles among ``ids``, ordered by
        ``(a, b)``: ``a``, ``b``, ``relation``, ``similarity``, ``coverage_a``, ``coverage_b``,
        ``source`` and ``direction.confidence``, read from the table's columns (the sentence
        evidence is left unparsed: reuse trees and story roles need none of it)."""
        members = json.dumps(list(ids))
        rows = self._conn.execute(
            "SELECT a, b, kind, similarity, coverage_a, coverage_b, source, confidence "
            "FROM relations WHERE a IN (SELECT value FROM json_each(?)) "
            "AND b IN (SELECT value FROM json_each(?)) "
            "AND kind IN (SELECT value FROM json_each(?)) ORDER BY a, b",
            (members, members, json.dumps(list(kinds))),
        )
        return [
            {"a": a, "b": b, "relation": kind, "similarity": sim, "coverage_a": ca,
             "coverage_b": cb, "source": source, "direction": {"confidence": conf}}
            for a, b, kind, sim, ca, cb, source, conf in rows
        ]  # fmt: skip

    def relation_pairs(self, kinds: Sequence[str]) -> list[tuple[str, str]]:
        """``(a, b)`` of every stored relation of the given ``kinds``, ordered."""
        rows = self._conn.execute(
            "SELECT a, b FROM relations WHERE kind IN (SELECT value FROM json_each(?)) "
            "ORDER BY a, b",
            (json.dumps(list(kinds)),),
        )
        return [(r[0], r[1]) for r in rows]

    def relations(self, article_id: str | None = None) -> list[dict[str, Any]]:
        """Stored relations (all, or those of one article), as dicts with their evidence."""
        if article_id is None:
            rows = self._conn.execute("SELECT evidence FROM relations ORDER BY a, b")
        else:
            rows = self._conn.execute(
                "SELECT evidence FROM relations WHERE a = ? OR b = ? ORDER BY a, b",
                (article_id, article_id),
            )
        return [json.loads(r[0]) for r in rows]

    # -- views of the store (the web app's lists, pages and upload jobs; see newsfold.web)
    def last_seq(self) -> int:
        """The sequence number of the last article stored (0: none): the articles stored
        after this moment are :meth:`ids_after` it."""
        row = self._conn.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()
        return int(row[0])

    def ids_after(self, seq: int) -> list[str]:
        """Ids of the articles stored after sequence number ``seq``, in the order stored."""
        rows = self._conn.execute("SELECT id FROM articles WHERE seq > ? ORDER BY seq", (seq,))
        return [r[0] for r in rows]

    def stories_of(self, article_ids: Sequence[str]) -> list[str]:
        """The stories holding any of ``article_ids`` (each once), sorted."""
        stories: set[str] = set()
        for start in range(0, len(article_ids), 500):
            chunk = list(article_ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(
                f"SELECT DISTINCT story FROM story_members WHERE article IN ({marks})", chunk
            )
            stories.update(r[0] for r in rows)
        return sorted(stories)

    def story_of(self, article_id: str) -> str | None:
        """The story holding the article ``article_id`` (its exact id), None when unfolded."""
        row = self._conn.execute(
            "SELECT story FROM story_members WHERE article = ?", (article_id,)
        ).fetchone()
        return None if row is None else str(row[0])

    def find_story(self, ref: str) -> str | None:
        """The story whose id is ``ref`` or that holds the article ``ref`` (exact ids), else
        None."""
        row = self._conn.execute(
            "SELECT story FROM story_members WHERE story = ? OR article = ? LIMIT 1", (ref, ref)
        ).fetchone()
        return None if row is None else str(row[0])

    def story_index_rows(
        self,
    ) -> list[tuple[str, int, str | None, str | None, str | None, str | None, str]]:
        """``(story, seq, source, language, published_utc, title, article id)`` of every
        folded article, in placement order; ``seq`` is the article's own (what
        :meth:`fts_ranks` gives)."""
        return self._conn.execute(
            "SELECT m.story, a.seq, a.source, a.language, a.published_utc, a.title, a.id "
            "FROM story_members m JOIN articles a ON a.id = m.article ORDER BY m.seq"
        ).fetchall()

    def report_dates(self, version: int) -> list[tuple[str, str | None, str | None, list[str]]]:
        """``(story, first, last, ids of members with a suspect publication date)`` of every
        stored story report of ``version``, read from its JSON; in no set order."""
        rows = self._conn.execute(
            "SELECT story, json_extract(data, '$.first'), json_extract(data, '$.last'), "
            "json_extract(data, '$.suspect_dates') FROM story_reports WHERE version = ?",
            (version,),
        ).fetchall()
        return [
            (story, first, last, [d["article"] for d in json.loads(suspect or "[]")])
            for story, first, last, suspect in rows
        ]

    def report_headlines(self) -> list[tuple[str, str | None, int | None, int | None]]:
        """``(story, headline, independent sources, outlets)`` of every stored story report,
        read from its JSON (None where the report lacks the field); in no set order."""
        return self._conn.execute(
            "SELECT story, json_extract(data, '$.headline'), "
            "json_extract(data, '$.counts.independent_sources'), "
            "json_extract(data, '$.counts.outlets') FROM story_reports"
        ).fetchall()

    def fts_ranks(self, query: str) -> list[tuple[int, float]]:
        """``(seq, rank)`` of every article matching ``query`` (FTS5 syntax when valid, else
        its words: see :meth:`match_query`): its BM25 rank, title weighing 5 and text 1, lower
        is better; in no set order."""
        return self._conn.execute(
            "SELECT rowid, bm25(articles_fts, 5.0, 1.0) FROM articles_fts "
            "WHERE articles_fts MATCH ?",
            (self.match_query(query),),
        ).fetchall()

    def change_marker(self) -> tuple[int, int, int, int, int]:
        """A cheap value that changes whenever articles, story members or story reports are
        added or replaced: what caches of views of the stories key on."""
        row = self._conn.execute(
            "SELECT (SELECT count(*) FROM story_members), "
            "(SELECT coalesce(max(seq), -1) FROM story_members), "
            "(SELECT coalesce(max(rowid), 0) FROM story_reports), "
            "(SELECT count(*) FROM story_reports), (SELECT coalesce(max(seq), 0) FROM articles)"
        ).fetchone()
        return tuple(row)

    def distinct_sources(self) -> list[str]:
        """Every outlet named by a stored article, sorted."""
        rows = self._conn.execute(
            "SELECT DISTINCT source FROM articles WHERE source IS NOT NULL ORDER BY source"
        )
        return [r[0] for r in rows]

    def distinct_languages(self) -> list[str]:
        """Every language code of a stored article, sorted."""
        rows = self._conn.execute(
            "SELECT DISTINCT language FROM articles WHERE language IS NOT NULL ORDER BY language"
        )
        return [r[0] for r in rows]

    def related_titles(self, article_id: str) -> dict[str, str]:
        """Id → title (the id when untitled) of every article with a stored relation to
        ``article_id``."""
        rows = self._conn.execute(
            "SELECT id, coalesce(title, id) FROM articles WHERE id IN "
            "(SELECT b FROM relations WHERE a = ? UNION SELECT a FROM relations WHERE b = ?)",
            (article_id, article_id),
        )
        return {r[0]: r[1] for r in rows}

    def article_page(
        self,
        *,
        query: str = "",
        source: str | None = None,
        language: str | None = None,
        limit: int,
        offset: int = 0,
    ) -> tuple[list[tuple[str, str | None, str | None, str | None, str | None, str | None]], int]:
        """One page of articles as ``(id, title, source, published, language, story)`` rows
        (``story``: None when unfolded), and how many articles the filters keep in all.

        With a ``query`` (FTS5 syntax when valid, else its words), only the matching articles,
        best match first; without, newest first (undated last). ``source`` and ``language``
        keep the articles with exactly that value.
        """
        query = query.strip()
        where: list[str] = []
        params: list[Any] = []
        if source:
            where.append("a.source = ?")
            params.append(source)
        if language:
            where.append("a.language = ?")
            params.append(language)
        cols = "a.id, a.title, a.source, a.published, a.language, m.story"
        if query:
            sql = (
                f"SELECT {cols} FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid "
                "LEFT JOIN story_members m ON m.article = a.id WHERE articles_fts MATCH ?"
                + "".join(f" AND {w}" for w in where)
            )
            order = "bm25(articles_fts, 5.0, 1.0), a.seq"
            params.insert(0, self.match_query(query))
        else:
            sql = f"SELECT {cols} FROM articles a LEFT JOIN story_members m ON m.article = a.id" + (
                f" WHERE {' AND '.join(where)}" if where else ""
            )
            order = "a.published_utc IS NULL, a.published_utc DESC, a.seq DESC"
        total = self._conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]
        rows = self._conn.execute(
            f"{sql} ORDER BY {order} LIMIT ? OFFSET ?", (*params, limit, offset)
        ).fetchall()
        return rows, int(total)

    # -- ingest (the pipeline lives in newsfold.ingest)
    def ingest(
        self,
        paths: Sequence[str | os.PathLike[str]],
        options: ReadOptions | None = None,
        *,
        fmt: str | None = None,
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
        on_progress: Callable[[str, int], None] | None = None,
    ) -> IngestReport:
        """Read ``paths`` (files, folders, ``-`` for standard input) into the store."""
        from newsfold.ingest import ingest

        return ingest(
            self,
            paths,
            options,
            fmt=fmt,
            include=include,
            exclude=exclude,
            on_progress=on_progress,
        )


# --------------------------------------------------------------------------- rows


def _row_of(a: Article) -> tuple[Any, ...]:
    return (
        a.id,
        a.content_hash,
        a.title,
        a.text,
        a.source,
        a.url,
        a.published.isoformat() if a.published else None,
        to_utc_iso(a.published) if a.published else None,
        a.language,
        a.author,
        json.dumps(a.spans, separators=(",", ":")),
        json.dumps(a.boilerplate, ensure_ascii=False),
        json.dumps(a.extra, ensure_ascii=False, default=str),
        a.origin,
        datetime.now(UTC).isoformat(timespec="seconds"),
    )


def _article_of(row: Sequence[Any]) -> Article:
    (aid, _hash, title, text, source, url, published, _utc, language, author) = row[:10]
    spans, boilerplate, extra, origin = row[10:14]
    return Article(
        id=aid,
        text=text,
        title=title,
        source=source,
        url=url,
        published=datetime.fromisoformat(published) if published else None,
        language=language,
        author=author,
        spans=[(s, e) for s, e in json.loads(spans)],
        boilerplate=json.loads(boilerplate),
        extra=json.loads(extra),
        origin=origin,
    )


def _bound(value: datetime | str | None, *, end: bool) -> str | None:
    if value is None:
        return None
    when = parse_datetime(value)
    if when is None:
        raise ValueError(f"not a date: {value!r}")
    if end and isinstance(value, str) and len(value.strip()) == 10:
        when = when.replace(hour=23, minute=59, second=59, microsecond=999999)
    return to_utc_iso(when)


def _filters(
    source: str | None,
    language: str | None,
    since: datetime | str | None,
    until: datetime | str | None,
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if source:
        clauses.append("source = ? COLLATE NOCASE")
        params.append(source)
    if language:
        clauses.append("language = ?")
        params.append(language.lower())
    if (lo := _bound(since, end=False)) is not None:
        clauses.append("published_utc >= ?")
        params.append(lo)
    if (hi := _bound(until, end=True)) is not None:
        clauses.append("published_utc <= ?")
        params.append(hi)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def quote_terms(query: str) -> str:
    """``query`` as plain FTS5 terms, each quoted: any user input becomes a valid query."""
    terms = re.findall(r"\w[\w'’-]*", query)
    return " ".join('"' + t.replace('"', "") + '"' for t in terms) or '""'


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
