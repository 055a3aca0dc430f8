from __future__ import annotations

import pytest

from newsfold.sentences import split_sentences


def sents(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Smith met Gen. Milley on Monday. Dr. Jones was there too.",
            ["Mr. Smith met Gen. Milley on Monday.", "Dr. Jones was there too."],
        ),
        (
            "U.S. officials said the talks would resume. The U.N. envoy agreed.",
            ["U.S. officials said the talks would resume.", "The U.N. envoy agreed."],
        ),
        (
            "The talks were held in the U.S. The president said nothing.",
            ["The talks were held in the U.S.", "The president said nothing."],
        ),
        (
            "WASHINGTON, May 21 (NNN-AGENCIES) — US Secretary of State Antony Blinken will travel "
            "to the Middle East “in the coming days,” the State Department said. Blinken spoke "
            "with Gabi Ashkenazi.",
            [
                "WASHINGTON, May 21 (NNN-AGENCIES) — US Secretary of State Antony Blinken will "
                "travel to the Middle East “in the coming days,” the State Department said.",
                "Blinken spoke with Gabi Ashkenazi.",
            ],
        ),
        (
            '“It is over.” He left the room. "Why?" he asked.',
            ["“It is over.”", "He left the room.", '"Why?" he asked.'],
        ),
        (
            "John F. Kennedy was president. Shares of Acme Inc. rose 3.8 percent.",
            ["John F. Kennedy was president.", "Shares of Acme Inc. rose 3.8 percent."],
        ),
        (
            "It was No. 5 on the list. No. It was not.",
            ["It was No. 5 on the list.", "No.", "It was not."],
        ),
        ("He arrived at 6 a.m. and left at noon.", ["He arrived at 6 a.m. and left at noon."]),
        (
            "The fire started at St. Mary's hospital. Firefighters arrived at 4:15 p.m. The blaze "
            "was out by 6.",
            [
                "The fire started at St. Mary's hospital.",
                "Firefighters arrived at 4:15 p.m.",
                "The blaze was out by 6.",
            ],
        ),
        ("Prices rose... Then they fell!", ["Prices rose...", "Then they fell!"]),
        ("He said (for the record.) Then left.", ["He said (for the record.)", "Then left."]),
    ],
)
def test_tricky_sentences(text: str, expected: list[str]) -> None:
    assert sents(text) == expected


def test_line_breaks_end_sentences_and_spans_point_into_text() -> None:
    text = "Headline without a stop\n\nFirst sentence here. Second one.\nThird"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Headline without a stop",
        "First sentence here.",
        "Second one.",
        "Third",
    ]
    assert all(text[s:e] == text[s:e].strip() for s, e in spans)


def test_empty_and_whitespace() -> None:
    assert split_sentences("") == []
    assert split_sentences("  \n\n ") == []
