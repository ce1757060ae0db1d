"""Exceptions: one class per llmnas_status of include/llmnas.h, all derived from `Error`."""
import builtins


class Error(Exception):
    """A failed library call. `status` is the llmnas_status value, `str(error)` the library's message."""

    status = None

    def __init__(self, message, status=None):
        super().__init__(message)
        if status is not None:
            self.status = status


class InvalidArgumentError(Error, ValueError):
    """A required argument was missing or a value out of range (LLMNAS_INVALID_ARGUMENT)."""
    status = -1


class MalformedJSONError(Error, ValueError):
    """Text that should be JSON is not (LLMNAS_MALFORMED_JSON)."""
    status = -2


class InvalidSpaceError(Error, ValueError):
    """A search space definition is invalid (LLMNAS_INVALID_SPACE)."""
    status = -3


class InvalidArchitectureError(Error, ValueError):
    """An architecture is not in the search space (LLMNAS_INVALID_ARCH)."""
    status = -4


class NotFoundError(Error, LookupError):
    """No built-in item has that name (LLMNAS_NOT_FOUND)."""
    status = -5


class BufferTooSmallError(Error):
    """An output buffer was too small (LLMNAS_BUFFER_TOO_SMALL); the binding sizes buffers itself."""
    status = -6


class UnsupportedError(Error):
    """The operation is not defined for this input (LLMNAS_UNSUPPORTED)."""
    status = -7


class InfeasibleError(Error):
    """No architecture satisfied the constraints (LLMNAS_INFEASIBLE)."""
    status = -8


class OutOfMemoryError(Error, MemoryError):
    """The library could not allocate memory (LLMNAS_OUT_OF_MEMORY)."""
    status = -9


class HTTPError(Error):
    """The LLM server answered with an HTTP error (LLMNAS_HTTP_ERROR)."""
    status = -10


class TimeoutError(Error, builtins.TimeoutError):
    """The LLM server did not answer in time (LLMNAS_TIMEOUT)."""
    status = -11


class ConnectionFailedError(Error, ConnectionError):
    """No connection to the LLM server (LLMNAS_CONNECTION_FAILED)."""
    status = -12


class BadResponseError(Error):
    """The server's response is not a valid completion (LLMNAS_BAD_RESPONSE)."""
    status = -13


class BadAnswerError(Error):
    """The model's answer holds no valid score (LLMNAS_BAD_ANSWER)."""
    status = -14


class CancelledError(Error):
    """A progress callback cancelled the operation (LLMNAS_CANCELLED)."""
    status = -15


class IOError(Error, OSError):
    """A file could not be read or written (LLMNAS_IO_ERROR)."""
    status = -16


class CorruptFileError(Error):
    """A file is damaged or of another kind (LLMNAS_CORRUPT_FILE)."""
    status = -17


class IncompleteError(Error):
    """Some items of a batch failed (LLMNAS_INCOMPLETE)."""
    status = -18


_BY_STATUS = {cls.status: cls for cls in Error.__subclasses__()}


def error_for(status, message):
    """The exception for a non-zero status, with the library's message."""
    cls = _BY_STATUS.get(status, Error)
    return cls(message, status)
