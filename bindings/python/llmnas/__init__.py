"""llmnas: LLM-based neural architecture search. A ctypes binding of libllmnas.so.

The library is found through the LLMNAS_LIBRARY environment variable (a path to the .so), then a copy inside this
package's folder, then the system's library path. Every failed call raises a subclass of `Error`.
"""

from importlib import metadata as _metadata

from ._library import ABI_VERSION, Status, abi_version, status_string, version
from .errors import (
    BadAnswerError,
    BadResponseError,
    BudgetExceededError,
    BufferTooSmallError,
    CancelledError,
    ConnectionFailedError,
    CorruptFileError,
    Error,
    HTTPError,
    IncompleteError,
    PartialFailureWarning,
    InfeasibleError,
    InvalidArchitectureError,
    InvalidArgumentError,
    InvalidSpaceError,
    IOError,
    MalformedJSONError,
    NotFoundError,
    OutOfMemoryError,
    TimeoutError,
    UnsupportedError,
)
from .llm import LLM, build_prompt, eval_paper_protocol, kendall_tau, metrics
from .mlp import MLP, latency_predictor, latency_predictor_names, train_latency_predictor
from .predictor import Predictor
from .screen import Screen
from .search import Scored, Search
from .space import Space

try:
    __version__ = _metadata.version("llmnas")
except _metadata.PackageNotFoundError:  # imported from the source tree: the library's, which the header states
    __version__ = version()

__all__ = [
    "ABI_VERSION",
    "Status",
    "abi_version",
    "status_string",
    "version",
    "Space",
    "Error",
    "InvalidArgumentError",
    "MalformedJSONError",
    "InvalidSpaceError",
    "InvalidArchitectureError",
    "NotFoundError",
    "BufferTooSmallError",
    "UnsupportedError",
    "InfeasibleError",
    "OutOfMemoryError",
    "HTTPError",
    "TimeoutError",
    "ConnectionFailedError",
    "BadResponseError",
    "BadAnswerError",
    "CancelledError",
    "IOError",
    "CorruptFileError",
    "IncompleteError",
    "PartialFailureWarning",
    "BudgetExceededError",
    "LLM",
    "build_prompt",
    "eval_paper_protocol",
    "kendall_tau",
    "metrics",
    "MLP",
    "latency_predictor",
    "latency_predictor_names",
    "train_latency_predictor",
    "Predictor",
    "Scored",
    "Screen",
    "Search",
]
