"""Exceptions: one class per llmnas_status of include/llmnas.h, all derived from `Error`."""


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


_BY_STATUS = {cls.status: cls for cls in Error.__subclasses__()}


def error_for(status, message):
    """The exception for a non-zero status, with the library's message."""
    cls = _BY_STATUS.get(status, Error)
    return cls(message, status)
