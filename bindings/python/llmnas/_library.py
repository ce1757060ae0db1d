"""Loading libllmnas.so and declaring the C functions' signatures."""

from __future__ import annotations

import ctypes
import ctypes.util
import enum
import json
import os
import threading
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from .errors import Error, bind_status_values, error_for

#: The ABI generation this binding was written for; the library must report the same.
ABI_VERSION = 3

_HERE = os.path.dirname(os.path.abspath(__file__))


class _Space(ctypes.Structure):
    """The opaque llmnas_space."""


class _LLM(ctypes.Structure):
    """The opaque llmnas_llm."""


class _MLP(ctypes.Structure):
    """The opaque llmnas_mlp."""


class _Search(ctypes.Structure):
    """The opaque llmnas_search."""


class _Screen(ctypes.Structure):
    """The opaque llmnas_screen."""


class Progress(ctypes.Structure):
    """llmnas_progress: what a long operation reports while it works."""

    _fields_ = [
        ("stage", ctypes.c_char_p),
        ("done", ctypes.c_size_t),
        ("total", ctypes.c_size_t),
        ("value", ctypes.c_double),
    ]


SpacePtr = ctypes.POINTER(_Space)
LLMPtr = ctypes.POINTER(_LLM)
MLPPtr = ctypes.POINTER(_MLP)
SearchPtr = ctypes.POINTER(_Search)
ScreenPtr = ctypes.POINTER(_Screen)
ProgressFn = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(Progress), ctypes.c_void_p)
_char_pp = ctypes.POINTER(ctypes.c_void_p)
_double_p = ctypes.POINTER(ctypes.c_double)
_float_p = ctypes.POINTER(ctypes.c_float)
ValueFn = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_char_p, _double_p, ctypes.c_void_p)
CostFn = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_char_p, _double_p, _double_p, ctypes.c_void_p)
FeaturesFn = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.c_char_p, ctypes.POINTER(ctypes.c_float), ctypes.c_size_t, ctypes.c_void_p
)
ScoreFn = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t, _double_p, ctypes.c_void_p)
ScoreSpreadFn = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t, _double_p, _double_p, ctypes.c_void_p)
ESTIMATOR_VERSION = 2


class Estimator(ctypes.Structure):
    """llmnas_estimator (version 2): a named host estimator for llmnas_search_run."""

    _fields_ = [
        ("version", ctypes.c_uint),
        ("name", ctypes.c_char_p),
        ("score", ScoreFn),
        ("user_data", ctypes.c_void_p),
        ("score_spread", ScoreSpreadFn),
    ]


def _candidates() -> List[str]:
    """Where the library may be: LLMNAS_LIBRARY alone when set; else the copy inside this package (a wheel built by
    `make wheel` carries one), then the system's (`make install`)."""
    env = os.environ.get("LLMNAS_LIBRARY")
    if env:
        return [env]
    found = [os.path.join(_HERE, name) for name in sorted(os.listdir(_HERE)) if name.startswith("libllmnas.so")]
    system = ctypes.util.find_library("llmnas")
    return found + ([system] if system else []) + [f"libllmnas.so.{ABI_VERSION}"]


def _load() -> ctypes.CDLL:
    errors = []
    for path in _candidates():
        try:
            return ctypes.CDLL(path)
        except OSError as exc:
            errors.append(f"{path}: {exc}")
    missing = "libcurl" in " ".join(errors) or "libopenblas" in " ".join(errors)
    hint = (
        "the library links the system's libcurl and OpenBLAS: install them (Debian/Ubuntu: apt-get install "
        "libcurl4 libopenblas0)"
        if missing
        else "install the wheel (`make wheel`, then pip install dist/llmnas-*.whl), run `make install`, or set "
        "LLMNAS_LIBRARY to the .so"
    )
    raise ImportError(f"libllmnas.so could not be loaded; {hint} (" + "; ".join(errors) + ")")


lib = _load()

