"""Reconciling claims across the articles of one story: where they agree and where they do not.

:class:`Reconciler` groups the claims of a story's articles that state the same fact and gives
each group a status:

* numbers that measure one quantity (the same predicate and thing counted, similar sentences):
  ``agree`` (one value), ``compatible`` (qualifiers make them fit: "more than 220" and 248),
  ``update`` (a count that rose between reports published at different times: not a
  contradiction) or ``conflict`` (248 and 232);
* quotations of one statement: ``exact`` (the same words; a partial quote of the same words
  too), ``altered`` (mostly the same words, some changed: the word-level diff is given, and when
  only copies of one source changed them, the note names the copy, not the speaker) or
  ``different`` (the same speaker quoted saying different things);
* names of one person: ``consistent`` or ``alias`` (several forms: "Tony Blinken", "Antony
  Blinken", "Secretary Blinken"), with a note when their role titles differ.

Each group keeps its claims (spans of their articles, with their sentences): every flag points
to the exact words behind it. Matching numbers is a weighted vote of features (predicate, thing
counted, sentence words, closeness of the values); its weights are parameters, tuned on the
labelled fixture stories (``python -m bench facts_quality``).
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from newsfold.claims import (
    PREDICATES,
    TITLES,
    ArticleClaims,
    EntityClaim,
    NumberClaim,
    QuoteClaim,
    alias_key,
)
from newsfold.corroborate import STOPWORDS
from newsfold.embed import Encoder, default_encoders
from newsfold.numbers import compatible, same_value
from newsfold.quotes import quote_similarity, quote_words, word_diff

__all__ = ["FLAGS", "FactGroup", "Reconciler"]

#: The statuses that flag a problem to a reader.
FLAGS = frozenset({"conflict", "altered"})
#: Predicates that name what a count is of: two different ones are two different numbers.
COUNTED = frozenset(PREDICATES)
#: Predicates of opposite changes: a rise and a fall are never one number.
RISE = frozenset("rise increase climb grow peak gain jump surge soar raise lift".split())
FALL = frozenset("fall drop decline decrease cut sink shrink lose lower slash reduce".split())
#: Things counted that say nothing about what is counted ("11 people" may be "11 workers").
GENERIC = frozenset({"people", "other", "person", "one"})
#: How much lower the quote similarity may be when both quotations name the same speaker.
SAME_SPEAKER_SLACK = 0.1
#: Hours apart from which two reports are "at different times" (an update is possible).
UPDATE_HOURS = 2.0
_WORD = re.compile(r"[^\W\d_]{3,}")


@dataclass(slots=True)
class FactGroup:
    """Claims of several articles that state one fact, and how they compare."""

    kind: str  # "number", "quote" or "entity"
    status: str
    label: str
    claims: list[Any] = field(default_factory=list)
    note: str | None = None
    diffs: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    @property
    def flagged(self) -> bool:
        return self.status in FLAGS

    @property
    def articles(self) -> list[str]:
        return [c.article for c in self.claims]

    def to_dict(self, texts: Mapping[str, str] | None = None) -> dict[str, Any]:
        claims = []
        for c in self.claims:
            item = c.to_dict()
            if texts is not None and c.article in texts:
                s, e = c.sentence
                item["sentence_text"] = texts[c.article][s:e]
            if c.article in self.diffs:
                item["diff"] = self.diffs[c.article]
            claims.append(item)
        return {
            "kind": self.kind,
            "status": self.status,
            "label": self.label,
            "note": self.note,
            "claims": claims,
        }


class _Groups:
    """Union-find over claims, where a group holds at most one claim per article."""

    def __init__(self, articles: Sequence[str]) -> None:
        self.parent = list(range(len(articles)))
        self.members: list[set[str]] = [{a} for a in articles]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(
        self, i: int, j: int, link: Callable[[list[int], list[int]], bool] | None = None
    ) -> bool:
        """Merge the groups of ``i`` and ``j`` unless they share an article or ``link`` (given
        both groups' items) says no."""
        a, b = self.find(i), self.find(j)
        if a == b or self.members[a] & self.members[b]:
            return False
        if link is not None and not link(self.items(a), self.items(b)):
            return False
        self.parent[b] = a
        self.members[a] |= self.members[b]
        return True

    def items(self, root: int) -> list[int]:
        return [k for k in range(len(self.parent)) if self.find(k) == root]


def _content(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.casefold()) if w not in STOPWORDS}


