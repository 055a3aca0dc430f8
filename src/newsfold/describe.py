"""What a story is made of: the :class:`Story` view of a folded story.

:func:`describe_story` builds it from a story's members, their articles, the derived relations
among them and their lead vectors (an engine reads these from its store): a label (the headline
of the member closest to the story's centre), the time span (from the members' effective dates:
a publication date its own text contradicts is suspect, :func:`newsfold.dates.date_check`, and
counts only through the days its text points to), the languages, each member's role (the
original of a reuse tree, a copy, a side of a reuse whose direction is unknown, or an
independent report) and the number of independent sources (all articles of one reuse tree count
once, whatever is known of its direction). :func:`key_entities` names the people, places
and organisations most members mention.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from newsfold.article import Article
from newsfold.corroborate import STOPWORDS
from newsfold.dates import DateCheck, date_check
from newsfold.names import CALENDAR, name_runs
from newsfold.trees import reuse_trees

__all__ = ["Member", "Story", "clean_title", "describe_story", "key_entities"]


@dataclass(frozen=True, slots=True)
class Member:
    """An article of a story and its part in it."""

    article: str
    title: str | None
    source: str | None
    published: datetime | None
    language: str | None
    role: str  # "original", "copy", "reuse, direction unknown" or "independent"
    copy_of: str | None
    relation: str | None
    probability: float
    dates: DateCheck | None = None  # the check of ``published`` (None: not checked)

    @property
    def date_suspect(self) -> bool:
        """Whether ``published`` disagrees with the dates the article's text states."""
        return self.dates is not None and self.dates.suspect

    @property
    def effective(self) -> datetime | None:
        """``published`` unless it is suspect."""
        return None if self.date_suspect else self.published

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.article,
            "title": self.title,
            "source": self.source,
            "published": self.published.isoformat() if self.published else None,
            "published_suspect": self.dates.to_dict() if self.date_suspect else None,
            "language": self.language,
            "role": self.role,
            "copy_of": self.copy_of,
            "relation": self.relation,
            "probability": round(self.probability, 4),
        }


@dataclass(slots=True)
class Story:
    """A story: the articles that report one event."""

    id: str
    label: str
    entities: list[str]
    first: datetime | None
    last: datetime | None
    languages: list[str]
    sources: int
    members: list[Member] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.members)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "entities": self.entities,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "languages": self.languages,
            "articles": self.size,
            "independent_sources": self.sources,
            "members": [m.to_dict() for m in self.members],
        }


def describe_story(
    story_id: str,
    members: Sequence[tuple[str, float]],
    articles: Mapping[str, Article],
    relations: Sequence[dict[str, Any]],
    leads: NDArray[np.float32],
) -> Story:
    """The view of one story: ``members`` are ``(article id, probability)``, ``articles`` their
    articles, ``relations`` the derived relations among them (columns only, as
    ``Store.relations_among`` gives), ``leads`` their lead vectors (rows in member order)."""
    copy_of: dict[str, tuple[str, str]] = {}
    originals: set[str] = set()
    group_of: dict[str, str] = {}  # reuse group (its tree's root) of each member of a tree
    for tree in reuse_trees(relations):
        known = [e for e in tree["edges"] if e["direction"] == "evidence"]
        originals |= {e["source"] for e in known} - {e["copy"] for e in known}
        for member in tree["members"]:
            group_of[member] = tree["root"]
        for edge in tree["edges"]:
            if edge["direction"] == "evidence":  # an undirected edge names no copy
                copy_of[edge["copy"]] = (edge["source"], edge["relation"])
    out: list[Member] = []
    rows: list[int] = []
    for k, (article_id, prob) in enumerate(members):
        art = articles.get(article_id)
        if art is None:
            continue
        rows.append(k)
        source, relation = copy_of.get(article_id, (None, None))
        if source:
            role = "copy"
        elif article_id in originals:
            role = "original"
        elif article_id in group_of:
            role = "reuse, direction unknown"
        else:
            role = "independent"
        out.append(
            Member(
                article_id,
                art.title,
                art.source,
                art.published,
                art.language,
                role,
                source,
                relation,
                prob,
                date_check(art) if art.published else None,
            )
        )
    dates = [m.effective for m in out if m.effective]
    for m in out:  # a suspect date counts as the days its own text points to
        if m.dates is not None and m.dates.likely is not None:
            dates.extend(datetime(d.year, d.month, d.day, tzinfo=UTC) for d in m.dates.likely)
    vectors = leads[rows] if rows else np.zeros((0, 1), dtype=np.float32)
    centre = vectors.mean(axis=0) if rows else None
    medoid = out[int(np.argmax(vectors @ centre))] if centre is not None else None
    texts = [articles[m.article].text for m in out]
    entities = key_entities(texts)
    if medoid is not None and medoid.title:
        label = clean_title(medoid.title, medoid.source)
    else:
        lead = _first_words(dict(articles), [medoid] if medoid else out)
        label = f"{', '.join(entities[:3])}: {lead}" if entities else lead
    return Story(
        id=story_id,
        label=label,
        entities=entities,
        first=min(dates) if dates else None,
        last=max(dates) if dates else None,
        languages=sorted({m.language for m in out if m.language}),
        sources=len({group_of.get(m.article, m.article) for m in out}),
        members=out,
    )


