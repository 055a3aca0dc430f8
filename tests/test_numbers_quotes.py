"""Number phrases and quotation marks: the string-level parts of claims."""

from __future__ import annotations

import math

import pytest

from newsfold.numbers import NUMBER_PHRASE, compatible, parse_quantity, same_value
from newsfold.quotes import find_quotes, quote_similarity, quote_words, word_diff


@pytest.mark.parametrize(
    ("phrase", "value", "low", "high", "unit", "qualifier"),
    [
        ("248", 248, 248, 248, None, None),
        ("1,900", 1900, 1900, 1900, None, None),
        ("eleven", 11, 11, 11, None, None),
        ("twenty-three", 23, 23, 23, None, None),
        ("two dozen", 24, 24, 24, None, None),
        ("more than 220", 220, 220, math.inf, None, "more than"),
        ("over 1,900", 1900, 1900, math.inf, None, "more than"),
        ("at least 357", 357, 357, math.inf, None, "at least"),
        ("nearly 40", 40, 34, 40, None, "nearly"),
        ("about 500", 500, 450, 550, None, "about"),
        ("up to 60", 60, 0, 60, None, "up to"),
        ("$735 million", 735e6, 735e6, 735e6, "$", None),
        ("3.8 billion euros", 3.8e9, 3.8e9, 3.8e9, "€", None),
        ("€2.9 billion", 2.9e9, 2.9e9, 2.9e9, "€", None),
        ("12 percent", 12, 12, 12, "%", None),
        ("12%", 12, 12, 12, "%", None),
    ],
)
def test_parse_quantity(
    phrase: str, value: float, low: float, high: float, unit: str | None, qualifier: str | None
) -> None:
    q = parse_quantity(phrase)
    assert q is not None
    assert q.value == pytest.approx(value) and q.unit == unit and q.qualifier == qualifier
    assert q.low == pytest.approx(low, rel=1e-6) and q.high == pytest.approx(high, rel=1e-6)


def test_number_phrases_in_text_skip_times_and_words() -> None:
    text = "At 10:30 the G7 met; 5m away, 14 people died and $2.1m was paid."
    found = [m.group(0) for m in NUMBER_PHRASE.finditer(text)]
    assert "10" not in found and "30" not in found and "14" in found and "$2.1m" in found
    assert parse_quantity("$2.1m").value == pytest.approx(2.1e6)  # type: ignore[union-attr]
    assert parse_quantity("5m").value == 5  # type: ignore[union-attr]  # a distance, not money
    assert parse_quantity("no number here") is None


def test_compatible_and_same_value() -> None:
    q = {p: parse_quantity(p) for p in ("248", "232", "more than 220", "about 500", "510", "$5")}
    assert compatible(q["more than 220"], q["248"]) and compatible(q["more than 220"], q["232"])  # type: ignore[arg-type]
    assert not compatible(q["248"], q["232"])  # type: ignore[arg-type]
    assert compatible(q["about 500"], q["510"])  # type: ignore[arg-type]
    assert not compatible(q["$5"], parse_quantity("5"))  # type: ignore[arg-type]  # units differ
    assert same_value(q["248"], parse_quantity("248 people"))  # type: ignore[arg-type]
    assert not same_value(q["more than 220"], q["more than 220"])  # type: ignore[arg-type]


def test_find_quotes_kinds_of_marks() -> None:
    text = (
        '"We will rebuild," said the mayor. She called it “a dark day for all of us.” '
        "The chief said ‘nobody was hurt’ and that the Smiths' house stood. "
        '"This is the first paragraph of a long quote.\n\n"And this is its second," he said. '
        "He denied 'it' and “scare quotes.”"
    )
    quotes = [text[q.start : q.end] for q in find_quotes(text)]
    assert quotes[:3] == ["We will rebuild,", "a dark day for all of us.", "nobody was hurt"]
    assert quotes[3] == "This is the first paragraph of a long quote."  # wire style: reopened
    assert quotes[4] == "And this is its second,"
    assert "it" not in quotes and "scare quotes." in quotes  # one word is not a quotation


def test_quote_similarity_and_diff() -> None:
    a = quote_words("We will rebuild every home, and fast.")
    b = quote_words("We will rebuild every single house, and fast.")
    assert 0.6 < quote_similarity(a, b) < 1.0
    assert quote_similarity(quote_words("rebuild every home"), a) == 1.0  # a partial quote
    assert quote_words("Twenty-three families") == quote_words("23 families")
    assert word_diff(a, b) == [{"op": "replace", "from": "home", "to": "single house"}]
