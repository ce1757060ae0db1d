#!/usr/bin/env bash
# Runs a command beside the scripted OpenAI-compatible test server (tools/python/llmnas_support/scripted_llm_server.py) on
# 127.0.0.1, with its base URL in LLMNAS_TEST_BASE_URL; the server stops when the command ends.
# Usage: tools/with_scripted_server.sh COMMAND [ARG...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
"${PYTHON:-python3}" "$root/tools/python/llmnas_support/scripted_llm_server.py" > "$dir/port" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 100); do [ -s "$dir/port" ] && break; sleep 0.1; done
[ -s "$dir/port" ] || { echo "with_scripted_server: the scripted server did not start" >&2; exit 1; }
export LLMNAS_TEST_BASE_URL="http://127.0.0.1:$(awk '{print $2}' "$dir/port")/v1"
"$@"
