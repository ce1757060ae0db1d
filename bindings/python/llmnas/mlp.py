"""MLP regressors (LLM-Distill-PP, latency predictors) in the style of scikit-learn: numpy in, numpy out."""

from __future__ import annotations

import ctypes
import json
import os
import tempfile

import numpy as np

from typing import Any, Dict, List, Mapping, Optional, Tuple

from ._handle import OwnedHandle
from ._library import Callbacks, MLPPtr, call_string, check, lib, take_string
from ._types import JSONObject, PathLike, Progress
from .errors import InvalidArgumentError


def _rows(x: Any, dim: Optional[int] = None) -> np.ndarray:
    """x as a C-contiguous float32 matrix (a 1-D array is one row), refused with scikit-learn's messages when it is
    sparse, complex, empty or of the wrong width."""
    if hasattr(x, "toarray") or hasattr(x, "tocsr"):
        raise TypeError("sparse input is not supported by llmnas.MLP: pass a dense array (x.toarray())")
    x = np.asarray(x)
    if np.iscomplexobj(x):
        raise InvalidArgumentError("Complex data not supported")
    x = np.ascontiguousarray(x, dtype=np.float32)
    if x.ndim == 1:
        x = x.reshape(1, -1)
    if x.ndim != 2:
        raise InvalidArgumentError(f"expected a matrix, not an array of shape {x.shape}")
    if x.shape[1] == 0:
        raise InvalidArgumentError(f"0 feature(s) (shape={x.shape}) while a minimum of 1 is required.")
    if dim is not None and x.shape[1] != dim:
        raise InvalidArgumentError(f"X has {x.shape[1]} features, but MLP is expecting {dim} features as input")
    return x


