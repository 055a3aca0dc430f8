"""Claims (numbers, quotes with speakers, names, dates) and their reconciliation in a story."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from newsfold.article import Article, build_article
from newsfold.claims import ArticleClaims, ClaimExtractor, alias_key, resolve_date
from newsfold.reconcile import Reconciler

MORNING = "2026-04-02T08:00:00Z"
EVENING = "2026-04-02T20:00:00Z"

STORY = [
    {
        "id": "a1",
        "published": MORNING,
        "text": (
            "KARSVIK, April 2 — A ferry sank off Karsvik on Wednesday, killing 14 people, "
            "including three children, the coast guard said. At least 40 passengers were "
            'rescued. "We will rebuild every home that the storm destroyed," said Mayor '
            "Antonia Velasquez. Officials said 62 people were injured.\n\n"
            '"The crew did everything they could. Nobody expected waves this high."\n\n'
            "The coast guard chief, Kerem Al-Adani, told reporters that the wreck had been "
            "located in deep water."
        ),
    },
    {
        "id": "a2",
        "published": MORNING,
        "text": (
            "A ferry went down near Karsvik, killing 14 people, among them three children, "
            "according to the coast guard. Some 45 passengers were pulled from the water. "
            '"We will rebuild every single house that the storm destroyed," Toni Velasquez '
            "said. Officials said 26 people were injured. Kerem El Adani said divers would "
            "search the wreck."
        ),
    },
    {
        "id": "a3",
        "published": EVENING,
        "text": (
            "The death toll from the Karsvik ferry sinking rose to 19, the coast guard said on "
            'Wednesday evening. "We will rebuild every home that the storm destroyed," '
            "Velasquez said in a statement."
        ),
    },
]


@pytest.fixture(scope="module")
def story() -> tuple[list[Article], list[ArticleClaims]]:
    articles = [build_article({**a, "language": "en"}) for a in STORY]
    return articles, ClaimExtractor().transform(articles)


def test_numbers_with_things_predicates_and_sub_counts(
    story: tuple[list[Article], list[ArticleClaims]],
) -> None:
    articles, claims = story
    numbers = {n.text: n for n in claims[0].numbers}
    assert {"14", "three", "At least 40", "62"} <= set(numbers)
    assert numbers["14"].predicate == "kill" and numbers["14"].thing == "people"
    assert numbers["three"].part_of is not None  # "including three children"
    assert claims[0].numbers[numbers["three"].part_of].text == "14"
    assert numbers["At least 40"].quantity.qualifier == "at least"
    assert numbers["14"].attribution == "the coast guard"
    text = articles[0].text
    for n in claims[0].numbers:  # every claim is a span of its article
        assert text[n.start : n.end] == n.text and n.sentence[0] <= n.start < n.sentence[1]
    assert "April 2" not in {n.text for n in claims[0].numbers}  # a date is not a count


def test_quote_speakers(story: tuple[list[Article], list[ArticleClaims]]) -> None:
    _, claims = story
    first = {q.text[:20]: q for q in claims[0].quotes}
    assert first["We will rebuild ever"].speaker_key == "velasquez"  # "said Mayor ..."
    standing = first["The crew did everythi"[:20]]  # alone: the last speaker goes on
    assert standing.speaker_key == "velasquez" and standing.direct
    assert "Nobody expected" in standing.text  # a quote over two sentences
    reported = [q for q in claims[0].quotes if not q.direct]
    assert any(q.speaker_key == "adani" and "wreck" in q.text for q in reported)  # told ... that
    direct = [q for q in claims[2].quotes if q.direct]
    assert direct[0].speaker_key == "velasquez"  # "said in a statement"
    assert any(not q.direct and q.speaker_key == "role:guard" for q in claims[2].quotes)


def test_names_roles_and_aliases(story: tuple[list[Article], list[ArticleClaims]]) -> None:
    _, claims = story
    people = {e.text: e for e in claims[0].entities if e.label == "person"}
    assert people["Antonia Velasquez"].role == "Mayor"
    assert alias_key("Toni Velasquez") == alias_key("Mayor Velasquez") == "velasquez"
    assert alias_key("Abdel Fattah El Sisi") == alias_key("Al-Sisi") == "sisi"
    assert alias_key("Ola Strøm") == alias_key("Strom") == "strom"


def test_reconcile_statuses(story: tuple[list[Article], list[ArticleClaims]]) -> None:
    articles, claims = story
    texts = {a.id: a.text for a in articles}
    groups = Reconciler().transform(claims, texts, {})

    def find(kind: str, word: str) -> str:
        hits = [g for g in groups if g.kind == kind and any(word in c.text for c in g.claims)]
        assert hits, f"no {kind} group with {word!r}"
        return hits[0].status

    assert find("number", "62") == "conflict"  # 62 and 26 injured, same morning
    assert find("number", "three") == "agree"  # sub-counts of the agreed toll
    assert find("number", "At least 40") == "compatible"  # "at least 40" and "some 45"
    toll = next(g for g in groups if any(c.text == "19" for c in g.claims))
    assert toll.status == "update" and "rose from 14" in (toll.note or "")
    quote = next(g for g in groups if g.kind == "quote" and len(g.claims) == 3)
    assert quote.status == "altered" and quote.label.endswith("Velasquez")
    assert quote.diffs["a2"] == [{"op": "replace", "from": "home", "to": "single house"}]
    names = {g.label: g.status for g in groups if g.kind == "entity"}
    assert names.get("Antonia Velasquez") == "alias"  # Toni, Antonia, Velasquez: one person
    assert [s for label, s in names.items() if "Adani" in label] == ["alias"]  # Al-, El
    data = quote.to_dict(texts)
    assert data["status"] == "altered" and data["claims"][0]["sentence_text"]


def test_alteration_only_in_a_copy_points_to_the_copy(
    story: tuple[list[Article], list[ArticleClaims]],
) -> None:
    articles, claims = story
    texts = {a.id: a.text for a in articles}
    groups = Reconciler().transform(claims, texts, {"a2": "a1"})  # a2 copies a1
    quote = next(g for g in groups if g.kind == "quote" and len(g.claims) == 3)
    assert quote.note is not None and "a2 (a copy of a1)" in quote.note


def test_other_languages_keep_numbers_and_quotes() -> None:
    text = "Au moins 14 personnes sont mortes. « Nous reconstruirons tout », a dit la maire."
    article = build_article({"id": "fr", "text": text, "language": "fr"})
    found = ClaimExtractor().transform([article])[0]
    assert [n.quantity.value for n in found.numbers] == [14]
    assert found.quotes[0].text == "Nous reconstruirons tout"
    assert "entities" in found.skipped and not found.entities
    again = ArticleClaims.from_dict(found.to_dict(), None)
    assert again.to_dict() == found.to_dict()


def test_resolve_relative_dates() -> None:
    posted = datetime(2026, 4, 2, 8, tzinfo=UTC)  # a Thursday
    assert resolve_date("Monday", posted) == date(2026, 3, 30)
    assert resolve_date("Monday", posted, future=True) == date(2026, 4, 6)
    assert resolve_date("yesterday", posted) == date(2026, 4, 1)
    assert resolve_date("March 3", posted) == date(2026, 3, 3)
    assert resolve_date("March 3, 2025", None) == date(2025, 3, 3)
    assert resolve_date("this week", None) is None


def test_two_processes_read_the_same_claims(
    story: tuple[list[Article], list[ArticleClaims]],
) -> None:
    articles, claims = story
    many = articles * 3  # enough for two workers at batch size 2
    found = ClaimExtractor(batch_size=2, n_process=2).transform(many)
    assert [c.to_dict() for c in found] == [c.to_dict() for c in claims * 3]


MIXED = (
    "Y'all know it ain't over, gonna be a long night, said Gov. Ama Osei on Tuesday.\n\n"
    "There were 12 rescuers and 3 dogs. Let's go, she told them: \"We're not done yet.\"    "
    "          \n\nIt is what it is. Got ta run!  The ministry (which said 1,900 were hurt) "
    "confirmed it; I did it for them, he said."
)


def test_fast_parse_is_spacy_parse(story: tuple[list[Article], list[ArticleClaims]]) -> None:
    """The reader's own loop over the pipeline (the attribute ruler's rules matched with numpy,
    the parser and entity recogniser stepped with the GIL held) annotates as ``nlp.pipe``."""
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG

    from newsfold.claims import _AttributeRules, _EnglishReader, load_english, worth_parsing

    nlp = load_english()
    assert _AttributeRules.of(nlp) is not None  # the model's rules are all readable
    articles, _ = story
    texts = [MIXED, "", "   ", *(a.text for a in articles), *(worth_parsing(a) for a in articles)]
    columns = [TAG, POS, MORPH, LEMMA, DEP, HEAD, SENT_START, ENT_IOB, ENT_TYPE]
    stock = list(nlp.pipe(texts, batch_size=4))
    fast = _EnglishReader(nlp, 4, selective=True).parse(texts)
    for want, got in zip(stock, fast, strict=True):
        assert got.text == want.text
        assert (got.to_array(columns) == want.to_array(columns)).all()
        assert [str(t.morph) for t in got] == [str(t.morph) for t in want]
        assert [(e.start, e.end, e.label_) for e in got.ents] == [
            (e.start, e.end, e.label_) for e in want.ents
        ]


class _Broken:
    """A pipeline that fails on every text."""

    pipe_names: tuple[str, ...] = ()
    pipeline: tuple[Any, ...] = ()

    def make_doc(self, text: str) -> Any:
        raise ValueError("this pipeline cannot read")


def test_a_failing_worker_raises_and_stops_the_workers() -> None:
    import multiprocessing

    many = [build_article({"id": f"b{k}", "text": "It said 3 things."}) for k in range(12)]
    with pytest.raises((RuntimeError, ValueError), match="cannot read"):
        ClaimExtractor(batch_size=2, n_process=2, nlp=_Broken()).transform(many)
    assert multiprocessing.active_children() == []


def test_copies_are_parsed_once_and_read_alike() -> None:
    text = STORY[0]["text"]
    pair = [build_article({"id": k, "text": text, "language": "en"}) for k in ("c1", "c2")]
    one, two = ClaimExtractor().transform(pair)
    same = {**two.to_dict(), "article": "c1"}
    for kind in ("numbers", "quotes", "entities", "dates"):
        same[kind] = [{**c, "article": "c1"} for c in same[kind]]
    assert one.numbers and one.to_dict() == same


def test_other_languages_load_no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    import newsfold.claims

    def refuse() -> None:
        raise AssertionError("the English model was loaded for no English article")

    monkeypatch.setattr(newsfold.claims, "load_english", refuse)
    german = build_article({"id": "d1", "text": 'Es gab 12 Tote. "Wir bauen neu", sagte er.'})
    german.language = "de"
    found = ClaimExtractor(n_process=2).transform([german])[0]
    assert [c.text for c in found.numbers] == ["12"] and found.quotes
