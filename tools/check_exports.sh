#!/usr/bin/env bash
# The .so exports exactly the llmnas_* functions include/llmnas.h declares, depends on no libswift* library and
# holds no fault-injection hook (FaultPlan exists in debug builds only; its type name would be in the metadata).
# Usage: tools/check_exports.sh LIBRARY
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
library=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
nm -D --defined-only "$library" | awk '$3 ~ /^llmnas_/ {print $3}' | sort -u > "$dir/exported"
grep -oE '\bllmnas_[a-z0-9_]+[[:space:]]*\(' "$root/include/llmnas.h" | tr -d ' (' | sort -u > "$dir/declared"
diff -u "$dir/declared" "$dir/exported" || { echo "check-exports: the exports differ from include/llmnas.h"; exit 1; }
if ldd "$library" | grep -q libswift; then echo "check-exports: $library depends on libswift*"; exit 1; fi
if strings "$library" | grep -q FaultPlan; then echo "check-exports: $library holds the fault-injection hook"; exit 1; fi
echo "check-exports: $(wc -l < "$dir/exported") functions, header and library agree; no libswift* dependency, no fault-injection hook"