class Reconciler:
    """Group and compare the claims of one story's articles (see the module docstring).

    Parameters, stored as given: ``number_threshold``: the score from which two numbers measure
    one quantity; ``weights``: the score's weights for a matching predicate, a matching thing
    counted, the sentences' shared words (Jaccard), the sentences' meaning (cosine of their
    embeddings, from ``encoder``: the pipeline's sentence encoder unless given) and the values'
    closeness;
    ``quote_threshold``: the word similarity from which two quotations are one statement;
    ``min_meaning``: the sentence cosine below which two numbers are never one quantity;
    ``conflict_margin``: how much more evidence two values that disagree need before they are
    grouped (and so flagged as a conflict). At 1.0, 6 of 20 ECB+ conflict flags read by hand
    were real, against 0 to 3 of 20 at 0.0; the fixture's conflict recall falls from 0.9 to 0.7
    (see bench/RESULTS.md, facts_quality).
    """

    def __init__(
        self,
        number_threshold: float = 1.6,
        weights: tuple[float, float, float, float, float] = (1.0, 1.0, 1.5, 1.0, 1.0),
        quote_threshold: float = 0.6,
        encoder: Encoder | None = None,
        min_meaning: float = 0.0,
        conflict_margin: float = 1.0,
    ) -> None:
        self.number_threshold = number_threshold
        self.min_meaning = min_meaning
        self.conflict_margin = conflict_margin
        self.weights = weights
        self.quote_threshold = quote_threshold
        self.encoder = encoder

    def transform(
        self,
        claims: Sequence[ArticleClaims],
        texts: Mapping[str, str],
        copies: Mapping[str, str] | None = None,
    ) -> list[FactGroup]:
        """The fact groups of one story. ``texts``: each article's text (for the sentences);
        ``copies``: article → the article it copies (reuse relations), to tell an alteration
        made by a copy from one in the speaker's words."""
        published = {c.article: c.published for c in claims}
        groups = self._numbers(claims, texts, published)
        groups += self._quotes(claims, copies or {})
        groups += _entities(claims)
        return groups

    # -- numbers
    def _pair_score(
        self, a: NumberClaim, b: NumberClaim, sa: set[str], sb: set[str], cos: float
    ) -> float | None:
        if a.quantity.unit != b.quantity.unit or (a.part_of is None) != (b.part_of is None):
            return None
        if a.subject and b.subject and a.subject != b.subject:
            return None  # one player's points are not another's
        if cos < self.min_meaning:
            return None  # sentences about different things
        w_pred, w_thing, w_words, w_meaning, w_value = self.weights
        pred = 0.0
        if a.predicate and b.predicate:
            if a.predicate == b.predicate:
                pred = 1.0
            elif a.predicate in COUNTED and b.predicate in COUNTED:
                return None  # killed and injured are never one number
            elif {a.predicate, b.predicate} & RISE and {a.predicate, b.predicate} & FALL:
                return None  # a rise and a fall are two changes
        thing = 0.0
        if a.thing and b.thing and GENERIC.isdisjoint((a.thing, b.thing)):
            thing = 1.0 if a.thing == b.thing else -1.0
        elif a.thing and a.thing == b.thing:
            thing = 1.0
        words = len(sa & sb) / len(sa | sb) if sa and sb else 0.0
        unit = 0.5 if a.quantity.unit else 0.0  # two sums of money, two percentages
        qa, qb = a.quantity, b.quantity
        if compatible(qa, qb):
            close = 1.0
        elif sorted(f"{qa.value:g}") == sorted(f"{qb.value:g}"):
            close = 0.8  # the same digits: 17 and 71, 187 and 178 (a typing slip)
        else:
            close = (
                min(qa.value, qb.value) / max(qa.value, qb.value) if max(qa.value, qb.value) else 0
            )
        meaning = max(0.0, cos - 0.3) / 0.7  # MiniLM cosines of unrelated news run near 0.3
        return (
            w_pred * pred
            + w_thing * thing
            + w_words * words
            + w_meaning * meaning
            + w_value * close
            + unit
        )

    def _numbers(
        self,
        claims: Sequence[ArticleClaims],
        texts: Mapping[str, str],
        published: Mapping[str, datetime | None],
    ) -> list[FactGroup]:
        # A number says what it counts (a thing, a known predicate such as "killed", or a unit
        # such as money); a bare number ("had 11") is too vague to compare across reports.
        flat: list[NumberClaim] = [n for c in claims for n in c.numbers if _comparable(n)]
        if not flat:
            return []
        index = {id(n): k for k, n in enumerate(flat)}
        local = {
            (c.article, j): index[id(n)]
            for c in claims
            for j, n in enumerate(c.numbers)
            if id(n) in index
        }
        sentences = [texts.get(n.article, "")[n.sentence[0] : n.sentence[1]] for n in flat]
        words = [_content(s) for s in sentences]
        cos = self._cosines(sentences)
        groups = _Groups([n.article for n in flat])
        scores: dict[tuple[int, int], float] = {}
        # Totals first, then sub-counts, which only pair when their totals did.
        for subs in (False, True):
            pairs = []
            for i, a in enumerate(flat):
                if (a.part_of is not None) != subs:
                    continue
                for j in range(i + 1, len(flat)):
                    b = flat[j]
                    if b.article == a.article or (b.part_of is not None) != subs:
                        continue
                    if subs:
                        pa = local.get((a.article, a.part_of))  # type: ignore[arg-type]
                        pb = local.get((b.article, b.part_of))  # type: ignore[arg-type]
                        if pa is None or pb is None or groups.find(pa) != groups.find(pb):
                            continue
                    score = self._pair_score(a, b, words[i], words[j], float(cos[i, j]))
                    if score is None:
                        continue
                    # Equal values back the claim that two numbers measure one thing; values
                    # that disagree need more evidence of it before they are called a conflict.
                    if not compatible(a.quantity, b.quantity) and not _rise(a, b, published):
                        score -= self.conflict_margin
                    scores[(i, j)] = score
                    if score >= self.number_threshold:
                        pairs.append((score, i, j))

            def link(left: list[int], right: list[int]) -> bool:
                # Average linkage: a chain of pairs never merges numbers that mostly differ.
                cross = [scores.get((min(x, y), max(x, y)), -1.0) for x in left for y in right]
                return sum(cross) / len(cross) >= self.number_threshold

            for _, i, j in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
                groups.join(i, j, link)
        members: dict[int, list[int]] = defaultdict(list)
        for k in range(len(flat)):
            members[groups.find(k)].append(k)
        out = []
        for ks in members.values():
            if len(ks) < 2:
                continue
            group = [flat[k] for k in ks]
            status, note = _number_status(group, published)
            out.append(FactGroup("number", status, _number_label(group), group, note))
        return out

    def _cosines(self, sentences: Sequence[str]) -> NDArray[np.float32]:
        """Cosine of every two sentences' meaning (their embeddings by ``encoder``)."""
        unique = sorted(set(sentences))
        if not unique or self.weights[3] == 0:
            return np.zeros((len(sentences), len(sentences)), dtype=np.float32)
        vectors = (self.encoder or default_encoders().sentence).encode(unique)
        row = {s: k for k, s in enumerate(unique)}
        picked = vectors[[row[s] for s in sentences]]
        return picked @ picked.T

    # -- quotations
    def _quotes(
        self, claims: Sequence[ArticleClaims], copies: Mapping[str, str]
    ) -> list[FactGroup]:
        flat = [q for c in claims for q in c.quotes if q.direct]
        words = [quote_words(q.text) for q in flat]
        content = [{w.removesuffix("'s") for w in ws if w not in STOPWORDS} for ws in words]
        pairs = []
        for i, a in enumerate(flat):
            for j in range(i + 1, len(flat)):
                b = flat[j]
                if b.article == a.article:
                    continue
                sim = quote_similarity(words[i], words[j])
                known = _named(a.speaker_key) and _named(b.speaker_key)
                if known and a.speaker_key != b.speaker_key and sim < 0.95:
                    continue  # one statement is rarely put in two mouths
                if a.speaker_key and a.speaker_key == b.speaker_key:
                    # A short quote of the same speaker reworded from a longer one: most of its
                    # content words are in the other ("our staunch commitment to the security of
                    # Israel" in "... our unwavering commitment to Israel's stability").
                    short, long = sorted((content[i], content[j]), key=len)
                    if len(short) >= 4:
                        sim = max(sim, 0.85 * len(short & long) / len(short))
                # The same named speaker on both sides: a looser paraphrase still counts.
                same = known and a.speaker_key == b.speaker_key
                if sim >= self.quote_threshold - (SAME_SPEAKER_SLACK if same else 0.0):
                    # Rank by the symmetric overlap: whole quotes pair before partial ones.
                    rank = (
                        2 * len(content[i] & content[j]) / (len(content[i]) + len(content[j]) or 1)
                    )
                    pairs.append((sim + rank, i, j))
        groups = _Groups([q.article for q in flat])
        for _, i, j in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
            groups.join(i, j)
        members: dict[int, list[int]] = defaultdict(list)
        for k in range(len(flat)):
            members[groups.find(k)].append(k)
        out = []
        alone: dict[str, list[int]] = defaultdict(list)
        for ks in members.values():
            if len(ks) < 2:
                key = flat[ks[0]].speaker_key
                if _named(key):
                    alone[key].append(ks[0])
                continue
            out.append(_quote_group([flat[k] for k in ks], [words[k] for k in ks], copies))
        grouped = [words[k] for ks in members.values() if len(ks) > 1 for k in ks]
        for key, ks in alone.items():  # one speaker, different words in different articles
            # A partial quote of a statement already grouped is not a different statement.
            ks = [k for k in ks if not any(quote_similarity(words[k], g) >= 0.999 for g in grouped)]
            if len({flat[k].article for k in ks}) >= 2:
                group = [flat[k] for k in ks]
                out.append(FactGroup("quote", "different", _speaker(group) or key, group))
        return out


