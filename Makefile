# llmnas: build, test, install, demo. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := all

VERSION := $(shell sed -n 's/^\#define LLMNAS_VERSION_\(MAJOR\|MINOR\|PATCH\) //p' include/llmnas.h | paste -sd.)
SOVERSION := $(shell sed -n 's/^\#define LLMNAS_ABI_VERSION //p' include/llmnas.h)
PREFIX ?= /usr/local
BUILD := build
LIB := $(BUILD)/lib/libllmnas.so
APT_PACKAGES := libcurl4-openssl-dev libopenblas-dev pkg-config g++ valgrind
PYTHON ?= python3
VENV := .venv
SWIFT_RELEASE := swift build -c release --product llmnas -Xswiftc -static-stdlib \
	-Xlinker -soname=libllmnas.so.$(SOVERSION) -Xlinker --version-script=$(CURDIR)/tools/exports.map
CFLAGS_EX := -std=c11 -Wall -Wextra -Werror -Iinclude
CXXFLAGS_EX := -std=c++17 -Wall -Wextra -Werror -Iinclude -Ibindings/cpp
# Examples run with nothing but the built library on their path: no Swift toolchain libraries.
RUN_EX := env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH=$(CURDIR)/$(BUILD)/lib

.PHONY: check-cpp-coverage fuzz fuzz-build test-fuzz-regressions test-asan test-tsan test-valgrind all help deps lib test test-swift check-exports examples test-examples venv test-python test-install \
	test-local-llm install demo bench latency-models check-latency-models clean

help:
	@echo "make          release build of $(LIB) (Swift runtime linked in statically)"
	@echo "make deps     install the Debian packages the build needs (as root; otherwise prints the command)"
	@echo "make test     Swift tests, export and linkage checks, C/C++/Python examples, pytest, install check"
	@echo "make demo     the main job: run the spaces example on the built library"
	@echo "make bench    benchmarks against the peers (openai client, scipy), as ratios"
	@echo "make install  PREFIX=$(PREFIX): header, library, C++ wrapper and llmnas.pc"
	@echo "make test-asan / test-tsan / test-valgrind   the Swift tests under ASan, TSan; valgrind over the C programs"
	@echo "make fuzz     libFuzzer harnesses of every parser, FUZZ_RUNS=$(FUZZ_RUNS) inputs each"

all: lib

deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else \
		echo "missing Debian packages; run: sudo apt-get install -y $$missing"; exit 1; \
	fi

lib: deps
	$(SWIFT_RELEASE)
	@mkdir -p $(BUILD)/lib
	cp .build/release/libllmnas.so $(BUILD)/lib/.libllmnas.so.tmp   # replaced by rename: a running host keeps its copy
	mv -f $(BUILD)/lib/.libllmnas.so.tmp $(BUILD)/lib/libllmnas.so.$(VERSION)
	ln -sf libllmnas.so.$(VERSION) $(BUILD)/lib/libllmnas.so.$(SOVERSION)
	ln -sf libllmnas.so.$(SOVERSION) $(LIB)

test: deps test-swift lib check-exports check-cpp-coverage test-examples test-python test-install test-local-llm check-latency-models \
	test-fuzz-regressions
	@echo "make test: all checks passed"

test-swift: deps
	swift test

# The .so must export exactly the llmnas_* functions the header declares, and carry no libswift* dependency.
check-exports: lib
	@nm -D --defined-only $(LIB) | awk '$$3 ~ /^llmnas_/ {print $$3}' | sort -u > $(BUILD)/exported.txt
	@grep -oE '\bllmnas_[a-z0-9_]+[[:space:]]*\(' include/llmnas.h | tr -d ' (' | sort -u > $(BUILD)/declared.txt
	@diff -u $(BUILD)/declared.txt $(BUILD)/exported.txt || { echo "exports differ from include/llmnas.h"; exit 1; }
	@! ldd $(LIB) | grep -q libswift || { echo "$(LIB) depends on libswift*"; exit 1; }
	@echo "check-exports: $$(wc -l < $(BUILD)/exported.txt) functions, header and library agree; no libswift* dependency"

# The C++ wrapper uses every function of the header (tools/check_cpp_coverage.py lists any left out on purpose).
check-cpp-coverage:
	$(PYTHON) tools/check_cpp_coverage.py

