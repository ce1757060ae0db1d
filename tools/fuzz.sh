#!/usr/bin/env bash
# The libFuzzer harnesses of every parser of outside input and of the exported C functions (Sources/llmnas-fuzz).
#   tools/fuzz.sh replay       replays the seed corpus and every saved regression input (Tests/fuzz-regressions),
#                              without libFuzzer: `make test` runs it
#   tools/fuzz.sh run RUNS     builds the harnesses with AddressSanitizer and coverage and runs RUNS inputs each; a
#                              crash leaves its input in build/fuzz/ (copy it to Tests/fuzz-regressions/<harness>/)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
targets=(space arch config demos response mlp checkpoint cache capi)

seeds() {
    swift build --product llmnas-fuzz
    rm -rf build/fuzz/seeds && mkdir -p build/fuzz/seeds
    .build/debug/llmnas-fuzz --seed-corpus build/fuzz/seeds
}

case "${1:-}" in
replay)
    seeds
    for t in "${targets[@]}"; do
        LLMNAS_FUZZ_TARGET=$t .build/debug/llmnas-fuzz build/fuzz/seeds/"$t"/* $(ls Tests/fuzz-regressions/"$t"/* 2> /dev/null) > /dev/null
    done
    echo "test-fuzz-regressions: seeds and saved inputs of ${#targets[@]} harnesses replayed"
    ;;
run)
    runs=${2:?usage: tools/fuzz.sh run RUNS}
    fuzzer=$(find "$(dirname "$(dirname "$(readlink -f "$(which swift)")")")/lib/clang" -name 'libclang_rt.fuzzer_no_main-x86_64.a' | head -1)
    [ -n "$fuzzer" ] || { echo "fuzz: the toolchain has no libclang_rt.fuzzer_no_main-x86_64.a"; exit 1; }
    mkdir -p build/fuzz
    # The linker warns once per Swift runtime symbol it cannot export; the log keeps them, the exit status counts.
    if ! swift build -c release --product llmnas-fuzz --build-path .build-fuzz -Xswiftc -sanitize=address \
        -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp -Xswiftc -DLLMNAS_FUZZ \
        -Xswiftc -parse-as-library -Xlinker "$fuzzer" -Xlinker -lstdc++ > build/fuzz/build.log 2>&1; then
        grep -v "Cannot export local symbol" build/fuzz/build.log | tail -40
        echo "fuzz: the harnesses did not build (build/fuzz/build.log)"
        exit 1
    fi
    seeds
    for t in "${targets[@]}"; do
        mkdir -p build/fuzz/corpus/"$t"
        if ! LLMNAS_FUZZ_TARGET=$t .build-fuzz/release/llmnas-fuzz build/fuzz/corpus/"$t" build/fuzz/seeds/"$t" \
            $(ls -d Tests/fuzz-regressions/"$t" 2> /dev/null) -runs="$runs" -max_len=8192 -timeout=10 -rss_limit_mb=4096 \
            -artifact_prefix=build/fuzz/crash-"$t"- > build/fuzz/"$t".log 2>&1; then
            tail -40 build/fuzz/"$t".log
            echo "fuzz: harness $t failed (input in build/fuzz/crash-$t-*)"
            exit 1
        fi
        done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' build/fuzz/"$t".log)
        echo "fuzz $t: $(echo "$done_line" | awk '{print $1, $3, $4}') $(echo "$done_line" | grep -oE 'exec/s: [0-9]+') corpus $(ls build/fuzz/corpus/"$t" | wc -l) files (seeds $(ls build/fuzz/seeds/"$t" | wc -l))"
    done
    ;;
*)
    echo "usage: tools/fuzz.sh replay | run RUNS"
    exit 2
    ;;
esac
