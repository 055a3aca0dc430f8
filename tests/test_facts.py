"""Facts of stored stories: claims cached in the store, the facts and claims commands, seeds."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newsfold.article import build_article
from newsfold.claims import VERSION
from newsfold.cli import app
from newsfold.engines.local import LocalEngine
from newsfold.store import Store

from .test_claims import STORY


def _stored(path: Path) -> str:
    with Store(path) as store:
        for raw in STORY:
            store.add(build_article({**raw, "language": "en", "source": f"{raw['id']}.example"}))
        LocalEngine(store).fold()
        (story,) = {s for _, s, _ in store.story_members()}
    return story


def test_story_facts_and_claims_cache(tmp_path: Path) -> None:
    db = tmp_path / "facts.db"
    story = _stored(db)
    with Store(db) as store:
        found = LocalEngine(store).story_facts(story)
        assert {"conflict", "update", "altered"} <= {g.status for g in found.groups}
        assert len(store.claims(found.articles, VERSION)) == 3  # read once, kept
        again = LocalEngine(store).claims(found.articles)  # from the store now
        assert [c.to_dict() for c in again] == [
            c.to_dict() for c in LocalEngine(store).claims(found.articles)
        ]
    data = found.to_dict()
    conflict = next(g for g in data["groups"] if g["status"] == "conflict")
    assert {c["quantity"]["value"] for c in conflict["claims"]} == {62, 26}
    assert all(c["sentence_text"] for c in conflict["claims"])  # the exact sentences behind it


def test_facts_and_claims_commands(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    story = _stored(db)
    runner = CliRunner()
    shown = runner.invoke(app, ["facts", story[:6], "--db", str(db), "--json"])
    assert shown.exit_code == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert data["story"] == story and data["statuses"]["conflict"] >= 1
    table = runner.invoke(app, ["facts", story, "--db", str(db)])
    assert table.exit_code == 0 and "conflict" in table.stdout and "62" in table.stdout
    assert runner.invoke(app, ["facts", "nope", "--db", str(db)]).exit_code == 1
    with Store(db) as store:
        first = store.ids()[0]
    claims = runner.invoke(app, ["claims", first, "--db", str(db), "--json"])
    assert claims.exit_code == 0
    assert {"numbers", "quotes", "entities", "dates"} <= set(json.loads(claims.stdout))
    listed = runner.invoke(app, ["claims", first, "--db", str(db)])
    assert listed.exit_code == 0 and "number" in listed.stdout
    assert runner.invoke(app, ["claims", "zzz", "--db", str(db)]).exit_code == 1


def test_seed_facts(seeds: Path, store: Store) -> None:
    store.ingest([seeds])
    LocalEngine(store).link()
    LocalEngine(store).fold()
    (story,) = {s for _, s, _ in store.story_members()}
    found = LocalEngine(store).story_facts(story)

    def group(value: float) -> dict[str, object]:
        hits = [
            g
            for g in found.groups
            if g.kind == "number" and any(c.quantity.value == value for c in g.claims)
        ]
        assert hits, value
        return {"status": hits[0].status, "n": len(hits[0].claims)}

    assert group(248) == {"status": "conflict", "n": 5}  # 248, 232 and "more than 220"
    assert group(66)["status"] == "conflict"  # 66 and 65 children
    assert group(1900)["status"] == "compatible"  # "over 1,900" and 1,900
    assert group(4300)["status"] == "compatible"  # more than 4,000 / 4,300 rockets
    assert group(12) == {"status": "agree", "n": 4}  # Israeli deaths
    biden = [
        g
        for g in found.groups
        if g.kind == "quote" and g.status == "altered" and "Biden" in g.label
        and any("commitment" in c.text for c in g.claims)
    ]  # fmt: skip
    assert biden and len(biden[0].claims) == 3  # three wordings of one statement
