#!/usr/bin/env bash
# Builds the Python wheel with libllmnas.so inside (dist/llmnas-<version>-py3-none-<platform>.whl): the binding's
# sources with the built library and the header staged into the package, tagged for the newest glibc symbol the
# library needs (manylinux_2_<N>_x86_64). libcurl and OpenBLAS stay the system's (see the README).
# Usage: tools/wheel.sh LIBRARY_FILE SOVERSION PYTHON
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
library=$1 soversion=$2 python=$3
stage=$root/build/wheel
rm -rf "$stage" && mkdir -p "$stage" "$root/dist"
cp -r "$root/bindings/python" "$stage/src"
rm -rf "$stage/src/build" "$stage/src"/*.egg-info "$stage/src/llmnas/__pycache__"
cp "$library" "$stage/src/llmnas/libllmnas.so.$soversion"
strip --strip-debug "$stage/src/llmnas/libllmnas.so.$soversion"
mkdir -p "$stage/src/llmnas/include" && cp "$root/include/llmnas.h" "$stage/src/llmnas/include/"
glibc=$(objdump -T "$library" | grep -o 'GLIBC_2\.[0-9]*' | sort -t. -k2 -n | tail -1 | cut -d. -f2)
export LLMNAS_WHEEL_PLATFORM="manylinux_2_${glibc}_x86_64"
"$python" -m pip wheel -q --no-deps --no-build-isolation -w "$stage/dist" "$stage/src"
wheel=$(ls "$stage"/dist/llmnas-*.whl)
rm -f "$root"/dist/llmnas-*.whl
mv "$wheel" "$root/dist/"
echo "wheel: dist/$(basename "$wheel")"
