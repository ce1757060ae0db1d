"""A predictor on architectures, as NAS libraries (NASLib) expect one: `fit(archs, y)`, then `query(archs)`."""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence, Union

import numpy as np

from ._types import ArchLike, Progress
from .mlp import MLP
from .space import Space


class Predictor:
    """An MLP on the features of a space's architectures: `Predictor(space).fit(archs, scores).query(new_archs)`.
    The config is an MLP config ("MLP config" in docs/formats.md; the paper's recipe by default)."""

    def __init__(self, space: Space, config: Optional[Mapping[str, Any]] = None, **options: Any) -> None:
        self.space = space
        self.model = MLP(config, **options)

    def fit(self, archs: Union[str, Sequence[ArchLike]], y: Sequence[float], progress: Progress = None) -> "Predictor":
        """Trains on the architectures and their measured scores; returns the predictor."""
        self.model.fit(self.space.features(archs), np.asarray(y, dtype=np.float32), progress=progress)
        return self

    def query(self, archs: Union[str, Sequence[ArchLike]]) -> np.ndarray:
        """The predicted scores of the architectures, as a float32 array."""
        return self.model.predict(self.space.features(archs))

    def __repr__(self) -> str:
        return f"Predictor({self.space!r}, {self.model!r})"
