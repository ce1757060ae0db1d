#!/usr/bin/env bash
# Valgrind over the C ABI stress program (every handle kind created and freed STRESS_ROUNDS times, every error path)
# and every C and C++ example, against the scripted server where they talk to an LLM: no byte definitely or
# indirectly lost, no invalid access. Valgrind 3.19 cannot read the DWARF 5 of the Swift toolchain, so the programs
# load a copy of the library without debug information.
# Usage: tools/test_valgrind.sh VERSION SOVERSION [STRESS_ROUNDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ -n "${LLMNAS_TEST_BASE_URL:-}" ] || exec "$root/tools/with_scripted_server.sh" "$0" "$@"
cd "$root"
version=$1 soversion=$2 rounds=${3:-10000}
dir=build/valgrind ex=build/examples
mkdir -p $dir
objcopy --strip-debug build/lib/libllmnas.so."$version" $dir/libllmnas.so."$soversion"
cc -std=c11 -Wall -Wextra -Werror -Iinclude Tests/c/stress_abi.c -o $dir/stress_abi -Lbuild/lib -lllmnas
grind() {
    env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH="$root/$dir" "$@" valgrind -q --leak-check=full \
        --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=99 "${program[@]}"
}
log=$dir/examples.err
: > $log
for program_line in \
    "$dir/stress_abi $rounds $dir" \
    "$ex/spaces" "$ex/spaces_cpp" "$ex/test_llmnas_cpp" "$ex/llmpp_eval data/llmpp-wmt" \
    "LLM $ex/llmpp_eval data/llmpp-wmt" \
    "LLM $ex/distill 20 data/llmpp-wmt $dir/distilled.mlp {\"hidden\":[32],\"steps\":50}" \
    "$ex/hsnas $dir/distilled.mlp $dir 3"; do
    read -r -a program <<< "$program_line"
    environment=()
    if [ "${program[0]}" = LLM ]; then
        program=("${program[@]:1}")
        environment=(LLMNAS_MODEL=scripted OPENAI_BASE_URL="$LLMNAS_TEST_BASE_URL")
    fi
    if ! grind "${environment[@]}" > /dev/null 2>> $log; then
        grep -v $'^\r' $log | grep -E '==[0-9]+==' | head -40
        echo "test-valgrind: ${program[*]} failed ($log)"
        exit 1
    fi
done
echo "test-valgrind: stress program ($rounds rounds) and 8 example runs: no leak, no invalid access"
