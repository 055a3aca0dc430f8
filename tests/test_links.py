"""Linking the demo corpus: candidates, stored relations, incremental runs and reuse trees."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsfold.cli import app
from newsfold.engines.local import LocalEngine
from newsfold.store import Store
from newsfold.trees import reuse_trees

from .conftest import DEMO

ORIGINAL = "meridian-press/valmora-warehouse-explosion.txt"


def _ids(store: Store) -> dict[str, str]:
    """Article ids by path under corpus/ (or by file name for files elsewhere)."""
    ids = {}
    for a in store.articles():
        origin = a.origin or ""
        ids[origin.split("corpus/")[-1] if "corpus/" in origin else Path(origin).name] = a.id
    return ids


@pytest.fixture(scope="module")
def linked_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus ingested and linked in one batch (shared: linking takes seconds)."""
    db = tmp_path_factory.mktemp("linked") / "demo.db"
    with Store(db) as store:
        store.ingest([DEMO / "corpus"])
        LocalEngine(store).link()
    return db


def test_incremental_links_match_one_batch(tmp_path: Path, linked_demo: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(DEMO / "corpus", corpus)
    later = tmp_path / "later"
    later.mkdir()
    # Hold back the light edit and the translation, then add them in a second run.
    # (Folders keep their names: the folder names the outlet, and the outlet is part of the id.)
    for rel in ("northern-times/valmora-port-warehouse-blast.txt", "le-journal-du-littoral"):
        target = later / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(corpus / rel, target)
    with Store(tmp_path / "inc.db") as store:
        store.ingest([corpus])
        first = LocalEngine(store).link()
        assert first.new_articles == 23 and first.candidates > 0
        before = {(r["a"], r["b"]): r["relation"] for r in store.relations()}
        store.ingest([later])
        second = LocalEngine(store).link()
        assert second.new_articles == 2
        after = {(r["a"], r["b"]): r["relation"] for r in store.relations()}
        assert LocalEngine(store).link().new_articles == 0  # nothing left to link
        ids = _ids(store)
    assert all(after[k] == v for k, v in before.items())  # old pairs kept as they were
    new_pairs = set(after) - set(before)
    assert new_pairs and all(
        ids["valmora-port-warehouse-blast.txt"] in p or ids["explosion-entrepot-valmora.txt"] in p
        for p in new_pairs
    )

    with Store(linked_demo) as store:
        batch = {(r["a"], r["b"]): r["relation"] for r in store.relations()}
    assert batch == after


def test_relations_and_tree_of_the_demo(linked_demo: Path) -> None:
    with Store(linked_demo) as store:
        ids = _ids(store)
        relations = store.relations()
    kinds = {(r["a"], r["b"]): r["relation"] for r in relations}

    def kind(x: str, y: str) -> str | None:
        a, b = sorted((ids[x], ids[y]))
        return kinds.get((a, b))

    assert kind(ORIGINAL, "northern-times/valmora-port-warehouse-blast.txt") == "near_duplicate"
    assert kind(ORIGINAL, "le-journal-du-littoral/explosion-entrepot-valmora.txt") == "translation"
    assert kind(ORIGINAL, "coastal-herald/valmora-blast-witnesses.html") == "same_story"
    # Two different earthquakes are never linked as reuse.
    orlen, tarsk = (
        "meridian-press/orlen-earthquake-kestria.txt",
        "meridian-press/tarsk-earthquake-kestria.txt",
    )
    assert kind(orlen, tarsk) in (None, "same_story")
    trees = reuse_trees(relations)
    valmora = next(t for t in trees if ids[ORIGINAL] in t["members"])
    assert valmora["root"] in {
        ids[ORIGINAL],
        ids["daily-ledger/chemical-blast-kills-14-in-valmora-port.txt"],
    }
    assert ids["le-journal-du-littoral/explosion-entrepot-valmora.txt"] in valmora["members"]
    assert ids["coastal-herald/valmora-blast-witnesses.html"] not in valmora["members"]
    assert len(valmora["edges"]) == len(valmora["members"]) - 1


def test_links_command(tmp_path: Path, linked_demo: Path) -> None:
    db = tmp_path / "cli.db"
    shutil.copy(linked_demo, db)
    runner = CliRunner()
    extra = tmp_path / "extra.txt"
    extra.write_text(
        "Valmora port blast: what we know\n\nA chemical warehouse exploded in the port of "
        "Valmora on Tuesday, killing 14 people and injuring 57, officials said.\n"
    )
    assert runner.invoke(app, ["ingest", str(extra), "--db", str(db), "-q"]).exit_code == 0
    result = runner.invoke(app, ["links", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["new_articles"] == 1 and data["trees"]
    assert {"a", "b", "relation", "similarity", "source"} <= set(data["relations"][0])
    result = runner.invoke(app, ["links", "--db", str(db)])
    assert result.exit_code == 0 and "likely original" in result.stdout


def test_third_articles_give_rewrites_their_direction(linked_demo: Path) -> None:
    """Undated heavy rewrites get the original as source from the wire dateline or from the
    independent reports, and no relation is directed against the answer key."""
    truth = json.loads((DEMO / "truth.json").read_text())
    source_of = {
        a["path"].split("corpus/")[-1]: (a["derived_from"] or "").split("corpus/")[-1] or None
        for a in truth["articles"]
    }
    with Store(linked_demo) as store:
        ids = _ids(store)
        relations = store.relations()
    path = {v: k for k, v in ids.items()}
    right = wrong = 0
    for r in relations:
        if r["source"] is None:
            continue
        pa, pb = path[r["a"]], path[r["b"]]
        expected = pa if source_of.get(pb) == pa else pb if source_of.get(pa) == pb else None
        if expected is not None:
            right += path[r["source"]] == expected
            wrong += path[r["source"]] != expected
    assert wrong == 0 and right >= 3
    rewrite = next(
        r
        for r in relations
        if {path[r["a"]], path[r["b"]]}
        == {ORIGINAL, "valley-gazette/valmora-explosion-what-we-know.txt"}
    )
    assert path[rewrite["source"]] == ORIGINAL
    # The wire story's dateline, which the rewrite dropped, tells it first.
    assert rewrite["direction"]["reasons"][0].startswith("a carries the wire mark 'VALMORA")
    # Rewrites of rewrites that nothing else directs get a direction from third articles.
    firsts = [r["direction"]["reasons"][0] for r in relations if r["direction"]["reasons"]]
    assert any(reason.startswith("third articles") for reason in firsts)
