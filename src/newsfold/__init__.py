"""newsfold: fold a pile of news articles into stories people can trust.

The Python API mirrors the command line::

    import newsfold
    with newsfold.open("news.db") as store:
        report = store.ingest(["articles/"])
        for article in store.articles(source="example.com"):
            print(article.id, article.title)
        hits = store.search("ceasefire Egypt")

    relation = newsfold.compare(article_a, article_b)   # kind, similarity, direction, evidence
    deduper = newsfold.Deduper().fit(texts)             # groups_, kept_, dup_of_, relations_
"""

from __future__ import annotations

import os
from typing import Any

from newsfold.article import Article, Sentence, build_article
from newsfold.ingest import IngestReport
from newsfold.readers import ReadOptions
from newsfold.store import Store, StoreError

# The reuse stage needs numpy and the encoders: imported on first use, so that commands that do
# not need it start fast.
_LAZY = {
    "compare": "newsfold.relations",
    "Relation": "newsfold.relations",
    "Deduper": "newsfold.dedup",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'newsfold' has no attribute {name!r}")


__all__ = [
    "Article",
    "Deduper",
    "IngestReport",
    "ReadOptions",
    "Relation",
    "Sentence",
    "Store",
    "StoreError",
    "__version__",
    "build_article",
    "compare",
    "open",
]

__version__ = "0.1.0"


def open(path: str | os.PathLike[str] | None = None) -> Store:
    """Open (or create) the store at ``path`` (default: ``$NEWSFOLD_DB`` or ``newsfold.db``)."""
    return Store(path)