def _rise(a: NumberClaim, b: NumberClaim, published: Mapping[str, datetime | None]) -> bool:
    """``b`` could update ``a`` or the other way round: published hours apart, the later
    report giving the larger count (a toll that rose)."""
    ta, tb = published.get(a.article), published.get(b.article)
    if ta is None or tb is None or abs((tb - ta).total_seconds()) / 3600 < UPDATE_HOURS:
        return False
    early, late = (a, b) if ta < tb else (b, a)
    return early.quantity.value < late.quantity.value


def _comparable(n: NumberClaim) -> bool:
    return bool((n.thing and n.thing not in GENERIC) or n.predicate in COUNTED or n.quantity.unit)


def _named(key: str | None) -> bool:
    """A speaker key that names someone (not "pronoun:he" nor "role:mayor")."""
    return bool(key) and ":" not in key  # type: ignore[operator]


def _number_label(group: Sequence[NumberClaim]) -> str:
    predicate = next((c.predicate for c in group if c.predicate), None)
    thing = next((c.thing for c in group if c.thing), None)
    parts = [p for p in (predicate, thing) if p]
    return " · ".join(parts) if parts else "number"


def _number_status(
    group: Sequence[NumberClaim], published: Mapping[str, datetime | None]
) -> tuple[str, str | None]:
    qs = [c.quantity for c in group]
    if all(same_value(qs[0], q) for q in qs[1:]):
        return "agree", None
    low = max(q.low for q in qs)
    high = min(q.high for q in qs)
    if low <= high * (1 + 1e-9):
        return "compatible", None
    # Values that cannot all be true. An update when the count only grew with time.
    dated = [(published.get(c.article), c) for c in group]
    times = [t for t, _ in dated if t is not None]
    if len(times) < len(dated):
        return "conflict", None
    order = sorted(((t, c) for t, c in dated if t is not None), key=lambda x: x[0])
    steps = list(itertools.pairwise(order))

    def apart(a: datetime, b: datetime) -> bool:
        return (b - a).total_seconds() / 3600 >= UPDATE_HOURS

    rising = all(
        compatible(a.quantity, b.quantity) or a.quantity.value < b.quantity.value
        for (ta, a), (tb, b) in steps
        if apart(ta, tb)
    )
    together_agree = all(
        compatible(a.quantity, b.quantity) for (ta, a), (tb, b) in steps if not apart(ta, tb)
    )
    (t0, c0), (t1, c1) = order[0], order[-1]
    if not apart(t0, t1):
        return "conflict", None
    if rising and together_agree:
        return "update", (
            f"rose from {c0.quantity.display()} ({c0.article}, {t0:%Y-%m-%d %H:%M}) to "
            f"{c1.quantity.display()} ({c1.article}, {t1:%Y-%m-%d %H:%M}): "
            "a later report, not a contradiction"
        )
    return "conflict", "the reports were published at different times"


