"""Numbers as news writes them: "more than 220", "eleven", "$735 million", "3.8 billion", "12%".

:func:`parse_quantity` reads such a phrase into a :class:`Quantity`: its value, the interval of
values it allows (a qualifier widens the point to a range: "more than 220" allows 221 and
248, "nearly 40" allows 38), its unit (currency, percent) and qualifier. :func:`compatible` and
:func:`same_value` compare two quantities; :data:`NUMBER_PHRASE` finds the phrases in text.
Pure functions over strings: no model, no store.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = ["NUMBER_PHRASE", "Quantity", "compatible", "parse_quantity", "same_value"]

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "a dozen": 12, "dozen": 12,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "m": 1e6, "mn": 1e6, "bn": 1e9, "k": 1e3, "dozen": 12,
}  # fmt: skip
# Qualifier phrases and the interval each makes of a value v: (low factor, high factor), with
# open ends as infinities. "more than" is strict, so its low end is nudged above v.
_QUALIFIERS: dict[str, tuple[str, tuple[float, float]]] = {}
for _kind, _bounds, _phrases in (
    ("more than", (1.0 + 1e-9, math.inf), "more than|over|above|in excess of|upwards of"),
    ("at least", (1.0, math.inf), "at least|no fewer than|no less than|a minimum of|a record"),
    ("fewer than", (0.0, 1.0 - 1e-9), "fewer than|less than|under|below"),
    ("up to", (0.0, 1.0), "up to|at most|no more than|as many as|a maximum of"),
    ("nearly", (0.85, 1.0), "nearly|almost|close to|just under|roughly"),
    (
        "about",
        (0.9, 1.1),
        "about|around|approximately|some|an estimated|estimated|roughly|circa|about some",
    ),
):
    for _phrase in _phrases.split("|"):
        _QUALIFIERS.setdefault(_phrase, (_kind, _bounds))

_WORD_NUMBER = (
    r"(?:(?:" + "|".join(sorted(_TENS, key=len, reverse=True)) + r")(?:[- ](?:"
    + "|".join(k for k in _UNITS if " " not in k and _UNITS[k] < 10 and _UNITS[k] > 0)
    + r"))?|" + "|".join(sorted((k for k in _UNITS if k != "dozen"), key=len, reverse=True))
    + r")"
)  # fmt: skip
_SCALE_WORDS = r"(?:hundred|thousand|million|billion|trillion|dozen|bn|mn|m|k)"
_CURRENCY = r"(?:US\$|\$|€|£|¥|₹|CHF\s?|USD\s?|EUR\s?|GBP\s?)"
_CURRENCY_WORDS = r"(?:dollars|euros|pounds|yen|yuan|rupees|francs|crowns|kroner|kronor)"
_WORD_UNITS = {"dollars": "$", "euros": "€", "pounds": "£", "yen": "¥"}
_QUALIFIER = "|".join(sorted(_QUALIFIERS, key=len, reverse=True))
#: A number phrase in running text: an optional qualifier, an optional currency sign, a numeral
#: or number words, an optional scale ("million"), an optional percent sign or word.
NUMBER_PHRASE = re.compile(
    rf"(?:\b(?P<q>{_QUALIFIER})\s+)?"
    rf"(?P<cur>{_CURRENCY})?"
    r"(?P<num>(?<![\w.,:])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d:])"
    r"|(?<![\w.,:])\d+(?:\.\d+)?(?![\d:])"
    rf"|\b{_WORD_NUMBER}\b)"
    rf"(?:[\s-]*(?:(?P<scale>{_SCALE_WORDS})\b))?"
    r"(?P<pct>\s?%|\s(?:percent|per cent)\b)?"
    rf"(?:\s(?P<curword>{_CURRENCY_WORDS})\b)?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as a claim states it: ``value`` as written, ``low``..``high`` the values the
    phrase allows (equal when exact), ``unit`` ("$", "€", "%", or None), ``qualifier`` (the
    normalised qualifier kind: "more than", "at least", "fewer than", "up to", "nearly",
    "about", or None)."""

    value: float
    low: float
    high: float
    unit: str | None = None
    qualifier: str | None = None

    @property
    def exact(self) -> bool:
        return self.qualifier is None

    def display(self) -> str:
        number = f"{self.value:,.0f}" if self.value == int(self.value) else f"{self.value:,.2f}"
        if self.unit == "%":
            number += "%"
        elif self.unit:
            number = self.unit + number
        return f"{self.qualifier} {number}" if self.qualifier else number


def _word_value(text: str) -> float | None:
    t = text.lower().replace("-", " ").strip()
    if t in _UNITS:
        return float(_UNITS[t])
    parts = t.split()
    if parts and parts[0] in _TENS:
        tail = _UNITS.get(parts[1], 0) if len(parts) > 1 else 0
        return float(_TENS[parts[0]] + tail)
    return None


def _numeral(text: str) -> float | None:
    if text[:1].isdigit():
        try:
            return float(text.replace(",", ""))
        except ValueError:
            return None
    return _word_value(text)


def _unit(currency: str | None, percent: str | None, word: str | None) -> str | None:
    if percent:
        return "%"
    if word:
        return _WORD_UNITS.get(word.lower(), word.lower())
    if not currency:
        return None
    c = currency.strip().upper()
    return {"US$": "$", "USD": "$", "EUR": "€", "GBP": "£"}.get(c, c)


def parse_quantity(phrase: str) -> Quantity | None:
    """The quantity of a number phrase ("more than 220", "$3.8 billion", "eleven", "12
    percent"), or None when the phrase holds no number."""
    m = NUMBER_PHRASE.search(phrase)
    if m is None:
        return None
    return quantity_of_match(m)


def quantity_of_match(m: re.Match[str]) -> Quantity | None:
    """The quantity of a :data:`NUMBER_PHRASE` match."""
    value = _numeral(m["num"])
    if value is None:
        return None
    if m["scale"]:
        scale = m["scale"].lower()
        # "5m" is a distance as often as money: a bare letter scales only money.
        if scale not in ("m", "k") or m["cur"] or m["curword"]:
            value *= _SCALES[scale]
    return _interval(value, m)


def _interval(value: float, m: re.Match[str]) -> Quantity:
    unit = _unit(m["cur"], m["pct"], m["curword"])
    if not m["q"]:
        return Quantity(value, value, value, unit, None)
    kind, (lo, hi) = _QUALIFIERS[m["q"].lower()]
    low = value * lo if lo != 0 else 0.0
    high = value * hi if not math.isinf(hi) else math.inf
    return Quantity(value, low, high, unit, kind)


def same_value(a: Quantity, b: Quantity) -> bool:
    """Both exact and equal (a rounding of the last shown digit apart at most)."""
    if not (a.exact and b.exact) or a.unit != b.unit:
        return False
    return math.isclose(a.value, b.value, rel_tol=1e-6)


def compatible(a: Quantity, b: Quantity) -> bool:
    """The two phrases can both be true of one quantity: their intervals meet ("more than 220"
    and 248; "about 500" and 510), in the same unit."""
    if a.unit != b.unit:
        return False
    return max(a.low, b.low) <= min(a.high, b.high) * (1 + 1e-9)
