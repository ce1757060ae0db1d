"""HS-NAS: HAT's evolutionary search with a hybrid estimator schedule, driven by ask/tell or by Python callables."""

from __future__ import annotations

import ctypes
import json
import warnings

import numpy as np

from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Iterator,
    List,
    Mapping,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
    Union,
)

from ._handle import OwnedHandle
from ._types import Arch, JSONInput, JSONObject, PathLike, Progress
from ._library import (
    ESTIMATOR_VERSION,
    Callbacks,
    Estimator,
    ScoreSpreadFn,
    SearchPtr,
    Status,
    ValueFn,
    call_string,
    check,
    cost_function,
    featurizer_function,
    lib,
    progress_callback,
    take_string,
)
from .errors import InvalidArgumentError

if TYPE_CHECKING:
    from .llm import LLM
    from .mlp import MLP
    from .space import Space


class Scored(NamedTuple):
    """What a host estimator's callable returns to tell each score's spread with it (a standard deviation, finite,
    not negative: over an ensemble or seeds, say); a plain sequence of floats tells scores only."""

    scores: Sequence[float]
    spreads: Sequence[float]


# What a host estimator's callable returns: the scores, or the scores with their spreads.
Scores = Union[Sequence[float], Scored]


class Search(OwnedHandle):
    """A search of `space` configured as llmnas_search_create documents (a dict or JSON text; None for HAT's
    defaults with one host estimator "host"). Use one thread at a time.

    Ask/tell::

        for candidates, estimator in search:      # stops when the search is finished
            search.tell([score(arch) for arch in candidates])

    or `search.run({"host": lambda candidates: [...]})`. `checkpoint_path` is where the state is saved, if anywhere.
    The empty config is HAT's evolution: 125 + 29 x 100 = 3,025 calls of the host estimator at most;
    `max_expensive_calls` (the config key of that name) ends the search once the host estimators have answered that
    many scores, its last iteration recorded over the candidates they scored.
    """

    _free = lib.llmnas_search_free

    def __init__(self, space: Space, config: JSONInput = None, max_expensive_calls: Optional[int] = None) -> None:
        text = config if isinstance(config, str) else json.dumps(config or {})
        if max_expensive_calls is not None:
            text = _with_key(text, "max_expensive_calls", max_expensive_calls)
        handle = SearchPtr()
        check(lib.llmnas_search_create(space._handle, text.encode(), ctypes.byref(handle)))
        self._space_name: Optional[str] = space.name
        self._handle = handle
        self._keep: List[Any] = [space]  # the space (its host cost), models, clients and callbacks held on to
        self._callbacks = Callbacks()  # what a host constraint raised, re-raised by the call that ran it
        self.checkpoint_path = json.loads(text).get("checkpoint")

    @classmethod
    def resume(cls, path: PathLike) -> "Search":
        """The search saved in the checkpoint file `path`, exactly where it stood: it asks for the same candidates
        and ends with the same result as a run that never stopped. Bind models, clients and host constraints again
        before going on. Raises IOError (no such file), CorruptFileError (truncated, damaged, another format)."""
        handle = SearchPtr()
        check(lib.llmnas_search_resume(str(path).encode(), ctypes.byref(handle)))
        search = cls.__new__(cls)
        search._handle = handle
        search._space_name = None
        search._keep = []
        search._callbacks = Callbacks()
        search.checkpoint_path = str(path)
        return search

    def __repr__(self) -> str:
        if not self._handle:
            return "Search(closed)"
        history = self.history
        space = f"{self._space_name!r}, " if self._space_name else ""
        return f"Search({space}iteration {history['iteration']} of {history['iterations']}" + (
            ", finished)" if history["finished"] else ")"
        )

    def bind_mlp(self, name: str, model: MLP) -> "Search":
        """Binds an `MLP` to the config's MLP estimator or latency constraint `name`."""
        model._require_fitted()
        check(lib.llmnas_search_bind_mlp(self._handle, name.encode(), model._handle))
        self._keep.append(model)
        return self

    def bind_llm(self, name: str, llm: LLM) -> "Search":
        """Binds an `LLM` client to the config's LLM estimator `name`."""
        check(lib.llmnas_search_bind_llm(self._handle, name.encode(), llm._handle))
        self._keep.append(llm)
        return self

    def bind_constraint(self, name: str, function: Callable[[Arch], float]) -> "Search":
        """Binds `function(arch) -> float` to the config's host constraint `name`. An exception it raises stops the
        search step, which keeps what was done (and its checkpoint), and reaches the caller of `ask`, `tell` or
        `run` as itself."""

        def value_of(arch_json: bytes, value: Any, _user: Any) -> int:
            value[0] = float(function(json.loads(arch_json)))
            return 0

        callback = ValueFn(self._callbacks.wrap(value_of))
        check(lib.llmnas_search_bind_constraint(self._handle, name.encode(), callback, None))
        self._keep.append(callback)
        return self

    def bind_cost(
        self, name: str, function: Callable[[Arch], Union[Tuple[float, float], Dict[str, float]]]
    ) -> "Search":
        """Binds `function(arch) -> (params, flops)` (or a dict with those keys) to the space's host cost `name`, as
        `Space.with_cost` does; a resumed search needs it again. What it raises reaches the caller of `ask` or `run`
        as itself."""
        cost = cost_function(function)
        check(lib.llmnas_search_bind_cost(self._handle, name.encode(), cost, None))
        self._keep.append(cost)
        return self

    def bind_featurizer(self, name: str, function: Callable[[Arch], Sequence[float]]) -> "Search":
        """Binds `function(arch) -> features` to the space's featurizer `name`, as `Space.with_featurizer` does; a
        resumed search needs it again."""
        compute = featurizer_function(function)
        check(lib.llmnas_search_bind_featurizer(self._handle, name.encode(), compute, None))
        self._keep.append(compute)
        return self

    def ask(self) -> Tuple[List[Arch], str]:
        """(candidates, estimator): the architectures the current iteration needs from its host estimator, or
        ([], "") once finished. Built-in estimators (MLP, LLM) and breeding run inside; asking again before a tell
        gives the same batch. Raises InvalidArgumentError (an estimator or constraint not bound), InfeasibleError,
        IncompleteError (an LLM estimator's batch partly failed; the scores that came back are kept), and whatever a
        bound host constraint raised."""
        candidates, estimator = ctypes.c_void_p(), ctypes.c_void_p()
        self._callbacks.check(lib.llmnas_search_ask(self._handle, ctypes.byref(candidates), ctypes.byref(estimator)))
        return json.loads(take_string(candidates)), take_string(estimator)

    def tell(self, scores: Sequence[float], spreads: Optional[Sequence[float]] = None) -> None:
        """The scores of the last ask's candidates, in order (finite floats); checkpointed before the search moves
        on. `spreads`, if given, says how uncertain each score is (a standard deviation, finite, not negative: over
        an ensemble or seeds, say); the trials record it and a cascade's "keep_uncertain" reads it from its screen.
        Raises InvalidArgumentError (a count that is not the batch's, a NaN or infinite score, a bad spread,
        nothing asked) and, for the steps that follow, what `ask` raises."""
        values = np.ascontiguousarray(scores, dtype=np.float64).reshape(-1)
        widths = None if spreads is None else np.ascontiguousarray(spreads, dtype=np.float64).reshape(-1)
        if widths is not None and widths.size != values.size:
            raise InvalidArgumentError(f"tell got {widths.size} spreads for {values.size} scores")
        pointer = ctypes.POINTER(ctypes.c_double)
        self._callbacks.check(
            lib.llmnas_search_tell_spread(
                self._handle,
                values.ctypes.data_as(pointer),
                None if widths is None else widths.ctypes.data_as(pointer),
                values.size,
            )
        )

    def __iter__(self) -> Iterator[Tuple[List[Arch], str]]:
        while True:
            candidates, estimator = self.ask()
            if not candidates:
                return
            yield candidates, estimator

    def run(self, estimators: Mapping[str, Callable[[List[Arch]], Scores]], progress: Progress = None) -> JSONObject:
        """Runs to the end through llmnas_search_run, scoring each host estimator's batches with
        `estimators[name](candidates) -> scores`, or `-> Scored(scores, spreads)` to tell each score's spread as
        `tell` does. `progress("search", done, total, best_score)` after each iteration (the binding's one
        convention: True for a tqdm bar); a truthy return stops the run (it can go on later). An exception an
        estimator, a host constraint or `progress` raises stops the run, keeping every score told before, and
        reaches the caller as itself. Returns the best architecture's record."""
        callbacks = Callbacks()
        function = progress_callback(progress)
        asked_to_stop = False

        def report(stage: str, done: int, total: int, value: float) -> bool:
            nonlocal asked_to_stop
            asked_to_stop = function is not None and bool(function(stage, done, total, value))
            return asked_to_stop

        progress_fn = callbacks.progress(report if function is not None else None)
        records = (Estimator * max(1, len(estimators)))()
        keep: List[Any] = []
        for record, (name, estimator) in zip(records, estimators.items()):
            fn = ScoreSpreadFn(callbacks.wrap(_scorer(estimator)))
            keep += [name.encode(), fn]
            record.version, record.name, record.score_spread = ESTIMATOR_VERSION, keep[-2], fn
        status = lib.llmnas_search_run(self._handle, records, len(estimators), progress_fn, None)
        self._callbacks.check(0)  # what a bound host constraint raised
        callbacks.check(status, tolerated=(Status["CANCELLED"],) if asked_to_stop else ())
        return self.best

    @property
    def iterations(self) -> int:
        """The number of iterations the search runs."""
        return self.history["iterations"]

    @property
    def finished(self) -> bool:
        """Whether every iteration has been scored."""
        return self.history["finished"]

    @property
    def best(self) -> JSONObject:
        """The best architecture of the last finished iteration, with its score, constraints and stats. Raises
        NotFoundError before the first iteration finishes."""
        return _Document(json.loads(call_string(lib.llmnas_search_best, self._handle)), "best")

    @property
    def history(self) -> JSONObject:
        """Progress, estimator calls and one record per finished iteration."""
        return _Document(json.loads(call_string(lib.llmnas_search_history, self._handle)), "history")

    @property
    def trials(self) -> List[JSONObject]:
        """Every architecture any estimator scored, as a list of dicts in the order of the iterations that asked for
        them: "estimator", "iteration", "score", "spread" (None unless the estimator gave one), "parent" (ever kept
        as a parent), "constraints" ({name: value}), "architecture", and "params" and "flops" for spaces with a cost
        model."""
        return _Trials(self._trials_document()["trials"])

    def _trials_document(self) -> JSONObject:
        """The document llmnas_search_trials writes: the trials and each estimator's direction."""
        return json.loads(call_string(lib.llmnas_search_trials, self._handle))

    def trials_dataframe(self) -> Any:
        """The trials as a pandas DataFrame (pandas is an optional dependency), one row per trial, with Optuna's
        columns where they apply: "number" (the trial's place in `trials()`), "value" (its score), "params_<name>"
        per hyperparameter (a list's or per-layer hyperparameter's values as "params_<name>_<i>", missing (NaN)
        past an architecture's layers), "datetime_start" and "datetime_complete" (pandas timestamps in UTC, from the
        trial's "started" and "completed"; NaT for trials of a 1.0 checkpoint), "duration" (their difference) and
        "state" ("COMPLETE"); then llmnas's own: "iteration", "estimator", "spread",
        "parent", "constraint_<name>" per constraint, "params" and "flops" for spaces with a cost model, and the
        "architecture" as a dict."""
        import pandas

        trials = self.trials
        lengths: Dict[str, int] = {}
        for trial in trials:
            for name, value in trial["architecture"].items():
                if isinstance(value, list):
                    lengths[name] = max(lengths.get(name, 0), len(value))
        rows = []
        for number, trial in enumerate(trials):
            row: Dict[str, Any] = {"number": number, "value": trial["score"]}
            for name, value in trial["architecture"].items():
                if name in lengths:
                    row.update(
                        {f"params_{name}_{i}": value[i] if i < len(value) else None for i in range(lengths[name])}
                    )
                else:
                    row[f"params_{name}"] = value
            start, complete = (pandas.to_datetime(trial[key], unit="s", utc=True) for key in ("started", "completed"))
            row.update(datetime_start=start, datetime_complete=complete, duration=complete - start, state="COMPLETE")
            row.update({key: value for key, value in trial.items() if key not in _NOT_COPIED})
            row.update({f"constraint_{name}": value for name, value in trial["constraints"].items()})
            rows.append(row)
        return pandas.DataFrame(rows)

    def best_trials(self, estimator: Optional[str] = None) -> List[JSONObject]:
        """The Pareto front of `estimator`'s trials (default: the estimator of the last finished iteration): those no
        other trial beats on the score (in the estimator's direction) without being worse on some constraint."""
        document = self._trials_document()
        if estimator is None:
            history = self.history["history"]
            if not history:
                return []
            estimator = history[-1]["estimator"]
        if estimator not in document["higher_is_better"]:
            raise InvalidArgumentError(
                f"no estimator '{estimator}' (the search has {sorted(document['higher_is_better'])})"
            )
        sign = 1.0 if document["higher_is_better"][estimator] else -1.0
        trials = [t for t in document["trials"] if t["estimator"] == estimator]

        def dominates(a: JSONObject, b: JSONObject) -> bool:
            costs_a, costs_b = list(a["constraints"].values()), list(b["constraints"].values())
            no_worse = sign * a["score"] >= sign * b["score"] and all(x <= y for x, y in zip(costs_a, costs_b))
            better = sign * a["score"] > sign * b["score"] or any(x < y for x, y in zip(costs_a, costs_b))
            return no_worse and better

        return [t for t in trials if not any(dominates(other, t) for other in trials)]

    def write_report(self, path: PathLike, format: str = "html") -> None:
        """Writes the history as "jsonl", "csv" or "html" (inline SVG charts) to `path`, atomically."""
        check(lib.llmnas_search_write_report(self._handle, str(path).encode(), format.encode()))


