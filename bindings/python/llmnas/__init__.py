"""llmnas: LLM-based neural architecture search. A ctypes binding of libllmnas.so.

The library is found through the LLMNAS_LIBRARY environment variable (a path to the .so), then a copy inside this
package's folder, then the system's library path. Every failed call raises a subclass of `Error`.
"""
from ._library import ABI_VERSION, abi_version, status_string, version
from .errors import (
    BufferTooSmallError,
    Error,
    InfeasibleError,
    InvalidArchitectureError,
    InvalidArgumentError,
    InvalidSpaceError,
    MalformedJSONError,
    NotFoundError,
    OutOfMemoryError,
    UnsupportedError,
)
from .space import Space

__all__ = [
    "ABI_VERSION", "abi_version", "status_string", "version", "Space", "Error", "InvalidArgumentError",
    "MalformedJSONError", "InvalidSpaceError", "InvalidArchitectureError", "NotFoundError", "BufferTooSmallError",
    "UnsupportedError", "InfeasibleError", "OutOfMemoryError",
]