_SIGNATURES = {
    "llmnas_version_string": ([], ctypes.c_char_p),
    "llmnas_abi_version": ([], ctypes.c_int),
    "llmnas_status_string": ([ctypes.c_int], ctypes.c_char_p),
    "llmnas_last_error": ([], ctypes.c_char_p),
    "llmnas_string_free": ([ctypes.c_void_p], None),
    "llmnas_space_builtin_names": ([_char_pp], ctypes.c_int),
    "llmnas_space_builtin": ([ctypes.c_char_p, ctypes.POINTER(SpacePtr)], ctypes.c_int),
    "llmnas_space_from_json": ([ctypes.c_char_p, ctypes.POINTER(SpacePtr)], ctypes.c_int),
    "llmnas_space_serialize": ([SpacePtr, _char_pp], ctypes.c_int),
    "llmnas_space_free": ([SpacePtr], None),
    "llmnas_space_feature_count": ([SpacePtr, ctypes.POINTER(ctypes.c_size_t)], ctypes.c_int),
    "llmnas_space_feature_names": ([SpacePtr, _char_pp], ctypes.c_int),
    "llmnas_space_sample": ([SpacePtr, ctypes.c_uint64, ctypes.c_size_t, _char_pp], ctypes.c_int),
    "llmnas_arch_validate": ([SpacePtr, ctypes.c_char_p], ctypes.c_int),
    "llmnas_arch_features": (
        [SpacePtr, ctypes.c_char_p, ctypes.POINTER(ctypes.c_float), ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t)],
        ctypes.c_int,
    ),
    "llmnas_arch_features_batch": (
        [SpacePtr, ctypes.c_char_p, ctypes.POINTER(ctypes.c_float), ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t)],
        ctypes.c_int,
    ),
    "llmnas_arch_mutate": ([SpacePtr, ctypes.c_char_p, ctypes.c_double, ctypes.c_uint64, _char_pp], ctypes.c_int),
    "llmnas_arch_crossover": ([SpacePtr, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint64, _char_pp], ctypes.c_int),
    "llmnas_arch_stats": ([SpacePtr, ctypes.c_char_p, _char_pp], ctypes.c_int),
    "llmnas_space_with_cost": (
        [SpacePtr, ctypes.c_char_p, CostFn, ctypes.c_void_p, ctypes.POINTER(SpacePtr)],
        ctypes.c_int,
    ),
    "llmnas_space_with_featurizer": (
        [SpacePtr, ctypes.c_char_p, FeaturesFn, ctypes.c_void_p, ctypes.POINTER(SpacePtr)],
        ctypes.c_int,
    ),
    "llmnas_prompt_build": (
        [SpacePtr, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, _char_pp],
        ctypes.c_int,
    ),
    "llmnas_llm_create": ([ctypes.c_char_p, ctypes.POINTER(LLMPtr)], ctypes.c_int),
    "llmnas_llm_free": ([LLMPtr], None),
    "llmnas_llm_usage": ([LLMPtr, _char_pp], ctypes.c_int),
    "llmnas_llmpp_predict": (
        [
            LLMPtr,
            SpacePtr,
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.c_char_p,
            _double_p,
            ctypes.POINTER(ctypes.c_int),
            ctypes.c_size_t,
            ProgressFn,
            ctypes.c_void_p,
        ],
        ctypes.c_int,
    ),
    "llmnas_llmpp_predict_spread": (
        [
            LLMPtr,
            SpacePtr,
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.c_char_p,
            _double_p,
            _double_p,
            _double_p,
            _double_p,
            ctypes.POINTER(ctypes.c_int),
            ctypes.c_size_t,
            ProgressFn,
            ctypes.c_void_p,
        ],
        ctypes.c_int,
    ),
    "llmnas_llmpp_estimate": (
        [LLMPtr, SpacePtr, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t, _char_pp],
        ctypes.c_int,
    ),
    "llmnas_llm_propose": (
        [LLMPtr, SpacePtr, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, _char_pp],
        ctypes.c_int,
    ),
    "llmnas_llmpp_validate": (
        [LLMPtr, SpacePtr, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ProgressFn, ctypes.c_void_p, _char_pp],
        ctypes.c_int,
    ),
    "llmnas_llmpp_choose": (
        [LLMPtr, SpacePtr, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ProgressFn, ctypes.c_void_p, _char_pp],
        ctypes.c_int,
    ),
    "llmnas_metrics_compute": ([_double_p, _double_p, ctypes.c_size_t, _char_pp], ctypes.c_int),
    "llmnas_metrics_kendall_tau": ([_double_p, _double_p, ctypes.c_size_t, _double_p], ctypes.c_int),
    "llmnas_mlp_train": (
        [
            ctypes.c_char_p,
            _float_p,
            _float_p,
            ctypes.c_size_t,
            ctypes.c_size_t,
            ProgressFn,
            ctypes.c_void_p,
            ctypes.POINTER(MLPPtr),
        ],
        ctypes.c_int,
    ),
    "llmnas_mlp_predict": ([MLPPtr, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_size_t, ctypes.c_void_p], ctypes.c_int),
    "llmnas_mlp_save": ([MLPPtr, ctypes.c_char_p], ctypes.c_int),
    "llmnas_mlp_load": ([ctypes.c_char_p, ctypes.POINTER(MLPPtr)], ctypes.c_int),
    "llmnas_mlp_info": ([MLPPtr, _char_pp], ctypes.c_int),
    "llmnas_mlp_free": ([MLPPtr], None),
    "llmnas_llmpp_distill": (
        [
            LLMPtr,
            SpacePtr,
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_uint64,
            ctypes.c_char_p,
            ProgressFn,
            ctypes.c_void_p,
            ctypes.POINTER(MLPPtr),
            _char_pp,
        ],
        ctypes.c_int,
    ),
    "llmnas_latency_predictor_builtin_names": ([_char_pp], ctypes.c_int),
    "llmnas_latency_predictor_builtin": ([ctypes.c_char_p, ctypes.POINTER(MLPPtr)], ctypes.c_int),
    "llmnas_latency_predictor_train": (
        [ctypes.c_char_p, ctypes.c_char_p, ProgressFn, ctypes.c_void_p, ctypes.POINTER(MLPPtr), _char_pp],
        ctypes.c_int,
    ),
    "llmnas_search_create": ([SpacePtr, ctypes.c_char_p, ctypes.POINTER(SearchPtr)], ctypes.c_int),
    "llmnas_search_resume": ([ctypes.c_char_p, ctypes.POINTER(SearchPtr)], ctypes.c_int),
    "llmnas_search_bind_mlp": ([SearchPtr, ctypes.c_char_p, MLPPtr], ctypes.c_int),
    "llmnas_search_bind_llm": ([SearchPtr, ctypes.c_char_p, LLMPtr], ctypes.c_int),
    "llmnas_search_bind_constraint": ([SearchPtr, ctypes.c_char_p, ValueFn, ctypes.c_void_p], ctypes.c_int),
    "llmnas_search_bind_cost": ([SearchPtr, ctypes.c_char_p, CostFn, ctypes.c_void_p], ctypes.c_int),
    "llmnas_search_bind_featurizer": ([SearchPtr, ctypes.c_char_p, FeaturesFn, ctypes.c_void_p], ctypes.c_int),
    "llmnas_search_ask": ([SearchPtr, _char_pp, _char_pp], ctypes.c_int),
    "llmnas_search_tell": ([SearchPtr, _double_p, ctypes.c_size_t], ctypes.c_int),
    "llmnas_search_tell_spread": ([SearchPtr, _double_p, _double_p, ctypes.c_size_t], ctypes.c_int),
    "llmnas_search_run": (
        [SearchPtr, ctypes.POINTER(Estimator), ctypes.c_size_t, ProgressFn, ctypes.c_void_p],
        ctypes.c_int,
    ),
    "llmnas_search_best": ([SearchPtr, _char_pp], ctypes.c_int),
    "llmnas_search_history": ([SearchPtr, _char_pp], ctypes.c_int),
    "llmnas_search_trials": ([SearchPtr, _char_pp], ctypes.c_int),
    "llmnas_search_write_report": ([SearchPtr, ctypes.c_char_p, ctypes.c_char_p], ctypes.c_int),
    "llmnas_search_free": ([SearchPtr], None),
    "llmnas_screen_create": ([SpacePtr, ctypes.c_char_p, MLPPtr, ctypes.POINTER(ScreenPtr)], ctypes.c_int),
    "llmnas_screen_choose": ([ScreenPtr, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t, _char_pp], ctypes.c_int),
    "llmnas_screen_pool": ([ScreenPtr, _char_pp], ctypes.c_int),
    "llmnas_screen_free": ([ScreenPtr], None),
    "llmnas_protocol_run": (
        [LLMPtr, ctypes.c_char_p, ctypes.c_char_p, ProgressFn, ctypes.c_void_p, _char_pp],
        ctypes.c_int,
    ),
}

