from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from newsfold.cli import app
from newsfold.dedup import Deduper
from newsfold.signatures import fact_signatures, fact_tokens, jaccard

WORDS = [f"w{i}" for i in range(5000)]


def make(rng: random.Random, n: int = 300) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


@pytest.fixture
def planted() -> list[str]:
    """0: original, 1: light edit, 2: exact copy (other case), 3: first half, 4-5: unrelated."""
    rng = random.Random(0)
    original = make(rng)
    words = original.split()
    light = " ".join(w if rng.random() > 0.01 else rng.choice(WORDS) for w in words)
    return [original, light, original.upper(), " ".join(words[:150]), make(rng), make(rng)]


def test_groups_relations_and_kept_original(planted: list[str]) -> None:
    # Copies come first in input order: the original must still be the one kept. (Of two
    # exact duplicates, either may be kept: the earlier one is.)
    order = [1, 3, 0, 2, 4, 5]
    d = Deduper().fit([planted[i] for i in order])
    r = [d.result(i) for i in range(6)]
    assert r[2].kept and r[2].relation == "original"
    assert [r[i].dup_of for i in (0, 1, 3)] == [2, 2, 2]
    assert [r[i].relation for i in (0, 1, 3)] == ["near_duplicate", "partial", "duplicate"]
    assert r[3].similarity == 1.0 and r[0].similarity is not None and 0.6 < r[0].similarity < 1
    assert r[4].relation == r[5].relation == "unique" and r[4].group != r[5].group


def test_earliest_published_is_kept(planted: list[str]) -> None:
    dates = [None, datetime(2026, 1, 1, tzinfo=UTC), None, None, None, None]
    d = Deduper().fit(planted, published=dates)
    assert d.kept_[1] and not d.kept_[0]
    assert d.dup_of_[0] == 1


def test_partial_fit_equals_fit(planted: list[str]) -> None:
    whole = Deduper().fit(planted)
    parts = Deduper().partial_fit(planted[:2]).partial_fit(planted[2:5]).partial_fit(planted[5:])
    assert parts.n_seen_ == 6
    assert (whole.groups_ == parts.groups_).all() and (whole.kept_ == parts.kept_).all()
    assert list(whole.relations_) == list(parts.relations_)


def test_learned_state_needs_fit() -> None:
    with pytest.raises(AttributeError, match="learned by fit"):
        _ = Deduper().groups_


def test_dedup_command(planted: list[str], tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    lines = [json.dumps({"id": f"r{i}", "text": t, "extra": i}) for i, t in enumerate(planted)]
    lines.insert(2, "{not json")
    lines.append(json.dumps({"id": "empty", "text": ""}))
    src.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["dedup", str(src), "--out", str(out)])
    assert result.exit_code == 1  # the malformed and the empty line are reported
    assert f"{src}:3" in result.stderr and f"{src}:8" in result.stderr
    records = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r["id"] for r in records] == [f"r{i}" for i in range(6)]  # input order
    assert all(r["extra"] == i for i, r in enumerate(records))  # input fields kept
    assert records[0]["kept"] and records[0]["relation"] == "original"
    assert [r["dup_of"] for r in records[1:4]] == ["r0", "r0", "r0"]
    assert len({r["dup_group"] for r in records}) == 3
    dropped = CliRunner().invoke(app, ["dedup", str(src), "--drop", "-q"])
    kept = [json.loads(x)["id"] for x in dropped.stdout.splitlines()]
    assert kept == ["r0", "r4", "r5"]
    assert not (tmp_path / "out.jsonl.part").exists()


def test_dedup_command_usage_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["dedup", str(tmp_path / "none.jsonl")]).exit_code == 1
    src = tmp_path / "x.jsonl"
    src.write_text('{"text": "a b c"}\n')
    assert runner.invoke(app, ["dedup", str(src), "--mode", "magic"]).exit_code == 2
    assert runner.invoke(app, ["dedup", str(src), "--threshold", "2"]).exit_code == 2


class _FakeEncoder:
    """Vectors by first word: texts opening alike count as the same meaning."""

    name = "fake"
    dim = 4

    def encode(self, texts: list[str]) -> np.ndarray:
        table = {"alpha": [1, 0, 0, 0], "beta": [0, 1, 0, 0], "gamma": [0, 0, 1, 0]}
        return np.array([table.get(t.split()[0], [0, 0, 0, 1]) for t in texts], dtype=np.float32)


def test_semantic_mode_needs_the_same_names_and_numbers() -> None:
    rng = random.Random(5)
    facts = "Mayor Ilse Brandt of Orlen said 23 people died on Monday."
    other = "Mayor Tomas Revik of Tarsk said 4 people died on Friday."
    texts = [
        "alpha " + make(rng) + " " + facts,
        "alpha " + make(rng) + " " + facts.replace("said", "told reporters"),
        "alpha " + make(rng) + " " + other,  # the same lead, another event
    ]
    semantic = Deduper(mode="semantic", encoder=_FakeEncoder()).fit(texts)  # type: ignore[arg-type]
    assert semantic.groups_[0] == semantic.groups_[1] != semantic.groups_[2]


def test_fact_tokens_are_names_and_numbers() -> None:
    text = "VALMORA, June 24 — Kestrel Systems will hire 1,508 staff, said Éric López (3.5%)."
    assert fact_tokens(text) == [
        "VALMORA", "June", "24", "Kestrel", "Systems", "1,508", "Éric", "López", "3.5"
    ]  # fmt: skip
    sig = fact_signatures([text, "lower-cased text has no names.", "No facts here? Well."])
    assert (sig[1] == 0xFFFFFFFF).all()
    assert jaccard(sig[0], sig[0]) == 1.0 and jaccard(sig[0], sig[2]) < 0.2


def test_semantic_mode_links_paraphrases_lexical_mode_misses() -> None:
    rng = random.Random(4)
    texts = ["alpha " + make(rng), "alpha " + make(rng), "beta " + make(rng), "gamma " + make(rng)]
    lexical = Deduper().fit(texts)
    assert len(set(lexical.groups_.tolist())) == 4
    semantic = Deduper(mode="semantic", encoder=_FakeEncoder()).fit(texts)  # type: ignore[arg-type]
    assert semantic.groups_[0] == semantic.groups_[1] != semantic.groups_[2]
    assert semantic.relations_[1] in ("rewrite", "original") and semantic.relations_[0] in (
        "rewrite",
        "original",
    )
    with pytest.raises(ValueError, match="mode"):
        Deduper(mode="magic").fit(texts)  # type: ignore[arg-type]
