"""Dataset mode on Spark gives the local engine's results, record for record."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from newsfold.cli import app

PARAGRAPHS = [
    "The harbour authority said on Tuesday that the old swing bridge over the River Marl will "
    "reopen to traffic in March after fourteen months of repairs costing 12 million pounds. "
    "Engineers replaced the rusted gears and the deck, and the council expects about 9,000 "
    "vehicles a day to cross it again. Shop owners on Quay Street, who lost trade during the "
    "closure, welcomed the news but asked for a free shuttle until the works are finished.",
    "A regional court in Lindenfeld sentenced two former bank managers to four years in prison "
    "for hiding losses of 310 million euros from auditors between 2019 and 2022. The judges "
    "found that the men moved bad loans into shell companies registered in three countries and "
    "forged board minutes to approve the transfers. Lawyers for both defendants said they would "
    "appeal, arguing that the bank's owners had known about the losses all along.",
    "Heavy rain flooded more than 200 homes in the valley towns of Ostra and Pella overnight, "
    "and rescue teams evacuated 1,400 residents to schools and sports halls. The weather "
    "service recorded 140 millimetres of rain in twelve hours, the most since records began in "
    "1931. Officials warned that the river could rise again on Thursday and closed the main "
    "road between the two towns while crews cleared mud and fallen trees.",
]
FILLER = [f"word{i}" for i in range(800)]


def _edit(text: str, rng: random.Random, rate: float) -> str:
    return " ".join(w if rng.random() > rate else rng.choice(FILLER) for w in text.split())


def corpus_lines(seed: int = 3) -> list[str]:
    """Originals, edited copies, exact copies, partial copies, unrelated texts, dates on some,
    and bad lines: malformed JSON, a record without text, a JSON array, an empty line."""
    rng = random.Random(seed)
    records: list[dict[str, Any]] = []
    for k, text in enumerate(PARAGRAPHS):
        words = text.split()
        variants = [
            _edit(text, rng, 0.03),  # a light edit, before its original in input order
            text,
            text.upper(),  # an exact copy (case aside)
            " ".join(words[: len(words) // 2]),  # a partial copy
            _edit(text, rng, 0.12),  # a heavier edit
            " ".join(words[len(words) // 3 :] + words[: len(words) // 3]),  # reordered
        ]
        for v, variant in enumerate(variants):
            record: dict[str, Any] = {"id": f"p{k}v{v}", "text": variant, "n": len(records)}
            if k == 1 and v in (3, 4):
                record["published"] = f"2026-05-0{v}"
            records.append(record)
    for u in range(8):
        records.append({"text": " ".join(rng.choice(FILLER) for _ in range(60)), "u": u})
    rng.shuffle(records)
    lines = [json.dumps(r) for r in records]
    lines.insert(4, '{"id": "broken", "text": ')
    lines.insert(9, json.dumps({"id": "empty", "text": "   "}))
    lines.insert(12, "[1, 2]")
    lines.insert(15, "")
    return lines


@pytest.fixture
def corpus_file(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(corpus_lines()) + "\n", encoding="utf-8")
    return path


def local_dedup(path: Path, out: Path) -> list[dict[str, Any]]:
    result = CliRunner().invoke(app, ["dedup", str(path), "--out", str(out), "--quiet"])
    assert result.exit_code == 1, result.output  # the local command exits 1 on bad lines
    return [json.loads(x) for x in out.read_text().splitlines()]


@pytest.mark.parametrize("partitions", [1, 2, 7])
def test_dedup_equals_local(spark: Any, corpus_file: Path, tmp_path: Path, partitions: int) -> None:
    from newsfold.engines.spark_dataset import SparkDeduper, dedup_spark

    expected = local_dedup(corpus_file, tmp_path / "local.jsonl")
    out = tmp_path / f"spark{partitions}.jsonl"
    summary = dedup_spark(
        [str(corpus_file)], str(out), SparkDeduper(), spark=spark, partitions=partitions
    )
    found = [json.loads(x) for x in out.read_text().splitlines()]
    assert found == expected
    relations = {r["relation"] for r in found}
    assert {"original", "duplicate", "near_duplicate", "partial", "unique"} <= relations
    assert summary.records == len(found) == 26 and summary.rejects == 3
    rejects = [json.loads(x) for x in Path(f"{out}.rejects.jsonl").read_text().splitlines()]
    assert [r["location"] for r in rejects] == [f"{corpus_file}:{n}" for n in (5, 10, 13)]
    assert rejects[0]["reason"].startswith("malformed JSON")
    assert rejects[1]["reason"] == "no text" and "JSON object" in rejects[2]["reason"]


def test_giant_bucket_of_boilerplate(spark: Any, tmp_path: Path) -> None:
    """Two thousand copies of one boilerplate text: one group, kept = first, every other a
    duplicate, and the same as locally; pairs stay linear in the bucket size, and the group's
    kept record is chosen row by row (above ``in_memory_group``)."""
    from newsfold.engines.spark_dataset import SparkDeduper, dedup_spark
    from newsfold.engines.spark_io import read_inputs

    boiler = "Subscribe to our newsletter for the latest headlines delivered to your inbox daily."
    lines = [json.dumps({"text": boiler if i % 40 else PARAGRAPHS[i % 3]}) for i in range(2000)]
    lines[700] = json.dumps({"text": boiler.upper() + " Read more.", "published": "2026-01-02"})
    path = tmp_path / "boiler.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    deduper = SparkDeduper(in_memory_group=100)
    records = read_inputs(spark, [str(path)]).records()
    sketch = deduper.sketch(records)
    assert deduper.candidate_pairs(sketch).count() < 4 * 2000  # not 2000²/2
    out = tmp_path / "out.jsonl"
    dedup_spark([str(path)], str(out), deduper, spark=spark, partitions=2)
    found = [json.loads(x) for x in out.read_text().splitlines()]
    assert found == local_dedup_ok(path, tmp_path / "local.jsonl")
    boilers = [r for r in found if r["text"] == boiler]
    assert len({r["dup_group"] for r in boilers}) == 1 and len(boilers) == 1949
    dated = found[700]
    assert dated["kept"] and dated["dup_group"] == boilers[0]["dup_group"]  # earliest published
    assert not any(r["kept"] for r in boilers)
    assert all(r["relation"] == "near_duplicate" for r in boilers)


def local_dedup_ok(path: Path, out: Path) -> list[dict[str, Any]]:
    result = CliRunner().invoke(app, ["dedup", str(path), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    return [json.loads(x) for x in out.read_text().splitlines()]


def local_stories(path: Path, encoder: Any) -> list[tuple[int, float]]:
    """Stories as the local ``newsfold cluster`` places them, with ``encoder``."""
    from newsfold.cli import _text_records
    from newsfold.dataset import open_dataset
    from newsfold.dates import parse_datetime
    from newsfold.stories import StoryClusterer, StoryRecord

    with open_dataset(str(path)) as data:
        records = [
            StoryRecord(text, record.get("title"), parse_datetime(record.get("published")))
            for _, record, text in _text_records(data)
        ]
    clusterer = StoryClusterer(threshold=0.5, encoder=encoder).fit(records)
    return [
        (s, round(p, 4)) for s, p in zip(clusterer.labels_, clusterer.probability_, strict=True)
    ]


@pytest.mark.parametrize("partitions", [1, 7])
def test_cluster_equals_local(
    spark: Any, corpus_file: Path, tmp_path: Path, partitions: int
) -> None:
    from newsfold.embed import FakeEncoder
    from newsfold.engines.spark_dataset import cluster_spark

    expected = local_stories(corpus_file, FakeEncoder())
    out = tmp_path / "stories.parquet"
    summary = cluster_spark(
        [str(corpus_file)], str(out), encoder=FakeEncoder(), spark=spark, partitions=partitions
    )
    rows = spark.read.parquet(str(out / "records")).orderBy("key").collect()
    assert [(r["story"], r["story_probability"]) for r in rows] == expected
    assert len({s for s, _ in expected}) > 3  # the paragraphs' stories apart
    assert summary.rejects == 3 and spark.read.parquet(str(out / "rejects")).count() == 3
    assert json.loads(rows[0]["record"]) == json.loads(corpus_lines()[0])


def test_cli_engine_spark_parquet_in_and_refusals(
    spark: Any, corpus_file: Path, tmp_path: Path
) -> None:
    # Parquet in (the corpus's good records), JSON Lines out, through the command line.
    good = [json.loads(x) for x in corpus_lines() if x.startswith("{") and x.endswith("}")]
    table = tmp_path / "in.parquet"
    spark.createDataFrame(
        [(r.get("id"), r["text"]) for r in good], "id string, text string"
    ).coalesce(1).write.parquet(str(table))
    out = tmp_path / "out.jsonl"
    runner = CliRunner()
    result = runner.invoke(
        app, ["dedup", str(table), "--out", str(out), "--engine", "spark", "--partitions", "3"]
    )
    assert result.exit_code == 0, result.output
    assert "reject(s)" in result.stderr and "group(s)" in result.stderr
    found = [json.loads(x) for x in out.read_text().splitlines()]
    with_text = [r["text"] for r in good if r["text"].strip()]
    assert [r["text"] for r in found] == with_text and len(with_text) == len(good) - 1
    rejects = [json.loads(x) for x in Path(f"{out}.rejects.jsonl").read_text().splitlines()]
    assert [r["reason"] for r in rejects] == ["no text"]  # written, not lost
    semantic = runner.invoke(
        app, ["dedup", str(table), "--engine", "spark", "--mode", "semantic", "-o", str(out)]
    )
    assert semantic.exit_code == 2 and "--mode lexical only" in semantic.stderr


def test_read_inputs_locations_and_unreadable_files(spark: Any, tmp_path: Path) -> None:
    import bz2

    from newsfold.engines.spark_io import KEY_LINES, read_inputs

    first = tmp_path / "a.jsonl"
    first.write_text('{"text": "one"}\n{"body": "two", "id": 7}\n')
    packed = tmp_path / "b.jsonl.bz2"
    packed.write_bytes(bz2.compress(b'{"text": "three"}\n'))
    cut = tmp_path / "c.jsonl.gz"
    with gzip.open(cut, "wb") as fh:
        fh.write(b'{"text": "four"}\n' * 2000)
    cut.write_bytes(cut.read_bytes()[:-30])  # truncated
    folder = tmp_path / "parts.parquet"  # a Parquet folder of three parts
    spark.createDataFrame([(f"row {i}",) for i in range(9)], "text string").repartition(
        3
    ).write.parquet(str(folder))
    paths = [str(first), str(packed), str(cut), str(tmp_path / "missing.jsonl"), str(folder)]
    read = read_inputs(spark, paths)
    assert len(read.files) == 7
    from_parts = read.records().where("file_index >= 4").collect()
    assert sorted(r["text"] for r in from_parts) == [f"row {i}" for i in range(9)]
    assert {r["file_index"] for r in from_parts} == {4, 5, 6}
    assert all(r["key"] == r["file_index"] * KEY_LINES + r["line"] for r in from_parts)
    assert sorted(r["line"] for r in from_parts) == [1, 1, 1, 2, 2, 2, 3, 3, 3]
    records = read.records().where("file_index < 4").orderBy("key").collect()
    assert [(r["file_index"], r["line"]) for r in records[:2]] == [(0, 1), (0, 2)]
    assert records[1]["key"] == 2 and records[1]["text"] == "two"  # the alias 'body' read
    assert json.loads(records[1]["record"]) == {"body": "two", "id": 7}  # the input as given
    assert json.loads(records[1]["fields"])["id"] == "7"
    assert all(r["file_index"] == 2 and r["key"] == 2 * KEY_LINES + r["line"] for r in records[2:])
    rejects = {r["location"]: r["reason"] for r in read.rejects().collect()}
    assert set(rejects) == {str(packed), str(cut), paths[3]}
    assert rejects[str(packed)].startswith("bzip2 archive")
    assert "damaged or truncated" in rejects[str(cut)] and "no such file" in rejects[paths[3]]
    with pytest.raises(ValueError, match="standard input"):
        read_inputs(spark, ["-"])


def test_submit_entry_point_writes_parquet(spark: Any, corpus_file: Path, tmp_path: Path) -> None:
    """``spark-submit spark_dataset.py dedup IN --out OUT.parquet``, called in-process."""
    from newsfold.engines.spark_dataset import main

    expected = local_dedup(corpus_file, tmp_path / "local.jsonl")
    out = tmp_path / "out.parquet"
    assert main(["dedup", str(corpus_file), "--out", str(out), "--partitions", "2"]) == 0
    rows = spark.read.parquet(str(out / "records")).orderBy("key").collect()
    assert [r["dup_of"] for r in rows] == [
        None if e["dup_of"] is None else str(e["dup_of"]) for e in expected
    ]
    assert [r["dup_group"] for r in rows] == [e["dup_group"] for e in expected]
    locations = sorted(r["location"] for r in spark.read.parquet(str(out / "rejects")).collect())
    assert locations == sorted(f"{corpus_file}:{n}" for n in (5, 10, 13))
    assert main(["dedup", str(corpus_file), "--out", str(out), "--partitions", "0"]) == 2
