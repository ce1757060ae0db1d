"""LLM-PP through the library: the client, prompts, predictions, metrics and the paper's protocol."""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import tempfile
import warnings

from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from . import _checks as checks
from ._handle import OwnedHandle
from ._library import Callbacks, LLMPtr, call_string, check, lib
from .errors import IncompleteError, InvalidArgumentError, MalformedJSONError, PartialFailureWarning, error_for
from ._types import ArchLike, Demos, JSONInput, JSONObject, PathLike, Progress
from .space import Space, _arch_text, _archs_text

if TYPE_CHECKING:
    from .mlp import MLP


def _json_text(value: JSONInput) -> Optional[bytes]:
    """JSON text of a dict/list, or the text itself; None stays None (NULL)."""
    if value is None:
        return None
    return (value if isinstance(value, str) else json.dumps(value)).encode()


def _demos_text(demos: Demos) -> bytes:
    """JSON text of demonstrations given as [(arch, score)], [{"architecture": ..., "score": ...}] or text."""
    if isinstance(demos, (str, bytes)):
        return demos.encode() if isinstance(demos, str) else demos
    items = []
    for demo in demos:
        if isinstance(demo, dict):
            arch, score = demo["architecture"], demo["score"]
        else:
            arch, score = demo
        items.append(b'{"architecture":' + _arch_text(arch) + b',"score":' + json.dumps(float(score)).encode() + b"}")
    return b"[" + b",".join(items) + b"]"


