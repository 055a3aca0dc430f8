"""Publication dates checked against the dates the texts state: suspect dates are marked, shown,
and kept out of story spans, timelines and placement; retrospective articles are not flagged."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from newsfold.article import build_article
from newsfold.cli import app
from newsfold.dates import check_published, date_check, effective_date
from newsfold.describe import describe_story
from newsfold.report.stories import story_report, write
from newsfold.stages.place import record_of

#: A text file as a site saves it: a date line years off, photo captions that date the news.
SPUN = (
    "November 30, 2023\n\n"
    "Rescuers search the water off Karsvik on April 2, 2026.\n\n"
    "Jane Roe | Getty Images\n\n"
    "The Karsvik ferry sank on Wednesday, killing 14 people, the coast guard said. At least 40 "
    "passengers were rescued from the cold water by fishing boats.\n\n"
    "Families wait for news at the Karsvik harbour on April 3, 2026.\n\n"
    "John Doe | Reuters\n\n"
    "The coast guard chief said the wreck had been located in deep water and that divers "
    "would search it on Thursday."
)


def spun() -> object:
    return build_article({"id": "spun", "text": SPUN, "language": "en"})


def test_a_dateline_years_off_its_captions_is_suspect() -> None:
    article = spun()
    assert article.published == datetime(2023, 11, 30, tzinfo=UTC)
    check = date_check(article)
    assert check.suspect
    assert check.likely == (date(2026, 4, 2), date(2026, 4, 3))
    assert "April 2026" in check.reason and "after this date" in check.reason
    # The evidence points at the removed caption lines, by offsets.
    found = {
        article.boilerplate[e.line]["line"][e.start : e.end]
        for e in check.evidence
        if e.where == "removed" and e.line is not None
    }
    assert found == {"April 2, 2026", "April 3, 2026"}
    assert effective_date(article) is None
    assert record_of(article).published is None  # story placement never reads it


def test_a_date_that_agrees_is_not_suspect() -> None:
    fine = build_article(
        {"id": "ok", "text": SPUN.replace("November 30, 2023", "April 3, 2026"), "language": "en"}
    )
    assert not date_check(fine).suspect
    assert effective_date(fine) == datetime(2026, 4, 3, tzinfo=UTC)


PUBLISHED = datetime(2023, 6, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("why", "text"),
    [
        (
            "anniversary",
            "Two years ago, on May 23, 2021, the ceasefire took hold. On May 24, 2021, Blinken "
            "flew to the region. Survivors gathered on Saturday to mark the anniversary.",
        ),
        (
            "a stated date near publication",
            "The trial that opened on June 8, 2023 concerns the attack of May 23, 2021. Witnesses "
            "recalled May 24, 2021 in court.",
        ),
        (
            "background spread over years",
            "The law passed on March 3, 2009 and was amended on July 1, 2015. It was challenged "
            "on May 2, 2019. The court ruled on Friday.",
        ),
        (
            "the text names the publication year",
            "The attack on May 23, 2021 and the raid of May 24, 2021 are at the centre of the "
            "case. Prosecutors said in 2023 that they would seek a retrial.",
        ),
        (
            "the dates are deep in the text",
            "Prosecutors opened the case against the two men on Thursday, saying they had "
            "planned the attack for months. " * 8 + "The attack took place on May 23, 2021; the "
            "raid on May 24, 2021.",
        ),
        (
            "one date only",
            "The company, founded on May 23, 2021, said on Friday that it would close two "
            "factories and cut 300 jobs.",
        ),
        (
            "dates to come",
            "The vote will be held on November 5, 2023, officials said, and the count is "
            "expected to end by November 7, 2023.",
        ),
    ],
)
def test_old_dates_cited_as_background_are_not_suspect(why: str, text: str) -> None:
    check = check_published(text, PUBLISHED)
    assert not check.suspect, why


def test_a_text_whose_own_dates_cluster_far_from_it_is_suspect() -> None:
    """The same kind of text as above, written without any sign of looking back."""
    text = (
        "On May 23, 2021, Israel and Hamas agreed to a ceasefire. Blinken flew to the region "
        "on May 24, 2021 to meet leaders in Jerusalem and Ramallah."
    )
    check = check_published(text, PUBLISHED)
    assert check.suspect and check.likely == (date(2021, 5, 23), date(2021, 5, 24))
    assert [text[e.start : e.end] for e in check.evidence] == ["May 23, 2021", "May 24, 2021"]
    assert not check_published(text, datetime(2021, 5, 25, tzinfo=UTC)).suspect
    assert not check_published(text, None).suspect


def test_file_photo_captions_are_not_evidence() -> None:
    text = SPUN.replace("Rescuers search", "FILE PHOTO: Rescuers search").replace(
        "Families wait", "File photo: families wait"
    )
    article = build_article({"id": "file", "text": text, "language": "en"})
    assert not date_check(article).suspect


def test_story_view_and_report_set_a_suspect_date_aside() -> None:
    others = [
        build_article(
            {
                "id": f"a{k}",
                "text": "A ferry sank off Karsvik on Wednesday, killing 14 people, the coast "
                f"guard said. Rescuers searched the water for survivors ({k}).",
                "language": "en",
                "published": day,
            }
        )
        for k, day in ((1, "2026-04-02T08:00:00Z"), (2, None))
    ]
    articles = {a.id: a for a in [spun(), *others]}
    members = [(i, 1.0) for i in articles]
    leads = np.ones((len(members), 4), dtype=np.float32)
    story = describe_story("s1", members, articles, [], leads)
    # The suspect 2023 date is not the story's start: its captions' April 2026 days count.
    assert story.first == datetime(2026, 4, 2, tzinfo=UTC)
    assert story.last == datetime(2026, 4, 3, tzinfo=UTC)
    spun_member = next(m for m in story.members if m.article == "spun")
    assert spun_member.date_suspect and spun_member.effective is None
    data = story_report(story, articles, None, [], None)
    assert [d["article"] for d in data["suspect_dates"]] == ["spun"]
    assert not any(e["when"].startswith("2023") for e in data["timeline"])
    source = next(m for m in data["sources"] if m["id"] == "spun")
    assert source["published"].startswith("2023-11-30") and source["published_suspect"]
    page = json.loads(json.dumps(data))  # what a stored report reads back as
    md = _render(page, "md")
    assert "**Suspect date:**" in md and "(suspect)" in md
    assert "2026-04-02 to 2026-04-03 (1 suspect publication date set aside)" in md
    html = _render(page, "html")
    assert "Suspect date:" in html and "class=suspect" in html


def _render(story: dict, fmt: str) -> str:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        write({"schema": "newsfold.report/1", "generated": "now", "stories": [story]}, out, [fmt])
        name = next((out / "stories").iterdir())
        return name.read_text() + (out / f"index.{fmt}").read_text()


def test_the_seeds_story_is_dated_may_2021(seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = CliRunner().invoke(
        app, ["run", str(seeds), "--db", str(tmp_path / "s.db"), "--out", str(out), "-q"]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads((out / "report.json").read_text())
    story = max(data["stories"], key=lambda s: s["counts"]["articles"])
    assert story["counts"]["articles"] == 5
    assert story["first"][:7] == "2021-05" and story["last"][:7] == "2021-05"
    [suspect] = story["suspect_dates"]
    assert suspect["published"].startswith("2023-11-30") and "May 2021" in suspect["reason"]
    assert not any(e["when"].startswith("2023") for e in story["timeline"])
    index = (out / "index.md").read_text()
    assert "2021-05-23 to 2021-05-24" in index and "2023-11-30" not in index


def test_web_shows_suspect_dates_and_takes_a_summary_length(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from newsfold.embed import Encoders
    from newsfold.engines.local import analyse
    from newsfold.store import Store
    from newsfold.web.app import create_app

    from .test_claims import STORY

    path = tmp_path / "web.db"
    with Store(path) as store:
        for raw in STORY:
            store.add(build_article({**raw, "language": "en"}))
        store.add(spun())
        analyse(store, encoders=Encoders.fake())
        story_of_spun = store.story_of("spun")
        ferry = store.story_of("a1")
    with TestClient(create_app(path), base_url="http://127.0.0.1") as c:
        article = c.get("/api/articles/spun").json()
        assert article["published_check"]["suspect"]
        contexts = [e["context"] for e in article["published_check"]["evidence"]]
        assert any("Rescuers search the water off Karsvik" in x for x in contexts)
        page = c.get("/articles/spun").text
        assert "suspect date" in page and "removed photo caption" in page
        story_page = c.get(f"/stories/{story_of_spun}").text
        assert "Suspect date:" in story_page
        listed = c.get("/api/stories").json()["items"]
        entry = next(s for s in listed if s["id"] == story_of_spun)
        assert entry["suspect_dates"] == 1 and not (entry["first"] or "").startswith("2023")
        assert "suspect date set aside" in c.get("/").text
        rows = c.get("/api/articles").json()["items"]
        assert [r["id"] for r in rows if r["published_suspect"]] == ["spun"]
        assert 'class="badge suspect"' in c.get("/articles").text
        short = c.get(f"/api/stories/{ferry}", params={"summary_words": 10}).json()
        full = c.get(f"/api/stories/{ferry}").json()
        assert len(short["summary"]) == 1 < len(full["summary"])
        assert c.get(f"/api/stories/{ferry}", params={"summary_words": 0}).status_code == 422
        page = c.get(f"/stories/{ferry}", params={"summary_words": 10}).text
        assert page.count('<span class="sentence">') == 1


def test_direction_ignores_a_suspect_date() -> None:
    from newsfold.relations import compare

    body = (
        "The Karsvik ferry sank on Wednesday, killing 14 people, the coast guard said. At least "
        "40 passengers were rescued from the cold water by fishing boats. The coast guard chief "
        "said the wreck had been located in deep water and that divers would search it."
    )
    wire = build_article(
        {"id": "wire", "text": body, "language": "en", "published": "2026-04-02T08:00:00Z"}
    )
    early = "November 30, 2023\n\n" + SPUN.split("\n\n", 1)[1].replace(
        "John Doe | Reuters", "John Doe | Reuters\n\n" + body
    )
    copy = build_article({"id": "copy", "text": early, "language": "en"})
    assert date_check(copy).suspect
    relation = compare(wire, copy)
    assert not any("published first" in r for r in relation.direction.reasons)
