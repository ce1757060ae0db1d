"""What every Python object owning a library handle shares: freeing it once, explicitly or when collected."""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T", bound="OwnedHandle")


class OwnedHandle:
    """Owns one library handle: `close()` frees it, so does leaving a `with` block, and so does garbage collection.
    A subclass names the library's destructor for its kind of handle in `_free`."""

    _free: Any = None
    _handle: Any = None

    def close(self) -> None:
        """Frees the handle now; the object is unusable afterwards. Closing twice does nothing."""
        handle, self._handle = self._handle, None
        if handle:
            type(self)._free(handle)

    def __del__(self) -> None:
        self.close()

    def __enter__(self: T) -> T:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