class LLM(OwnedHandle):
    """A client of an OpenAI-compatible endpoint (an llmnas_llm handle): concurrency, retries, a response cache and a
    usage ledger. Use one LLM from one thread at a time. The config is a dict ("LLM client config" in
    docs/formats.md); a key given as None is left out (its default applies). `with llmnas.LLM(...) as llm:` closes
    the client and its cache file at the end of the block."""

    _free = lib.llmnas_llm_free

    def __init__(self, config: Optional[Mapping[str, Any]] = None, **options: Any) -> None:
        """`LLM({"model": "gpt-4o", ...})` or `LLM(model="gpt-4o", cache_file="cache.llmnas")`: the keys of "LLM
        client config" in docs/formats.md. Raises InvalidArgumentError naming a key that is unknown or out of range,
        IOError or CorruptFileError for a cache file that cannot be opened or is of another kind."""
        settings = {key: value for key, value in dict(config or {}, **options).items() if value is not None}
        handle = LLMPtr()
        check(lib.llmnas_llm_create(json.dumps(settings).encode(), ctypes.byref(handle)))
        self._handle = handle
        self._settings = settings

    def __repr__(self) -> str:
        shown = {key: self._settings[key] for key in ("model", "base_url", "api", "n") if key in self._settings}
        return "LLM(" + ", ".join(f"{key}={value!r}" for key, value in shown.items()) + ")"

    @property
    def usage(self) -> JSONObject:
        """The ledger ("usage" in docs/formats.md): requests, retries, failures, cache hits, items the budget
        refused, batch jobs, tokens (cached prompt tokens apart), cost, wall seconds."""
        return json.loads(call_string(lib.llmnas_llm_usage, self._handle))

    def predict(
        self,
        space: Space,
        archs: Union[str, Sequence[ArchLike]],
        demos: Demos,
        task: JSONInput = None,
        progress: Progress = None,
        raise_on_failure: bool = False,
    ) -> Tuple[np.ndarray, np.ndarray]:
        """LLM-PP scores of `archs` (a list of dicts or JSON texts) given `demos` ([(arch, score)] or
        [{"architecture", "score"}]). Returns (scores, statuses): a float64 array with NaN for failed items and an int
        array of status values (`llmnas.Status(statuses[i])` names one; they compare equal to `llmnas.Status`
        members). `progress(stage, done, total, value)` returning True cancels; an exception it raises comes back
        here. When every item failed, the first item's error is raised (its message counts the failures and quotes
        the first reason); when some failed, a PartialFailureWarning says so and the rest come back. With
        `raise_on_failure`, any failed item raises IncompleteError instead."""
        scores, _, _, _, statuses, failure = self.predict_items(space, archs, demos, task, progress, raise_on_failure)
        if failure:
            _speak_of_failures(statuses, failure)
        return scores, statuses

    def predict_spread(
        self,
        space: Space,
        archs: Union[str, Sequence[ArchLike]],
        demos: Demos,
        task: JSONInput = None,
        progress: Progress = None,
        raise_on_failure: bool = False,
    ) -> Tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """`predict` with each item's spread over its "n" samples: (scores, standard deviations, lowest answers,
        highest answers, statuses), float64 arrays with NaN for failed items (one sample: deviation 0, its score
        twice; with calibration, through its line)."""
        *arrays, failure = self.predict_items(space, archs, demos, task, progress, raise_on_failure)
        if failure:
            _speak_of_failures(arrays[-1], failure)
        return tuple(arrays)  # type: ignore[return-value]

    def predict_items(
        self,
        space: Space,
        archs: Union[str, Sequence[ArchLike]],
        demos: Demos,
        task: JSONInput = None,
        progress: Progress = None,
        raise_on_failure: bool = False,
    ) -> Tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, Optional[str]]:
        """`predict_spread` for pipelines that report each item themselves (the CLI): failed items raise nothing and
        warn nothing (unless `raise_on_failure`); returns the five arrays and, when items failed, the library's
        message (the count of failures and the first failed item's reason), else None."""
        text, n = _archs_and_count(archs)
        scores, stddevs, lows, highs = (np.full(n, np.nan) for _ in range(4))
        statuses = np.zeros(n, dtype=np.intc)
        callbacks = Callbacks()
        doubles = ctypes.POINTER(ctypes.c_double)
        status = lib.llmnas_llmpp_predict_spread(
            self._handle,
            space._handle,
            _json_text(task),
            _demos_text(demos),
            text,
            scores.ctypes.data_as(doubles),
            stddevs.ctypes.data_as(doubles),
            lows.ctypes.data_as(doubles),
            highs.ctypes.data_as(doubles),
            statuses.ctypes.data_as(ctypes.POINTER(ctypes.c_int)),
            n,
            callbacks.progress(progress),
            None,
        )
        incomplete = int(IncompleteError.status or 0)
        callbacks.check(status, tolerated=() if raise_on_failure else (incomplete,))
        failure = lib.llmnas_last_error().decode("utf-8", "replace") if status == incomplete else None
        return scores, stddevs, lows, highs, statuses, failure

    def estimate(
        self, space: Space, archs: Union[str, Sequence[ArchLike]], demos: Demos, task: JSONInput = None
    ) -> JSONObject:
        """What `predict` with these arguments would send and cost now, before anything is sent ("estimate" in
        docs/formats.md): requests after the cache, prompt tokens (by the endpoint's tokenizer when it has one;
        "token_source" says), projected and maximal completion tokens and cost, and "within_budget"."""
        text, n = _archs_and_count(archs)
        return json.loads(
            call_string(
                lib.llmnas_llmpp_estimate, self._handle, space._handle, _json_text(task), _demos_text(demos), text, n
            )
        )

    def validate(
        self,
        space: Space,
        demos: Demos,
        folds: Optional[int] = None,
        bootstrap: int = 1000,
        confidence: float = 0.95,
        seed: int = 0,
        task: JSONInput = None,
        progress: Progress = None,
    ) -> JSONObject:
        """How good LLM-PP is on `demos` before anything else is paid for ("validation" in docs/formats.md): each
        demonstration predicted from the others (leave-one-out up to 50, in calibration's prompts, so a calibration
        afterwards finds its answers in the cache; else `folds`, 10 by default), by LLM-PP, calibrated LLM-PP and,
        for spaces with a cost model, the least-squares lines on parameters and GFLOPs, and the combined predictor
        (with its `llm_share`); MAE, RMSE and Kendall tau-b over the demonstrations all predicted, with `confidence`
        bootstrap intervals from `bootstrap` resamples."""
        options: Dict[str, Any] = {"bootstrap": bootstrap, "confidence": confidence, "seed": seed}
        if folds is not None:
            options["folds"] = folds
        return self._study(lib.llmnas_llmpp_validate, space, demos, options, task, progress)

    def choose(
        self,
        space: Space,
        demos: Demos,
        max_requests: Optional[int] = None,
        prompt_modes: Optional[Sequence[JSONObject]] = None,
        task: JSONInput = None,
        progress: Progress = None,
    ) -> JSONObject:
        """The prompt mode and predictor to use on `demos` ("choice" in docs/formats.md): each prompt mode of
        `prompt_modes` (prompt options; default: every demonstration shown, then the nearest half) validated as
        `validate` does while its requests fit `max_requests`, and the candidate (LLM-PP, calibrated, combined, a
        cost line) of least cross-validated MAE chosen. Never sends more than `max_requests` requests. Merge the
        result's "task_options" into `task` to predict with the chosen predictor (None: a cost line won)."""
        options: Dict[str, Any] = {}
        if max_requests is not None:
            options["max_requests"] = max_requests
        if prompt_modes is not None:
            options["prompt_modes"] = list(prompt_modes)
        return self._study(lib.llmnas_llmpp_choose, space, demos, options, task, progress)

    def _study(
        self, function: Any, space: Space, demos: Demos, options: JSONObject, task: JSONInput, progress: Progress
    ) -> JSONObject:
        """A call that studies the demonstrations (validation, choice) with its options, as JSON."""
        callbacks = Callbacks()
        return json.loads(
            callbacks.call_string(
                function,
                self._handle,
                space._handle,
                _json_text(task),
                _demos_text(demos),
                json.dumps(options).encode(),
                callbacks.progress(progress),
                None,
            )
        )

    def propose(
        self,
        space: Space,
        demos: Demos,
        count: int = 10,
        max_gflops: Optional[float] = None,
        max_params: Optional[float] = None,
        rounds: int = 3,
        structured: bool = False,
        task: JSONInput = None,
    ) -> JSONObject:
        """LLM-proposed architectures: `count` new architectures of `space` that should score better than `demos`,
        within `max_gflops` and `max_params` (spaces with a cost model), asked for in at most `rounds` requests;
        `structured` asks for them in the space's JSON schema (structured outputs: OpenAI, llama-server).
        Returns "proposals" of docs/formats.md: "architectures" (the accepted ones, ready for a search config's
        "initial"), "accepted" with their round and stats, and "rejected", each with its text and reason."""
        request: Dict[str, Any] = {
            "count": count,
            "rounds": rounds,
            "answer_format": "json_schema" if structured else "text",
        }
        if max_gflops is not None:
            request["max_gflops"] = max_gflops
        if max_params is not None:
            request["max_params"] = max_params
        return json.loads(
            call_string(
                lib.llmnas_llm_propose,
                self._handle,
                space._handle,
                _json_text(task),
                _demos_text(demos),
                json.dumps(request).encode(),
            )
        )

    def distill(
        self,
        space: Space,
        demos: Demos,
        pool_path: Union[PathLike, Sequence[ArchLike]],
        labels: int,
        seed: int = 0,
        task: JSONInput = None,
        mlp_config: JSONInput = None,
        progress: Progress = None,
    ) -> Tuple["MLP", JSONObject]:
        """LLM-Distill-PP: `labels` architectures drawn (by `seed`) from the pool, a JSON Lines file at `pool_path`
        or a list of architectures, labelled by LLM-PP through this client's cache, and an MLP trained on them
        (`mlp_config`: "MLP config" in docs/formats.md). Returns (MLP, report), the report being "distillation
        report" in docs/formats.md: what the labels cost against what a prediction costs afterwards. Raises
        BadAnswerError when fewer than 2 labels came back, IOError for the pool file, CancelledError or what
        `progress` raised."""
        from .mlp import MLP
        from ._library import MLPPtr, take_string

        handle, report = MLPPtr(), ctypes.c_void_p()
        callbacks = Callbacks()
        with _pool_file(pool_path) as pool:
            callbacks.check(
                lib.llmnas_llmpp_distill(
                    self._handle,
                    space._handle,
                    _json_text(task),
                    _demos_text(demos),
                    pool.encode(),
                    checks.whole(labels, "labels"),
                    checks.seed(seed),
                    _json_text(mlp_config),
                    callbacks.progress(progress),
                    None,
                    ctypes.byref(handle),
                    ctypes.byref(report),
                )
            )
        return MLP._wrap(handle), json.loads(take_string(report))

    def eval_paper_protocol(
        self, data_dir: PathLike, options: JSONInput = None, progress: Progress = None
    ) -> JSONObject:
        """The paper's protocol with LLM-PP beside the baselines; see `eval_paper_protocol`."""
        return eval_paper_protocol(data_dir, self, options, progress)