for _name, (_args, _result) in _SIGNATURES.items():
    _function = getattr(lib, _name)
    _function.argtypes = _args
    _function.restype = _result

if lib.llmnas_abi_version() != ABI_VERSION:
    raise ImportError(f"libllmnas ABI {lib.llmnas_abi_version()} does not match the binding's ABI {ABI_VERSION}")


def _status_values() -> Dict[str, int]:
    """{name: value} of every status the loaded library knows. The header numbers them down from 0 without gaps
    (a new code takes the next number), so the names are read down from 0 until the library knows no more."""
    values: Dict[str, int] = {}
    value = 0
    while True:
        name = lib.llmnas_status_string(value).decode().split(":", 1)[0]
        if name == "LLMNAS_UNKNOWN_STATUS":
            return values
        values[name] = value
        value -= 1


_STATUS_VALUES = _status_values()
bind_status_values(_STATUS_VALUES)

#: The library's status codes as an IntEnum named as the header names them, without the prefix (Status.OK,
#: Status.TIMEOUT, ...): LLM.predict's per-item statuses compare equal to these.
# Its members come from the loaded library, so a type checker cannot list them.
Status = enum.IntEnum("Status", {name[len("LLMNAS_") :]: value for name, value in _STATUS_VALUES.items()})  # type: ignore[misc]


