#!/usr/bin/env bash
# The main job (`make demo`): builds the library and the examples (`make examples`), then runs the spaces example; the paper's protocol with LLM-PP
# on a real local model (Gemma 3 270M on llama-server, tools/local_llm.sh) beside the baselines, raw, calibrated and
# combined; on each split the prompt mode and predictor chosen on its demonstrations within 20 requests, and
# LLM-Distill-PP on 200 labels of the chosen predictor (wmt14ende, split 123), whose model is saved; HS-NAS on hat-wmt14ende under 100/150/200 ms with that
# distilled predictor, and what those answers mean (the predictor's own quality, flat or not); architectures the LLM
# proposes within 3 GFLOPs as a search's warm start; the NAS-Bench-Graph comparison over its 4 data sets x
# DEMO_GRAPH_SEEDS seeds (default 3; `make bench` runs 50); and a summary of what ran, what it cost and where the reports are.
# Set LLMNAS_LLM_CONFIG (or LLMNAS_MODEL with OPENAI_BASE_URL/OPENAI_API_KEY) to use another endpoint, and
# LLMNAS_PROTOCOL_OPTIONS to change the protocol. Each step's output is also kept in build/demo/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
venv=${VENV:-.venv}
seeds=${DEMO_GRAPH_SEEDS:-3}
logs=build/demo
mkdir -p "$logs"
run() { env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH="$root/build/lib" "$@"; }
protocol=${LLMNAS_PROTOCOL_OPTIONS:-'{"choose": {"max_requests": 20},
    "distill": {"labels": 200, "tasks": ["wmt14ende"], "seeds": [123], "save_dir": "build"}}'}
names=() times=()
declare -A what=([spaces]="the built-in spaces (C example)"
                 [protocol]="the paper's protocol: LLM-PP (raw, calibrated, combined) on 9 splits beside the baselines, the predictor chosen on each split's demonstrations, LLM-Distill-PP on 200 of its labels"
                 [hsnas]="HS-NAS on hat-wmt14ende under 100/150/200 ms, scored by the distilled predictor"
                 [verdict]="the distilled predictor's own quality and what each search's answer means"
                 [propose]="architectures proposed by the LLM within 3 GFLOPs, and a search started from them"
                 [own_space]="a CNN space of a user's own: cost, LLM-PP, distillation, a search stopped and resumed"
                 [graph]="NAS-Bench-Graph: 9 searchers x 4 data sets x $seeds seeds against the known optimum (make bench: 50 seeds, and the LLM)")
# step NAME COMMAND...: runs the command, its output to the terminal and to build/demo/NAME.log, and times it.
step() {
    local name=$1 start=$EPOCHREALTIME
    shift
    "$@" 2>&1 | tee "$logs/$name.log"
    names+=("$name")
    times+=("$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')")
}

# The library and the examples build while the local model's server installs (its first build is mostly on other
# cores than the Swift compiler's one module at a time): both are waited for before the first step.
if [ -z "${LLMNAS_LLM_CONFIG:-}${LLMNAS_MODEL:-}" ]; then
    VENV=$venv tools/local_llm.sh install &
    installing=$!
    trap 'kill "$installing" 2>/dev/null || true' EXIT
fi
"${MAKE:-make}" --no-print-directory examples
[ -z "${installing:-}" ] || wait "$installing"