def _speaker(group: Sequence[QuoteClaim]) -> str | None:
    names = [q.speaker for q in group if q.speaker and _named(q.speaker_key)]
    return max(names, key=len) if names else None


def _quote_group(
    group: list[QuoteClaim], words: list[list[str]], copies: Mapping[str, str]
) -> FactGroup:
    label = _speaker(group) or "unattributed"
    if all(w == words[0] for w in words[1:]) or all(
        quote_similarity(w, max(words, key=len)) >= 0.999 for w in words
    ):
        return FactGroup("quote", "exact", label, group)
    # The reference wording: the one most members share, the longest among ties.
    counts: dict[tuple[str, ...], int] = defaultdict(int)
    for w in words:
        counts[tuple(w)] += 1
    reference = max(range(len(group)), key=lambda k: (counts[tuple(words[k])], len(words[k]), -k))
    diffs = {}
    changed = []
    for k, claim in enumerate(group):
        if k == reference or quote_similarity(words[k], words[reference]) >= 0.999:
            continue
        diffs[claim.article] = word_diff(words[reference], words[k])
        changed.append(claim.article)
    members = {q.article for q in group}
    by_copies = [a for a in changed if copies.get(a) in members and copies.get(a) not in changed]
    note = None
    if changed and len(by_copies) == len(changed):
        names = ", ".join(f"{a} (a copy of {copies[a]})" for a in by_copies)
        note = f"altered only in {names}: the change is the copy's, not the speaker's"
    group_out = FactGroup("quote", "altered", label, group, note, diffs)
    return group_out


