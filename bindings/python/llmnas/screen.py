"""A whole-space screen a host drives from a loop of its own (an Optuna sampler, a framework's ask and tell)."""

from __future__ import annotations

import ctypes
import json

from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from ._handle import OwnedHandle
from ._library import ScreenPtr, call_string, check, lib
from ._types import ArchLike, JSONObject
from .mlp import MLP
from .space import Space, _arch_text, _archs_text


class Screen(OwnedHandle):
    """The library's whole-space Gaussian-process screen (an llmnas_screen handle): told every score so far, it
    proposes the best architectures of the space that are neither scored nor excluded, as a search's whole-space
    cascade with a "gp" screen would. Its pool is the whole space when the space has at most `sample` gene vectors,
    else a sample drawn from `seed`. `exploration` adds that many posterior deviations to the mean (subtracts them
    when lower is better); `prior`, a fitted MLP on the space's features (e.g. distilled from LLM-PP labels), is the
    prior mean, which the scores overrule as they accumulate. It keeps only what follows from its arguments, so
    processes told the same scores propose the same architectures. One thread at a time.

        screen = llmnas.Screen(llmnas.Space.builtin("nas-bench-graph"), seed=1)
        scored = []
        for _ in range(50):
            arch = screen.choose(scored)[0]["architecture"]
            scored.append((arch, evaluate(arch)))
    """

    _free = lib.llmnas_screen_free

    def __init__(
        self,
        space: Space,
        *,
        seed: int = 0,
        higher_is_better: bool = True,
        exploration: float = 1.0,
        sample: int = 100_000,
        prior: Optional[MLP] = None,
    ) -> None:
        config = {"seed": seed, "higher_is_better": higher_is_better, "exploration": exploration, "sample": sample}
        handle = ScreenPtr()
        prior_handle = prior._handle if prior is not None else None
        check(lib.llmnas_screen_create(space._handle, json.dumps(config).encode(), prior_handle, ctypes.byref(handle)))
        self._handle = handle
        self.space = space

    @property
    def pool(self) -> JSONObject:
        """{"size": the architectures the pool holds, "enumerated": whether it is the whole space}."""
        return json.loads(call_string(lib.llmnas_screen_pool, self._handle))

    def choose(
        self, scored: Union[Sequence[Tuple[ArchLike, float]], bytes], count: int = 1, exclude: Sequence[ArchLike] = ()
    ) -> List[Dict[str, Any]]:
        """The best `count` architectures neither in `scored` ((architecture, score) pairs, every score so far in the
        order it came, or their JSON text from `told`) nor in `exclude` (e.g. those being evaluated), best first,
        each {"architecture", "score" (the optimistic score), "spread" (the posterior deviation, or None)}; fewer,
        or none, when fewer are left. The library reads a list that repeats the beginning of the one before from
        where the two part, so a caller appending scores pays for the new ones."""
        text = scored if isinstance(scored, bytes) else b"[" + b",".join(told(a, s) for a, s in scored) + b"]"
        excluded = _archs_text(list(exclude)) if exclude else None
        return json.loads(call_string(lib.llmnas_screen_choose, self._handle, text, excluded, count))


def told(arch: ArchLike, score: float) -> bytes:
    """One score as `Screen.choose` sends it, `{"architecture": ..., "score": ...}` (an architecture given as JSON
    text goes as it stands; NaN and infinities as Python writes them, which the library refuses): a caller that keeps
    these joins them into the list as `b"[" + b",".join(items) + b"]"`."""
    return b'{"architecture":%s,"score":%s}' % (_arch_text(arch), repr(float(score)).encode())
