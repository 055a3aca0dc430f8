"""Stage kernels and the local engine, with fake encoders (no model loaded)."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

from newsfold.article import build_article
from newsfold.embed import Encoders, FakeEncoder, StaticEncoder
from newsfold.engines.local import LocalEngine
from newsfold.stages.ann import LeadIndex
from newsfold.stages.candidates import Candidates, CrossCandidates, fact_keys, nearest_pairs
from newsfold.stages.claims import Claims
from newsfold.stages.judge import Judge
from newsfold.stages.place import Place
from newsfold.stages.sketch import Sketch
from newsfold.store import Store

from .conftest import DEMO

WIRE = (
    "Flooding closed the Arlen bridge on Tuesday after the river rose 3.2 metres overnight. "
    "The regional council said 140 homes were evacuated in Dunmere and Kelby. "
    "Engineers will inspect the bridge once the water falls, officials said. "
    "Schools in the valley stay closed until Thursday."
)
COPY = WIRE.replace("Tuesday", "Tuesday morning").replace("stay closed", "remain closed")
OTHER = (
    "The Halvard orchestra opened its season with a sold-out concert of Sibelius. "
    "The conductor, Maren Ostby, said the hall had been renovated over the summer. "
    "Tickets for the winter programme go on sale next week."
)


def _articles() -> list:
    raw = [
        {"id": "a1", "text": WIRE, "title": "Arlen bridge closed by floods", "language": "en"},
        {"id": "a2", "text": COPY, "title": "Arlen bridge shut by floods", "language": "en"},
        {"id": "a3", "text": OTHER, "title": "Orchestra opens season", "language": "en"},
    ]
    return [build_article(r) for r in raw]


def test_fake_encoder_is_deterministic_and_unit_length() -> None:
    enc = FakeEncoder(32)
    a = enc.encode(["river floods the bridge", "the orchestra plays"])
    b = FakeEncoder(32).encode(["river floods the bridge", "the orchestra plays"])
    assert np.allclose(a, b) and np.allclose(np.linalg.norm(a, axis=1), 1.0)
    same = enc.encode(["river floods bridge today"])[0]
    assert float(a[0] @ same) > float(a[1] @ same)


def test_static_encoder_pools_a_token_table(tmp_path: Path) -> None:
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = {"[UNK]": 0, "river": 1, "flood": 2, "concert": 3}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.save(str(tmp_path / "tokenizer.json"))
    table = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=np.float32)
    np.save(tmp_path / "embeddings.npy", table)
    enc = StaticEncoder(tmp_path, "tiny", {"paraphrase": 0.8, "same_story": 0.5})
    out = enc.encode(["river flood", "concert", ""])
    assert np.allclose(out[0], [2**-0.5, 2**-0.5, 0]) and np.allclose(out[1], [0, 0, 1])
    assert np.allclose(out[2], 0)
    clone = pickle.loads(pickle.dumps(enc))  # shipped without its table, loads its own
    assert clone._table is None and np.allclose(clone.encode(["concert"]), out[1:2])


def test_stages_pickle_without_loaded_state() -> None:
    stage = Claims()
    stage._nlp = object()  # as if set up
    clone = pickle.loads(pickle.dumps(stage))
    assert clone._nlp is None and clone.batch_size == stage.batch_size
    for s in (Sketch(Encoders.fake()), Judge(Encoders.fake()), Candidates(), Place()):
        assert type(pickle.loads(pickle.dumps(s))) is type(s)


def test_sketch_candidates_and_judge() -> None:
    articles = _articles()
    enc = Encoders.fake()
    sketch = Sketch(enc).process_batch({"id": [a.id for a in articles], "article": articles})
    assert [len(m) for m in sketch["sentences"]] == [len(a.spans) for a in articles]
    found = Candidates(lead_cosine=0.9).process_batch(
        {
            "id": sketch["id"],
            "signature": sketch["signature"],
            "lead": sketch["lead"],
            "new": [True, True, True],
        }
    )
    assert ("a1", "a2") in set(zip(found["a"], found["b"], strict=True))
    assert "a3" not in found["a"] + found["b"]
    judged = Judge(enc).process_batch(
        {
            "a": [articles[0]],
            "b": [articles[1]],
            "sentences_a": [sketch["sentences"][0]],
            "sentences_b": [sketch["sentences"][1]],
            "lead_a": [sketch["lead"][0]],
            "lead_b": [sketch["lead"][1]],
        }
    )
    relation = judged["relation"][0]
    assert relation["relation"] == "near_duplicate"
    assert all(p["kind"] in ("verbatim", "edited") for p in relation["pairs"])
    span = relation["pairs"][0]["a"]
    assert WIRE[span["start"] : span["end"]] == span["text"]  # evidence as offsets


def test_cross_candidates_pair_by_numbers_and_names() -> None:
    assert {"4300", "biden"} <= fact_keys("Biden said 4,300 rockets") | fact_keys("4.300 Biden")
    texts = [
        "Der Fluss Arlen stieg um 3,2 Meter; 140 Häuser in Dunmere und Kelby wurden geräumt.",
        "The Arlen river rose 3.2 metres; 140 homes in Dunmere and Kelby were evacuated.",
        "The Halvard orchestra sold 1,250 tickets for Sibelius.",
    ]
    found = CrossCandidates(min_shared=2).process_batch(
        {"id": ["de", "en1", "en2"], "language": ["de", "en", "en"], "text": texts,
         "new": [True, True, True]}
    )  # fmt: skip
    assert list(zip(found["a"], found["b"], strict=True)) == [("de", "en1")]


def test_lead_index_finds_what_the_exact_product_finds() -> None:
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((40, 16))
    vectors = np.repeat(centres, 25, axis=0) + 0.05 * rng.standard_normal((1000, 16))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    rows = np.arange(0, 1000, 7)
    exact = nearest_pairs(vectors, rows, 5, 0.9)
    index = LeadIndex(probe=4).fit(vectors)
    approx = index.pairs(rows, 5, 0.9)
    assert len(exact & approx) / len(exact) >= 0.95
    assert index.pairs(rows, 5, 0.9) == approx  # seeded: the same cells every time


def test_place_resumes_from_its_saved_state() -> None:
    articles = _articles() * 1
    leads = Encoders.fake().lead.encode([a.lead for a in articles])
    batch = {"id": ["a1", "a2", "a3"], "article": articles, "lead": list(leads),
             "link": [None, "a1", None]}  # fmt: skip
    whole = Place().process_batch(batch)
    first = Place()
    first.process_batch({k: v[:2] for k, v in batch.items()})
    resumed = Place.from_bytes(first.to_bytes())
    assert resumed is not None
    rest = resumed.process_batch({k: v[2:] for k, v in batch.items()})
    assert rest["story"] == whole["story"][2:]
    assert whole["story"][0] == whole["story"][1] == "sa1"  # linked: one story


@pytest.fixture(scope="module")
def fake_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("engine") / "demo.db"
    with Store(db) as store:
        store.ingest([DEMO / "corpus"])
        LocalEngine(store, Encoders.fake()).run()
    return db


def test_a_second_run_does_nothing(fake_demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuses(*args: object, **kwargs: object) -> dict:
        raise AssertionError("a kernel ran on an unchanged store")

    for stage in (Sketch, Judge, Place, Claims):
        monkeypatch.setattr(stage, "process_batch", refuses)
    with Store(fake_demo) as store:
        again = LocalEngine(store, Encoders.fake()).run()
    assert again.new_articles == 0 and again.links.new_articles == 0


def test_increments_give_the_batch_result(fake_demo: Path, tmp_path: Path) -> None:
    with Store(fake_demo) as batch:
        expected = {a: s for a, s, _ in batch.story_members()}
        relations = {(r["a"], r["b"]): r["relation"] for r in batch.relations()}
        articles = [batch.get(i) for i in batch.unfolded_ids() or batch.ids()]
        order = [a for a, _, _ in batch.story_members()]
        articles = [batch.get(i) for i in order]
    with Store(tmp_path / "steps.db") as store:
        for start in range(0, len(articles), 9):
            for article in articles[start : start + 9]:
                assert article is not None
                store.add(article)
            LocalEngine(store, Encoders.fake()).run()
        assert {a: s for a, s, _ in store.story_members()} == expected
        assert {(r["a"], r["b"]): r["relation"] for r in store.relations()} == relations


def test_story_report_compares_a_large_story_over_its_centre() -> None:
    from newsfold.claims import ClaimExtractor
    from newsfold.stages.story_report import StoryReport, compared_members

    update = build_article({"id": "a4", "text": WIRE.replace("140", "150"), "language": "en"})
    articles = [*_articles()[:2], update]
    enc = Encoders.fake()
    ids = [a.id for a in articles]
    leads = enc.lead.encode([a.lead for a in articles])
    assert compared_members(ids, leads, 5) == ids
    chosen = compared_members(ids, leads, 2)
    assert len(chosen) == 2 and chosen == [i for i in ids if i in chosen]
    claims = dict(zip(ids, ClaimExtractor().transform(articles), strict=True))
    batch = {
        "story": ["s1"], "members": [[(i, 1.0) for i in ids]],
        "articles": [{a.id: a for a in articles}], "relations": [[]], "claims": [claims],
        "leads": [leads], "sentences": [{a.id: enc.sentence.encode([s.text for s in a.sentences])
                                          for a in articles}],
    }  # fmt: skip
    report = StoryReport(enc, max_compared=2).process_batch(batch)["report"][0]
    assert report["compared"] == 2 and report["counts"]["articles"] == 3
    assert set(report["texts"]) == set(ids)  # every member still listed
    cited = {c["article"] for s in report["summary"] for c in s["citations"]}
    assert cited <= set(chosen)
