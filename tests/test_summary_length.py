"""The summary's length in words: through the engine, the CLI (run, report) and the stored
reports' key (a report built at one length is never read back at another); and which sentences
a summary may hold."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newsfold.article import build_article
from newsfold.cli import app
from newsfold.summary import _dateline, _whole

from .test_claims import STORY


def test_summary_length_is_part_of_the_stored_report_key(tmp_path: Path) -> None:
    from newsfold.embed import Encoders
    from newsfold.engines.local import LocalEngine
    from newsfold.store import Store

    with Store(tmp_path / "w.db") as store:
        for raw in STORY:
            store.add(build_article({**raw, "language": "en"}))
        LocalEngine(store, Encoders.fake()).fold()

        def summary(words: int | None) -> list[str]:
            report = LocalEngine(store, Encoders.fake(), summary_words=words).report()
            story = max(report["stories"], key=lambda s: s["counts"]["articles"])
            return [s["text"] for s in story["summary"]]

        default = summary(None)
        short = summary(10)  # two sentences of 6 words or more never fit in 10
        assert len(short) == 1 and len(default) > 1
        assert summary(None) == default  # not the 10-word report read back
        assert summary(10) == short


def test_run_and_report_take_summary_words(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for raw in STORY:
        (folder / f"{raw['id']}.txt").write_text(f"Ferry sinks\n\n2 April 2026\n\n{raw['text']}")
    db, out = tmp_path / "r.db", tmp_path / "out"
    runner = CliRunner()

    def lengths() -> list[int]:
        data = json.loads((out / "report.json").read_text())
        story = max(data["stories"], key=lambda s: s["counts"]["articles"])
        return [len(s["text"].split()) for s in story["summary"]]

    args = ["--db", str(db), "--out", str(out), "--format", "json", "-q"]
    ran = runner.invoke(app, ["run", str(folder), *args, "--summary-words", "10"])
    assert ran.exit_code == 0, ran.stderr
    assert len(lengths()) == 1
    again = runner.invoke(app, ["report", *args, "--summary-words", "400"])
    assert again.exit_code == 0, again.stderr
    assert len(lengths()) > 1
    bad = runner.invoke(app, ["report", *args, "--summary-words", "0"])
    assert bad.exit_code == 2


def test_datelines_are_cut_whole_and_captions_are_not_news() -> None:
    for text, rest in (
        ("WASHINGTON, May 21 (NNN-AGENCIES) — US Secretary of State Antony Blinken will go.", "US"),
        ("VALMORA, March 3 (Meridian) — The port reopened on Tuesday after the storm.", "The"),
        ("WASHINGTON (AP) -- The Senate passed the bill late on Tuesday night.", "The"),
    ):
        assert text[_dateline(text) :].startswith(rest)
    assert _dateline("Well-known writer Jane Roe said the vote was close.") == 0
    for caption in (
        "FILE - In this May 4, 2001, file photo, a man looks at a battery of cameras.",
        "The encampment is seen before the deadline in Los Angeles. (AP Photo/Jae C. Hong)",
        "Below is the statement the ministry released on Friday evening:",
        "For the top stories in tech, follow us on Twitter at @PCMag.",
    ):
        assert not _whole(caption), caption
    assert _whole("The ministry released a statement on Friday evening about the photo.")