def _archs_and_count(archs: Union[str, Sequence[ArchLike]]) -> Tuple[bytes, int]:
    """The JSON text of a list of architectures (or of a JSON array given as text) and how many it holds."""
    text = _archs_text(archs)
    if isinstance(archs, (str, bytes)):
        try:
            archs = json.loads(text)
        except ValueError as exc:
            raise MalformedJSONError(f"archs is not JSON: {exc}") from None
    return text, len(archs)


def build_prompt(
    space: Space, arch: ArchLike, demos: Demos, task: JSONInput = None, options: JSONInput = None
) -> List[Dict[str, str]]:
    """The LLM-PP messages (a list of {"role", "content"}) for `arch` given `demos`."""
    return json.loads(
        call_string(
            lib.llmnas_prompt_build,
            space._handle,
            _json_text(task),
            _demos_text(demos),
            _arch_text(arch),
            _json_text(options),
        )
    )


def _paired(a: Any, b: Any) -> Tuple[Any, Any, int, Tuple[np.ndarray, np.ndarray]]:
    """Two 1-D float64 arrays of equal length as C pointers, with their length."""
    a = np.ascontiguousarray(a, dtype=np.float64)
    b = np.ascontiguousarray(b, dtype=np.float64)
    if a.shape != b.shape or a.ndim != 1:
        raise InvalidArgumentError(f"expected two 1-D arrays of equal length, not {a.shape} and {b.shape}")
    pointer = ctypes.POINTER(ctypes.c_double)
    return a.ctypes.data_as(pointer), b.ctypes.data_as(pointer), a.size, (a, b)


