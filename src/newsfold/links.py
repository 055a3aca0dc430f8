"""Linking: find the related pairs among stored articles, judge them, and build reuse trees.

:class:`Linker` compares each article not yet linked with the whole store, incrementally: old
pairs are never recomputed. Cheap signals pick the candidate pairs and the expensive sentence
alignment runs only on those:

1. **lexical** candidates: MinHash signatures of word 5-grams with LSH banding
   (:mod:`newsfold.signatures`), for copies and edited copies;
2. **semantic** candidates: the cosine of article leads (title and first sentences) embedded with
   MiniLM, nearest neighbours by a blocked matrix product, for paraphrases and independent reports
   of the same event; across languages, leads embedded with the multilingual encoder.

Signatures, lead vectors and sentence vectors are cached in the store. Each candidate pair is
judged by :func:`newsfold.relations.compare`; related pairs are stored with their evidence.
Derived relations near the new articles that no date or containment directs then get a direction
from third articles, the story's independent reports (:mod:`newsfold.corroborate`).
:func:`reuse_trees` turns the derived relations into trees: each derived article points to its
most likely source.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from newsfold.align import SentenceAligner
from newsfold.article import Article
from newsfold.corroborate import CONFIDENCE, corroborate, word_set
from newsfold.embed import Encoder, default_encoder, multilingual_encoder
from newsfold.relations import DERIVED, TRANSLATION_COSINE, compare
from newsfold.signatures import MinHasher, candidate_pairs
from newsfold.store import Store

__all__ = ["LinkReport", "Linker", "reuse_trees"]

#: How a direction read from third articles is labelled among a relation's reasons.
CORROBORATION = "third articles"


@dataclass(slots=True)
class LinkReport:
    """What one linking run did."""

    new_articles: int = 0
    candidates: int = 0
    relations: dict[str, int] = field(default_factory=dict)


def _lead(article: Article) -> str:
    first = " ".join(s.text for s in article.sentences[:3])
    return f"{article.title or ''}. {first}"


@dataclass
class Linker:
    """Compare new articles with the store (see the module docstring).

    ``lead_cosine``: lead similarity from which two articles are compared in full; ``top_k``:
    at most this many semantic candidates per new article; ``bands``: LSH bands over the 128
    signature bins (42 bands of 3 rows).
    """

    store: Store
    lead_cosine: float = 0.5
    top_k: int = 20
    bands: int = 42
    _articles: dict[str, Article] = field(default_factory=dict, init=False, repr=False)

    def _article(self, article_id: str) -> Article:
        if article_id not in self._articles:
            found = self.store.get(article_id)
            if found is None:
                raise KeyError(article_id)
            self._articles[article_id] = found
        return self._articles[article_id]

    # -- cached signals
    def _signatures(self, ids: Sequence[str]) -> NDArray[np.uint32]:
        cached = self.store.signatures(ids)
        missing = [i for i in ids if i not in cached]
        if missing:
            hasher = MinHasher()
            sig = hasher.signatures([self._article(i).text for i in missing])
            self.store.put_signatures(
                [
                    (i, row.tobytes(), len(self._article(i).text.split()))
                    for i, row in zip(missing, sig, strict=True)
                ]
            )
            cached.update({i: (row.tobytes(), 0) for i, row in zip(missing, sig, strict=True)})
        return np.stack([np.frombuffer(cached[i][0], dtype=np.uint32) for i in ids])

    def _vectors(
        self, ids: Sequence[str], encoder: Encoder, texts: Callable[[Article], list[str]], key: str
    ) -> dict[str, NDArray[np.float32]]:
        model = f"{encoder.name}/{key}"
        cached = self.store.vectors(ids, model)
        missing = [i for i in ids if i not in cached]
        if missing:
            chunks = [texts(self._article(i)) for i in missing]
            flat = encoder.encode([t for c in chunks for t in c])
            rows, start = [], 0
            for i, c in zip(missing, chunks, strict=True):
                block = flat[start : start + len(c)]
                start += len(c)
                rows.append((i, block.astype(np.float32).tobytes()))
            self.store.put_vectors(model, rows)
            cached.update(dict(rows))
        return {
            i: np.frombuffer(v, dtype=np.float32).reshape(-1, encoder.dim)
            for i, v in cached.items()
        }

    def lead_vectors(self, ids: Sequence[str]) -> NDArray[np.float32]:
        """MiniLM embeddings of the articles' leads (title and first sentences), one row per
        id: cached in the store, shared with story folding."""
        found = self._vectors(ids, default_encoder(), lambda a: [_lead(a)], "lead")
        dim = default_encoder().dim
        return np.stack([found[i].reshape(dim) for i in ids]) if ids else np.zeros((0, dim))

    # -- candidates
    def _lexical_pairs(self, ids: list[str], new: set[int]) -> set[tuple[int, int]]:
        pairs = candidate_pairs(self._signatures(ids), self.bands)
        return {(int(i), int(j)) for i, j in pairs if i in new or j in new}

    def _semantic_pairs(
        self, ids: list[str], new: list[int], encoder: Encoder, floor: float
    ) -> set[tuple[int, int]]:
        leads = self._vectors(ids, encoder, lambda a: [_lead(a)], "lead")
        matrix = np.concatenate([leads[i] for i in ids])
        found: set[tuple[int, int]] = set()
        for start in range(0, len(new), 256):  # blocks of new articles against all
            rows = np.asarray(new[start : start + 256])
            sims = matrix[rows] @ matrix.T
            sims[np.arange(len(rows)), rows] = -1.0
            k = min(self.top_k, sims.shape[1] - 1)
            if k <= 0:
                continue
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            hit_row, hit_col = np.nonzero(np.take_along_axis(sims, top, axis=1) >= floor)
            for r, c in zip(rows[hit_row], top[hit_row, hit_col], strict=True):
                found.add((min(int(r), int(c)), max(int(r), int(c))))
        return found

    # -- the run
    def run(self, on_progress: Callable[[str, int, int], None] | None = None) -> LinkReport:
        """Link every article not yet linked; return what was done."""
        notify = on_progress or (lambda _stage, _done, _total: None)
        report = LinkReport()
        unlinked = self.store.unlinked_ids()
        if not unlinked:
            return report
        ids = self.store.ids()
        index = {a: n for n, a in enumerate(ids)}
        new = sorted(index[i] for i in unlinked)
        report.new_articles = len(new)
        notify("signatures", 0, 1)
        pairs = self._lexical_pairs(ids, set(new))
        notify("leads", 0, 1)
        pairs |= self._semantic_pairs(ids, new, default_encoder(), self.lead_cosine)
        languages = {self._article(i).language for i in ids}
        if len(languages - {None}) > 1:
            pairs |= self._cross_language_pairs(ids, new)
        report.candidates = len(pairs)
        english = SentenceAligner(encoder=default_encoder())
        results = []
        for done, (i, j) in enumerate(sorted(pairs)):
            a, b = self._article(ids[i]), self._article(ids[j])
            if a.id > b.id:
                a, b = b, a
            relation = self._compare(a, b, english)
            if relation.kind != "unrelated":
                results.append(relation.to_dict(a, b))
                report.relations[relation.kind] = report.relations.get(relation.kind, 0) + 1
            notify("compare", done + 1, len(pairs))
        self.store.put_relations(results)
        self.store.mark_linked(unlinked)
        notify("direction", 0, 1)
        self._corroborate(set(unlinked) | {x for r in results for x in (r["a"], r["b"])})
        return report

    def _corroborate(self, touched: set[str]) -> None:
        """Give undirected derived relations near ``touched`` articles a direction from third
        articles (:mod:`newsfold.corroborate`); redo those given one so in earlier runs, since
        new articles bring new third reports."""
        around: dict[str, list[dict[str, Any]]] = {}

        def relations_of(article_id: str) -> list[dict[str, Any]]:
            if article_id not in around:
                around[article_id] = self.store.relations(article_id)
            return around[article_id]

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
                third = sorted(
                    {x for q in near for x in (q["a"], q["b"])} - reusers - {r["a"], r["b"]}
                )
                for x in third:
                    if x not in words:
                        words[x] = word_set(self._article(x).text)
                pairs = [
                    (p["a"]["text"], p["b"]["text"]) for p in r["pairs"] if p["kind"] != "verbatim"
                ]
                found = corroborate(pairs, [words[x] for x in third])
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
        self.store.put_relations(updated)

    def _cross_language_pairs(self, ids: list[str], new: list[int]) -> set[tuple[int, int]]:
        """Pairs in different languages whose leads the multilingual encoder finds close."""
        found = self._semantic_pairs(ids, new, multilingual_encoder(), TRANSLATION_COSINE)
        lang = [self._article(i).language for i in ids]
        return {(i, j) for i, j in found if lang[i] != lang[j]}

    def _compare(self, a: Article, b: Article, english: SentenceAligner) -> Any:
        cross = bool(a.language and b.language and a.language != b.language)
        encoder = multilingual_encoder() if cross else default_encoder()
        aligner = (
            SentenceAligner(encoder=encoder, translation=TRANSLATION_COSINE) if cross else english
        )
        vectors = self._vectors(
            [a.id, b.id], encoder, lambda art: [s.text for s in art.sentences], "sentences"
        )
        return compare(a, b, aligner, vectors=(vectors[a.id], vectors[b.id]))


def reuse_trees(relations: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reuse trees from derived relations: one tree per group of articles joined by them.

    The root is the likely original: of the members that no directed relation names a copy, the
    one most similar to the rest (copies are edited from their source, so it sits at their
    centre). Each other member points to its source: the one a directed relation names (highest
    confidence), else its closest neighbour already in the tree (a maximum spanning tree grown
    from the root), marked ``assumed``.
    """
    derived = [r for r in relations if r["relation"] in DERIVED]
    weight: dict[str, dict[str, dict[str, Any]]] = {}
    directed: dict[str, dict[str, Any]] = {}
    for r in derived:
        weight.setdefault(r["a"], {})[r["b"]] = r
        weight.setdefault(r["b"], {})[r["a"]] = r
        if r["source"] is not None:
            copy = r["b"] if r["source"] == r["a"] else r["a"]
            best = directed.get(copy)
            rank = (r["direction"]["confidence"], r["similarity"])
            if best is None or rank > (best["direction"]["confidence"], best["similarity"]):
                directed[copy] = r
    trees: list[dict[str, Any]] = []
    seen: set[str] = set()
    for start in sorted(weight):
        if start in seen:
            continue
        group: set[str] = set()
        stack = [start]
        while stack:
            node = stack.pop()
            if node not in group:
                group.add(node)
                stack.extend(set(weight[node]) - group)
        seen |= group
        trees.append(_tree(group, weight, directed))
    trees.sort(key=lambda t: (-len(t["members"]), t["root"]))
    return trees