step spaces run build/examples/spaces
echo "On each split, the prompt mode and predictor chosen on its 10 demonstrations within 20 requests (llmnas_llmpp_choose)"
echo "LLM-Distill-PP on wmt14ende, split seed 123: 200 pool architectures labelled by the chosen predictor, the paper's MLP recipe"
if [ -n "${LLMNAS_LLM_CONFIG:-}${LLMNAS_MODEL:-}" ]; then
    step protocol env LLMNAS_PROTOCOL_OPTIONS="$protocol" LD_LIBRARY_PATH="$root/build/lib" build/examples/llmpp_eval data/llmpp-wmt
    config=${LLMNAS_LLM_CONFIG:-'{"model": "'${LLMNAS_MODEL:-}'", "base_url": "'${OPENAI_BASE_URL:-https://api.openai.com/v1}'"}'}
else
    url=$(VENV=$venv tools/local_llm.sh start)
    trap 'tools/local_llm.sh stop' EXIT
    echo "LLM-PP on Gemma 3 270M (base model, llama-server at $url): 9 splits x (20 predictions + 10 calibration)"
    echo "and the choice's validation of the nearest-5 prompt mode (10 requests a split) and the chosen predictions;"
    # One request at a time: on 2 cores concurrent prefills only compete, and each of llama-server's slots would
    # compute the shared prefix of a split's prompts anew; alone, every request after a split's first reuses it.
    grammar='root ::= \" \"? [0-9] [0-9]? \".\" [0-9] [0-9]'
    config='{"base_url": "'$url'", "model": "gemma", "max_tokens": 8, "max_concurrency": 1, "timeout_seconds": 300,
             "answer_format": "grammar", "grammar": "'$grammar'", "cache_file": "build/demo-cache.llmnas"}'
    step protocol run LLMNAS_PROTOCOL_OPTIONS="$protocol" LLMNAS_LLM_CONFIG="$config" build/examples/llmpp_eval data/llmpp-wmt
fi
echo "HS-NAS on hat-wmt14ende (HAT's evolution, 30 x 125), estimator: the distilled LLM-PP predictor above"
step hsnas run build/examples/hsnas build/distilled-wmt14ende-123.mlp build
"$venv"/bin/pip install -q --no-build-isolation --force-reinstall --no-deps ./bindings/python
python=(env LLMNAS_LIBRARY="$root/build/lib/libllmnas.so" "$venv"/bin/python)
echo "What these answers mean: the distilled predictor on the split's test architectures, and each search's winner"
echo "against the candidates it could not tell from it"
step verdict "${python[@]}" examples/python/search_verdict.py build/distilled-wmt14ende-123.mlp \
    build/hsnas-100ms.ckpt build/hsnas-150ms.ckpt build/hsnas-200ms.ckpt
echo "LLM-proposed architectures (llmnas_llm_propose): 5 within 3 GFLOPs, every rejection with its reason, then the"
echo "accepted ones as the first population of a short search scored by the distilled predictor"
step propose env LLMNAS_LLM_CONFIG="$config" "${python[@]}" examples/python/propose.py build/distilled-wmt14ende-123.mlp 5 3.0
echo "A space of your own (examples/python/own_space.py, docs/own-space.md): a CNN with the cnn cost model, LLM-PP,"
echo "its validation, distillation, a search under a parameter limit stopped and resumed, the trials table"
step own_space env LLMNAS_LLM_CONFIG="$config" "${python[@]}" examples/python/own_space.py
echo "Where the optimum is known: NAS-Bench-Graph's 4 data sets x $seeds seeds, valid regret against expensive calls for"
echo "random search, regularized evolution, local search, BANANAS-lite, the library's evolution, HS-NAS, a cascade and the"
echo "whole-space Gaussian-process screen (alone and with a prior from the other tables); make bench adds the LLM's prior"
step graph "${python[@]}" benchmarks/bench_search.py --seeds "$seeds" --no-llm --skip-speed --out build/demo-graph \
    --json build/demo-graph/nasbench_graph.json

usage() { sed -n "s/^$1 usage: //p" "$logs/$2.log" | tail -1; }
field() { sed -n "s/.*\"$1\":\([0-9.e+-]*\).*/\1/p" <<< "$2"; }
echo
echo "Summary of this demo (every step's output in $logs/):"
for i in "${!names[@]}"; do printf '  %-9s %7s s  %s\n' "${names[$i]}" "${times[$i]}" "${what[${names[$i]}]}"; done
for part in "protocol:LLM" "propose:proposals' LLM"; do
    ledger=$(usage "${part#*:}" "${part%%:*}")
    [ -n "$ledger" ] && echo "  the LLM in step ${part%%:*}: $(field requests "$ledger") requests sent, $(field cache_hits "$ledger")" \
        "answered from the cache, $(field prompt_tokens "$ledger") prompt and $(field completion_tokens "$ledger") completion tokens," \
        "cost $(field cost "$ledger")"
done
echo "  the predictor chosen on each split's demonstrations (the protocol's 'chosen per split' row):"
sed -n "s/^chosen on \([^']*\)'s demonstrations: \([^:]*\): .*/    \1: \2/p" "$logs/protocol.log"
echo "  the combined predictor against the params line, per task (MAE, tau), and the LLM's share in it:"
grep -E "^(LLM-PP combined|Params least squares|The LLM's share)" "$logs/protocol.log" | sed 's/^/    /'
flat=$(grep -c "set by a flat predictor" "$logs/verdict.log" || true)
echo "  verdict: $flat of the 3 searches' answers are set by a flat predictor ($(sed -n 's/.*\(Kendall tau-b [+-][0-9.]*\).*/\1/p' "$logs/verdict.log") on the test architectures)"
echo "  NAS-Bench-Graph: $(sed -n 's/^Datasets meeting the target: //p' "$logs/graph.log") data sets where the method matches evolution's test and valid regret with at most 30% of its expensive calls"
echo "  architectures within the target's valid margin of the best: $(sed -n 's/^\([a-z]*\) .* calls: \([0-9]*\) of the \([0-9]*\) architectures.*/\1 \2 of \3/p' "$logs/graph.log" | paste -sd, | sed 's/,/, /g') (the lines 'the target asks' in $logs/graph.log)"
echo "  the distilled predictor: build/distilled-wmt14ende-123.mlp; the searches' reports: build/hsnas-{100,150,200}ms.html"
echo "  the NAS-Bench-Graph table and regret plot: build/demo-graph/nasbench_graph.txt, build/demo-graph/nasbench_graph_regret.svg"