def _entities(claims: Sequence[ArticleClaims]) -> list[FactGroup]:
    by_key: dict[str, list[EntityClaim]] = defaultdict(list)
    for c in claims:
        for e in c.entities:
            if e.label == "person" and e.key:
                by_key[e.key].append(e)
    # A surname alone that spaCy took for an organisation ("Velasquez said") is that person.
    for c in claims:
        for e in c.entities:
            key = alias_key(e.text)
            if e.label == "organisation" and " " not in e.text and key in by_key:
                by_key[key].append(e)
    out = []
    for _, mentions in sorted(by_key.items()):
        for person in _split_people(mentions):
            articles = {m.article for m in person}
            if len(articles) < 2:
                continue
            # One mention per article: its fullest form.
            best: dict[str, EntityClaim] = {}
            for m in person:
                if m.article not in best or len(m.text) > len(best[m.article].text):
                    best[m.article] = m
            # Full names (first and last) that differ: "Tony" and "Antony", "El Sisi" and
            # "Al-Sisi". A surname alone ("Blinken") is the usual second mention, not an alias.
            forms = {_bare(m.text) for m in person if _first_name(m) is not None}
            roles = _roles(m.role for m in person)
            status = "alias" if len(forms) > 1 else "consistent"
            notes = [f"written as {', '.join(sorted(forms))}"] if len(forms) > 1 else []
            if len(roles) > 1:
                notes.append(f"roles differ: {', '.join(roles)}")
            note = "; ".join(notes) or None
            full = [m.text for m in person if _first_name(m) is not None] or [person[0].text]
            label = max(full, key=lambda t: (full.count(t), -full.index(t)))
            out.append(FactGroup("entity", status, label, list(best.values()), note))
    return out


def _roles(titles: Iterable[str | None]) -> list[str]:
    """The distinct role titles, courtesy titles dropped and a title inside a longer one ("US
    Secretary of State" holds "Secretary") merged into it."""
    found = {
        " ".join(t.split())
        for t in titles
        if t and t.casefold().strip(".") not in ("mr", "mrs", "ms", "miss", "dr", "sir")
    }
    inside = {t for t in found for o in found if t != o and t.casefold() in o.casefold()}
    return sorted(found - inside)


def _bare(name: str) -> str:
    return " ".join(name.replace("’", "'").split())


def _split_people(mentions: list[EntityClaim]) -> list[list[EntityClaim]]:
    """Mentions sharing a surname key, split into people by their first names: "Joe Biden" and
    "Jill Biden" are two; "Tony Blinken", "Antony Blinken" and "Blinken" are one."""
    people: list[tuple[str | None, list[EntityClaim]]] = []
    for m in sorted(mentions, key=lambda m: -len(m.text.split())):
        first = _first_name(m)
        for k, (name, group) in enumerate(people):
            if first is None or name is None or _same_first(first, name):
                group.append(m)
                if name is None and first is not None:
                    people[k] = (first, group)
                break
        else:
            people.append((first, [m]))
    return [g for _, g in people]


def _first_name(m: EntityClaim) -> str | None:
    words = [w.casefold().strip(".") for w in m.text.split()]
    words = [w for w in words if w not in TITLES]
    return words[0] if len(words) >= 2 else None


def _same_first(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:  # an initial
        return a[0] == b[0]
    short, long = sorted((a, b), key=len)
    # "Tony" and "Antony", "Toni" and "Antonia", "Kino" and "Joaquino": a short form inside.
    edge = long.startswith(short) or long.endswith(short)
    return (len(short) >= 3 and edge) or (len(short) >= 4 and short in long)