def _tree_weight(relation: dict[str, Any]) -> float:
    """Similarity, with translations ranked just below same-language reuse of equal strength."""
    return float(relation["similarity"]) * (0.9 if relation["relation"] == "translation" else 1.0)


def _tree(
    group: set[str],
    weight: dict[str, dict[str, dict[str, Any]]],
    directed: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    free = [m for m in group if m not in directed or directed[m]["source"] not in group]
    candidates = free or sorted(group)
    root = max(sorted(candidates), key=lambda m: sum(r["similarity"] for r in weight[m].values()))
    placed = {root}
    edges: list[dict[str, Any]] = []
    while len(placed) < len(group):
        best: tuple[float, str, str, dict[str, Any]] | None = None
        for member in sorted(group - placed):
            rel = directed.get(member)
            if rel is not None and rel["source"] in placed:
                option = (2.0 + rel["similarity"], rel["source"], member, rel)
            else:
                links = [
                    (_tree_weight(r), other, r)
                    for other, r in weight[member].items()
                    if other in placed
                ]
                if not links:
                    continue
                sim, other, r = max(links, key=lambda x: (x[0], x[1]))
                option = (sim, other, member, r)
            if best is None or option[0] > best[0]:
                best = option
        if best is None:  # unreachable in a connected group; guards against bad input
            break
        _, source, copy, rel = best
        placed.add(copy)
        edges.append(
            {
                "source": source,
                "copy": copy,
                "relation": rel["relation"],
                "similarity": rel["similarity"],
                "confidence": rel["direction"]["confidence"] if rel["source"] == source else 0.0,
                "direction": "evidence" if rel["source"] == source else "assumed",
            }
        )
    return {"root": root, "members": sorted(group), "edges": edges}
