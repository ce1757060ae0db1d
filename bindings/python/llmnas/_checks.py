"""Arguments checked before they reach ctypes, with errors that name them: a wrong type is a TypeError, a value out
of range a ValueError (InvalidArgumentError), never a silent wrap to another number."""

from __future__ import annotations

import numbers

from .errors import InvalidArgumentError

_UINT64_MAX = 2**64 - 1


def whole(value: object, name: str, low: int = 0, high: int = _UINT64_MAX) -> int:
    """`value` as an int in [low, high]: a bool or a float such as 3.5 is a TypeError, an int outside a ValueError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, not {type(value).__name__} {value!r}")
    value = int(value)
    if not low <= value <= high:
        raise InvalidArgumentError(f"{name} must be from {low} to {high}, not {value}")
    return value


def seed(value: object, name: str = "seed") -> int:
    """A seed: an integer from 0 to 2**64 - 1."""
    return whole(value, name)
