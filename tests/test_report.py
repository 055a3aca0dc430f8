"""The summary and the report: citations, no repeats, formats, escaping, run and report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsfold.article import build_article
from newsfold.cli import app
from newsfold.summary import Summarizer

from .test_claims import MORNING, STORY

HOSTILE = (
    "Flood warning for Karsvik <script>alert('x')</script> as the Lorne river rose "
    "overnight. <img src=x onerror=alert(1)> Officials said 300 homes were evacuated on "
    'Wednesday and <a href="javascript:alert(2)">roads</a> were closed near the river.'
)


def test_summary_cites_every_supporting_article_and_never_repeats() -> None:
    articles = [build_article({**a, "language": "en"}) for a in STORY]
    first = Summarizer(sentences=4).summarize(articles, {})
    again = Summarizer(sentences=4).summarize(articles, {})
    assert [s.to_dict() for s in first] == [s.to_dict() for s in again]  # deterministic
    toll = next(s for s in first if "ferry" in s.text.casefold() and "14" in s.text)
    assert {c.article for c in toll.citations} >= {articles[0].id, articles[1].id}
    assert toll.sources >= 2 and not toll.single_source
    by_id = {a.id: a.text for a in articles}
    for s in first:
        assert by_id[s.article][s.start : s.end] == s.text
        for c in s.citations:  # each citation is a sentence of the cited article
            assert 0 <= c.start < c.end <= len(by_id[c.article])
    assert len({s.text for s in first}) == len(first)
    # One source only: the same articles counted as copies of one wire story.
    wire = {a.id: "wire" for a in articles}
    assert all(s.single_source for s in Summarizer().summarize(articles, wire))


def test_run_writes_all_formats_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for raw in STORY:  # a text file: title, date line, body
        day = "2 April 2026 08:00" if raw["published"] == MORNING else "2 April 2026 20:00"
        body = f"Ferry sinks off Karsvik\n\n{day}\n\n{raw['text']}"
        (folder / f"{raw['id']}.txt").write_text(body, encoding="utf-8")
    hostile = f"Flood <b>warning</b>\n\n9 June 2026\n\n{HOSTILE}"
    (folder / "hostile.txt").write_text(hostile, encoding="utf-8")
    out = tmp_path / "report"
    db = tmp_path / "r.db"
    runner = CliRunner()
    result = runner.invoke(app, ["run", str(folder), "--db", str(db), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().endswith(str(out / "index.html"))
    data = json.loads((out / "report.json").read_text())
    assert data["schema"] == "newsfold.report/1" and data["stories"]
    order = [(-s["counts"]["articles"], s["last"] or "") for s in data["stories"]]
    assert [o[0] for o in order] == sorted(o[0] for o in order)  # largest first
    story = max(data["stories"], key=lambda s: s["counts"]["articles"])
    assert story["summary"] and story["sources"] and story["timeline"]
    assert {"headline", "facts", "quotes", "reuse", "counts"} <= set(story)
    pages = [out / "index.html", *(out / "stories").glob("*.html")]
    assert len(pages) == len(data["stories"]) + 1
    for page in pages:
        text = page.read_text()
        assert "<script" not in text and "onerror=" not in text.replace("onerror=alert", "")
        assert "javascript:" not in text.replace("javascript:alert", "") or "&lt;a" in text
    page = (out / "stories" / f"{story['id']}.html").read_text()
    for section in ("summary", "facts", "reuse", "sources", "timeline"):  # contents line
        assert f'href="#{section}"' in page and f"id={section}>" in page
    hostile = [p.read_text() for p in pages if "Lorne" in p.read_text()]
    assert hostile and any("&lt;script&gt;" in h or "&lt;img" in h for h in hostile)
    assert (out / "index.md").is_file()
    only = runner.invoke(
        app, ["report", "--db", str(db), "--out", str(tmp_path / "md"), "--format", "md",
              "--story", story["id"][:8], "-q"],
    )  # fmt: skip
    assert only.exit_code == 0 and (tmp_path / "md" / "index.md").is_file()
    assert not (tmp_path / "md" / "index.html").exists()
    bad = runner.invoke(app, ["report", "--db", str(db), "--format", "pdf"])
    assert bad.exit_code == 2
    empty = runner.invoke(app, ["report", "--db", str(tmp_path / "empty.db")])
    assert empty.exit_code == 1


def test_report_renders_stored_stories_without_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsfold.embed import Encoders
    from newsfold.engines.local import LocalEngine
    from newsfold.store import Store

    def refuses(*args: object, **kwargs: object) -> list:
        raise AssertionError("analysed again")

    with Store(tmp_path / "s.db") as store:
        engine = LocalEngine(store, Encoders.fake())
        for raw in STORY:
            store.add(build_article({**raw, "language": "en"}))
        engine.fold()
        first = engine.report()
        with monkeypatch.context() as m:
            m.setattr(Summarizer, "summarize", refuses)
            again = engine.report()  # unchanged stories: read back
        assert again["stories"] == first["stories"]
        store.add(
            build_article(
                {
                    "id": "late",
                    "text": STORY[0]["text"] + " More later.",
                    "language": "en",
                    "published": "2026-04-03T08:00:00Z",
                }
            )
        )
        engine.fold()
        monkeypatch.setattr(Summarizer, "summarize", refuses)
        with pytest.raises(AssertionError, match="analysed again"):
            engine.report()  # the story gained an article: analysed anew


def test_analyse_continues_from_the_store(tmp_path: Path) -> None:
    from newsfold.engines.local import STAGES, analyse
    from newsfold.store import Store

    seen: list[str] = []
    with Store(tmp_path / "p.db") as store:
        for raw in STORY:
            store.add(build_article({**raw, "language": "en"}))
        first = analyse(store, lambda stage, _step, _done, _total: seen.append(stage))
        assert list(first.seconds) == list(STAGES) and first.new_articles == len(STORY)
        assert set(seen) == set(STAGES)
        again = analyse(store)  # nothing new: no article placed, the same report
        assert again.new_articles == 0 and again.new_stories == 0
        assert again.report["stories"] == first.report["stories"]


def test_summary_is_the_same_tile_by_tile(monkeypatch: pytest.MonkeyPatch) -> None:
    """Long stories are compared in tiles (bounded memory): the summary does not change."""
    import newsfold.summary as summary

    articles = [build_article({**a, "language": "en"}) for a in STORY]
    whole = Summarizer(sentences=4).summarize(articles, {})
    monkeypatch.setattr(summary, "TILE", 2)
    tiled = Summarizer(sentences=4).summarize(articles, {})
    assert [s.to_dict() for s in tiled] == [s.to_dict() for s in whole]