examples: lib
	@mkdir -p $(BUILD)/examples
	cc $(CFLAGS_EX) examples/spaces.c -o $(BUILD)/examples/spaces -L$(BUILD)/lib -lllmnas
	cc $(CFLAGS_EX) examples/llmpp_eval.c -o $(BUILD)/examples/llmpp_eval -L$(BUILD)/lib -lllmnas
	cc $(CFLAGS_EX) examples/distill.c -o $(BUILD)/examples/distill -L$(BUILD)/lib -lllmnas
	cc $(CFLAGS_EX) examples/hsnas.c -o $(BUILD)/examples/hsnas -L$(BUILD)/lib -lllmnas
	c++ $(CXXFLAGS_EX) examples/spaces.cpp -o $(BUILD)/examples/spaces_cpp -L$(BUILD)/lib -lllmnas
	c++ $(CXXFLAGS_EX) bindings/cpp/test_llmnas.cpp -o $(BUILD)/examples/test_llmnas_cpp -L$(BUILD)/lib -lllmnas

test-examples: examples
	$(RUN_EX) $(BUILD)/examples/spaces > $(BUILD)/examples/spaces.out
	grep -q "LLMNAS_NOT_FOUND" $(BUILD)/examples/spaces.out
	$(RUN_EX) $(BUILD)/examples/spaces_cpp > $(BUILD)/examples/spaces_cpp.out
	cmp $(BUILD)/examples/spaces.out $(BUILD)/examples/spaces_cpp.out
	$(RUN_EX) $(BUILD)/examples/test_llmnas_cpp
	$(RUN_EX) $(BUILD)/examples/llmpp_eval data/llmpp-wmt > $(BUILD)/examples/llmpp_eval.out 2>/dev/null
	grep -q "HAT supernet" $(BUILD)/examples/llmpp_eval.out
	@$(PYTHON) Tests/server/scripted_llm_server.py > $(BUILD)/examples/server.port & pid=$$!; \
	trap 'kill $$pid' EXIT; for i in $$(seq 50); do [ -s $(BUILD)/examples/server.port ] && break; sleep 0.1; done; \
	port=$$(awk '{print $$2}' $(BUILD)/examples/server.port); \
	$(RUN_EX) LLMNAS_MODEL=scripted OPENAI_BASE_URL=http://127.0.0.1:$$port/v1 $(BUILD)/examples/llmpp_eval \
		> $(BUILD)/examples/llmpp_eval_llm.out 2> $(BUILD)/examples/llmpp_eval_llm.err && \
	grep -q "LLM-PP calibrated" $(BUILD)/examples/llmpp_eval_llm.out && grep -q '"requests":270' $(BUILD)/examples/llmpp_eval_llm.out && \
	echo "llmpp_eval: the protocol ran against the scripted server (270 requests)" && \
	$(RUN_EX) LLMNAS_MODEL=scripted OPENAI_BASE_URL=http://127.0.0.1:$$port/v1 $(BUILD)/examples/distill 100 data/llmpp-wmt \
		$(BUILD)/examples/distilled.mlp > $(BUILD)/examples/distill.out 2> $(BUILD)/examples/distill.err && \
	grep -q '"labels":100' $(BUILD)/examples/distill.out && test -s $(BUILD)/examples/distilled.mlp && \
	echo "distill: 100 labels from the scripted server, model saved"
	$(RUN_EX) $(BUILD)/examples/hsnas $(BUILD)/examples/distilled.mlp $(BUILD)/examples > $(BUILD)/examples/hsnas.out
	grep -q "latency <= 200 ms" $(BUILD)/examples/hsnas.out && test -s $(BUILD)/examples/hsnas-100ms.html
	@echo "hsnas: three searches under 100/150/200 ms with the distilled predictor"

venv: $(VENV)/.ready
$(VENV)/.ready: bindings/python/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q numpy scipy pytest "setuptools>=70" "ray==2.60.0"
	touch $@

test-python: lib venv test-examples
	$(VENV)/bin/pip install -q --no-build-isolation --force-reinstall --no-deps ./bindings/python
	LLMNAS_LIBRARY=$(CURDIR)/$(LIB) $(VENV)/bin/python -m pytest -q bindings/python/tests
	LLMNAS_LIBRARY=$(CURDIR)/$(LIB) $(VENV)/bin/python examples/python/spaces.py > $(BUILD)/examples/spaces_py.out
	cmp $(BUILD)/examples/spaces.out $(BUILD)/examples/spaces_py.out
	$(RUN_EX) LLMNAS_LIBRARY=$(CURDIR)/$(LIB) $(VENV)/bin/python examples/python/hsnas.py $(BUILD)/examples/distilled.mlp \
		$(BUILD)/examples > $(BUILD)/examples/hsnas_py.out
	cmp $(BUILD)/examples/hsnas.out $(BUILD)/examples/hsnas_py.out
	LLMNAS_LIBRARY=$(CURDIR)/$(LIB) $(VENV)/bin/python examples/python/ray_hsnas.py --seconds-per-arch 0 \
		2>/dev/null | tee $(BUILD)/examples/ray_hsnas.out | grep -q "same result: True"

