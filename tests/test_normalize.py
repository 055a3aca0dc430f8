from __future__ import annotations

from datetime import UTC, datetime

from newsfold.normalize import clean_text


def reasons(cleaned: object) -> list[str]:
    return [r["reason"] for r in cleaned.removed]  # type: ignore[attr-defined]


def test_unicode_and_whitespace_keep_curly_quotes() -> None:
    raw = (
        "Cafe\u0301\u00a0owner  said \u201cno\u201d.\u200b\r\n\r\n\r\nSecond\tparagraph\u2019s end."
    )
    cleaned = clean_text(raw, title="T")
    assert cleaned.text == "Café owner said “no”.\n\nSecond paragraph’s end."


def test_header_title_date_byline_and_boilerplate() -> None:
    raw = "\n".join(
        [
            "Dockers end strike after pay deal",
            "",
            "April 7, 2026",
            "By Tobias Wren",
            "HARBOUR CITY, April 7 (Meridian) — Dock workers returned to work on Tuesday.",
            "Cranes stand idle at the terminal during the strike.",
            "Lars Okonjo | Meridian | Getty Images",
            "3 min read",
            "Dockers end strike after pay deal",
            "Members voted to accept the deal.",
            "Share this article",
            "Subscribe to our newsletter for daily updates",
        ]
    )
    cleaned = clean_text(raw)
    assert cleaned.title == "Dockers end strike after pay deal"
    assert cleaned.published == datetime(2026, 4, 7, tzinfo=UTC)
    assert cleaned.author == "Tobias Wren"
    assert cleaned.text == (
        "HARBOUR CITY, April 7 (Meridian) — Dock workers returned to work on Tuesday.\n\n"
        "Members voted to accept the deal."
    )
    assert reasons(cleaned) == [
        "title",
        "date line",
        "byline",
        "photo caption",
        "photo credit",
        "reading time",
        "repeated headline",
        "share, subscribe or site line",
        "share, subscribe or site line",
    ]


def test_lead_sentence_is_not_taken_as_title() -> None:
    raw = "Officials said the bridge would reopen on Monday.\nThe repairs took 14 months."
    cleaned = clean_text(raw)
    assert cleaned.title is None
    assert cleaned.text.startswith("Officials said")


def test_sentence_title_set_off_by_a_wider_gap() -> None:
    raw = "Blinken will travel to the Middle East.\n\n\nHe spoke on Thursday.\n\nHe left."
    cleaned = clean_text(raw)
    assert cleaned.title == "Blinken will travel to the Middle East."
    assert cleaned.text == "He spoke on Thursday.\n\nHe left."


def test_hard_wrapped_lines_are_joined() -> None:
    raw = (
        "Council backs budget\n\n"
        "The city council of Lindholt voted late on Tuesday night to\n"
        "approve a record budget for the coming year, after a debate of\n"
        "Nine hours.\n"
        "Short heading\n"
        "A new paragraph starts."
    )
    cleaned = clean_text(raw)
    assert cleaned.text == (
        "The city council of Lindholt voted late on Tuesday night to approve a record budget "
        "for the coming year, after a debate of Nine hours.\n\nShort heading\n\n"
        "A new paragraph starts."
    )


def test_given_title_first_line_kept_later_repeat_dropped() -> None:
    text = "Short lead.\n\nMore text here.\n\nShort lead."
    cleaned = clean_text(text, title="Short lead.")
    assert cleaned.text == "Short lead.\n\nMore text here."


def test_cleaning_is_idempotent() -> None:
    raw = "Title here\n\nMarch 3, 2026\n\nBody one. Body two.\nX | AFP | Getty Images\n\nEnd."
    once = clean_text(raw)
    twice = clean_text(once.text, title=once.title)
    assert twice.text == once.text


def test_markdown_is_reduced_to_text() -> None:
    raw = (
        "# The **big** story\n\nRead [the report](https://x.example) now. ![img](a.png)"
        "\n\n---\n\n## Part two\n\nMore."
    )
    cleaned = clean_text(raw, markdown=True)
    assert cleaned.title == "The big story"
    assert cleaned.text == "Read the report now.\n\nPart two\n\nMore."


def test_foreign_date_line_and_byline() -> None:
    cleaned = clean_text(
        "Explosion au port\n\n3 mars 2026\n\nPar Claire Dubreuil\n\nUne explosion a eu lieu."
    )
    assert cleaned.published == datetime(2026, 3, 3, tzinfo=UTC)
    assert cleaned.author == "Claire Dubreuil"
    assert cleaned.text == "Une explosion a eu lieu."


def test_sentences_that_start_like_site_lines_are_kept() -> None:
    prose = [
        "Advertising revenue at the paper was down 18 percent in the first half.",
        "Share prices rose 3 percent on Monday.",
        "Sponsored by the city, the festival drew 40,000 visitors.",
        "Copyright lawyers said the ruling would be appealed.",
        "Comments by the minister angered the union.",
        "Related charges were dropped in May.",
        "Subscribers to the service will pay more from June.",
    ]
    cleaned = clean_text("\n".join(prose), title="Title")
    assert cleaned.text.split("\n\n") == prose and cleaned.removed == []


def test_site_lines_are_removed() -> None:
    junk = [
        "Advertisement",
        "Share this article",
        "Share on Facebook",
        "Read more: Port strike ends after three days",
        "Sign up for our daily newsletter",
        "© 2026 Harbour Daily. All rights reserved.",
        "Click here to read the full report",
        "(Reporting by Tobias Wren; Editing by Sara Lindt)",
    ]
    cleaned = clean_text("\n".join(["A real sentence of news.", *junk]), title="Title")
    assert cleaned.text == "A real sentence of news."
    assert [r["line"] for r in cleaned.removed] == junk


def test_a_one_line_text_is_never_taken_for_its_own_header() -> None:
    for line in ("By Rev. George P. Fisher, of Yale", "March 3, 2026", "A short headline"):
        assert clean_text(line).text == line
