"""Claims of articles: numbers, quotes with speakers, names and dates, as character spans.

:class:`Claims` runs :class:`~newsfold.claims.ClaimExtractor` on a batch of articles and returns
each article's claims as JSON (the form the engine caches). The extractor parses only the
sentences that can carry a claim (a digit, a quotation mark or a speech verb:
:func:`newsfold.claims.worth_parsing`); the engine runs this stage only on articles of stories
with two or more articles, where claims can be compared.
"""

from __future__ import annotations

import json
from typing import Any

from newsfold.article import Article
from newsfold.claims import VERSION, ClaimExtractor, load_english
from newsfold.stages.base import Batch, Stage

__all__ = ["VERSION", "Claims"]


class Claims(Stage):
    """Input columns: ``id``, ``article``. Output: ``id``, ``claims`` (JSON text).
    ``batch_size``: texts per spaCy batch; ``n_process``: processes reading claims (this one and
    ``n_process - 1`` forked workers) for batches of a few hundred English articles;
    ``selective``: parse only the sentences worth it. ``bench/claims_speed.py`` times it."""

    name = "claims"
    loaded = ("_nlp",)

    def __init__(self, batch_size: int = 32, n_process: int = 2, selective: bool = True) -> None:
        self.batch_size = batch_size
        self.n_process = n_process
        self.selective = selective
        self._nlp: Any = None

    def setup(self) -> None:
        if self._nlp is None:
            self._nlp = load_english()

    def process_batch(self, batch: Batch) -> Batch:
        articles: list[Article] = batch["article"]
        needs_model = any((a.language or "en") == "en" for a in articles)
        if needs_model:
            self.setup()
        extractor = ClaimExtractor(
            self.batch_size, self.n_process, nlp=self._nlp, selective=self.selective
        )
        read = extractor.transform(articles)
        return {
            "id": [c.article for c in read],
            "claims": [json.dumps(c.to_dict(), ensure_ascii=False) for c in read],
        }
