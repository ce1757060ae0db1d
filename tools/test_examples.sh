#!/usr/bin/env bash
# Runs the C and C++ examples built in build/examples with nothing but the built library on their path: the spaces
# example (and its C++ twin, which must print the same), the C++ wrapper's checks, the protocol's baselines, then
# LLM-PP, distillation and HS-NAS against the scripted server.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ -n "${LLMNAS_TEST_BASE_URL:-}" ] || exec "$root/tools/with_scripted_server.sh" "$0" "$@"
cd "$root"
out=build/examples
run() { env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH="$root/build/lib" "$@"; }

run $out/spaces > $out/spaces.out
grep -q "LLMNAS_NOT_FOUND" $out/spaces.out
run $out/spaces_cpp > $out/spaces_cpp.out
cmp $out/spaces.out $out/spaces_cpp.out
run $out/test_llmnas_cpp
run $out/llmpp_eval data/llmpp-wmt > $out/llmpp_eval.out 2> /dev/null
grep -q "HAT supernet" $out/llmpp_eval.out

llm=(LLMNAS_MODEL=scripted OPENAI_BASE_URL="$LLMNAS_TEST_BASE_URL")
run "${llm[@]}" $out/llmpp_eval > $out/llmpp_eval_llm.out 2> $out/llmpp_eval_llm.err
grep -q "LLM-PP calibrated" $out/llmpp_eval_llm.out
grep -q '"requests":270' $out/llmpp_eval_llm.out
echo "llmpp_eval: the protocol ran against the scripted server (270 requests)"
run "${llm[@]}" $out/distill 100 data/llmpp-wmt $out/distilled.mlp > $out/distill.out 2> $out/distill.err
grep -q '"labels":100' $out/distill.out
test -s $out/distilled.mlp
echo "distill: 100 labels from the scripted server, model saved"
run $out/hsnas $out/distilled.mlp $out > $out/hsnas.out
grep -q "latency <= 200 ms" $out/hsnas.out
test -s $out/hsnas-100ms.html
echo "hsnas: three searches under 100/150/200 ms with the distilled predictor"
