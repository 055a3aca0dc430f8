"""An analysis as Parquet tables: what the Spark engine writes, and how a store reads it back.

``newsfold run --engine spark ... --out DIR`` writes, beside the report, ``DIR/data/``:

- ``articles/``: one row per article: the interchange fields (``id``, ``title``, ``text``,
  ``source``, ``url``, ``published``, ``language``, ``author``), ``spans`` (its sentences'
  offsets, JSON), ``boilerplate`` and ``extra`` (JSON), ``origin`` (where it was read),
  ``arrival`` (its place in the input), ``story``, ``story_probability`` and ``placed`` (its
  place in the order stories were formed);
- ``relations/``: ``a``, ``b``, ``relation``, ``source``, ``confidence``, ``similarity``,
  ``coverage_a``, ``coverage_b`` and ``evidence`` (the whole relation with its sentence pairs,
  JSON);
- ``stories/``: ``story``, ``size``, ``members`` (the report's key), ``report`` (JSON) and
  ``facts`` (the report's facts table alone, JSON: numbers, quotations and names compared
  across the story's articles, each group with its status and the sentences behind it);
- ``claims/``: ``id``, ``version``, ``claims`` (JSON) of the articles whose facts were compared;
- ``rejects/``: ``location``, ``reason``: every input record or file that could not be used;
- ``newsfold.json``: what the folder is (:data:`FORMAT`, :data:`VERSION`).

:func:`import_output` reads such a folder into an empty store (``newsfold ingest DIR/data``),
so that ``newsfold serve`` and the other commands browse a cluster's results.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsfold.article import Article

if TYPE_CHECKING:
    from newsfold.store import Store

__all__ = [
    "FORMAT",
    "MARKER",
    "TABLES",
    "VERSION",
    "OutputError",
    "article_columns",
    "import_output",
    "is_output",
]

FORMAT = "newsfold-output"
VERSION = 1
MARKER = "newsfold.json"
TABLES = ("articles", "relations", "stories", "claims", "rejects")


class OutputError(ValueError):
    """A folder that is not a readable newsfold output, or a store it cannot go into."""


def article_columns(article: Article) -> dict[str, Any]:
    """An article as a row of the ``articles`` table (without its story columns)."""
    return {
        "id": article.id,
        "title": article.title,
        "text": article.text,
        "source": article.source,
        "url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "language": article.language,
        "author": article.author,
        "spans": json.dumps(article.spans, separators=(",", ":")),
        "boilerplate": json.dumps(article.boilerplate, ensure_ascii=False),
        "extra": json.dumps(article.extra, ensure_ascii=False, default=str),
        "origin": article.origin,
    }


def _article_of(row: dict[str, Any]) -> Article:
    published = row.get("published")
    return Article(
        id=row["id"],
        text=row["text"],
        title=row.get("title"),
        source=row.get("source"),
        url=row.get("url"),
        published=datetime.fromisoformat(published) if published else None,
        language=row.get("language"),
        author=row.get("author"),
        spans=[(int(s), int(e)) for s, e in json.loads(row["spans"])],
        boilerplate=json.loads(row.get("boilerplate") or "[]"),
        extra=json.loads(row.get("extra") or "{}"),
        origin=row.get("origin"),
    )


def is_output(folder: Path) -> bool:
    """Whether ``folder`` holds a newsfold output (its marker file says so)."""
    marker = folder / MARKER
    if not marker.is_file():
        return False
    try:
        meta = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(meta, dict) and meta.get("format") == FORMAT


def _rows(folder: Path, table: str) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    path = folder / table
    if not path.is_dir():
        raise OutputError(f"{folder}: the '{table}' table is missing")
    for part in sorted(path.glob("*.parquet")):
        try:
            for batch in pq.ParquetFile(part).iter_batches(batch_size=1024):
                yield from batch.to_pylist()
        except Exception as exc:  # pyarrow's own errors for damaged parts
            raise OutputError(f"{part}: not a readable Parquet file ({exc})") from exc


def import_output(store: Store, folder: Path) -> dict[str, int]:
    """Read the output ``folder`` into ``store``, which must hold no article yet: articles
    (in input order), relations, story members (in placement order), claims and story
    reports. All or nothing. Returns the counts read per table."""
    from newsfold.engines.local import REPORT_VERSION

    if not is_output(folder):
        raise OutputError(f"{folder}: not a newsfold output (no {MARKER} naming {FORMAT})")
    meta = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    if meta.get("version") != VERSION:
        raise OutputError(f"{folder}: output version {meta.get('version')}, not {VERSION}")
    if len(store):
        raise OutputError(
            f"{store.path} already holds {len(store)} article(s): read an output into a new store"
        )
    articles = sorted(_rows(folder, "articles"), key=lambda r: r["arrival"])
    relations = [json.loads(r["evidence"]) for r in _rows(folder, "relations")]
    stories = list(_rows(folder, "stories"))
    claims = list(_rows(folder, "claims"))
    placed = sorted(articles, key=lambda r: r["placed"])
    with store.transaction():
        for row in articles:
            status = store.add(_article_of(row))
            if status != "added":
                raise OutputError(f"{folder}: article {row['id']!r} is listed twice")
        store.put_relations(relations)
        store.mark_linked([r["id"] for r in articles])
        store.put_story_members(
            [(r["id"], r["story"], float(r["story_probability"])) for r in placed]
        )
        for version in sorted({int(r["version"]) for r in claims}):
            store.put_claims(
                version, [(r["id"], r["claims"]) for r in claims if r["version"] == version]
            )
        for r in stories:
            store.put_story_report(r["story"], r["members"], REPORT_VERSION, r["report"])
    return {
        "articles": len(articles),
        "relations": len(relations),
        "stories": len(stories),
        "claims": len(claims),
    }
