"""Folding the store: stable story ids, increments = one batch, roles, commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsfold.cli import app
from newsfold.describe import clean_title, key_entities
from newsfold.engines.local import LocalEngine
from newsfold.store import Store

from .conftest import DEMO


@pytest.fixture(scope="module")
def folded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("fold") / "demo.db"
    with Store(db) as store:
        store.ingest([DEMO / "corpus"])
        LocalEngine(store).link()  # reuse relations: copies join their source, roles
        LocalEngine(store).fold()
    return db


def _partition(store: Store) -> dict[str, str]:
    return {article: story for article, story, _ in store.story_members()}


def test_increments_in_time_order_give_the_batch_stories(folded: Path, tmp_path: Path) -> None:
    with Store(folded) as batch:
        expected = _partition(batch)
        # Time order (undated last, then in arrival order): the order a fold places them in.
        articles = [batch.get(i) for i in batch.ids()]
    with Store(tmp_path / "steps.db") as store:
        for start in range(0, len(articles), 7):
            for article in articles[start : start + 7]:
                assert article is not None
                store.add(article)
            LocalEngine(store).link()
            report = LocalEngine(store).fold()
            assert report.new_articles == len(articles[start : start + 7])
        assert LocalEngine(store).fold().new_articles == 0  # nothing left to place
        assert _partition(store) == expected  # same members, same stable story ids


def test_story_views(folded: Path) -> None:
    with Store(folded) as store:
        stories = LocalEngine(store).describe()
    assert len(stories) >= 6
    biggest = stories[0]
    assert biggest.size >= 8 and biggest.label
    assert "Valmora" in biggest.entities[:3]  # the place every report names
    assert not biggest.label.endswith(("Post", "Wire"))  # headline without the site name
    assert biggest.sources < biggest.size  # copies do not count as sources
    assert all(s.id.startswith("s") for s in stories)
    roles = {m.role for s in stories for m in s.members}
    assert roles <= {"original", "copy", "reuse, direction unknown", "independent"}
    assert "reuse, direction unknown" in roles  # the undated duplicates: nothing tells
    data = biggest.to_dict()
    assert data["articles"] == biggest.size and data["members"][0]["id"]


def test_stories_and_story_commands(folded: Path, tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    db.write_bytes(folded.read_bytes())
    runner = CliRunner()
    result = runner.invoke(app, ["stories", "--db", str(db), "--json", "--min-size", "2"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["new_articles"] == 0 and all(s["articles"] >= 2 for s in data["stories"])
    first = data["stories"][0]["id"]
    shown = runner.invoke(app, ["story", first[:8], "--db", str(db), "--json"])
    assert shown.exit_code == 0 and json.loads(shown.stdout)["id"] == first
    assert runner.invoke(app, ["story", "nope", "--db", str(db)]).exit_code == 1
    assert runner.invoke(app, ["story", "s", "--db", str(db)]).exit_code == 2  # ambiguous
    late = runner.invoke(app, ["stories", "--db", str(db), "--json", "--since", "2026-03-12"])
    assert all(s["last"] >= "2026-03-12" for s in json.loads(late.stdout)["stories"])
    assert runner.invoke(app, ["stories", "--db", str(db), "--since", "soon"]).exit_code == 2


def test_key_entities_and_clean_titles() -> None:
    texts = [
        "Officials said Abdel Fattah El Sisi met Antony Blinken in Cairo on Monday.",
        "In Cairo, Blinken praised the Gaza Strip truce, officials said.",
        "The Gaza Strip truce holds, Blinken said on Monday in Cairo.",
    ]
    found = key_entities(texts, k=3)
    assert set(found[:2]) == {"Cairo", "Blinken"} and found[2] == "Gaza Strip"
    assert not {"Officials", "Monday", "The Gaza Strip", "In Cairo"} & set(key_entities(texts))
    assert clean_title("Quake kills 23 in Orlen - Daily Post") == "Quake kills 23 in Orlen"
    assert clean_title("Truce agreed | Some Site News", "somesitenews.com") == "Truce agreed"
    assert clean_title("Biden: we will help - and fast") == "Biden: we will help - and fast"


def test_a_word_that_only_opens_sentences_is_not_a_name() -> None:
    texts = [
        "“We are ready.” Critics say the plan fails. The mayor, Anna Berg, disagreed.",
        "Critics raised concerns. Berg said the plan would work in Tarsk.",
        "Speaking on Monday, Berg defended it. Residents of Tarsk were divided.",
    ]
    names = key_entities(texts)
    assert "Critics" not in names and "Speaking" not in names
    assert names[0] in ("Anna Berg", "Berg") and "Tarsk" in names