#: What a space's host function (a cost, a featurizer) raised on this thread (the library calls one on the thread
#: of the call that needs it), for the call's check to raise as itself.
_host_failure = threading.local()


def _take_host_failure() -> Optional[BaseException]:
    """What a space's host function raised during this thread's last call, if anything; cleared."""
    raised: Optional[BaseException] = getattr(_host_failure, "raised", None)
    _host_failure.raised = None
    return raised


def _space_callback(body: Callable[..., None]) -> Callable[..., int]:
    """`body` as a C callback of a space's host function: 0 when it returns, 1 when it raises (kept for check)."""

    def guarded(*args: Any) -> int:
        try:
            body(*args)
            return 0
        except BaseException as exc:  # noqa: B902 - every exception goes to the caller
            if getattr(_host_failure, "raised", None) is None:
                _host_failure.raised = exc
            return 1

    return guarded


def cost_function(function: Callable[[Dict[str, Any]], Any]) -> Any:
    """A C host cost calling `function(arch)`, which returns (params, flops) or {"params": ..., "flops": ...}. What
    it raises makes the library call fail, and that call's check raises it as itself."""

    def count(arch_json: bytes, params: Any, flops: Any, _user: Any) -> None:
        result = function(json.loads(arch_json))
        pair: Sequence[Any] = (result["params"], result["flops"]) if isinstance(result, Mapping) else result
        params[0], flops[0] = float(pair[0]), float(pair[1])

    return CostFn(_space_callback(count))


def featurizer_function(function: Callable[[Dict[str, Any]], Any]) -> Any:
    """A C host featurizer calling `function(arch)`, which returns the architecture's features (a sequence of
    floats of the featurizer's count). What it raises, or a wrong count (ValueError), makes the library call fail,
    and that call's check raises it as itself."""

    def compute(arch_json: bytes, out: Any, count: int, _user: Any) -> None:
        values = [float(v) for v in function(json.loads(arch_json))]
        if len(values) != count:
            raise ValueError(f"the featurizer returned {len(values)} features; the space's featurizer has {count}")
        for i, value in enumerate(values):
            out[i] = value

    return FeaturesFn(_space_callback(compute))


def check(status: int) -> None:
    """Raises what a host cost raised during the call, else the exception for a non-zero status with the thread's
    last error message."""
    raised = _take_host_failure()
    if status != 0:
        if raised is not None:
            raise raised
        raise error_for(status, lib.llmnas_last_error().decode("utf-8", "replace"))


def take_string(pointer: ctypes.c_void_p) -> str:
    """The text of a library-owned string, which is freed."""
    try:
        return ctypes.string_at(pointer.value).decode("utf-8") if pointer.value else ""
    finally:
        lib.llmnas_string_free(pointer)


