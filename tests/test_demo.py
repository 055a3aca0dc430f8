"""End to end: the demo corpus as `make demo` ingests it, checked against its answer key."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newsfold.cli import app
from newsfold.store import Store

from .conftest import DEMO


def test_demo_corpus_ingests_completely(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = CliRunner().invoke(app, ["ingest", str(DEMO / "corpus"), "--db", str(db)])
    assert result.exit_code == 0, result.stderr
    truth = json.loads((DEMO / "truth.json").read_text())["articles"]
    with Store(db) as store:
        articles = list(store.articles())
        assert len(articles) == len(truth)
        origins = {a.origin for a in articles}
        languages = {a.language for a in articles}
        events = {t["event"] for t in truth}
    assert languages == {"en", "fr"}
    assert {"valmora-explosion", "kestria-quake-orlen", "kestria-quake-tarsk"} <= events
    # Every article of the answer key is stored, from the file (and record) it names.
    for t in truth:
        path = t["path"].split("#")[0]
        assert any(
            o and o.replace("\\", "/").split(str(DEMO.name) + "/", 1)[-1].startswith(path)
            for o in origins
        ), t
    # The verbatim copy has the same text as its original.
    by_path = {a.origin.split("demo/", 1)[-1]: a for a in articles if a.origin}
    for t in truth:
        if (
            t["role"] == "verbatim-copy"
            and "#" not in t["path"]
            and "#" not in (t["derived_from"] or "#")
        ):
            assert by_path[t["path"]].text == by_path[t["derived_from"]].text
    assert all(a.title for a in articles)
