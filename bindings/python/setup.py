"""The package's version is the C header's (include/llmnas.h), the one place it is stated."""
import os
import re

from setuptools import setup

HEADER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "include", "llmnas.h")


def header_version():
    """"MAJOR.MINOR.PATCH" from the LLMNAS_VERSION_* macros of the header."""
    with open(HEADER, encoding="utf-8") as f:
        text = f.read()
    parts = [re.search(rf"^#define LLMNAS_VERSION_{part} (\d+)$", text, re.M) for part in ("MAJOR", "MINOR", "PATCH")]
    if not all(parts):
        raise SystemExit(f"{HEADER}: no LLMNAS_VERSION_MAJOR/MINOR/PATCH macros")
    return ".".join(match.group(1) for match in parts)


setup(version=header_version())