def metrics(predicted: Sequence[float], truth: Sequence[float]) -> JSONObject:
    """{"mae", "rmse", "kendall_tau", "spearman", "pearson"} of `predicted` against `truth`."""
    p, t, n, _keep = _paired(predicted, truth)
    return json.loads(call_string(lib.llmnas_metrics_compute, p, t, n))


def kendall_tau(x: Sequence[float], y: Sequence[float]) -> float:
    """Kendall's tau-b of x and y (ties as scipy.stats.kendalltau), O(n log n)."""
    a, b, n, _keep = _paired(x, y)
    tau = ctypes.c_double()
    check(lib.llmnas_metrics_kendall_tau(a, b, n, ctypes.byref(tau)))
    return tau.value


def eval_paper_protocol(
    data_dir: PathLike, llm: Optional[LLM] = None, options: JSONInput = None, progress: Progress = None
) -> JSONObject:
    """The paper's protocol over the labelled data in `data_dir`; LLM-PP rows when `llm` is given. Returns a dict
    with "rows" and the printed table in "text"."""
    callbacks = Callbacks()
    return json.loads(
        callbacks.call_string(
            lib.llmnas_protocol_run,
            llm._handle if llm else None,
            str(data_dir).encode(),
            _json_text(options),
            callbacks.progress(progress),
            None,
        )
    )


@contextlib.contextmanager
def _pool_file(pool: Union[PathLike, Sequence[ArchLike]]) -> Iterator[str]:
    """The path of a JSON Lines pool: `pool` itself when it is a path, else a temporary file holding the list,
    removed afterwards."""
    if isinstance(pool, (str, bytes, os.PathLike)):
        yield os.fsdecode(pool)
        return
    with tempfile.TemporaryDirectory(prefix="llmnas-pool-") as folder:
        path = os.path.join(folder, "pool.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for arch in pool:
                f.write(_arch_text(arch).decode() + "\n")
        yield path


def _speak_of_failures(statuses: np.ndarray, message: str) -> None:
    """After a batch that ended incomplete: raises the first failed item's error when every item failed, else warns
    once at the caller of `predict`, both with the library's `message` (the count of failures and the first
    reason)."""
    failed = statuses[statuses != 0]
    if len(failed) == len(statuses):
        raise error_for(int(failed[0]), message)
    warnings.warn(message, PartialFailureWarning, stacklevel=3)