# Installs into a temporary prefix and builds the C example with pkg-config alone.
test-install: lib
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(MAKE) --no-print-directory install PREFIX=$$tmp >/dev/null && \
	cc -std=c11 -Wall -Wextra -Werror examples/spaces.c -o $$tmp/spaces \
		$$(PKG_CONFIG_PATH=$$tmp/lib/pkgconfig pkg-config --cflags --libs llmnas) && \
	env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH=$$tmp/lib $$tmp/spaces | cmp - $(BUILD)/examples/spaces.out && \
	echo "test-install: the example built with pkg-config against PREFIX=$$tmp runs and prints the same"

# LLM-PP end to end on a real local model (llama-server + Gemma 3 270M; built on first use, then cached).
test-local-llm: lib venv
	LLMNAS_LIBRARY=$(CURDIR)/$(LIB) $(VENV)/bin/python -m pytest -q bindings/python/tests_local_llm

install: lib
	install -d $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 include/llmnas.h bindings/cpp/llmnas.hpp $(DESTDIR)$(PREFIX)/include/
	install -m 755 $(BUILD)/lib/libllmnas.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libllmnas.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libllmnas.so.$(SOVERSION)
	ln -sf libllmnas.so.$(SOVERSION) $(DESTDIR)$(PREFIX)/lib/libllmnas.so
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' tools/llmnas.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/llmnas.pc

# The main job: the spaces example; the paper's protocol with LLM-PP on a real local model (Gemma 3 270M on
# llama-server) beside the baselines, and LLM-Distill-PP on 200 labels (wmt14ende, split 123), whose model is saved;
# HS-NAS on hat-wmt14ende under 100/150/200 ms with that distilled predictor; one seed of the NAS-Bench-Graph
# comparison. Set LLMNAS_LLM_CONFIG (or LLMNAS_MODEL with OPENAI_BASE_URL/OPENAI_API_KEY) to use another endpoint.
DEMO_GRAMMAR := root ::= \" \"? [0-9] [0-9]? \".\" [0-9] [0-9]
DEMO_PROTOCOL := {"distill": {"labels": 200, "tasks": ["wmt14ende"], "seeds": [123], "save_dir": "$(BUILD)"}}
demo: examples venv
	$(RUN_EX) $(BUILD)/examples/spaces
	@echo "LLM-Distill-PP on wmt14ende, split seed 123: 200 pool architectures labelled by LLM-PP, the paper's MLP recipe"
	@if [ -n "$$LLMNAS_LLM_CONFIG$$LLMNAS_MODEL" ]; then \
		LLMNAS_PROTOCOL_OPTIONS="$${LLMNAS_PROTOCOL_OPTIONS:-$(DEMO_PROTOCOL)}" LD_LIBRARY_PATH=$(CURDIR)/$(BUILD)/lib \
			$(BUILD)/examples/llmpp_eval data/llmpp-wmt; \
	else \
		url=$$(VENV=$(VENV) tools/local_llm.sh start) || exit 1; trap 'tools/local_llm.sh stop' EXIT; \
		echo "LLM-PP on Gemma 3 270M (base model, llama-server at $$url): 9 splits x (20 predictions + 10 calibration);"; \
		$(RUN_EX) LLMNAS_PROTOCOL_OPTIONS='$(DEMO_PROTOCOL)' LLMNAS_LLM_CONFIG='{"base_url": "'$$url'", "model": "gemma", "max_tokens": 8, "max_concurrency": 4, "timeout_seconds": 300, "answer_format": "grammar", "grammar": "$(DEMO_GRAMMAR)", "cache_file": "$(BUILD)/demo-cache.llmnas"}' \
			$(BUILD)/examples/llmpp_eval data/llmpp-wmt; \
	fi
	@echo "HS-NAS on hat-wmt14ende (HAT's evolution, 30 x 125), estimator: the distilled LLM-PP predictor above"
	$(RUN_EX) $(BUILD)/examples/hsnas $(BUILD)/distilled-wmt14ende-123.mlp $(BUILD)
	$(VENV)/bin/pip install -q --no-build-isolation --force-reinstall --no-deps ./bindings/python
	LLMNAS_LIBRARY=$(CURDIR)/$(LIB) $(VENV)/bin/python benchmarks/bench_search.py --datasets cora --seeds 1 --skip-speed