def call_string(function: Any, *args: Any) -> str:
    """Calls a function whose last parameter is a char ** out-string and returns the string."""
    out = ctypes.c_void_p()
    check(function(*args, ctypes.byref(out)))
    return take_string(out)


def progress_callback(
    progress: Union[None, bool, Callable[[str, int, int, float], Any]],
) -> Optional[Callable[[str, int, int, float], Any]]:
    """The one progress convention of the binding: None or False for none, a callable `(stage, done, total, value)`
    (a truthy return cancels), or True for a tqdm progress bar per stage on stderr (tqdm is an optional extra:
    `pip install 'llmnas[progress]'`)."""
    if progress is None or progress is False:
        return None
    if progress is not True:
        return progress
    try:
        from tqdm import tqdm
    except ImportError as missing:
        raise ImportError("progress=True draws a tqdm bar: pip install tqdm (or 'llmnas[progress]')") from missing
    bar: Dict[str, Any] = {}

    def draw(stage: str, done: int, total: int, value: float) -> bool:
        if bar.get("stage") != stage:
            if "bar" in bar:
                bar["bar"].close()
            bar.update(stage=stage, bar=tqdm(total=total, desc=stage))
        shown = bar["bar"]
        shown.total = total
        shown.update(done - shown.n)
        if value == value:  # not NaN
            shown.set_postfix(value=f"{value:.4g}", refresh=False)
        if done >= total:
            shown.close()
            bar.clear()
        return False

    return draw


class Callbacks:
    """The Python callables one library call (or one search) calls back. Each is wrapped so that an exception it
    raises stops the library cleanly (the callback returns nonzero: the call ends with LLMNAS_CANCELLED and keeps
    what was done) and then reaches the caller as itself, with its traceback, from `check`. Keep the object, and the
    C functions it made, alive while the library may call them."""

    def __init__(self) -> None:
        self._raised: Optional[BaseException] = None

    def wrap(self, function: Callable[..., int]) -> Callable[..., int]:
        """`function` as a callback body that records its exception and returns 1 instead of raising into C."""

        def guarded(*args: Any) -> int:
            try:
                return function(*args)
            except BaseException as exc:  # noqa: B902 - every exception, KeyboardInterrupt too, goes to the caller
                if self._raised is None:
                    self._raised = exc
                return 1

        return guarded

    def progress(self, callback: Union[None, bool, Callable[[str, int, int, float], Any]]) -> Any:
        """A C progress function calling `callback(stage, done, total, value)` (or a tqdm bar for True, see
        `progress_callback`); a truthy return cancels, an exception is re-raised by `check`. None (or False) gives a
        NULL function."""
        function = progress_callback(callback)
        if function is None:
            return ProgressFn()

        def report(record: Any, _user: Any) -> int:
            p = record.contents
            return 1 if function(p.stage.decode(), p.done, p.total, p.value) else 0

        return ProgressFn(self.wrap(report))

    def check(self, status: int, tolerated: Tuple[int, ...] = ()) -> None:
        """Re-raises what a callback raised during the call; else raises for a failed status not in `tolerated`."""
        raised, self._raised = self._raised, None
        raised = raised or _take_host_failure()
        if raised is not None:
            raise raised
        if status not in tolerated:
            check(status)

    def call_string(self, function: Any, *args: Any) -> str:
        """`call_string` for a call that runs these callbacks."""
        out = ctypes.c_void_p()
        self.check(function(*args, ctypes.byref(out)))
        return take_string(out)


def version() -> str:
    """The library's version, "MAJOR.MINOR.PATCH"."""
    return lib.llmnas_version_string().decode()


def abi_version() -> int:
    """The ABI generation of the loaded library."""
    return lib.llmnas_abi_version()


def status_string(status: int) -> str:
    """The name and meaning of a status code."""
    return lib.llmnas_status_string(status).decode()


__all__ = [
    "Error",
    "Status",
    "lib",
    "check",
    "call_string",
    "take_string",
    "version",
    "abi_version",
    "status_string",
    "SpacePtr",
    "LLMPtr",
    "MLPPtr",
    "SearchPtr",
    "ValueFn",
    "CostFn",
    "FeaturesFn",
    "cost_function",
    "featurizer_function",
    "Callbacks",
    "progress_callback",
]
