"""The package's version is the C header's, the one place it is stated; a wheel that carries libllmnas.so is tagged
for its platform.

The header is read from the package itself (llmnas/include/llmnas.h, where `make wheel` stages it) or from the
source tree (../../include/llmnas.h). LLMNAS_WHEEL_PLATFORM, set by tools/wheel.sh, is the platform tag of a wheel
with the library inside; without it the wheel is pure Python and finds the library as the README says."""

import os
import re

from setuptools import Distribution, setup
from setuptools.command.bdist_wheel import bdist_wheel

HERE = os.path.dirname(os.path.abspath(__file__))
HEADERS = [os.path.join(HERE, "llmnas", "include", "llmnas.h"), os.path.join(HERE, "..", "..", "include", "llmnas.h")]


def header_version():
    """ "MAJOR.MINOR.PATCH" from the LLMNAS_VERSION_* macros of the header."""
    header = next((path for path in HEADERS if os.path.exists(path)), None)
    if header is None:
        raise SystemExit(f"no llmnas.h at {' or '.join(HEADERS)}")
    with open(header, encoding="utf-8") as f:
        text = f.read()
    parts = [re.search(rf"^#define LLMNAS_VERSION_{part} (\d+)$", text, re.M) for part in ("MAJOR", "MINOR", "PATCH")]
    if not all(parts):
        raise SystemExit(f"{header}: no LLMNAS_VERSION_MAJOR/MINOR/PATCH macros")
    return ".".join(match.group(1) for match in parts)


class PlatformWheel(bdist_wheel):
    """A wheel for any Python 3 (the binding is ctypes, no extension module) on the platform of the .so inside."""

    def finalize_options(self):
        super().finalize_options()
        self.root_is_pure = "LLMNAS_WHEEL_PLATFORM" not in os.environ

    def get_tag(self):
        platform = os.environ.get("LLMNAS_WHEEL_PLATFORM")
        return ("py3", "none", platform) if platform else super().get_tag()


class PlatformDistribution(Distribution):
    """A distribution whose files go where binary packages go (platlib), because the wheel holds the library."""

    def has_ext_modules(self):
        return "LLMNAS_WHEEL_PLATFORM" in os.environ


setup(version=header_version(), cmdclass={"bdist_wheel": PlatformWheel}, distclass=PlatformDistribution)
