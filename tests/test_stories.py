"""Story folding: near-miss events kept apart, batch = increments, dataset command."""

from __future__ import annotations

import json
import os
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from newsfold.cli import app
from newsfold.store import Store
from newsfold.stories import StoryClusterer, StoryRecord, tfidf_cosine

from .conftest import DEMO


@pytest.fixture(scope="module")
def demo_records() -> tuple[list[StoryRecord], list[str]]:
    """The demo articles in time order (undated last, by id) with their true events."""
    truth = json.loads((DEMO / "truth.json").read_text())
    event = {a["path"].split("corpus/")[-1]: a["event"] for a in truth["articles"]}
    with Store(":memory:") as store:
        store.ingest([DEMO / "corpus"])
        articles = list(store.articles())
    far = datetime.max.replace(tzinfo=UTC)
    articles.sort(key=lambda a: (a.published or far, a.id))
    records = [StoryRecord(a.text, a.title, a.published) for a in articles]

    def key(origin: str, article_id: str) -> str:
        path = origin.split("corpus/")[-1]
        if path in event:
            return path
        return f"{path.rsplit(':', 1)[0]}#{article_id}"  # a JSON lines record, by its id

    events = [event[key(a.origin or "", a.id)] for a in articles]
    return records, events


def _groups(labels: list[int], events: list[str]) -> dict[str, set[int]]:
    stories: dict[str, set[int]] = defaultdict(set)
    for label, ev in zip(labels, events, strict=True):
        stories[ev].add(label)
    return stories


def test_demo_events_fold_and_near_miss_quakes_stay_apart(
    demo_records: tuple[list[StoryRecord], list[str]],
) -> None:
    records, events = demo_records
    labels = StoryClusterer().fit(records).labels_
    stories = _groups(labels, events)
    assert len(stories["valmora-explosion"]) == 1  # copies, rewrites, translation, update
    assert len(stories["kestria-quake-orlen"]) <= 2
    orlen, tarsk = stories["kestria-quake-orlen"], stories["kestria-quake-tarsk"]
    assert not orlen & tarsk  # two earthquakes in one region, one week apart
    for ev, s in stories.items():
        others = set().union(*(v for k, v in stories.items() if k != ev))
        assert not s & others, ev


def test_increments_give_the_batch_stories(
    demo_records: tuple[list[StoryRecord], list[str]],
) -> None:
    records, _ = demo_records
    batch = StoryClusterer().fit(records)
    step = StoryClusterer()
    for start in range(0, len(records), 4):
        step.partial_fit(records[start : start + 4])
    assert step.labels_ == batch.labels_
    assert step.n_stories_ == batch.n_stories_
    before = list(step.labels_)
    assert step.predict(records[:3]) == before[:3]  # predicting learns nothing
    assert step.labels_ == before


class _Encoder:
    """Leads of one topic at a cosine of 0.75 (each text its own direction off the topic's)."""

    name, dim = "fake", 8

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim))
        for row, t in enumerate(texts):
            out[row, 0 if "quake" in t else 1] = 1.0
            out[row, 2 + self.seen.setdefault(t, len(self.seen))] = 0.58
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_time_and_links_decide_when_text_cannot() -> None:
    day = datetime(2026, 3, 9, tzinfo=UTC)
    quake = "A quake struck Orlen on Monday, killing 23 people, Mayor Ilse Brandt said."
    records = [
        StoryRecord(quake, "Quake in Orlen", day),
        StoryRecord(quake.replace("23", "25"), "Orlen quake toll", day),
        StoryRecord("A quake hit Tarsk on Friday; Mayor Tomas Revik said four died.", None, None),
        StoryRecord("Budget vote in Lindholt: council passes plan.", None, None),
        StoryRecord("Council members in Lindholt argued about the budget.", None, None),
    ]
    c = StoryClusterer(encoder=_Encoder()).fit(records, links=[None, None, None, None, 3])
    assert c.labels_[0] == c.labels_[1] != c.labels_[2]  # same names and day; other names
    assert c.labels_[4] == c.labels_[3] and c.probability_[4] == 1.0  # a reuse link decides


