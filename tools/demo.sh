#!/usr/bin/env bash
# The main job (`make demo`), on the built library and examples: the spaces example; the paper's protocol with LLM-PP
# on a real local model (Gemma 3 270M on llama-server, tools/local_llm.sh) beside the baselines, and LLM-Distill-PP
# on 200 labels (wmt14ende, split 123), whose model is saved; HS-NAS on hat-wmt14ende under 100/150/200 ms with that
# distilled predictor; architectures the LLM proposes within 3 GFLOPs as a search's warm start; one seed of the
# NAS-Bench-Graph comparison. Set LLMNAS_LLM_CONFIG (or LLMNAS_MODEL with
# OPENAI_BASE_URL/OPENAI_API_KEY) to use another endpoint, and LLMNAS_PROTOCOL_OPTIONS to change the protocol.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
venv=${VENV:-.venv}
run() { env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH="$root/build/lib" "$@"; }
protocol=${LLMNAS_PROTOCOL_OPTIONS:-'{"distill": {"labels": 200, "tasks": ["wmt14ende"], "seeds": [123], "save_dir": "build"}}'}

run build/examples/spaces
echo "LLM-Distill-PP on wmt14ende, split seed 123: 200 pool architectures labelled by LLM-PP, the paper's MLP recipe"
if [ -n "${LLMNAS_LLM_CONFIG:-}${LLMNAS_MODEL:-}" ]; then
    LLMNAS_PROTOCOL_OPTIONS=$protocol LD_LIBRARY_PATH="$root/build/lib" build/examples/llmpp_eval data/llmpp-wmt
    config=${LLMNAS_LLM_CONFIG:-'{"model": "'${LLMNAS_MODEL:-}'", "base_url": "'${OPENAI_BASE_URL:-https://api.openai.com/v1}'"}'}
else
    url=$(VENV=$venv tools/local_llm.sh start)
    trap 'tools/local_llm.sh stop' EXIT
    echo "LLM-PP on Gemma 3 270M (base model, llama-server at $url): 9 splits x (20 predictions + 10 calibration);"
    # One request at a time: on 2 cores concurrent prefills only compete, and each of llama-server's slots would
    # compute the shared prefix of a split's prompts anew; alone, every request after a split's first reuses it.
    grammar='root ::= \" \"? [0-9] [0-9]? \".\" [0-9] [0-9]'
    config='{"base_url": "'$url'", "model": "gemma", "max_tokens": 8, "max_concurrency": 1, "timeout_seconds": 300,
             "answer_format": "grammar", "grammar": "'$grammar'", "cache_file": "build/demo-cache.llmnas"}'
    run LLMNAS_PROTOCOL_OPTIONS="$protocol" LLMNAS_LLM_CONFIG="$config" build/examples/llmpp_eval data/llmpp-wmt
fi
echo "HS-NAS on hat-wmt14ende (HAT's evolution, 30 x 125), estimator: the distilled LLM-PP predictor above"
run build/examples/hsnas build/distilled-wmt14ende-123.mlp build
"$venv"/bin/pip install -q --no-build-isolation --force-reinstall --no-deps ./bindings/python
echo "LLM-proposed architectures (llmnas_llm_propose): 5 within 3 GFLOPs, every rejection with its reason, then the"
echo "accepted ones as the first population of a short search scored by the distilled predictor"
LLMNAS_LLM_CONFIG="$config" LLMNAS_LIBRARY="$root/build/lib/libllmnas.so" \
    "$venv"/bin/python examples/python/propose.py build/distilled-wmt14ende-123.mlp 5 3.0
LLMNAS_LIBRARY="$root/build/lib/libllmnas.so" "$venv"/bin/python benchmarks/bench_search.py --datasets cora --seeds 1 --skip-speed