def _first_words(articles: Mapping[str, Article | None], members: list[Member]) -> str:
    for m in members:
        art = articles.get(m.article)
        if art is not None and art.text:
            words = art.text.split()
            return " ".join(words[:12]) + (" …" if len(words) > 12 else "")
    return "(empty story)"


# " - Reuters", " | BBC News", " — Le Monde": a site name after the headline.
_TITLE_TAIL = re.compile(r"\s+[-|–—]\s+([^-|–—]{2,40})$")


def key_entities(texts: Sequence[str], k: int = 5) -> list[str]:
    """The names most of ``texts`` mention (people, places, organisations, as runs of
    capitalised words, a person also by surname), by how many texts name them, longest form
    first on ties, one form per entity. A single word that the texts also write in lower case
    ("Officials said") is a sentence start, not a name."""
    lowered = Counter(w for t in texts for w in re.findall(r"\b[a-z][\w'-]*", t))
    found = [list(name_runs(text)) for text in texts]
    # A single word never met capitalised inside a sentence only opens sentences ("Critics").
    inside = Counter(name for runs in found for name, opens in runs if not opens)
    seen: Counter[str] = Counter()
    first: dict[str, int] = {}
    for runs in found:
        names: dict[str, None] = {}  # in order of appearance
        for name, _ in runs:
            words = name.split()
            if len(words) == 1 and (
                name.casefold() in STOPWORDS
                or name.casefold() in CALENDAR
                or lowered[name.casefold()] > 0
                or not inside[name]
                or len(name) < 3
            ):
                continue
            names[name] = None
            if len(words) > 1 and words[-1][:1].isupper():  # "Antony Blinken" names "Blinken"
                names.setdefault(words[-1], None)
        for name in names:
            seen[name] += 1
            first.setdefault(name, len(first))
    for name in [n for n in seen if n.isupper() and n.title() in seen]:  # "TARSK —" datelines
        seen[name.title()] = min(len(texts), seen[name.title()] + seen.pop(name))
    # One entity per list: "Blinken" and "Antony Blinken", "Gaza" and "Gaza Strip" share words.
    ranked = sorted(seen, key=lambda n: (-seen[n], -len(n.split()), first[n]))
    out: list[str] = []
    for name in ranked:
        words = set(name.split())
        if any(words & set(chosen.split()) for chosen in out):
            continue
        out.append(name)
        if len(out) == k:
            break
    return out


def clean_title(title: str, source: str | None = None) -> str:
    """A headline without the site name after it ("Quake kills 23 - Daily Post" → "Quake kills
    23"), when that tail is the source's name or a short name."""
    title = " ".join(title.split())
    m = _TITLE_TAIL.search(title)
    if m:
        tail = m.group(1).strip()
        squeezed = re.sub(r"\W", "", tail.casefold())
        site = re.sub(r"\W", "", source.casefold()) if source else ""
        named = bool(squeezed) and squeezed in site
        short = len(tail.split()) <= 3 and tail[:1].isupper()
        if named or (short and m.start() > 15):
            title = title[: m.start()].rstrip()
    return title
