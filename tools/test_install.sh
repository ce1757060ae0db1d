#!/usr/bin/env bash
# Installs into a temporary prefix, then moves the whole prefix elsewhere (pkg-config's and CMake's files compute
# their paths from their own location), and builds there, with nothing but the install: the C example with
# pkg-config and the C++ example with CMake's find_package(llmnas). Both must print what the examples built in the
# tree printed. pkg-config runs with no -dev package of curl or OpenBLAS in its search path.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
make -C "$root" --no-print-directory install PREFIX="$work/first" > /dev/null
mv "$work/first" "$work/moved"
prefix=$work/moved
run() { env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH="$prefix/lib" "$@"; }

flags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" PKG_CONFIG_LIBDIR=/nonexistent pkg-config --cflags --libs llmnas)
cc -std=c11 -Wall -Wextra -Werror "$root/examples/spaces.c" -o "$work/spaces" $flags
run "$work/spaces" | cmp - "$root/build/examples/spaces.out"
echo "test-install: the C example built with pkg-config ($flags) against the moved prefix prints the same"

cmake -S "$root/examples/cmake" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" > "$work/cmake.log" 2>&1 \
    || { cat "$work/cmake.log"; exit 1; }
cmake --build "$work/cmake-build" > "$work/cmake-build.log" 2>&1 || { cat "$work/cmake-build.log"; exit 1; }
run "$work/cmake-build/spaces_cpp" | cmp - "$root/build/examples/spaces.out"
echo "test-install: the C++ example built with CMake's find_package(llmnas) against the moved prefix prints the same"

# The version file accepts a request from the same ABI generation and refuses one of another.
mkdir -p "$work/version"
printf 'cmake_minimum_required(VERSION 3.16)\nproject(version_check CXX)\nfind_package(llmnas ${WANT} REQUIRED CONFIG)\n' \
    > "$work/version/CMakeLists.txt"
version_ok() {
    rm -rf "$work/version/build"
    cmake -S "$work/version" -B "$work/version/build" -DWANT="$1" -DCMAKE_PREFIX_PATH="$prefix" > /dev/null 2>&1
}
version_ok 1.0 && ! version_ok 0.6 && ! version_ok 9.0 \
    || { echo "test-install: find_package's version check is wrong (1.0 accepted, 0.6 and 9.0 refused expected)"; exit 1; }
echo "test-install: find_package(llmnas 1.0) accepts the installed $(sed -n 's/^set(PACKAGE_VERSION "\(.*\)")/\1/p' \
    "$prefix/lib/cmake/llmnas/llmnasConfigVersion.cmake"); 0.6 (another ABI) and 9.0 are refused"
