#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need: as root with apt-get, otherwise it prints the command.
# Usage: tools/deps.sh PACKAGE...
set -euo pipefail
missing=()
for package in "$@"; do dpkg -s "$package" > /dev/null 2>&1 || missing+=("$package"); done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
else
    echo "missing Debian packages; run: sudo apt-get install -y ${missing[*]}"
    exit 1
fi