# Regenerates the built-in latency predictors from data/hat-latency with HAT's recipe, then the library embeds them.
latency-models:
	swift build -c release --product llmnas-latency-models
	.build/release/llmnas-latency-models data/hat-latency data/latency-predictors
	touch Sources/CLatencyModels/latency_models.c

# The shipped latency predictors are exactly what `make latency-models` produces (on this kind of machine: OpenBLAS
# picks its kernels by CPU).
check-latency-models:
	swift build -c release --product llmnas-latency-models
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	.build/release/llmnas-latency-models data/hat-latency $$tmp && \
	for f in data/latency-predictors/*.mlp; do cmp "$$f" "$$tmp/$$(basename $$f)" || exit 1; done && \
	echo "check-latency-models: all 8 predictors regenerated bit for bit"

# Speed, side by side with the peers a user would pick instead, printed as ratios.
bench: lib venv
	$(VENV)/bin/pip install -q openai scikit-learn optuna
	$(VENV)/bin/pip install -q --no-build-isolation --force-reinstall --no-deps ./bindings/python
	LLMNAS_LIBRARY=$(CURDIR)/$(LIB) $(VENV)/bin/python benchmarks/bench_llm.py
	LLMNAS_LIBRARY=$(CURDIR)/$(LIB) $(VENV)/bin/python benchmarks/bench_mlp.py
	LLMNAS_LIBRARY=$(CURDIR)/$(LIB) $(VENV)/bin/python benchmarks/bench_latency.py
	LLMNAS_LIBRARY=$(CURDIR)/$(LIB) $(VENV)/bin/python benchmarks/bench_search.py

# Fuzzing: libFuzzer harnesses (Sources/llmnas-fuzz) for every parser of outside input, built with AddressSanitizer
# and coverage instrumentation; FUZZ_RUNS inputs each (CI runs a short budget). A crash leaves its input in
# build/fuzz/; copy it to Tests/fuzz-regressions/<harness>/, which `make test` replays.
FUZZ_RUNS ?= 1000000
FUZZ_TARGETS := space arch config demos response mlp checkpoint cache
FUZZER_LIB = $(shell find $$(dirname $$(dirname $$(readlink -f $$(which swift))))/lib/clang -name 'libclang_rt.fuzzer_no_main-x86_64.a' | head -1)
fuzz-build:
	swift build -c release --product llmnas-fuzz --build-path .build-fuzz -Xswiftc -sanitize=address \
		-Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp -Xswiftc -DLLMNAS_FUZZ \
		-Xswiftc -parse-as-library -Xlinker $(FUZZER_LIB) -Xlinker -lstdc++ 2>&1 | grep -v "Cannot export local symbol"
	swift build --product llmnas-fuzz
	@rm -rf $(BUILD)/fuzz/seeds && mkdir -p $(BUILD)/fuzz/seeds && .build/debug/llmnas-fuzz --seed-corpus $(BUILD)/fuzz/seeds

fuzz: deps fuzz-build
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p $(BUILD)/fuzz/corpus/$$t; \
		LLMNAS_FUZZ_TARGET=$$t .build-fuzz/release/llmnas-fuzz $(BUILD)/fuzz/corpus/$$t $(BUILD)/fuzz/seeds/$$t \
			$$(ls -d Tests/fuzz-regressions/$$t 2>/dev/null) -runs=$(FUZZ_RUNS) -max_len=8192 -timeout=10 -rss_limit_mb=4096 \
			-artifact_prefix=$(BUILD)/fuzz/crash-$$t- > $(BUILD)/fuzz/$$t.log 2>&1 \
			|| { tail -40 $(BUILD)/fuzz/$$t.log; echo "fuzz: harness $$t failed (input in $(BUILD)/fuzz/crash-$$t-*)"; exit 1; }; \
		echo "fuzz $$t: $$(grep -E '^#[0-9]+[[:space:]]+DONE' $(BUILD)/fuzz/$$t.log | awk '{print $$1, $$3, $$4}') corpus $$(ls $(BUILD)/fuzz/corpus/$$t | wc -l) files (seeds $$(ls $(BUILD)/fuzz/seeds/$$t | wc -l))"; \
	done

# Valgrind: the C ABI stress program (every handle kind created and freed 10,000 times, every error path) and every
# C and C++ example, with zero bytes definitely or indirectly lost and no invalid access allowed. Valgrind 3.19
# cannot read the DWARF 5 of the Swift toolchain, so the programs load a copy of the library without debug info.
VALGRIND := valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
	--error-exitcode=99
VG_ENV := env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH=$(CURDIR)/$(BUILD)/valgrind
STRESS_ROUNDS ?= 10000
test-valgrind: deps examples
	@mkdir -p $(BUILD)/valgrind
	objcopy --strip-debug $(BUILD)/lib/libllmnas.so.$(VERSION) $(BUILD)/valgrind/libllmnas.so.$(SOVERSION)
	cc $(CFLAGS_EX) Tests/c/stress_abi.c -o $(BUILD)/valgrind/stress_abi -L$(BUILD)/lib -lllmnas
	$(VG_ENV) $(VALGRIND) $(BUILD)/valgrind/stress_abi $(STRESS_ROUNDS) $(BUILD)/valgrind
	$(VG_ENV) $(VALGRIND) $(BUILD)/examples/spaces > /dev/null
	$(VG_ENV) $(VALGRIND) $(BUILD)/examples/spaces_cpp > /dev/null
	$(VG_ENV) $(VALGRIND) $(BUILD)/examples/test_llmnas_cpp
	$(VG_ENV) $(VALGRIND) $(BUILD)/examples/llmpp_eval data/llmpp-wmt > /dev/null
	@$(PYTHON) Tests/server/scripted_llm_server.py > $(BUILD)/valgrind/server.port & pid=$$!; \
	trap 'kill $$pid' EXIT; for i in $$(seq 50); do [ -s $(BUILD)/valgrind/server.port ] && break; sleep 0.1; done; \
	url=http://127.0.0.1:$$(awk '{print $$2}' $(BUILD)/valgrind/server.port)/v1; \
	log=$(BUILD)/valgrind/examples.err; \
	{ $(VG_ENV) LLMNAS_MODEL=scripted OPENAI_BASE_URL=$$url $(VALGRIND) $(BUILD)/examples/llmpp_eval data/llmpp-wmt && \
	  $(VG_ENV) LLMNAS_MODEL=scripted OPENAI_BASE_URL=$$url $(VALGRIND) $(BUILD)/examples/distill 20 data/llmpp-wmt \
		$(BUILD)/valgrind/distilled.mlp '{"hidden": [32], "steps": 50}' && \
	  $(VG_ENV) $(VALGRIND) $(BUILD)/examples/hsnas $(BUILD)/valgrind/distilled.mlp $(BUILD)/valgrind 3; } \
		> /dev/null 2> $$log || { grep -v '^\r' $$log | grep -E '==[0-9]+==' | head -40; echo "test-valgrind: failed ($$log)"; exit 1; }; \
	echo "test-valgrind: stress program ($(STRESS_ROUNDS) rounds) and 8 example runs: no leak, no invalid access"

# The Swift test suite under AddressSanitizer (with LeakSanitizer) and under ThreadSanitizer. OpenBLAS runs one
# thread under TSan: its worker threads synchronise by spinning on memory, which TSan, not seeing inside the
# uninstrumented library, would report as races on the result buffers.
test-asan: deps
	LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/sanitizers/lsan.supp swift test --sanitize=address --build-path .build-asan
test-tsan: deps
	OPENBLAS_NUM_THREADS=1 swift test --sanitize=thread --build-path .build-tsan

# Replays the seed corpus and every saved fuzzing regression input through the harnesses, without libFuzzer.
test-fuzz-regressions:
	swift build --product llmnas-fuzz
	@rm -rf $(BUILD)/fuzz/seeds && mkdir -p $(BUILD)/fuzz/seeds && .build/debug/llmnas-fuzz --seed-corpus $(BUILD)/fuzz/seeds
	@for t in $(FUZZ_TARGETS); do \
		LLMNAS_FUZZ_TARGET=$$t .build/debug/llmnas-fuzz $(BUILD)/fuzz/seeds/$$t/* $$(ls Tests/fuzz-regressions/$$t/* 2>/dev/null) > /dev/null || exit 1; \
	done; echo "test-fuzz-regressions: seeds and saved inputs of $(words $(FUZZ_TARGETS)) harnesses replayed"

clean:
	rm -rf $(BUILD) .build
