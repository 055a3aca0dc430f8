"""The stage contract: what a pipeline step computes, kept apart from who runs it.

A :class:`Stage` is a small picklable object (as datatrove's ``PipelineStep`` and NeMo Curator's
``ProcessingStage``):

* its parameters are stored as given in ``__init__`` (scikit-learn style), nothing is loaded;
* :meth:`Stage.setup` loads what it needs (models, tables) once per process; the engine calls
  it before the first batch, and the loaded state is dropped when the stage is pickled (shipped
  to a worker), so a worker loads its own;
* :meth:`Stage.process_batch` maps a :data:`Batch`, columns of equal length keyed by name (an
  ``id`` column naming each row), to another batch. It never sees a store, a file or a Spark
  session: an engine (:mod:`newsfold.engines`) reads the inputs, caches the outputs and schedules
  the stages.

Stages by kind: per article (``sketch``: signature, lead and sentence vectors; ``claims``), per
candidate pair (``judge``), order-dependent (``place``: story placement, resumable from a saved
state) and per story (``story_report``: reconciled facts and the summary).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

__all__ = ["Batch", "Stage", "column_lengths"]

#: Columns of equal length keyed by name; every stage reads and writes these.
Batch = dict[str, list[Any]]


def column_lengths(batch: Batch) -> int:
    """The number of rows of ``batch`` (0 when empty); raises if the columns disagree."""
    sizes = {len(v) for v in batch.values()}
    if len(sizes) > 1:
        raise ValueError(f"columns of unequal length: {sorted(sizes)}")
    return sizes.pop() if sizes else 0


class Stage(ABC):
    """A pipeline step over batches of columns (see the module docstring)."""

    #: The stage's name, as engines report it.
    name: str = "stage"
    #: Attributes holding loaded state: reset to None when the stage is pickled.
    loaded: tuple[str, ...] = ()

    def setup(self) -> None:  # noqa: B027 (optional hook: most stages load nothing)
        """Load models or tables; called by the engine once per process before batches."""

    @abstractmethod
    def process_batch(self, batch: Batch) -> Batch:
        """Columns in, columns out (one output row per input row unless the stage says)."""

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        for key in self.loaded:
            state[key] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items() if not k.startswith("_"))
        return f"{type(self).__name__}({params})"
