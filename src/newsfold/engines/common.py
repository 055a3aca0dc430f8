"""What every engine decides the same way between kernels: which earlier article a new one
is placed beside, and directions read from third articles.

These steps need a relation's neighbourhood (the relations around it, the words of the
articles around it), so they are written over two lookups an engine provides, not over a
store or a DataFrame: the local engine answers them from SQLite, the Spark engine from the
relations it gathered on the driver.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from newsfold.corroborate import CONFIDENCE, corroborate
from newsfold.relations import DERIVED

__all__ = ["BATCH", "CORROBORATION", "crosses", "earliest_links", "third_article_directions"]

#: How a direction read from third articles is labelled among a relation's reasons.
CORROBORATION = "third articles"
#: Articles per batch of a per-article kernel. Both engines form the same batches (an
#: encoder's floats depend on the batch it is given), so they share this number.
BATCH = 256


def crosses(language_a: str | None, language_b: str | None) -> bool:
    """Whether a pair is read across languages (both known, and different)."""
    return bool(language_a) and bool(language_b) and language_a != language_b


def earliest_links(
    ids: Sequence[str], position: Mapping[str, int], related: Mapping[str, Sequence[str]]
) -> list[str | None]:
    """For each article of ``ids``: the earliest placed article (by ``position``, the order of
    placement) it is joined to by a derived relation, or None."""
    links: list[str | None] = []
    for article_id in ids:
        earlier = [
            o
            for o in related.get(article_id, ())
            if o in position and position[o] < position[article_id]
        ]
        links.append(min(earlier, key=position.__getitem__) if earlier else None)
    return links


def third_article_directions(
    touched: Iterable[str],
    relations_of: Callable[[str], list[dict[str, Any]]],
    words_of: Callable[[list[str]], Mapping[str, set[str]]],
) -> list[dict[str, Any]]:
    """Undirected derived relations around the ``touched`` articles given a direction by third
    articles (:func:`newsfold.corroborate.corroborate`): those whose direction changes, updated.
    Relations directed by stronger evidence (dates, containment) and translations are left as
    they are; one directed by third articles before is read again, since new articles bring new
    third reports. ``relations_of(id)``: an article's relations (with evidence);
    ``words_of(ids)``: the word sets of those articles."""
    words: dict[str, set[str]] = {}
    updated: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for article_id in sorted(touched):
        for r in relations_of(article_id):
            key = (r["a"], r["b"])
            if key in seen or r["relation"] not in DERIVED or r["relation"] == "translation":
                continue
            seen.add(key)
            reasons = r["direction"]["reasons"]
            if r["source"] is not None and not reasons[0].startswith(CORROBORATION):
                continue  # directed by stronger evidence (dates, containment)
            near = relations_of(r["a"]) + relations_of(r["b"])
            reusers = {x for q in near if q["relation"] in DERIVED for x in (q["a"], q["b"])}
            third = sorted({x for q in near for x in (q["a"], q["b"])} - reusers - {r["a"], r["b"]})
            missing = [x for x in third if x not in words]
            if missing:
                words.update(words_of(missing))
            pairs = [
                (p["a"]["text"], p["b"]["text"]) for p in r["pairs"] if p["kind"] != "verbatim"
            ]
            found = corroborate(pairs, [words[x] for x in third if x in words])
            side = found.source
            new_source = None if side is None else r[side]
            if new_source == r["source"]:
                continue
            r["source"] = new_source
            r["direction"] = {
                "source": side,
                "confidence": CONFIDENCE if side else 0.0,
                "reasons": [f"{CORROBORATION}: {found.reason}"],
            }
            updated.append(r)
    return updated
