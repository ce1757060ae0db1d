#!/usr/bin/env bash
# Installs into a temporary prefix and builds the C example with pkg-config alone; it must print what the example
# built in the tree printed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
make -C "$root" --no-print-directory install PREFIX="$prefix" > /dev/null
cc -std=c11 -Wall -Wextra -Werror "$root/examples/spaces.c" -o "$prefix/spaces" \
    $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs llmnas)
env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH="$prefix/lib" "$prefix/spaces" | cmp - "$root/build/examples/spaces.out"
echo "test-install: the example built with pkg-config against PREFIX=$prefix runs and prints the same"