_LEAGUE = (
    "{home} beat {away} {score} on Saturday. Goals from John {scorer} and David {other} settled it "
    "before a crowd of {crowd}. Speaking after the match, Ruth {manager}, the {home} manager, "
    'said: "We deserved it." Supporters stayed long after the whistle. Officials confirmed the '
    "result on Sunday. Both clubs play again next Saturday."
)
_COURT = (
    "A court in {city} on Thursday sentenced Marta {defendant}, a former {role}, to {years} years "
    "in prison for taking bribes worth {money} euros. Judge Peter {judge} said the damage to "
    "public trust was serious. Prosecutors had asked for a longer term. Lawyers for the defence "
    "said they would appeal. Officials declined to comment on Friday."
)


def test_template_reports_of_different_events_stay_apart_and_rewrites_join() -> None:
    """League results and court reports written from one template each, about different
    matches and cases on one day: they share the template's wording, its capitalised words and
    first names, never a whole name, and stay apart; a rewrite of one keeps its names and joins
    it."""
    day = datetime(2026, 10, 17, 18, 0, tzinfo=UTC)
    matches = [
        ("Brennick United", "Harlow Athletic", "3-1", "Okafor", "Marek", "24,312", "Calloway"),
        ("Castlemere Rovers", "Dunmore Town", "2-0", "Pardew", "Lindqvist", "18,950", "Halloran"),
        ("Eastwick Albion", "Fenlow City", "4-2", "Mensah", "Kovacs", "11,407", "Lund"),
        ("Greyford Wanderers", "Ilsham Forest", "1-0", "Adeyemi", "Brannigan", "9,226", "Sorensen"),
    ]
    cases = [
        ("Orlen", "Kessel", "port director", "9", "420,000", "Vance"),
        ("Tarsk", "Ilic", "deputy mayor", "6", "180,000", "Oduya"),
        ("Lindholt", "Brandvik", "customs chief", "11", "730,000", "Szabo"),
    ]
    texts = [
        _LEAGUE.format(home=h, away=a, score=s, scorer=g1, other=g2, crowd=n, manager=m)
        for h, a, s, g1, g2, n, m in matches
    ] + [
        _COURT.format(city=c, defendant=d, role=r, years=y, money=e, judge=j)
        for c, d, r, y, e, j in cases
    ]
    events = [f"match {k}" for k in range(len(matches))] + [f"case {k}" for k in range(len(cases))]
    texts.append(
        "John Okafor and David Marek were on target as Brennick United saw off Harlow Athletic "
        "3-1, and Ruth Calloway said her Brennick United side had earned the win in front of "
        "24,312."
    )
    events.append("match 0")
    texts.append(
        "Marta Kessel, who ran the Orlen port, will spend 9 years behind bars after judge Peter "
        "Vance found she had accepted 420,000 euros in bribes; her lawyers plan an appeal."
    )
    events.append("case 0")
    labels = StoryClusterer().fit([StoryRecord(t, None, day) for t in texts]).labels_
    stories = _groups(labels, events)
    assert all(len(s) == 1 for s in stories.values()), stories  # each rewrite joined its event
    assert len({next(iter(s)) for s in stories.values()}) == len(stories)  # no two events share


def test_tfidf_cosine_weights_rare_terms() -> None:
    idf = {"orlen": 3.0, "monday": 1.0, "tarsk": 3.0}.__getitem__
    story = {"orlen": 2, "monday": 2}
    assert tfidf_cosine({"orlen", "monday"}, story, idf) == pytest.approx(1.0)  # type: ignore[arg-type]
    assert tfidf_cosine({"tarsk", "monday"}, story, idf) < 0.2  # type: ignore[arg-type]
    assert tfidf_cosine(set(), story, idf) == 0.0  # type: ignore[arg-type]


