from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsfold import Article, build_article
from newsfold.article import ArticleError, article_id, source_from_url

TEXT = (
    "Dock workers returned to work on Tuesday. The strike had lasted three days.\n\n"
    "“We kept our workers,” the port director said."
)


def test_build_article_fields_and_sentence_views() -> None:
    a = build_article(
        {
            "text": TEXT,
            "title": "Strike ends",
            "url": "https://www.harbourdaily.example/news/strike",
            "published": "2026-04-07T08:00:00+02:00",
            "section": "business",
        }
    )
    assert isinstance(a, Article)
    assert a.source == "harbourdaily.example"
    assert a.published is not None and a.published.utcoffset() is not None
    assert a.language == "en"
    assert a.extra == {"section": "business"}
    assert [s.text for s in a.sentences] == [
        "Dock workers returned to work on Tuesday.",
        "The strike had lasted three days.",
        "“We kept our workers,” the port director said.",
    ]
    third = a.sentences[2]
    assert a.text[third.start : third.end] == third.text
    assert len(a) == 3


def test_id_is_stable_and_depends_on_text_and_source() -> None:
    a = build_article({"text": TEXT, "source": "Harbour Daily"})
    b = build_article({"text": "  " + TEXT.replace(" ", "  ") + "\n", "source": "harbour daily"})
    c = build_article({"text": TEXT, "source": "Other Paper"})
    assert a.id == b.id == article_id(a.text, "Harbour Daily")
    assert a.id != c.id
    assert len(a.id) == 16


def test_given_id_is_kept() -> None:
    assert build_article({"id": 42, "text": TEXT}).id == "42"


def test_source_falls_back_to_default_and_language_is_detected() -> None:
    fr = build_article(
        {"text": "Une violente explosion a détruit mardi un entrepôt du port de Valmora."},
        default_source="le-journal",
    )
    assert fr.source == "le-journal"
    assert fr.language == "fr"
    assert fr.title == "Une violente explosion a détruit mardi un entrepôt du port de Valmora."


def test_naive_dates_become_utc() -> None:
    a = build_article({"text": TEXT, "published": "2026-04-07 14:00"})
    assert a.published == datetime(2026, 4, 7, 14, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"title": "x"}, "no text"),
        ({"text": "   "}, "no text"),
        ({"text": 12}, "must be a string"),
        ({"text": "Share this article"}, "boilerplate"),
        ({"text": TEXT, "published": "someday"}, "unreadable date"),
    ],
)
def test_bad_records(record: dict[str, object], message: str) -> None:
    with pytest.raises(ArticleError, match=message):
        build_article(record)


def test_to_record_round_trips() -> None:
    a = build_article({"text": TEXT, "title": "Strike ends", "source": "HD", "tags": ["port"]})
    b = build_article(a.to_record())
    assert b.to_record() == a.to_record()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.reuters.com/world/x", "reuters.com"),
        ("http://news.bbc.co.uk/2/hi", "news.bbc.co.uk"),
        ("not a url", None),
        (None, None),
    ],
)
def test_source_from_url(url: str | None, expected: str | None) -> None:
    assert source_from_url(url) == expected