#: The trial keys trials_dataframe() renames or spreads instead of copying.
_NOT_COPIED = ("score", "constraints", "started", "completed")


class _Document(dict):  # type: ignore[type-arg]
    """A search document read as a property, still callable as the method it was in 1.0 (deprecated, with a
    warning; removed in 2.0)."""

    def __init__(self, value: JSONObject, name: str) -> None:
        super().__init__(value)
        self._name = name

    def __call__(self) -> JSONObject:
        warnings.warn(
            f"Search.{self._name}() is deprecated: Search.{self._name} is a property since 1.1", DeprecationWarning, 2
        )
        return self


class _Trials(list):  # type: ignore[type-arg]
    """The trials read as a property, still callable as the 1.0 method (deprecated, with a warning)."""

    def __call__(self) -> List[JSONObject]:
        warnings.warn("Search.trials() is deprecated: Search.trials is a property since 1.1", DeprecationWarning, 2)
        return self


def _with_key(config: str, key: str, value: Any) -> str:
    """The JSON text `config` with `key` set to `value` (text that is no JSON object is left for the library to
    refuse)."""
    try:
        parsed = json.loads(config)
    except ValueError:
        return config
    return json.dumps(dict(parsed, **{key: value})) if isinstance(parsed, dict) else config


def _scorer(estimator: Callable[[List[Arch]], Scores]) -> Callable[..., int]:
    """The body of a C score_spread callback calling `estimator` on the candidates: it writes the scores and, for a
    `Scored`, the spreads; a count that is not the candidates' raises InvalidArgumentError."""

    def score(candidates_json: bytes, n: int, scores: Any, spreads: Any, _user: Any) -> int:
        result = estimator(json.loads(candidates_json))
        given, widths = (result.scores, result.spreads) if isinstance(result, Scored) else (result, None)
        values = np.asarray(given, dtype=np.float64).reshape(-1)
        if values.size != n or (widths is not None and len(widths) != n):
            count = values.size if values.size != n else len(widths or [])
            raise InvalidArgumentError(f"a host estimator returned {count} values for {n} candidates")
        for i in range(n):
            scores[i] = values[i]
        if widths is not None:
            for i, width in enumerate(np.asarray(widths, dtype=np.float64).reshape(-1)):
                spreads[i] = width
        return 0

    return score