def test_cluster_command(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    lines = [
        {"id": "a", "title": "Quake kills 23 in Orlen", "text": "A magnitude 6.2 earthquake "
         "struck Orlen in Davaria on Monday, killing 23 people, officials said.",
         "published": "2026-03-09"},
        {"id": "b", "text": "Twenty-three people died when a 6.2 quake hit Orlen, Davaria, on "
         "Monday, officials said."},
        {"id": "c", "text": "Brennick United beat Harlow Athletic 3-1 at Brennick Park."},
    ]  # fmt: skip
    src.write_text("\n".join(json.dumps(x) for x in lines) + "\n{broken\n")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["cluster", str(src), "--out", str(out)])
    assert result.exit_code == 1 and "in.jsonl:4" in result.stderr  # the bad line, by number
    records = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r["id"] for r in records] == ["a", "b", "c"]
    assert records[0]["story"] == records[1]["story"] != records[2]["story"]
    assert records[0]["story_probability"] == 1.0 and 0.5 <= records[1]["story_probability"] <= 1
    bad = CliRunner().invoke(app, ["cluster", str(src), "--threshold", "1.5"])
    assert bad.exit_code == 2


def test_window_blocks_stories_far_in_time() -> None:
    text = "Mayor Ilse Brandt of Orlen opened the new bridge over the Kestra river."
    march, may = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC)
    records = [StoryRecord(text, None, march), StoryRecord(text, None, may)]
    blocked = StoryClusterer(encoder=_Encoder(), window_days=30).fit(records)
    assert blocked.labels_ == [0, 1]  # two months apart: not weighed against each other
    undated = [StoryRecord(text, None, march), StoryRecord(text, None, None)]
    assert StoryClusterer(encoder=_Encoder(), window_days=30).fit(undated).labels_ == [0, 0]


def test_dates_mentioned_in_the_text_stand_in_for_a_missing_date() -> None:
    opened = "Mayor Ilse Brandt of Orlen opened the annual Kestra river fair"
    last_year = StoryRecord(f"{opened} on March 2, 2025.", None, None)
    this_year = StoryRecord(f"{opened} on 1 March 2026.", None, None)
    same_day = StoryRecord(f"{opened} on March 1, 2026, with music.", None, None)
    assert this_year.when == datetime(2026, 3, 1, tzinfo=UTC)
    apart = StoryClusterer(encoder=_Encoder()).fit([last_year, this_year]).probability_[1]
    close = StoryClusterer(encoder=_Encoder()).fit([this_year, same_day]).probability_[1]
    assert close > apart  # the time signal reads the dates the texts mention
    plain = StoryRecord(opened + ".", None, None)
    assert plain.when is None
    # Blocking reads publication dates only: a mentioned date never hides a story.
    dated = StoryRecord(opened + ".", None, datetime(2026, 6, 1, tzinfo=UTC))
    assert StoryClusterer(encoder=_Encoder()).fit([last_year, dated]).labels_ == [0, 0]


def test_probabilities_do_not_depend_on_the_hash_seed() -> None:
    """Sums over sets are exact: two processes with other string hashes place alike, to the
    last bit (the Spark engine's driver and the local engine are other processes)."""
    import subprocess
    import sys

    script = (
        "import glob\n"
        "from newsfold.stories import StoryClusterer, StoryRecord\n"
        "from newsfold.embed import FakeEncoder\n"
        f"texts = [open(f).read() for f in sorted(glob.glob({str(DEMO / 'corpus')!r} + '/*/*'))]\n"
        "c = StoryClusterer(encoder=FakeEncoder(64))\n"
        "c.partial_fit([StoryRecord(t, None, None) for t in texts])\n"
        "print([repr(p) for p in c.probability_], c.labels_)\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1 and "1.0" in outputs.pop()