class MLP(OwnedHandle):
    """An MLP regressor on OpenBLAS. `MLP(hidden=[400, 400], steps=2000).fit(x, y).predict(x)`; config keys as
    "MLP config" in docs/formats.md (the paper's recipe by default; a key whose value is None keeps its default). A
    fitted model may predict from several threads at once. It pickles and deep-copies through its model file's bytes,
    with its config, so Ray and joblib can ship it. It follows scikit-learn's estimator protocol: the config keys are
    its parameters, and `n_features_in_` is set by `fit`."""

    _free = lib.llmnas_mlp_free

    def __init__(self, config: Optional[Mapping[str, Any]] = None, **options: Any) -> None:
        # Kept as given (scikit-learn's rule: __init__ stores, fit validates); None values are left out at fit.
        self.config = dict(config if isinstance(config, Mapping) else {}, **options)
        self._handle = None

    @classmethod
    def _wrap(cls, handle: Any, config: Optional[Mapping[str, Any]] = None) -> "MLP":
        model = cls(config)
        model._handle = handle
        model.n_features_in_ = model.info["sizes"][0]
        return model

    def __repr__(self) -> str:
        if not self._handle:
            return f"MLP({ {k: v for k, v in self.config.items() if v is not None}!r}, not fitted)"
        return f"MLP(sizes={self.info['sizes']})"

    def get_params(self, deep: bool = True) -> Dict[str, Any]:
        """The config, as scikit-learn's `get_params` gives an estimator's parameters (`sklearn.base.clone` and
        model selection rebuild the model from them). `deep` is accepted for the protocol; there are no sub-models."""
        return dict(self.config)

    def set_params(self, **params: Any) -> "MLP":
        """Updates the config (a value of None means the default); returns the model."""
        self.config.update(params)
        return self

    def score(self, x: Any, y: Any) -> float:
        """R², the coefficient of determination of the predictions for `x` against `y` (scikit-learn's regressor
        score)."""
        y = np.asarray(y, dtype=np.float64).reshape(-1)
        residual = float(np.sum((y - self.predict(x).astype(np.float64)) ** 2))
        total = float(np.sum((y - y.mean()) ** 2))
        return 1.0 - residual / total if total > 0 else float("nan")

    def __sklearn_tags__(self) -> Any:
        """scikit-learn's description of the estimator (asked only when scikit-learn is in use): a regressor that
        needs a target and a fit, deterministic for its seed."""
        from sklearn.utils import InputTags, RegressorTags, Tags, TargetTags

        return Tags(
            estimator_type="regressor",
            target_tags=TargetTags(required=True),
            regressor_tags=RegressorTags(),
            input_tags=InputTags(),
            requires_fit=True,
        )

    def __getstate__(self) -> Dict[str, Any]:
        """The config and, when fitted, the model file's bytes."""
        if not self._handle:
            return {"config": self.config, "model": None}
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "model.mlp")
            self.save(path)
            with open(path, "rb") as f:
                return {"config": self.config, "model": f.read()}

    def __setstate__(self, state: Dict[str, Any]) -> None:
        self.config, self._handle = state["config"], None
        if state["model"] is None:
            return
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "model.mlp")
            with open(path, "wb") as f:
                f.write(state["model"])
            handle = MLPPtr()
            check(lib.llmnas_mlp_load(path.encode(), ctypes.byref(handle)))
        self._handle = handle
        self.n_features_in_ = self.info["sizes"][0]

    def fit(self, x: Any, y: Any, progress: Progress = None) -> "MLP":
        """Trains on rows `x` and targets `y` and returns the model; `n_features_in_` is then x's width. `progress`:
        the binding's convention (a callable `(stage, step, steps, loss)`, True for a bar). Raises ValueError
        (InvalidArgumentError) for fewer than 2 rows, NaN or infinite values or a bad config, TypeError for sparse
        input, CancelledError when progress cancels, and whatever the progress callable raises."""
        if y is None:
            raise InvalidArgumentError("requires y to be passed, but the target y is None")
        x = _rows(x)
        y = np.ascontiguousarray(y, dtype=np.float32).reshape(-1)
        if y.shape[0] != x.shape[0]:
            raise InvalidArgumentError(f"{x.shape[0]} rows but {y.shape[0]} targets")
        if x.shape[0] < 2:
            raise InvalidArgumentError(f"n_samples={x.shape[0]}: training needs at least 2 samples")
        handle = MLPPtr()
        callbacks = Callbacks()
        config = {key: value for key, value in self.config.items() if value is not None}
        callbacks.check(
            lib.llmnas_mlp_train(
                json.dumps(config).encode(),
                x.ctypes.data_as(ctypes.POINTER(ctypes.c_float)),
                y.ctypes.data_as(ctypes.POINTER(ctypes.c_float)),
                x.shape[0],
                x.shape[1],
                callbacks.progress(progress),
                None,
                ctypes.byref(handle),
            )
        )
        self.close()
        self._handle = handle
        self.n_features_in_ = x.shape[1]
        return self

    def _require_fitted(self) -> None:
        if not self._handle:
            raise InvalidArgumentError("the model is not fitted")

    @property
    def info(self) -> JSONObject:
        """Sizes, parameters, standardisation and the training record."""
        self._require_fitted()
        return json.loads(call_string(lib.llmnas_mlp_info, self._handle))

    def predict(self, x: Any) -> np.ndarray:
        """Predictions for the rows of `x`, as a float32 array (the hot path: no copy when `x` is already a
        C-contiguous float32 matrix)."""
        self._require_fitted()
        if not (
            isinstance(x, np.ndarray)
            and x.dtype == np.float32
            and x.ndim == 2
            and x.flags.c_contiguous
            and x.shape[1] == self.n_features_in_
        ):
            x = _rows(x, self.n_features_in_)
        out = np.empty(x.shape[0], dtype=np.float32)
        status = _predict(self._handle, x.ctypes.data, x.shape[0], x.shape[1], out.ctypes.data)
        if status:
            check(status)
        return out

    def save(self, path: PathLike) -> None:
        """Writes the model to `path` (atomically)."""
        self._require_fitted()
        check(lib.llmnas_mlp_save(self._handle, os.fspath(path).encode()))

    @classmethod
    def load(cls, path: PathLike) -> "MLP":
        """Reads a model written by `save`."""
        handle = MLPPtr()
        check(lib.llmnas_mlp_load(os.fspath(path).encode(), ctypes.byref(handle)))
        return cls._wrap(handle)


_predict = lib.llmnas_mlp_predict


def latency_predictor_names() -> List[str]:
    """The names of the built-in latency predictors."""
    return json.loads(call_string(lib.llmnas_latency_predictor_builtin_names))


def latency_predictor(name: str) -> MLP:
    """The built-in latency predictor `name` (an MLP from HAT's 10 features to ms)."""
    handle = MLPPtr()
    check(lib.llmnas_latency_predictor_builtin(name.encode(), ctypes.byref(handle)))
    return MLP._wrap(handle)


def train_latency_predictor(
    csv_path: PathLike, config: Optional[Mapping[str, Any]] = None, progress: Progress = None
) -> Tuple[MLP, JSONObject]:
    """A latency predictor trained on a CSV in HAT's format, and its report (RMSE and MAPE on held-out rows)."""
    handle, report = MLPPtr(), ctypes.c_void_p()
    callbacks = Callbacks()
    callbacks.check(
        lib.llmnas_latency_predictor_train(
            os.fspath(csv_path).encode(),
            json.dumps(config or {}).encode(),
            callbacks.progress(progress),
            None,
            ctypes.byref(handle),
            ctypes.byref(report),
        )
    )
    return MLP._wrap(handle), json.loads(take_string(report))
