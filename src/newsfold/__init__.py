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

from newsfold.article import Article, Sentence, build_article
from newsfold.dedup import Deduper
from newsfold.ingest import IngestReport
from newsfold.readers import ReadOptions
from newsfold.relations import Relation, compare
from newsfold.store import Store, StoreError

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
