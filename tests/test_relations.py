"""Alignment and relations on the demo corpus: originals, copies, rewrites, a translation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsfold import build_article
from newsfold.align import SentenceAligner, lexical_matrix, word_diff
from newsfold.article import Article
from newsfold.cli import app
from newsfold.relations import compare
from newsfold.store import Store

from .conftest import DEMO

ORIGINAL = "meridian-press/valmora-warehouse-explosion.txt"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Article]:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    with Store(db) as store:
        assert store.ingest([DEMO / "corpus"]).ok
        return {a.origin.split("corpus/")[-1]: a for a in store.articles() if a.origin}


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        (
            "daily-ledger/chemical-blast-kills-14-in-valmora-port.txt",
            {"near_duplicate", "duplicate"},
        ),
        ("northern-times/valmora-port-warehouse-blast.txt", {"near_duplicate"}),
        ("valley-gazette/valmora-explosion-what-we-know.txt", {"rewrite"}),
        ("globo-noticias-en/explosion-in-warehouse-of-valmora.txt", {"rewrite"}),
        ("le-journal-du-littoral/explosion-entrepot-valmora.txt", {"translation"}),
        ("coastal-herald/valmora-blast-witnesses.html", {"same_story"}),
        ("meridian-press/tarsk-earthquake-kestria.txt", {"unrelated"}),
        ("daily-ledger/novaline-x7-smartphone-launch.txt", {"unrelated"}),
    ],
)
def test_relations_to_the_wire_story(
    demo: dict[str, Article], other: str, expected: set[str]
) -> None:
    r = compare(demo[ORIGINAL], demo[other])
    assert r.kind in expected, (r.kind, r.similarity, r.coverage_a, r.coverage_b)


def test_similarity_orders_copies_above_edits_above_rewrites_above_independent(
    demo: dict[str, Article],
) -> None:
    o = demo[ORIGINAL]
    sims = [
        compare(o, demo[p]).similarity
        for p in (
            ORIGINAL,
            "northern-times/valmora-port-warehouse-blast.txt",
            "valley-gazette/valmora-explosion-what-we-know.txt",
            "coastal-herald/valmora-blast-witnesses.html",
        )
    ]
    assert sims == sorted(sims, reverse=True) and sims[0] == 1.0


def test_evidence_points_into_both_texts(demo: dict[str, Article]) -> None:
    a, b = demo[ORIGINAL], demo["valley-gazette/valmora-explosion-what-we-know.txt"]
    r = compare(a, b)
    assert r.alignment.pairs
    data = r.to_dict(a, b)
    for pair in data["pairs"]:  # type: ignore[union-attr]
        assert a.text[pair["a"]["start"] : pair["a"]["end"]] == pair["a"]["text"]
        assert b.text[pair["b"]["start"] : pair["b"]["end"]] == pair["b"]["text"]
    assert any("diff" in p for p in data["pairs"])  # type: ignore[union-attr]


def test_direction_from_dates_and_containment() -> None:
    body = [
        "Dock workers in Harbour City walked out on Monday over pay.",
        "More than forty container ships were left waiting outside the port.",
        "The union said its members had not had a raise in three years.",
        "Port director Anja Fell called the strike irresponsible.",
        "Supermarkets warned of shortages of fresh fruit by the weekend.",
        "Shippers put the cost of the stoppage at nine million crowns a day.",
        "Talks between the two sides are due to resume on Thursday.",
        "The transport minister urged both sides to reach a deal quickly.",
        "A similar strike in 2019 lasted eleven days.",
        "Police said the picket lines had remained peaceful.",
    ]
    source = build_article({"text": " ".join(body), "published": "2026-01-01", "source": "wire"})
    part = build_article({"text": " ".join(body[:3]), "published": "2026-01-02", "source": "blog"})
    r = compare(part, source)
    assert r.kind == "partial" and r.direction.source == "b"
    assert any("published first" in x for x in r.direction.reasons)
    assert r.direction.confidence > 0.6


def test_independent_texts_claim_no_source() -> None:
    a = build_article({"text": "The council approved a budget of 412 million crowns on Tuesday."})
    b = build_article({"text": "The striker scored twice as Brennick won the derby on Saturday."})
    r = compare(a, b)
    assert r.kind == "unrelated" and r.direction.source is None and r.similarity < 0.3


def test_lexical_matrix_and_word_diff() -> None:
    m = lexical_matrix(
        ["The rocket barrages hit the town."],
        ["The rocket barriers hit the town.", "Other words entirely here."],
    )
    assert m[0, 0] > 0.6 > m[0, 1]
    assert word_diff("the rocket barrages hit", "the rocket barriers hit") == [
        ("replace", "barrages", "barriers")
    ]
    assert (
        SentenceAligner()
        .align(build_article({"text": "A b c."}), build_article({"text": "X y z."}))
        .pairs
        == []
    )


def test_compare_command(demo: dict[str, Article], tmp_path: Path) -> None:
    runner = CliRunner()
    a = DEMO / "corpus" / ORIGINAL
    b = DEMO / "corpus" / "northern-times/valmora-port-warehouse-blast.txt"
    result = runner.invoke(app, ["compare", str(a), str(b), "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["relation"] == "near_duplicate" and data["pairs"]
    result = runner.invoke(app, ["compare", str(a), str(b)])
    assert result.exit_code == 0 and "near_duplicate" in result.stdout
    assert (
        runner.invoke(app, ["compare", str(a), "nope", "--db", str(tmp_path / "x.db")]).exit_code
        == 1
    )


def test_pairs_command(tmp_path: Path) -> None:
    base = (
        "The port reopened on Monday after a strike. Ships queued for days. The union won a raise."
    )
    rows = [
        {"id": "same", "text1": base, "text2": base},
        {"id": "edit", "text1": base, "text2": base.replace("Monday", "Tuesday")},
        {
            "id": "other",
            "text1": base,
            "text2": "The museum opened an exhibition of medieval maps.",
        },
    ]
    src = tmp_path / "pairs.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in rows) + '\n{"id": "broken"\n{"id": "notext"}\n')
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["pairs", str(src), "--out", str(out)])
    assert result.exit_code == 1  # the two bad lines
    assert f"{src}:4" in result.stderr and f"{src}:5" in result.stderr
    records = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r["id"] for r in records] == ["same", "edit", "other"]
    assert records[0]["relation"] == "duplicate" and records[0]["similarity"] == 1.0
    assert records[0]["similarity"] > records[1]["similarity"] > records[2]["similarity"]
    assert records[2]["relation"] == "unrelated" and records[2]["source"] is None
    assert set(records[1]) >= {"coverage1", "coverage2", "source", "same_story"}
    assert records[0]["same_story"] >= 0.95 and records[2]["same_story"] < 0.5


def test_pairs_same_story_tells_one_event_from_a_look_alike(tmp_path: Path) -> None:
    orlen = (
        "A magnitude 6.2 earthquake struck near Orlen in Davaria's Kestria region on Monday, "
        "killing 23 people, regional governor Ilse Brandt said."
    )
    rows = [
        {
            "id": "same event",
            "text1": orlen,
            "text2": "Rescuers in Orlen dug through rubble after Monday's quake in Kestria; "
            "governor Ilse Brandt put the toll at 23.",
        },
        {
            "id": "look-alike",
            "text1": orlen,
            "text2": "Three people died in Tarsk on Friday when a magnitude 5.4 quake shook "
            "the Kestria region, mayor Tomas Revik told reporters.",
        },
        {"id": "other", "text1": orlen, "text2": "Brennick United beat Harlow Athletic 3-1."},
    ]
    src = tmp_path / "pairs.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    result = CliRunner().invoke(app, ["pairs", str(src)])
    assert result.exit_code == 0, result.stderr
    chance = {r["id"]: r["same_story"] for r in map(json.loads, result.stdout.splitlines())}
    assert chance["same event"] > 0.5 > chance["look-alike"] > chance["other"]


def test_compare_html_escapes_article_text(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    body = "The council met on <script>alert(1)</script> Tuesday. It voted for the budget plan."
    a.write_text("Council votes\n\n" + body + "\n")
    b.write_text("Council vote\n\n" + body.replace("Tuesday", "Monday") + "\n")
    page = tmp_path / "cmp.html"
    result = CliRunner().invoke(app, ["compare", str(a), str(b), "--html", str(page)])
    assert result.exit_code == 0, result.stderr
    html = page.read_text()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<del>" in html or "<ins>" in html
    assert "http" not in html  # nothing loaded from the network


TEMPLATE = (
    "The supreme court of {country} ruled on {day} that {company} had broken competition law, "
    "ordering it to pay {fine} in fines. It was not immediately clear how the decision would "
    'affect the wider region. "This ruling sends a clear signal," said {judge}, the chief '
    "prosecutor. Several roads into the centre of {town} remained closed on {day} evening. "
    "The issue has divided opinion in {town} for years, {minister} told reporters."
)


def test_template_twins_about_different_events_are_not_copies() -> None:
    """Two reports from one template on two events: the wording matches, the names do not."""
    first = build_article({"id": "t1", "language": "en", "text": TEMPLATE.format(
        country="Kestria", day="Sunday", company="Solenne Foods", fine="$65 million",
        judge="Felix Bianchi", town="Dravik", minister="Astrid Moreau")})  # fmt: skip
    second = build_article({"id": "t2", "language": "en", "text": TEMPLATE.format(
        country="Lusmark", day="Thursday", company="Kelby Energy", fine="$2.5 million",
        judge="Hugo Delacroix", town="Belmar", minister="Noor Varga")})  # fmt: skip
    assert compare(first, second).kind == "unrelated"
    # The same article edited by a copier keeps its names: still a derived copy.
    edited = build_article({"id": "t3", "language": "en", "text": TEMPLATE.format(
        country="Kestria", day="Sunday", company="Solenne Foods", fine="65 million dollars",
        judge="Felix Bianchi", town="Dravik", minister="Minister Astrid Moreau")})  # fmt: skip
    assert compare(first, edited).derived


SHORT_TEMPLATE = (
    "A court in {town} on {day} sentenced {name}, a former {role}, to {years} years in prison. "
    "Independent experts have urged caution in interpreting the early figures. "
    "Officials said the total cost was estimated at {cost} million. "
    "Opposition parties called for a debate in parliament on {day}."
)


def test_template_twins_told_by_numbers_and_days_and_by_key_names() -> None:
    """Twins whose aligned sentences differ only in numbers and days (no names on both sides
    of enough pairs), and a short excerpt of one twin beside the other: neither is a copy; an
    update that changes one number still is."""
    one = SHORT_TEMPLATE.format(town="Orlen", day="Monday", name="Ada Brenner", role="mayor",
                                years=9, cost=27)  # fmt: skip
    two = SHORT_TEMPLATE.format(town="Tarsk", day="Thursday", name="Ivo Lund", role="judge",
                                years=6, cost=310)  # fmt: skip
    a = build_article({"id": "s1", "language": "en", "text": one})
    b = build_article({"id": "s2", "language": "en", "text": two})
    assert compare(a, b).kind == "unrelated"
    update = build_article({"id": "s3", "language": "en", "text": one.replace("27", "29")})
    assert compare(a, update).derived
    names = " ".join(f"{w} Hollis of Vardenfels said {n}." for w, n in (
        ("Mara", 120), ("Oskar", 340), ("Lene", 560), ("Per", 780), ("Ida", 910)))  # fmt: skip
    others = " ".join(f"{w} Brandt of Kessel said {n}." for w, n in (
        ("Tove", 150), ("Jens", 370), ("Sofie", 590), ("Nils", 710), ("Anja", 930)))  # fmt: skip
    long_one = build_article({"id": "s4", "language": "en", "text": one + " " + names})
    long_two = build_article({"id": "s5", "language": "en", "text": two + " " + others})
    assert not compare(long_one, long_two).derived
