"""Search spaces and the architecture operations on them."""

from __future__ import annotations

import ctypes
import json

from typing import Any, Callable, Dict, List, Mapping, Sequence, Tuple, Union

import numpy as np

from . import _checks as checks
from ._handle import OwnedHandle
from ._library import SpacePtr, call_string, check, cost_function, featurizer_function, lib
from ._types import Arch, ArchLike, JSONObject
from .errors import BufferTooSmallError


def _arch_text(arch: ArchLike) -> bytes:
    """JSON text of an architecture given as a dict or as JSON text."""
    if isinstance(arch, (str, bytes)):
        return arch.encode() if isinstance(arch, str) else arch
    return json.dumps(arch, separators=(",", ":")).encode()


def _archs_text(archs: Union[str, bytes, Sequence[ArchLike]]) -> bytes:
    """JSON text of a list of architectures (dicts or JSON texts), or of a JSON array given as text."""
    if isinstance(archs, (str, bytes)):
        return archs.encode() if isinstance(archs, str) else archs
    return b"[" + b",".join(_arch_text(a) for a in archs) + b"]"


class Space(OwnedHandle):
    """A search space (an llmnas_space handle). Immutable, so one Space may be shared between threads."""

    _free = lib.llmnas_space_free

    def __init__(self, handle: Any) -> None:
        """Wraps a handle; use `Space.builtin` or `Space.from_json`."""
        self._handle = handle
        self._bound: List[Any] = []  # the bound host functions' C callbacks, kept alive with the space

    @staticmethod
    def builtin_names() -> List[str]:
        """The names of the built-in spaces."""
        return json.loads(call_string(lib.llmnas_space_builtin_names))

    @classmethod
    def builtin(cls, name: str) -> "Space":
        """The built-in space `name`, e.g. "hat-wmt14ende" or "nas-bench-graph" (`builtin_names()` lists them).
        Raises NotFoundError for another name; the message lists the built-in ones."""
        handle = SpacePtr()
        check(lib.llmnas_space_builtin(name.encode(), ctypes.byref(handle)))
        return cls(handle)

    @classmethod
    def from_json(cls, definition: Union[Mapping[str, Any], str]) -> "Space":
        """The space a definition describes: a dict or JSON text ("search space" in docs/formats.md, the format of
        `to_json`). Raises InvalidSpaceError naming the key at fault, MalformedJSONError for text that is not JSON."""
        text = definition if isinstance(definition, str) else json.dumps(definition)
        handle = SpacePtr()
        check(lib.llmnas_space_from_json(text.encode(), ctypes.byref(handle)))
        return cls(handle)

    def to_json(self) -> JSONObject:
        """The space's definition as a dict."""
        return json.loads(call_string(lib.llmnas_space_serialize, self._handle))

    @property
    def name(self) -> str:
        """The space's name."""
        return self.to_json()["name"]

    @property
    def feature_count(self) -> int:
        """How many features each architecture has."""
        count = ctypes.c_size_t()
        check(lib.llmnas_space_feature_count(self._handle, ctypes.byref(count)))
        return count.value

    @property
    def feature_names(self) -> List[str]:
        """The name of each feature, in the order of `features`' columns ("decoder_ffn_embed_dim_avg",
        "ops[0]=gcn", ...)."""
        return json.loads(call_string(lib.llmnas_space_feature_names, self._handle))

    def sample(self, count: int, seed: int = 0) -> List[Arch]:
        """`count` architectures drawn uniformly under the space's constraints, as a list of dicts; the same `seed`
        (0 to 2**64 - 1) gives the same list on every machine. Raises TypeError for a count or seed that is not an
        integer, ValueError for one out of range, InfeasibleError when the constraints reject every draw."""
        count, seed = checks.whole(count, "count"), checks.seed(seed)
        return json.loads(call_string(lib.llmnas_space_sample, self._handle, seed, count))

    def validate(self, arch: ArchLike) -> None:
        """Raises InvalidArchitectureError (or MalformedJSONError) unless `arch` belongs to the space."""
        check(lib.llmnas_arch_validate(self._handle, _arch_text(arch)))

    def features(self, archs: Union[str, Sequence[ArchLike]]) -> np.ndarray:
        """The features of a list of architectures (dicts or JSON texts) as a float32 array of shape (len(archs),
        feature_count), columns named by `feature_names`. Raises InvalidArchitectureError naming the architecture
        and the hyperparameter at fault."""
        text = _archs_text(archs)
        rows = ctypes.c_size_t()
        status = lib.llmnas_arch_features_batch(self._handle, text, None, 0, ctypes.byref(rows))
        if status != 0 and status != BufferTooSmallError.status:
            check(status)
        out = np.empty((rows.value, self.feature_count), dtype=np.float32)
        pointer = out.ctypes.data_as(ctypes.POINTER(ctypes.c_float))
        check(lib.llmnas_arch_features_batch(self._handle, text, pointer, out.size, ctypes.byref(rows)))
        return out

    def mutate(self, arch: ArchLike, probability: float = 0.3, seed: int = 0) -> Arch:
        """HAT's mutation of `arch`: each gene redrawn with `probability` (0 to 1), under the space's constraints;
        returns the child as a dict, fixed by `seed`. Raises InvalidArchitectureError, ValueError (a probability
        outside [0, 1], a seed out of range), InfeasibleError."""
        seed = checks.seed(seed)
        return json.loads(call_string(lib.llmnas_arch_mutate, self._handle, _arch_text(arch), probability, seed))

    def crossover(self, a: ArchLike, b: ArchLike, seed: int = 0) -> Arch:
        """HAT's crossover: each gene from `a` or `b` with equal chance, under the space's constraints; returns the
        child as a dict, fixed by `seed`. Raises InvalidArchitectureError, ValueError, InfeasibleError."""
        seed = checks.seed(seed)
        return json.loads(call_string(lib.llmnas_arch_crossover, self._handle, _arch_text(a), _arch_text(b), seed))

    def stats(self, arch: ArchLike) -> JSONObject:
        """Parameters and FLOPs of `arch` as HAT counts them ("stats" in docs/formats.md). Raises UnsupportedError
        for a space without a cost model (nas-bench-graph)."""
        return json.loads(call_string(lib.llmnas_arch_stats, self._handle, _arch_text(arch)))

    def with_cost(self, name: str, function: Callable[[Arch], Union[Tuple[float, float], Dict[str, float]]]) -> "Space":
        """This space with its host cost model `name` (`"cost_model": {"kind": "host", "name": ...}`) bound to
        `function(arch)`, which returns `(params, flops)` or `{"params": ..., "flops": ...}`: `stats`, the params and
        flops constraints, proposals' bounds, validation's cost lines and the prompts' GFLOPs line then call it. This
        space is unchanged. What `function` raises reaches the caller of the call that needed the cost, as itself.
        Raises NotFoundError when the space has no host cost `name`."""
        return self._binding(lib.llmnas_space_with_cost, name, cost_function(function))

    def with_featurizer(self, name: str, function: Callable[[Arch], Sequence[float]]) -> "Space":
        """This space with its featurizer `name` (`"featurizer": {"name": ..., "count": n}`) bound to
        `function(arch)`, which returns the architecture's n features: `features`, the MLP estimators and screens,
        distillation, refits and nearest demonstrations then read them. This space is unchanged. What `function`
        raises (ValueError for a wrong count) reaches the caller of the call that needed the features, as itself.
        Raises NotFoundError when the space has no featurizer `name`."""
        return self._binding(lib.llmnas_space_with_featurizer, name, featurizer_function(function))

    def _binding(self, bind: Any, name: str, callback: Any) -> "Space":
        """The new space a `llmnas_space_with_*` function makes with the C `callback` bound to `name`, which keeps
        the callbacks bound before and this one alive."""
        handle = SpacePtr()
        check(bind(self._handle, name.encode(), callback, None, ctypes.byref(handle)))
        bound = Space(handle)
        bound._bound = self._bound + [callback]
        return bound

    def __repr__(self) -> str:
        return f"Space({self.name!r})"
