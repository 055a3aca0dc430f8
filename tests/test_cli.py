"""The command line through Typer's CliRunner: outputs, --json, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsfold.cli import app

runner = CliRunner()


def run(*args: str | Path, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args], input=input)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cli.db"


def test_help_on_every_command() -> None:
    code, out, _ = run("--help")
    assert code == 0
    commands = ["ingest", "articles", "show", "search", "export", "stats"]
    for command in commands:
        assert command in out
        code, out_cmd, _ = run(command, "--help")
        assert code == 0 and "--db" in out_cmd


def test_ingest_ok_then_idempotent(db: Path, fixtures: Path) -> None:
    code, _, err = run("ingest", fixtures / "feed_rss.xml", "--db", db)
    assert code == 0
    assert "Stored 3 new article(s)" in err
    code, out, _ = run("ingest", fixtures / "feed_rss.xml", "--db", db, "--json")
    assert code == 0
    report = json.loads(out)
    assert report["added"] == 0 and report["already_present"] == 3 and report["stored_total"] == 3


def test_failed_input_gives_exit_1_and_report(db: Path, fixtures: Path, tmp_path: Path) -> None:
    code, out, _ = run(
        "ingest", fixtures / "other_schema.jsonl", tmp_path / "missing", "--db", db, "--json"
    )
    assert code == 1
    report = json.loads(out)
    assert report["added"] == 2 and report["failed"] == 3
    locations = {p["location"] for p in report["problems"]}
    assert str(tmp_path / "missing") in locations
    assert f"{fixtures / 'other_schema.jsonl'}:3" in locations


def test_usage_errors_exit_2(db: Path, fixtures: Path) -> None:
    assert run("ingest", "--db", db)[0] == 2  # no path
    assert run("ingest", fixtures, "--format", "pdf", "--db", db)[0] == 2
    assert run("ingest", fixtures, "--field", "nonsense", "--db", db)[0] == 2
    assert run("articles", "--since", "someday", "--db", db)[0] == 2
    assert run("no-such-command")[0] == 2


def test_field_option(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(
        '{"copy": "The tram strike ends today. Drivers agreed.", "day": "2026-04-16"}\n'
    )
    code, _, _ = run("ingest", path, "--db", db, "--field", "text=copy", "--field", "published=day")
    assert code == 0
    code, out, _ = run("articles", "--db", db, "--json")
    (record,) = json.loads(out)
    assert record["text"] == "The tram strike ends today. Drivers agreed."
    assert record["published"] == "2026-04-16T00:00:00+00:00"


def test_articles_json_filters_and_table(db: Path, fixtures: Path) -> None:
    run("ingest", fixtures, "--db", db, "--quiet")
    code, out, _ = run("articles", "--db", db, "--json")
    records = json.loads(out)
    assert code == 0 and len(records) >= 10
    for r in records:
        assert set(r) >= {"id", "title", "text", "source", "published", "language"}
    code, out, _ = run("articles", "--db", db, "--json", "--language", "fr")
    assert {r["language"] for r in json.loads(out)} == {"fr"}
    code, out, _ = run(
        "articles", "--db", db, "--json", "--since", "2026-04-06", "--until", "2026-04-06"
    )
    assert {r["published"][:10] for r in json.loads(out)} == {"2026-04-06"}
    code, out, _ = run("articles", "--db", db)
    assert code == 0 and "article(s) in" in out


def test_show_and_search(db: Path, fixtures: Path) -> None:
    run("ingest", fixtures / "wire_story.txt", "--db", db, "--quiet")
    code, out, _ = run("search", "night shifts", "--db", db, "--json")
    (hit,) = json.loads(out)
    assert code == 0 and "«night» «shifts»" in hit["snippet"]
    code, out, _ = run("show", hit["id"][:8], "--db", db, "--json")
    detail = json.loads(out)
    assert detail["id"] == hit["id"]
    first = detail["sentences"][0]
    assert detail["text"][first["start"] : first["end"]].startswith("HARBOUR CITY")
    assert {b["reason"] for b in detail["boilerplate"]} >= {"photo credit", "byline"}
    code, out, _ = run("show", hit["id"], "--db", db)
    assert code == 0 and "removed:" in out
    assert run("show", "nope", "--db", db)[0] == 1


def test_export_round_trips(db: Path, fixtures: Path, tmp_path: Path) -> None:
    run("ingest", fixtures, "--db", db, "--quiet")
    dump = tmp_path / "dump.jsonl"
    code, _, _ = run("export", "--db", db, "--out", dump)
    assert code == 0
    other = tmp_path / "other.db"
    code, _, _ = run("ingest", dump, "--db", other, "--quiet")
    assert code == 0
    _, before, _ = run("articles", "--db", db, "--json")
    _, after, _ = run("articles", "--db", other, "--json")
    assert json.loads(before) == json.loads(after)
    _, again, _ = run("export", "--db", other)
    assert again == dump.read_text()


def test_stdin_and_stats(db: Path) -> None:
    data = '{"text": "Piped story. It arrived.", "source": "pipe", "language": "en"}\n'
    code, _, _ = run("ingest", "-", "--db", db, input=data)
    assert code == 0
    code, out, _ = run("stats", "--db", db, "--json")
    stats = json.loads(out)
    assert stats["articles"] == 1 and stats["sources"] == {"pipe": 1}


def test_bad_db_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database" * 200)
    code, _, err = run("articles", "--db", bad)
    assert code == 1 and "cannot open" in err


def test_python_m_and_entry_point(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "newsfold", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and result.stdout.startswith("newsfold ")
