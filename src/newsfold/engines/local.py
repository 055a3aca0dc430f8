"""The local engine: the stage kernels run in this process, the SQLite store as their cache.

:class:`LocalEngine` is what ``newsfold run``, the other analysis commands and the web app's
uploads go through. It reads each stage's inputs from the store, runs the kernel
(:mod:`newsfold.stages`) in batches, and writes the outputs back, so each step continues from
what the store holds and a second run over an unchanged store does nothing:

1. ``sketch``: MinHash signature, lead vector and sentence vectors of every article that has none
   for the current encoders (:class:`~newsfold.stages.sketch.Sketch`);
2. ``links``: candidate pairs touching the articles not yet linked
   (:class:`~newsfold.stages.candidates.Candidates`, and across languages
   :class:`~newsfold.stages.candidates.CrossCandidates` with multilingual leads for just those
   articles), judged from cached vectors (:class:`~newsfold.stages.judge.Judge`), stored with
   their evidence; then undirected derived relations near the new articles get a direction from
   third articles (:mod:`newsfold.corroborate`);
3. ``fold``: articles not yet in a story placed, oldest first, by the placement stage restored
   from its saved state (:class:`~newsfold.stages.place.Place`); articles joined by a derived
   relation share a story;
4. ``claims``: claims of the articles of stories with two or more articles, cached per article
   (:class:`~newsfold.stages.claims.Claims`);
5. ``report``: each story's report (:class:`~newsfold.stages.story_report.StoryReport`), kept
   in the store under its members: an unchanged story is read back, not built again.

``on_progress(stage, step, done, total)`` reports progress.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from newsfold.article import Article
from newsfold.claims import ArticleClaims
from newsfold.corroborate import word_set
from newsfold.dates import effective_date
from newsfold.describe import Story, describe_story
from newsfold.embed import Encoders, default_encoders
from newsfold.engines.common import BATCH, crosses, earliest_links, third_article_directions
from newsfold.facts import StoryFacts, story_facts
from newsfold.reconcile import Reconciler
from newsfold.relations import DERIVED
from newsfold.report.stories import assemble, members_key
from newsfold.stages.base import Batch
from newsfold.stages.candidates import Candidates, CrossCandidates
from newsfold.stages.claims import VERSION as CLAIMS_VERSION
from newsfold.stages.claims import Claims
from newsfold.stages.judge import Judge
from newsfold.stages.place import Place
from newsfold.stages.sketch import CrossLead, Sketch
from newsfold.stages.story_report import MAX_COMPARED, StoryReport, compared_members
from newsfold.store import Store

__all__ = [
    "STAGES",
    "Analysis",
    "FoldReport",
    "LinkReport",
    "LocalEngine",
    "analyse",
    "judge_pairs",
]

STAGES: tuple[str, ...] = ("sketch", "links", "fold", "claims", "report")
#: Version of what a stored story report holds: older ones are built again.
#: 3: publication dates checked against the dates the texts state (``suspect_dates``).
REPORT_VERSION = 3
#: Articles per claims batch: large enough for spaCy's worker processes to pay.
CLAIMS_BATCH = 512
#: The name the placement stage's state is saved under.
PLACE_STATE = "place"

Progress = Callable[[str, str, int, int], None]


@dataclass(slots=True)
class LinkReport:
    """What one linking step did."""

    new_articles: int = 0
    candidates: int = 0
    relations: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class FoldReport:
    """What one fold did: articles placed, stories they started, and the rest joined."""

    new_articles: int = 0
    new_stories: int = 0

    @property
    def joined(self) -> int:
        return self.new_articles - self.new_stories


@dataclass(slots=True)
class Analysis:
    """What one :meth:`LocalEngine.run` did: seconds per stage, new stories, and the report."""

    seconds: dict[str, float] = field(default_factory=dict)
    new_articles: int = 0
    new_stories: int = 0
    links: LinkReport = field(default_factory=LinkReport)
    report: dict[str, Any] = field(default_factory=dict)


def _quiet(_stage: str, _step: str, _done: int, _total: int) -> None:
    return None


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class LocalEngine:
    """Run the stages on one store in this process (see the module docstring).

    ``encoders``: the encoders the stages use (:func:`newsfold.embed.default_encoders` unless
    given; tests pass :meth:`Encoders.fake`); ``batch``: articles per per-article batch;
    ``summary_words``: the summary's length in words (None: five sentences at most).
    """

    def __init__(
        self,
        store: Store,
        encoders: Encoders | None = None,
        *,
        batch: int = BATCH,
        summary_words: int | None = None,
        on_progress: Progress | None = None,
    ) -> None:
        self.store = store
        self.encoders = encoders if encoders is not None else default_encoders()
        self.batch = batch
        self.summary_words = summary_words
        self.notify = on_progress or _quiet

    # -- the whole job
    def run(self) -> Analysis:
        """Every stage in order; see the module docstring."""
        result = Analysis()
        clock = time.perf_counter()

        def lap(stage: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            result.seconds[stage] = now - clock
            clock = now

        self.sketch()
        lap("sketch")
        result.links = self.link()
        lap("links")
        folded = self.fold()
        result.new_articles, result.new_stories = folded.new_articles, folded.new_stories
        lap("fold")
        self.claims(self.multi_article_ids())
        lap("claims")
        if self.store.story_members():
            result.report = self.report()
        lap("report")
        return result

    # -- cached signals
    def _model(self, role: str) -> str:
        encoder = getattr(self.encoders, role)
        return f"{encoder.name}/{'sentences' if role == 'sentence' else 'lead'}"

    def sketch(self, ids: Sequence[str] | None = None) -> int:
        """Compute the signals of the articles (all unless ``ids``) that lack them for the
        current encoders; returns how many were computed."""
        ids = list(self.store.ids() if ids is None else ids)
        have_sig = self.store.signatures(ids)
        have_lead = self.store.vectors(ids, self._model("lead"))
        have_sent = self.store.vectors(ids, self._model("sentence"))
        todo = [i for i in ids if i not in have_sig or i not in have_lead or i not in have_sent]
        if not todo:
            return 0
        stage = Sketch(self.encoders)
        stage.setup()
        self.notify("sketch", "", 0, len(todo))
        done = 0
        for chunk in _chunks(todo, self.batch):
            articles = self.store.get_many(chunk)
            batch = stage.process_batch(
                {"id": list(chunk), "article": [articles[i] for i in chunk]}
            )
            self.store.put_signatures(
                [
                    (i, sig.tobytes(), n)
                    for i, sig, n in zip(
                        batch["id"], batch["signature"], batch["shingles"], strict=True
                    )
                ]
            )
            self.store.put_vectors(
                self._model("lead"),
                [(i, v.tobytes()) for i, v in zip(batch["id"], batch["lead"], strict=True)],
            )
            self.store.put_vectors(
                self._model("sentence"),
                [(i, v.tobytes()) for i, v in zip(batch["id"], batch["sentences"], strict=True)],
            )
            done += len(chunk)
            self.notify("sketch", "", done, len(todo))
        return len(todo)

    def lead_vectors(self, ids: Sequence[str]) -> NDArray[np.float32]:
        """The cached lead vectors of ``ids`` (one row each, in order), computed where missing."""
        self.sketch(ids)
        found = self.store.vectors(ids, self._model("lead"))
        if not ids:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([np.frombuffer(found[i], dtype=np.float32) for i in ids])

    def sentence_vectors(self, articles: dict[str, Article]) -> dict[str, NDArray[np.float32]]:
        """The cached sentence vectors of ``articles`` (a matrix per article)."""
        found = self.store.vectors(list(articles), self._model("sentence"))
        out = {}
        for i, raw in found.items():
            flat = np.frombuffer(raw, dtype=np.float32)
            n = len(articles[i].spans)
            out[i] = flat.reshape(n, -1) if n else flat.reshape(0, max(1, flat.size))
        return out

    def _cross_leads(self, ids: Iterable[str]) -> None:
        """Multilingual lead vectors of ``ids`` computed where missing, in batches of sorted
        ids (the Spark engine batches alike: an encoder's floats depend on its batch)."""
        model = f"{self.encoders.cross.name}/lead"
        ids = sorted(set(ids))
        have = self.store.vectors(ids, model)
        todo = [i for i in ids if i not in have]
        if not todo:
            return
        stage = CrossLead(self.encoders)
        self.notify("links", "cross-language leads", 0, len(todo))
        for done, chunk in enumerate(_chunks(todo, self.batch)):
            articles = self.store.get_many(chunk)
            out = stage.process_batch({"id": list(chunk), "article": [articles[i] for i in chunk]})
            rows = zip(out["id"], out["cross_lead"], strict=True)
            self.store.put_vectors(model, [(i, v.tobytes()) for i, v in rows])
            self.notify("links", "cross-language leads", (done + 1) * len(chunk), len(todo))

    def _cross_lead_vectors(self, ids: Sequence[str]) -> dict[str, NDArray[np.float32]]:
        model = f"{self.encoders.cross.name}/lead"
        found = self.store.vectors(list(ids), model)
        return {i: np.frombuffer(v, dtype=np.float32) for i, v in found.items()}

    # -- links
    def link(self) -> LinkReport:
        """Link every article not yet linked (see the module docstring)."""
        report = LinkReport()
        unlinked = self.store.unlinked_ids()
        if not unlinked:
            return report
        self.sketch()
        ids = self.store.ids()
        report.new_articles = len(unlinked)
        fresh = set(unlinked)
        sigs = self.store.signatures(ids)
        self.notify("links", "candidates", 0, 1)
        found = Candidates().process_batch(
            {
                "id": ids,
                "signature": [np.frombuffer(sigs[i][0], dtype=np.uint32) for i in ids],
                "lead": list(self.lead_vectors(ids)),
                "new": [i in fresh for i in ids],
            }
        )
        pairs = set(zip(found["a"], found["b"], strict=True))
        languages = self.store.languages()
        if len(languages) > 1:
            pairs |= self._cross_pairs(ids, fresh)
        report.candidates = len(pairs)
        relations = self._judge(sorted(pairs), report)
        self.store.put_relations(relations)
        self.store.mark_linked(unlinked)
        self.notify("links", "direction", 0, 1)
        self._corroborate(fresh | {x for r in relations for x in (r["a"], r["b"])})
        return report

    def _cross_pairs(self, ids: list[str], fresh: set[str]) -> set[tuple[str, str]]:
        self.notify("links", "cross-language candidates", 0, 1)
        columns: Batch = {"id": [], "language": [], "text": [], "new": []}
        for chunk in _chunks(ids, 1000):
            articles = self.store.get_many(chunk)
            for i in chunk:
                columns["id"].append(i)
                columns["language"].append(articles[i].language)
                columns["text"].append(articles[i].text)
                columns["new"].append(i in fresh)
        found = CrossCandidates().process_batch(columns)
        return set(zip(found["a"], found["b"], strict=True))

    def _judge(self, pairs: list[tuple[str, str]], report: LinkReport) -> list[dict[str, Any]]:
        languages = self.store.language_of(sorted({x for p in pairs for x in p}))
        self._cross_leads(x for p in pairs if crosses(languages[p[0]], languages[p[1]]) for x in p)
        stage = Judge(self.encoders)
        results: list[dict[str, Any]] = []
        self.notify("links", "compare", 0, len(pairs))
        for done, chunk in enumerate(_chunks(pairs, self.batch)):
            wanted = sorted({x for p in chunk for x in p})
            articles = self.store.get_many(wanted)
            vectors = self.sentence_vectors(articles)
            leads = dict(zip(wanted, self.lead_vectors(wanted), strict=True))
            cross = [
                (a, b) for a, b in chunk if crosses(articles[a].language, articles[b].language)
            ]
            cross_leads = (
                self._cross_lead_vectors(sorted({x for p in cross for x in p})) if cross else {}
            )
            batch: Batch = {
                "a": [articles[a] for a, _ in chunk],
                "b": [articles[b] for _, b in chunk],
                "sentences_a": [vectors[a] for a, _ in chunk],
                "sentences_b": [vectors[b] for _, b in chunk],
                "lead_a": [leads[a] for a, _ in chunk],
                "lead_b": [leads[b] for _, b in chunk],
                "cross_a": [cross_leads.get(a) for a, _ in chunk],
                "cross_b": [cross_leads.get(b) for _, b in chunk],
            }
            for relation in stage.process_batch(batch)["relation"]:
                if relation is not None:
                    results.append(relation)
                    kind = relation["relation"]
                    report.relations[kind] = report.relations.get(kind, 0) + 1
            self.notify("links", "compare", min(len(pairs), (done + 1) * self.batch), len(pairs))
        return results

    def _corroborate(self, touched: set[str]) -> None:
        """Directions from third articles around ``touched`` (see :mod:`.common`)."""
        around: dict[str, list[dict[str, Any]]] = {}

        def relations_of(article_id: str) -> list[dict[str, Any]]:
            if article_id not in around:
                around[article_id] = self.store.relations(article_id)
            return around[article_id]

        def words_of(ids: list[str]) -> dict[str, set[str]]:
            return {x: word_set(a.text) for x, a in self.store.get_many(ids).items()}

        self.store.put_relations(third_article_directions(touched, relations_of, words_of))

    # -- fold
    def _placement(self, stored: list[tuple[str, str, float]]) -> Place:
        saved = self.store.stage_state(PLACE_STATE)
        if saved is not None and saved[0] == len(stored):
            place = Place.from_bytes(saved[1])
            if place is not None:
                return place
        place = Place()
        self.notify("fold", "restore", 0, len(stored))
        for start in range(0, len(stored), 1000):
            chunk = stored[start : start + 1000]
            ids = [a for a, _, _ in chunk]
            articles = self.store.get_many(ids)
            place.restore(
                chunk, {"article": [articles[i] for i in ids], "lead": list(self.lead_vectors(ids))}
            )
            self.notify("fold", "restore", start + len(chunk), len(stored))
        return place

    def fold(self) -> FoldReport:
        """Place the articles not yet in a story, oldest first."""
        new_ids = self.store.unfolded_ids()
        if not new_ids:
            return FoldReport()
        self.sketch(new_ids)
        stored = self.store.story_members()
        place = self._placement(stored)
        position = {a: k for k, (a, _, _) in enumerate(stored)}
        for k, article_id in enumerate(new_ids):
            position[article_id] = len(stored) + k
        related: dict[str, list[str]] = {}
        for a, b in self.store.relation_pairs(sorted(DERIVED)):
            related.setdefault(a, []).append(b)
            related.setdefault(b, []).append(a)
        stories_before = len(place.story_ids_)
        self.notify("fold", "place", 0, len(new_ids))
        for start in range(0, len(new_ids), self.batch):
            ids = new_ids[start : start + self.batch]
            articles = self.store.get_many(ids)
            links = earliest_links(ids, position, related)
            out = place.process_batch(
                {
                    "id": list(ids),
                    "article": [articles[i] for i in ids],
                    "lead": list(self.lead_vectors(ids)),
                    "link": links,
                }
            )
            self.store.put_story_members(
                list(zip(out["id"], out["story"], out["probability"], strict=True))
            )
            self.notify("fold", "place", start + len(ids), len(new_ids))
        self.store.put_stage_state(PLACE_STATE, len(stored) + len(new_ids), place.to_bytes())
        return FoldReport(len(new_ids), len(place.story_ids_) - stories_before)

    # -- claims and facts
    def multi_article_ids(self) -> list[str]:
        """Articles whose claims can be compared: those of stories with two or more articles
        (of a story larger than ``MAX_COMPARED``, those nearest its centre)."""
        out: list[str] = []
        for members in self._members().values():
            if len(members) >= 2:
                ids = [a for a, _ in members]
                out.extend(compared_members(ids, self.lead_vectors(ids), MAX_COMPARED))
        return out

    def claims(self, ids: Sequence[str]) -> list[ArticleClaims]:
        """The claims of the articles ``ids`` (in order), read and cached where missing."""
        ids = list(ids)
        stored = self.store.claims(ids, CLAIMS_VERSION)
        todo = [i for i in ids if i not in stored]
        if todo:
            stage = Claims()
            self.notify("claims", "", 0, len(todo))
            for done, chunk in enumerate(_chunks(todo, CLAIMS_BATCH)):
                articles = self.store.get_many(chunk)
                missing = [i for i in chunk if i not in articles]
                if missing:
                    raise KeyError(missing[0])
                out = stage.process_batch(
                    {"id": list(chunk), "article": [articles[i] for i in chunk]}
                )
                rows = list(zip(out["id"], out["claims"], strict=True))
                self.store.put_claims(CLAIMS_VERSION, rows)
                stored.update(rows)
                self.notify("claims", "", min(len(todo), (done + 1) * CLAIMS_BATCH), len(todo))
        # A suspect publication date times nothing: no count "rose" between reports by it.
        published = {i: effective_date(a) for i, a in self.store.get_many(ids).items()}
        return [ArticleClaims.from_dict(json.loads(stored[i]), published[i]) for i in ids]

    def _members(
        self, story_ids: Iterable[str] | None = None
    ) -> dict[str, list[tuple[str, float]]]:
        wanted = None if story_ids is None else set(story_ids)
        groups: dict[str, list[tuple[str, float]]] = {}
        for article_id, story, prob in self.store.story_members():
            if wanted is None or story in wanted:
                groups.setdefault(story, []).append((article_id, prob))
        return groups

    def story_facts(self, story_id: str) -> StoryFacts:
        """The reconciled facts of one stored story."""
        members = self._members([story_id]).get(story_id)
        if not members:
            raise KeyError(story_id)
        ids = [a for a, _ in members]
        articles = self.store.get_many(ids)
        claims = self.claims(ids)
        relations = self.store.relations_among(ids, sorted(DERIVED))
        reconciler = Reconciler(encoder=self.encoders.sentence)
        return story_facts(story_id, {i: articles[i] for i in ids}, claims, relations, reconciler)

    # -- story views and reports
    def describe(self, story_ids: Sequence[str] | None = None) -> list[Story]:
        """The stored stories (all, or those named), largest first."""
        stories = []
        for story_id, members in self._members(story_ids).items():
            ids = [a for a, _ in members]
            articles = self.store.get_many(ids)
            relations = self.store.relations_among(ids, sorted(DERIVED))
            stories.append(
                describe_story(story_id, members, articles, relations, self.lead_vectors(ids))
            )
        stories.sort(
            key=lambda s: (-s.size, s.first.timestamp() if s.first else float("inf"), s.id)
        )
        return stories

    def report(
        self, story_ids: Sequence[str] | None = None, refresh: bool = False
    ) -> dict[str, Any]:
        """The report of the stored stories (all, or those named), largest and most recent
        first. A story whose members have not changed since its report was stored is read
        back, not analysed again (``refresh`` analyses every story anew)."""
        groups = self._members(story_ids)
        out: list[dict[str, Any]] = []
        keys = {s: members_key((a for a, _ in m), self.summary_words) for s, m in groups.items()}
        todo: list[str] = []
        for story_id in groups:
            stored = None
            if not refresh:
                stored = self.store.story_report(story_id, keys[story_id], REPORT_VERSION)
            if stored is not None:  # unchanged since reported: no story view, no analysis
                out.append(json.loads(stored))
            else:
                todo.append(story_id)
        self.notify("report", "", len(out), len(groups))
        stage = StoryReport(self.encoders, summary_words=self.summary_words)
        for chunk in _chunks(todo, 16):
            batch = self._story_batch(chunk, groups)
            built = stage.process_batch(batch)
            for story_id, data in zip(built["story"], built["report"], strict=True):
                self.store.put_story_report(
                    story_id, keys[story_id], REPORT_VERSION, json.dumps(data, ensure_ascii=False)
                )
                out.append(data)
            self.notify("report", "", len(out), len(groups))
        return assemble(out)

    def _story_batch(
        self, story_ids: Sequence[str], groups: dict[str, list[tuple[str, float]]]
    ) -> Batch:
        batch: Batch = {
            k: []
            for k in ("story", "members", "articles", "relations", "claims", "leads", "sentences")
        }
        for story_id in story_ids:
            members = groups[story_id]
            ids = [a for a, _ in members]
            articles = self.store.get_many(ids)
            multi = len(ids) >= 2
            leads = self.lead_vectors(ids)
            chosen = compared_members(ids, leads, MAX_COMPARED) if multi else []
            claims = dict(zip(chosen, self.claims(chosen), strict=True))
            batch["story"].append(story_id)
            batch["members"].append(members)
            batch["articles"].append(articles)
            batch["relations"].append(self.store.relations_among(ids, sorted(DERIVED)))
            batch["claims"].append(claims)
            batch["leads"].append(leads)
            batch["sentences"].append(self.sentence_vectors(articles) if multi else {})
        return batch


def judge_pairs(
    pairs: Sequence[tuple[Article, Article]], encoders: Encoders | None = None, batch: int = 512
) -> tuple[list[dict[str, Any]], list[float]]:
    """Judge pairs of articles held in memory (dataset mode: ``newsfold pairs``), in batches
    through the same kernels as a store: each side sketched once, then judged. Returns each
    pair's relation (``Relation.to_dict``, ``"unrelated"`` included) and how likely the two
    report one story (:func:`newsfold.stories.same_story_of_pairs`)."""
    from newsfold.stories import same_story_of_pairs

    encoders = encoders if encoders is not None else default_encoders()
    sketch, judge, cross = Sketch(encoders), Judge(encoders), CrossLead(encoders)
    relations: list[dict[str, Any]] = []
    chances: list[float] = []
    for chunk in _chunks(pairs, batch):
        sides = [x for pair in chunk for x in pair]
        signals = sketch.process_batch({"id": [a.id for a in sides], "article": sides})
        crossed = [k for k, (a, b) in enumerate(chunk) if crosses(a.language, b.language)]
        cross_leads: list[Any] = [None] * len(sides)
        if crossed:
            wanted = [s for k in crossed for s in (2 * k, 2 * k + 1)]
            found = cross.process_batch(
                {"id": [sides[s].id for s in wanted], "article": [sides[s] for s in wanted]}
            )
            for s, vec in zip(wanted, found["cross_lead"], strict=True):
                cross_leads[s] = vec
        column = {
            "a": [a for a, _ in chunk],
            "b": [b for _, b in chunk],
            "sentences_a": signals["sentences"][0::2],
            "sentences_b": signals["sentences"][1::2],
            "lead_a": signals["lead"][0::2],
            "lead_b": signals["lead"][1::2],
            "cross_a": cross_leads[0::2],
            "cross_b": cross_leads[1::2],
        }
        judged = judge.process_batch({**column, "keep_unrelated": [True] * len(chunk)})
        relations.extend(judged["relation"])
        leads = (np.stack(signals["lead"][0::2]), np.stack(signals["lead"][1::2]))
        chances.extend(same_story_of_pairs(list(chunk), leads=leads))
    return relations, chances


def analyse(store: Store, on_progress: Progress | None = None, **options: Any) -> Analysis:
    """The whole analysis of ``store`` by the local engine (``options``: those of
    :class:`LocalEngine`)."""
    return LocalEngine(store, on_progress=on_progress, **options).run()
