from ._problem import LINKS, OPS, Problem

__all__ = ["LINKS", "OPS", "Problem"]
