"""Paraphrased copies for :mod:`bench.planted`: the same facts in other words and structure.

A paraphrase is rewritten sentence by sentence:

1. whole-sentence rewrites of the stock sentences of :mod:`bench.corpus` (background lines,
   closing lines, stock quotes), their slots (places, numbers, days) carried over;
2. structure: a quote frame ``“Q,” P, R, said.`` becomes ``P, R, said: “Q.”`` and back; a trailing
   attribution ``X, Y said.`` becomes ``Y said X.``; simple active sentences with a known verb
   (``A unveiled B.``) become passive (``B was unveiled by A.``);
3. a synonym table of common news words and phrases (:data:`SYNONYMS`), applied in one pass (no
   chains), never to numbers or capitalised names;
4. a few sentences dropped (only ones carrying no number and no name) and a few neighbours merged.

The dateline is rewritten too (``PLACE, June 13 (Outlet) —`` → ``Place, June 13:``). Numbers and
names are all kept. Everything is drawn from the ``rng`` given, so copies are reproducible.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence

__all__ = ["SYNONYMS", "paraphrase"]

_DAY = r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NAME = r"([A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*)"

#: Common news words and phrases, and what a paraphrase writes instead (lower case; a
#: capitalised occurrence gets a capitalised replacement). Longest phrases are tried first.
SYNONYMS: dict[str, str] = {
    "told reporters": "said to journalists",
    "said in a statement": "stated in a written release",
    "said at a news conference": "told a press briefing",
    "wrote on social media": "posted online",
    "told local radio": "said in a radio interview",
    "said": "stated",
    "added": "went on to say",
    "announced": "made public",
    "killed": "left dead",
    "police": "officers",
    "officials": "authorities",
    "official": "representative",
    "residents": "locals",
    "resident": "local",
    "local resident": "person living locally",
    "the opposition": "the minority bloc",
    "city councillor": "municipal councillor",
    "weeks": "several weeks",
    "people": "individuals",
    "government": "administration",
    "company": "firm",
    "companies": "firms",
    "expected": "forecast",
    "expect": "anticipate",
    "about": "roughly",
    "more than": "over",
    "nearly": "almost",
    "because": "as",
    "however": "but",
    "also": "as well",
    "began": "started",
    "begin": "start",
    "started": "got under way",
    "ended": "brought to an end",
    "rose": "climbed",
    "rise": "increase",
    "fell": "dropped",
    "increase": "rise",
    "decrease": "fall",
    "help": "assist",
    "build": "construct",
    "built": "constructed",
    "plans": "proposals",
    "plan": "proposal",
    "meeting": "session",
    "meetings": "sessions",
    "town": "municipality",
    "centre": "center",
    "region": "area",
    "regional": "provincial",
    "local": "nearby",
    "national": "nationwide",
    "ministry": "department",
    "minister": "secretary",
    "spokesperson": "spokesman",
    "report": "study",
    "reported": "disclosed",
    "figures": "numbers",
    "number": "count",
    "million": "m",
    "billion": "bn",
    "workers": "employees",
    "staff": "personnel",
    "shares": "stock",
    "price": "cost",
    "prices": "costs",
    "cost": "expense",
    "costs": "expenses",
    "decision": "ruling",
    "voted": "cast ballots",
    "opened": "was inaugurated",
    "closed": "shut",
    "remained": "stayed",
    "warned": "cautioned",
    "demanded": "called for",
    "accepting": "agreeing to",
    "accept": "agree to",
    "agreement": "accord",
    "deal": "agreement",
    "dispute": "row",
    "estimated": "put",
    "announcement": "statement",
    "damage": "destruction",
    "injured": "hurt",
    "hospital": "clinic",
    "emergency": "rescue",
    "storm": "gale",
    "flooding": "high water",
    "election": "vote",
    "candidate": "contender",
    "parliament": "the legislature",
    "council": "assembly",
    "new": "fresh",
    "latest": "newest",
    "last": "previous",
    "early": "initial",
    "evening": "night",
    "on monday": "Monday",
    "on tuesday": "Tuesday",
    "on wednesday": "Wednesday",
    "on thursday": "Thursday",
    "on friday": "Friday",
    "on saturday": "Saturday",
    "on sunday": "Sunday",
    "would": "was going to",
    "could": "might",
    "after": "following",
    "before": "ahead of",
    "between": "linking",
    "during": "in the course of",
    "with": "alongside",
    "while": "whereas",
    "said it had": "stated that it had",
}

#: Stock sentences of the corpus, rewritten whole (regex → replacement with its groups).
SENTENCES: tuple[tuple[str, str], ...] = (
    (r"The (.+) area is home to about ([\d,]+) people and depends heavily on (.+)\.",
     r"Some \2 live in and around \1, where \3 is the main source of jobs."),
    (r"It was not immediately clear how the decision would affect the wider region\.",
     "What the ruling means for surrounding areas remains uncertain."),
    (r"Local media reported that (\d+) similar cases had been recorded since (\d+)\.",
     r"Since \2, \1 comparable cases have been logged, according to local outlets."),
    (r"The figures could not be independently verified\.",
     "Nobody outside has been able to confirm these numbers."),
    (r"The government in (.+) has promised to publish a full report (.+)\.",
     r"A complete study is due from the authorities in \1 \2, they have pledged."),
    (r"Similar measures were introduced in (.+) in (\d+), with mixed results\.",
     r"\1 tried comparable steps in \2, and they worked only in part."),
    (r"Opposition parties called for a debate in parliament on " + _DAY + r"\.",
     r"On \1, rival parties demanded that lawmakers discuss the matter."),
    (r"The news was met with a mixture of relief and frustration in (.+)\.",
     r"In \1, reactions ranged from relief to anger."),
    (r"(.+) last made national headlines in (\d+), when (.+)\.",
     r"Back in \2, \3, putting \1 in the nationwide spotlight."),
    (r"Officials said the total cost was estimated at (.+)\.",
     r"According to the authorities, the whole bill comes to roughly \1."),
    (r"A further (\d+) meetings are planned before the end of the month\.",
     r"Another \1 sessions are scheduled for the remainder of the month."),
    (r"According to figures from the national statistics office, (.+) of households in (.+) "
     r"were affected\.",
     r"In \2, \1 of homes were hit, the statistics agency's data show."),
    (r"Residents gathered outside the town hall on " + _DAY + r" evening to hear the latest "
     r"updates\.",
     r"Locals assembled in front of the municipal building \1 night for news."),
    (r"The regional council is due to meet again at (.+) on " + _DAY + r"\.",
     r"Provincial councillors will reconvene \2 at \1."),
    (r"Critics say the plans do not go far enough, while supporters call them a first step\.",
     "Opponents argue the proposals fall short; backers see them as a beginning."),
    (r"Neighbouring (.+) has followed the developments closely\.",
     r"Next door, \1 has kept a careful eye on events."),
    (r"Independent experts have urged caution in interpreting the early figures\.",
     "Outside analysts warn against reading too much into the initial numbers."),
    (r"The (.+) was unable to reach the ministry for comment on " + _DAY + r"\.",
     r"The department could not be contacted by the \1 \2."),
    (r"Several roads into the centre of (.+) remained closed on " + _DAY + r" evening\.",
     r"A number of routes into central \1 were still shut \2 night."),
    (r"Officials expect the number of people affected to rise to about ([\d,]+)\.",
     r"Authorities think as many as \1 individuals may end up affected."),
    (r"The announcement came after weeks of speculation in local media\.",
     "Local outlets had speculated for weeks before the statement."),
    (r"A spokesperson for the ministry said more details would be released on " + _DAY + r"\.",
     r"The department's spokesman promised further information \1."),
    (r"The issue has divided opinion in (.+) for years\.",
     r"For years the matter has split \1."),
    (r"Business owners in the town centre said they were watching closely\.",
     "Shopkeepers downtown stated they were keeping a close watch."),
    (r"Similar plans in (.+) were shelved in (\d+) after objections from residents\.",
     r"Locals in \1 objected to comparable proposals, which were dropped in \2."),
    (r"The regional government said it had set aside (.+) for the coming year\.",
     r"\1 has been earmarked for next year by the provincial administration."),
    (r"Further updates are expected on " + _DAY + r"\.", r"More news should follow \1."),
    (r"The investigation is continuing\.", "Inquiries are still under way."),
    (r"A final decision is expected (.+)\.", r"A definitive ruling should come \1."),
    (r"The (.+) will publish further details as they become available\.",
     r"More information will appear in the \1 once known."),
    (r"The next hearing is set for " + _DAY + r"\.", r"The court sits again \1."),
    (r"Talks are due to resume at (.+) on " + _DAY + r"\.",
     r"Negotiators will be back at the table \2 at \1."),
)  # fmt: skip

#: The stock quotes, rephrased (a rewriter would keep a quote's sense, not always its words).
QUOTES: tuple[tuple[str, str], ...] = (
    ("We have been waiting for this for a long time", "This has been a long time coming"),
    ("Nobody here has seen anything like it", "None of us has ever witnessed something similar"),
    ("People are worried, and they want answers", "Folks are anxious and demand explanations"),
    ("It is too early to say what this means for us",
     "We cannot yet tell how this will affect us"),
    ("We will do everything we can to help the families",
     "The families will get all the support we are able to give"),
    (r"This is a difficult day for everyone in (.+)", r"Today is hard for all of \1"),
    ("We need clear information, not promises", "Give us facts rather than pledges"),
    ("I think most people here understand why it had to happen",
     "Most folks around here get why it was necessary, I believe"),
    ("We have to be honest about what went wrong", "We must be frank about the mistakes"),
    ("It is a good start, but there is a lot more to do",
     "This is a decent beginning, yet much work remains"),
    (r"I hope people in (.+) will give this a chance",
     r"My hope is that \1 gives this an opportunity"),
    ("We were not consulted, and that is the real problem",
     "Nobody asked us, and that is what really matters"),
)  # fmt: skip

_PASSIVE_VERBS = (
    "unveiled", "approved", "rejected", "announced", "confirmed", "launched", "ordered", "signed",
    "opened", "closed", "cancelled", "postponed", "suspended", "raised", "cut", "reported",
    "published", "won", "lost", "elected", "arrested", "evacuated", "banned", "blocked",
)  # fmt: skip

_SENTENCE_RULES = [(re.compile(rf"^{p}$"), r) for p, r in SENTENCES]
_QUOTE_RULES = [(re.compile(rf"^{p}$"), r) for p, r in QUOTES]
_WORDS = sorted(SYNONYMS, key=len, reverse=True)
_SYNONYM = re.compile(
    r"(?<![\w’'-])(" + "|".join(re.escape(w) for w in _WORDS) + r")(?![\w’'-])", re.IGNORECASE
)
_DATELINE = re.compile(r"^([A-Z][A-Z .'-]+), (\w+ \d+) \(([^)]+)\) — ")
# “Q,” REST.      REST: "P, R, said" / "said P, R" / "P added"
_QUOTE_FIRST = re.compile(r"^“([^”]+?)[,.]” (.+?)\.(?: “([^”]+)\.”)?$")
# P, R, said: “Q.”   or   Speaking on D, P, R, said: “Q.”
_QUOTE_LAST = re.compile(r"^(.+?): “([^”]+?)\.”$")
_QUOTE_ONLY = re.compile(r"^“([^”]+?)\.”$")
# X, Y said.  /  X, Y said on D.
_TRAILING = re.compile(
    r"^(.{20,}?), ((?:the |union |the [\w ]+ )?[\w' ]{3,40}?) said( on " + _DAY + r")?\.$"
)
_ACTIVE = re.compile(
    rf"^{_NAME}(?: on {_DAY})? ({'|'.join(_PASSIVE_VERBS)}) ((?:its|the|a|an|their) [^,;]+?)"
    r"(, .+)?\.$"
)


_LOWER = frozenset({"A", "An", "The", "Its", "Their", "Consumer", "Police", "Officials"})


def _match_case(word: str, replacement: str) -> str:
    if word[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _synonyms(text: str) -> str:
    def swap(m: re.Match[str]) -> str:
        word = m.group(1)
        before = text[: m.start()].rstrip()
        if word[:1].isupper() and before and before[-1] not in ".!?“:":
            return word  # a capitalised word inside a sentence is part of a name
        return _match_case(word, SYNONYMS[word.lower()])

    return _SYNONYM.sub(swap, text)


def _quote(q: str) -> str:
    for rule, replacement in _QUOTE_RULES:
        if rule.match(q):
            return rule.sub(replacement, q)
    return _synonyms(q)


def _stock(sentence: str) -> str | None:
    for rule, replacement in _SENTENCE_RULES:
        if rule.match(sentence):
            return rule.sub(replacement, sentence)
    return None


def _quote_frame(sentence: str, rng: random.Random) -> str | None:
    """Quote first ↔ speaker first, the quote itself rephrased."""
    m = _QUOTE_FIRST.match(sentence)
    if m:
        q, rest, q2 = m.group(1), m.group(2), m.group(3)
        if rest.startswith("said "):
            rest = rest[5:] + (", said" if "," in rest else " said")
        out = f"{_synonyms(rest)}: “{_quote(q)}.”"
        if q2:
            out += f" “{_quote(q2)},” the speaker continued."
        return out
    m = _QUOTE_LAST.match(sentence)
    if m and "“" not in m.group(1):
        frame = re.sub(r"^Speaking on " + _DAY + r", ", r"\1, ", m.group(1))
        return f"“{_quote(m.group(2))},” {_synonyms(frame)}."
    m = _QUOTE_ONLY.match(sentence)
    if m:
        return f"“{_quote(m.group(1))}.”"
    return None


def _restructure(sentence: str) -> str | None:
    m = _TRAILING.match(sentence)
    if m and "“" not in sentence:
        who, when = m.group(2), m.group(3) or ""
        what = m.group(1)
        if what.split(" ", 1)[0] in _LOWER:
            what = what[:1].lower() + what[1:]
        return _synonyms(f"{who[:1].upper()}{who[1:]} said{when} that {what}.")
    m = _ACTIVE.match(sentence)
    if m:
        subject, day, verb, obj, tail = m.groups()
        when = f" on {day}" if day else ""
        return _synonyms(f"{obj[:1].upper()}{obj[1:]} was {verb}{when} by {subject}{tail or ''}.")
    return None


def rewrite(sentence: str, rng: random.Random) -> str:
    """One sentence in other words (facts kept)."""
    for step in (_stock, lambda s: _quote_frame(s, rng), _restructure):
        out = step(sentence)
        if out is not None:
            return out
    return _synonyms(sentence)


def _droppable(sentence: str) -> bool:
    """No number, no quote, no capitalised word after the first: nothing factual to lose."""
    words = sentence.split()
    return not re.search(r"\d|“", sentence) and not any(w[:1].isupper() for w in words[1:])


def _merge(a: str, b: str) -> str:
    first = b.split(" ", 1)[0]
    if first in {"The", "A", "It", "Officials", "Several", "Critics", "Independent"}:
        b = b[:1].lower() + b[1:]
    return f"{a.rstrip('.')}, and {b}" if not a.endswith("”") else f"{a} {b}"


def paraphrase(
    paragraphs: Sequence[str], rng: random.Random, split: Callable[[str], list[str]]
) -> str:
    """A paraphrased copy of an article given as paragraphs (``split`` cuts sentences)."""
    lead, *rest = paragraphs
    m = _DATELINE.match(lead)
    dateline = ""
    if m:
        dateline = f"{m.group(1).title()}, {m.group(2)}: "
        lead = lead[m.end() :]
    out: list[list[str]] = []
    for i, paragraph in enumerate([lead, *rest]):
        kept: list[str] = []
        for sentence in split(paragraph):
            if i > 0 and _droppable(sentence) and rng.random() < 0.3:
                continue
            new = rewrite(sentence, rng)
            if kept and rng.random() < 0.15 and not new.startswith("“"):
                kept[-1] = _merge(kept[-1], new)
            else:
                kept.append(new)
        if kept:
            out.append(kept)
    out[0][0] = dateline + out[0][0]
    return "\n\n".join(" ".join(ss) for ss in out)
