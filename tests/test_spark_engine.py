"""The Spark engine runs the local kernels and reaches the local engine's results, exactly.

Spark in ``local[2]`` (the session-wide ``spark`` fixture); fake encoders, so that no model is
loaded and the tests stay within a few minutes. Compared: story members in placement order,
relations (kind, source, confidence, evidence), and every story's report.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from newsfold.embed import Encoders
from newsfold.engines.local import LocalEngine
from newsfold.store import Store

from .conftest import DEMO

pytest.importorskip("pyspark")

from newsfold.engines.spark import SparkEngine


def _local(paths: list[Path], db: Path, batch: int = 256) -> dict[str, Any]:
    with Store(db) as store:
        store.ingest(paths)
        analysis = LocalEngine(store, Encoders.fake(), batch=batch).run()
        return {
            "members": store.story_members(),
            "relations": store.relations(),
            "stories": analysis.report["stories"],
        }


def _spark(spark: Any, paths: list[Path], partitions: int, batch: int = 256) -> Any:
    engine = SparkEngine(spark, Encoders.fake(), partitions=partitions, batch=batch)
    return engine.run([str(p) for p in paths])


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)


@pytest.fixture(scope="module")
def demo_local(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _local([DEMO / "corpus"], tmp_path_factory.mktemp("local") / "demo.db")


@pytest.mark.slow
def test_demo_equals_the_local_engine(spark: Any, demo_local: dict[str, Any]) -> None:
    result = _spark(spark, [DEMO / "corpus"], 4)
    assert result.members == demo_local["members"]
    assert len(result.members) == 25 and len({s for _, s, _ in result.members}) >= 5
    assert _same(result.relations, demo_local["relations"])
    assert result.relations, "the demo holds copies and rewrites"
    assert _same(result.analysis.report["stories"], demo_local["stories"])
    assert result.rejects.count() == 0


@pytest.mark.slow
@pytest.mark.parametrize("partitions", [1, 2, 7])
def test_results_do_not_depend_on_partitions(spark: Any, tmp_path: Path, partitions: int) -> None:
    # Two outlets' folders: copies across them, a story of several articles, singletons.
    chosen = [DEMO / "corpus" / "valmora-news", DEMO / "corpus" / "coastal-herald"]
    local = _local(chosen, tmp_path / "local.db")
    result = _spark(spark, chosen, partitions)
    assert result.members == local["members"]
    assert _same(result.relations, local["relations"])
    assert _same(result.analysis.report["stories"], local["stories"])


def test_bad_input_is_rejected_with_its_location(spark: Any, tmp_path: Path) -> None:
    good = {"id": "g1", "title": "Bridge closed", "text": "Flooding closed the Arlen bridge."}
    clash = {"id": "g1", "title": "Other", "text": "A different text under the same id."}
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({"id": "x", "title": "No text"}),
        json.dumps(clash),
    ]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    result = SparkEngine(spark, Encoders.fake(), partitions=2).run(
        [str(tmp_path / "in.jsonl"), str(tmp_path / "image.png"), str(tmp_path / "missing")]
    )
    rejects = {(r[0], r[1]) for r in result.rejects.collect()}
    where = {loc.rsplit("/", 1)[-1]: reason for loc, reason in rejects}
    assert "malformed JSON" in where["in.jsonl:2"]
    assert "no text" in where["in.jsonl:3"]
    assert "another text" in where["in.jsonl:4"]
    assert "binary file" in where["image.png"]
    assert "no such file" in where["missing"]
    assert len(rejects) == 5
    assert result.analysis.articles == 1 and result.members[0][0] == "g1"


def test_a_pile_without_relations(spark: Any, tmp_path: Path) -> None:
    # Unrelated articles: no relation, each its own story, as locally.
    texts = [
        "The Halvard orchestra opened its season with a sold-out concert of Sibelius.",
        "Flooding closed the Arlen bridge on Tuesday after the river rose overnight.",
        "Shares of Novaline rose after the company unveiled a folding phone.",
    ]
    lines = [json.dumps({"id": f"u{k}", "text": t}) for k, t in enumerate(texts)]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = SparkEngine(spark, Encoders.fake(), partitions=2).run([str(tmp_path / "in.jsonl")])
    local = _local([tmp_path / "in.jsonl"], tmp_path / "local.db")
    assert result.members == local["members"] and len(result.members) == 3
    assert result.relations == local["relations"]


def test_nothing_readable_still_writes_the_rejects(spark: Any, tmp_path: Path) -> None:
    from newsfold.output import import_output

    (tmp_path / "in.jsonl").write_text('{"id": "x"}\n{broken\n', encoding="utf-8")
    result = SparkEngine(spark, Encoders.fake(), partitions=2).run([str(tmp_path / "in.jsonl")])
    assert result.analysis.articles == 0 and result.analysis.rejects == 2
    result.write(tmp_path / "out", ["json"])
    with Store(tmp_path / "s.db") as store:
        assert import_output(store, tmp_path / "out" / "data")["articles"] == 0


@pytest.mark.slow
def test_outputs_read_back_into_a_store(spark: Any, tmp_path: Path) -> None:
    from newsfold.output import OutputError, import_output

    folder = DEMO / "corpus" / "valmora-news"
    result = _spark(spark, [folder], 2)
    entry = result.write(tmp_path / "out", ["html", "json"])
    assert entry.name == "index.html" and (tmp_path / "out" / "report.json").is_file()
    import pyarrow.parquet as pq

    stories = pq.read_table(tmp_path / "out" / "data" / "stories").to_pylist()
    assert {r["story"] for r in stories} == {s for _, s, _ in result.members}
    for row in stories:
        assert json.loads(row["facts"]) == (result.reports[row["story"]].get("facts") or [])
    assert any(json.loads(row["facts"]) for row in stories), "a story of copies has facts"
    with Store(tmp_path / "back.db") as store:
        counts = import_output(store, tmp_path / "out" / "data")
        assert counts["articles"] == len(result.members)
        assert store.story_members() == result.members
        assert _same(store.relations(), result.relations)
        # The stored reports are read back, not built again: a local report equals Spark's.
        engine = LocalEngine(store, Encoders.fake())
        assert _same(engine.report()["stories"], result.analysis.report["stories"])
        with pytest.raises(OutputError, match="already holds"):
            import_output(store, tmp_path / "out" / "data")
    shutil.rmtree(tmp_path / "out" / "data" / "relations")
    with Store(tmp_path / "other.db") as store, pytest.raises(OutputError, match="relations"):
        import_output(store, tmp_path / "out" / "data")
    assert len(Store(tmp_path / "other.db")) == 0  # all or nothing
