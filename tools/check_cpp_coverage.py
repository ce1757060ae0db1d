"""Checks that the C++ wrapper (bindings/cpp/llmnas.hpp) uses every function include/llmnas.h declares (a call, or
a destructor as a deleter), except the ones listed here as deliberately left to C. Run by `make test`."""

import os
import re
import sys

from llmnas_support import ROOT
from llmnas_support.header import Header

# Functions the wrapper leaves to the C interface on purpose, with the reason.
LEFT_OUT = {}


def main():
    with open(os.path.join(ROOT, "bindings", "cpp", "llmnas.hpp"), encoding="utf-8") as f:
        wrapper = f.read()
    declared = Header().functions
    missing = [name for name in declared if name not in LEFT_OUT and not re.search(rf"\b{name}\b", wrapper)]
    stale = [name for name in LEFT_OUT if name not in declared]
    if missing or stale:
        for name in missing:
            print(f"check-cpp-coverage: llmnas.hpp does not call {name}")
        for name in stale:
            print(f"check-cpp-coverage: {name} is listed as left out but the header does not declare it")
        return 1
    print(
        f"check-cpp-coverage: llmnas.hpp uses {len(declared) - len(LEFT_OUT)} of the header's {len(declared)} "
        f"functions; left to C: {', '.join(sorted(LEFT_OUT)) or 'none'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
