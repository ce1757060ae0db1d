"""Exceptions: one class per llmnas_status of include/llmnas.h, all derived from `Error`.

Each class names its status as the header does (`status_name`); its value (`status`) is read from the loaded library
when the package is imported (see `bind_status_values`), so no status number is written down twice."""

from __future__ import annotations

import builtins
from typing import Dict, Optional, Type


class Error(Exception):
    """A failed library call. `status` is the llmnas_status value, `status_name` its name in the header,
    `str(error)` the library's message."""

    status: Optional[int] = None
    status_name: Optional[str] = None

    def __init__(self, message: str, status: Optional[int] = None) -> None:
        super().__init__(message)
        if status is not None:
            self.status = status


class InvalidArgumentError(Error, ValueError):
    """A required argument was missing or a value out of range (LLMNAS_INVALID_ARGUMENT)."""

    status_name = "LLMNAS_INVALID_ARGUMENT"


class MalformedJSONError(Error, ValueError):
    """Text that should be JSON is not (LLMNAS_MALFORMED_JSON)."""

    status_name = "LLMNAS_MALFORMED_JSON"


class InvalidSpaceError(Error, ValueError):
    """A search space definition is invalid (LLMNAS_INVALID_SPACE)."""

    status_name = "LLMNAS_INVALID_SPACE"


class InvalidArchitectureError(Error, ValueError):
    """An architecture is not in the search space (LLMNAS_INVALID_ARCH)."""

    status_name = "LLMNAS_INVALID_ARCH"


class NotFoundError(Error, LookupError):
    """No built-in item has that name (LLMNAS_NOT_FOUND)."""

    status_name = "LLMNAS_NOT_FOUND"


class BufferTooSmallError(Error):
    """An output buffer was too small (LLMNAS_BUFFER_TOO_SMALL); the binding sizes buffers itself."""

    status_name = "LLMNAS_BUFFER_TOO_SMALL"


class UnsupportedError(Error):
    """The operation is not defined for this input (LLMNAS_UNSUPPORTED)."""

    status_name = "LLMNAS_UNSUPPORTED"


class InfeasibleError(Error):
    """No architecture satisfied the constraints (LLMNAS_INFEASIBLE)."""

    status_name = "LLMNAS_INFEASIBLE"


class OutOfMemoryError(Error, MemoryError):
    """The library could not allocate memory (LLMNAS_OUT_OF_MEMORY)."""

    status_name = "LLMNAS_OUT_OF_MEMORY"


class HTTPError(Error):
    """The LLM server answered with an HTTP error (LLMNAS_HTTP_ERROR)."""

    status_name = "LLMNAS_HTTP_ERROR"


class TimeoutError(Error, builtins.TimeoutError):
    """The LLM server did not answer in time (LLMNAS_TIMEOUT)."""

    status_name = "LLMNAS_TIMEOUT"


class ConnectionFailedError(Error, ConnectionError):
    """No connection to the LLM server (LLMNAS_CONNECTION_FAILED)."""

    status_name = "LLMNAS_CONNECTION_FAILED"


class BadResponseError(Error):
    """The server's response is not a valid completion (LLMNAS_BAD_RESPONSE)."""

    status_name = "LLMNAS_BAD_RESPONSE"


class BadAnswerError(Error):
    """The model's answer holds no valid score (LLMNAS_BAD_ANSWER)."""

    status_name = "LLMNAS_BAD_ANSWER"


class CancelledError(Error):
    """A progress callback cancelled the operation (LLMNAS_CANCELLED)."""

    status_name = "LLMNAS_CANCELLED"


class IOError(Error, OSError):
    """A file could not be read or written (LLMNAS_IO_ERROR)."""

    status_name = "LLMNAS_IO_ERROR"


class CorruptFileError(Error):
    """A file is damaged or of another kind (LLMNAS_CORRUPT_FILE)."""

    status_name = "LLMNAS_CORRUPT_FILE"


class IncompleteError(Error):
    """Some items of a batch failed (LLMNAS_INCOMPLETE)."""

    status_name = "LLMNAS_INCOMPLETE"


class BudgetExceededError(Error):
    """A request was not sent: it could pass the client's max_cost or max_requests (LLMNAS_BUDGET_EXCEEDED)."""

    status_name = "LLMNAS_BUDGET_EXCEEDED"


_CLASSES = {cls.status_name: cls for cls in Error.__subclasses__()}


class PartialFailureWarning(UserWarning):
    """Some items of a batch failed and the others came back; the message counts them and quotes the first reason."""


_BY_STATUS: Dict[int, Type[Error]] = {}


def bind_status_values(values: Dict[str, int]) -> None:
    """Gives each class its status value from `values` ({name: value}, as the loaded library names its codes)."""
    for name, value in values.items():
        cls = _CLASSES.get(name)
        if cls is not None:
            cls.status = value
            _BY_STATUS[value] = cls


def error_for(status: int, message: str) -> Error:
    """The exception for a non-zero status, with the library's message."""
    cls = _BY_STATUS.get(status, Error)
    return cls(message, status)
