"""newsfold: fold a pile of news articles into stories people can trust.

The Python API mirrors the command line::

    import newsfold
    with newsfold.open("news.db") as store:
        report = store.ingest(["articles/"])
        for article in store.articles(source="example.com"):
            print(article.id, article.title)
        hits = store.search("ceasefire Egypt")
"""

from __future__ import annotations

import os

from newsfold.article import Article, Sentence, build_article
from newsfold.ingest import IngestReport
from newsfold.readers import ReadOptions
from newsfold.store import Store, StoreError

__all__ = [
    "Article",
    "IngestReport",
    "ReadOptions",
    "Sentence",
    "Store",
    "StoreError",
    "__version__",
    "build_article",
    "open",
]

__version__ = "0.1.0"


def open(path: str | os.PathLike[str] | None = None) -> Store:
    """Open (or create) the store at ``path`` (default: ``$NEWSFOLD_DB`` or ``newsfold.db``)."""
    return Store(path)
