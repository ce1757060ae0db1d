"""What every Python object owning a library handle shares: freeing it once, explicitly or when collected."""


class OwnedHandle:
    """Owns one library handle: `close()` frees it, so does leaving a `with` block, and so does garbage collection.
    A subclass names the library's destructor for its kind of handle in `_free`."""

    _free = None
    _handle = None

    def close(self):
        """Frees the handle now; the object is unusable afterwards. Closing twice does nothing."""
        handle, self._handle = self._handle, None
        if handle:
            type(self)._free(handle)

    def __del__(self):
        self.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
